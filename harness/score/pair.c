/* Matching budgets between a WC and an SE run and comparing coverage, diversity and pass@1 at them, with
 * paired bootstrap intervals over the problems both runs have. */
#include "score/pair.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_pair_match_parse(const char *name, enum cs_pair_match *out)
{
	static const char *const names[] = { "count", "params", "tokens", "price" };
	for (int i = 0; i < 4; i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum cs_pair_match)i;
			return 0;
		}
	}
	return -1;
}

const char *cs_pair_match_name(enum cs_pair_match m)
{
	static const char *const names[] = { "count", "params", "tokens", "price" };
	return names[m];
}

/* The WC budget that matches s_se SE samples. */
static int match_budget(const struct cs_run_data *wc, const struct cs_run_data *se, int s_se,
			enum cs_pair_match match, long long *s_wc, double *ratio, struct cs_err *err)
{
	struct cs_budget_in in = { 0 };
	struct cs_budget_out out;
	int rc;

	in.s_se = s_se;
	in.match = match == CS_PAIR_COUNT ? CS_MATCH_COUNT : match == CS_PAIR_PRICE ? CS_MATCH_PRICE : CS_MATCH_COMPUTE;
	if (match == CS_PAIR_PARAMS || match == CS_PAIR_TOKENS) {
		if (wc->params <= 0 || se->params <= 0)
			return cs_fail(err, CS_INPUT, "--match %s needs the parameter counts of both runs (import with "
				       "--params); '%s' has %g, '%s' has %g", cs_pair_match_name(match), wc->name,
				       wc->params, se->name, se->params);
		in.params_wc = wc->params;
		in.params_se = se->params;
	}
	if (match == CS_PAIR_PRICE) {
		if (wc->price_out <= 0 || se->price_out <= 0)
			return cs_fail(err, CS_INPUT, "--match price needs the prices of both runs (import with "
				       "--price-out)");
		in.price_wc = wc->price_out;
		in.price_se = se->price_out;
	}
	if (match == CS_PAIR_TOKENS || match == CS_PAIR_PRICE) {
		if (wc->mean_tokens <= 0 || se->mean_tokens <= 0)
			return cs_fail(err, CS_INPUT, "--match %s needs token counts in both runs; '%s' has %s, '%s' has %s",
				       cs_pair_match_name(match), wc->name, wc->mean_tokens > 0 ? "them" : "none",
				       se->name, se->mean_tokens > 0 ? "them" : "none");
		in.tokens_wc = wc->mean_tokens;
		in.tokens_se = se->mean_tokens;
	}
	rc = cs_budget_match(&in, &out, err);
	if (rc != CS_OK)
		return rc;
	*s_wc = out.s_wc;
	*ratio = out.ratio;
	return CS_OK;
}

/* Bootstraps two aligned columns and their paired difference into row. */
static int compare_columns(const double *se, const double *wc, int np, const struct cs_score_opts *opt,
			   struct cs_pair_row *row, struct cs_err *err)
{
	struct cs_boot_opts boot;
	struct cs_interval iv[2];
	struct cs_paired paired;
	const double *cols[2] = { se, wc };
	int rc;

	cs_boot_default_opts(&boot, opt->seed);
	boot.replicates = opt->replicates;
	boot.level = opt->ci;
	rc = cs_bootstrap_means(2, cols, np, &boot, iv, err);
	if (rc == CS_OK)
		rc = cs_bootstrap_paired(se, wc, np, 0.0, &boot, &paired, err);
	if (rc != CS_OK)
		return rc;
	row->se = iv[0];
	row->wc = iv[1];
	row->diff = paired.diff;
	row->gain = iv[0].point != 0.0 ? (iv[1].point - iv[0].point) / iv[0].point : NAN;
	return CS_OK;
}

int cs_pair_compare(const struct cs_run_data *wc, const struct cs_run_data *se, const int *se_ks, int nk,
		    enum cs_pair_match match, const struct cs_score_opts *opt, struct cs_pair_result *out,
		    struct cs_err *err)
{
	int cap = wc->np < se->np ? wc->np : se->np;
	struct cs_tally *tw = malloc(((size_t)cap + 1) * sizeof *tw);
	struct cs_tally *ts = malloc(((size_t)cap + 1) * sizeof *ts);
	double *vw = malloc(((size_t)cap + 1) * sizeof *vw);
	double *vs = malloc(((size_t)cap + 1) * sizeof *vs);
	int np = 0, i = 0, j = 0;
	int rc = CS_OK;

