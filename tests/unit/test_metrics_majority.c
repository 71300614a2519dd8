/* Unit tests of maj@k, coverage@k and diversity@k against brute force: every k-subset of small problems,
 * and every count vector of larger ones. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#define MAXN 14
#define MAXG 64

/* A problem with its own storage (up to 2000 samples). */
struct problem {
	int n;
	unsigned char correct[2000];
	int answer[2000];
	int solution[2000];
};

static struct cs_tally tally_of(const struct problem *p)
{
	struct cs_tally t = { p->n, p->correct, p->answer, p->solution };

	return t;
}

/* Brute force over all k-subsets of p (n <= MAXN): the averages of "any correct", "distinct correct
 * solutions" and the plurality score with fractional ties. */
static void brute(const struct problem *p, int k, double *cov, double *div, double *maj)
{
	double s_cov = 0.0, s_div = 0.0, s_maj = 0.0;
	long subsets = 0;
	unsigned mask;

	for (mask = 0; mask < (1u << p->n); mask++) {
		int count[MAXG] = { 0 };
		int good[MAXG] = { 0 };
		int seen[MAXG] = { 0 };
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
				if (!seen[p->solution[i]]) {
					seen[p->solution[i]] = 1;
					distinct++;
				}
			}
			if (p->answer[i] >= 0) {
				count[p->answer[i]]++;
				good[p->answer[i]] = p->correct[i];
			}
		}
		for (i = 0; i < MAXG; i++)
			if (count[i] > best)
				best = count[i];
		for (i = 0; i < MAXG && best > 0; i++) {
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

/* A random problem of n samples: ngroups answers (each correct with probability 1/2, group 0 always
 * correct), blank samples without an answer with probability blank_pct %, solution ids out of nsol. The
 * group of each sample is drawn with weights skewed by skew (0: uniform). */
static void random_problem(struct cs_rng *rng, int n, int ngroups, int blank_pct, int nsol, int skew,
			   struct problem *p)
{
	int good[MAXG];
	double w[MAXG], total = 0.0;
	int i, j;

	memset(p, 0, sizeof *p);
	p->n = n;
	for (j = 0; j < ngroups; j++) {
		good[j] = j == 0 || cs_rng_below(rng, 2) == 0;
		w[j] = skew ? 1.0 + cs_rng_unit(rng) * skew : 1.0;
		total += w[j];
	}
	for (i = 0; i < n; i++) {
		if ((int)cs_rng_below(rng, 100) < blank_pct) {
			p->answer[i] = -1;
			p->correct[i] = 0;
		} else {
			double u = cs_rng_unit(rng) * total;

			for (j = 0; j < ngroups - 1 && u >= w[j]; j++)
				u -= w[j];
			p->answer[i] = 3 * j + 1; /* sparse ids */
			p->correct[i] = (unsigned char)good[j];
		}
		p->solution[i] = (int)cs_rng_below(rng, (uint64_t)nsol);
	}
}

static void opts_exact(struct cs_maj_opts *o)
{
	cs_maj_default_opts(o, 7);
	o->exact_budget = 1e12;
}

static double maj_exact(const struct problem *p, int k)
{
	struct cs_tally t = tally_of(p);
	struct cs_maj_opts o;
	struct cs_err err;
	enum cs_maj_method method;
	double v = NAN;

	opts_exact(&o);
	cr_assert_eq(cs_maj_one(&t, k, &o, 0, &v, &method, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(method, CS_MAJ_EXACT, "k=%d n=%d", k, p->n);
	return v;
}

Test(majority_brute, every_subset_of_small_problems)
{
	struct cs_rng rng;
	int n, rep, k, checked = 0;

	cs_rng_seed(&rng, 77);
	for (n = 1; n <= MAXN; n++) {
		for (rep = 0; rep < 10; rep++) {
			struct problem *p = malloc(sizeof *p);
			int ngroups = 1 + (int)cs_rng_below(&rng, 7);

			random_problem(&rng, n, ngroups, (int)cs_rng_below(&rng, 30), 1 + (int)cs_rng_below(&rng, 6),
				       (int)cs_rng_below(&rng, 3), p);
			for (k = 1; k <= n; k++) {
				double cov, div, maj, v;

				brute(p, k, &cov, &div, &maj);
				v = maj_exact(p, k);
				cr_assert(fabs(v - maj) <= 1e-13, "maj@%d n=%d rep=%d: %.17g, brute force %.17g", k, n,
					  rep, v, maj);
				checked++;
			}
			free(p);
		}
	}
	cr_assert_eq(checked, 10 * MAXN * (MAXN + 1) / 2);
}

Test(majority_brute, ties_everywhere)
{
	/* four groups of three, alternately correct, and two blanks: by symmetry 1/2 at every k until the
	 * blanks matter, and the k = n value is the tie of all four groups */
	struct problem *p = calloc(1, sizeof *p);
	int i, k;

	p->n = 14;
	for (i = 0; i < 12; i++) {
		p->answer[i] = i / 3;
		p->correct[i] = (i / 3) % 2 == 0;
		p->solution[i] = i;
	}
	p->answer[12] = p->answer[13] = -1;
	for (k = 1; k <= 14; k++) {
		double cov, div, maj;

		brute(p, k, &cov, &div, &maj);
		cr_assert(fabs(maj_exact(p, k) - maj) <= 1e-13, "k=%d", k);
	}
	cr_assert_eq(maj_exact(p, 14), 0.5);
	cr_assert(fabs(maj_exact(p, 13) - 0.5) <= 1e-15);
	free(p);
}

Test(majority_brute, pinned_values)
{
	/* correct A x3, wrong B x2, one blank. k = 2: pairs AA 3, AB 6 (tie: 1/2), A_ 3, BB 1, B_ 2 out of
	 * 15: (3 + 3 + 3) / 15 = 0.6. k = n: A wins outright. */
	struct problem *p = calloc(1, sizeof *p);
	static const int ans[6] = { 0, 0, 0, 1, 1, -1 };
	int i;

	p->n = 6;
	for (i = 0; i < 6; i++) {
		p->answer[i] = ans[i];
		p->correct[i] = ans[i] == 0;
		p->solution[i] = i;
	}
	cr_assert(fabs(maj_exact(p, 2) - 0.6) <= 1e-15);
	cr_assert(fabs(maj_exact(p, 1) - 0.5) <= 1e-15);
	cr_assert_eq(maj_exact(p, 6), 1.0);
	/* k = n with a tie between a correct and a wrong group of the same size */
	p->answer[5] = 1;
	cr_assert_eq(maj_exact(p, 6), 0.5);
	free(p);
}

/* log C(n, x) */
static long double log_choose(int n, int x)
{
	return lgammal(n + 1.0L) - lgammal(x + 1.0L) - lgammal(n - x + 1.0L);
}

/* maj@k by summing over every count vector of the groups of sizes size[0..m-1] (good[] their flags) and
 * blank samples (n minus the sizes), in long double: the multivariate hypergeometric law term by term. */
static double by_count_vectors(int n, int m, const int *size, const int *good, int k)
{
	int x[8] = { 0 };
	int blanks = n;
	long double total = 0.0L, lc = log_choose(n, k);
	int j;

	for (j = 0; j < m; j++)
		blanks -= size[j];
	for (;;) {
		int used = 0, best = 0, tied = 0, right = 0;

		for (j = 0; j < m; j++)
			used += x[j];
		if (used <= k && k - used <= blanks) {
			long double lp = log_choose(blanks, k - used) - lc;

			for (j = 0; j < m; j++) {
				lp += log_choose(size[j], x[j]);
				if (x[j] > best)
					best = x[j];
			}
			for (j = 0; j < m && best > 0; j++) {
				if (x[j] == best) {
					tied++;
					right += good[j];
				}
			}
			if (tied > 0)
				total += expl(lp) * right / tied;
		}
		for (j = 0; j < m; j++) {
			if (x[j] < size[j] && x[j] < k) {
				x[j]++;
				break;
			}
			x[j] = 0;
		}
		if (j == m)
			break;
	}
	return (double)total;
}

/* A problem with groups of the given sizes (group j correct when good[j]) and the rest blank, its samples
 * interleaved. */
static void sized_problem(struct problem *p, int n, int m, const int *size, const int *good)
{
	int left[8];
	int blanks = n, i = 0, j;

	memset(p, 0, sizeof *p);
	p->n = n;
	memcpy(left, size, (size_t)m * sizeof *left);
	for (j = 0; j < m; j++)
		blanks -= size[j];
	while (i < n) {
		for (j = 0; j < m; j++) {
			if (left[j] > 0) {
				p->answer[i] = 10 + j;
				p->correct[i] = (unsigned char)good[j];
				p->solution[i] = i;
				left[j]--;
				i++;
			}
		}
		if (blanks > 0) {
			p->answer[i] = -1;
			p->solution[i] = i;
			blanks--;
			i++;
		}
	}
}

Test(majority_brute, count_vectors_of_larger_problems)
{
	struct cs_rng rng;
	struct problem *p = malloc(sizeof *p);
	int rep, checked = 0;

	cs_rng_seed(&rng, 5);
	for (rep = 0; rep < 80; rep++) {
		int m = 1 + (int)cs_rng_below(&rng, rep < 30 ? 3 : rep < 60 ? 4 : 6);
		int n = 20 + (int)cs_rng_below(&rng, m <= 2 ? 300 : m == 3 ? 70 : m == 4 ? 30 : 16);
		int size[8], good[8], j, k;
		int answered = n - (int)cs_rng_below(&rng, (uint64_t)(n / 4 + 1));
		double w[8], total = 0.0;

		for (j = 0; j < m; j++) {
			w[j] = 1.0 + cs_rng_unit(&rng);
			total += w[j];
			good[j] = j == 0 || cs_rng_below(&rng, 3) == 0;
		}
		for (j = 0; j < m; j++) {
			size[j] = (int)(answered * w[j] / total);
			if (size[j] < 1)
				size[j] = 1;
		}
		sized_problem(p, n, m, size, good);
		for (k = 1; k <= n; k += 1 + (int)cs_rng_below(&rng, (uint64_t)(n / 6 + 1))) {
			double want = by_count_vectors(n, m, size, good, k);
			double got = maj_exact(p, k);

			cr_assert(fabs(got - want) <= 1e-12, "m=%d n=%d k=%d sizes %d %d %d %d: %.17g, by count vectors %.17g",
				  m, n, k, size[0], m > 1 ? size[1] : 0, m > 2 ? size[2] : 0, m > 3 ? size[3] : 0, got,
				  want);
			checked++;
		}
		cr_assert(fabs(maj_exact(p, n) - by_count_vectors(n, m, size, good, n)) <= 1e-12);
	}
	cr_assert_gt(checked, 300);
	free(p);
}

Test(majority_brute, close_races_with_many_samples)
{
	/* two large groups a few samples apart, k up to n: the windows of the exact method are narrow here */
	static const int cases[][4] = { { 1000, 400, 395, 1 }, { 1000, 300, 301, 0 }, { 600, 250, 250, 1 },
					{ 1024, 700, 200, 0 }, { 1024, 30, 29, 1 } };
	struct problem *p = malloc(sizeof *p);
	size_t c;

	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		int n = cases[c][0];
		int size[2] = { cases[c][1], cases[c][2] };
		int good[2] = { 1, cases[c][3] };
		int k;

		sized_problem(p, n, 2, size, good);
		for (k = 1; k <= n; k = k < 8 ? k + 1 : k * 3 / 2) {
			double want = by_count_vectors(n, 2, size, good, k);

			cr_assert(fabs(maj_exact(p, k) - want) <= 1e-12, "n=%d %d/%d k=%d: %.17g vs %.17g", n, size[0],
				  size[1], k, maj_exact(p, k), want);
		}
		cr_assert(fabs(maj_exact(p, n) - by_count_vectors(n, 2, size, good, n)) <= 1e-15);
	}
	free(p);
}

Test(estimators_brute, coverage_and_diversity_every_subset)
{
	struct cs_rng rng;
	int n, rep, k;

	cs_rng_seed(&rng, 31);
	for (n = 1; n <= MAXN; n++) {
		for (rep = 0; rep < 6; rep++) {
			struct problem *p = malloc(sizeof *p);
			struct cs_tally t;
			struct cs_err err;

			random_problem(&rng, n, 1 + (int)cs_rng_below(&rng, 5), (int)cs_rng_below(&rng, 30),
				       1 + (int)cs_rng_below(&rng, 5), 1, p);
			t = tally_of(p);
			for (k = 1; k <= n; k++) {
				double cov, div, maj, v;

				brute(p, k, &cov, &div, &maj);
				cr_assert(fabs(cs_coverage_one(n, cs_tally_correct(&t), k) - cov) <= 1e-13);
				cr_assert_eq(cs_diversity_one(&t, k, &v, &err), CS_OK, "%s", err.msg);
				cr_assert(fabs(v - div) <= 1e-13, "diversity@%d n=%d: %.17g vs %.17g", k, n, v, div);
			}
			free(p);
		}
	}
}

Test(estimators_brute, counts_at_every_k_match_the_one_k_functions)
{
	struct cs_rng rng;
	int rep, k;

	cs_rng_seed(&rng, 8);
	for (rep = 0; rep < 40; rep++) {
		struct problem *p = malloc(sizeof *p);
		int n = 1 + (int)cs_rng_below(&rng, 300);
		struct cs_tally t;
		struct cs_counts counts;
		struct cs_err err;

		random_problem(&rng, n, 1 + (int)cs_rng_below(&rng, 5), (int)cs_rng_below(&rng, 20),
			       1 + (int)cs_rng_below(&rng, 40), 1, p);
		t = tally_of(p);
		if (rep % 4 == 3)
			t.solution = NULL;
		cr_assert_eq(cs_counts_build(&t, &counts, &err), CS_OK, "%s", err.msg);
		/* increasing k, then a few smaller ones again */
		for (k = 1; k <= n + 1; k += 1 + (int)cs_rng_below(&rng, 7)) {
			double cov, div, v;

			cs_counts_at(&counts, k, &cov, &div);
			if (k > n) {
				cr_assert(isnan(cov) && isnan(div));
				continue;
			}
			cr_assert_eq(cov, cs_coverage_one(n, cs_tally_correct(&t), k), "coverage@%d n=%d", k, n);
			cr_assert_eq(cs_diversity_one(&t, k, &v, &err), CS_OK, "%s", err.msg);
			cr_assert(fabs(div - v) <= 1e-13 * fmax(1.0, v), "diversity@%d n=%d: %.17g vs %.17g", k, n, div, v);
		}
		for (k = n; k >= 1; k -= 1 + n / 3) {
			double cov;

			cs_counts_at(&counts, k, &cov, NULL);
			cr_assert_eq(cov, cs_coverage_one(n, cs_tally_correct(&t), k));
		}
		cs_counts_free(&counts);
		free(p);
	}
}
