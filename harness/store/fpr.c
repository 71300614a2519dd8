/* Counting, per judge, the judged samples of a run with a correct final answer and their reasoning verdicts. */
#include "store/fpr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_fpr_counts(struct cs_store *st, const char *run, const char *judge, struct cs_fpr_row **rows, int *nrows,
		  struct cs_err *err)
{
	return cs_fpr_counts_by(st, run, judge, CS_CORRECT_BY_GRADE, rows, nrows, err);
}

/* Checks that the run exists and that its samples carry what `by` needs; sets *run_id. */
static int check_run(struct cs_store *st, const char *run, enum cs_correct_by by, sqlite3_int64 *run_id,
		     struct cs_err *err)
{
	/* whether one exists, not how many: counting would look up every sample's grade */
	static const char by_grade[] = "SELECT EXISTS (SELECT 1 FROM samples s JOIN grades g ON g.sample_id = s.id "
				       "WHERE s.run_id = ?)";
	static const char by_label[] = "SELECT EXISTS (SELECT 1 FROM samples WHERE run_id = ? AND label IS NOT NULL)";
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, "SELECT id FROM runs WHERE name = ?", &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_no_run(st, run, "'coseval runs' lists the runs", err);
		goto done;
	}
	*run_id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	stmt = NULL;
	rc = cs_store_prepare(st, by == CS_CORRECT_BY_GRADE ? by_grade : by_label, &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, *run_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_fail(st, "counting the run's grades", err);
		goto done;
	}
	if (sqlite3_column_int64(stmt, 0) == 0)
		rc = by == CS_CORRECT_BY_GRADE
			     ? cs_fail(err, CS_INPUT, "run '%s' is not graded; run 'coseval grade --run %s' first", run, run)
			     : cs_fail(err, CS_INPUT, "run '%s' has no labels (import its samples with --map label=PATH)",
				       run);
done:
	sqlite3_finalize(stmt);
	return rc;
}

int cs_fpr_counts_by(struct cs_store *st, const char *run, const char *judge, enum cs_correct_by by,
		     struct cs_fpr_row **rows, int *nrows, struct cs_err *err)
{
	static const char sql_grade[] =
		"SELECT j.judge, COUNT(*), SUM(g.verdict = 'correct'), SUM(g.verdict = 'correct' AND "
		"j.reasoning_correct = 0), SUM(g.verdict IS NULL) "
		"FROM judgments j JOIN samples s ON s.id = j.sample_id LEFT JOIN grades g ON g.sample_id = s.id "
		"WHERE s.run_id = ?1 AND (?2 IS NULL OR j.judge = ?2) GROUP BY j.judge ORDER BY j.judge";
	static const char sql_label[] =
		"SELECT j.judge, COUNT(*), SUM(s.label = 1), SUM(s.label = 1 AND j.reasoning_correct = 0), "
		"SUM(s.label IS NULL) "
		"FROM judgments j JOIN samples s ON s.id = j.sample_id "
		"WHERE s.run_id = ?1 AND (?2 IS NULL OR j.judge = ?2) GROUP BY j.judge ORDER BY j.judge";
	sqlite3_stmt *stmt = NULL;
	struct cs_fpr_row *out = NULL;
	sqlite3_int64 run_id = 0;
	int n = 0, cap = 0;
	int rc, step;

	*rows = NULL;
	*nrows = 0;
	rc = check_run(st, run, by, &run_id, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_store_prepare(st, by == CS_CORRECT_BY_GRADE ? sql_grade : sql_label, &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, run_id);
	if (judge != NULL)
		sqlite3_bind_text(stmt, 2, judge, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			int grown_cap = cap ? cap * 2 : 4;
			struct cs_fpr_row *grown = realloc(out, (size_t)grown_cap * sizeof *grown);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			out = grown;
			cap = grown_cap;
		}
		out[n].judge = strdup((const char *)sqlite3_column_text(stmt, 0));
		if (out[n].judge == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		out[n].judged_all = (long)sqlite3_column_int64(stmt, 1);
		out[n].judged = (long)sqlite3_column_int64(stmt, 2);
		out[n].wrong = (long)sqlite3_column_int64(stmt, 3);
		out[n].undecided = (long)sqlite3_column_int64(stmt, 4);
		n++;
	}
	if (step != SQLITE_DONE)
		rc = cs_store_fail(st, "counting judgments", err);
done:
	sqlite3_finalize(stmt);
	if (rc != CS_OK) {
		cs_fpr_rows_free(out, n);
		return rc;
	}
	*rows = out;
	*nrows = n;
	return CS_OK;
}

void cs_fpr_rows_free(struct cs_fpr_row *rows, int nrows)
{
	for (int i = 0; rows != NULL && i < nrows; i++)
		free(rows[i].judge);
	free(rows);
}

int cs_fpr_common_judge(struct cs_store *st, const char *wc, const char *se, const char *judge, int *found,
			char *judge_used, size_t size, struct cs_fpr_row *wc_counts, struct cs_fpr_row *se_counts,
			struct cs_err *err)
{
	struct cs_fpr_row *w = NULL, *s = NULL;
	int nw = 0, ns = 0, i = 0, j = 0;
	int rc;

	*found = 0;
	rc = cs_fpr_counts(st, wc, judge, &w, &nw, err);
	if (rc == CS_OK)
		rc = cs_fpr_counts(st, se, judge, &s, &ns, err);
	/* both lists are in judge-name order: the first name they share */
	while (rc == CS_OK && i < nw && j < ns) {
		int c = strcmp(w[i].judge, s[j].judge);
		if (c == 0) {
			*found = 1;
			snprintf(judge_used, size, "%s", w[i].judge);
			*wc_counts = w[i];
			*se_counts = s[j];
			wc_counts->judge = se_counts->judge = NULL;
			break;
		}
		if (c < 0)
			i++;
		else
			j++;
	}
	cs_fpr_rows_free(w, nw);
	cs_fpr_rows_free(s, ns);
	return rc;
}
