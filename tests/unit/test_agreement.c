/* Unit tests of two judges' agreement (metrics/agreement.c): kappa on a known table, undefined kappa, the
 * bootstrap intervals. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "metrics.h"

#define assert_near(got, want, tol)                                                               \
	cr_assert(fabs((got) - (want)) <= (tol), "%s = %.17g, expected %.17g", #got, (double)(got), \
		  (double)(want))

/* Fills a and b (at least the table's total) from a 2x2 table; returns the number of items. */
static int verdicts_from_table(const long t[2][2], unsigned char *a, unsigned char *b)
{
	int n = 0;
	for (int x = 0; x < 2; x++)
		for (int y = 0; y < 2; y++)
			for (long i = 0; i < t[x][y]; i++, n++) {
				a[n] = (unsigned char)x;
				b[n] = (unsigned char)y;
			}
	return n;
}

Test(agreement, kappa_of_a_known_table)
{
	/* 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15. observed = 35/50 = 0.7; A says yes to
	 * 0.5, B to 0.6, so expected = 0.5 * 0.6 + 0.5 * 0.4 = 0.5 and kappa = (0.7 - 0.5) / 0.5 = 0.4. */
	const long t[2][2] = { { 15, 10 }, { 5, 20 } };
	unsigned char a[50], b[50];
	struct cs_agreement g, again;
	struct cs_boot_opts boot;
	struct cs_err err;
	double po, pe, k;
	int n = verdicts_from_table(t, a, b);

	cr_assert_eq(cs_agreement_point(t, &po, &pe, &k), 1);
	assert_near(po, 0.7, 1e-15);
	assert_near(pe, 0.5, 1e-15);
	assert_near(k, 0.4, 1e-15);

	cs_boot_default_opts(&boot, 3);
	cr_assert_eq(cs_agreement_compute(a, b, n, &boot, &g, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(g.n, 50);
	cr_assert(g.table[0][0] == 15 && g.table[0][1] == 10 && g.table[1][0] == 5 && g.table[1][1] == 20);
	cr_assert_eq(g.kappa_defined, 1);
	assert_near(g.kappa, 0.4, 1e-15);
	assert_near(g.observed, 0.7, 1e-15);
	cr_assert(g.kappa_ci.lo < 0.4 && 0.4 < g.kappa_ci.hi, "[%g, %g]", g.kappa_ci.lo, g.kappa_ci.hi);
	cr_assert(g.observed_ci.lo < 0.7 && 0.7 < g.observed_ci.hi);
	cr_assert(g.kappa_ci.lo > -1.0 && g.kappa_ci.hi <= 1.0);
	/* a rough check of the width: the usual large-sample standard error of this kappa is about 0.13 */
	cr_assert(g.kappa_ci.hi - g.kappa_ci.lo > 0.3 && g.kappa_ci.hi - g.kappa_ci.lo < 0.8,
		  "[%g, %g]", g.kappa_ci.lo, g.kappa_ci.hi);
	cr_assert_eq(cs_agreement_compute(a, b, n, &boot, &again, &err), CS_OK);
	cr_assert(again.kappa_ci.lo == g.kappa_ci.lo && again.kappa_ci.hi == g.kappa_ci.hi, "seeded");
}

Test(agreement, perfect_and_chance_agreement)
{
	const long perfect[2][2] = { { 3, 0 }, { 0, 7 } };
	/* A says yes to everything, B to 6 of 10: observed 0.6 = expected, kappa 0 */
	const long chance[2][2] = { { 0, 0 }, { 4, 6 } };
	const long opposite[2][2] = { { 0, 5 }, { 5, 0 } };
	double k;

	cr_assert_eq(cs_agreement_point(perfect, NULL, NULL, &k), 1);
	assert_near(k, 1.0, 1e-15);
	cr_assert_eq(cs_agreement_point(chance, NULL, NULL, &k), 1);
	assert_near(k, 0.0, 1e-15);
	cr_assert_eq(cs_agreement_point(opposite, NULL, NULL, &k), 1);
	assert_near(k, -1.0, 1e-15);
}

Test(agreement, undefined_kappa)
{
	/* both judges say "wrong" to all 6 items: expected agreement 1, kappa undefined */
	unsigned char a[6] = { 0 }, b[6] = { 0 };
	struct cs_agreement g;
	struct cs_boot_opts boot;
	struct cs_err err;
	double po, pe, k;
	const long t[2][2] = { { 6, 0 }, { 0, 0 } };

	cr_assert_eq(cs_agreement_point(t, &po, &pe, &k), 0);
	cr_assert_eq(po, 1.0);
	cr_assert_eq(pe, 1.0);
	cr_assert(isnan(k));
	cs_boot_default_opts(&boot, 1);
	cr_assert_eq(cs_agreement_compute(a, b, 6, &boot, &g, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(g.kappa_defined, 0);
	cr_assert(isnan(g.kappa) && isnan(g.kappa_ci.lo) && isnan(g.kappa_ci.hi));
	cr_assert_eq(g.observed, 1.0);
	cr_assert_eq(g.observed_ci.lo, 1.0);
	cr_assert_eq(g.observed_ci.hi, 1.0);
	/* nothing judged by both: everything undefined, no error */
	cr_assert_eq(cs_agreement_compute(NULL, NULL, 0, &boot, &g, &err), CS_OK);
	cr_assert(g.n == 0 && isnan(g.observed) && isnan(g.kappa) && !g.kappa_defined);
}

Test(agreement, replicates_without_kappa_are_dropped)
{
	/* one disagreement in 20: many replicates miss it and have both judges all "yes" (kappa undefined) */
	unsigned char a[20], b[20];
	struct cs_agreement g;
	struct cs_boot_opts boot;
	struct cs_err err;

	for (int i = 0; i < 20; i++)
		a[i] = b[i] = 1;
	b[0] = 0;
	cs_boot_default_opts(&boot, 5);
	cr_assert_eq(cs_agreement_compute(a, b, 20, &boot, &g, &err), CS_OK);
	cr_assert_eq(g.kappa_defined, 1);
	assert_near(g.kappa, 0.0, 1e-15);
	cr_assert(g.kappa_ci.n_replicates < 1000 && g.kappa_ci.n_replicates > 0, "%d kept",
		  g.kappa_ci.n_replicates);
	cr_assert_eq(g.observed_ci.n_replicates, 1000);
}

Test(agreement, bad_verdicts)
{
	unsigned char a[2] = { 0, 2 }, b[2] = { 0, 1 };
	struct cs_agreement g;
	struct cs_boot_opts boot;
	struct cs_err err;

	cs_boot_default_opts(&boot, 1);
	cr_assert_eq(cs_agreement_compute(a, b, 2, &boot, &g, &err), CS_INPUT);
}
