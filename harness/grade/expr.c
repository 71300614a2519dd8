/* LaTeX expressions: a budgeted parser to a tree, exact evaluation with GMP rationals, and numeric comparison at seeded random points. */
#include "grade/grade_int.h"

#include <complex.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NPOINTS 5
#define PI_D 3.14159265358979323846
#define E_D 2.71828182845904523536
#define MAX_BOUND 8          /* nesting of \sum / \prod */
#define MAX_SUM_TERMS 1000   /* terms of all sums and products of one evaluation */
#define MAX_SYMBOL 64        /* bytes of one symbol name such as a_{n+1} */
#define EXACT_STEPS 5         /* evaluation steps of one node evaluated exactly (numerically: 1) */
#define RATIONAL_STEPS 12     /* more steps of a sum, product or quotient that has a fraction */

enum op {
	N_NUM, N_VAR, N_PI, N_E, N_I, N_ADD, N_SUB, N_MUL, N_DIV, N_POW, N_NEG,
	N_FUNC, N_LOG, N_ROOT, N_FACT, N_BINOM, N_DEG, N_ABS, N_SUM, N_PROD
};

enum fn { F_SIN, F_COS, F_TAN, F_SEC, F_CSC, F_COT, F_ASIN, F_ACOS, F_ATAN, F_SINH, F_COSH, F_TANH, F_LN, F_EXP };

struct node {
	unsigned char op;
	unsigned char fn;
	unsigned char is_frac;  /* a \frac of two integer literals */
	int a, b;               /* children; -1 when absent (a sum or product: a the lower, b the upper bound) */
	int c;                  /* a sum or product: its body */
	uint64_t sym;           /* a variable, or the index of a sum or product: hash of its name */
	unsigned int ns, ne;    /* number text */
};

/* Where an evaluation is: the random point (-1 for none: free variables do not evaluate) and the values of
 * the indices of the sums and products being evaluated. */
struct env {
	int point;
	int nb;
	uint64_t bsym[MAX_BOUND];
	long bval[MAX_BOUND];
	long terms;  /* sum and product terms still allowed */
	int zero_pow_zero;  /* set when an evaluation met 0^0, which has no value */
};

struct tree {
	struct node nd[CSG_MAX_NODES];
	int count;
	int depth;
	const char *s;
	size_t n, i;
	int big;
	int root;
	struct env *env;  /* set for an evaluation; the tree itself stays unchanged */
};

static const char *const fn_names[] = { "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos",
					"arctan", "sinh", "cosh", "tanh", "ln", "exp", NULL };

static const char *const greek[] = { "alpha", "beta", "gamma", "delta", "theta", "phi", "varphi", "psi",
				     "omega", "lambda", "mu", "sigma", "rho", "tau", "epsilon", "varepsilon",
				     "eta", "zeta", "kappa", "nu", "xi", "chi", NULL };

static int new_node(struct tree *t, int op, int a, int b)
{
	struct node *n;

	if (t->count >= CSG_MAX_NODES) {
		t->big = 1;
		return -1;
	}
	n = &t->nd[t->count];
	memset(n, 0, sizeof *n);
	n->op = (unsigned char)op;
	n->a = a;
	n->b = b;
	n->c = -1;
	return t->count++;
}

static void skip(struct tree *t)
{
	while (t->i < t->n && t->s[t->i] == ' ')
		t->i++;
}

static int peek(struct tree *t)
{
	skip(t);
	return t->i < t->n ? (unsigned char)t->s[t->i] : 0;
}

/* The command name at the cursor (after a backslash), without consuming it. */
static size_t cmd_len(const struct tree *t, size_t at)
{
	size_t j = at + 1;

	while (j < t->n && isalpha((unsigned char)t->s[j]))
		j++;
	return j - at - 1;
}

static int cmd_is(const struct tree *t, size_t at, const char *name)
{
	size_t l = strlen(name);

	return at < t->n && t->s[at] == '\\' && cmd_len(t, at) == l && memcmp(t->s + at + 1, name, l) == 0;
}

static int lookup(const char *const *tab, const char *s, size_t l)
{
	for (int k = 0; tab[k] != NULL; k++)
		if (strlen(tab[k]) == l && memcmp(tab[k], s, l) == 0)
			return k;
	return -1;
}

/* Whether the cursor starts a factor that multiplies implicitly. */
static int starts_factor(struct tree *t)
{
	int c = peek(t);
	size_t l;

	if (c == 0)
		return 0;
	if (isdigit(c) || isalpha(c) || c == '(' || c == '[' || c == '{' || c == '.')
		return 1;
	if (c != '\\')
		return 0;
	l = cmd_len(t, t->i);
	if (l == 0)
		return 0;
	return cmd_is(t, t->i, "frac") || cmd_is(t, t->i, "sqrt") || cmd_is(t, t->i, "pi") ||
	       cmd_is(t, t->i, "binom") || cmd_is(t, t->i, "log") ||
	       lookup(fn_names, t->s + t->i + 1, l) >= 0 || lookup(greek, t->s + t->i + 1, l) >= 0;
}

static int parse_expr(struct tree *t);
static int parse_term(struct tree *t);
static int parse_arg(struct tree *t);
static int parse_postfix(struct tree *t);
static int parse_primary(struct tree *t);

/* FNV-1a hash of s[0..n) continued from h, skipping spaces and braces (so x_1, x_{1} and x_{ 1 } hash alike). */
static uint64_t hash_name(uint64_t h, const char *s, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		if (s[j] == ' ' || s[j] == '{' || s[j] == '}')
			continue;
		h ^= (unsigned char)s[j];
		h *= 0x100000001B3ULL;
	}
	return h;
}

/* A variable node for the name t->s[start..t->i) and the subscript that follows it, if any (its child a, an
 * expression: a_1 and a_{1} are one symbol, a_{n+1} is the symbol a at the value of n + 1). */
static int variable(struct tree *t, size_t start)
{
	uint64_t h = hash_name(0xCBF29CE484222325ULL, t->s + start, t->i - start);
	int id, sub = -1;

	if (t->i < t->n && t->s[t->i] == '_') {
		t->i++;
		sub = parse_arg(t);
		if (sub < 0)
			return -1;
	}
	id = new_node(t, N_VAR, sub, -1);
	if (id >= 0)
		t->nd[id].sym = h;
	return id;
}

/* Whether the letters of word start at the cursor, after a non-letter, and are not followed by a letter. */
static int bare_word(const struct tree *t, const char *word)
{
	size_t l = strlen(word);

	if (t->n - t->i < l || memcmp(t->s + t->i, word, l) != 0)
		return 0;
	if (t->i > 0 && isalpha((unsigned char)t->s[t->i - 1]))
		return 0;
	return t->i + l == t->n || !isalpha((unsigned char)t->s[t->i + l]);
}

