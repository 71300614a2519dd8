/* Merging databases: every input is attached to the output and its rows are copied by natural keys (dataset
 * and problem key, run name, run + problem + sample index) through temporary id maps of the problems, runs and
 * imports, in one transaction, with statements that stream: memory stays bounded whatever the inputs hold. */
#include "store/merge.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The page cache of each input and of the temporary database (the id maps), in KiB, as a string for SQL. */
#define CS_MERGE_INPUT_CACHE_KIB "2048"

struct merge {
	struct cs_store *st;
	const char *out;
	const char *const *inputs;
	size_t index;        /* the input being merged */
	char schema[32];     /* its schema name, "in0", "in1", ... */
	int renumber;        /* append the samples of a colliding run after those in the output */
	long imports_before; /* the largest import id of the output before this input */
};

/* The joins from an input's sample s to the output's sample o with the same run, problem and sample index, in
 * this order (CROSS JOIN fixes it): the input's rows are read in their id order, and the output's sample is
 * found through its key index, never the other way round, which would read the input at random. */
#define SAME_SAMPLE "CROSS JOIN temp.map_run mr ON mr.src = s.run_id" \
	" CROSS JOIN temp.map_problem mp ON mp.src = s.problem_id CROSS JOIN main.samples o ON o.run_id = mr.dst" \
	" AND o.problem_id = mp.dst AND o.sample_index = s.sample_index"

/* The input's sample s is not one of temp.moved, the samples that land at another index in the output. */
#define NOT_MOVED "NOT EXISTS (SELECT 1 FROM temp.moved mv WHERE mv.src = s.id)"

/* Formats sql (where %1$s is the input's schema name) into a fresh statement. */
static int preparef(struct merge *m, sqlite3_stmt **stmt, struct cs_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int preparef(struct merge *m, sqlite3_stmt **stmt, struct cs_err *err, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof sql)
		return cs_fail(err, CS_INTERNAL, "merge: a statement is too long");
	return cs_store_prepare(m->st, sql, stmt, err);
}

/* Runs one statement without results and adds the rows it changed to *changes (may be NULL). */
static int run(struct merge *m, long *changes, const char *what, struct cs_err *err, sqlite3_stmt *stmt)
{
	int rc = CS_OK;

	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(m->st, what, err);
	else if (changes != NULL)
		*changes += sqlite3_changes(m->st->db);
	sqlite3_finalize(stmt);
	return rc;
}

/* Runs a statement that yields one integer into *n. */
static int count(struct merge *m, long *n, const char *what, struct cs_err *err, sqlite3_stmt *stmt)
{
	int rc = CS_OK;

	if (sqlite3_step(stmt) != SQLITE_ROW)
		rc = cs_store_fail(m->st, what, err);
	else
		*n = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return rc;
}

static const char *col(sqlite3_stmt *stmt, int i)
{
	const unsigned char *v = sqlite3_column_text(stmt, i);
	return v ? (const char *)v : "(null)";
}

/* The database that the conflicting row already in the output came from: the first earlier input that
 * holds the same key (found with sql, %1$s its schema, ?1..?4 the key), else the output itself. */
static const char *origin(struct merge *m, const char *sql, const char *k1, const char *k2, const char *k3,
			  const char *k4)
{
	for (size_t j = 0; j < m->index; j++) {
		char fmt[2048], schema[32];
		sqlite3_stmt *stmt = NULL;
		int found;

		snprintf(schema, sizeof schema, "in%zu", j);
		if ((size_t)snprintf(fmt, sizeof fmt, sql, schema) >= sizeof fmt ||
		    sqlite3_prepare_v2(m->st->db, fmt, -1, &stmt, NULL) != SQLITE_OK) {
			sqlite3_finalize(stmt);
			continue;
		}
		sqlite3_bind_text(stmt, 1, k1, -1, SQLITE_STATIC);
		if (k2 != NULL)
			sqlite3_bind_text(stmt, 2, k2, -1, SQLITE_STATIC);
		if (k3 != NULL)
			sqlite3_bind_text(stmt, 3, k3, -1, SQLITE_STATIC);
		if (k4 != NULL)
			sqlite3_bind_text(stmt, 4, k4, -1, SQLITE_STATIC);
		found = sqlite3_step(stmt) == SQLITE_ROW;
		sqlite3_finalize(stmt);
		if (found)
			return m->inputs[j];
	}
	return m->out;
}

