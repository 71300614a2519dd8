/* Inequalities as sets of reals: intervals and unions, read from inequalities or written, and compared. */
#include "grade/relation_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PIECES  16    /* intervals of one inequality answer */
#define MAX_ENDS    (2 * MAX_PIECES + 4)

/* One end of an interval: -1 for -infinity, +1 for +infinity, 0 for a finite value (exact or only as text). */
struct endpoint {
	int inf;
	int exact;
	mpq_t q;
	char *text;
};

struct piece {
	int lo, hi;             /* indexes into the endpoint pool */
	int lo_closed, hi_closed;
	int item;               /* the item of the answer it came from */
};

/* A subset of the real line: a union of intervals, and the unknown it constrains (empty for a bare interval). */
struct set {
	int nends;
	struct endpoint end[MAX_ENDS];
	int count;
	struct piece pc[MAX_PIECES];
	char subject[MAX_KEY];
};

static void set_init(struct set *st)
{
	st->nends = 0;
	st->count = 0;
	st->subject[0] = '\0';
}

static void set_clear(struct set *st)
{
	for (int k = 0; k < st->nends; k++) {
		mpq_clear(st->end[k].q);
		free(st->end[k].text);
	}
	st->nends = 0;
}

/* Adds an endpoint: inf (-1, +1) or a finite value with text t[0..n) and, when q is not NULL, its exact value.
 * Returns its index, -1 when the pool is full or memory runs out (*rc says which). */
static int add_end(struct set *st, int inf, const char *t, size_t n, const mpq_t q, int *rc)
{
	struct endpoint *e;

	if (st->nends >= MAX_ENDS) {
		*rc = CSG_BIG;
		return -1;
	}
	e = &st->end[st->nends];
	mpq_init(e->q);
	e->inf = inf;
	e->exact = q != NULL;
	e->text = NULL;
	if (q != NULL)
		mpq_set(e->q, q);
	if (inf == 0) {
		e->text = csg_strndup(t, n);
		if (e->text == NULL) {
			mpq_clear(e->q);
			*rc = CSG_NOMEM;
			return -1;
		}
	}
	return st->nends++;
}

/* Adds an exact finite endpoint (its text is the rational written p/q). */
static int add_exact(struct set *st, const mpq_t q, int *rc)
{
	char *t = mpq_get_str(NULL, 10, q);
	int k;

	if (t == NULL) {
		*rc = CSG_NOMEM;
		return -1;
	}
	k = add_end(st, 0, t, strlen(t), q, rc);
	free(t);
	return k;
}

static int add_piece(struct set *st, int lo, int lo_closed, int hi, int hi_closed, int item, int *rc)
{
	if (st->count >= MAX_PIECES) {
		*rc = CSG_BIG;
		return -1;
	}
	st->pc[st->count].lo = lo;
	st->pc[st->count].hi = hi;
	st->pc[st->count].lo_closed = lo_closed;
	st->pc[st->count].hi_closed = hi_closed;
	st->pc[st->count].item = item;
	st->count++;
	return 0;
}

static int set_exact(const struct set *st)
{
	for (int k = 0; k < st->nends; k++)
		if (st->end[k].inf == 0 && !st->end[k].exact)
			return 0;
	return 1;
}

/* Order of two exact endpoints by value. */
static int end_cmp(const struct set *st, int x, int y)
{
	const struct endpoint *a = &st->end[x], *b = &st->end[y];

	if (a->inf != 0 || b->inf != 0)
		return a->inf < b->inf ? -1 : a->inf > b->inf;
	return mpq_cmp(a->q, b->q) < 0 ? -1 : mpq_cmp(a->q, b->q) > 0;
}

/* Whether an exact piece is empty. */
static int piece_empty(const struct set *st, const struct piece *p)
{
	int c = end_cmp(st, p->lo, p->hi);

	return c > 0 || (c == 0 && !(p->lo_closed && p->hi_closed));
}

/* Whether two exact pieces share a point. */
static int pieces_meet(const struct set *st, const struct piece *p, const struct piece *q)
{
	const struct piece *first = end_cmp(st, p->lo, q->lo) <= 0 ? p : q, *second = first == p ? q : p;
	int c = end_cmp(st, second->lo, first->hi);

	return c < 0 || (c == 0 && second->lo_closed && first->hi_closed);
}

