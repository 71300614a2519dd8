/* Beta-binomial and power-law fits of coverage@k, their predictions past the data and their bootstrap
 * intervals over problems. */
#include "fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "estimators.h"

/* Below this argument the log-gamma difference is taken from lgamma directly, above it from Stirling's
 * series, whose first omitted term is under 5e-13 there. */
#define STIRLING_FROM 20.0

/* Up to this k, cs_beta_coverage multiplies k factors; above it uses log-gamma differences. */
#define PRODUCT_UP_TO 1000

/* The correction terms of Stirling's series for log Gamma(z). */
static double stirling_tail(double z)
{
	double z2 = z * z;

	return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * z2)) / z2) / z;
}

/* log Gamma(x + h) - log Gamma(x) for x > 0, h >= 0; exactly 0 when h is 0. */
static double lgamma_diff(double x, double h)
{
	if (h == 0.0)
		return 0.0;
	if (x >= STIRLING_FROM)
		return (x - 0.5) * log1p(h / x) + h * log(x + h) - h + stirling_tail(x + h) - stirling_tail(x);
	return lgamma(x + h) - lgamma(x);
}

/* The digamma function psi(x), x > 0: the recurrence up to 10, then the asymptotic series. */
static double digamma(double x)
{
	double r = 0.0, x2;

	while (x < 10.0) {
		r -= 1.0 / x;
		x += 1.0;
	}
	x2 = 1.0 / (x * x);
	return r + log(x) - 0.5 / x -
	       x2 * (1.0 / 12.0 - x2 * (1.0 / 120.0 - x2 * (1.0 / 252.0 - x2 * (1.0 / 240.0 - x2 / 132.0))));
}

/* The trigamma function psi'(x), x > 0, the same way. */
static double trigamma(double x)
{
	double r = 0.0, x2;

	while (x < 10.0) {
		r += 1.0 / (x * x);
		x += 1.0;
	}
	x2 = 1.0 / (x * x);
	return r + 1.0 / x + 0.5 * x2 +
	       x2 / x * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0)));
}

/* psi(x + h) - psi(x) for a whole h >= 0: a sum of h terms when h is small, else a difference. */
static double digamma_diff(double x, int h)
{
	double s = 0.0;

	if (h > 32)
		return digamma(x + h) - digamma(x);
	for (int j = 0; j < h; j++)
		s += 1.0 / (x + j);
	return s;
}

/* psi'(x + h) - psi'(x) the same way. */
static double trigamma_diff(double x, int h)
{
	double s = 0.0;

	if (h > 32)
		return trigamma(x + h) - trigamma(x);
	for (int j = 0; j < h; j++)
		s -= 1.0 / ((x + j) * (x + j));
	return s;
}

/* The groups of a beta-binomial likelihood; borrowed arrays. */
struct bb_data {
	const int *n, *c;
	const double *w;
	int m;
};

/* The log-likelihood at (a, b), without the binomial coefficients. */
static double bb_loglik(const struct bb_data *d, double a, double b)
{
	double s = 0.0;

	for (int j = 0; j < d->m; j++) {
		if (d->w[j] <= 0.0)
			continue;
		s += d->w[j] * (lgamma_diff(a, d->c[j]) + lgamma_diff(b, d->n[j] - d->c[j]) -
				lgamma_diff(a + b, d->n[j]));
	}
	return s;
}

/* The gradient g and Hessian h (h[0] = d2/du2, h[1] = d2/dudv, h[2] = d2/dv2) of the log-likelihood in
 * u = log a, v = log b. */
