/* The canonicalisation table, applied alike to gold and predicted answers before any comparison. */
#include "grade/grade_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *csg_strndup(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

int csg_contains(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	for (size_t i = 0; i + l <= n; i++)
		if (memcmp(s + i, lit, l) == 0)
			return 1;
	return 0;
}

/* One row of the table: a LaTeX command (matched only when not followed by a letter) and its replacement. */
struct repl {
	const char *from;
	const char *to;
};

static const struct repl cmd_table[] = {
	{ "\\dfrac", "\\frac" },   { "\\tfrac", "\\frac" },      { "\\cfrac", "\\frac" },
	{ "\\dbinom", "\\binom" }, { "\\tbinom", "\\binom" },    { "\\mbox", "\\text" },
	{ "\\textbf", "\\text" },  { "\\textrm", "\\text" },     { "\\textit", "\\text" },
	{ "\\mathrm", "\\text" },  { "\\textnormal", "\\text" }, { "\\mathbf", "\\text" },
	{ "\\quad", " " },         { "\\qquad", " " },           { "\\displaystyle", "" },
	{ "\\textstyle", "" },     { "\\degree", "^\\circ" },    { "\\left", "" },
	{ "\\right", "" },         { "\\bigl", "" },             { "\\bigr", "" },
	{ "\\Bigl", "" },          { "\\Bigr", "" },             { "\\big", "" },
	{ "\\Big", "" },           { "\\dots", "\\ldots" },      { "\\cdots", "\\ldots" },
	{ "\\leq", "\\le" },       { "\\leqslant", "\\le" },     { "\\leqq", "\\le" },
	{ "\\geq", "\\ge" },       { "\\geqslant", "\\ge" },     { "\\geqq", "\\ge" },
	{ "\\neq", "\\ne" },       { "\\lt", "<" },               { "\\gt", ">" },
	{ NULL, NULL }
};

/* Literal sequences replaced wherever they occur. */
static const struct repl lit_table[] = {
	{ "{,}", "" },   { "\\!", "" },      { "\\,", " " },          { "\\;", " " },  { "\\:", " " },
	{ "\\ ", " " },  { "~", " " },       { "^{\\circ}", "^\\circ" }, { "\xc2\xb0", "^\\circ" },
	{ "\\$", "" },   { "$", "" },        { "\xe2\x88\x92", "-" }, { "\xc3\x97", "\\times " },
	{ "\xe2\x89\xa4", "\\le " }, { "\xe2\x89\xa5", "\\ge " }, { "\xe2\x89\xa0", "\\ne " },
	{ "\\text{ and }", "," }, { "\\text{and}", "," }, { "\\text{ or }", "," }, { "\\text{or}", "," },
	{ NULL, NULL }
};

static int is_letter(char c)
{
	return isalpha((unsigned char)c);
}

/* Pass 1: the replacement tables and whitespace collapsing, into out (at least 3 len + 1 bytes). */
static size_t pass_table(const char *s, size_t len, char *out)
{
	size_t i = 0, k = 0;

	while (i < len) {
		int done = 0;

		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\\') {
			out[k++] = s[i++];
			out[k++] = s[i++];
			continue;
		}
		if (s[i] == '\\' && i + 5 < len && s[i + 1] == 't' && s[i + 5] == '{') {
			for (int t = 0; lit_table[t].from != NULL; t++) {
				size_t l = strlen(lit_table[t].from);
				if (l > 5 && len - i >= l && memcmp(s + i, lit_table[t].from, l) == 0) {
					out[k++] = ',';
					i += l;
					done = 1;
					break;
				}
			}
			if (done)
				continue;
		}
		if (s[i] == '\\' && i + 1 < len && is_letter(s[i + 1])) {
			size_t j = i + 1;
			while (j < len && is_letter(s[j]))
				j++;
			for (int t = 0; cmd_table[t].from != NULL; t++) {
				size_t l = strlen(cmd_table[t].from);
				if (l == j - i && memcmp(s + i, cmd_table[t].from, l) == 0) {
					size_t tl = strlen(cmd_table[t].to);
					memcpy(out + k, cmd_table[t].to, tl);
					k += tl;
					i = j;
					/* \left. and \right. are invisible delimiters. */
					if ((l == 5 || l == 6) && cmd_table[t].to[0] == '\0' && i < len && s[i] == '.')
						i++;
					done = 1;
					break;
				}
			}
			if (!done) {
				memcpy(out + k, s + i, j - i);
				k += j - i;
				i = j;
			}
			continue;
		}
		for (int t = 0; strchr("{\\~^\xc2\xc3\xe2$", s[i]) != NULL && lit_table[t].from != NULL; t++) {
			size_t l = strlen(lit_table[t].from);
			if (len - i >= l && memcmp(s + i, lit_table[t].from, l) == 0) {
				size_t tl = strlen(lit_table[t].to);
				memcpy(out + k, lit_table[t].to, tl);
				k += tl;
				i += l;
				done = 1;
				break;
			}
		}
		if (done)
			continue;
		if (isspace((unsigned char)s[i])) {
			if (k > 0 && out[k - 1] != ' ')
				out[k++] = ' ';
			i++;
			continue;
		}
		out[k++] = s[i++];
	}
	return k;
}