/* Sorts and merges the pieces of an exact set into disjoint intervals, dropping empty ones. */
static void set_normalise(struct set *st)
{
	int n = 0;

	for (int k = 0; k < st->count; k++)
		if (!piece_empty(st, &st->pc[k]))
			st->pc[n++] = st->pc[k];
	st->count = n;
	for (int k = 1; k < n; k++)
		for (int j = k; j > 0; j--) {
			struct piece *x = &st->pc[j - 1], *y = &st->pc[j], t;
			int c = end_cmp(st, x->lo, y->lo);
			if (c < 0 || (c == 0 && (x->lo_closed || !y->lo_closed)))
				break;
			t = *x;
			*x = *y;
			*y = t;
		}
	n = 0;
	for (int k = 0; k < st->count; k++) {
		struct piece *last = n > 0 ? &st->pc[n - 1] : NULL, *cur = &st->pc[k];
		int c;
		if (last != NULL) {
			c = end_cmp(st, cur->lo, last->hi);
			if (c < 0 || (c == 0 && (cur->lo_closed || last->hi_closed))) {
				c = end_cmp(st, cur->hi, last->hi);
				if (c > 0) {
					last->hi = cur->hi;
					last->hi_closed = cur->hi_closed;
				} else if (c == 0) {
					last->hi_closed |= cur->hi_closed;
				}
				continue;
			}
		}
		st->pc[n++] = *cur;
	}
	st->count = n;
}

/* Reads one endpoint of a written interval; its index in *k. CSG_OK, CSG_NO when it is no endpoint. */
static int read_end(struct set *st, const char *s, size_t n, int *k)
{
	mpq_t a, b;
	struct span var, t = csr_trimmed(s, n);
	int rc = CSG_OK;

	mpq_inits(a, b, NULL);
	if ((t.n == 6 && memcmp(t.s, "\\infty", 6) == 0) || (t.n == 7 && memcmp(t.s, "+\\infty", 7) == 0)) {
		*k = add_end(st, 1, NULL, 0, NULL, &rc);
	} else if (t.n == 7 && memcmp(t.s, "-\\infty", 7) == 0) {
		*k = add_end(st, -1, NULL, 0, NULL, &rc);
	} else if (t.n == 0 || csg_has_unknown(t.s, t.n)) {
		rc = CSG_NO;
	} else if (csr_linear(t.s, t.n, a, b, &var) && var.n == 0) {
		*k = add_end(st, 0, t.s, t.n, b, &rc);
	} else {
		*k = add_end(st, 0, t.s, t.n, NULL, &rc);
	}
	mpq_clears(a, b, NULL);
	return rc;
}

/* Reads s[0..n) as an interval, a union of intervals, a one-point set \{a\}, \mathbb{R} or the empty set into
 * st (item numbers item). CSG_OK, CSG_NO when it is none of these, CSG_BIG, CSG_NOMEM. */
