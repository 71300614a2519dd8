/* Unit tests of the coverage classes of a WC-SE pair (metrics/classes.c): hand-computed probabilities, the
 * most probable class, expected counts and their bootstrap intervals. */
#include <criterion/criterion.h>
#include <math.h>

#include "metrics.h"

#define assert_near(got, want, tol)                                                               \
	cr_assert(fabs((got) - (want)) <= (tol), "%s = %.17g, expected %.17g", #got, (double)(got), \
		  (double)(want))

Test(classes, probabilities_by_hand)
{
	double p[CS_CLASS_COUNT];

	cs_class_probs(0.75, 0.2, p);
	assert_near(p[CS_CLASS_BOTH], 0.15, 1e-15);
	assert_near(p[CS_CLASS_WC_ONLY], 0.6, 1e-15);
	assert_near(p[CS_CLASS_SE_ONLY], 0.05, 1e-15);
	assert_near(p[CS_CLASS_NEITHER], 0.2, 1e-15);
	cr_assert_eq(cs_class_top(p), 1u << CS_CLASS_WC_ONLY);
	cs_class_probs(1.0, 1.0, p);
	cr_assert_eq(p[CS_CLASS_BOTH], 1.0);
	cr_assert_eq(cs_class_top(p), 1u << CS_CLASS_BOTH);
	cs_class_probs(0.0, 0.0, p);
	cr_assert_eq(cs_class_top(p), 1u << CS_CLASS_NEITHER);
	cs_class_probs(0.1, 0.9, p);
	cr_assert_eq(cs_class_top(p), 1u << CS_CLASS_SE_ONLY);
	/* 0.5 and 0: WC only and neither both 0.5, a tie: both are most probable */
	cs_class_probs(0.5, 0.0, p);
	cr_assert_eq(cs_class_top(p), (1u << CS_CLASS_WC_ONLY) | (1u << CS_CLASS_NEITHER));
	cs_class_probs(0.5, 0.5, p);
	cr_assert_eq(cs_class_top(p), 15u, "all four 0.25");
	cs_class_probs(NAN, 0.5, p);
	cr_assert_eq(cs_class_top(p), 0u);
	cr_assert_str_eq(cs_class_name(CS_CLASS_WC_ONLY), "wc_only");
	cr_assert_str_eq(cs_class_name(CS_CLASS_SE_ONLY), "se_only");
}

Test(classes, one_problem_from_counts)
{
	struct cs_err err;
	double pw, ps, p[CS_CLASS_COUNT];
	/* WC: 6 samples, 2 correct, budget 3: 1 - C(4,3)/C(6,3) = 1 - 4/20 = 0.8; SE: 2 samples, none correct */
	struct cs_class_input a = { 6, 2, 3, 2, 0, 1 };
	/* WC: 4 samples, 1 correct, budget 2: 1 - C(3,2)/C(4,2) = 0.5; SE: 3 samples, 1 correct, budget 1: 1/3 */
	struct cs_class_input b = { 4, 1, 2, 3, 1, 1 };
	struct cs_class_input bad = { 4, 1, 5, 3, 1, 1 };

	cr_assert_eq(cs_class_problem(&a, &pw, &ps, p, &err), CS_OK);
	assert_near(pw, 0.8, 1e-15);
	cr_assert_eq(ps, 0.0);
	assert_near(p[CS_CLASS_WC_ONLY], 0.8, 1e-15);
	assert_near(p[CS_CLASS_NEITHER], 0.2, 1e-15);
	cr_assert_eq(cs_class_top(p), 1u << CS_CLASS_WC_ONLY);

	cr_assert_eq(cs_class_problem(&b, &pw, &ps, p, &err), CS_OK);
	assert_near(pw, 0.5, 1e-15);
	assert_near(ps, 1.0 / 3.0, 1e-15);
	assert_near(p[CS_CLASS_BOTH], 1.0 / 6.0, 1e-15);
	assert_near(p[CS_CLASS_WC_ONLY], 1.0 / 3.0, 1e-15);
	assert_near(p[CS_CLASS_SE_ONLY], 1.0 / 6.0, 1e-15);
	assert_near(p[CS_CLASS_NEITHER], 1.0 / 3.0, 1e-15);
	cr_assert_eq(cs_class_top(p), (1u << CS_CLASS_WC_ONLY) | (1u << CS_CLASS_NEITHER), "WC only and neither tie at 1/3");

	cr_assert_eq(cs_class_problem(&bad, &pw, &ps, p, &err), CS_INPUT, "a budget above the samples");
}

