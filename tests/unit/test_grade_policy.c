/* Data-driven tests of the grading policy: every row of equivalence.tsv and extraction.jsonl from $COSEVAL_GRADING,
 * and of the project's own case files tests/grading/equivalence-*.tsv and extraction-*.jsonl (same formats). */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade.h"

static const char *grading_dir(void)
{
	const char *d = getenv("COSEVAL_GRADING");

	return d != NULL ? d : "../shared/grading";
}

static int by_path(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* The project's own case files: tests/grading/<prefix>*<suffix> under $COSEVAL_SOURCE, sorted, into paths[]
 * (at most max); returns how many. */
static int own_files(const char *prefix, const char *suffix, char paths[][8192], int max)
{
	const char *src = getenv("COSEVAL_SOURCE");
	char dir[4096];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof dir, "%s/tests/grading", src != NULL ? src : ".");
	d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s (set COSEVAL_SOURCE)", dir);
	while ((e = readdir(d)) != NULL && n < max) {
		size_t l = strlen(e->d_name), pl = strlen(prefix), sl = strlen(suffix);
		if (l > pl + sl && strncmp(e->d_name, prefix, pl) == 0 && strcmp(e->d_name + l - sl, suffix) == 0)
			snprintf(paths[n++], 8192, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(paths, (size_t)n, sizeof paths[0], by_path);
	return n;
}

/* Checks every row of one equivalence file (gold, pred, want, why; TAB-separated, a header row) in both
 * argument orders. */
static void check_equivalence_file(const char *path)
{
	char line[8192];
	const char *name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	FILE *f;
	int lineno = 0, rows = 0, header = 0;

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
		cr_assert_not_null(pred, "%s:%d: fewer than 4 columns", name, lineno);
		*pred++ = '\0';
		want = strchr(pred, '\t');
		cr_assert_not_null(want, "%s:%d: fewer than 4 columns", name, lineno);
		*want++ = '\0';
		why = strchr(want, '\t');
		if (why != NULL)
			*why++ = '\0';
		if (!header) {
			header = 1;
			continue;
		}
		cr_assert(strcmp(want, "equal") == 0 || strcmp(want, "different") == 0,
			  "%s:%d: want must be equal or different, not \"%s\"", name, lineno, want);
		rows++;
		cr_expect_eq(cs_compare(CS_PROFILE_MATH, gold, pred, &equal, &reason, &err), CS_OK,
			     "%s:%d: cs_compare failed: %s", name, lineno, err.msg);
		cr_expect_eq(equal, strcmp(want, "equal") == 0,
			     "%s:%d: gold \"%s\" pred \"%s\": want %s (%s), got %s (%s)", name, lineno, gold,
			     pred, want, why != NULL ? why : "", equal ? "equal" : "different", reason);
		/* Equivalence is symmetric. */
		cr_expect_eq(cs_compare(CS_PROFILE_MATH, pred, gold, &equal, &reason, &err), CS_OK);
		cr_expect_eq(equal, strcmp(want, "equal") == 0,
			     "%s:%d (swapped): gold \"%s\" pred \"%s\": want %s (%s), got %s (%s)", name, lineno,
			     pred, gold, want, why != NULL ? why : "", equal ? "equal" : "different", reason);
	}
	fclose(f);
	cr_expect_gt(rows, 0, "%s has no rows", name);
}

Test(policy, equivalence_tsv)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/equivalence.tsv", grading_dir());
	check_equivalence_file(path);
}

Test(policy, own_equivalence_files)
{
	static char paths[32][8192];
	int n = own_files("equivalence-", ".tsv", paths, 32);

	cr_expect_gt(n, 0, "no tests/grading/equivalence-*.tsv");
	for (int k = 0; k < n; k++)
		check_equivalence_file(paths[k]);
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

/* Checks every row of one extraction file ({"profile", "text", "answer" (absent or null: no answer), "why"}). */
static void check_extraction_file(const char *path)
{
	static char line[65536];
	const char *name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	FILE *f;
	int lineno = 0, rows = 0;
	struct cs_grader *g[3] = { NULL, NULL, NULL };
	struct cs_err err = { "" };

	for (int k = 0; k < 3; k++)
		cr_assert_eq(cs_grader_new((enum cs_profile)k, NULL, &g[k], &err), CS_OK, "%s", err.msg);
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
		cr_assert_not_null(row, "%s:%d: malformed JSON", name, lineno);
		profile = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "profile"));
		text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "text"));
		want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "answer"));
		why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "why"));
		cr_assert(profile != NULL && text != NULL, "%s:%d: profile or text missing", name, lineno);
		cr_assert_eq(cs_profile_parse(profile, &p), 0, "%s:%d: unknown profile %s", name, lineno,
			     profile);
		rows++;
		cr_expect_eq(cs_extract(g[p], text, strlen(text), &ex, &err), CS_OK, "%s:%d: %s",
			     name, lineno, err.msg);
		if (want == NULL)
			cr_expect_null(ex.answer, "%s:%d (%s): want no answer, got \"%s\" (rule %s)",
				       name, lineno, why, ex.answer, ex.rule);
		else
			cr_expect(ex.answer != NULL && same_answer(p, ex.answer, want),
				  "%s:%d (%s): want \"%s\", got \"%s\" (rule %s)", name, lineno, why, want,
				  ex.answer != NULL ? ex.answer : "(none)", ex.rule);
		free(ex.answer);
		cJSON_Delete(row);
	}
	fclose(f);
	for (int k = 0; k < 3; k++)
		cs_grader_free(g[k]);
	cr_expect_gt(rows, 0, "%s has no rows", name);
}

Test(policy, extraction_jsonl)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/extraction.jsonl", grading_dir());
	check_extraction_file(path);
}

Test(policy, own_extraction_files)
{
	static char paths[32][8192];
	int n = own_files("extraction-", ".jsonl", paths, 32);

	cr_expect_gt(n, 0, "no tests/grading/extraction-*.jsonl");
	for (int k = 0; k < n; k++)
		check_extraction_file(paths[k]);
}