static void trim(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && (isspace((unsigned char)s[*start])))
		(*start)++;
	while (*end > *start && (isspace((unsigned char)s[*end - 1])))
		(*end)--;
}

static int starts(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);

	return n >= l && memcmp(s, p, l) == 0;
}

/* Strips \( \), \[ \] around the whole answer and a final period. */
static void strip_outer(const char *s, size_t *a, size_t *b)
{
	trim(s, a, b);
	for (int round = 0; round < 3; round++) {
		size_t n = *b - *a;
		if (n >= 4 && (starts(s + *a, n, "\\(") && memcmp(s + *b - 2, "\\)", 2) == 0)) {
			*a += 2;
			*b -= 2;
		} else if (n >= 4 && (starts(s + *a, n, "\\[") && memcmp(s + *b - 2, "\\]", 2) == 0)) {
			*a += 2;
			*b -= 2;
		} else {
			break;
		}
		trim(s, a, b);
	}
	while (*b > *a && (s[*b - 1] == '.' || s[*b - 1] == ' ') &&
	       !(*b - *a >= 2 && s[*b - 2] == '.'))
		(*b)--;
	trim(s, a, b);
}

/* Whether a relation other than "=" starts at s[j] ("<", ">", "!=", \le, \ge, \ne, \lt, \gt, UTF-8 signs). */
static int inequality_at(const char *s, size_t n, size_t j)
{
	return s[j] == '<' || s[j] == '>' || (s[j] == '!' && j + 1 < n && s[j + 1] == '=') ||
	       (s[j] == '\xe2' && j + 1 < n && s[j + 1] == '\x89') ||
	       (s[j] == '\\' && (starts(s + j, n - j, "\\le") || starts(s + j, n - j, "\\ge") ||
				 starts(s + j, n - j, "\\ne") || starts(s + j, n - j, "\\lt") ||
				 starts(s + j, n - j, "\\gt")));
}

/* Length of "x \in " before intervals at s[0..n) (a letter or command with a subscript), 0 when none. */
static size_t member_prefix(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && s[i] == '\\') {
		i++;
		while (i < n && is_letter(s[i]))
			i++;
	} else if (i < n && is_letter(s[i])) {
		i++;
	} else {
		return 0;
	}
	if (i + 1 < n && s[i] == '_') {
		if (s[i + 1] == '{') {
			while (i < n && s[i] != '}')
				i++;
			i++;
		} else {
			i += 2;
		}
	}
	while (i < n && s[i] == ' ')
		i++;
	if (n - i > 4 && memcmp(s + i, "\\in", 3) == 0 && !is_letter(s[i + 3])) {
		i += 3;
		while (i < n && s[i] == ' ')
			i++;
		return i < n ? i : 0;
	}
	return 0;
}

