/* Unit tests of the public C API (include/coseval.h): versions, errors and their statuses, extraction,
 * canonical forms, comparison, grading with text flags, and batch grading on threads against one-by-one. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coseval.h"

/* A grader for profile, or the test fails. The caller frees it with coseval_grader_free. */
static coseval_grader *grader(const char *profile)
{
	coseval_error err;
	coseval_grader *g = NULL;
	cr_assert_eq(coseval_grader_new(profile, NULL, &g, &err), COSEVAL_OK, "%s: %s", profile, err.message);
	cr_assert_not_null(g);
	return g;
}

/* 1 when a and b are both NULL or are equal strings. */
static int same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static const char *show(const char *s)
{
	return s != NULL ? s : "(null)";
}

Test(api, versions)
{
	char header[32];

	cr_assert_str_eq(coseval_version(), COSEVAL_VERSION_STRING);
	snprintf(header, sizeof header, "%d.%d.%d", COSEVAL_VERSION_MAJOR, COSEVAL_VERSION_MINOR,
		 COSEVAL_VERSION_PATCH);
	cr_assert_str_eq(header, COSEVAL_VERSION_STRING);
	cr_assert_eq(COSEVAL_ABI_VERSION, 1);
	cr_assert_str_eq(coseval_grader_version(), "2.2");
}

Test(api, profiles)
{
	const char *names[] = { "math", "gsm8k", "generic" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		coseval_grader *g = grader(names[i]);
		cr_expect_str_eq(coseval_grader_profile(g), names[i]);
		coseval_grader_free(g);
	}
	coseval_grader_free(NULL);
}

Test(api, unknown_profile_is_usage)
{
	coseval_error err;
	coseval_grader *g = (coseval_grader *)&err;
	char *out = (char *)"untouched";
	int equal = 7;
	const char *reason = NULL;

	cr_assert_eq(coseval_grader_new("maths", NULL, &g, &err), COSEVAL_USAGE);
	cr_expect_eq(err.status, COSEVAL_USAGE);
	cr_expect_null(g, "*out is NULL after a failure");
	cr_expect(strstr(err.message, "'maths'") != NULL, "message: %s", err.message);

	cr_assert_eq(coseval_canonical("latex", "1/2", &out, &err), COSEVAL_USAGE);
	cr_expect(strstr(err.message, "latex") != NULL, "message: %s", err.message);
	cr_expect_null(out);

	cr_assert_eq(coseval_compare("", "1", "1", &equal, &reason, &err), COSEVAL_USAGE);
	cr_expect(strstr(err.message, "unknown profile ''") != NULL, "message: %s", err.message);
	cr_expect_eq(equal, 0);

	cr_assert_eq(coseval_grader_new(NULL, NULL, &g, &err), COSEVAL_USAGE);
	cr_expect(strstr(err.message, "profile") != NULL, "message: %s", err.message);
	cr_assert_eq(coseval_grader_new("math", NULL, NULL, &err), COSEVAL_USAGE);
	cr_assert_eq(coseval_grader_new("nope", NULL, &g, NULL), COSEVAL_USAGE, "err may be NULL");
}

Test(api, answer_pattern)
{
	coseval_error err;
	coseval_grader *g = NULL;
	coseval_verdict v;
	const char *text = "ANS=8, although the answer is 9";

	cr_assert_eq(coseval_grader_new("math", "(?<answer>[", &g, &err), COSEVAL_USAGE);
	cr_expect_null(g);
	cr_expect(strstr(err.message, "pattern") != NULL, "message: %s", err.message);
	cr_assert_eq(coseval_grader_new("math", "ANS=(\\d+)", &g, &err), COSEVAL_USAGE);
	cr_expect(strstr(err.message, "answer") != NULL, "message: %s", err.message);

	cr_assert_eq(coseval_grader_new("gsm8k", "ANS=(?<answer>\\d+)", &g, &err), COSEVAL_OK, "%s", err.message);
	cr_assert_eq(coseval_grade(g, "8", text, strlen(text), 0, &v, &err), COSEVAL_OK, "%s", err.message);
	cr_expect_str_eq(v.verdict, "correct");
	cr_expect_str_eq(v.rule, "user");
	coseval_verdict_clear(&v);
	coseval_grader_free(g);
}

