/* Matrix answers: matrix environments, and sums and products of them, read into element texts. */
#include "grade/grade_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the text being read. */
struct mcur {
	const char *s;
	size_t i, n;
	int ops;  /* element sums and products still allowed (CSG_MAX_MATRIX_OPS for one expression) */
};

/* A value of a matrix expression: a matrix, or a scalar (one element, rows = cols = 1). */
struct mval {
	int is_matrix;
	struct csg_matrix m;
};

static int read_sum(struct mcur *c, struct mval *v, int depth);

void csg_matrix_clear(struct csg_matrix *m)
{
	for (int k = 0; k < m->rows * m->cols && k < CSG_MAX_ELEMS; k++)
		free(m->el[k]);
	m->rows = 0;
	m->cols = 0;
}

static void skip_space(struct mcur *c)
{
	while (c->i < c->n && isspace((unsigned char)c->s[c->i]))
		c->i++;
}

/* Whether lit is at the cursor (after spaces), without consuming it. */
static int looking_at(struct mcur *c, const char *lit)
{
	size_t l = strlen(lit);

	skip_space(c);
	return c->n - c->i >= l && memcmp(c->s + c->i, lit, l) == 0;
}

/* Consumes lit at the cursor (after spaces); a command must not run on into a letter (\cdotp). Returns 1 when
 * it did. */
static int take(struct mcur *c, const char *lit)
{
	size_t l = strlen(lit);

	if (!looking_at(c, lit))
		return 0;
	if (lit[0] == '\\' && isalpha((unsigned char)lit[l - 1]) && c->i + l < c->n &&
	    isalpha((unsigned char)c->s[c->i + l]))
		return 0;
	c->i += l;
	return 1;
}

/* Appends the trimmed text s[a..b) as the next element of m; CSG_BIG beyond CSG_MAX_ELEMS elements. */
static int add_cell(struct csg_matrix *m, int *count, const char *s, size_t a, size_t b)
{
	while (a < b && isspace((unsigned char)s[a]))
		a++;
	while (b > a && isspace((unsigned char)s[b - 1]))
		b--;
	if (*count >= CSG_MAX_ELEMS)
		return CSG_BIG;
	m->el[*count] = csg_strndup(s + a, b - a);
	if (m->el[*count] == NULL)
		return CSG_NOMEM;
	(*count)++;
	return CSG_OK;
}

/* Reads "\begin{NAME}" with NAME a matrix environment (matrix, pmatrix, bmatrix, Bmatrix, smallmatrix; array
 * with its column specification only when allow_array), its cells split at & and \\, and the matching
 * "\end{NAME}". vmatrix is a determinant, a number, so it is not read. CSG_OK with v a matrix, CSG_NO, CSG_BIG
 * or CSG_NOMEM. */
