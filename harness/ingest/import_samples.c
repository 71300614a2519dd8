/* `import samples`: reads a dump (one sample per line or one problem per line with a list of samples)
 * through a preset or field map, matches each record to a problem, and stores the run's samples in one
 * transaction. */
#include "ingest/match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cs_sample_fields[] = { "problem", "question", "text", "tokens", "index", "label", "finish",
					"filter" };
const size_t cs_sample_field_count = sizeof cs_sample_fields / sizeof cs_sample_fields[0];

const char *const cs_sample_presets[] = { "jsonl", "csv", "lm-eval", "openai-batch", "vllm", "inspect", "chat",
					  "monkeys", NULL };

void cs_sample_preset_input(const char *preset, enum cs_format *format, const char **records)
{
	*format = CS_FORMAT_AUTO;
	*records = NULL;
	if (strcmp(preset, "csv") == 0)
		*format = CS_FORMAT_CSV;
	else if (strcmp(preset, "monkeys") == 0)
		*format = CS_FORMAT_YAML;
	else if (strcmp(preset, "inspect") == 0)
		*records = "$.samples[*]";
}

int cs_sample_preset_defaults(const char *preset, struct cs_fieldmap *m, struct cs_err *err)
{
	/* field paths per preset: problem, question, text, tokens, index, label, finish, filter */
	static const struct {
		const char *name;
		const char *paths[8];
	} presets[] = {
		{ "jsonl", { "$.problem_id|$.problem|$.id|$.idx", "$.question|$.problem", "$.text|$.response|$.output",
			     "$.tokens|$.num_tokens|$.completion_tokens", "$.sample_index", "$.is_correct|$.correct",
			     "$.finish_reason|$.stop_reason" } },
		{ "csv", { "problem_id", "question", "text", "tokens", "sample_index", "is_correct", "finish_reason" } },
		{ "lm-eval", { "$.doc_id", "$.doc.question|$.doc.problem", "$.resps[0][*]", NULL, NULL, NULL, NULL,
			       "$.filter" } },
		{ "openai-batch", { "$.custom_id", NULL, "$.response.body.choices[*].message.content",
				    "$.response.body.usage.completion_tokens", NULL, NULL,
				    "$.response.body.choices[*].finish_reason" } },
		{ "vllm", { "$.request_id|$.id|$.problem_id", "$.prompt", "$.outputs[*].text",
			    "len($.outputs[*].token_ids)", NULL, NULL, "$.outputs[*].finish_reason" } },
		{ "inspect", { "$.id", "$.input", "$.output.choices[0].message.content", "$.output.usage.output_tokens",
			       NULL, NULL, "$.output.choices[0].stop_reason" } },
		{ "chat", { "$.problem_id|$.problem|$.id|$.idx", "$.messages[?role=user][-1].content",
			    "$.messages[?role=assistant][-1].content", "$.tokens|$.usage.completion_tokens", NULL, NULL,
			    "$.finish_reason" } },
		{ "monkeys", { "$[\"@file\"]", "$.question", "$.samples[*]", NULL, NULL, NULL, NULL } },
	};
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
		if (strcmp(presets[i].name, preset) != 0)
			continue;
		for (size_t f = 0; f < cs_sample_field_count; f++) {
			int rc;
			if (presets[i].paths[f] == NULL)
				continue;
			rc = cs_fieldmap_default(m, cs_sample_fields[f], presets[i].paths[f], err);
			if (rc != CS_OK)
				return rc;
		}
		return CS_OK;
	}
	return cs_fail(err, CS_USAGE, "unknown preset '%s' (jsonl, csv, lm-eval, openai-batch, vllm, inspect, chat, "
		       "monkeys)", preset);
}

/* The state of one sample import. */
struct sample_import {
	struct cs_match m;             /* the file, its field map (fields as cs_sample_fields) and the problems */
	struct cs_store *st;
	const struct cs_sample_import *opt;
	int *next_index;               /* per problems.id: the next free sample index in this run, -1 unknown */
	int *run_next;                 /* per problems.id: the next free index before this import (bulk loads of
					* an existing run only; NULL: ask the samples' key) */
	sqlite3_int64 run_id;
	sqlite3_int64 import_id;
	int run_is_new;
	sqlite3_stmt *insert;
	sqlite3_stmt *max_index;
	struct cs_import_stats *stats;
	int check_questions;           /* compare each record's question with its problem's */
	struct filter_count *filters;  /* the distinct values of field "filter", in file order; owned */
	size_t nfilters;
	const char *keep;              /* the filter kept: opt->filter, else the first in the file (borrowed) */
	long first_unfiltered_line;    /* the first record without a filter field, 0 when none */
	struct cs_strmap per_filter;   /* "filter number<LF>problem key" -> the line that logged it (records that
					* name a filter only); owned */
	sqlite3_int64 last_before;     /* the last sample id before this import: at least the rows there were */
	int bulk;                      /* the samples' key is set aside (see key_for_row) */
	long since_key;                /* rows added since the key was last whole, or since the import began */
};

