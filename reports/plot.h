/* Line plots with interval bands as SVG: log-scaled x axis (samples, FLOPs or cost), linear y axis, one
 * panel or a grid of small multiples sharing both axes, one legend. */
#ifndef COSEVAL_PLOT_H
#define COSEVAL_PLOT_H

#include <stdio.h>

#include "rows.h"
#include "util/error.h"

/* What the x axis shows; all three are drawn on a logarithmic scale. Ticks: samples at powers of two
 * (labels 1, 2, 4, ...); FLOPs at 1, 2 and 5 times powers of ten (labels 1e12, 2e12, ...; only the
 * powers of ten when the axis spans three decades or more); cost likewise, labelled in dollars ($0.5,
 * $2e-5). */
enum cs_plot_xscale { CS_PLOT_X_SAMPLES, CS_PLOT_X_FLOPS, CS_PLOT_X_COST };

/* One point of a curve: y with its interval [lo, hi]. A point whose x or y is not finite (or x <= 0) is
 * not drawn; a point whose lo or hi is not finite has no band. */
struct cs_plot_point {
	double x, y, lo, hi;
};

/* One curve in one panel; points in ascending x. */
struct cs_plot_series {
	const struct cs_plot_point *points;
	int n;
};

/* A figure; everything is borrowed from the caller. */
struct cs_plot {
	const char *title;
	const char *note;               /* a smaller line under the title, or NULL */
	const char *xlabel, *ylabel;
	enum cs_plot_xscale xscale;
	double ymax;                    /* top of the y axis, or 0 to take it from the data */
	int nseries;                    /* curves per panel, one colour and one legend entry each */
	const char *const *labels;      /* nseries legend labels */
	int npanels;                    /* >= 1; more than one: a grid of ceil(sqrt(npanels)) columns */
	const char *const *panel_titles;/* npanels titles, or NULL */
	const struct cs_plot_series *series; /* npanels * nseries: series[panel * nseries + s] */
	const struct cs_plot_series *fits;   /* NULL, or fitted curves laid out as series: each drawn dashed in its
	                                        series' colour, without markers, over a fainter band; the legend
	                                        then has a line naming fit_label */
	const char *fit_label;
};

/* Writes the figure to out (caller-owned) as a standalone SVG document; the same figure always gives the
 * same bytes. Colours follow the series index (a fixed eight-colour palette, repeated). Returns CS_OK,
 * CS_INPUT (no drawable point in any series: "nothing to plot") or CS_INTERNAL (out of memory, or a
 * write error), with err filled. */
int cs_plot_write_svg(const struct cs_plot *plot, FILE *out, struct cs_err *err);

/* Fills the nk points of one curve from the report rows of one run: point j at x xs[j] takes the row of
 * metric row_metric ("coverage" or "diversity"), slice and k = ks[j] of run. A point is drawn only from a
 * row over all of the slice's problems (excluded 0); a row that left problems out gives NaN and is counted
 * in *skipped (may be NULL), and a missing row gives NaN. */
void cs_plot_points_from_rows(const struct cs_rows *rows, const char *run, const char *row_metric,
			      const char *slice, const int *ks, const double *xs, int nk, struct cs_plot_point *points,
			      int *skipped);

/* The note under the title of a plot of metric ("coverage", "diversity" or "pass"): the interval level,
 * replicates and seed of the bands, the uniqueness for diversity (unique, its name), and how the x axis
 * was computed. Writes at most size bytes into buf. */
void cs_plot_note(char *buf, size_t size, const char *metric, double ci, int replicates, unsigned long long seed,
		  const char *unique, enum cs_plot_xscale xscale);

#endif