Test(api, success_clears_the_error)
{
	coseval_error err = { .status = 99 };
	coseval_grader *g = NULL;

	strcpy(err.message, "stale");
	cr_assert_eq(coseval_grader_new("math", NULL, &g, &err), COSEVAL_OK);
	cr_expect_eq(err.status, COSEVAL_OK);
	cr_expect_str_eq(err.message, "");
	coseval_grader_free(g);
}

Test(api, extract)
{
	coseval_grader *math = grader("math");
	coseval_grader *gsm8k = grader("gsm8k");
	coseval_error err;
	char *answer = NULL;
	const char *rule = NULL;
	const char *boxed = "so \\boxed{\\frac{1}{2}}";
	const char *plain = "It is 7 apples";

	cr_assert_eq(coseval_extract(math, boxed, strlen(boxed), 0, &answer, &rule, &err), COSEVAL_OK, "%s",
		     err.message);
	cr_expect_str_eq(answer, "\\frac{1}{2}");
	cr_expect_str_eq(rule, "boxed");
	coseval_free(answer);

	cr_assert_eq(coseval_extract(math, plain, strlen(plain), 0, &answer, &rule, &err), COSEVAL_OK);
	cr_expect_null(answer, "math reads no last number");
	cr_expect_str_eq(rule, "none");

	cr_assert_eq(coseval_extract(gsm8k, plain, strlen(plain), 0, &answer, &rule, &err), COSEVAL_OK);
	cr_expect_str_eq(answer, "7");
	cr_expect_str_eq(rule, "last-number");
	coseval_free(answer);

	/* len bounds the text: the box is cut off, so only the words before it remain */
	cr_assert_eq(coseval_extract(math, boxed, 3, 0, &answer, &rule, &err), COSEVAL_OK);
	cr_expect_null(answer);
	cr_expect_str_eq(rule, "none");

	cr_assert_eq(coseval_extract(math, NULL, 0, 0, &answer, &rule, &err), COSEVAL_USAGE);
	coseval_grader_free(math);
	coseval_grader_free(gsm8k);
}

Test(api, canonical_and_compare)
{
	coseval_error err;
	char *a = NULL, *b = NULL;
	int equal = -1;
	const char *reason = NULL;

	cr_assert_eq(coseval_canonical("math", "\\frac{1}{2}", &a, &err), COSEVAL_OK, "%s", err.message);
	cr_assert_eq(coseval_canonical("math", "0.5", &b, &err), COSEVAL_OK, "%s", err.message);
	cr_expect_str_eq(a, b, "\\frac{1}{2} and 0.5 share a canonical form");
	coseval_free(a);
	coseval_free(b);
	cr_assert_eq(coseval_canonical("gsm8k", "1,000", &a, &err), COSEVAL_OK);
	cr_expect_str_eq(a, "1000");
	coseval_free(a);

	cr_assert_eq(coseval_compare("math", "0.5", "\\frac{1}{2}", &equal, &reason, &err), COSEVAL_OK, "%s",
		     err.message);
	cr_expect_eq(equal, 1);
	cr_expect(reason != NULL && reason[0] != '\0');
	cr_assert_eq(coseval_compare("math", "8", "7", &equal, &reason, &err), COSEVAL_OK);
	cr_expect_eq(equal, 0);
	cr_expect_str_eq(reason, "different numbers");
	cr_assert_eq(coseval_compare("math", "8", NULL, &equal, &reason, &err), COSEVAL_USAGE);
}