/* Length of a leading left side to drop, 0 when there is none. Dropped: a label (csg_is_label: "x", "a_{37}",
 * "f(x)", "(p,q)", "|AB|", "V_1:V_2", "\frac{NO}{BO}"; never a sum, a power or a number) and "=" before a
 * value without unknowns (or a number with a unit), as in "x = 5", "(p,q) = (3,2)", "n = 1, 2, 3"; all but the
 * last member of a chain "x = \frac{6}{2} = 3" or "\frac{6}{2} = 3" whose last member has no unknowns (not in
 * a list, where "x = 1, y = 2" are several labels); "x \in " before intervals. A value with unknowns keeps its
 * label ("y = 2x + 3" stays an equation; comparison drops the label against an answer that has none). */
static size_t var_prefix(const char *s, size_t n)
{
	size_t first = 0, last = 0, count = 0, v;
	int depth = 0, list = 0, rc;
	struct csg_num num;

	for (size_t j = 0; j < n; j++) {
		if (inequality_at(s, n, j))
			return 0;
		if (s[j] == '\\' && j + 1 < n && !is_letter(s[j + 1])) {
			depth += s[j + 1] == '{' ? 1 : s[j + 1] == '}' ? -1 : 0;
			j++;
		} else if (s[j] == '(' || s[j] == '[' || s[j] == '{') {
			depth++;
		} else if (s[j] == ')' || s[j] == ']' || s[j] == '}') {
			depth--;
		} else if (depth == 0 && (s[j] == ',' || s[j] == ';')) {
			list = 1;
		} else if (depth == 0 && s[j] == '=') {
			if (count++ == 0)
				first = j;
			last = j;
		}
	}
	if (count == 0)
		return member_prefix(s, n);
	if ((count > 1 && list) || first == 0)
		return 0;
	if (!csg_is_label(s, first) && csg_has_unknown(s, first))
		return 0;
	v = last + 1;
	while (v < n && s[v] == ' ')
		v++;
	if (v >= n)
		return 0;
	if (csg_has_unknown(s + v, n - v)) {
		csg_num_init(&num);
		rc = csg_num_parse(s + v, n - v, 1, &num);
		csg_num_clear(&num);
		if (rc != CSG_OK)
			return 0;
	}
	return v;
}

/* Length of a wrapper whose braces pass 2 drops, keeping the content: "\text{" (6), "\boxed{" (7) or "\fbox{"
 * (6) at s[0..n); 0 when there is none. *is_text is set for \text (its words are text, case-folded). */
static size_t wrapper_at(const char *s, size_t n, int *is_text)
{
	*is_text = 0;
	if (n >= 6 && memcmp(s, "\\text{", 6) == 0) {
		*is_text = 1;
		return 6;
	}
	if (n >= 7 && memcmp(s, "\\boxed{", 7) == 0)
		return 7;
	if (n >= 6 && memcmp(s, "\\fbox{", 6) == 0)
		return 6;
	return 0;
}

/* Whether the letter run w[0..n) is written as a word, so that its case does not matter: all lower case
 * after the first letter ("Monday", "yes"), two or more letters inside \text{}, three or more elsewhere ("Ab"
 * outside \text may be the product A b). Single letters are variables or choices (x is not X) and capital
 * runs name points (AB), so those keep their case. */
static int is_text_word(const char *w, size_t n, int in_text)
{
	if (n < (in_text ? 2u : 3u))
		return 0;
	for (size_t j = 1; j < n; j++)
		if (!islower((unsigned char)w[j]))
			return 0;
	return 1;
}

/* Whether the digits that end out[0..k) are a one-character subscript or superscript ("\log_2 8", "x^2 3"):
 * the space after them separates an argument, not two numbers. */
static int after_script(const char *out, size_t k)
{
	return k >= 2 && (out[k - 2] == '_' || out[k - 2] == '^');
}

/* Pass 2 for answers that are not numbers, from s[0..n) into out (at least n bytes); returns the length.
 * Unwraps \text{...}, \boxed{...} and \fbox{...}; drops \( \) delimiters; case-folds text words (is_text_word);
 * turns the joining words "and" and "or" (outside \text) into commas ("19, 46, and 82" -> "19,46,,82"; the
 * empty item is dropped when the list is read); drops spaces, keeping one between a command and a following
 * letter, and writing a LaTeX space "~" between two digits ("2 3" is neither 23 nor 2 times 3: it compares only as
 * written) unless the first is a subscript or superscript; drops double quotes around the whole answer; reduces
 * "(C)" to "C". */