static void bb_derivatives(const struct bb_data *d, double a, double b, double g[2], double h[3])
{
	double ga = 0, gb = 0, haa = 0, hbb = 0, hab = 0;

	for (int j = 0; j < d->m; j++) {
		double w = d->w[j], sn, tn;
		if (w <= 0.0)
			continue;
		sn = digamma_diff(a + b, d->n[j]);
		tn = trigamma_diff(a + b, d->n[j]);
		ga += w * (digamma_diff(a, d->c[j]) - sn);
		gb += w * (digamma_diff(b, d->n[j] - d->c[j]) - sn);
		haa += w * (trigamma_diff(a, d->c[j]) - tn);
		hbb += w * (trigamma_diff(b, d->n[j] - d->c[j]) - tn);
		hab -= w * tn;
	}
	g[0] = a * ga;
	g[1] = b * gb;
	h[0] = a * a * haa + a * ga;
	h[1] = a * b * hab;
	h[2] = b * b * hbb + b * gb;
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

int cs_beta_binomial_fit(const int *n, const int *c, const double *w, int m, double start_a, double start_b,
			 struct cs_beta_fit *out, struct cs_err *err)
{
	const double lo = log(CS_FIT_AB_MIN), hi = log(CS_FIT_AB_MAX);
	struct bb_data d = { n, c, w, m };
	double sum_c = 0, sum_n = 0, u, v, ll;
	int two = 0, it;

	memset(out, 0, sizeof *out);
	out->a = out->b = NAN;
	for (int j = 0; j < m; j++) {
		if (n[j] < 0 || c[j] < 0 || c[j] > n[j] || !(w[j] >= 0.0))
			return cs_fail(err, CS_INPUT, "beta-binomial fit: group %d has %d of %d correct, weight %g", j,
				       c[j], n[j], w[j]);
		if (w[j] == 0.0)
			continue;
		sum_c += w[j] * c[j];
		sum_n += w[j] * n[j];
		two |= n[j] >= 2;
	}
	if (!two)
		return cs_fail(err, CS_INPUT, "beta-binomial fit: no problem has two samples; one sample per problem "
			       "cannot tell the spread of the success probabilities from their mean");
	if (sum_c == 0.0) {
		out->kind = CS_BETA_NEVER;
		return CS_OK;
	}
	if (sum_c == sum_n) {
		out->kind = CS_BETA_ALWAYS;
		return CS_OK;
	}
	out->kind = CS_BETA_FITTED;
	if (!(start_a > 0.0 && start_b > 0.0)) {
		double mu = sum_c / sum_n;
		start_a = 2.0 * mu;
		start_b = 2.0 * (1.0 - mu);
	}
	u = clamp(log(start_a), lo, hi);
	v = clamp(log(start_b), lo, hi);
	ll = bb_loglik(&d, exp(u), exp(v));
	for (it = 0; it < 500; it++) {
		double g[2], h[3], s[2], det, t = 1.0, step;
		int free_u, free_v, moved = 0;

		bb_derivatives(&d, exp(u), exp(v), g, h);
		/* a coordinate on the edge of the box whose gradient points outwards stays there */
		free_u = !((u <= lo && g[0] < 0) || (u >= hi && g[0] > 0));
		free_v = !((v <= lo && g[1] < 0) || (v >= hi && g[1] > 0));
		if (!free_u)
			g[0] = 0, h[1] = 0;
		if (!free_v)
			g[1] = 0, h[1] = 0;
		if (fabs(g[0]) + fabs(g[1]) < 1e-10 * (1.0 + fabs(ll)))
			break;
		/* Newton's step where the Hessian (of the free coordinates) is negative definite, else a
		 * gradient step of at most one unit in log space */
		det = h[0] * h[2] - h[1] * h[1];
		if (free_u && free_v && h[0] < 0 && det > 0) {
			s[0] = -(h[2] * g[0] - h[1] * g[1]) / det;
			s[1] = -(h[0] * g[1] - h[1] * g[0]) / det;
		} else if (free_u && !free_v && h[0] < 0) {
			s[0] = -g[0] / h[0];
			s[1] = 0;
		} else if (free_v && !free_u && h[2] < 0) {
			s[0] = 0;
			s[1] = -g[1] / h[2];
		} else {
			double norm = sqrt(g[0] * g[0] + g[1] * g[1]);
			s[0] = g[0] / (norm > 1.0 ? norm : 1.0);
			s[1] = g[1] / (norm > 1.0 ? norm : 1.0);
		}
		/* at most 5 units of log a or log b per iteration */
		step = fabs(s[0]) > fabs(s[1]) ? fabs(s[0]) : fabs(s[1]);
		if (step > 5.0)
			t = 5.0 / step;
		for (int half = 0; half < 60; half++, t *= 0.5) {
			double nu = clamp(u + t * s[0], lo, hi), nv = clamp(v + t * s[1], lo, hi);
			double nll = bb_loglik(&d, exp(nu), exp(nv));
			if (nll >= ll) {
				moved = fabs(nu - u) > 1e-12 || fabs(nv - v) > 1e-12;
				u = nu;
				v = nv;
				ll = nll;
				break;
			}
		}
		if (!moved)
			break;
	}
	out->a = exp(u);
	out->b = exp(v);
	out->loglik = ll;
	out->iterations = it;
	/* within 1% of a bound counts as on it: towards a bound the likelihood flattens and the search may stop
	 * just short of it */
	if (u <= lo + 0.01)
		out->edge |= CS_FIT_A_LOW;
	if (u >= hi - 0.01)
		out->edge |= CS_FIT_A_HIGH;
	if (v <= lo + 0.01)
		out->edge |= CS_FIT_B_LOW;
	if (v >= hi - 0.01)
		out->edge |= CS_FIT_B_HIGH;
	return CS_OK;
}

double cs_beta_log_miss(double a, double b, double k)
{
	double lr = 0.0;

	if (!(a > 0.0 && b > 0.0 && k >= 1.0 && k <= CS_FIT_K_MAX))
		return NAN;
	if (k <= PRODUCT_UP_TO && k == floor(k)) {
		/* B(a, b + k) / B(a, b) = prod_{j<k} (b + j) / (a + b + j) */
		for (int j = 0; j < (int)k; j++)
			lr += log1p(-a / (a + b + j));
		return lr;
	}
	return lgamma_diff(b, a) - lgamma_diff(b + k, a);
}

double cs_beta_coverage(double a, double b, double k)
{
	return -expm1(cs_beta_log_miss(a, b, k));
}

void cs_power_law_fit(const double *k, const double *cov, int m, struct cs_power_fit *out)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int used = 0, any = 0, one = 0;
	double kmin = INFINITY, kmax = -INFINITY;

	memset(out, 0, sizeof *out);
	out->c = out->d = out->limit = NAN;
	for (int j = 0; j < m; j++) {
		double x, y;
		if (isnan(cov[j]) || !(k[j] > 0))
			continue;
		any = 1;
		if (cov[j] >= 1.0)
			one = 1;
		if (!(cov[j] > 0.0 && cov[j] < 1.0))
			continue;
		x = log(k[j]);
		y = log(-log(cov[j]));
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
		used++;
		if (k[j] < kmin)
			kmin = k[j];
		if (k[j] > kmax)
			kmax = k[j];
	}
	out->points = used;
	if (used >= 2 && kmax > kmin) {
		double mx = sx / used, my = sy / used;
		double vx = sxx / used - mx * mx, cxy = sxy / used - mx * my;
		out->d = cxy / vx;
		out->c = -exp(my - out->d * mx);
		out->ok = 1;
		return;
	}
	if (one)
		out->limit = 1.0;
	else if (any && used == 0)
		out->limit = 0.0;
}

