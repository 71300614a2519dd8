/* Labelled values as label -> value maps: reading, comparison with maps and plain answers, canonical text. */
#include "grade/relation_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether two labels have the same canonical key. */
static int same_label(struct span a, struct span b)
{
	char ka[MAX_KEY], kb[MAX_KEY];

	return csr_label_key(a.s, a.n, ka) && csr_label_key(b.s, b.n, kb) && strcmp(ka, kb) == 0;
}

/* Reads the items of an answer as solutions of label = value pairs: a repeated label or a ";" starts a new
 * solution; "(p,q) = (3,2)" gives two pairs; "x = 6/2 = 3" stands for its last member. Returns 1 when every
 * item is such an assignment. */
int csr_read_maps(const struct items *it, struct maps *mp)
{
	mp->nsol = 0;
	mp->npairs = 0;
	for (int k = 0; k < it->count; k++) {
		const struct chain *ch = &it->ch[k];
		struct span lab = ch->m[0], val = ch->m[ch->count - 1];
		struct span labs[CSG_MAX_ELEMS], vals[CSG_MAX_ELEMS];
		int n = 1, fresh = k == 0 || it->group[k] != it->group[k - 1];
		if (ch->count < 2)
			return 0;
		for (int j = 0; j < ch->count - 1; j++)
			if (ch->op[j] != OP_EQ)
				return 0;
		if (!csg_is_label(lab.s, lab.n))
			return 0;
		for (int j = 1; j < ch->count - 1; j++)
			if (csg_has_unknown(ch->m[j].s, ch->m[j].n))
				return 0;   /* "q = 2 and p = 7" is not a chain of equal members */
		labs[0] = lab;
		vals[0] = val;
		if (lab.n > 2 && lab.s[0] == '(' && lab.s[lab.n - 1] == ')' && val.n > 2 && val.s[0] == '(' &&
		    val.s[val.n - 1] == ')') {
			struct items li, vi;
			if (csr_parse_items(lab.s + 1, lab.n - 2, &li) != CSG_OK ||
			    csr_parse_items(val.s + 1, val.n - 2, &vi) != CSG_OK || li.count != vi.count ||
			    li.count < 2 || li.relational || vi.relational)
				return 0;
			for (n = 0; n < li.count; n++) {
				labs[n] = li.it[n];
				vals[n] = vi.it[n];
			}
		}
		for (int j = 0; j < n; j++) {
			if (!fresh)
				for (int q = mp->first[mp->nsol - 1]; q < mp->npairs; q++)
					if (same_label(mp->label[q], labs[j]))
						fresh = 1;
			if (fresh) {
				if (mp->nsol >= CSG_MAX_ELEMS)
					return 0;
				mp->first[mp->nsol++] = mp->npairs;
				fresh = 0;
			}
			if (mp->npairs >= CSG_MAX_ELEMS)
				return 0;
			mp->label[mp->npairs] = labs[j];
			mp->value[mp->npairs] = vals[j];
			mp->npairs++;
		}
	}
	return mp->nsol > 0;
}

static int sol_end(const struct maps *mp, int s)
{
	return s + 1 < mp->nsol ? mp->first[s + 1] : mp->npairs;
}

/* Compares value text a[0..na) with b[0..nb) after canonicalising both. */
int csr_values_equal(enum cs_profile p, const char *a, size_t na, const char *b, size_t nb, int depth, int *work,
		     int *eq)
{
	char *ca = NULL, *cb = NULL;
	const char *why;
	int rc;

	*eq = 0;
	rc = csg_canon_at(p, a, na, depth + 1, &ca);
	if (rc == CSG_OK)
		rc = csg_canon_at(p, b, nb, depth + 1, &cb);
	if (rc == CSG_OK)
		rc = csg_compare_canon(p, ca, cb, depth + 1, work, eq, &why);
	free(ca);
	free(cb);
	return rc;
}

