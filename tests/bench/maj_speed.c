/* Benchmark: times exact maj@k (cs_maj_values) on a deterministic synthetic set shaped like a real report. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv)
{
	static const int ks[] = { 1, 2, 4, 8, 16, 32, 64 };
	int np = argc > 1 ? atoi(argv[1]) : 5000;
	int n = argc > 2 ? atoi(argv[2]) : 200;
	int rounds = argc > 3 ? atoi(argv[3]) : 1;
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

	if (np < 1 || n < 1 || rounds < 1) {
		fprintf(stderr, "usage: bench_maj_speed [PROBLEMS [SAMPLES [ROUNDS]]]\n");
		return 2;
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
		make_problem(&rng, n, correct + (size_t)i * n, answer + (size_t)i * n);
		t[i].n = n;
		t[i].correct = correct + (size_t)i * n;
		t[i].answer = answer + (size_t)i * n;
		t[i].solution = NULL;
	}
	cs_maj_default_opts(&opts, 1);
	printf("%d problems x %d samples, best of %d round(s)\n", np, n, rounds);
	for (j = 0; j < sizeof ks / sizeof ks[0]; j++) {
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
		printf("k=%-3d %8.3f s  mean %.15f  exact %d  monte carlo %d\n", ks[j], best, sum.base.mean,
		       sum.n_exact, sum.n_monte_carlo);
	}
	printf("total %8.3f s  checksum %.15g\n", total_time, checksum);
	free(t);
	free(correct);
	free(answer);
	free(values);
	return 0;
}