/* Grades text against gold with g and checks the verdict, rule and (when want_answer is not NULL) answer. */
static void expect_grade(const coseval_grader *g, const char *gold, const char *text, unsigned flags,
			 const char *verdict, const char *rule, const char *want_answer)
{
	coseval_error err;
	coseval_verdict v;

	cr_assert_eq(coseval_grade(g, gold, text, strlen(text), flags, &v, &err), COSEVAL_OK, "\"%s\": %s", text,
		     err.message);
	cr_expect_str_eq(v.verdict, verdict, "\"%s\" (flags %u): verdict %s, want %s", text, flags, v.verdict,
			 verdict);
	cr_expect_str_eq(v.rule, rule, "\"%s\" (flags %u): rule %s, want %s", text, flags, v.rule, rule);
	cr_expect(v.reason != NULL && v.reason[0] != '\0', "\"%s\": no reason", text);
	if (want_answer != NULL)
		cr_expect(same_str(v.answer, want_answer), "\"%s\": answer %s, want %s", text, show(v.answer),
			  want_answer);
	if (strcmp(verdict, "no-answer") == 0) {
		cr_expect_null(v.answer);
		cr_expect_null(v.canonical);
	} else {
		cr_expect_not_null(v.canonical);
	}
	coseval_verdict_clear(&v);
	cr_expect_null(v.answer, "coseval_verdict_clear zeroes the struct");
	cr_expect_null(v.verdict);
}

Test(api, grade)
{
	coseval_grader *math = grader("math");
	coseval_grader *gsm8k = grader("gsm8k");

	expect_grade(math, "0.5", "so \\boxed{\\frac{1}{2}}", 0, "correct", "boxed", "\\frac{1}{2}");
	expect_grade(math, "8", "The answer is 7", 0, "wrong", "the-answer-is", "7");
	expect_grade(gsm8k, "8", "The answer is 7", 0, "wrong", "the-answer-is", "7");
	expect_grade(math, "8", "I do not know", 0, "no-answer", "none", NULL);
	expect_grade(math, "8", "", 0, "no-answer", "none", NULL);
	coseval_grader_free(math);
	coseval_grader_free(gsm8k);
}

Test(api, text_stopped_flag)
{
	coseval_grader *gsm8k = grader("gsm8k");
	const char *ends_in_number = "She has 5 apples. She buys 3 more. In all she has 8.";
	const char *marked = "Two and four make six. The answer is 6.";

	expect_grade(gsm8k, "8", ends_in_number, 0, "correct", "last-number", "8");
	expect_grade(gsm8k, "8", ends_in_number, COSEVAL_TEXT_STOPPED, "no-answer", "none", NULL);
	expect_grade(gsm8k, "6", marked, COSEVAL_TEXT_STOPPED, "correct", "the-answer-is", "6");

	coseval_error err;
	char *answer = (char *)"untouched";
	const char *rule = NULL;
	cr_assert_eq(coseval_extract(gsm8k, ends_in_number, strlen(ends_in_number), COSEVAL_TEXT_STOPPED, &answer,
				     &rule, &err),
		     COSEVAL_OK);
	cr_expect_null(answer);
	cr_expect_str_eq(rule, "none");
	coseval_grader_free(gsm8k);
}

