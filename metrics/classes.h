/* Per-problem coverage classes of a WC-SE pair at matched budgets: the probabilities that a problem is
 * covered by both runs, by WC only, by SE only or by neither, and their expected counts over problems with
 * bootstrap intervals. Pure functions, no I/O. */
#ifndef COSEVAL_METRICS_CLASSES_H
#define COSEVAL_METRICS_CLASSES_H

#include "bootstrap.h"
#include "util/error.h"

/* The four classes, in the order of every array indexed by class. */
enum cs_class { CS_CLASS_BOTH, CS_CLASS_WC_ONLY, CS_CLASS_SE_ONLY, CS_CLASS_NEITHER, CS_CLASS_COUNT };

/* A class's name: "both", "wc_only", "se_only", "neither" (static). */
const char *cs_class_name(int c);

/* The class probabilities of one problem that WC covers with probability p_wc and SE with probability p_se,
 * the two runs' samples drawn independently: out[BOTH] = p_wc p_se, out[WC_ONLY] = p_wc (1 - p_se),
 * out[SE_ONLY] = (1 - p_wc) p_se, out[NEITHER] = (1 - p_wc)(1 - p_se). They sum to 1, and
 * out[BOTH] + out[WC_ONLY] = p_wc exactly in real numbers (to rounding in doubles). out is caller-owned
 * (CS_CLASS_COUNT doubles). NaN in either probability gives NaN in all four. */
void cs_class_probs(double p_wc, double p_se, double *out);

/* The most probable classes of probs (CS_CLASS_COUNT values): a bit mask with bit c (1u << c) set for each
 * class c whose probability equals the largest of the four; one bit unless classes tie for the largest
 * (p_wc = 0.95, p_se = 0.5 gives both = WC only = 0.475). 0 when a value is NaN. */
unsigned cs_class_top(const double *probs);

/* One problem's counts: samples and correct samples of each run, and the budgets (samples drawn per
 * problem) at which its coverage is taken. */
struct cs_class_input {
	int wc_n, wc_c, wc_k;
	int se_n, se_c, se_k;
};

/* The coverage probabilities of one problem, p = 1 - C(n - c, k) / C(n, k) for each run (cs_coverage_one),
 * and its class probabilities (cs_class_probs). *p_wc, *p_se and probs (CS_CLASS_COUNT doubles) are
 * caller-owned. CS_INPUT when a budget is below 1 or above the run's samples, or c is outside [0, n]. */
int cs_class_problem(const struct cs_class_input *in, double *p_wc, double *p_se, double *probs,
		     struct cs_err *err);

/* Expected class counts over the m problems listed in subset (indices into the columns; all np problems
 * when subset is NULL, then m must equal np): columns[c][i] is problem i's probability of class c (np
 * values per column, caller-owned, no NaN). out[c] (caller-owned, CS_CLASS_COUNT intervals) receives the
 * sum of column c over the problems, and the percentile interval of that sum from the seeded bootstrap of
 * metrics/bootstrap.h over those m problems (the sum is m times the mean, so the replicates are m times the
 * replicate means; every class sees the same resampled problems). Errors as cs_bootstrap_means; CS_USAGE
 * when m < 1. */
int cs_class_counts(const double *const *columns, int np, const int *subset, int m, const struct cs_boot_opts *opts,
		    struct cs_interval *out, struct cs_err *err);

#endif