/* Checks a conflict query: no row is CS_OK; a row is CS_INPUT with a message made by describe. */
static int conflict(struct merge *m, sqlite3_stmt *stmt, struct cs_err *err,
		    void (*describe)(struct merge *, sqlite3_stmt *, struct cs_err *))
{
	int step = sqlite3_step(stmt);
	int rc = CS_OK;

	if (step == SQLITE_ROW) {
		describe(m, stmt, err);
		rc = CS_INPUT;
	} else if (step != SQLITE_DONE) {
		rc = cs_store_fail(m->st, "checking for conflicts", err);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static void dataset_conflict(struct merge *m, sqlite3_stmt *s, struct cs_err *err)
{
	const char *other = origin(m, "SELECT 1 FROM %1$s.datasets WHERE name = ?1", col(s, 0), NULL, NULL, NULL);
	cs_fail(err, CS_INPUT, "%s: dataset '%s' has profile '%s', but '%s' in %s", m->inputs[m->index], col(s, 0),
		col(s, 1), col(s, 2), other);
}

static void problem_conflict(struct merge *m, sqlite3_stmt *s, struct cs_err *err)
{
	const char *other = origin(m, "SELECT 1 FROM %1$s.problems WHERE dataset = ?1 AND problem_key = ?2", col(s, 0),
				   col(s, 1), NULL, NULL);
	cs_fail(err, CS_INPUT, "%s: problem '%s' of dataset '%s' has a different %s in %s", m->inputs[m->index],
		col(s, 1), col(s, 0), sqlite3_column_int(s, 2) ? "gold answer" : "question", other);
}

static void run_conflict(struct merge *m, sqlite3_stmt *s, struct cs_err *err)
{
	const char *other = origin(m, "SELECT 1 FROM %1$s.runs WHERE name = ?1", col(s, 0), NULL, NULL, NULL);
	cs_fail(err, CS_INPUT, "%s: run '%s' has %s '%s', but '%s' in %s", m->inputs[m->index], col(s, 0), col(s, 1),
		col(s, 2), col(s, 3), other);
}

static void tag_conflict(struct merge *m, sqlite3_stmt *s, struct cs_err *err)
{
	const char *other = origin(m, "SELECT 1 FROM %1$s.run_tags t JOIN %1$s.runs r ON r.id = t.run_id"
				   " WHERE r.name = ?1 AND t.key = ?2", col(s, 0), col(s, 1), NULL, NULL);
	cs_fail(err, CS_INPUT, "%s: run '%s' has tag %s=%s, but %s=%s in %s", m->inputs[m->index], col(s, 0),
		col(s, 1), col(s, 2), col(s, 1), col(s, 3), other);
}

static void pattern_conflict(struct merge *m, sqlite3_stmt *s, struct cs_err *err)
{
	const char *other = origin(m, "SELECT 1 FROM %1$s.answer_patterns a JOIN %1$s.runs r ON r.id = a.run_id"
				   " WHERE r.name = ?1", col(s, 0), NULL, NULL, NULL);
	cs_fail(err, CS_INPUT, "%s: run '%s' has answer pattern '%s', but '%s' in %s", m->inputs[m->index],
		col(s, 0), col(s, 1), col(s, 2), other);
}

static void sample_conflict(struct merge *m, sqlite3_stmt *s, struct cs_err *err)
{
	const char *other = origin(m, "SELECT 1 FROM %1$s.samples s JOIN %1$s.runs r ON r.id = s.run_id"
				   " JOIN %1$s.problems p ON p.id = s.problem_id WHERE r.name = ?1 AND p.dataset = ?2"
				   " AND p.problem_key = ?3 AND s.sample_index = ?4", col(s, 0), col(s, 1), col(s, 2),
				   col(s, 3));
	cs_fail(err, CS_INPUT, "%s: run '%s', problem '%s' (dataset '%s'), sample %s has a different text in %s:"
		" the two hold different samples of run '%s' under the same sample indexes (a run split across"
		" machines?); to keep both, merge with 'coseval merge --renumber', which appends the samples of"
		" %s after those of %s, or import the parts with distinct indexes (--map index=PATH)",
		m->inputs[m->index], col(s, 0), col(s, 2), col(s, 1), col(s, 3), other, col(s, 0),
		m->inputs[m->index], other);
}

static void judgment_conflict(struct merge *m, sqlite3_stmt *s, struct cs_err *err)
{
	const char *other = origin(m, "SELECT 1 FROM %1$s.judgments j JOIN %1$s.samples s ON s.id = j.sample_id"
				   " JOIN %1$s.runs r ON r.id = s.run_id JOIN %1$s.problems p ON p.id = s.problem_id"
				   " WHERE r.name = ?1 AND p.problem_key = ?2 AND s.sample_index = ?3 AND j.judge = ?4",
				   col(s, 0), col(s, 1), col(s, 2), col(s, 3));
	cs_fail(err, CS_INPUT, "%s: judge '%s' judged run '%s', problem '%s', sample %s differently in %s",
		m->inputs[m->index], col(s, 3), col(s, 0), col(s, 1), col(s, 2), other);
}

/* Adds to temp.moved the input's samples that match where (SQL over s, the input's sample, and mr, mp, mi, its
 * run, problem and import maps), not yet in temp.moved, of an import that main held before this input, for which
 * main holds a sample of the same run, problem and import with the same text: the first such by index. Main's
 * samples are found through temp.text_keys (keys of their texts), built by the first call that has a sample to
 * look up; *built says whether it is. */
static int find_moved(struct merge *m, const char *where, int *built, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	long candidates = 0;
	int rc;

	rc = cs_store_exec(m->st, "DELETE FROM temp.candidate", "clearing the candidates", err);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT INTO temp.candidate (src) SELECT s.id FROM %1$s.samples s"
			      " CROSS JOIN temp.map_import mi ON mi.src = s.import_id CROSS JOIN temp.map_run mr"
			      " ON mr.src = s.run_id CROSS JOIN temp.map_problem mp ON mp.src = s.problem_id"
			      " WHERE mi.dst <= %2$ld AND " NOT_MOVED " AND %3$s ORDER BY s.id", m->schema,
			      m->imports_before, where);
	if (rc == CS_OK)
		rc = run(m, &candidates, "finding samples merged before", err, stmt);
	if (rc != CS_OK || candidates == 0)
		return rc;
	/* the keys of main's samples of the imports it shares with the input, read through each import's id range */
	if (!*built) {
		rc = preparef(m, &stmt, err, "INSERT INTO temp.text_keys (run_id, problem_id, import_id, text_key,"
			      " sample_index, id) SELECT o.run_id, o.problem_id, o.import_id, coseval_text_key(o.text),"
			      " o.sample_index, o.id FROM (SELECT DISTINCT dst FROM temp.map_import WHERE dst <= %1$ld) x"
			      " CROSS JOIN main.imports i ON i.id = x.dst CROSS JOIN main.samples o"
			      " ON o.id BETWEEN i.first_sample_id AND i.last_sample_id AND o.import_id = i.id",
			      m->imports_before);
		if (rc == CS_OK)
			rc = run(m, NULL, "reading the keys of the samples merged before", err, stmt);
		if (rc != CS_OK)
			return rc;
		*built = 1;
	}
	rc = preparef(m, &stmt, err, "INSERT INTO temp.moved (src, dst) SELECT src, dst FROM (SELECT c.src,"
		      " (SELECT k.id FROM temp.text_keys k CROSS JOIN main.samples o ON o.id = k.id"
		      " WHERE k.run_id = mr.dst AND k.problem_id = mp.dst AND k.import_id = mi.dst"
		      " AND k.text_key = coseval_text_key(s.text) AND o.text = s.text ORDER BY k.sample_index LIMIT 1)"
		      " AS dst FROM temp.candidate c CROSS JOIN %1$s.samples s ON s.id = c.src"
		      " CROSS JOIN temp.map_import mi ON mi.src = s.import_id CROSS JOIN temp.map_run mr"
		      " ON mr.src = s.run_id CROSS JOIN temp.map_problem mp ON mp.src = s.problem_id ORDER BY c.src)"
		      " WHERE dst IS NOT NULL", m->schema);
	if (rc == CS_OK)
		rc = run(m, NULL, "matching samples merged before", err, stmt);
	return rc;
}

/* Merges the samples of the attached input m->schema into main and fills temp.moved with the input's samples
 * that are (or are now) in main at another index, for their grades and judgments to follow them. */
static int merge_samples(struct merge *m, struct cs_merge_stats *stats, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	long added = 0, renumbered = 0, present = 0;
	int built = 0;
	int rc;

	/* already there at another index: a sample whose own index in main holds another text (or the same text
	 * from another import), and whose run and
	 * problem hold in main a sample with the same text from an import main held before this input (renumbered
	 * by an earlier merge); then, in the runs where such samples were found, also those whose own index is
	 * free (an earlier merge closed up their gaps) */
	rc = find_moved(m, "EXISTS (SELECT 1 FROM main.samples o WHERE o.run_id = mr.dst AND o.problem_id = mp.dst"
			" AND o.sample_index = s.sample_index AND (o.text IS NOT s.text OR o.import_id IS NOT mi.dst))",
			&built, err);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO temp.rematched_run (src) SELECT s.run_id"
			      " FROM temp.moved mv CROSS JOIN %1$s.samples s ON s.id = mv.src", m->schema);
	if (rc == CS_OK)
		rc = run(m, NULL, "finding runs merged before", err, stmt);
	if (rc == CS_OK)
		rc = find_moved(m, "EXISTS (SELECT 1 FROM temp.rematched_run rr WHERE rr.src = s.run_id)"
				" AND NOT EXISTS (SELECT 1 FROM main.samples o WHERE o.run_id = mr.dst"
				" AND o.problem_id = mp.dst AND o.sample_index = s.sample_index)", &built, err);
	if (rc != CS_OK)
		return rc;

	/* collisions: another text at the same run, problem and index */
	if (!m->renumber) {
		rc = preparef(m, &stmt, err, "SELECT r.name, p.dataset, p.problem_key, s.sample_index FROM %1$s.samples s "
			      SAME_SAMPLE " JOIN %1$s.runs r ON r.id = s.run_id JOIN %1$s.problems p ON p.id = s.problem_id"
			      " WHERE o.text IS NOT s.text AND " NOT_MOVED " LIMIT 1", m->schema);
		if (rc == CS_OK)
			rc = conflict(m, stmt, err, sample_conflict);
	} else {
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO temp.renumber_run (src) SELECT s.run_id"
			      " FROM %1$s.samples s " SAME_SAMPLE " WHERE o.text IS NOT s.text AND " NOT_MOVED, m->schema);
		if (rc == CS_OK)
			rc = run(m, NULL, "finding colliding runs", err, stmt);
		/* the new samples of each colliding run, after main's largest index of their run and problem: all but
		 * those whose own index holds the same text from the same import (the same sample). In a run split
		 * across machines an index names no sample, and the same text from another file is another draw */
		if (rc == CS_OK)
			rc = preparef(m, &stmt, err, "INSERT INTO temp.renumbered (src, run_id, problem_id, sample_index)"
				      " SELECT s.id, mr.dst, mp.dst, coalesce((SELECT max(o.sample_index) FROM main.samples o"
				      " WHERE o.run_id = mr.dst AND o.problem_id = mp.dst), -1) + row_number() OVER"
				      " (PARTITION BY s.run_id, s.problem_id ORDER BY s.sample_index, s.id)"
				      " FROM %1$s.samples s CROSS JOIN temp.renumber_run rr ON rr.src = s.run_id"
				      " CROSS JOIN temp.map_run mr ON mr.src = s.run_id CROSS JOIN temp.map_problem mp"
				      " ON mp.src = s.problem_id CROSS JOIN temp.map_import mi ON mi.src = s.import_id"
				      " WHERE " NOT_MOVED " AND NOT EXISTS (SELECT 1 FROM main.samples o"
				      " WHERE o.run_id = mr.dst AND o.problem_id = mp.dst AND o.sample_index = s.sample_index"
				      " AND o.text = s.text AND o.import_id = mi.dst)", m->schema);
		if (rc == CS_OK)
			rc = run(m, NULL, "renumbering samples", err, stmt);
	}
	if (rc != CS_OK)
		return rc;

	/* samples of the other runs: appended unless the same (run, problem, index) is there */
	rc = preparef(m, &stmt, err, "INSERT INTO main.samples (run_id, problem_id, sample_index, text, tokens,"
		      " label, import_id, stopped) SELECT mr.dst, mp.dst, s.sample_index, s.text, s.tokens, s.label,"
		      " mi.dst, s.stopped"
		      " FROM %1$s.samples s JOIN temp.map_run mr ON mr.src = s.run_id"
		      " JOIN temp.map_problem mp ON mp.src = s.problem_id JOIN temp.map_import mi"
		      " ON mi.src = s.import_id WHERE " NOT_MOVED " AND NOT EXISTS (SELECT 1 FROM temp.renumber_run rr"
		      " WHERE rr.src = s.run_id) ORDER BY s.id"
		      " ON CONFLICT (run_id, problem_id, sample_index) DO NOTHING", m->schema);
	if (rc == CS_OK)
		rc = run(m, &added, "merging samples", err, stmt);
	/* samples of the colliding runs, at their new indexes; then they are moved samples too */
	if (rc == CS_OK && m->renumber)
		rc = preparef(m, &stmt, err, "INSERT INTO main.samples (run_id, problem_id, sample_index, text, tokens,"
			      " label, import_id, stopped) SELECT rn.run_id, rn.problem_id, rn.sample_index, s.text,"
			      " s.tokens, s.label, mi.dst, s.stopped FROM temp.renumbered rn CROSS JOIN %1$s.samples s"
			      " ON s.id = rn.src CROSS JOIN temp.map_import mi ON mi.src = s.import_id ORDER BY rn.src",
			      m->schema);
	if (rc == CS_OK && m->renumber)
		rc = run(m, &renumbered, "merging renumbered samples", err, stmt);
	if (rc == CS_OK && m->renumber)
		rc = preparef(m, &stmt, err, "INSERT INTO temp.moved (src, dst) SELECT rn.src, o.id FROM temp.renumbered rn"
			      " CROSS JOIN main.samples o ON o.run_id = rn.run_id AND o.problem_id = rn.problem_id"
			      " AND o.sample_index = rn.sample_index ORDER BY rn.src");
	if (rc == CS_OK && m->renumber)
		rc = run(m, NULL, "mapping renumbered samples", err, stmt);
	/* each import that received samples widens its recorded id range to cover them */
	if (rc == CS_OK)
		rc = cs_store_record_unrecorded(m->st, err);
	/* every sample of the input is now in the output: those not added were there already */
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "SELECT count(*) FROM %1$s.samples s JOIN temp.map_run mr ON mr.src = s.run_id"
			      " JOIN temp.map_problem mp ON mp.src = s.problem_id", m->schema);
	if (rc == CS_OK)
		rc = count(m, &present, "counting samples", err, stmt);
	if (rc != CS_OK)
		return rc;
	stats->samples += added + renumbered;
	stats->samples_renumbered += renumbered;
	stats->samples_present += present - added - renumbered;
	return CS_OK;
}