Test(api, invalid_utf8_is_input)
{
	coseval_grader *g = grader("math");
	coseval_error err;
	coseval_verdict v;
	char *out = NULL;
	const char *rule = NULL;
	const char *reason = NULL;
	int equal = 1;
	const char *bad = "The answer is \xff 7";

	cr_assert_eq(coseval_grade(g, "7", bad, strlen(bad), 0, &v, &err), COSEVAL_INPUT);
	cr_expect_eq(err.status, COSEVAL_INPUT);
	cr_expect(strstr(err.message, "UTF-8") != NULL, "message: %s", err.message);
	cr_expect_null(v.answer);
	coseval_verdict_clear(&v);

	cr_assert_eq(coseval_grade(g, "\xc3", "The answer is 7", 15, 0, &v, &err), COSEVAL_INPUT);
	cr_expect(strstr(err.message, "gold") != NULL, "message: %s", err.message);
	coseval_verdict_clear(&v);

	cr_assert_eq(coseval_extract(g, bad, strlen(bad), 0, &out, &rule, &err), COSEVAL_INPUT);
	cr_expect_null(out);
	cr_expect(strstr(err.message, "the text is not valid UTF-8 (byte 14)") != NULL, "message: %s", err.message);
	cr_assert_eq(coseval_canonical("math", "\xe2\x82", &out, &err), COSEVAL_INPUT);
	cr_expect_null(out);
	cr_expect(strstr(err.message, "the answer is not valid UTF-8") != NULL, "message: %s", err.message);
	cr_assert_eq(coseval_compare("math", "7", "\xc0\xaf", &equal, &reason, &err), COSEVAL_INPUT);
	cr_expect_eq(equal, 0);
	cr_expect(strstr(err.message, "the predicted answer") != NULL, "message: %s", err.message);
	cr_assert_eq(coseval_compare("math", "\xed\xa0\x80", "7", &equal, &reason, &err), COSEVAL_INPUT);
	cr_expect(strstr(err.message, "the gold answer") != NULL, "message: %s", err.message);
	coseval_grader_free(g);
}

enum { PAIRS = 10000, TEXT_MAX = 128, GOLD_MAX = 32 };

/* A batch of varied pairs: boxed fractions, marked answers, expressions, intervals, last numbers, no
 * answers, right and wrong, every third one stopped at its length limit. */
struct pairs {
	char text[PAIRS][TEXT_MAX];
	char gold[PAIRS][GOLD_MAX];
	const char *texts[PAIRS];
	const char *golds[PAIRS];
	unsigned flags[PAIRS];
};

static struct pairs *make_pairs(void)
{
	struct pairs *p = calloc(1, sizeof *p);
	cr_assert_not_null(p);
	for (int i = 0; i < PAIRS; i++) {
		int a = i % 13 + 1, b = i % 7 + 2, wrong = i % 5 == 0;
		char *t = p->text[i], *gold = p->gold[i];
		switch (i % 8) {
		case 0:
			snprintf(t, TEXT_MAX, "We simplify, so \\boxed{\\frac{%d}{%d}}", a, b);
			snprintf(gold, GOLD_MAX, "%d/%d", a + wrong, b);
			break;
		case 1:
			snprintf(t, TEXT_MAX, "Adding them up, the answer is %d.", a * b);
			snprintf(gold, GOLD_MAX, "%d", a * b + wrong);
			break;
		case 2:
			snprintf(t, TEXT_MAX, "She has %d apples and buys %d more, so she has %d.", a, b, a + b);
			snprintf(gold, GOLD_MAX, "%d", a + b - wrong);
			break;
		case 3:
			snprintf(t, TEXT_MAX, "The final answer is $x^2+%dx$.", a);
			snprintf(gold, GOLD_MAX, "%dx+x^2", a + wrong);
			break;
		case 4:
			snprintf(t, TEXT_MAX, "Hence \\boxed{(%d, %d]}", a, a + b);
			snprintf(gold, GOLD_MAX, wrong ? "[%d, %d]" : "(%d, %d]", a, a + b);
			break;
		case 5:
			snprintf(t, TEXT_MAX, "I am not sure how to finish this one");
			snprintf(gold, GOLD_MAX, "%d", a);
			break;
		case 6:
			snprintf(t, TEXT_MAX, "Answer: %d,%03d", a, b * 11);
			snprintf(gold, GOLD_MAX, "%d", a * 1000 + b * 11 + wrong);
			break;
		default:
			snprintf(t, TEXT_MAX, "So the total is %d.%d dollars and the answer is $%d.%d", a, b, a, b);
			snprintf(gold, GOLD_MAX, "%d.%d", a, b + wrong);
			break;
		}
		p->texts[i] = p->text[i];
		p->golds[i] = p->gold[i];
		p->flags[i] = i % 3 == 0 ? COSEVAL_TEXT_STOPPED : 0;
	}
	return p;
}

/* Grades the pairs one by one with coseval_grade and in batches on 1, 2 and all cores; every field of every
 * result must be the same. */
