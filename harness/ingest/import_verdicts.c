/* `import verdicts`: reads the output of `coseval grade --stream` over the lines of `coseval export stream`
 * and stores it as the run's grades, in one transaction, as `coseval grade` would have written them. */
#include "grade/pass.h"
#include "ingest/importer.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The state of one verdict import. */
struct verdict_import {
	struct cs_store *st;
	const struct cs_verdict_import *opt;
	struct cs_source *src;
	unsigned char *seen;        /* one bit per sample id of the run's id range: graded by this file */
	sqlite3_int64 first_id, last_id; /* the run's sample id range */
	sqlite3_int64 run_id;
	char *dataset;
	char version[96];           /* the grader version the run's grades carry */
	sqlite3_int64 import_id;
	sqlite3_stmt *find_sample;
	sqlite3_stmt *remove;
	sqlite3_stmt *insert;
	struct cs_import_stats *stats;
	struct cs_verdict_counts *counts;
};

/* Finds the run, its dataset and the grader version of its grades (with its answer pattern, if any). */
static int load_run(struct verdict_import *im, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(im->st, "SELECT r.id, r.dataset, a.pattern FROM runs r"
			      " LEFT JOIN answer_patterns a ON a.run_id = r.id WHERE r.name = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, im->opt->run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_no_run(im->st, im->opt->run, "import its samples first; 'coseval runs' lists the runs", err);
	} else {
		im->run_id = sqlite3_column_int64(stmt, 0);
		im->dataset = strdup((const char *)sqlite3_column_text(stmt, 1));
		cs_grade_version((const char *)sqlite3_column_text(stmt, 2), im->version);
		if (im->dataset == NULL)
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Reads the string field name of record into *out: a string, or (when nullable) null or absent (*out NULL). */
static int string_field(const struct verdict_import *im, long line, cJSON *record, const char *name, int nullable,
			const char **out, struct cs_err *err)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(record, name);

	*out = NULL;
	if (cJSON_IsString(v)) {
		*out = v->valuestring;
		return CS_OK;
	}
	if (nullable && (v == NULL || cJSON_IsNull(v)))
		return CS_OK;
	return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" %s (want a string%s)", im->opt->path, line, name,
		       v == NULL ? "missing" : "of the wrong type", nullable ? " or null" : "");
}

/* Splits an id "RUN/PROBLEM/INDEX" (as `export stream` writes it) into the problem key (copied into problem)
 * and the sample index; 0 when it has another form or names another run. */
static int parse_id(const char *id, const char *run, char *problem, size_t size, long long *index)
{
	size_t run_len = strlen(run);
	const char *slash, *p;
	char *end;

	if (strncmp(id, run, run_len) != 0 || id[run_len] != '/')
		return 0;
	id += run_len + 1;
	slash = strrchr(id, '/');
	if (slash == NULL || slash == id || (size_t)(slash - id) >= size || slash[1] < '0' || slash[1] > '9')
		return 0;
	for (p = slash + 1; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return 0;
	*index = strtoll(slash + 1, &end, 10);
	memcpy(problem, id, (size_t)(slash - id));
	problem[slash - id] = '\0';
	return 1;
}

/* Reads one verdict and stores it as its sample's grade (a cs_import_record_fn over struct verdict_import). */
static int import_record(void *ctx, cJSON *record, struct cs_err *err)
{
	struct verdict_import *im = ctx;
	const char *path = im->opt->path;
	long line = cs_source_line(im->src);
	const char *id, *version, *verdict, *rule, *answer, *canonical, *reason;
	char problem[1024];
	sqlite3_int64 sample_id, bit;
	long long index;
	int rc, step;

	if (!cJSON_IsObject(record))
		return cs_fail(err, CS_INPUT, "%s:%ld: not a JSON object", path, line);
	rc = string_field(im, line, record, "id", 0, &id, err);
	if (rc != CS_OK)
		return rc;
	if (!parse_id(id, im->opt->run, problem, sizeof problem, &index))
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"id\": '%.200s' is not a sample of run '%s' (want "
			       "\"%s/PROBLEM/INDEX\" as 'coseval export stream --run %s' writes it)", path, line, id,
			       im->opt->run, im->opt->run, im->opt->run);
	sqlite3_reset(im->find_sample);
	sqlite3_bind_text(im->find_sample, 1, im->dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->find_sample, 2, problem, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(im->find_sample, 3, im->run_id);
	sqlite3_bind_int64(im->find_sample, 4, index);
	step = sqlite3_step(im->find_sample);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return cs_store_fail(im->st, "finding a sample", err);
	if (step == SQLITE_DONE)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"id\": run '%s' has no sample %lld of problem '%s'", path,
			       line, im->opt->run, index, problem);
	sample_id = sqlite3_column_int64(im->find_sample, 0);
	if (sample_id < im->first_id || sample_id > im->last_id)
		return cs_fail(err, CS_DB, "%s: sample id %lld of run '%s' is outside the run's recorded range; run"
			       " 'coseval check-db'", im->st->path, (long long)sample_id, im->opt->run);
	bit = sample_id - im->first_id;
	if (im->seen[bit / 8] & (1u << (bit % 8)))
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"id\": sample '%.200s' already has a verdict on an earlier "
			       "line of this file (one verdict per sample)", path, line, id);
	im->seen[bit / 8] |= (unsigned char)(1u << (bit % 8));

	rc = string_field(im, line, record, "grader_version", 0, &version, err);
	if (rc == CS_OK && strcmp(version, im->version) != 0)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"grader_version\": '%.100s' is not the grader version of "
			       "run '%s', '%s' (grade the lines again with this coseval's 'grade --stream'%s)", path,
			       line, version, im->opt->run, im->version,
			       strchr(im->version, '+') ? " and the run's --answer-pattern" : "");
	if (rc == CS_OK)
		rc = string_field(im, line, record, "verdict", 0, &verdict, err);
	if (rc == CS_OK && strcmp(verdict, "correct") != 0 && strcmp(verdict, "wrong") != 0 &&
	    strcmp(verdict, "no-answer") != 0)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"verdict\": '%.100s' is not correct, wrong or no-answer",
			       path, line, verdict);
	if (rc == CS_OK)
		rc = string_field(im, line, record, "rule", 0, &rule, err);
	if (rc == CS_OK)
		rc = string_field(im, line, record, "answer", 1, &answer, err);
	if (rc == CS_OK)
		rc = string_field(im, line, record, "canonical", 1, &canonical, err);
	if (rc == CS_OK)
		rc = string_field(im, line, record, "reason", 1, &reason, err);
	if (rc != CS_OK)
		return rc;

	sqlite3_reset(im->remove);
	sqlite3_bind_int64(im->remove, 1, sample_id);
	if (sqlite3_step(im->remove) != SQLITE_DONE)
		return cs_store_fail(im->st, "removing an earlier grade", err);
	im->counts->replaced += sqlite3_changes(im->st->db);
	sqlite3_reset(im->insert);
	sqlite3_bind_int64(im->insert, 1, sample_id);
	sqlite3_bind_text(im->insert, 2, answer, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->insert, 3, canonical, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->insert, 4, verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->insert, 5, rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->insert, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->insert, 7, version, -1, SQLITE_STATIC);
	if (sqlite3_step(im->insert) != SQLITE_DONE)
		return cs_store_fail(im->st, "adding a grade", err);
	im->stats->samples++;
	if (strcmp(verdict, "correct") == 0)
		im->counts->correct++;
	return CS_OK;
}

