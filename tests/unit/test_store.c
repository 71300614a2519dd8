/* Unit tests of the store: creation, the schema version, migration from version 1, refusal of newer and
 * foreign files, and rollback. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/schema.h"
#include "store/store.h"
#include "util/hash.h"

static char path[256];

static void fresh_path(void)
{
	static int counter;
	snprintf(path, sizeof path, "/tmp/coseval-store-%d-%d.db", (int)getpid(), counter++);
	unlink(path);
}

static void cleanup(void)
{
	unlink(path);
}

static int count(struct cs_store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	int n = -1;

	cr_assert_eq(sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL), SQLITE_OK, "%s", sql);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

Test(store, missing_database_is_an_error_without_create, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;

	cr_assert_eq(cs_store_open(path, 0, &st, &err), CS_DB);
	cr_assert_null(st);
	cr_assert(strstr(err.msg, "coseval init") != NULL, "%s", err.msg);
	cr_assert_neq(access(path, F_OK), 0, "the file must not be created");
}

Test(store, create_writes_the_current_schema, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;
	int version = 0;

	cr_assert_eq(cs_store_open(path, 1, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_version(st, &version, &err), CS_OK);
	cr_assert_eq(version, CS_SCHEMA_VERSION);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('problems', 'runs', 'samples',"
			       " 'grades', 'judgments', 'imports')"), 6);
	cs_store_close(st);
	cr_assert_null(cs_schema_migration(CS_SCHEMA_VERSION + 1), "every version has its migration, no more");
	cr_assert_not_null(cs_schema_migration(CS_SCHEMA_VERSION));
}

Test(store, a_version_1_database_is_migrated_and_keeps_its_rows, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;
	sqlite3 *db;
	int version = 0;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, cs_schema_migration(1), NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 1;"
				  "INSERT INTO datasets VALUES ('d', 'generic');"
				  "INSERT INTO problems (dataset, problem_key, question, gold) VALUES ('d', 'p1', 'q?', '4');",
				  NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	cr_assert_eq(cs_store_open(path, 0, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_version(st, &version, &err), CS_OK);
	cr_assert_eq(version, CS_SCHEMA_VERSION);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM problems WHERE problem_key = 'p1' AND gold = '4'"), 1);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM grades"), 0, "the version 2 tables exist");
	cs_store_close(st);
}

Test(store, newer_and_foreign_files_are_refused, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;
	sqlite3 *db;
	FILE *f;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(cs_store_open(path, 0, &st, &err), CS_DB);
	cr_assert(strstr(err.msg, "newer") != NULL, "%s", err.msg);

	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs("this is not a database, just some text that is long enough to have a header\n", f);
	fclose(f);
	cr_assert_eq(cs_store_open(path, 0, &st, &err), CS_DB);
	cr_assert(strstr(err.msg, "not a coseval database") != NULL, "%s", err.msg);
}

Test(store, rollback_leaves_nothing, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;

	cr_assert_eq(cs_store_open(path, 1, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_begin(st, &err), CS_OK);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO datasets VALUES ('d', 'math')", "inserting", &err), CS_OK);
	cs_store_rollback(st);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM datasets"), 0);
	cr_assert_eq(cs_store_begin(st, &err), CS_OK);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO datasets VALUES ('d', 'math')", "inserting", &err), CS_OK);
	cr_assert_eq(cs_store_commit(st, &err), CS_OK);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM datasets"), 1);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO nowhere VALUES (1)", "inserting", &err), CS_DB);
	cr_assert(strstr(err.msg, "no such table") != NULL, "%s", err.msg);
	cs_store_close(st);
}

Test(store, a_version_2_database_gets_the_keys_of_its_grades, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;
	sqlite3 *db;
	char sql[512];

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, cs_schema_migration(1), NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, cs_schema_migration(2), NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 2;"
				  "INSERT INTO datasets VALUES ('d', 'generic');"
				  "INSERT INTO problems (dataset, problem_key, gold) VALUES ('d', 'p1', '4');"
				  "INSERT INTO runs (name, model, dataset, created_at) VALUES ('r', 'm', 'd', 'now');"
				  "INSERT INTO imports (kind, dataset, run_id, path, sha256, bytes, records, imported_at)"
				  " VALUES ('samples', 'd', 1, 'x', 'y', 0, 0, 'now');"
				  "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				  " VALUES (1, 1, 3, '  So  it is 4', 1);"
				  "INSERT INTO grades (sample_id, answer, canonical, verdict, rule, grader_version)"
				  " VALUES (1, '4', '4', 'correct', 'last-number', '1.0');",
				  NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	cr_assert_eq(cs_store_open(path, 0, &st, &err), CS_OK, "%s", err.msg);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM grades WHERE run_id = 1 AND problem_id = 1 AND sample_index = 3"
		 " AND text_key = %lld AND normalized_key = %lld AND verdict = 'correct'",
		 (long long)cs_hash64("  So  it is 4", 13), (long long)cs_hash64("so it is 4", 10));
	cr_assert_eq(count(st, sql), 1, "the migration fills the new columns from the sample");
	cs_store_close(st);
}

/* Stands in for the key functions the store registers, so that migration 3 runs on a bare connection. */
static void zero_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_int64(ctx, 0);
}