/* \sum or \prod (op), the command already read: _{k=lo}^{hi} and a body (a term). */
static int parse_big_op(struct tree *t, int op)
{
	uint64_t h = 0xCBF29CE484222325ULL;
	size_t start;
	int lo, hi, body, id;

	if (peek(t) != '_')
		return -1;
	t->i++;
	if (peek(t) != '{')
		return -1;
	t->i++;
	skip(t);
	start = t->i;
	if (t->i < t->n && t->s[t->i] == '\\')
		t->i++;
	while (t->i < t->n && isalpha((unsigned char)t->s[t->i]))
		t->i++;
	if (t->i == start || t->i - start > MAX_SYMBOL)
		return -1;
	h = hash_name(h, t->s + start, t->i - start);
	if (peek(t) != '=')
		return -1;
	t->i++;
	lo = parse_expr(t);
	if (lo < 0 || peek(t) != '}')
		return -1;
	t->i++;
	if (peek(t) != '^')
		return -1;
	t->i++;
	hi = parse_arg(t);
	if (hi < 0)
		return -1;
	if (++t->depth > CSG_MAX_DEPTH) {
		t->big = 1;
		return -1;
	}
	body = parse_term(t);
	t->depth--;
	if (body < 0)
		return -1;
	id = new_node(t, op, lo, hi);
	if (id >= 0) {
		t->nd[id].c = body;
		t->nd[id].sym = h;
	}
	return id;
}

static int number(struct tree *t)
{
	size_t j = t->i;
	int seen_point = 0, id;

	while (j < t->n && (isdigit((unsigned char)t->s[j]) || (t->s[j] == '.' && !seen_point))) {
		if (t->s[j] == '.')
			seen_point = 1;
		j++;
	}
	if (j - t->i > 400) {
		t->big = 1;
		return -1;
	}
	id = new_node(t, N_NUM, -1, -1);
	if (id < 0)
		return -1;
	t->nd[id].ns = (unsigned int)t->i;
	t->nd[id].ne = (unsigned int)j;
	t->i = j;
	return id;
}

/* An argument of \frac, \sqrt, \binom, a subscript or an exponent: {expr} or one character or command. */
static int parse_arg(struct tree *t)
{
	int c = peek(t), id;

	if (c == '{') {
		t->i++;
		id = parse_expr(t);
		if (id < 0 || peek(t) != '}')
			return -1;
		t->i++;
		return id;
	}
	if (isdigit(c)) {
		id = new_node(t, N_NUM, -1, -1);
		if (id < 0)
			return -1;
		t->nd[id].ns = (unsigned int)t->i;
		t->nd[id].ne = (unsigned int)t->i + 1;
		t->i++;
		return id;
	}
	if (c == '-') {
		t->i++;
		id = parse_arg(t);
		return id < 0 ? -1 : new_node(t, N_NEG, id, -1);
	}
	if (isalpha(c) || c == '\\')
		return parse_primary(t);
	return -1;
}

/* The argument of a function written without parentheses: a chain of implicit factors. */
static int parse_func_arg(struct tree *t)
{
	int left, right;

	if (peek(t) == '(')
		return parse_postfix(t);
	left = parse_postfix(t);
	while (left >= 0 && starts_factor(t) && peek(t) != '\\' && peek(t) != '(') {
		right = parse_postfix(t);
		if (right < 0)
			return -1;
		left = new_node(t, N_MUL, left, right);
	}
	return left;
}

static int parse_command(struct tree *t)
{
	size_t l = cmd_len(t, t->i), at = t->i;
	const char *name = t->s + at + 1;
	int a, b, k, id;

	t->i += l + 1;
	if (l == 4 && memcmp(name, "frac", 4) == 0) {
		a = parse_arg(t);
		if (a < 0)
			return -1;
		b = parse_arg(t);
		if (b < 0)
			return -1;
		id = new_node(t, N_DIV, a, b);
		if (id >= 0 && t->nd[a].op == N_NUM && t->nd[b].op == N_NUM)
			t->nd[id].is_frac = 1;
		return id;
	}
	if (l == 5 && memcmp(name, "binom", 5) == 0) {
		a = parse_arg(t);
		if (a < 0)
			return -1;
		b = parse_arg(t);
		return b < 0 ? -1 : new_node(t, N_BINOM, a, b);
	}
	if (l == 4 && memcmp(name, "sqrt", 4) == 0) {
		int idx = -1;
		if (peek(t) == '[') {
			t->i++;
			idx = parse_expr(t);
			if (idx < 0 || peek(t) != ']')
				return -1;
			t->i++;
		}
		a = parse_arg(t);
		return a < 0 ? -1 : new_node(t, N_ROOT, a, idx);
	}
	if (l == 2 && memcmp(name, "pi", 2) == 0)
		return new_node(t, N_PI, -1, -1);
	if (l == 3 && memcmp(name, "sum", 3) == 0)
		return parse_big_op(t, N_SUM);
	if (l == 4 && memcmp(name, "prod", 4) == 0)
		return parse_big_op(t, N_PROD);
	if (l == 3 && memcmp(name, "log", 3) == 0) {
		int base = -1;
		if (peek(t) == '_') {
			t->i++;
			base = parse_arg(t);
			if (base < 0)
				return -1;
		}
		a = parse_func_arg(t);
		if (a < 0)
			return -1;
		if (base < 0) {
			base = new_node(t, N_NUM, -1, -1);
			if (base < 0)
				return -1;
			/* Base 10: points at the literal "10" is not possible, so mark with ns == ne. */
			t->nd[base].ns = t->nd[base].ne = 0;
		}
		return new_node(t, N_LOG, a, base);
	}
	k = lookup(fn_names, name, l);
	if (k >= 0) {
		int power = -1;
		if (peek(t) == '^') {
			t->i++;
			power = parse_arg(t);
			if (power < 0)
				return -1;
		}
		a = parse_func_arg(t);
		if (a < 0)
			return -1;
		id = new_node(t, N_FUNC, a, -1);
		if (id < 0)
			return -1;
		t->nd[id].fn = (unsigned char)k;
		return power < 0 ? id : new_node(t, N_POW, id, power);
	}
	if (lookup(greek, name, l) >= 0)
		return variable(t, at);
	return -1;
}

