/* The grading pass over the store: reads the samples of a run that have no up-to-date grade, grades them
 * on several threads, and writes the grades from the calling thread (SQLite has one writer). */
#ifndef COSEVAL_GRADE_PASS_H
#define COSEVAL_GRADE_PASS_H

#include "store/store.h"

struct cs_grade_pass_opts {
	int threads;                /* threads that grade, at least 1: the calling thread (which also reads and
	                               writes) and threads - 1 workers */
	int regrade;                /* grade every sample again, even those graded by this grader version */
	const char *answer_pattern; /* NULL: keep the run's stored pattern; "" removes it; else stores it */
	/* NULL, or called by the calling thread as the pass goes: when it starts (done 0) and after each batch of
	 * grades written, with done the samples graded so far of total, the samples this pass grades (the run's
	 * samples less those whose grade is current) */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
};

struct cs_grade_pass_stats {
	long graded;        /* samples graded in this pass */
	long correct, wrong, no_answer;
	long up_to_date;    /* samples skipped because their grade is current */
	double seconds;
	char version[96];   /* the grader version recorded, with the pattern's fingerprint when there is one */
};

/* Grades the run called run. Commits every 100,000 samples, so an interrupted pass keeps its progress and
 * the next one continues where it stopped. Errors: CS_INPUT (unknown run), CS_USAGE (bad pattern), CS_DB. */
int cs_grade_run(struct cs_store *st, const char *run, const struct cs_grade_pass_opts *opt,
		 struct cs_grade_pass_stats *stats, struct cs_err *err);

/* The grader version a run's grades carry: CS_GRADER_VERSION, plus "+pattern:" and the first 12 hex digits
 * of the pattern's SHA-256 when the run has its own answer pattern. Written into buf. */
void cs_grade_version(const char *pattern, char buf[96]);

#endif