Test(store, a_version_3_database_gets_the_sample_ranges_of_its_imports, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;
	sqlite3_int64 lo = 0, hi = -1;
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_create_function(db, "coseval_text_key", 1, SQLITE_UTF8, NULL, zero_key, NULL, NULL);
	sqlite3_create_function(db, "coseval_normalized_key", 1, SQLITE_UTF8, NULL, zero_key, NULL, NULL);
	for (int v = 1; v <= 3; v++)
		cr_assert_eq(sqlite3_exec(db, cs_schema_migration(v), NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	/* run 1 has two imports with run 2's samples between them */
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 3;"
				  "INSERT INTO datasets VALUES ('d', 'generic');"
				  "INSERT INTO problems (dataset, problem_key, gold) VALUES ('d', 'p1', '4');"
				  "INSERT INTO runs (name, model, dataset, created_at) VALUES ('a', 'm', 'd', 'now'), ('b', 'm', 'd', 'now');"
				  "INSERT INTO imports (kind, dataset, run_id, path, sha256, bytes, records, imported_at)"
				  " VALUES ('samples', 'd', 1, 'x', 'y', 0, 0, 'now'), ('samples', 'd', 2, 'x', 'y', 0, 0, 'now'),"
				  " ('samples', 'd', 1, 'z', 'w', 0, 0, 'now'), ('problems', 'd', NULL, 'p', 'q', 0, 0, 'now');"
				  "INSERT INTO samples (id, run_id, problem_id, sample_index, text, import_id) VALUES"
				  " (5, 1, 1, 0, 'x', 1), (6, 1, 1, 1, 'x', 1), (7, 2, 1, 0, 'x', 2), (9, 1, 1, 2, 'x', 3);",
				  NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);

	cr_assert_eq(cs_store_open(path, 0, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM imports WHERE (id, first_sample_id, last_sample_id) IN"
			   " (VALUES (1, 5, 6), (2, 7, 7), (3, 9, 9))"), 3);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM imports WHERE id = 4 AND first_sample_id IS NULL"), 1);
	cr_assert_eq(cs_store_run_range(st, 1, &lo, &hi, &err), CS_OK);
	cr_assert(lo == 5 && hi == 9, "run 1 spans %lld..%lld", (long long)lo, (long long)hi);
	/* the range is the recorded one, not the samples' own */
	cr_assert_eq(cs_store_exec(st, "UPDATE imports SET first_sample_id = 1 WHERE id = 1", "widening", &err), CS_OK);
	cr_assert_eq(cs_store_run_range(st, 1, &lo, &hi, &err), CS_OK);
	cr_assert(lo == 1 && hi == 9, "run 1 spans %lld..%lld", (long long)lo, (long long)hi);

	/* a sample written by other means than an import records no range: the range comes from the samples
	 * themselves, and still covers it */
	cr_assert_eq(cs_store_exec(st, "INSERT INTO samples (id, run_id, problem_id, sample_index, text, import_id)"
				   " VALUES (12, 1, 1, 3, 'x', 3)", "inserting", &err), CS_OK);
	cr_assert_eq(cs_store_run_range(st, 1, &lo, &hi, &err), CS_OK);
	cr_assert(lo == 5 && hi == 12, "run 1 spans %lld..%lld", (long long)lo, (long long)hi);
	/* ... until it is recorded with its import */
	cr_assert_eq(cs_store_record_unrecorded(st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM imports WHERE id = 3 AND first_sample_id = 9 AND last_sample_id = 12"),
		     1);
	cr_assert_eq(cs_store_run_range(st, 1, &lo, &hi, &err), CS_OK);
	cr_assert(lo == 1 && hi == 12, "run 1 spans %lld..%lld", (long long)lo, (long long)hi);
	lo = 0;
	hi = -1;
	cr_assert_eq(cs_store_run_range(st, 7, &lo, &hi, &err), CS_OK);
	cr_assert(lo == 0 && hi == -1, "a run without samples leaves the range empty");
	cs_store_close(st);
}

/* Version 6 rebuilds the samples table to hold its unique key as an index of its own, samples_key, which an
 * import may drop and build again; the rows, their ids and what refers to them stay. */
Test(store, a_version_5_database_gets_the_samples_key_as_an_index, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_create_function(db, "coseval_text_key", 1, SQLITE_UTF8, NULL, zero_key, NULL, NULL);
	sqlite3_create_function(db, "coseval_normalized_key", 1, SQLITE_UTF8, NULL, zero_key, NULL, NULL);
	for (int v = 1; v <= 5; v++)
		cr_assert_eq(sqlite3_exec(db, cs_schema_migration(v), NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 5;"
				  "INSERT INTO datasets VALUES ('d', 'generic');"
				  "INSERT INTO problems (dataset, problem_key, gold) VALUES ('d', 'p1', '4'), ('d', 'p2', '5');"
				  "INSERT INTO runs (name, model, dataset, created_at) VALUES ('a', 'm', 'd', 'now');"
				  "INSERT INTO imports (kind, dataset, run_id, path, sha256, bytes, records, imported_at,"
				  " first_sample_id, last_sample_id) VALUES ('samples', 'd', 1, 'x', 'y', 0, 0, 'now', 5, 9);"
				  "INSERT INTO samples (id, run_id, problem_id, sample_index, text, tokens, label, import_id,"
				  " stopped) VALUES (5, 1, 1, 0, 'four', 7, 1, 1, 0), (9, 1, 2, 3, 'five', NULL, NULL, 1, 1);"
				  "INSERT INTO grades (sample_id, answer, canonical, verdict, rule, grader_version, run_id,"
				  " problem_id, sample_index) VALUES (9, '5', '5', 'correct', 'boxed', '1', 1, 2, 3);"
				  "INSERT INTO judgments (sample_id, judge, reasoning_correct, import_id) VALUES (9, 'j', 1, 1);",
				  NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);

	cr_assert_eq(cs_store_open(path, 0, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(count(st, "PRAGMA user_version"), CS_SCHEMA_VERSION);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'samples'"), 1,
		     "one index on samples, the key: the table's UNIQUE constraint and its index are gone");
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM pragma_index_list('samples') WHERE name = 'samples_key'"
			   " AND \"unique\" = 1 AND origin = 'c'"), 1);
	cr_assert_eq(count(st, "SELECT group_concat(name, ',') = 'run_id,problem_id,sample_index'"
			   " FROM pragma_index_info('samples_key')"), 1);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM samples WHERE (id, run_id, problem_id, sample_index, text, tokens,"
			   " label, import_id, stopped) IS (5, 1, 1, 0, 'four', 7, 1, 1, 0)"), 1);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM samples s JOIN grades g ON g.sample_id = s.id"
			   " JOIN judgments j ON j.sample_id = s.id WHERE s.text = 'five'"), 1, "what refers to a sample still does");
	cr_assert_eq(count(st, "PRAGMA foreign_keys"), 1, "foreign keys back on after the migration");
	cr_assert_eq(count(st, "PRAGMA temp_store"), 2, "temporary data back in memory after it");
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
	/* the key still refuses a repeat, and foreign keys still hold for the rebuilt table */
	cr_assert_eq(cs_store_exec(st, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				   " VALUES (1, 2, 3, 'again', 1)", "inserting", &err), CS_DB);
	cr_assert(strstr(err.msg, "UNIQUE constraint failed: samples.run_id, samples.problem_id, samples.sample_index")
		  != NULL, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				   " VALUES (1, 99, 0, 'no such problem', 1)", "inserting", &err), CS_DB);
	cr_assert(strstr(err.msg, "FOREIGN KEY constraint failed") != NULL, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st, "DELETE FROM samples WHERE id = 9", "deleting", &err), CS_DB,
		     "grades and judgments refer to the rebuilt table");
	cs_store_close(st);
}

