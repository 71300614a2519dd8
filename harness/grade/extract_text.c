/* Text scanning for answer extraction: numbers with their separators, math spans, the candidates and words of a
 * phrase, and the last sentence of a complete text. */
#include "grade/extract_text.h"

#include <ctype.h>
#include <string.h>

#define SENTENCE_LOOKBACK 600
#define MAX_SPAN 4096  /* bytes of one math span; a longer one is not read (and keeps scans linear) */

/* Whether t[i] (i < b) is a digit. */
static int digit_at(const char *t, size_t i, size_t b)
{
	return i < b && isdigit((unsigned char)t[i]);
}

/* Whether exactly three digits start at t[k] (no fourth digit after them). */
static int three_digits(const char *t, size_t k, size_t b)
{
	return digit_at(t, k, b) && digit_at(t, k + 1, b) && digit_at(t, k + 2, b) && !digit_at(t, k + 3, b);
}

/* The position after a thousands separator that starts at t[j], or j when none does. Spaces may surround only
 * the brace form ("14 {, }916"); a plain ',' takes no space after it, so that "1, 2" stays a list. */
static size_t separator_end(const char *t, size_t j, size_t b)
{
	size_t k = j;
	const unsigned char *u = (const unsigned char *)t;

	while (k < b && t[k] == ' ')
		k++;
	if (k < b && t[k] == '{') {
		size_t m = k + 1;

		while (m < b && t[m] == ' ')
			m++;
		if (m >= b || t[m] != ',')
			return j;
		m++;
		while (m < b && t[m] == ' ')
			m++;
		if (m >= b || t[m] != '}')
			return j;
		m++;
		while (m < b && t[m] == ' ')
			m++;
		return m;
	}
	if (k > j)
		return k == j + 1 ? k : j;
	if (j >= b)
		return j;
	if (t[j] == ',') {
		if (b - j >= 3 && t[j + 1] == '\\' && t[j + 2] == '!') {
			k = j + 3;
			while (k < b && t[k] == ' ')
				k++;
			return k;
		}
		return j + 1;
	}
	if (t[j] == '~')
		return j + 1;
	if (t[j] == '\\' && j + 1 < b && (t[j + 1] == ',' || t[j + 1] == ';' || t[j + 1] == ':' || t[j + 1] == ' '))
		return j + 2;
	if (b - j >= 3 && u[j] == 0xe2 && u[j + 1] == 0x80 && (u[j + 2] == 0x89 || u[j + 2] == 0xaf))
		return j + 3;
	return j;
}

/* The end of one \frac argument at t[k] ({integer} or a single digit), or k when it is not one. */
static size_t frac_arg_end(const char *t, size_t k, size_t b)
{
	size_t m;

	while (k < b && t[k] == ' ')
		k++;
	if (digit_at(t, k, b))
		return k + 1;
	if (k >= b || t[k] != '{')
		return k;
	m = k + 1;
	while (m < b && t[m] == ' ')
		m++;
	if (m < b && t[m] == '-')
		m++;
	if (!digit_at(t, m, b))
		return k;
	while (digit_at(t, m, b))
		m++;
	while (m < b && t[m] == ' ')
		m++;
	return m < b && t[m] == '}' ? m + 1 : k;
}

/* The end of \frac, \dfrac or \tfrac of two integers at t[j], or j when there is none. */
static size_t frac_end(const char *t, size_t j, size_t b)
{
	size_t k = j, m, n;

	if (k >= b || t[k] != '\\')
		return j;
	k++;
	if (k < b && (t[k] == 'd' || t[k] == 't'))
		k++;
	if (b - k < 4 || memcmp(t + k, "frac", 4) != 0)
		return j;
	k += 4;
	if (k < b && isalpha((unsigned char)t[k]))
		return j;
	m = frac_arg_end(t, k, b);
	if (m == k)
		return j;
	n = frac_arg_end(t, m, b);
	return n == m ? j : n;
}

