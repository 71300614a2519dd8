/* Where a WC run's compute-matched coverage meets an SE run's, from coverage curves fitted to both runs. */
#ifndef COSEVAL_METRICS_CROSSOVER_H
#define COSEVAL_METRICS_CROSSOVER_H

#include "bootstrap.h"
#include "fit.h"
#include "tally.h"
#include "util/error.h"

/* Options; a plain value. */
struct cs_crossover_opts {
	int k_fit_wc, k_fit_se;   /* fit windows (first samples of each problem), >= 2 */
	double ratio;             /* WC samples per SE sample at matched compute, price or count, > 0 */
	struct cs_boot_opts boot; /* the paired bootstrap over the shared problems */
};

/* The crossover by one fitted model. With s SE samples per problem and r s WC samples (r the ratio), the
 * budget s runs over [s_min, s_max], s_min = max(1, 1/r), s_max = 1e12 / max(1, r) (both runs' k within the
 * range of the fits). */
struct cs_crossover {
	int wc_ahead;                  /* 1: WC's matched coverage is at least SE's at s_min, and the crossover is
	                                  the first s where it falls below; 0: WC is behind at s_min, and the
	                                  crossover is the first s where it gets ahead */
	struct cs_interval se_samples; /* s at the crossover; +infinity when there is none up to s_max; NaN
	                                  where the model could not be fitted to both runs. Each replicate looks
	                                  for the crossing in the direction of the original problems; one that
	                                  has crossed already at s_min gives s_min */
};

struct cs_crossover_result {
	double ratio, s_min, s_max;
	int problems;                  /* shared problems */
	struct cs_crossover beta;      /* from beta-binomial fits of both runs */
	struct cs_crossover power;     /* from power-law fits */
};

/* Fits both models to wc and se (np problems each, borrowed, index i the same problem in both) and finds
 * each model's crossover with a paired bootstrap over the problems (each replicate refits all four
 * curves). The crossing is located on a grid of 20 points per decade of s and refined by bisection in
 * log s, comparing log(1 - coverage) of the two curves so that nearly saturated curves are told apart.
 * Fills *out. Returns CS_OK, CS_USAGE (bad options), CS_INPUT (no problem, one sample per problem) or
 * CS_INTERNAL. */
int cs_crossover_run(const struct cs_tally *wc, const struct cs_tally *se, int np, const struct cs_crossover_opts *o,
		     struct cs_crossover_result *out, struct cs_err *err);

#endif
