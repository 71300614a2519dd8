/* Final-answer extraction: balanced \boxed scanning in C, then PCRE2 marker rules in profile order. */
#include "grade/grade_int.h"
#include "grade/extract_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 2000
#define MAX_JOINED  16
#define MAX_GAP     64   /* bytes between two boxes that can still link them */
#define MAX_TOKENS  8    /* words and signs between two linked boxes */
#define MAX_BEFORE  2000 /* bytes looked back for the math span before "is the answer" */
#define SAME_MAX    256  /* longest answer compared by its canonical form when one answer is written twice */
#define MAX_PHRASE  1024 /* bytes of an answer phrase searched for bounds, hedges and alternatives */

/* The marker patterns. One pattern may hold two rules told apart by the matched text (see cs_extract). */
enum pat_id { P_FINAL, P_THE, P_COLON, P_HASH, P_SOL, P_COUNT };

static const char *const pat_names[P_COUNT] = {
	"final-answer-is", "the-answer-is", "answer-colon", "hash", "the-solution-is"
};

/* Every alternative starts with a literal (line starts are lookbehinds), so that PCRE2 skips ahead to it. */
static const char *const pat_texts[P_COUNT] = {
	/* "final answer is", "Final Answer:", or a heading line "# Answer" (PRM800K, GPT-4 step format) */
	"(?i)\\bfinal\\s+answer(?:\\s+is\\b\\s*:?|\\s*:)"
	"|(?<=^|\\n)\\#{1,6}[ \\t]*(?:final[ \\t]+)?answer[ \\t]*:?[ \\t]*(?=\\r?\\n|$)",
	/* "the answer (to this question) is ..." or "... is our answer" */
	"(?i)\\banswer(?:\\s+(?:to|for|of)\\s+(?:this|the)\\s+(?:question|problem))?\\s+is\\b\\s*:?"
	"|(?<=\\bis our |\\bis the |\\bis our final |\\bis the final )answer\\b",
	/* "Answer:" anywhere; "Answer" right before math at the start of a line; "A:" at the start of a line;
	 * Réponse, Antwort, 答案, Ответ */
	"(?i:\\banswer)(?:\\*\\*|__)?\\s*:"
	"|(?<=^|\\n|^[ \\t*_]|\\n[ \\t*_]|^[ \\t*_]{2}|\\n[ \\t*_]{2}|^[ \\t*_]{3}|\\n[ \\t*_]{3}|^[ \\t*_]{4}"
	"|\\n[ \\t*_]{4})(?:(?i:answer)[ \\t*_]*(?=\\$|\\\\[[(])|A:)"
	"|(?<=\\b[Rr])\xc3\xa9ponse\\s*:|(?i:\\bantwort)\\s*:|\xe7\xad\x94\xe6\xa1\x88\\s*(?::|\xef\xbc\x9a)"
	"|(?:\xd0\x9e|\xd0\xbe)\xd1\x82\xd0\xb2\xd0\xb5\xd1\x82\\s*:",
	"####",
	/* "the solution is ..." or "... is the solution" */
	"(?i)\\bsolution\\s+is\\b\\s*:?|(?<=\\bis our |\\bis the |\\bis our final |\\bis the final )solution\\b",
};

struct cs_grader {
	enum cs_profile profile;
	pcre2_code *pat[P_COUNT];
	pcre2_code *user;
	uint32_t user_group;
	pcre2_match_context *mctx;
};

/* ---- boxes ---- */

struct box {
	size_t cmd;    /* position of the backslash */
	size_t start;  /* content */
	size_t end;
	size_t after;  /* first byte after the box */
};

/* Reads the box whose command starts at pos; returns 1 when it is one. */
static int read_box(const char *t, size_t len, size_t pos, struct box *b)
{
	size_t i, clen;

	if (len - pos >= 6 && memcmp(t + pos, "\\boxed", 6) == 0)
		clen = 6;
	else if (len - pos >= 5 && memcmp(t + pos, "\\fbox", 5) == 0)
		clen = 5;
	else
		return 0;
	i = pos + clen;
	if (i < len && isalpha((unsigned char)t[i]))
		return 0;
	b->cmd = pos;
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i < len && t[i] == '{') {
		int depth = 1;
		size_t j = i + 1;

		while (j < len) {
			if (t[j] == '\\' && j + 1 < len) {
				j += 2;
				continue;
			}
			if (t[j] == '{')
				depth++;
			else if (t[j] == '}' && --depth == 0)
				break;
			j++;
		}
		b->start = i + 1;
		b->end = j < len ? j : len;
		b->after = j < len ? j + 1 : len;
	} else {
		size_t j = i;

		if (i == pos + clen && i < len && t[i] != '\\')
			return 0;
		while (j < len && !isspace((unsigned char)t[j]) && t[j] != '$')
			j++;
		while (j > i && (t[j - 1] == '.' || t[j - 1] == ',' || t[j - 1] == ';'))
			j--;
		if (j == i)
			return 0;
		b->start = i;
		b->end = j;
		b->after = j;
	}
	while (b->start < b->end && isspace((unsigned char)t[b->start]))
		b->start++;
	while (b->end > b->start && isspace((unsigned char)t[b->end - 1]))
		b->end--;
	return 1;
}

/* The last box whose command starts before limit; returns 1 when found. */
static int last_box_before(const char *t, size_t limit, size_t len, struct box *b)
{
	size_t i = limit;

	while (i > 0) {
		i--;
		if (t[i] == '\\' && read_box(t, len, i, b))
			return 1;
	}
	return 0;
}

/* Kinds of the words and signs that may stand between two linked boxes. */
enum gap_kind { G_COMMA, G_AND, G_OR, G_PART, G_PAREN, G_VAR, G_WORD };

/* Whether the LaTeX command at s[i] (a backslash) only spaces or wraps text; sets *next past its name. */
static int spacing_command(const char *s, size_t i, size_t n, size_t *next)
{
	static const char *const names[] = { "quad", "qquad", "text", "mathrm", "textrm", "textbf", "mbox", NULL };
	size_t j = i + 1;

	if (j < n && strchr("()[],;:! ", s[j]) != NULL) {
		*next = j + 1;
		return 1;
	}
	while (j < n && isalpha((unsigned char)s[j]))
		j++;
	for (int k = 0; names[k] != NULL; k++)
		if (strlen(names[k]) == j - i - 1 && memcmp(s + i + 1, names[k], j - i - 1) == 0) {
			*next = j;
			return 1;
		}
	return 0;
}

/* Reads a word at s[i] (a letter): a variable label such as "x =" or "y_2 =" (G_VAR), "and" (G_AND), "or" (G_OR),
 * "for"/"in"/"part" (G_PART) or another word (G_WORD); returns its kind and sets *next, -1 when unusable. */