/* A filter named by the records (lm-eval logs each document once per filter) and its number of records. */
struct filter_count {
	char *name;     /* owned */
	long records;
	long first_line;
};

/* Field indexes past those of struct cs_match: the sample fields as listed in cs_sample_fields. */
enum { F_TEXT = 2, F_FILTER = 7 };

static int find_or_create_run(struct sample_import *im, struct cs_err *err)
{
	const struct cs_sample_import *opt = im->opt;
	struct cs_store *st = im->st;
	sqlite3_stmt *stmt = NULL;
	char now[32];
	int rc;

	rc = cs_store_prepare(st, "SELECT id, model, dataset, params, price_out FROM runs WHERE name = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, opt->run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *model = (const char *)sqlite3_column_text(stmt, 1);
		const char *dataset = (const char *)sqlite3_column_text(stmt, 2);
		double params = sqlite3_column_double(stmt, 3);
		double price = sqlite3_column_double(stmt, 4);

		im->run_id = sqlite3_column_int64(stmt, 0);
		if (strcmp(model, opt->model) != 0)
			rc = cs_fail(err, CS_INPUT, "run '%s' already exists with model '%s', not '%s'; choose another "
				     "--run name", opt->run, model, opt->model);
		else if (strcmp(dataset, opt->dataset) != 0)
			rc = cs_fail(err, CS_INPUT, "run '%s' already exists on dataset '%s', not '%s'", opt->run,
				     dataset, opt->dataset);
		else if (opt->params > 0 && params > 0 && params != opt->params)
			rc = cs_fail(err, CS_INPUT, "run '%s' already has --params %g, not %g", opt->run, params,
				     opt->params);
		else if (opt->price_out > 0 && price > 0 && price != opt->price_out)
			rc = cs_fail(err, CS_INPUT, "run '%s' already has --price-out %g, not %g", opt->run, price,
				     opt->price_out);
		sqlite3_finalize(stmt);
		if (rc != CS_OK)
			return rc;
		rc = cs_store_prepare(st, "UPDATE runs SET params = COALESCE(params, ?), price_out = "
				      "COALESCE(price_out, ?) WHERE id = ?", &stmt, err);
		if (rc != CS_OK)
			return rc;
	} else {
		sqlite3_finalize(stmt);
		im->run_is_new = 1;
		/* runs.dataset refers to datasets(name): the check SQLite makes with foreign keys on (see fk_off) */
		rc = cs_store_prepare(st, "SELECT 1 FROM datasets WHERE name = ?", &stmt, err);
		if (rc != CS_OK)
			return rc;
		sqlite3_bind_text(stmt, 1, opt->dataset, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_ROW)
			rc = cs_fail(err, CS_DB, "%s: saving the run: FOREIGN KEY constraint failed", st->path);
		sqlite3_finalize(stmt);
		if (rc != CS_OK)
			return rc;
		rc = cs_store_prepare(st, "INSERT INTO runs (params, price_out, name, model, dataset, created_at) "
				      "VALUES (?, ?, ?, ?, ?, ?)", &stmt, err);
		if (rc != CS_OK)
			return rc;
		cs_now_utc(now);
		sqlite3_bind_text(stmt, 3, opt->run, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, opt->model, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, opt->dataset, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, now, -1, SQLITE_TRANSIENT);
	}
	if (opt->params > 0)
		sqlite3_bind_double(stmt, 1, opt->params);
	if (opt->price_out > 0)
		sqlite3_bind_double(stmt, 2, opt->price_out);
	if (!im->run_is_new)
		sqlite3_bind_int64(stmt, 3, im->run_id);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(st, "saving the run", err);
	if (im->run_is_new)
		im->run_id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(stmt);
	if (rc != CS_OK)
		return rc;

	rc = cs_store_prepare(st, "INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)", &stmt,
			      err);
	for (size_t i = 0; rc == CS_OK && i < opt->ntags; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, im->run_id);
		sqlite3_bind_text(stmt, 2, opt->tags[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, opt->tags[i].value, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = cs_store_fail(st, "saving a tag", err);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Loads the dataset's problems into the lookup map, keyed by id or by normalised question, and makes room
 * for their next free sample indexes. */
static int load_problems(struct sample_import *im, struct cs_err *err)
{
	int rc = cs_match_load_problems(&im->m, im->st, im->opt->dataset, err);

	if (rc != CS_OK)
		return rc;
	if (im->m.nproblems == 0)
		return cs_fail(err, CS_INPUT, "dataset '%s' has no problems; import them first with 'coseval import "
			       "problems FILE --dataset %s'", im->opt->dataset, im->opt->dataset);
	im->next_index = malloc((size_t)(im->m.max_problem_id + 1) * sizeof *im->next_index);
	if (im->next_index == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (sqlite3_int64 i = 0; i <= im->m.max_problem_id; i++)
		im->next_index[i] = -1;
	return CS_OK;
}

/* The next free sample index of a problem in this run. */
static int next_index(struct sample_import *im, sqlite3_int64 problem_id, int *index, struct cs_err *err)
{
	if (im->next_index[problem_id] < 0) {
		int next = 0;
		if (im->run_next != NULL) {
			next = im->run_next[problem_id];
		} else if (!im->run_is_new) {
			sqlite3_reset(im->max_index);
			sqlite3_bind_int64(im->max_index, 1, im->run_id);
			sqlite3_bind_int64(im->max_index, 2, problem_id);
			if (sqlite3_step(im->max_index) != SQLITE_ROW)
				return cs_store_fail(im->st, "reading sample indexes", err);
			next = sqlite3_column_int(im->max_index, 0);
			/* done with it: a pending read would stop the import from dropping the key (key_for_row) */
			sqlite3_reset(im->max_index);
		}
		im->next_index[problem_id] = next;
		im->stats->problems++;
	}
	*index = im->next_index[problem_id];
	return CS_OK;
}

/* The samples' key during an import. Each row's key (run, problem, sample index) goes into the index
 * samples_key, which SQLite checks; but a large dump lists its samples in random problem order, so each key
 * lands in a random place of the index, and once the index outgrows the page cache every row costs a page
 * read and a page write: the cost per sample grew about fourfold from 1 to 16 million. So once an import has
 * added BULK_ROWS rows and at least a quarter as many as the table held before it, it drops the index and
 * appends rows without it, and builds the index again (one sort of all keys) before its commit. Meanwhile
 * each row must be new by construction: its index is at least the problem's next free one, which is above
 * every index the run has for that problem, in the database or earlier in the file (an implicit index always
 * is). A row that is not (an explicit index below that) brings the index back first, and is then inserted
 * and checked by SQLite as in an import that never dropped it, so duplicates fail with the same message at
 * the same line; the import may drop the index again once it has added as many rows again. Each build sorts
 * the whole table, and the rows added before each (at least a quarter of it) pay for it, so the cost per
 * sample stays flat; an import into a large database that adds fewer rows than that keeps the index
 * throughout, as before. */
#define BULK_ROWS 65536

/* Reads into run_next each problem's next free sample index in the run, before the import drops the key that
 * answers that question one problem at a time (an existing run only). */
static int load_run_next(struct sample_import *im, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int code, rc;

	im->run_next = calloc((size_t)(im->m.max_problem_id + 1), sizeof *im->run_next);
	if (im->run_next == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	rc = cs_store_prepare(im->st, "SELECT problem_id, MAX(sample_index) + 1 FROM samples WHERE run_id = ? "
			      "GROUP BY problem_id", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, im->run_id);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 problem_id = sqlite3_column_int64(stmt, 0);
		if (problem_id >= 0 && problem_id <= im->m.max_problem_id)
			im->run_next[problem_id] = sqlite3_column_int(stmt, 1);
	}
	if (code != SQLITE_DONE)
		rc = cs_store_fail(im->st, "reading sample indexes", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* Before a row is inserted: fresh says whether its index is above every index its problem has in the run.
 * Drops the samples' key when the import has added enough rows, and builds it again before a row that is not
 * fresh (see BULK_ROWS). */
static int key_for_row(struct sample_import *im, int fresh, struct cs_err *err)
{
	int rc = CS_OK;

	if (im->bulk && !fresh) {
		rc = cs_store_build_samples_key(im->st, err);
		im->bulk = 0;
		im->since_key = 0;
	} else if (!im->bulk && fresh && im->since_key >= BULK_ROWS &&
		   im->since_key * 4 >= im->last_before + im->stats->samples) {
		if (!im->run_is_new && im->run_next == NULL)
			rc = load_run_next(im, err);
		if (rc == CS_OK)
			rc = cs_store_drop_samples_key(im->st, err);
		im->bulk = rc == CS_OK;
	}
	im->since_key++;
	return rc;
}

/* After the last row: builds the samples' key again if the import dropped it. */
static int key_restore(struct sample_import *im, struct cs_err *err)
{
	if (!im->bulk)
		return CS_OK;
	im->bulk = 0;
	return cs_store_build_samples_key(im->st, err);
}

/* Reads the filter field of a record and sets *keep to whether the record belongs to the filter kept (the
 * first one seen unless --filter names it); counts each filter's records. Records without the field are kept
 * when no record has one; a file that mixes both is refused at the first record that differs. */
static int read_filter(struct sample_import *im, cJSON *record, struct cs_where *w, int *keep, long *number,
		       struct cs_err *err)
{
	struct filter_count *f = NULL;
	const char *name;
	size_t len;
	int missing, rc;

	*keep = 1;
	*number = -1;
	if (im->m.map.fields[F_FILTER].npaths == 0)
		return CS_OK;
	rc = cs_match_eval(&im->m, F_FILTER, record, &missing, w, err);
	if (rc != CS_OK)
		return rc;
	if (missing) {
		if (im->nfilters > 0)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"filter\" (%s) missing, but line %ld names filter '%s'; "
				       "a file whose records name their filter must name it in every record", w->file,
				       w->line, w->path, im->filters[0].first_line, im->filters[0].name);
		if (im->first_unfiltered_line == 0)
			im->first_unfiltered_line = w->line;
		return CS_OK;
	}
	if (im->m.vals[F_FILTER].count != 1)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"filter\" (%s) has %zu values; a record names one filter",
			       w->file, w->line, w->path, im->m.vals[F_FILTER].count);
	rc = cs_value_string(im->m.vals[F_FILTER].items[0], w, &name, &len, err);
	if (rc != CS_OK)
		return rc;
	if (im->first_unfiltered_line > 0)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"filter\" (%s) names filter '%s', but line %ld names none; "
			       "a file whose records name their filter must name it in every record", w->file, w->line,
			       w->path, name, im->first_unfiltered_line);
	for (size_t i = 0; i < im->nfilters && f == NULL; i++)
		if (strcmp(im->filters[i].name, name) == 0)
			f = &im->filters[i];
	if (f == NULL) {
		struct filter_count *grown = realloc(im->filters, (im->nfilters + 1) * sizeof *grown);
		if (grown == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		im->filters = grown;
		f = &grown[im->nfilters];
		f->name = strdup(name);
		f->records = 0;
		f->first_line = w->line;
		if (f->name == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		im->nfilters++;
		if (im->keep == NULL)
			im->keep = f->name;
	}
	f->records++;
	*number = f - im->filters;
	*keep = strcmp(name, im->keep) == 0;
	if (!*keep)
		im->stats->other_filter++;
	return CS_OK;
}

/* Refuses a record that logs the same document (problem key) under the same filter (number) as an earlier
 * record: lm-eval logs each document once per filter, so a repeat means several logs in one file (two
 * files concatenated), whose samples would be stored twice. A record whose problem field is absent or not
 * one value is left to cs_match_problem. */
static int once_per_filter(struct sample_import *im, cJSON *record, long number, struct cs_where *w,
			   struct cs_err *err)
{
	char key[256], entry[300];
	int64_t first_line;
	int missing, rc;

	if (im->m.map.fields[CS_MATCH_PROBLEM].npaths == 0)
		return CS_OK;
	rc = cs_match_eval(&im->m, CS_MATCH_PROBLEM, record, &missing, w, err);
	if (rc != CS_OK || missing || im->m.vals[CS_MATCH_PROBLEM].count != 1)
		return rc;
	rc = cs_value_key(im->m.vals[CS_MATCH_PROBLEM].items[0], w, key, sizeof key, err);
	if (rc != CS_OK)
		return rc;
	snprintf(entry, sizeof entry, "%ld\n%s", number, key);
	if (cs_strmap_get(&im->per_filter, entry, &first_line) == 1)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s): document '%s' is logged a second time under "
			       "filter '%s' (first at line %lld); a log holds each document once per filter, so this file "
			       "holds more than one log (files joined together?): split it and import each log on its "
			       "own", w->file, w->line, w->field, w->path, key, im->filters[number].name,
			       (long long)first_line);
	if (cs_strmap_put(&im->per_filter, entry, w->line) != 0)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

/* After the last record: --filter must name a filter of the file, and every filter must have as many records
 * as the one kept (lm-eval logs each document once per filter; anything else is not one log). Fills the
 * filter part of the stats. */
static int check_filters(struct sample_import *im, struct cs_err *err)
{
	const struct filter_count *kept = NULL;
	char names[512] = "";

	for (size_t i = 0; i < im->nfilters; i++) {
		if (strcmp(im->filters[i].name, im->keep) == 0)
			kept = &im->filters[i];
		snprintf(names + strlen(names), sizeof names - strlen(names), "%s'%s'", i ? ", " : "",
			 im->filters[i].name);
	}
	if (im->opt->filter != NULL && im->nfilters == 0)
		return cs_fail(err, CS_INPUT, "%s: --filter %s: the records name no filter (field \"filter\", %s)",
			       im->opt->path, im->opt->filter, im->m.map.fields[F_FILTER].npaths ?
			       im->m.map.fields[F_FILTER].paths[0].text : "unmapped");
	if (im->opt->filter != NULL && kept == NULL)
		return cs_fail(err, CS_INPUT, "%s: --filter %s: no record has that filter (the file's filters: %s)",
			       im->opt->path, im->opt->filter, names);
	for (size_t i = 0; i < im->nfilters; i++)
		if (im->filters[i].records != kept->records)
			return cs_fail(err, CS_INPUT, "%s: filter '%s' has %ld records but filter '%s' has %ld (first at line "
				       "%ld): this is not one log of each document per filter; split the file, or import "
				       "each filter on its own with --filter NAME", im->opt->path, im->filters[i].name,
				       im->filters[i].records, kept->name, kept->records, im->filters[i].first_line);
	if (kept != NULL)
		snprintf(im->stats->filter, sizeof im->stats->filter, "%s", kept->name);
	im->stats->filters = (int)im->nfilters;
	return CS_OK;
}

/* Reads one record and stores its samples (a cs_import_record_fn over struct sample_import). */
static int import_record(void *ctx, cJSON *record, struct cs_err *err)
{
	struct sample_import *im = ctx;
	struct cs_where w = { im->opt->path, cs_source_line(im->m.src), "", "" };
	struct cs_jvalues *vals = im->m.vals;
	sqlite3_int64 problem_id;
	const char *used[7];  /* the path each field was read from, for messages */
	int missing[7];
	char key[256];
	size_t n;
	long filter_number;
	int keep, checked, rc;

	rc = read_filter(im, record, &w, &keep, &filter_number, err);
	if (rc == CS_OK && filter_number >= 0)
		rc = once_per_filter(im, record, filter_number, &w, err);
	if (rc != CS_OK || !keep)
		return rc;
	rc = cs_match_problem(&im->m, record, &w, &problem_id, key, sizeof key, err);
	if (rc != CS_OK || problem_id == 0)
		return rc;
	if (im->check_questions) {
		rc = cs_match_check_question(&im->m, record, problem_id, key, &w, &checked, err);
		if (rc != CS_OK)
			return rc;
		im->stats->questions_checked += checked;
	}
	for (size_t f = 2; f < 7; f++) {
		rc = cs_match_eval(&im->m, f, record, &missing[f], &w, err);
		if (rc != CS_OK)
			return rc;
		used[f] = w.path;
		/* an empty optional value (an empty CSV cell) means "not given" */
		if (f > 2 && !missing[f] && vals[f].count == 1 && cJSON_IsString(vals[f].items[0]) &&
		    vals[f].items[0]->valuestring[0] == '\0')
			missing[f] = 1;
	}
	w.field = "text";
	w.path = used[2];
	if (missing[2])
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"text\" (%s) missing", w.file, w.line, w.path);
	n = vals[2].count;
	/* list-valued fields must line up with the texts */
	for (size_t f = 3; f < 7; f++) {
		if (!missing[f] && vals[f].count != n && !(vals[f].count == 1 && f == 3)) {
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) has %zu values but \"text\" has %zu",
				       w.file, w.line, im->m.map.fields[f].name, used[f],
				       vals[f].count, n);
		}
	}
	for (size_t k = 0; k < n; k++) {
		const char *text;
		size_t len;
		long long tokens = -1, explicit_index = -1;
		int label = -1, index = 0, stopped = -1, fresh;

		w.field = "text";
		w.path = used[2];
		rc = cs_value_string(vals[2].items[k], &w, &text, &len, err);
		if (rc != CS_OK)
			return rc;
		if (!missing[3]) {
			w.field = "tokens";
			w.path = used[3];
			cJSON *v = vals[3].count == 1 && n > 1 ? vals[3].items[0] : vals[3].items[k];
			if (!cJSON_IsNull(v)) {
				rc = cs_value_int(v, &w, &tokens, err);
				if (rc == CS_OK && tokens < 0)
					rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"tokens\" (%s) must not be negative", w.file,
						     w.line, w.path);
				/* one total for several samples: split evenly */
				if (rc == CS_OK && vals[3].count == 1 && n > 1)
					tokens = llround((double)tokens / (double)n);
			}
			if (rc != CS_OK)
				return rc;
		}
		if (!missing[4]) {
			w.field = "index";
			w.path = used[4];
			rc = cs_value_int(vals[4].items[k], &w, &explicit_index, err);
			if (rc != CS_OK)
				return rc;
			if (explicit_index < 0 || explicit_index > 10000000)
				return cs_fail(err, CS_INPUT, "%s:%ld: field \"index\" must be between 0 and 10000000",
					       w.file, w.line);
		}
		if (!missing[5] && !cJSON_IsNull(vals[5].items[k])) {
			w.field = "label";
			w.path = used[5];
			rc = cs_value_bool(vals[5].items[k], &w, &label, err);
			if (rc != CS_OK)
				return rc;
		}
		if (!missing[6] && !cJSON_IsNull(vals[6].items[k])) {
			w.field = "finish";
			w.path = used[6];
			rc = cs_value_stopped(vals[6].items[k], &w, &stopped, err);
			if (rc != CS_OK)
				return rc;
		}
		rc = next_index(im, problem_id, &index, err);
		if (rc != CS_OK)
			return rc;
		if (explicit_index >= 0)
			index = (int)explicit_index;
		fresh = index >= im->next_index[problem_id];
		if (fresh)
			im->next_index[problem_id] = index + 1;
		rc = key_for_row(im, fresh, err);
		if (rc != CS_OK)
			return rc;

		/* run_id (1) and import_id (7) are bound once, in cs_import_samples: a reset keeps the bindings */
		sqlite3_reset(im->insert);
		sqlite3_bind_int64(im->insert, 2, problem_id);
		sqlite3_bind_int(im->insert, 3, index);
		sqlite3_bind_text(im->insert, 4, text, (int)len, SQLITE_STATIC);
		if (tokens >= 0)
			sqlite3_bind_int64(im->insert, 5, tokens);
		else
			sqlite3_bind_null(im->insert, 5);
		if (label >= 0)
			sqlite3_bind_int(im->insert, 6, label);
		else
			sqlite3_bind_null(im->insert, 6);
		if (stopped >= 0)
			sqlite3_bind_int(im->insert, 8, stopped);
		else
			sqlite3_bind_null(im->insert, 8);
		if (sqlite3_step(im->insert) != SQLITE_DONE) {
			if (sqlite3_extended_errcode(im->st->db) == SQLITE_CONSTRAINT_UNIQUE)
				return cs_fail(err, CS_INPUT, "%s:%ld: field \"index\": sample %d of this problem is already in "
					       "run '%s'", w.file, w.line, index, im->opt->run);
			return cs_store_fail(im->st, "adding a sample", err);
		}
		im->stats->samples++;
	}
	return CS_OK;
}

