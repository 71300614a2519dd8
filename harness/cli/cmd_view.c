/* `coseval view --runs A,B -o study.html`: one self-contained HTML page with the report, the pair table, the
 * coverage and diversity plots and every sample of the runs to browse problem by problem. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/score_options.h"
#include "grade/grade.h"
#include "output.h"
#include "plot.h"
#include "score/run_report.h"
#include "store/browse.h"
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_DEFAULT_MAX_TEXT 4000

/* The run's model, from its report rows ("" when it has none). */
static const char *model_of(const struct cs_rows *rows, const char *run)
{
	for (size_t i = 0; i < rows->count; i++)
		if (strcmp(rows->items[i].run, run) == 0)
			return rows->items[i].model;
	return "";
}

/* The SVG that `coseval plot METRIC --runs ...` writes (one panel, x = samples per problem, the same k list,
 * title, note and labels; points and note through the same functions), drawn from the report's rows: *svg is
 * malloc'd (caller frees). CS_INPUT when there is nothing to plot. */
static int plot_svg(const char *metric, const struct cs_rows *rows, const char *const *runs, const char *const *labels,
		    int nruns, const int *ks, int nk, const struct cs_score_opts *sopt, char **svg, struct cs_err *err)
{
	const char *row_metric = strcmp(metric, "diversity") == 0 ? "diversity" : "coverage";
	struct cs_plot_series *series = calloc((size_t)nruns, sizeof *series);
	struct cs_plot_point *points = calloc((size_t)nruns * (size_t)nk, sizeof *points);
	double *xs = calloc((size_t)nk, sizeof *xs);
	struct cs_plot plot;
	char note[400], title[64];
	size_t len = 0;
	FILE *mem = NULL;
	int rc = CS_OK;

	*svg = NULL;
	if (series == NULL || points == NULL || xs == NULL || (mem = open_memstream(svg, &len)) == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int j = 0; j < nk; j++)
		xs[j] = ks[j];
	for (int r = 0; r < nruns; r++) {
		series[r].points = &points[(size_t)r * (size_t)nk];
		series[r].n = nk;
		cs_plot_points_from_rows(rows, runs[r], row_metric, "all", ks, xs, nk, &points[(size_t)r * (size_t)nk],
					 NULL);
	}
	snprintf(title, sizeof title, "%s@k", metric);
	cs_plot_note(note, sizeof note, metric, sopt->ci, sopt->replicates, (unsigned long long)sopt->seed,
		     cs_unique_name(sopt->unique), CS_PLOT_X_SAMPLES);
	memset(&plot, 0, sizeof plot);
	plot.title = title;
	plot.note = note;
	plot.xlabel = "k (samples per problem, log scale)";
	plot.ylabel = strcmp(metric, "diversity") == 0 ? "diversity@k" : "coverage@k";
	plot.xscale = CS_PLOT_X_SAMPLES;
	plot.ymax = strcmp(metric, "diversity") == 0 ? 0 : 1;
	plot.nseries = nruns;
	plot.labels = labels;
	plot.npanels = 1;
	plot.series = series;
	rc = cs_plot_write_svg(&plot, mem, err);
done:
	if (mem != NULL && fclose(mem) != 0 && rc == CS_OK)
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
	if (rc != CS_OK) {
		free(*svg);
		*svg = NULL;
	}
	free(series);
	free(points);
	free(xs);
	return rc;
}