/* Whether solution x of ma equals solution y of mb: the same labels with equal values. */
static int solutions_equal(enum cs_profile p, const struct maps *ma, int x, const struct maps *mb, int y,
			   int depth, int *work, int *eq)
{
	int rc;

	*eq = 0;
	if (sol_end(ma, x) - ma->first[x] != sol_end(mb, y) - mb->first[y])
		return CSG_OK;
	for (int i = ma->first[x]; i < sol_end(ma, x); i++) {
		int j;
		for (j = mb->first[y]; j < sol_end(mb, y); j++)
			if (same_label(ma->label[i], mb->label[j]))
				break;
		if (j == sol_end(mb, y)) {
			*eq = 0;   /* a label of one side is not on the other (the last value compared set *eq) */
			return CSG_OK;
		}
		rc = csr_values_equal(p, ma->value[i].s, ma->value[i].n, mb->value[j].s, mb->value[j].n, depth, work,
				      eq);
		if (rc != CSG_OK || !*eq) {
			*eq = 0;
			return rc;
		}
	}
	*eq = 1;
	return CSG_OK;
}

static int solution_matches(enum cs_profile p, const struct maps *mp, int s, const char *e, size_t n, int depth,
			    int *work, int *eq);

/* What pair_each compares: item x of one side with item y of the other. */
struct pairing {
	enum cs_profile p;
	const struct maps *ma, *mb;   /* maps against maps: solutions of ma with solutions of mb */
	const struct maps *mp;        /* maps against plain items: pairs or solutions of mp ... */
	const struct items *bi;       /* ... with the items of bi */
	int by_solution;              /* mp's solutions (1) or the values of its one solution (0) */
	int depth, *work;
};

/* Compares item x with item y of a pairing into *eq. CSG_OK, CSG_BIG or CSG_NOMEM. */
static int pair_equal(const struct pairing *pr, int x, int y, int *eq)
{
	if (pr->ma != NULL)
		return solutions_equal(pr->p, pr->ma, x, pr->mb, y, pr->depth, pr->work, eq);
	if (pr->by_solution)
		return solution_matches(pr->p, pr->mp, x, pr->bi->it[y].s, pr->bi->it[y].n, pr->depth, pr->work, eq);
	return csr_values_equal(pr->p, pr->mp->value[x].s, pr->mp->value[x].n, pr->bi->it[y].s, pr->bi->it[y].n,
				pr->depth, pr->work, eq);
}

/* Pairs each of the nx items of one side with its own one of the ny items of the other, each x taking the
 * first free y equal to it: *all is 1 when every x found one. CSG_OK, CSG_BIG or CSG_NOMEM. */
static int pair_each(const struct pairing *pr, int nx, int ny, int *all)
{
	int used[CSG_MAX_ELEMS] = { 0 }, rc, eq;

	*all = 0;
	for (int x = 0; x < nx; x++) {
		int found = 0;
		for (int y = 0; y < ny && !found; y++) {
			if (used[y])
				continue;
			rc = pair_equal(pr, x, y, &eq);
			if (rc != CSG_OK)
				return rc;
			if (eq)
				found = used[y] = 1;
		}
		if (!found)
			return CSG_OK;
	}
	*all = 1;
	return CSG_OK;
}

int csr_maps_equal(enum cs_profile p, const struct maps *ma, const struct maps *mb, int depth, int *work,
		   int *equal)
{
	struct pairing pr = { p, ma, mb, NULL, NULL, 0, depth, work };

	*equal = 0;
	if (ma->nsol != mb->nsol)
		return CSG_OK;
	return pair_each(&pr, ma->nsol, mb->nsol, equal);
}

/* Whether the bracket opening s[0] closes exactly at s[n-1]. */
static int wraps_whole(const char *s, size_t n)
{
	size_t i = 0;
	int depth = 0;

	while (i < n) {
		if (csr_top_step(s, n, &i, &depth))
			return 0;   /* a character outside every bracket */
		if (depth <= 0 && i < n)
			return 0;   /* the first bracket closed before the end */
	}
	return depth == 0;
}

/* Whether s[0..n) is one parenthesised tuple with at least two elements (into el) and no relation. */
static int is_tuple(const char *s, size_t n, struct items *el)
{
	if (n < 5 || s[0] != '(' || s[n - 1] != ')' || !wraps_whole(s, n))
		return 0;
	return csr_parse_items(s + 1, n - 2, el) == CSG_OK && el->count >= 2 && !el->relational;
}

