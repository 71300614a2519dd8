/* `import judgments`: reads a judge's verdicts on the reasoning of a run's samples and stores them, one row
 * per (sample, judge), in one transaction. */
#include "ingest/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_PROBLEM = CS_MATCH_PROBLEM, F_QUESTION = CS_MATCH_QUESTION, F_INDEX, F_JUDGE, F_VERDICT, F_COUNT };

const char *const cs_judgment_fields[] = { "problem", "question", "index", "judge", "verdict" };
const size_t cs_judgment_field_count = sizeof cs_judgment_fields / sizeof cs_judgment_fields[0];

/* The state of one judgment import. */
struct judgment_import {
	struct cs_match m;          /* the file, its field map and the run's problems */
	struct cs_store *st;
	const struct cs_judgment_import *opt;
	struct cs_strmap seen;      /* "sample id<TAB>judge" -> line of this file where it was judged */
	sqlite3_int64 run_id;
	char *dataset;
	sqlite3_int64 import_id;
	sqlite3_stmt *find_sample;
	sqlite3_stmt *insert;
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
	if (rc == CS_OK && opt->judge != NULL)
		rc = cs_check_name("--judge", opt->judge, 0, 0, err);
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
		rc = cs_store_no_run(im->st, im->opt->run, "import its samples first; 'coseval runs' lists the runs", err);
		goto done;
	}
	im->run_id = sqlite3_column_int64(stmt, 0);
	im->dataset = strdup((const char *)sqlite3_column_text(stmt, 1));
	if (im->dataset == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = cs_match_load_problems(&im->m, im->st, im->dataset, err);
done:
	sqlite3_finalize(stmt);
	return rc;
}

/* Reads one record and stores its judgment (a cs_import_record_fn over struct judgment_import). */
static int import_record(void *ctx, cJSON *record, struct cs_err *err)
{
	struct judgment_import *im = ctx;
	struct cs_where w = { im->opt->path, cs_source_line(im->m.src), "", "" };
	const char *judge, *judge_path;
	sqlite3_int64 problem_id, sample_id;
	long long index = 0;
	char key[256], seen_key[320];
	int64_t first_line;
	size_t judge_len = 0;
	int missing, verdict;
	int rc;

	rc = cs_match_problem(&im->m, record, &w, &problem_id, key, sizeof key, err);
	if (rc != CS_OK || problem_id == 0)
		return rc;

	rc = cs_match_eval(&im->m, F_INDEX, record, &missing, &w, err);
	if (rc != CS_OK)
		return rc;
	if (!missing) {
		rc = cs_value_int(im->m.vals[F_INDEX].items[0], &w, &index, err);
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
			cs_match_skip(&im->m, w.line);
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
		rc = cs_match_eval(&im->m, F_JUDGE, record, &missing, &w, err);
		if (rc != CS_OK)
			return rc;
		if (missing)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"judge\" (%s) missing (name the judge with --judge "
				       "NAME)", w.file, w.line, w.path);
		rc = cs_value_string(im->m.vals[F_JUDGE].items[0], &w, &judge, &judge_len, err);
		if (rc != CS_OK)
			return rc;
		if (judge_len == 0 || judge_len > 200 || memchr(judge, '\0', judge_len) != NULL)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"judge\" (%s) must be a name of 1 to 200 bytes",
				       w.file, w.line, w.path);
		for (size_t k = 0; k < judge_len; k++)
			if ((unsigned char)judge[k] < 0x20 || judge[k] == 0x7f)
				return cs_fail(err, CS_INPUT, "%s:%ld: field \"judge\" (%s) holds a control character "
					       "(a newline, tab or CR): a judge name is one line", w.file, w.line, w.path);
		judge_path = w.path;
	}

	rc = cs_match_eval(&im->m, F_VERDICT, record, &missing, &w, err);
	if (rc != CS_OK)
		return rc;
	if (missing)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"verdict\" (%s) missing", w.file, w.line, w.path);
	rc = cs_value_bool(im->m.vals[F_VERDICT].items[0], &w, &verdict, err);
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
		if (cs_source_next(im->m.src, &record, &ignored) != CS_OK)
			return;
		if (record == NULL)
			break;
		cs_source_release(im->m.src, record);
	}
	memcpy(im->stats->sha256, cs_source_sha256(im->m.src), sizeof im->stats->sha256);
	cs_import_finish(im->st, im->import_id, "judgments", "run_id = ?", im->run_id, NULL, im->opt->path, im->stats,
			 err);
}

int cs_import_judgments(struct cs_store *st, const struct cs_judgment_import *opt, struct cs_import_stats *stats,
			struct cs_err *err)
{
	struct judgment_import im;
	int in_tx = 0;
	int rc;

	memset(&im, 0, sizeof im);
	memset(stats, 0, sizeof *stats);
	im.st = st;
	im.opt = opt;
	im.stats = stats;
	cs_match_init(&im.m, opt->match_question, opt->skip_unknown, stats);
	im.m.single = "judgment";
	im.m.run = opt->run;
	cs_strmap_init(&im.seen);
	rc = build_map(opt, &im.m.map, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_source_open(opt->path, CS_FORMAT_AUTO, opt->max_line, &im.m.src, err);
	if (rc == CS_OK)
		rc = cs_fieldmap_check_header(&im.m.map, im.m.src, opt->path, err);
	for (size_t f = 0; rc == CS_OK && f < F_COUNT; f++) {
		int needed = im.m.map.fields[f].explicit_map || f == (opt->match_question ? F_QUESTION : F_PROBLEM) ||
			     f == F_VERDICT || (f == F_JUDGE && opt->judge == NULL);
		if (needed)
			rc = cs_match_check_column(&im.m, f, opt->path, err);
	}
	if (rc != CS_OK)
		goto done;
	rc = cs_store_begin(st, err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	rc = load_run(&im, err);
	if (rc == CS_OK)
		rc = cs_import_refuse_seen(st, "judgments", "run_id = ?", im.run_id, NULL, opt->path, err);
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
	rc = cs_import_each(im.m.src, stats, import_record, &im, err);
	if (rc == CS_INPUT && im.judged_before)
		explain_reimport(&im, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_import_commit(st, im.m.src, im.import_id, "judgments", "run_id = ?", im.run_id, NULL, opt->path, 1,
			      stats, err);
	if (rc == CS_OK)
		in_tx = 0;
done:
	if (in_tx)
		cs_store_rollback(st);
	sqlite3_finalize(im.find_sample);
	sqlite3_finalize(im.insert);
	free(im.dataset);
	cs_strmap_free(&im.seen);
	cs_match_free(&im.m);
	return rc;
}
