/* Scoring runs: pass@1, coverage@k, diversity@k and maj@k with bootstrap intervals, for a whole run and
 * for its slices, as result rows. */
#ifndef COSEVAL_SCORE_H
#define COSEVAL_SCORE_H

#include <stdint.h>

#include "rows.h"
#include "majority.h"
#include "store/tallies.h"

struct cs_score_opts {
	const int *ks;           /* the values of k, ascending */
	int nk;
	enum cs_unique unique;   /* what makes two solutions the same for diversity@k */
	double ci;               /* confidence level of the intervals */
	int replicates;          /* bootstrap replicates */
	uint64_t seed;           /* bootstrap and maj@k resampling seed */
	const char *by;          /* NULL (whole run), "subject", "level", "dataset" or "tag:KEY" */
};

/* Returns 1 when by is NULL or a valid --by value (subject, level, dataset, tag:KEY), else 0. */
int cs_score_by_valid(const char *by);

/* Appends to rows the figures of run d: first the whole run (slice "all"), then one slice per value of
 * opt->by. Problems with fewer than k samples are left out of that k's figures and counted in the rows'
 * "excluded" column. Errors: CS_USAGE (bad --by), CS_INTERNAL. */
int cs_score_run(const struct cs_run_data *d, const struct cs_score_opts *opt, struct cs_rows *rows,
		 struct cs_err *err);

/* The per-problem values of every metric of one run, gathered problem by problem (so that a run can be
 * scored while it is read, without holding its samples), and turned into rows at the end. */
struct cs_scored {
	const struct cs_score_opts *opt; /* borrowed */
	struct cs_maj_opts maj;
	int ncols;              /* 1 + 3 * nk: pass@1, then coverage, diversity and maj@k for each k */
	int np, cap;            /* problems scored (the highest index + 1) and room */
	double *values;         /* np x ncols, one row per problem, NaN where a problem has no value */
	int *n;                 /* samples per problem */
	unsigned char *method;  /* np x (nk + 1): the maj@k method of each problem and k */
};

void cs_scored_init(struct cs_scored *sc, const struct cs_score_opts *opt);
void cs_scored_free(struct cs_scored *sc);

/* Computes the values of problem index (its position in the run, which also seeds its maj@k Monte Carlo
 * stream) from tally t. Errors: CS_INPUT (a bad tally), CS_INTERNAL. */
int cs_scored_add(struct cs_scored *sc, int index, const struct cs_tally *t, struct cs_err *err);

/* cs_scored_add as a cs_run_scan callback (ctx is the struct cs_scored). */
int cs_scored_problem_fn(void *ctx, int index, const struct cs_tally *t, struct cs_err *err);

/* Appends the rows of run d from sc, in which every problem of d was added: the whole run (slice "all"),
 * then one slice per value of opt->by, as cs_score_run. */
int cs_score_rows(const struct cs_run_data *d, const struct cs_scored *sc, struct cs_rows *rows,
		  struct cs_err *err);

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
