/* Formatting a WC-SE comparison. */
#include "pair_report.h"
#include "csvout.h"

#include <math.h>

int cs_pair_write_table(const struct cs_pair_header *h, const struct cs_pair_result *r, FILE *out,
			struct cs_err *err)
{
	fprintf(out, "WC %s (%s) vs SE %s (%s), %s-matched, %d shared problems", h->wc_run, h->wc_model, h->se_run,
		h->se_model, h->match, r->shared);
	if (r->wc_only || r->se_only)
		fprintf(out, " (left out: %d only in WC, %d only in SE)", r->wc_only, r->se_only);
	fprintf(out, "\n%-10s %5s %5s  %-26s  %-26s  %-28s  %8s\n", "metric", "SE k", "WC k", "SE", "WC", "WC - SE",
		"gain");
	for (int i = 0; i < r->count; i++) {
		const struct cs_pair_row *row = &r->rows[i];
		char se[64], wc[64], diff[64], gain[32] = "-", se_k[16] = "-", wc_k[16] = "-";

		snprintf(se, sizeof se, "%.4f [%.4f, %.4f]", row->se.point, row->se.lo, row->se.hi);
		snprintf(wc, sizeof wc, "%.4f [%.4f, %.4f]", row->wc.point, row->wc.lo, row->wc.hi);
		snprintf(diff, sizeof diff, "%+.4f [%+.4f, %+.4f]", row->diff.point, row->diff.lo, row->diff.hi);
		if (!isnan(row->gain))
			snprintf(gain, sizeof gain, "%+.1f%%", 100.0 * row->gain);
		if (row->se_k > 0) {
			snprintf(se_k, sizeof se_k, "%d", row->se_k);
			snprintf(wc_k, sizeof wc_k, "%d", row->wc_k);
		}
		fprintf(out, "%-10s %5s %5s  %-26s  %-26s  %-28s  %8s\n", row->metric, se_k, wc_k, se, wc, diff, gain);
	}
	if (h->fpr_note != NULL)
		fprintf(out, "%s\n", h->fpr_note);
	fprintf(out, "options: %s\n", h->options);
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the comparison");
	return CS_OK;
}

int cs_pair_write_csv(const struct cs_pair_header *h, const struct cs_pair_result *r, FILE *out,
		      struct cs_err *err)
{
	static const char header[] = "metric,wc_run,se_run,match,se_k,wc_k,ratio,se,se_lower,se_upper,wc,wc_lower,"
				     "wc_upper,diff,diff_lower,diff_upper,gain,problems,options\n";
	int bad = fputs(header, out) == EOF;

	for (int i = 0; i < r->count && !bad; i++) {
		const struct cs_pair_row *row = &r->rows[i];
		char a[16], b[16];

		a[0] = b[0] = '\0';
		if (row->se_k > 0) {
			snprintf(a, sizeof a, "%d", row->se_k);
			snprintf(b, sizeof b, "%d", row->wc_k);
		}
		bad |= cs_csv_field(out, row->metric, 0);
		bad |= cs_csv_field(out, h->wc_run, 0);
		bad |= cs_csv_field(out, h->se_run, 0);
		bad |= cs_csv_field(out, h->match, 0);
		bad |= cs_csv_field(out, a, 0);
		bad |= cs_csv_field(out, b, 0);
		bad |= cs_csv_num(out, row->ratio);
		bad |= cs_csv_num(out, row->se.point);
		bad |= cs_csv_num(out, row->se.lo);
		bad |= cs_csv_num(out, row->se.hi);
		bad |= cs_csv_num(out, row->wc.point);
		bad |= cs_csv_num(out, row->wc.lo);
		bad |= cs_csv_num(out, row->wc.hi);
		bad |= cs_csv_num(out, row->diff.point);
		bad |= cs_csv_num(out, row->diff.lo);
		bad |= cs_csv_num(out, row->diff.hi);
		bad |= cs_csv_num(out, row->gain);
		bad |= cs_csv_long(out, row->problems);
		bad |= cs_csv_field(out, h->options, 1);
	}
	if (bad || ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the comparison");
	return CS_OK;
}
