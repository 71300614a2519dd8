/* `import judgments`: reads a judge's verdicts on the reasoning of a run's samples and stores them, one row
 * per (sample, judge), in one transaction. */
#include "ingest/importer.h"
#include "ingest/values.h"
#include "util/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_PROBLEM, F_QUESTION, F_INDEX, F_JUDGE, F_VERDICT, F_COUNT };

const char *const cs_judgment_fields[] = { "problem", "question", "index", "judge", "verdict" };
const size_t cs_judgment_field_count = sizeof cs_judgment_fields / sizeof cs_judgment_fields[0];

/* The state of one judgment import. */
struct judgment_import {
	struct cs_store *st;
	const struct cs_judgment_import *opt;
	struct cs_source *src;
	struct cs_fieldmap map;
	struct cs_strmap problems;  /* problem key or normalised question -> problems.id */
	struct cs_strmap seen;      /* "sample id<TAB>judge" -> line of this file where it was judged */
	sqlite3_int64 run_id;
	char *dataset;
	sqlite3_int64 import_id;
	sqlite3_stmt *find_sample;
	sqlite3_stmt *insert;
	struct cs_jvalues vals[F_COUNT];
	struct cs_import_stats *stats;
	int judged_before;          /* the last error: a judgment already stored by an earlier import */
};

/* Fills m with the defaults and the --map options, and checks how they combine with the other options. */
static int build_map(const struct cs_judgment_import *opt, struct cs_fieldmap *m, struct cs_err *err)
{
	static const char *const defaults[F_COUNT] = { "$.problem_id|$.problem", "$.question", "$.sample_index",
						       "$.judge", "$.reasoning_correct" };
	int rc = CS_OK;

	cs_fieldmap_init(m, cs_judgment_fields, F_COUNT);
	for (size_t f = 0; rc == CS_OK && f < F_COUNT; f++)
		rc = cs_fieldmap_default(m, cs_judgment_fields[f], defaults[f], err);
	for (size_t i = 0; rc == CS_OK && i < opt->nmaps; i++)
		rc = cs_fieldmap_option(m, opt->maps[i], err);
	if (rc == CS_OK && opt->judge != NULL && m->fields[F_JUDGE].explicit_map)
		rc = cs_fail(err, CS_USAGE, "--judge NAME and --map judge=PATH exclude each other");
	if (rc == CS_OK && opt->judge != NULL && opt->judge[0] == '\0')
		rc = cs_fail(err, CS_USAGE, "--judge wants a non-empty name");
	return rc;
}

int cs_judgment_import_check(const struct cs_judgment_import *opt, struct cs_err *err)
{
	struct cs_fieldmap map;
	int rc = build_map(opt, &map, err);

	cs_fieldmap_free(&map);
	return rc;
}

/* Finds the run and loads its dataset's problems into the lookup map. */
static int load_run(struct judgment_import *im, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(im->st, "SELECT id, dataset FROM runs WHERE name = ?", &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, im->opt->run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_fail(err, CS_INPUT, "no run '%s' in the database; import its samples first ('coseval runs' "
			     "lists the runs)", im->opt->run);
		goto done;
	}
	im->run_id = sqlite3_column_int64(stmt, 0);
	im->dataset = strdup((const char *)sqlite3_column_text(stmt, 1));
	if (im->dataset == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	rc = cs_store_prepare(im->st, "SELECT id, problem_key, question FROM problems WHERE dataset = ?", &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, im->dataset, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(stmt, 0);
		int fail;

		if (im->opt->match_question) {
			const char *question = (const char *)sqlite3_column_text(stmt, 2);
			char *q = cs_normalize_question(question ? question : "");
			fail = q == NULL || cs_strmap_put(&im->problems, q, id) != 0;
			free(q);
		} else {
			fail = cs_strmap_put(&im->problems, (const char *)sqlite3_column_text(stmt, 1), id) != 0;
		}
		if (fail) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
	}
done:
	sqlite3_finalize(stmt);
	return rc;
}

/* Evaluates field f into im->vals[f]; *missing tells whether it is absent (or null). A field mapped with
 * --map must be present; a present field must yield one value. */
static int eval_field(struct judgment_import *im, size_t f, cJSON *record, int *missing, struct cs_where *w,
		      struct cs_err *err)
{
	struct cs_field *field = &im->map.fields[f];
	int rc;

	w->field = field->name;
	w->path = "";
	*missing = 1;
	if (field->npaths == 0)
		return CS_OK;
	rc = cs_field_eval(field, record, cs_source_index(im->src), &im->vals[f], missing, &w->path);
	if (rc != CS_OK)
		return cs_fail(err, rc, "out of memory");
	if (!*missing && im->vals[f].count == 1 && cJSON_IsNull(im->vals[f].items[0]))
		*missing = 1;
	if (*missing && field->explicit_map)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) missing", w->file, w->line, field->name,
			       w->path);
	if (!*missing && im->vals[f].count != 1)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) has %zu values; a judgment record names one",
			       w->file, w->line, field->name, w->path, im->vals[f].count);
	return CS_OK;
}

