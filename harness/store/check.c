/* The checks of `coseval check-db`: SQLite's integrity check, then coseval's invariants, one query each. */
#include "store/check.h"

#include <stdio.h>
#include <string.h>

/* One invariant: a query that yields the number of rows breaking it and two ids of the first of them, and the
 * printf format of the finding, given those three numbers as long long (it may use only the first two). */
struct invariant {
	const char *sql;
	const char *format;
};

static const struct invariant invariants[] = {
	{ "SELECT COUNT(*), MIN(s.id), MIN(s.run_id) FROM samples s"
	  " WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id)",
	  "%lld sample(s) whose run does not exist (the first: sample %lld, run %lld)" },
	{ "SELECT COUNT(*), MIN(s.id), MIN(s.problem_id) FROM samples s"
	  " WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p.id = s.problem_id)",
	  "%lld sample(s) whose problem does not exist (the first: sample %lld, problem %lld)" },
	{ "SELECT COUNT(*), MIN(s.id), MIN(s.import_id) FROM samples s"
	  " WHERE NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = s.import_id)",
	  "%lld sample(s) whose import does not exist (the first: sample %lld, import %lld)" },
	{ "SELECT COUNT(*), MIN(g.sample_id), 0 FROM grades g"
	  " WHERE NOT EXISTS (SELECT 1 FROM samples s WHERE s.id = g.sample_id)",
	  "%lld grade(s) whose sample does not exist (the first: sample %lld)" },
	{ "SELECT COUNT(*), MIN(g.sample_id), 0 FROM grades g JOIN samples s ON s.id = g.sample_id"
	  " WHERE g.run_id IS NOT s.run_id OR g.problem_id IS NOT s.problem_id"
	  " OR g.sample_index IS NOT s.sample_index",
	  "%lld grade(s) whose run, problem or sample index differ from their sample's (the first: sample %lld)" },
	{ "SELECT COUNT(*), MIN(j.id), MIN(j.sample_id) FROM judgments j"
	  " WHERE NOT EXISTS (SELECT 1 FROM samples s WHERE s.id = j.sample_id)",
	  "%lld judgment(s) whose sample does not exist (the first: judgment %lld, sample %lld)" },
	{ "SELECT COUNT(*), MIN(s.id), MIN(s.import_id) FROM samples s JOIN imports i ON i.id = s.import_id"
	  " WHERE s.id <= (SELECT MAX(last_sample_id) FROM imports)"
	  " AND (i.first_sample_id IS NULL OR s.id < i.first_sample_id OR s.id > i.last_sample_id)",
	  "%lld sample(s) outside the sample range their import records (the first: sample %lld, import %lld)" },
};

/* Whether the last failure on st means the file is damaged (a finding) rather than unreadable now. */
static int damaged(struct cs_store *st)
{
	int code = sqlite3_errcode(st->db);

	return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

/* The most lines of PRAGMA integrity_check output reported one by one; the rest are counted. */
#define MAX_LINES 20

/* Reports each line of text (integrity_check's output, whose rows may hold several lines) up to MAX_LINES in
 * all, counting every line in *lines. */
static void report_lines(const char *text, cs_check_report_fn report, void *ctx, long *lines)
{
	char line[2048];

	while (*text != '\0') {
		int len = 0;
		while (text[len] != '\0' && text[len] != '\n')
			len++;
		if (len > 0) {
			if (*lines < MAX_LINES) {
				snprintf(line, sizeof line, "integrity_check: %.*s", len, text);
				report(ctx, line);
			}
			(*lines)++;
		}
		text += len;
		if (*text == '\n')
			text++;
	}
}

/* Runs PRAGMA integrity_check, reporting what it finds (any output but one row "ok") and adding the number of
 * its lines to *problems. */
static int integrity(struct cs_store *st, cs_check_report_fn report, void *ctx, long *problems, struct cs_err *err)
{
	char line[2048];
	sqlite3_stmt *stmt = NULL;
	long lines = 0;
	int step = SQLITE_ERROR;
	int rc = CS_OK;

	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check(100)", -1, &stmt, NULL) == SQLITE_OK) {
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(stmt, 0);
			if (text == NULL || strcmp(text, "ok") != 0)
				report_lines(text != NULL ? text : "(no text)", report, ctx, &lines);
		}
	}
	if (lines > MAX_LINES) {
		snprintf(line, sizeof line, "integrity_check: and %ld more lines", lines - MAX_LINES);
		report(ctx, line);
	}
	*problems += lines;
	if (step != SQLITE_DONE) {
		if (damaged(st)) {
			snprintf(line, sizeof line, "integrity_check could not run: %s", sqlite3_errmsg(st->db));
			report(ctx, line);
			(*problems)++;
		} else {
			rc = cs_store_fail(st, "running the integrity check", err);
		}
	}
	sqlite3_finalize(stmt);
	return rc;
}

int cs_check_db(struct cs_store *st, cs_check_report_fn report, void *ctx, long *problems, struct cs_err *err)
{
	char line[2048];
	sqlite3_stmt *stmt = NULL;
	size_t n = sizeof invariants / sizeof invariants[0];
	int rc;

	*problems = 0;
	rc = integrity(st, report, ctx, problems, err);
	/* on a damaged file the invariants' queries read damaged pages: their findings would mislead */
	if (rc == CS_OK && *problems > 0) {
		report(ctx, "coseval's invariants not checked: the file itself is damaged (restore it from a copy)");
		(*problems)++;
		n = 0;
	}
	for (size_t i = 0; rc == CS_OK && i < n; i++) {
		if (sqlite3_prepare_v2(st->db, invariants[i].sql, -1, &stmt, NULL) == SQLITE_OK &&
		    sqlite3_step(stmt) == SQLITE_ROW) {
			if (sqlite3_column_int64(stmt, 0) > 0) {
				snprintf(line, sizeof line, invariants[i].format,
					 (long long)sqlite3_column_int64(stmt, 0), (long long)sqlite3_column_int64(stmt, 1),
					 (long long)sqlite3_column_int64(stmt, 2));
				report(ctx, line);
				(*problems)++;
			}
		} else if (damaged(st)) {
			snprintf(line, sizeof line, "could not check the invariant '%s': %s", invariants[i].sql,
				 sqlite3_errmsg(st->db));
			report(ctx, line);
			(*problems)++;
		} else {
			rc = cs_store_fail(st, "checking an invariant", err);
		}
		sqlite3_finalize(stmt);
		stmt = NULL;
	}
	return rc;
}