static int parse_primary(struct tree *t)
{
	int c = peek(t), id;

	if (isdigit(c) || c == '.')
		return number(t);
	if (isalpha(c)) {
		size_t start = t->i;
		/* A plain-text pi and sqrt(...) (12*pi, sqrt(2)) mean what \pi and \sqrt mean. */
		if (bare_word(t, "pi")) {
			t->i += 2;
			return new_node(t, N_PI, -1, -1);
		}
		if (t->n - t->i > 5 && memcmp(t->s + t->i, "sqrt(", 5) == 0 && bare_word(t, "sqrt")) {
			t->i += 4;
			id = parse_primary(t);
			return id < 0 ? -1 : new_node(t, N_ROOT, id, -1);
		}
		t->i++;
		if (c == 'e' && peek(t) != '_')
			return new_node(t, N_E, -1, -1);
		if (c == 'i' && peek(t) != '_')
			return new_node(t, N_I, -1, -1);
		return variable(t, start);
	}
	if (c == '(' || c == '[' || c == '{' || c == '|') {
		int close = c == '(' ? ')' : c == '[' ? ']' : c == '{' ? '}' : '|';
		t->i++;
		id = parse_expr(t);
		if (id < 0)
			return -1;
		c = peek(t);
		if (!(c == close || (close == ')' && c == ']') || (close == ']' && c == ')')))
			return -1;
		t->i++;
		return close == '|' ? new_node(t, N_ABS, id, -1) : id;
	}
	if (c == '\\')
		return parse_command(t);
	return -1;
}

static int parse_postfix(struct tree *t)
{
	int p = parse_primary(t), e;

	while (p >= 0) {
		int c = peek(t);
		if (c == '^') {
			t->i++;
			skip(t);
			if (cmd_is(t, t->i, "circ")) {
				t->i += 5;
				p = new_node(t, N_DEG, p, -1);
				continue;
			}
			e = parse_arg(t);
			if (e < 0)
				return -1;
			p = new_node(t, N_POW, p, e);
		} else if (c == '!') {
			t->i++;
			p = new_node(t, N_FACT, p, -1);
		} else {
			break;
		}
	}
	return p;
}

static int parse_unary(struct tree *t)
{
	int c = peek(t), a;

	if (c == '-' || c == '+') {
		t->i++;
		if (++t->depth > CSG_MAX_DEPTH) {
			t->big = 1;
			return -1;
		}
		a = parse_unary(t);
		t->depth--;
		if (a < 0)
			return -1;
		return c == '-' ? new_node(t, N_NEG, a, -1) : a;
	}
	return parse_postfix(t);
}

static int eat_cmd(struct tree *t, const char *name)
{
	skip(t);
	if (cmd_is(t, t->i, name)) {
		t->i += strlen(name) + 1;
		return 1;
	}
	return 0;
}

static int is_int_literal(const struct tree *t, int id)
{
	const struct node *n = &t->nd[id];

	return n->op == N_NUM && n->ne > n->ns && memchr(t->s + n->ns, '.', n->ne - n->ns) == NULL;
}

static int parse_term(struct tree *t)
{
	int left = parse_unary(t), right, factors = 1;

	while (left >= 0) {
		int c = peek(t), op;
		if (c == '*' || eat_cmd(t, "cdot") || eat_cmd(t, "times")) {
			if (c == '*')
				t->i++;
			op = N_MUL;
		} else if (c == '/' || eat_cmd(t, "div")) {
			if (c == '/')
				t->i++;
			op = N_DIV;
		} else if (starts_factor(t)) {
			right = parse_postfix(t);
			if (right < 0)
				return -1;
			/* A mixed number: 2\frac{1}{2} is 2 + 1/2. */
			if (factors == 1 && is_int_literal(t, left) && t->nd[right].is_frac)
				left = new_node(t, N_ADD, left, right);
			else
				left = new_node(t, N_MUL, left, right);
			factors++;
			continue;
		} else {
			break;
		}
		right = parse_unary(t);
		if (right < 0)
			return -1;
		left = new_node(t, op, left, right);
		factors++;
	}
	return left;
}

static int parse_expr(struct tree *t)
{
	int left, right;

	if (++t->depth > CSG_MAX_DEPTH) {
		t->big = 1;
		return -1;
	}
	left = parse_term(t);
	while (left >= 0) {
		int c = peek(t);
		if (c != '+' && c != '-')
			break;
		t->i++;
		right = parse_term(t);
		if (right < 0)
			return -1;
		left = new_node(t, c == '+' ? N_ADD : N_SUB, left, right);
	}
	t->depth--;
	return left;
}

/* Parses s into t; CSG_OK, CSG_NO (not an expression) or CSG_BIG. */
static int parse(struct tree *t, const char *s)
{
	t->s = s;
	t->n = strlen(s);
	t->i = 0;
	t->count = 0;
	t->depth = 0;
	t->big = 0;
	if (t->n > CSG_MAX_EXPR)
		return CSG_BIG;
	t->root = parse_expr(t);
	if (t->big)
		return CSG_BIG;
	if (t->root < 0 || peek(t) != 0)
		return CSG_NO;
	return CSG_OK;
}

/* ---- evaluation steps ---- */

/* The evaluation steps left to the pair of answers being compared on this thread (csg_expr_budget sets
 * them): every evaluation of every expression comparison of the pair draws from them, so that the time of a
 * pair is bounded whatever the number of its comparisons, points and sum terms. */
static _Thread_local long steps_left = CSG_MAX_STEPS;

void csg_expr_budget(long steps)
{
	steps_left = steps;
}

/* Spends n steps; 1 when the budget is exhausted. */
static int spend(long n)
{
	steps_left -= n;
	return steps_left < 0;
}

static int exhausted(void)
{
	return steps_left < 0;
}

/* Steps of a product of numbers of a and b limbs (about 6 instructions per limb product; a step is about 100
 * instructions, a node evaluated numerically). */
static long mul_steps(size_t a, size_t b)
{
	return (long)(a * b / 16);
}

/* Steps of a gcd of numbers of a and b limbs (quadratic, about 50 instructions per limb product, and slow ones:
 * divisions); linear and counted by the size budgets when one of them has one limb. */
static long gcd_steps(size_t a, size_t b)
{
	return a < 2 || b < 2 ? 0 : (long)(4 + a * b);
}

/* Steps of a op b (N_ADD, N_SUB, N_MUL, N_DIV): on integers their product; on fractions (mpq_add, mpq_sub,
 * mpq_mul, mpq_div) a fixed cost and their products and gcds. */
