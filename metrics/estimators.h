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
 * C(n - m, k) / C(n, k), in the product form prod_{j=n-m+1}^{n} (1 - k/j). Requires 0 <= m <= n and
 * 0 <= k <= n; returns NaN otherwise. Exactly 0 when n - m < k. */
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

/* Fills sum from np per-problem values (NaN = excluded). values and sum are caller-owned. */
void cs_summarise(const double *values, int np, struct cs_metric_summary *sum);

#endif
