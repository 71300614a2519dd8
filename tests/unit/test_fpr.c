/* Unit tests of the FPR counts (store/fpr.c) on a real SQLite database in a temporary file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/fpr.h"
#include "store/store.h"

static char db_path[256];

/* A run r1 of 6 samples (labels 1,1,1,1,0,NULL) and an empty run r2; two judges. */
static struct cs_store *open_fixture(int graded)
{
	static const char fixture[] =
		"INSERT INTO datasets VALUES ('d', 'generic');"
		"INSERT INTO problems (id, dataset, problem_key, question, gold) VALUES (1, 'd', 'p1', 'q1', '1'),"
		" (2, 'd', 'p2', 'q2', '2');"
		"INSERT INTO runs (id, name, model, dataset, created_at) VALUES (1, 'r1', 'm', 'd', 't'),"
		" (2, 'r2', 'm', 'd', 't');"
		"INSERT INTO imports (id, kind, dataset, run_id, path, sha256, bytes, records, imported_at)"
		" VALUES (1, 'samples', 'd', 1, 'f', 'x', 0, 0, 't');"
		"INSERT INTO samples (id, run_id, problem_id, sample_index, text, label, import_id) VALUES"
		" (1, 1, 1, 0, 'a', 1, 1), (2, 1, 1, 1, 'b', 1, 1), (3, 1, 2, 0, 'c', 1, 1), (4, 1, 2, 1, 'd', 1, 1),"
		" (5, 1, 2, 2, 'e', 0, 1), (6, 1, 2, 3, 'f', NULL, 1);"
		/* alice judges all six; bob judges three */
		"INSERT INTO judgments (sample_id, judge, reasoning_correct, import_id) VALUES"
		" (1, 'alice', 1, 1), (2, 'alice', 0, 1), (3, 'alice', 0, 1), (4, 'alice', 1, 1), (5, 'alice', 0, 1),"
		" (6, 'alice', 0, 1), (1, 'bob', 0, 1), (2, 'bob', 0, 1), (5, 'bob', 1, 1);";
	/* the grader disagrees with the labels on samples 4 (wrong) and 5 (correct); 6 is not graded */
	static const char grades[] =
		"INSERT INTO grades (sample_id, verdict, rule, grader_version) VALUES (1, 'correct', 'r', 'v'),"
		" (2, 'correct', 'r', 'v'), (3, 'correct', 'r', 'v'), (4, 'wrong', 'r', 'v'), (5, 'correct', 'r', 'v');";
	struct cs_store *st = NULL;
	struct cs_err err;

	snprintf(db_path, sizeof db_path, "/tmp/coseval-test-fpr-%d.db", (int)getpid());
	unlink(db_path);
	cr_assert_eq(cs_store_open(db_path, 1, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st, fixture, "fixture", &err), CS_OK, "%s", err.msg);
	if (graded)
		cr_assert_eq(cs_store_exec(st, grades, "grades", &err), CS_OK, "%s", err.msg);
	return st;
}

static void close_fixture(struct cs_store *st)
{
	cs_store_close(st);
	unlink(db_path);
}

Test(fpr, counts_per_judge_by_grade)
{
	struct cs_store *st = open_fixture(1);
	struct cs_fpr_row *rows;
	struct cs_err err;
	int n;

	cr_assert_eq(cs_fpr_counts(st, "r1", NULL, &rows, &n, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(rows[0].judge, "alice");
	cr_assert_eq(rows[0].judged_all, 6);
	cr_assert_eq(rows[0].judged, 4);     /* samples 1, 2, 3, 5 graded correct */
	cr_assert_eq(rows[0].wrong, 3);      /* 2, 3, 5 */
	cr_assert_eq(rows[0].undecided, 1);  /* 6 */
	cr_assert_str_eq(rows[1].judge, "bob");
	cr_assert_eq(rows[1].judged, 3);
	cr_assert_eq(rows[1].wrong, 2);
	cr_assert_eq(rows[1].undecided, 0);
	cs_fpr_rows_free(rows, n);

	cr_assert_eq(cs_fpr_counts(st, "r1", "bob", &rows, &n, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(rows[0].judge, "bob");
	cs_fpr_rows_free(rows, n);

	cr_assert_eq(cs_fpr_counts(st, "r1", "carol", &rows, &n, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(n, 0);
	cr_assert_null(rows);
	close_fixture(st);
}

Test(fpr, counts_by_label)
{
	struct cs_store *st = open_fixture(0);
	struct cs_fpr_row *rows;
	struct cs_err err;
	int n;

	cr_assert_eq(cs_fpr_counts_by(st, "r1", "alice", CS_CORRECT_BY_LABEL, &rows, &n, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(n, 1);
	cr_assert_eq(rows[0].judged, 4);     /* samples 1-4 labelled correct */
	cr_assert_eq(rows[0].wrong, 2);      /* 2, 3 */
	cr_assert_eq(rows[0].undecided, 1);  /* 6 has no label */
	cs_fpr_rows_free(rows, n);
	close_fixture(st);
}

Test(fpr, refuses_ungraded_unlabelled_and_unknown_runs)
{
	struct cs_store *st = open_fixture(0);
	struct cs_fpr_row *rows;
	struct cs_err err;
	int n;

	cr_assert_eq(cs_fpr_counts(st, "r1", NULL, &rows, &n, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "coseval grade") != NULL, "%s", err.msg);
	cr_assert_eq(cs_fpr_counts_by(st, "r2", NULL, CS_CORRECT_BY_LABEL, &rows, &n, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "no labels") != NULL, "%s", err.msg);
	cr_assert_eq(cs_fpr_counts(st, "nope", NULL, &rows, &n, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "no run 'nope'") != NULL, "%s", err.msg);
	cr_assert_null(rows);
	cr_assert_eq(n, 0);
	close_fixture(st);
}
