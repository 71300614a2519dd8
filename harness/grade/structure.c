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
	struct csg_matrix mat;  /* a matrix's element texts (el points into them) */
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

/* The separator of the items of s[0..n): "," when there is a top-level comma, else ";" when there is a
 * top-level semicolon ("-12;-11;-10", "(0;-2;6)"), else NULL. Both at top level is NULL too (refused: "1,2;3"
 * could be grouped either way). */
static const char *item_sep(const char *s, size_t n)
{
	int comma = has_top(s, n, ","), semi = has_top(s, n, ";");

	if (comma && semi)
		return NULL;
	return comma ? "," : semi ? ";" : NULL;
}

/* Drops empty items (left by "19, 46, and 82", which reads "19,46,,82"). */
static void drop_empty(struct shape *sh)
{
	int k = 0;

	for (int i = 0; i < sh->count; i++) {
		const struct span *e = &sh->el[i];
		size_t a = 0, b = e->n;
		while (a < b && e->s[a] == ' ')
			a++;
		while (b > a && e->s[b - 1] == ' ')
			b--;
		if (a < b)
			sh->el[k++] = *e;
	}
	sh->count = k;
}

/* Sets sh to the shape of s: a matrix (csg_matrix_read), a set \{...\} or {a, b} (bare braces with items), a
 * union, a tuple or interval, a bare list, else a scalar. CSG_OK, CSG_NO (brackets do not balance), CSG_BIG
 * or CSG_NOMEM. The caller releases sh->mat with csg_matrix_clear. */
