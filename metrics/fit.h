/* Extrapolating coverage@k past the samples a run has: a beta-binomial fit of the per-problem success
 * probabilities and, for comparison, an exponentiated power law fitted to the coverage curve. */
#ifndef COSEVAL_METRICS_FIT_H
#define COSEVAL_METRICS_FIT_H

#include "bootstrap.h"
#include "tally.h"
#include "util/error.h"

/* The box in which a and b of the beta-binomial fit are kept (see docs/metrics.md, "Fitted coverage"). */
#define CS_FIT_AB_MIN 1e-3
#define CS_FIT_AB_MAX 1e6

/* The largest k that --predict and the coverage functions take. */
#define CS_FIT_K_MAX 1e12

/* How a beta-binomial fit ended. */
enum cs_beta_kind {
	CS_BETA_FITTED,   /* a maximum of the likelihood inside the box, or on its edge (see the flags) */
	CS_BETA_NEVER,    /* no sample correct: the point mass at p = 0, coverage 0 at every k; a, b undefined */
	CS_BETA_ALWAYS    /* every sample correct: the point mass at p = 1, coverage 1 at every k; a, b undefined */
};

/* Flags of a fit on the edge of the box (within 1% of a bound): the likelihood still grew towards it. */
#define CS_FIT_A_LOW 1u
#define CS_FIT_A_HIGH 2u
#define CS_FIT_B_LOW 4u
#define CS_FIT_B_HIGH 8u

/* A fitted Beta(a, b) of the per-problem success probabilities; a plain value. */
struct cs_beta_fit {
	enum cs_beta_kind kind;
	double a, b;       /* NaN unless kind is CS_BETA_FITTED */
	unsigned edge;     /* CS_FIT_* flags */
	double loglik;     /* the log-likelihood at (a, b), without the binomial coefficients */
	int iterations;
};

/* Maximum-likelihood Beta(a, b) from m groups of problems: group j has n[j] samples of which c[j] are
 * correct and weight w[j] (how many problems share those counts; groups of weight 0 are skipped). The
 * beta-binomial likelihood is maximised over (log a, log b) by Newton's method with a line search, a and b
 * kept within [CS_FIT_AB_MIN, CS_FIT_AB_MAX]; when the maximum lies on that edge (problems solved always
 * or never with none in between push a, b to 0; problems all alike push them to infinity) the edge flags
 * say so. start_a, start_b (both > 0) start the search, or 0 for the default start. Arrays are borrowed.
 * Returns CS_OK, or CS_INPUT when no group with a positive weight has n >= 2 (one sample per problem cannot
 * tell the spread of p from its mean) or a count is out of range. */
int cs_beta_binomial_fit(const int *n, const int *c, const double *w, int m, double start_a, double start_b,
			 struct cs_beta_fit *out, struct cs_err *err);

/* coverage@k of a problem whose success probability is drawn from Beta(a, b): 1 - B(a, b + k) / B(a, b),
 * from a product of k factors for k <= 1000 and from a Stirling difference of log-gamma functions above, so
 * that it stays accurate for k up to CS_FIT_K_MAX. NaN unless a, b > 0 and 1 <= k <= CS_FIT_K_MAX. */
double cs_beta_coverage(double a, double b, double k);

/* log(1 - coverage@k) of Beta(a, b), log B(a, b + k) - log B(a, b), computed as cs_beta_coverage computes
 * it; what compares two nearly saturated curves without rounding. NaN as cs_beta_coverage. */
double cs_beta_log_miss(double a, double b, double k);

/* The exponentiated power law of coverage, log coverage@k = c k^d. */
struct cs_power_fit {
	int ok;            /* 1 when c and d were fitted */
	double c, d;       /* NaN unless ok */
	double limit;      /* when not ok: 1 when the curve already reached 1, 0 when it is 0 throughout, else NaN */
	int points;        /* points strictly between 0 and 1 that the fit used */
};

/* Fits log coverage = c k^d to m points (k[j], cov[j]) by least squares on log(-log coverage) against
 * log k, using the points with 0 < cov < 1 (NaN points are skipped). Needs two such points at different k;
 * otherwise ok is 0 and limit says what the curve is. Arrays are borrowed. */
void cs_power_law_fit(const double *k, const double *cov, int m, struct cs_power_fit *out);

/* exp(c k^d) for a fitted law, its limit when not fitted (NaN when that is NaN). */
double cs_power_coverage(const struct cs_power_fit *f, double k);

