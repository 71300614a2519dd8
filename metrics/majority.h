/* maj@k: the probability that the plurality answer of k samples drawn without replacement is correct. */
#ifndef COSEVAL_METRICS_MAJORITY_H
#define COSEVAL_METRICS_MAJORITY_H

#include <stdint.h>

#include "estimators.h"
#include "tally.h"
#include "util/error.h"

/* Definition. Samples are grouped by answer id; samples with id -1 (no answer) are drawn like the
 * others but never form a group, so they can never win. Among the k drawn samples the winners are the
 * answer groups with the largest count. Ties: when several groups share the largest count, the draw
 * scores the fraction of those tied groups that are correct, which is the probability of being right
 * under a uniform random tie-break. A draw with no answer at all scores 0. maj@k of a problem is the
 * expected score over all C(n, k) subsets. Within one answer group all samples must agree on
 * correctness (they share a canonical answer); otherwise the tally is rejected with CS_INPUT.
 *
 * Method. Exact by default: a dynamic programme, for each possible winning count M, over the answer
 * groups sorted by size, largest first, of the multivariate hypergeometric law of the group counts
 * (states: draws used, number of groups at exactly M; it carries the probability and the expected number
 * of correct groups at M). Only the J_M groups of size >= M can reach M; the smaller groups and the
 * samples without an answer form one filler pool for that M, so each M runs over a prefix of the sorted
 * groups, and a state retires as soon as fewer than M draws are left. Its work is bounded by
 * sum over groups of (k + 1)(min(s_g, k) + 1) (the probability table, shared by every M) plus
 * sum over M of sum over i < J_M of (min(k - M, i M) + 1)(min(i, k/M - 1) + 1)(M + 1) units, i counting
 * the groups from 0 in size order and M running up to min(k, largest group); when that bound exceeds
 * opts->exact_budget the problem is estimated instead by seeded Monte Carlo: opts->mc_draws subsets
 * drawn without replacement (partial Fisher-Yates) from a generator seeded by (opts->seed, problem index,
 * k), scoring ties as above. The method used is reported. "Exact" means up to floating-point rounding:
 * the hypergeometric probabilities are built draw by draw from exact ratios, so errors grow only like k
 * times the machine epsilon (measured below 1e-14 relative against a long double run, n <= 3000, k <= 1000). */

/* Default work bound per problem and k; measured at about 1 ns a unit or less on problems of 10^7 units
 * and more, so <= ~50 ms. */
#define CS_MAJ_EXACT_BUDGET 5e7
/* Default Monte Carlo draws per problem and k: standard error at most 0.5 / sqrt(20000) = 0.0035. */
#define CS_MAJ_MC_DRAWS 20000

/* Options; a plain value owned by the caller. */
struct cs_maj_opts {
	double exact_budget; /* work units allowed for the exact method; 0 forces Monte Carlo */
	int mc_draws;        /* Monte Carlo draws, >= 1 */
	uint64_t seed;       /* seed of the Monte Carlo streams */
};

enum cs_maj_method {
	CS_MAJ_NONE = 0,       /* no value: n < k */
	CS_MAJ_EXACT = 1,      /* exact enumeration by dynamic programme */
	CS_MAJ_MONTE_CARLO = 2 /* seeded Monte Carlo with mc_draws draws */
};

/* Counts of a maj@k computation over problems. */
struct cs_maj_summary {
	struct cs_metric_summary base; /* counts and mean, as for the other metrics */
	int n_exact;                   /* problems computed exactly */
	int n_monte_carlo;             /* problems estimated by Monte Carlo */
	int mc_draws;                  /* draws used per Monte Carlo problem */
};

/* Fills opts with the defaults above and the given seed. */
void cs_maj_default_opts(struct cs_maj_opts *opts, uint64_t seed);

/* maj@k of one problem t. stream distinguishes problems in the Monte Carlo seeding (the problem
 * index). *value receives the probability (NaN when t->n < k) and *method (may be NULL) the method.
 * t->answer must not be NULL. Returns CS_OK, or CS_USAGE (k < 1, bad options, no answer ids), CS_INPUT
 * (bad tally, inconsistent correctness within an answer group) or CS_INTERNAL (out of memory). */
int cs_maj_one(const struct cs_tally *t, int k, const struct cs_maj_opts *opts, uint64_t stream,
	       double *value, enum cs_maj_method *method, struct cs_err *err);

/* maj@k of np problems t[0..np-1] (problem i seeded with stream i): values (caller-owned, np doubles)
 * receives each problem's value, NaN for problems with n_i < k (excluded and counted); sum (caller-owned,
 * may be NULL) the counts, the mean and how many problems each method served. Errors as cs_maj_one. */
int cs_maj_values(const struct cs_tally *t, int np, int k, const struct cs_maj_opts *opts, double *values,
		  struct cs_maj_summary *sum, struct cs_err *err);

#endif
