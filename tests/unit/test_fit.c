/* Unit tests of the coverage fits: the Beta coverage formula, recovery of a known Beta, prediction past the
 * fit window on Beta and non-Beta shapes, the degenerate cases and the power law. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#define assert_near(got, want, tol)                                                               \
	cr_assert(fabs((got) - (want)) <= (tol), "%s = %.17g, expected %.17g", #got, (double)(got), \
		  (double)(want))

/* A Gamma(shape, 1) draw (Marsaglia and Tsang; shape < 1 boosted by U^(1/shape)). */
static double gamma_draw(struct cs_rng *rng, double shape)
{
	double d, c;

	if (shape < 1.0) {
		double u = cs_rng_unit(rng);
		return gamma_draw(rng, shape + 1.0) * pow(u > 0 ? u : 1e-300, 1.0 / shape);
	}
	d = shape - 1.0 / 3.0;
	c = 1.0 / sqrt(9.0 * d);
	for (;;) {
		double x, v, u, u1 = cs_rng_unit(rng), u2 = cs_rng_unit(rng);
		/* a standard normal by Box-Muller */
		x = sqrt(-2.0 * log(u1 > 0 ? u1 : 1e-300)) * cos(6.283185307179586 * u2);
		v = 1.0 + c * x;
		if (v <= 0)
			continue;
		v = v * v * v;
		u = cs_rng_unit(rng);
		if (log(u > 0 ? u : 1e-300) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

static double beta_draw(struct cs_rng *rng, double a, double b)
{
	double x = gamma_draw(rng, a), y = gamma_draw(rng, b);

	return x / (x + y);
}

/* np problems of n samples each, problem i solved with probability p[i]; flags[i * n + s]. */
struct synth {
	int np, n;
	double *p;
	unsigned char *flags;
	struct cs_tally *t;
};

static void synth_fill(struct synth *s, int np, int n, uint64_t seed)
{
	struct cs_rng rng;

	s->np = np;
	s->n = n;
	s->flags = malloc((size_t)np * n);
	s->t = calloc((size_t)np, sizeof *s->t);
	cs_rng_seed(&rng, seed);
	for (int i = 0; i < np; i++) {
		for (int j = 0; j < n; j++)
			s->flags[(size_t)i * n + j] = cs_rng_unit(&rng) < s->p[i];
		s->t[i].n = n;
		s->t[i].correct = &s->flags[(size_t)i * n];
	}
}

static void synth_free(struct synth *s)
{
	free(s->p);
	free(s->flags);
	free(s->t);
}

/* The true coverage@k of the problems: mean of 1 - (1 - p)^k. */
static double true_coverage(const struct synth *s, double k)
{
	double sum = 0;

	for (int i = 0; i < s->np; i++)
		sum += -expm1(k * log1p(-s->p[i]));
	return sum / s->np;
}

static struct cs_fit_opts fit_opts(int k_fit, const double *predict, int npredict, int replicates)
{
	struct cs_fit_opts o;

	o.k_fit = k_fit;
	o.predict = predict;
	o.npredict = npredict;
	cs_boot_default_opts(&o.boot, 1);
	o.boot.replicates = replicates;
	return o;
}

Test(fit, beta_coverage_closed_forms)
{
	/* Beta(1, 1): coverage@k = 1 - B(1, 1 + k) / B(1, 1) = k / (k + 1), on both sides of the product limit */
	double ks[] = { 1, 2, 10, 999, 1000, 1001, 12345, 1e6, 1e9, 1e12 };

	for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++)
		assert_near(cs_beta_coverage(1, 1, ks[j]), ks[j] / (ks[j] + 1), 1e-12);
	/* Beta(a, 1): coverage@1 = a / (a + 1); Beta(1, b): 1 - b / (b + k) ... = k / (b + k) */
	assert_near(cs_beta_coverage(0.3, 1, 1), 0.3 / 1.3, 1e-15);
	assert_near(cs_beta_coverage(1, 3, 1e7), 1e7 / (3 + 1e7), 1e-12);
	/* the two methods meet at k = 1000 | 1001 without a jump */
	for (double a = 0.01; a < 100; a *= 3.7) {
		double c1000 = cs_beta_coverage(a, 2.5, 1000), c1001 = cs_beta_coverage(a, 2.5, 1001);
		cr_assert(c1001 >= c1000 && c1001 - c1000 < 1e-3, "a = %g: %.17g then %.17g", a, c1000, c1001);
	}
	/* large a, b (nearly a binomial): coverage@k close to 1 - (1 - mu)^k */
	assert_near(cs_beta_coverage(3e5, 7e5, 5), 1 - pow(0.7, 5), 1e-5);
	cr_assert(isnan(cs_beta_coverage(1, 1, 0)));
	cr_assert(isnan(cs_beta_coverage(0, 1, 5)));
	cr_assert(isnan(cs_beta_coverage(1, 1, 2e12)));
}

Test(fit, recovers_a_known_beta)
{
	/* 600 problems with p ~ Beta(0.6, 1.8), 32 samples each: the fitted a and b (and their 95% bootstrap
	 * intervals) must hold the true values, and coverage@32 predicted from the first 4 samples must be
	 * close to the truth */
	struct synth s;
	struct cs_rng rng;
	struct cs_fit_result r;
	struct cs_err err;
	double predict[] = { 1000 };
	struct cs_fit_opts o = fit_opts(32, predict, 1, 200);

	s.p = malloc(600 * sizeof *s.p);
	cs_rng_seed(&rng, 11);
	for (int i = 0; i < 600; i++)
		s.p[i] = beta_draw(&rng, 0.6, 1.8);
	synth_fill(&s, 600, 32, 12);
	cr_assert_eq(cs_fit_run(s.t, s.np, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.kind, CS_BETA_FITTED);
	cr_assert_eq(r.beta.edge, 0u);
	cr_assert(r.a.lo <= 0.6 && 0.6 <= r.a.hi, "a = %g [%g, %g], true 0.6", r.a.point, r.a.lo, r.a.hi);
	cr_assert(r.b.lo <= 1.8 && 1.8 <= r.b.hi, "b = %g [%g, %g], true 1.8", r.b.point, r.b.lo, r.b.hi);
	cr_assert(r.a.hi - r.a.lo < 0.3, "a interval [%g, %g] too wide", r.a.lo, r.a.hi);
	cr_assert_eq(r.nrows, 2);
	assert_near(r.rows[0].k, 32, 0);
	assert_near(r.rows[1].k, 1000, 0);
	/* the measured coverage@32 and the fitted one agree */
	assert_near(r.rows[0].beta.point, r.rows[0].measured.point, 0.02);
	cr_assert(r.rows[0].measured_problems == 600);
	cr_assert(isnan(r.rows[1].measured.point));
	cr_assert_eq(r.rows[1].measured_problems, 0);
	cs_fit_result_free(&r);

	/* fit on the first 4 samples only: coverage@32 and @1000 predicted within the interval, near the truth */
	o.k_fit = 4;
	cr_assert_eq(cs_fit_run(s.t, s.np, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.fit_samples, 600L * 4);
	cr_assert(r.a.lo <= 0.6 && 0.6 <= r.a.hi, "a = %g [%g, %g] from 4 samples", r.a.point, r.a.lo, r.a.hi);
	cr_assert(r.b.lo <= 1.8 && 1.8 <= r.b.hi, "b = %g [%g, %g] from 4 samples", r.b.point, r.b.lo, r.b.hi);
	for (int j = 0; j < 2; j++) {
		double truth = true_coverage(&s, r.rows[j].k);
		cr_assert(r.rows[j].beta.lo <= truth && truth <= r.rows[j].beta.hi, "k = %g: %g [%g, %g], true %g",
			  r.rows[j].k, r.rows[j].beta.point, r.rows[j].beta.lo, r.rows[j].beta.hi, truth);
		assert_near(r.rows[j].beta.point, truth, 0.05);
	}
	/* the power law was fitted at k = 1, 2, 4 */
	cr_assert_eq(r.npower, 3);
	cr_assert(r.power.ok);
	cr_assert(r.power.c < 0 && r.power.d < 0, "c = %g, d = %g", r.power.c, r.power.d);
	cs_fit_result_free(&r);
	synth_free(&s);
}

Test(fit, same_seed_same_figures)
{
	struct synth s;
	struct cs_fit_result r1, r2;
	struct cs_err err;
	double predict[] = { 100, 10000 };
	struct cs_fit_opts o = fit_opts(8, predict, 2, 50);

	s.p = malloc(100 * sizeof *s.p);
	for (int i = 0; i < 100; i++)
		s.p[i] = (i % 10) / 10.0;
	synth_fill(&s, 100, 16, 3);
	cr_assert_eq(cs_fit_run(s.t, s.np, &o, &r1, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_fit_run(s.t, s.np, &o, &r2, &err), CS_OK, "%s", err.msg);
	cr_assert(memcmp(&r1.a, &r2.a, sizeof r1.a) == 0);
	cr_assert_eq(r1.nrows, 3);
	for (int j = 0; j < r1.nrows; j++)
		cr_assert(memcmp(&r1.rows[j].beta, &r2.rows[j].beta, sizeof r1.rows[j].beta) == 0);
	/* the predictions rise with k, from the measured coverage@16 on, and stay within [0, 1] */
	cr_assert(r1.rows[0].k == 16 && r1.rows[1].k == 100 && r1.rows[2].k == 10000);
	/* a tenth of the problems have p = 0, which no Beta has: from 8 samples the fit over-predicts */
	cr_assert(r1.rows[0].beta.point > r1.rows[0].measured.point);
	assert_near(r1.rows[0].beta.point, r1.rows[0].measured.point, 0.1);
	for (int j = 1; j < r1.nrows; j++) {
		cr_assert(r1.rows[j].beta.point >= r1.rows[j - 1].beta.point);
		cr_assert(r1.rows[j].power.point >= r1.rows[j - 1].power.point);
		cr_assert(r1.rows[j].beta.hi <= 1 && r1.rows[j].power.hi <= 1);
	}
	cs_fit_result_free(&r1);
	cs_fit_result_free(&r2);
	synth_free(&s);
}

Test(fit, degenerate_runs_give_numbers_or_nothing)
{
	/* never solved: a point mass at 0 */
	unsigned char zero[40] = { 0 }, one[40], mixed[40];
	struct cs_tally t[10];
	struct cs_fit_result r;
	struct cs_err err;
	double predict[] = { 1000000 };
	struct cs_fit_opts o = fit_opts(4, predict, 1, 20);

	memset(one, 1, sizeof one);
	for (int i = 0; i < 10; i++) {
		t[i].n = 4;
		t[i].correct = &zero[4 * i];
		t[i].answer = t[i].solution = NULL;
	}
	cr_assert_eq(cs_fit_run(t, 10, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.kind, CS_BETA_NEVER);
	cr_assert(isnan(r.a.point) && isnan(r.b.point));
	for (int j = 0; j < r.nrows; j++)
		assert_near(r.rows[j].beta.point, 0, 0);
	cr_assert(!r.power.ok);
	assert_near(r.rows[1].power.point, 0, 0);
	cs_fit_result_free(&r);

	/* always solved: a point mass at 1 */
	for (int i = 0; i < 10; i++)
		t[i].correct = &one[4 * i];
	cr_assert_eq(cs_fit_run(t, 10, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.kind, CS_BETA_ALWAYS);
	assert_near(r.rows[1].beta.point, 1, 0);
	assert_near(r.rows[1].power.point, 1, 0);
	cs_fit_result_free(&r);

	/* half always, half never: a and b go to their lower bound, the prediction stays near one half */
	for (int i = 0; i < 40; i++)
		mixed[i] = i < 20;
	for (int i = 0; i < 10; i++)
		t[i].correct = &mixed[4 * i];
	cr_assert_eq(cs_fit_run(t, 10, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.kind, CS_BETA_FITTED);
	cr_assert_eq(r.beta.edge, CS_FIT_A_LOW | CS_FIT_B_LOW, "edge %u, a %g b %g", r.beta.edge, r.beta.a, r.beta.b);
	for (int j = 0; j < r.nrows; j++) {
		cr_assert(!isnan(r.rows[j].beta.point));
		cr_assert(r.rows[j].beta.point > 0.49 && r.rows[j].beta.point < 0.52, "%g", r.rows[j].beta.point);
	}
	/* the measured curve is flat at 0.5: the power law has d = 0 */
	cr_assert(r.power.ok);
	assert_near(r.power.d, 0, 1e-12);
	assert_near(r.rows[1].power.point, 0.5, 1e-12);
	cs_fit_result_free(&r);

	/* every problem 2 of 4: less spread than any Beta gives, a binomial in the limit a, b -> infinity */
	for (int i = 0; i < 40; i++)
		mixed[i] = i % 4 < 2;
	cr_assert_eq(cs_fit_run(t, 10, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.kind, CS_BETA_FITTED);
	cr_assert(r.beta.edge & (CS_FIT_A_HIGH | CS_FIT_B_HIGH), "edge %u, a %g b %g", r.beta.edge, r.beta.a, r.beta.b);
	assert_near(r.rows[0].beta.point, 1 - pow(0.5, 4), 1e-4);
	cs_fit_result_free(&r);

	/* one sample per problem cannot be fitted; k_fit 1 is refused */
	for (int i = 0; i < 10; i++)
		t[i].n = 1;
	o.k_fit = 2;
	cr_assert_eq(cs_fit_run(t, 10, &o, &r, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "one sample per problem") != NULL, "%s", err.msg);
	o.k_fit = 1;
	cr_assert_eq(cs_fit_run(t, 10, &o, &r, &err), CS_USAGE);
	predict[0] = 0.5;
	o.k_fit = 2;
	cr_assert_eq(cs_fit_run(t, 10, &o, &r, &err), CS_USAGE);
}

Test(fit, power_law_recovers_its_curve)
{
	double k[6], cov[6];
	struct cs_power_fit f;

	for (int j = 0; j < 6; j++) {
		k[j] = pow(2, j);
		cov[j] = exp(-1.3 * pow(k[j], -0.4));
	}
	cs_power_law_fit(k, cov, 6, &f);
	cr_assert(f.ok);
	cr_assert_eq(f.points, 6);
	assert_near(f.c, -1.3, 1e-12);
	assert_near(f.d, -0.4, 1e-12);
	assert_near(cs_power_coverage(&f, 1e6), exp(-1.3 * pow(1e6, -0.4)), 1e-12);
	/* a curve that reaches 1 has no law: its limit is 1 */
	cov[0] = 0.5;
	for (int j = 1; j < 6; j++)
		cov[j] = 1.0;
	cs_power_law_fit(k, cov, 6, &f);
	cr_assert(!f.ok);
	assert_near(cs_power_coverage(&f, 100), 1, 0);
}

/* The weighted mean of the doubles ctx points to (for vstat_matches_the_mean_bootstrap). */
static int mean_stat(const int *w, int np, void *ctx, double *out, struct cs_err *e)
{
	const double *v = ctx;
	double s = 0;
	long n = 0;

	(void)e;
	for (int i = 0; i < np; i++) {
		s += w[i] * v[i];
		n += w[i];
	}
	out[0] = s / n;
	return CS_OK;
}

Test(fit, vstat_matches_the_mean_bootstrap)
{
	double v[300];
	struct cs_rng rng;
	struct cs_boot_opts o;
	struct cs_interval m, iv[1];
	struct cs_err err;

	cs_rng_seed(&rng, 5);
	for (int i = 0; i < 300; i++)
		v[i] = cs_rng_unit(&rng);
	cs_boot_default_opts(&o, 9);
	o.replicates = 300;
	cr_assert_eq(cs_bootstrap_mean(v, 300, &o, &m, &err), CS_OK);
	cr_assert_eq(cs_bootstrap_vstat(mean_stat, v, 1, 300, &o, iv, &err), CS_OK, "%s", err.msg);
	assert_near(iv[0].point, m.point, 1e-12);
	assert_near(iv[0].lo, m.lo, 1e-12);
	assert_near(iv[0].hi, m.hi, 1e-12);
}