static long op_steps(int op, const mpq_t a, const mpq_t b)
{
	size_t na = mpz_size(mpq_numref(a)), da = mpz_size(mpq_denref(a));
	size_t nb = mpz_size(mpq_numref(b)), db = mpz_size(mpq_denref(b));
	size_t sum = na + db > nb + da ? na + db : nb + da, den = da < db ? da : db;

	if (op != N_DIV && mpz_cmp_ui(mpq_denref(a), 1) == 0 && mpz_cmp_ui(mpq_denref(b), 1) == 0)
		return op == N_MUL ? mul_steps(na, nb) : 0;
	switch (op) {
	case N_ADD:
	case N_SUB:
		/* the gcd of the denominators, then of the sum of the cross products with it */
		return RATIONAL_STEPS + gcd_steps(da, db) + gcd_steps(sum, den) + mul_steps(na, db) +
		       mul_steps(nb, da) + mul_steps(da, db);
	case N_MUL:
		return RATIONAL_STEPS + gcd_steps(na, db) + gcd_steps(nb, da) + mul_steps(na, nb) + mul_steps(da, db);
	default:
		return RATIONAL_STEPS + gcd_steps(na, nb) + gcd_steps(da, db) + mul_steps(na, db) + mul_steps(da, nb);
	}
}

/* ---- exact evaluation ---- */

static size_t qbits(const mpq_t q)
{
	return mpz_sizeinbase(mpq_numref(q), 2) + mpz_sizeinbase(mpq_denref(q), 2);
}

/* out = out op b for op N_ADD, N_SUB, N_MUL or N_DIV (b not 0); on integers without the gcds of mpq. */
static void rational_op(int op, mpq_t out, const mpq_t b)
{
	int ints = mpz_cmp_ui(mpq_denref(out), 1) == 0 && mpz_cmp_ui(mpq_denref(b), 1) == 0;

	switch (op) {
	case N_ADD:
		if (ints)
			mpz_add(mpq_numref(out), mpq_numref(out), mpq_numref(b));
		else
			mpq_add(out, out, b);
		break;
	case N_SUB:
		if (ints)
			mpz_sub(mpq_numref(out), mpq_numref(out), mpq_numref(b));
		else
			mpq_sub(out, out, b);
		break;
	case N_MUL:
		if (ints)
			mpz_mul(mpq_numref(out), mpq_numref(out), mpq_numref(b));
		else
			mpq_mul(out, out, b);
		break;
	default:
		mpq_div(out, out, b);
		break;
	}
}

static int num_value(const struct tree *t, const struct node *n, mpq_t out)
{
	char buf[512];
	size_t k = 0;
	int places = 0, point = 0;

	if (n->ns == n->ne) {
		mpq_set_ui(out, 10, 1);
		return CSG_OK;
	}
	for (unsigned int j = n->ns; j < n->ne && k < sizeof buf - 1; j++) {
		if (t->s[j] == '.') {
			point = 1;
			continue;
		}
		buf[k++] = t->s[j];
		places += point;
	}
	if (k == 0)
		return CSG_NO;
	buf[k] = '\0';
	if (mpz_set_str(mpq_numref(out), buf, 10) != 0)
		return CSG_NO;
	mpz_ui_pow_ui(mpq_denref(out), 10, (unsigned long)places);
	if (spend(gcd_steps(mpz_size(mpq_numref(out)), mpz_size(mpq_denref(out)))))
		return CSG_BIG;
	mpq_canonicalize(out);
	return CSG_OK;
}

/* Exact integer k-th root of a non-negative z when it exists. */
static int exact_root(mpz_t r, const mpz_t z, unsigned long k)
{
	return mpz_root(r, z, k) != 0;
}

static int eval_q(const struct tree *t, int id, mpq_t out, int depth, long *bits);

/* splitmix64 of x: the deterministic random source of the test points. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* The value of index sym of an enclosing sum or product into *v; 0 when sym is not one. */
static int bound_value(const struct env *env, uint64_t sym, long *v)
{
	for (int k = env->nb - 1; k >= 0; k--) {
		if (env->bsym[k] == sym) {
			*v = env->bval[k];
			return 1;
		}
	}
	return 0;
}

/* Exact value of a variable: its index value inside a sum or product, else at a random point an integer in
 * [2, 30] drawn from its name (positive, so that a sum up to n has n terms); CSG_NO when neither applies. */
static int eval_var_q(const struct tree *t, const struct node *n, mpq_t out, int depth, long *bits)
{
	uint64_t sym = n->sym, z;
	long v;

	if (n->a >= 0) {
		/* A subscripted symbol: the name joined with the exact value of its subscript. */
		int rc = eval_q(t, n->a, out, depth + 1, bits);
		if (rc != CSG_OK)
			return rc;
		if (!mpz_fits_slong_p(mpq_numref(out)) || !mpz_fits_slong_p(mpq_denref(out)))
			return CSG_BIG;
		sym = mix64(sym ^ mix64((uint64_t)mpz_get_si(mpq_numref(out))) ^
			    3 * mix64((uint64_t)mpz_get_si(mpq_denref(out))));
	} else if (bound_value(t->env, sym, &v)) {
		mpq_set_si(out, v, 1);
		return CSG_OK;
	}
	if (t->env->point < 0)
		return CSG_NO;
	z = mix64(sym ^ mix64((uint64_t)t->env->point + 1));
	mpq_set_ui(out, 2 + z % 29, 1);
	return CSG_OK;
}

/* Exact \sum or \prod with integer bounds, its terms counted against the environment's budget. */
static int eval_big_q(const struct tree *t, const struct node *n, mpq_t out, int depth, long *bits)
{
	struct env *env = t->env;
	mpq_t lo, hi, term;
	long a, b;
	int rc;

	mpq_inits(lo, hi, term, NULL);
	rc = eval_q(t, n->a, lo, depth + 1, bits);
	if (rc == CSG_OK)
		rc = eval_q(t, n->b, hi, depth + 1, bits);
	if (rc != CSG_OK)
		goto out;
	if (mpz_cmp_ui(mpq_denref(lo), 1) != 0 || mpz_cmp_ui(mpq_denref(hi), 1) != 0 ||
	    env->nb >= MAX_BOUND) {
		rc = CSG_NO;
		goto out;
	}
	if (!mpz_fits_slong_p(mpq_numref(lo)) || !mpz_fits_slong_p(mpq_numref(hi))) {
		rc = CSG_BIG;
		goto out;
	}
	a = mpz_get_si(mpq_numref(lo));
	b = mpz_get_si(mpq_numref(hi));
	mpq_set_ui(out, n->op == N_SUM ? 0 : 1, 1);
	if (b >= a && (b - a >= env->terms || b - a < 0)) {
		rc = CSG_BIG;
		goto out;
	}
	env->bsym[env->nb] = n->sym;
	env->nb++;
	for (long k = a; k <= b && rc == CSG_OK; k++) {
		env->terms--;
		env->bval[env->nb - 1] = k;
		rc = eval_q(t, n->c, term, depth + 1, bits);
		if (rc != CSG_OK)
			break;
		if (spend(op_steps(n->op == N_SUM ? N_ADD : N_MUL, out, term))) {
			rc = CSG_BIG;
			break;
		}
		rational_op(n->op == N_SUM ? N_ADD : N_MUL, out, term);
		if (qbits(out) > CSG_MAX_BITS)
			rc = CSG_BIG;
	}
	env->nb--;
out:
	mpq_clears(lo, hi, term, NULL);
	return rc;
}