/* Refuses an import into a run that already held samples when it adds nothing new: every sample it added
 * repeats, in problem and text, a sample the run held before it, and no (problem, text) pair comes more often
 * in the file than in the run. That is the same dump imported again from other bytes (line endings, a final
 * newline, another compression: the SHA-256 differs), which would store every sample twice; allow_repeats
 * lets it through (new draws of a model whose answers are all short and all seen before). The first query
 * stops at the first added sample whose (problem, text) the run did not hold, so an ordinary import pays one
 * look-up of its first sample among the run's samples of that problem (by samples_key); only a file that
 * repeats all it adds is read whole, and then counted by (problem, text). Call with the samples' key in
 * place (after key_restore). */
static int refuse_repeat(struct sample_import *im, struct cs_err *err)
{
	static const char *const any_new =
		"SELECT 1 FROM samples n WHERE n.id > ?1 AND NOT EXISTS (SELECT 1 FROM samples o WHERE o.run_id = ?2 "
		"AND o.problem_id = n.problem_id AND o.id <= ?1 AND o.text = n.text) LIMIT 1";
	static const char *const more_copies =
		"SELECT 1 FROM (SELECT problem_id, text, COUNT(*) AS copies FROM samples WHERE id > ?1 "
		"GROUP BY problem_id, text) n WHERE n.copies > (SELECT COUNT(*) FROM samples o WHERE o.run_id = ?2 "
		"AND o.problem_id = n.problem_id AND o.id <= ?1 AND o.text = n.text) LIMIT 1";
	static const char *const example =
		"SELECT p.problem_key, o.sample_index, i.path, i.imported_at FROM samples n "
		"JOIN problems p ON p.id = n.problem_id JOIN samples o ON o.run_id = ?2 AND o.problem_id = n.problem_id "
		"AND o.id <= ?1 AND o.text = n.text LEFT JOIN imports i ON i.id = o.import_id "
		"WHERE n.id = (SELECT MIN(id) FROM samples WHERE id > ?1) ORDER BY o.id LIMIT 1";
	const char *const queries[] = { any_new, more_copies, example };
	sqlite3_stmt *stmt = NULL;
	int rc = CS_OK, step = SQLITE_DONE;

	if (im->run_is_new || im->opt->allow_repeats || im->stats->samples == 0)
		return CS_OK;
	for (size_t q = 0; q < 3 && rc == CS_OK; q++) {
		sqlite3_finalize(stmt);
		stmt = NULL;
		rc = cs_store_prepare(im->st, queries[q], &stmt, err);
		if (rc != CS_OK)
			break;
		sqlite3_bind_int64(stmt, 1, im->last_before);
		sqlite3_bind_int64(stmt, 2, im->run_id);
		step = sqlite3_step(stmt);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = cs_store_fail(im->st, "comparing the samples with the run's", err);
		else if (q < 2 && step == SQLITE_ROW)
			break; /* something new: not a repeat */
		else if (q == 2)
			rc = cs_fail(err, CS_INPUT, "%s: refused: each of its %ld samples repeats a sample that run '%s' "
				     "already holds (the same problem and text, as often or less), as when the same dump "
				     "is imported again from other bytes (line endings, a final newline); for example "
				     "problem '%s' is there as sample %d from %s (imported %s). If these are new samples "
				     "that only repeat earlier answers, import them with --allow-repeats", im->opt->path,
				     im->stats->samples, im->opt->run,
				     step == SQLITE_ROW ? (const char *)sqlite3_column_text(stmt, 0) : "?",
				     step == SQLITE_ROW ? sqlite3_column_int(stmt, 1) : -1,
				     step == SQLITE_ROW && sqlite3_column_text(stmt, 2) ?
				     (const char *)sqlite3_column_text(stmt, 2) : "an earlier import",
				     step == SQLITE_ROW && sqlite3_column_text(stmt, 3) ?
				     (const char *)sqlite3_column_text(stmt, 3) : "?");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Foreign keys. Every sample row refers to the run, the import record and a problem, and all three are known to
 * exist: the run and the import record are found or written by this import in its own transaction, and the
 * problem ids come from the problems read in that transaction, which holds the write lock. SQLite's check of
 * the three references on every INSERT (three lookups, three cursors) can therefore never fail, and it is a
 * good part of the cost of a row, so the import switches foreign keys off for its transaction (the pragma
 * only takes effect outside one) and back on after it. The one reference the import does not make itself,
 * a new run's dataset, is checked once in find_or_create_run. (Every connection has them on: cs_store_open.) */
static int fk_off(struct cs_store *st, struct cs_err *err)
{
	return cs_store_exec(st, "PRAGMA foreign_keys = OFF", "configuring", err);
}

/* Switches foreign keys back on after the transaction; a failure is reported only when rc is CS_OK. */
static int fk_restore(struct cs_store *st, int rc, struct cs_err *err)
{
	struct cs_err ignored;
	int restored = cs_store_exec(st, "PRAGMA foreign_keys = ON", "configuring", rc == CS_OK ? err : &ignored);

	return rc == CS_OK ? restored : rc;
}

/* Refuses (CS_USAGE) a run, model or dataset name or a tag with a control character, an empty name, and a
 * run name or tag key with a comma (lists of them are split at commas); a tag value may hold a comma. */
static int check_names(const struct cs_sample_import *opt, struct cs_err *err)
{
	char what[96];
	int rc = CS_OK;

	if (opt->run != NULL)
		rc = cs_check_name("--run", opt->run, 0, 1, err);
	if (rc == CS_OK && opt->model != NULL)
		rc = cs_check_name("--model", opt->model, 0, 0, err);
	if (rc == CS_OK && opt->dataset != NULL)
		rc = cs_check_name("--dataset", opt->dataset, 0, 0, err);
	for (size_t i = 0; rc == CS_OK && i < opt->ntags; i++) {
		rc = cs_check_name("--tag: the key", opt->tags[i].key, 0, 1, err);
		snprintf(what, sizeof what, "--tag %.60s: the value", opt->tags[i].key);
		if (rc == CS_OK)
			rc = cs_check_name(what, opt->tags[i].value, 1, 0, err);
	}
	return rc;
}

/* Fills m with the defaults of preset and the --map options; --match question needs a question field. */
static int build_map(const struct cs_sample_import *opt, const char *preset, struct cs_fieldmap *m,
		     struct cs_err *err)
{
	int rc;

	cs_fieldmap_init(m, cs_sample_fields, cs_sample_field_count);
	rc = cs_sample_preset_defaults(preset, m, err);
	for (size_t i = 0; rc == CS_OK && i < opt->nmaps; i++)
		rc = cs_fieldmap_option(m, opt->maps[i], err);
	if (rc == CS_OK && opt->match_question && m->fields[CS_MATCH_QUESTION].npaths == 0)
		rc = cs_fail(err, CS_USAGE, "--match question needs a question field: --map question=PATH");
	if (rc == CS_OK && opt->filter != NULL && m->fields[F_FILTER].npaths == 0)
		rc = cs_fail(err, CS_USAGE, "--filter needs a filter field: the lm-eval preset reads $.filter, else "
			     "--map filter=PATH");
	if (rc == CS_OK)
		rc = check_names(opt, err);
	return rc;
}

int cs_sample_import_check(const struct cs_sample_import *opt, struct cs_err *err)
{
	struct cs_fieldmap map;
	int rc = build_map(opt, opt->preset ? opt->preset : "jsonl", &map, err);

	cs_fieldmap_free(&map);
	return rc;
}

int cs_import_samples(struct cs_store *st, const struct cs_sample_import *opt, struct cs_import_stats *stats,
		      struct cs_err *err)
{
	struct sample_import im;
	const char *preset = opt->preset;
	enum cs_format format;         /* the input format and the records path of the preset */
	const char *records;
	int in_tx = 0;
	int rc;

	memset(&im, 0, sizeof im);
	memset(stats, 0, sizeof *stats);
	im.st = st;
	im.opt = opt;
	im.stats = stats;
	cs_match_init(&im.m, opt->match_question, opt->skip_unknown, stats);
	cs_strmap_init(&im.per_filter);
	im.m.hint_match = 1;
	im.keep = opt->filter;
	im.check_questions = !opt->no_question_check && !opt->match_question;
	im.m.load_questions = im.check_questions;
	if (preset == NULL)
		preset = cs_source_name_is(opt->path, ".csv") ? "csv" : "jsonl";
	rc = build_map(opt, preset, &im.m.map, err);
	if (rc != CS_OK)
		goto done;
	cs_sample_preset_input(preset, &format, &records);
	rc = cs_source_open_records(opt->path, format, opt->records ? opt->records : records, opt->max_line,
				    &im.m.src, err);
	if (rc == CS_OK)
		rc = cs_fieldmap_check_header(&im.m.map, im.m.src, opt->path, err);
	for (size_t f = 0; rc == CS_OK && f < cs_sample_field_count; f++) {
		if (im.m.map.fields[f].explicit_map || f == 2 ||
		    f == (opt->match_question ? CS_MATCH_QUESTION : CS_MATCH_PROBLEM))
			rc = cs_match_check_column(&im.m, f, opt->path, err);
	}
	if (rc != CS_OK)
		goto done;
	rc = fk_off(st, err);
	if (rc == CS_OK)
		rc = cs_store_begin(st, err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	rc = load_problems(&im, err);
	if (rc == CS_OK)
		rc = find_or_create_run(&im, err);
	/* a new run cannot have seen the file: the digest is only worth computing for an existing one */
	if (rc == CS_OK && !im.run_is_new)
		rc = cs_import_refuse_seen(st, "samples", "run_id = ?", im.run_id, NULL, opt->path, err);
	if (rc == CS_OK)
		rc = cs_import_begin(st, "samples", opt->dataset, im.run_id, opt->path, &im.import_id, err);
	/* samples written past the recorded ranges by other means get theirs first, so that the ranges still
	 * cover every sample up to the last id they record once this import's is added */
	if (rc == CS_OK)
		rc = cs_store_record_unrecorded(st, err);
	if (rc == CS_OK)
		rc = cs_store_last_sample_id(st, &im.last_before, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "INSERT INTO samples (run_id, problem_id, sample_index, text, tokens, label, "
				      "import_id, stopped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &im.insert, err);
	if (rc == CS_OK) {
		sqlite3_bind_int64(im.insert, 1, im.run_id);
		sqlite3_bind_int64(im.insert, 7, im.import_id);
	}
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "SELECT COALESCE(MAX(sample_index) + 1, 0) FROM samples WHERE run_id = ? AND "
				      "problem_id = ?", &im.max_index, err);
	if (rc == CS_OK)
		rc = cs_import_each(im.m.src, stats, import_record, &im, err);
	if (rc == CS_OK)
		rc = key_restore(&im, err);
	if (rc == CS_OK)
		rc = refuse_repeat(&im, err);
	if (rc == CS_OK)
		rc = check_filters(&im, err);
	if (rc == CS_OK)
		rc = cs_store_record_import_range(st, im.import_id, im.last_before, err);
	if (rc == CS_OK)
		rc = cs_import_commit(st, im.m.src, im.import_id, "samples", "run_id = ?", im.run_id, NULL, opt->path,
				      1, stats, err);
	if (rc == CS_OK)
		in_tx = 0;
done:
	if (in_tx)
		cs_store_rollback(st);
	sqlite3_finalize(im.insert);
	sqlite3_finalize(im.max_index);
	rc = fk_restore(st, rc, err);
	free(im.next_index);
	free(im.run_next);
	for (size_t i = 0; i < im.nfilters; i++)
		free(im.filters[i].name);
	free(im.filters);
	cs_strmap_free(&im.per_filter);
	cs_match_free(&im.m);
	return rc;
}
