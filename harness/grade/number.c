/* Exact numbers in answers: parsing integers, decimals, fractions, mixed numbers and scientific notation into GMP rationals, and comparing them under the decimal policy. */
#include "grade/grade_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cur {
	const char *s;
	size_t i, n;
};

static void skip_ws(struct cur *c)
{
	while (c->i < c->n && isspace((unsigned char)c->s[c->i]))
		c->i++;
}

static int eat(struct cur *c, const char *lit)
{
	size_t l = strlen(lit);

	skip_ws(c);
	if (c->n - c->i >= l && memcmp(c->s + c->i, lit, l) == 0) {
		c->i += l;
		return 1;
	}
	return 0;
}

/* A command literal such as \frac must not be followed by a letter (\fraction is not \frac). */
static int eat_cmd(struct cur *c, const char *lit)
{
	size_t save = c->i;

	if (!eat(c, lit))
		return 0;
	if (c->i < c->n && isalpha((unsigned char)c->s[c->i])) {
		c->i = save;
		return 0;
	}
	return 1;
}

struct dec {
	size_t start, end;  /* the digits and the point, in the source */
	int places, sig, has_point;
};

/* Reads digits [ '.' digits ] | '.' digits without signs; returns 1 when found. */
static int read_decimal(struct cur *c, struct dec *d)
{
	size_t j, ndig = 0;
	int seen_nonzero = 0;

	skip_ws(c);
	j = c->i;
	memset(d, 0, sizeof *d);
	d->start = j;
	while (j < c->n && (isdigit((unsigned char)c->s[j]) || (c->s[j] == '.' && !d->has_point))) {
		if (c->s[j] == '.') {
			d->has_point = 1;
		} else {
			ndig++;
			if (c->s[j] != '0')
				seen_nonzero = 1;
			if (seen_nonzero)
				d->sig++;
			if (d->has_point)
				d->places++;
		}
		j++;
	}
	if (ndig == 0)
		return 0;
	/* A trailing point after digits ("3.") is allowed; a point followed by a letter is not a number. */
	d->end = j;
	c->i = j;
	return 1;
}

/* Sets q to the value of the decimal d. */
static int dec_value(const struct cur *c, const struct dec *d, mpq_t q)
{
	char buf[CSG_MAX_ANSWER + 1];
	size_t k = 0;
	int rc = CSG_OK;

	if (d->end - d->start > CSG_MAX_ANSWER)
		return CSG_BIG;
	for (size_t j = d->start; j < d->end; j++)
		if (c->s[j] != '.')
			buf[k++] = c->s[j];
	buf[k] = '\0';
	if (mpz_set_str(mpq_numref(q), buf, 10) != 0) {
		rc = CSG_NO;
		goto out;
	}
	mpz_ui_pow_ui(mpq_denref(q), 10, (unsigned long)d->places);
	mpq_canonicalize(q);
out:
	return rc;
}

/* After the integer part of a mixed number, which ends at int_end: one or more spaces, then p/q, plain
 * integers with p < q ("2 1/2" is 2 + 1/2, never 21/2). Sets q to p/q and returns CSG_OK; CSG_NO leaves c
 * where it was. */
static int read_mixed_tail(struct cur *c, size_t int_end, mpq_t q)
{
	struct dec p, r;
	size_t save = c->i;
	int rc = CSG_NO;
	mpq_t den;

	mpq_init(den);
	c->i = int_end;
	if (c->i >= c->n || !isspace((unsigned char)c->s[c->i]))
		goto out;
	skip_ws(c);
	if (c->i >= c->n || !isdigit((unsigned char)c->s[c->i]) || !read_decimal(c, &p) || p.has_point)
		goto out;
	if (c->i >= c->n || c->s[c->i] != '/')
		goto out;
	c->i++;
	if (c->i >= c->n || !isdigit((unsigned char)c->s[c->i]) || !read_decimal(c, &r) || r.has_point)
		goto out;
	if (dec_value(c, &p, q) != CSG_OK || dec_value(c, &r, den) != CSG_OK)
		goto out;
	if (mpq_sgn(den) == 0 || mpq_cmp(q, den) >= 0)
		goto out;
	mpq_div(q, q, den);
	rc = CSG_OK;
out:
	if (rc != CSG_OK)
		c->i = save;
	mpq_clear(den);
	return rc;
}

