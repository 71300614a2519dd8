/* `pair --crossover`: the budget at which a WC run's matched coverage meets the SE run's, from fitted curves,
 * in samples, FLOPs and price per problem. */
#ifndef COSEVAL_PAIR_CROSSOVER_H
#define COSEVAL_PAIR_CROSSOVER_H

#include "crossover.h"
#include "score/score.h"

struct cs_pair_crossover {
	struct cs_crossover_result r;
	int k_fit_wc, k_fit_se;      /* the fit windows: each run's largest number of samples per problem */
	double flops_wc, flops_se;   /* FLOPs per sample, 2 P W; 0 when the parameters or token counts are unknown */
	double usd_wc, usd_se;       /* USD per sample, price_out W / 1e6; 0 when the price or tokens are unknown */
};

/* Fits both runs on all their samples, restricted to the problems they share, and finds the crossovers at
 * ratio WC samples per SE sample (the comparison's matching) with a paired bootstrap (opt's level,
 * replicates and seed). Reads the runs' mean tokens per sample from st when not read yet. Fills *out.
 * Errors as cs_crossover_run, CS_DB. */
int cs_pair_crossover(struct cs_store *st, struct cs_run_data *wc, struct cs_run_data *se, double ratio,
		      const struct cs_score_opts *opt, struct cs_pair_crossover *out, struct cs_err *err);

#endif
