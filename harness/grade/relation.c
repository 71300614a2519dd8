/* Relations in answers: inequalities as sets of reals, equations by solution set, labelled values as label -> value maps. */
#include "grade/grade_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MEMBERS 4     /* members of one chain "a < x < b" */
#define MAX_PIECES  16    /* intervals of one inequality answer */
#define MAX_ENDS    (2 * MAX_PIECES + 4)
#define MAX_KEY     64    /* bytes of one canonical label */
#define MAX_DIGITS  60    /* digits of one number read by the linear parser */
#define MAX_VARS    25    /* distinct unknowns of a pair of equations */

/* Relation operators. */
enum rop { OP_NONE, OP_EQ, OP_LT, OP_GT, OP_LE, OP_GE, OP_NE, OP_IN };

/* Kinds of answers, as far as relations go. */
enum rkind { RK_PLAIN, RK_INEQ, RK_EQN, RK_LABELLED, RK_MAPS, RK_OTHER };

struct span {
	const char *s;
	size_t n;
};

/* One item of an answer: members joined by relation operators ("a", "x<5", "-2\le x\le 7"). */
struct chain {
	int count;
	struct span m[MAX_MEMBERS];
	int op[MAX_MEMBERS - 1];
};

/* An answer split at top-level ";" (groups) and "," (items). */
struct items {
	int count;
	struct span it[CSG_MAX_ELEMS];
	int group[CSG_MAX_ELEMS];
	struct chain ch[CSG_MAX_ELEMS];
	int relational;   /* some item has a relation operator */
};

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

/* A list of solutions, each a list of label = value pairs in written order. */
struct maps {
	int nsol;
	int first[CSG_MAX_ELEMS];   /* first pair of each solution */
	int npairs;
	struct span label[CSG_MAX_ELEMS];
	struct span value[CSG_MAX_ELEMS];
};

static const char *const greek_names[] = {
	"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
	"kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
	"omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", NULL
};

/* ---- scanning ---- */

static int name_in(const char *const *tab, const char *s, size_t l)
{
	for (int k = 0; tab[k] != NULL; k++)
		if (strlen(tab[k]) == l && memcmp(tab[k], s, l) == 0)
			return 1;
	return 0;
}

/* Length of the command name after the backslash at s[i] (0 for an escaped character such as \{). */
static size_t cmd_name_len(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && isalpha((unsigned char)s[j]))
		j++;
	return j - i - 1;
}

static int cmd_is(const char *s, size_t n, size_t i, const char *name)
{
	size_t l = strlen(name);

	return i < n && s[i] == '\\' && cmd_name_len(s, n, i) == l && memcmp(s + i + 1, name, l) == 0;
}

/* The relation operator at s[i] (outside brackets), its length in *len; OP_NONE when there is none. */
static int rel_at(const char *s, size_t n, size_t i, size_t *len)
{
	static const struct { const char *name; int op; } cmds[] = {
		{ "le", OP_LE }, { "leq", OP_LE }, { "leqslant", OP_LE }, { "leqq", OP_LE }, { "lt", OP_LT },
		{ "ge", OP_GE }, { "geq", OP_GE }, { "geqslant", OP_GE }, { "geqq", OP_GE }, { "gt", OP_GT },
		{ "ne", OP_NE }, { "neq", OP_NE }, { "in", OP_IN }, { NULL, 0 }
	};
	const unsigned char *u = (const unsigned char *)s + i;

	*len = 1;
	if (s[i] == '<' || s[i] == '>') {
		int eq = i + 1 < n && s[i + 1] == '=';
		*len = eq ? 2 : 1;
		return s[i] == '<' ? (eq ? OP_LE : OP_LT) : (eq ? OP_GE : OP_GT);
	}
	if (s[i] == '!' && i + 1 < n && s[i + 1] == '=') {
		*len = 2;
		return OP_NE;
	}
	if (s[i] == '=')
		return OP_EQ;
	if (n - i >= 3 && u[0] == 0xe2 && u[1] == 0x89 && (u[2] == 0xa4 || u[2] == 0xa5 || u[2] == 0xa0)) {
		*len = 3;
		return u[2] == 0xa4 ? OP_LE : u[2] == 0xa5 ? OP_GE : OP_NE;
	}
	if (s[i] == '\\') {
		size_t l = cmd_name_len(s, n, i);
		for (int k = 0; cmds[k].name != NULL; k++)
			if (strlen(cmds[k].name) == l && memcmp(s + i + 1, cmds[k].name, l) == 0) {
				*len = l + 1;
				return cmds[k].op;
			}
	}
	return OP_NONE;
}

