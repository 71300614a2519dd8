/* Equations compared by solution set (lhs - rhs equal up to a non-zero constant factor). */
#include "grade/relation_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VARS    25    /* distinct unknowns of a pair of equations */

/* Writes s[0..n) into out (cap bytes) with every unknown (a letter other than e and i, or a Greek letter,
 * with its subscript) replaced by a letter of pool: the k-th distinct unknown of names[] by pool[k]. New
 * unknowns are added to names (at most MAX_VARS). Returns the length written, 0 when it does not fit. */
static size_t rename_vars(const char *s, size_t n, const char *pool, struct span *names, int *nnames, char *out,
			  size_t cap)
{
	size_t i = 0, k = 0;

	while (i < n) {
		struct lin p = { s, n, i, 0, { NULL, 0 } };
		char c = s[i];
		if ((c == '\\' && csr_cmd_name_len(s, n, i) > 0 &&
		     !csr_name_in(csr_greek_names, s + i + 1, csr_cmd_name_len(s, n, i))) ||
		    (c == '\\' && csr_cmd_name_len(s, n, i) == 0)) {
			size_t l = csr_cmd_name_len(s, n, i);
			size_t end = i + (l > 0 ? l + 1 : 2);
			if (end > n)
				end = n;
			if (k + (end - i) + 1 >= cap)
				return 0;
			memcpy(out + k, s + i, end - i);
			k += end - i;
			i = end;
			continue;
		}
		if ((c == '\\' || isalpha((unsigned char)c)) && csr_lin_var(&p)) {
			int v;
			for (v = 0; v < *nnames; v++)
				if (names[v].n == p.var.n && memcmp(names[v].s, p.var.s, p.var.n) == 0)
					break;
			if (v == *nnames) {
				if (v >= MAX_VARS)
					return 0;
				names[v] = p.var;
				(*nnames)++;
			}
			if (k + 3 >= cap)
				return 0;
			out[k++] = ' ';
			out[k++] = pool[v];
			out[k++] = ' ';
			i = p.i;
			continue;
		}
		if (k + 2 >= cap)
			return 0;
		out[k++] = c;
		i++;
	}
	out[k] = '\0';
	return k;
}

/* Whether an equation side has an absolute value, a root of an unknown or a fractional power, where the
 * positive random points of expression comparison could hide a difference of solution sets. */
static int has_branch(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct lscan l = { s, n, i + 1, 0 };
		size_t at;
		if (s[i] == '|')
			return 1;
		if (csr_cmd_is(s, n, i, "sqrt")) {
			l.i = i + 5;
			if (l.i < n && s[l.i] == '[')
				return 1;
			at = l.i;
			if (!csr_skip_braces(&l) || csg_has_unknown(s + at, l.i - at))
				return 1;
		} else if (s[i] == '^' && i + 1 < n && s[i + 1] == '{') {
			at = l.i;
			if (!csr_skip_braces(&l) || csg_contains(s + at, l.i - at, "/") ||
			    csg_contains(s + at, l.i - at, ".") || csg_contains(s + at, l.i - at, "\\frac"))
				return 1;
		}
	}
	return 0;
}

/* Writes the concatenation of parts (NULL-terminated) into out (cap bytes). Returns 0 when it does not fit. */
static int concat(char *out, size_t cap, const char *const *parts)
{
	size_t k = 0;

	for (int j = 0; parts[j] != NULL; j++) {
		size_t l = strlen(parts[j]);
		if (k + l + 1 > cap)
			return 0;
		memcpy(out + k, parts[j], l);
		k += l;
	}
	out[k] = '\0';
	return 1;
}

/* f = lhs - rhs of an equation, with unknowns renamed by pool, into out (CSG_MAX_EXPR bytes). */
static int side_difference(const struct chain *ch, const char *pool, struct span *names, int *nnames, char *out)
{
	char l[CSG_MAX_EXPR], r[CSG_MAX_EXPR];
	const char *parts[] = { "(", l, ")-(", r, ")", NULL };

	if (rename_vars(ch->m[0].s, ch->m[0].n, pool, names, nnames, l, sizeof l) == 0 ||
	    rename_vars(ch->m[ch->count - 1].s, ch->m[ch->count - 1].n, pool, names, nnames, r, sizeof r) == 0 ||
	    !concat(out, CSG_MAX_EXPR, parts))
		return CSG_BIG;
	return CSG_OK;
}

/* Compares two equations by solution set: equal when f_a = c f_b for a constant c != 0 (f = lhs - rhs),
 * tested as f_a(P) f_b(Q) = f_a(Q) f_b(P) with the unknowns renamed apart in Q. */
int csr_equations_equal(const struct chain *ca, const struct chain *cb, int *equal, const char **reason)
{
	static const char pool_p[] = "abcdfghjklmnopqrstuvwxyzA", pool_q[] = "BCDEFGHIJKLMNOPQRSTUVWXYZ";
	struct span names[MAX_VARS];
	char *buf = NULL, *pa, *pb, *qa, *qb, *left, *right;
	int rc, nnames = 0, eq = 0;
	const char *why;

	*equal = 0;
	*reason = "equations differ";
	for (int k = 0; k < 2; k++) {
		const struct chain *c = k == 0 ? ca : cb;
		if (has_branch(c->m[0].s, c->m[0].n) || has_branch(c->m[c->count - 1].s, c->m[c->count - 1].n)) {
			*reason = "equations with roots or absolute values are not compared";
			return CSG_OK;
		}
	}
	buf = malloc(6 * (size_t)CSG_MAX_EXPR);
	if (buf == NULL)
		return CSG_NOMEM;
	pa = buf;
	pb = buf + CSG_MAX_EXPR;
	qa = buf + 2 * CSG_MAX_EXPR;
	qb = buf + 3 * CSG_MAX_EXPR;
	left = buf + 4 * CSG_MAX_EXPR;
	right = buf + 5 * CSG_MAX_EXPR;
	rc = side_difference(ca, pool_p, names, &nnames, pa);
	if (rc == CSG_OK)
		rc = side_difference(cb, pool_p, names, &nnames, pb);
	if (rc == CSG_OK)
		rc = side_difference(ca, pool_q, names, &nnames, qa);
	if (rc == CSG_OK)
		rc = side_difference(cb, pool_q, names, &nnames, qb);
	if (rc != CSG_OK)
		goto out;
	for (int k = 0; k < 2; k++) {
		rc = csg_expr_compare(k == 0 ? pa : pb, "0", &eq, &why);
		if (rc == CSG_NO || (rc == CSG_OK && eq)) {
			*reason = rc == CSG_NO ? "equations not understood" : "an equation that always holds";
			rc = CSG_OK;
			goto out;
		}
		if (rc == CSG_OK && strcmp(why, CSG_REASON_ZERO_POW_ZERO) == 0) {
			*reason = why;
			goto out;
		}
		if (rc != CSG_OK)
			goto out;
	}
	{
		const char *lp[] = { "(", pa, ")\\cdot(", qb, ")", NULL }, *rp[] = { "(", qa, ")\\cdot(", pb, ")", NULL };
		if (!concat(left, CSG_MAX_EXPR, lp) || !concat(right, CSG_MAX_EXPR, rp)) {
			rc = CSG_BIG;
			goto out;
		}
	}
	rc = csg_expr_compare(left, right, &eq, &why);
	if (rc == CSG_NO) {
		*reason = "equations not understood";
		rc = CSG_OK;
		goto out;
	}
	if (rc == CSG_OK && eq) {
		*equal = 1;
		*reason = "equal equations (up to a constant factor)";
	}
out:
	free(buf);
	return rc;
}
