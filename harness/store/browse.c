/* Reading the samples of several runs problem by problem, with their grades and judgments. */
#include "store/browse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *col_text(sqlite3_stmt *stmt, int col)
{
	return (const char *)sqlite3_column_text(stmt, col);
}

int cs_browse_samples(struct cs_store *st, const char *const *names, int nruns, cs_browse_fn fn, void *ctx,
		      struct cs_err *err)
{
	static const char head[] =
		"SELECT p.id, p.dataset, p.problem_key, p.subject, p.level, p.question, p.gold,"
		" s.run_id, s.sample_index, s.text, s.tokens, s.stopped,"
		" g.verdict, g.answer, g.rule, g.reason,"
		" (SELECT json_group_array(json_array(j.judge, j.reasoning_correct))"
		"  FROM (SELECT judge, reasoning_correct FROM judgments WHERE sample_id = s.id ORDER BY judge) j)"
		" FROM samples s JOIN problems p ON p.id = s.problem_id LEFT JOIN grades g ON g.sample_id = s.id"
		" WHERE s.run_id IN (";
	static const char tail[] = ") ORDER BY s.problem_id, ";
	sqlite3_int64 *ids = NULL;
	sqlite3_stmt *stmt = NULL;
	char *sql = NULL;
	size_t size, len;
	int rc = CS_OK, step;

	if (nruns <= 0)
		return CS_OK;
	ids = calloc((size_t)nruns, sizeof *ids);
	/* each id as "-9223372036854775808," at most, once in the list and once in the CASE */
	size = sizeof head + sizeof tail + (size_t)nruns * 64 + 64;
	sql = malloc(size);
	if (ids == NULL || sql == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int r = 0; r < nruns; r++) {
		rc = cs_store_prepare(st, "SELECT id FROM runs WHERE name = ?", &stmt, err);
		if (rc != CS_OK)
			goto done;
		sqlite3_bind_text(stmt, 1, names[r], -1, SQLITE_STATIC);
		step = sqlite3_step(stmt);
		if (step == SQLITE_ROW)
			ids[r] = sqlite3_column_int64(stmt, 0);
		else if (step == SQLITE_DONE)
			rc = cs_store_no_run(st, names[r], NULL, err);
		else
			rc = cs_store_fail(st, "reading the runs", err);
		sqlite3_finalize(stmt);
		stmt = NULL;
		if (rc != CS_OK)
			goto done;
	}
	/* the run ids are integers read from the store, written into the statement as numbers */
	len = (size_t)snprintf(sql, size, "%s", head);
	for (int r = 0; r < nruns; r++)
		len += (size_t)snprintf(sql + len, size - len, "%s%lld", r ? "," : "", (long long)ids[r]);
	len += (size_t)snprintf(sql + len, size - len, "%sCASE s.run_id", tail);
	for (int r = 0; r < nruns; r++)
		len += (size_t)snprintf(sql + len, size - len, " WHEN %lld THEN %d", (long long)ids[r], r);
	snprintf(sql + len, size - len, " END, s.sample_index");
	rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		goto done;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct cs_browse_sample s;
		sqlite3_int64 run_id = sqlite3_column_int64(stmt, 7);

		memset(&s, 0, sizeof s);
		s.problem_row = sqlite3_column_int64(stmt, 0);
		s.dataset = col_text(stmt, 1);
		s.problem_key = col_text(stmt, 2);
		s.subject = col_text(stmt, 3);
		s.level = sqlite3_column_type(stmt, 4) == SQLITE_NULL ? 0 : sqlite3_column_int(stmt, 4);
		s.question = col_text(stmt, 5);
		s.gold = col_text(stmt, 6);
		for (s.run = 0; s.run < nruns - 1 && ids[s.run] != run_id; s.run++)
			;
		s.sample_index = sqlite3_column_int(stmt, 8);
		s.text = col_text(stmt, 9);
		s.tokens = sqlite3_column_type(stmt, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(stmt, 10);
		s.stopped = sqlite3_column_int(stmt, 11) != 0;
		s.verdict = col_text(stmt, 12);
		s.answer = col_text(stmt, 13);
		s.rule = col_text(stmt, 14);
		s.reason = col_text(stmt, 15);
		s.judgments = col_text(stmt, 16);
		if (s.judgments == NULL)
			s.judgments = "[]";
		rc = fn(ctx, &s, err);
		if (rc != CS_OK)
			goto done;
	}
	if (step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading the samples", err);
done:
	sqlite3_finalize(stmt);
	free(sql);
	free(ids);
	return rc;
}
