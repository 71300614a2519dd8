/* Agreement between two judges who gave yes/no verdicts on the same items: the 2x2 table, raw agreement and
 * Cohen's kappa, with seeded bootstrap intervals over the items. Pure functions, no I/O. */
#ifndef COSEVAL_METRICS_AGREEMENT_H
#define COSEVAL_METRICS_AGREEMENT_H

#include "bootstrap.h"
#include "util/error.h"

/* Two judges' agreement on n items. table[a][b] counts the items that judge A gave verdict a and judge B
 * verdict b (0 = no, e.g. reasoning wrong; 1 = yes). With p_A and p_B the shares of items each judge said
 * yes to: observed = (table[0][0] + table[1][1]) / n, expected = p_A p_B + (1 - p_A)(1 - p_B) (the agreement
 * of two independent judges with the same marginals), kappa = (observed - expected) / (1 - expected).
 * Kappa is undefined (NaN, kappa_defined 0) when expected is 1: both judges gave every item one and the
 * same verdict; everything is undefined when n is 0. */
struct cs_agreement {
	int n;
	long table[2][2];
	double observed, expected, kappa;
	int kappa_defined;
	struct cs_interval observed_ci; /* percentile bootstrap over the items; NaN bounds when n is 0 */
	struct cs_interval kappa_ci;    /* the same replicates; a replicate whose kappa is undefined is dropped
	                                   (n_replicates counts those kept); NaN bounds when kappa is undefined
	                                   or no replicate has a kappa */
};

/* Observed and expected agreement and kappa of a 2x2 table (counts >= 0); NaN where undefined as above.
 * Any pointer may be NULL. Returns 1 when kappa is defined, else 0. */
int cs_agreement_point(const long table[2][2], double *observed, double *expected, double *kappa);

/* Fills *out (caller-owned) from the verdicts a[i] and b[i] (each 0 or 1) of the two judges on items
 * 0..n-1 (caller-owned arrays), with bootstrap intervals at opts (seeded as every bootstrap of
 * metrics/bootstrap.h: replicate b resamples the n items with the indices that depend only on the seed, n
 * and b). n = 0 is not an error: everything is undefined. Returns CS_OK, or CS_INPUT (a verdict other than
 * 0 or 1), CS_USAGE (bad options, n < 0), CS_INTERNAL (out of memory). */
int cs_agreement_compute(const unsigned char *a, const unsigned char *b, int n, const struct cs_boot_opts *opts,
			 struct cs_agreement *out, struct cs_err *err);

#endif