static int gap_word(const char *s, size_t i, size_t n, size_t *next)
{
	static const char *const stop[] = { "but", "thus", "so", "then", "hence", "therefore", "not", "is", NULL };
	size_t j = i, k;
	int sub = 0;

	while (j < n && isalpha((unsigned char)s[j]))
		j++;
	k = j;
	if (k < n && s[k] == '_') {
		sub = 1;
		k++;
		if (k < n && s[k] == '{') {
			while (k < n && s[k] != '}')
				k++;
			k++;
		} else if (k < n && isalnum((unsigned char)s[k])) {
			k++;
		}
	}
	while (k < n && (s[k] == ' ' || s[k] == '$'))
		k++;
	if (k < n && s[k] == '=' && j - i <= 3) {
		*next = k + 1;
		return G_VAR;
	}
	if (sub)
		return -1;
	*next = j;
	if (j - i == 3 && memcmp(s + i, "and", 3) == 0)
		return G_AND;
	if (j - i == 2 && memcmp(s + i, "or", 2) == 0)
		return G_OR;
	if ((j - i == 3 && memcmp(s + i, "for", 3) == 0) || (j - i == 2 && memcmp(s + i, "in", 2) == 0) ||
	    (j - i == 4 && memcmp(s + i, "part", 4) == 0))
		return G_PART;
	for (int m = 0; stop[m] != NULL; m++)
		if (strlen(stop[m]) == j - i && memcmp(s + i, stop[m], j - i) == 0)
			return -1;
	return G_WORD;
}

/* Splits the text between two boxes into kinds[] (at most MAX_TOKENS); returns how many, -1 when something
 * in it cannot stand between two parts of one answer (a full stop, a number, another command, ...). */
static int gap_tokens(const char *s, size_t n, int *kinds)
{
	size_t i = 0, next;
	int k = 0;

	while (i < n) {
		char ch = s[i];
		int kind;

		if (isspace((unsigned char)ch) || ch == '$' || ch == '{' || ch == '}' || ch == '~') {
			i++;
			continue;
		}
		if (ch == '\\') {
			if (!spacing_command(s, i, n, &next))
				return -1;
			i = next;
			continue;
		}
		if (ch == ',' || ch == ';') {
			kind = G_COMMA;
			next = i + 1;
		} else if (ch == '(') {
			next = i + 1;
			while (next < n && next - i <= 5 && isalnum((unsigned char)s[next]))
				next++;
			if (next >= n || s[next] != ')' || next == i + 1)
				return -1;
			next++;
			kind = G_PAREN;
		} else if (isalpha((unsigned char)ch)) {
			kind = gap_word(s, i, n, &next);
			if (kind < 0)
				return -1;
		} else {
			return -1;
		}
		if (k == MAX_TOKENS)
			return -1;
		kinds[k++] = kind;
		i = next;
	}
	return k;
}

/* Skips a part reference at kinds[*pos] (k tokens): words such as "for part" (G_PART) and the "(a)" after
 * them (G_PAREN), or a lone "(a)". Returns 0 when words come without their "(a)", 1 otherwise. */
static int skip_part(const int *kinds, int k, int *pos)
{
	int parts = 0;

	while (*pos < k && kinds[*pos] == G_PART) {
		(*pos)++;
		parts++;
	}
	if (*pos < k && kinds[*pos] == G_PAREN)
		(*pos)++;
	else if (parts > 0)
		return 0;
	return 1;
}

/* Whether the text s[0..n) between two boxes links them into one answer: nothing (not even a line break), or
 * [a unit word | "for part (a)"] [","] ["and" | "or"] ["part (b)"] ["x ="], with a comma or a conjunction.
 * Returns 0 when it does not, 2 when it links them with "or", 1 otherwise. */
static int is_joiner(const char *s, size_t n)
{
	int kinds[MAX_TOKENS], k, pos = 0, link = 0, alt = 0;

	if (n > MAX_GAP)
		return 0;
	k = gap_tokens(s, n, kinds);
	if (k < 0)
		return 0;
	if (k == 0)
		return memchr(s, '\n', n) == NULL;
	if (kinds[pos] == G_WORD)
		pos++;
	else if (!skip_part(kinds, k, &pos))
		return 0;
	if (pos < k && kinds[pos] == G_COMMA) {
		pos++;
		link = 1;
	}
	if (pos < k && (kinds[pos] == G_AND || kinds[pos] == G_OR)) {
		alt = kinds[pos] == G_OR;
		pos++;
		link = 1;
	}
	if (!link || !skip_part(kinds, k, &pos))
		return 0;
	if (pos < k && kinds[pos] == G_VAR)
		pos++;
	if (pos != k)
		return 0;
	return alt ? 2 : 1;
}

/* Whether a[0..an) and b[0..bn) are the same text but for white space. */
static int same_text(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < an && isspace((unsigned char)a[i]))
			i++;
		while (j < bn && isspace((unsigned char)b[j]))
			j++;
		if (i == an || j == bn)
			return i == an && j == bn;
		if (a[i++] != b[j++])
			return 0;
	}
}

/* Whether two answers are the same (canonical forms compared under the policy): one answer written twice,
 * "\boxed{x+11} or \boxed{11+x}". Failures count as different. It has an eighth of the evaluation steps of a
 * pair, so that extracting and grading a sample stays within the time of about one pair. An answer longer
 * than SAME_MAX bytes is compared as text (white space aside): the canonical forms of two long structures
 * cost more than the rest of the sample's grading, and "different" only keeps both answers (no accept). */
static int same_answer(const char *a, size_t an, const char *b, size_t bn)
{
	char *ca = NULL, *cb = NULL;
	const char *reason = "";
	int equal = 0, work = CSG_MAX_WORK;

	if (an > SAME_MAX || bn > SAME_MAX)
		return same_text(a, an, b, bn);
	if (csg_canon(CS_PROFILE_MATH, a, an, &ca) != CSG_OK || csg_canon(CS_PROFILE_MATH, b, bn, &cb) != CSG_OK)
		goto out;
	/* depth 1, so that the comparison keeps the smaller budget set here */
	csg_expr_budget(CSG_MAX_STEPS / 8);
	if (csg_compare_canon(CS_PROFILE_MATH, ca, cb, 1, &work, &equal, &reason) != CSG_OK)
		equal = 0;
out:
	free(ca);
	free(cb);
	return equal;
}

/* The last box of text[0..len) and, when join is set, the boxes linked to it (is_joiner), as one string "a, b"
 * malloc'd into *out (NULL when there is no box); two boxes linked by "or" that hold the same answer are one
 * answer in two forms (the last is kept). *group_end is the first byte after the last box (0 when none),
 * *count the number of boxes in the group. CSG_OK or CSG_NOMEM. */
static int box_group(const char *text, size_t len, int join, char **out, size_t *group_end, int *count)
{
	struct box boxes[MAX_JOINED];
	int nb = 0, rc = CSG_OK, link = 0;
	size_t total = 0, k = 0;
	char *s;

	*out = NULL;
	*group_end = 0;
	*count = 0;
	if (!last_box_before(text, len, len, &boxes[0]))
		goto done;
	nb = 1;
	while (join && nb < MAX_JOINED) {
		struct box prev;
		if (!last_box_before(text, boxes[nb - 1].cmd, len, &prev) || prev.after > boxes[nb - 1].cmd)
			break;
		link = is_joiner(text + prev.after, boxes[nb - 1].cmd - prev.after);
		if (link == 0)
			break;
		boxes[nb++] = prev;
		if (nb == 2 && link == 2 && same_answer(text + boxes[0].start, boxes[0].end - boxes[0].start,
							 text + prev.start, prev.end - prev.start)) {
			nb = 1;
			break;
		}
	}
	*count = nb;
	for (int j = 0; j < nb; j++)
		total += boxes[j].end - boxes[j].start + 2;
	s = malloc(total + 1);
	if (s == NULL) {
		rc = CSG_NOMEM;
		goto done;
	}
	for (int j = nb - 1; j >= 0; j--) {
		size_t l = boxes[j].end - boxes[j].start;
		memcpy(s + k, text + boxes[j].start, l);
		k += l;
		if (j > 0) {
			s[k++] = ',';
			s[k++] = ' ';
		}
	}
	s[k] = '\0';
	*out = s;
	*group_end = boxes[0].after;
done:
	return rc;
}