size_t csx_number_at(const char *t, size_t i, size_t b)
{
	size_t j = i, k, d0;

	if (j < b && t[j] == '-')
		j++;
	k = frac_end(t, j, b);
	if (k > j)
		return k;
	if (!digit_at(t, j, b))
		return i;
	d0 = j;
	while (digit_at(t, j, b))
		j++;
	if (j - d0 <= 3) {
		for (;;) {
			k = separator_end(t, j, b);
			if (k == j || !three_digits(t, k, b))
				break;
			j = k + 3;
		}
	}
	if (j + 1 < b && (t[j] == '.' || t[j] == '/') && digit_at(t, j + 1, b)) {
		j++;
		while (digit_at(t, j, b))
			j++;
	}
	return j;
}

/* The position of the first occurrence of lit in t[i..b), or b. */
static size_t find_lit(const char *t, size_t i, size_t b, const char *lit)
{
	size_t l = strlen(lit);

	for (size_t j = i; j + l <= b; j++)
		if (t[j] == lit[0] && memcmp(t + j, lit, l) == 0)
			return j;
	return b;
}

/* Where the closers of math spans were last found in one text: "$$", "\]", "\)" and a line break ((size_t)-1
 * before the first search). A later search from a position before a remembered one reuses it, so that a text
 * full of unclosed openers is still scanned once. */
struct closers {
	size_t at[4];
};

static const char *const closer_lit[4] = { "$$", "\\]", "\\)", "\n" };

/* Forgets every remembered closer. */
static void closers_init(struct closers *m)
{
	for (int k = 0; k < 4; k++)
		m->at[k] = (size_t)-1;
}

/* The first closer k at or after from in t[..b), or b. */
static size_t next_closer(const char *t, size_t from, size_t b, struct closers *m, int k)
{
	if (m->at[k] == (size_t)-1 || m->at[k] < from)
		m->at[k] = find_lit(t, from, b, closer_lit[k]);
	return m->at[k];
}

/* csx_math_span with the closers remembered in m. */
static size_t math_span(const char *t, size_t i, size_t b, size_t *cs, size_t *ce, struct closers *m)
{
	size_t c;
	int k;

	if (i >= b)
		return i;
	if (t[i] == '$' && i + 1 < b && t[i + 1] == '$') {
		k = 0;
	} else if (t[i] == '$') {
		c = i + 1;
		while (c < b && c - i <= MAX_SPAN && t[c] != '\n' && !(t[c] == '$' && t[c - 1] != '\\'))
			c++;
		if (c >= b || t[c] != '$' || c == i + 1)
			return i;
		*cs = i + 1;
		*ce = c;
		return c + 1;
	} else if (t[i] == '\\' && i + 1 < b && (t[i + 1] == '(' || t[i + 1] == '[')) {
		k = t[i + 1] == '[' ? 1 : 2;
	} else {
		return i;
	}
	c = next_closer(t, i + 2, b, m, k);
	if (c >= b || c - i > MAX_SPAN || (k == 2 && next_closer(t, i + 2, b, m, 3) < c))
		return i;
	*cs = i + 2;
	*ce = c;
	return c + 2;
}

size_t csx_math_span(const char *t, size_t i, size_t b, size_t *cs, size_t *ce)
{
	struct closers m;

	closers_init(&m);
	return math_span(t, i, b, cs, ce, &m);
}

/* Whether the word t[s..e) names a number ("six", "Twenty"): a candidate as much as a numeral is. */
static int number_word(const char *t, size_t s, size_t e)
{
	static const char *const words[] = {
		"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
		"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
		"forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion",
		NULL
	};
	char w[16];

	if (e - s >= sizeof w)
		return 0;
	for (size_t j = s; j < e; j++)
		w[j - s] = (char)tolower((unsigned char)t[j]);
	w[e - s] = '\0';
	for (int k = 0; words[k] != NULL; k++)
		if (strcmp(w, words[k]) == 0)
			return 1;
	return 0;
}

/* The end of a percent sign ("%", "\%", after optional spaces) at t[k], or k when there is none. */
static size_t percent_end(const char *t, size_t k, size_t b)
{
	size_t j = k;

	while (j < b && t[j] == ' ')
		j++;
	if (j < b && t[j] == '%')
		return j + 1;
	if (j + 1 < b && t[j] == '\\' && t[j + 1] == '%')
		return j + 2;
	return k;
}