/* A base subscript after the integer digits d: "_3" or "_{16}", base 2 to 36. Sets *base and returns CSG_OK
 * when every digit of d is a digit of that base; CSG_NO otherwise. The value stays the digit string read in
 * base 10: answers compare the digits as written, never converted. */
static int read_base(struct cur *c, const struct dec *d, int *base)
{
	int b = 0, nd = 0, braced = 0;

	c->i++;
	if (c->i < c->n && c->s[c->i] == '{') {
		braced = 1;
		c->i++;
	}
	while (c->i < c->n && isdigit((unsigned char)c->s[c->i]) && nd < 3) {
		b = b * 10 + (c->s[c->i] - '0');
		c->i++;
		nd++;
		if (!braced)
			break;
	}
	if (nd == 0 || (braced && (c->i >= c->n || c->s[c->i++] != '}')))
		return CSG_NO;
	if (b < 2 || b > 36)
		return CSG_NO;
	for (size_t j = d->start; j < d->end; j++)
		if (c->s[j] - '0' >= b)
			return CSG_NO;
	*base = b;
	return CSG_OK;
}

/* Reads an optionally signed decimal; *neg receives the sign. */
static int read_signed(struct cur *c, struct dec *d, int *neg)
{
	*neg = 0;
	if (eat(c, "-"))
		*neg = 1;
	else
		eat(c, "+");
	return read_decimal(c, d);
}

/* One argument of \frac: {signed decimal} or a single digit. */
static int frac_arg(struct cur *c, mpq_t q, int *is_int)
{
	struct dec d;
	int neg, rc;

	skip_ws(c);
	if (c->i < c->n && c->s[c->i] == '{') {
		c->i++;
		if (!read_signed(c, &d, &neg))
			return CSG_NO;
		if (!eat(c, "}"))
			return CSG_NO;
	} else if (c->i < c->n && isdigit((unsigned char)c->s[c->i])) {
		d.start = c->i;
		d.end = c->i + 1;
		d.places = 0;
		d.has_point = 0;
		neg = 0;
		c->i++;
	} else {
		return CSG_NO;
	}
	rc = dec_value(c, &d, q);
	if (rc != CSG_OK)
		return rc;
	if (neg)
		mpq_neg(q, q);
	*is_int = !d.has_point && !neg;
	return CSG_OK;
}

/* \frac A B into q; *ints tells whether both were plain non-negative integers. */
static int read_frac(struct cur *c, mpq_t q, int *ints)
{
	mpq_t den;
	int a_int = 0, b_int = 0, rc;

	mpq_init(den);
	rc = frac_arg(c, q, &a_int);
	if (rc != CSG_OK)
		goto out;
	rc = frac_arg(c, den, &b_int);
	if (rc != CSG_OK)
		goto out;
	if (mpq_sgn(den) == 0) {
		rc = CSG_NO;
		goto out;
	}
	mpq_div(q, q, den);
	*ints = a_int && b_int;
out:
	mpq_clear(den);
	return rc;
}

/* Reads a signed integer exponent: {[+-]digits}, or unbraced digits (only one when one_digit, as in 10^5). */
static int read_exponent(struct cur *c, int one_digit, long *e)
{
	int braced = 0, neg = 0;
	long v = 0;
	size_t nd = 0;

	skip_ws(c);
	if (c->i < c->n && c->s[c->i] == '{') {
		braced = 1;
		c->i++;
	}
	if (eat(c, "-"))
		neg = 1;
	else
		eat(c, "+");
	skip_ws(c);
	while (c->i < c->n && isdigit((unsigned char)c->s[c->i])) {
		if (v < 1000000)
			v = v * 10 + (c->s[c->i] - '0');
		c->i++;
		nd++;
		if (!braced && one_digit)
			break;
	}
	if (nd == 0)
		return CSG_NO;
	if (braced && !eat(c, "}"))
		return CSG_NO;
	if (v > CSG_MAX_EXP10)
		return CSG_BIG;
	*e = neg ? -v : v;
	return CSG_OK;
}