int csg_boxed(const char *text, size_t len, int join, char **out)
{
	size_t end;

	int count;

	return box_group(text, len, join, out, &end, &count);
}

int cs_last_boxed(const char *text, size_t len, char **out, struct cs_err *err)
{
	int rc = CS_OK;

	*out = NULL;
	if (text == NULL)
		goto done;
	if (csg_boxed(text, len, 1, out) != CSG_OK)
		rc = cs_fail(err, CS_INTERNAL, "out of memory reading a boxed answer");
done:
	return rc;
}

/* ---- grader ---- */

/* Compiles pat with JIT; NULL with *errcode and *erroff set when it does not compile. */
static pcre2_code *compile(const char *pat, int *errcode, PCRE2_SIZE *erroff)
{
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, errcode, erroff, NULL);

	if (c != NULL)
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

int cs_grader_new(enum cs_profile profile, const char *user_pattern, struct cs_grader **out, struct cs_err *err)
{
	struct cs_grader *g;
	int errcode, rc = CS_OK;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];

	*out = NULL;
	g = calloc(1, sizeof *g);
	if (g == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory creating a grader");
		goto fail;
	}
	g->profile = profile;
	g->mctx = pcre2_match_context_create(NULL);
	if (g->mctx == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory creating a grader");
		goto fail;
	}
	pcre2_set_match_limit(g->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(g->mctx, DEPTH_LIMIT);
	for (int r = 0; r < P_COUNT; r++) {
		g->pat[r] = compile(pat_texts[r], &errcode, &erroff);
		if (g->pat[r] == NULL) {
			pcre2_get_error_message(errcode, msg, sizeof msg);
			rc = cs_fail(err, CS_INTERNAL, "built-in rule %s: %s", pat_names[r], (char *)msg);
			goto fail;
		}
	}
	if (user_pattern != NULL) {
		int num;

		g->user = compile(user_pattern, &errcode, &erroff);
		if (g->user == NULL) {
			pcre2_get_error_message(errcode, msg, sizeof msg);
			rc = cs_fail(err, CS_USAGE, "answer pattern, offset %zu: %s", (size_t)erroff, (char *)msg);
			goto fail;
		}
		num = pcre2_substring_number_from_name(g->user, (PCRE2_SPTR) "answer");
		if (num < 0) {
			rc = cs_fail(err, CS_USAGE, "answer pattern has no named group (?<answer>...)");
			goto fail;
		}
		g->user_group = (uint32_t)num;
	}
	*out = g;
	return CS_OK;
fail:
	cs_grader_free(g);
	return rc;
}

enum cs_profile cs_grader_profile(const struct cs_grader *g)
{
	return g->profile;
}

void cs_grader_free(struct cs_grader *g)
{
	if (g == NULL)
		return;
	for (int r = 0; r < P_COUNT; r++)
		pcre2_code_free(g->pat[r]);
	pcre2_code_free(g->user);
	pcre2_match_context_free(g->mctx);
	free(g);
}

/* The last match of code in text[start..len): sets [*ms, *me) of group grp; returns 1 when found, 0 when not,
 * -1 on a PCRE2 failure other than "no match" or an exhausted limit. */
static int last_match(const struct cs_grader *g, pcre2_code *code, uint32_t grp, pcre2_match_data *md,
		      const char *text, size_t start, size_t len, size_t *ms, size_t *me)
{
	size_t off = start;
	int found = 0;

	while (off <= len) {
		PCRE2_SIZE *ov;
		int rc = pcre2_match(code, (PCRE2_SPTR)text, len, off, 0, md, g->mctx);

		if (rc < 0) {
			if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
			    rc == PCRE2_ERROR_JIT_STACKLIMIT)
				break;
			return -1;
		}
		ov = pcre2_get_ovector_pointer(md);
		if (ov[2 * grp] != PCRE2_UNSET) {
			*ms = ov[2 * grp];
			*me = ov[2 * grp + 1];
			found = 1;
		}
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	return found;
}

/* Finds the closing delimiter close after position i; returns its position or len. */
static size_t find_close(const char *t, size_t i, size_t len, const char *close)
{
	size_t l = strlen(close);

	for (size_t j = i; j + l <= len; j++)
		if (memcmp(t + j, close, l) == 0)
			return j;
	return len;
}

/* Strips whitespace, quotes, markdown emphasis, math dollars, trailing punctuation (also a CJK full stop) and
 * a Math-Shepherd step tag " ки" around t[*a..*b). */
static void tidy(const char *t, size_t *a, size_t *b)
{
	int changed = 1;

	while (changed && *a < *b) {
		changed = 0;
		/* quotes escaped twice over by a dump (\"...\"): the backslash of each goes with its quote */
		if (*b - *a >= 4 && memcmp(t + *a, "\\\"", 2) == 0 && memcmp(t + *b - 2, "\\\"", 2) == 0) {
			*a += 2;
			*b -= 2;
			changed = 1;
		}
		while (*a < *b && (isspace((unsigned char)t[*a]) || t[*a] == '*' || t[*a] == '$' || t[*a] == '_' ||
				   t[*a] == '"')) {
			(*a)++;
			changed = 1;
		}
		while (*b > *a && (isspace((unsigned char)t[*b - 1]) || t[*b - 1] == '*' || t[*b - 1] == '$' ||
				   t[*b - 1] == ',' || t[*b - 1] == ';' || t[*b - 1] == ':' || t[*b - 1] == '!' ||
				   t[*b - 1] == '"')) {
			(*b)--;
			changed = 1;
		}
		if (*b > *a && t[*b - 1] == '.' && !(*b - *a >= 2 && t[*b - 2] == '.')) {
			(*b)--;
			changed = 1;
		}
		if (*b - *a >= 3 && memcmp(t + *b - 3, "\xe3\x80\x82", 3) == 0) {
			*b -= 3;
			changed = 1;
		}
		if (*b - *a >= 5 && memcmp(t + *b - 5, " \xd0\xba\xd0\xb8", 5) == 0) {
			*b -= 5;
			changed = 1;
		}
		if (*b - *a >= 4 && memcmp(t + *a, "\\(", 2) == 0 && memcmp(t + *b - 2, "\\)", 2) == 0) {
			*a += 2;
			*b -= 2;
			changed = 1;
		}
		if (*b - *a >= 4 && memcmp(t + *a, "\\[", 2) == 0 && memcmp(t + *b - 2, "\\]", 2) == 0) {
			*a += 2;
			*b -= 2;
			changed = 1;
		}
	}
}

