/* The bookkeeping every import shares: the imports row, its digest check, the record loop and the commit. */
#include "ingest/importer.h"

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

/* Refuses (CS_INPUT) when a file with digest sha was already imported of this kind into this scope; the
 * import record exclude_id (0: none) is not counted. */
static int refuse_same(struct cs_store *st, const char *kind, const char *sha, sqlite3_int64 exclude_id,
		       const char *scope_sql, sqlite3_int64 scope_id, const char *scope_text, const char *path,
		       struct cs_err *err)
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
	sqlite3_bind_text(stmt, 2, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, exclude_id);
	if (scope_text != NULL)
		sqlite3_bind_text(stmt, 4, scope_text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 4, scope_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		rc = cs_fail(err, CS_INPUT, "%s: refused: a file with the same SHA-256 (%.12s...) was already imported "
			     "here from %s at %s", path, sha, sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1));
	sqlite3_finalize(stmt);
	return rc;
}

int cs_import_refuse_seen(struct cs_store *st, const char *kind, const char *scope_sql, sqlite3_int64 scope_id,
			  const char *scope_text, const char *path, struct cs_err *err)
{
	struct cs_err ignored;
	char hex[65];

	if (strcmp(path, "-") == 0)
		return CS_OK; /* standard input is checked once it has been read */
	/* the digest of the decompressed bytes, as the reader computes it; a file that cannot be read (or
	 * decompressed) is reported by the reader with its own message */
	if (cs_source_digest(path, hex, &ignored) != CS_OK)
		return CS_OK;
	return refuse_same(st, kind, hex, 0, scope_sql, scope_id, scope_text, path, err);
}

int cs_import_finish(struct cs_store *st, sqlite3_int64 import_id, const char *kind, const char *scope_sql,
		     sqlite3_int64 scope_id, const char *scope_text, const char *path,
		     const struct cs_import_stats *stats, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = refuse_same(st, kind, stats->sha256, import_id, scope_sql, scope_id, scope_text, path, err);
	if (rc != CS_OK)
		return rc;
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

/* The progress callback of cs_import_set_progress and its context. */
static cs_import_progress_fn progress_fn;
static void *progress_ctx;

void cs_import_set_progress(cs_import_progress_fn fn, void *ctx)
{
	progress_fn = fn;
	progress_ctx = ctx;
}

int cs_import_each(struct cs_source *src, struct cs_import_stats *stats, cs_import_record_fn fn, void *ctx,
		   struct cs_err *err)
{
	cJSON *record = NULL;
	int rc;

	/* parsing on a second thread overlaps with what fn does with each record (matching and inserting);
	 * without the thread, reading simply stays in this one */
	cs_source_read_ahead(src);
	for (;;) {
		rc = cs_source_next(src, &record, err);
		if (rc != CS_OK || record == NULL)
			break;
		stats->records++;
		rc = fn(ctx, record, err);
		cs_source_release(src, record);
		record = NULL;
		if (rc != CS_OK)
			break;
		if (progress_fn != NULL)
			progress_fn(progress_ctx, src, stats->records);
	}
	return rc;
}

int cs_import_commit(struct cs_store *st, struct cs_source *src, sqlite3_int64 import_id, const char *kind,
		     const char *scope_sql, sqlite3_int64 scope_id, const char *scope_text, const char *path,
		     int need_one, struct cs_import_stats *stats, struct cs_err *err)
{
	int rc;

	if (need_one && stats->samples == 0)
		return cs_fail(err, CS_INPUT, "%s: no %s imported (%ld records read, %ld skipped)", path, kind,
			       stats->records, stats->skipped);
	stats->bytes = cs_source_bytes(src);
	memcpy(stats->sha256, cs_source_sha256(src), sizeof stats->sha256);
	rc = cs_import_finish(st, import_id, kind, scope_sql, scope_id, scope_text, path, stats, err);
	if (rc == CS_OK)
		rc = cs_store_commit(st, err);
	if (rc == CS_DB)
		/* a full disk: say how much more the import needed */
		cs_store_explain_full(st, "the import", "imported", err);
	return rc;
}