/* Multiplies q by 10^e. */
static void scale10(mpq_t q, long e)
{
	mpz_t p;

	mpz_init(p);
	mpz_ui_pow_ui(p, 10, (unsigned long)(e < 0 ? -e : e));
	if (e < 0)
		mpz_mul(mpq_denref(q), mpq_denref(q), p);
	else
		mpz_mul(mpq_numref(q), mpq_numref(q), p);
	mpq_canonicalize(q);
	mpz_clear(p);
}

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t l = strlen(suf);

	return n >= l && memcmp(s + n - l, suf, l) == 0;
}

/* Unit words that may follow a number with no space between ("10weeks", "5cm"); other glued letters are a
 * product ("2xy"), never a unit. */
static const char *const glued_units[] = {
	"mm", "cm", "km", "kg", "mg", "lb", "lbs", "oz", "ft", "in", "mi", "mph", "ml", "hr", "hrs", "min", "mins",
	"sec", "secs", "am", "pm", "day", "days", "week", "weeks", "month", "months", "year", "years", "hour",
	"hours", "minute", "minutes", "second", "seconds", "dollar", "dollars", "cent", "cents", "inch", "inches",
	"foot", "feet", "yard", "yards", "mile", "miles", "meter", "meters", "metre", "metres", "liter", "liters",
	"litre", "litres", "gallon", "gallons", "pound", "pounds", "ounce", "ounces", "gram", "grams", "units",
	"degrees", NULL
};

/* Whether s[0..n) is one of glued_units. */
static int is_glued_unit(const char *s, size_t n)
{
	for (int k = 0; glued_units[k] != NULL; k++)
		if (strlen(glued_units[k]) == n && memcmp(glued_units[k], s, n) == 0)
			return 1;
	return 0;
}

/* Words that change or hedge the value of a number next to them: never a unit (csg_value_word). Two lists,
 * each ended by NULL: scale words (CSG_VW_SCALE), then bounds and hedges (CSG_VW_BOUND). */
static const char *const value_words[] = {
	/* scale */
	"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
	"trillions", "dozen", "dozens", "grand", "lakh", "lakhs", "crore", "crores", "pi",
	/* fractions */
	"half", "halves", "third", "thirds", "quarter", "quarters", "fourth", "fourths", "fifth", "fifths", "sixth",
	"sixths", "seventh", "sevenths", "eighth", "eighths", "ninth", "ninths", "tenth", "tenths", "hundredth",
	"hundredths", "thousandth", "thousandths", "millionth", "millionths",
	/* number words: "5 or six" */
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
	"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
	"forty", "fifty", "sixty", "seventy", "eighty", "ninety",
	NULL,
	/* bounds, comparisons, directions, powers */
	"or", "nor", "less", "more", "fewer", "least", "most", "up", "down", "below", "above", "under", "over",
	"beneath", "than", "minus", "plus", "negative", "squared", "cubed", "maximum", "minimum",
	"greater", "smaller", "larger", "bigger", "higher", "lower", "debt", "deficit", "loss",
	/* hedges */
	"about", "approximately", "approx", "around", "roughly", "nearly", "almost", "ish",
	NULL
};

int csg_value_word(const char *w, size_t n, int kinds)
{
	int kind = CSG_VW_SCALE;

	for (int k = 0; kind <= CSG_VW_BOUND; k++) {
		size_t l, j = 0;

		if (value_words[k] == NULL) {
			kind <<= 1;
			continue;
		}
		l = strlen(value_words[k]);
		if (l != n || !(kinds & kind))
			continue;
		while (j < n && tolower((unsigned char)w[j]) == value_words[k][j])
			j++;
		if (j == n)
			return 1;
	}
	return 0;
}

/* Whether s[0..n) holds a value word (csg_value_word) among its runs of letters. */
static int has_value_word(const char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		if (!isalpha((unsigned char)s[i])) {
			i++;
			continue;
		}
		j = i;
		while (j < n && isalpha((unsigned char)s[j]))
			j++;
		if (csg_value_word(s + i, j - i, CSG_VW_ALL))
			return 1;
		i = j;
	}
	return 0;
}

/* Removes one trailing decoration (percent, degree, \text unit, plain unit word) from s[0..*n); returns 1
 * when it did, and sets *percent when the decoration was a percent sign. A word that changes the value
 * (csg_value_word: "5 million", "5 or less", "100 \text{ degrees below zero}") is never a unit. */