/* Records one candidate [cs, ce) written at [s, e). */
static void add_candidate(struct csx_cands *c, size_t cs, size_t ce, size_t s, size_t e)
{
	if (c->n == 0) {
		c->s = cs;
		c->e = ce;
	}
	c->last_s = s;
	c->last_e = e;
	c->n++;
}

void csx_candidates(const char *t, size_t a, size_t b, struct csx_cands *c)
{
	struct closers m;
	size_t i = a;

	memset(c, 0, sizeof *c);
	closers_init(&m);
	while (i < b) {
		unsigned char ch = (unsigned char)t[i];
		size_t cs = 0, ce = 0, k;

		if (ch == '$' || (ch == '\\' && i + 1 < b && (t[i + 1] == '(' || t[i + 1] == '['))) {
			k = math_span(t, i, b, &cs, &ce, &m);
			if (k > i) {
				add_candidate(c, cs, ce, i, k);
				i = k;
				continue;
			}
			if (ch == '$') {
				c->open_math = 1;
				i++;
				continue;
			}
		}
		if (ch == '\\') {
			k = csx_number_at(t, i, b);
			if (k > i) {
				add_candidate(c, i, k, i, k);
				i = k;
				continue;
			}
			/* A command name, or an escaped character such as \$. */
			i++;
			if (i < b && !isalpha((unsigned char)t[i]))
				i++;
			while (i < b && isalpha((unsigned char)t[i]))
				i++;
			continue;
		}
		if (isdigit(ch) || (ch == '-' && digit_at(t, i + 1, b))) {
			k = percent_end(t, csx_number_at(t, i, b), b);
			add_candidate(c, i, k, i, k);
			i = k;
			continue;
		}
		if (isalpha(ch) || ch >= 0x80) {
			size_t s = i;
			int ascii = 0, script = 0;

			while (i < b && (isalpha((unsigned char)t[i]) || (unsigned char)t[i] >= 0x80 || t[i] == '\'')) {
				unsigned char u = (unsigned char)t[i];
				if (isalpha(u))
					ascii++;
				else if (u >= 0xe3 || (u >= 0xd0 && u <= 0xd4))
					script = 1;  /* the lead byte of a Cyrillic or CJK character */
				i++;
			}
			if (ascii >= 2 || script)
				c->words++;
			if (ascii >= 3 && number_word(t, s, i))
				add_candidate(c, s, i, s, i);
			continue;
		}
		i++;
	}
}

/* The start of a special token such as <|im_end|> (optionally followed by a role word) that ends t[0..e), or e. */
static size_t special_token_start(const char *t, size_t e)
{
	size_t lim = e > 64 ? e - 64 : 0, j = e;

	while (j > lim && isalpha((unsigned char)t[j - 1]))
		j--;
	if (j < 2 || t[j - 1] != '>' || t[j - 2] != '|')
		return e;
	for (size_t k = j - 2; k > lim; k--)
		if (t[k - 1] == '<' && t[k] == '|')
			return k - 1;
	return e;
}

size_t csx_trim_end(const char *t, size_t len)
{
	size_t e = len;

	for (int round = 0; round < 8; round++) {
		size_t before;

		while (e > 0 && isspace((unsigned char)t[e - 1]))
			e--;
		before = e;
		if (e >= 5 && memcmp(t + e - 5, " \xd0\xba\xd0\xb8", 5) == 0)
			e -= 5;
		else if (e >= 4 && memcmp(t + e - 4, "</s>", 4) == 0)
			e -= 4;
		else
			e = special_token_start(t, e);
		if (e == before)
			break;
	}
	return e;
}

/* Whether the word or sign that ends t[lim..k) links a subject to the answer after it ("is", "=", "thus"). */
static int linking_word_before(const char *t, size_t lim, size_t k)
{
	static const char *const words[] = { "is", "are", "was", "be", "equals", "to", "therefore", "thus", "hence",
					     "so", NULL };
	size_t j;
	char w[16];

	while (k > lim && (t[k - 1] == ' ' || t[k - 1] == '*' || t[k - 1] == ',' || t[k - 1] == '\n'))
		k--;
	if (k > lim && (t[k - 1] == '=' || t[k - 1] == ':'))
		return 1;
	j = k;
	while (j > lim && isalpha((unsigned char)t[j - 1]) && k - j < sizeof w - 1)
		j--;
	if (j == k || (j > lim && isalpha((unsigned char)t[j - 1])))
		return 0;
	for (size_t m = j; m < k; m++)
		w[m - j] = (char)tolower((unsigned char)t[m]);
	w[k - j] = '\0';
	for (int n = 0; words[n] != NULL; n++)
		if (strcmp(w, words[n]) == 0)
			return 1;
	return 0;
}

