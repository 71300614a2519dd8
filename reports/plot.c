/* Laying out a line plot: panels in a grid, log x axis with readable ticks, nice linear y ticks, curves
 * with translucent interval bands, a legend; drawn with svg.h. */
#include "plot.h"
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PANEL_W 380.0
#define PANEL_H 290.0
#define MARGIN_L 64.0
#define MARGIN_R 18.0
#define MARGIN_T 34.0
#define MARGIN_B 52.0
#define HEAD_H 64.0
#define LEGEND_W 250.0
#define MAX_TICKS 64

static const char *const palette[] = { "#0072b2", "#d55e00", "#009e73", "#cc79a7",
				       "#e69f00", "#56b4e9", "#444444", "#b8a200" };

/* The shared axes of every panel. */
struct axes {
	double lx0, lx1;             /* log10 of the x range */
	double y1;                   /* top of the y axis (bottom is 0) */
	double xt[MAX_TICKS];
	int nxt;
	double yt[MAX_TICKS];
	int nyt;
	double ystep;
	enum cs_plot_xscale xscale;
};

static int drawable(const struct cs_plot_point *p)
{
	return isfinite(p->x) && p->x > 0 && isfinite(p->y);
}

static int has_band(const struct cs_plot_point *p)
{
	return drawable(p) && isfinite(p->lo) && isfinite(p->hi);
}

/* "1e12", "2e-5": v is a 1, 2 or 5 times a power of ten, up to rounding. */
static void sci(double v, char *buf, size_t size)
{
	int e = (int)floor(log10(v) + 1e-9);
	double m = v / pow(10.0, e);
	snprintf(buf, size, "%.0fe%d", m, e);
}

static void x_label(const struct axes *a, double v, char *buf, size_t size)
{
	if (a->xscale == CS_PLOT_X_SAMPLES)
		snprintf(buf, size, "%.0f", v);
	else if (a->xscale == CS_PLOT_X_FLOPS)
		sci(v, buf, size);
	else if (v >= 0.01 && v < 1e6) {
		snprintf(buf, size, "$%g", v);
	} else {
		buf[0] = '$';
		sci(v, buf + 1, size - 1);
	}
}

static void y_label(const struct axes *a, double v, char *buf, size_t size)
{
	int decimals = a->ystep >= 1 ? 0 : a->ystep >= 0.1 ? 1 : a->ystep >= 0.01 ? 2 : 3;
	if (fmod(a->ystep * 100.0, 10.0) != 0 && a->ystep < 1 && a->ystep >= 0.1)
		decimals = 2; /* 0.25 */
	snprintf(buf, size, "%.*f", decimals, v);
}

static void x_ticks(struct axes *a)
{
	double lo = pow(10.0, a->lx0), hi = pow(10.0, a->lx1);

	a->nxt = 0;
	if (a->xscale == CS_PLOT_X_SAMPLES) {
		double t = pow(2.0, floor(log2(lo)));
		int all = 0, step = 1;
		for (double u = t; u <= hi * 1.000001; u *= 2)
			all += u >= lo * 0.999999;
		while (all / step > 10)
			step *= 2;
		for (int i = 0; t <= hi * 1.000001 && a->nxt < MAX_TICKS; t *= 2) {
			if (t >= lo * 0.999999 && i++ % step == 0)
				a->xt[a->nxt++] = t;
		}
	} else {
		int e0 = (int)floor(a->lx0), e1 = (int)ceil(a->lx1);
		int fine = a->lx1 - a->lx0 < 3.0;
		int every = e1 - e0 > 10 ? (e1 - e0 + 9) / 10 : 1;
		for (int e = e0; e <= e1 && a->nxt < MAX_TICKS - 3; e++) {
			static const double mult[] = { 1, 2, 5 };
			for (int m = 0; m < (fine ? 3 : 1); m++) {
				double t = mult[m] * pow(10.0, e);
				if (t >= lo * 0.999999 && t <= hi * 1.000001 && (fine || (e - e0) % every == 0))
					a->xt[a->nxt++] = t;
			}
		}
	}
}

