/* Line plots with interval bands as SVG: log-scaled x axis (samples, FLOPs or cost), linear y axis, one
 * panel or a grid of small multiples sharing both axes, one legend. */
#ifndef COSEVAL_PLOT_H
#define COSEVAL_PLOT_H

#include <stdio.h>

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

#endif
