/* Writing SVG elements with fixed-precision numbers and escaped text. */
#include "svg.h"

#include <math.h>
#include <string.h>

void cs_svg_num(FILE *f, double v)
{
	char buf[64];

	if (!isfinite(v))
		v = 0.0;
	snprintf(buf, sizeof buf, "%.2f", v);
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		fputs(buf + 1, f);
	else
		fputs(buf, f);
}

void cs_svg_begin(FILE *f, double width, double height)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", f);
	cs_svg_num(f, width);
	fputs("\" height=\"", f);
	cs_svg_num(f, height);
	fputs("\" viewBox=\"0 0 ", f);
	cs_svg_num(f, width);
	fputc(' ', f);
	cs_svg_num(f, height);
	fputs("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n", f);
	cs_svg_rect(f, 0, 0, width, height, "#ffffff", "none");
}

void cs_svg_end(FILE *f)
{
	fputs("</svg>\n", f);
}

void cs_svg_escape(FILE *f, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n')
				fputc('?', f);
			else
				fputc(*p, f);
		}
	}
}

void cs_svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *stroke, double width,
		 const char *dash)
{
	fputs("<line x1=\"", f);
	cs_svg_num(f, x1);
	fputs("\" y1=\"", f);
	cs_svg_num(f, y1);
	fputs("\" x2=\"", f);
	cs_svg_num(f, x2);
	fputs("\" y2=\"", f);
	cs_svg_num(f, y2);
	fprintf(f, "\" stroke=\"%s\" stroke-width=\"", stroke);
	cs_svg_num(f, width);
	if (dash != NULL)
		fprintf(f, "\" stroke-dasharray=\"%s", dash);
	fputs("\"/>\n", f);
}

void cs_svg_rect(FILE *f, double x, double y, double w, double h, const char *fill, const char *stroke)
{
	fputs("<rect x=\"", f);
	cs_svg_num(f, x);
	fputs("\" y=\"", f);
	cs_svg_num(f, y);
	fputs("\" width=\"", f);
	cs_svg_num(f, w);
	fputs("\" height=\"", f);
	cs_svg_num(f, h);
	fprintf(f, "\" fill=\"%s\" stroke=\"%s\"/>\n", fill, stroke);
}

void cs_svg_circle(FILE *f, double cx, double cy, double r, const char *fill)
{
	fputs("<circle cx=\"", f);
	cs_svg_num(f, cx);
	fputs("\" cy=\"", f);
	cs_svg_num(f, cy);
	fputs("\" r=\"", f);
	cs_svg_num(f, r);
	fprintf(f, "\" fill=\"%s\"/>\n", fill);
}

static void points(FILE *f, const double *xs, const double *ys, int n)
{
	fputs(" points=\"", f);
	for (int i = 0; i < n; i++) {
		if (i > 0)
			fputc(' ', f);
		cs_svg_num(f, xs[i]);
		fputc(',', f);
		cs_svg_num(f, ys[i]);
	}
	fputc('"', f);
}

void cs_svg_polyline(FILE *f, const double *xs, const double *ys, int n, const char *stroke, double width)
{
	fputs("<polyline", f);
	points(f, xs, ys, n);
	fprintf(f, " fill=\"none\" stroke=\"%s\" stroke-width=\"", stroke);
	cs_svg_num(f, width);
	fputs("\" stroke-linejoin=\"round\"/>\n", f);
}

void cs_svg_polyline_dashed(FILE *f, const double *xs, const double *ys, int n, const char *stroke, double width,
			    const char *dash)
{
	fputs("<polyline", f);
	points(f, xs, ys, n);
	fprintf(f, " fill=\"none\" stroke=\"%s\" stroke-width=\"", stroke);
	cs_svg_num(f, width);
	fprintf(f, "\" stroke-dasharray=\"%s\" stroke-linejoin=\"round\"/>\n", dash);
}

void cs_svg_polygon(FILE *f, const double *xs, const double *ys, int n, const char *fill, double opacity)
{
	fputs("<polygon", f);
	points(f, xs, ys, n);
	fprintf(f, " fill=\"%s\" fill-opacity=\"", fill);
	cs_svg_num(f, opacity);
	fputs("\" stroke=\"none\"/>\n", f);
}

void cs_svg_text(FILE *f, double x, double y, const char *anchor, double size, const char *weight, double rotate,
		 const char *text)
{
	fputs("<text x=\"", f);
	cs_svg_num(f, x);
	fputs("\" y=\"", f);
	cs_svg_num(f, y);
	fprintf(f, "\" text-anchor=\"%s\" font-size=\"", anchor);
	cs_svg_num(f, size);
	fputc('"', f);
	if (weight != NULL)
		fprintf(f, " font-weight=\"%s\"", weight);
	if (rotate != 0.0) {
		fputs(" transform=\"rotate(", f);
		cs_svg_num(f, rotate);
		fputc(' ', f);
		cs_svg_num(f, x);
		fputc(' ', f);
		cs_svg_num(f, y);
		fputs(")\"", f);
	}
	fputc('>', f);
	cs_svg_escape(f, text);
	fputs("</text>\n", f);
}