static int read_intervals(const char *s, size_t n, int item, struct set *st)
{
	size_t i = 0, start = 0;
	int depth = 0, rc = CSG_OK;

	for (;;) {
		struct span p;
		int lo, hi;
		if (i < n && !(depth == 0 && csr_cmd_is(s, n, i, "cup"))) {
			if (csr_top_step(s, n, &i, &depth))
				i++;
			continue;
		}
		p = csr_trimmed(s + start, i - start);
		if (p.n == 0)
			return CSG_NO;
		if ((p.n == 11 && memcmp(p.s, "\\mathbb{R}", 10) == 0) || (p.n == 10 && memcmp(p.s, "\\mathbb{R}", 10) == 0)) {
			lo = add_end(st, -1, NULL, 0, NULL, &rc);
			hi = lo < 0 ? -1 : add_end(st, 1, NULL, 0, NULL, &rc);
			if (hi < 0 || add_piece(st, lo, 0, hi, 0, item, &rc) < 0)
				return rc;
		} else if ((p.n == 8 && memcmp(p.s, "\\emptyset", 8) == 0) ||
			   (p.n == 10 && memcmp(p.s, "\\varnothing", 10) == 0) ||
			   (p.n == 4 && memcmp(p.s, "\\{\\}", 4) == 0)) {
			/* nothing to add */
		} else if (p.n > 4 && memcmp(p.s, "\\{", 2) == 0 && memcmp(p.s + p.n - 2, "\\}", 2) == 0) {
			rc = read_end(st, p.s + 2, p.n - 4, &lo);
			if (rc != CSG_OK)
				return rc;
			if (st->end[lo].inf != 0 || add_piece(st, lo, 1, lo, 1, item, &rc) < 0)
				return st->end[lo].inf != 0 ? CSG_NO : rc;
		} else {
			size_t comma = 0, j = 1;
			int d = 0, commas = 0;
			if (p.n < 5 || (p.s[0] != '(' && p.s[0] != '[') || (p.s[p.n - 1] != ')' && p.s[p.n - 1] != ']'))
				return CSG_NO;
			while (j < p.n - 1) {
				if (csr_top_step(p.s, p.n - 1, &j, &d)) {
					if (p.s[j] == ',') {
						comma = j;
						commas++;
					}
					j++;
				}
				if (d < 0)
					return CSG_NO;
			}
			if (commas != 1 || d != 0)
				return CSG_NO;
			rc = read_end(st, p.s + 1, comma - 1, &lo);
			if (rc == CSG_OK)
				rc = read_end(st, p.s + comma + 1, p.n - comma - 2, &hi);
			if (rc != CSG_OK)
				return rc;
			if (st->end[lo].inf == 1 || st->end[hi].inf == -1 || (st->end[lo].inf == -1 && p.s[0] == '[') ||
			    (st->end[hi].inf == 1 && p.s[p.n - 1] == ']'))
				return CSG_NO;
			if (add_piece(st, lo, p.s[0] == '[', hi, p.s[p.n - 1] == ']', item, &rc) < 0)
				return rc;
		}
		if (i >= n)
			break;
		i += 4;
		start = i;
	}
	return CSG_OK;
}

static int flip(int op)
{
	switch (op) {
	case OP_LT: return OP_GT;
	case OP_GT: return OP_LT;
	case OP_LE: return OP_GE;
	case OP_GE: return OP_LE;
	default: return op;
	}
}

/* The bound of "subject op c" for a subject side read as a*v + b: (c - b) / a, exact when c is a rational
 * number, else as text. *k is its endpoint; *op is flipped when a < 0. CSG_OK, CSG_NO, CSG_BIG, CSG_NOMEM. */
static int solve_bound(struct set *st, const mpq_t a, const mpq_t b, struct span c, int *op, int *k)
{
	mpq_t ca, cb, v;
	struct span var;
	int rc = CSG_OK;

	mpq_inits(ca, cb, v, NULL);
	if (mpq_sgn(a) < 0)
		*op = flip(*op);
	if (csr_linear(c.s, c.n, ca, cb, &var) && var.n == 0) {
		mpq_sub(v, cb, b);
		mpq_div(v, v, a);
		*k = add_exact(st, v, &rc);
	} else if (mpq_cmp_ui(a, 1, 1) == 0 && mpq_sgn(b) == 0) {
		*k = add_end(st, 0, c.s, c.n, NULL, &rc);
	} else {
		char *sb = mpq_get_str(NULL, 10, b), *sa = mpq_get_str(NULL, 10, a), *t = NULL;
		size_t len = c.n + (sb ? strlen(sb) : 0) + (sa ? strlen(sa) : 0) + 16;
		if (sb != NULL && sa != NULL && len <= CSG_MAX_EXPR)
			t = malloc(len);
		if (t != NULL) {
			snprintf(t, len, "((%.*s)-(%s))/(%s)", (int)c.n, c.s, sb, sa);
			*k = add_end(st, 0, t, strlen(t), NULL, &rc);
		} else {
			rc = sb == NULL || sa == NULL ? CSG_NOMEM : len > CSG_MAX_EXPR ? CSG_BIG : CSG_NOMEM;
		}
		free(sb);
		free(sa);
		free(t);
	}
	if (rc == CSG_OK && *k < 0)
		rc = CSG_NOMEM;
	mpq_clears(ca, cb, v, NULL);
	return rc;
}