Test(classes, expected_counts_sum_and_intervals)
{
	/* three problems: (p_wc, p_se) = (0.8, 0), (0.5, 1/3), (1, 1) */
	const struct cs_class_input in[3] = { { 6, 2, 3, 2, 0, 1 }, { 4, 1, 2, 3, 1, 1 }, { 2, 2, 1, 2, 2, 2 } };
	double col[CS_CLASS_COUNT][3], pw[3], ps[3], p[CS_CLASS_COUNT];
	const double *cols[CS_CLASS_COUNT] = { col[0], col[1], col[2], col[3] };
	struct cs_interval out[CS_CLASS_COUNT], again[CS_CLASS_COUNT], sub[CS_CLASS_COUNT];
	struct cs_boot_opts boot;
	struct cs_err err;
	const int subset[2] = { 0, 2 };
	double total = 0.0;

	for (int i = 0; i < 3; i++) {
		cr_assert_eq(cs_class_problem(&in[i], &pw[i], &ps[i], p, &err), CS_OK);
		for (int c = 0; c < CS_CLASS_COUNT; c++)
			col[c][i] = p[c];
	}
	cs_boot_default_opts(&boot, 7);
	cr_assert_eq(cs_class_counts(cols, 3, NULL, 3, &boot, out, &err), CS_OK, "%s", err.msg);
	/* by hand: both 0 + 1/6 + 1, WC only 0.8 + 1/3 + 0, SE only 0 + 1/6 + 0, neither 0.2 + 1/3 + 0 */
	assert_near(out[CS_CLASS_BOTH].point, 7.0 / 6.0, 1e-12);
	assert_near(out[CS_CLASS_WC_ONLY].point, 0.8 + 1.0 / 3.0, 1e-12);
	assert_near(out[CS_CLASS_SE_ONLY].point, 1.0 / 6.0, 1e-12);
	assert_near(out[CS_CLASS_NEITHER].point, 0.2 + 1.0 / 3.0, 1e-12);
	for (int c = 0; c < CS_CLASS_COUNT; c++) {
		total += out[c].point;
		cr_assert(out[c].lo <= out[c].point + 1e-12 && out[c].point <= out[c].hi + 1e-12, "class %d", c);
		cr_assert(out[c].lo >= 0.0 && out[c].hi <= 3.0 + 1e-12);
	}
	assert_near(total, 3.0, 1e-12);
	/* WC's coverage summed over the problems is both + WC only */
	assert_near(out[CS_CLASS_BOTH].point + out[CS_CLASS_WC_ONLY].point, pw[0] + pw[1] + pw[2], 1e-12);
	assert_near(out[CS_CLASS_BOTH].point + out[CS_CLASS_SE_ONLY].point, ps[0] + ps[1] + ps[2], 1e-12);
	/* seeded: the same numbers again */
	cr_assert_eq(cs_class_counts(cols, 3, NULL, 3, &boot, again, &err), CS_OK);
	for (int c = 0; c < CS_CLASS_COUNT; c++)
		cr_assert(again[c].lo == out[c].lo && again[c].hi == out[c].hi);
	/* a slice: problems 0 and 2 */
	cr_assert_eq(cs_class_counts(cols, 3, subset, 2, &boot, sub, &err), CS_OK);
	assert_near(sub[CS_CLASS_BOTH].point, 1.0, 1e-12);
	assert_near(sub[CS_CLASS_WC_ONLY].point, 0.8, 1e-12);
	assert_near(sub[CS_CLASS_NEITHER].point, 0.2, 1e-12);
	cr_assert_eq(cs_class_counts(cols, 3, NULL, 0, &boot, sub, &err), CS_USAGE);
}

Test(classes, constant_columns_give_a_point_interval)
{
	double both[4] = { 0.25, 0.25, 0.25, 0.25 };
	const double *cols[CS_CLASS_COUNT] = { both, both, both, both };
	struct cs_interval out[CS_CLASS_COUNT];
	struct cs_boot_opts boot;
	struct cs_err err;

	cs_boot_default_opts(&boot, 1);
	cr_assert_eq(cs_class_counts(cols, 4, NULL, 4, &boot, out, &err), CS_OK);
	for (int c = 0; c < CS_CLASS_COUNT; c++) {
		assert_near(out[c].point, 1.0, 1e-12);
		assert_near(out[c].lo, 1.0, 1e-12);
		assert_near(out[c].hi, 1.0, 1e-12);
	}
}
