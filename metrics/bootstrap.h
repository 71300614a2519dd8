/* Seeded percentile bootstrap over problems: means, paired differences and a regression p-value. */
#ifndef COSEVAL_METRICS_BOOTSTRAP_H
#define COSEVAL_METRICS_BOOTSTRAP_H

#include <stdint.h>

#include "util/error.h"

/* Method. Each replicate resamples np problem indices with replacement, uniformly, from a
 * cs_rng stream seeded with opts->seed; the indices of replicate b depend only on (seed, np, b), so
 * every function here, and every column of cs_bootstrap_means, sees the same resampled problems for the
 * same seed: that is what makes the paired intervals paired and the results reproducible on any
 * machine. Per-problem values that are NaN mark excluded problems (n_i < k): a replicate's statistic is
 * the mean over the non-excluded problems it drew; a replicate that drew none is dropped and not
 * counted in n_replicates (if none is kept, lo and hi are NaN). The interval is the percentile
 * interval: the (1 - level)/2 and (1 + level)/2 quantiles of the replicate statistics, with linear
 * interpolation between order statistics (position q (B - 1) in the sorted replicates, B = replicates
 * kept). */

#define CS_BOOT_REPLICATES 1000 /* a sensible default for opts.replicates */

/* Options; a plain value owned by the caller. */
struct cs_boot_opts {
	int replicates; /* B >= 2 */
	double level;   /* confidence level, 0 < level < 1, e.g. 0.95 */
	uint64_t seed;
};

/* An estimate with its bootstrap interval. */
struct cs_interval {
	double point;     /* mean over the non-excluded problems of the original sample */
	double lo, hi;    /* percentile interval */
	int n_used;       /* non-excluded problems */
	int n_replicates; /* replicates kept */
};

/* Fills opts with CS_BOOT_REPLICATES replicates, level 0.95 and the given seed. */
void cs_boot_default_opts(struct cs_boot_opts *opts, uint64_t seed);

/* Bootstrap of the mean of values[0..np-1] (caller-owned; NaN = excluded). Fills *out.
 * Returns CS_OK, or CS_USAGE (bad options or arrays), CS_INPUT (no non-excluded problem) or
 * CS_INTERNAL (out of memory), with err filled. */
int cs_bootstrap_mean(const double *values, int np, const struct cs_boot_opts *opts, struct cs_interval *out,
		      struct cs_err *err);

/* Bootstrap of m means at once, e.g. coverage@k for m values of k, sharing the resampled indices:
 * columns[j] (caller-owned, np doubles, NaN = excluded) gives out[j] (caller-owned, m entries), equal to
 * what cs_bootstrap_mean would give for that column alone. Errors as cs_bootstrap_mean; CS_INPUT when a
 * column has no non-excluded problem. */
int cs_bootstrap_means(int m, const double *const *columns, int np, const struct cs_boot_opts *opts,
		       struct cs_interval *out, struct cs_err *err);

/* A paired comparison of two runs on the same problems. */
struct cs_paired {
	struct cs_interval diff; /* mean of cand - base over problems valid in both runs, and its interval */
	double delta;            /* the margin of the regression test */
	double p_worse;          /* one-sided bootstrap p-value of "cand is worse than base by more than
	                            delta": (1 + #{replicates with diff >= -delta}) / (1 + B); small means
	                            evidence of a regression */
};

/* Paired bootstrap of cand - base over problems 0..np-1 (both arrays caller-owned, index i = the same
 * problem in both runs, NaN = excluded; a problem excluded in either run is left out of both). Uses the
 * same resampled indices as cs_bootstrap_mean with the same seed. delta >= 0. Fills *out.
 * Errors as cs_bootstrap_mean. */
int cs_bootstrap_paired(const double *base, const double *cand, int np, double delta,
			const struct cs_boot_opts *opts, struct cs_paired *out, struct cs_err *err);

/* A statistic of a resampled set of problems: weight[i] (np entries) is how many times problem i was
 * drawn (1 for every problem on the original sample). Writes *value; NaN drops the replicate. Returns
 * CS_OK or an error status with err filled, which aborts the bootstrap. */
typedef int (*cs_boot_stat)(const int *weight, int np, void *ctx, double *value, struct cs_err *err);

/* Generic bootstrap of any statistic, e.g. a ratio of sums such as a pooled false-positive rate. Draws the
 * same indices as cs_bootstrap_mean for the same seed. Slower than cs_bootstrap_mean (O(np) per
 * replicate for the weights plus the statistic's own cost). out->n_used is np. Errors as
 * cs_bootstrap_mean, or the statistic's own status. */
int cs_bootstrap_stat(cs_boot_stat stat, void *ctx, int np, const struct cs_boot_opts *opts,
		      struct cs_interval *out, struct cs_err *err);

/* A statistic with m values per resampled set of problems (weight as for cs_boot_stat): writes values[0..m-1];
 * a NaN value drops the replicate for that value only. Returns CS_OK or an error status with err filled,
 * which aborts the bootstrap. */
typedef int (*cs_boot_vstat)(const int *weight, int np, void *ctx, double *values, struct cs_err *err);

/* cs_bootstrap_stat for a statistic of m values computed together (e.g. the parameters of a fitted model
 * and its predictions, fitted once per replicate): out[j] (caller-owned, m entries) gets value j on the
 * original problems as its point and its percentile interval over the replicates where it is not NaN. A
 * NaN on the original problems is kept as the point (an undefined figure), with its interval computed all
 * the same. Draws the same indices as cs_bootstrap_mean for the same seed. Errors as cs_bootstrap_stat. */
int cs_bootstrap_vstat(cs_boot_vstat stat, void *ctx, int m, int np, const struct cs_boot_opts *opts,
		       struct cs_interval *out, struct cs_err *err);

/* The q-quantile (0 <= q <= 1) of sorted[0..n-1] (ascending, n >= 1) with linear interpolation at
 * position q (n - 1); between an infinity and another value it is the nearer of the two. */
double cs_sorted_quantile(const double *sorted, int n, double q);

#endif
