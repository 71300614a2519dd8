/* A regression check: a candidate run against a base run on the problems both have, metric by metric and
 * slice by slice, with paired bootstrap intervals and a one-sided p-value for "the candidate is worse". */
#ifndef COSEVAL_COMPARE_H
#define COSEVAL_COMPARE_H

#include "score/score.h"

enum cs_compare_kind { CS_CMP_PASS1, CS_CMP_COVERAGE, CS_CMP_DIVERSITY, CS_CMP_MAJ };

/* One metric to compare: pass@1, or coverage, diversity or maj at k. */
struct cs_compare_metric {
	enum cs_compare_kind kind;
	int k;                     /* 1 for pass@1 */
};

/* Parses "pass@1", "coverage@K", "diversity@K" or "maj@K" (K a whole number from 1 to 1000000); returns 0,
 * or -1 for anything else. */
int cs_compare_metric_parse(const char *name, struct cs_compare_metric *out);

/* Writes the metric's name ("coverage@8") into buf. */
void cs_compare_metric_name(const struct cs_compare_metric *m, char *buf, size_t size);

/* Options; a plain value owned by the caller. */
struct cs_compare_opts {
	const struct cs_compare_metric *metrics; /* NULL: pass@1 and coverage@K with K the largest power of two
	                                            that both runs have on every shared problem (pass@1 alone
	                                            when K is 1, where coverage@1 equals pass@1) */
	int nmetrics;
	const char *by;            /* NULL (slice "all" only), "subject" or "level" */
	double max_drop;           /* >= 0: the drop, in the metric's own units, that is tolerated */
	double alpha;              /* 0 < alpha < 1: significance level of the one-sided test */
	struct cs_score_opts score; /* unique, ci, replicates and seed are used; ks, nk and by are not */
};

/* One metric on one slice. */
struct cs_compare_row {
	char metric[32];           /* "pass@1", "coverage@8" */
	char *slice;               /* "all", "subject=Algebra", "level=3"; owned */
	struct cs_interval base, cand; /* each run's figure with its bootstrap interval */
	struct cs_paired paired;   /* cand - base with its paired interval, and p_worse at delta = max_drop */
	int regression;            /* diff < -max_drop and p_worse < alpha */
	int problems;              /* shared problems in the slice */
};

struct cs_compare_result {
	struct cs_compare_row *rows; /* owned; metric by metric, each with slice "all" first */
	int count;
	int shared;                /* problems both runs have */
	int base_only, cand_only;  /* problems only one run has (left out) */
	int min_base, min_cand;    /* the fewest samples either run has on a shared problem */
	int regressions;           /* rows with regression set */
};

/* Compares cand with base on their shared problems (matched by problems.id). Per-problem values are
 * computed once over the shared problems (maj@k Monte Carlo streams by shared-problem position), then for
 * each slice both means and the paired difference are bootstrapped with the same resampled problems
 * (seed opt->score.seed). Errors: CS_USAGE (bad --by, max_drop or alpha), CS_INPUT (no shared problem; a
 * k above the samples a run has on some shared problem, with how many are needed), CS_INTERNAL. On
 * success *out is owned by the caller (cs_compare_result_free); on failure it is empty. */
int cs_compare_runs(const struct cs_run_data *base, const struct cs_run_data *cand,
		    const struct cs_compare_opts *opt, struct cs_compare_result *out, struct cs_err *err);

/* Frees out's rows; a zeroed result is fine. */
void cs_compare_result_free(struct cs_compare_result *out);

#endif
