/* Unit tests of the seeded bootstrap: determinism, shared indices, pairing, p-value, speed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"

#define assert_near(got, want, tol)                                                               \
	cr_assert(fabs((got) - (want)) <= (tol), "%s = %.17g, expected %.17g", #got, (double)(got), \
		  (double)(want))

static void fill(double *v, int np, uint64_t seed)
{
	struct cs_rng rng;
	int i;

	cs_rng_seed(&rng, seed);
	for (i = 0; i < np; i++)
		v[i] = (double)cs_rng_below(&rng, 11) / 10.0;
}

Test(bootstrap, sorted_quantile_interpolates)
{
	double x[] = { 1.0, 2.0, 4.0, 8.0 };

	assert_near(cs_sorted_quantile(x, 4, 0.0), 1.0, 0.0);
	assert_near(cs_sorted_quantile(x, 4, 1.0), 8.0, 0.0);
	assert_near(cs_sorted_quantile(x, 4, 0.5), 3.0, 1e-15);   /* position 1.5 */
	assert_near(cs_sorted_quantile(x, 4, 0.25), 1.75, 1e-15); /* position 0.75 */
	assert_near(cs_sorted_quantile(x, 1, 0.3), 1.0, 0.0);
}

Test(bootstrap, same_seed_same_interval)
{
	double v[500];
	struct cs_boot_opts o;
	struct cs_interval a, b, c;
	struct cs_err err;

	fill(v, 500, 1);
	cs_boot_default_opts(&o, 42);
	cr_assert_eq(cs_bootstrap_mean(v, 500, &o, &a, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_bootstrap_mean(v, 500, &o, &b, &err), CS_OK);
	cr_assert(memcmp(&a, &b, sizeof a) == 0);
	cr_assert(a.lo < a.point && a.point < a.hi, "[%g, %g] should contain %g", a.lo, a.hi, a.point);
	cr_assert_eq(a.n_used, 500);
	cr_assert_eq(a.n_replicates, 1000);
	/* Roughly the normal-theory width: 2 * 1.96 * sd / sqrt(n). */
	cr_assert(a.hi - a.lo > 0.02 && a.hi - a.lo < 0.08, "width %g", a.hi - a.lo);
	o.seed = 43;
	cr_assert_eq(cs_bootstrap_mean(v, 500, &o, &c, &err), CS_OK);
	cr_assert(c.lo != a.lo || c.hi != a.hi);
	assert_near(c.point, a.point, 0.0);
}

Test(bootstrap, pinned_values_for_seed_7)
{
	/* Three problems, two replicates: the replicate indices come from cs_rng_below(seed 7), so these
	 * numbers are the same on every machine. They are computed here from the generator itself. */
	double v[3] = { 0.0, 0.5, 1.0 };
	struct cs_boot_opts o = { 2, 0.5, 7 };
	struct cs_interval out;
	struct cs_rng rng;
	double rep[2];
	int b, i;

	cs_rng_seed(&rng, 7);
	for (b = 0; b < 2; b++) {
		double total = 0.0;

		for (i = 0; i < 3; i++)
			total += v[cs_rng_below(&rng, 3)];
		rep[b] = total / 3.0;
	}
	if (rep[0] > rep[1]) {
		double t = rep[0];

		rep[0] = rep[1];
		rep[1] = t;
	}
	cr_assert_eq(cs_bootstrap_mean(v, 3, &o, &out, NULL), CS_OK);
	assert_near(out.lo, rep[0] + 0.25 * (rep[1] - rep[0]), 1e-15);
	assert_near(out.hi, rep[0] + 0.75 * (rep[1] - rep[0]), 1e-15);
}

Test(bootstrap, columns_share_indices)
{
	enum { NP = 300, M = 4 };
	double data[M][NP];
	const double *cols[M];
	struct cs_interval multi[M], single;
	struct cs_boot_opts o;
	int j;

	cs_boot_default_opts(&o, 5);
	for (j = 0; j < M; j++) {
		fill(data[j], NP, 100 + j);
		cols[j] = data[j];
	}
	data[2][7] = NAN;
	data[2][8] = NAN;
	cr_assert_eq(cs_bootstrap_means(M, cols, NP, &o, multi, NULL), CS_OK);
	for (j = 0; j < M; j++) {
		cr_assert_eq(cs_bootstrap_mean(data[j], NP, &o, &single, NULL), CS_OK);
		cr_assert(memcmp(&single, &multi[j], sizeof single) == 0, "column %d differs", j);
	}
	cr_assert_eq(multi[2].n_used, NP - 2);
}

Test(bootstrap, excluded_problems_are_left_out)
{
	double v[4] = { 1.0, NAN, 0.0, NAN };
	struct cs_boot_opts o;
	struct cs_interval out;
	struct cs_err err;

	cs_boot_default_opts(&o, 3);
	cr_assert_eq(cs_bootstrap_mean(v, 4, &o, &out, &err), CS_OK);
	assert_near(out.point, 0.5, 0.0);
	cr_assert_eq(out.n_used, 2);
	cr_assert(out.n_replicates < 1000 && out.n_replicates > 800,
		  "replicates drawing only excluded problems (1/16) are dropped: %d", out.n_replicates);
	cr_assert(out.lo >= 0.0 && out.hi <= 1.0);
	v[0] = NAN;
	v[2] = NAN;
	cr_assert_eq(cs_bootstrap_mean(v, 4, &o, &out, &err), CS_INPUT);
}

Test(bootstrap, single_problem_has_zero_width)
{
	double v[1] = { 0.25 };
	struct cs_boot_opts o;
	struct cs_interval out;

	cs_boot_default_opts(&o, 1);
	cr_assert_eq(cs_bootstrap_mean(v, 1, &o, &out, NULL), CS_OK);
	assert_near(out.lo, 0.25, 0.0);
	assert_near(out.hi, 0.25, 0.0);
}

Test(bootstrap, bad_options)
{
	double v[2] = { 0.0, 1.0 };
	struct cs_boot_opts o;
	struct cs_interval out;
	struct cs_err err;

	cs_boot_default_opts(&o, 1);
	o.replicates = 1;
	cr_assert_eq(cs_bootstrap_mean(v, 2, &o, &out, &err), CS_USAGE);
	o.replicates = 10;
	o.level = 1.0;
	cr_assert_eq(cs_bootstrap_mean(v, 2, &o, &out, &err), CS_USAGE);
	o.level = 0.9;
	cr_assert_eq(cs_bootstrap_mean(v, 0, &o, &out, &err), CS_INPUT);
	cr_assert_eq(cs_bootstrap_mean(NULL, 2, &o, &out, &err), CS_USAGE);
}

Test(paired, run_against_itself_has_zero_width)
{
	double v[200];
	struct cs_boot_opts o;
	struct cs_paired out;
	struct cs_err err;

	fill(v, 200, 9);
	cs_boot_default_opts(&o, 11);
	cr_assert_eq(cs_bootstrap_paired(v, v, 200, 0.0, &o, &out, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(out.diff.point, 0.0);
	cr_assert_eq(out.diff.lo, 0.0);
	cr_assert_eq(out.diff.hi, 0.0);
	cr_assert_eq(out.p_worse, 1.0);
}

Test(paired, constant_shift_and_p_value)
{
	enum { NP = 200 };
	double base[NP], cand[NP];
	struct cs_boot_opts o;
	struct cs_paired out;
	int i;

	fill(base, NP, 21);
	for (i = 0; i < NP; i++)
		cand[i] = base[i] - 0.125; /* exact in binary: every difference is exactly -0.125 */
	cs_boot_default_opts(&o, 12);
	cr_assert_eq(cs_bootstrap_paired(base, cand, NP, 0.05, &o, &out, NULL), CS_OK);
	assert_near(out.diff.point, -0.125, 1e-12);
	assert_near(out.diff.lo, -0.125, 1e-12);
	assert_near(out.diff.hi, -0.125, 1e-12);
	assert_near(out.p_worse, 1.0 / 1001.0, 1e-15); /* every replicate is worse by more than 0.05 */
	cr_assert_eq(cs_bootstrap_paired(base, cand, NP, 0.2, &o, &out, NULL), CS_OK);
	assert_near(out.p_worse, 1.0, 0.0);              /* none is worse by more than 0.2 */
}

Test(paired, uses_the_unpaired_indices_and_common_problems)
{
	enum { NP = 300 };
	double base[NP], cand[NP], diff[NP];
	struct cs_boot_opts o;
	struct cs_paired paired;
	struct cs_interval direct;
	int i;

	fill(base, NP, 31);
	fill(cand, NP, 32);
	base[3] = NAN;
	cand[4] = NAN;
	for (i = 0; i < NP; i++)
		diff[i] = cand[i] - base[i];
	cs_boot_default_opts(&o, 77);
	cr_assert_eq(cs_bootstrap_paired(base, cand, NP, 0.0, &o, &paired, NULL), CS_OK);
	cr_assert_eq(cs_bootstrap_mean(diff, NP, &o, &direct, NULL), CS_OK);
	cr_assert(memcmp(&paired.diff, &direct, sizeof direct) == 0);
	cr_assert_eq(paired.diff.n_used, NP - 2);
	cr_assert(paired.p_worse > 0.0 && paired.p_worse <= 1.0);
}

Test(paired, noisy_regression_is_detected)
{
	enum { NP = 400 };
	double base[NP], cand[NP];
	struct cs_boot_opts o;
	struct cs_paired out;
	struct cs_rng rng;
	int i;

	/* The candidate loses each problem's point with probability 0.3: a drop of about 0.15 in the mean. */
	cs_rng_seed(&rng, 5);
	for (i = 0; i < NP; i++) {
		base[i] = (double)cs_rng_below(&rng, 2);
		cand[i] = base[i] > 0.0 && cs_rng_below(&rng, 10) < 3 ? 0.0 : base[i];
	}
	cs_boot_default_opts(&o, 8);
	cr_assert_eq(cs_bootstrap_paired(base, cand, NP, 0.02, &o, &out, NULL), CS_OK);
	cr_assert(out.diff.hi < -0.02, "interval [%g, %g]", out.diff.lo, out.diff.hi);
	cr_assert(out.p_worse < 0.01, "p = %g", out.p_worse);
	cr_assert_eq(cs_bootstrap_paired(base, cand, NP, 0.5, &o, &out, NULL), CS_OK);
	cr_assert(out.p_worse > 0.99, "not worse by 0.5: p = %g", out.p_worse);
}

struct ratio_ctx {
	const double *num, *den;
};

static int ratio_stat(const int *weight, int np, void *ctx, double *value, struct cs_err *err)
{
	const struct ratio_ctx *r = ctx;
	double a = 0.0, b = 0.0;
	int i;

	(void)err;
	for (i = 0; i < np; i++) {
		a += weight[i] * r->num[i];
		b += weight[i] * r->den[i];
	}
	*value = b > 0.0 ? a / b : NAN;
	return CS_OK;
}

Test(generic, statistic_sees_the_same_indices)
{
	enum { NP = 250 };
	double v[NP], ones[NP];
	struct ratio_ctx ctx = { v, ones };
	struct cs_boot_opts o;
	struct cs_interval g, m;
	int i;

	fill(v, NP, 41);
	for (i = 0; i < NP; i++)
		ones[i] = 1.0;
	cs_boot_default_opts(&o, 99);
	cr_assert_eq(cs_bootstrap_stat(ratio_stat, &ctx, NP, &o, &g, NULL), CS_OK);
	cr_assert_eq(cs_bootstrap_mean(v, NP, &o, &m, NULL), CS_OK);
	assert_near(g.point, m.point, 1e-12);
	assert_near(g.lo, m.lo, 1e-12);
	assert_near(g.hi, m.hi, 1e-12);
	cr_assert_eq(g.n_replicates, m.n_replicates);
}
