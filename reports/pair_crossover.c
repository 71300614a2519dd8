/* Formatting the crossovers of `pair --crossover`. */
#include "pair_crossover.h"
#include "csvout.h"
#include "json_out.h"

#include <math.h>
#include <string.h>

/* "%.4g", "none" for an infinity, "-" for NaN. */
static void num(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (isinf(v))
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "%.4g", v);
}

/* "x [lo, hi]" of the interval scaled by f. */
static void scaled(char *buf, size_t size, const struct cs_interval *iv, double f)
{
	char p[32], lo[32], hi[32];

	num(p, sizeof p, iv->point * f);
	num(lo, sizeof lo, iv->lo * f);
	num(hi, sizeof hi, iv->hi * f);
	snprintf(buf, size, "%s [%s, %s]", p, lo, hi);
}

static const char *direction(const struct cs_crossover *x)
{
	return x->wc_ahead ? "wc-falls" : "wc-catches-up";
}

static void write_line(const char *name, const struct cs_crossover *x, const struct cs_pair_crossover *c, FILE *out)
{
	char se[128], wc[128], f1[128], f2[128];

	if (isnan(x->se_samples.point)) {
		fprintf(out, "  %-14s -: the model could not be fitted to both runs\n", name);
		return;
	}
	scaled(se, sizeof se, &x->se_samples, 1.0);
	if (isinf(x->se_samples.point)) {
		fprintf(out, "  %-14s WC stays %s SE up to %.4g SE samples per problem: no crossover (interval %s)\n", name,
			x->wc_ahead ? "ahead of" : "behind", c->r.s_max, strchr(se, '['));
		return;
	}
	scaled(wc, sizeof wc, &x->se_samples, c->r.ratio);
	fprintf(out, "  %-14s WC %s SE at %s SE samples per problem (WC %s)", name,
		x->wc_ahead ? "falls to" : "catches up with", se, wc);
	if (c->flops_se > 0) {
		scaled(f1, sizeof f1, &x->se_samples, c->flops_se);
		scaled(f2, sizeof f2, &x->se_samples, c->r.ratio * c->flops_wc);
		fprintf(out, "; FLOPs per problem SE %s, WC %s", f1, f2);
	}
	if (c->usd_se > 0) {
		scaled(f1, sizeof f1, &x->se_samples, c->usd_se);
		scaled(f2, sizeof f2, &x->se_samples, c->r.ratio * c->usd_wc);
		fprintf(out, "; USD per problem SE %s, WC %s", f1, f2);
	}
	fputc('\n', out);
}

int cs_crossover_write_table(const struct cs_pair_header *h, const struct cs_pair_crossover *c, FILE *out,
			     struct cs_err *err)
{
	fprintf(out, "crossover of the fitted curves (fitted on all samples: WC %d, SE %d per problem), %s-matched at "
		"%.4g WC samples per SE sample, %d shared problems:\n", c->k_fit_wc, c->k_fit_se, h->match, c->r.ratio,
		c->r.problems);
	write_line("beta-binomial", &c->r.beta, c, out);
	write_line("power law", &c->r.power, c, out);
	if (c->flops_se <= 0 || c->usd_se <= 0)
		fprintf(out, "  (%s%s%s per problem need both runs' %s%s%s and token counts)\n", c->flops_se <= 0 ? "FLOPs" : "",
			c->flops_se <= 0 && c->usd_se <= 0 ? " and " : "", c->usd_se <= 0 ? "USD" : "",
			c->flops_se <= 0 ? "--params" : "", c->flops_se <= 0 && c->usd_se <= 0 ? " and " : "",
			c->usd_se <= 0 ? "--price-out" : "");
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the crossover");
	return CS_OK;
}

/* One CSV record: se figures are the interval times fs, wc figures times fw. */
static int csv_record(const struct cs_pair_header *h, const struct cs_pair_crossover *c, const char *metric,
		      const struct cs_interval *iv, double fs, double fw, FILE *out)
{
	int bad = 0;

	bad |= cs_csv_field(out, metric, 0);
	bad |= cs_csv_field(out, h->wc_run, 0);
	bad |= cs_csv_field(out, h->se_run, 0);
	bad |= cs_csv_field(out, h->match, 0);
	bad |= cs_csv_field(out, "", 0);
	bad |= cs_csv_field(out, "", 0);
	bad |= cs_csv_num(out, c->r.ratio);
	bad |= cs_csv_num(out, iv->point * fs);
	bad |= cs_csv_num(out, iv->lo * fs);
	bad |= cs_csv_num(out, iv->hi * fs);
	bad |= cs_csv_num(out, iv->point * fw);
	bad |= cs_csv_num(out, iv->lo * fw);
	bad |= cs_csv_num(out, iv->hi * fw);
	bad |= cs_csv_num(out, NAN);
	bad |= cs_csv_num(out, NAN);
	bad |= cs_csv_num(out, NAN);
	bad |= cs_csv_num(out, NAN);
	bad |= cs_csv_long(out, c->r.problems);
	bad |= cs_csv_field(out, h->options, 1);
	return bad;
}

