/* Unit tests of reading graded runs back (store/tallies.c) and of the grading pass that writes what they read:
 * the streaming scan in groups of any size (spilled to temporary files) equals one full read, solutions
 * group by text keys under each uniqueness, ungraded samples are refused, and 1 and 2 grading threads write
 * the same grades. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade/pass.h"
#include "score/score.h"
#include "store/store.h"
#include "store/tallies.h"

static char path[256];
static struct cs_store *st;

/* Problem i has gold i + 1; the samples go in a scrambled order, as in a dump sorted by nothing. */
#define NPROBLEMS 9
#define PER_PROBLEM 7

static void exec(const char *sql)
{
	char *msg = NULL;

	cr_assert_eq(sqlite3_exec(st->db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql, msg ? msg : "");
}

/* The text of sample s of problem p: right or wrong answers, some texts repeated exactly, some repeated up
 * to case and white space. */
static void sample_text(int p, int s, char *buf, size_t size)
{
	int answer = (s % 3 == 2) ? p + 50 + s : p + 1;

	if (s == 6)
		snprintf(buf, size, "no final answer here");
	else if (s % 2 == 0)
		snprintf(buf, size, "We add and get \\boxed{%d}.", answer);
	else if (s == 1)
		snprintf(buf, size, "we  ADD and get\n\\boxed{%d}.", answer);
	else
		snprintf(buf, size, "Another way: the answer is \\boxed{%d}", answer);
}

static void build(void)
{
	static int counter;
	struct cs_err err;
	sqlite3_stmt *stmt;

	snprintf(path, sizeof path, "/tmp/coseval-scan-%d-%d.db", (int)getpid(), counter++);
	unlink(path);
	cr_assert_eq(cs_store_open(path, 1, &st, &err), CS_OK, "%s", err.msg);
	exec("BEGIN; INSERT INTO datasets VALUES ('d', 'math');"
	     "INSERT INTO runs (name, model, dataset, created_at) VALUES ('r', 'm', 'd', 'now');"
	     "INSERT INTO imports (kind, dataset, run_id, path, sha256, bytes, records, imported_at)"
	     " VALUES ('samples', 'd', 1, 'x', 'y', 0, 0, 'now');");
	for (int p = 0; p < NPROBLEMS; p++) {
		char sql[256];
		snprintf(sql, sizeof sql, "INSERT INTO problems (dataset, problem_key, gold, subject, level)"
			 " VALUES ('d', 'p%d', '%d', '%s', %d)", p, p + 1, p % 2 ? "Algebra" : "Geometry", 1 + p % 3);
		exec(sql);
	}
	cr_assert_eq(sqlite3_prepare_v2(st->db, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
					" VALUES (1, ?, ?, ?, 1)", -1, &stmt, NULL), SQLITE_OK);
	for (int i = 0; i < NPROBLEMS * PER_PROBLEM; i++) {
		/* a permutation of the (problem, sample) pairs: 31 is coprime to 63 */
		int j = (i * 31) % (NPROBLEMS * PER_PROBLEM);
		int p = j / PER_PROBLEM, s = PER_PROBLEM - 1 - j % PER_PROBLEM;
		char text[128];

		sample_text(p, s, text, sizeof text);
		sqlite3_reset(stmt);
		sqlite3_bind_int(stmt, 1, p + 1);
		sqlite3_bind_int(stmt, 2, s);
		sqlite3_bind_text(stmt, 3, text, -1, SQLITE_TRANSIENT);
		cr_assert_eq(sqlite3_step(stmt), SQLITE_DONE);
	}
	sqlite3_finalize(stmt);
	exec("COMMIT");
}

static void grade(int threads, int regrade)
{
	struct cs_grade_pass_opts opt = { .threads = threads, .regrade = regrade };
	struct cs_grade_pass_stats stats;
	struct cs_err err;

	cr_assert_eq(cs_grade_run(st, "r", &opt, &stats, &err), CS_OK, "%s", err.msg);
}

static void teardown(void)
{
	cs_store_close(st);
	st = NULL;
	unlink(path);
}

/* What a scan hands over, kept for comparison. */
struct kept {
	int np;
	int n[NPROBLEMS];
	unsigned char correct[NPROBLEMS][PER_PROBLEM];
	int answer[NPROBLEMS][PER_PROBLEM], solution[NPROBLEMS][PER_PROBLEM];
};

static int keep(void *ctx, int index, const struct cs_tally *t, struct cs_err *err)
{
	struct kept *k = ctx;

	(void)err;
	cr_assert(index == k->np, "problems arrive in order, once each");
	cr_assert_leq(t->n, PER_PROBLEM);
	k->n[index] = t->n;
	memcpy(k->correct[index], t->correct, (size_t)t->n);
	memcpy(k->answer[index], t->answer, (size_t)t->n * sizeof(int));
	memcpy(k->solution[index], t->solution, (size_t)t->n * sizeof(int));
	k->np++;
	return CS_OK;
}

static void scan(enum cs_unique u, long chunk, struct kept *k)
{
	struct cs_run_data d;
	struct cs_err err;

	memset(k, 0, sizeof *k);
	cr_assert_eq(cs_run_scan_chunked(st, "r", u, chunk, &d, keep, k, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(d.np, NPROBLEMS);
	cr_assert_eq(d.samples, NPROBLEMS * PER_PROBLEM);
	cr_assert_str_eq(d.problem_keys[3], "p3");
	cr_assert_str_eq(d.subjects[3], "Algebra");
	cr_assert_eq(d.levels[3], 1);
	cs_run_data_free(&d);
}

Test(scan, passes_of_any_size_give_the_same_tallies, .init = build, .fini = teardown)
{
	struct kept one, many;

	grade(1, 0);
	for (int u = CS_UNIQUE_EXACT; u <= CS_UNIQUE_ANSWER; u++) {
		scan((enum cs_unique)u, 1000000, &one);
		for (long chunk = 1; chunk <= 20; chunk += 3) {
			scan((enum cs_unique)u, chunk, &many);
			cr_assert(memcmp(&one, &many, sizeof one) == 0, "unique %d, passes of %ld samples", u, chunk);
		}
	}
}

Test(scan, groups_spill_to_tmpdir_and_say_so_when_it_cannot_be_written, .init = build, .fini = teardown)
{
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL;
	struct kept one, many;
	struct cs_run_data d;
	struct cs_err err;

	grade(1, 0);
	scan(CS_UNIQUE_EXACT, 1000000, &one);
	/* one group: read straight into memory, no temporary file */
	setenv("TMPDIR", "/nonexistent/coseval-tmp", 1);
	scan(CS_UNIQUE_EXACT, 1000000, &many);
	cr_assert(memcmp(&one, &many, sizeof one) == 0);
	/* several groups need their temporary files: an unwritable TMPDIR is named, not a wrong result */
	cr_assert_eq(cs_run_scan_chunked(st, "r", CS_UNIQUE_EXACT, 7, &d, keep, &many, &err), CS_INTERNAL);
	cr_assert(strstr(err.msg, "/nonexistent/coseval-tmp") != NULL && strstr(err.msg, "TMPDIR") != NULL,
		  "%s", err.msg);
	if (saved != NULL)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
	scan(CS_UNIQUE_EXACT, 7, &many);
	cr_assert(memcmp(&one, &many, sizeof one) == 0);
}

Test(scan, tallies_follow_sample_order_and_group_by_key, .init = build, .fini = teardown)
{
	struct kept exact, normalized, answer;

	grade(2, 0);
	scan(CS_UNIQUE_EXACT, 5, &exact);
	scan(CS_UNIQUE_NORMALIZED, 5, &normalized);
	scan(CS_UNIQUE_ANSWER, 5, &answer);
	for (int p = 0; p < NPROBLEMS; p++) {
		const int *e = exact.solution[p], *n = normalized.solution[p], *a = answer.answer[p];

		cr_assert_eq(exact.n[p], PER_PROBLEM);
		/* samples 0, 1, 3, 4 are right (gold p + 1), 2 and 5 are wrong, 6 has no answer */
		for (int s = 0; s < PER_PROBLEM; s++)
			cr_assert_eq(exact.correct[p][s], s == 0 || s == 1 || s == 3 || s == 4, "problem %d sample %d", p, s);
		cr_assert_eq(a[6], -1);
		cr_assert(a[0] == a[1] && a[1] == a[3] && a[3] == a[4]);
		cr_assert(a[2] != a[0] && a[5] != a[0] && a[2] != a[5]);
		/* exact: samples 0 and 4 share a text; 1 differs from 0 in case and spaces only */
		cr_assert_eq(e[0], e[4]);
		cr_assert_neq(e[0], e[1]);
		cr_assert_neq(e[0], e[3]);
		/* normalized: 0, 1 and 4 are one solution */
		cr_assert(n[0] == n[1] && n[1] == n[4]);
		cr_assert_neq(n[0], n[3]);
		/* answer: every right sample is one solution */
		cr_assert(answer.solution[p][0] == answer.solution[p][3]);
	}
}

Test(scan, ungraded_samples_are_counted_and_refused, .init = build, .fini = teardown)
{
	struct cs_run_data d;
	struct cs_err err;

	grade(2, 0);
	exec("INSERT INTO samples (run_id, problem_id, sample_index, text, import_id) VALUES (1, 3, 99, 'x', 1),"
	     " (1, 8, 99, 'y', 1)");
	cr_assert_eq(cs_run_scan_chunked(st, "r", CS_UNIQUE_EXACT, 4, &d, NULL, NULL, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "2 ungraded samples") != NULL, "%s", err.msg);
	cr_assert_eq(cs_run_data_load(st, "r", CS_UNIQUE_EXACT, &d, &err), CS_INPUT);
	grade(1, 0);
	cr_assert_eq(cs_run_data_load(st, "r", CS_UNIQUE_EXACT, &d, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(d.tallies[2].n, PER_PROBLEM + 1);
	cs_run_data_free(&d);
}

/* Every grade as one text, in sample id order. */
static char *dump_grades(void)
{
	sqlite3_stmt *stmt;
	size_t cap = 1 << 16, used = 0;
	char *out = calloc(cap, 1);

	cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT sample_id, answer, canonical, verdict, rule, reason,"
					" grader_version, run_id, problem_id, sample_index, text_key, normalized_key"
					" FROM grades ORDER BY sample_id", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		for (int c = 0; c < 12; c++) {
			const unsigned char *v = sqlite3_column_text(stmt, c);
			used += (size_t)snprintf(out + used, cap - used, "%s|", v ? (const char *)v : "NULL");
			cr_assert_lt(used, cap - 1);
		}
	}
	sqlite3_finalize(stmt);
	return out;
}

Test(scan, one_and_two_threads_write_the_same_grades_and_regrade_replaces_them, .init = build, .fini = teardown)
{
	char *one, *two, *again;
	int count = -1;
	sqlite3_stmt *stmt;

	grade(1, 0);
	one = dump_grades();
	grade(2, 1);
	two = dump_grades();
	grade(2, 0);   /* everything current: nothing changes */
	again = dump_grades();
	cr_assert_str_eq(one, two);
	cr_assert_str_eq(one, again);
	cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT COUNT(*) FROM grades g JOIN samples s ON s.id = g.sample_id"
					" WHERE g.run_id = s.run_id AND g.problem_id = s.problem_id"
					" AND g.sample_index = s.sample_index AND ((g.verdict = 'correct'"
					" AND g.text_key = coseval_text_key(s.text)"
					" AND g.normalized_key = coseval_normalized_key(s.text)) OR (g.verdict <> 'correct'"
					" AND g.text_key IS NULL AND g.normalized_key IS NULL))", -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		count = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	cr_assert_eq(count, NPROBLEMS * PER_PROBLEM, "every grade carries its sample's run, problem and index, and the correct ones their keys");
	free(one);
	free(two);
	free(again);
}

Test(scan, streaming_scores_equal_scores_of_the_loaded_run, .init = build, .fini = teardown)
{
	static const int ks[] = { 1, 2, 4, 7 };
	struct cs_score_opts opt = { .ks = ks, .nk = 4, .unique = CS_UNIQUE_NORMALIZED, .ci = 0.95, .replicates = 200,
				     .seed = 3, .by = "subject" };
	struct cs_rows a = { 0 }, b = { 0 };
	struct cs_run_data d;
	struct cs_scored sc;
	struct cs_err err;

	grade(2, 0);
	cr_assert_eq(cs_run_data_load(st, "r", opt.unique, &d, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_score_run(&d, &opt, &a, &err), CS_OK, "%s", err.msg);
	cs_run_data_free(&d);
	cs_scored_init(&sc, &opt);
	cr_assert_eq(cs_run_scan_chunked(st, "r", opt.unique, 3, &d, cs_scored_problem_fn, &sc, &err), CS_OK,
		     "%s", err.msg);
	cr_assert_eq(cs_score_rows(&d, &sc, &b, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(a.count, b.count);
	cr_assert_gt(a.count, 13);
	for (size_t i = 0; i < a.count; i++) {
		cr_assert_str_eq(a.items[i].metric, b.items[i].metric);
		cr_assert_str_eq(a.items[i].slice, b.items[i].slice);
		cr_assert_eq(a.items[i].k, b.items[i].k);
		cr_assert(a.items[i].value == b.items[i].value || (a.items[i].value != a.items[i].value &&
								  b.items[i].value != b.items[i].value));
		cr_assert_eq(a.items[i].lower, b.items[i].lower);
		cr_assert_eq(a.items[i].samples, b.items[i].samples);
	}
	cs_scored_free(&sc);
	cs_run_data_free(&d);
	cs_rows_free(&a);
	cs_rows_free(&b);
}

Test(scan, a_pass_larger_than_the_page_cache_completes_on_two_threads, .init = build, .fini = teardown)
{
	sqlite3_stmt *stmt;
	int count = -1;

	/* 30,000 more samples of about 300 bytes and a cache of 8 pages (512 KiB): the regrade's delete and the
	 * grades written outgrow the cache many times over, which must not lock the reader's connection out */
	exec("BEGIN");
	cr_assert_eq(sqlite3_prepare_v2(st->db, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
					" VALUES (1, ?, ?, ?, 1)", -1, &stmt, NULL), SQLITE_OK);
	for (int i = 0; i < 30000; i++) {
		char text[400];
		snprintf(text, sizeof text, "%0260d so the answer is \\boxed{%d}", i, i % 11);
		sqlite3_reset(stmt);
		sqlite3_bind_int(stmt, 1, 1 + i % NPROBLEMS);
		sqlite3_bind_int(stmt, 2, 100 + i / NPROBLEMS);
		sqlite3_bind_text(stmt, 3, text, -1, SQLITE_TRANSIENT);
		cr_assert_eq(sqlite3_step(stmt), SQLITE_DONE);
	}
	sqlite3_finalize(stmt);
	exec("COMMIT; PRAGMA cache_size = 8");
	grade(2, 0);
	grade(2, 1);
	cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT COUNT(*) FROM grades", -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		count = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	cr_assert_eq(count, 30000 + NPROBLEMS * PER_PROBLEM);
}