double cs_power_coverage(const struct cs_power_fit *f, double k)
{
	if (!(k >= 1.0 && k <= CS_FIT_K_MAX))
		return NAN;
	if (!f->ok)
		return f->limit;
	return exp(f->c * pow(k, f->d));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Orders problems by (n, c) in the window, to find the groups. */
struct nc { int n, c, i; };

static int cmp_nc(const void *a, const void *b)
{
	const struct nc *x = a, *y = b;

	if (x->n != y->n)
		return (x->n > y->n) - (x->n < y->n);
	return (x->c > y->c) - (x->c < y->c);
}

int cs_fit_data_build(const struct cs_tally *t, int np, int k_fit, struct cs_fit_data *d, struct cs_err *err)
{
	struct nc *order = NULL;
	int live = 0, rc = CS_OK;

	memset(d, 0, sizeof *d);
	if (k_fit < 2)
		return cs_fail(err, CS_USAGE, "the fit needs at least the first 2 samples of each problem, not %d", k_fit);
	d->np = np;
	d->k_fit = k_fit;
	order = malloc(((size_t)np + 1) * sizeof *order);
	d->class_of = malloc(((size_t)np + 1) * sizeof *d->class_of);
	d->cn = malloc(((size_t)np + 1) * sizeof *d->cn);
	d->cc = malloc(((size_t)np + 1) * sizeof *d->cc);
	d->cw = malloc(((size_t)np + 1) * sizeof *d->cw);
	if (!order || !d->class_of || !d->cn || !d->cc || !d->cw) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int i = 0; i < np; i++) {
		int nw, cw = 0;
		rc = cs_tally_check(&t[i], i, err);
		if (rc != CS_OK)
			goto done;
		d->class_of[i] = -1;
		if (t[i].n == 0)
			continue;
		nw = t[i].n < k_fit ? t[i].n : k_fit;
		for (int s = 0; s < nw; s++)
			cw += t[i].correct[s];
		order[live].n = nw;
		order[live].c = cw;
		order[live].i = i;
		d->fit_samples += nw;
		live++;
	}
	d->live = live;
	/* the groups of equal window counts */
	qsort(order, (size_t)live, sizeof *order, cmp_nc);
	for (int i = 0; i < live; i++) {
		if (i == 0 || cmp_nc(&order[i], &order[i - 1]) != 0) {
			d->cn[d->nclass] = order[i].n;
			d->cc[d->nclass] = order[i].c;
			d->nclass++;
		}
		d->class_of[order[i].i] = d->nclass - 1;
	}
	/* the power-law points: powers of two below k_fit, then k_fit */
	for (int k = 1; k < k_fit; k *= 2)
		d->npow++;
	d->npow++;
	d->pow_k = malloc((size_t)d->npow * sizeof *d->pow_k);
	d->pow_cov = malloc(((size_t)d->nclass * (size_t)d->npow + 1) * sizeof *d->pow_cov);
	d->pow_mean = malloc((size_t)d->npow * sizeof *d->pow_mean);
	if (!d->pow_k || !d->pow_cov || !d->pow_mean) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	{
		int p = 0;
		for (int k = 1; k < k_fit; k *= 2)
			d->pow_k[p++] = k;
		d->pow_k[p] = k_fit;
	}
	for (int j = 0; j < d->nclass; j++)
		for (int p = 0; p < d->npow; p++)
			d->pow_cov[(size_t)j * d->npow + p] = cs_coverage_one(d->cn[j], d->cc[j], (int)d->pow_k[p]);
done:
	free(order);
	if (rc != CS_OK)
		cs_fit_data_free(d);
	return rc;
}

