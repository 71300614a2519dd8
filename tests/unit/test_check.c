/* Unit tests of the database checks: cs_check_db's invariants, and cs_store_open's refusal of empty files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/check.h"
#include "store/store.h"

static char path[256];

static void fresh_path(void)
{
	static int counter;
	snprintf(path, sizeof path, "/tmp/coseval-check-%d-%d.db", (int)getpid(), counter++);
	unlink(path);
}

static void cleanup(void)
{
	unlink(path);
}

/* The findings of one check, kept for the assertions. */
struct findings {
	int count;
	char first[2048];
};

static void collect(void *ctx, const char *problem)
{
	struct findings *f = ctx;

	if (f->count++ == 0)
		snprintf(f->first, sizeof f->first, "%s", problem);
}

/* A database with one dataset, problem, run, import, sample and its grade. */
static struct cs_store *one_sample(void)
{
	struct cs_store *st = NULL;
	struct cs_err err;

	cr_assert_eq(cs_store_open(path, CS_STORE_CREATE, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st,
				   "INSERT INTO datasets VALUES ('d', 'generic');"
				   "INSERT INTO problems (id, dataset, problem_key, gold) VALUES (1, 'd', 'p1', '4');"
				   "INSERT INTO runs (id, name, model, dataset, created_at) VALUES (1, 'r', 'm', 'd', 'now');"
				   "INSERT INTO imports (id, kind, dataset, run_id, path, sha256, bytes, records, imported_at,"
				   " first_sample_id, last_sample_id) VALUES (1, 'samples', 'd', 1, 'f', 'x', 1, 1, 'now', 1, 1);"
				   "INSERT INTO samples (id, run_id, problem_id, sample_index, text, import_id)"
				   " VALUES (1, 1, 1, 0, '4', 1);"
				   "INSERT INTO grades (sample_id, verdict, rule, grader_version, run_id, problem_id, sample_index)"
				   " VALUES (1, 'correct', 'last-number', 'v', 1, 1, 0);",
				   "filling", &err),
		     CS_OK, "%s", err.msg);
	return st;
}

Test(check, a_sound_database_has_no_findings, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = one_sample();
	struct findings f = { 0, "" };
	struct cs_err err;
	long problems = -1;

	cr_assert_eq(cs_check_db(st, collect, &f, &problems, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(problems, 0, "first finding: %s", f.first);
	cs_store_close(st);
}

Test(check, a_grade_that_disagrees_with_its_sample_is_found, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = one_sample();
	struct findings f = { 0, "" };
	struct cs_err err;
	long problems = -1;

	cr_assert_eq(cs_store_exec(st, "UPDATE grades SET run_id = 7", "breaking", &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_check_db(st, collect, &f, &problems, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(problems, 1);
	cr_assert(strstr(f.first, "1 grade(s) whose run, problem or sample index differ") != NULL, "%s", f.first);
	cs_store_close(st);
}

Test(check, a_sample_without_its_problem_is_found, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = one_sample();
	struct findings f = { 0, "" };
	struct cs_err err;
	long problems = -1;

	cr_assert_eq(cs_store_exec(st, "PRAGMA foreign_keys = OFF; DELETE FROM problems", "breaking", &err), CS_OK,
		     "%s", err.msg);
	cr_assert_eq(cs_check_db(st, collect, &f, &problems, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(problems, 1);
	cr_assert(strstr(f.first, "sample(s) whose problem does not exist (the first: sample 1, problem 1)") != NULL,
		  "%s", f.first);
	cs_store_close(st);
}

Test(check, an_empty_file_is_refused_except_by_init, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;
	struct stat sb;
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(cs_store_open(path, CS_STORE_EXISTING, &st, &err), CS_DB);
	cr_assert(strstr(err.msg, "an empty file (0 bytes), not a coseval database") != NULL, "%s", err.msg);
	cr_assert_eq(cs_store_open(path, CS_STORE_CREATE, &st, &err), CS_DB);
	cr_assert_eq(cs_store_open(path, CS_STORE_READONLY, &st, &err), CS_DB);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_size, 0);
	cr_assert_eq(cs_store_open(path, CS_STORE_INIT, &st, &err), CS_OK, "%s", err.msg);
	cs_store_close(st);
}

Test(check, read_only_open_refuses_an_older_schema, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = one_sample();
	struct cs_err err;

	cr_assert_eq(cs_store_exec(st, "PRAGMA user_version = 4", "aging", &err), CS_OK, "%s", err.msg);
	cs_store_close(st);
	st = NULL;
	cr_assert_eq(cs_store_open(path, CS_STORE_READONLY, &st, &err), CS_DB);
	cr_assert(strstr(err.msg, "schema version 4 is older") != NULL, "%s", err.msg);
	cr_assert_null(st);
}
