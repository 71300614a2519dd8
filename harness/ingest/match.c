/* Finding the problem of each sample or judgment record, by id or by question text, and reading its fields. */
#include "ingest/match.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_match_init(struct cs_match *m, int by_question, int skip_unknown, struct cs_import_stats *stats)
{
	memset(m, 0, sizeof *m);
	cs_strmap_init(&m->problems);
	m->by_question = by_question;
	m->skip_unknown = skip_unknown;
	m->stats = stats;
}

void cs_match_free(struct cs_match *m)
{
	for (size_t f = 0; f < CS_FIELDMAP_MAX; f++)
		cs_jvalues_free(&m->vals[f]);
	cs_strmap_free(&m->problems);
	cs_fieldmap_free(&m->map);
	cs_source_close(m->src);
	m->src = NULL;
}

int cs_match_load_problems(struct cs_match *m, struct cs_store *st, const char *dataset, struct cs_err *err)
{
	int step = SQLITE_DONE;
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, "SELECT id, problem_key, question FROM problems WHERE dataset = ?", &stmt, err);
	if (rc != CS_OK)
		goto done;
	m->dataset = dataset;
	sqlite3_bind_text(stmt, 1, dataset, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(stmt, 0);
		int fail;

		if (m->by_question) {
			const char *question = (const char *)sqlite3_column_text(stmt, 2);
			char *q = cs_text_normalize(question ? question : "", 0);
			int64_t other;
			/* two problems with the same question: a record with that question matches neither (-1) */
			if (q != NULL && cs_strmap_get(&m->problems, q, &other))
				id = -1;
			fail = q == NULL || cs_strmap_put(&m->problems, q, id) != 0;
			free(q);
		} else {
			fail = cs_strmap_put(&m->problems, (const char *)sqlite3_column_text(stmt, 1), id) != 0;
		}
		if (fail) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		if (id > m->max_problem_id)
			m->max_problem_id = id;
		m->nproblems++;
	}
	if (rc == CS_OK && step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading problems", err);
done:
	sqlite3_finalize(stmt);
	return rc;
}

int cs_match_check_column(const struct cs_match *m, size_t f, const char *path, struct cs_err *err)
{
	const struct cs_field *field = &m->map.fields[f];

	if (field->npaths > 0 && !field->paths[0].is_line && field->paths[0].nsteps > 0 &&
	    !cs_source_has_column(m->src, field->paths[0].steps[0].key))
		return cs_fail(err, CS_INPUT, "%s:1: field \"%s\": no column '%s' in the header", path, field->name,
			       field->paths[0].steps[0].key);
	return CS_OK;
}

int cs_match_eval(struct cs_match *m, size_t f, cJSON *record, int *missing, struct cs_where *w,
		  struct cs_err *err)
{
	const struct cs_field *field = &m->map.fields[f];
	struct cs_jvalues *vals = &m->vals[f];
	int rc;

	w->field = field->name;
	w->path = "";
	*missing = 1;
	if (field->npaths == 0)
		return CS_OK;
	rc = cs_field_eval(field, record, cs_source_index(m->src), vals, missing, &w->path);
	if (rc != CS_OK)
		return cs_fail(err, rc, "out of memory");
	/* an empty list ($.outputs[*].text of "outputs": []) gives nothing: the field is missing */
	if (!*missing && vals->count == 0)
		*missing = 1;
	/* a lone null is absent; a list read through a [*] path keeps its nulls unless single */
	if (!*missing && m->single != NULL && vals->count == 1 && cJSON_IsNull(vals->items[0]))
		*missing = 1;
	if (!*missing && m->single == NULL && !field->paths[0].has_all && cJSON_IsNull(vals->items[0]))
		*missing = 1;
	if (*missing && field->explicit_map)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) missing", w->file, w->line, field->name,
			       w->path);
	if (m->single != NULL && !*missing && vals->count != 1)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) has %zu values; a %s record names one",
			       w->file, w->line, field->name, w->path, vals->count, m->single);
	return CS_OK;
}

void cs_match_skip(struct cs_match *m, long line)
{
	if (m->stats->skipped++ == 0)
		m->stats->first_skipped_line = line;
}

int cs_match_problem(struct cs_match *m, cJSON *record, struct cs_where *w, sqlite3_int64 *problem_id, char *key,
		     size_t keysize, struct cs_err *err)
{
	size_t f = m->by_question ? CS_MATCH_QUESTION : CS_MATCH_PROBLEM;
	int64_t id;
	int missing;
	int rc;

	*problem_id = 0;
	rc = cs_match_eval(m, f, record, &missing, w, err);
	if (rc != CS_OK)
		return rc;
	if (missing)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) missing", w->file, w->line, w->field, w->path);
	if (m->by_question) {
		const char *q;
		size_t len;
		char *norm;

		rc = cs_value_string(m->vals[f].items[0], w, &q, &len, err);
		if (rc != CS_OK)
			return rc;
		norm = cs_text_normalize(q, 0);
		if (norm == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		snprintf(key, keysize, "%.60s%s", norm, strlen(norm) > 60 ? "..." : "");
		rc = cs_strmap_get(&m->problems, norm, &id);
		free(norm);
	} else {
		rc = cs_value_key(m->vals[f].items[0], w, key, keysize, err);
		if (rc != CS_OK)
			return rc;
		rc = cs_strmap_get(&m->problems, key, &id);
	}
	if (rc == 1 && id < 0)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s): the question '%s' is the question of several "
			       "problems in dataset '%s'; match by id instead", w->file, w->line, w->field, w->path, key,
			       m->dataset);
	if (rc == 1) {
		*problem_id = id;
		return CS_OK;
	}
	if (m->skip_unknown) {
		cs_match_skip(m, w->line);
		return CS_OK;
	}
	return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s): no problem '%s' in dataset '%s'%s%s%s (use "
		       "--skip-unknown to skip such records%s)", w->file, w->line, w->field, w->path, key, m->dataset,
		       m->run ? " of run '" : "", m->run ? m->run : "", m->run ? "'" : "",
		       m->hint_match && !m->by_question ? ", or --match question" : "");
}