int cs_fit_weighted(struct cs_fit_data *d, const int *weight, struct cs_beta_fit *beta, struct cs_power_fit *power,
		    struct cs_err *err)
{
	int rc;

	for (int j = 0; j < d->nclass; j++)
		d->cw[j] = 0;
	for (int i = 0; i < d->np; i++)
		if (d->class_of[i] >= 0)
			d->cw[d->class_of[i]] += weight ? weight[i] : 1;
	rc = cs_beta_binomial_fit(d->cn, d->cc, d->cw, d->nclass, d->start_a, d->start_b, beta, err);
	for (int p = 0; p < d->npow; p++) {
		double s = 0, wsum = 0;
		for (int j = 0; j < d->nclass; j++) {
			double v = d->pow_cov[(size_t)j * d->npow + p];
			if (d->cw[j] > 0 && !isnan(v)) {
				s += d->cw[j] * v;
				wsum += d->cw[j];
			}
		}
		d->pow_mean[p] = wsum > 0 ? s / wsum : NAN;
	}
	cs_power_law_fit(d->pow_k, d->pow_mean, d->npow, power);
	return rc;
}

void cs_fit_data_free(struct cs_fit_data *d)
{
	free(d->class_of);
	free(d->cn);
	free(d->cc);
	free(d->cw);
	free(d->pow_k);
	free(d->pow_cov);
	free(d->pow_mean);
	memset(d, 0, sizeof *d);
}