/* Where the math that ends t[lim..body) opens, when it ends with a closed display ("\[ .. \]", "$$ .. $$") or an
 * inline span ("$x = 5.$"), so that full stops inside it do not end the sentence; else body. */
static size_t display_start(const char *t, size_t lim, size_t body)
{
	size_t j;

	if (body - lim < 2)
		return body;
	if (t[body - 1] == ']' && t[body - 2] == '\\') {
		for (j = body - 2; j >= lim + 2; j--)
			if (t[j - 2] == '\\' && t[j - 1] == '[')
				return j - 2;
	} else if (t[body - 1] == '$' && t[body - 2] == '$') {
		for (j = body - 2; j >= lim + 2; j--)
			if (t[j - 2] == '$' && t[j - 1] == '$')
				return j - 2;
	} else if (t[body - 1] == '$') {
		for (j = body - 1; j > lim && t[j - 1] != '\n'; j--)
			if (t[j - 1] == '$')
				return j - 1;
	} else if (t[body - 1] == ')' && t[body - 2] == '\\') {
		for (j = body - 2; j >= lim + 2 && t[j - 1] != '\n'; j--)
			if (t[j - 2] == '\\' && t[j - 1] == '(')
				return j - 2;
	}
	return body;
}

int csx_last_sentence(const char *t, size_t len, size_t *a, size_t *b)
{
	size_t e = csx_trim_end(t, len), body, s, lim, k;
	struct csx_cands c;
	int found = 0;

	if (e < 2)
		return 0;
	if (t[e - 1] == '.' || t[e - 1] == '!' || t[e - 1] == '?') {
		if (t[e - 2] == '.')
			return 0;  /* an ellipsis trails off */
		body = e - 1;
	} else if (t[e - 1] == ']' && t[e - 2] == '\\') {
		body = e;  /* a closed display */
	} else if (t[e - 1] == '$' && (t[e - 2] == '$' || t[e - 2] == '.')) {
		body = e;  /* a closed display, or a sentence whose full stop is inside its math */
	} else if (e >= 3 && t[e - 1] == ')' && t[e - 2] == '\\' && t[e - 3] == '.') {
		body = e;
	} else {
		return 0;
	}
	lim = e > SENTENCE_LOOKBACK ? e - SENTENCE_LOOKBACK : 0;
	s = display_start(t, lim, body);
	while (s > lim) {
		if (t[s - 1] == '\n' && s >= 2 && t[s - 2] == '\n') {
			found = 1;
			break;
		}
		if (isspace((unsigned char)t[s - 1]) && s >= 2 && (t[s - 2] == '.' || t[s - 2] == '!' || t[s - 2] == '?')) {
			found = 1;
			break;
		}
		s--;
	}
	if (!found && s > 0)
		return 0;
	csx_candidates(t, s, body, &c);
	if (c.n != 1 || c.open_math)
		return 0;
	/* A closing '$' of the text must close the candidate's span (the text does not stop inside math). */
	k = c.last_e;
	while (k < body && (t[k] == ' ' || t[k] == '*'))
		k++;
	if (k != body || !linking_word_before(t, s, c.last_s))
		return 0;
	*a = c.s;
	*b = c.e;
	return 1;
}

int csx_cut_short(const char *t, size_t a, size_t b)
{
	long depth = 0;
	char last;

	while (b > a && isspace((unsigned char)t[b - 1]))
		b--;
	if (b == a)
		return 1;
	for (size_t j = a; j < b; j++) {
		if (t[j] == '{')
			depth++;
		else if (t[j] == '}')
			depth--;
	}
	last = t[b - 1];
	return depth != 0 || strchr("+-/=^_({[\\,&<", last) != NULL;
}