/* a^b exactly, for an integer b within the budget (any integer on the bases 0, 1 and -1, whose powers have no
 * size). 0^0 has no value, like 0 to a negative power: CSG_NO, and 0^0 is recorded in the environment. */
static int eval_pow(const struct tree *t, const struct node *n, mpq_t out, int depth, long *bits)
{
	mpq_t e;
	int rc;
	long ex;

	mpq_init(e);
	rc = eval_q(t, n->a, out, depth + 1, bits);
	if (rc != CSG_OK)
		goto out;
	rc = eval_q(t, n->b, e, depth + 1, bits);
	if (rc != CSG_OK)
		goto out;
	if (mpz_cmp_ui(mpq_denref(e), 1) != 0) {
		rc = CSG_NO;
		goto out;
	}
	if (mpq_sgn(out) == 0 || mpq_cmp_si(out, 1, 1) == 0) {
		if (mpq_sgn(out) == 0 && mpq_sgn(e) < 0) {
			rc = CSG_NO;
		} else if (mpq_sgn(out) == 0 && mpq_sgn(e) == 0) {
			t->env->zero_pow_zero = 1;
			rc = CSG_NO;
		}
		goto out;
	}
	if (mpq_cmp_si(out, -1, 1) == 0) {
		if (mpz_even_p(mpq_numref(e)))
			mpq_set_ui(out, 1, 1);
		goto out;
	}
	if (!mpz_fits_slong_p(mpq_numref(e))) {
		rc = CSG_BIG;
		goto out;
	}
	ex = mpz_get_si(mpq_numref(e));
	if (labs(ex) > CSG_MAX_POWER) {
		rc = CSG_BIG;
		goto out;
	}
	/* log2 of the base, from below; an underestimate is caught by the size check after the power. */
	if ((double)(qbits(out) - 1) * (double)labs(ex) > CSG_MAX_BITS) {
		rc = CSG_BIG;
		goto out;
	}
	{
		/* squarings up to the result's size, about a product of two halves of it */
		size_t half = (size_t)((double)qbits(out) * (double)labs(ex) / 128.0) + 1;
		if (spend(mul_steps(half, half))) {
			rc = CSG_BIG;
			goto out;
		}
	}
	mpz_pow_ui(mpq_numref(out), mpq_numref(out), (unsigned long)labs(ex));
	mpz_pow_ui(mpq_denref(out), mpq_denref(out), (unsigned long)labs(ex));
	if (ex < 0)
		mpq_inv(out, out);
out:
	mpq_clear(e);
	return rc;
}

static int eval_root(const struct tree *t, const struct node *n, mpq_t out, int depth, long *bits)
{
	mpq_t k;
	mpz_t r;
	unsigned long idx = 2;
	int rc, neg = 0;

	mpq_init(k);
	mpz_init(r);
	if (n->b >= 0) {
		rc = eval_q(t, n->b, k, depth + 1, bits);
		if (rc != CSG_OK)
			goto out;
		if (mpz_cmp_ui(mpq_denref(k), 1) != 0 || mpz_cmp_ui(mpq_numref(k), 2) < 0 ||
		    mpz_cmp_ui(mpq_numref(k), 64) > 0) {
			rc = CSG_NO;
			goto out;
		}
		idx = mpz_get_ui(mpq_numref(k));
	}
	rc = eval_q(t, n->a, out, depth + 1, bits);
	if (rc != CSG_OK)
		goto out;
	if (mpq_sgn(out) < 0) {
		if (idx % 2 == 0) {
			rc = CSG_NO;
			goto out;
		}
		neg = 1;
		mpq_neg(out, out);
	}
	/* Newton steps, about a quarter of a square of the operand each side */
	if (spend((mul_steps(mpz_size(mpq_numref(out)), mpz_size(mpq_numref(out))) +
		   mul_steps(mpz_size(mpq_denref(out)), mpz_size(mpq_denref(out)))) / 4)) {
		rc = CSG_BIG;
		goto out;
	}
	if (!exact_root(r, mpq_numref(out), idx)) {
		rc = CSG_NO;
		goto out;
	}
	mpz_set(mpq_numref(out), r);
	if (!exact_root(r, mpq_denref(out), idx)) {
		rc = CSG_NO;
		goto out;
	}
	mpz_set(mpq_denref(out), r);
	if (neg)
		mpq_neg(out, out);
out:
	mpz_clear(r);
	mpq_clear(k);
	return rc;
}

/* A non-negative integer argument that fits an unsigned long, for n! and binomials. */
static int small_int(const mpq_t q, unsigned long *v)
{
	if (mpz_cmp_ui(mpq_denref(q), 1) != 0 || mpq_sgn(q) < 0)
		return CSG_NO;
	if (!mpz_fits_ulong_p(mpq_numref(q)))
		return CSG_BIG;
	*v = mpz_get_ui(mpq_numref(q));
	return CSG_OK;
}

static int eval_log(const struct tree *t, const struct node *n, mpq_t out, int depth, long *bits)
{
	mpq_t base, p;
	int rc;

	mpq_inits(base, p, NULL);
	rc = eval_q(t, n->a, out, depth + 1, bits);
	if (rc != CSG_OK)
		goto out;
	rc = eval_q(t, n->b, base, depth + 1, bits);
	if (rc != CSG_OK)
		goto out;
	rc = CSG_NO;
	if (mpq_sgn(out) <= 0 || mpq_sgn(base) <= 0 || mpq_cmp_ui(base, 1, 1) == 0)
		goto out;
	if (mpq_cmp_ui(out, 1, 1) == 0) {
		mpq_set_ui(out, 0, 1);
		rc = CSG_OK;
		goto out;
	}
	mpq_set(p, base);
	for (long k = 1; k <= 64 && qbits(p) <= 4096; k++) {
		if (mpq_equal(p, out)) {
			mpq_set_si(out, k, 1);
			rc = CSG_OK;
			goto out;
		}
		mpq_inv(p, p);
		if (mpq_equal(p, out)) {
			mpq_set_si(out, -k, 1);
			rc = CSG_OK;
			goto out;
		}
		mpq_inv(p, p);
		if (spend(op_steps(N_MUL, p, base))) {
			rc = CSG_BIG;
			goto out;
		}
		mpq_mul(p, p, base);
	}
out:
	mpq_clears(base, p, NULL);
	return rc;
}