/* Whether t[j..b) starts a relation sign (<, >, !=, \le, \ge, \ne, \lt, \gt, \approx). */
static int relation_at(const char *t, size_t j, size_t b)
{
	static const char *const cmds[] = { "\\le", "\\ge", "\\ne", "\\lt", "\\gt", "\\ap", NULL };

	if (t[j] == '<' || t[j] == '>' || (t[j] == '!' && j + 1 < b && t[j + 1] == '='))
		return 1;
	for (int k = 0; cmds[k] != NULL; k++)
		if (b - j >= 3 && memcmp(t + j, cmds[k], 3) == 0)
			return 1;
	return 0;
}

/* Whether t[a..e) has a letter outside LaTeX command names (a variable). */
static int has_variable(const char *t, size_t a, size_t e)
{
	for (size_t j = a; j < e; j++) {
		if (t[j] == '\\') {
			while (j + 1 < e && isalpha((unsigned char)t[j + 1]))
				j++;
		} else if (isalpha((unsigned char)t[j])) {
			return 1;
		}
	}
	return 0;
}

/* In "xy = 20", "f(8) = 1", "|ab| = 28" or "1-2+3-4 = -2" the answer is the right-hand side: moves *a past
 * the one top-level '=' when the left-hand side is a single term (no top-level sign or space) or has no
 * variable, so that equations such as "2x - y + 3z = 8" and relations such as "x != 5" stay whole. */
static void equation_rhs(const char *t, size_t *a, size_t *b)
{
	size_t eq = 0, count = 0;
	int depth = 0;

	for (size_t j = *a; j < *b; j++) {
		char ch = t[j];
		if (ch == '(' || ch == '[' || ch == '{')
			depth++;
		else if (ch == ')' || ch == ']' || ch == '}')
			depth--;
		else if (relation_at(t, j, *b))
			return;
		else if (depth == 0 && ch == '=') {
			count++;
			eq = j;
		}
	}
	if (count != 1 || eq == *a)
		return;
	if (!has_variable(t, *a, eq)) {
		*a = eq + 1;
		return;
	}
	depth = 0;
	for (size_t j = *a; j < eq; j++) {
		char ch = t[j];
		if (ch == '(' || ch == '[' || ch == '{')
			depth++;
		else if (ch == ')' || ch == ']' || ch == '}')
			depth--;
		else if (depth == 0 && (((ch == '+' || ch == '-') && j > *a) || ch == ','))
			return;
		else if (depth == 0 && ch == ' ' && j + 1 < eq && t[j + 1] != ' ' && t[j + 1] != '=')
			return;
	}
	*a = eq + 1;
}

/* Final touches on an answer span: tidy, the right-hand side of "x = 5", tidy again; 1 when it is not empty. */
static int finish_span(const char *t, size_t *a, size_t *b)
{
	tidy(t, a, b);
	equation_rhs(t, a, b);
	tidy(t, a, b);
	return *b > *a;
}

/* Whether t[j] ends a sentence: '.', '!', '?' or ';' followed by whitespace or the end, or a line break. */
static int sentence_end_at(const char *t, size_t j, size_t len)
{
	if (t[j] == '\n')
		return 1;
	return strchr(".!?;", t[j]) != NULL && (j + 1 >= len || isspace((unsigned char)t[j + 1]));
}

/* The label of a math piece t[a..b) written "x = 4" (the left side, spaces dropped, into lab, at most cap - 1
 * bytes), with [*a, *b) moved to the value; "" for a bare value. */
static void piece_label(const char *t, size_t *a, size_t *b, char *lab, size_t cap)
{
	size_t a0, k = 0;

	tidy(t, a, b);
	a0 = *a;
	equation_rhs(t, a, b);
	if (*a > a0 && has_variable(t, a0, *a - 1))
		for (size_t j = a0; j + 1 < *a && k + 1 < cap; j++)
			if (!isspace((unsigned char)t[j]))
				lab[k++] = t[j];
	lab[k] = '\0';
	tidy(t, a, b);
}

/* Whether the text t[p..q) between two math pieces starts a justification (", since", "because"): what follows
 * explains the answer and states no other candidate. */
static int gives_reason(const char *t, size_t p, size_t q)
{
	while (p < q && (t[p] == ' ' || t[p] == ','))
		p++;
	return (q - p >= 6 && memcmp(t + p, "since ", 6) == 0) || (q - p >= 8 && memcmp(t + p, "because ", 8) == 0);
}

/* An answer split across math pieces in one sentence ("$x = 4$ or $x = -4$", "$4$, $5$ and $6$"): the first
 * piece is t[fs..fe), and its closing delimiter ends at k. The pieces form one list when each link between two
 * of them is one that links boxes (is_joiner: a comma, "and", "or", a unit word) and every labelled piece has
 * the same label; ", since" or "because" ends the answer; two pieces linked by "or" that hold the same answer
 * are one answer in two forms. Returns 0 when no other piece follows in the sentence (the first piece is the
 * answer), 1 with the list "4, -4" malloc'd into *joined, -1 when the pieces do not form one list (several
 * candidates: *why set), -3 when memory runs out. */
static int span_list(const char *t, size_t len, size_t k, size_t fs, size_t fe, char **joined, const char **why)
{
	size_t ps[MAX_JOINED], pe[MAX_JOINED], p = k, q, cs = 0, ce = 0, total = 1, n = 0;
	char lab[64], first[64] = "";
	int np = 1, link = 0, all_or = 1, labelled = 0;
	char *s;

	ps[0] = fs;
	pe[0] = fe;
	for (;;) {
		size_t k2;

		q = p;
		while (q < len && !sentence_end_at(t, q, len) && t[q] != '$' &&
		       !(t[q] == '\\' && q + 1 < len && (t[q + 1] == '(' || t[q + 1] == '[')))
			q++;
		if (q >= len || sentence_end_at(t, q, len))
			break;
		k2 = csx_math_span(t, q, len, &cs, &ce);
		if (k2 == q || gives_reason(t, p, q))
			break;
		link = is_joiner(t + p, q - p);
		if (link == 0 || np == MAX_JOINED) {
			*why = "math pieces in the answer sentence that do not form one list";
			return -1;
		}
		all_or = all_or && link == 2;
		ps[np] = cs;
		pe[np] = ce;
		np++;
		p = k2;
	}
	if (np == 1)
		return 0;
	for (int j = 0; j < np; j++) {
		piece_label(t, &ps[j], &pe[j], lab, sizeof lab);
		if (pe[j] <= ps[j]) {
			*why = "an empty math piece in the answer sentence";
			return -1;
		}
		if (lab[0] != '\0') {
			if (labelled && strcmp(lab, first) != 0) {
				*why = "math pieces with different labels in the answer sentence";
				return -1;
			}
			if (!labelled)
				memcpy(first, lab, sizeof first);
			labelled = 1;
		}
		total += pe[j] - ps[j] + 2;
	}
	if (np == 2 && all_or && same_answer(t + ps[0], pe[0] - ps[0], t + ps[1], pe[1] - ps[1]))
		np = 1;
	s = malloc(total);
	if (s == NULL)
		return -3;
	for (int j = 0; j < np; j++) {
		memcpy(s + n, t + ps[j], pe[j] - ps[j]);
		n += pe[j] - ps[j];
		if (j + 1 < np) {
			s[n++] = ',';
			s[n++] = ' ';
		}
	}
	s[n] = '\0';
	*joined = s;
	return 1;
}

