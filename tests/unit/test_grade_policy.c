/* Data-driven tests of the grading policy: every row of equivalence.tsv and extraction.jsonl from $COSEVAL_GRADING. */
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

Test(policy, equivalence_tsv)
{
	char path[4096], line[8192];
	FILE *f;
	int lineno = 0, rows = 0, header = 0;

	snprintf(path, sizeof path, "%s/equivalence.tsv", grading_dir());
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		char *gold, *pred, *want, *why, *nl;
		int equal = -1;
		const char *reason = "";
		struct cs_err err = { "" };

		lineno++;
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		gold = line;
		pred = strchr(gold, '\t');
		cr_assert_not_null(pred, "equivalence.tsv:%d: fewer than 4 columns", lineno);
		*pred++ = '\0';
		want = strchr(pred, '\t');
		cr_assert_not_null(want, "equivalence.tsv:%d: fewer than 4 columns", lineno);
		*want++ = '\0';
		why = strchr(want, '\t');
		if (why != NULL)
			*why++ = '\0';
		if (!header) {
			header = 1;
			continue;
		}
		cr_assert(strcmp(want, "equal") == 0 || strcmp(want, "different") == 0,
			  "equivalence.tsv:%d: want must be equal or different, not \"%s\"", lineno, want);
		rows++;
		cr_expect_eq(cs_compare(CS_PROFILE_MATH, gold, pred, &equal, &reason, &err), CS_OK,
			     "equivalence.tsv:%d: cs_compare failed: %s", lineno, err.msg);
		cr_expect_eq(equal, strcmp(want, "equal") == 0,
			     "equivalence.tsv:%d: gold \"%s\" pred \"%s\": want %s (%s), got %s (%s)", lineno, gold,
			     pred, want, why != NULL ? why : "", equal ? "equal" : "different", reason);
		/* Equivalence is symmetric. */
		cr_expect_eq(cs_compare(CS_PROFILE_MATH, pred, gold, &equal, &reason, &err), CS_OK);
		cr_expect_eq(equal, strcmp(want, "equal") == 0,
			     "equivalence.tsv:%d (swapped): gold \"%s\" pred \"%s\": want %s (%s), got %s (%s)", lineno,
			     pred, gold, want, why != NULL ? why : "", equal ? "equal" : "different", reason);
	}
	fclose(f);
	cr_expect_gt(rows, 0, "equivalence.tsv has no rows");
}

/* Whether the extracted answer matches the wanted one: the same string or the same canonical form. */
static int same_answer(enum cs_profile p, const char *got, const char *want)
{
	char *cg = NULL, *cw = NULL;
	int same;

	if (strcmp(got, want) == 0)
		return 1;
	if (cs_canonical(p, got, &cg, NULL) != CS_OK || cs_canonical(p, want, &cw, NULL) != CS_OK) {
		free(cg);
		return 0;
	}
	same = strcmp(cg, cw) == 0;
	free(cg);
	free(cw);
	return same;
}

Test(policy, extraction_jsonl)
{
	char path[4096], line[65536];
	FILE *f;
	int lineno = 0, rows = 0;
	struct cs_grader *g[3] = { NULL, NULL, NULL };
	struct cs_err err = { "" };

	for (int k = 0; k < 3; k++)
		cr_assert_eq(cs_grader_new((enum cs_profile)k, NULL, &g[k], &err), CS_OK, "%s", err.msg);
	snprintf(path, sizeof path, "%s/extraction.jsonl", grading_dir());
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		cJSON *row;
		const char *profile, *text, *want, *why;
		enum cs_profile p;
		struct cs_extraction ex;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		row = cJSON_Parse(line);
		cr_assert_not_null(row, "extraction.jsonl:%d: malformed JSON", lineno);
		profile = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "profile"));
		text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "text"));
		want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "answer"));
		why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "why"));
		cr_assert(profile != NULL && text != NULL, "extraction.jsonl:%d: profile or text missing", lineno);
		cr_assert_eq(cs_profile_parse(profile, &p), 0, "extraction.jsonl:%d: unknown profile %s", lineno,
			     profile);
		rows++;
		cr_expect_eq(cs_extract(g[p], text, strlen(text), &ex, &err), CS_OK, "extraction.jsonl:%d: %s",
			     lineno, err.msg);
		if (want == NULL)
			cr_expect_null(ex.answer, "extraction.jsonl:%d (%s): want no answer, got \"%s\" (rule %s)",
				       lineno, why, ex.answer, ex.rule);
		else
			cr_expect(ex.answer != NULL && same_answer(p, ex.answer, want),
				  "extraction.jsonl:%d (%s): want \"%s\", got \"%s\" (rule %s)", lineno, why, want,
				  ex.answer != NULL ? ex.answer : "(none)", ex.rule);
		free(ex.answer);
		cJSON_Delete(row);
	}
	fclose(f);
	for (int k = 0; k < 3; k++)
		cs_grader_free(g[k]);
	cr_expect_gt(rows, 0, "extraction.jsonl has no rows");
}
