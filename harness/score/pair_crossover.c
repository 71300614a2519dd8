/* Aligning a WC and an SE run on their shared problems and finding where their fitted matched coverage meets. */
#include "score/pair_crossover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_pair_crossover(struct cs_store *st, struct cs_run_data *wc, struct cs_run_data *se, double ratio,
		      const struct cs_score_opts *opt, struct cs_pair_crossover *out, struct cs_err *err)
{
	int cap = wc->np < se->np ? wc->np : se->np;
	struct cs_tally *tw = malloc(((size_t)cap + 1) * sizeof *tw);
	struct cs_tally *ts = malloc(((size_t)cap + 1) * sizeof *ts);
	int *wi = malloc(((size_t)cap + 1) * sizeof *wi), *si = malloc(((size_t)cap + 1) * sizeof *si);
	struct cs_crossover_opts o;
	int np = 0, rc = CS_OK;

	memset(out, 0, sizeof *out);
	if (tw == NULL || ts == NULL || wi == NULL || si == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	np = cs_run_data_shared(wc, se, wi, si);
	for (int p = 0; p < np; p++) {
		tw[p] = wc->tallies[wi[p]];
		ts[p] = se->tallies[si[p]];
		if (tw[p].n > out->k_fit_wc)
			out->k_fit_wc = tw[p].n;
		if (ts[p].n > out->k_fit_se)
			out->k_fit_se = ts[p].n;
	}
	if (np == 0) {
		rc = cs_fail(err, CS_INPUT, "runs '%s' and '%s' have no problem in common", wc->name, se->name);
		goto done;
	}
	if (wc->mean_tokens <= 0)
		rc = cs_run_mean_tokens(st, wc, err);
	if (rc == CS_OK && se->mean_tokens <= 0)
		rc = cs_run_mean_tokens(st, se, err);
	if (rc != CS_OK)
		goto done;
	if (out->k_fit_wc < 2)
		out->k_fit_wc = 2;
	if (out->k_fit_se < 2)
		out->k_fit_se = 2;
	o.k_fit_wc = out->k_fit_wc;
	o.k_fit_se = out->k_fit_se;
	o.ratio = ratio;
	cs_boot_default_opts(&o.boot, opt->seed);
	o.boot.replicates = opt->replicates;
	o.boot.level = opt->ci;
	rc = cs_crossover_run(tw, ts, np, &o, &out->r, err);
	if (rc != CS_OK) {
		size_t len = strlen(err->msg);
		snprintf(err->msg + len, sizeof err->msg - len, " (--crossover, runs '%s' and '%s')", wc->name, se->name);
		goto done;
	}
	if (wc->params > 0 && se->params > 0 && wc->mean_tokens > 0 && se->mean_tokens > 0) {
		out->flops_wc = 2.0 * wc->params * wc->mean_tokens;
		out->flops_se = 2.0 * se->params * se->mean_tokens;
	}
	if (wc->price_out > 0 && se->price_out > 0 && wc->mean_tokens > 0 && se->mean_tokens > 0) {
		out->usd_wc = wc->price_out * wc->mean_tokens / 1e6;
		out->usd_se = se->price_out * se->mean_tokens / 1e6;
	}
done:
	free(tw);
	free(ts);
	free(wi);
	free(si);
	return rc;
}
