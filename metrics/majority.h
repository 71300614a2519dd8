/* maj@k: the probability that the plurality answer of k samples drawn without replacement is correct. */
#ifndef COSEVAL_METRICS_MAJORITY_H
#define COSEVAL_METRICS_MAJORITY_H

#include <stddef.h>
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
 * Method. At k = n there is one subset and its score is computed directly. Otherwise the counts of the
 * answer groups in a random k-subset follow the multivariate hypergeometric law, and the expected score is
 * a sum over count vectors. Almost all of that sum's weight lies in a narrow window around each group's
 * typical count (the tails of a hypergeometric count fall off faster than a Gaussian's), so the sum is
 * taken over those windows only, after leaving out outcomes whose total probability is at most
 * CS_MAJ_TAIL:
 *   - L, a count that some group reaches except with probability at most CS_MAJ_TAIL / 4 (the counts are
 *     negatively associated, so P(every count < L) is at most the product of the groups' own tails);
 *   - groups that reach L, or the largest group's count, only with (summed) probability at most
 *     CS_MAJ_TAIL / 4 never win in the outcomes kept and are pooled with the samples without an answer
 *     (groups smaller than L at once);
 *   - each remaining ("competing") group's count is kept within a window whose two tails have probability
 *     at most CS_MAJ_TAIL / (4 c) each, c the number of competing groups.
 * The tail probabilities are bounded from above (by the pmf ratio walk from the mode and a geometric bound
 * on the rest, the pmf being log-concave), never estimated. The value is the expected score given that
 * every count lies in its window, which differs from the full expectation by at most the left-out
 * probability: at most CS_MAJ_TAIL per problem, far below the rounding of a value near 1. Inside the
 * windows the sum is exact: the law is written as a product of binomial weights (one per competing group
 * and one for the pooled rest, all tilted by k / n, which leaves the law unchanged), each built by exact
 * ratios outward from its mode, and normalised by its own total. One or two competing groups are summed
 * directly over their counts. With more, the two whose windows reach highest are summed out once into
 * tables over (draws taken by the others, largest count among the others); with three or four groups every
 * count vector of the other one or two is scored against those tables (O(W^2) for windows of width W);
 * with five or more a dynamic programme over the possible winning count M runs over the others (states:
 * draws used, groups at exactly M; carrying the weight and the weighted number of correct groups at M)
 * and closes against the tables. Its work, in multiply-adds, is estimated first; when it would exceed
 * opts->exact_budget the problem is estimated instead by seeded Monte Carlo: opts->mc_draws
 * subsets drawn without replacement (partial Fisher-Yates) from a generator seeded by (opts->seed, problem
 * index, k), scoring ties as above. The method used is reported. Rounding: every term is positive and
 * built from at most a window's width of exact ratios, so errors grow like that width times the machine
 * epsilon. */

/* The probability left out by the exact method, per problem and k (see above). */
#define CS_MAJ_TAIL 1e-18
/* Default work bound of the exact method per problem and k, in multiply-adds (some 10 to 20 ms). */
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
	CS_MAJ_EXACT = 1,      /* exact, up to CS_MAJ_TAIL of left-out probability */
	CS_MAJ_MONTE_CARLO = 2 /* seeded Monte Carlo with mc_draws draws */
};

/* Counts of a maj@k computation over problems. */
struct cs_maj_summary {
	struct cs_metric_summary base; /* counts and mean, as for the other metrics */
	int n_exact;                   /* problems computed exactly */
	int n_monte_carlo;             /* problems estimated by Monte Carlo */
	int mc_draws;                  /* draws used per Monte Carlo problem */
};

/* One problem's samples grouped by answer, built once (cs_maj_groups_build) and evaluated at any number
 * of k (cs_maj_groups_eval). Everything is owned by the struct: release with cs_maj_groups_free. */
struct cs_maj_groups {
	int n;               /* samples */
	int count;           /* answer groups */
	int index;           /* the problem's index, for messages */
	int *size;           /* count group sizes, largest first */
	unsigned char *good; /* count flags in the same order: 1 when the group's answer is correct */
	int *label;          /* n labels: the sample's group in that order, or count for no answer */
	double *work;        /* scratch of the exact method, work_cap doubles */
	size_t work_cap;
	int *iwork;          /* scratch of the exact method, 5 * count + 4 ints */
};

/* Fills opts with the defaults above and the given seed. */
void cs_maj_default_opts(struct cs_maj_opts *opts, uint64_t seed);

/* Groups the samples of t (which must pass cs_tally_check and have answer ids) into g; index names the
 * problem in messages. g is zeroed, or holds the groups of an earlier problem, which it replaces while
 * keeping their scratch (so that a caller going through many problems allocates it once). Returns CS_OK,
 * CS_INPUT (two samples with one answer id differ in correctness) or CS_INTERNAL (out of memory); after an
 * error g is freed (and zeroed). */
int cs_maj_groups_build(const struct cs_tally *t, int index, struct cs_maj_groups *g, struct cs_err *err);

/* maj@k of the grouped problem g (k >= 1, opts valid), as cs_maj_one. g's scratch is reused. */
int cs_maj_groups_eval(struct cs_maj_groups *g, int k, const struct cs_maj_opts *opts, uint64_t stream,
		       double *value, enum cs_maj_method *method, struct cs_err *err);

/* Frees what cs_maj_groups_build allocated; a zeroed struct is fine. */
void cs_maj_groups_free(struct cs_maj_groups *g);

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