static void expect_batch_as_one_by_one(const char *profile)
{
	coseval_grader *g = grader(profile);
	struct pairs *p = make_pairs();
	coseval_verdict *one = calloc(PAIRS, sizeof *one);
	coseval_verdict *many = calloc(PAIRS, sizeof *many);
	coseval_error err;
	int threads[] = { 1, 2, 0 };
	int verdicts[3] = { 0 };

	cr_assert(one != NULL && many != NULL);
	for (int i = 0; i < PAIRS; i++) {
		cr_assert_eq(coseval_grade(g, p->golds[i], p->texts[i], strlen(p->texts[i]), p->flags[i], &one[i], &err),
			     COSEVAL_OK, "pair %d: %s", i, err.message);
		verdicts[strcmp(one[i].verdict, "correct") == 0 ? 0 : strcmp(one[i].verdict, "wrong") == 0 ? 1 : 2]++;
	}
	cr_expect(verdicts[0] > 0 && verdicts[1] > 0 && verdicts[2] > 0, "%s: correct %d, wrong %d, no-answer %d",
		  profile, verdicts[0], verdicts[1], verdicts[2]);

	for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
		cr_assert_eq(coseval_grade_many(g, PAIRS, p->golds, p->texts, p->flags, threads[t], many, &err),
			     COSEVAL_OK, "%s, %d threads: %s", profile, threads[t], err.message);
		for (int i = 0; i < PAIRS; i++) {
			const coseval_verdict *a = &one[i], *b = &many[i];
			cr_assert(same_str(a->answer, b->answer) && same_str(a->canonical, b->canonical) &&
					  same_str(a->verdict, b->verdict) && same_str(a->rule, b->rule) &&
					  same_str(a->reason, b->reason),
				  "%s, %d threads, pair %d \"%s\" vs %s: one by one %s/%s/%s/%s/%s, batch %s/%s/%s/%s/%s",
				  profile, threads[t], i, p->texts[i], p->golds[i], show(a->answer), show(a->canonical),
				  show(a->verdict), show(a->rule), show(a->reason), show(b->answer), show(b->canonical),
				  show(b->verdict), show(b->rule), show(b->reason));
			coseval_verdict_clear(&many[i]);
		}
	}

	/* flags NULL means 0 for every pair */
	cr_assert_eq(coseval_grade_many(g, 64, p->golds, p->texts, NULL, 2, many, &err), COSEVAL_OK);
	for (int i = 0; i < 64; i++) {
		coseval_verdict v;
		cr_assert_eq(coseval_grade(g, p->golds[i], p->texts[i], strlen(p->texts[i]), 0, &v, &err), COSEVAL_OK);
		cr_expect(same_str(v.verdict, many[i].verdict) && same_str(v.answer, many[i].answer), "pair %d", i);
		coseval_verdict_clear(&v);
		coseval_verdict_clear(&many[i]);
	}

	for (int i = 0; i < PAIRS; i++)
		coseval_verdict_clear(&one[i]);
	free(one);
	free(many);
	free(p);
	coseval_grader_free(g);
}

Test(api, grade_many_matches_grade, .timeout = 300)
{
	/* math reads no last number; gsm8k does, unless the text is stopped (every third pair) */
	expect_batch_as_one_by_one("math");
	expect_batch_as_one_by_one("gsm8k");
}

