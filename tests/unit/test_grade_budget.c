/* Unit tests of the size budgets: hostile inputs return promptly with "too large" or a verdict, never hang. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grade/grade.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Compares a with b, checks the verdict (want_equal) and, when given, the reason, within 50 ms (generous for
 * sanitizer builds; a release build takes well under a millisecond). */
static void expect_prompt(const char *a, const char *b, int want_equal, const char *want_reason)
{
	int eq = -1;
	const char *reason = "";
	double t0 = now(), dt;

	cr_assert_eq(cs_compare(CS_PROFILE_MATH, a, b, &eq, &reason, NULL), CS_OK);
	dt = now() - t0;
	cr_expect_eq(eq, want_equal, "%.40s vs %.40s: got %d (%s)", a, b, eq, reason);
	if (want_reason != NULL)
		cr_expect_str_eq(reason, want_reason, "%.40s vs %.40s: reason %s", a, b, reason);
	cr_expect_lt(dt, 0.05, "%.40s vs %.40s took %.3f s", a, b, dt);
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * times + tl + 1), *w = s;

	cr_assert_not_null(s);
	memcpy(w, head, hl);
	w += hl;
	for (size_t k = 0; k < times; k++, w += ul)
		memcpy(w, unit, ul);
	memcpy(w, tail, tl + 1);
	return s;
}

Test(budget, huge_powers_and_factorials)
{
	expect_prompt("10^{10^{10}}", "5", 0, "too large");
	expect_prompt("100000!", "5", 0, "too large");
	expect_prompt("2^{99999999}", "2^{99999998}", 0, "too large");
	/* the documented budget: exponents up to 4,000 are evaluated exactly, larger ones are "too large" */
	expect_prompt("2^{5000}", "2^{5000}+1", 0, "too large");
	expect_prompt("3^{4001}", "3\\cdot 3^{4000}", 0, "too large");
	expect_prompt("3^{4000}", "3\\cdot 3^{3999}", 1, "equal values");
	expect_prompt("\\binom{1000000}{500000}", "1", 0, "too large");
	expect_prompt("10^{10^{10}}", "10^{10^{10}}", 1, "identical canonical form");
	expect_prompt("1e99999999", "1", 0, "too large");
	expect_prompt("x^{10^{10}}", "x", 0, NULL);
	expect_prompt("9999999999999999999999!", "1", 0, "too large");
}

Test(budget, deep_nesting)
{
	char *braces = repeat("", "{", 10000, "1");
	char *parens = repeat("", "(", 10000, "1");
	char *chain = repeat("2", "^2", 5000, "");
	char *fracs = repeat("", "\\frac{1}{", 3000, "2");

	expect_prompt(braces, "1", 0, NULL);
	expect_prompt(parens, "1", 0, NULL);
	expect_prompt(chain, "16", 0, NULL);
	expect_prompt(fracs, "2", 0, NULL);
	free(braces);
	free(parens);
	free(chain);
	free(fracs);
}

Test(budget, large_answers_and_texts)
{
	size_t mb = 1 << 20;
	char *big = repeat("", "1", mb, "");
	char *box = repeat("\\boxed{", "{", 10000, "5");
	char *text = repeat("", "The value is 3 and ", mb / 19, "\\boxed{7}");
	struct cs_grader *g = NULL;
	struct cs_grade gr;
	char *out = NULL;
	double t0;

	expect_prompt(big, "1", 0, "too large");
	expect_prompt(big, big, 0, "too large");
	cr_assert_eq(cs_last_boxed(box, strlen(box), &out, NULL), CS_OK);
	cr_expect_not_null(out);
	free(out);
	cr_assert_eq(cs_grader_new(CS_PROFILE_GSM8K, NULL, &g, NULL), CS_OK);
	t0 = now();
	cr_assert_eq(cs_grade_sample(g, "7", text, strlen(text), &gr, NULL), CS_OK);
	cr_expect_str_eq(gr.verdict, "correct");
	cs_grade_clear(&gr);
	cr_assert_eq(cs_grade_sample(g, "7", box, strlen(box), &gr, NULL), CS_OK);
	cs_grade_clear(&gr);
	cr_assert_eq(cs_grade_sample(g, "7", big, strlen(big), &gr, NULL), CS_OK);
	cs_grade_clear(&gr);
	cr_expect_lt(now() - t0, 2.0, "grading megabyte texts took %.3f s", now() - t0);
	cs_grader_free(g);
	free(big);
	free(box);
	free(text);
}

