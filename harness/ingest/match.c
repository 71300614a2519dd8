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
	if (m->questions != NULL)
		for (sqlite3_int64 id = 0; id <= m->max_problem_id; id++)
			free(m->questions[id]);
	free(m->questions);
	m->questions = NULL;
	cs_fieldmap_free(&m->map);
	cs_source_close(m->src);
	m->src = NULL;
}

/* Fills m->questions with the normalised question of each problem of m->dataset (after its ids are known). */
static int load_questions(struct cs_match *m, struct cs_store *st, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int step = SQLITE_DONE;
	int rc;

	m->questions = calloc((size_t)m->max_problem_id + 1, sizeof *m->questions);
	if (m->questions == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	rc = cs_store_prepare(st, "SELECT id, question FROM problems WHERE dataset = ? AND question IS NOT NULL", &stmt,
			      err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, m->dataset, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(stmt, 0);
		char *q = cs_text_normalize((const char *)sqlite3_column_text(stmt, 1), 0);

		if (q == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		if (q[0] == '\0' || id < 0 || id > m->max_problem_id) {
			free(q);
			continue;
		}
		m->questions[id] = q;
	}
	if (step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading problems", err);
done:
	sqlite3_finalize(stmt);
	return rc;
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
	if (rc == CS_OK && m->load_questions)
		rc = load_questions(m, st, err);
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
	rc = cs_field_check_duplicate(vals, w, err);
	if (rc != CS_OK)
		return rc;
	if (vals->unmatched != NULL && cJSON_IsString(vals->unmatched))
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s): the pattern does not match '%.200s'", w->file,
			       w->line, field->name, w->path, vals->unmatched->valuestring);
	if (vals->unmatched != NULL)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) must be a string or an integer, got %s",
			       w->file, w->line, field->name, w->path, cs_value_type(vals->unmatched));
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

/* The last bytes of s, about max of them (a prompt ends with its question), starting at a UTF-8 character. */
static const char *tail(const char *s, size_t max)
{
	size_t len = strlen(s);
	const char *t = len > max ? s + len - max : s;

	while (((unsigned char)*t & 0xC0) == 0x80)
		t++;
	return t;
}

/* Joins the strings of vals by a newline into a new string (NULL when out of memory); *text_values counts
 * the values that are strings (the others are left out). */
static char *join_strings(const struct cs_jvalues *vals, size_t *text_values)
{
	size_t len = 0, at = 0;
	char *out;

	*text_values = 0;
	for (size_t k = 0; k < vals->count; k++)
		if (cJSON_IsString(vals->items[k]))
			len += strlen(vals->items[k]->valuestring) + 1;
	out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	for (size_t k = 0; k < vals->count; k++) {
		size_t n;
		if (!cJSON_IsString(vals->items[k]))
			continue;
		n = strlen(vals->items[k]->valuestring);
		if (at > 0)
			out[at++] = '\n';
		memcpy(out + at, vals->items[k]->valuestring, n);
		at += n;
		(*text_values)++;
	}
	out[at] = '\0';
	return out;
}

int cs_match_check_question(struct cs_match *m, cJSON *record, sqlite3_int64 problem_id, const char *key,
			    struct cs_where *w, int *checked, struct cs_err *err)
{
	const struct cs_field *field = &m->map.fields[CS_MATCH_QUESTION];
	const char *expected = m->questions != NULL && problem_id <= m->max_problem_id ? m->questions[problem_id] : NULL;
	char *joined = NULL, *given = NULL;
	size_t text_values = 0;
	int missing, rc;

	*checked = 0;
	if (expected == NULL || field->npaths == 0)
		return CS_OK;
	rc = cs_match_eval(m, CS_MATCH_QUESTION, record, &missing, w, err);
	if (rc != CS_OK || missing)
		return rc;
	joined = join_strings(&m->vals[CS_MATCH_QUESTION], &text_values);
	if (joined == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (size_t k = 0; field->explicit_map && k < m->vals[CS_MATCH_QUESTION].count; k++) {
		cJSON *v = m->vals[CS_MATCH_QUESTION].items[k];
		if (!cJSON_IsString(v) && !cJSON_IsNull(v)) {
			rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"question\" (%s) must be a string, got %s", w->file,
				     w->line, w->path, cs_value_type(v));
			goto done;
		}
	}
	if (text_values == 0)
		goto done;
	given = cs_text_normalize(joined, 0);
	if (given == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	*checked = 1;
	if (strcmp(given, expected) != 0 && strstr(given, expected) == NULL)
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"question\" (%s) does not hold the question of problem '%s', "
			     "to which field \"problem\" matched it: the problem says '%.300s%s', the record says "
			     "'%s%s' (check that the ids name the problems of dataset '%s'; --match question "
			     "matches by text; --no-question-check skips this check)", w->file, w->line, w->path, key,
			     expected, strlen(expected) > 300 ? "..." : "", strlen(given) > 300 ? "..." : "",
			     tail(given, 300), m->dataset);
done:
	free(joined);
	free(given);
	return rc;
}

void cs_match_skip(struct cs_match *m, long line)
{
	if (m->stats->skipped++ == 0)
		m->stats->first_skipped_line = line;
}

/* 1 when key holds digits and other characters (task_17, gsm8k-test-17): an id with a prefix or suffix. */
static int id_inside(const char *key)
{
	return strpbrk(key, "0123456789") != NULL && key[strspn(key, "0123456789")] != '\0';
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
		       "--skip-unknown to skip such records%s%s)", w->file, w->line, w->field, w->path, key, m->dataset,
		       m->run ? " of run '" : "", m->run ? m->run : "", m->run ? "'" : "",
		       m->hint_match && !m->by_question ? ", or --match question" : "",
		       !m->by_question && id_inside(key) ? "; when the id is part of it, take it out with a pattern: "
		       "--map 'problem=re(PATH, \"(?<id>[0-9]+)$\")'" : "");
}
