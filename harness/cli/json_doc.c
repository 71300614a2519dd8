/* Filling the head of a --format json document from the command line and the store, and writing it. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli/json_doc.h"
#include "output.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

cJSON *cs_cli_json_doc(const char *command, const struct cs_opt *opts, const char *db_path)
{
	char resolved[PATH_MAX];
	const char *database = db_path;
	cJSON *doc, *options;
	int bad = 0;

	if (db_path != NULL && realpath(db_path, resolved) != NULL)
		database = resolved;
	doc = cs_json_doc_new(command, database);
	if (doc == NULL)
		return NULL;
	options = cJSON_GetObjectItemCaseSensitive(doc, "options");
	for (const struct cs_opt *o = opts; o->name != NULL && !bad; o++) {
		const char *name = strcmp(o->name, "-o") == 0 ? "output" : o->name + strspn(o->name, "-");

		if (o->kind == CS_OPT_FLAG && *(const int *)o->target) {
			bad |= cJSON_AddTrueToObject(options, name) == NULL;
		} else if (o->kind == CS_OPT_VALUE && *(const char *const *)o->target != NULL) {
			bad |= cJSON_AddStringToObject(options, name, *(const char *const *)o->target) == NULL;
		} else if (o->kind == CS_OPT_LIST && ((const struct cs_list *)o->target)->count > 0) {
			const struct cs_list *list = o->target;
			cJSON *items = cJSON_CreateStringArray(list->items, (int)list->count);
			bad |= items == NULL || !cJSON_AddItemToObject(options, name, items);
		}
	}
	if (bad) {
		cJSON_Delete(doc);
		return NULL;
	}
	return doc;
}

/* Adds name: the text of column col, or null. 0 or -1. */
static int add_text(cJSON *obj, const char *name, sqlite3_stmt *stmt, int col)
{
	const unsigned char *v = sqlite3_column_text(stmt, col);

	if (v == NULL)
		return cJSON_AddNullToObject(obj, name) == NULL ? -1 : 0;
	return cJSON_AddStringToObject(obj, name, (const char *)v) == NULL ? -1 : 0;
}

int cs_cli_json_add_run(cJSON *doc, struct cs_store *st, const char *name, struct cs_err *err)
{
	static const char run_sql[] =
		"SELECT r.id, r.model, r.dataset, r.params, r.price_out FROM runs r WHERE r.name = ?1";
	/* The grades of the run's sample id range, read alone (not joined to the samples, whose texts would be read
	 * too: 65 s at 4M samples); the distinct versions first, then sorted: DISTINCT with ORDER BY in one SELECT
	 * sorts every grade of the run in memory (245 MB for 5M grades); this form keeps only the few values. */
	static const char versions_sql[] =
		"SELECT group_concat(v, ',') FROM (SELECT v FROM (SELECT DISTINCT grader_version AS v FROM grades"
		" WHERE sample_id BETWEEN ?2 AND ?3 AND run_id = ?1) ORDER BY v)";
	static const char sources_sql[] =
		"SELECT kind, path, sha256, imported_at FROM imports WHERE run_id = ?1 ORDER BY id";
	cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs"), *run = NULL, *sources;
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 id = 0;
	int bad = 0, rc = CS_OK, step;

	for (cJSON *r = runs ? runs->child : NULL; r != NULL; r = r->next)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "name")), name) == 0)
			goto done;
	rc = cs_store_prepare(st, run_sql, &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? cs_store_no_run(st, name, NULL, err) : cs_store_fail(st, "reading a run", err);
		goto done;
	}
	run = cJSON_CreateObject();
	bad |= run == NULL || !cJSON_AddItemToArray(runs, run);
	if (bad) {
		cJSON_Delete(run);
		goto done;
	}
	bad |= cJSON_AddStringToObject(run, "name", name) == NULL;
	bad |= add_text(run, "model", stmt, 1);
	bad |= add_text(run, "dataset", stmt, 2);
	bad |= sqlite3_column_type(stmt, 3) == SQLITE_NULL ? cJSON_AddNullToObject(run, "params") == NULL
							    : cs_json_add_num(run, "params", sqlite3_column_double(stmt, 3));
	bad |= sqlite3_column_type(stmt, 4) == SQLITE_NULL ? cJSON_AddNullToObject(run, "price_out") == NULL
							    : cs_json_add_num(run, "price_out", sqlite3_column_double(stmt, 4));
	if (!bad) {
		sqlite3_int64 first = 0, last = -1;
		id = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
		stmt = NULL;
		rc = cs_store_run_range(st, id, &first, &last, err);
		if (rc == CS_OK)
			rc = cs_store_prepare(st, versions_sql, &stmt, err);
		if (rc != CS_OK)
			goto done;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, first);
		sqlite3_bind_int64(stmt, 3, last);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			rc = cs_store_fail(st, "reading a run's grader versions", err);
			goto done;
		}
		bad |= add_text(run, "grader_versions", stmt, 0);
		sqlite3_finalize(stmt);
		stmt = NULL;
	}
	sources = bad ? NULL : cJSON_AddArrayToObject(run, "sources");
	bad |= sources == NULL;
	if (!bad) {
		rc = cs_store_prepare(st, sources_sql, &stmt, err);
		if (rc != CS_OK)
			goto done;
		sqlite3_bind_int64(stmt, 1, id);
		while (!bad && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
			cJSON *src = cJSON_CreateObject();
			bad |= src == NULL || !cJSON_AddItemToArray(sources, src);
			if (bad) {
				cJSON_Delete(src);
				break;
			}
			bad |= add_text(src, "kind", stmt, 0);
			bad |= add_text(src, "path", stmt, 1);
			bad |= add_text(src, "sha256", stmt, 2);
			bad |= add_text(src, "imported_at", stmt, 3);
		}
		if (!bad && step != SQLITE_DONE)
			rc = cs_store_fail(st, "reading a run's imports", err);
	}
done:
	if (bad && rc == CS_OK)
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
	sqlite3_finalize(stmt);
	return rc;
}

int cs_cli_json_output(const cJSON *doc, const char *path, struct cs_err *err)
{
	struct cs_output out;
	int rc = cs_output_open(&out, path, err);

	if (rc != CS_OK)
		return rc;
	rc = cs_json_write(doc, out.f, err);
	if (cs_output_close(&out, rc != CS_OK, rc == CS_OK ? err : NULL) != CS_OK && rc == CS_OK)
		rc = CS_INPUT;
	return rc;
}