static int strip_suffix(const char *s, size_t *n, int *percent)
{
	static const char *const sufs[] = { "\\%", "%", "^\\circ", "^{\\circ}", "\\circ", "\xc2\xb0", "\\degree",
					    "^2", "^{2}", "^3", "^{3}", NULL };
	size_t m = *n;

	while (m > 0 && isspace((unsigned char)s[m - 1]))
		m--;
	for (int k = 0; sufs[k] != NULL; k++) {
		/* ^2 only after a unit word: "cm^2", "\text{ cm}^2". */
		if (sufs[k][0] == '^' && sufs[k][1] != '\\' && sufs[k][1] != '{' && sufs[k][1] != '\0') {
			if (ends_with(s, m, sufs[k]) && m > 2 && (isalpha((unsigned char)s[m - 3]) || s[m - 3] == '}')) {
				*n = m - 2;
				return 1;
			}
			continue;
		}
		if (sufs[k][0] == '^' && sufs[k][1] == '{' && sufs[k][2] != '\\') {
			if (ends_with(s, m, sufs[k]) && m > 4 && (isalpha((unsigned char)s[m - 5]) || s[m - 5] == '}')) {
				*n = m - 4;
				return 1;
			}
			continue;
		}
		if (ends_with(s, m, sufs[k])) {
			*n = m - strlen(sufs[k]);
			if (k < 2)
				*percent = 1;
			return 1;
		}
	}
	if (m > 0 && s[m - 1] == '}') {
		/* \text{...} at the end, when it holds only letters, spaces and dots (a unit). */
		size_t j = m - 1;
		while (j > 0 && s[j - 1] != '{' && s[j - 1] != '}' && s[j - 1] != '\\')
			j--;
		if (j >= 6 && s[j - 1] == '{' && memcmp(s + j - 6, "\\text{", 6) == 0) {
			for (size_t k = j; k < m - 1; k++)
				if (!isalpha((unsigned char)s[k]) && s[k] != ' ' && s[k] != '.')
					return 0;
			if (has_value_word(s + j, m - 1 - j))
				return 0;
			*n = j - 6;
			return 1;
		}
		return 0;
	}
	/* A plain unit word of two or more letters after a space: "540 meters". */
	if (m > 0 && (isalpha((unsigned char)s[m - 1]) || s[m - 1] == '.')) {
		size_t j = m, letters = 0;
		while (j > 0 && (isalpha((unsigned char)s[j - 1]) || s[j - 1] == '.')) {
			if (isalpha((unsigned char)s[j - 1]))
				letters++;
			j--;
		}
		if (has_value_word(s + j, m - j))
			return 0;
		if (letters >= 2 && j > 0 && s[j - 1] == ' ') {
			*n = j - 1;
			return 1;
		}
		if (j > 0 && isdigit((unsigned char)s[j - 1]) && is_glued_unit(s + j, m - j)) {
			*n = j;
			return 1;
		}
	}
	return 0;
}

/* Length of a thousands separator at s[i]: ",", " ", or "{,}" with optional spaces around and inside the
 * braces ("14 {, }916"); 0 when there is none. *kind receives ',', ' ' or '{' so that one number uses one kind. */
static size_t sep_at(const char *s, size_t i, size_t n, char *kind)
{
	size_t j = i;

	while (j < n && s[j] == ' ')
		j++;
	if (j < n && s[j] == '{') {
		j++;
		while (j < n && s[j] == ' ')
			j++;
		if (j >= n || s[j] != ',')
			return 0;
		j++;
		while (j < n && s[j] == ' ')
			j++;
		if (j >= n || s[j] != '}')
			return 0;
		j++;
		while (j < n && s[j] == ' ')
			j++;
		*kind = '{';
		return j - i;
	}
	if (i < n && (s[i] == ',' || s[i] == ' ')) {
		*kind = s[i];
		return 1;
	}
	return 0;
}

/* Copies s[0..n) into buf, dropping the separators (commas, spaces from \, or {,}) of a thousands-separated
 * integer part (1,234,567.5); returns the new length. The integer part must not start with 0: "0,111" is a
 * decimal comma or a list, never 111. */