/* Steps the top-level scan over s[*i]: updates *depth for brackets (also \{ \}) and skips whole commands.
 * Returns 1 when s[*i] is at depth 0 and may be a separator or an operator, 0 when it was consumed. */
static int top_step(const char *s, size_t n, size_t *i, int *depth)
{
	char c = s[*i];

	if (c == '\\' && *i + 1 < n) {
		size_t l = cmd_name_len(s, n, *i);
		if (l == 0) {
			if (s[*i + 1] == '{')
				(*depth)++;
			else if (s[*i + 1] == '}')
				(*depth)--;
			*i += 2;
			return 0;
		}
		if (*depth == 0) {
			size_t ol;
			if (rel_at(s, n, *i, &ol) != OP_NONE)
				return 1;
		}
		*i += l + 1;
		return 0;
	}
	if (c == '(' || c == '[' || c == '{') {
		(*depth)++;
		(*i)++;
		return 0;
	}
	if (c == ')' || c == ']' || c == '}') {
		(*depth)--;
		(*i)++;
		return 0;
	}
	if (*depth != 0) {
		(*i)++;
		return 0;
	}
	return 1;
}

static struct span trimmed(const char *s, size_t n)
{
	struct span sp;

	while (n > 0 && (*s == ' ' || *s == '~')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '~'))
		n--;
	sp.s = s;
	sp.n = n;
	return sp;
}

/* Splits s[0..n) into members and top-level relation operators. CSG_OK, or CSG_NO when there are too many. */
static int parse_chain(const char *s, size_t n, struct chain *c)
{
	size_t i = 0, start = 0, len;
	int depth = 0, op;

	c->count = 0;
	while (i < n) {
		if (!top_step(s, n, &i, &depth))
			continue;
		op = rel_at(s, n, i, &len);
		if (op == OP_NONE) {
			i++;
			continue;
		}
		if (c->count >= MAX_MEMBERS - 1)
			return CSG_NO;
		c->m[c->count] = trimmed(s + start, i - start);
		c->op[c->count] = op;
		c->count++;
		i += len;
		start = i;
	}
	c->m[c->count] = trimmed(s + start, n - start);
	c->count++;
	for (int k = 0; k < c->count; k++)
		if (c->m[k].n == 0 && c->count > 1)
			return CSG_NO;
	return CSG_OK;
}

/* Splits s[0..n) at top-level ";" and "," into it (empty items, as left by "and" turned into a comma, are
 * dropped), and each item into its chain. CSG_OK, CSG_NO (unbalanced or a chain too long), CSG_BIG. */
static int parse_items(const char *s, size_t n, struct items *it)
{
	size_t i = 0, start = 0;
	int depth = 0, group = 0, rc;

	it->count = 0;
	it->relational = 0;
	for (;;) {
		int at_end = i >= n;
		if (!at_end && !top_step(s, n, &i, &depth)) {
			if (depth < 0)
				return CSG_NO;
			continue;
		}
		if (at_end || s[i] == ',' || s[i] == ';') {
			struct span sp = trimmed(s + start, (at_end ? n : i) - start);
			if (sp.n > 0) {
				if (it->count >= CSG_MAX_ELEMS)
					return CSG_BIG;
				it->it[it->count] = sp;
				it->group[it->count] = group;
				rc = parse_chain(sp.s, sp.n, &it->ch[it->count]);
				if (rc != CSG_OK)
					return rc;
				if (it->ch[it->count].count > 1)
					it->relational = 1;
				it->count++;
			}
			if (at_end)
				break;
			if (s[i] == ';')
				group++;
			start = i + 1;
		}
		i++;
	}
	return depth == 0 ? CSG_OK : CSG_NO;
}

/* ---- labels ---- */

struct lscan {
	const char *s;
	size_t n, i;
	int depth;
};

static void lskip(struct lscan *l)
{
	while (l->i < l->n && (l->s[l->i] == ' ' || l->s[l->i] == '~'))
		l->i++;
}

static int scan_label(struct lscan *l);

/* Reads "{label}" at the cursor. */
static int scan_braced_label(struct lscan *l)
{
	lskip(l);
	if (l->i >= l->n || l->s[l->i] != '{')
		return 0;
	l->i++;
	if (!scan_label(l))
		return 0;
	lskip(l);
	if (l->i >= l->n || l->s[l->i] != '}')
		return 0;
	l->i++;
	return 1;
}

/* Skips a balanced {...} at the cursor; 0 when there is none or it does not close. */
static int skip_braces(struct lscan *l)
{
	int depth = 0;

	if (l->i >= l->n || l->s[l->i] != '{')
		return 0;
	while (l->i < l->n) {
		if (l->s[l->i] == '{')
			depth++;
		else if (l->s[l->i] == '}' && --depth == 0) {
			l->i++;
			return 1;
		}
		l->i++;
	}
	return 0;
}