/* Bounds and hedges next to an answer's number ("at least 5", "$5$ or more", "about 5", "between 17 and 19")
 * make it state no value: no answer rather than the number. before[]: the words directly before a number or
 * math piece; after[]: directly after it, or after one word (a unit: "5 dollars or more"). Each entry: the
 * words (matched whole, in any case) and the reason given. */
struct hedge {
	const char *words;
	const char *why;
};
#define HEDGE(w, kind) { w, kind " (\"" w "\"): no answer" }
static const struct hedge hedges_before[] = {
	HEDGE("at least", "a bound"), HEDGE("at most", "a bound"), HEDGE("more than", "a bound"),
	HEDGE("less than", "a bound"), HEDGE("greater than", "a bound"), HEDGE("fewer than", "a bound"),
	HEDGE("smaller than", "a bound"), HEDGE("larger than", "a bound"), HEDGE("bigger than", "a bound"),
	HEDGE("higher than", "a bound"), HEDGE("lower than", "a bound"), HEDGE("up to", "a bound"),
	HEDGE("over", "a bound"), HEDGE("under", "a bound"), HEDGE("above", "a bound"), HEDGE("below", "a bound"),
	HEDGE("exceeds", "a bound"), HEDGE("exceeding", "a bound"), HEDGE("maximum", "a bound"),
	HEDGE("maximum of", "a bound"), HEDGE("minimum", "a bound"), HEDGE("minimum of", "a bound"),
	HEDGE("between", "a range"), HEDGE("about", "a hedge"),
	HEDGE("around", "a hedge"), HEDGE("approximately", "a hedge"), HEDGE("approx", "a hedge"),
	HEDGE("roughly", "a hedge"), HEDGE("nearly", "a hedge"), HEDGE("almost", "a hedge"),
	HEDGE("close to", "a hedge"), HEDGE("estimated", "a hedge"), HEDGE("probably", "a hedge"),
	HEDGE("maybe", "a hedge"), HEDGE("perhaps", "a hedge"), HEDGE("likely", "a hedge"),
};
static const struct hedge hedges_after[] = {
	HEDGE("or more", "a bound"), HEDGE("or less", "a bound"), HEDGE("or fewer", "a bound"),
	HEDGE("or greater", "a bound"), HEDGE("or higher", "a bound"), HEDGE("or lower", "a bound"),
	HEDGE("or above", "a bound"), HEDGE("or below", "a bound"), HEDGE("or over", "a bound"),
	HEDGE("or under", "a bound"), HEDGE("and up", "a bound"), HEDGE("and above", "a bound"),
	HEDGE("and below", "a bound"), HEDGE("and over", "a bound"), HEDGE("and under", "a bound"),
	HEDGE("at least", "a bound"), HEDGE("at most", "a bound"), HEDGE("at the most", "a bound"),
	HEDGE("max", "a bound"), HEDGE("maximum", "a bound"), HEDGE("minimum", "a bound"),
	HEDGE("or so", "a hedge"), HEDGE("approximately", "a hedge"), HEDGE("ish", "a hedge"),
};

/* Whether t[i..b) starts with the words w (any case) followed by a non-letter, after a non-letter. */
static int words_at(const char *t, size_t i, size_t b, const char *w)
{
	size_t l = strlen(w);

	if (b - i < l || (i > 0 && isalpha((unsigned char)t[i - 1])))
		return 0;
	for (size_t j = 0; j < l; j++)
		if (tolower((unsigned char)t[i + j]) != w[j])
			return 0;
	return i + l == b || !isalpha((unsigned char)t[i + l]);
}

/* The reason of a before-hedge that ends at p (after spaces and emphasis are skipped back from p, not before
 * a), NULL when none. */
static const char *hedge_before(const char *t, size_t a, size_t p)
{
	while (p > a && (t[p - 1] == ' ' || t[p - 1] == '*'))
		p--;
	for (size_t k = 0; k < sizeof hedges_before / sizeof hedges_before[0]; k++) {
		size_t l = strlen(hedges_before[k].words);
		if (p - a >= l && words_at(t, p - l, p, hedges_before[k].words))
			return hedges_before[k].why;
	}
	return NULL;
}

/* The reason of an after-hedge at p, or after one word at p ("dollars or more"), before b; NULL when none. */
static const char *hedge_after(const char *t, size_t p, size_t b)
{
	for (int skip = 0; skip < 2; skip++) {
		while (p < b && (t[p] == ' ' || t[p] == '*' || t[p] == ','))
			p++;
		for (size_t k = 0; k < sizeof hedges_after / sizeof hedges_after[0]; k++)
			if (words_at(t, p, b, hedges_after[k].words))
				return hedges_after[k].why;
		while (p < b && isalpha((unsigned char)t[p]))
			p++;
	}
	return NULL;
}

/* The reason of the first bound or hedge next to a number or math piece of the answer phrase t[a..b)
 * (hedges_before, hedges_after); NULL when none. */
static const char *hedge_in(const char *t, size_t a, size_t b)
{
	const char *why;
	size_t cs, ce, e;

	for (size_t i = a; i < b; i++) {
		if (t[i] == '$' || (t[i] == '\\' && i + 1 < b && t[i + 1] == '(')) {
			why = hedge_before(t, a, i);
			if (why != NULL)
				return why;
			e = csx_math_span(t, i, b, &cs, &ce);
			if (e > i) {
				why = hedge_after(t, e, b);
				if (why != NULL)
					return why;
				i = e - 1;
			}
			continue;
		}
		if (!isdigit((unsigned char)t[i]) || (i > a && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == '.')))
			continue;
		e = csx_number_at(t, i, b);
		if (e == i)
			continue;
		why = hedge_before(t, a, i);
		if (why == NULL)
			why = hedge_after(t, e, b);
		if (why != NULL)
			return why;
		i = e - 1;
	}
	return NULL;
}

/* Whether t[a..b) is only a word that joins alternatives: "or", "to", "and", a comma, a dash, with spaces and
 * money signs around ("18 or 20", "$17 to $19", "18-20" is not one: a minus). */
static int alternatives_gap(const char *t, size_t a, size_t b)
{
	static const char *const joins[] = { "or", "to", "and", ",", "\xe2\x80\x93", "\xe2\x80\x94", " - ", NULL };

	while (a < b && (t[a] == '$' || t[a] == '\\'))
		a++;
	while (b > a && (t[b - 1] == '$' || t[b - 1] == '\\'))
		b--;
	for (int k = 0; joins[k] != NULL; k++) {
		size_t x = a, y = b, l = strlen(joins[k]);
		if (joins[k][0] != ' ') {
			while (x < y && t[x] == ' ')
				x++;
			while (y > x && t[y - 1] == ' ')
				y--;
		}
		if (y - x == l && memcmp(t + x, joins[k], l) == 0)
			return 1;
	}
	return 0;
}