int cmd_view(int argc, char **argv)
{
	const char *db = NULL, *runs_text = NULL, *output = NULL, *pair_text = NULL, *se_k = "1", *match_name = "params";
	const char *judge = NULL, *k_text = NULL, *unique = NULL, *ci = NULL, *boot = NULL, *seed = NULL;
	const char *max_text_text = NULL, *title = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--runs", CS_OPT_VALUE, &runs_text }, { "-o", CS_OPT_VALUE, &output },
		{ "--pair", CS_OPT_VALUE, &pair_text }, { "--se-k", CS_OPT_VALUE, &se_k },
		{ "--match", CS_OPT_VALUE, &match_name }, { "--judge", CS_OPT_VALUE, &judge }, { "--k", CS_OPT_VALUE, &k_text },
		{ "--unique", CS_OPT_VALUE, &unique }, { "--ci", CS_OPT_VALUE, &ci }, { "--bootstrap", CS_OPT_VALUE, &boot },
		{ "--seed", CS_OPT_VALUE, &seed }, { "--max-text", CS_OPT_VALUE, &max_text_text },
		{ "--title", CS_OPT_VALUE, &title }, { NULL, 0, NULL }
	};
	struct cs_score_opts sopt = { 0 };
	struct cs_list names = { { 0 }, 0 }, pair_names = { { 0 }, 0 };
	struct cs_rows rows = { 0 };
	struct cs_pair_run pr = { 0 };
	struct cs_view_page page;
	struct cs_view_writer w = { 0 };
	struct cs_output out = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	enum cs_pair_match match;
	char *runs_copy = NULL, *pair_copy = NULL, *pair_buf = NULL, *svgs[2] = { NULL, NULL };
	char **all_names = NULL, **label_bufs = NULL, subtitle[1200], title_buf[200], plot_note[sizeof err.msg + 64] = "";
	const char **run_list = NULL, **models = NULL, **labels = NULL;
	const char *svg_list[2];
	int nall = 0, nruns, nsvgs = 0, npos, max_n = 1, *ks = NULL, nk = 0, *se_ks = NULL, nse = 0, rc = CS_OK;
	size_t max_text = VIEW_DEFAULT_MAX_TEXT;

	memset(&page, 0, sizeof page);
	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0 ||
	    cs_parse_score_options(unique, ci, boot, seed, &sopt) != 0)
		return 2;
	if (output == NULL) {
		fprintf(stderr, "coseval view: usage: coseval view [--runs A,B,...] -o FILE.html (see coseval help view)\n");
		return 2;
	}
	if (cs_pair_match_parse(match_name, &match) != 0) {
		fprintf(stderr, "coseval view: --match is params, tokens, price or count\n");
		return 2;
	}
	if (max_text_text != NULL) {
		char *end;
		double v = strtod(max_text_text, &end);
		if (end == max_text_text || *end != '\0' || !(v >= 0) || v > 1e9 || v != floor(v)) {
			fprintf(stderr, "coseval view: --max-text wants a number of bytes (0: no limit), not '%s'\n",
				max_text_text);
			return 2;
		}
		max_text = (size_t)v;
		if (max_text > 0 && max_text < 200) {
			fprintf(stderr, "coseval view: --max-text is 0 (no limit) or at least 200 bytes\n");
			return 2;
		}
	}
	if (k_text != NULL && strcmp(k_text, "all") != 0 && cs_parse_ks(k_text, 1, &ks, &nk, &err) != 0) {
		fprintf(stderr, "coseval view: %s\n", err.msg);
		return 2;
	}
	free(ks);
	ks = NULL;
	if (strcmp(se_k, "all") == 0 || cs_parse_ks(se_k, 1, &se_ks, &nse, &err) != 0) {
		fprintf(stderr, "coseval view: --se-k wants ascending budgets such as 1,10\n");
		return 2;
	}
	if (pair_text != NULL) {
		pair_copy = strdup(pair_text);
		if (pair_copy == NULL || cs_split_list(pair_copy, &pair_names) != 0 || pair_names.count != 2) {
			fprintf(stderr, "coseval view: --pair wants two runs, WC,SE\n");
			rc = 2;
			goto done;
		}
	}
	if (runs_text != NULL) {
		runs_copy = strdup(runs_text);
		if (runs_copy == NULL || cs_split_list(runs_copy, &names) != 0 || names.count == 0) {
			fprintf(stderr, "coseval view: --runs wants a comma-separated list of at most %d run names\n",
				CS_LIST_MAX);
			rc = 2;
			goto done;
		}
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == CS_OK && names.count == 0) {
		rc = cs_store_run_names(st, &all_names, &nall, &err);
		if (rc == CS_OK && nall == 0)
			rc = cs_fail(&err, CS_INPUT, "the database has no runs; import samples first");
		if (rc == CS_OK && nall > CS_LIST_MAX)
			rc = cs_fail(&err, CS_USAGE, "the database has %d runs; name at most %d with --runs", nall,
				     CS_LIST_MAX);
		for (int i = 0; rc == CS_OK && i < nall; i++)
			names.items[names.count++] = all_names[i];
	}
	if (rc != CS_OK)
		goto done;
	nruns = (int)names.count;
	run_list = calloc((size_t)nruns, sizeof *run_list);
	models = calloc((size_t)nruns, sizeof *models);
	labels = calloc((size_t)nruns, sizeof *labels);
	label_bufs = calloc((size_t)nruns, sizeof *label_bufs);
	if (run_list == NULL || models == NULL || labels == NULL || label_bufs == NULL) {
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		goto done;
	}
	/* the report, as `coseval report --runs ...` computes it */
	for (int r = 0; rc == CS_OK && r < nruns; r++) {
		int run_max = 0;
		run_list[r] = names.items[r];
		rc = cs_report_run(st, run_list[r], k_text, &sopt, &rows, NULL, &err);
		if (rc == CS_OK)
			rc = cs_run_max_samples(st, run_list[r], &run_max, &err);
		if (run_max > max_n)
			max_n = run_max;
	}
	for (int r = 0; rc == CS_OK && r < nruns; r++) {
		size_t len;
		models[r] = model_of(&rows, run_list[r]);
		len = strlen(run_list[r]) + strlen(models[r]) + 4;
		if ((label_bufs[r] = malloc(len)) == NULL) {
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
			break;
		}
		snprintf(label_bufs[r], len, "%s (%s)", run_list[r], models[r]);
		labels[r] = label_bufs[r];
	}
	/* the plots, with the k list of `coseval plot` (its default spans the largest problem of any run) */
	if (rc == CS_OK)
		rc = cs_parse_ks(k_text, max_n, &ks, &nk, &err);
	for (int m = 0; rc == CS_OK && m < 2; m++) {
		const char *metric = m == 0 ? "coverage" : "diversity";
		int prc = plot_svg(metric, &rows, run_list, labels, nruns, ks, nk, &sopt, &svgs[m], &err);
		if (prc == CS_INPUT) {
			snprintf(plot_note, sizeof plot_note, "%s@k: %s", metric, err.msg);
			continue;
		}
		rc = prc;
		if (rc == CS_OK)
			svg_list[nsvgs++] = svgs[m];
	}
	/* the pair, as `coseval pair --wc WC --se SE --se-k ... --match ...` prints it */
	if (rc == CS_OK && pair_names.count == 2) {
		size_t len = 0;
		FILE *mem;
		rc = cs_pair_run(st, pair_names.items[0], pair_names.items[1], se_ks, nse, match, judge, &sopt, &pr, &err);
		if (rc == CS_OK && (mem = open_memstream(&pair_buf, &len)) == NULL)
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		else if (rc == CS_OK) {
			rc = cs_pair_write_table(&pr.header, &pr.result, mem, &err);
			if (fclose(mem) != 0 && rc == CS_OK)
				rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		}
	}
	if (rc != CS_OK)
		goto done;

	if (title == NULL) {
		snprintf(title_buf, sizeof title_buf, "coseval: %d run%s", nruns, nruns == 1 ? "" : "s");
		title = title_buf;
	}
	snprintf(subtitle, sizeof subtitle, "database %s; coseval %s, grader %s", cs_store_default_path(db),
		 COSEVAL_VERSION, CS_GRADER_VERSION);
	page.title = title;
	page.subtitle = subtitle;
	page.nruns = nruns;
	page.runs = run_list;
	page.models = models;
	page.rows = &rows;
	page.pair_text = pair_buf;
	page.svgs = svg_list;
	page.nsvgs = nsvgs;
	page.plot_note = plot_note[0] ? plot_note : NULL;
	page.max_text = max_text;
	rc = cs_output_open(&out, output, &err);
	if (rc == CS_OK)
		rc = cs_view_begin(&w, out.f, &page, &err);
	if (rc == CS_OK) {
		rc = cs_browse_samples(st, run_list, nruns, cs_view_sample, &w, &err);
		if (rc == CS_OK)
			rc = cs_view_end(&w, &err);
		else
			cs_view_writer_free(&w);
	}
	if (out.f != NULL && cs_output_close(&out, rc != CS_OK, rc == CS_OK ? &err : NULL) != 0 && rc == CS_OK)
		rc = CS_INPUT;
	if (rc == CS_OK)
		fprintf(stderr, "coseval view: %s: %d run%s, %ld problems, %ld samples%s", output, nruns,
			nruns == 1 ? "" : "s", w.nproblems, w.nsamples, w.ncut ? "" : "\n");
	if (rc == CS_OK && w.ncut)
		fprintf(stderr, " (%ld text%s longer than %zu bytes cut, %lld bytes left out; --max-text 0 keeps all)\n",
			w.ncut, w.ncut == 1 ? "" : "s", max_text, w.cut_bytes);
done:
	if (rc != CS_OK && rc != 2)
		fprintf(stderr, "coseval view: %s\n", err.msg);
	for (int r = 0; label_bufs != NULL && r < (int)names.count; r++)
		free(label_bufs[r]);
	free(label_bufs);
	free(labels);
	free(models);
	free(run_list);
	free(svgs[0]);
	free(svgs[1]);
	free(pair_buf);
	free(pair_copy);
	free(runs_copy);
	free(ks);
	free(se_ks);
	cs_pair_run_free(&pr);
	cs_rows_free(&rows);
	cs_store_free_names(all_names, nall);
	cs_store_close(st);
	return rc;
}