/* One factor of a label: a letter or Greek letter with an optional subscript and primes, \text{word},
 * |label|, (label, ...), \frac{label}{label}, \overline{label} and the like, \angle or \triangle before a
 * factor. */
static int scan_factor(struct lscan *l)
{
	static const char *const accents[] = { "overline", "vec", "overrightarrow", "hat", "bar", "widehat",
					       "tilde", NULL };
	char c;

	lskip(l);
	if (l->i >= l->n)
		return 0;
	c = l->s[l->i];
	if (c == '|') {
		l->i++;
		if (!scan_label(l))
			return 0;
		lskip(l);
		if (l->i >= l->n || l->s[l->i] != '|')
			return 0;
		l->i++;
		return 1;
	}
	if (c == '(') {
		l->i++;
		do {
			if (!scan_label(l))
				return 0;
			lskip(l);
		} while (l->i < l->n && l->s[l->i] == ',' && l->i++);
		if (l->i >= l->n || l->s[l->i] != ')')
			return 0;
		l->i++;
		return 1;
	}
	if (c == '\\') {
		size_t len = cmd_name_len(l->s, l->n, l->i);
		const char *name = l->s + l->i + 1;
		if (len == 4 && memcmp(name, "frac", 4) == 0) {
			l->i += 5;
			return scan_braced_label(l) && scan_braced_label(l);
		}
		if (name_in(accents, name, len)) {
			l->i += len + 1;
			return scan_braced_label(l);
		}
		if ((len == 5 && memcmp(name, "angle", 5) == 0) || (len == 8 && memcmp(name, "triangle", 8) == 0)) {
			l->i += len + 1;
			return scan_factor(l);
		}
		if (len == 4 && memcmp(name, "text", 4) == 0) {
			size_t at;
			l->i += 5;
			at = l->i;
			if (at >= l->n || l->s[at] != '{' || !skip_braces(l))
				return 0;
			for (size_t j = at + 1; j + 1 < l->i; j++)
				if (!isalpha((unsigned char)l->s[j]) && l->s[j] != ' ')
					return 0;
		} else if (name_in(greek_names, name, len)) {
			l->i += len + 1;
		} else {
			return 0;
		}
	} else if (isalpha((unsigned char)c)) {
		l->i++;
	} else {
		return 0;
	}
	if (l->i + 1 < l->n && l->s[l->i] == '_') {
		l->i++;
		if (l->s[l->i] == '{') {
			if (!skip_braces(l))
				return 0;
		} else if (isalnum((unsigned char)l->s[l->i])) {
			l->i++;
		} else {
			return 0;
		}
	}
	while (l->i < l->n && l->s[l->i] == '\'')
		l->i++;
	return 1;
}

/* label := product ((":" | "/") product)*, product := factor factor* (juxtaposed). */
static int scan_label(struct lscan *l)
{
	int ok = 0;

	if (++l->depth > CSG_MAX_DEPTH)
		goto out;
	for (;;) {
		if (!scan_factor(l))
			goto out;
		for (;;) {
			size_t save = l->i;
			lskip(l);
			if (l->i < l->n && (isalpha((unsigned char)l->s[l->i]) || l->s[l->i] == '\\' ||
					    l->s[l->i] == '(') && scan_factor(l))
				continue;
			l->i = save;
			break;
		}
		lskip(l);
		if (l->i < l->n && (l->s[l->i] == ':' || l->s[l->i] == '/')) {
			l->i++;
			continue;
		}
		break;
	}
	ok = 1;
out:
	l->depth--;
	return ok;
}

int csg_is_label(const char *s, size_t n)
{
	struct lscan l = { s, n, 0, 0 };

	if (!scan_label(&l))
		return 0;
	lskip(&l);
	return l.i == n;
}

/* Whether s[0..n) is a function applied to labels, such as f(x) or P(A, B). */
static int is_application(const char *s, size_t n)
{
	struct lscan l = { s, n, 0, 0 };

	if (n < 4 || s[n - 1] != ')' || !scan_factor(&l) || l.i >= n || s[l.i] != '(')
		return 0;
	return csg_is_label(s, n);
}

/* Writes the canonical key of label s[0..n) into key (MAX_KEY bytes): spaces dropped, the braces of a
 * one-character subscript dropped (a_{3} is a_3; a_{37} keeps its braces, as a_37 is a_3 times 7). Returns 0
 * when it does not fit. */
