/* Formatting the coverage fits of one run: the text block, the CSV records and the JSON rows. */
#include "fit_report.h"
#include "csvout.h"
#include "json_out.h"

#include <math.h>
#include <string.h>

void cs_fit_note(const struct cs_fit_result *r, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (r->beta.kind == CS_BETA_NEVER)
		used += (size_t)snprintf(buf + used, size - used, "No sample in the window is correct: the beta-binomial "
					 "fit is the point mass at p = 0 (coverage 0 at every k; a, b undefined). ");
	else if (r->beta.kind == CS_BETA_ALWAYS)
		used += (size_t)snprintf(buf + used, size - used, "Every sample in the window is correct: the "
					 "beta-binomial fit is the point mass at p = 1 (coverage 1 at every k; a, b undefined). ");
	else if (r->beta.edge != 0)
		used += (size_t)snprintf(buf + used, size - used, "The likelihood is largest on the edge of the box "
					 "[%g, %g] for%s%s%s%s (%s). ", CS_FIT_AB_MIN, CS_FIT_AB_MAX,
					 r->beta.edge & CS_FIT_A_LOW ? " a (low)" : "", r->beta.edge & CS_FIT_A_HIGH ? " a (high)" : "",
					 r->beta.edge & CS_FIT_B_LOW ? " b (low)" : "", r->beta.edge & CS_FIT_B_HIGH ? " b (high)" : "",
					 (r->beta.edge & (CS_FIT_A_HIGH | CS_FIT_B_HIGH)) ? "the problems look alike: nearly a binomial"
					 : "problems solved always or never, few in between");
	if (used < size && !r->power.ok)
		snprintf(buf + used, size - used, "The power law has %d point%s strictly between 0 and 1: %s.",
			 r->power.points, r->power.points == 1 ? "" : "s",
			 r->power.limit == 1.0 ? "the curve already reached 1, predicted 1"
			 : r->power.limit == 0.0 ? "the curve is 0 throughout, predicted 0" : "not fitted");
	used = strlen(buf);
	if (used > 0 && buf[used - 1] == ' ')
		buf[used - 1] = '\0';
}

/* "0.9123 [0.9000, 0.9300]" with fmt for each number, "-" for an undefined point, the bare point when the
 * interval is undefined. */
static void interval_text(char *buf, size_t size, const char *fmt, const struct cs_interval *iv)
{
	char p[40], lo[40], hi[40];

	if (isnan(iv->point)) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(p, sizeof p, fmt, iv->point);
	if (isnan(iv->lo) || isnan(iv->hi)) {
		snprintf(buf, size, "%s", p);
		return;
	}
	snprintf(lo, sizeof lo, fmt, iv->lo);
	snprintf(hi, sizeof hi, fmt, iv->hi);
	snprintf(buf, size, "%s [%s, %s]", p, lo, hi);
}

int cs_fit_write_table(const struct cs_fit_header *h, const struct cs_fit_result *r, FILE *out,
		       struct cs_err *err)
{
	char a[128], b[128], c[128], d[128], note[1024];

	fprintf(out, "run %s (%s): %d problems, %ld samples; fitted on the first %d samples of each problem (%ld "
		"samples)\n", h->run, h->model, r->problems, r->samples, r->k_fit, r->fit_samples);
	interval_text(a, sizeof a, "%.4g", &r->a);
	interval_text(b, sizeof b, "%.4g", &r->b);
	interval_text(c, sizeof c, "%.4g", &r->c);
	interval_text(d, sizeof d, "%.4g", &r->d);
	fprintf(out, "  beta-binomial  a = %s, b = %s\n", a, b);
	fprintf(out, "  power law      log coverage@k = c k^d: c = %s, d = %s; fitted at k =", c, d);
	for (int j = 0; j < r->npower; j++)
		fprintf(out, "%s%.0f", j ? "," : " ", r->power_ks[j]);
	fprintf(out, "\n  %12s  %-26s  %-26s  %s\n", "k", "measured (all samples)", "beta-binomial", "power law");
	for (int j = 0; j < r->nrows; j++) {
		const struct cs_fit_row *row = &r->rows[j];
		char m[128], be[128], pw[128];
		interval_text(m, sizeof m, "%.4f", &row->measured);
		interval_text(be, sizeof be, "%.4f", &row->beta);
		interval_text(pw, sizeof pw, "%.4f", &row->power);
		fprintf(out, "  %12.0f  %-26s  %-26s  %s\n", row->k, m, be, pw);
	}
	cs_fit_note(r, note, sizeof note);
	if (note[0] != '\0')
		fprintf(out, "  note: %s\n", note);
	fprintf(out, "  options: %s\n", h->options);
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the fit");
	return CS_OK;
}