static int classify(const char *s, struct shape *sh)
{
	size_t n = strlen(s);
	const char *sep;
	int rc;

	sh->count = 0;
	sh->kind = K_SCALAR;
	rc = csg_matrix_read(s, n, &sh->mat);
	if (rc == CSG_OK) {
		sh->kind = K_MATRIX;
		sh->rows = sh->mat.rows;
		sh->cols = sh->mat.cols;
		sh->count = sh->rows * sh->cols;
		for (int k = 0; k < sh->count; k++) {
			sh->el[k].s = sh->mat.el[k];
			sh->el[k].n = strlen(sh->mat.el[k]);
		}
		return CSG_OK;
	}
	if (rc != CSG_NO)
		return rc;
	if (n >= 4 && memcmp(s, "\\{", 2) == 0 && memcmp(s + n - 2, "\\}", 2) == 0 && wraps(s + 1, n - 1)) {
		sep = item_sep(s + 2, n - 4);
		sh->kind = K_SET;
		rc = split(s + 2, n - 4, sep != NULL ? sep : ",", sh);
		drop_empty(sh);
		return rc;
	}
	if (wraps(s, n) && s[0] == '{' && (sep = item_sep(s + 1, n - 2)) != NULL) {
		sh->kind = K_SET;
		rc = split(s + 1, n - 2, sep, sh);
		drop_empty(sh);
		return rc;
	}
	if (has_top(s, n, "\\cup")) {
		sh->kind = K_UNION;
		return split(s, n, "\\cup", sh);
	}
	if (wraps(s, n) && s[0] != '{' && s[n - 1] != '}' && (sep = item_sep(s + 1, n - 2)) != NULL) {
		sh->kind = K_TUPLE;
		sh->open = s[0];
		sh->close = s[n - 1];
		return split(s + 1, n - 2, sep, sh);
	}
	if ((sep = item_sep(s, n)) != NULL) {
		sh->kind = K_LIST;
		rc = split(s, n, sep, sh);
		drop_empty(sh);
		if (rc == CSG_OK && sh->count < 2) {
			/* Stray commas around one item: not a list, compared as written. */
			sh->kind = K_SCALAR;
			sh->count = 0;
		}
		return rc;
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

/* Whether two of v[0..n) are identical texts. */
static int has_duplicates(char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(v[i], v[j]) == 0)
				return 1;
	return 0;
}

/* Removes later copies of identical texts from v[0..*n) (freeing them), keeping the order. */
static void drop_duplicates(char **v, int *n)
{
	int k = 0;

	for (int i = 0; i < *n; i++) {
		int seen = 0;
		for (int j = 0; j < k && !seen; j++)
			seen = strcmp(v[j], v[i]) == 0;
		if (seen)
			free(v[i]);
		else
			v[k++] = v[i];
	}
	*n = k;
}

/* Structures compare by kind (a set and a bare list are one kind), shape and elements: tuples, intervals and
 * matrices in order, lists, sets and unions in any order. A list of solutions is a set: a repeated item on
 * one side is the same solution ("(3,17,3,7)" listed twice equals it listed once), unless both sides repeat
 * items, when the repetitions are multiplicities and must agree ("1,1,2" is not "1,2,2"). */
int csg_struct_compare(enum cs_profile p, const char *a, const char *b, int depth, int *work, int *equal,
		       const char **reason)
{
	struct shape *sa = NULL, *sb = NULL;
	char *va[CSG_MAX_ELEMS], *vb[CSG_MAX_ELEMS];
	int used[CSG_MAX_ELEMS], matched[CSG_MAX_ELEMS];
	int rc, ka, kb, na = 0, nb = 0, unordered;
	const char *why;

	*equal = 0;
	sa = calloc(1, sizeof *sa);
	sb = calloc(1, sizeof *sb);
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
	*reason = "different structures";
	if (ka != kb || (ka != K_LIST && sa->count != sb->count))
		goto out;
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
	if (ka == K_LIST && !(has_duplicates(va, na) && has_duplicates(vb, nb))) {
		drop_duplicates(va, &na);
		drop_duplicates(vb, &nb);
	}
	if (na != nb) {
		*reason = ka == K_LIST ? "different sets" : "different structures";
		goto out;
	}
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
	if (sa != NULL)
		csg_matrix_clear(&sa->mat);
	if (sb != NULL)
		csg_matrix_clear(&sb->mat);
	free(sa);
	free(sb);
	return rc;
}

static int by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The canonical text of a structure: elements canonical, lists, sets and unions sorted, tuples with commas,
 * matrices (also evaluated sums and products) as pmatrix. For the gsm8k profile a decimal comma "0,111" is
 * the number 0.111 (there a list answer does not occur; elsewhere "0,5" is read as two roots). */
int csg_struct_canon(enum cs_profile p, const char *s, int depth, char **out)
{
	struct shape *sh;
	struct csg_num num;
	char *v[CSG_MAX_ELEMS], *w;
	size_t total = 32;
	int rc = CSG_OK, nv = 0;

	*out = NULL;
	csg_num_init(&num);
	sh = calloc(1, sizeof *sh);
	if (sh == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	if (p == CS_PROFILE_GSM8K && csg_num_decimal_comma(s, strlen(s), &num) == CSG_OK) {
		rc = csg_num_format(&num, out);
		goto out;
	}
	rc = classify(s, sh);
	if (rc != CSG_OK || sh->kind == K_SCALAR) {
		/* Not a structure (or one too large to rebuild): the text stands for itself. */
		rc = rc == CSG_NOMEM ? CSG_NOMEM : CSG_OK;
		goto out;
	}
	for (nv = 0; nv < sh->count; nv++) {
		rc = csg_canon_at(p, sh->el[nv].s, sh->el[nv].n, depth + 1, &v[nv]);
		if (rc == CSG_BIG)
			rc = (v[nv] = csg_strndup(sh->el[nv].s, sh->el[nv].n)) == NULL ? CSG_NOMEM : CSG_OK;
		if (rc != CSG_OK)
			goto out;
		total += strlen(v[nv]) + 6;
	}
	/* Sets and unions are sorted; a bare list keeps its written order, which says which value belongs to
	 * which label when it answers labelled values (x = 1, y = 2 against 1, 2). Lists still compare in any
	 * order with each other. */
	if (sh->kind == K_SET || sh->kind == K_UNION)
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
	if (sh != NULL)
		csg_matrix_clear(&sh->mat);
	free(sh);
	csg_num_clear(&num);
	return rc;
}