/* Records the subject (canonical key) of an item in st; CSG_NO when it differs from an earlier item's. */
static int set_subject(struct set *st, struct span subj)
{
	char key[MAX_KEY];

	if (!csr_label_key(subj.s, subj.n, key))
		return CSG_NO;
	if (st->subject[0] == '\0') {
		memcpy(st->subject, key, strlen(key) + 1);
		return CSG_OK;
	}
	return strcmp(st->subject, key) == 0 ? CSG_OK : CSG_NO;
}

/* Reads one inequality item (a chain of two or three members around one subject) into pieces of st.
 * CSG_OK, CSG_NO (not an inequality in one unknown that this reads), CSG_BIG, CSG_NOMEM. */
static int read_inequality(const struct chain *ch, int item, struct set *st)
{
	mpq_t a, b;
	struct span var, subj;
	int rc = CSG_NO, at = -1, ends[2] = { -1, -1 }, ops[2] = { OP_NONE, OP_NONE };
	int lo = -1, hi = -1, lo_closed = 0, hi_closed = 0, inf;

	mpq_inits(a, b, NULL);
	if (ch->count < 2 || ch->count > 3)
		goto out;
	for (int k = 0; k < ch->count; k++)
		if (csg_has_unknown(ch->m[k].s, ch->m[k].n)) {
			if (at >= 0)
				goto out;
			at = k;
		}
	if (at < 0 || (ch->count == 3 && at != 1))
		goto out;
	for (int k = 0; k < ch->count - 1; k++)
		if (ch->op[k] == OP_EQ || ch->op[k] == OP_IN || (ch->count == 3 && ch->op[k] == OP_NE))
			goto out;
	subj = ch->m[at];
	if (csr_is_application(subj.s, subj.n)) {
		mpq_set_ui(a, 1, 1);
		mpq_set_ui(b, 0, 1);
		var = subj;
	} else if (!csr_linear(subj.s, subj.n, a, b, &var) || var.n == 0 || mpq_sgn(a) == 0) {
		goto out;
	}
	rc = set_subject(st, var);
	if (rc != CSG_OK)
		goto out;
	/* Each operator next to the subject, written as "subject op bound". */
	for (int k = 0; k < ch->count - 1; k++) {
		int other = k == at ? k + 1 : k;
		ops[k] = k == at ? ch->op[k] : flip(ch->op[k]);
		rc = solve_bound(st, a, b, ch->m[other], &ops[k], &ends[k]);
		if (rc != CSG_OK)
			goto out;
	}
	rc = CSG_NOMEM;
	if (ops[0] == OP_NE) {
		int m = add_end(st, -1, NULL, 0, NULL, &rc), p = m < 0 ? -1 : add_end(st, 1, NULL, 0, NULL, &rc);
		if (p < 0 || add_piece(st, m, 0, ends[0], 0, item, &rc) < 0 ||
		    add_piece(st, ends[0], 0, p, 0, item, &rc) < 0)
			goto out;
		rc = CSG_OK;
		goto out;
	}
	for (int k = 0; k < ch->count - 1; k++) {
		int upper = ops[k] == OP_LT || ops[k] == OP_LE, closed = ops[k] == OP_LE || ops[k] == OP_GE;
		if ((upper && hi >= 0) || (!upper && lo >= 0)) {
			rc = CSG_NO;   /* two bounds on one side, as in "1 < x > 2" */
			goto out;
		}
		if (upper) {
			hi = ends[k];
			hi_closed = closed;
		} else {
			lo = ends[k];
			lo_closed = closed;
		}
	}
	inf = lo < 0 ? -1 : 1;
	if (lo < 0 || hi < 0) {
		int k = add_end(st, inf, NULL, 0, NULL, &rc);
		if (k < 0)
			goto out;
		if (lo < 0)
			lo = k;
		else
			hi = k;
	}
	if (add_piece(st, lo, lo_closed, hi, hi_closed, item, &rc) < 0)
		goto out;
	rc = CSG_OK;
out:
	mpq_clears(a, b, NULL);
	return rc;
}

/* Reads an answer whose items are all inequalities (or "v \in intervals") into st, as the union of its items.
 * CSG_OK, CSG_NO (not understood, or a list whose items overlap, where "and" and "or" would differ). */
