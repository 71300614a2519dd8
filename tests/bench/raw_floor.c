/* Benchmark floor: reads a JSON Lines sample dump with the project's record reader (UTF-8 check, cJSON, SHA-256,
 * read ahead on a second thread as the importer does) and inserts the rows an import stores (run, problem id,
 * sample index, text, tokens, import) raw into a table shaped like samples, in one transaction, on a connection
 * set up like the import's, with no field maps, problem matching, extraction or grading, so that
 * `run_bench.sh` can say how far the real pipeline is from it. It measures the append twice: without the
 * samples' unique key (run, problem, sample index), and with it, built as the import builds it for a bulk load
 * (one sort of the keys after the rows, in the same transaction); --only key-rows measures instead the key
 * written row by row, as imports did before, which slows down once the index outgrows the page cache. The
 * dump's problem ids must be whole numbers (gen_samples.py writes them so). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/source.h"
#include "store/store.h"

/* The largest problem id accepted; each gets a counter for its next sample index. */
#define MAX_PROBLEM_ID 10000000

/* What a pass measures: the append alone, the key built after it, or the key written with every row. */
enum key_mode { KEY_NONE, KEY_AFTER, KEY_ROWS };

static const char *const mode_names[] = { "none", "key", "key-rows" };
static const char *const mode_labels[] = { "append, no key", "append + key built after the rows",
					    "append + key written row by row" };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Creates the database with the store's schema and the floor's table, like `coseval init`, and closes it. The
 * floor then inserts through a new connection, like `coseval import`: the connection that creates a database
 * keeps a page cache about 16 times the store's 64 MiB (SQLite turns cache_size in KiB into a page count with
 * the 4 KiB page size that was current before the store switched new databases to 64 KiB pages), which made
 * the floor slower than the import and gave it a peak RSS that grew with the file. The table has the columns
 * and types of samples, and its unique key when mode is KEY_ROWS. */
static int create_db(const char *path, enum key_mode mode, struct cs_err *err)
{
	struct cs_store *st = NULL;
	char sql[512];
	int rc = cs_store_open(path, 1, &st, err);

	/* no foreign keys, since the import does not check them row by row either (its run, import record and
	 * problems are known to exist) */
	snprintf(sql, sizeof sql, "CREATE TABLE raw_samples (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,"
		 " problem_id INTEGER NOT NULL, sample_index INTEGER NOT NULL, text TEXT NOT NULL, tokens INTEGER,"
		 " label INTEGER, import_id INTEGER NOT NULL%s)",
		 mode == KEY_ROWS ? ", UNIQUE (run_id, problem_id, sample_index)" : "");
	if (rc == CS_OK)
		rc = cs_store_exec(st, sql, "creating the table", err);
	cs_store_close(st);
	return rc;
}

/* One pass: creates db afresh and appends every record of dump to it as mode says; prints what it measured. */
static int run(const char *dump, const char *db, enum key_mode mode, struct cs_err *err)
{
	struct cs_source *src = NULL;
	struct cs_store *st = NULL;
	sqlite3_stmt *insert = NULL;
	cJSON *record = NULL;
	int *next_index = NULL;  /* per problem id: the next sample index, as the import numbers them */
	size_t nnext = 0;
	long records = 0;
	double start = now();
	int rc;

	remove(db);
	rc = create_db(db, mode, err);
	if (rc == CS_OK)
		rc = cs_store_open(db, 0, &st, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "INSERT INTO raw_samples (run_id, problem_id, sample_index, text, tokens,"
				      " label, import_id) VALUES (1, ?, ?, ?, ?, NULL, 1)", &insert, err);
	if (rc == CS_OK)
		rc = cs_source_open(dump, CS_FORMAT_JSONL, 0, &src, err);
	/* the importer's way of reading: parsed ahead on a second thread */
	if (rc == CS_OK)
		cs_source_read_ahead(src);
	if (rc == CS_OK)
		rc = cs_store_begin(st, err);
	while (rc == CS_OK && (rc = cs_source_next(src, &record, err)) == CS_OK && record != NULL) {
		cJSON *problem = cJSON_GetObjectItemCaseSensitive(record, "problem_id");
		cJSON *text = cJSON_GetObjectItemCaseSensitive(record, "text");
		cJSON *tokens = cJSON_GetObjectItemCaseSensitive(record, "tokens");
		double id = cJSON_IsNumber(problem) ? problem->valuedouble : -1;

		if (!cJSON_IsString(text) || id < 0 || id > MAX_PROBLEM_ID || id != (double)(long)id) {
			rc = cs_fail(err, CS_INPUT, "%s:%ld: text or a whole-number problem_id missing", dump,
				     cs_source_line(src));
			break;
		}
		if ((size_t)id >= nnext) {
			size_t n = (size_t)id + 1024;
			int *grown = realloc(next_index, n * sizeof *grown);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				break;
			}
			memset(grown + nnext, 0, (n - nnext) * sizeof *grown);
			next_index = grown;
			nnext = n;
		}
		sqlite3_reset(insert);
		sqlite3_bind_int64(insert, 1, (sqlite3_int64)id);
		sqlite3_bind_int(insert, 2, next_index[(size_t)id]++);
		sqlite3_bind_text(insert, 3, text->valuestring, (int)strlen(text->valuestring), SQLITE_STATIC);
		if (cJSON_IsNumber(tokens))
			sqlite3_bind_int64(insert, 4, (sqlite3_int64)tokens->valuedouble);
		else
			sqlite3_bind_null(insert, 4);
		if (sqlite3_step(insert) != SQLITE_DONE)
			rc = cs_store_fail(st, "inserting", err);
		records++;
		cs_source_release(src, record);
		record = NULL;
	}
	cs_source_release(src, record);
	sqlite3_finalize(insert);
	/* as cs_store_build_samples_key builds it */
	if (rc == CS_OK && mode == KEY_AFTER)
		rc = cs_store_build_index(st, "CREATE UNIQUE INDEX raw_key ON raw_samples (run_id, problem_id, sample_index)",
					  "building the key", NULL, err);
	if (rc == CS_OK)
		rc = cs_store_commit(st, err);
	if (rc == CS_OK)
		printf("%-34s records %ld bytes %lld seconds %.3f\n", mode_labels[mode], records, cs_source_bytes(src),
		       now() - start);
	free(next_index);
	cs_source_close(src);
	cs_store_close(st);
	remove(db);
	return rc;
}

int main(int argc, char **argv)
{
	struct cs_err err;
	int only = -1;
	int rc = CS_OK;

	if (argc == 5 && strcmp(argv[1], "--only") == 0) {
		for (int m = KEY_NONE; m <= KEY_ROWS; m++)
			if (strcmp(argv[2], mode_names[m]) == 0)
				only = m;
		if (only < 0)
			argc = 0;
		argv += 2;
		argc -= 2;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: bench_raw_floor [--only none|key|key-rows] SAMPLES.jsonl NEW.db\n"
			"Without --only: the append without the key, then with the key built after the rows.\n");
		return 2;
	}
	for (int m = KEY_NONE; rc == CS_OK && m <= KEY_ROWS; m++) {
		if (only >= 0 ? m != only : m == KEY_ROWS)
			continue;
		rc = run(argv[1], argv[2], (enum key_mode)m, &err);
		fflush(stdout);
	}
	if (rc != CS_OK)
		fprintf(stderr, "bench_raw_floor: %s\n", err.msg);
	return rc;
}