/* The end of the sentence that starts at i: the first sentence end (sentence_end_at) or len. */
static size_t sentence_end(const char *t, size_t i, size_t len)
{
	while (i < len && !sentence_end_at(t, i, len))
		i++;
	return i;
}

/* Whether the word after the number that ends at e (before b) scales it (csg_value_word CSG_VW_SCALE: "5
 * million", "3 halves"; not "49 fourth-grade"). */
static int value_word_after(const char *t, size_t e, size_t b)
{
	size_t j;

	while (e < b && t[e] == ' ')
		e++;
	j = e;
	while (j < b && isalpha((unsigned char)t[j]))
		j++;
	return j > e && (j == b || t[j] != '-') && csg_value_word(t + e, j - e, CSG_VW_SCALE);
}

/* Whether the sentence t[a..b) states two numbers as alternatives ("18 or 20", "$17 to $19": 1) or a number
 * with a word that changes its value ("5 million": 2): gsm8k answers reduce to their first number, which would
 * be a guess. 0 when neither. */
static int alternatives_in(const char *t, size_t a, size_t b)
{
	size_t prev_end = 0;
	int have = 0;

	for (size_t i = a; i < b; i++) {
		size_t e;

		if (!isdigit((unsigned char)t[i]) || (i > a && (isdigit((unsigned char)t[i - 1]) || t[i - 1] == '.')))
			continue;
		e = csx_number_at(t, i, b);
		if (e == i)
			continue;
		if (have && alternatives_gap(t, prev_end, i))
			return 1;
		if (value_word_after(t, e, b))
			return 2;
		have = 1;
		prev_end = e;
		i = e - 1;
	}
	return 0;
}

/* Whether the answer phrase t[a..b) states no single value: a bound or hedge next to its number (hedge_in),
 * or in the gsm8k profile (where a marked answer reduces to its first number) two numbers as alternatives or
 * a number with a word that changes its value (alternatives_in), within its first MAX_PHRASE bytes. Sets *why
 * when it does. */
static int unsure_answer(const struct cs_grader *g, const char *t, size_t a, size_t b, const char **why)
{
	int r;

	if (b - a > MAX_PHRASE)
		b = a + MAX_PHRASE;
	*why = hedge_in(t, a, b);
	if (*why != NULL)
		return 1;
	r = g->profile == CS_PROFILE_GSM8K ? alternatives_in(t, a, b) : 0;
	if (r != 0) {
		*why = r == 1 ? "two numbers given as alternatives in the answer sentence"
			      : "a word that changes the number's value in the answer sentence";
		return 1;
	}
	return 0;
}

/* The answer after a marker ending at pos: a math span (a display may span lines), else the rest of the
 * sentence. heading: the marker is a heading line, so blank lines may follow it. Outside gsm8k a sentence
 * ("there are 256 such integers") is reduced to the one math candidate it states. Returns 1 with [*a, *b)
 * set, 0 when there is nothing usable (a phrase cut short at the end of the text, a sentence without math),
 * -1 when the sentence states several candidates (no answer rather than a guess). */
static int take_phrase(const struct cs_grader *g, const char *t, size_t len, size_t pos, int heading, size_t *a,
		       size_t *b, char **joined, const char **why)
{
	int r;
	size_t i = pos, e, c, k, cs = 0, ce = 0, end = csx_trim_end(t, len);
	struct csx_cands cand;

	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '*'))
		i++;
	if (heading) {
		while (i < len && (isspace((unsigned char)t[i]) || t[i] == '*'))
			i++;
	} else if (i < len && t[i] == '\n') {
		i++;
		while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '*'))
			i++;
	}
	if (i >= end)
		return 0;
	if (t[i] == '$' || (t[i] == '\\' && i + 1 < len && (t[i + 1] == '(' || t[i + 1] == '['))) {
		if (unsure_answer(g, t, i, sentence_end(t, i, len), why))
			return -1;
		k = csx_math_span(t, i, len, &cs, &ce);
		if (k > i) {
			r = span_list(t, len, k, cs, ce, joined, why);
			if (r != 0)
				return r;
			*a = cs;
			*b = ce;
			return finish_span(t, a, b);
		}
		/* An unclosed display or \( is cut short; a lone '$' is a money sign. */
		if (t[i] != '$' || (i + 1 < len && t[i + 1] == '$'))
			return 0;
		i++;
	}
	e = i;
	while (e < len && t[e] != '\n')
		e++;
	c = find_close(t, i, e, "I hope it is correct");
	for (size_t j = i; j < c; j++) {
		if (t[j] == '.' && (j + 1 >= c || isspace((unsigned char)t[j + 1])) && !(j > i && t[j - 1] == '.')) {
			c = j;
			break;
		}
	}
	/* A sentence: "the answer is the height of the cylinder is 4 inches" answers after its last " is ". */
	for (size_t j = c; j >= i + 4; j--) {
		if (memcmp(t + j - 4, " is ", 4) == 0) {
			i = j;
			break;
		}
	}
	if (c - i > 9 && memcmp(t + i, "equal to ", 9) == 0)
		i += 9;
	if (unsure_answer(g, t, i, c, why))
		return -1;
	if (c >= end && csx_cut_short(t, i, end))
		return 0;
	*a = i;
	*b = c;
	tidy(t, a, b);
	if (g->profile != CS_PROFILE_GSM8K) {
		csx_candidates(t, *a, *b, &cand);
		if (cand.words >= 2 && cand.n == 0)
			return 0;
		if (cand.words >= 2 && cand.n >= 2) {
			*why = "several candidates in the answer sentence";
			return -1;
		}
		if (cand.words >= 2) {
			*a = cand.s;
			*b = cand.e;
		}
	}
	return finish_span(t, a, b);
}

/* The answer written just before a marker that starts at pos ("$x \geq 5$ is the solution", "12 is our
 * answer"): a math span or a number. Returns 1 with [*a, *b) set, 0 when there is none. */
static int take_before(const char *t, size_t pos, size_t *a, size_t *b)
{
	size_t k = pos, lim = pos > MAX_BEFORE ? pos - MAX_BEFORE : 0, j;

	while (k > lim && (t[k - 1] == ' ' || t[k - 1] == '\t' || t[k - 1] == '*' || t[k - 1] == ','))
		k--;
	if (k == lim)
		return 0;
	if (t[k - 1] == '$' && k >= 2 && t[k - 2] == '$') {
		for (j = k - 2; j >= lim + 2; j--)
			if (t[j - 1] == '$' && t[j - 2] == '$')
				break;
		if (j < lim + 2)
			return 0;
		*a = j;
		*b = k - 2;
	} else if (t[k - 1] == '$') {
		for (j = k - 1; j > lim && t[j - 1] != '\n'; j--)
			if (t[j - 1] == '$' && !(j >= 2 && t[j - 2] == '\\'))
				break;
		if (j == lim || t[j - 1] != '$')
			return 0;
		*a = j;
		*b = k - 1;
	} else if (k >= 2 && t[k - 2] == '\\' && (t[k - 1] == ')' || t[k - 1] == ']')) {
		char open = t[k - 1] == ')' ? '(' : '[';
		for (j = k - 2; j >= lim + 2; j--)
			if (t[j - 2] == '\\' && t[j - 1] == open)
				break;
		if (j < lim + 2)
			return 0;
		*a = j;
		*b = k - 2;
	} else if (isdigit((unsigned char)t[k - 1])) {
		j = k;
		while (j > lim && k - j < 64 && (isdigit((unsigned char)t[j - 1]) || strchr(",./", t[j - 1]) != NULL))
			j--;
		while (j < k && !isdigit((unsigned char)t[j]))
			j++;
		if (j > lim && t[j - 1] == '-')
			j--;
		if (csx_number_at(t, j, k) != k)
			return 0;
		*a = j;
		*b = k;
	} else {
		return 0;
	}
	return finish_span(t, a, b);
}

