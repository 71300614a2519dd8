/* A tiny SVG writer: elements with numbers at a fixed precision and XML-escaped text, so that the same
 * drawing always gives the same bytes. */
#ifndef COSEVAL_SVG_H
#define COSEVAL_SVG_H

#include <stdio.h>

/* Every function writes to f (caller-owned, open for writing) and reports nothing: the caller checks
 * ferror(f) once at the end. Coordinates and sizes are printed with two decimals ("-0.00" is printed as
 * "0.00"); colours and other attribute strings are written as given and must not need escaping. */

/* Writes the XML declaration and the opening <svg> element of a width x height drawing (pixels), with a
 * white background rectangle. */
void cs_svg_begin(FILE *f, double width, double height);

/* Closes the <svg> element. */
void cs_svg_end(FILE *f);

/* Writes text with &, <, >, " and ' replaced by entities; bytes below 0x20 other than tab and newline
 * (not allowed in XML 1.0) become '?'. */
void cs_svg_escape(FILE *f, const char *text);

/* Writes a number with two decimals, never "-0.00". */
void cs_svg_num(FILE *f, double v);

/* A line from (x1, y1) to (x2, y2); dash is a stroke-dasharray value or NULL for a solid line. */
void cs_svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *stroke, double width,
		 const char *dash);

/* A rectangle; fill and stroke may be "none". */
void cs_svg_rect(FILE *f, double x, double y, double w, double h, const char *fill, const char *stroke);

/* A circle of radius r filled with fill. */
void cs_svg_circle(FILE *f, double cx, double cy, double r, const char *fill);

/* An open polyline through n points (xs, ys caller-owned), no fill. */
void cs_svg_polyline(FILE *f, const double *xs, const double *ys, int n, const char *stroke, double width);

/* cs_svg_polyline with a stroke-dasharray dash (such as "6,4"). */
void cs_svg_polyline_dashed(FILE *f, const double *xs, const double *ys, int n, const char *stroke, double width,
			    const char *dash);

/* A closed polygon through n points, filled with fill at fill-opacity opacity, no stroke. */
void cs_svg_polygon(FILE *f, const double *xs, const double *ys, int n, const char *fill, double opacity);

/* Text at (x, y) (the baseline), escaped; anchor is "start", "middle" or "end"; size in pixels; weight
 * "bold" or NULL; rotate (degrees, about (x, y)) 0 for none. */
void cs_svg_text(FILE *f, double x, double y, const char *anchor, double size, const char *weight, double rotate,
		 const char *text);

#endif