static void y_ticks(struct axes *a, double top)
{
	static const double steps[] = { 1, 2, 2.5, 5 };
	double mag, step = 1;

	if (!(top > 0))
		top = 1;
	mag = pow(10.0, floor(log10(top / 5.0)));
	for (int i = 0; i < 4; i++) {
		step = steps[i] * mag;
		if (top / step <= 6.0)
			break;
		step = 10 * mag;
	}
	a->ystep = step;
	a->y1 = ceil(top / step - 1e-9) * step;
	a->nyt = 0;
	for (int i = 0; i * step <= a->y1 * (1 + 1e-9) && a->nyt < MAX_TICKS; i++)
		a->yt[a->nyt++] = i * step;
}

static double px(const struct axes *a, double x0, double w, double v)
{
	return x0 + w * (log10(v) - a->lx0) / (a->lx1 - a->lx0);
}

static double py(const struct axes *a, double y0, double h, double v)
{
	return y0 + h - h * v / a->y1;
}

/* Draws a fitted curve: its band at a fainter opacity than a series' band, then the curve dashed. */
static void draw_fit(FILE *f, const struct axes *a, const struct cs_plot_series *fit, const char *colour, double x0,
		     double y0, double w, double h, double *xs, double *ys)
{
	int n = 0;

	for (int i = 0; i < fit->n; i++)
		if (has_band(&fit->points[i])) {
			xs[n] = px(a, x0, w, fit->points[i].x);
			ys[n++] = py(a, y0, h, fit->points[i].hi);
		}
	for (int i = fit->n - 1, m = n; i >= 0 && m > 1; i--)
		if (has_band(&fit->points[i])) {
			xs[n] = px(a, x0, w, fit->points[i].x);
			ys[n++] = py(a, y0, h, fit->points[i].lo);
		}
	if (n > 2)
		cs_svg_polygon(f, xs, ys, n, colour, 0.07);
	n = 0;
	for (int i = 0; i < fit->n; i++)
		if (drawable(&fit->points[i])) {
			xs[n] = px(a, x0, w, fit->points[i].x);
			ys[n++] = py(a, y0, h, fit->points[i].y);
		}
	if (n > 1)
		cs_svg_polyline_dashed(f, xs, ys, n, colour, 1.5, "6,4");
}