static int read_env(struct mcur *c, int allow_array, struct mval *v)
{
	static const char *const names[] = { "matrix", "pmatrix", "bmatrix", "Bmatrix", "smallmatrix", "array", NULL };
	const char *name = NULL;
	size_t start, nl = 0;
	int rc = CSG_NO, depth = 0, count = 0, row_cells = 0, done = 0;

	v->is_matrix = 1;
	v->m.rows = 0;
	v->m.cols = 0;
	if (!take(c, "\\begin{"))
		goto out;
	for (int k = 0; names[k] != NULL; k++) {
		size_t l = strlen(names[k]);
		if (c->n - c->i > l && memcmp(c->s + c->i, names[k], l) == 0 && c->s[c->i + l] == '}') {
			name = names[k];
			nl = l;
		}
	}
	if (name == NULL || (strcmp(name, "array") == 0 && !allow_array))
		goto out;
	c->i += nl + 1;
	if (strcmp(name, "array") == 0) {
		/* The column specification {cc} or {c|c}. */
		if (!take(c, "{"))
			goto out;
		while (c->i < c->n && c->s[c->i] != '}')
			c->i++;
		if (c->i >= c->n)
			goto out;
		c->i++;
	}
	start = c->i;
	while (!done) {
		size_t i = c->i;
		int cell_end = 0, row_end = 0;

		if (i >= c->n)
			goto out;
		if (c->s[i] == '\\' && c->n - i >= 7 && memcmp(c->s + i, "\\begin{", 7) == 0) {
			/* A nested environment: one level, and its name's braces count for themselves. */
			depth++;
			c->i += 6;
			continue;
		}
		if (c->s[i] == '\\' && c->n - i >= 5 && memcmp(c->s + i, "\\end{", 5) == 0) {
			if (depth == 0) {
				if (c->n - i < 5 + nl + 1 || memcmp(c->s + i + 5, name, nl) != 0 || c->s[i + 5 + nl] != '}')
					goto out;
				cell_end = 1;
				row_end = 1;
				done = 1;
			} else {
				depth--;
				c->i += 4;
				continue;
			}
		} else if (c->s[i] == '\\' && i + 1 < c->n && c->s[i + 1] == '\\' && depth == 0) {
			cell_end = 1;
			row_end = 1;
		} else if (c->s[i] == '\\' && i + 1 < c->n) {
			/* An escaped character (\{, \%) or a command: no bracket of its own. */
			c->i += 2;
			continue;
		} else if (c->s[i] == '&' && depth == 0) {
			cell_end = 1;
		} else if (c->s[i] == '{' || c->s[i] == '(' || c->s[i] == '[') {
			depth++;
		} else if (c->s[i] == '}' || c->s[i] == ')' || c->s[i] == ']') {
			if (--depth < 0)
				goto out;
		}
		if (!cell_end) {
			c->i++;
			continue;
		}
		rc = add_cell(&v->m, &count, c->s, start, i);
		if (rc != CSG_OK)
			goto out;
		rc = CSG_NO;
		row_cells++;
		if (row_end) {
			/* A final \\ before \end leaves one empty cell: not a row. */
			if (done && row_cells == 1 && v->m.el[count - 1][0] == '\0' && v->m.rows > 0) {
				free(v->m.el[--count]);
			} else if (v->m.rows == 0) {
				v->m.cols = row_cells;
				v->m.rows = 1;
			} else if (row_cells != v->m.cols) {
				goto out;
			} else {
				v->m.rows++;
			}
			row_cells = 0;
		}
		c->i = done ? i + 5 + nl + 1 : i + (row_end ? 2 : 1);
		start = c->i;
	}
	rc = CSG_OK;
out:
	if (rc != CSG_OK) {
		/* Free the cells read so far, whatever shape they had reached. */
		for (int k = 0; k < count; k++)
			free(v->m.el[k]);
		v->m.rows = 0;
		v->m.cols = 0;
	}
	return rc;
}

/* Reads a number at the cursor: digits with an optional point, or \frac with two arguments ({...} or one
 * character each). CSG_OK with v the scalar (its text), CSG_NO when there is none, CSG_NOMEM. */
