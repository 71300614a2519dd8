/* Final-answer extraction: balanced \boxed scanning in C, then PCRE2 marker rules in profile order. */
#include "grade/grade_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 2000
#define MAX_JOINED  16

enum rule_id { R_FINAL, R_THE, R_COLON, R_HASH, R_LASTNUM, R_COUNT };

static const char *const rule_names[R_COUNT] = {
	"final-answer-is", "the-answer-is", "answer-colon", "hash", "last-number"
};

static const char *const rule_patterns[R_COUNT] = {
	"(?i)final\\s+answer\\s+is\\s*:?",
	"(?i)\\banswer(?:\\s+(?:to|for|of)\\s+(?:this|the)\\s+(?:question|problem))?\\s+is\\b\\s*:?",
	"(?m)(?i:\\banswer)\\s*:|^[ \\t]*A:",
	"####",
	"\\d(?:[\\d,]*\\d)?(?:\\.\\d+)?",
};

struct cs_grader {
	enum cs_profile profile;
	pcre2_code *rule[R_COUNT];
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

/* Whether the text between two boxes links them into one answer ("or", "and", a comma). */
static int is_joiner(const char *s, size_t n)
{
	char buf[48];
	size_t k = 0, i = 0;

	if (n > 40)
		return 0;
	while (i < n) {
		if (s[i] == '\\' && i + 1 < n && strchr("()[]", s[i + 1]) != NULL) {
			i += 2;
			continue;
		}
		if (s[i] == '\\' && n - i >= 5 && memcmp(s + i, "\\text", 5) == 0) {
			i += 5;
			continue;
		}
		if (isspace((unsigned char)s[i]) || s[i] == '$' || s[i] == '{' || s[i] == '}') {
			i++;
			continue;
		}
		buf[k++] = s[i++];
	}
	buf[k] = '\0';
	/* A variable prefix before the second box: "or x =". */
	if (k >= 2 && buf[k - 1] == '=' && isalpha((unsigned char)buf[k - 2])) {
		k -= 2;
		buf[k] = '\0';
	}
	return strcmp(buf, ",") == 0 || strcmp(buf, "and") == 0 || strcmp(buf, "or") == 0 ||
	       strcmp(buf, ",and") == 0 || strcmp(buf, ",or") == 0;
}

int csg_boxed(const char *text, size_t len, int join, char **out)
{
	struct box boxes[MAX_JOINED];
	int nb = 0, rc = CSG_OK;
	size_t total = 0, k = 0;
	char *s;

	*out = NULL;
	if (!last_box_before(text, len, len, &boxes[0]))
		goto done;
	nb = 1;
	while (join && nb < MAX_JOINED) {
		struct box prev;
		if (!last_box_before(text, boxes[nb - 1].cmd, len, &prev) || prev.after > boxes[nb - 1].cmd)
			break;
		if (!is_joiner(text + prev.after, boxes[nb - 1].cmd - prev.after))
			break;
		boxes[nb++] = prev;
	}
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
done:
	return rc;
}

int cs_last_boxed(const char *text, size_t len, char **out, struct cs_err *err)
{
	int rc = CS_OK;

	*out = NULL;
	if (text == NULL)
		goto done;
	if (csg_boxed(text, len, 0, out) != CSG_OK)
		rc = cs_fail(err, CS_INTERNAL, "out of memory reading a boxed answer");
done:
	return rc;
}

/* ---- grader ---- */

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
	for (int r = 0; r < R_COUNT; r++) {
		g->rule[r] = compile(rule_patterns[r], &errcode, &erroff);
		if (g->rule[r] == NULL) {
			pcre2_get_error_message(errcode, msg, sizeof msg);
			rc = cs_fail(err, CS_INTERNAL, "built-in rule %s: %s", rule_names[r], (char *)msg);
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
	for (int r = 0; r < R_COUNT; r++)
		pcre2_code_free(g->rule[r]);
	pcre2_code_free(g->user);
	pcre2_match_context_free(g->mctx);
	free(g);
}

/* The last match of code in text: sets [*ms, *me) of group grp; returns 1 when found, 0 when not,
 * -1 on a PCRE2 failure other than "no match" or an exhausted limit. */
static int last_match(const struct cs_grader *g, pcre2_code *code, uint32_t grp, pcre2_match_data *md,
		      const char *text, size_t len, size_t *ms, size_t *me)
{
	size_t off = 0;
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

/* Strips whitespace, markdown emphasis, math dollars and trailing punctuation around t[*a..*b). */
static void tidy(const char *t, size_t *a, size_t *b)
{
	int changed = 1;

	while (changed && *a < *b) {
		changed = 0;
		while (*a < *b && (isspace((unsigned char)t[*a]) || t[*a] == '*' || t[*a] == '$' || t[*a] == '_')) {
			(*a)++;
			changed = 1;
		}
		while (*b > *a && (isspace((unsigned char)t[*b - 1]) || t[*b - 1] == '*' || t[*b - 1] == '$' ||
				   t[*b - 1] == ',' || t[*b - 1] == ';' || t[*b - 1] == ':' || t[*b - 1] == '!')) {
			(*b)--;
			changed = 1;
		}
		if (*b > *a && t[*b - 1] == '.' && !(*b - *a >= 2 && t[*b - 2] == '.')) {
			(*b)--;
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

/* In "xy = 20", "f(8) = 1" or "|ab| = 28" the answer is the right-hand side: moves *a past the one
 * top-level '=' when the left-hand side is a single term (no top-level sign or space), so that equations such
 * as "2x - y + 3z = 8" stay whole. */
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
		else if (ch == '<' || ch == '>' || (ch == '\\' && j + 3 <= *b && (memcmp(t + j, "\\le", 3) == 0 ||
				   memcmp(t + j, "\\ge", 3) == 0 || memcmp(t + j, "\\ne", 3) == 0 ||
				   memcmp(t + j, "\\ap", 3) == 0)))
			return;
		else if (depth == 0 && ch == '=') {
			count++;
			eq = j;
		}
	}
	if (count != 1 || eq == *a)
		return;
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

/* The answer phrase after a marker ending at pos: a math span, else the rest of the sentence. */
static int take_phrase(const char *t, size_t len, size_t pos, size_t *a, size_t *b)
{
	size_t i = pos, e;

	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '*'))
		i++;
	if (i < len && t[i] == '\n') {
		i++;
		while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '*'))
			i++;
	}
	e = i;
	while (e < len && t[e] != '\n')
		e++;
	if (i < e && t[i] == '$') {
		size_t s = i + 1, c;
		if (s < e && t[s] == '$')
			s++;
		c = s;
		while (c < e && !(t[c] == '$' && t[c - 1] != '\\'))
			c++;
		*a = s;
		*b = c;
	} else if (e - i >= 2 && t[i] == '\\' && (t[i + 1] == '(' || t[i + 1] == '[')) {
		*a = i + 2;
		*b = find_close(t, i + 2, e, t[i + 1] == '(' ? "\\)" : "\\]");
	} else {
		size_t c = find_close(t, i, e, "I hope it is correct");
		for (size_t j = i; j < c; j++) {
			if (t[j] == '.' && (j + 1 >= c || isspace((unsigned char)t[j + 1])) &&
			    !(j > i && t[j - 1] == '.')) {
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
		*a = i;
		*b = c;
	}
	tidy(t, a, b);
	equation_rhs(t, a, b);
	tidy(t, a, b);
	return *b > *a;
}

/* In a numeric profile, the first number of t[a..b): [-]digits[,digits][.digits][/digits]. */
static void first_number(const char *t, size_t *a, size_t *b)
{
	size_t i = *a, s, e;

	while (i < *b && !isdigit((unsigned char)t[i]))
		i++;
	if (i >= *b)
		return;
	s = i;
	if (s > *a && t[s - 1] == '.')
		s--;
	if (s > *a && t[s - 1] == '-') {
		s--;
	} else if (s > *a && t[s - 1] == '$') {
		/* A negative amount of money: -$5 or -\$5. */
		size_t m = s - 1;
		if (m > *a && t[m - 1] == '\\')
			m--;
		if (m > *a && t[m - 1] == '-')
			s = m - 1;
	}
	e = i;
	while (e < *b && (isdigit((unsigned char)t[e]) ||
			  ((t[e] == ',' || t[e] == '.' || t[e] == '/') && e + 1 < *b && isdigit((unsigned char)t[e + 1]))))
		e++;
	*a = s;
	*b = e;
}

static int numeric_profile(enum cs_profile p)
{
	return p == CS_PROFILE_GSM8K;
}

/* Copies the answer, reducing it to its first number in numeric profiles (unless it is one \frac). */
static int emit(const struct cs_grader *g, const char *t, size_t a, size_t b, const char *rule,
		struct cs_extraction *out)
{
	char *box = NULL;
	int rc = CSG_OK;

	if (b - a >= 5 && memchr(t + a, '\\', b - a) != NULL) {
		rc = csg_boxed(t + a, b - a, 1, &box);
		if (rc != CSG_OK)
			goto done;
		if (box != NULL) {
			t = box;
			a = 0;
			b = strlen(box);
		}
	}
	if (numeric_profile(g->profile)) {
		struct csg_num num;
		int whole;

		csg_num_init(&num);
		whole = find_close(t, a, b, "\\frac") < b &&
			csg_num_parse(t + a, b - a, 1, &num) == CSG_OK;
		csg_num_clear(&num);
		if (!whole)
			first_number(t, &a, &b);
	}
	out->answer = csg_strndup(t + a, b - a);
	out->rule = rule;
	if (out->answer == NULL)
		rc = CSG_NOMEM;
done:
	free(box);
	return rc;
}

int cs_extract(const struct cs_grader *g, const char *text, size_t len, struct cs_extraction *out,
	       struct cs_err *err)
{
	pcre2_match_data *md = NULL;
	char *box = NULL;
	size_t ms = 0, me = 0, a, b;
	int rc = CS_OK, f;

	out->answer = NULL;
	out->rule = "none";
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
		f = last_match(g, g->user, g->user_group, md, text, len, &ms, &me);
		if (f < 0) {
			rc = cs_fail(err, CS_INTERNAL, "PCRE2 failure in the answer pattern");
			goto done;
		}
		if (f == 1) {
			a = ms;
			b = me;
			tidy(text, &a, &b);
			if (b > a) {
				if (emit(g, text, a, b, "user", out) != CSG_OK)
					rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
				goto done;
			}
		}
	}
	if (csg_boxed(text, len, 1, &box) != CSG_OK) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
		goto done;
	}
	if (box != NULL) {
		a = 0;
		b = strlen(box);
		tidy(box, &a, &b);
		if (b > a) {
			if (emit(g, box, a, b, "boxed", out) != CSG_OK)
				rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
			goto done;
		}
	}
	for (int r = R_FINAL; r <= R_COLON; r++) {
		size_t hs = 0, he = 0;
		int rule = r;

		f = last_match(g, g->rule[r], 0, md, text, len, &ms, &me);
		if (f < 0) {
			rc = cs_fail(err, CS_INTERNAL, "PCRE2 failure in rule %s", rule_names[r]);
			goto done;
		}
		if (r == R_COLON) {
			/* "Answer:", "A:" and "####" form one tier: the latest marker wins. */
			int fh = last_match(g, g->rule[R_HASH], 0, md, text, len, &hs, &he);
			if (fh < 0) {
				rc = cs_fail(err, CS_INTERNAL, "PCRE2 failure in rule hash");
				goto done;
			}
			if (fh == 1 && (f == 0 || hs > ms)) {
				f = 1;
				ms = hs;
				me = he;
				rule = R_HASH;
			}
		}
		if (f == 1 && take_phrase(text, len, me, &a, &b)) {
			if (emit(g, text, a, b, rule_names[rule], out) != CSG_OK)
				rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
			goto done;
		}
	}
	if (numeric_profile(g->profile)) {
		f = last_match(g, g->rule[R_LASTNUM], 0, md, text, len, &ms, &me);
		if (f < 0) {
			rc = cs_fail(err, CS_INTERNAL, "PCRE2 failure in rule last-number");
			goto done;
		}
		if (f == 1) {
			if (ms > 0 && text[ms - 1] == '-')
				ms--;
			out->answer = csg_strndup(text + ms, me - ms);
			out->rule = rule_names[R_LASTNUM];
			if (out->answer == NULL)
				rc = cs_fail(err, CS_INTERNAL, "out of memory extracting an answer");
		}
	}
done:
	free(box);
	pcre2_match_data_free(md);
	return rc;
}
