/* `coseval plot`: coverage@k, diversity@k or pass@k of runs against samples, FLOPs or cost, as SVG. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/score_options.h"
#include "output.h"
#include "plot.h"
#include "score/score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLOT_MAX_PANELS 256

/* Orders panel labels: "level=2" before "level=10" (numbers by value), "...=unknown" last, else by text. */
static int compare_slices(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	const char *va = strchr(a, '='), *vb = strchr(b, '=');
	char *ea, *eb;
	long na, nb;
	int ua, ub;

	va = va ? va + 1 : a;
	vb = vb ? vb + 1 : b;
	ua = strcmp(va, "unknown") == 0;
	ub = strcmp(vb, "unknown") == 0;
	if (ua != ub)
		return ua - ub;
	na = strtol(va, &ea, 10);
	nb = strtol(vb, &eb, 10);
	if (*va && *vb && *ea == '\0' && *eb == '\0' && na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}

/* The x value of k samples per problem of run d. */
static double x_of(const struct cs_run_data *d, enum cs_plot_xscale xs, int k)
{
	if (xs == CS_PLOT_X_FLOPS)
		return (double)k * d->mean_tokens * 2.0 * d->params;
	if (xs == CS_PLOT_X_COST)
		return (double)k * d->mean_tokens * d->price_out / 1e6;
	return (double)k;
}

/* Points of the fitted curves of plot --fit per run, one panel. */
#define FIT_POINTS 25

/* Fits each run (on all its samples) by the beta-binomial model of `coseval fit` and fills *fits (one series per
 * run) and *points (FIT_POINTS per run, both malloc'd, the caller frees them): the fitted coverage@k with its
 * bootstrap interval at FIT_POINTS k from 1 to 100 times max_n, evenly spaced on the log scale. */
static int fit_series(struct cs_store *st, const struct cs_list *names, const struct cs_run_data *runs,
		      enum cs_plot_xscale xscale, int max_n, const struct cs_score_opts *sopt, struct cs_plot_series **fits,
		      struct cs_plot_point **points, struct cs_err *err)
{
	double grid[FIT_POINTS];
	int ngrid = 0, rc = CS_OK;

	for (int j = 0; j < FIT_POINTS; j++) {
		double k = floor(pow(100.0 * max_n, (double)j / (FIT_POINTS - 1)) + 0.5);
		if (ngrid == 0 || k > grid[ngrid - 1])
			grid[ngrid++] = k;
	}
	*fits = calloc(names->count, sizeof **fits);
	*points = calloc(names->count * (size_t)ngrid, sizeof **points);
	if (*fits == NULL || *points == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (size_t r = 0; rc == CS_OK && r < names->count; r++) {
		struct cs_run_data d = { 0 };
		struct cs_fit_result fr = { 0 };
		struct cs_fit_opts fo;
		struct cs_plot_point *pt = &(*points)[r * (size_t)ngrid];
		int run_max = 0;

		rc = cs_run_data_load(st, names->items[r], sopt->unique, &d, err);
		for (int p = 0; rc == CS_OK && p < d.np; p++)
			if (d.tallies[p].n > run_max)
				run_max = d.tallies[p].n;
		fo.k_fit = run_max > 2 ? run_max : 2;
		fo.predict = grid;
		fo.npredict = ngrid;
		cs_boot_default_opts(&fo.boot, sopt->seed);
		fo.boot.replicates = sopt->replicates;
		fo.boot.level = sopt->ci;
		if (rc == CS_OK)
			rc = cs_fit_run(d.tallies, d.np, &fo, &fr, err);
		for (int j = 0; rc == CS_OK && j < ngrid; j++) {
			pt[j].x = x_of(&runs[r], xscale, (int)grid[j]);
			pt[j].y = pt[j].lo = pt[j].hi = NAN;
			for (int i = 0; i < fr.nrows; i++)
				if (fr.rows[i].k == grid[j]) {
					pt[j].y = fr.rows[i].beta.point;
					pt[j].lo = fr.rows[i].beta.lo;
					pt[j].hi = fr.rows[i].beta.hi;
				}
		}
		(*fits)[r].points = pt;
		(*fits)[r].n = ngrid;
		cs_fit_result_free(&fr);
		cs_run_data_free(&d);
	}
	return rc;
}

int cmd_plot(int argc, char **argv)
{
	const char *db = NULL, *runs_text = NULL, *x_name = "samples", *by = NULL, *k_text = NULL, *output = NULL;
	const char *unique = NULL, *ci = NULL, *boot = NULL, *seed = NULL, *title = NULL;
	int fit = 0;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--runs", CS_OPT_VALUE, &runs_text }, { "--x", CS_OPT_VALUE, &x_name },
		{ "--by", CS_OPT_VALUE, &by }, { "--k", CS_OPT_VALUE, &k_text }, { "-o", CS_OPT_VALUE, &output },
		{ "--unique", CS_OPT_VALUE, &unique }, { "--ci", CS_OPT_VALUE, &ci }, { "--bootstrap", CS_OPT_VALUE, &boot },
		{ "--seed", CS_OPT_VALUE, &seed }, { "--title", CS_OPT_VALUE, &title }, { "--fit", CS_OPT_FLAG, &fit },
		{ NULL, 0, NULL }
	};
	const char *pos[1];
	struct cs_score_opts sopt = { 0 };
	struct cs_list names = { { 0 }, 0 };
	struct cs_run_data *runs = NULL;
	struct cs_rows *rows = NULL;
	struct cs_plot plot;
	struct cs_plot_series *series = NULL;
	struct cs_plot_point *points = NULL;
	double *xs = NULL;
	const char **labels = NULL, *panels[PLOT_MAX_PANELS];
	char **label_bufs = NULL, *runs_copy = NULL, note[400], title_buf[200];
	const char *metric, *row_metric;
	enum cs_plot_xscale xscale;
	struct cs_output out = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	int *ks = NULL, nk = 0, npos, npanels = 0, max_n = 1, skipped = 0, rc = 0;
	struct cs_plot_series *fits = NULL;
	struct cs_plot_point *fit_points = NULL;

	if (cs_parse_args(argc, argv, opts, pos, 1, &npos) != 0 ||
	    cs_parse_score_options(unique, ci, boot, seed, &sopt) != 0)
		return 2;
	if (npos != 1 || runs_text == NULL || output == NULL || strcmp(output, "-") == 0) {
		fprintf(stderr, "coseval plot: usage: coseval plot coverage|diversity|pass --runs A,B,... -o FILE.svg "
			"(see coseval help plot)\n");
		return 2;
	}
	metric = pos[0];
	if (strcmp(metric, "coverage") != 0 && strcmp(metric, "diversity") != 0 && strcmp(metric, "pass") != 0) {
		fprintf(stderr, "coseval plot: the metric is coverage, diversity or pass, not '%s'\n", metric);
		return 2;
	}
	row_metric = strcmp(metric, "diversity") == 0 ? "diversity" : "coverage";
	if (strcmp(x_name, "samples") == 0)
		xscale = CS_PLOT_X_SAMPLES;
	else if (strcmp(x_name, "flops") == 0)
		xscale = CS_PLOT_X_FLOPS;
	else if (strcmp(x_name, "cost") == 0)
		xscale = CS_PLOT_X_COST;
	else {
		fprintf(stderr, "coseval plot: --x is samples, flops or cost, not '%s'\n", x_name);
		return 2;
	}
	if (fit && (strcmp(metric, "diversity") == 0 || by != NULL)) {
		fprintf(stderr, "coseval plot: --fit draws fitted coverage (coverage or pass) in one panel, without --by\n");
		return 2;
	}
	if (by != NULL && strcmp(by, "level") != 0 && strcmp(by, "subject") != 0 && strcmp(by, "dataset") != 0 &&
	    !(strncmp(by, "tag:", 4) == 0 && by[4] != '\0')) {
		fprintf(stderr, "coseval plot: --by is level, subject, dataset or tag:KEY, not '%s'\n", by);
		return 2;
	}
	runs_copy = strdup(runs_text);
	if (runs_copy == NULL || cs_split_list(runs_copy, &names) != 0 || names.count == 0) {
		fprintf(stderr, "coseval plot: --runs wants a comma-separated list of at most %d runs\n", CS_LIST_MAX);
		free(runs_copy);
		return 2;
	}
	runs = calloc(names.count, sizeof *runs);
	rows = calloc(names.count, sizeof *rows);
	labels = calloc(names.count, sizeof *labels);
	label_bufs = calloc(names.count, sizeof *label_bufs);
	if (runs == NULL || rows == NULL || labels == NULL || label_bufs == NULL) {
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	/* the k list first (its default depends on the largest problem of any run) */
	for (size_t r = 0; rc == 0 && r < names.count; r++) {
		int run_max = 0;

		rc = cs_run_max_samples(st, names.items[r], &run_max, &err);
		if (run_max > max_n)
			max_n = run_max;
	}
	if (rc == 0)
		rc = cs_parse_ks(k_text, max_n, &ks, &nk, &err);
	sopt.ks = ks;
	sopt.nk = nk;
	sopt.by = by;
	/* only the metric drawn (pass@k is coverage@k), scored while each run is read */
	sopt.metrics = strcmp(metric, "diversity") == 0 ? CS_SCORE_DIVERSITY : CS_SCORE_COVERAGE;
	for (size_t r = 0; rc == 0 && r < names.count; r++) {
		struct cs_run_data *d = &runs[r];
		struct cs_scored sc;

		cs_scored_init(&sc, &sopt);
		rc = cs_run_scan(st, names.items[r], sopt.unique, d, cs_scored_problem_fn, &sc, &err);
		if (rc == 0 && xscale != CS_PLOT_X_SAMPLES)
			rc = cs_run_mean_tokens(st, d, &err);
		if (rc == 0 && xscale != CS_PLOT_X_SAMPLES && d->mean_tokens <= 0)
			rc = cs_fail(&err, CS_INPUT, "--x %s needs token counts, but run '%s' has none (import samples with "
				     "a tokens field)", x_name, d->name);
		else if (rc == 0 && xscale == CS_PLOT_X_FLOPS && d->params <= 0)
			rc = cs_fail(&err, CS_INPUT, "--x flops needs the parameter count of run '%s' (import with --params)",
				     d->name);
		else if (rc == 0 && xscale == CS_PLOT_X_COST && d->price_out <= 0)
			rc = cs_fail(&err, CS_INPUT, "--x cost needs the output price of run '%s' (import with --price-out)",
				     d->name);
		if (rc == 0)
			rc = cs_score_rows(d, &sc, &rows[r], &err);
		cs_scored_free(&sc);
	}
	if (rc != 0)
		goto done;

	/* the panels: "all", or every slice some run has, in a natural order */
	if (by == NULL)
		panels[npanels++] = "all";
	for (size_t r = 0; by != NULL && r < names.count; r++)
		for (size_t i = 0; i < rows[r].count; i++) {
			const char *sl = rows[r].items[i].slice;
			int seen = strcmp(sl, "all") == 0;
			for (int q = 0; q < npanels && !seen; q++)
				seen = strcmp(panels[q], sl) == 0;
			if (seen)
				continue;
			if (npanels == PLOT_MAX_PANELS) {
				rc = cs_fail(&err, CS_INPUT, "--by %s gives more than %d panels", by, PLOT_MAX_PANELS);
				goto done;
			}
			panels[npanels++] = sl;
		}
	qsort(panels, (size_t)npanels, sizeof *panels, compare_slices);

	series = calloc((size_t)npanels * names.count, sizeof *series);
	points = calloc((size_t)npanels * names.count * (size_t)nk, sizeof *points);
	xs = calloc((size_t)nk, sizeof *xs);
	if (series == NULL || points == NULL || xs == NULL) {
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int q = 0; q < npanels; q++)
		for (size_t r = 0; r < names.count; r++) {
			struct cs_plot_series *s = &series[(size_t)q * names.count + r];
			struct cs_plot_point *pt = &points[((size_t)q * names.count + r) * (size_t)nk];
			for (int j = 0; j < nk; j++)
				xs[j] = x_of(&runs[r], xscale, ks[j]);
			s->points = pt;
			s->n = nk;
			cs_plot_points_from_rows(&rows[r], runs[r].name, row_metric, panels[q], ks, xs, nk, pt, &skipped);
		}
	if (fit)
		rc = fit_series(st, &names, runs, xscale, max_n, &sopt, &fits, &fit_points, &err);
	if (rc != 0)
		goto done;
	if (skipped > 0)
		fprintf(stderr, "coseval plot: %d point(s) left out where some problems have fewer than k samples\n",
			skipped);
	for (size_t r = 0; r < names.count; r++) {
		size_t len = strlen(runs[r].name) + strlen(runs[r].model) + 4;
		label_bufs[r] = malloc(len);
		if (label_bufs[r] == NULL) {
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
			goto done;
		}
		snprintf(label_bufs[r], len, "%s (%s)", runs[r].name, runs[r].model);
		labels[r] = label_bufs[r];
	}
	snprintf(title_buf, sizeof title_buf, "%s@k%s%s", metric, by ? " by " : "", by ? by : "");
	cs_plot_note(note, sizeof note, metric, sopt.ci, sopt.replicates, (unsigned long long)sopt.seed,
		     cs_unique_name(sopt.unique), xscale);
	memset(&plot, 0, sizeof plot);
	plot.title = title ? title : title_buf;
	plot.note = note;
	plot.xlabel = xscale == CS_PLOT_X_SAMPLES ? "k (samples per problem, log scale)"
		      : xscale == CS_PLOT_X_FLOPS ? "FLOPs per problem (log scale)"
						  : "cost per problem, USD (log scale)";
	plot.ylabel = strcmp(metric, "diversity") == 0 ? "diversity@k"
		      : strcmp(metric, "pass") == 0 ? "pass@k" : "coverage@k";
	plot.xscale = xscale;
	plot.ymax = strcmp(metric, "diversity") == 0 ? 0 : 1;
	plot.nseries = (int)names.count;
	plot.labels = labels;
	plot.npanels = npanels;
	plot.panel_titles = by ? panels : NULL;
	plot.series = series;
	plot.fits = fits;
	plot.fit_label = "dashed: beta-binomial fit";
	rc = cs_output_open(&out, output, &err);
	if (rc == 0) {
		rc = cs_plot_write_svg(&plot, out.f, &err);
		if (cs_output_close(&out, rc != 0, rc == 0 ? &err : NULL) != 0 && rc == 0)
			rc = CS_INPUT;
	}
done:
	if (rc != 0)
		fprintf(stderr, "coseval plot: %s\n", err.msg);
	for (size_t r = 0; runs != NULL && r < names.count; r++) {
		cs_run_data_free(&runs[r]);
		if (rows != NULL)
			cs_rows_free(&rows[r]);
		if (label_bufs != NULL)
			free(label_bufs[r]);
	}
	free(runs);
	free(rows);
	free(labels);
	free(label_bufs);
	free(series);
	free(points);
	free(fits);
	free(fit_points);
	free(xs);
	free(ks);
	free(runs_copy);
	cs_store_close(st);
	return rc;
}
