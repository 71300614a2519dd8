/* Unit tests of extraction: boxes, markers per profile, user patterns and profile names. */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade.h"

static void expect_extract(enum cs_profile p, const char *text, const char *want, const char *rule)
{
	struct cs_grader *g = NULL;
	struct cs_extraction ex;
	struct cs_err err = { "" };

	cr_assert_eq(cs_grader_new(p, NULL, &g, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_extract(g, text, strlen(text), &ex, &err), CS_OK, "%s", err.msg);
	if (want == NULL)
		cr_expect_null(ex.answer, "\"%s\": got \"%s\"", text, ex.answer);
	else
		cr_expect(ex.answer != NULL && strcmp(ex.answer, want) == 0, "\"%s\": got \"%s\", want \"%s\"", text,
			  ex.answer != NULL ? ex.answer : "(none)", want);
	cr_expect_str_eq(ex.rule, rule, "\"%s\": rule %s, want %s", text, ex.rule, rule);
	free(ex.answer);
	cs_grader_free(g);
}

Test(extract, rules_in_order)
{
	expect_extract(CS_PROFILE_MATH, "so \\boxed{\\frac{1}{2}}", "\\frac{1}{2}", "boxed");
	expect_extract(CS_PROFILE_MATH, "The final answer is $7$. I hope it is correct.", "7", "final-answer-is");
	expect_extract(CS_PROFILE_MATH, "The answer is 7.", "7", "the-answer-is");
	expect_extract(CS_PROFILE_MATH, "Answer: 7", "7", "answer-colon");
	expect_extract(CS_PROFILE_MATH, "work\n#### 7", "7", "hash");
	expect_extract(CS_PROFILE_MATH, "It is 7 apples", NULL, "none");
	expect_extract(CS_PROFILE_GSM8K, "It is 7 apples", "7", "last-number");
	expect_extract(CS_PROFILE_GENERIC, "It is 7 apples", NULL, "none");
	expect_extract(CS_PROFILE_MATH, "\\boxed{1} and \\boxed{2} and \\boxed{3}", "1, 2, 3", "boxed");
	expect_extract(CS_PROFILE_MATH, "\\boxed{1}.\n\nThen \\boxed{2}", "2", "boxed");
	expect_extract(CS_PROFILE_MATH, "\\fbox{\\{1, 2\\}}", "\\{1, 2\\}", "boxed");
	expect_extract(CS_PROFILE_GSM8K, "so \\boxed{\\frac{840}{13}}", "\\frac{840}{13}", "boxed");
	expect_extract(CS_PROFILE_GSM8K, "The answer is 18 dollars.", "18", "the-answer-is");
	expect_extract(CS_PROFILE_GSM8K, "The answer is: $-\\$5$", "-\\$5", "the-answer-is");
	expect_extract(CS_PROFILE_MATH, "So the answer to this question is $f(8) = 1$.", "1", "the-answer-is");
	expect_extract(CS_PROFILE_MATH, "The answer is $xy = 20$.", "20", "the-answer-is");
	expect_extract(CS_PROFILE_MATH, "The final answer is $2x - y + 3z = 8$.", "2x - y + 3z = 8", "final-answer-is");
	expect_extract(CS_PROFILE_MATH, "The answer is $x \\le 3$.", "x \\le 3", "the-answer-is");
	expect_extract(CS_PROFILE_MATH, "So the answer to this question is John's dad is 42 years old.", "42",
		       "the-answer-is");
	expect_extract(CS_PROFILE_MATH, "The answer is $\\dbinom{5}{2} = 10$.", "10", "the-answer-is");
}

Test(extract, grading_2_rules)
{
	expect_extract(CS_PROFILE_MATH, "So it costs 29 cents.\n\n# Answer\n\n29", "29", "answer-heading");
	expect_extract(CS_PROFILE_MATH, "\\boxed{3} is wrong.\n\n# Answer\n\n5", "5", "answer-heading");
	expect_extract(CS_PROFILE_MATH, "So \\boxed{255}. Final Answer: The final answer is $10,455$.", "10,455",
		       "final-answer-is");
	expect_extract(CS_PROFILE_MATH, "Thus $x <= 2$ is our answer.", "x <= 2", "is-the-answer");
	expect_extract(CS_PROFILE_MATH, "Therefore $x \\geq 5$ is the solution.", "x \\geq 5", "is-the-solution");
	expect_extract(CS_PROFILE_MATH, "The solution is $x != 5$", "x != 5", "the-solution-is");
	expect_extract(CS_PROFILE_MATH, "Answer \\[ \n 9 \n \\]", "9", "answer-colon");
	expect_extract(CS_PROFILE_GSM8K, "R\xc3\xa9ponse: Janeth aura encore 220 $ \xc3\xa0 payer d'ici 12 mois.", "220",
		       "answer-colon");
	expect_extract(CS_PROFILE_MATH, "Alice moves first. So the probability that Alice wins is 2/3.", "2/3",
		       "last-sentence");
	expect_extract(CS_PROFILE_MATH, "So the probability that Alice wins is 2/3 and", NULL, "none");
	expect_extract(CS_PROFILE_MATH, "The answer is there are six cubes below 2008.", NULL, "none");
	expect_extract(CS_PROFILE_GSM8K, "The area is\n#### 3{,}140", "3{,}140", "hash");
	expect_extract(CS_PROFILE_GSM8K, "\xe8\xae\xa1\xe5\x88\x92 13/28", "13/28", "last-number");
	expect_extract(CS_PROFILE_MATH, "$$\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}$$", "(2, 2), (6, 2)",
		       "boxed");
}

/* Builds prefix + n copies of unit + suffix (malloc'd). */
static char *repeat(const char *prefix, const char *unit, size_t n, const char *suffix)
{
	size_t lp = strlen(prefix), lu = strlen(unit), ls = strlen(suffix);
	char *s = malloc(lp + n * lu + ls + 1);

	cr_assert_not_null(s);
	memcpy(s, prefix, lp);
	for (size_t k = 0; k < n; k++)
		memcpy(s + lp + k * lu, unit, lu);
	memcpy(s + lp + n * lu, suffix, ls + 1);
	return s;
}

Test(extract, adversarial_texts_finish_quickly, .timeout = 20)
{
	static const char *const units[] = { "$", "\\boxed{1} and ", "is the answer ", "# Answer\n", "Answer $",
					     "1 000 ", "1,", "\\[", "\\(", "$$", "\\frac{1}{2}", "is our answer. ", "a. ",
					     "\xd0\xba\xd0\xb8 ", "\\boxed{" };
	struct cs_grader *g[3];

	for (int k = 0; k < 3; k++)
		cr_assert_eq(cs_grader_new((enum cs_profile)k, NULL, &g[k], NULL), CS_OK);
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		char *text = repeat("The answer is there are ", units[u], 200000, ".");
		for (int k = 0; k < 3; k++) {
			struct cs_extraction ex;
			cr_expect_eq(cs_extract(g[k], text, strlen(text), &ex, NULL), CS_OK, "unit \"%s\"", units[u]);
			free(ex.answer);
		}
		free(text);
	}
	for (int k = 0; k < 3; k++)
		cs_grader_free(g[k]);
}

