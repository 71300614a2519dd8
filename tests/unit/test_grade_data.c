/* Real-data checks of the grader against $COSEVAL_DATA: MATH golds, MATH-500 answers, GSM8K and Qwen2.5-Math labels. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grade/grade.h"

/* Opens $COSEVAL_DATA/rel, skipping the test when the data directory is missing. */
static FILE *open_data(const char *rel)
{
	const char *dir = getenv("COSEVAL_DATA");
	char path[4096];
	struct stat st;
	FILE *f;

	if (dir == NULL || stat(dir, &st) != 0)
		cr_skip_test("COSEVAL_DATA is not set or missing");
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "r");
	if (f == NULL)
		cr_skip_test("%s is missing", path);
	return f;
}

/* Reads the next JSON line of f into a new reference; NULL at the end. */
static cJSON *next_row(FILE *f, char **buf, size_t *cap, int *lineno)
{
	cJSON *row;

	if (getline(buf, cap, f) < 0)
		return NULL;
	(*lineno)++;
	row = cJSON_Parse(*buf);
	cr_assert_not_null(row, "line %d: malformed JSON", *lineno);
	return row;
}

static const char *str_field(cJSON *row, const char *key, int lineno)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, key));

	cr_assert_not_null(s, "line %d: field \"%s\" missing", lineno, key);
	return s;
}

Test(data, math_test_golds_equal_themselves)
{
	FILE *f = open_data("tora/math_test.jsonl");
	char *buf = NULL;
	size_t cap = 0;
	int lineno = 0, n = 0, ok = 0;
	cJSON *row;

	while ((row = next_row(f, &buf, &cap, &lineno)) != NULL) {
		const char *sol = str_field(row, "solution", lineno), *reason = "";
		char *gold = NULL;
		int eq = 0;

		cr_assert_eq(cs_last_boxed(sol, strlen(sol), &gold, NULL), CS_OK);
		cr_expect_not_null(gold, "tora/math_test.jsonl:%d: no boxed answer", lineno);
		if (gold != NULL) {
			cr_expect_eq(cs_compare(CS_PROFILE_MATH, gold, gold, &eq, &reason, NULL), CS_OK);
			cr_expect(eq, "tora/math_test.jsonl:%d: gold \"%s\" differs from itself (%s)", lineno, gold,
				  reason);
			ok += eq;
		}
		n++;
		free(gold);
		cJSON_Delete(row);
	}
	free(buf);
	fclose(f);
	cr_expect_eq(n, 5000);
	cr_expect_eq(ok, 5000);
}

Test(data, math500_answer_matches_boxed_solution)
{
	FILE *f = open_data("math500/test.jsonl");
	char *buf = NULL;
	size_t cap = 0;
	int lineno = 0, n = 0, ok = 0;
	cJSON *row;

	while ((row = next_row(f, &buf, &cap, &lineno)) != NULL) {
		const char *sol = str_field(row, "solution", lineno), *ans = str_field(row, "answer", lineno);
		const char *reason = "";
		char *gold = NULL;
		int eq = 0;

		cr_assert_eq(cs_last_boxed(sol, strlen(sol), &gold, NULL), CS_OK);
		if (gold != NULL)
			cr_expect_eq(cs_compare(CS_PROFILE_MATH, ans, gold, &eq, &reason, NULL), CS_OK);
		cr_expect(eq, "math500/test.jsonl:%d: answer \"%s\" vs boxed \"%s\": %s", lineno, ans,
			  gold != NULL ? gold : "(none)", reason);
		ok += eq;
		n++;
		free(gold);
		cJSON_Delete(row);
	}
	free(buf);
	fclose(f);
	cr_expect_eq(n, 500);
	cr_expect_eq(ok, 500);
}