/* Draws one panel whose top-left corner is (ox, oy). */
static int draw_panel(FILE *f, const struct cs_plot *p, const struct axes *a, int panel, double ox, double oy,
		      double *xs, double *ys)
{
	double x0 = ox + MARGIN_L, y0 = oy + MARGIN_T;
	double w = PANEL_W - MARGIN_L - MARGIN_R, h = PANEL_H - MARGIN_T - MARGIN_B;
	char buf[64];

	if (p->panel_titles != NULL && p->panel_titles[panel] != NULL)
		cs_svg_text(f, x0 + w / 2, oy + 20, "middle", 13, "bold", 0, p->panel_titles[panel]);
	cs_svg_rect(f, x0, y0, w, h, "#ffffff", "#888888");
	for (int i = 0; i < a->nyt; i++) {
		double y = py(a, y0, h, a->yt[i]);
		if (i > 0 && i < a->nyt - 1)
			cs_svg_line(f, x0, y, x0 + w, y, "#dddddd", 1, "3,3");
		cs_svg_line(f, x0 - 4, y, x0, y, "#444444", 1, NULL);
		y_label(a, a->yt[i], buf, sizeof buf);
		cs_svg_text(f, x0 - 7, y + 4, "end", 11, NULL, 0, buf);
	}
	for (int i = 0; i < a->nxt; i++) {
		double x = px(a, x0, w, a->xt[i]);
		cs_svg_line(f, x, y0, x, y0 + h, "#dddddd", 1, "3,3");
		cs_svg_line(f, x, y0 + h, x, y0 + h + 4, "#444444", 1, NULL);
		x_label(a, a->xt[i], buf, sizeof buf);
		cs_svg_text(f, x, y0 + h + 17, "middle", 11, NULL, 0, buf);
	}
	cs_svg_text(f, x0 + w / 2, y0 + h + 38, "middle", 12, NULL, 0, p->xlabel);
	cs_svg_text(f, ox + 16, y0 + h / 2, "middle", 12, NULL, -90, p->ylabel);
	for (int s = 0; s < p->nseries; s++) {
		const struct cs_plot_series *ser = &p->series[panel * p->nseries + s];
		const char *colour = palette[s % 8];
		int n = 0;

		/* the band: upper edge left to right, lower edge back */
		for (int i = 0; i < ser->n; i++)
			if (has_band(&ser->points[i])) {
				xs[n] = px(a, x0, w, ser->points[i].x);
				ys[n++] = py(a, y0, h, ser->points[i].hi);
			}
		for (int i = ser->n - 1, m = n; i >= 0 && m > 1; i--)
			if (has_band(&ser->points[i])) {
				xs[n] = px(a, x0, w, ser->points[i].x);
				ys[n++] = py(a, y0, h, ser->points[i].lo);
			}
		if (n > 2)
			cs_svg_polygon(f, xs, ys, n, colour, 0.18);
		else if (n == 1)
			for (int i = 0; i < ser->n; i++)
				if (has_band(&ser->points[i])) {
					double x = px(a, x0, w, ser->points[i].x);
					cs_svg_line(f, x, py(a, y0, h, ser->points[i].lo), x, py(a, y0, h, ser->points[i].hi),
						    colour, 6, NULL);
				}
		n = 0;
		for (int i = 0; i < ser->n; i++)
			if (drawable(&ser->points[i])) {
				xs[n] = px(a, x0, w, ser->points[i].x);
				ys[n++] = py(a, y0, h, ser->points[i].y);
			}
		if (n > 1)
			cs_svg_polyline(f, xs, ys, n, colour, 2);
		for (int i = 0; i < n; i++)
			cs_svg_circle(f, xs[i], ys[i], 3, colour);
		if (p->fits != NULL)
			draw_fit(f, a, &p->fits[panel * p->nseries + s], colour, x0, y0, w, h, xs, ys);
	}
	return CS_OK;
}