Test(extract, last_boxed)
{
	char *out = NULL;
	const char *t = "a \\boxed{x^{2}} b \\boxed{\\frac{1}{\\sqrt{2}}} c";

	cr_assert_eq(cs_last_boxed(t, strlen(t), &out, NULL), CS_OK);
	cr_expect_str_eq(out, "\\frac{1}{\\sqrt{2}}");
	free(out);
	cr_assert_eq(cs_last_boxed("no box", 6, &out, NULL), CS_OK);
	cr_expect_null(out);
}

Test(extract, user_pattern)
{
	struct cs_grader *g = NULL;
	struct cs_extraction ex;
	struct cs_err err = { "" };
	const char *t = "RESULT=<12> and \\boxed{13}";

	cr_expect_eq(cs_grader_new(CS_PROFILE_MATH, "RESULT=<(\\d+)>", &g, &err), CS_USAGE);
	cr_expect_null(g);
	cr_expect_eq(cs_grader_new(CS_PROFILE_MATH, "RESULT=<(?<answer>", &g, &err), CS_USAGE);
	cr_assert_eq(cs_grader_new(CS_PROFILE_MATH, "RESULT=<(?<answer>\\d+)>", &g, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_extract(g, t, strlen(t), &ex, &err), CS_OK);
	cr_expect_str_eq(ex.answer, "12");
	cr_expect_str_eq(ex.rule, "user");
	free(ex.answer);
	cs_grader_free(g);
}

Test(extract, profiles)
{
	enum cs_profile p;

	cr_expect_eq(cs_profile_parse("gsm8k", &p), 0);
	cr_expect_eq(p, CS_PROFILE_GSM8K);
	cr_expect_eq(cs_profile_parse("math", &p), 0);
	cr_expect_eq(p, CS_PROFILE_MATH);
	cr_expect_eq(cs_profile_parse("generic", &p), 0);
	cr_expect_eq(p, CS_PROFILE_GENERIC);
	cr_expect_eq(cs_profile_parse("MATH", &p), -1);
	cr_expect_str_eq(cs_profile_name(CS_PROFILE_GSM8K), "gsm8k");
}

Test(extract, grade_sample)
{
	struct cs_grader *g = NULL;
	struct cs_grade gr;
	const char *t = "So the answer is $\\boxed{\\dfrac{1}{2}}$.";

	cr_assert_eq(cs_grader_new(CS_PROFILE_MATH, NULL, &g, NULL), CS_OK);
	cr_assert_eq(cs_grade_sample(g, "0.5", t, strlen(t), &gr, NULL), CS_OK);
	cr_expect_str_eq(gr.verdict, "correct");
	cr_expect_str_eq(gr.answer, "\\dfrac{1}{2}");
	cr_expect_str_eq(gr.canonical, "0.5");
	cr_expect_str_eq(gr.rule, "boxed");
	cs_grade_clear(&gr);
	cr_assert_eq(cs_grade_sample(g, "0.5", "nothing", 7, &gr, NULL), CS_OK);
	cr_expect_str_eq(gr.verdict, "no-answer");
	cr_expect_null(gr.answer);
	cs_grade_clear(&gr);
	cs_grader_free(g);
}

static const char *const shared_texts[] = {
	"So the answer is \\boxed{\\frac{1}{2}}.", "The answer is 18.", "Final Answer: **73**", "#### 5", "nothing",
	"\\boxed{1} or \\boxed{2}", "A: 32", "The final answer is $x^2+1$. I hope it is correct.",
};

struct worker {
	const struct cs_grader *g;
	int verdicts[64];
	int ok;
};

static void *grade_all(void *arg)
{
	struct worker *w = arg;

	w->ok = 1;
	for (int round = 0; round < 200; round++)
		for (size_t k = 0; k < sizeof shared_texts / sizeof shared_texts[0]; k++) {
			struct cs_grade gr;
			if (cs_grade_sample(w->g, "0.5", shared_texts[k], strlen(shared_texts[k]), &gr, NULL) != CS_OK)
				w->ok = 0;
			w->verdicts[k] = gr.verdict[0];
			cs_grade_clear(&gr);
		}
	return NULL;
}

Test(extract, one_grader_shared_by_threads)
{
	struct cs_grader *g = NULL;
	struct worker w[2];
	pthread_t th[2];

	cr_assert_eq(cs_grader_new(CS_PROFILE_MATH, NULL, &g, NULL), CS_OK);
	for (int k = 0; k < 2; k++) {
		memset(&w[k], 0, sizeof w[k]);
		w[k].g = g;
		cr_assert_eq(pthread_create(&th[k], NULL, grade_all, &w[k]), 0);
	}
	for (int k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	cr_expect(w[0].ok && w[1].ok);
	cr_expect_arr_eq(w[0].verdicts, w[1].verdicts, sizeof w[0].verdicts);
	cr_expect_eq(w[0].verdicts[0], 'c');
	cs_grader_free(g);
}

/* Grader 2.2: a statement the extraction will not guess from is no answer with a reason that names it, in
 * cs_extraction.why and in the grade's reason. */
Test(extract, no_answer_names_why)
{
	static const struct {
		enum cs_profile p;
		const char *text, *why;
	} cases[] = {
		{ CS_PROFILE_MATH, "The answer is at least 5.", "a bound (\"at least\"): no answer" },
		{ CS_PROFILE_MATH, "The answer is $5$ or more.", "a bound (\"or more\"): no answer" },
		{ CS_PROFILE_GSM8K, "The answer is about 5.", "a hedge (\"about\"): no answer" },
		{ CS_PROFILE_GSM8K, "The answer is between 17 and 19.", "a range (\"between\"): no answer" },
		{ CS_PROFILE_GSM8K, "The answer is 18 or 20.", "two numbers given as alternatives in the answer sentence" },
		{ CS_PROFILE_GSM8K, "The answer is 5 million.", "a word that changes the number's value in the answer sentence" },
		{ CS_PROFILE_MATH, "The answer is $a = 4$ or $b = 7$.", "math pieces with different labels in the answer sentence" },
		{ CS_PROFILE_MATH, "The answer is $4$, but also $-4$.",
		  "math pieces in the answer sentence that do not form one list" },
		{ CS_PROFILE_GSM8K, "Then over 7 days she earns", "the text stops mid-sentence" },
		{ CS_PROFILE_GSM8K, "So 5 * 3 =", "the text stops mid-expression" },
	};
	struct cs_err err = { "" };

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct cs_grader *g = NULL;
		struct cs_extraction ex;
		struct cs_grade gr;

		cr_assert_eq(cs_grader_new(cases[k].p, NULL, &g, &err), CS_OK, "%s", err.msg);
		cr_assert_eq(cs_extract(g, cases[k].text, strlen(cases[k].text), &ex, &err), CS_OK, "%s", err.msg);
		cr_expect_null(ex.answer, "%s: got \"%s\"", cases[k].text, ex.answer);
		cr_expect(ex.why != NULL && strcmp(ex.why, cases[k].why) == 0, "%s: why \"%s\", want \"%s\"",
			  cases[k].text, ex.why != NULL ? ex.why : "(null)", cases[k].why);
		free(ex.answer);
		cr_assert_eq(cs_grade_sample(g, "5", cases[k].text, strlen(cases[k].text), &gr, &err), CS_OK, "%s",
			     err.msg);
		cr_expect_str_eq(gr.verdict, "no-answer", "%s", cases[k].text);
		cr_expect_str_eq(gr.reason, cases[k].why, "%s", cases[k].text);
		cs_grade_clear(&gr);
		cs_grader_free(g);
	}
}