	memset(out, 0, sizeof *out);
	out->rows = calloc((size_t)nk * 2 + 2, sizeof *out->rows); /* coverage and diversity per budget, pass@1, fpr */
	if (!tw || !ts || !vw || !vs || !out->rows) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	/* both runs list their problems in problems.id order: walk them together */
	while (i < wc->np || j < se->np) {
		if (j >= se->np || (i < wc->np && wc->problem_ids[i] < se->problem_ids[j])) {
			out->wc_only++;
			i++;
		} else if (i >= wc->np || se->problem_ids[j] < wc->problem_ids[i]) {
			out->se_only++;
			j++;
		} else {
			tw[np] = wc->tallies[i++];
			ts[np] = se->tallies[j++];
			np++;
		}
	}
	out->shared = np;
	if (np == 0) {
		rc = cs_fail(err, CS_INPUT, "runs '%s' and '%s' have no problem in common", wc->name, se->name);
		goto done;
	}
	for (int b = 0; b < nk && rc == CS_OK; b++) {
		long long s_wc = 0;
		double ratio = 0;
		int short_wc = 0, short_se = 0, min_wc = INT_MAX, min_se = INT_MAX;
		struct cs_metric_summary sum;

		rc = match_budget(wc, se, se_ks[b], match, &s_wc, &ratio, err);
		if (rc != CS_OK)
			break;
		for (int p = 0; p < np; p++) {
			short_wc += tw[p].n < s_wc;
			short_se += ts[p].n < se_ks[b];
			if (tw[p].n < min_wc)
				min_wc = tw[p].n;
			if (ts[p].n < min_se)
				min_se = ts[p].n;
		}
		if (s_wc < 1) {
			rc = cs_fail(err, CS_INPUT, "an SE budget of %d matches %.3f WC samples (%s), less than one: raise "
				     "--se-k", se_ks[b], ratio * se_ks[b], cs_pair_match_name(match));
			break;
		}
		if (short_wc > 0) {
			rc = cs_fail(err, CS_INPUT, "an SE budget of %d needs %lld WC samples per problem (%s matching, "
				     "ratio %.4g), but run '%s' has only %d on %d of the %d shared problems", se_ks[b], s_wc,
				     cs_pair_match_name(match), ratio, wc->name, min_wc, short_wc, np);
			break;
		}
		if (short_se > 0) {
			rc = cs_fail(err, CS_INPUT, "an SE budget of %d needs %d SE samples per problem, but run '%s' has "
				     "only %d on %d of the %d shared problems", se_ks[b], se_ks[b], se->name, min_se,
				     short_se, np);
			break;
		}
		/* pass@1 does not depend on the budget: it is compared once */
		for (int m = 0; m < (b == 0 ? 3 : 2) && rc == CS_OK; m++) {
			struct cs_pair_row *row = &out->rows[out->count];
			if (m == 0) {
				rc = cs_coverage_values(ts, np, se_ks[b], vs, &sum, err);
				if (rc == CS_OK)
					rc = cs_coverage_values(tw, np, (int)s_wc, vw, &sum, err);
			} else if (m == 1) {
				rc = cs_diversity_values(ts, np, se_ks[b], vs, &sum, err);
				if (rc == CS_OK)
					rc = cs_diversity_values(tw, np, (int)s_wc, vw, &sum, err);
			} else {
				rc = cs_pass1_values(ts, np, vs, &sum, err);
				if (rc == CS_OK)
					rc = cs_pass1_values(tw, np, vw, &sum, err);
			}
			if (rc == CS_OK)
				rc = compare_columns(vs, vw, np, opt, row, err);
			if (rc != CS_OK)
				break;
			row->metric = m == 0 ? "coverage" : m == 1 ? "diversity" : "pass@1";
			row->se_k = m == 2 ? 1 : se_ks[b];
			row->wc_k = m == 2 ? 1 : (int)s_wc;
			row->ratio = ratio;
			row->problems = np;
			out->count++;
		}
	}
done:
	free(tw);
	free(ts);
	free(vw);
	free(vs);
	if (rc != CS_OK)
		cs_pair_result_free(out);
	return rc;
}

int cs_pair_add_fpr(struct cs_pair_result *out, long se_judged, long se_wrong, long wc_judged, long wc_wrong,
		    double level, struct cs_err *err)
{
	struct cs_pair_row *row = &out->rows[out->count];
	struct cs_fpr se, wc;
	int rc;

	rc = cs_fpr_compute(se_judged, se_wrong, level, &se, err);
	if (rc == CS_OK)
		rc = cs_fpr_compute(wc_judged, wc_wrong, level, &wc, err);
	if (rc != CS_OK)
		return rc;
	memset(row, 0, sizeof *row);
	row->metric = "fpr";
	row->se.point = se.rate;
	row->se.lo = se.lo;
	row->se.hi = se.hi;
	row->se.n_used = (int)se_judged;
	row->wc.point = wc.rate;
	row->wc.lo = wc.lo;
	row->wc.hi = wc.hi;
	row->wc.n_used = (int)wc_judged;
	cs_newcombe_diff(&wc, &se, &row->diff.point, &row->diff.lo, &row->diff.hi);
	row->gain = se.rate > 0 ? (wc.rate - se.rate) / se.rate : NAN;
	row->ratio = NAN;
	row->problems = out->shared;
	out->count++;
	return CS_OK;
}

void cs_pair_result_free(struct cs_pair_result *out)
{
	free(out->rows);
	out->rows = NULL;
	out->count = 0;
}
