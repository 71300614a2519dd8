/* `import problems`: reads a problem file under a dataset profile and stores it in one transaction. */
#include "ingest/importer.h"
#include "profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cs_now_utc(char buf[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *cs_normalize_question(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 1);
	size_t n = 0;
	int space = 0;

	if (out == NULL)
		return NULL;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = *s;
	}
	out[n] = '\0';
	return out;
}

/* Makes sure the dataset exists with profile p (or adopts its stored profile when none was asked for). */
static int ensure_dataset(struct cs_store *st, const char *dataset, const char *asked, enum cs_profile *p,
			  struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, "SELECT profile FROM datasets WHERE name = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, dataset, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *stored = (const char *)sqlite3_column_text(stmt, 0);
		if (asked != NULL && strcmp(asked, stored) != 0)
			rc = cs_fail(err, CS_INPUT, "dataset '%s' already has profile '%s', not '%s'", dataset, stored,
				     asked);
		else if (cs_profile_parse(stored, p) != 0)
			rc = cs_fail(err, CS_DB, "dataset '%s' has an unknown profile '%s'", dataset, stored);
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	if (asked != NULL) {
		if (cs_profile_parse(asked, p) != 0)
			return cs_fail(err, CS_USAGE, "unknown profile '%s' (gsm8k, math or generic)", asked);
	} else {
		*p = cs_profile_guess(dataset);
	}
	rc = cs_store_prepare(st, "INSERT INTO datasets (name, profile) VALUES (?, ?)", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, cs_profile_name(*p), -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(st, "adding the dataset", err);
	sqlite3_finalize(stmt);
	return rc;
}

int cs_import_begin(struct cs_store *st, const char *kind, const char *dataset, sqlite3_int64 run_id,
			const char *path, sqlite3_int64 *import_id, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char now[32];
	int rc;

	cs_now_utc(now);
	rc = cs_store_prepare(st,
			      "INSERT INTO imports (kind, dataset, run_id, path, sha256, bytes, records, imported_at) "
			      "VALUES (?, ?, ?, ?, '', 0, 0, ?)", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, dataset, -1, SQLITE_STATIC);
	if (run_id > 0)
		sqlite3_bind_int64(stmt, 3, run_id);
	sqlite3_bind_text(stmt, 4, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(st, "recording the import", err);
	*import_id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(stmt);
	return rc;
}

int cs_import_finish(struct cs_store *st, sqlite3_int64 import_id, const char *kind, const char *scope_sql,
		     sqlite3_int64 scope_id, const char *scope_text, const char *path,
		     const struct cs_import_stats *stats, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char sql[256];
	int rc;

	snprintf(sql, sizeof sql,
		 "SELECT path, imported_at FROM imports WHERE kind = ? AND sha256 = ? AND id != ? AND %s",
		 scope_sql);
	rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, stats->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, import_id);
	if (scope_text != NULL)
		sqlite3_bind_text(stmt, 4, scope_text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 4, scope_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		rc = cs_fail(err, CS_INPUT, "%s: refused: a file with the same SHA-256 (%.12s...) was already imported "
			     "here from %s at %s", path, stats->sha256, sqlite3_column_text(stmt, 0),
			     sqlite3_column_text(stmt, 1));
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	rc = cs_store_prepare(st, "UPDATE imports SET sha256 = ?, bytes = ?, records = ? WHERE id = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, stats->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, stats->bytes);
	sqlite3_bind_int64(stmt, 3, stats->records);
	sqlite3_bind_int64(stmt, 4, import_id);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(st, "recording the import", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* 1 when two nullable strings are equal. */
static int same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Under --skip-existing: counts a problem already in the dataset as skipped when its stored question and gold
 * answer are those of the record, else refuses it (CS_INPUT naming the line and the field that differs). */
static int skip_existing(struct cs_store *st, const struct cs_problem_import *opt, const struct cs_problem *pr,
			 long line, struct cs_import_stats *stats, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, "SELECT question, gold FROM problems WHERE dataset = ? AND problem_key = ?", &stmt,
			      err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, opt->dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, pr->key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_fail(st, "reading an existing problem", err);
		goto done;
	}
	if (!same_text((const char *)sqlite3_column_text(stmt, 0), pr->question))
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"question\": problem '%s' is already in dataset '%s' with a "
			     "different question", opt->path, line, pr->key, opt->dataset);
	else if (!same_text((const char *)sqlite3_column_text(stmt, 1), pr->gold))
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"answer\": problem '%s' is already in dataset '%s' with a "
			     "different gold answer", opt->path, line, pr->key, opt->dataset);
	else if (stats->skipped++ == 0)
		stats->first_skipped_line = line;
done:
	sqlite3_finalize(stmt);
	return rc;
}

int cs_problem_import_check(const struct cs_problem_import *opt, struct cs_err *err)
{
	struct cs_fieldmap map;
	enum cs_profile profile;
	int rc = CS_OK;

	if (opt->profile != NULL && cs_profile_parse(opt->profile, &profile) != 0)
		return cs_fail(err, CS_USAGE, "unknown profile '%s' (gsm8k, math or generic)", opt->profile);
	cs_fieldmap_init(&map, cs_problem_fields, cs_problem_field_count);
	for (size_t i = 0; rc == CS_OK && i < opt->nmaps; i++)
		rc = cs_fieldmap_option(&map, opt->maps[i], err);
	cs_fieldmap_free(&map);
	return rc;
}

int cs_import_problems(struct cs_store *st, const struct cs_problem_import *opt, struct cs_import_stats *stats,
		       struct cs_err *err)
{
	struct cs_fieldmap map;
	struct cs_jvalues scratch = { 0 };
	struct cs_source *src = NULL;
	struct cs_problem pr = { 0 };
	sqlite3_stmt *insert = NULL;
	sqlite3_int64 import_id = 0;
	enum cs_profile profile;
	cJSON *record = NULL;
	int in_tx = 0;
	int rc;

	memset(stats, 0, sizeof *stats);
	cs_fieldmap_init(&map, cs_problem_fields, cs_problem_field_count);
	rc = cs_source_open(opt->path, CS_FORMAT_AUTO, opt->max_line, &src, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_store_begin(st, err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	rc = ensure_dataset(st, opt->dataset, opt->profile, &profile, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_profile_problem_defaults(profile, &map, err);
	for (size_t i = 0; rc == CS_OK && i < opt->nmaps; i++)
		rc = cs_fieldmap_option(&map, opt->maps[i], err);
	if (rc != CS_OK)
		goto done;
	rc = cs_import_begin(st, "problems", opt->dataset, 0, opt->path, &import_id, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_store_prepare(st,
			      "INSERT INTO problems (dataset, problem_key, question, gold, solution, subject, level) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?)", &insert, err);
	if (rc != CS_OK)
		goto done;
	for (;;) {
		rc = cs_source_next(src, &record, err);
		if (rc != CS_OK || record == NULL)
			break;
		stats->records++;
		rc = cs_profile_read_problem(profile, &map, record, opt->path, cs_source_line(src),
					     cs_source_index(src), &scratch, &pr, err);
		if (rc != CS_OK)
			break;
		sqlite3_reset(insert);
		sqlite3_bind_text(insert, 1, opt->dataset, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 2, pr.key, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 3, pr.question, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 4, pr.gold, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 5, pr.solution, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 6, pr.subject, -1, SQLITE_STATIC);
		if (pr.level > 0)
			sqlite3_bind_int(insert, 7, pr.level);
		else
			sqlite3_bind_null(insert, 7);
		if (sqlite3_step(insert) != SQLITE_DONE) {
			if (sqlite3_extended_errcode(st->db) != SQLITE_CONSTRAINT_UNIQUE)
				rc = cs_store_fail(st, "adding a problem", err);
			else if (opt->skip_existing)
				rc = skip_existing(st, opt, &pr, cs_source_line(src), stats, err);
			else
				rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"id\": problem '%s' is already in dataset '%s' "
					     "(--skip-existing skips a problem stored with the same question and answer)",
					     opt->path, cs_source_line(src), pr.key, opt->dataset);
			if (rc != CS_OK)
				break;
			cs_problem_clear(&pr);
			cJSON_Delete(record);
			record = NULL;
			continue;
		}
		stats->problems++;
		cs_problem_clear(&pr);
		cJSON_Delete(record);
		record = NULL;
	}
	if (rc != CS_OK)
		goto done;
	stats->bytes = cs_source_bytes(src);
	memcpy(stats->sha256, cs_source_sha256(src), sizeof stats->sha256);
	rc = cs_import_finish(st, import_id, "problems", "dataset = ?", 0, opt->dataset, opt->path, stats, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_store_commit(st, err);
	if (rc == CS_OK)
		in_tx = 0;
done:
	if (in_tx)
		cs_store_rollback(st);
	cJSON_Delete(record);
	cs_problem_clear(&pr);
	sqlite3_finalize(insert);
	cs_jvalues_free(&scratch);
	cs_fieldmap_free(&map);
	cs_source_close(src);
	return rc;
}
