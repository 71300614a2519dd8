/* The shared reading of relational answers: items, chains, operators, labels, classification, and the
 * entry points that dispatch to inequalities, equations and label -> value maps. */
#include "grade/relation_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const csr_greek_names[] = {
	"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
	"kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
	"omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", NULL
};

/* ---- scanning ---- */

int csr_name_in(const char *const *tab, const char *s, size_t l)
{
	for (int k = 0; tab[k] != NULL; k++)
		if (strlen(tab[k]) == l && memcmp(tab[k], s, l) == 0)
			return 1;
	return 0;
}

/* Length of the command name after the backslash at s[i] (0 for an escaped character such as \{). */
size_t csr_cmd_name_len(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && isalpha((unsigned char)s[j]))
		j++;
	return j - i - 1;
}

int csr_cmd_is(const char *s, size_t n, size_t i, const char *name)
{
	size_t l = strlen(name);

	return i < n && s[i] == '\\' && csr_cmd_name_len(s, n, i) == l && memcmp(s + i + 1, name, l) == 0;
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
		size_t l = csr_cmd_name_len(s, n, i);
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
int csr_top_step(const char *s, size_t n, size_t *i, int *depth)
{
	char c = s[*i];

	if (c == '\\' && *i + 1 < n) {
		size_t l = csr_cmd_name_len(s, n, *i);
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

struct span csr_trimmed(const char *s, size_t n)
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
		if (!csr_top_step(s, n, &i, &depth))
			continue;
		op = rel_at(s, n, i, &len);
		if (op == OP_NONE) {
			i++;
			continue;
		}
		if (c->count >= MAX_MEMBERS - 1)
			return CSG_NO;
		c->m[c->count] = csr_trimmed(s + start, i - start);
		c->op[c->count] = op;
		c->count++;
		i += len;
		start = i;
	}
	c->m[c->count] = csr_trimmed(s + start, n - start);
	c->count++;
	for (int k = 0; k < c->count; k++)
		if (c->m[k].n == 0 && c->count > 1)
			return CSG_NO;
	return CSG_OK;
}

/* Splits s[0..n) at top-level ";" and "," into it (empty items, as left by "and" turned into a comma, are
 * dropped), and each item into its chain. CSG_OK, CSG_NO (unbalanced or a chain too long), CSG_BIG. */
int csr_parse_items(const char *s, size_t n, struct items *it)
{
	size_t i = 0, start = 0;
	int depth = 0, group = 0, rc;

	it->count = 0;
	it->relational = 0;
	for (;;) {
		int at_end = i >= n;
		if (!at_end && !csr_top_step(s, n, &i, &depth)) {
			if (depth < 0)
				return CSG_NO;
			continue;
		}
		if (at_end || s[i] == ',' || s[i] == ';') {
			struct span sp = csr_trimmed(s + start, (at_end ? n : i) - start);
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
int csr_skip_braces(struct lscan *l)
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
		size_t len = csr_cmd_name_len(l->s, l->n, l->i);
		const char *name = l->s + l->i + 1;
		if (len == 4 && memcmp(name, "frac", 4) == 0) {
			l->i += 5;
			return scan_braced_label(l) && scan_braced_label(l);
		}
		if (csr_name_in(accents, name, len)) {
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
			if (at >= l->n || l->s[at] != '{' || !csr_skip_braces(l))
				return 0;
			for (size_t j = at + 1; j + 1 < l->i; j++)
				if (!isalpha((unsigned char)l->s[j]) && l->s[j] != ' ')
					return 0;
		} else if (csr_name_in(csr_greek_names, name, len)) {
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
			if (!csr_skip_braces(l))
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
int csr_is_application(const char *s, size_t n)
{
	struct lscan l = { s, n, 0, 0 };

	if (n < 4 || s[n - 1] != ')' || !scan_factor(&l) || l.i >= n || s[l.i] != '(')
		return 0;
	return csg_is_label(s, n);
}

/* Writes the canonical key of label s[0..n) into key (MAX_KEY bytes): spaces dropped, the braces of a
 * one-character subscript dropped (a_{3} is a_3; a_{37} keeps its braces, as a_37 is a_3 times 7). Returns 0
 * when it does not fit. */
int csr_label_key(const char *s, size_t n, char *key)
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

int csg_has_unknown(const char *s, size_t n)
{
	static const char *const wrappers[] = { "text", "mathbb", "operatorname", "mbox", NULL };

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\') {
			size_t l = csr_cmd_name_len(s, n, i);
			if (l == 0) {
				i++;
				continue;
			}
			if (csr_name_in(csr_greek_names, s + i + 1, l))
				return 1;
			i += l;
			if (csr_name_in(wrappers, s + i - l + 1, l) && i + 1 < n && s[i + 1] == '{') {
				struct lscan sc = { s, n, i + 1, 0 };
				if (!csr_skip_braces(&sc))
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
		return csr_read_maps(it, mp) ? RK_MAPS : RK_OTHER;
	if (csg_is_label(ch->m[0].s, ch->m[0].n))
		return RK_LABELLED;
	return ch->count == 2 ? RK_EQN : RK_OTHER;
}

/* The value a labelled answer stands for: its last member. */
static struct span labelled_value(const struct items *it)
{
	return it->ch[0].m[it->ch[0].count - 1];
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
	rc = csr_parse_items(a, strlen(a), ia);
	if (rc == CSG_OK)
		rc = csr_parse_items(b, strlen(b), ib);
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
		rc = csr_inequality_compare(p, ia, ib, b, kb, depth, work, equal, reason);
	} else if (ka == RK_LABELLED && kb == RK_PLAIN) {
		struct span v = labelled_value(ia);
		rc = csr_values_equal(p, v.s, v.n, b, strlen(b), depth, work, equal);
		*reason = *equal ? "equal values (label dropped)" : "different values";
	} else if ((ka == RK_EQN || ka == RK_LABELLED) && (kb == RK_EQN || kb == RK_LABELLED)) {
		rc = csr_equations_equal(&ia->ch[0], &ib->ch[0], equal, reason);
	} else if (ka == RK_EQN && kb == RK_PLAIN) {
		*reason = "an equation is not a value";
	} else if (ka == RK_MAPS && kb == RK_MAPS) {
		rc = csr_maps_equal(p, ma, mb, depth, work, equal);
		*reason = *equal ? "equal labelled values" : "different labelled values";
	} else if (ka == RK_MAPS && kb == RK_PLAIN) {
		rc = csr_maps_vs_plain(p, ma, b, depth, work, equal, reason);
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

int csg_relation_canon(enum cs_profile p, const char *s, size_t n, int depth, char **out)
{
	struct items *it = NULL;
	struct maps *mp = NULL;
	int rc = CSG_OK;

	*out = NULL;
	it = malloc(sizeof *it);
	mp = malloc(sizeof *mp);
	if (it == NULL || mp == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	if (csr_parse_items(s, n, it) != CSG_OK || !it->relational || classify(it, mp) != RK_MAPS)
		goto out;
	rc = csr_maps_canon(p, mp, depth, out);
out:
	free(it);
	free(mp);
	return rc;
}
