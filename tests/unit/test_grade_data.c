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

/* Reads the whole of $COSEVAL_DATA/rel into a malloc'd string (the test is skipped when it is missing). */
static char *read_data(const char *rel)
{
	FILE *f = open_data(rel);
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	do {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The texts of a JSON array of strings joined by blank lines, as PRM800K shows a solution's steps (malloc'd). */
static char *join_steps(cJSON *steps)
{
	size_t total = 1, k = 0;
	cJSON *s;
	char *out;

	cJSON_ArrayForEach(s, steps)
		total += strlen(cJSON_GetStringValue(s)) + 2;
	out = malloc(total);
	cr_assert_not_null(out);
	cJSON_ArrayForEach(s, steps) {
		size_t l = strlen(cJSON_GetStringValue(s));
		if (k > 0) {
			memcpy(out + k, "\n\n", 2);
			k += 2;
		}
		memcpy(out + k, cJSON_GetStringValue(s), l);
		k += l;
	}
	out[k] = '\0';
	return out;
}

struct prm_tally {
	const struct cs_grader *g;
	int n, agree;
};

/* Extracts the answer of text and checks it: equal to want (an answer the data set read from the same text)
 * when want_equal, else graded against gold with the verdict correct exactly when label says so. */
static void prm_check(struct prm_tally *t, const char *where, const char *text, const char *want, int want_equal)
{
	struct cs_extraction ex;
	struct cs_err err = { "" };
	const char *reason = "";
	int equal = 0, ok;

	cr_assert_eq(cs_extract(t->g, text, strlen(text), &ex, &err), CS_OK, "%s", err.msg);
	if (ex.answer != NULL)
		cr_assert_eq(cs_compare(CS_PROFILE_MATH, want, ex.answer, &equal, &reason, &err), CS_OK, "%s", err.msg);
	ok = ex.answer != NULL && strcmp(ex.rule, "answer-heading") == 0 && equal == want_equal;
	t->n++;
	t->agree += ok;
	if (!ok)
		printf("prm800k-disagreement %s extracted=\"%s\" rule=%s want=\"%s\" (%s)\n", where,
		       ex.answer != NULL ? ex.answer : "(none)", ex.rule, want, want_equal ? "equal" : "different");
	free(ex.answer);
}

/* Checks the "# Answer" steps of one PRM800K label record: a completion rated 1 that states an answer states
 * the ground truth, one rated -1 does not; the pre-generated solution (phase 2) answers pre_generated_answer. */
static void prm_record(struct prm_tally *t, const char *file, int rec, cJSON *row)
{
	cJSON *q = cJSON_GetObjectItemCaseSensitive(row, "question");
	cJSON *label = cJSON_GetObjectItemCaseSensitive(row, "label"), *step, *c;
	const char *gt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "ground_truth_answer"));
	const char *pre = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "pre_generated_answer"));
	char where[256];

	cr_assert_not_null(gt, "%s record %d: no ground_truth_answer", file, rec);
	if (pre != NULL) {
		char *sol = join_steps(cJSON_GetObjectItemCaseSensitive(q, "pre_generated_steps"));
		snprintf(where, sizeof where, "%s:%d:pre_generated_steps", file, rec);
		prm_check(t, where, sol, pre, 1);
		free(sol);
	}
	cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(label, "steps")) {
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(step, "completions")) {
			const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "text"));
			double rating = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "rating"));

			if (text == NULL || strstr(text, "# Answer") == NULL || (rating != 1 && rating != -1))
				continue;
			snprintf(where, sizeof where, "%s:%d:completion rated %g", file, rec, rating);
			prm_check(t, where, text, gt, rating == 1);
		}
	}
}

Test(data, prm800k_answer_heading_agrees_with_labels)
{
	static const char *const files[] = { "prm800k_examples/prm800k-phase1-train-example.json",
					      "prm800k_examples/prm800k-phase1-test-example.json",
					      "prm800k_examples/prm800k-phase2-test-example.json", NULL };
	struct cs_grader *g = NULL;
	struct cs_err err = { "" };
	struct prm_tally t = { NULL, 0, 0 };
	char *buf;
	cJSON *row;

	cr_assert_eq(cs_grader_new(CS_PROFILE_MATH, NULL, &g, &err), CS_OK, "%s", err.msg);
	t.g = g;
	for (int k = 0; files[k] != NULL; k++) {
		const char *p, *end;
		int rec = 0;

		/* The phase-1 train file holds several pretty-printed records one after the other. */
		buf = read_data(files[k]);
		p = buf;
		while ((row = cJSON_ParseWithOpts(p, &end, 0)) != NULL) {
			prm_record(&t, files[k], ++rec, row);
			cJSON_Delete(row);
			p = end;
			while (*p == '\n' || *p == ' ' || *p == '\r' || *p == '\t')
				p++;
			if (*p == '\0')
				break;
		}
		cr_expect_gt(rec, 0, "%s: no record", files[k]);
		free(buf);
	}
	/* The scored best-of-N sample: its steps answer "answer", graded as is_correct says against the truth. */
	buf = read_data("prm800k_examples/RM-scored-example.json");
	row = cJSON_Parse(buf);
	cr_assert_not_null(row, "RM-scored-example.json: malformed JSON");
	{
		char *sol = join_steps(cJSON_GetObjectItemCaseSensitive(row, "steps"));
		const char *ans = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "answer"));
		const char *gt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "ground_truth_answer"));
		struct cs_grade gr;

		cr_assert(ans != NULL && gt != NULL, "RM-scored-example.json: answer or ground_truth_answer missing");
		prm_check(&t, "RM-scored-example.json:steps", sol, ans, 1);
		cr_assert_eq(cs_grade_sample(g, gt, sol, strlen(sol), &gr, &err), CS_OK, "%s", err.msg);
		t.n++;
		if ((strcmp(gr.verdict, "correct") == 0) == cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "is_correct")))
			t.agree++;
		else
			printf("prm800k-disagreement RM-scored-example.json: verdict %s (%s) against is_correct\n", gr.verdict,
			       gr.reason);
		cs_grade_clear(&gr);
		free(sol);
	}
	cJSON_Delete(row);
	free(buf);
	cs_grader_free(g);
	printf("prm800k agreement: %d / %d\n", t.agree, t.n);
	fflush(stdout);
	cr_expect_eq(t.n, 8);
	cr_expect_eq(t.agree, t.n);
}