/* coverage@k of a beta-binomial fit of any kind: 0 for the point mass at 0, 1 for the one at 1, else
 * cs_beta_coverage. */
double cs_beta_fit_coverage(const struct cs_beta_fit *f, double k);

/* One run's problems prepared for repeated weighted fits (a bootstrap refits both models on each replicate).
 * Everything is owned by the struct and freed by cs_fit_data_free. */
struct cs_fit_data {
	int np;                  /* problems given (those without samples take no part) */
	int live;                /* problems with samples */
	int k_fit;
	long fit_samples;        /* samples in the window */
	int nclass;              /* groups of problems with equal counts in the window */
	int *class_of;           /* np: each problem's group, -1 without samples */
	int *cn, *cc;            /* nclass: samples and correct samples in the window */
	double *cw;              /* nclass: scratch, the weight of each group */
	int npow;                /* the power-law points: k = 1, 2, 4, ... below k_fit, then k_fit */
	double *pow_k;
	double *pow_cov;         /* nclass x npow: each group's coverage@k in the window, NaN where n < k */
	double *pow_mean;        /* npow: scratch */
	double start_a, start_b; /* where cs_fit_weighted starts the beta fit; 0 for the default start */
};

/* Prepares the first k_fit (>= 2) samples of each of the np problems of t (borrowed) for cs_fit_weighted.
 * Returns CS_OK, CS_USAGE (k_fit < 2), CS_INPUT (a bad tally) or CS_INTERNAL; d is freed on error. */
int cs_fit_data_build(const struct cs_tally *t, int np, int k_fit, struct cs_fit_data *d, struct cs_err *err);

/* Fits both models with problem i counted weight[i] times (weight NULL: once each). The power law is always
 * filled; the status is that of cs_beta_binomial_fit (CS_INPUT when nothing can be fitted). */
int cs_fit_weighted(struct cs_fit_data *d, const int *weight, struct cs_beta_fit *beta, struct cs_power_fit *power,
		    struct cs_err *err);

/* Frees d's arrays; a zeroed struct is fine. */
void cs_fit_data_free(struct cs_fit_data *d);

/* Options of cs_fit_run; a plain value whose arrays the caller owns. */
struct cs_fit_opts {
	int k_fit;                /* use the first k_fit samples of each problem (by sample index), >= 2 */
	const double *predict;    /* values of k to predict, each in [1, CS_FIT_K_MAX] */
	int npredict;
	struct cs_boot_opts boot; /* bootstrap over problems */
};

/* One value of k of a fit result: both models' predictions and the coverage measured on all samples. */
struct cs_fit_row {
	double k;
	struct cs_interval beta, power, measured; /* point NaN where undefined; measured NaN above the data */
	int measured_problems;                    /* problems with at least k samples */
};

/* What cs_fit_run returns. Intervals hold NaN where a figure is undefined (a, b of a point mass, c, d of a
 * law that could not be fitted). */
struct cs_fit_result {
	int problems;              /* problems with at least one sample */
	long samples;              /* all their samples */
	long fit_samples;          /* samples in the fit window (at most k_fit per problem) */
	int k_fit;
	int max_n;                 /* the most samples any problem has */
	struct cs_beta_fit beta;   /* the fit on the original problems */
	struct cs_power_fit power;
	double *power_ks;          /* owned: the k of the power-law points: powers of two up to k_fit, then k_fit */
	int npower;
	struct cs_interval a, b, c, d;
	struct cs_fit_row *rows;   /* owned: one per distinct k of opts.predict and max_n, ascending */
	int nrows;
};

/* Fits both models to the first opts->k_fit samples of each of the np problems of t (borrowed; problems
 * without samples are left out) and predicts coverage@k at every k of opts->predict and at the largest
 * number of samples a problem has, where it is also measured on all samples for comparison. Intervals
 * come from one seeded bootstrap over problems (cs_bootstrap_vstat: each replicate refits both models).
 * Fills *out, which the caller frees with cs_fit_result_free. Returns CS_OK, CS_USAGE (k_fit < 2, a k out
 * of range, bad bootstrap options), CS_INPUT (no problem with samples, a bad tally, a window of one sample
 * per problem) or CS_INTERNAL. */
int cs_fit_run(const struct cs_tally *t, int np, const struct cs_fit_opts *opts, struct cs_fit_result *out,
	       struct cs_err *err);

/* Frees what cs_fit_run allocated in out; a zeroed struct is fine. */
void cs_fit_result_free(struct cs_fit_result *out);

#endif