/* In a numeric profile, the first number of t[a..b) (csx_number_at), with a money sign after its minus
 * (-$5, -\$5) kept. Leaves [*a, *b) alone when there is none. */
static void first_number(const char *t, size_t *a, size_t *b)
{
	for (size_t i = *a; i < *b; i++) {
		size_t e, s = i;

		if (!isdigit((unsigned char)t[i]) && t[i] != '\\')
			continue;
		if (i > *a && t[i - 1] == '-')
			s = i - 1;
		e = csx_number_at(t, s, *b);
		if (e == s)
			continue;
		if (s == i && i > *a && t[i - 1] == '$') {
			/* A negative amount of money: -$5 or -\$5. */
			size_t m = i - 1;
			if (m > *a && t[m - 1] == '\\')
				m--;
			if (m > *a && t[m - 1] == '-')
				s = m - 1;
		} else if (s == i && i > *a && t[i - 1] == '.') {
			s = i - 1;
		}
		*a = s;
		*b = e;
		return;
	}
}

/* Whether profile p reads numbers only (its answers reduce to one number; last-number applies). */
static int numeric_profile(enum cs_profile p)
{
	return p == CS_PROFILE_GSM8K;
}

/* A malloc'd copy of t[a..b); when it is one number written with spaced separators ("14 {, }916", "11,\! 111",
 * "1 000") the spaces go, so that the separators read as such. NULL when memory runs out. */
static char *answer_copy(const char *t, size_t a, size_t b)
{
	const unsigned char *u = (const unsigned char *)t;
	char *s;
	size_t k = 0;

	if (!(isdigit((unsigned char)t[a]) || t[a] == '-') || csx_number_at(t, a, b) != b || b - a < 4)
		return csg_strndup(t + a, b - a);
	s = malloc(b - a + 1);
	if (s == NULL)
		return NULL;
	for (size_t j = a; j < b; j++) {
		if (t[j] == ' ' && !(j > a && t[j - 1] == '\\'))
			continue;
		if (b - j >= 3 && u[j] == 0xe2 && u[j + 1] == 0x80 && (u[j + 2] == 0x89 || u[j + 2] == 0xaf)) {
			j += 2;
			continue;
		}
		s[k++] = t[j];
	}
	s[k] = '\0';
	return s;
}

/* Copies the answer t[a..b) into out with its rule: reduced to its box group when it holds boxes, to its first
 * number in numeric profiles (unless it is one \frac, or several boxes joined into a list: list is set, or
 * the answer holds them; "$\boxed{5}$ hours and $\boxed{20}$ minutes" is not 5). CSG_OK or CSG_NOMEM. */
static int emit(const struct cs_grader *g, const char *t, size_t a, size_t b, const char *rule, int list,
		struct cs_extraction *out)
{
	char *box = NULL;
	size_t end;
	int rc = CSG_OK, nboxes = 0;

	if (b - a >= 5 && memchr(t + a, '\\', b - a) != NULL) {
		rc = box_group(t + a, b - a, 1, &box, &end, &nboxes);
		if (rc != CSG_OK)
			goto done;
		if (box != NULL) {
			t = box;
			a = 0;
			b = strlen(box);
			list = list || nboxes > 1;
		}
	}
	if (numeric_profile(g->profile) && !list) {
		struct csg_num num;
		int whole;

		csg_num_init(&num);
		whole = find_close(t, a, b, "\\frac") < b &&
			csg_num_parse(t + a, b - a, 1, &num) == CSG_OK;
		csg_num_clear(&num);
		if (!whole)
			first_number(t, &a, &b);
	}
	out->answer = answer_copy(t, a, b);
	out->rule = rule;
	if (out->answer == NULL)
		rc = CSG_NOMEM;
done:
	free(box);
	return rc;
}

/* Words after which a sentence cannot end: "... and then we need to multiply by". */
static const char *const function_words[] = {
	"a", "an", "the", "of", "by", "to", "in", "on", "at", "for", "from", "with", "into", "than", "as", "and",
	"or", "but", "so", "then", "that", "which", "is", "are", "was", "were", "be", "will", "would", "can",
	"her", "his", "their", "its", "our", "my", "your", "we", "he", "she", "they", "it", "plus", "minus",
	"times", "divided", "multiplied", "equals", "over", "per", NULL
};

/* Whether the word w[0..n) is one of function_words (any case). */
static int function_word(const char *w, size_t n)
{
	for (int k = 0; function_words[k] != NULL; k++)
		if (strlen(function_words[k]) == n && words_at(w, 0, n, function_words[k]))
			return 1;
	return 0;
}

/* Whether text[0..end), whose last number ends at b, visibly stops mid-sentence or mid-expression: it does
 * not end with '.', '!' or '?' (closing quotes, brackets, emphasis and math delimiters may follow), and it
 * ends with an operator (+ - / = ^ ( \times \cdot \div), or after its last number come two or more words, or
 * one word that is a function word ("15 and", "multiply by"). Sets *why when it does. */
static int stops_mid_sentence(const char *text, size_t b, size_t end, const char **why)
{
	static const char *const ops[] = { "\\times", "\\cdot", "\\div", "\xc3\x97", "\xc3\xb7", NULL };
	size_t e = end, words = 0, ws = 0, we = 0;

	while (e > b && strchr("\"')]}*$_`", text[e - 1]) != NULL && !(e >= 2 && text[e - 2] == '\\'))
		e--;
	if (e > 0 && strchr(".!?", text[e - 1]) != NULL)
		return 0;
	for (int k = 0; ops[k] != NULL; k++) {
		size_t l = strlen(ops[k]);
		if (end >= l && memcmp(text + end - l, ops[k], l) == 0) {
			*why = "the text stops mid-expression";
			return 1;
		}
	}
	if (b < end && strchr("+-/=^(", text[end - 1]) != NULL) {
		*why = "the text stops mid-expression";
		return 1;
	}
	for (size_t i = b; i < end; i++) {
		if (!isalpha((unsigned char)text[i]) || (i > b && isalpha((unsigned char)text[i - 1])))
			continue;
		ws = i;
		we = i;
		while (we < end && isalpha((unsigned char)text[we]))
			we++;
		words++;
		i = we - 1;
	}
	if (words >= 2 || (words == 1 && we == end && function_word(text + ws, we - ws))) {
		*why = "the text stops mid-sentence";
		return 1;
	}
	return 0;
}

