/* `coseval show --run NAME`: the samples of a run with their extracted answers, verdicts and rules. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "store/store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *text_or(sqlite3_stmt *stmt, int col, const char *fallback)
{
	const unsigned char *v = sqlite3_column_text(stmt, col);
	return v ? (const char *)v : fallback;
}

/* The sample in the current row of stmt as a JSON object (the jsonl line), with its text when with_text is
 * set; NULL when out of memory. The caller owns it. */
static cJSON *sample_json(sqlite3_stmt *stmt, int with_text)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "problem_id", text_or(stmt, 0, ""));
	cJSON_AddNumberToObject(o, "sample_index", sqlite3_column_int(stmt, 1));
	cJSON_AddItemToObject(o, "answer", sqlite3_column_type(stmt, 2) == SQLITE_NULL ? cJSON_CreateNull()
		: cJSON_CreateString(text_or(stmt, 2, "")));
	cJSON_AddItemToObject(o, "canonical", sqlite3_column_type(stmt, 3) == SQLITE_NULL ? cJSON_CreateNull()
		: cJSON_CreateString(text_or(stmt, 3, "")));
	cJSON_AddStringToObject(o, "verdict", text_or(stmt, 4, "ungraded"));
	cJSON_AddStringToObject(o, "rule", text_or(stmt, 5, ""));
	cJSON_AddStringToObject(o, "reason", text_or(stmt, 6, ""));
	cJSON_AddStringToObject(o, "grader_version", text_or(stmt, 7, ""));
	cJSON_AddStringToObject(o, "gold", text_or(stmt, 11, ""));
	cJSON_AddItemToObject(o, "tokens", sqlite3_column_type(stmt, 8) == SQLITE_NULL ? cJSON_CreateNull()
		: cJSON_CreateNumber(sqlite3_column_int(stmt, 8)));
	cJSON_AddItemToObject(o, "label", sqlite3_column_type(stmt, 9) == SQLITE_NULL ? cJSON_CreateNull()
		: cJSON_CreateBool(sqlite3_column_int(stmt, 9)));
	if (with_text)
		cJSON_AddStringToObject(o, "text", text_or(stmt, 10, ""));
	return o;
}

int cmd_show(int argc, char **argv)
{
	const char *db = NULL, *run = NULL, *problem = NULL, *format = "text";
	int with_text = 0;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run }, { "--problem", CS_OPT_VALUE, &problem },
		{ "--format", CS_OPT_VALUE, &format }, { "--text", CS_OPT_FLAG, &with_text }, { NULL, 0, NULL }
	};
	static const char sql[] =
		"SELECT p.problem_key, s.sample_index, g.answer, g.canonical, g.verdict, g.rule, g.reason,"
		" g.grader_version, s.tokens, s.label, s.text, p.gold"
		" FROM samples s JOIN runs r ON r.id = s.run_id JOIN problems p ON p.id = s.problem_id"
		" LEFT JOIN grades g ON g.sample_id = s.id"
		" WHERE r.name = ?1 AND (?2 IS NULL OR p.problem_key = ?2) ORDER BY p.id, s.sample_index";
	struct cs_store *st = NULL;
	sqlite3_stmt *stmt = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	long rows = 0;
	int jsonl, oom = 0, npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (run == NULL) {
		fprintf(stderr, "coseval show: --run NAME is required\n");
		return 2;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "jsonl") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "coseval show: --format is text, jsonl or json\n");
		return 2;
	}
	jsonl = strcmp(format, "jsonl") == 0;
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_store_prepare(st, sql, &stmt, &err);
	if (rc == 0 && strcmp(format, "json") == 0 &&
	    (doc = cs_cli_json_doc("show", opts, cs_store_default_path(db))) == NULL)
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
	if (rc != 0) {
		fprintf(stderr, "coseval show: %s\n", err.msg);
		sqlite3_finalize(stmt);
		cs_store_close(st);
		return rc;
	}
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (problem != NULL)
		sqlite3_bind_text(stmt, 2, problem, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (rows++ == 0 && !jsonl && doc == NULL)
			printf("problem\tsample\tverdict\trule\tanswer\tcanonical\tgold\n");
		if (doc != NULL) {
			cJSON *o = sample_json(stmt, with_text);
			if (o == NULL || !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "rows"), o)) {
				cJSON_Delete(o);
				oom = 1;
				break;
			}
		} else if (jsonl) {
			cJSON *o = sample_json(stmt, with_text);
			char *line;
			line = cJSON_PrintUnformatted(o);
			if (line != NULL)
				printf("%s\n", line);
			free(line);
			cJSON_Delete(o);
		} else {
			printf("%s\t%d\t%s\t%s\t%s\t%s\t%s\n", text_or(stmt, 0, ""), sqlite3_column_int(stmt, 1),
			       text_or(stmt, 4, "ungraded"), text_or(stmt, 5, "-"), text_or(stmt, 2, "-"),
			       text_or(stmt, 3, "-"), text_or(stmt, 11, ""));
			if (with_text)
				printf("%s\n\n", text_or(stmt, 10, ""));
		}
	}
	if (oom) {
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		fprintf(stderr, "coseval show: %s\n", err.msg);
	} else if (rc != SQLITE_DONE) {
		rc = cs_store_fail(st, "listing samples", &err);
		fprintf(stderr, "coseval show: %s\n", err.msg);
	} else if (rows == 0) {
		sqlite3_stmt *exists = NULL;
		int known = 0;
		if (cs_store_prepare(st, "SELECT 1 FROM runs WHERE name = ?", &exists, &err) == 0) {
			sqlite3_bind_text(exists, 1, run, -1, SQLITE_STATIC);
			known = sqlite3_step(exists) == SQLITE_ROW;
			sqlite3_finalize(exists);
		}
		if (!known) {
			cs_store_no_run(st, run, NULL, &err);
			fprintf(stderr, "coseval show: %s\n", err.msg);
		} else {
			fprintf(stderr, "coseval show: run '%s' has no samples%s%s\n", run,
				problem ? " for problem " : "", problem ? problem : "");
		}
		rc = 3;
	} else if (doc != NULL) {
		rc = cs_cli_json_add_run(doc, st, run, &err);
		if (rc == 0)
			rc = cs_cli_json_output(doc, NULL, &err);
		if (rc != 0)
			fprintf(stderr, "coseval show: %s\n", err.msg);
	} else {
		rc = 0;
	}
	cJSON_Delete(doc);
	sqlite3_finalize(stmt);
	cs_store_close(st);
	return rc;
}