/* Counts a record skipped under --skip-unknown. */
static void skip_record(struct judgment_import *im, long line)
{
	if (im->stats->skipped++ == 0)
		im->stats->first_skipped_line = line;
}

/* Finds the problem of a record: *problem_id is 0 when it is unknown and skipped; key gets its id (or the
 * start of its question) for messages. */
static int find_problem(struct judgment_import *im, cJSON *record, struct cs_where *w, sqlite3_int64 *problem_id,
			char *key, size_t keysize, struct cs_err *err)
{
	size_t f = im->opt->match_question ? F_QUESTION : F_PROBLEM;
	int64_t id;
	int missing;
	int rc;

	*problem_id = 0;
	rc = eval_field(im, f, record, &missing, w, err);
	if (rc != CS_OK)
		return rc;
	if (missing)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) missing", w->file, w->line, w->field, w->path);
	if (im->opt->match_question) {
		const char *q;
		size_t len;
		char *norm;

		rc = cs_value_string(im->vals[f].items[0], w, &q, &len, err);
		if (rc != CS_OK)
			return rc;
		norm = cs_normalize_question(q);
		if (norm == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		snprintf(key, keysize, "%.60s%s", norm, strlen(norm) > 60 ? "..." : "");
		rc = cs_strmap_get(&im->problems, norm, &id);
		free(norm);
	} else {
		rc = cs_value_key(im->vals[f].items[0], w, key, keysize, err);
		if (rc != CS_OK)
			return rc;
		rc = cs_strmap_get(&im->problems, key, &id);
	}
	if (rc == 1) {
		*problem_id = id;
		return CS_OK;
	}
	if (im->opt->skip_unknown) {
		skip_record(im, w->line);
		return CS_OK;
	}
	return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s): no problem '%s' in dataset '%s' of run '%s' (use "
		       "--skip-unknown to skip such records)", w->file, w->line, w->field, w->path, key, im->dataset,
		       im->opt->run);
}

