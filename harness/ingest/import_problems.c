/* `import problems`: reads a problem file under a dataset profile and stores it in one transaction. */
#include "ingest/importer.h"
#include "profile.h"
#include "util/strmap.h"

#include <stdio.h>
#include <string.h>

/* Makes sure the dataset exists with profile p (or adopts its stored profile when none was asked for);
 * *from says whether p was asked for, guessed from the dataset name or the dataset's. */
static int ensure_dataset(struct cs_store *st, const char *dataset, const char *asked, enum cs_profile *p,
			  enum cs_profile_from *from, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, "SELECT profile FROM datasets WHERE name = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, dataset, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *stored = (const char *)sqlite3_column_text(stmt, 0);
		if (asked != NULL && strcmp(asked, stored) != 0)
			rc = cs_fail(err, CS_INPUT, "dataset '%s' already has profile '%s', not '%s'", dataset, stored,
				     asked);
		else if (cs_profile_parse(stored, p) != 0)
			rc = cs_fail(err, CS_DB, "dataset '%s' has an unknown profile '%s'", dataset, stored);
		*from = asked != NULL ? CS_PROFILE_ASKED : CS_PROFILE_STORED;
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	if (asked != NULL) {
		if (cs_profile_parse(asked, p) != 0)
			return cs_fail(err, CS_USAGE, "unknown profile '%s' (gsm8k, math or generic)", asked);
		*from = CS_PROFILE_ASKED;
	} else {
		*p = cs_profile_guess(dataset);
		*from = CS_PROFILE_GUESSED;
	}
	rc = cs_store_prepare(st, "INSERT INTO datasets (name, profile) VALUES (?, ?)", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, cs_profile_name(*p), -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(st, "adding the dataset", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* 1 when two nullable strings are equal. */
static int same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Under --skip-existing: counts a problem already in the dataset as skipped when its stored question and gold
 * answer are those of the record, else refuses it (CS_INPUT naming the line and the field that differs, and
 * first_line, the line of this file that stored it, when it is not 0). */
static int skip_existing(struct cs_store *st, const struct cs_problem_import *opt, const struct cs_problem *pr,
			 long line, long first_line, struct cs_import_stats *stats, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char where[160];
	int rc;

	if (first_line > 0)
		snprintf(where, sizeof where, "repeats line %ld of this file", first_line);
	else
		snprintf(where, sizeof where, "is already in dataset '%.100s'", opt->dataset);

	rc = cs_store_prepare(st, "SELECT question, gold FROM problems WHERE dataset = ? AND problem_key = ?", &stmt,
			      err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, opt->dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, pr->key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_fail(st, "reading an existing problem", err);
		goto done;
	}
	if (!same_text((const char *)sqlite3_column_text(stmt, 0), pr->question))
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"question\": problem '%s' %s with a different question",
			     opt->path, line, pr->key, where);
	else if (!same_text((const char *)sqlite3_column_text(stmt, 1), pr->gold))
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"answer\": problem '%s' %s with a different gold answer",
			     opt->path, line, pr->key, where);
	else if (stats->skipped++ == 0)
		stats->first_skipped_line = line;
done:
	sqlite3_finalize(stmt);
	return rc;
}

int cs_problem_import_check(const struct cs_problem_import *opt, struct cs_err *err)
{
	struct cs_fieldmap map;
	enum cs_profile profile;
	int rc = CS_OK;

	if (opt->profile != NULL && cs_profile_parse(opt->profile, &profile) != 0)
		return cs_fail(err, CS_USAGE, "unknown profile '%s' (gsm8k, math or generic)", opt->profile);
	rc = cs_check_name("--dataset", opt->dataset, 0, 0, err);
	if (rc != CS_OK)
		return rc;
	cs_fieldmap_init(&map, cs_problem_fields, cs_problem_field_count);
	for (size_t i = 0; rc == CS_OK && i < opt->nmaps; i++)
		rc = cs_fieldmap_option(&map, opt->maps[i], err);
	cs_fieldmap_free(&map);
	return rc;
}

/* The state of one problem import. */
struct problem_import {
	struct cs_store *st;
	const struct cs_problem_import *opt;
	struct cs_source *src;
	enum cs_profile profile;
	struct cs_fieldmap map;
	struct cs_jvalues scratch;
	struct cs_problem pr;
	sqlite3_stmt *insert;
	struct cs_import_stats *stats;
	struct cs_strmap lines;    /* problem key -> the line of this file that gave it; owned */
	long not_numbers;          /* golds that are not numbers (checked under a guessed gsm8k profile) */
	char first_not_number[160]; /* the first of them: problem id and gold, for the warning */
};

/* 1 when text is a number as GSM8K golds are written: -12, 1,000, 3.5, 3/4. */
static int is_number_text(const char *text)
{
	const char *p = text;
	int digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != ',' && *p != '.' && *p != '/')
			return 0;
	}
	return digits > 0 && text[0] != ',' && text[0] != '.';
}

