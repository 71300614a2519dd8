/* Streaming a run's graded samples in problem and sample order and keeping the correct ones within the
 * budget, the first of each uniqueness group, up to the per-problem cap. */
#include "store/sft.h"
#include "util/strmap.h"
#include "util/text.h"

#include <stdlib.h>
#include <string.h>

/* Finds the run's id; refuses an unknown run and one with ungraded samples. */
static int find_run(struct cs_store *st, const char *run, sqlite3_int64 *run_id, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	long ungraded;
	int rc;

	rc = cs_store_prepare(st, "SELECT r.id, (SELECT COUNT(*) FROM samples s LEFT JOIN grades g ON g.sample_id = s.id"
			      " WHERE s.run_id = r.id AND g.sample_id IS NULL) FROM runs r WHERE r.name = ?", &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_no_run(st, run, NULL, err);
		goto done;
	}
	*run_id = sqlite3_column_int64(stmt, 0);
	ungraded = (long)sqlite3_column_int64(stmt, 1);
	if (ungraded > 0)
		rc = cs_fail(err, CS_INPUT, "run '%s' has %ld ungraded samples; run 'coseval grade --run %s' first", run,
			     ungraded, run);
done:
	sqlite3_finalize(stmt);
	return rc;
}

int cs_sft_select(struct cs_store *st, const char *run, const struct cs_sft_opts *opt, cs_sft_emit emit, void *ctx,
		  struct cs_sft_counts *counts, struct cs_err *err)
{
	static const char sql[] =
		"SELECT s.problem_id, p.problem_key, s.sample_index, p.question, s.text, g.answer, g.canonical,"
		" g.verdict, p.gold FROM samples s JOIN problems p ON p.id = s.problem_id"
		" JOIN grades g ON g.sample_id = s.id WHERE s.run_id = ? ORDER BY s.problem_id, s.sample_index";
	sqlite3_stmt *stmt = NULL;
	struct cs_strmap seen;
	sqlite3_int64 run_id = 0, current = -1;
	long rank = 0, kept = 0;
	int rc, step;

	memset(counts, 0, sizeof *counts);
	cs_strmap_init(&seen);
	if (opt->budget < 0 || opt->max_per_problem < 0) {
		rc = cs_fail(err, CS_USAGE, "the budget and the per-problem cap must not be negative");
		goto done;
	}
	rc = find_run(st, run, &run_id, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, run_id);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 problem = sqlite3_column_int64(stmt, 0);
		const char *verdict = (const char *)sqlite3_column_text(stmt, 7);
		struct cs_sft_sample s;
		int64_t dummy;

		if (problem != current) {
			current = problem;
			rank = kept = 0;
			counts->problems++;
			cs_strmap_free(&seen);
			cs_strmap_init(&seen);
		}
		if (opt->budget > 0 && rank >= opt->budget)
			continue;
		rank++;
		counts->considered++;
		if (verdict == NULL || strcmp(verdict, "correct") != 0)
			continue;
		counts->correct++;
		s.solution = (const char *)sqlite3_column_text(stmt, 4);
		if (s.solution == NULL)
			s.solution = "";
		if (opt->dedup) {
			const char *key;
			char *normalized = NULL;
			int dup;

			if (opt->unique == CS_UNIQUE_ANSWER) {
				key = (const char *)sqlite3_column_text(stmt, 6);
				key = key ? key : "";
			} else if (opt->unique == CS_UNIQUE_NORMALIZED) {
				key = normalized = cs_text_normalize(s.solution, 1);
				if (normalized == NULL) {
					rc = cs_fail(err, CS_INTERNAL, "out of memory");
					goto done;
				}
			} else {
				key = s.solution;
			}
			dup = cs_strmap_get(&seen, key, &dummy);
			if (!dup && cs_strmap_put(&seen, key, 1) != 0) {
				free(normalized);
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			free(normalized);
			if (dup)
				continue;
		}
		counts->deduplicated++;
		if (opt->max_per_problem > 0 && kept >= opt->max_per_problem)
			continue;
		counts->capped++;
		s.run = run;
		s.problem_id = (const char *)sqlite3_column_text(stmt, 1);
		s.sample_index = (long)sqlite3_column_int64(stmt, 2);
		s.question = (const char *)sqlite3_column_text(stmt, 3);
		s.answer = (const char *)sqlite3_column_text(stmt, 5);
		s.gold = (const char *)sqlite3_column_text(stmt, 8);
		if (s.problem_id == NULL)
			s.problem_id = "";
		rc = emit(&s, ctx, err);
		if (rc != CS_OK)
			goto done;
		if (kept++ == 0)
			counts->problems_exported++;
		counts->exported++;
	}
	if (step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading samples and grades", err);
done:
	sqlite3_finalize(stmt);
	cs_strmap_free(&seen);
	return rc;
}