/* Reads one record and stores its judgment. */
static int import_record(struct judgment_import *im, cJSON *record, struct cs_err *err)
{
	struct cs_where w = { im->opt->path, cs_source_line(im->src), "", "" };
	const char *judge, *judge_path;
	sqlite3_int64 problem_id, sample_id;
	long long index = 0;
	char key[256], seen_key[320];
	int64_t first_line;
	size_t judge_len = 0;
	int missing, verdict;
	int rc;

	rc = find_problem(im, record, &w, &problem_id, key, sizeof key, err);
	if (rc != CS_OK || problem_id == 0)
		return rc;

	rc = eval_field(im, F_INDEX, record, &missing, &w, err);
	if (rc != CS_OK)
		return rc;
	if (!missing) {
		rc = cs_value_int(im->vals[F_INDEX].items[0], &w, &index, err);
		if (rc != CS_OK)
			return rc;
		if (index < 0 || index > 10000000)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"index\" (%s) must be between 0 and 10000000",
				       w.file, w.line, w.path);
	}
	sqlite3_reset(im->find_sample);
	sqlite3_bind_int64(im->find_sample, 1, im->run_id);
	sqlite3_bind_int64(im->find_sample, 2, problem_id);
	sqlite3_bind_int64(im->find_sample, 3, index);
	rc = sqlite3_step(im->find_sample);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_store_fail(im->st, "finding a sample", err);
	if (rc == SQLITE_DONE) {
		if (im->opt->skip_unknown) {
			skip_record(im, w.line);
			return CS_OK;
		}
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"index\" (%s%s): run '%s' has no sample %lld of problem "
			       "'%s' (use --skip-unknown to skip such records)", w.file, w.line, w.path,
			       missing ? " absent, so 0" : "", im->opt->run, index, key);
	}
	sample_id = sqlite3_column_int64(im->find_sample, 0);

	if (im->opt->judge != NULL) {
		judge = im->opt->judge;
		judge_len = strlen(judge);
		judge_path = "--judge";
	} else {
		rc = eval_field(im, F_JUDGE, record, &missing, &w, err);
		if (rc != CS_OK)
			return rc;
		if (missing)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"judge\" (%s) missing (name the judge with --judge "
				       "NAME)", w.file, w.line, w.path);
		rc = cs_value_string(im->vals[F_JUDGE].items[0], &w, &judge, &judge_len, err);
		if (rc != CS_OK)
			return rc;
		if (judge_len == 0 || judge_len > 200 || memchr(judge, '\0', judge_len) != NULL)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"judge\" (%s) must be a name of 1 to 200 bytes",
				       w.file, w.line, w.path);
		judge_path = w.path;
	}

	rc = eval_field(im, F_VERDICT, record, &missing, &w, err);
	if (rc != CS_OK)
		return rc;
	if (missing)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"verdict\" (%s) missing", w.file, w.line, w.path);
	rc = cs_value_bool(im->vals[F_VERDICT].items[0], &w, &verdict, err);
	if (rc != CS_OK)
		return rc;

	snprintf(seen_key, sizeof seen_key, "%lld\t%.*s", (long long)sample_id, (int)judge_len, judge);
	if (cs_strmap_get(&im->seen, seen_key, &first_line) == 1)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"judge\" (%s): judge '%.*s' already judged sample %lld of "
			       "problem '%s' on line %lld of this file", w.file, w.line, judge_path, (int)judge_len,
			       judge, index, key, (long long)first_line);
	if (cs_strmap_put(&im->seen, seen_key, w.line) != 0)
		return cs_fail(err, CS_INTERNAL, "out of memory");

	sqlite3_reset(im->insert);
	sqlite3_bind_int64(im->insert, 1, sample_id);
	sqlite3_bind_text(im->insert, 2, judge, (int)judge_len, SQLITE_STATIC);
	sqlite3_bind_int(im->insert, 3, verdict);
	sqlite3_bind_int64(im->insert, 4, im->import_id);
	if (sqlite3_step(im->insert) != SQLITE_DONE) {
		im->judged_before = sqlite3_extended_errcode(im->st->db) == SQLITE_CONSTRAINT_UNIQUE;
		if (im->judged_before)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"judge\" (%s): judge '%.*s' already judged sample "
				       "%lld of problem '%s' in run '%s' (an earlier import)", w.file, w.line, judge_path,
				       (int)judge_len, judge, index, key, im->opt->run);
		return cs_store_fail(im->st, "adding a judgment", err);
	}
	im->stats->samples++;
	return CS_OK;
}

/* After a judgment that an earlier import stored: reads the rest of the file and, when the whole file was
 * already imported into this run, replaces the error by that refusal, which says more. */
