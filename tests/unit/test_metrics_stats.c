/* Unit tests of the normal quantile, Wilson intervals, FPR, budget matching and the generator. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "metrics.h"

#define assert_near(got, want, tol)                                                               \
	cr_assert(fabs((got) - (want)) <= (tol), "%s = %.17g, expected %.17g", #got, (double)(got), \
		  (double)(want))

Test(normal, quantiles_match_reference_values)
{
	/* Reference values of the standard normal quantile function (Wichura's AS 241, double precision). */
	static const struct {
		double p, x;
	} ref[] = {
		{ 0.975, 1.9599639845400536 },   { 0.025, -1.9599639845400538 }, { 0.995, 2.5758293035489 },
		{ 1e-10, -6.361340902404056 },   { 0.001, -3.090232306167813 },  { 0.3, -0.5244005127080407 },
		{ 0.7, 0.5244005127080407 },     { 0.999999, 4.753424308817089 },
	};
	size_t i;

	for (i = 0; i < sizeof ref / sizeof ref[0]; i++)
		cr_assert(fabs(cs_normal_quantile(ref[i].p) - ref[i].x) <= 1e-12, "p=%g: %.17g vs %.17g", ref[i].p,
			  cs_normal_quantile(ref[i].p), ref[i].x);
	assert_near(cs_normal_quantile(1e-300), -37.0470962993612, 1e-12);
	cr_assert_eq(cs_normal_quantile(0.5), 0.0);
	cr_assert(isinf(cs_normal_quantile(0.0)) && cs_normal_quantile(0.0) < 0);
	cr_assert(isinf(cs_normal_quantile(1.0)) && cs_normal_quantile(1.0) > 0);
	cr_assert(isnan(cs_normal_quantile(-0.1)));
	cr_assert(isnan(cs_normal_quantile(NAN)));
	assert_near(cs_normal_critical(0.95), 1.959963984540054, 1e-13);
	cr_assert(isnan(cs_normal_critical(1.0)));
}

Test(normal, inverts_the_distribution_function)
{
	double p;

	for (p = 1e-6; p < 1.0; p += 0.0137) {
		double x = cs_normal_quantile(p);

		cr_assert(fabs(0.5 * erfc(-x / sqrt(2.0)) - p) <= 1e-15 + 1e-13 * p, "p=%.17g", p);
	}
}

Test(wilson, known_values)
{
	double lo, hi;
	struct cs_err err;

	/* 15 of 65 at 95%: the textbook (0.1451, 0.3464). */
	cr_assert_eq(cs_wilson(15, 65, 0.95, &lo, &hi, &err), CS_OK);
	assert_near(lo, 0.14513834846161028, 1e-12);
	assert_near(hi, 0.3464470914814665, 1e-12);
	cr_assert(fabs(lo - 0.1451) < 5e-5 && fabs(hi - 0.3464) < 5e-5);
	cr_assert_eq(cs_wilson(15, 65, 0.99, &lo, &hi, &err), CS_OK);
	assert_near(lo, 0.12507861128536846, 1e-12);
	assert_near(hi, 0.38633270274309284, 1e-12);
	cr_assert_eq(cs_wilson(0, 10, 0.95, &lo, &hi, &err), CS_OK);
	cr_assert_eq(lo, 0.0);
	assert_near(hi, 0.27753279986288915, 1e-12);
	cr_assert_eq(cs_wilson(10, 10, 0.95, &lo, &hi, &err), CS_OK);
	assert_near(lo, 0.7224672001371109, 1e-12);
	cr_assert_eq(hi, 1.0);
	cr_assert_eq(cs_wilson(0, 0, 0.95, &lo, &hi, &err), CS_INPUT);
	cr_assert_eq(cs_wilson(3, 2, 0.95, &lo, &hi, &err), CS_INPUT);
	cr_assert_eq(cs_wilson(1, 2, 0.0, &lo, &hi, &err), CS_INPUT);
}

