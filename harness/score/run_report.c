/* The figures of `coseval report` for one run and of `coseval pair` for one WC-SE pair, from the store. */
#include "score/run_report.h"
#include "store/fpr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_report_run(struct cs_store *st, const char *run, const char *k_text, struct cs_score_opts *sopt,
		  struct cs_rows *rows, const struct cs_report_hooks *hooks, struct cs_err *err)
{
	struct cs_run_data d = { 0 };
	struct cs_scored sc;
	struct cs_fpr_row *fr = NULL;
	int *ks = NULL, max_n = 0, nfr = 0, scored = 0, rc = CS_OK;

	/* the k list first (its default depends on the largest problem), then one streaming read of the run
	 * that scores each problem as it comes and keeps only its values */
	if (k_text == NULL || strcmp(k_text, "all") == 0)
		rc = cs_run_max_samples(st, run, &max_n, err);
	if (rc == CS_OK)
		rc = cs_parse_ks(k_text, max_n, &ks, &sopt->nk, err);
	if (rc != CS_OK)
		goto done;
	sopt->ks = ks;
	cs_scored_init(&sc, sopt);
	scored = 1;
	if (hooks != NULL && hooks->begin != NULL)
		hooks->begin(hooks->ctx, &sc, &d);
	if (hooks != NULL && hooks->problem != NULL)
		rc = cs_run_scan(st, run, sopt->unique, &d, hooks->problem, hooks->ctx, err);
	else
		rc = cs_run_scan(st, run, sopt->unique, &d, cs_scored_problem_fn, &sc, err);
	if (rc == CS_OK && hooks != NULL && hooks->stage != NULL)
		hooks->stage(hooks->ctx, "intervals (bootstrap)");
	if (rc == CS_OK)
		rc = cs_score_rows(&d, &sc, rows, err);
	/* the false-positive rate, per judge, where the run's samples were judged */
	if (rc == CS_OK)
		rc = cs_fpr_counts(st, d.name, NULL, &fr, &nfr, err);
	for (int j = 0; rc == CS_OK && j < nfr; j++)
		rc = cs_score_add_fpr(rows, d.name, d.model, fr[j].judge, fr[j].judged, fr[j].wrong, sopt->ci, err);
done:
	if (scored)
		cs_scored_free(&sc);
	cs_fpr_rows_free(fr, nfr);
	cs_run_data_free(&d);
	free(ks);
	sopt->ks = NULL;
	sopt->nk = 0;
	return rc;
}

/* Adds the FPR row for judge (or the first judge in name order who judged both runs); writes into note what
 * was done. */
static int add_fpr(struct cs_store *st, const char *wc, const char *se, const char *judge, double level,
		   struct cs_pair_result *result, char *note, size_t size, struct cs_err *err)
{
	struct cs_fpr_row w, s;
	char used[256];
	int found = 0;
	int rc = cs_fpr_common_judge(st, wc, se, judge, &found, used, sizeof used, &w, &s, err);

	if (rc == 0 && found) {
		rc = cs_pair_add_fpr(result, s.judged, s.wrong, w.judged, w.wrong, level, err);
		snprintf(note, size, "fpr: judge %s; WC %ld of %ld judged, SE %ld of %ld; Wilson intervals, difference "
			 "by Newcombe's method", used, w.wrong, w.judged, s.wrong, s.judged);
	} else if (rc == 0) {
		snprintf(note, size, "fpr: no judge%s%s has judged both runs (see 'coseval import judgments')",
			 judge ? " " : "", judge ? judge : "");
	}
	return rc;
}

int cs_pair_run(struct cs_store *st, const char *wc_name, const char *se_name, const int *se_ks, int nk,
		enum cs_pair_match match, const char *judge, const struct cs_score_opts *sopt, struct cs_pair_run *out,
		struct cs_err *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	rc = cs_run_data_load(st, wc_name, sopt->unique, &out->wc, err);
	if (rc == CS_OK)
		rc = cs_run_data_load(st, se_name, sopt->unique, &out->se, err);
	if (rc == CS_OK && (match == CS_PAIR_TOKENS || match == CS_PAIR_PRICE))
		rc = cs_run_mean_tokens(st, &out->wc, err);
	if (rc == CS_OK && (match == CS_PAIR_TOKENS || match == CS_PAIR_PRICE))
		rc = cs_run_mean_tokens(st, &out->se, err);
	if (rc == CS_OK)
		rc = cs_pair_compare(&out->wc, &out->se, se_ks, nk, match, sopt, &out->result, err);
	if (rc == CS_OK)
		rc = add_fpr(st, wc_name, se_name, judge, sopt->ci, &out->result, out->fpr_note, sizeof out->fpr_note,
			     err);
	if (rc != CS_OK) {
		cs_pair_run_free(out);
		return rc;
	}
	{
		const char *wv = out->wc.grader_versions, *sv = out->se.grader_versions;
		char versions[160];
		/* both runs' grader versions, once when they are the same */
		snprintf(versions, sizeof versions, "%s%s%s", wv, strcmp(wv, sv) ? "/" : "", strcmp(wv, sv) ? sv : "");
		cs_score_options(sopt, versions, out->options, sizeof out->options);
	}
	out->header.wc_run = out->wc.name;
	out->header.wc_model = out->wc.model;
	out->header.se_run = out->se.name;
	out->header.se_model = out->se.model;
	out->header.match = cs_pair_match_name(match);
	out->header.options = out->options;
	out->header.fpr_note = out->fpr_note;
	return CS_OK;
}

void cs_pair_run_free(struct cs_pair_run *p)
{
	cs_pair_result_free(&p->result);
	cs_run_data_free(&p->wc);
	cs_run_data_free(&p->se);
	memset(p, 0, sizeof *p);
}
