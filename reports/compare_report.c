/* Formatting a base-versus-candidate regression check. */
#include "compare_report.h"
#include "csvout.h"

#include <stdio.h>

/* "-0.1729 [-0.1948, -0.1509]" */
static void diff_text(const struct cs_compare_row *row, char *buf, size_t size)
{
	snprintf(buf, size, "%+.4f [%+.4f, %+.4f]", row->paired.diff.point, row->paired.diff.lo, row->paired.diff.hi);
}

int cs_compare_write_table(const struct cs_compare_header *h, const struct cs_compare_result *r, FILE *out,
			   struct cs_err *err)
{
	char ivl[32];

	snprintf(ivl, sizeof ivl, "cand - base [%g%%]", 100.0 * h->ci);
	fprintf(out, "base %s (%s) vs candidate %s (%s): %d shared problems\n", h->base_run, h->base_model, h->cand_run,
		h->cand_model, r->shared);
	fprintf(out, "left out: %d problems only in base, %d only in candidate\n", r->base_only, r->cand_only);
	fprintf(out, "regression: cand - base < -%g and p_worse < %g\n", h->max_drop, h->alpha);
	fprintf(out, "%-14s %-24s %9s %9s  %-30s %8s  %s\n", "metric", "slice", "base", "cand", ivl, "p_worse", "result");
	for (int i = 0; i < r->count; i++) {
		const struct cs_compare_row *row = &r->rows[i];
		char diff[64];

		diff_text(row, diff, sizeof diff);
		fprintf(out, "%-14s %-24s %9.4f %9.4f  %-30s %8.4f  %s\n", row->metric, row->slice, row->base.point,
			row->cand.point, diff, row->paired.p_worse, row->regression ? "REGRESSION" : "ok");
	}
	fprintf(out, "options: %s\n", h->options);
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the comparison");
	return CS_OK;
}

/* Writes text with the characters that Markdown tables treat specially escaped. */
static void md_text(FILE *out, const char *text)
{
	for (; *text; text++) {
		if (*text == '|' || *text == '\\' || *text == '*' || *text == '_' || *text == '`')
			fputc('\\', out);
		fputc(*text, out);
	}
}

int cs_compare_write_md(const struct cs_compare_header *h, const struct cs_compare_result *r, FILE *out,
			struct cs_err *err)
{
	fputs("Base `", out);
	fputs(h->base_run, out);
	fputs("` vs candidate `", out);
	fputs(h->cand_run, out);
	fprintf(out, "` on %d shared problems (left out: %d only in base, %d only in candidate). A row regresses "
		"when cand - base < -%g and p_worse < %g.\n\n", r->shared, r->base_only, r->cand_only, h->max_drop,
		h->alpha);
	fprintf(out, "| metric | slice | base | cand | cand - base | %g%% interval | p_worse | result |\n", 100.0 * h->ci);
	fputs("| --- | --- | ---: | ---: | ---: | --- | ---: | --- |\n", out);
	for (int i = 0; i < r->count; i++) {
		const struct cs_compare_row *row = &r->rows[i];

		fputs("| ", out);
		md_text(out, row->metric);
		fputs(" | ", out);
		md_text(out, row->slice);
		fprintf(out, " | %.4f | %.4f | %+.4f | [%+.4f, %+.4f] | %.4f | %s |\n", row->base.point, row->cand.point,
			row->paired.diff.point, row->paired.diff.lo, row->paired.diff.hi, row->paired.p_worse,
			row->regression ? "**regression**" : "ok");
	}
	fputs("\nOptions: `", out);
	fputs(h->options, out);
	fputs("`\n", out);
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the comparison");
	return CS_OK;
}

int cs_compare_write_csv(const struct cs_compare_header *h, const struct cs_compare_result *r, FILE *out,
			 struct cs_err *err)
{
	static const char header[] = "metric,slice,base_run,cand_run,base,cand,diff,diff_lower,diff_upper,p_worse,"
				     "max_drop,regression,problems,base_only,cand_only,options\n";
	int bad = fputs(header, out) == EOF;

	for (int i = 0; i < r->count && !bad; i++) {
		const struct cs_compare_row *row = &r->rows[i];

		bad |= cs_csv_field(out, row->metric, 0);
		bad |= cs_csv_field(out, row->slice, 0);
		bad |= cs_csv_field(out, h->base_run, 0);
		bad |= cs_csv_field(out, h->cand_run, 0);
		bad |= cs_csv_num(out, row->base.point);
		bad |= cs_csv_num(out, row->cand.point);
		bad |= cs_csv_num(out, row->paired.diff.point);
		bad |= cs_csv_num(out, row->paired.diff.lo);
		bad |= cs_csv_num(out, row->paired.diff.hi);
		bad |= cs_csv_num(out, row->paired.p_worse);
		bad |= cs_csv_num(out, h->max_drop);
		bad |= cs_csv_long(out, row->regression);
		bad |= cs_csv_long(out, row->problems);
		bad |= cs_csv_long(out, r->base_only);
		bad |= cs_csv_long(out, r->cand_only);
		bad |= cs_csv_field(out, h->options, 1);
	}
	if (bad || ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the comparison");
	return CS_OK;
}
