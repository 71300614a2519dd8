/* Data-driven test of the grader on peer_cases.jsonl: other graders' own test cases, adjudicated under the policy. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade.h"

static const char *grading_dir(void)
{
	const char *d = getenv("COSEVAL_GRADING");

	return d != NULL ? d : "../shared/grading";
}

static const char *field(cJSON *row, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, key));
}

/* Grades one case: *equal is the verdict; *got the extracted answer or pred (malloc'd, caller frees). */
static void grade_case(struct cs_grader *const *g, cJSON *row, int lineno, int *equal, char **got,
		       const char **reason)
{
	const char *profile = field(row, "profile"), *gold = field(row, "gold"), *pred = field(row, "pred");
	const char *kind = field(row, "kind"), *gold_kind = field(row, "gold_kind");
	struct cs_err err = { "" };
	enum cs_profile p;
	char *gold_answer = NULL;

	cr_assert(profile != NULL && gold != NULL && pred != NULL && kind != NULL,
		  "peer_cases.jsonl:%d: profile, gold, pred or kind missing", lineno);
	cr_assert_eq(cs_profile_parse(profile, &p), 0, "peer_cases.jsonl:%d: unknown profile", lineno);
	if (gold_kind != NULL && strcmp(gold_kind, "text") == 0) {
		struct cs_extraction ex;

		/* A solution: its last box, else what extraction finds in it ("The final answer is ..."). */
		cr_assert_eq(cs_last_boxed(gold, strlen(gold), &gold_answer, &err), CS_OK);
		if (gold_answer == NULL) {
			cr_assert_eq(cs_extract(g[p], gold, strlen(gold), &ex, &err), CS_OK);
			gold_answer = ex.answer;
		}
		cr_assert_not_null(gold_answer, "peer_cases.jsonl:%d: no answer in the gold solution", lineno);
		gold = gold_answer;
	}
	*equal = 0;
	*got = NULL;
	if (strcmp(kind, "text") == 0) {
		struct cs_grade gr;

		cr_assert_eq(cs_grade_sample(g[p], gold, pred, strlen(pred), &gr, &err), CS_OK,
			     "peer_cases.jsonl:%d: %s", lineno, err.msg);
		*equal = strcmp(gr.verdict, "correct") == 0;
		*reason = gr.reason;
		if (gr.answer != NULL)
			*got = strdup(gr.answer);
		cs_grade_clear(&gr);
	} else {
		cr_assert_eq(cs_compare(p, gold, pred, equal, reason, &err), CS_OK, "peer_cases.jsonl:%d: %s",
			     lineno, err.msg);
		*got = strdup(pred);
	}
	free(gold_answer);
}

Test(peer, every_case_is_graded_as_adjudicated)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int lineno = 0, rows = 0, right = 0, false_accepts = 0;
	struct cs_grader *g[3] = { NULL, NULL, NULL };
	struct cs_err err = { "" };

	for (int k = 0; k < 3; k++)
		cr_assert_eq(cs_grader_new((enum cs_profile)k, NULL, &g[k], &err), CS_OK, "%s", err.msg);
	snprintf(path, sizeof path, "%s/peer_cases.jsonl", grading_dir());
	f = fopen(path, "r");
	if (f == NULL)
		cr_skip_test("cannot open %s", path);
	while (getline(&line, &cap, f) > 0) {
		cJSON *row;
		const char *want, *reason = "";
		char *got = NULL;
		int equal, want_equal;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		row = cJSON_Parse(line);
		cr_assert_not_null(row, "peer_cases.jsonl:%d: malformed JSON", lineno);
		want = field(row, "want");
		cr_assert(want != NULL && (strcmp(want, "equal") == 0 || strcmp(want, "different") == 0),
			  "peer_cases.jsonl:%d: want must be equal or different", lineno);
		want_equal = strcmp(want, "equal") == 0;
		grade_case(g, row, lineno, &equal, &got, &reason);
		rows++;
		right += equal == want_equal;
		false_accepts += equal && !want_equal;
		cr_expect_eq(equal, want_equal, "peer_cases.jsonl:%d (%s, %s): gold \"%s\" pred \"%s\": want %s, got %s "
			     "(answer \"%s\", %s)", lineno, field(row, "source"), field(row, "shape") ? field(row, "shape") : "-",
			     field(row, "gold"), field(row, "pred"), want, equal ? "equal" : "different",
			     got != NULL ? got : "(none)", reason);
		free(got);
		cJSON_Delete(row);
	}
	free(line);
	fclose(f);
	for (int k = 0; k < 3; k++)
		cs_grader_free(g[k]);
	fprintf(stderr, "peer_cases.jsonl: %d of %d as adjudicated, %d false accepts\n", right, rows, false_accepts);
	cr_expect_eq(rows, 255);
	cr_expect_eq(false_accepts, 0);
}