Test(data, gsm8k_model_solutions_agree_with_labels)
{
	static const char *const fields[4] = { "6b_finetuning", "6b_verification", "175b_finetuning",
					       "175b_verification" };
	FILE *f = open_data("gsm8k/example_model_solutions.jsonl");
	struct cs_grader *g = NULL;
	struct cs_err err = { "" };
	char *buf = NULL;
	size_t cap = 0;
	int lineno = 0, n = 0, agree = 0;
	cJSON *row;

	cr_assert_eq(cs_grader_new(CS_PROFILE_GSM8K, NULL, &g, &err), CS_OK, "%s", err.msg);
	while ((row = next_row(f, &buf, &cap, &lineno)) != NULL) {
		const char *truth = str_field(row, "ground_truth", lineno);
		struct cs_extraction gold;

		cr_assert_eq(cs_extract(g, truth, strlen(truth), &gold, &err), CS_OK, "%s", err.msg);
		cr_assert_not_null(gold.answer, "gsm8k/example_model_solutions.jsonl:%d: no gold answer", lineno);
		for (int k = 0; k < 4; k++) {
			cJSON *m = cJSON_GetObjectItemCaseSensitive(row, fields[k]);
			const char *sol = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "solution"));
			cJSON *lab = cJSON_GetObjectItemCaseSensitive(m, "is_correct");
			struct cs_grade gr;
			int correct;

			cr_assert(sol != NULL && cJSON_IsBool(lab), "line %d: %s incomplete", lineno, fields[k]);
			cr_assert_eq(cs_grade_sample(g, gold.answer, sol, strlen(sol), &gr, &err), CS_OK, "%s",
				     err.msg);
			correct = strcmp(gr.verdict, "correct") == 0;
			n++;
			if (correct == cJSON_IsTrue(lab))
				agree++;
			else
				printf("gsm8k-disagreement field=%s line=%d extracted=\"%s\" gold=\"%s\" label=%s "
				       "verdict=%s rule=%s\n",
				       fields[k], lineno, gr.answer != NULL ? gr.answer : "(none)", gold.answer,
				       cJSON_IsTrue(lab) ? "correct" : "wrong", gr.verdict, gr.rule);
			cs_grade_clear(&gr);
		}
		free(gold.answer);
		cJSON_Delete(row);
	}
	printf("gsm8k agreement: %d / %d\n", agree, n);
	fflush(stdout);
	free(buf);
	fclose(f);
	cs_grader_free(g);
	cr_expect_eq(n, 5276);
	cr_expect_geq(agree * 1000, n * 995, "agreement %d / %d is below 99.5%%", agree, n);
}

/* Disagreements with the stored Qwen2.5-Math labels, as "idx:sample"; each is a stored label that is wrong:
 * idx 3, all 8 samples answer "4:30 \text{ p.m.}" for the gold "\text{4:30 p.m.}" (the same time);
 * idx 72, sample 7 answers "10000" for the gold "10{,}000" (the same number). */
static const char *const qwen_expected[] = {
	"3:0", "3:1", "3:2", "3:3", "3:4", "3:5", "3:6", "3:7", "72:7", NULL
};

Test(data, qwen25_math_agrees_with_labels_except_known_errors)
{
	FILE *f = open_data("qwen25_math/math_cot_100.jsonl");
	struct cs_grader *g = NULL;
	struct cs_err err = { "" };
	char *buf = NULL, got[8192] = "", want[8192] = "";
	size_t cap = 0, used = 0;
	int lineno = 0, n = 0, agree = 0;
	cJSON *row;

	cr_assert_eq(cs_grader_new(CS_PROFILE_MATH, NULL, &g, &err), CS_OK, "%s", err.msg);
	while ((row = next_row(f, &buf, &cap, &lineno)) != NULL) {
		const char *gold = str_field(row, "answer", lineno);
		cJSON *code = cJSON_GetObjectItemCaseSensitive(row, "code"), *score = cJSON_GetObjectItemCaseSensitive(row, "score");
		long idx = (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(row, "idx"));

		cr_assert(cJSON_GetArraySize(code) == 8 && cJSON_GetArraySize(score) == 8, "line %d: 8 samples", lineno);
		for (size_t k = 0; k < 8; k++) {
			const char *text = cJSON_GetStringValue(cJSON_GetArrayItem(code, k));
			struct cs_grade gr;
			int correct;

			cr_assert_not_null(text);
			cr_assert_eq(cs_grade_sample(g, gold, text, strlen(text), &gr, &err), CS_OK, "%s", err.msg);
			correct = strcmp(gr.verdict, "correct") == 0;
			n++;
			if (correct == cJSON_IsTrue(cJSON_GetArrayItem(score, k))) {
				agree++;
			} else {
				printf("qwen-disagreement idx=%ld sample=%zu line=%d extracted=\"%s\" gold=\"%s\" "
				       "label=%s verdict=%s reason=%s\n",
				       idx, k, lineno, gr.answer != NULL ? gr.answer : "(none)", gold,
				       cJSON_IsTrue(cJSON_GetArrayItem(score, k)) ? "correct" : "wrong", gr.verdict,
				       gr.reason);
				used += (size_t)snprintf(got + used, used < sizeof got ? sizeof got - used : 0,
							 "%ld:%zu ", idx, k);
			}
			cs_grade_clear(&gr);
		}
		cJSON_Delete(row);
	}
	printf("qwen agreement: %d / %d\n", agree, n);
	fflush(stdout);
	used = 0;
	for (int k = 0; qwen_expected[k] != NULL; k++)
		used += (size_t)snprintf(want + used, sizeof want - used, "%s ", qwen_expected[k]);
	free(buf);
	fclose(f);
	cs_grader_free(g);
	cr_expect_eq(n, 800);
	cr_expect_str_eq(got, want, "disagreements with the stored labels changed: got [%s], want [%s]", got, want);
}
