/* `coseval grade`: extracts and checks the final answer of every sample that has no current grade. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/grade_stream.h"
#include "grade/grade.h"
#include "grade/pass.h"
#include "store/store.h"
#include "util/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The progress line of a grade command: which run of how many, and the samples graded in it. */
struct grade_progress {
	struct cs_progress bar;
	const char *run;
	int index, count;    /* the run is the index-th (from 1) of count */
	double run_start;    /* when the run's pass began, in seconds since the line began */
};

/* cs_grade_run's progress callback: "grade RUN (2 of 4): 1,234 of 5,000 samples (24%), 800 samples/s, 5 s
 * left", redrawn at most five times a second. */
static void show_grade(void *ctx, long done, long total)
{
	struct grade_progress *gp = ctx;
	char rate[64], eta[64], which[32] = "";
	double elapsed;

	if (done == 0)
		gp->run_start = cs_progress_elapsed(&gp->bar);
	if (!cs_progress_due(&gp->bar))
		return;
	elapsed = cs_progress_elapsed(&gp->bar) - gp->run_start;
	cs_progress_rate(rate, sizeof rate, (double)done, elapsed, "samples");
	cs_progress_eta(eta, sizeof eta, total > 0 ? (double)done / (double)total : 0, elapsed);
	if (gp->count > 1)
		snprintf(which, sizeof which, " (%d of %d)", gp->index, gp->count);
	cs_progress_show(&gp->bar, "grade %s%s: %ld of %ld samples (%.0f%%)%s%s", gp->run, which, done, total,
			 total > 0 ? 100.0 * (double)done / (double)total : 100.0, rate, eta);
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
	struct grade_progress progress = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	char **names = NULL;
	int nnames = 0;
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
	cs_progress_begin(&progress.bar);
	if (progress.bar.on) {
		opt.progress = show_grade;
		opt.progress_ctx = &progress;
	}
	if (pattern != NULL && pattern[0] != '\0') {
		/* a bad pattern is a usage error, found before the database is opened */
		struct cs_grader *check = NULL;
		rc = cs_grader_new(CS_PROFILE_GENERIC, pattern, &check, &err);
		cs_grader_free(check);
		if (rc != 0) {
			fprintf(stderr, "coseval grade: %s\n", err.msg);
			return rc;
		}
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0 && runs.count == 0)
		rc = cs_store_run_names(st, &names, &nnames, &err);
	for (int i = 0; rc == 0 && i < (runs.count > 0 ? (int)runs.count : nnames); i++) {
		const char *run = runs.count > 0 ? runs.items[i] : names[i];
		struct cs_grade_pass_stats s;

		progress.run = run;
		progress.index = i + 1;
		progress.count = runs.count > 0 ? (int)runs.count : nnames;
		rc = cs_grade_run(st, run, &opt, &s, &err);
		cs_progress_clear(&progress.bar);
		if (rc != 0)
			break;
		printf("%s: graded %ld samples (correct %ld, wrong %ld, no answer %ld), %ld already current; "
		       "grader %s, %d threads, %.2f s\n", run, s.graded, s.correct, s.wrong, s.no_answer,
		       s.up_to_date, s.version, opt.threads, s.seconds);
	}
	cs_progress_end(&progress.bar);
	if (rc != 0)
		fprintf(stderr, "coseval grade: %s\n", err.msg);
	cs_store_free_names(names, nnames);
	cs_store_close(st);
	return rc;
}