/* Reads one record and stores its problem (a cs_import_record_fn over struct problem_import). */
static int import_record(void *ctx, cJSON *record, struct cs_err *err)
{
	struct problem_import *im = ctx;
	const struct cs_problem_import *opt = im->opt;
	struct cs_problem *pr = &im->pr;
	sqlite3_stmt *insert = im->insert;
	long line = cs_source_line(im->src);
	int64_t first_line = 0;
	int rc;

	rc = cs_profile_read_problem(im->profile, &im->map, record, opt->path, cs_source_line(im->src),
				     cs_source_index(im->src), &im->scratch, pr, err);
	if (rc != CS_OK)
		return rc;
	if (im->stats->profile_from == CS_PROFILE_GUESSED && im->profile == CS_PROFILE_GSM8K && pr->gold != NULL &&
	    !is_number_text(pr->gold) && im->not_numbers++ == 0)
		snprintf(im->first_not_number, sizeof im->first_not_number, "problem '%.40s' has '%.60s'", pr->key,
			 pr->gold);
	sqlite3_reset(insert);
	sqlite3_bind_text(insert, 1, opt->dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 2, pr->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 3, pr->question, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 4, pr->gold, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 5, pr->solution, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 6, pr->subject, -1, SQLITE_STATIC);
	if (pr->level > 0)
		sqlite3_bind_int(insert, 7, pr->level);
	else
		sqlite3_bind_null(insert, 7);
	if (sqlite3_step(insert) == SQLITE_DONE) {
		im->stats->problems++;
		if (cs_strmap_put(&im->lines, pr->key, line) != 0)
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
	} else if (sqlite3_extended_errcode(im->st->db) != SQLITE_CONSTRAINT_UNIQUE) {
		rc = cs_store_fail(im->st, "adding a problem", err);
	} else if (opt->skip_existing) {
		cs_strmap_get(&im->lines, pr->key, &first_line);
		rc = skip_existing(im->st, opt, pr, line, (long)first_line, im->stats, err);
	} else if (cs_strmap_get(&im->lines, pr->key, &first_line) == 1) {
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"id\": problem '%s' repeats within the file (first at line "
			     "%lld); give each problem its own id (--skip-existing skips a repeat with the same question "
			     "and answer)", opt->path, line, pr->key, (long long)first_line);
	} else {
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"id\": problem '%s' is already in dataset '%s' "
			     "(--skip-existing skips a problem stored with the same question and answer)",
			     opt->path, line, pr->key, opt->dataset);
	}
	cs_problem_clear(pr);
	return rc;
}

int cs_import_problems(struct cs_store *st, const struct cs_problem_import *opt, struct cs_import_stats *stats,
		       struct cs_err *err)
{
	struct problem_import im;
	sqlite3_int64 import_id = 0;
	enum cs_profile_from from = CS_PROFILE_ASKED;
	int in_tx = 0;
	int rc;

	memset(&im, 0, sizeof im);
	memset(stats, 0, sizeof *stats);
	im.st = st;
	im.opt = opt;
	im.stats = stats;
	cs_strmap_init(&im.lines);
	cs_fieldmap_init(&im.map, cs_problem_fields, cs_problem_field_count);
	rc = cs_source_open_records(opt->path, CS_FORMAT_AUTO, opt->records, opt->max_line, &im.src, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_store_begin(st, err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	rc = ensure_dataset(st, opt->dataset, opt->profile, &im.profile, &from, err);
	if (rc != CS_OK)
		goto done;
	stats->profile = cs_profile_name(im.profile);
	stats->profile_from = from;
	rc = cs_profile_problem_defaults(im.profile, &im.map, err);
	for (size_t i = 0; rc == CS_OK && i < opt->nmaps; i++)
		rc = cs_fieldmap_option(&im.map, opt->maps[i], err);
	if (rc == CS_OK)
		rc = cs_fieldmap_check_header(&im.map, im.src, opt->path, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_import_refuse_seen(st, "problems", "dataset = ?", 0, opt->dataset, opt->path, err);
	if (rc == CS_OK)
		rc = cs_import_begin(st, "problems", opt->dataset, 0, opt->path, &import_id, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_store_prepare(st,
			      "INSERT INTO problems (dataset, problem_key, question, gold, solution, subject, level) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?)", &im.insert, err);
	if (rc == CS_OK)
		rc = cs_import_each(im.src, stats, import_record, &im, err);
	if (rc == CS_OK)
		rc = cs_import_commit(st, im.src, import_id, "problems", "dataset = ?", 0, opt->dataset, opt->path, 0,
				      stats, err);
	if (rc == CS_OK)
		in_tx = 0;
	if (rc == CS_OK && im.not_numbers > 0)
		snprintf(stats->warning, sizeof stats->warning, "the profile gsm8k was guessed from the dataset name "
			 "'%.60s', but %ld of %ld gold answers are not numbers (%s); if the dataset is not GSM8K-like, "
			 "import it into a new dataset with --profile math or --profile generic", opt->dataset,
			 im.not_numbers, stats->problems, im.first_not_number);
done:
	if (in_tx)
		cs_store_rollback(st);
	cs_problem_clear(&im.pr);
	sqlite3_finalize(im.insert);
	cs_jvalues_free(&im.scratch);
	cs_fieldmap_free(&im.map);
	cs_strmap_free(&im.lines);
	cs_source_close(im.src);
	return rc;
}