static size_t pass_text(const char *s, size_t n, char *out)
{
	int open_at[CSG_MAX_DEPTH], open_text[CSG_MAX_DEPTH];
	int nopen = 0, depth = 0, in_text = 0, is_text;
	size_t i = 0, k = 0, w, j;

	while (i < n) {
		w = wrapper_at(s + i, n - i, &is_text);
		if (w > 0 && nopen < CSG_MAX_DEPTH) {
			open_at[nopen] = depth;
			open_text[nopen] = is_text;
			nopen++;
			in_text += is_text;
			depth++;
			i += w;
			continue;
		}
		if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}') {
			depth--;
			if (nopen > 0 && open_at[nopen - 1] == depth) {
				nopen--;
				in_text -= open_text[nopen];
				i++;
				continue;
			}
		}
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == ')')) {
			i += 2;
			continue;
		}
		if (s[i] == '\\' && i + 1 < n) {
			/* A command, or an escaped character such as \{ or \%, is copied as it is. */
			j = i + 1;
			while (j < n && is_letter(s[j]))
				j++;
			if (j == i + 1)
				j++;
			memcpy(out + k, s + i, j - i);
			k += j - i;
			i = j;
			continue;
		}
		if (is_letter(s[i])) {
			j = i;
			while (j < n && is_letter(s[j]))
				j++;
			if (!in_text && ((j - i == 3 && memcmp(s + i, "and", 3) == 0) ||
					 (j - i == 2 && memcmp(s + i, "or", 2) == 0))) {
				out[k++] = ',';
			} else {
				int fold = is_text_word(s + i, j - i, in_text);
				for (size_t t = i; t < j; t++)
					out[k++] = fold ? (char)tolower((unsigned char)s[t]) : s[t];
			}
			i = j;
			continue;
		}
		if (s[i] == ' ') {
			j = k;
			while (j > 0 && is_letter(out[j - 1]))
				j--;
			if (j < k && j > 0 && out[j - 1] == '\\' && i + 1 < n && is_letter(s[i + 1]))
				out[k++] = ' ';
			else if (k > 0 && isdigit((unsigned char)out[k - 1]) && i + 1 < n &&
				 isdigit((unsigned char)s[i + 1]) && !after_script(out, k))
				out[k++] = '~';
			i++;
			continue;
		}
		out[k++] = s[i++];
	}
	if (k >= 4 && memcmp(out, "\\\"", 2) == 0 && memcmp(out + k - 2, "\\\"", 2) == 0 &&
	    memchr(out + 2, '"', k - 4) == NULL) {
		/* Quotes escaped by the writer of the text: \"12 and 13\". */
		memmove(out, out + 2, k - 4);
		k -= 4;
	} else if (k >= 2 && out[0] == '"' && out[k - 1] == '"' && memchr(out + 1, '"', k - 2) == NULL) {
		/* A quoted answer ("12 and 13" in quotes) is the answer. */
		memmove(out, out + 1, k - 2);
		k -= 2;
	}
	if (k == 3 && out[0] == '(' && out[2] == ')' && is_letter(out[1])) {
		out[0] = out[1];
		k = 1;
	}
	return k;
}

/* "a \pm b" (one \pm, no comma) becomes the list "a+b,a-b" in out (at least 2 n + 2 bytes); returns its
 * length, 0 when s is not of that shape. */
static size_t expand_pm(const char *s, size_t n, char *out)
{
	const char *pm = NULL;
	size_t at, k = 0;

	for (size_t j = 0; j + 3 <= n; j++) {
		if (s[j] == ',')
			return 0;
		if (memcmp(s + j, "\\pm", 3) == 0 && (j + 3 == n || !is_letter(s[j + 3]))) {
			if (pm != NULL)
				return 0;
			pm = s + j;
		}
	}
	if (pm == NULL)
		return 0;
	at = (size_t)(pm - s);
	for (int sign = 0; sign < 2; sign++) {
		memcpy(out + k, s, at);
		k += at;
		out[k++] = sign == 0 ? '+' : '-';
		memcpy(out + k, s + at + 3, n - at - 3);
		k += n - at - 3;
		if (sign == 0)
			out[k++] = ',';
	}
	return k;
}

