/* Scoring runs: pass@1, coverage@k, diversity@k and maj@k with bootstrap intervals, for a whole run and
 * for its slices, as result rows. */
#ifndef COSEVAL_SCORE_H
#define COSEVAL_SCORE_H

#include <stdint.h>

#include "rows.h"
#include "majority.h"
#include "store/tallies.h"

/* The most threads that score problems, and how many samples wait to be scored together. */
#define CS_SCORE_MAX_THREADS 16
#define CS_SCORE_BATCH (1L << 20)

/* Metrics that cs_score_opts.metrics can select. */
#define CS_SCORE_PASS1 1u
#define CS_SCORE_COVERAGE 2u
#define CS_SCORE_DIVERSITY 4u
#define CS_SCORE_MAJ 8u

struct cs_score_opts {
	const int *ks;           /* the values of k, ascending */
	int nk;
	enum cs_unique unique;   /* what makes two solutions the same for diversity@k */
	double ci;               /* confidence level of the intervals */
	int replicates;          /* bootstrap replicates */
	uint64_t seed;           /* bootstrap and maj@k resampling seed */
	const char *by;          /* NULL (whole run), "subject", "level", "dataset" or "tag:KEY" */
	unsigned metrics;        /* CS_SCORE_* bits of the metrics to compute and report; 0 means all */
	int threads;             /* threads that score problems; 0: one per online processor (at most
	                            CS_SCORE_MAX_THREADS). The values do not depend on it. */
};

/* Returns 1 when by is NULL or a valid --by value (subject, level, dataset, tag:KEY), else 0. */
int cs_score_by_valid(const char *by);

/* Appends to rows the figures of run d: first the whole run (slice "all"), then one slice per value of
 * opt->by. Problems with fewer than k samples are left out of that k's figures and counted in the rows'
 * "excluded" column. Errors: CS_USAGE (bad --by), CS_INTERNAL. */
int cs_score_run(const struct cs_run_data *d, const struct cs_score_opts *opt, struct cs_rows *rows,
		 struct cs_err *err);

/* The per-problem values of every metric of one run, gathered problem by problem (so that a run can be
 * scored while it is read, without holding its samples), and turned into rows at the end. Problems that
 * come through cs_scored_problem_fn wait, copied, until about CS_SCORE_BATCH samples have come, and are then
 * scored on several threads; cs_score_rows scores the last ones. */
struct cs_scored {
	const struct cs_score_opts *opt; /* borrowed */
	struct cs_maj_opts maj;
	int ncols;              /* 1 + 3 * nk: pass@1, then coverage, diversity and maj@k for each k */
	int np, cap;            /* problems scored (the highest index + 1) and room */
	unsigned metrics;       /* the CS_SCORE_* bits computed (opt->metrics, or all) */
	double *values;         /* np x ncols, one row per problem, NaN where a problem has no value (or
	                           the metric is not computed) */
	int *n;                 /* samples per problem */
	unsigned char *method;  /* np x (nk + 1): the maj@k method of each problem and k */
	int nthreads;
	struct cs_maj_groups groups[CS_SCORE_MAX_THREADS]; /* each thread's answer groups, scratch reused */
	int waiting, wait_cap;  /* problems waiting to be scored: their indexes, sizes, places in the pools */
	int *wait_index, *wait_n;
	long *wait_at;
	unsigned char *wait_flags; /* bit 0: has answer ids, bit 1: has solution ids */
	unsigned char *pool_correct; /* the waiting problems' samples, one after another */
	int *pool_answer, *pool_solution;
	long pooled, pool_cap;
};

void cs_scored_init(struct cs_scored *sc, const struct cs_score_opts *opt);
void cs_scored_free(struct cs_scored *sc);

/* Computes the values of problem index (its position in the run, which also seeds its maj@k Monte Carlo
 * stream) from tally t, at once. Errors: CS_INPUT (a bad tally), CS_INTERNAL. */
int cs_scored_add(struct cs_scored *sc, int index, const struct cs_tally *t, struct cs_err *err);

/* cs_scored_add as a cs_run_scan callback (ctx is the struct cs_scored), except that the problem (t is
 * copied) may wait to be scored with others: its errors may come from a later call or from cs_score_rows. */
int cs_scored_problem_fn(void *ctx, int index, const struct cs_tally *t, struct cs_err *err);

/* Scores the problems still waiting in sc, then appends the rows of run d, every problem of which was
 * added: the whole run (slice "all"), then one slice per value of opt->by, as cs_score_run. */
int cs_score_rows(const struct cs_run_data *d, struct cs_scored *sc, struct cs_rows *rows, struct cs_err *err);

/* Appends one false-positive-rate row (metric "fpr", slice "judge=NAME") with its Wilson interval at level:
 * judged samples with a correct final answer, wrong of them judged reasoning-wrong. */
int cs_score_add_fpr(struct cs_rows *rows, const char *run, const char *model, const char *judge, long judged,
		     long wrong, double level, struct cs_err *err);

/* Parses a k list: "1,2,4,8" or "all" (1..max_n); without text, the powers of two up to max_n and max_n
 * itself. Fills *ks (malloc'd, ascending, caller frees) and *nk. CS_USAGE on a bad list. */
int cs_parse_ks(const char *text, int max_n, int **ks, int *nk, struct cs_err *err);

/* The options text written with every row. */
void cs_score_options(const struct cs_score_opts *opt, const char *grader, char *buf, size_t size);

#endif