/* Whether the labels of solution s are indexed unknowns of one name, x_1 ... x_k in any order (roots). */
static int enumerated(const struct maps *mp, int s)
{
	char key[MAX_KEY], base[MAX_KEY];
	int count = sol_end(mp, s) - mp->first[s], seen[CSG_MAX_ELEMS] = { 0 };

	base[0] = '\0';
	for (int i = mp->first[s]; i < sol_end(mp, s); i++) {
		char *us, *end;
		long idx;
		if (!csr_label_key(mp->label[i].s, mp->label[i].n, key) || (us = strrchr(key, '_')) == NULL)
			return 0;
		idx = strtol(us + 1, &end, 10);
		*us = '\0';
		if (*end != '\0' || idx < 1 || idx > count || seen[idx - 1] || (base[0] && strcmp(base, key) != 0))
			return 0;
		seen[idx - 1] = 1;
		memcpy(base, key, strlen(key) + 1);
	}
	return 1;
}

/* Matches solution s of mp with one element e[0..n) of a bare answer: a single value for a one-pair
 * solution, an ordered tuple (labels in written order) otherwise. */
static int solution_matches(enum cs_profile p, const struct maps *mp, int s, const char *e, size_t n, int depth,
			    int *work, int *eq)
{
	struct items *el;
	int count = sol_end(mp, s) - mp->first[s], rc = CSG_OK;

	*eq = 0;
	if (count == 1)
		return csr_values_equal(p, mp->value[mp->first[s]].s, mp->value[mp->first[s]].n, e, n, depth, work, eq);
	el = malloc(sizeof *el);
	if (el == NULL)
		return CSG_NOMEM;
	if (is_tuple(e, n, el) && el->count == count) {
		*eq = 1;
		for (int k = 0; k < count && *eq && rc == CSG_OK; k++) {
			const struct span *v = &mp->value[mp->first[s] + k];
			rc = csr_values_equal(p, v->s, v->n, el->it[k].s, el->it[k].n, depth, work, eq);
		}
	}
	if (rc != CSG_OK)
		*eq = 0;
	free(el);
	return rc;
}

/* Compares label -> value solutions with an answer without labels: a tuple, one value, or a list or set of
 * values / tuples, one per solution. A bare list of a single solution's values matches the labels in the order
 * both are written (its canonical form keeps that order), or in any order when the order cannot matter (all
 * values equal, or the labels are roots x_1 ... x_k); a set \{...\} says no order, so it matches only then. */
int csr_maps_vs_plain(enum cs_profile p, const struct maps *mp, const char *b, int depth, int *work,
		      int *equal, const char **reason)
{
	struct items *bi = NULL;
	struct pairing pr = { p, NULL, NULL, NULL, NULL, 0, depth, work };
	size_t n = strlen(b);
	int rc = CSG_OK;
	const char *s = b;

	*equal = 0;
	*reason = "different labelled values";
	bi = malloc(sizeof *bi);
	if (bi == NULL)
		return CSG_NOMEM;
	if (mp->nsol == 1) {
		rc = solution_matches(p, mp, 0, b, n, depth, work, equal);
		if (rc != CSG_OK || *equal || is_tuple(b, n, bi))
			goto out;
		if (!(n >= 4 && memcmp(b, "\\{", 2) == 0) && csr_parse_items(b, n, bi) == CSG_OK && !bi->relational &&
		    bi->count == mp->npairs) {
			/* A bare list in written order: its k-th value is the k-th label's. */
			int same = 1;
			for (int k = 0; k < mp->npairs && same && rc == CSG_OK; k++)
				rc = csr_values_equal(p, mp->value[k].s, mp->value[k].n, bi->it[k].s, bi->it[k].n,
						      depth, work, &same);
			if (rc != CSG_OK || same) {
				*equal = same && rc == CSG_OK;
				goto out;
			}
		}
		if (!enumerated(mp, 0)) {
			int same = 1;
			for (int k = 1; k < mp->npairs && same && rc == CSG_OK; k++)
				rc = csr_values_equal(p, mp->value[0].s, mp->value[0].n, mp->value[k].s, mp->value[k].n,
						      depth, work, &same);
			if (rc != CSG_OK || !same) {
				*reason = "a bare list does not say which value belongs to which label";
				goto out;
			}
		}
	}
	if (n >= 4 && memcmp(b, "\\{", 2) == 0 && memcmp(b + n - 2, "\\}", 2) == 0) {
		s = b + 2;
		n -= 4;
	}
	rc = csr_parse_items(s, n, bi);
	if (rc == CSG_NO || (rc == CSG_OK && bi->relational)) {
		rc = CSG_OK;
		goto out;
	}
	if (rc != CSG_OK)
		goto out;
	/* One solution (roots or equal values): its pairs against the elements, in any order; several: each
	 * solution against an element. */
	pr.mp = mp;
	pr.bi = bi;
	pr.by_solution = mp->nsol > 1;
	if (bi->count == (mp->nsol == 1 ? mp->npairs : mp->nsol))
		rc = pair_each(&pr, bi->count, bi->count, equal);
out:
	if (*equal)
		*reason = "equal labelled values";
	free(bi);
	return rc;
}