int cs_plot_write_svg(const struct cs_plot *p, FILE *f, struct cs_err *err)
{
	struct axes a;
	double xmin = INFINITY, xmax = -INFINITY, top = 0, width, height, legend_h;
	double *xs = NULL, *ys = NULL;
	int cols, rows, maxn = 0, rc = CS_OK;

	memset(&a, 0, sizeof a);
	a.xscale = p->xscale;
	for (int i = 0; i < p->npanels * p->nseries * (p->fits != NULL ? 2 : 1); i++) {
		const struct cs_plot_series *s = i < p->npanels * p->nseries ? &p->series[i]
									       : &p->fits[i - p->npanels * p->nseries];
		if (s->n > maxn)
			maxn = s->n;
		for (int j = 0; j < s->n; j++) {
			const struct cs_plot_point *pt = &s->points[j];
			if (!drawable(pt))
				continue;
			xmin = fmin(xmin, pt->x);
			xmax = fmax(xmax, pt->x);
			top = fmax(top, pt->y);
			if (has_band(pt))
				top = fmax(top, pt->hi);
		}
	}
	if (!(xmin <= xmax)) {
		rc = cs_fail(err, CS_INPUT, "nothing to plot: no run has a value at any k");
		goto done;
	}
	xs = malloc(((size_t)maxn * 2 + 1) * sizeof *xs);
	ys = malloc(((size_t)maxn * 2 + 1) * sizeof *ys);
	if (xs == NULL || ys == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (xmin == xmax) {
		xmin /= 2;
		xmax *= 2;
	}
	a.lx0 = log10(xmin) - 0.04 * (log10(xmax) - log10(xmin));
	a.lx1 = log10(xmax) + 0.04 * (log10(xmax) - log10(xmin));
	x_ticks(&a);
	y_ticks(&a, p->ymax > 0 ? p->ymax : top * 1.02);

	cols = (int)ceil(sqrt((double)p->npanels));
	rows = (p->npanels + cols - 1) / cols;
	legend_h = 40.0 + 22.0 * (p->nseries + (p->fits != NULL));
	width = cols * PANEL_W + LEGEND_W;
	height = HEAD_H + fmax(rows * PANEL_H, legend_h) + 8;
	cs_svg_begin(f, width, height);
	cs_svg_text(f, width / 2, 26, "middle", 16, "bold", 0, p->title);
	if (p->note != NULL)
		cs_svg_text(f, width / 2, 46, "middle", 11, NULL, 0, p->note);
	for (int i = 0; i < p->npanels; i++)
		draw_panel(f, p, &a, i, (i % cols) * PANEL_W, HEAD_H + (i / cols) * PANEL_H, xs, ys);
	/* the legend, right of the panels */
	{
		double lx = cols * PANEL_W + 8, ly = HEAD_H + MARGIN_T;
		cs_svg_rect(f, lx, ly, LEGEND_W - 20, 16.0 + 22.0 * (p->nseries + (p->fits != NULL)), "#ffffff", "#bbbbbb");
		for (int s = 0; s < p->nseries; s++) {
			double y = ly + 18 + 22.0 * s;
			cs_svg_line(f, lx + 10, y - 1, lx + 32, y - 1, palette[s % 8], 2, NULL);
			cs_svg_circle(f, lx + 21, y - 1, 3, palette[s % 8]);
			cs_svg_text(f, lx + 40, y + 3, "start", 12, NULL, 0, p->labels[s]);
		}
		if (p->fits != NULL) {
			double y = ly + 18 + 22.0 * p->nseries;
			cs_svg_line(f, lx + 10, y - 1, lx + 32, y - 1, "#444444", 2, "6,4");
			cs_svg_text(f, lx + 40, y + 3, "start", 12, NULL, 0, p->fit_label);
		}
	}
	cs_svg_end(f);
	if (fflush(f) != 0 || ferror(f))
		rc = cs_fail(err, CS_INTERNAL, "error writing the plot");
done:
	free(xs);
	free(ys);
	return rc;
}

void cs_plot_points_from_rows(const struct cs_rows *rows, const char *run, const char *row_metric,
			      const char *slice, const int *ks, const double *xs, int nk, struct cs_plot_point *points,
			      int *skipped)
{
	for (int j = 0; j < nk; j++) {
		struct cs_plot_point *pt = &points[j];

		pt->x = xs[j];
		pt->y = pt->lo = pt->hi = NAN;
		for (size_t i = 0; i < rows->count; i++) {
			const struct cs_row *row = &rows->items[i];
			if (row->k != ks[j] || strcmp(row->metric, row_metric) != 0 || strcmp(row->slice, slice) != 0 ||
			    strcmp(row->run, run) != 0)
				continue;
			/* a point over only some of the problems would not be comparable: left out */
			if (row->excluded == 0 && row->problems > 0) {
				pt->y = row->value;
				pt->lo = row->lower;
				pt->hi = row->upper;
			} else if (row->problems > 0 && skipped != NULL) {
				(*skipped)++;
			}
		}
	}
}

void cs_plot_note(char *buf, size_t size, const char *metric, double ci, int replicates, unsigned long long seed,
		  const char *unique, enum cs_plot_xscale xscale)
{
	int diversity = strcmp(metric, "diversity") == 0;

	snprintf(buf, size, "bands: %g%% bootstrap intervals over problems (%d replicates, seed %llu)%s%s%s",
		 100.0 * ci, replicates, seed, diversity ? "; unique=" : "", diversity ? unique : "",
		 xscale == CS_PLOT_X_FLOPS  ? "; FLOPs = k x mean tokens x 2 x params"
		 : xscale == CS_PLOT_X_COST ? "; cost = k x mean tokens x price per 1M tokens / 1e6"
					    : "");
}