static size_t drop_thousands(const char *s, size_t n, char *buf)
{
	size_t i = 0, k = 0, lead, j, l, groups = 0;
	char kind = 0, next_kind = 0;

	while (i < n && (s[i] == '-' || s[i] == '+' || s[i] == '$' || s[i] == '\\' || s[i] == ' '))
		i++;
	lead = i;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i - lead < 1 || i - lead > 3 || s[lead] == '0')
		goto copy;
	j = i;
	while ((l = sep_at(s, j, n, &next_kind)) > 0 && (groups == 0 || next_kind == kind) && j + l + 3 <= n &&
	       isdigit((unsigned char)s[j + l]) && isdigit((unsigned char)s[j + l + 1]) &&
	       isdigit((unsigned char)s[j + l + 2]) && (j + l + 3 >= n || !isdigit((unsigned char)s[j + l + 3]))) {
		kind = next_kind;
		j += l + 3;
		groups++;
	}
	/* A separator of the same kind and a digit after the last group ("1,000,00"): not thousands. */
	l = sep_at(s, j, n, &next_kind);
	if (groups == 0 || (l > 0 && next_kind == kind && j + l < n && isdigit((unsigned char)s[j + l])))
		goto copy;
	memcpy(buf, s, lead);
	k = lead;
	for (size_t t = lead; t < j; t++)
		if (isdigit((unsigned char)s[t]))
			buf[k++] = s[t];
	memcpy(buf + k, s + j, n - j);
	return k + (n - j);
copy:
	memcpy(buf, s, n);
	return n;
}

void csg_num_init(struct csg_num *n)
{
	mpq_init(n->q);
	n->is_decimal = 0;
	n->places = 0;
	n->sig = 0;
}

void csg_num_clear(struct csg_num *n)
{
	mpq_clear(n->q);
}

int csg_num_parse(const char *s, size_t len, int separators, struct csg_num *n)
{
	char buf[CSG_MAX_ANSWER + 1];
	struct cur c;
	struct dec d;
	int neg = 0, rc = CSG_NO, ints = 0;
	long e;
	mpq_t t;

	mpq_init(t);
	if (len > CSG_MAX_ANSWER) {
		rc = CSG_BIG;
		goto out;
	}
	n->percent = 0;
	n->base = 0;
	for (int k = 0; k < 6 && strip_suffix(s, &len, &n->percent); k++)
		;
	if (separators) {
		len = drop_thousands(s, len, buf);
	} else {
		memcpy(buf, s, len);
	}
	buf[len] = '\0';
	c.s = buf;
	c.i = 0;
	c.n = len;
	n->is_decimal = 0;
	if (eat(&c, "-"))
		neg = 1;
	else
		eat(&c, "+");
	if (eat(&c, "\\$") || eat(&c, "$")) {
		if (!neg && eat(&c, "-"))
			neg = 1;
	}
	if (eat_cmd(&c, "\\frac")) {
		rc = read_frac(&c, n->q, &ints);
		if (rc != CSG_OK)
			goto out;
	} else if (read_decimal(&c, &d)) {
		if (d.places > CSG_MAX_PLACES) {
			rc = CSG_BIG;
			goto out;
		}
		rc = dec_value(&c, &d, n->q);
		if (rc != CSG_OK)
			goto out;
		n->is_decimal = d.has_point;
		n->places = d.places;
		n->sig = d.sig;
		if (!d.has_point && eat_cmd(&c, "\\frac")) {
			rc = read_frac(&c, t, &ints);
			if (rc != CSG_OK)
				goto out;
			if (!ints) {
				rc = CSG_NO;
				goto out;
			}
			mpq_add(n->q, n->q, t);
		} else if (!d.has_point && read_mixed_tail(&c, d.end, t) == CSG_OK) {
			mpq_add(n->q, n->q, t);
		} else if (!d.has_point && c.i < c.n && c.s[c.i] == '_') {
			rc = read_base(&c, &d, &n->base);
			if (rc != CSG_OK)
				goto out;
		} else if (eat(&c, "/")) {
			int neg2;
			if (!read_signed(&c, &d, &neg2)) {
				rc = CSG_NO;
				goto out;
			}
			rc = dec_value(&c, &d, t);
			if (rc != CSG_OK)
				goto out;
			if (mpq_sgn(t) == 0) {
				rc = CSG_NO;
				goto out;
			}
			if (neg2)
				neg = !neg;
			mpq_div(n->q, n->q, t);
			n->is_decimal = 0;
		} else if (c.i < c.n && (c.s[c.i] == 'e' || c.s[c.i] == 'E') && c.i + 1 < c.n &&
			   (isdigit((unsigned char)c.s[c.i + 1]) || c.s[c.i + 1] == '-' || c.s[c.i + 1] == '+')) {
			c.i++;
			rc = read_exponent(&c, 0, &e);
			if (rc == CSG_NO)
				goto out;
			if (rc != CSG_OK)
				goto out;
			scale10(n->q, e);
			n->is_decimal = 0;
		} else if (eat_cmd(&c, "\\times") || eat_cmd(&c, "\\cdot")) {
			if (!eat(&c, "10") || !eat(&c, "^")) {
				rc = CSG_NO;
				goto out;
			}
			rc = read_exponent(&c, 1, &e);
			if (rc != CSG_OK)
				goto out;
			scale10(n->q, e);
			n->is_decimal = 0;
		}
	} else {
		rc = CSG_NO;
		goto out;
	}
	skip_ws(&c);
	if (c.i != c.n) {
		rc = CSG_NO;
		goto out;
	}
	if (neg)
		mpq_neg(n->q, n->q);
	rc = CSG_OK;
out:
	mpq_clear(t);
	return rc;
}