double cs_beta_fit_coverage(const struct cs_beta_fit *f, double k)
{
	if (f->kind == CS_BETA_NEVER)
		return k >= 1.0 && k <= CS_FIT_K_MAX ? 0.0 : NAN;
	if (f->kind == CS_BETA_ALWAYS)
		return k >= 1.0 && k <= CS_FIT_K_MAX ? 1.0 : NAN;
	return cs_beta_coverage(f->a, f->b, k);
}

/* What the bootstrap statistic of cs_fit_run reads. */
struct fit_ctx {
	struct cs_fit_data fd;
	int nrows;
	const double *row_k;     /* nrows */
	int nmeasured;           /* rows with k <= max_n: the first nmeasured */
	double *measured;        /* np x nmeasured: each problem's coverage on all its samples, NaN where n < k */
};

/* The statistic: a, b, c, d, then the beta, power and measured coverage of each row. */
static int fit_stat(const int *weight, int np, void *vctx, double *values, struct cs_err *err)
{
	struct fit_ctx *x = vctx;
	struct cs_beta_fit bf;
	struct cs_power_fit pf;
	struct cs_err sub;
	int r;

	(void)err;
	if (cs_fit_weighted(&x->fd, weight, &bf, &pf, &sub) != CS_OK)
		bf.kind = CS_BETA_FITTED, bf.a = bf.b = NAN; /* a replicate with nothing to fit: dropped */
	values[0] = bf.a;
	values[1] = bf.b;
	values[2] = pf.c;
	values[3] = pf.d;
	for (r = 0; r < x->nrows; r++) {
		values[4 + r] = cs_beta_fit_coverage(&bf, x->row_k[r]);
		values[4 + x->nrows + r] = cs_power_coverage(&pf, x->row_k[r]);
		values[4 + 2 * x->nrows + r] = NAN;
	}
	for (r = 0; r < x->nmeasured; r++) {
		double s = 0, wsum = 0;
		for (int i = 0; i < np; i++) {
			double v = x->measured[(size_t)i * x->nmeasured + r];
			if (weight[i] > 0 && !isnan(v)) {
				s += weight[i] * v;
				wsum += weight[i];
			}
		}
		values[4 + 2 * x->nrows + r] = wsum > 0 ? s / wsum : NAN;
	}
	return CS_OK;
}

int cs_fit_run(const struct cs_tally *t, int np, const struct cs_fit_opts *opts, struct cs_fit_result *out,
	       struct cs_err *err)
{
	struct fit_ctx x = { 0 };
	double *ks = NULL;
	struct cs_interval *iv = NULL;
	int nks = 0, rc = CS_OK;

