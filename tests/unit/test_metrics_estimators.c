/* Unit tests of pass@1, coverage@k, diversity@k and maj@k: hand values, brute force, properties. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#define EXACT 1e-12
#define MAXN 12

#define assert_near(got, want, tol)                                                               \
	cr_assert(fabs((got) - (want)) <= (tol), "%s = %.17g, expected %.17g", #got, (double)(got), \
		  (double)(want))

/* A test problem with its own storage. */
struct problem {
	int n;
	unsigned char correct[MAXN];
	int answer[MAXN];
	int solution[MAXN];
};

static struct cs_tally tally_of(const struct problem *p)
{
	struct cs_tally t = { p->n, p->correct, p->answer, p->solution };

	return t;
}

/* Brute force over all k-subsets of p: averages of "any correct", "distinct correct solutions" and the
 * plurality score with fractional ties. */
static void brute(const struct problem *p, int k, double *cov, double *div, double *maj)
{
	double s_cov = 0.0, s_div = 0.0, s_maj = 0.0;
	long subsets = 0;
	unsigned mask;

	for (mask = 0; mask < (1u << p->n); mask++) {
		int count[64] = { 0 };
		int good[64] = { 0 };
		int seen_sol[64] = { 0 };
		int any = 0, distinct = 0, best = 0, tied = 0, right = 0;
		int i;

		if (__builtin_popcount(mask) != k)
			continue;
		subsets++;
		for (i = 0; i < p->n; i++) {
			if (!(mask & (1u << i)))
				continue;
			if (p->correct[i]) {
				any = 1;
				if (!seen_sol[p->solution[i]]) {
					seen_sol[p->solution[i]] = 1;
					distinct++;
				}
			}
			if (p->answer[i] >= 0) {
				count[p->answer[i]]++;
				good[p->answer[i]] = p->correct[i];
			}
		}
		for (i = 0; i < 64; i++)
			if (count[i] > best)
				best = count[i];
		for (i = 0; i < 64 && best > 0; i++) {
			if (count[i] == best) {
				tied++;
				right += good[i];
			}
		}
		s_cov += any;
		s_div += distinct;
		s_maj += tied > 0 ? (double)right / tied : 0.0;
	}
	*cov = s_cov / subsets;
	*div = s_div / subsets;
	*maj = s_maj / subsets;
}

static void exact_opts(struct cs_maj_opts *o)
{
	cs_maj_default_opts(o, 7);
	o->exact_budget = 1e12;
}

Test(coverage, hand_computed)
{
	assert_near(cs_coverage_one(4, 1, 2), 0.5, EXACT);          /* 1 - C(3,2)/C(4,2) = 1 - 3/6 */
	assert_near(cs_coverage_one(5, 2, 2), 0.7, EXACT);          /* 1 - C(3,2)/C(5,2) = 1 - 3/10 */
	assert_near(cs_coverage_one(10, 3, 4), 1.0 - 35.0 / 210.0, EXACT); /* 1 - C(7,4)/C(10,4) */
	assert_near(cs_coverage_one(100, 1, 10), 0.1, EXACT);
	cr_assert_eq(cs_coverage_one(5, 3, 3), 1.0);  /* n - c < k: a correct sample is always drawn */
	cr_assert_eq(cs_coverage_one(5, 0, 3), 0.0);
	cr_assert(isnan(cs_coverage_one(2, 1, 3)));   /* n < k */
	cr_assert(isnan(cs_coverage_one(2, 1, 0)));
	cr_assert(isnan(cs_coverage_one(2, 3, 1)));
}

Test(coverage, large_n_is_stable)
{
	/* 1 - C(9000, 100) / C(10000, 100): compare with the product over the k factors computed directly. */
	double miss = 1.0;
	int i;

	for (i = 0; i < 100; i++)
		miss *= (9000.0 - i) / (10000.0 - i);
	cr_assert(fabs(cs_coverage_one(10000, 1000, 100) - (1.0 - miss)) <= 1e-12);
}