int cs_crossover_write_csv(const struct cs_pair_header *h, const struct cs_pair_crossover *c, FILE *out,
			   struct cs_err *err)
{
	const struct cs_crossover *xs[2] = { &c->r.beta, &c->r.power };
	const char *names[2] = { "beta-binomial", "power-law" };
	char metric[96];
	int bad = 0;

	for (int m = 0; m < 2 && !bad; m++) {
		snprintf(metric, sizeof metric, "crossover:%s:%s", names[m], direction(xs[m]));
		bad |= csv_record(h, c, metric, &xs[m]->se_samples, 1.0, c->r.ratio, out);
		if (c->flops_se > 0) {
			snprintf(metric, sizeof metric, "crossover-flops:%s:%s", names[m], direction(xs[m]));
			bad |= csv_record(h, c, metric, &xs[m]->se_samples, c->flops_se, c->r.ratio * c->flops_wc, out);
		}
		if (c->usd_se > 0) {
			snprintf(metric, sizeof metric, "crossover-usd:%s:%s", names[m], direction(xs[m]));
			bad |= csv_record(h, c, metric, &xs[m]->se_samples, c->usd_se, c->r.ratio * c->usd_wc, out);
		}
	}
	if (bad || ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the crossover");
	return CS_OK;
}

/* {"se", "wc", "se_lower", "se_upper"} of the interval scaled by fs (SE) and fw (WC), or null when fs is 0. */
static cJSON *scaled_json(const struct cs_interval *iv, double fs, double fw)
{
	cJSON *o;
	int bad = 0;

	if (fs <= 0)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	if (o == NULL)
		return NULL;
	bad |= cs_json_add_num(o, "se", iv->point * fs);
	bad |= cs_json_add_num(o, "se_lower", iv->lo * fs);
	bad |= cs_json_add_num(o, "se_upper", iv->hi * fs);
	bad |= cs_json_add_num(o, "wc", iv->point * fw);
	bad |= cs_json_add_num(o, "wc_lower", iv->lo * fw);
	bad |= cs_json_add_num(o, "wc_upper", iv->hi * fw);
	if (bad) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int cs_json_crossover(cJSON *doc, const struct cs_pair_crossover *c, struct cs_err *err)
{
	const struct cs_crossover *xs[2] = { &c->r.beta, &c->r.power };
	const char *names[2] = { "beta-binomial", "power-law" };
	cJSON *arr = cJSON_AddArrayToObject(doc, "crossover");
	int bad = arr == NULL;

	for (int m = 0; m < 2 && !bad; m++) {
		const struct cs_interval *iv = &xs[m]->se_samples;
		cJSON *o = cJSON_CreateObject(), *f, *u;
		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			bad = 1;
			break;
		}
		bad |= cJSON_AddStringToObject(o, "fit", names[m]) == NULL;
		bad |= cJSON_AddStringToObject(o, "direction", direction(xs[m])) == NULL;
		bad |= cJSON_AddBoolToObject(o, "crossed", isfinite(iv->point)) == NULL;
		bad |= cs_json_add_num(o, "max_se_samples", c->r.s_max);
		bad |= cs_json_add_num(o, "ratio", c->r.ratio);
		bad |= cs_json_add_num(o, "se_samples", iv->point);
		bad |= cs_json_add_num(o, "lower", iv->lo);
		bad |= cs_json_add_num(o, "upper", iv->hi);
		bad |= cs_json_add_num(o, "wc_samples", iv->point * c->r.ratio);
		f = scaled_json(iv, c->flops_se, c->r.ratio * c->flops_wc);
		u = scaled_json(iv, c->usd_se, c->r.ratio * c->usd_wc);
		bad |= f == NULL || !cJSON_AddItemToObject(o, "flops_per_problem", f);
		bad |= u == NULL || !cJSON_AddItemToObject(o, "usd_per_problem", u);
		bad |= cJSON_AddNumberToObject(o, "problems", c->r.problems) == NULL;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}
