/* `coseval report`: pass@1, coverage@k, diversity@k and maj@k with intervals, per run and per slice. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "cli/score_options.h"
#include "output.h"
#include "score/run_report.h"
#include "util/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The progress line of a report: one pass over each run's grades, which scores each problem as it comes. */
struct report_progress {
	struct cs_progress bar;
	struct cs_scored *scored;       /* where the problems go (cs_scored_problem_fn's context) */
	const char *name;               /* the run's */
	const struct cs_run_data *run;  /* its np is known once the first problem comes */
	int pass, passes;               /* this is pass number pass (from 1) of passes, one per run */
	double pass_start;              /* when the pass began, in seconds since the line began */
};

/* Draws "report: pass 2 of 4 (RUN): STAGE" when the line is due. */
static void show_stage(struct report_progress *rp, const char *stage)
{
	if (cs_progress_due(&rp->bar))
		cs_progress_show(&rp->bar, "report: pass %d of %d (%s): %s", rp->pass, rp->passes, rp->name, stage);
}

/* cs_report_run's begin hook: where the problems go and the run whose size the line shows. */
static void begin_pass(void *ctx, struct cs_scored *sc, const struct cs_run_data *d)
{
	struct report_progress *rp = ctx;

	rp->scored = sc;
	rp->run = d;
}

/* cs_report_run's stage hook. */
static void show_stage_hook(void *ctx, const char *stage)
{
	show_stage(ctx, stage);
}

/* cs_run_scan's callback: scores the problem (cs_scored_problem_fn) and, at most five times a second, draws
 * "report: pass 2 of 4 (RUN): problem 1200 of 5000 (24%), 3 s left". */
static int score_problem(void *ctx, int index, const struct cs_tally *t, struct cs_err *err)
{
	struct report_progress *rp = ctx;
	int rc = cs_scored_problem_fn(rp->scored, index, t, err);
	double elapsed, share;
	char eta[64];

	if (rc != CS_OK || !cs_progress_due(&rp->bar))
		return rc;
	elapsed = cs_progress_elapsed(&rp->bar) - rp->pass_start;
	share = rp->run->np > 0 ? (double)(index + 1) / rp->run->np : 1;
	cs_progress_eta(eta, sizeof eta, share, elapsed);
	cs_progress_show(&rp->bar, "report: pass %d of %d (%s): problem %d of %d (%.0f%%)%s", rp->pass, rp->passes,
			 rp->name, index + 1, rp->run->np, 100 * share, eta);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	const char *db = NULL, *runs_text = NULL, *k_text = NULL, *by = NULL, *unique = NULL, *ci = NULL;
	const char *boot = NULL, *seed = NULL, *output = NULL, *format = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--runs", CS_OPT_VALUE, &runs_text }, { "--k", CS_OPT_VALUE, &k_text },
		{ "--by", CS_OPT_VALUE, &by }, { "--unique", CS_OPT_VALUE, &unique }, { "--ci", CS_OPT_VALUE, &ci },
		{ "--bootstrap", CS_OPT_VALUE, &boot }, { "--seed", CS_OPT_VALUE, &seed }, { "-o", CS_OPT_VALUE, &output },
		{ "--format", CS_OPT_VALUE, &format }, { NULL, 0, NULL }
	};
	struct cs_score_opts sopt = { 0 };
	struct cs_list runs = { 0 };
	struct cs_rows rows = { 0 };
	struct cs_output out = { 0 };
	struct report_progress progress = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	char *runs_copy = NULL;
	char **names = NULL;
	int nnames = 0;
	int csv, json, npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0 ||
	    cs_parse_score_options(unique, ci, boot, seed, &sopt) != 0)
		return 2;
	if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "table") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "coseval report: --format is table, csv or json\n");
		return 2;
	}
	json = format != NULL && strcmp(format, "json") == 0;
	csv = format ? strcmp(format, "csv") == 0 : output != NULL && strcmp(output, "-") != 0;
	sopt.by = by;
	if (!cs_score_by_valid(by)) {
		fprintf(stderr, "coseval report: --by is subject, level, dataset or tag:KEY, not '%s'\n", by);
		return 2;
	}
	if (k_text != NULL && strcmp(k_text, "all") != 0) {
		int *ks = NULL, nk = 0;
		if (cs_parse_ks(k_text, 1, &ks, &nk, &err) != 0) {
			fprintf(stderr, "coseval report: %s\n", err.msg);
			return 2;
		}
		free(ks);
	}
	if (runs_text != NULL) {
		runs_copy = strdup(runs_text);
		if (runs_copy == NULL || cs_split_list(runs_copy, &runs) != 0 || runs.count == 0) {
			fprintf(stderr, "coseval report: --runs wants a comma-separated list of run names\n");
			free(runs_copy);
			return 2;
		}
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	/* the head of the JSON document is also the provenance of a CSV file */
	if (rc == 0 && (json || (csv && output != NULL && strcmp(output, "-") != 0)) &&
	    (doc = cs_cli_json_doc("report", opts, cs_store_default_path(db))) == NULL)
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
	if (rc == 0 && runs.count == 0) {
		rc = cs_store_run_names(st, &names, &nnames, &err);
		if (rc == 0 && nnames == 0)
			rc = cs_fail(&err, CS_INPUT, "the database has no runs; import samples first");
	}
	cs_progress_begin(&progress.bar);
	progress.passes = runs.count > 0 ? (int)runs.count : nnames;
	for (int i = 0; rc == 0 && i < (runs.count > 0 ? (int)runs.count : nnames); i++) {
		const char *run = runs.count > 0 ? runs.items[i] : names[i];
		const struct cs_report_hooks hooks = { &progress, begin_pass, score_problem, show_stage_hook };

		progress.pass = i + 1;
		progress.pass_start = cs_progress_elapsed(&progress.bar);
		progress.name = run;
		show_stage(&progress, "reading");
		if (doc != NULL)
			rc = cs_cli_json_add_run(doc, st, run, &err);
		if (rc == 0)
			rc = cs_report_run(st, run, k_text, &sopt, &rows, &hooks, &err);
	}
	cs_progress_end(&progress.bar);
	if (rc == 0 && json) {
		rc = cs_json_report_rows(doc, &rows, &err);
		if (rc == 0)
			rc = cs_cli_json_output(doc, output, &err);
	} else if (rc == 0) {
		rc = cs_output_open(&out, output, &err);
	}
	if (rc == 0 && !json) {
		rc = csv ? cs_rows_write_csv(&rows, out.f, &err) : cs_rows_write_table(&rows, out.f, &err);
		if (cs_output_close_provenance(&out, rc != 0, doc, rc == 0 ? &err : NULL) != 0 && rc == 0)
			rc = CS_INPUT;
	}
	if (rc != 0)
		fprintf(stderr, "coseval report: %s\n", err.msg);
	cJSON_Delete(doc);
	cs_rows_free(&rows);
	free(runs_copy);
	cs_store_free_names(names, nnames);
	cs_store_close(st);
	return rc;
}
