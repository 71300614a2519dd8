/* Sample budgets of a weaker-cheaper (WC) model matched to a stronger-expensive (SE) one. */
#ifndef COSEVAL_METRICS_BUDGET_H
#define COSEVAL_METRICS_BUDGET_H

#include "util/error.h"

/* How S_SE samples of the SE model translate into S_WC samples of the WC model.
 * Count:   S_WC = S_SE.
 * Compute: FLOPs per generated token are 2P, so S_WC = S_SE * (P_SE * W_SE) / (P_WC * W_WC), with W the
 *          mean tokens per sample (taken as equal when not measured: S_WC = S_SE * P_SE / P_WC).
 * Price:   S_WC = S_SE * (price_SE * W_SE) / (price_WC * W_WC), prices per output token.
 * Rounding: a non-integer S_WC is rounded down (the WC model may not spend more than the SE model), after
 * snapping to the nearest integer when within a relative 1e-9 of it, so that a ratio such as 0.7/0.1,
 * whose floating-point quotient lands just below 7, is not cut to 6. The exact ratio is returned too. */
enum cs_match {
	CS_MATCH_COUNT = 0,
	CS_MATCH_COMPUTE = 1,
	CS_MATCH_PRICE = 2
};

/* Inputs; a plain value owned by the caller. Fields not used by the chosen matching are ignored. */
struct cs_budget_in {
	enum cs_match match;
	long long s_se;            /* SE samples per problem, >= 0 */
	double params_se, params_wc; /* parameter counts (any common unit), > 0, for CS_MATCH_COMPUTE */
	double price_se, price_wc; /* prices per output token (any common unit), > 0, for CS_MATCH_PRICE */
	double tokens_se, tokens_wc; /* mean tokens per sample, > 0; both 0 = not measured, taken as equal */
};

struct cs_budget_out {
	double ratio;       /* WC samples per SE sample, unrounded */
	double s_wc_exact;  /* s_se * ratio, unrounded */
	long long s_wc;     /* the budget to use: s_wc_exact rounded down as described above */
};

/* Computes *out (caller-owned) from *in. Returns CS_OK, or CS_INPUT (non-positive or non-finite
 * parameters, prices or token means, only one token mean given, negative s_se, or a budget too large
 * for long long) or CS_USAGE (unknown matching), with err filled. */
int cs_budget_match(const struct cs_budget_in *in, struct cs_budget_out *out, struct cs_err *err);

/* Returns the name of a matching ("count", "compute", "price"), or "?" for an unknown value. */
const char *cs_match_name(enum cs_match match);

#endif