static int eval_q(const struct tree *t, int id, mpq_t out, int depth, long *bits)
{
	const struct node *n = &t->nd[id];
	mpq_t b;
	unsigned long u, v;
	int rc = CSG_OK, two = n->op == N_ADD || n->op == N_SUB || n->op == N_MUL || n->op == N_DIV ||
			      n->op == N_BINOM;
	size_t size;

	if (depth > 4 * CSG_MAX_DEPTH || spend(EXACT_STEPS))
		return CSG_BIG;
	if (two)
		mpq_init(b);
	switch (n->op) {
	case N_NUM:
		rc = num_value(t, n, out);
		break;
	case N_VAR:
		rc = eval_var_q(t, n, out, depth, bits);
		break;
	case N_SUM:
	case N_PROD:
		rc = eval_big_q(t, n, out, depth, bits);
		break;
	case N_ADD:
	case N_SUB:
	case N_MUL:
	case N_DIV:
		rc = eval_q(t, n->a, out, depth + 1, bits);
		if (rc == CSG_OK)
			rc = eval_q(t, n->b, b, depth + 1, bits);
		if (rc != CSG_OK)
			break;
		if (spend(op_steps(n->op, out, b))) {
			rc = CSG_BIG;
			break;
		}
		if (n->op == N_DIV && mpq_sgn(b) == 0)
			rc = CSG_NO;
		else
			rational_op(n->op, out, b);
		break;
	case N_NEG:
		rc = eval_q(t, n->a, out, depth + 1, bits);
		if (rc == CSG_OK)
			mpq_neg(out, out);
		break;
	case N_ABS:
		rc = eval_q(t, n->a, out, depth + 1, bits);
		if (rc == CSG_OK)
			mpq_abs(out, out);
		break;
	case N_POW:
		rc = eval_pow(t, n, out, depth, bits);
		break;
	case N_ROOT:
		rc = eval_root(t, n, out, depth, bits);
		break;
	case N_LOG:
		rc = eval_log(t, n, out, depth, bits);
		break;
	case N_FACT:
		rc = eval_q(t, n->a, out, depth + 1, bits);
		if (rc == CSG_OK)
			rc = small_int(out, &u);
		if (rc != CSG_OK)
			break;
		/* n! has under n log2(n) bits, made by products up to two halves of that */
		if (u > CSG_MAX_FACT || spend(mul_steps(u * 12 / 128 + 1, u * 12 / 128 + 1))) {
			rc = CSG_BIG;
			break;
		}
		mpz_fac_ui(mpq_numref(out), u);
		mpz_set_ui(mpq_denref(out), 1);
		break;
	case N_BINOM:
		rc = eval_q(t, n->a, out, depth + 1, bits);
		if (rc == CSG_OK)
			rc = eval_q(t, n->b, b, depth + 1, bits);
		if (rc == CSG_OK)
			rc = small_int(out, &u);
		if (rc == CSG_OK)
			rc = small_int(b, &v);
		if (rc != CSG_OK)
			break;
		if (v > u) {
			mpq_set_ui(out, 0, 1);
			break;
		}
		if (v > u - v)
			v = u - v;
		if ((double)v * (double)mpz_sizeinbase(mpq_numref(out), 2) > CSG_MAX_BITS ||
		    spend(mul_steps(v * mpz_sizeinbase(mpq_numref(out), 2) / 64 + 1,
				    v * mpz_sizeinbase(mpq_numref(out), 2) / 64 + 1))) {
			rc = CSG_BIG;
			break;
		}
		mpz_bin_uiui(mpq_numref(out), u, v);
		mpz_set_ui(mpq_denref(out), 1);
		break;
	default:
		rc = CSG_NO;
		break;
	}
	if (rc == CSG_OK) {
		size = qbits(out);
		*bits -= (long)size;
		if (size > CSG_MAX_BITS || *bits < 0)
			rc = CSG_BIG;
	}
	if (two)
		mpq_clear(b);
	return rc;
}

/* ---- numeric evaluation ---- */

/* Replaces a negative zero imaginary part by +0, so that square roots and logarithms of negative reals
 * take the principal branch. */
static double complex fix0(double complex z)
{
	if (cimag(z) == 0)
		return creal(z);
	return z;
}

static double point_value(int k, uint64_t sym);
static double complex eval_c(const struct tree *t, int id, int depth);

/* Numeric \sum or \prod: bounds that are integers (to 1e-9), terms counted against the budget; NaN
 * otherwise. */
static double complex eval_big_c(const struct tree *t, const struct node *n, int depth)
{
	struct env *env = t->env;
	double complex lo = eval_c(t, n->a, depth + 1), hi = eval_c(t, n->b, depth + 1), acc;
	double a = round(creal(lo)), b = round(creal(hi));

	if (!isfinite(creal(lo)) || !isfinite(creal(hi)) || cimag(lo) != 0 || cimag(hi) != 0 ||
	    fabs(creal(lo) - a) > 1e-9 || fabs(creal(hi) - b) > 1e-9 ||
	    env->nb >= MAX_BOUND || fabs(a) > 1e15 || fabs(b) > 1e15)
		return NAN;
	acc = n->op == N_SUM ? 0.0 : 1.0;
	if (b >= a && b - a >= (double)env->terms)
		return NAN;
	env->bsym[env->nb] = n->sym;
	env->nb++;
	for (long k = (long)a; k <= (long)b; k++) {
		double complex term;
		env->terms--;
		env->bval[env->nb - 1] = k;
		term = eval_c(t, n->c, depth + 1);
		acc = n->op == N_SUM ? acc + term : fix0(acc * term);
	}
	env->nb--;
	return acc;
}

/* a^b for a negative a: real when b is a fraction with a small odd denominator (x^{2/3} is the square of the
 * real cube root, as \sqrt[3]{x}^2 is), else the principal complex value. */
static double complex real_power(double a, double b)
{
	for (int q = 3; q <= 15; q += 2) {
		double pq = b * q, r = round(pq);
		if (fabs(pq - r) <= 1e-12 * fmax(1.0, fabs(pq)))
			return fmod(fabs(r), 2.0) == 1.0 ? -pow(-a, b) : pow(-a, b);
	}
	return cpow(a, b);
}

