/* Benchmark floor: reads a JSON Lines sample dump with the project's record reader (UTF-8 check, cJSON,
 * SHA-256) and inserts problem id and text raw into a samples-like SQLite table in one transaction, with no
 * field maps, extraction or grading, so that `run_bench.sh` can say how far the real pipeline is from it. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ingest/source.h"
#include "store/store.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	struct cs_source *src = NULL;
	struct cs_store *st = NULL;
	sqlite3_stmt *insert = NULL;
	struct cs_err err;
	cJSON *record = NULL;
	long records = 0;
	double start = now();
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_raw_floor SAMPLES.jsonl NEW.db\n");
		return 2;
	}
	remove(argv[2]);
	/* the store's own connection settings (page cache, synchronous, temp store), a table shaped like samples */
	rc = cs_store_open(argv[2], 1, &st, &err);
	if (rc == CS_OK)
		rc = cs_store_exec(st, "CREATE TABLE raw_samples (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,"
				   " problem_id TEXT NOT NULL, sample_index INTEGER NOT NULL, text TEXT NOT NULL,"
				   " UNIQUE (run_id, problem_id, sample_index))", "creating the table", &err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "INSERT INTO raw_samples (run_id, problem_id, sample_index, text)"
				      " VALUES (1, ?, ?, ?)", &insert, &err);
	if (rc == CS_OK)
		rc = cs_source_open(argv[1], CS_FORMAT_JSONL, 0, &src, &err);
	if (rc == CS_OK)
		rc = cs_store_begin(st, &err);
	while (rc == CS_OK && (rc = cs_source_next(src, &record, &err)) == CS_OK && record != NULL) {
		cJSON *problem = cJSON_GetObjectItemCaseSensitive(record, "problem_id");
		cJSON *text = cJSON_GetObjectItemCaseSensitive(record, "text");
		char key[64];

		if (!cJSON_IsString(text) || problem == NULL) {
			rc = cs_fail(&err, CS_INPUT, "%s:%ld: problem_id or text missing", argv[1], cs_source_line(src));
			break;
		}
		if (cJSON_IsString(problem))
			snprintf(key, sizeof key, "%s", problem->valuestring);
		else
			snprintf(key, sizeof key, "%.0f", problem->valuedouble);
		sqlite3_reset(insert);
		sqlite3_bind_text(insert, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(insert, 2, records);
		sqlite3_bind_text(insert, 3, text->valuestring, -1, SQLITE_STATIC);
		if (sqlite3_step(insert) != SQLITE_DONE)
			rc = cs_store_fail(st, "inserting", &err);
		records++;
		cJSON_Delete(record);
		record = NULL;
	}
	cJSON_Delete(record);
	sqlite3_finalize(insert);
	if (rc == CS_OK)
		rc = cs_store_commit(st, &err);
	if (rc == CS_OK)
		printf("records %ld bytes %lld seconds %.3f\n", records, cs_source_bytes(src), now() - start);
	else
		fprintf(stderr, "bench_raw_floor: %s\n", err.msg);
	cs_source_close(src);
	cs_store_close(st);
	return rc;
}