static void explain_reimport(struct judgment_import *im, struct cs_err *err)
{
	struct cs_err ignored;
	cJSON *record = NULL;

	for (;;) {
		if (cs_source_next(im->src, &record, &ignored) != CS_OK)
			return;
		if (record == NULL)
			break;
		cJSON_Delete(record);
	}
	memcpy(im->stats->sha256, cs_source_sha256(im->src), sizeof im->stats->sha256);
	cs_import_finish(im->st, im->import_id, "judgments", "run_id = ?", im->run_id, NULL, im->opt->path, im->stats,
			 err);
}

int cs_import_judgments(struct cs_store *st, const struct cs_judgment_import *opt, struct cs_import_stats *stats,
			struct cs_err *err)
{
	struct judgment_import im;
	cJSON *record = NULL;
	int in_tx = 0;
	int rc;

	memset(&im, 0, sizeof im);
	memset(stats, 0, sizeof *stats);
	im.st = st;
	im.opt = opt;
	im.stats = stats;
	cs_strmap_init(&im.problems);
	cs_strmap_init(&im.seen);
	rc = build_map(opt, &im.map, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_source_open(opt->path, CS_FORMAT_AUTO, opt->max_line, &im.src, err);
	if (rc != CS_OK)
		goto done;
	for (size_t f = 0; f < F_COUNT; f++) {
		struct cs_field *field = &im.map.fields[f];
		int needed = field->explicit_map || f == (opt->match_question ? F_QUESTION : F_PROBLEM) ||
			     f == F_VERDICT || (f == F_JUDGE && opt->judge == NULL);
		if (needed && field->npaths > 0 && !field->paths[0].is_line && field->paths[0].nsteps > 0 &&
		    !cs_source_has_column(im.src, field->paths[0].steps[0].key)) {
			rc = cs_fail(err, CS_INPUT, "%s:1: field \"%s\": no column '%s' in the header", opt->path,
				     field->name, field->paths[0].steps[0].key);
			goto done;
		}
	}
	rc = cs_store_begin(st, err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	rc = load_run(&im, err);
	if (rc == CS_OK)
		rc = cs_import_begin(st, "judgments", im.dataset, im.run_id, opt->path, &im.import_id, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "SELECT id FROM samples WHERE run_id = ? AND problem_id = ? AND sample_index = ?",
				      &im.find_sample, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "INSERT INTO judgments (sample_id, judge, reasoning_correct, import_id) "
				      "VALUES (?, ?, ?, ?)", &im.insert, err);
	if (rc != CS_OK)
		goto done;
	for (;;) {
		rc = cs_source_next(im.src, &record, err);
		if (rc != CS_OK || record == NULL)
			break;
		stats->records++;
		rc = import_record(&im, record, err);
		cJSON_Delete(record);
		record = NULL;
		if (rc != CS_OK)
			break;
	}
	if (rc == CS_INPUT && im.judged_before)
		explain_reimport(&im, err);
	if (rc != CS_OK)
		goto done;
	if (stats->samples == 0) {
		rc = cs_fail(err, CS_INPUT, "%s: no judgments imported (%ld records read, %ld skipped)", opt->path,
			     stats->records, stats->skipped);
		goto done;
	}
	stats->bytes = cs_source_bytes(im.src);
	memcpy(stats->sha256, cs_source_sha256(im.src), sizeof stats->sha256);
	rc = cs_import_finish(st, im.import_id, "judgments", "run_id = ?", im.run_id, NULL, opt->path, stats, err);
	if (rc == CS_OK)
		rc = cs_store_commit(st, err);
	if (rc == CS_OK)
		in_tx = 0;
done:
	if (in_tx)
		cs_store_rollback(st);
	cJSON_Delete(record);
	sqlite3_finalize(im.find_sample);
	sqlite3_finalize(im.insert);
	for (size_t f = 0; f < F_COUNT; f++)
		cs_jvalues_free(&im.vals[f]);
	free(im.dataset);
	cs_strmap_free(&im.problems);
	cs_strmap_free(&im.seen);
	cs_fieldmap_free(&im.map);
	cs_source_close(im.src);
	return rc;
}
