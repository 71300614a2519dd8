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
	struct cs_crossover_opts o;
	int np = 0, i = 0, j = 0, rc = CS_OK;

	memset(out, 0, sizeof *out);
	if (tw == NULL || ts == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	/* both runs list their problems in problems.id order: walk them together */
	while (i < wc->np && j < se->np) {
		if (wc->problem_ids[i] < se->problem_ids[j]) {
			i++;
		} else if (se->problem_ids[j] < wc->problem_ids[i]) {
			j++;
		} else {
			tw[np] = wc->tallies[i++];
			ts[np] = se->tallies[j++];
			if (tw[np].n > out->k_fit_wc)
				out->k_fit_wc = tw[np].n;
			if (ts[np].n > out->k_fit_se)
				out->k_fit_se = ts[np].n;
			np++;
		}
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
	return rc;
}
