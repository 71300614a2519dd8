/* Linear forms a*v + b with exact rational coefficients in one unknown v, read from answer text. */
#include "grade/relation_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS  60    /* digits of one number read by the linear parser */

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
int csr_lin_var(struct lin *p)
{
	size_t start = p->i;
	struct lscan l = { p->s, p->n, p->i, 0 };
	char c = p->s[p->i];

	if (c == '\\') {
		size_t len = csr_cmd_name_len(p->s, p->n, p->i);
		if (!csr_name_in(csr_greek_names, p->s + p->i + 1, len))
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
			if (!csr_skip_braces(&l))
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
	if (csr_cmd_is(p->s, p->n, p->i, "frac")) {
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
	if (csr_lin_var(p)) {
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
	return c == '\\' && (csr_cmd_is(p->s, p->n, p->i, "frac") ||
			     csr_name_in(csr_greek_names, p->s + p->i + 1, csr_cmd_name_len(p->s, p->n, p->i)));
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
		} else if (csr_cmd_is(p->s, p->n, p->i, "cdot") || csr_cmd_is(p->s, p->n, p->i, "times")) {
			p->i += csr_cmd_name_len(p->s, p->n, p->i) + 1;
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
int csr_linear(const char *s, size_t n, mpq_t a, mpq_t b, struct span *var)
{
	struct lin p = { s, n, 0, 0, { NULL, 0 } };

	if (!lin_expr(&p, a, b))
		return 0;
	lin_skip(&p);
	*var = p.var;
	return p.i == n;
}
