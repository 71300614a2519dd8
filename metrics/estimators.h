/* Per-problem estimators pass@1, coverage@k and diversity@k, and their means over problems. */
#ifndef COSEVAL_METRICS_ESTIMATORS_H
#define COSEVAL_METRICS_ESTIMATORS_H

#include "tally.h"
#include "util/error.h"

/* What a mean over problems was computed from. Problems without a value (n_i < k, or n_i = 0 for
 * pass@1) are excluded and counted, never padded or guessed; callers report n_excluded. */
struct cs_metric_summary {
	int n_problems; /* problems given */
	int n_used;     /* problems with a value */
	int n_excluded; /* problems without a value: n_problems - n_used */
	double mean;    /* mean of the per-problem values over the used problems; NaN when n_used is 0 */
};

/* Probability that a k-subset drawn without replacement from n items misses all m marked items,
 * C(n - m, k) / C(n, k), as a product of min(m, k) positive factors: prod_{j=n-m+1}^{n} (1 - k/j) when
 * m <= k, else prod_{i=0}^{k-1} (n - m - i) / (n - i). Requires 0 <= m <= n and 0 <= k <= n; returns NaN
 * otherwise. Exactly 0 when n - m < k. */
double cs_miss_probability(int n, int m, int k);

/* coverage@k of one problem with n samples of which c are correct: 1 - C(n - c, k) / C(n, k).
 * Returns NaN when k < 1, n < k or c is outside [0, n]. */
double cs_coverage_one(int n, int c, int k);

/* diversity@k of one problem: the expected number of distinct correct solutions among k samples drawn
 * without replacement, sum over distinct solution ids u of the correct samples of
 * 1 - C(n - m_u, k) / C(n, k), where m_u counts the correct samples with id u (samples with the same id
 * but a wrong answer never count). With t->solution NULL every correct sample is its own solution.
 * *value is NaN when n < k. Returns CS_OK, CS_USAGE (k < 1), CS_INPUT (bad tally) or CS_INTERNAL
 * (out of memory), with err filled. */
int cs_diversity_one(const struct cs_tally *t, int k, double *value, struct cs_err *err);

/* The per-problem values of a metric over np problems t[0..np-1]. values (caller-owned, np doubles)
 * receives each problem's value, NaN for an excluded problem; sum (caller-owned, may be NULL) receives
 * the counts and the mean. The NaN convention is what the bootstrap functions expect.
 * Each returns CS_OK, or CS_USAGE (k < 1, np < 0, NULL arrays), CS_INPUT (a tally fails
 * cs_tally_check) or CS_INTERNAL (out of memory) with err filled; values is then unspecified. */

/* pass@1: c_i / n_i; problems with n_i = 0 are excluded. */
int cs_pass1_values(const struct cs_tally *t, int np, double *values, struct cs_metric_summary *sum,
		    struct cs_err *err);

/* coverage@k (pass@k) as in cs_coverage_one; problems with n_i < k are excluded. */
int cs_coverage_values(const struct cs_tally *t, int np, int k, double *values,
		       struct cs_metric_summary *sum, struct cs_err *err);

/* diversity@k as in cs_diversity_one; problems with n_i < k are excluded. */
int cs_diversity_values(const struct cs_tally *t, int np, int k, double *values,
			struct cs_metric_summary *sum, struct cs_err *err);

/* One problem's counts for coverage@k and diversity@k at many k: its number of correct samples and how
 * many distinct correct solutions it has of each multiplicity, built once by cs_counts_build; cs_counts_at
 * then gives both values at a k, for k in increasing order, extending the products of the k-factor form
 * of cs_miss_probability from the previous k instead of starting over (the same factors in the same
 * order, so the same values as cs_coverage_one, and as cs_diversity_one up to the order of the diversity
 * sum). Everything is owned by the struct: release with cs_counts_free. */
struct cs_counts {
	int n, c;     /* samples, correct samples */
	int nm;       /* distinct multiplicities: mult[0..nm-1] ascending, times[i] solutions with mult[i] */
	int *mult, *times;
	int *at;      /* nm + 1 entries (the last for c): the k of prod's running product */
	double *prod; /* nm + 1 entries: prod_{i < at} (n - m - i) / (n - i) for m = mult[i] (or c) */
};

/* Builds the counts of t (which must pass cs_tally_check) into counts. Returns CS_OK, or CS_INTERNAL (out
 * of memory; counts needs no cs_counts_free then). */
int cs_counts_build(const struct cs_tally *t, struct cs_counts *counts, struct cs_err *err);

/* coverage@k and diversity@k (either pointer may be NULL) of the problem, NaN when n < k; k >= 1. Calls
 * with increasing k are the cheap ones (a smaller k than before starts the products over). */
void cs_counts_at(struct cs_counts *counts, int k, double *coverage, double *diversity);

/* Frees what cs_counts_build allocated; a zeroed struct is fine. */
void cs_counts_free(struct cs_counts *counts);

/* Fills sum from np per-problem values (NaN = excluded). values and sum are caller-owned. */
void cs_summarise(const double *values, int np, struct cs_metric_summary *sum);

#endif