Test(api, grade_many_errors)
{
	coseval_grader *g = grader("math");
	struct pairs *p = make_pairs();
	coseval_verdict *out = calloc(PAIRS, sizeof *out);
	coseval_error err;
	int threads[] = { 1, 2, 0 };

	cr_assert_not_null(out);
	cr_assert_eq(coseval_grade_many(g, 0, NULL, NULL, NULL, 1, NULL, &err), COSEVAL_OK, "%s", err.message);
	cr_assert_eq(coseval_grade_many(g, 10, p->golds, p->texts, NULL, -1, out, &err), COSEVAL_USAGE);
	cr_assert_eq(coseval_grade_many(g, 10, p->golds, p->texts, NULL, 65, out, &err), COSEVAL_USAGE);
	cr_assert_eq(coseval_grade_many(NULL, 10, p->golds, p->texts, NULL, 1, out, &err), COSEVAL_USAGE);

	for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
		p->texts[4321] = NULL;
		cr_assert_eq(coseval_grade_many(g, PAIRS, p->golds, p->texts, p->flags, threads[t], out, &err),
			     COSEVAL_USAGE, "%d threads", threads[t]);
		cr_expect_eq(err.status, COSEVAL_USAGE);
		cr_expect(strstr(err.message, "pair 4321") != NULL, "%d threads: message %s", threads[t], err.message);
		for (int i = 0; i < PAIRS; i++)
			coseval_verdict_clear(&out[i]);
		p->texts[4321] = p->text[4321];

		p->golds[77] = NULL;
		cr_assert_eq(coseval_grade_many(g, PAIRS, p->golds, p->texts, p->flags, threads[t], out, &err),
			     COSEVAL_USAGE);
		cr_expect(strstr(err.message, "pair 77") != NULL, "message %s", err.message);
		for (int i = 0; i < PAIRS; i++)
			coseval_verdict_clear(&out[i]);
		p->golds[77] = p->gold[77];
	}

	strcpy(p->text[9000], "The answer is \xff");
	cr_assert_eq(coseval_grade_many(g, PAIRS, p->golds, p->texts, p->flags, 2, out, &err), COSEVAL_INPUT);
	cr_expect(strstr(err.message, "pair 9000") != NULL && strstr(err.message, "UTF-8") != NULL, "message %s",
		  err.message);
	for (int i = 0; i < PAIRS; i++)
		coseval_verdict_clear(&out[i]);

	free(out);
	free(p);
	coseval_grader_free(g);
}

/* Packed inputs for coseval_grade_many_packed: the pairs of make_pairs, some with answers across lines or
 * outside ASCII and some texts holding a NUL byte. */
struct packed_in {
	char *golds, *texts;
	size_t gold_offsets[PAIRS + 1], text_offsets[PAIRS + 1];
	size_t text_len[PAIRS]; /* the length of p->text[i] as packed (it may hold a NUL) */
};

static struct packed_in *pack_pairs(struct pairs *p)
{
	struct packed_in *in = calloc(1, sizeof *in);
	cr_assert_not_null(in);
	in->golds = malloc(PAIRS * GOLD_MAX);
	in->texts = malloc(PAIRS * TEXT_MAX);
	cr_assert(in->golds != NULL && in->texts != NULL);
	size_t g = 0, t = 0;
	for (int i = 0; i < PAIRS; i++) {
		size_t len = strlen(p->text[i]);
		if (i % 97 == 1) {
			snprintf(p->text[i], TEXT_MAX, "So \\boxed{\\text{caf\xc3\xa9}\n\\alpha_{%d}}", i % 9);
			snprintf(p->gold[i], GOLD_MAX, "\xce\xb1_%d", i % 9);
			len = strlen(p->text[i]);
		} else if (i % 89 == 2) {
			snprintf(p->text[i], TEXT_MAX, "The answer is:\n\\[\n\\begin{cases} %d \\\\\n x \\end{cases}\n\\]",
				 i % 11);
			len = strlen(p->text[i]);
		} else if (i % 101 == 3) {
			memcpy(p->text[i], "a\0b so \\boxed{\xe2\x88\x9a" "5}", 19);
			len = 19;
		}
		in->text_len[i] = len;
		in->gold_offsets[i] = g;
		in->text_offsets[i] = t;
		size_t gl = strlen(p->gold[i]);
		memcpy(in->golds + g, p->gold[i], gl);
		memcpy(in->texts + t, p->text[i], len);
		g += gl;
		t += len;
	}
	in->gold_offsets[PAIRS] = g;
	in->text_offsets[PAIRS] = t;
	return in;
}