static int read_scalar(struct mcur *c, struct mval *v)
{
	struct csg_num num;
	size_t start;
	int rc = CSG_NO;

	csg_num_init(&num);
	skip_space(c);
	start = c->i;
	if (take(c, "\\frac")) {
		for (int arg = 0; arg < 2; arg++) {
			int depth = 0;

			skip_space(c);
			if (c->i >= c->n)
				goto out;
			do {
				if (c->s[c->i] == '{')
					depth++;
				else if (c->s[c->i] == '}')
					depth--;
				c->i++;
			} while (c->i < c->n && depth > 0);
			if (depth != 0)
				goto out;
		}
	} else {
		while (c->i < c->n && (isdigit((unsigned char)c->s[c->i]) || c->s[c->i] == '.'))
			c->i++;
	}
	if (c->i == start || csg_num_parse(c->s + start, c->i - start, 0, &num) != CSG_OK)
		goto out;
	v->is_matrix = 0;
	v->m.el[0] = csg_strndup(c->s + start, c->i - start);
	if (v->m.el[0] == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	v->m.rows = 1;
	v->m.cols = 1;
	rc = CSG_OK;
out:
	csg_num_clear(&num);
	return rc;
}

/* One factor: a matrix environment, ( sum ) or [ sum ] (an array environment only directly inside them), or
 * a number. */
static int read_factor(struct mcur *c, struct mval *v, int depth)
{
	char close;
	int rc;

	v->m.rows = 0;
	v->m.cols = 0;
	if (depth > CSG_MAX_DEPTH)
		return CSG_BIG;
	if (looking_at(c, "\\begin{"))
		return read_env(c, 0, v);
	if (take(c, "(")) {
		close = ')';
	} else if (take(c, "[")) {
		close = ']';
	} else {
		return read_scalar(c, v);
	}
	if (looking_at(c, "\\begin{array}"))
		rc = read_env(c, 1, v);
	else
		rc = read_sum(c, v, depth + 1);
	if (rc == CSG_OK && !take(c, close == ')' ? ")" : "]")) {
		csg_matrix_clear(&v->m);
		rc = CSG_NO;
	}
	return rc;
}

/* Whether a factor starts at the cursor (for a product written without \cdot). */
static int starts_factor(struct mcur *c)
{
	skip_space(c);
	if (c->i >= c->n)
		return 0;
	return isdigit((unsigned char)c->s[c->i]) || c->s[c->i] == '(' || c->s[c->i] == '[' ||
	       looking_at(c, "\\begin{") || looking_at(c, "\\frac");
}

/* a op b ('+', '-' or '*') for two element texts into *out (malloc'd): the exact value when both are plain
 * numbers, else the text "(a)+(b)", "(a)-(b)" or "(a)\cdot(b)". CSG_OK, CSG_BIG (longer than CSG_MAX_EXPR)
 * or CSG_NOMEM. */
static int elem_op(const char *a, char op, const char *b, char **out)
{
	struct csg_num na, nb;
	size_t need;
	int rc;

	*out = NULL;
	csg_num_init(&na);
	csg_num_init(&nb);
	if (csg_num_parse(a, strlen(a), 0, &na) == CSG_OK && csg_num_parse(b, strlen(b), 0, &nb) == CSG_OK &&
	    !na.percent && !nb.percent && na.base == 0 && nb.base == 0) {
		if (op == '+')
			mpq_add(na.q, na.q, nb.q);
		else if (op == '-')
			mpq_sub(na.q, na.q, nb.q);
		else
			mpq_mul(na.q, na.q, nb.q);
		na.is_decimal = 0;
		rc = csg_num_format(&na, out);
		goto out;
	}
	need = strlen(a) + strlen(b) + 16;
	if (need > CSG_MAX_EXPR) {
		rc = CSG_BIG;
		goto out;
	}
	*out = malloc(need);
	if (*out == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	snprintf(*out, need, "(%s)%s(%s)", a, op == '+' ? "+" : op == '-' ? "-" : "\\cdot", b);
	rc = CSG_OK;
out:
	csg_num_clear(&na);
	csg_num_clear(&nb);
	return rc;
}

/* Replaces the elements of v by those of r (v's old elements are freed). */
static void replace(struct mval *v, struct csg_matrix *r, int is_matrix)
{
	csg_matrix_clear(&v->m);
	v->m = *r;
	v->is_matrix = is_matrix;
}

/* v = v op w for op '+' or '-': two matrices of one shape, or two scalars; CSG_NO otherwise (a matrix plus a
 * number is not evaluated); CSG_BIG when c has fewer element operations left than it needs. */
static int add_values(struct mcur *c, struct mval *v, char op, const struct mval *w)
{
	struct csg_matrix r = { 0, 0, { NULL } };
	int rc = CSG_OK, k, count = v->m.rows * v->m.cols;

	if (v->is_matrix != w->is_matrix || v->m.rows != w->m.rows || v->m.cols != w->m.cols)
		return CSG_NO;
	if (c->ops < count)
		return CSG_BIG;
	c->ops -= count;
	for (k = 0; k < count; k++) {
		rc = elem_op(v->m.el[k], op, w->m.el[k], &r.el[k]);
		if (rc != CSG_OK)
			break;
	}
	if (rc != CSG_OK) {
		while (k > 0)
			free(r.el[--k]);
		return rc;
	}
	r.rows = v->m.rows;
	r.cols = v->m.cols;
	replace(v, &r, v->is_matrix);
	return CSG_OK;
}

/* v = v w: a scalar times a scalar or a matrix (either side), or a matrix product (v's columns equal w's
 * rows); CSG_NO when the shapes do not fit, CSG_BIG when the result has too many elements or c has fewer
 * element operations left than it needs. */
static int mul_values(struct mcur *c, struct mval *v, const struct mval *w)
{
	struct csg_matrix r = { 0, 0, { NULL } };
	int rc = CSG_OK, made = 0, rows, cols, inner;

	if (v->is_matrix && w->is_matrix && v->m.cols != w->m.rows)
		return CSG_NO;
	rows = v->is_matrix || !w->is_matrix ? v->m.rows : w->m.rows;
	cols = w->is_matrix || !v->is_matrix ? w->m.cols : v->m.cols;
	inner = v->is_matrix && w->is_matrix ? v->m.cols : 1;
	if (rows * cols > CSG_MAX_ELEMS || c->ops < rows * cols * (2 * inner - 1))
		return CSG_BIG;
	c->ops -= rows * cols * (2 * inner - 1);
	for (int i = 0; i < rows && rc == CSG_OK; i++) {
		for (int j = 0; j < cols && rc == CSG_OK; j++) {
			char *acc = NULL;

			for (int t = 0; t < inner && rc == CSG_OK; t++) {
				/* The factors of element (i, j): a scalar side always gives its one element. */
				const char *a = v->m.el[v->is_matrix ? (w->is_matrix ? i * v->m.cols + t : i * cols + j) : 0];
				const char *b = w->m.el[w->is_matrix ? (v->is_matrix ? t * cols + j : i * cols + j) : 0];
				char *prod = NULL, *sum = NULL;

				rc = elem_op(a, '*', b, &prod);
				if (rc == CSG_OK && acc != NULL) {
					rc = elem_op(acc, '+', prod, &sum);
					free(prod);
					prod = sum;
				}
				free(acc);
				acc = rc == CSG_OK ? prod : NULL;
				if (rc != CSG_OK)
					free(prod);
			}
			if (rc == CSG_OK)
				r.el[made++] = acc;
		}
	}
	if (rc != CSG_OK) {
		while (made > 0)
			free(r.el[--made]);
		return rc;
	}
	r.rows = rows;
	r.cols = cols;
	replace(v, &r, v->is_matrix || w->is_matrix);
	return CSG_OK;
}

/* product := factor ( [\cdot | \times] factor )* */
static int read_product(struct mcur *c, struct mval *v, int depth)
{
	struct mval w;
	int rc;

	rc = read_factor(c, v, depth);
	while (rc == CSG_OK) {
		if (!take(c, "\\cdot") && !take(c, "\\times") && !starts_factor(c))
			break;
		rc = read_factor(c, &w, depth);
		if (rc == CSG_OK) {
			rc = mul_values(c, v, &w);
			csg_matrix_clear(&w.m);
		}
	}
	if (rc != CSG_OK)
		csg_matrix_clear(&v->m);
	return rc;
}

/* sum := [+|-] product ( (+|-) product )* */
static int read_sum(struct mcur *c, struct mval *v, int depth)
{
	struct mval w;
	int rc, neg = 0;

	if (take(c, "-"))
		neg = 1;
	else
		take(c, "+");
	rc = read_product(c, v, depth);
	if (rc == CSG_OK && neg) {
		struct mval minus = { 0, { 1, 1, { "-1" } } };
		rc = mul_values(c, v, &minus);
	}
	while (rc == CSG_OK) {
		char op;

		if (take(c, "+"))
			op = '+';
		else if (take(c, "-"))
			op = '-';
		else
			break;
		rc = read_product(c, &w, depth);
		if (rc == CSG_OK) {
			rc = add_values(c, v, op, &w);
			csg_matrix_clear(&w.m);
		}
	}
	if (rc != CSG_OK)
		csg_matrix_clear(&v->m);
	return rc;
}

int csg_matrix_read(const char *s, size_t n, struct csg_matrix *m)
{
	struct mcur c = { s, 0, n, CSG_MAX_MATRIX_OPS };
	struct mval v;
	int rc;

	m->rows = 0;
	m->cols = 0;
	v.m.rows = 0;
	v.m.cols = 0;
	if (!csg_contains(s, n, "\\begin{"))
		return CSG_NO;
	rc = read_sum(&c, &v, 0);
	if (rc != CSG_OK)
		goto out;
	skip_space(&c);
	if (c.i != c.n || !v.is_matrix) {
		csg_matrix_clear(&v.m);
		rc = CSG_NO;
		goto out;
	}
	*m = v.m;
out:
	return rc;
}