Test(diversity, hand_computed)
{
	/* Correct samples with solutions A, A, B and one wrong sample; k = 2:
	 * A: 1 - C(2,2)/C(4,2) = 5/6, B: 1 - C(3,2)/C(4,2) = 1/2, total 4/3. */
	struct problem p = { 4, { 1, 1, 1, 0 }, { 0, 0, 0, 1 }, { 0, 0, 1, 2 } };
	struct cs_tally t = tally_of(&p);
	struct cs_err err;
	double v;

	cr_assert_eq(cs_diversity_one(&t, 2, &v, &err), CS_OK);
	assert_near(v, 4.0 / 3.0, EXACT);
	cr_assert_eq(cs_diversity_one(&t, 4, &v, &err), CS_OK);
	assert_near(v, 2.0, EXACT);
	cr_assert_eq(cs_diversity_one(&t, 5, &v, &err), CS_OK);
	cr_assert(isnan(v));
	/* A wrong sample sharing solution id 0 does not make solution 0 more likely to be counted. */
	p.solution[3] = 0;
	t = tally_of(&p);
	cr_assert_eq(cs_diversity_one(&t, 2, &v, &err), CS_OK);
	assert_near(v, 4.0 / 3.0, EXACT);
	/* Without solution ids every correct sample is distinct: 3 * k / n. */
	t.solution = NULL;
	cr_assert_eq(cs_diversity_one(&t, 2, &v, &err), CS_OK);
	assert_near(v, 1.5, EXACT);
	cr_assert_eq(cs_diversity_one(&t, 0, &v, &err), CS_USAGE);
}

