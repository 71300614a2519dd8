/* The figures of `coseval report` for one run and of `coseval pair` for one WC-SE pair, computed from the
 * store in one place so that every command that shows them (report, pair, view) shows the same numbers. */
#ifndef COSEVAL_RUN_REPORT_H
#define COSEVAL_RUN_REPORT_H

#include "pair_report.h"
#include "score/pair.h"
#include "score/score.h"
#include "store/store.h"

/* Optional callbacks of cs_report_run, for a progress display. begin is called once the scan is about to
 * start, with the scorer and the run data that will be filled (both live until cs_report_run returns);
 * problem, when not NULL, is called for every problem instead of cs_scored_problem_fn and must pass the
 * problem on to cs_scored_problem_fn(sc, ...); stage is called with "intervals (bootstrap)" before the
 * intervals are computed. Any member may be NULL. */
struct cs_report_hooks {
	void *ctx;
	void (*begin)(void *ctx, struct cs_scored *sc, const struct cs_run_data *d);
	cs_problem_fn problem;
	void (*stage)(void *ctx, const char *stage);
};

/* Appends to rows what `coseval report` shows for run: pass@1, coverage@k, diversity@k and maj@k (on all
 * problems and on each slice of sopt->by) and one fpr row per judge. k_text is the --k text (NULL: powers
 * of two up to the run's largest problem, and that number; "all": every k). sopt->ks and sopt->nk are
 * set for the duration of the call and reset to NULL and 0 afterwards. hooks may be NULL. Errors:
 * CS_USAGE (bad k list), CS_INPUT (unknown or ungraded run), CS_DB, CS_INTERNAL. */
int cs_report_run(struct cs_store *st, const char *run, const char *k_text, struct cs_score_opts *sopt,
		  struct cs_rows *rows, const struct cs_report_hooks *hooks, struct cs_err *err);

/* A WC-SE comparison as `coseval pair` shows it: both runs, the result rows (with the FPR row when a judge
 * judged both runs) and the header that names them. Everything is owned by the struct (cs_pair_run_free);
 * header's strings point into it. */
struct cs_pair_run {
	struct cs_run_data wc, se;
	struct cs_pair_result result;
	struct cs_pair_header header;
	char options[256];
	char fpr_note[512];
};

/* Compares run wc_name (WC) with se_name (SE) at the SE budgets se_ks (nk of them) matched by match, with
 * the false-positive rate of judge (NULL: the first judge in name order who judged both runs). On error
 * out is freed. Errors as cs_run_data_load and cs_pair_compare. */
int cs_pair_run(struct cs_store *st, const char *wc_name, const char *se_name, const int *se_ks, int nk,
		enum cs_pair_match match, const char *judge, const struct cs_score_opts *sopt, struct cs_pair_run *out,
		struct cs_err *err);

/* Frees what cs_pair_run filled; a zeroed struct is fine. */
void cs_pair_run_free(struct cs_pair_run *p);

#endif