/* Whether the denominator of q has a prime factor other than 2 and 5 (its decimal expansion repeats). */
static int repeats(const mpq_t q)
{
	mpz_t d, five;
	int r;

	mpz_init(d);
	mpz_init_set_ui(five, 5);
	mpz_tdiv_q_2exp(d, mpq_denref(q), mpz_scan1(mpq_denref(q), 0));
	mpz_remove(d, d, five);
	r = mpz_cmp_ui(d, 1) != 0;
	mpz_clears(d, five, NULL);
	return r;
}

/* Whether the decimal dec equals the repeating rational q rounded or truncated to dec's places. */
static int decimal_stands_for(const struct csg_num *dec, const mpq_t q)
{
	mpz_t scaled, p, tr, rd, dv;
	mpq_t a;
	int ok;

	if (!dec->is_decimal || dec->sig < 6 || !repeats(q) || dec->places > CSG_MAX_PLACES)
		return 0;
	mpz_inits(scaled, p, tr, rd, dv, NULL);
	mpq_init(a);
	mpq_abs(a, q);
	mpz_ui_pow_ui(p, 10, (unsigned long)dec->places);
	mpz_mul(scaled, mpq_numref(a), p);
	mpz_tdiv_q(tr, scaled, mpq_denref(a));
	/* Rounded half up: floor(2x+1)/2 with x = |q| 10^places. */
	mpz_mul_ui(rd, scaled, 2);
	mpz_add(rd, rd, mpq_denref(a));
	mpz_mul_ui(dv, mpq_denref(a), 2);
	mpz_tdiv_q(rd, rd, dv);
	/* The decimal scaled to an integer. */
	mpq_abs(a, dec->q);
	mpz_mul(scaled, mpq_numref(a), p);
	mpz_tdiv_q(scaled, scaled, mpq_denref(a));
	ok = (mpq_sgn(dec->q) == mpq_sgn(q)) && (mpz_cmp(scaled, tr) == 0 || mpz_cmp(scaled, rd) == 0);
	mpq_clear(a);
	mpz_clears(scaled, p, tr, rd, dv, NULL);
	return ok;
}

/* Whether a and b are equal as written values: exactly, or a decimal standing for a repeating rational. */
static int values_equal(const struct csg_num *a, const struct csg_num *b)
{
	if (mpq_equal(a->q, b->q))
		return 1;
	if (a->is_decimal && !b->is_decimal)
		return decimal_stands_for(a, b->q);
	if (b->is_decimal && !a->is_decimal)
		return decimal_stands_for(b, a->q);
	return 0;
}

/* Whether pct (written with a percent sign) read as pct/100 equals other: 10\% and 0.1. */
static int percent_equal(const struct csg_num *pct, const struct csg_num *other)
{
	struct csg_num hundredth;
	int eq;

	csg_num_init(&hundredth);
	mpq_set(hundredth.q, pct->q);
	scale10(hundredth.q, -2);
	hundredth.is_decimal = pct->is_decimal;
	hundredth.places = pct->places + 2;
	hundredth.sig = pct->sig;
	eq = values_equal(&hundredth, other);
	csg_num_clear(&hundredth);
	return eq;
}