static int read_inequalities(const struct items *it, struct set *st)
{
	int rc;

	for (int k = 0; k < it->count; k++) {
		const struct chain *ch = &it->ch[k];
		if (ch->count == 2 && ch->op[0] == OP_IN) {
			rc = set_subject(st, ch->m[0]);
			if (rc == CSG_OK && !csg_is_label(ch->m[0].s, ch->m[0].n))
				rc = CSG_NO;
			if (rc == CSG_OK)
				rc = read_intervals(ch->m[1].s, ch->m[1].n, k, st);
		} else {
			rc = read_inequality(ch, k, st);
		}
		if (rc != CSG_OK)
			return rc;
	}
	if (it->count > 1) {
		if (!set_exact(st))
			return CSG_NO;
		for (int x = 0; x < st->count; x++)
			for (int y = x + 1; y < st->count; y++)
				if (st->pc[x].item != st->pc[y].item && !piece_empty(st, &st->pc[x]) &&
				    !piece_empty(st, &st->pc[y]) && pieces_meet(st, &st->pc[x], &st->pc[y]))
					return CSG_NO;
	}
	return CSG_OK;
}

/* Whether endpoint x of sa equals endpoint y of sb. */
static int ends_equal(enum cs_profile p, const struct set *sa, int x, const struct set *sb, int y, int depth,
		      int *work, int *eq)
{
	const struct endpoint *a = &sa->end[x], *b = &sb->end[y];
	const char *why;

	if (a->inf != 0 || b->inf != 0) {
		*eq = a->inf == b->inf;
		return CSG_OK;
	}
	if (a->exact && b->exact) {
		*eq = mpq_equal(a->q, b->q) != 0;
		return CSG_OK;
	}
	return csg_compare_canon(p, a->text, b->text, depth + 1, work, eq, &why);
}

/* Compares two sets of reals piece by piece (in any order). */
static int sets_equal(enum cs_profile p, struct set *sa, struct set *sb, int depth, int *work, int *equal)
{
	int used[MAX_PIECES] = { 0 }, rc;

	*equal = 0;
	if (set_exact(sa))
		set_normalise(sa);
	if (set_exact(sb))
		set_normalise(sb);
	if (sa->count != sb->count)
		return CSG_OK;
	for (int x = 0; x < sa->count; x++) {
		int found = 0;
		for (int y = 0; y < sb->count && !found; y++) {
			const struct piece *a = &sa->pc[x], *b = &sb->pc[y];
			int e1 = 0, e2 = 0;
			if (used[y] || a->lo_closed != b->lo_closed || a->hi_closed != b->hi_closed)
				continue;
			rc = ends_equal(p, sa, a->lo, sb, b->lo, depth, work, &e1);
			if (rc == CSG_OK && e1)
				rc = ends_equal(p, sa, a->hi, sb, b->hi, depth, work, &e2);
			if (rc != CSG_OK)
				return rc;
			if (e1 && e2) {
				used[y] = 1;
				found = 1;
			}
		}
		if (!found)
			return CSG_OK;
	}
	*equal = 1;
	return CSG_OK;
}

/* Compares an inequality answer with another inequality answer or a written interval (union). */
int csr_inequality_compare(enum cs_profile p, const struct items *ia, const struct items *ib, const char *b,
			   int kb, int depth, int *work, int *equal, const char **reason)
{
	struct set *sa, *sb;
	int rc;

	*equal = 0;
	sa = malloc(sizeof *sa);
	sb = malloc(sizeof *sb);
	if (sa == NULL || sb == NULL) {
		free(sa);
		free(sb);
		return CSG_NOMEM;
	}
	set_init(sa);
	set_init(sb);
	rc = read_inequalities(ia, sa);
	if (rc == CSG_OK)
		rc = kb == RK_INEQ ? read_inequalities(ib, sb) : read_intervals(b, strlen(b), 0, sb);
	if (rc == CSG_NO) {
		*reason = kb == RK_INEQ ? "inequalities not understood" : "an inequality is not this value";
		rc = CSG_OK;
		goto out;
	}
	if (rc != CSG_OK)
		goto out;
	if (kb == RK_INEQ && strcmp(sa->subject, sb->subject) != 0) {
		*reason = "inequalities in different unknowns";
		goto out;
	}
	rc = sets_equal(p, sa, sb, depth, work, equal);
	*reason = *equal ? "equal as intervals" : "different intervals";
out:
	set_clear(sa);
	set_clear(sb);
	free(sa);
	free(sb);
	return rc;
}
