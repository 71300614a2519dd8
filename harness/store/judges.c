/* Reading judges and the verdicts that pairs of judges gave on the same samples. */
#include "store/judges.h"
#include "util/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The id of run into *run_id; CS_INPUT with the nearest run name when there is no such run. */
static int run_id_of(struct cs_store *st, const char *run, sqlite3_int64 *run_id, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = cs_store_prepare(st, "SELECT id FROM runs WHERE name = ?", &stmt, err);

	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*run_id = sqlite3_column_int64(stmt, 0);
	else
		rc = cs_store_no_run(st, run, "'coseval runs' lists the runs", err);
	sqlite3_finalize(stmt);
	return rc;
}

int cs_store_judges(struct cs_store *st, const char *run, char ***names, int *n, struct cs_err *err)
{
	static const char sql[] = "SELECT DISTINCT j.judge FROM judgments j JOIN samples s ON s.id = j.sample_id "
				  "WHERE ?1 IS NULL OR s.run_id = ?1 ORDER BY j.judge";
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 run_id = 0;
	char **out = NULL;
	int count = 0, cap = 0, step, rc = CS_OK;

	*names = NULL;
	*n = 0;
	if (run != NULL)
		rc = run_id_of(st, run, &run_id, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		goto done;
	if (run != NULL)
		sqlite3_bind_int64(stmt, 1, run_id);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			int grown_cap = cap ? cap * 2 : 8;
			char **grown = realloc(out, (size_t)grown_cap * sizeof *grown);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			out = grown;
			cap = grown_cap;
		}
		out[count] = strdup((const char *)sqlite3_column_text(stmt, 0));
		if (out[count] == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		count++;
	}
	if (step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading the judges", err);
done:
	sqlite3_finalize(stmt);
	if (rc != CS_OK) {
		cs_store_free_names(out, count);
		return rc;
	}
	*names = out;
	*n = count;
	return CS_OK;
}

int cs_store_check_judge(struct cs_store *st, const char *run, const char *judge, struct cs_err *err)
{
	char **names = NULL, list[512] = "";
	const char *near;
	int n = 0, rc = cs_store_judges(st, run, &names, &n, err);

	if (rc != CS_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], judge) == 0) {
			cs_store_free_names(names, n);
			return CS_OK;
		}
	}
	for (int i = 0; i < n && strlen(list) < sizeof list - 64; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s'", i ? ", " : "", names[i]);
	near = cs_nearest(judge, (const char *const *)names, (size_t)n);
	if (n == 0)
		rc = cs_fail(err, CS_INPUT, "no judge '%s': %s%s%s has no judgments (see 'coseval import judgments')", judge,
			     run ? "run '" : "the database", run ? run : "", run ? "'" : "");
	else
		rc = cs_fail(err, CS_INPUT, "no judge '%s' in %s%s%s%s%s%s (judges: %s)", judge, run ? "run '" : "the database",
			     run ? run : "", run ? "'" : "", near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
			     list);
	cs_store_free_names(names, n);
	return rc;
}

int cs_judge_pair_verdicts(struct cs_store *st, const char *run, const char *judge_a, const char *judge_b,
			   enum cs_judged_scope scope, unsigned char **a, unsigned char **b, int *n,
			   struct cs_err *err)
{
	static const char sql[] =
		"SELECT ja.reasoning_correct, jb.reasoning_correct FROM judgments ja "
		"JOIN judgments jb ON jb.sample_id = ja.sample_id AND jb.judge = ?3 "
		"JOIN samples s ON s.id = ja.sample_id LEFT JOIN grades g ON g.sample_id = s.id "
		"WHERE s.run_id = ?1 AND ja.judge = ?2 AND (?4 = 0 OR (?4 = 1 AND g.verdict = 'correct') OR "
		"(?4 = 2 AND s.label = 1)) ORDER BY ja.sample_id";
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 run_id = 0;
	unsigned char *va = NULL, *vb = NULL;
	int count = 0, cap = 0, step, rc;

	*a = *b = NULL;
	*n = 0;
	rc = run_id_of(st, run, &run_id, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_text(stmt, 2, judge_a, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, judge_b, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, scope == CS_JUDGED_ALL ? 0 : scope == CS_JUDGED_CORRECT_GRADE ? 1 : 2);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			int grown_cap = cap ? cap * 2 : 256;
			unsigned char *ga = realloc(va, (size_t)grown_cap), *gb;
			if (ga == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			va = ga;
			gb = realloc(vb, (size_t)grown_cap);
			if (gb == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			vb = gb;
			cap = grown_cap;
		}
		va[count] = (unsigned char)sqlite3_column_int(stmt, 0);
		vb[count] = (unsigned char)sqlite3_column_int(stmt, 1);
		count++;
	}
	if (step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading the judgments of two judges", err);
done:
	sqlite3_finalize(stmt);
	if (rc != CS_OK) {
		free(va);
		free(vb);
		return rc;
	}
	*a = va;
	*b = vb;
	*n = count;
	return CS_OK;
}