int csg_num_equal(const struct csg_num *a, const struct csg_num *b)
{
	if (a->base != 0 && b->base != 0 && a->base != b->base)
		return 0;
	if (values_equal(a, b))
		return 1;
	if (a->percent && !b->percent)
		return percent_equal(a, b);
	if (b->percent && !a->percent)
		return percent_equal(b, a);
	return 0;
}

int csg_num_decimal_comma(const char *s, size_t len, struct csg_num *n)
{
	char buf[CSG_MAX_ANSWER + 1];
	size_t i = 0, k = 0;

	if (len > CSG_MAX_ANSWER)
		return CSG_NO;
	if (i < len && s[i] == '-')
		buf[k++] = s[i++];
	if (len - i < 3 || s[i] != '0' || s[i + 1] != ',')
		return CSG_NO;
	buf[k++] = '0';
	buf[k++] = '.';
	for (i += 2; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return CSG_NO;
		buf[k++] = s[i];
	}
	return csg_num_parse(buf, k, 0, n);
}

int csg_num_format(const struct csg_num *n, char **out)
{
	size_t need;
	char *s = NULL;
	int rc = CSG_OK;

	*out = NULL;
	if (mpz_cmp_ui(mpq_denref(n->q), 1) == 0) {
		need = mpz_sizeinbase(mpq_numref(n->q), 10) + 2;
		s = malloc(need);
		if (s == NULL) {
			rc = CSG_NOMEM;
			goto out;
		}
		mpz_get_str(s, 10, mpq_numref(n->q));
	} else if (!repeats(n->q)) {
		/* A terminating decimal: den = 2^a 5^b, so num 10^k / den is integral for k = max(a, b). */
		mpz_t num, den;
		int k = 0, twos = 0, fives = 0;
		size_t len;

		mpz_init_set(num, mpq_numref(n->q));
		mpz_init_set(den, mpq_denref(n->q));
		twos = (int)mpz_scan1(den, 0);
		mpz_tdiv_q_2exp(den, den, (mp_bitcnt_t)twos);
		{
			mpz_t five;
			mpz_init_set_ui(five, 5);
			fives = (int)mpz_remove(den, den, five);
			mpz_clear(five);
		}
		k = twos > fives ? twos : fives;
		mpz_ui_pow_ui(den, 10, (unsigned long)k);
		mpz_mul(num, num, den);
		mpz_divexact(num, num, mpq_denref(n->q));
		need = mpz_sizeinbase(num, 10) + (size_t)k + 5;
		s = malloc(need);
		if (s == NULL) {
			mpz_clears(num, den, NULL);
			rc = CSG_NOMEM;
			goto out;
		}
		{
			int neg = mpz_sgn(num) < 0;
			char *digits;

			mpz_abs(num, num);
			digits = mpz_get_str(NULL, 10, num);
			len = strlen(digits);
			char *w = s;
			if (neg)
				*w++ = '-';
			if (len <= (size_t)k) {
				*w++ = '0';
				*w++ = '.';
				for (size_t z = len; z < (size_t)k; z++)
					*w++ = '0';
				memcpy(w, digits, len);
				w += len;
			} else {
				memcpy(w, digits, len - (size_t)k);
				w += len - (size_t)k;
				*w++ = '.';
				memcpy(w, digits + len - (size_t)k, (size_t)k);
				w += k;
			}
			*w = '\0';
			free(digits);
		}
		mpz_clears(num, den, NULL);
	} else {
		need = mpz_sizeinbase(mpq_numref(n->q), 10) + mpz_sizeinbase(mpq_denref(n->q), 10) + 3;
		s = malloc(need);
		if (s == NULL) {
			rc = CSG_NOMEM;
			goto out;
		}
		mpq_get_str(s, 10, n->q);
	}
	if (n->base != 0 || n->percent) {
		/* The base subscript and the percent sign are part of how the answer compares: kept. */
		size_t l = strlen(s);
		char *t = realloc(s, l + 8);

		if (t == NULL) {
			free(s);
			rc = CSG_NOMEM;
			goto out;
		}
		s = t;
		if (n->base != 0)
			l += (size_t)snprintf(s + l, 6, "_%d", n->base);
		if (n->percent)
			memcpy(s + l, "\\%", 3);
	}
	*out = s;
out:
	return rc;
}
