/* Unit tests of the crossover of fitted coverage curves: the crossing itself, no crossing, the directions. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

/* np problems of n samples; problem i solved with probability p(i), flags drawn from seed. */
static struct cs_tally *draw_run(int np, int n, double (*p)(int), uint64_t seed, unsigned char **flags)
{
	struct cs_tally *t = calloc((size_t)np, sizeof *t);
	struct cs_rng rng;

	*flags = malloc((size_t)np * n);
	cs_rng_seed(&rng, seed);
	for (int i = 0; i < np; i++) {
		for (int j = 0; j < n; j++)
			(*flags)[(size_t)i * n + j] = cs_rng_unit(&rng) < p(i);
		t[i].n = n;
		t[i].correct = &(*flags)[(size_t)i * n];
	}
	return t;
}

/* WC: every problem fairly easy but a third nearly impossible; SE: every problem solvable. */
static double p_wc(int i)
{
	return i % 3 == 0 ? 0.003 : 0.3 + 0.4 * ((i * 37) % 100) / 100.0;
}

static double p_se(int i)
{
	return 0.15 + 0.3 * ((i * 53) % 100) / 100.0;
}

static struct cs_crossover_opts xopts(int k_fit, double ratio)
{
	struct cs_crossover_opts o;

	o.k_fit_wc = o.k_fit_se = k_fit;
	o.ratio = ratio;
	cs_boot_default_opts(&o.boot, 1);
	o.boot.replicates = 100;
	return o;
}

Test(crossover, the_curves_meet_at_the_crossover)
{
	unsigned char *fw, *fs;
	struct cs_tally *wc = draw_run(300, 16, p_wc, 1, &fw), *se = draw_run(300, 16, p_se, 2, &fs);
	struct cs_crossover_opts o = xopts(16, 3.0);
	struct cs_crossover_result r;
	struct cs_fit_result rw, rs;
	struct cs_fit_opts fo;
	struct cs_err err;
	double s, predict[] = { 100 };

	cr_assert_eq(cs_crossover_run(wc, se, 300, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.wc_ahead, 1);
	s = r.beta.se_samples.point;
	cr_assert(isfinite(s) && s > 1 && s < 1e6, "crossover at %g", s);
	cr_assert(r.beta.se_samples.lo <= s && s <= r.beta.se_samples.hi);
	/* the same fits by cs_fit_run: WC's coverage at 3 s equals SE's at s, WC ahead before, behind after */
	fo.k_fit = 16;
	fo.predict = predict;
	fo.npredict = 1;
	cs_boot_default_opts(&fo.boot, 1);
	fo.boot.replicates = 2;
	cr_assert_eq(cs_fit_run(wc, 300, &fo, &rw, &err), CS_OK);
	cr_assert_eq(cs_fit_run(se, 300, &fo, &rs, &err), CS_OK);
	cr_assert(fabs(cs_beta_coverage(rw.beta.a, rw.beta.b, 3 * s) - cs_beta_coverage(rs.beta.a, rs.beta.b, s)) < 1e-9);
	cr_assert(cs_beta_coverage(rw.beta.a, rw.beta.b, 3 * s / 1.1) > cs_beta_coverage(rs.beta.a, rs.beta.b, s / 1.1));
	cr_assert(cs_beta_coverage(rw.beta.a, rw.beta.b, 3 * s * 1.1) < cs_beta_coverage(rs.beta.a, rs.beta.b, s * 1.1));
	cs_fit_result_free(&rw);
	cs_fit_result_free(&rs);
	/* the power law crosses too, and a larger ratio moves the crossover to a larger budget */
	cr_assert(isfinite(r.power.se_samples.point));
	{
		struct cs_crossover_result r6;
		o.ratio = 6.0;
		cr_assert_eq(cs_crossover_run(wc, se, 300, &o, &r6, &err), CS_OK, "%s", err.msg);
		cr_assert(r6.beta.se_samples.point > s, "%g then %g", s, r6.beta.se_samples.point);
	}
	free(wc);
	free(se);
	free(fw);
	free(fs);
}

Test(crossover, the_same_run_never_crosses)
{
	unsigned char *f;
	struct cs_tally *t = draw_run(200, 8, p_se, 3, &f);
	struct cs_crossover_opts o = xopts(8, 3.0);
	struct cs_crossover_result r;
	struct cs_err err;

	/* with three times the samples of the same model, WC stays ahead */
	cr_assert_eq(cs_crossover_run(t, t, 200, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.wc_ahead, 1);
	cr_assert(isinf(r.beta.se_samples.point) && isinf(r.beta.se_samples.hi));
	cr_assert(isinf(r.power.se_samples.point));
	/* with half the samples it stays behind and never catches up */
	o.ratio = 0.5;
	cr_assert_eq(cs_crossover_run(t, t, 200, &o, &r, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(r.beta.wc_ahead, 0);
	cr_assert(isinf(r.beta.se_samples.point));
	cr_assert(fabs(r.s_min - 2.0) < 1e-12);
	o.ratio = 0;
	cr_assert_eq(cs_crossover_run(t, t, 200, &o, &r, &err), CS_USAGE);
	free(t);
	free(f);
}
