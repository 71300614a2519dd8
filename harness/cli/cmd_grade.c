/* `coseval grade`: extracts and checks the final answer of every sample that has no current grade. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/grade_stream.h"
#include "grade/pass.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The names of all runs, for --all or no --run; the strings are owned by the caller (one block). */
static int all_runs(struct cs_store *st, struct cs_list *runs, char **block, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	size_t used = 0, cap = 0;
	size_t offsets[CS_LIST_MAX];
	int rc;

	*block = NULL;
	rc = cs_store_prepare(st, "SELECT name FROM runs ORDER BY name", &stmt, err);
	if (rc != 0)
		return rc;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);
		size_t len = strlen(name) + 1;

		if (runs->count == CS_LIST_MAX) {
			rc = cs_fail(err, CS_USAGE, "more than %d runs: name them with --run", CS_LIST_MAX);
			break;
		}
		if (used + len > cap) {
			char *grown;
			cap = (used + len) * 2;
			grown = realloc(*block, cap);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				break;
			}
			*block = grown;
		}
		memcpy(*block + used, name, len);
		offsets[runs->count++] = used;
		used += len;
	}
	sqlite3_finalize(stmt);
	for (size_t i = 0; rc == 0 && i < runs->count; i++)
		runs->items[i] = *block + offsets[i];
	return rc;
}

int cmd_grade(int argc, char **argv)
{
	const char *db = NULL, *threads_text = NULL, *pattern = NULL;
	int all = 0, regrade = 0;
	struct cs_list runs = { 0 };
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_LIST, &runs }, { "--all", CS_OPT_FLAG, &all },
		{ "--threads", CS_OPT_VALUE, &threads_text }, { "--regrade", CS_OPT_FLAG, &regrade },
		{ "--answer-pattern", CS_OPT_VALUE, &pattern }, { NULL, 0, NULL }
	};
	struct cs_grade_pass_opts opt = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	char *names = NULL;
	long threads = 0;
	int npos, rc = 0;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--stream") == 0)
			return cmd_grade_stream(argc, argv);
	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (all && runs.count > 0) {
		fprintf(stderr, "coseval grade: give --run NAME ... or --all, not both\n");
		return 2;
	}
	if (threads_text != NULL && (cs_parse_count("--threads", threads_text, &threads) != 0 || threads > 64)) {
		if (threads > 64)
			fprintf(stderr, "coseval grade: --threads is at most 64\n");
		return 2;
	}
	if (pattern != NULL && runs.count == 0) {
		fprintf(stderr, "coseval grade: --answer-pattern belongs to a run: name it with --run\n");
		return 2;
	}
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores > 0 ? (cores > 64 ? 64 : cores) : 1;
	}
	opt.threads = (int)threads;
	opt.regrade = regrade;
	opt.answer_pattern = pattern;
	opt.progress = isatty(STDERR_FILENO);
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0 && runs.count == 0)
		rc = all_runs(st, &runs, &names, &err);
	for (size_t i = 0; rc == 0 && i < runs.count; i++) {
		struct cs_grade_pass_stats s;
		rc = cs_grade_run(st, runs.items[i], &opt, &s, &err);
		if (rc != 0)
			break;
		printf("%s: graded %ld samples (correct %ld, wrong %ld, no answer %ld), %ld already current; "
		       "grader %s, %d threads, %.2f s\n", runs.items[i], s.graded, s.correct, s.wrong, s.no_answer,
		       s.up_to_date, s.version, opt.threads, s.seconds);
	}
	if (rc != 0)
		fprintf(stderr, "coseval grade: %s\n", err.msg);
	free(names);
	cs_store_close(st);
	return rc;
}