/* Counts the run's samples and those of them with no grade, after the verdicts are stored. */
static int count_left(struct verdict_import *im, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(im->st, "SELECT COUNT(*), COUNT(*) FILTER (WHERE g.sample_id IS NULL) FROM samples s"
			      " LEFT JOIN grades g ON g.sample_id = s.id WHERE s.run_id = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, im->run_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_fail(im->st, "counting the run's samples", err);
	} else {
		im->counts->samples = (long)sqlite3_column_int64(stmt, 0);
		im->counts->ungraded = (long)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return rc;
}

int cs_import_verdicts(struct cs_store *st, const struct cs_verdict_import *opt, struct cs_import_stats *stats,
		       struct cs_verdict_counts *counts, struct cs_err *err)
{
	struct verdict_import im;
	int in_tx = 0;
	int rc;

	memset(&im, 0, sizeof im);
	memset(stats, 0, sizeof *stats);
	memset(counts, 0, sizeof *counts);
	im.st = st;
	im.opt = opt;
	im.stats = stats;
	im.counts = counts;
	rc = cs_source_open(opt->path, CS_FORMAT_AUTO, opt->max_line, &im.src, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_store_begin(st, err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	rc = load_run(&im, err);
	/* which samples this file graded: a bit per id of the run's range (memory: one bit per sample) */
	if (rc == CS_OK)
		rc = cs_store_run_range(st, im.run_id, &im.first_id, &im.last_id, err);
	if (rc == CS_OK && im.last_id < im.first_id)
		im.last_id = im.first_id;
	if (rc == CS_OK && (im.seen = calloc((size_t)(im.last_id - im.first_id + 1) / 8 + 1, 1)) == NULL)
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
	if (rc == CS_OK)
		rc = cs_import_refuse_seen(st, "verdicts", "run_id = ?", im.run_id, NULL, opt->path, err);
	if (rc == CS_OK)
		rc = cs_import_begin(st, "verdicts", im.dataset, im.run_id, opt->path, &im.import_id, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "SELECT s.id FROM samples s JOIN problems p ON p.id = s.problem_id"
				      " WHERE p.dataset = ?1 AND p.problem_key = ?2 AND s.run_id = ?3 AND s.sample_index = ?4",
				      &im.find_sample, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "DELETE FROM grades WHERE sample_id = ?", &im.remove, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "INSERT INTO grades (sample_id, answer, canonical, verdict, rule, reason,"
				      " grader_version, run_id, problem_id, sample_index, text_key, normalized_key)"
				      " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, s.run_id, s.problem_id, s.sample_index,"
				      " CASE WHEN ?4 = 'correct' THEN coseval_text_key(s.text) END,"
				      " CASE WHEN ?4 = 'correct' THEN coseval_normalized_key(s.text) END"
				      " FROM samples s WHERE s.id = ?1", &im.insert, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_import_each(im.src, stats, import_record, &im, err);
	if (rc == CS_OK)
		rc = count_left(&im, err);
	if (rc != CS_OK)
		goto done;
	rc = cs_import_commit(st, im.src, im.import_id, "verdicts", "run_id = ?", im.run_id, NULL, opt->path, 1,
			      stats, err);
	if (rc == CS_OK)
		in_tx = 0;
done:
	if (in_tx)
		cs_store_rollback(st);
	sqlite3_finalize(im.find_sample);
	sqlite3_finalize(im.remove);
	sqlite3_finalize(im.insert);
	cs_source_close(im.src);
	free(im.dataset);
	free(im.seen);
	return rc;
}
