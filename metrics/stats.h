/* The inverse standard normal distribution function, Wilson score intervals, false-positive rates. */
#ifndef COSEVAL_METRICS_STATS_H
#define COSEVAL_METRICS_STATS_H

#include "util/error.h"

/* Returns x with Phi(x) = p for the standard normal distribution function Phi, accurate to about 1e-14
 * in absolute terms for p in [1e-300, 1 - 1e-16] (a three-term rational first guess refined by Halley
 * steps on erfc). Returns -INFINITY for p = 0, +INFINITY for p = 1 and NaN outside [0, 1]. */
double cs_normal_quantile(double p);

/* The two-sided critical value z = cs_normal_quantile((1 + level) / 2) of a level-confidence interval,
 * e.g. 1.959963984540054 for 0.95. Returns NaN unless 0 < level < 1. */
double cs_normal_critical(double level);

/* The Wilson score interval for successes out of trials at confidence level (0 < level < 1):
 * centre (p + z^2/2n) / (1 + z^2/n), half-width z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2), with
 * p = successes / trials, clamped to [0, 1]. Writes *lo and *hi (caller-owned).
 * Returns CS_OK, or CS_INPUT (trials < 1, successes outside [0, trials], level outside (0, 1)). */
int cs_wilson(long successes, long trials, double level, double *lo, double *hi, struct cs_err *err);

/* False-positive rate: of the samples with a correct final answer that a judge looked at (n_judged),
 * the share whose reasoning was judged wrong (n_wrong), with its Wilson interval at level. */
struct cs_fpr {
	long n_judged; /* samples with a correct final answer that were judged */
	long n_wrong;  /* of those, judged to have wrong reasoning */
	double rate;   /* n_wrong / n_judged; NaN when n_judged is 0 */
	double lo, hi; /* Wilson interval; NaN when n_judged is 0 */
	double level;  /* confidence level of [lo, hi] */
};

/* Fills *out (caller-owned). n_judged = 0 is not an error: rate and interval are NaN so that the report
 * can say "not judged". Returns CS_OK, or CS_INPUT (negative counts, n_wrong > n_judged, level outside
 * (0, 1)). */
int cs_fpr_compute(long n_judged, long n_wrong, double level, struct cs_fpr *out, struct cs_err *err);

/* The difference a.rate - b.rate of two independent proportions with Newcombe's hybrid score interval
 * built from their Wilson intervals: lo = d - sqrt((a - a.lo)^2 + (b.hi - b)^2),
 * hi = d + sqrt((a.hi - a)^2 + (b - b.lo)^2). NaN when either has nothing judged. */
void cs_newcombe_diff(const struct cs_fpr *a, const struct cs_fpr *b, double *diff, double *lo, double *hi);

#endif