/* Numeric value of node id at the environment's point (free variables are NaN without one). */
static double complex eval_c(const struct tree *t, int id, int depth)
{
	const struct node *n = &t->nd[id];
	double complex a, b;
	long v;

	if (depth > 4 * CSG_MAX_DEPTH || spend(n->op == N_FUNC || n->op == N_LOG || n->op == N_POW ||
						   n->op == N_ROOT || n->op == N_FACT || n->op == N_BINOM ? 4 : 1))
		return NAN;
	switch (n->op) {
	case N_NUM:
		if (n->ns == n->ne)
			return 10.0;
		{
			char buf[512];
			size_t l = n->ne - n->ns;
			if (l >= sizeof buf)
				return INFINITY;
			memcpy(buf, t->s + n->ns, l);
			buf[l] = '\0';
			return strtod(buf, NULL);
		}
	case N_VAR:
		if (n->a >= 0) {
			/* A subscripted symbol: the name joined with the value of its subscript, to 1e-6. */
			a = eval_c(t, n->a, depth + 1);
			if (!(fabs(creal(a)) < 1e12 && fabs(cimag(a)) < 1e12))
				return NAN;
			return t->env->point >= 0 ?
				point_value(t->env->point, mix64(n->sym ^ mix64((uint64_t)llround(creal(a) * 1e6)) ^
								 3 * mix64((uint64_t)llround(cimag(a) * 1e6)))) :
				NAN;
		}
		if (bound_value(t->env, n->sym, &v))
			return (double)v;
		return t->env->point >= 0 ? point_value(t->env->point, n->sym) : NAN;
	case N_SUM:
	case N_PROD:
		return eval_big_c(t, n, depth);
	case N_PI:
		return PI_D;
	case N_E:
		return E_D;
	case N_I:
		return I;
	case N_ADD:
		return eval_c(t, n->a, depth + 1) + eval_c(t, n->b, depth + 1);
	case N_SUB:
		return eval_c(t, n->a, depth + 1) - eval_c(t, n->b, depth + 1);
	case N_MUL:
		return fix0(eval_c(t, n->a, depth + 1) * eval_c(t, n->b, depth + 1));
	case N_DIV:
		return fix0(eval_c(t, n->a, depth + 1) / eval_c(t, n->b, depth + 1));
	case N_NEG:
		return fix0(-eval_c(t, n->a, depth + 1));
	case N_ABS:
		return cabs(eval_c(t, n->a, depth + 1));
	case N_DEG:
		return eval_c(t, n->a, depth + 1) * (PI_D / 180.0);
	case N_POW:
		a = eval_c(t, n->a, depth + 1);
		b = eval_c(t, n->b, depth + 1);
		if (a == 0 && b == 0) {
			t->env->zero_pow_zero = 1;
			return NAN;
		}
		if (cimag(a) == 0 && cimag(b) == 0 && (creal(a) >= 0 || creal(b) == floor(creal(b))))
			return pow(creal(a), creal(b));
		if (cimag(a) == 0 && cimag(b) == 0)
			return real_power(creal(a), creal(b));
		return cpow(a, b);
	case N_ROOT:
		a = eval_c(t, n->a, depth + 1);
		b = n->b >= 0 ? eval_c(t, n->b, depth + 1) : 2.0;
		if (cimag(a) == 0 && cimag(b) == 0 && creal(a) < 0 && fmod(creal(b), 2.0) == 1.0)
			return -pow(-creal(a), 1.0 / creal(b));
		if (cimag(a) == 0 && creal(a) >= 0 && cimag(b) == 0)
			return pow(creal(a), 1.0 / creal(b));
		return creal(b) == 2.0 ? csqrt(a) : cpow(a, 1.0 / b);
	case N_LOG:
		a = eval_c(t, n->a, depth + 1);
		b = eval_c(t, n->b, depth + 1);
		return clog(a) / clog(b);
	case N_FACT:
		a = eval_c(t, n->a, depth + 1);
		return tgamma(creal(a) + 1.0);
	case N_BINOM:
		a = eval_c(t, n->a, depth + 1);
		b = eval_c(t, n->b, depth + 1);
		return exp(lgamma(creal(a) + 1) - lgamma(creal(b) + 1) - lgamma(creal(a) - creal(b) + 1));
	case N_FUNC:
		a = eval_c(t, n->a, depth + 1);
		switch (n->fn) {
		case F_SIN: return csin(a);
		case F_COS: return ccos(a);
		case F_TAN: return ctan(a);
		case F_SEC: return 1.0 / ccos(a);
		case F_CSC: return 1.0 / csin(a);
		case F_COT: return 1.0 / ctan(a);
		case F_ASIN: return casin(a);
		case F_ACOS: return cacos(a);
		case F_ATAN: return catan(a);
		case F_SINH: return csinh(a);
		case F_COSH: return ccosh(a);
		case F_TANH: return ctanh(a);
		case F_LN: return clog(a);
		case F_EXP: return cexp(a);
		default: return NAN;
		}
	default:
		return NAN;
	}
}

/* Whether t has a variable. */
static int has_vars(const struct tree *t)
{
	for (int k = 0; k < t->count; k++)
		if (t->nd[k].op == N_VAR)
			return 1;
	return 0;
}

/* Deterministic value of the variable named sym at point k, drawn from both, in (-2.5, -0.5] or [0.5, 2.5):
 * negative values too, so that |x| and \sqrt{x^2} are not taken for x. */
static double point_value(int k, uint64_t sym)
{
	uint64_t z = mix64(0x5EEDC05EULL + sym * 0x9E3779B97F4A7C15ULL + (uint64_t)k);
	double v = 0.5 + 2.0 * (double)(z >> 11) * (1.0 / 9007199254740992.0);

	return (z & 1) ? -v : v;
}

static int close_enough(double complex x, double complex y)
{
	double d = cabs(x - y), m = fmax(cabs(x), cabs(y));

	return d <= 1e-10 * m || d <= 1e-13;
}

static int finite_c(double complex z)
{
	return isfinite(creal(z)) && isfinite(cimag(z));
}

/* Whether the tree is one decimal literal written with a point (possibly negated). */
static int bare_decimal(const struct tree *t)
{
	const struct node *n = &t->nd[t->root];

	if (n->op == N_NEG)
		n = &t->nd[n->a];
	return n->op == N_NUM && n->ne > n->ns && memchr(t->s + n->ns, '.', n->ne - n->ns) != NULL;
}

