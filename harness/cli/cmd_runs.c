/* `coseval runs`: one line per run with its model, size, price, tags, counts and source files; or, with
 * --names, the run names alone (for scripts and the bash completion). */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* The column names, in the order of the query; the JSON rows use them as field names. */
static const char *const columns[] = { "run", "model", "params", "price_out", "dataset", "tags", "problems",
				       "samples", "source", "sha256" };

/* Adds the current row of stmt to the document: one run in "runs" (cs_cli_json_add_run) and its columns
 * in "rows", numbers as numbers and absent values as null. CS_OK, CS_DB or CS_INTERNAL. */
static int json_row(cJSON *doc, struct cs_store *st, sqlite3_stmt *stmt, struct cs_err *err)
{
	cJSON *o = cJSON_CreateObject();
	int bad = o == NULL || !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "rows"), o);

	if (bad) {
		cJSON_Delete(o);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	for (int c = 0; c < 10; c++) {
		int type = sqlite3_column_type(stmt, c);
		if (type == SQLITE_NULL)
			bad |= cJSON_AddNullToObject(o, columns[c]) == NULL;
		else if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
			bad |= cs_json_add_num(o, columns[c], sqlite3_column_double(stmt, c));
		else
			bad |= cJSON_AddStringToObject(o, columns[c], (const char *)sqlite3_column_text(stmt, c)) == NULL;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return cs_cli_json_add_run(doc, st, (const char *)sqlite3_column_text(stmt, 0), err);
}

/* Prints the name of every run of the database at path, one per line, in name order. The database is opened
 * read-only: it is never created, written or migrated. Returns the exit status. */
static int list_names(const char *path)
{
	struct cs_store *st = NULL;
	sqlite3_stmt *stmt = NULL;
	struct cs_err err;
	int rc, step = SQLITE_DONE;

	rc = cs_store_open(path, CS_STORE_READONLY, &st, &err);
	if (rc == 0)
		rc = cs_store_prepare(st, "SELECT name FROM runs ORDER BY name", &stmt, &err);
	while (rc == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW)
		printf("%s\n", (const char *)sqlite3_column_text(stmt, 0));
	if (rc == 0 && step != SQLITE_DONE)
		rc = cs_store_fail(st, "listing runs", &err);
	if (rc != 0)
		fprintf(stderr, "coseval runs: %s\n", err.msg);
	sqlite3_finalize(stmt);
	cs_store_close(st);
	return rc;
}

int cmd_runs(int argc, char **argv)
{
	const char *db = NULL, *format = NULL;
	int names_only = 0;
	const struct cs_opt opts[] = { { "--db", CS_OPT_VALUE, &db }, { "--format", CS_OPT_VALUE, &format },
				       { "--names", CS_OPT_FLAG, &names_only }, { NULL, 0, NULL } };
	static const char sql[] =
		"SELECT r.name, r.model, r.params, r.price_out, r.dataset,"
		/* a value that holds a comma or a quote is shown in quotes, so that it reads as one value */
		" (SELECT group_concat(key || '=' || CASE WHEN instr(value, ',') > 0 OR instr(value, '\"') > 0"
		"   THEN '\"' || replace(value, '\"', '\"\"') || '\"' ELSE value END, ',') FROM"
		"   (SELECT key, value FROM run_tags t WHERE t.run_id = r.id ORDER BY key)),"
		" (SELECT COUNT(DISTINCT problem_id) FROM samples s WHERE s.run_id = r.id),"
		" (SELECT COUNT(*) FROM samples s WHERE s.run_id = r.id),"
		" (SELECT group_concat(path, ';') FROM (SELECT path FROM imports i WHERE i.run_id = r.id"
		"   AND i.kind = 'samples' ORDER BY i.id)),"
		" (SELECT group_concat(sha256, ';') FROM (SELECT sha256 FROM imports i WHERE i.run_id = r.id"
		"   AND i.kind = 'samples' ORDER BY i.id))"
		" FROM runs r ORDER BY r.name";
	struct cs_store *st = NULL;
	sqlite3_stmt *stmt = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (format != NULL && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "coseval runs: --format is text or json\n");
		return 2;
	}
	if (names_only && format != NULL && strcmp(format, "text") != 0) {
		fprintf(stderr, "coseval runs: --names prints names only; it takes no --format\n");
		return 2;
	}
	if (names_only)
		return list_names(cs_store_default_path(db));
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_store_prepare(st, sql, &stmt, &err);
	if (rc == 0 && format != NULL && strcmp(format, "json") == 0) {
		int step = SQLITE_DONE;

		doc = cs_cli_json_doc("runs", opts, cs_store_default_path(db));
		if (doc == NULL)
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		while (rc == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW)
			rc = json_row(doc, st, stmt, &err);
		if (rc == 0 && step != SQLITE_DONE)
			rc = cs_store_fail(st, "listing runs", &err);
		if (rc == 0)
			rc = cs_cli_json_output(doc, NULL, &err);
	}
	if (rc != 0 || doc != NULL) {
		if (rc != 0)
			fprintf(stderr, "coseval runs: %s\n", err.msg);
		cJSON_Delete(doc);
		sqlite3_finalize(stmt);
		cs_store_close(st);
		return rc;
	}
	printf("run\tmodel\tparams\tprice_out\tdataset\ttags\tproblems\tsamples\tsource\tsha256\n");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int c = 0; c < 10; c++) {
			const unsigned char *v = sqlite3_column_text(stmt, c);
			if (c == 2 && v != NULL)
				printf("%.3g", sqlite3_column_double(stmt, c));
			else
				printf("%s", v ? (const char *)v : "-");
			putchar(c == 9 ? '\n' : '\t');
		}
	}
	if (rc != SQLITE_DONE) {
		rc = cs_store_fail(st, "listing runs", &err);
		fprintf(stderr, "coseval runs: %s\n", err.msg);
	} else {
		rc = 0;
	}
	sqlite3_finalize(stmt);
	cs_store_close(st);
	return rc;
}