/* Merges the grades and judgments of the input's samples, each to its sample in main: the one at the same
 * run, problem and index, or for a moved sample the one temp.moved names. */
static int merge_graded(struct merge *m, struct cs_merge_stats *stats, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	/* grades: a sample graded in the output keeps its grade. The output's sample is found by its natural key,
	 * read from the input's sample, in the input's id order: no id map to build, nothing materialised */
	rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO main.grades (sample_id, answer, canonical, verdict, rule,"
		      " reason, grader_version, run_id, problem_id, sample_index, text_key, normalized_key)"
		      " SELECT o.id, g.answer, g.canonical, g.verdict, g.rule, g.reason, g.grader_version, o.run_id,"
		      " o.problem_id, o.sample_index, g.text_key, g.normalized_key FROM %1$s.grades g"
		      " CROSS JOIN %1$s.samples s ON s.id = g.sample_id " SAME_SAMPLE " WHERE " NOT_MOVED, m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->grades, "merging grades", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO main.grades (sample_id, answer, canonical, verdict,"
			      " rule, reason, grader_version, run_id, problem_id, sample_index, text_key, normalized_key)"
			      " SELECT o.id, g.answer, g.canonical, g.verdict, g.rule, g.reason, g.grader_version, o.run_id,"
			      " o.problem_id, o.sample_index, g.text_key, g.normalized_key FROM temp.moved mv"
			      " CROSS JOIN %1$s.grades g ON g.sample_id = mv.src CROSS JOIN main.samples o ON o.id = mv.dst"
			      " ORDER BY mv.src", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->grades, "merging grades of moved samples", err, stmt);

	/* judgments */
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "SELECT r.name, p.problem_key, s.sample_index, j.judge"
			      " FROM %1$s.judgments j CROSS JOIN %1$s.samples s ON s.id = j.sample_id " SAME_SAMPLE
			      " JOIN main.judgments oj ON oj.sample_id = o.id AND oj.judge = j.judge"
			      " JOIN %1$s.runs r ON r.id = s.run_id JOIN %1$s.problems p ON p.id = s.problem_id"
			      " WHERE oj.reasoning_correct IS NOT j.reasoning_correct AND " NOT_MOVED " LIMIT 1", m->schema);
	if (rc == CS_OK)
		rc = conflict(m, stmt, err, judgment_conflict);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "SELECT r.name, p.problem_key, s.sample_index, j.judge FROM temp.moved mv"
			      " CROSS JOIN %1$s.judgments j ON j.sample_id = mv.src CROSS JOIN %1$s.samples s"
			      " ON s.id = mv.src JOIN main.judgments oj ON oj.sample_id = mv.dst AND oj.judge = j.judge"
			      " JOIN %1$s.runs r ON r.id = s.run_id JOIN %1$s.problems p ON p.id = s.problem_id"
			      " WHERE oj.reasoning_correct IS NOT j.reasoning_correct LIMIT 1", m->schema);
	if (rc == CS_OK)
		rc = conflict(m, stmt, err, judgment_conflict);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO main.judgments (sample_id, judge, reasoning_correct,"
			      " import_id) SELECT o.id, j.judge, j.reasoning_correct, mi.dst FROM %1$s.judgments j"
			      " CROSS JOIN %1$s.samples s ON s.id = j.sample_id " SAME_SAMPLE " JOIN temp.map_import mi"
			      " ON mi.src = j.import_id WHERE " NOT_MOVED " ORDER BY j.id", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->judgments, "merging judgments", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO main.judgments (sample_id, judge, reasoning_correct,"
			      " import_id) SELECT mv.dst, j.judge, j.reasoning_correct, mi.dst FROM temp.moved mv"
			      " CROSS JOIN %1$s.judgments j ON j.sample_id = mv.src JOIN temp.map_import mi"
			      " ON mi.src = j.import_id ORDER BY mv.src, j.id", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->judgments, "merging judgments of moved samples", err, stmt);
	return rc;
}

