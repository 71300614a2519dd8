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
	{ NULL, NULL }
};

/* Literal sequences replaced wherever they occur. */
static const struct repl lit_table[] = {
	{ "{,}", "" },   { "\\!", "" },      { "\\,", " " },          { "\\;", " " },  { "\\:", " " },
	{ "\\ ", " " },  { "~", " " },       { "^{\\circ}", "^\\circ" }, { "\xc2\xb0", "^\\circ" },
	{ "\\$", "" },   { "$", "" },        { "\xe2\x88\x92", "-" }, { "\xc3\x97", "\\times " },
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

/* Length of a leading "x =", "\theta =", "a_1 =" or "x \in" prefix to drop, 0 when there is none. */
static size_t var_prefix(const char *s, size_t n)
{
	size_t i = 0, eq = 0, count = 0;

	for (size_t j = 0; j < n; j++) {
		if (s[j] == '=') {
			count++;
			eq = j;
		}
		if (s[j] == '<' || s[j] == '>' || (s[j] == '\\' && (starts(s + j, n - j, "\\le") ||
								  starts(s + j, n - j, "\\ge") ||
								  starts(s + j, n - j, "\\ne"))))
			return 0;
	}
	if (count > 1)
		return 0;
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
	if (count == 0 && n - i > 4 && memcmp(s + i, "\\in", 3) == 0 && !is_letter(s[i + 3])) {
		/* "x \in [2, 5)": membership, like an equation, may be dropped. */
		i += 3;
		while (i < n && s[i] == ' ')
			i++;
		return i < n ? i : 0;
	}
	if (i != eq)
		return 0;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	return i < n ? i : 0;
}

/* Pass 2 for answers that are not numbers: unwraps \text{...}, drops spaces (keeping one between a command
 * and a following letter) and reduces "(C)" to "C". Writes into out, returns its length. */
static size_t pass_text(const char *s, size_t n, char *out)
{
	size_t i = 0, k = 0;
	int depth_text = 0;
	int text_depth[CSG_MAX_DEPTH];
	int depth = 0;

	while (i < n) {
		if (s[i] == '\\' && n - i >= 6 && memcmp(s + i, "\\text{", 6) == 0 && depth < CSG_MAX_DEPTH) {
			text_depth[depth_text < CSG_MAX_DEPTH ? depth_text : CSG_MAX_DEPTH - 1] = depth;
			depth_text++;
			depth++;
			i += 6;
			continue;
		}
		if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}') {
			depth--;
			if (depth_text > 0 && depth_text <= CSG_MAX_DEPTH && text_depth[depth_text - 1] == depth) {
				depth_text--;
				i++;
				continue;
			}
		}
		if (s[i] == ' ') {
			size_t j = k;
			while (j > 0 && is_letter(out[j - 1]))
				j--;
			if (j < k && j > 0 && out[j - 1] == '\\' && i + 1 < n && is_letter(s[i + 1]))
				out[k++] = ' ';
			i++;
			continue;
		}
		out[k++] = s[i++];
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

int csg_canon(enum cs_profile p, const char *s, size_t len, char **out)
{
	return csg_canon_at(p, s, len, 0, out);
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
	/* The table grows text at most threefold (a two-byte degree sign becomes ^\circ). */
	b1 = malloc(3 * len + 16);
	b2 = malloc(3 * len + 16);
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