static int by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Whether canonical text t has a top-level "," or ";". */
static int has_top_separator(const char *t)
{
	size_t i = 0, n = strlen(t);
	int depth = 0;

	while (i < n) {
		if (csr_top_step(t, n, &i, &depth)) {
			if (t[i] == ',' || t[i] == ';')
				return 1;
			i++;
		}
	}
	return 0;
}

/* The canonical text of solution x of mp ("label=value,..." in written order) into *out (malloc'd). */
static int solution_canon(enum cs_profile p, const struct maps *mp, int x, int depth, char **out)
{
	char *v = NULL, *w = NULL, key[MAX_KEY];
	size_t len = 0, cap = 64;
	int rc = CSG_OK;

	*out = malloc(cap);
	if (*out == NULL)
		return CSG_NOMEM;
	(*out)[0] = '\0';
	for (int i = mp->first[x]; i < sol_end(mp, x); i++) {
		size_t need;
		int wrap;
		if (!csr_label_key(mp->label[i].s, mp->label[i].n, key)) {
			rc = CSG_BIG;
			goto out;
		}
		rc = csg_canon_at(p, mp->value[i].s, mp->value[i].n, depth + 1, &v);
		if (rc != CSG_OK)
			goto out;
		wrap = has_top_separator(v);
		need = len + strlen(key) + strlen(v) + 8;
		if (need > CSG_MAX_ANSWER * 4) {
			rc = CSG_BIG;
			goto out;
		}
		if (need > cap) {
			cap = 2 * need;
			w = realloc(*out, cap);
			if (w == NULL) {
				rc = CSG_NOMEM;
				goto out;
			}
			*out = w;
		}
		len += (size_t)sprintf(*out + len, "%s%s=%s%s%s", i > mp->first[x] ? "," : "", key, wrap ? "\\{" : "", v,
				       wrap ? "\\}" : "");
		free(v);
		v = NULL;
	}
out:
	free(v);
	if (rc != CSG_OK) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int csr_maps_canon(enum cs_profile p, const struct maps *mp, int depth, char **out)
{
	char *sol[CSG_MAX_ELEMS];
	size_t total = 1;
	int rc = CSG_OK, nsol = 0, several = 0;

	*out = NULL;
	for (int x = 0; x < mp->nsol; x++)
		several |= sol_end(mp, x) - mp->first[x] > 1;
	if (!several)
		goto out;   /* one label per solution: "x = 1, x = -2" reads as the list of values */
	for (nsol = 0; nsol < mp->nsol; nsol++) {
		rc = solution_canon(p, mp, nsol, depth, &sol[nsol]);
		if (rc != CSG_OK)
			goto out;
		total += strlen(sol[nsol]) + 1;
	}
	qsort(sol, (size_t)nsol, sizeof sol[0], by_text);
	*out = malloc(total);
	if (*out == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	(*out)[0] = '\0';
	for (int x = 0; x < nsol; x++) {
		if (x > 0)
			strcat(*out, ";");
		strcat(*out, sol[x]);
	}
out:
	while (nsol > 0)
		free(sol[--nsol]);
	return rc;
}