static int label_key(const char *s, size_t n, char *key)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '~')
			continue;
		if (s[i] == '{' && i > 0 && s[i - 1] == '_' && i + 2 < n && s[i + 2] == '}' && s[i + 1] != ' ') {
			if (k + 1 >= MAX_KEY)
				return 0;
			key[k++] = s[i + 1];
			i += 2;
			continue;
		}
		if (k + 1 >= MAX_KEY)
			return 0;
		key[k++] = s[i];
	}
	key[k] = '\0';
	return 1;
}

static int same_label(struct span a, struct span b)
{
	char ka[MAX_KEY], kb[MAX_KEY];

	return label_key(a.s, a.n, ka) && label_key(b.s, b.n, kb) && strcmp(ka, kb) == 0;
}

int csg_has_unknown(const char *s, size_t n)
{
	static const char *const wrappers[] = { "text", "mathbb", "operatorname", "mbox", NULL };

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\') {
			size_t l = cmd_name_len(s, n, i);
			if (l == 0) {
				i++;
				continue;
			}
			if (name_in(greek_names, s + i + 1, l))
				return 1;
			i += l;
			if (name_in(wrappers, s + i - l + 1, l) && i + 1 < n && s[i + 1] == '{') {
				struct lscan sc = { s, n, i + 1, 0 };
				if (!skip_braces(&sc))
					return 1;
				i = sc.i - 1;
			}
			continue;
		}
		if (isalpha((unsigned char)s[i]))
			return 1;
	}
	return 0;
}

/* ---- linear forms a*v + b with exact rational coefficients, in one unknown v ---- */

struct lin {
	const char *s;
	size_t n, i;
	int depth;
	struct span var;   /* the unknown, once seen */
};

static void lin_skip(struct lin *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '~'))
		p->i++;
}

static int lin_expr(struct lin *p, mpq_t a, mpq_t b);

/* Whether a product of two linear forms, or a quotient, stays within the bit budget. */
static int lin_small(const mpq_t a, const mpq_t b)
{
	return mpz_sizeinbase(mpq_numref(a), 2) + mpz_sizeinbase(mpq_denref(a), 2) +
	       mpz_sizeinbase(mpq_numref(b), 2) + mpz_sizeinbase(mpq_denref(b), 2) < 4096;
}

/* Reads an unknown at the cursor (a letter other than e and i, or a Greek letter, with a subscript). */
static int lin_var(struct lin *p)
{
	size_t start = p->i;
	struct lscan l = { p->s, p->n, p->i, 0 };
	char c = p->s[p->i];

	if (c == '\\') {
		size_t len = cmd_name_len(p->s, p->n, p->i);
		if (!name_in(greek_names, p->s + p->i + 1, len))
			return 0;
		l.i += len + 1;
	} else if (isalpha((unsigned char)c) && c != 'e' && c != 'i') {
		l.i++;
	} else {
		return 0;
	}
	if (l.i + 1 < l.n && l.s[l.i] == '_') {
		l.i++;
		if (l.s[l.i] == '{') {
			if (!skip_braces(&l))
				return 0;
		} else if (isalnum((unsigned char)l.s[l.i])) {
			l.i++;
		} else {
			return 0;
		}
	}
	p->i = l.i;
	if (p->var.n == 0) {
		p->var.s = p->s + start;
		p->var.n = p->i - start;
		return 1;
	}
	return p->var.n == p->i - start && memcmp(p->var.s, p->s + start, p->var.n) == 0;
}

static int lin_number(struct lin *p, mpq_t b)
{
	char buf[MAX_DIGITS + 1];
	size_t k = 0, places = 0;
	int point = 0;

	while (p->i < p->n && (isdigit((unsigned char)p->s[p->i]) || (p->s[p->i] == '.' && !point))) {
		if (p->s[p->i] == '.') {
			point = 1;
		} else {
			if (k >= MAX_DIGITS)
				return 0;
			buf[k++] = p->s[p->i];
			places += point;
		}
		p->i++;
	}
	if (k == 0)
		return 0;
	buf[k] = '\0';
	if (mpz_set_str(mpq_numref(b), buf, 10) != 0)
		return 0;
	mpz_ui_pow_ui(mpq_denref(b), 10, (unsigned long)places);
	mpq_canonicalize(b);
	return 1;
}