/* An exact value followed by a numeric gloss ("\frac{\sqrt{3}}{3} \approx 0.577"): the end of the exact part,
 * the first \approx or U+2248 outside braces with something before it; n when there is none. */
static size_t drop_gloss(const char *s, size_t n)
{
	int depth = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}')
			depth--;
		if (depth != 0 || i == 0)
			continue;
		if ((n - i >= 7 && memcmp(s + i, "\\approx", 7) == 0 && (n - i == 7 || !is_letter(s[i + 7]))) ||
		    (n - i >= 3 && memcmp(s + i, "\xe2\x89\x88", 3) == 0))
			return i;
	}
	return n;
}

/* csg_canon_at at depth 0; an answer that holds boxes ("$\boxed{1}\boxed{2}$", "\boxed{1} papers and \boxed{2}
 * bins") stands for its last box group (csg_boxed: linked boxes joined into one list), alike for gold and
 * prediction. */
int csg_canon(enum cs_profile p, const char *s, size_t len, char **out)
{
	char *box = NULL;
	int rc;

	*out = NULL;
	for (size_t i = 0; i + 5 <= len; i++) {
		if (s[i] == '\\' && (memcmp(s + i + 1, "fbox", 4) == 0 ||
				     (i + 6 <= len && memcmp(s + i + 1, "boxed", 5) == 0))) {
			rc = csg_boxed(s, len, 1, &box);
			if (rc != CSG_OK)
				goto out;
			break;
		}
	}
	if (box != NULL)
		rc = csg_canon_at(p, box, strlen(box), 0, out);
	else
		rc = csg_canon_at(p, s, len, 0, out);
out:
	free(box);
	return rc;
}

int csg_canon_at(enum cs_profile p, const char *s, size_t len, int depth, char **out)
{
	char *b1 = NULL, *b2 = NULL;
	size_t n, a, e, pre;
	struct csg_num num;
	int rc = CSG_OK, prc;

	*out = NULL;
	csg_num_init(&num);
	if (len > CSG_MAX_ANSWER) {
		rc = CSG_BIG;
		goto out;
	}
	/* The table grows text at most 3.5-fold (a two-byte times sign becomes "\times "), and expand_pm then
	 * doubles it (a +b,a -b): 8 len + 64 bytes hold every pass. */
	b1 = malloc(8 * len + 64);
	b2 = malloc(8 * len + 64);
	if (b1 == NULL || b2 == NULL) {
		rc = CSG_NOMEM;
		goto out;
	}
	a = 0;
	e = len;
	strip_outer(s, &a, &e);
	n = pass_table(s + a, e - a, b1);
	a = 0;
	e = n;
	strip_outer(b1, &a, &e);
	e = a + drop_gloss(b1 + a, e - a);
	strip_outer(b1, &a, &e);
	/* Labelled values (x = 1, y = 2; several solutions of them) keep their labels: they compare as maps.
	 * They need an "=" (most answers have none, and are spared the relation parser). */
	if (memchr(b1 + a, '=', e - a) != NULL) {
		rc = csg_relation_canon(p, b1 + a, e - a, depth, out);
		if (rc != CSG_OK || *out != NULL)
			goto out;
	}
	pre = var_prefix(b1 + a, e - a);
	a += pre;
	prc = csg_num_parse(b1 + a, e - a, 1, &num);
	if (prc == CSG_OK) {
		rc = csg_num_format(&num, out);
		goto out;
	}
	n = expand_pm(b1 + a, e - a, b2);
	if (n > 0) {
		n = pass_text(b2, n, b1);
		memcpy(b2, b1, n);
	} else {
		n = pass_text(b1 + a, e - a, b2);
	}
	a = 0;
	e = n;
	strip_outer(b2, &a, &e);
	b2[e] = '\0';
	if (depth < CSG_MAX_CANON_NEST) {
		rc = csg_struct_canon(p, b2 + a, depth, out);
		if (rc != CSG_OK || *out != NULL)
			goto out;
	}
	*out = csg_strndup(b2 + a, e - a);
	if (*out == NULL)
		rc = CSG_NOMEM;
out:
	csg_num_clear(&num);
	free(b1);
	free(b2);
	return rc;
}