Test(fpr, rate_interval_and_count)
{
	struct cs_fpr f;
	struct cs_err err;

	cr_assert_eq(cs_fpr_compute(65, 15, 0.95, &f, &err), CS_OK);
	cr_assert_eq(f.n_judged, 65);
	cr_assert_eq(f.n_wrong, 15);
	assert_near(f.rate, 15.0 / 65.0, 1e-15);
	assert_near(f.lo, 0.14513834846161028, 1e-12);
	assert_near(f.hi, 0.3464470914814665, 1e-12);
	cr_assert_eq(f.level, 0.95);
	cr_assert_eq(cs_fpr_compute(0, 0, 0.95, &f, &err), CS_OK);
	cr_assert(isnan(f.rate) && isnan(f.lo) && isnan(f.hi));
	cr_assert_eq(f.n_judged, 0);
	cr_assert_eq(cs_fpr_compute(5, 6, 0.95, &f, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "6 judged wrong out of 5") != NULL, "%s", err.msg);
	cr_assert_eq(cs_fpr_compute(-1, 0, 0.95, &f, &err), CS_INPUT);
}

static struct cs_budget_out match(enum cs_match m, long long s_se, double a_se, double a_wc, double w_se,
				  double w_wc)
{
	struct cs_budget_in in = { 0 };
	struct cs_budget_out out;
	struct cs_err err;

	in.match = m;
	in.s_se = s_se;
	in.params_se = in.price_se = a_se;
	in.params_wc = in.price_wc = a_wc;
	in.tokens_se = w_se;
	in.tokens_wc = w_wc;
	cr_assert_eq(cs_budget_match(&in, &out, &err), CS_OK, "%s", err.msg);
	return out;
}

Test(budget, gemma_9b_vs_27b_is_three_to_one)
{
	struct cs_budget_out o = match(CS_MATCH_COMPUTE, 1, 27.0, 9.0, 0.0, 0.0);

	assert_near(o.ratio, 3.0, 1e-15);
	cr_assert_eq(o.s_wc, 3);
	cr_assert_eq(match(CS_MATCH_COMPUTE, 10, 27e9, 9e9, 0.0, 0.0).s_wc, 30);
	/* Equal measured token means change nothing. */
	cr_assert_eq(match(CS_MATCH_COMPUTE, 10, 27e9, 9e9, 350.0, 350.0).s_wc, 30);
	/* SE writes 300 tokens a sample, WC 400: ratio 3 * 0.75 = 2.25; 2 SE samples give 4.5, floored to 4. */
	o = match(CS_MATCH_COMPUTE, 2, 27.0, 9.0, 300.0, 400.0);
	assert_near(o.ratio, 2.25, 1e-15);
	assert_near(o.s_wc_exact, 4.5, 1e-15);
	cr_assert_eq(o.s_wc, 4);
}

Test(budget, gemini_flash_vs_pro_at_equal_price_is_35_to_1)
{
	/* Per-output-token prices in a 35 : 1 ratio (10.5 / 0.3 happens to be exactly 35.0 in binary). */
	struct cs_budget_out o = match(CS_MATCH_PRICE, 1, 10.5, 0.3, 0.0, 0.0);

	assert_near(o.ratio, 35.0, 1e-12);
	cr_assert_eq(o.s_wc, 35);
	cr_assert_eq(match(CS_MATCH_PRICE, 3, 10.5, 0.3, 0.0, 0.0).s_wc, 105);
	/* 0.7 / 0.1 = 6.999999999999999 in binary: snapped to 7, not floored to 6. */
	cr_assert_eq(match(CS_MATCH_PRICE, 1, 0.7, 0.1, 0.0, 0.0).s_wc, 7);
	cr_assert_eq(match(CS_MATCH_PRICE, 1, 3.5, 0.1, 0.0, 0.0).s_wc, 35);
	/* A genuinely fractional budget is floored: 35 * 0.35 = 12.25 -> 12. */
	cr_assert_eq(match(CS_MATCH_PRICE, 1, 10.5, 0.3, 35.0, 100.0).s_wc, 12);
}