static void free_packed(struct packed_in *in)
{
	free(in->golds);
	free(in->texts);
	free(in);
}

/* Reads the next field of a packed verdict from *at (before end) into a malloc'd string, NULL for 0xFE. */
static char *packed_field(const char **at, const char *end)
{
	const char *sep = memchr(*at, 0xFF, (size_t)(end - *at));
	cr_assert_not_null(sep, "a field without its 0xFF");
	size_t len = (size_t)(sep - *at);
	char *s = NULL;
	if (!(len == 1 && (unsigned char)**at == 0xFE)) {
		cr_assert(memchr(*at, 0xFE, len) == NULL, "0xFE inside a field");
		s = malloc(len + 1);
		cr_assert_not_null(s);
		memcpy(s, *at, len);
		s[len] = '\0';
	}
	*at = sep + 1;
	return s;
}

static void expect_packed_as_one_by_one(const char *profile)
{
	coseval_grader *g = grader(profile);
	struct pairs *p = make_pairs();
	struct packed_in *in = pack_pairs(p);
	coseval_error err;
	int threads[] = { 1, 2, 0, 64 };
	int newline = 0, unicode = 0;

	for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
		char *out = NULL;
		size_t len = 0;
		cr_assert_eq(coseval_grade_many_packed(g, PAIRS, in->golds, in->gold_offsets, in->texts, in->text_offsets,
						       p->flags, threads[t], &out, &len, &err),
			     COSEVAL_OK, "%s, %d threads: %s", profile, threads[t], err.message);
		cr_assert_not_null(out);
		cr_assert_eq(out[len], '\0');
		const char *at = out, *end = out + len;
		for (int i = 0; i < PAIRS; i++) {
			coseval_verdict a;
			cr_assert_eq(coseval_grade(g, p->gold[i], p->text[i], in->text_len[i], p->flags[i], &a, &err),
				     COSEVAL_OK, "pair %d: %s", i, err.message);
			char *f[5];
			for (int k = 0; k < 5; k++)
				f[k] = packed_field(&at, end);
			cr_assert(same_str(a.answer, f[0]) && same_str(a.canonical, f[1]) && same_str(a.verdict, f[2]) &&
					  same_str(a.rule, f[3]) && same_str(a.reason, f[4]),
				  "%s, %d threads, pair %d: one by one %s/%s/%s/%s/%s, packed %s/%s/%s/%s/%s", profile,
				  threads[t], i, show(a.answer), show(a.canonical), show(a.verdict), show(a.rule),
				  show(a.reason), show(f[0]), show(f[1]), show(f[2]), show(f[3]), show(f[4]));
			if (a.answer != NULL && strchr(a.answer, '\n') != NULL)
				newline++;
			if (a.answer != NULL && strstr(a.answer, "\xc3\xa9") != NULL)
				unicode++;
			for (int k = 0; k < 5; k++)
				free(f[k]);
			coseval_verdict_clear(&a);
		}
		cr_assert_eq(at, end, "%zu bytes after the last verdict", (size_t)(end - at));
		coseval_free(out);
	}
	if (strcmp(profile, "math") == 0) {
		cr_expect(newline > 0, "no answer holds a newline");
		cr_expect(unicode > 0, "no answer holds a non-ASCII character");
	}

	/* flags NULL means 0 for every pair */
	char *out = NULL;
	size_t len = 0;
	cr_assert_eq(coseval_grade_many_packed(g, 64, in->golds, in->gold_offsets, in->texts, in->text_offsets, NULL, 2,
					       &out, &len, &err),
		     COSEVAL_OK);
	const char *at = out;
	for (int i = 0; i < 64; i++) {
		coseval_verdict v;
		cr_assert_eq(coseval_grade(g, p->gold[i], p->text[i], in->text_len[i], 0, &v, &err), COSEVAL_OK);
		char *f[5];
		for (int k = 0; k < 5; k++)
			f[k] = packed_field(&at, out + len);
		cr_expect(same_str(v.answer, f[0]) && same_str(v.verdict, f[2]), "pair %d", i);
		for (int k = 0; k < 5; k++)
			free(f[k]);
		coseval_verdict_clear(&v);
	}
	coseval_free(out);

	free_packed(in);
	free(p);
	coseval_grader_free(g);
}