/* Merges the attached input m->schema into main. */
static int merge_one(struct merge *m, struct cs_merge_stats *stats, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int version = -1;
	int rc;

	rc = preparef(m, &stmt, err, "PRAGMA %1$s.user_version", m->schema);
	if (rc != CS_OK)
		goto done;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (version != CS_SCHEMA_VERSION) {
		rc = cs_fail(err, CS_DB, "%s: schema version %d, not %d: %s", m->inputs[m->index], version,
			     CS_SCHEMA_VERSION, version < CS_SCHEMA_VERSION ?
			     "migrate it first with 'coseval init --db' on it" : "written by a newer coseval");
		goto done;
	}
	rc = cs_store_exec(m->st, "DELETE FROM temp.map_problem; DELETE FROM temp.map_run;"
			   " DELETE FROM temp.map_import; DELETE FROM temp.moved; DELETE FROM temp.renumber_run;"
			   " DELETE FROM temp.renumbered; DELETE FROM temp.rematched_run; DELETE FROM temp.text_keys;",
			   "clearing the id maps", err);
	if (rc != CS_OK)
		goto done;

	/* datasets */
	rc = preparef(m, &stmt, err, "SELECT s.name, s.profile, d.profile FROM %1$s.datasets s JOIN main.datasets d"
		      " ON d.name = s.name WHERE d.profile IS NOT s.profile LIMIT 1", m->schema);
	if (rc == CS_OK)
		rc = conflict(m, stmt, err, dataset_conflict);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO main.datasets (name, profile)"
			      " SELECT name, profile FROM %1$s.datasets ORDER BY name", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->datasets, "merging datasets", err, stmt);
	if (rc != CS_OK)
		goto done;

	/* problems */
	rc = preparef(m, &stmt, err, "SELECT s.dataset, s.problem_key, p.gold IS NOT s.gold FROM %1$s.problems s"
		      " JOIN main.problems p ON p.dataset = s.dataset AND p.problem_key = s.problem_key"
		      " WHERE p.gold IS NOT s.gold OR p.question IS NOT s.question LIMIT 1", m->schema);
	if (rc == CS_OK)
		rc = conflict(m, stmt, err, problem_conflict);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT INTO main.problems (dataset, problem_key, question, gold, solution,"
			      " subject, level) SELECT dataset, problem_key, question, gold, solution, subject, level"
			      " FROM %1$s.problems s WHERE true ORDER BY s.id"
			      " ON CONFLICT (dataset, problem_key) DO NOTHING", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->problems, "merging problems", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT INTO temp.map_problem (src, dst) SELECT s.id, p.id"
			      " FROM %1$s.problems s JOIN main.problems p ON p.dataset = s.dataset"
			      " AND p.problem_key = s.problem_key", m->schema);
	if (rc == CS_OK)
		rc = run(m, NULL, "mapping problems", err, stmt);
	if (rc != CS_OK)
		goto done;

	/* runs, tags, answer patterns */
	rc = preparef(m, &stmt, err, "SELECT name, what, CASE what WHEN 'model' THEN sm WHEN 'dataset' THEN sd"
		      " WHEN 'params' THEN sp ELSE sx END, CASE what WHEN 'model' THEN rm WHEN 'dataset' THEN rd"
		      " WHEN 'params' THEN rp ELSE rx END FROM (SELECT s.name, s.model AS sm, s.dataset AS sd,"
		      " s.params AS sp, s.price_out AS sx, r.model AS rm, r.dataset AS rd, r.params AS rp,"
		      " r.price_out AS rx, CASE WHEN r.model IS NOT s.model THEN 'model'"
		      " WHEN r.dataset IS NOT s.dataset THEN 'dataset' WHEN r.params IS NOT s.params THEN 'params'"
		      " ELSE 'price_out' END AS what FROM %1$s.runs s JOIN main.runs r ON r.name = s.name"
		      " WHERE r.model IS NOT s.model OR r.dataset IS NOT s.dataset OR r.params IS NOT s.params"
		      " OR r.price_out IS NOT s.price_out LIMIT 1)", m->schema);
	if (rc == CS_OK)
		rc = conflict(m, stmt, err, run_conflict);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT INTO main.runs (name, model, params, price_out, dataset, created_at)"
			      " SELECT name, model, params, price_out, dataset, created_at FROM %1$s.runs s"
			      " WHERE true ORDER BY s.id ON CONFLICT (name) DO NOTHING", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->runs, "merging runs", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT INTO temp.map_run (src, dst) SELECT s.id, r.id FROM %1$s.runs s"
			      " JOIN main.runs r ON r.name = s.name", m->schema);
	if (rc == CS_OK)
		rc = run(m, NULL, "mapping runs", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "SELECT r.name, s.key, s.value, t.value FROM %1$s.run_tags s"
			      " JOIN %1$s.runs r ON r.id = s.run_id JOIN temp.map_run mr ON mr.src = s.run_id"
			      " JOIN main.run_tags t ON t.run_id = mr.dst AND t.key = s.key WHERE t.value IS NOT s.value"
			      " LIMIT 1", m->schema);
	if (rc == CS_OK)
		rc = conflict(m, stmt, err, tag_conflict);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO main.run_tags (run_id, key, value)"
			      " SELECT mr.dst, s.key, s.value FROM %1$s.run_tags s JOIN temp.map_run mr ON mr.src = s.run_id"
			      " ORDER BY mr.dst, s.key", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->tags, "merging run tags", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "SELECT r.name, s.pattern, a.pattern FROM %1$s.answer_patterns s"
			      " JOIN %1$s.runs r ON r.id = s.run_id JOIN temp.map_run mr ON mr.src = s.run_id"
			      " JOIN main.answer_patterns a ON a.run_id = mr.dst WHERE a.pattern IS NOT s.pattern LIMIT 1",
			      m->schema);
	if (rc == CS_OK)
		rc = conflict(m, stmt, err, pattern_conflict);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT OR IGNORE INTO main.answer_patterns (run_id, pattern)"
			      " SELECT mr.dst, s.pattern FROM %1$s.answer_patterns s JOIN temp.map_run mr"
			      " ON mr.src = s.run_id ORDER BY mr.dst", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->patterns, "merging answer patterns", err, stmt);
	if (rc != CS_OK)
		goto done;

	/* imports: the same file imported into the same dataset and run is one import */
	rc = preparef(m, &stmt, err, "SELECT coalesce(max(id), 0) FROM main.imports");
	if (rc == CS_OK)
		rc = count(m, &m->imports_before, "reading the imports", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT INTO main.imports (kind, dataset, run_id, path, sha256, bytes, records,"
		      " imported_at) SELECT s.kind, s.dataset, mr.dst, s.path, s.sha256, s.bytes, s.records,"
		      " s.imported_at FROM %1$s.imports s LEFT JOIN temp.map_run mr ON mr.src = s.run_id"
		      " WHERE NOT EXISTS (SELECT 1 FROM main.imports i WHERE i.kind = s.kind AND i.sha256 = s.sha256"
		      " AND i.dataset = s.dataset AND i.run_id IS mr.dst) ORDER BY s.id", m->schema);
	if (rc == CS_OK)
		rc = run(m, &stats->imports, "merging imports", err, stmt);
	if (rc == CS_OK)
		rc = preparef(m, &stmt, err, "INSERT INTO temp.map_import (src, dst) SELECT s.id, (SELECT min(i.id)"
			      " FROM main.imports i WHERE i.kind = s.kind AND i.sha256 = s.sha256 AND i.dataset = s.dataset"
			      " AND i.run_id IS mr.dst) FROM %1$s.imports s LEFT JOIN temp.map_run mr ON mr.src = s.run_id",
			      m->schema);
	if (rc == CS_OK)
		rc = run(m, NULL, "mapping imports", err, stmt);
	if (rc != CS_OK)
		goto done;

	rc = merge_samples(m, stats, err);
	if (rc == CS_OK)
		rc = merge_graded(m, stats, err);
done:
	return rc;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cs_merge(const char *out, const char *const *inputs, size_t n, int renumber, struct cs_merge_stats *stats,
	     struct cs_err *err)
{
	struct merge m = { 0 };
	int existed = access(out, F_OK) == 0;
	size_t attached = 0;
	int dup[CS_MERGE_MAX_INPUTS] = { 0 };
	int in_tx = 0;
	int rc = CS_OK;

	memset(stats, 0, sizeof *stats);
	if (n == 0 || n > CS_MERGE_MAX_INPUTS)
		return cs_fail(err, CS_USAGE, "give 1 to %d input databases (merge more in rounds)", CS_MERGE_MAX_INPUTS);
	for (size_t i = 0; i < n; i++) {
		if (access(inputs[i], R_OK) != 0)
			return cs_fail(err, CS_USAGE, "%s: no such database", inputs[i]);
		if (existed && same_file(inputs[i], out))
			return cs_fail(err, CS_USAGE, "%s: the output cannot also be an input", inputs[i]);
	}
	m.out = out;
	m.inputs = inputs;
	m.renumber = renumber;
	rc = cs_store_open(out, 1, &m.st, err);
	/* memory stays bounded whatever the inputs hold: the id maps, sorts and statement journals go to temporary
	 * files past a small cache, and each input gets a small page cache of its own */
	if (rc == CS_OK)
		rc = cs_store_exec(m.st, "PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -" CS_MERGE_INPUT_CACHE_KIB,
				   "configuring", err);
	if (rc != CS_OK)
		goto done;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *stmt = NULL;
		char name[32], sql[64];

		for (size_t j = 0; j < i && !dup[i]; j++)
			dup[i] = same_file(inputs[i], inputs[j]);
		snprintf(name, sizeof name, "in%zu", i);
		rc = cs_store_prepare(m.st, "ATTACH DATABASE ?1 AS ?2", &stmt, err);
		if (rc != CS_OK)
			goto done;
		sqlite3_bind_text(stmt, 1, inputs[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = cs_fail(err, CS_DB, "%s: cannot attach: %s", inputs[i], sqlite3_errmsg(m.st->db));
		sqlite3_finalize(stmt);
		if (rc != CS_OK)
			goto done;
		attached++;
		snprintf(sql, sizeof sql, "PRAGMA %s.cache_size = -" CS_MERGE_INPUT_CACHE_KIB, name);
		rc = cs_store_exec(m.st, sql, "configuring", err);
		if (rc != CS_OK)
			goto done;
	}
	/* not BEGIN IMMEDIATE, which would lock every input for writing too: only the output is written */
	rc = cs_store_exec(m.st,
			   "CREATE TEMP TABLE IF NOT EXISTS map_problem (src INTEGER PRIMARY KEY, dst INTEGER NOT NULL);"
			   "CREATE TEMP TABLE IF NOT EXISTS map_run (src INTEGER PRIMARY KEY, dst INTEGER NOT NULL);"
			   "CREATE TEMP TABLE IF NOT EXISTS map_import (src INTEGER PRIMARY KEY, dst INTEGER NOT NULL);"
			   "CREATE TEMP TABLE IF NOT EXISTS moved (src INTEGER PRIMARY KEY, dst INTEGER NOT NULL);"
			   "CREATE TEMP TABLE IF NOT EXISTS renumber_run (src INTEGER PRIMARY KEY);"
			   "CREATE TEMP TABLE IF NOT EXISTS rematched_run (src INTEGER PRIMARY KEY);"
			   "CREATE TEMP TABLE IF NOT EXISTS candidate (src INTEGER PRIMARY KEY);"
			   "CREATE TEMP TABLE IF NOT EXISTS text_keys (run_id INTEGER NOT NULL, problem_id INTEGER NOT NULL,"
			   " import_id INTEGER NOT NULL, text_key INTEGER NOT NULL, sample_index INTEGER NOT NULL,"
			   " id INTEGER NOT NULL);"
			   "CREATE INDEX IF NOT EXISTS temp.text_keys_by_sample ON text_keys (run_id, problem_id, import_id,"
			   " text_key, sample_index);"
			   "CREATE TEMP TABLE IF NOT EXISTS renumbered (src INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,"
			   " problem_id INTEGER NOT NULL, sample_index INTEGER NOT NULL);",
			   "creating the id maps", err);
	if (rc == CS_OK)
		rc = cs_store_exec(m.st, "BEGIN", "starting a transaction", err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	for (m.index = 0; rc == CS_OK && m.index < n; m.index++) {
		if (dup[m.index])
			continue; /* the same file again: merging it twice changes nothing */
		snprintf(m.schema, sizeof m.schema, "in%zu", m.index);
		rc = merge_one(&m, stats, err);
	}
	if (rc == CS_OK)
		rc = cs_store_commit(m.st, err);
	if (rc == CS_OK)
		in_tx = 0;
done:
	if (in_tx)
		cs_store_rollback(m.st);
	for (size_t i = 0; m.st != NULL && i < attached; i++) {
		char sql[48];
		snprintf(sql, sizeof sql, "DETACH DATABASE in%zu", i);
		sqlite3_exec(m.st->db, sql, NULL, NULL, NULL);
	}
	cs_store_close(m.st);
	if (rc != CS_OK && !existed)
		unlink(out);
	return rc;
}