/* Whether the bare decimal of t has at most 8 significant digits. */
static int short_decimal(const struct tree *t)
{
	const struct node *n = &t->nd[t->root];
	int sig = 0, nonzero = 0;

	if (n->op == N_NEG)
		n = &t->nd[n->a];
	for (unsigned int j = n->ns; j < n->ne; j++) {
		if (t->s[j] == '.')
			continue;
		if (t->s[j] != '0')
			nonzero = 1;
		sig += nonzero;
	}
	return sig <= 8;
}

/* Compares ta and tb exactly at NPOINTS integer points. CSG_OK with *equal set when every point evaluated on
 * both sides; CSG_NO when one did not (a function without an exact value, a budget, 0^0: then *zero_pow_zero
 * is set). */
static int exact_points(struct tree *ta, struct tree *tb, int *equal, int *zero_pow_zero)
{
	struct env env;
	mpq_t qa, qb;
	int rc = CSG_OK;

	mpq_inits(qa, qb, NULL);
	*equal = 1;
	for (int k = 0; k < NPOINTS && rc == CSG_OK && *equal; k++) {
		long bits = CSG_MAX_QWORK;
		memset(&env, 0, sizeof env);
		env.point = k;
		env.terms = MAX_SUM_TERMS;
		ta->env = tb->env = &env;
		rc = eval_q(ta, ta->root, qa, 0, &bits);
		if (rc == CSG_OK)
			rc = eval_q(tb, tb->root, qb, 0, &bits);
		if (rc == CSG_OK)
			*equal = mpq_equal(qa, qb);
		*zero_pow_zero |= env.zero_pow_zero;
	}
	if (rc != CSG_OK)
		rc = CSG_NO;
	mpq_clears(qa, qb, NULL);
	return rc;
}

/* The outcome of a pair that a side without a value (0^0) leaves undecided: not equal, and the reason says
 * why instead of claiming a difference. */
static void undefined_pair(int *equal, const char **reason)
{
	*equal = 0;
	*reason = CSG_REASON_ZERO_POW_ZERO;
}

int csg_expr_compare(const char *a, const char *b, int *equal, const char **reason)
{
	struct tree ta, tb;
	struct env env;
	mpq_t qa, qb;
	int rc, ra, rb, vars, compared = 0, differ = 0, unmatched = 0, exact_equal;
	long bits = CSG_MAX_QWORK;

	*equal = 0;
	mpq_inits(qa, qb, NULL);
	memset(&env, 0, sizeof env);
	env.point = -1;
	env.terms = MAX_SUM_TERMS;
	ta.env = tb.env = &env;
	rc = parse(&ta, a);
	if (rc == CSG_OK)
		rc = parse(&tb, b);
	if (rc != CSG_OK)
		goto out;
	ra = eval_q(&ta, ta.root, qa, 0, &bits);
	rb = eval_q(&tb, tb.root, qb, 0, &bits);
	if (ra == CSG_BIG || rb == CSG_BIG) {
		rc = CSG_BIG;
		goto out;
	}
	if (ra == CSG_OK && rb == CSG_OK) {
		*equal = mpq_equal(qa, qb);
		*reason = *equal ? "equal values" : "different values";
		goto out;
	}
	/* 0^0 has no value: a side whose value needs it is not compared (evaluation is strict, so a constant 0^0
	 * that was evaluated leaves its side without a value at every point). */
	if (env.zero_pow_zero) {
		undefined_pair(equal, reason);
		goto out;
	}
	env.terms = MAX_SUM_TERMS;
	if ((ra == CSG_OK && bare_decimal(&ta)) || (rb == CSG_OK && bare_decimal(&tb))) {
		/* A decimal never stands for an irrational: it is equal only to a value that it is exactly (such as
		 * sin 30 degrees = 0.5), which a short decimal matching to 12 digits is taken to be. */
		const struct tree *dt = ra == CSG_OK ? &ta : &tb, *ot = ra == CSG_OK ? &tb : &ta;
		double complex x = eval_c(dt, dt->root, 0), y = eval_c(ot, ot->root, 0);
		if (exhausted()) {
			rc = CSG_BIG;
			goto out;
		}
		if (env.zero_pow_zero) {
			undefined_pair(equal, reason);
			goto out;
		}
		*equal = short_decimal(dt) && finite_c(y) && cabs(x - y) <= 1e-12 * cabs(x);
		*reason = *equal ? "equal values (numeric)" : "a decimal does not stand for an irrational";
		goto out;
	}
	vars = has_vars(&ta) || has_vars(&tb);
	/* Numerically at seeded random points; a point where a side does not evaluate to a finite number (an
	 * overflow, a pole) shows nothing and is left out. */
	for (int k = 0; k < (vars ? NPOINTS : 1); k++) {
		double complex x, y;
		env.point = k;
		env.terms = MAX_SUM_TERMS;
		x = eval_c(&ta, ta.root, 0);
		env.terms = MAX_SUM_TERMS;
		y = eval_c(&tb, tb.root, 0);
		if (exhausted()) {
			/* a value computed after the steps ran out is not one */
			rc = CSG_BIG;
			goto out;
		}
		if (!finite_c(x) || !finite_c(y)) {
			unmatched += finite_c(x) != finite_c(y);
			continue;
		}
		compared++;
		if (!close_enough(x, y)) {
			differ = 1;
			break;
		}
	}
	if (differ) {
		*reason = vars ? "expressions differ at a random point" : "different values";
		goto out;
	}
	if (env.zero_pow_zero) {
		undefined_pair(equal, reason);
		goto out;
	}
	if (compared > 0 && unmatched == 0) {
		*equal = 1;
		*reason = vars ? "expressions agree at 5 random points" : "equal values (numeric)";
		goto out;
	}
	/* No point decided it: exactly, at integer points, where both sides have exact values there. */
	if (vars && exact_points(&ta, &tb, &exact_equal, &env.zero_pow_zero) == CSG_OK) {
		*equal = exact_equal;
		*reason = exact_equal ? "expressions agree exactly at 5 random points" :
					"expressions differ exactly at a random point";
		goto out;
	}
	if (exhausted()) {
		rc = CSG_BIG;
		goto out;
	}
	if (env.zero_pow_zero) {
		undefined_pair(equal, reason);
		goto out;
	}
	if (compared == 0) {
		/* Never claim a difference that was not observed. */
		rc = CSG_BIG;
		goto out;
	}
	*reason = vars ? "expressions differ at a random point" : "different values";
out:
	mpq_clears(qa, qb, NULL);
	return rc;
}