Test(api, grade_many_packed_matches_grade, .timeout = 300)
{
	expect_packed_as_one_by_one("math");
	expect_packed_as_one_by_one("gsm8k");
}

Test(api, grade_many_packed_errors)
{
	coseval_grader *g = grader("math");
	struct pairs *p = make_pairs();
	struct packed_in *in = pack_pairs(p);
	coseval_error err;
	char *out = (char *)"untouched";
	size_t len = 7;
	int threads[] = { 1, 2, 0 };

	cr_assert_eq(coseval_grade_many_packed(g, 0, NULL, NULL, NULL, NULL, NULL, 1, &out, &len, &err), COSEVAL_OK,
		     "%s", err.message);
	cr_assert(out != NULL && len == 0 && out[0] == '\0');
	coseval_free(out);
	cr_assert_eq(coseval_grade_many_packed(g, 10, in->golds, in->gold_offsets, in->texts, in->text_offsets, NULL,
					       65, &out, &len, &err),
		     COSEVAL_USAGE);
	cr_expect(out == NULL && len == 0);
	cr_assert_eq(coseval_grade_many_packed(g, 10, in->golds, NULL, in->texts, in->text_offsets, NULL, 1, &out,
					       &len, &err),
		     COSEVAL_USAGE);
	cr_assert_eq(coseval_grade_many_packed(NULL, 10, in->golds, in->gold_offsets, in->texts, in->text_offsets, NULL,
					       1, &out, &len, &err),
		     COSEVAL_USAGE);
	cr_assert_eq(coseval_grade_many_packed(g, 10, in->golds, in->gold_offsets, in->texts, in->text_offsets, NULL,
					       1, NULL, &len, &err),
		     COSEVAL_USAGE);

	for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
		/* invalid UTF-8 in text 9000 */
		char saved = in->texts[in->text_offsets[9000]];
		in->texts[in->text_offsets[9000]] = (char)0xFF;
		cr_assert_eq(coseval_grade_many_packed(g, PAIRS, in->golds, in->gold_offsets, in->texts, in->text_offsets,
						       p->flags, threads[t], &out, &len, &err),
			     COSEVAL_INPUT, "%d threads", threads[t]);
		cr_expect_eq(err.status, COSEVAL_INPUT);
		cr_expect(out == NULL && len == 0);
		cr_expect(strstr(err.message, "pair 9000: the text is not valid UTF-8") != NULL, "%d threads: %s",
			  threads[t], err.message);
		in->texts[in->text_offsets[9000]] = saved;

		/* a NUL byte in gold 77 */
		saved = in->golds[in->gold_offsets[77]];
		in->golds[in->gold_offsets[77]] = '\0';
		cr_assert_eq(coseval_grade_many_packed(g, PAIRS, in->golds, in->gold_offsets, in->texts, in->text_offsets,
						       p->flags, threads[t], &out, &len, &err),
			     COSEVAL_INPUT);
		cr_expect(strstr(err.message, "pair 77: ") != NULL && strstr(err.message, "NUL") != NULL, "message %s",
			  err.message);
		in->golds[in->gold_offsets[77]] = saved;

		/* decreasing offsets at pair 4321 */
		size_t o = in->text_offsets[4322];
		in->text_offsets[4322] = in->text_offsets[4321] - 1;
		cr_assert_eq(coseval_grade_many_packed(g, PAIRS, in->golds, in->gold_offsets, in->texts, in->text_offsets,
						       p->flags, threads[t], &out, &len, &err),
			     COSEVAL_USAGE);
		cr_expect(strstr(err.message, "pair 4321: ") != NULL, "message %s", err.message);
		in->text_offsets[4322] = o;
	}

	free_packed(in);
	free(p);
	coseval_grader_free(g);
}