Test(budget, count_matching_and_errors)
{
	struct cs_budget_in in = { 0 };
	struct cs_budget_out out;
	struct cs_err err;

	cr_assert_eq(match(CS_MATCH_COUNT, 17, 0.0, 0.0, 0.0, 0.0).s_wc, 17);
	assert_near(match(CS_MATCH_COUNT, 17, 0.0, 0.0, 0.0, 0.0).ratio, 1.0, 0.0);
	in.match = CS_MATCH_COMPUTE;
	in.s_se = 1;
	in.params_se = 27.0;
	cr_assert_eq(cs_budget_match(&in, &out, &err), CS_INPUT);
	in.params_wc = 9.0;
	in.tokens_se = 100.0;
	cr_assert_eq(cs_budget_match(&in, &out, &err), CS_INPUT, "only one token mean given");
	in.tokens_wc = 100.0;
	in.s_se = -1;
	cr_assert_eq(cs_budget_match(&in, &out, &err), CS_INPUT);
	in.s_se = 1;
	in.match = (enum cs_match)9;
	cr_assert_eq(cs_budget_match(&in, &out, &err), CS_USAGE);
	in.match = CS_MATCH_PRICE;
	in.price_se = 1e300;
	in.price_wc = 1e-300;
	cr_assert_eq(cs_budget_match(&in, &out, &err), CS_INPUT);
	cr_assert_str_eq(cs_match_name(CS_MATCH_PRICE), "price");
}

Test(rng, pinned_streams)
{
	/* Values from an independent implementation of splitmix64 and xoshiro256**. */
	struct cs_rng r;

	cs_rng_seed(&r, 0);
	cr_assert_eq(r.s[0], UINT64_C(0xe220a8397b1dcdaf));
	cs_rng_seed(&r, 42);
	cr_assert_eq(cs_rng_next(&r), UINT64_C(0x15780b2e0c2ec716));
	cr_assert_eq(cs_rng_next(&r), UINT64_C(0x6104d9866d113a7e));
	cr_assert_eq(cs_rng_next(&r), UINT64_C(0xae17533239e499a1));
}

Test(rng, bounded_draws_are_in_range_and_even)
{
	struct cs_rng r, s;
	int count[7] = { 0 };
	int i;

	cs_rng_seed(&r, 1);
	for (i = 0; i < 70000; i++) {
		uint64_t x = cs_rng_below(&r, 7);

		cr_assert(x < 7);
		count[x]++;
	}
	for (i = 0; i < 7; i++)
		cr_assert(count[i] > 9500 && count[i] < 10500, "value %d drawn %d times", i, count[i]);
	for (i = 0; i < 1000; i++) {
		double u = cs_rng_unit(&r);

		cr_assert(u >= 0.0 && u < 1.0);
	}
	cs_rng_seed_stream(&r, 5, 1);
	cs_rng_seed_stream(&s, 5, 2);
	cr_assert_neq(cs_rng_next(&r), cs_rng_next(&s));
	cr_assert_eq(cs_rng_below(&r, 0), 0);
}

Test(stats, newcombe_difference_of_two_proportions)
{
	struct cs_fpr a, b, none;
	double d, lo, hi;

	/* Newcombe (1998), example (b): 56/70 against 48/80 gives 0.2000 with the hybrid score interval
	 * 0.0524 to 0.3339 */
	cr_assert_eq(cs_fpr_compute(70, 56, 0.95, &a, NULL), CS_OK);
	cr_assert_eq(cs_fpr_compute(80, 48, 0.95, &b, NULL), CS_OK);
	cs_newcombe_diff(&a, &b, &d, &lo, &hi);
	assert_near(d, 0.2, 1e-12);
	assert_near(lo, 0.0524, 5e-5);
	assert_near(hi, 0.3339, 5e-5);
	cs_newcombe_diff(&b, &a, &d, &lo, &hi);
	assert_near(d, -0.2, 1e-12);
	assert_near(lo, -0.3339, 5e-5);
	assert_near(hi, -0.0524, 5e-5);
	cr_assert_eq(cs_fpr_compute(0, 0, 0.95, &none, NULL), CS_OK);
	cs_newcombe_diff(&a, &none, &d, &lo, &hi);
	cr_assert(isnan(d) && isnan(lo) && isnan(hi));
}
