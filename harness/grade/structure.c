/* Typed structures in answers: ordered tuples, intervals and their unions, sets and bare lists, matrices. */
#include "grade/grade_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_SCALAR, K_TUPLE, K_SET, K_LIST, K_UNION, K_MATRIX };

struct span {
	const char *s;
	size_t n;
};

struct shape {
	enum kind kind;
	char open, close;       /* tuple brackets */
	int rows, cols;         /* matrix */
	int count;
	struct span el[CSG_MAX_ELEMS];
};

static int is_open(char c)
{
	return c == '(' || c == '[' || c == '{';
}

static int is_close(char c)
{
	return c == ')' || c == ']' || c == '}';
}

/* Splits s[0..n) at top-level occurrences of sep into sh->el (appending); returns CSG_OK, CSG_NO when
 * brackets do not balance, CSG_BIG when there are too many parts. */
static int split(const char *s, size_t n, const char *sep, struct shape *sh)
{
	size_t l = strlen(sep), start = 0;
	int depth = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && n - i >= 6 && memcmp(s + i, "\\begin", 6) == 0)
			depth++;
		else if (s[i] == '\\' && n - i >= 4 && memcmp(s + i, "\\end", 4) == 0)
			depth--;
		if (is_open(s[i])) {
			depth++;
		} else if (is_close(s[i])) {
			depth--;
			if (depth < 0)
				return CSG_NO;
		} else if (depth == 0 && n - i >= l && memcmp(s + i, sep, l) == 0) {
			if (sh->count >= CSG_MAX_ELEMS)
				return CSG_BIG;
			sh->el[sh->count].s = s + start;
			sh->el[sh->count].n = i - start;
			sh->count++;
			start = i + l;
			i += l - 1;
		}
	}
	if (sh->count >= CSG_MAX_ELEMS)
		return CSG_BIG;
	sh->el[sh->count].s = s + start;
	sh->el[sh->count].n = n - start;
	sh->count++;
	return CSG_OK;
}

