/* Reading a run's samples and grades into per-problem tallies: correct flags, answer groups by canonical
 * form, and solution groups under the chosen uniqueness. */
#include "store/tallies.h"
#include "util/strmap.h"
#include "util/text.h"

#include <stdlib.h>
#include <string.h>

int cs_unique_parse(const char *name, enum cs_unique *out)
{
	if (strcmp(name, "exact") == 0)
		*out = CS_UNIQUE_EXACT;
	else if (strcmp(name, "normalized") == 0 || strcmp(name, "normalised") == 0)
		*out = CS_UNIQUE_NORMALIZED;
	else if (strcmp(name, "answer") == 0)
		*out = CS_UNIQUE_ANSWER;
	else
		return -1;
	return 0;
}

const char *cs_unique_name(enum cs_unique u)
{
	return u == CS_UNIQUE_EXACT ? "exact" : u == CS_UNIQUE_NORMALIZED ? "normalized" : "answer";
}

static char *column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *v = sqlite3_column_text(stmt, col);
	return strdup(v ? (const char *)v : "");
}

/* Reads the run's attributes and sample count; fails on an unknown run. */
static int load_run_row(struct cs_store *st, const char *run, struct cs_run_data *d, sqlite3_int64 *run_id,
			struct cs_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.name, r.model, r.dataset, COALESCE(r.params, 0), COALESCE(r.price_out, 0),"
		" COALESCE((SELECT group_concat(key || '=' || value, ',') FROM"
		"   (SELECT key, value FROM run_tags t WHERE t.run_id = r.id ORDER BY key)), ''),"
		" (SELECT COUNT(*) FROM samples s WHERE s.run_id = r.id)"
		" FROM runs r WHERE r.name = ?";
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return cs_fail(err, CS_INPUT, "no run '%s' (see 'coseval runs')", run);
	}
	*run_id = sqlite3_column_int64(stmt, 0);
	d->name = column_dup(stmt, 1);
	d->model = column_dup(stmt, 2);
	d->dataset = column_dup(stmt, 3);
	d->params = sqlite3_column_double(stmt, 4);
	d->price_out = sqlite3_column_double(stmt, 5);
	d->tags = column_dup(stmt, 6);
	d->samples = sqlite3_column_int64(stmt, 7);
	d->run_id = *run_id;
	sqlite3_finalize(stmt);
	if (!d->name || !d->model || !d->dataset || !d->tags)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of versions in text order, comma-separated, into *out (malloc'd). */
static int join_versions(const struct cs_strmap *versions, char **out, struct cs_err *err)
{
	const char **keys = calloc(versions->count + 1, sizeof *keys);
	size_t n = 0, len = 1;
	int rc = CS_OK;

	*out = NULL;
	if (keys == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (size_t i = 0; i < versions->capacity; i++) {
		if (versions->slots[i].key != NULL) {
			keys[n++] = versions->slots[i].key;
			len += strlen(versions->slots[i].key) + 1;
		}
	}
	qsort(keys, n, sizeof *keys, compare_strings);
	*out = calloc(len, 1);
	if (*out == NULL)
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
	for (size_t i = 0; rc == CS_OK && i < n; i++) {
		if (i > 0)
			strcat(*out, ",");
		strcat(*out, keys[i]);
	}
	free(keys);
	return rc;
}

int cs_run_mean_tokens(struct cs_store *st, struct cs_run_data *d, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	/* the run's rowid range, then one sequential scan of it (in index order the rows would be read at random) */
	rc = cs_store_prepare(st, "SELECT COALESCE(AVG(tokens), 0) FROM samples WHERE id BETWEEN"
			      " (SELECT MIN(id) FROM samples WHERE run_id = ?1) AND (SELECT MAX(id) FROM samples WHERE run_id = ?1)"
			      " AND +run_id = ?1 AND tokens IS NOT NULL", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, d->run_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		d->mean_tokens = sqlite3_column_double(stmt, 0);
	else
		rc = cs_store_fail(st, "reading token counts", err);
	sqlite3_finalize(stmt);
	return rc;
}

int cs_run_data_load(struct cs_store *st, const char *run, enum cs_unique u, struct cs_run_data *d,
		     struct cs_err *err)
{
	/* without the texts, the samples' (run_id, problem_id, sample_index) index covers the query and the
	 * large rows of the samples table are never read */
	static const char sql_text[] =
		"SELECT s.problem_id, p.problem_key, p.subject, COALESCE(p.level, 0), g.verdict, g.canonical, s.text,"
		" g.grader_version"
		" FROM samples s JOIN problems p ON p.id = s.problem_id LEFT JOIN grades g ON g.sample_id = s.id"
		" WHERE s.run_id = ?1 ORDER BY s.problem_id, s.sample_index";
	static const char sql_answers[] =
		"SELECT s.problem_id, p.problem_key, p.subject, COALESCE(p.level, 0), g.verdict, g.canonical, NULL,"
		" g.grader_version"
		" FROM samples s JOIN problems p ON p.id = s.problem_id LEFT JOIN grades g ON g.sample_id = s.id"
		" WHERE s.run_id = ?1 ORDER BY s.problem_id, s.sample_index";
	sqlite3_stmt *stmt = NULL;
	struct cs_strmap answers, solutions;
	sqlite3_int64 run_id = 0, current = -1;
	struct cs_strmap versions;   /* the distinct grader versions of the grades */
	long ungraded = 0;
	int own_tx = 0;
	long i = 0;
	int start = 0;
	int rc;

	memset(d, 0, sizeof *d);
	cs_strmap_init(&answers);
	cs_strmap_init(&solutions);
	cs_strmap_init(&versions);
	/* the counts and the rows are read in one transaction, so that they agree */
	if (sqlite3_get_autocommit(st->db)) {
		rc = cs_store_exec(st, "BEGIN", "starting a read", err);
		if (rc != CS_OK)
			return rc;
		own_tx = 1;
	}
	rc = load_run_row(st, run, d, &run_id, err);
	if (rc != CS_OK)
		goto done;
	d->correct = malloc((size_t)d->samples + 1);
	d->answer = malloc(((size_t)d->samples + 1) * sizeof *d->answer);
	d->solution = malloc(((size_t)d->samples + 1) * sizeof *d->solution);
	/* at most one problem per sample */
	d->problem_ids = malloc(((size_t)d->samples + 1) * sizeof *d->problem_ids);
	d->problem_keys = calloc((size_t)d->samples + 1, sizeof *d->problem_keys);
	d->subjects = calloc((size_t)d->samples + 1, sizeof *d->subjects);
	d->levels = calloc((size_t)d->samples + 1, sizeof *d->levels);
	d->tallies = calloc((size_t)d->samples + 1, sizeof *d->tallies);
	if (!d->correct || !d->answer || !d->solution || !d->problem_ids || !d->problem_keys || !d->subjects ||
	    !d->levels || !d->tallies) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = cs_store_prepare(st, u == CS_UNIQUE_ANSWER ? sql_answers : sql_text, &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_int64(stmt, 1, run_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && i < d->samples) {
		sqlite3_int64 problem = sqlite3_column_int64(stmt, 0);
		const char *verdict = (const char *)sqlite3_column_text(stmt, 4);
		const char *canonical = (const char *)sqlite3_column_text(stmt, 5);
		const char *version = (const char *)sqlite3_column_text(stmt, 7);
		const char *key;
		char *normalized = NULL;
		int64_t id;

		if (verdict == NULL) {
			/* counted and refused after the loop, with the number */
			ungraded++;
			verdict = "no-answer";
			canonical = NULL;
		} else if (!cs_strmap_get(&versions, version, &id) && cs_strmap_put(&versions, version, 0) != 0) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}

		if (problem != current) {
			int p = d->np++;
			if (p > 0)
				d->tallies[p - 1].n = (int)(i - start);
			current = problem;
			start = (int)i;
			d->problem_ids[p] = problem;
			d->problem_keys[p] = column_dup(stmt, 1);
			d->subjects[p] = sqlite3_column_type(stmt, 2) == SQLITE_NULL ? NULL : column_dup(stmt, 2);
			d->levels[p] = sqlite3_column_int(stmt, 3);
			d->tallies[p].correct = d->correct + i;
			d->tallies[p].answer = d->answer + i;
			d->tallies[p].solution = d->solution + i;
			if (d->problem_keys[p] == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			cs_strmap_free(&answers);
			cs_strmap_free(&solutions);
		}
		d->correct[i] = strcmp(verdict, "correct") == 0;
		d->answer[i] = -1;
		if (canonical != NULL && strcmp(verdict, "no-answer") != 0) {
			if (!cs_strmap_get(&answers, canonical, &id)) {
				id = (int64_t)answers.count;
				if (cs_strmap_put(&answers, canonical, id) != 0) {
					rc = cs_fail(err, CS_INTERNAL, "out of memory");
					goto done;
				}
			}
			d->answer[i] = (int)id;
		}
		if (u == CS_UNIQUE_ANSWER) {
			key = canonical ? canonical : "";
		} else {
			const char *text = (const char *)sqlite3_column_text(stmt, 6);
			key = text ? text : "";
			if (u == CS_UNIQUE_NORMALIZED) {
				normalized = cs_text_normalize(key, 1);
				if (normalized == NULL) {
					rc = cs_fail(err, CS_INTERNAL, "out of memory");
					goto done;
				}
				key = normalized;
			}
		}
		if (!cs_strmap_get(&solutions, key, &id)) {
			id = (int64_t)solutions.count;
			if (cs_strmap_put(&solutions, key, id) != 0) {
				free(normalized);
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
		}
		free(normalized);
		d->solution[i] = (int)id;
		i++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = cs_store_fail(st, "reading grades", err);
		goto done;
	}
	if (d->np > 0)
		d->tallies[d->np - 1].n = (int)(i - start);
	if (ungraded > 0) {
		rc = cs_fail(err, CS_INPUT, "run '%s' has %ld ungraded samples; run 'coseval grade --run %s' first", run,
			     ungraded, run);
		goto done;
	}
	rc = join_versions(&versions, &d->grader_versions, err);
done:
	sqlite3_finalize(stmt);
	if (own_tx)
		cs_store_rollback(st);
	cs_strmap_free(&answers);
	cs_strmap_free(&solutions);
	cs_strmap_free(&versions);
	if (rc != CS_OK)
		cs_run_data_free(d);
	return rc;
}

void cs_run_data_free(struct cs_run_data *d)
{
	for (int p = 0; p < d->np; p++) {
		free(d->problem_keys[p]);
		free(d->subjects[p]);
	}
	free(d->name);
	free(d->model);
	free(d->dataset);
	free(d->tags);
	free(d->grader_versions);
	free(d->problem_ids);
	free(d->problem_keys);
	free(d->subjects);
	free(d->levels);
	free(d->tallies);
	free(d->correct);
	free(d->answer);
	free(d->solution);
	memset(d, 0, sizeof *d);
}