/* One figure: which model, which parameter, at which k (NaN: none), its interval, its problems. */
struct record {
	const char *fit, *parameter;
	double k;
	const struct cs_interval *iv;
	int problems;
};

/* The records of r in output order; fills rec (room for 4 + 3 nrows) and returns how many. */
static int records(const struct cs_fit_result *r, struct record *rec)
{
	int n = 0;

	rec[n++] = (struct record){ "beta-binomial", "a", NAN, &r->a, r->problems };
	rec[n++] = (struct record){ "beta-binomial", "b", NAN, &r->b, r->problems };
	rec[n++] = (struct record){ "power-law", "c", NAN, &r->c, r->problems };
	rec[n++] = (struct record){ "power-law", "d", NAN, &r->d, r->problems };
	for (int j = 0; j < r->nrows; j++) {
		const struct cs_fit_row *row = &r->rows[j];
		if (row->measured_problems > 0)
			rec[n++] = (struct record){ "measured", "coverage", row->k, &row->measured, row->measured_problems };
		rec[n++] = (struct record){ "beta-binomial", "coverage", row->k, &row->beta, r->problems };
		rec[n++] = (struct record){ "power-law", "coverage", row->k, &row->power, r->problems };
	}
	return n;
}

int cs_fit_write_csv_header(FILE *out, struct cs_err *err)
{
	if (fputs("run,model,k_fit,fit,parameter,k,value,lower,upper,problems,note,options\n", out) == EOF)
		return cs_fail(err, CS_INTERNAL, "error writing the fit");
	return CS_OK;
}

int cs_fit_write_csv(const struct cs_fit_header *h, const struct cs_fit_result *r, FILE *out,
		     struct cs_err *err)
{
	struct record rec[4 + 3 * 64];
	struct record *all = r->nrows <= 64 ? rec : NULL;
	char note[1024], k[40];
	int n, bad = 0;

	if (all == NULL)
		return cs_fail(err, CS_USAGE, "at most 63 values of k to predict");
	n = records(r, all);
	cs_fit_note(r, note, sizeof note);
	for (int i = 0; i < n && !bad; i++) {
		k[0] = '\0';
		if (!isnan(all[i].k))
			snprintf(k, sizeof k, "%.0f", all[i].k);
		bad |= cs_csv_field(out, h->run, 0);
		bad |= cs_csv_field(out, h->model, 0);
		bad |= cs_csv_long(out, r->k_fit);
		bad |= cs_csv_field(out, all[i].fit, 0);
		bad |= cs_csv_field(out, all[i].parameter, 0);
		bad |= cs_csv_field(out, k, 0);
		bad |= cs_csv_finite(out, all[i].iv->point);
		bad |= cs_csv_finite(out, all[i].iv->lo);
		bad |= cs_csv_finite(out, all[i].iv->hi);
		bad |= cs_csv_long(out, all[i].problems);
		bad |= cs_csv_field(out, note, 0);
		bad |= cs_csv_field(out, h->options, 1);
	}
	if (bad || ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the fit");
	return CS_OK;
}

int cs_json_fit_rows(cJSON *doc, const struct cs_fit_header *h, const struct cs_fit_result *r,
		     struct cs_err *err)
{
	struct record rec[4 + 3 * 64];
	cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "rows");
	char note[1024];
	int n, bad = 0;

	if (r->nrows > 64)
		return cs_fail(err, CS_USAGE, "at most 63 values of k to predict");
	n = records(r, rec);
	cs_fit_note(r, note, sizeof note);
	for (int i = 0; i < n && !bad; i++) {
		cJSON *o = cJSON_CreateObject();
		if (o == NULL || !cJSON_AddItemToArray(rows, o)) {
			cJSON_Delete(o);
			bad = 1;
			break;
		}
		bad |= cJSON_AddStringToObject(o, "run", h->run) == NULL;
		bad |= cJSON_AddStringToObject(o, "model", h->model) == NULL;
		bad |= cJSON_AddNumberToObject(o, "k_fit", r->k_fit) == NULL;
		bad |= cJSON_AddStringToObject(o, "fit", rec[i].fit) == NULL;
		bad |= cJSON_AddStringToObject(o, "parameter", rec[i].parameter) == NULL;
		bad |= cs_json_add_num(o, "k", rec[i].k);
		bad |= cs_json_add_num(o, "value", rec[i].iv->point);
		bad |= cs_json_add_num(o, "lower", rec[i].iv->lo);
		bad |= cs_json_add_num(o, "upper", rec[i].iv->hi);
		bad |= cJSON_AddNumberToObject(o, "problems", rec[i].problems) == NULL;
		bad |= cJSON_AddStringToObject(o, "note", note) == NULL;
		bad |= cJSON_AddStringToObject(o, "options", h->options) == NULL;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}