/* The last number of text[0..len) (csx_number_at), for the last-number rule; 0 when there is none or the text
 * stops mid-sentence or mid-expression (stops_mid_sentence, which sets *why). */
static int last_number(const char *text, size_t len, size_t *a, size_t *b, const char **why)
{
	size_t i = 0, end = csx_trim_end(text, len);
	int found = 0;

	while (i < end) {
		size_t e;

		if (!isdigit((unsigned char)text[i]) && text[i] != '\\') {
			i++;
			continue;
		}
		e = csx_number_at(text, i, end);
		if (e == i) {
			i++;
			continue;
		}
		*a = i > 0 && text[i - 1] == '-' ? i - 1 : i;
		*b = e;
		found = 1;
		i = e;
	}
	if (found && stops_mid_sentence(text, *b, end, why))
		found = 0;
	return found;
}

/* Whether the match [ms, me) reads the answer before it ("... is the answer") rather than after it: it is
 * the bare word "answer" or "solution" that the pattern's lookbehind found after "is our" or "is the". */
static int backward_marker(const char *text, size_t ms, size_t me)
{
	for (size_t j = ms; j < me; j++)
		if (isspace((unsigned char)text[j]))
			return 0;
	return 1;
}

/* The start of "is the final" / "is our" before the word at ms that backward_marker accepted. */
static size_t backward_marker_start(const char *text, size_t ms)
{
	if (ms >= 6 && (text[ms - 6] == 'f' || text[ms - 6] == 'F'))
		ms -= 6;
	return ms - 7;
}

/* Tries the marker rule of pattern p in text[start..len) (for P_COLON together with "####": the later marker
 * wins). Returns 1 when it set an answer in out, 0 when it did not fire, -1 when it fired without an answer
 * (extraction stops), -2 on a PCRE2 failure, -3 on memory exhaustion. */
static int marker_rule(const struct cs_grader *g, int p, pcre2_match_data *md, const char *text, size_t start,
		       size_t len, struct cs_extraction *out)
{
	size_t ms = 0, me = 0, hs = 0, he = 0, a = 0, b = 0;
	const char *rule = pat_names[p];
	char *joined = NULL;
	int f, r;

	f = last_match(g, g->pat[p], 0, md, text, start, len, &ms, &me);
	if (f < 0)
		return -2;
	if (p == P_COLON) {
		int fh = last_match(g, g->pat[P_HASH], 0, md, text, start, len, &hs, &he);
		if (fh < 0)
			return -2;
		if (fh == 1 && (f == 0 || hs > ms)) {
			f = 1;
			ms = hs;
			me = he;
			rule = pat_names[P_HASH];
		}
	}
	if (f == 0)
		return 0;
	if (p == P_FINAL && text[ms] == '#') {
		rule = "answer-heading";
		r = take_phrase(g, text, len, me, 1, &a, &b, &joined, &out->why);
	} else if ((p == P_THE || p == P_SOL) && backward_marker(text, ms, me)) {
		rule = p == P_THE ? "is-the-answer" : "is-the-solution";
		r = take_before(text, backward_marker_start(text, ms), &a, &b);
	} else if (p == P_SOL) {
		/* "the solution is" names an answer only when math follows it ("the solution is correct" does not). */
		size_t i = me;
		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		if (i >= len || !(text[i] == '$' || text[i] == '\\' || isdigit((unsigned char)text[i]) ||
				  (text[i] == '-' && i + 1 < len && isdigit((unsigned char)text[i + 1]))))
			return 0;
		r = take_phrase(g, text, len, me, 0, &a, &b, &joined, &out->why);
	} else {
		r = take_phrase(g, text, len, me, 0, &a, &b, &joined, &out->why);
	}
	if (r <= 0)
		return r;
	if (joined != NULL) {
		r = emit(g, joined, 0, strlen(joined), rule, 1, out) == CSG_OK ? 1 : -3;
		free(joined);
		return r;
	}
	return emit(g, text, a, b, rule, 0, out) == CSG_OK ? 1 : -3;
}

/* The status of cs_extract after marker_rule returned f (not 0): CS_OK, or a failure recorded in err. */
static int marker_status(int f, struct cs_err *err)
{
	if (f == -2)
		return cs_fail(err, CS_INTERNAL, "PCRE2 failure in a marker rule");
	if (f == -3)
		return cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
	return CS_OK;
}

int cs_extract(const struct cs_grader *g, const char *text, size_t len, struct cs_extraction *out,
	       struct cs_err *err)
{
	static const int tiers[] = { P_THE, P_COLON, P_SOL };
	pcre2_match_data *md = NULL;
	char *box = NULL;
	size_t ms = 0, me = 0, a = 0, b = 0, box_end = 0;
	int rc = CS_OK, f, nboxes = 0;

	out->answer = NULL;
	out->rule = "none";
	out->why = NULL;
	if (g == NULL || text == NULL) {
		rc = cs_fail(err, CS_INPUT, "extraction needs a grader and a text");
		goto done;
	}
	md = pcre2_match_data_create(g->user != NULL ? g->user_group + 1 : 1, NULL);
	if (md == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
		goto done;
	}
	if (g->user != NULL) {
		f = last_match(g, g->user, g->user_group, md, text, 0, len, &ms, &me);
		if (f < 0) {
			rc = cs_fail(err, CS_INTERNAL, "PCRE2 failure in the answer pattern");
			goto done;
		}
		if (f == 1) {
			a = ms;
			b = me;
			tidy(text, &a, &b);
			if (b > a) {
				if (emit(g, text, a, b, "user", 0, out) != CSG_OK)
					rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
				goto done;
			}
		}
	}
	if (box_group(text, len, 1, &box, &box_end, &nboxes) != CSG_OK) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
		goto done;
	}
	/* The last box, unless a final-answer statement comes after it (the later statement wins). */
	f = marker_rule(g, P_FINAL, md, text, box_end, len, out);
	if (f != 0) {
		rc = marker_status(f, err);
		goto done;
	}
	if (box != NULL) {
		a = 0;
		b = strlen(box);
		tidy(box, &a, &b);
		if (b > a) {
			if (emit(g, box, a, b, "boxed", nboxes > 1, out) != CSG_OK)
				rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
			goto done;
		}
	}
	for (size_t k = 0; k < sizeof tiers / sizeof tiers[0]; k++) {
		f = marker_rule(g, tiers[k], md, text, 0, len, out);
		if (f != 0) {
			rc = marker_status(f, err);
			goto done;
		}
	}
	if (!numeric_profile(g->profile) && csx_last_sentence(text, len, &a, &b) && finish_span(text, &a, &b)) {
		if (emit(g, text, a, b, "last-sentence", 0, out) != CSG_OK)
			rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
		goto done;
	}
	if (numeric_profile(g->profile) && last_number(text, len, &a, &b, &out->why)) {
		out->answer = answer_copy(text, a, b);
		out->rule = "last-number";
		if (out->answer == NULL)
			rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
	}
done:
	free(box);
	pcre2_match_data_free(md);
	return rc;
}