static int lin_factor(struct lin *p, mpq_t a, mpq_t b)
{
	char c;

	lin_skip(p);
	if (p->i >= p->n)
		return 0;
	c = p->s[p->i];
	mpq_set_ui(a, 0, 1);
	mpq_set_ui(b, 0, 1);
	if (isdigit((unsigned char)c) || c == '.')
		return lin_number(p, b);
	if (c == '-' || c == '+') {
		p->i++;
		if (!lin_factor(p, a, b))
			return 0;
		if (c == '-') {
			mpq_neg(a, a);
			mpq_neg(b, b);
		}
		return 1;
	}
	if (c == '(' || c == '{') {
		char close = c == '(' ? ')' : '}';
		p->i++;
		if (!lin_expr(p, a, b))
			return 0;
		lin_skip(p);
		if (p->i >= p->n || p->s[p->i] != close)
			return 0;
		p->i++;
		return 1;
	}
	if (cmd_is(p->s, p->n, p->i, "frac")) {
		mpq_t a2, b2;
		int ok;
		p->i += 5;
		mpq_inits(a2, b2, NULL);
		lin_skip(p);
		ok = p->i < p->n && p->s[p->i] == '{' && lin_factor(p, a, b);
		lin_skip(p);
		ok = ok && p->i < p->n && p->s[p->i] == '{' && lin_factor(p, a2, b2);
		ok = ok && mpq_sgn(a2) == 0 && mpq_sgn(b2) != 0 && lin_small(a, b2) && lin_small(b, b2);
		if (ok) {
			mpq_div(a, a, b2);
			mpq_div(b, b, b2);
		}
		mpq_clears(a2, b2, NULL);
		return ok;
	}
	if (lin_var(p)) {
		mpq_set_ui(a, 1, 1);
		return 1;
	}
	return 0;
}

/* Whether the cursor starts a factor multiplied implicitly ("2x", "\frac{1}{2}x", "3(x+1)"). */
static int lin_starts_factor(struct lin *p)
{
	char c;

	lin_skip(p);
	if (p->i >= p->n)
		return 0;
	c = p->s[p->i];
	if (isalpha((unsigned char)c) || c == '(' || c == '{')
		return 1;
	return c == '\\' && (cmd_is(p->s, p->n, p->i, "frac") ||
			     name_in(greek_names, p->s + p->i + 1, cmd_name_len(p->s, p->n, p->i)));
}

static int lin_term(struct lin *p, mpq_t a, mpq_t b)
{
	mpq_t a2, b2, t;
	int ok = 0, div;

	mpq_inits(a2, b2, t, NULL);
	if (!lin_factor(p, a, b))
		goto out;
	for (;;) {
		lin_skip(p);
		div = 0;
		if (p->i < p->n && p->s[p->i] == '*') {
			p->i++;
		} else if (cmd_is(p->s, p->n, p->i, "cdot") || cmd_is(p->s, p->n, p->i, "times")) {
			p->i += cmd_name_len(p->s, p->n, p->i) + 1;
		} else if (p->i < p->n && p->s[p->i] == '/') {
			p->i++;
			div = 1;
		} else if (!lin_starts_factor(p)) {
			break;
		}
		if (!lin_factor(p, a2, b2) || !lin_small(a, b2) || !lin_small(b, a2))
			goto out;
		if (div) {
			if (mpq_sgn(a2) != 0 || mpq_sgn(b2) == 0)
				goto out;
			mpq_div(a, a, b2);
			mpq_div(b, b, b2);
			continue;
		}
		if (mpq_sgn(a) != 0 && mpq_sgn(a2) != 0)
			goto out;
		/* (a v + b)(a2 v + b2) = (a b2 + a2 b) v + b b2 */
		mpq_mul(t, a, b2);
		mpq_mul(a, a2, b);
		mpq_add(a, a, t);
		mpq_mul(b, b, b2);
	}
	ok = 1;
out:
	mpq_clears(a2, b2, t, NULL);
	return ok;
}

static int lin_expr(struct lin *p, mpq_t a, mpq_t b)
{
	mpq_t a2, b2;
	int ok = 0;

	mpq_inits(a2, b2, NULL);
	if (++p->depth > CSG_MAX_DEPTH)
		goto out;
	if (!lin_term(p, a, b))
		goto out;
	for (;;) {
		char c;
		lin_skip(p);
		if (p->i >= p->n || (p->s[p->i] != '+' && p->s[p->i] != '-'))
			break;
		c = p->s[p->i++];
		if (!lin_term(p, a2, b2))
			goto out;
		if (c == '+') {
			mpq_add(a, a, a2);
			mpq_add(b, b, b2);
		} else {
			mpq_sub(a, a, a2);
			mpq_sub(b, b, b2);
		}
	}
	ok = 1;
out:
	p->depth--;
	mpq_clears(a2, b2, NULL);
	return ok;
}

/* Reads s[0..n) as a*v + b; *var is the unknown (length 0 when there is none). Returns 1 when it is one. */
static int linear(const char *s, size_t n, mpq_t a, mpq_t b, struct span *var)
{
	struct lin p = { s, n, 0, 0, { NULL, 0 } };

	if (!lin_expr(&p, a, b))
		return 0;
	lin_skip(&p);
	*var = p.var;
	return p.i == n;
}