Test(budget, garbage_never_crashes)
{
	static const char *const junk[] = { "\\frac", "\\sqrt[", "{{{", "}}}", "\\begin{pmatrix}", "^^^", "\\\\",
					    "((1,2)", "\\{", "\\left(", "1/", "--", "\\boxed{", "x=", "=", ",,,",
					    "\\log_", "!", "\\binom{1}", "\\frac{1}{0}", "0^{-1}", "\\sqrt{-4}", "" };
	for (size_t a = 0; a < sizeof junk / sizeof junk[0]; a++)
		for (size_t b = 0; b < sizeof junk / sizeof junk[0]; b++) {
			int eq;
			const char *reason;
			cr_expect_eq(cs_compare(CS_PROFILE_MATH, junk[a], junk[b], &eq, &reason, NULL), CS_OK);
			if (a == b)
				cr_expect_eq(eq, 1, "\"%s\" differs from itself", junk[a]);
		}
}

/* The evaluation steps of a pair: long sums, big gcds and products and matrix products that took 1 to 14 ms
 * each (the slowest inputs of bench_slowest_inputs) are "too large" within the budget; the documented heavy
 * cases are still decided. */
Test(budget, evaluation_steps)
{
	char *sum = repeat("\\sum_{k=1}^{999}(1", "+1", 19, ")");
	char *nested = repeat("\\sum_{k=1}^{30}\\sum_{j=1}^{30}(1", "+1", 19, ")");
	char *fracs = repeat("\\sum_{k=1}^{999}(\\frac{k}{2}", "+\\frac{k}{3}", 60, ")");
	char *row = repeat("", "1&", 7, "1");
	char *rows = NULL, *mat = NULL, *chain = NULL, *sums = NULL;
	size_t rl = strlen(row);

	rows = malloc(8 * (rl + 2) + 1);
	cr_assert_not_null(rows);
	rows[0] = '\0';
	for (int k = 0; k < 8; k++) {
		strcat(rows, row);
		if (k < 7)
			strcat(rows, "\\\\");
	}
	mat = malloc(strlen(rows) + 64);
	cr_assert_not_null(mat);
	sprintf(mat, "\\begin{pmatrix}%s\\end{pmatrix}", rows);
	chain = repeat(mat, mat, 3, "");
	sums = repeat("(\\sum_{k=1}^{999}k^2", ",\\sum_{k=1}^{999}k^2", 5, ")");

	expect_prompt(sum, "19980", 0, "too large");
	expect_prompt(nested, "18000", 0, "too large");
	expect_prompt(fracs, "x", 0, "too large");
	expect_prompt("\\frac{(a^{4000}+1)(b^{4000}+1)}{(c^{4000}+1)}", "\\frac{(b^{4000}+1)(a^{4000}+1)}{(c^{4000}+1)}", 0,
		      "too large");
	expect_prompt("x^{4000}y^{4000}z^{4000}w^{4000}", "w^{4000}z^{4000}y^{4000}x^{4000}", 0, "too large");
	/* four 8 x 8 matrices multiplied: 2,880 element operations, over the 512 of one matrix expression */
	expect_prompt(chain, mat, 0, "too large");
	/* one budget for the pair, whatever the number of its element comparisons */
	expect_prompt(sums, "(332833500,332833500,332833500,332833500,332833500,332833500)", 0, "too large");

	expect_prompt("\\sum_{k=1}^{999}k^2", "332833500", 1, "equal values");
	expect_prompt("(x+1)^{4000}", "1\\cdot(x+1)^{4000}", 1, NULL);
	expect_prompt("3000!", "3000\\cdot 2999!", 1, "equal values");
	expect_prompt("\\sum_{k=1}^{n}\\frac{1}{k(k+1)}", "\\frac{n}{n+1}", 1, NULL);
	expect_prompt("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}\\begin{pmatrix}0&1\\\\1&0\\end{pmatrix}",
		      "\\begin{pmatrix}2&1\\\\4&3\\end{pmatrix}", 1, NULL);
	free(sum);
	free(nested);
	free(fracs);
	free(row);
	free(rows);
	free(mat);
	free(chain);
	free(sums);
}