static double maj_of(const struct problem *p, int k)
{
	struct cs_tally t = tally_of(p);
	struct cs_maj_opts o;
	struct cs_err err;
	enum cs_maj_method method;
	double v;

	exact_opts(&o);
	cr_assert_eq(cs_maj_one(&t, k, &o, 0, &v, &method, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(method, CS_MAJ_EXACT);
	return v;
}

Test(majority, hand_computed)
{
	/* Three different answers, the first correct; k = 2: each pair with the correct one is a two-way
	 * tie scoring 1/2, the third pair scores 0: (1/2 + 1/2 + 0) / 3. */
	struct problem three = { 3, { 1, 0, 0 }, { 0, 1, 2 }, { 0, 1, 2 } };
	/* a a b b with a correct: k = 2 gives (1 + 0 + 4 * 1/2) / 6; k = 3 gives 1/2; k = 4 a tie, 1/2. */
	struct problem two_two = { 4, { 1, 1, 0, 0 }, { 5, 5, 9, 9 }, { 0, 0, 1, 1 } };
	/* One correct answer and two samples without an answer: no answer never wins, k = 2 gives 2/3. */
	struct problem blanks = { 3, { 1, 0, 0 }, { 3, -1, -1 }, { 0, 1, 2 } };
	/* Two wrong copies of b beat a single correct a unless b is drawn at most once:
	 * a b b, k = 2: {a,b} twice (tie, 1/2), {b,b} once (0): 1/3. k = 3: 0. */
	struct problem beaten = { 3, { 1, 0, 0 }, { 0, 1, 1 }, { 0, 1, 1 } };

	assert_near(maj_of(&three, 2), 1.0 / 3.0, EXACT);
	assert_near(maj_of(&three, 3), 1.0 / 3.0, EXACT);
	assert_near(maj_of(&two_two, 2), 0.5, EXACT);
	assert_near(maj_of(&two_two, 3), 0.5, EXACT);
	assert_near(maj_of(&two_two, 4), 0.5, EXACT);
	assert_near(maj_of(&blanks, 2), 2.0 / 3.0, EXACT);
	assert_near(maj_of(&blanks, 3), 1.0, EXACT);
	assert_near(maj_of(&beaten, 2), 1.0 / 3.0, EXACT);
	assert_near(maj_of(&beaten, 3), 0.0, EXACT);
}

Test(majority, all_blank_scores_zero)
{
	struct problem p = { 3, { 0, 0, 0 }, { -1, -1, -1 }, { 0, 1, 2 } };

	assert_near(maj_of(&p, 1), 0.0, EXACT);
	assert_near(maj_of(&p, 3), 0.0, EXACT);
}

Test(majority, rejects_bad_input)
{
	struct problem mixed = { 2, { 1, 0 }, { 4, 4 }, { 0, 1 } };
	struct problem blank_correct = { 2, { 1, 0 }, { -1, 4 }, { 0, 1 } };
	struct cs_tally t = tally_of(&mixed);
	struct cs_maj_opts o;
	struct cs_err err;
	double v;

	exact_opts(&o);
	cr_assert_eq(cs_maj_one(&t, 1, &o, 0, &v, NULL, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "share answer id 4") != NULL, "%s", err.msg);
	t = tally_of(&blank_correct);
	cr_assert_eq(cs_maj_one(&t, 1, &o, 0, &v, NULL, &err), CS_INPUT);
	t.answer = NULL;
	cr_assert_eq(cs_maj_one(&t, 1, &o, 0, &v, NULL, &err), CS_USAGE);
	t = tally_of(&mixed);
	cr_assert_eq(cs_maj_one(&t, 0, &o, 0, &v, NULL, &err), CS_USAGE);
	o.mc_draws = 0;
	cr_assert_eq(cs_maj_one(&t, 1, &o, 0, &v, NULL, &err), CS_USAGE);
}

/* A random problem with n samples: answers from ngroups ids (or -1 with probability blank/8), a random
 * set of correct answer ids, solution ids from nsol values among the correct samples. */
static void random_problem(struct cs_rng *rng, int n, int ngroups, int blank, int nsol, struct problem *p)
{
	int good[8];
	int i;

	p->n = n;
	for (i = 0; i < ngroups; i++)
		good[i] = (int)cs_rng_below(rng, 2);
	for (i = 0; i < n; i++) {
		if ((int)cs_rng_below(rng, 8) < blank) {
			p->answer[i] = -1;
			p->correct[i] = 0;
		} else {
			p->answer[i] = (int)cs_rng_below(rng, (uint64_t)ngroups);
			p->correct[i] = (unsigned char)good[p->answer[i]];
		}
		p->solution[i] = (int)cs_rng_below(rng, (uint64_t)nsol);
	}
}

Test(brute_force, all_estimators_on_random_patterns)
{
	struct cs_rng rng;
	struct cs_maj_opts o;
	struct cs_err err;
	int checked = 0;
	int n, rep, k;

	exact_opts(&o);
	cs_rng_seed(&rng, 2024);
	for (n = 1; n <= MAXN; n++) {
		for (rep = 0; rep < 12; rep++) {
			struct problem p;
			struct cs_tally t;
			int ngroups = 1 + (int)cs_rng_below(&rng, 6);

			random_problem(&rng, n, ngroups, (int)cs_rng_below(&rng, 4), 1 + (int)cs_rng_below(&rng, 5), &p);
			t = tally_of(&p);
			for (k = 1; k <= n; k++) {
				double cov, div, maj, v;
				enum cs_maj_method method;

				brute(&p, k, &cov, &div, &maj);
				assert_near(cs_coverage_one(n, cs_tally_correct(&t), k), cov, EXACT);
				cr_assert_eq(cs_diversity_one(&t, k, &v, &err), CS_OK, "%s", err.msg);
				assert_near(v, div, EXACT);
				cr_assert_eq(cs_maj_one(&t, k, &o, 0, &v, &method, &err), CS_OK, "%s", err.msg);
				cr_assert_eq(method, CS_MAJ_EXACT);
				cr_assert(fabs(v - maj) <= EXACT, "maj@%d n=%d rep=%d: %.17g vs brute %.17g", k, n, rep,
					  v, maj);
				checked++;
			}
		}
	}
	cr_assert_eq(checked, 12 * MAXN * (MAXN + 1) / 2);
}

Test(brute_force, many_ties)
{
	/* Four answer groups of three, alternately correct: ties at every level. */
	struct problem p = { 12, { 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0 }, { 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3 },
			     { 0, 1, 0, 1, 1, 1, 2, 3, 2, 1, 1, 1 } };
	int k;

	for (k = 1; k <= 12; k++) {
		double cov, div, maj;

		brute(&p, k, &cov, &div, &maj);
		assert_near(maj_of(&p, k), maj, EXACT);
		/* By symmetry between correct and wrong groups. */
		assert_near(maj, 0.5, EXACT);
	}
}

Test(majority, monte_carlo_is_seeded_and_close)
{
	struct problem p = { 12, { 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, -1, -1 },
			     { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 } };
	struct cs_tally t = tally_of(&p);
	struct cs_maj_opts o;
	struct cs_err err;
	enum cs_maj_method method;
	double exact, mc1, mc2, mc3;
	int k;

	for (k = 1; k <= 12; k += 3) {
		exact = maj_of(&p, k);
		cs_maj_default_opts(&o, 99);
		o.exact_budget = 0.0;
		o.mc_draws = 200000;
		cr_assert_eq(cs_maj_one(&t, k, &o, 5, &mc1, &method, &err), CS_OK);
		cr_assert_eq(method, CS_MAJ_MONTE_CARLO);
		cr_assert_eq(cs_maj_one(&t, k, &o, 5, &mc2, &method, &err), CS_OK);
		cr_assert_eq(mc1, mc2, "same seed, same stream: same estimate");
		/* Standard error is at most 0.5 / sqrt(200000) = 0.0011; allow 5 of them. */
		cr_assert(fabs(mc1 - exact) < 0.0056, "k=%d: Monte Carlo %.6f vs exact %.6f", k, mc1, exact);
		o.seed = 100;
		cr_assert_eq(cs_maj_one(&t, k, &o, 5, &mc3, &method, &err), CS_OK);
		if (k > 1 && k < 12)
			cr_assert_neq(mc1, mc3, "another seed should give another estimate");
	}
}

/* Builds np random problems of n samples each (n varying when vary is set). */
static void random_set(struct problem *ps, struct cs_tally *ts, int np, int n, int vary, uint64_t seed)
{
	struct cs_rng rng;
	int i;

	cs_rng_seed(&rng, seed);
	for (i = 0; i < np; i++) {
		int ni = vary ? 1 + (int)cs_rng_below(&rng, (uint64_t)n) : n;

		random_problem(&rng, ni, 1 + (int)cs_rng_below(&rng, 5), (int)cs_rng_below(&rng, 3), 3, &ps[i]);
		ts[i] = tally_of(&ps[i]);
	}
}

#define NP 40

Test(properties, k_equals_one_is_pass_at_one)
{
	struct problem ps[NP];
	struct cs_tally ts[NP];
	double pass[NP], cov[NP], div[NP], maj[NP];
	struct cs_metric_summary s_pass, s_cov, s_div;
	struct cs_maj_summary s_maj;
	struct cs_maj_opts o;
	struct cs_err err;
	int i;

	exact_opts(&o);
	random_set(ps, ts, NP, MAXN, 1, 11);
	cr_assert_eq(cs_pass1_values(ts, NP, pass, &s_pass, &err), CS_OK);
	cr_assert_eq(cs_coverage_values(ts, NP, 1, cov, &s_cov, &err), CS_OK);
	cr_assert_eq(cs_diversity_values(ts, NP, 1, div, &s_div, &err), CS_OK);
	cr_assert_eq(cs_maj_values(ts, NP, 1, &o, maj, &s_maj, &err), CS_OK, "%s", err.msg);
	for (i = 0; i < NP; i++) {
		assert_near(cov[i], pass[i], 1e-15);
		assert_near(div[i], pass[i], 1e-15);
		assert_near(maj[i], pass[i], EXACT);
	}
	assert_near(s_cov.mean, s_pass.mean, 1e-15);
	assert_near(s_div.mean, s_pass.mean, 1e-15);
	assert_near(s_maj.base.mean, s_pass.mean, EXACT);
	cr_assert_eq(s_maj.n_exact, NP);
	cr_assert_eq(s_maj.n_monte_carlo, 0);
}

Test(properties, coverage_grows_with_k_and_ends_at_any_correct)
{
	struct problem ps[NP];
	struct cs_tally ts[NP];
	double prev[NP], cur[NP];
	struct cs_metric_summary s;
	struct cs_err err;
	int any = 0;
	int i, k;

	random_set(ps, ts, NP, 10, 0, 12);
	for (k = 1; k <= 10; k++) {
		cr_assert_eq(cs_coverage_values(ts, NP, k, cur, &s, &err), CS_OK);
		cr_assert_eq(s.n_used, NP);
		for (i = 0; i < NP && k > 1; i++)
			cr_assert(cur[i] >= prev[i], "problem %d: coverage@%d %.17g < coverage@%d %.17g", i, k,
				  cur[i], k - 1, prev[i]);
		memcpy(prev, cur, sizeof cur);
	}
	for (i = 0; i < NP; i++)
		any += cs_tally_correct(&ts[i]) > 0;
	cr_assert(any > 0 && any < NP, "the random set should mix solved and unsolved problems");
	assert_near(s.mean, (double)any / NP, EXACT);
}

Test(properties, problems_with_too_few_samples_are_counted)
{
	struct problem ps[4] = {
		{ 2, { 1, 0 }, { 0, 1 }, { 0, 1 } },
		{ 5, { 1, 1, 0, 0, 0 }, { 0, 0, 1, 2, 3 }, { 0, 1, 2, 3, 4 } },
		{ 0, { 0 }, { 0 }, { 0 } },
		{ 3, { 0, 0, 1 }, { 1, 1, 0 }, { 0, 1, 2 } },
	};
	struct cs_tally ts[4];
	double v[4];
	struct cs_metric_summary s;
	struct cs_maj_summary sm;
	struct cs_maj_opts o;
	struct cs_err err;
	int i;

	exact_opts(&o);
	for (i = 0; i < 4; i++)
		ts[i] = tally_of(&ps[i]);
	cr_assert_eq(cs_coverage_values(ts, 4, 3, v, &s, &err), CS_OK);
	cr_assert_eq(s.n_problems, 4);
	cr_assert_eq(s.n_used, 2);
	cr_assert_eq(s.n_excluded, 2);
	cr_assert(isnan(v[0]) && isnan(v[2]));
	assert_near(v[1], 1.0 - 1.0 / 10.0, EXACT); /* 1 - C(3,3)/C(5,3) */
	assert_near(v[3], 1.0, EXACT);
	assert_near(s.mean, (0.9 + 1.0) / 2.0, EXACT);
	cr_assert_eq(cs_diversity_values(ts, 4, 3, v, &s, &err), CS_OK);
	cr_assert_eq(s.n_excluded, 2);
	cr_assert_eq(cs_maj_values(ts, 4, 3, &o, v, &sm, &err), CS_OK);
	cr_assert_eq(sm.base.n_excluded, 2);
	cr_assert_eq(sm.n_exact, 2);
	cr_assert_eq(cs_pass1_values(ts, 4, v, &s, &err), CS_OK);
	cr_assert_eq(s.n_excluded, 1, "only the problem without samples lacks pass@1");
	assert_near(s.mean, (0.5 + 0.4 + 1.0 / 3.0) / 3.0, EXACT);
	cr_assert_eq(cs_coverage_values(ts, 4, 9, v, &s, &err), CS_OK);
	cr_assert_eq(s.n_used, 0);
	cr_assert(isnan(s.mean));
}

Test(properties, bad_tallies_are_rejected_with_their_index)
{
	struct problem ps[2] = {
		{ 2, { 1, 0 }, { 0, 1 }, { 0, 1 } },
		{ 2, { 1, 2 }, { 0, 1 }, { 0, 1 } },
	};
	struct cs_tally ts[2] = { tally_of(&ps[0]), tally_of(&ps[1]) };
	double v[2];
	struct cs_err err;

	cr_assert_eq(cs_coverage_values(ts, 2, 1, v, NULL, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "problem 1, sample 1") != NULL, "%s", err.msg);
	cr_assert_eq(cs_pass1_values(ts, 2, v, NULL, NULL), CS_INPUT, "a NULL error buffer is allowed");
	cr_assert_eq(cs_coverage_values(ts, 1, 0, v, NULL, &err), CS_USAGE);
	ps[0].solution[0] = -1;
	ts[0] = tally_of(&ps[0]);
	cr_assert_eq(cs_diversity_values(ts, 1, 1, v, NULL, &err), CS_INPUT);
}

Test(majority, budget_switches_method_and_counts_it)
{
	struct problem ps[NP];
	struct cs_tally ts[NP];
	double v[NP];
	struct cs_maj_summary s;
	struct cs_maj_opts o;
	struct cs_err err;

	random_set(ps, ts, NP, 10, 0, 13);
	cs_maj_default_opts(&o, 1);
	o.exact_budget = 0.0;
	o.mc_draws = 100;
	cr_assert_eq(cs_maj_values(ts, NP, 4, &o, v, &s, &err), CS_OK);
	cr_assert_eq(s.n_monte_carlo, NP);
	cr_assert_eq(s.n_exact, 0);
	cr_assert_eq(s.mc_draws, 100);
}

Test(majority, one_correct_group_among_blanks_equals_coverage_at_large_n)
{
	/* With a single answer group, correct, and every other sample blank, the plurality is correct exactly
	 * when a sample of that group is drawn: maj@k = coverage@k. Checks the exact method at n = 300,
	 * where its log-factorial probabilities carry rounding. */
	enum { N = 300, S = 20 };
	static unsigned char correct[N];
	static int answer[N];
	struct cs_tally t = { N, correct, answer, NULL };
	struct cs_maj_opts o;
	enum cs_maj_method method;
	double v;
	int i, k;

	for (i = 0; i < N; i++) {
		correct[i] = i < S;
		answer[i] = i < S ? 4 : -1;
	}
	cs_maj_default_opts(&o, 1);
	for (k = 1; k <= N; k += 37) {
		cr_assert_eq(cs_maj_one(&t, k, &o, 0, &v, &method, NULL), CS_OK);
		cr_assert_eq(method, CS_MAJ_EXACT);
		cr_assert(fabs(v - cs_coverage_one(N, S, k)) <= 1e-10, "k=%d: %.17g vs %.17g", k, v,
			  cs_coverage_one(N, S, k));
	}
}

Test(majority, exact_and_monte_carlo_agree_at_moderate_n)
{
	enum { N = 90 };
	static unsigned char correct[N];
	static int answer[N];
	struct cs_tally t = { N, correct, answer, NULL };
	struct cs_maj_opts o;
	struct cs_rng rng;
	enum cs_maj_method m1, m2;
	double exact, mc;
	int i;

	cs_rng_seed(&rng, 4);
	for (i = 0; i < N; i++) {
		answer[i] = (int)cs_rng_below(&rng, 9) - 1; /* eight groups and blanks */
		correct[i] = answer[i] == 2 || answer[i] == 5;
	}
	cs_maj_default_opts(&o, 3);
	cr_assert_eq(cs_maj_one(&t, 21, &o, 0, &exact, &m1, NULL), CS_OK);
	o.exact_budget = 0.0;
	o.mc_draws = 100000;
	cr_assert_eq(cs_maj_one(&t, 21, &o, 0, &mc, &m2, NULL), CS_OK);
	cr_assert(m1 == CS_MAJ_EXACT && m2 == CS_MAJ_MONTE_CARLO);
	cr_assert(fabs(exact - mc) < 0.008, "exact %.6f vs Monte Carlo %.6f", exact, mc);
}

/* Reference hypergeometric probability from log-factorials lf: x of s marked items when r of pool are
 * drawn. */
static double reference_hyper(const double *lf, int pool, int s, int r, int x)
{
	if (x < 0 || x > s || r - x < 0 || r - x > pool - s)
		return 0.0;
	return exp(lf[s] - lf[x] - lf[s - x] + lf[pool - s] - lf[r - x] - lf[pool - s - (r - x)] -
		   (lf[pool] - lf[r] - lf[pool - r]));
}

/* REFERENCE IMPLEMENTATION, for the tests only: the exact maj@k dynamic programme as it was before the
 * largest-group-first method (every answer group for every winning count M, the samples without an
 * answer first, probabilities from lgamma). Slow but independent of the current code's filler treatment.
 * Answer ids are small integers (-1 for no answer). */
static double reference_maj(int n, const int *answer, const unsigned char *correct, int k)
{
	int ids = 1;
	int *size;
	unsigned char *good;
	double *lf = malloc(((size_t)n + 1) * sizeof *lf);
	double *p, *w, *np, *nw;
	int count = 0, none = 0, amax_all;
	double total = 0.0;
	size_t cells;
	int i, big_m;

	for (i = 0; i < n; i++)
		if (answer[i] >= ids)
			ids = answer[i] + 1;
	size = calloc((size_t)ids, sizeof *size);
	good = calloc((size_t)ids, 1);
	cr_assert(size != NULL && good != NULL && lf != NULL);
	for (i = 0; i < n; i++) {
		if (answer[i] < 0) {
			none++;
			continue;
		}
		size[answer[i]]++;
		good[answer[i]] = correct[i];
	}
	for (i = 0; i < ids; i++) { /* compact the ids into groups 0..count-1, in id order */
		if (size[i] > 0) {
			size[count] = size[i];
			good[count] = good[i];
			count++;
		}
	}
	for (i = 0; i <= n; i++)
		lf[i] = lgamma((double)i + 1.0);
	amax_all = count < k ? count : k;
	cells = (size_t)(k + 1) * (size_t)(amax_all + 1);
	p = calloc(4 * cells, sizeof *p);
	cr_assert(p != NULL);
	w = p + cells;
	np = p + 2 * cells;
	nw = p + 3 * cells;
	for (big_m = 1; big_m <= k; big_m++) {
		int amax = count < k / big_m ? count : k / big_m;
		int width = amax + 1;
		size_t used = (size_t)(k + 1) * (size_t)width;
		int pool = n - none;
		int r, a, x;

		memset(p, 0, used * sizeof *p);
		memset(w, 0, used * sizeof *w);
		for (x = 0; x <= none && x <= k; x++)
			p[(k - x) * width] = reference_hyper(lf, n, none, k, x);
		for (i = 0; i < count; i++) {
			memset(np, 0, used * sizeof *np);
			memset(nw, 0, used * sizeof *nw);
			for (r = 0; r <= k; r++) {
				for (a = 0; a <= amax; a++) {
					for (x = 0; x <= r && x <= big_m && x <= size[i]; x++) {
						double h = reference_hyper(lf, pool, size[i], r, x);
						double pp = p[r * width + a];
						double ww = w[r * width + a];
						int to = (r - x) * width + a + (x == big_m);

						if (h == 0.0 || (x == big_m && a + 1 > amax))
							continue;
						np[to] += pp * h;
						nw[to] += (ww + (x == big_m && good[i] ? pp : 0.0)) * h;
					}
				}
			}
			memcpy(p, np, used * sizeof *p);
			memcpy(w, nw, used * sizeof *w);
			pool -= size[i];
		}
		for (a = 1; a <= amax; a++) /* every draw placed: only r = 0 carries mass */
			total += w[a] / a;
	}
	free(size);
	free(good);
	free(lf);
	free(p);
	return total;
}

/* A random problem of n samples with a realistic answer spread: ngroups answer ids with skewed sizes
 * (id floor(ngroups * u^2), so low ids are common and many high ids are singletons or absent), each
 * sample blank with probability blank/16, each answer id correct with probability 1/4 (id 0 with 1/2). */
static void skewed_problem(struct cs_rng *rng, int n, int ngroups, int blank, int *answer, unsigned char *correct)
{
	unsigned char good[256];
	int i;

	cr_assert(ngroups >= 1 && ngroups <= 256);
	for (i = 0; i < ngroups; i++)
		good[i] = (unsigned char)(cs_rng_below(rng, i == 0 ? 2 : 4) == 0);
	for (i = 0; i < n; i++) {
		if ((int)cs_rng_below(rng, 16) < blank) {
			answer[i] = -1;
			correct[i] = 0;
		} else {
			double u = cs_rng_unit(rng);

			answer[i] = (int)(ngroups * u * u);
			correct[i] = good[answer[i]];
		}
	}
}

Test(brute_force, maj_with_many_groups_singletons_and_blanks)
{
	/* Many groups of mixed sizes (singletons included), blanks and ties, every k from 1 to n: the cases
	 * where groups smaller than the winning count must act as filler next to the larger ones. */
	struct cs_rng rng;
	int checked = 0;
	int n, rep, k;

	cs_rng_seed(&rng, 77);
	for (n = 1; n <= MAXN; n++) {
		for (rep = 0; rep < 16; rep++) {
			struct problem p;
			int i;
			int ngroups = 1 + (int)cs_rng_below(&rng, (uint64_t)n + 2);

			p.n = n;
			skewed_problem(&rng, n, ngroups, (int)cs_rng_below(&rng, 6), p.answer, p.correct);
			for (i = 0; i < n; i++)
				p.solution[i] = i;
			for (k = 1; k <= n; k++) {
				double cov, div, maj;
				double v = maj_of(&p, k);

				brute(&p, k, &cov, &div, &maj);
				cr_assert(fabs(v - maj) <= EXACT, "maj@%d n=%d rep=%d: %.17g vs brute %.17g", k, n, rep,
					  v, maj);
				assert_near(reference_maj(n, p.answer, p.correct, k), maj, EXACT);
				checked++;
			}
		}
	}
	cr_assert_eq(checked, 16 * MAXN * (MAXN + 1) / 2);
}

Test(brute_force, maj_filler_hand_cases)
{
	/* One correct group of 3, wrong groups of 2, 1, 1 and two blanks: at M = 3 only the correct group can
	 * win and the other five groups' samples are filler; at M = 2 the singletons are. */
	struct problem mixed = { 9, { 1, 1, 1, 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 1, 1, 2, 3, -1, -1 },
				 { 0, 1, 2, 3, 4, 5, 6, 7, 8 } };
	/* Only singletons and blanks: every draw is a tie among the drawn answers. */
	struct problem singles = { 8, { 1, 0, 0, 0, 1, 0, 0, 0 }, { 0, 1, 2, 3, 4, -1, -1, -1 },
				   { 0, 1, 2, 3, 4, 5, 6, 7 } };
	/* Two correct groups of equal size tying with a wrong one, plus a singleton. */
	struct problem ties = { 10, { 1, 1, 1, 1, 1, 1, 0, 0, 0, 0 }, { 5, 5, 5, 7, 7, 7, 2, 2, 2, 9 },
				{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 } };
	const struct problem *all[3] = { &mixed, &singles, &ties };
	int j, k;

	for (j = 0; j < 3; j++) {
		for (k = 1; k <= all[j]->n; k++) {
			double cov, div, maj;

			brute(all[j], k, &cov, &div, &maj);
			assert_near(maj_of(all[j], k), maj, EXACT);
		}
	}
}

Test(majority, exact_matches_reference_at_moderate_n)
{
	/* n from 60 to 200, up to n / 2 answer groups with skewed sizes, blanks, k up to 64: the
	 * largest-group-first method against the reference programme. */
	enum { NMAX = 200 };
	static const int ks[] = { 1, 2, 3, 4, 5, 7, 8, 12, 16, 24, 31, 32, 48, 64 };
	static int answer[NMAX];
	static unsigned char correct[NMAX];
	struct cs_rng rng;
	struct cs_maj_opts o;
	double worst = 0.0;
	int rep;
	size_t j;

	exact_opts(&o);
	cs_rng_seed(&rng, 909);
	for (rep = 0; rep < 12; rep++) {
		int n = 60 + (int)cs_rng_below(&rng, NMAX - 60 + 1);
		int ngroups = 1 + (int)cs_rng_below(&rng, (uint64_t)n / 2);
		struct cs_tally t = { n, correct, answer, NULL };

		skewed_problem(&rng, n, ngroups, (int)cs_rng_below(&rng, 4), answer, correct);
		for (j = 0; j < sizeof ks / sizeof ks[0]; j++) {
			enum cs_maj_method method;
			double v, ref, rel;

			if (ks[j] > n)
				continue;
			cr_assert_eq(cs_maj_one(&t, ks[j], &o, 0, &v, &method, NULL), CS_OK);
			cr_assert_eq(method, CS_MAJ_EXACT);
			ref = reference_maj(n, answer, correct, ks[j]);
			rel = fabs(v - ref) / fmax(ref, 1e-300);
			if (rel > worst)
				worst = rel;
			cr_assert(rel <= 1e-11, "rep %d n=%d groups=%d maj@%d: %.17g vs reference %.17g", rep, n,
				  ngroups, ks[j], v, ref);
		}
	}
	cr_log_info("largest relative difference from the reference: %.3g", worst);
}