/* A build of the samples' key that meets a repeated key (which a caller that set the key aside should have
 * made impossible) fails without committing anything, and a rollback brings the key back. */
Test(store, a_samples_key_build_refuses_a_repeat, .init = fresh_path, .fini = cleanup)
{
	struct cs_store *st = NULL;
	struct cs_err err;

	cr_assert_eq(cs_store_open(path, 1, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO datasets VALUES ('d', 'generic');"
				   "INSERT INTO problems (dataset, problem_key, gold) VALUES ('d', 'p1', '4');"
				   "INSERT INTO runs (name, model, dataset, created_at) VALUES ('a', 'm', 'd', 'now');"
				   "INSERT INTO imports (kind, dataset, run_id, path, sha256, bytes, records, imported_at)"
				   " VALUES ('samples', 'd', 1, 'x', 'y', 0, 0, 'now');"
				   "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id) VALUES (1, 1, 0, 'a', 1)",
				   "filling", &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_begin(st, &err), CS_OK);
	cr_assert_eq(cs_store_drop_samples_key(st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				   " VALUES (1, 1, 1, 'b', 1), (1, 1, 0, 'again', 1)", "inserting", &err), CS_OK,
		     "nothing checks the key while it is set aside");
	cr_assert_eq(cs_store_build_samples_key(st, &err), CS_INTERNAL);
	cr_assert(strstr(err.msg, "building the samples' key: two samples have the same run, problem and sample index")
		  != NULL, "%s", err.msg);
	cr_assert_eq(count(st, "PRAGMA temp_store"), 2);
	cs_store_rollback(st);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM samples"), 1);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'samples_key'"), 1);
	/* and without the repeat, the key is built and checks again */
	cr_assert_eq(cs_store_begin(st, &err), CS_OK);
	cr_assert_eq(cs_store_drop_samples_key(st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				   " VALUES (1, 1, 1, 'b', 1)", "inserting", &err), CS_OK);
	cr_assert_eq(cs_store_build_samples_key(st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_store_exec(st, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				   " VALUES (1, 1, 1, 'c', 1)", "inserting", &err), CS_DB);
	cr_assert_eq(cs_store_commit(st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(count(st, "SELECT COUNT(*) FROM samples"), 2);
	cs_store_close(st);
}
