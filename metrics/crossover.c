/* Crossovers of fitted coverage curves at matched compute, with a paired bootstrap over problems. */
#include "crossover.h"

#include <math.h>
#include <string.h>

/* Grid points per decade of the SE budget. */
#define PER_DECADE 20

/* One run's fitted curve as log(1 - coverage@k): the beta-binomial fit (power NULL) or the power law. */
struct curve {
	const struct cs_beta_fit *beta;
	const struct cs_power_fit *power;
};

/* log(1 - coverage@k) of the curve; NaN where undefined. */
static double log_miss(const struct curve *c, double k)
{
	if (c->power == NULL) {
		if (c->beta->kind == CS_BETA_NEVER)
			return 0.0;
		if (c->beta->kind == CS_BETA_ALWAYS)
			return -INFINITY;
		return cs_beta_log_miss(c->beta->a, c->beta->b, k);
	}
	if (!c->power->ok)
		return c->power->limit == 1.0 ? -INFINITY : c->power->limit == 0.0 ? 0.0 : NAN;
	return log(-expm1(c->power->c * pow(k, c->power->d)));
}

/* 1 when WC's matched coverage is ahead of (at least) SE's at SE budget s, 0 when behind, -1 undefined. */
static int ahead(const struct curve *wc, const struct curve *se, double ratio, double s)
{
	double w = log_miss(wc, ratio * s), e = log_miss(se, s);

	if (isnan(w) || isnan(e))
		return -1;
	return w <= e;
}

/* The first s in [s_min, s_max] where ahead() differs from want_ahead (the crossing), +inf when none, s_min
 * when it differs there already, NaN when undefined. */
static double find_crossing(const struct curve *wc, const struct curve *se, double ratio, double s_min,
			    double s_max, int want_ahead)
{
	double lo = log10(s_min), hi = log10(s_max), prev = lo;
	int steps = (int)ceil((hi - lo) * PER_DECADE);
	int a = ahead(wc, se, ratio, s_min);

	if (a < 0)
		return NAN;
	if (a != want_ahead)
		return s_min;
	for (int i = 1; i <= steps; i++) {
		double x = i == steps ? hi : lo + (hi - lo) * i / steps;
		a = ahead(wc, se, ratio, pow(10, x));
		if (a < 0)
			return NAN;
		if (a != want_ahead) {
			double l = prev, h = x;
			for (int it = 0; it < 60; it++) {
				double m = 0.5 * (l + h);
				int am = ahead(wc, se, ratio, pow(10, m));
				if (am == want_ahead)
					l = m;
				else
					h = m;
			}
			return pow(10, h);
		}
		prev = x;
	}
	return INFINITY;
}

/* What the bootstrap statistic reads. */
struct cx_ctx {
	struct cs_fit_data wc, se;
	double ratio, s_min, s_max;
	int beta_ahead, power_ahead;   /* directions on the original problems */
};

/* Fits all four curves with the weights and writes the beta and power crossovers. */
static void crossings(struct cx_ctx *x, const int *weight, double *values, int *beta_ahead, int *power_ahead)
{
	struct cs_beta_fit bw, bs;
	struct cs_power_fit pw, ps;
	struct curve cbw = { &bw, NULL }, cbs = { &bs, NULL }, cpw = { NULL, &pw }, cps = { NULL, &ps };
	struct cs_err sub;
	int ok = cs_fit_weighted(&x->wc, weight, &bw, &pw, &sub) == CS_OK;

	ok &= cs_fit_weighted(&x->se, weight, &bs, &ps, &sub) == CS_OK;
	if (beta_ahead != NULL) {
		*beta_ahead = ok ? ahead(&cbw, &cbs, x->ratio, x->s_min) : -1;
		*power_ahead = ahead(&cpw, &cps, x->ratio, x->s_min);
		x->beta_ahead = *beta_ahead;
		x->power_ahead = *power_ahead;
	}
	values[0] = ok && x->beta_ahead >= 0 ? find_crossing(&cbw, &cbs, x->ratio, x->s_min, x->s_max, x->beta_ahead)
					       : NAN;
	values[1] = x->power_ahead >= 0 ? find_crossing(&cpw, &cps, x->ratio, x->s_min, x->s_max, x->power_ahead)
					: NAN;
}

static int cx_stat(const int *weight, int np, void *vctx, double *values, struct cs_err *err)
{
	(void)np;
	(void)err;
	crossings(vctx, weight, values, NULL, NULL);
	return CS_OK;
}

int cs_crossover_run(const struct cs_tally *wc, const struct cs_tally *se, int np, const struct cs_crossover_opts *o,
		     struct cs_crossover_result *out, struct cs_err *err)
{
	struct cx_ctx x = { 0 };
	struct cs_interval iv[2];
	double point[2];
	int rc;

	memset(out, 0, sizeof *out);
	if (!(o->ratio > 0 && isfinite(o->ratio)))
		return cs_fail(err, CS_USAGE, "crossover: the ratio of WC to SE samples must be positive, not %g", o->ratio);
	if (np < 1)
		return cs_fail(err, CS_INPUT, "crossover: no shared problem");
	rc = cs_fit_data_build(wc, np, o->k_fit_wc, &x.wc, err);
	if (rc == CS_OK)
		rc = cs_fit_data_build(se, np, o->k_fit_se, &x.se, err);
	if (rc != CS_OK)
		goto done;
	x.ratio = o->ratio;
	x.s_min = o->ratio < 1 ? 1.0 / o->ratio : 1.0;
	x.s_max = CS_FIT_K_MAX / (o->ratio > 1 ? o->ratio : 1.0);
	out->ratio = x.ratio;
	out->s_min = x.s_min;
	out->s_max = x.s_max;
	out->problems = np;
	/* the original problems: a run that cannot be fitted at all is an error, as in cs_fit_run */
	{
		struct cs_beta_fit b;
		struct cs_power_fit p;
		rc = cs_fit_weighted(&x.wc, NULL, &b, &p, err);
		if (rc == CS_OK && b.kind == CS_BETA_FITTED && b.edge == 0)
			x.wc.start_a = b.a, x.wc.start_b = b.b;
		if (rc == CS_OK)
			rc = cs_fit_weighted(&x.se, NULL, &b, &p, err);
		if (rc == CS_OK && b.kind == CS_BETA_FITTED && b.edge == 0)
			x.se.start_a = b.a, x.se.start_b = b.b;
		if (rc != CS_OK)
			goto done;
	}
	crossings(&x, NULL, point, &out->beta.wc_ahead, &out->power.wc_ahead);
	rc = cs_bootstrap_vstat(cx_stat, &x, 2, np, &o->boot, iv, err);
	if (rc != CS_OK)
		goto done;
	out->beta.se_samples = iv[0];
	out->power.se_samples = iv[1];
done:
	cs_fit_data_free(&x.wc);
	cs_fit_data_free(&x.se);
	return rc;
}