/* Whether the bracket opening s[0] closes exactly at s[n-1]. */
static int wraps(const char *s, size_t n)
{
	int depth = 0;

	if (n < 2 || !is_open(s[0]) || !is_close(s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (is_open(s[i]))
			depth++;
		else if (is_close(s[i]) && --depth == 0)
			return i == n - 1;
	}
	return 0;
}

static int has_top(const char *s, size_t n, const char *sep)
{
	struct shape tmp;

	tmp.count = 0;
	return split(s, n, sep, &tmp) == CSG_OK && tmp.count > 1;
}

/* Reads the matrix body of s; returns CSG_OK when s is one matrix environment. */
static int read_matrix(const char *s, size_t n, struct shape *sh)
{
	const char *body, *end;
	struct shape rows;
	int rc;

	if (n < 20 || memcmp(s, "\\begin{", 7) != 0)
		return CSG_NO;
	body = memchr(s, '}', n);
	if (body == NULL || body - s < 13 || memcmp(body - 6, "matrix", 6) != 0)
		return CSG_NO;
	body++;
	end = s + n;
	while (end > body && *(end - 1) != '\\')
		end--;
	if (end <= body || (size_t)(s + n - end) < 5 || memcmp(end - 1, "\\end{", 5) != 0)
		return CSG_NO;
	end--;
	rows.count = 0;
	rc = split(body, (size_t)(end - body), "\\\\", &rows);
	if (rc != CSG_OK)
		return rc;
	while (rows.count > 0 && rows.el[rows.count - 1].n == 0)
		rows.count--;
	sh->kind = K_MATRIX;
	sh->rows = rows.count;
	sh->count = 0;
	for (int r = 0; r < rows.count; r++) {
		int before = sh->count;
		rc = split(rows.el[r].s, rows.el[r].n, "&", sh);
		if (rc != CSG_OK)
			return rc;
		if (r == 0)
			sh->cols = sh->count - before;
		else if (sh->count - before != sh->cols)
			return CSG_NO;
	}
	return CSG_OK;
}

static int classify(const char *s, struct shape *sh)
{
	size_t n = strlen(s);
	int rc;

	sh->count = 0;
	sh->kind = K_SCALAR;
	rc = read_matrix(s, n, sh);
	if (rc != CSG_NO)
		return rc;
	sh->count = 0;
	if (n >= 4 && memcmp(s, "\\{", 2) == 0 && memcmp(s + n - 2, "\\}", 2) == 0 && wraps(s + 1, n - 1)) {
		sh->kind = K_SET;
		return split(s + 2, n - 4, ",", sh);
	}
	if (has_top(s, n, "\\cup")) {
		sh->kind = K_UNION;
		return split(s, n, "\\cup", sh);
	}
	if (wraps(s, n) && s[0] != '{' && s[n - 1] != '}' && has_top(s + 1, n - 2, ",")) {
		sh->kind = K_TUPLE;
		sh->open = s[0];
		sh->close = s[n - 1];
		return split(s + 1, n - 2, ",", sh);
	}
	if (has_top(s, n, ",")) {
		sh->kind = K_LIST;
		return split(s, n, ",", sh);
	}
	return CSG_OK;
}

static void free_all(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
}

/* Canonicalises every element of sh into v. */
static int canon_all(enum cs_profile p, const struct shape *sh, char **v)
{
	for (int i = 0; i < sh->count; i++) {
		int rc = csg_canon(p, sh->el[i].s, sh->el[i].n, &v[i]);
		if (rc != CSG_OK) {
			free_all(v, i);
			return rc;
		}
	}
	return CSG_OK;
}

int csg_struct_compare(enum cs_profile p, const char *a, const char *b, int depth, int *work, int *equal,
		       const char **reason)
{
	struct shape *sa = NULL, *sb = NULL;
	char *va[CSG_MAX_ELEMS], *vb[CSG_MAX_ELEMS];
	int used[CSG_MAX_ELEMS], matched[CSG_MAX_ELEMS];
	int rc, ka, kb, na = 0, nb = 0, unordered;
	const char *why;

	*equal = 0;
	sa = malloc(sizeof *sa);
	sb = malloc(sizeof *sb);
	if (sa == NULL || sb == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	rc = classify(a, sa);
	if (rc == CSG_OK)
		rc = classify(b, sb);
	if (rc == CSG_NO) {
		sa->kind = K_SCALAR;
		sb->kind = K_SCALAR;
		rc = CSG_OK;
	}
	if (rc != CSG_OK)
		goto out;
	ka = sa->kind == K_SET ? K_LIST : (int)sa->kind;
	kb = sb->kind == K_SET ? K_LIST : (int)sb->kind;
	if (ka == K_SCALAR && kb == K_SCALAR) {
		rc = CSG_NO;
		goto out;
	}
	if (ka != kb || sa->count != sb->count) {
		*reason = "different structures";
		goto out;
	}
	if (sa->kind == K_TUPLE && (sa->open != sb->open || sa->close != sb->close)) {
		*reason = "different brackets";
		goto out;
	}
	if (sa->kind == K_MATRIX && (sa->rows != sb->rows || sa->cols != sb->cols)) {
		*reason = "different matrix shapes";
		goto out;
	}
	rc = canon_all(p, sa, va);
	if (rc != CSG_OK)
		goto out;
	na = sa->count;
	rc = canon_all(p, sb, vb);
	if (rc != CSG_OK)
		goto out;
	nb = sb->count;
	unordered = ka == K_LIST || ka == K_UNION;
	memset(used, 0, sizeof used);
	memset(matched, 0, sizeof matched);
	*equal = 1;
	/* Identical elements pair up first, so that only the rest costs full comparisons. */
	if (unordered)
		for (int i = 0; i < na; i++)
			for (int j = 0; j < nb; j++)
				if (!used[j] && strcmp(va[i], vb[j]) == 0) {
					used[j] = 1;
					matched[i] = 1;
					break;
				}
	for (int i = 0; i < na && *equal; i++) {
		int found = 0;
		if (matched[i])
			continue;
		for (int j = unordered ? 0 : i; j < (unordered ? nb : i + 1); j++) {
			int eq = 0;
			const char *r;
			if (used[j])
				continue;
			rc = csg_compare_canon(p, va[i], vb[j], depth + 1, work, &eq, &r);
			if (rc != CSG_OK)
				goto out;
			if (eq) {
				used[j] = 1;
				found = 1;
				break;
			}
		}
		if (!found)
			*equal = 0;
	}
	switch (sa->kind) {
	case K_MATRIX:
		why = *equal ? "equal matrices" : "different matrices";
		break;
	case K_TUPLE:
		why = *equal ? "equal tuples" : "different tuples";
		break;
	case K_UNION:
		why = *equal ? "equal unions" : "different unions";
		break;
	default:
		why = *equal ? "equal as sets" : "different sets";
		break;
	}
	*reason = why;
out:
	if (rc != CSG_OK)
		*equal = 0;
	free_all(va, na);
	free_all(vb, nb);
	free(sa);
	free(sb);
	return rc;
}

static int by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int csg_struct_canon(enum cs_profile p, const char *s, int depth, char **out)
{
	struct shape *sh;
	char *v[CSG_MAX_ELEMS], *w;
	size_t total = 32;
	int rc = CSG_OK, nv = 0;

	*out = NULL;
	sh = malloc(sizeof *sh);
	if (sh == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	if (classify(s, sh) != CSG_OK || sh->kind == K_SCALAR)
		goto out;
	for (nv = 0; nv < sh->count; nv++) {
		rc = csg_canon_at(p, sh->el[nv].s, sh->el[nv].n, depth + 1, &v[nv]);
		if (rc == CSG_BIG)
			rc = (v[nv] = csg_strndup(sh->el[nv].s, sh->el[nv].n)) == NULL ? CSG_NOMEM : CSG_OK;
		if (rc != CSG_OK)
			goto out;
		total += strlen(v[nv]) + 6;
	}
	if (sh->kind == K_SET || sh->kind == K_LIST || sh->kind == K_UNION)
		qsort(v, (size_t)nv, sizeof v[0], by_text);
	*out = w = malloc(total);
	if (w == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	if (sh->kind == K_MATRIX)
		w += sprintf(w, "\\begin{pmatrix}");
	else if (sh->kind == K_SET)
		w += sprintf(w, "\\{");
	else if (sh->kind == K_TUPLE)
		*w++ = sh->open;
	for (int i = 0; i < nv; i++) {
		if (i > 0 && sh->kind == K_MATRIX)
			w += sprintf(w, i % sh->cols == 0 ? "\\\\" : "&");
		else if (i > 0)
			w += sprintf(w, sh->kind == K_UNION ? "\\cup" : ",");
		w += sprintf(w, "%s", v[i]);
	}
	if (sh->kind == K_MATRIX)
		sprintf(w, "\\end{pmatrix}");
	else if (sh->kind == K_SET)
		sprintf(w, "\\}");
	else if (sh->kind == K_TUPLE)
		sprintf(w, "%c", sh->close);
	else
		*w = '\0';
out:
	while (nv > 0)
		free(v[--nv]);
	free(sh);
	return rc;
}
