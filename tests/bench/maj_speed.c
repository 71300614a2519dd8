/* Benchmark: times maj@k (cs_maj_values) on deterministic synthetic problems shaped like real reports. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Fills problem p's n samples: a share of them (uniform in [0, 1], so half on average) on the correct
 * answer id 0, a few (0..4) without an answer, the rest over 1..40 wrong answer ids with Zipf-like sizes
 * (id j drawn with weight 1 / j), in a shuffled sample order. */
static void make_problem(struct cs_rng *rng, int n, unsigned char *correct, int *answer)
{
	double weight[41], total = 0.0;
	int n_wrong_ids = 1 + (int)cs_rng_below(rng, 40);
	int n_right = (int)floor(cs_rng_unit(rng) * (n + 1));
	int n_blank = (int)cs_rng_below(rng, 5);
	int i, j;

	if (n_right > n)
		n_right = n;
	if (n_blank > n - n_right)
		n_blank = n - n_right;
	for (j = 1; j <= n_wrong_ids; j++) {
		weight[j] = 1.0 / j;
		total += weight[j];
	}
	for (i = 0; i < n; i++) {
		if (i < n_right) {
			answer[i] = 0;
		} else if (i < n_right + n_blank) {
			answer[i] = -1;
		} else {
			double u = cs_rng_unit(rng) * total;

			for (j = 1; j < n_wrong_ids && u >= weight[j]; j++)
				u -= weight[j];
			answer[i] = j;
		}
		correct[i] = answer[i] == 0;
	}
	for (i = n - 1; i > 0; i--) {
		int r = (int)cs_rng_below(rng, (uint64_t)i + 1);
		int a = answer[i];
		unsigned char c = correct[i];

		answer[i] = answer[r];
		correct[i] = correct[r];
		answer[r] = a;
		correct[r] = c;
	}
}

/* Fills problem p's n samples as tests/bench/gen_many.py shapes them: the correct answer id 0 with a
 * success probability drawn from Beta(1/2, 1/2), one to four wrong answers sharing most of the rest, up
 * to 15% one-off wrong answers and up to 4% samples without an answer, in a random order. */
static void make_many(struct cs_rng *rng, int n, unsigned char *correct, int *answer)
{
	double u = cs_rng_unit(rng);
	double p = sin(1.5707963267948966 * u) * sin(1.5707963267948966 * u); /* arcsine law */
	double blank = cs_rng_unit(rng) * 0.04, tail = cs_rng_unit(rng) * 0.15;
	int n_wrong = 1 + (int)cs_rng_below(rng, 4);
	double share[4], cut[6], total = 0.0, rest;
	int next_id = 5, i, j;

	for (j = 0; j < n_wrong; j++) {
		share[j] = -log(1.0 - cs_rng_unit(rng));
		total += share[j];
	}
	rest = 1.0 - p - blank - tail;
	if (rest < 0.0)
		rest = 0.0;
	cut[0] = p;
	for (j = 0; j < n_wrong; j++)
		cut[j + 1] = cut[j] + rest * share[j] / total;
	cut[n_wrong + 1] = cut[n_wrong] + tail;
	for (i = 0; i < n; i++) {
		double v = cs_rng_unit(rng);

		if (v < cut[0])
			answer[i] = 0;
		else if (v >= cut[n_wrong + 1])
			answer[i] = -1;
		else if (v >= cut[n_wrong])
			answer[i] = next_id++;
		else {
			for (j = 1; v >= cut[j]; j++)
				;
			answer[i] = j;
		}
		correct[i] = answer[i] == 0;
	}
}

int main(int argc, char **argv)
{
	static const int zipf_ks[] = { 1, 2, 4, 8, 16, 32, 64 };
	int np = argc > 1 ? atoi(argv[1]) : 5000;
	int n = argc > 2 ? atoi(argv[2]) : 200;
	int rounds = argc > 3 ? atoi(argv[3]) : 1;
	int many = argc > 4 && strcmp(argv[4], "many") == 0;
	int ks[40], nks = 0;
	struct cs_tally *t = NULL;
	unsigned char *correct = NULL;
	int *answer = NULL;
	double *values = NULL;
	double total_time = 0.0, checksum = 0.0;
	struct cs_maj_opts opts;
	struct cs_rng rng;
	struct cs_err err;
	size_t j;
	int i;

	if (np < 1 || n < 1 || rounds < 1 || (argc > 4 && !many && strcmp(argv[4], "zipf") != 0)) {
		fprintf(stderr, "usage: bench_maj_speed [PROBLEMS [SAMPLES [ROUNDS [zipf|many]]]]\n");
		return 2;
	}
	/* zipf: k = 1, 2, ..., 64; many: the default k of a report, the powers of two up to n and n */
	if (many) {
		for (int k = 1; k < n; k *= 2)
			ks[nks++] = k;
		ks[nks++] = n;
	} else {
		for (size_t q = 0; q < sizeof zipf_ks / sizeof zipf_ks[0]; q++)
			ks[nks++] = zipf_ks[q];
	}
	t = malloc((size_t)np * sizeof *t);
	correct = malloc((size_t)np * (size_t)n);
	answer = malloc((size_t)np * (size_t)n * sizeof *answer);
	values = malloc((size_t)np * sizeof *values);
	if (t == NULL || correct == NULL || answer == NULL || values == NULL) {
		fprintf(stderr, "bench_maj_speed: out of memory\n");
		return 1;
	}
	cs_rng_seed(&rng, 20240611);
	for (i = 0; i < np; i++) {
		if (many)
			make_many(&rng, n, correct + (size_t)i * n, answer + (size_t)i * n);
		else
			make_problem(&rng, n, correct + (size_t)i * n, answer + (size_t)i * n);
		t[i].n = n;
		t[i].correct = correct + (size_t)i * n;
		t[i].answer = answer + (size_t)i * n;
		t[i].solution = NULL;
	}
	cs_maj_default_opts(&opts, 1);
	printf("%d problems x %d samples (%s), best of %d round(s)\n", np, n, many ? "many" : "zipf", rounds);
	for (j = 0; j < (size_t)nks; j++) {
		struct cs_maj_summary sum;
		double best = INFINITY;
		int r;

		for (r = 0; r < rounds; r++) {
			double start = now();

			if (cs_maj_values(t, np, ks[j], &opts, values, &sum, &err) != CS_OK) {
				fprintf(stderr, "bench_maj_speed: %s\n", err.msg);
				return 1;
			}
			double took = now() - start;
			if (took < best)
				best = took;
		}
		total_time += best;
		for (i = 0; i < np; i++)
			checksum += values[i] * (i % 7 + 1);
		printf("k=%-5d %8.3f s  mean %.15f  exact %d  monte carlo %d\n", ks[j], best, sum.base.mean,
		       sum.n_exact, sum.n_monte_carlo);
	}
	printf("total %8.3f s  checksum %.15g\n", total_time, checksum);
	free(t);
	free(correct);
	free(answer);
	free(values);
	return 0;
}