/* ---- sets of reals ---- */

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
	struct span var, t = trimmed(s, n);
	int rc = CSG_OK;

	mpq_inits(a, b, NULL);
	if ((t.n == 6 && memcmp(t.s, "\\infty", 6) == 0) || (t.n == 7 && memcmp(t.s, "+\\infty", 7) == 0)) {
		*k = add_end(st, 1, NULL, 0, NULL, &rc);
	} else if (t.n == 7 && memcmp(t.s, "-\\infty", 7) == 0) {
		*k = add_end(st, -1, NULL, 0, NULL, &rc);
	} else if (t.n == 0 || csg_has_unknown(t.s, t.n)) {
		rc = CSG_NO;
	} else if (linear(t.s, t.n, a, b, &var) && var.n == 0) {
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
		if (i < n && !(depth == 0 && cmd_is(s, n, i, "cup"))) {
			if (top_step(s, n, &i, &depth))
				i++;
			continue;
		}
		p = trimmed(s + start, i - start);
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
				if (top_step(p.s, p.n - 1, &j, &d)) {
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
	if (linear(c.s, c.n, ca, cb, &var) && var.n == 0) {
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

	if (!label_key(subj.s, subj.n, key))
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
	if (is_application(subj.s, subj.n)) {
		mpq_set_ui(a, 1, 1);
		mpq_set_ui(b, 0, 1);
		var = subj;
	} else if (!linear(subj.s, subj.n, a, b, &var) || var.n == 0 || mpq_sgn(a) == 0) {
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

/* ---- equations ---- */

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
		if ((c == '\\' && cmd_name_len(s, n, i) > 0 && !name_in(greek_names, s + i + 1, cmd_name_len(s, n, i))) ||
		    (c == '\\' && cmd_name_len(s, n, i) == 0)) {
			size_t l = cmd_name_len(s, n, i);
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
		if ((c == '\\' || isalpha((unsigned char)c)) && lin_var(&p)) {
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

/* Whether s[0..n) contains the text needle. */
static int span_has(const char *s, size_t n, const char *needle)
{
	size_t l = strlen(needle);

	for (size_t i = 0; i + l <= n; i++)
		if (memcmp(s + i, needle, l) == 0)
			return 1;
	return 0;
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
		if (cmd_is(s, n, i, "sqrt")) {
			l.i = i + 5;
			if (l.i < n && s[l.i] == '[')
				return 1;
			at = l.i;
			if (!skip_braces(&l) || csg_has_unknown(s + at, l.i - at))
				return 1;
		} else if (s[i] == '^' && i + 1 < n && s[i + 1] == '{') {
			at = l.i;
			if (!skip_braces(&l) || span_has(s + at, l.i - at, "/") || span_has(s + at, l.i - at, ".") ||
			    span_has(s + at, l.i - at, "\\frac"))
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
static int equations_equal(const struct chain *ca, const struct chain *cb, int *equal, const char **reason)
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

/* ---- label -> value maps ---- */

/* Reads the items of an answer as solutions of label = value pairs: a repeated label or a ";" starts a new
 * solution; "(p,q) = (3,2)" gives two pairs; "x = 6/2 = 3" stands for its last member. Returns 1 when every
 * item is such an assignment. */
static int read_maps(const struct items *it, struct maps *mp)
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
			if (parse_items(lab.s + 1, lab.n - 2, &li) != CSG_OK ||
			    parse_items(val.s + 1, val.n - 2, &vi) != CSG_OK || li.count != vi.count || li.count < 2 ||
			    li.relational || vi.relational)
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
static int values_equal(enum cs_profile p, const char *a, size_t na, const char *b, size_t nb, int depth, int *work,
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
		if (j == sol_end(mb, y))
			return CSG_OK;
		rc = values_equal(p, ma->value[i].s, ma->value[i].n, mb->value[j].s, mb->value[j].n, depth, work, eq);
		if (rc != CSG_OK || !*eq) {
			*eq = 0;
			return rc;
		}
	}
	*eq = 1;
	return CSG_OK;
}

static int maps_equal(enum cs_profile p, const struct maps *ma, const struct maps *mb, int depth, int *work,
		      int *equal)
{
	int used[CSG_MAX_ELEMS] = { 0 }, rc, eq;

	*equal = 0;
	if (ma->nsol != mb->nsol)
		return CSG_OK;
	for (int x = 0; x < ma->nsol; x++) {
		int found = 0;
		for (int y = 0; y < mb->nsol && !found; y++) {
			if (used[y])
				continue;
			rc = solutions_equal(p, ma, x, mb, y, depth, work, &eq);
			if (rc != CSG_OK)
				return rc;
			if (eq)
				found = used[y] = 1;
		}
		if (!found)
			return CSG_OK;
	}
	*equal = 1;
	return CSG_OK;
}

/* Whether the bracket opening s[0] closes exactly at s[n-1]. */
static int wraps_whole(const char *s, size_t n)
{
	size_t i = 0;
	int depth = 0;

	while (i < n) {
		if (top_step(s, n, &i, &depth))
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
	return parse_items(s + 1, n - 2, el) == CSG_OK && el->count >= 2 && !el->relational;
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
		if (!label_key(mp->label[i].s, mp->label[i].n, key) || (us = strrchr(key, '_')) == NULL)
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
		return values_equal(p, mp->value[mp->first[s]].s, mp->value[mp->first[s]].n, e, n, depth, work, eq);
	el = malloc(sizeof *el);
	if (el == NULL)
		return CSG_NOMEM;
	if (is_tuple(e, n, el) && el->count == count) {
		*eq = 1;
		for (int k = 0; k < count && *eq && rc == CSG_OK; k++) {
			const struct span *v = &mp->value[mp->first[s] + k];
			rc = values_equal(p, v->s, v->n, el->it[k].s, el->it[k].n, depth, work, eq);
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
static int maps_vs_plain(enum cs_profile p, const struct maps *mp, const char *b, int depth, int *work,
			 int *equal, const char **reason)
{
	struct items *bi = NULL;
	size_t n = strlen(b);
	int rc = CSG_OK, used[CSG_MAX_ELEMS] = { 0 }, eq;
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
		if (!(n >= 4 && memcmp(b, "\\{", 2) == 0) && parse_items(b, n, bi) == CSG_OK && !bi->relational &&
		    bi->count == mp->npairs) {
			/* A bare list in written order: its k-th value is the k-th label's. */
			int same = 1;
			for (int k = 0; k < mp->npairs && same && rc == CSG_OK; k++)
				rc = values_equal(p, mp->value[k].s, mp->value[k].n, bi->it[k].s, bi->it[k].n, depth,
						  work, &same);
			if (rc != CSG_OK || same) {
				*equal = same && rc == CSG_OK;
				goto out;
			}
		}
		if (!enumerated(mp, 0)) {
			int same = 1;
			for (int k = 1; k < mp->npairs && same && rc == CSG_OK; k++)
				rc = values_equal(p, mp->value[0].s, mp->value[0].n, mp->value[k].s, mp->value[k].n,
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
	rc = parse_items(s, n, bi);
	if (rc == CSG_NO || (rc == CSG_OK && bi->relational)) {
		rc = CSG_OK;
		goto out;
	}
	if (rc != CSG_OK)
		goto out;
	if (mp->nsol == 1) {
		/* Roots or equal values: the pairs of the one solution against the elements, in any order. */
		if (bi->count != mp->npairs)
			goto out;
		for (int x = 0; x < mp->npairs; x++) {
			int found = 0;
			for (int y = 0; y < bi->count && !found; y++) {
				if (used[y])
					continue;
				rc = values_equal(p, mp->value[x].s, mp->value[x].n, bi->it[y].s, bi->it[y].n, depth,
						  work, &eq);
				if (rc != CSG_OK)
					goto out;
				if (eq)
					found = used[y] = 1;
			}
			if (!found)
				goto out;
		}
	} else {
		if (bi->count != mp->nsol)
			goto out;
		for (int x = 0; x < mp->nsol; x++) {
			int found = 0;
			for (int y = 0; y < bi->count && !found; y++) {
				if (used[y])
					continue;
				rc = solution_matches(p, mp, x, bi->it[y].s, bi->it[y].n, depth, work, &eq);
				if (rc != CSG_OK)
					goto out;
				if (eq)
					found = used[y] = 1;
			}
			if (!found)
				goto out;
		}
	}
	*equal = 1;
out:
	if (*equal)
		*reason = "equal labelled values";
	free(bi);
	return rc;
}

/* ---- classification and comparison ---- */

/* The kind of an answer from its items (an enum rkind); for RK_MAPS, mp is filled. */
static int classify(const struct items *it, struct maps *mp)
{
	const struct chain *ch = &it->ch[0];
	int ineq = 1, eqs = 1;

	if (!it->relational)
		return RK_PLAIN;
	for (int k = 0; k < it->count; k++) {
		const struct chain *c = &it->ch[k];
		if (c->count < 2)
			return RK_OTHER;
		for (int j = 0; j < c->count - 1; j++) {
			if (c->op[j] != OP_EQ)
				eqs = 0;
			if (c->op[j] == OP_EQ || (c->op[j] == OP_IN && c->count > 2))
				ineq = 0;
		}
	}
	if (ineq)
		return RK_INEQ;
	if (!eqs)
		return RK_OTHER;
	if (it->count > 1 || it->group[it->count - 1] > 0)
		return read_maps(it, mp) ? RK_MAPS : RK_OTHER;
	if (csg_is_label(ch->m[0].s, ch->m[0].n))
		return RK_LABELLED;
	return ch->count == 2 ? RK_EQN : RK_OTHER;
}

/* The value a labelled answer stands for: its last member. */
static struct span labelled_value(const struct items *it)
{
	return it->ch[0].m[it->ch[0].count - 1];
}

/* Compares an inequality answer with another inequality answer or a written interval (union). */
static int compare_inequality(enum cs_profile p, const struct items *ia, const struct items *ib, const char *b,
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

int csg_relation_compare(enum cs_profile p, const char *a, const char *b, int depth, int *work, int *equal,
			 const char **reason)
{
	struct items *ia = NULL, *ib = NULL;
	struct maps *ma = NULL, *mb = NULL;
	int rc, ka, kb;

	*equal = 0;
	ia = malloc(sizeof *ia);
	ib = malloc(sizeof *ib);
	ma = malloc(sizeof *ma);
	mb = malloc(sizeof *mb);
	if (ia == NULL || ib == NULL || ma == NULL || mb == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	rc = parse_items(a, strlen(a), ia);
	if (rc == CSG_OK)
		rc = parse_items(b, strlen(b), ib);
	if (rc == CSG_NO || (rc == CSG_OK && !ia->relational && !ib->relational)) {
		rc = CSG_NO;
		goto out;
	}
	if (rc != CSG_OK)
		goto out;
	ka = classify(ia, ma);
	kb = classify(ib, mb);
	if (ka == RK_PLAIN || (kb != RK_PLAIN && ka > kb)) {
		/* Order the pair so that a is the relation (and the smaller kind), b the other side. */
		const char *ts = a;
		struct items *ti = ia;
		struct maps *tm = ma;
		int tk = ka;
		a = b;
		b = ts;
		ia = ib;
		ib = ti;
		ma = mb;
		mb = tm;
		ka = kb;
		kb = tk;
	}
	*reason = "different relations";
	if (ka == RK_OTHER || kb == RK_OTHER) {
		*reason = "relation not understood";
	} else if (ka == RK_INEQ && (kb == RK_INEQ || kb == RK_PLAIN)) {
		rc = compare_inequality(p, ia, ib, b, kb, depth, work, equal, reason);
	} else if (ka == RK_LABELLED && kb == RK_PLAIN) {
		struct span v = labelled_value(ia);
		rc = values_equal(p, v.s, v.n, b, strlen(b), depth, work, equal);
		*reason = *equal ? "equal values (label dropped)" : "different values";
	} else if ((ka == RK_EQN || ka == RK_LABELLED) && (kb == RK_EQN || kb == RK_LABELLED)) {
		rc = equations_equal(&ia->ch[0], &ib->ch[0], equal, reason);
	} else if (ka == RK_EQN && kb == RK_PLAIN) {
		*reason = "an equation is not a value";
	} else if (ka == RK_MAPS && kb == RK_MAPS) {
		rc = maps_equal(p, ma, mb, depth, work, equal);
		*reason = *equal ? "equal labelled values" : "different labelled values";
	} else if (ka == RK_MAPS && kb == RK_PLAIN) {
		rc = maps_vs_plain(p, ma, b, depth, work, equal, reason);
	}
out:
	if (rc != CSG_OK)
		*equal = 0;
	free(ia);
	free(ib);
	free(ma);
	free(mb);
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
		if (top_step(t, n, &i, &depth)) {
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
		if (!label_key(mp->label[i].s, mp->label[i].n, key)) {
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

int csg_relation_canon(enum cs_profile p, const char *s, size_t n, int depth, char **out)
{
	struct items *it = NULL;
	struct maps *mp = NULL;
	char *sol[CSG_MAX_ELEMS];
	size_t total = 1;
	int rc = CSG_OK, nsol = 0, several = 0;

	*out = NULL;
	it = malloc(sizeof *it);
	mp = malloc(sizeof *mp);
	if (it == NULL || mp == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	if (parse_items(s, n, it) != CSG_OK || !it->relational || classify(it, mp) != RK_MAPS)
		goto out;
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
	free(it);
	free(mp);
	return rc;
}