	memset(out, 0, sizeof *out);
	for (int j = 0; j < opts->npredict; j++)
		if (!(opts->predict[j] >= 1.0 && opts->predict[j] <= CS_FIT_K_MAX &&
		      opts->predict[j] == floor(opts->predict[j])))
			return cs_fail(err, CS_USAGE, "a k to predict must be a whole number from 1 to 1e12, not %g",
				       opts->predict[j]);
	rc = cs_fit_data_build(t, np, opts->k_fit, &x.fd, err);
	if (rc != CS_OK)
		return rc;
	for (int i = 0; i < np; i++) {
		if (t[i].n == 0)
			continue;
		out->problems++;
		out->samples += t[i].n;
		if (t[i].n > out->max_n)
			out->max_n = t[i].n;
	}
	out->fit_samples = x.fd.fit_samples;
	out->k_fit = opts->k_fit;
	if (out->problems == 0) {
		rc = cs_fail(err, CS_INPUT, "no problem has samples");
		goto done;
	}
	/* the rows: the k to predict and the most samples a problem has, distinct, ascending */
	ks = malloc(((size_t)opts->npredict + 1) * sizeof *ks);
	if (!ks) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int j = 0; j < opts->npredict; j++)
		ks[j] = opts->predict[j];
	ks[opts->npredict] = out->max_n;
	qsort(ks, (size_t)opts->npredict + 1, sizeof *ks, cmp_double);
	for (int j = 0; j <= opts->npredict; j++)
		if (nks == 0 || ks[j] != ks[nks - 1])
			ks[nks++] = ks[j];
	x.nrows = nks;
	x.row_k = ks;
	while (x.nmeasured < nks && ks[x.nmeasured] <= out->max_n)
		x.nmeasured++;
	x.measured = malloc(((size_t)np * (size_t)x.nmeasured + 1) * sizeof *x.measured);
	out->rows = calloc((size_t)nks, sizeof *out->rows);
	out->power_ks = malloc((size_t)x.fd.npow * sizeof *out->power_ks);
	iv = malloc((4 + 3 * (size_t)nks) * sizeof *iv);
	if (!x.measured || !out->rows || !out->power_ks || !iv) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int i = 0; i < np; i++)
		for (int r = 0; r < x.nmeasured; r++)
			x.measured[(size_t)i * x.nmeasured + r] = t[i].n > 0 ? cs_coverage_one(t[i].n, cs_tally_correct(&t[i]),
												(int)ks[r]) : NAN;
	/* the fits on the original problems, which also start the replicates' beta fits */
	rc = cs_fit_weighted(&x.fd, NULL, &out->beta, &out->power, err);
	if (rc != CS_OK)
		goto done;
	if (out->beta.kind == CS_BETA_FITTED && out->beta.edge == 0) {
		x.fd.start_a = out->beta.a;
		x.fd.start_b = out->beta.b;
	}
	rc = cs_bootstrap_vstat(fit_stat, &x, 4 + 3 * nks, np, &opts->boot, iv, err);
	if (rc != CS_OK)
		goto done;
	out->a = iv[0];
	out->b = iv[1];
	out->c = iv[2];
	out->d = iv[3];
	for (int r = 0; r < nks; r++) {
		struct cs_fit_row *row = &out->rows[r];
		row->k = ks[r];
		row->beta = iv[4 + r];
		row->power = iv[4 + nks + r];
		row->measured = iv[4 + 2 * nks + r];
		for (int i = 0; i < np; i++)
			row->measured_problems += r < x.nmeasured && t[i].n >= ks[r];
		if (r >= x.nmeasured)
			row->measured.lo = row->measured.hi = NAN;
		row->measured.n_used = row->measured_problems;
	}
	out->nrows = nks;
	memcpy(out->power_ks, x.fd.pow_k, (size_t)x.fd.npow * sizeof *out->power_ks);
	out->npower = x.fd.npow;
done:
	if (rc != CS_OK)
		cs_fit_result_free(out);
	cs_fit_data_free(&x.fd);
	free(ks);
	free(x.measured);
	free(iv);
	return rc;
}

void cs_fit_result_free(struct cs_fit_result *out)
{
	free(out->rows);
	free(out->power_ks);
	out->rows = NULL;
	out->power_ks = NULL;
	out->nrows = 0;
	out->npower = 0;
}
