/* Unit tests of run scoring: the same rows whatever the number of threads and however the problems arrive,
 * and only the metrics asked for. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "score/score.h"

#define NP 300

/* A run of NP random problems of 1 to 80 samples, with levels 1 to 5, in one allocation per array. */
struct fake_run {
	struct cs_run_data d;
	unsigned char *correct;
	int *answer, *solution;
};

static void fake_run_make(struct fake_run *f, uint64_t seed)
{
	struct cs_rng rng;
	long at = 0;

	memset(f, 0, sizeof *f);
	cs_rng_seed(&rng, seed);
	f->correct = malloc(NP * 80);
	f->answer = malloc(NP * 80 * sizeof *f->answer);
	f->solution = malloc(NP * 80 * sizeof *f->solution);
	f->d.tallies = calloc(NP, sizeof *f->d.tallies);
	f->d.levels = calloc(NP, sizeof *f->d.levels);
	f->d.subjects = calloc(NP, sizeof *f->d.subjects);
	f->d.name = "run";
	f->d.model = "model";
	f->d.dataset = "math";
	f->d.tags = "";
	f->d.grader_versions = "2.0";
	f->d.np = NP;
	for (int p = 0; p < NP; p++) {
		int n = 1 + (int)cs_rng_below(&rng, 80);
		int groups = 1 + (int)cs_rng_below(&rng, 6);
		double skew = cs_rng_unit(&rng);

		for (int i = 0; i < n; i++) {
			/* group 0 (correct) with probability skew, else one of the others or no answer */
			int a = cs_rng_unit(&rng) < skew ? 0 : (int)cs_rng_below(&rng, (uint64_t)groups + 1) - 1;

			f->answer[at + i] = a;
			f->correct[at + i] = a == 0;
			f->solution[at + i] = (int)cs_rng_below(&rng, 4);
		}
		f->d.tallies[p].n = n;
		f->d.tallies[p].correct = f->correct + at;
		f->d.tallies[p].answer = f->answer + at;
		f->d.tallies[p].solution = f->solution + at;
		f->d.levels[p] = 1 + (int)cs_rng_below(&rng, 5);
		f->d.samples += n;
		at += n;
	}
}

static void fake_run_free(struct fake_run *f)
{
	free(f->correct);
	free(f->answer);
	free(f->solution);
	free(f->d.tallies);
	free(f->d.levels);
	free(f->d.subjects);
}

static void assert_same_rows(const struct cs_rows *a, const struct cs_rows *b)
{
	cr_assert_eq(a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		const struct cs_row *x = &a->items[i], *y = &b->items[i];

		cr_assert_str_eq(x->metric, y->metric);
		cr_assert_str_eq(x->slice, y->slice);
		cr_assert_str_eq(x->options, y->options);
		cr_assert_eq(x->k, y->k);
		cr_assert(memcmp(&x->value, &y->value, sizeof x->value) == 0, "%s@%d %s: %.17g vs %.17g", x->metric, x->k,
			  x->slice, x->value, y->value);
		cr_assert(memcmp(&x->lower, &y->lower, sizeof x->lower) == 0);
		cr_assert(memcmp(&x->upper, &y->upper, sizeof x->upper) == 0);
		cr_assert_eq(x->problems, y->problems);
		cr_assert_eq(x->samples, y->samples);
		cr_assert_eq(x->excluded, y->excluded);
	}
}

Test(score, the_same_rows_on_any_number_of_threads)
{
	static const int ks[] = { 1, 2, 3, 8, 16, 40, 80 };
	struct cs_score_opts opt = { .ks = ks, .nk = 7, .unique = CS_UNIQUE_EXACT, .ci = 0.9, .replicates = 300,
				     .seed = 11, .by = "level" };
	struct cs_rows one = { 0 }, four = { 0 }, streamed = { 0 };
	struct fake_run f;
	struct cs_scored sc;
	struct cs_err err;

	fake_run_make(&f, 5);
	opt.threads = 1;
	cr_assert_eq(cs_score_run(&f.d, &opt, &one, &err), CS_OK, "%s", err.msg);
	opt.threads = 4;
	cr_assert_eq(cs_score_run(&f.d, &opt, &four, &err), CS_OK, "%s", err.msg);
	assert_same_rows(&one, &four);
	/* problem by problem, as a scan hands them over, waiting and scored on three threads */
	opt.threads = 3;
	cs_scored_init(&sc, &opt);
	for (int p = 0; p < NP; p++)
		cr_assert_eq(cs_scored_problem_fn(&sc, p, &f.d.tallies[p], &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_score_rows(&f.d, &sc, &streamed, &err), CS_OK, "%s", err.msg);
	cs_scored_free(&sc);
	assert_same_rows(&one, &streamed);
	/* 1 + 7 x 3 rows per slice: all and five levels */
	cr_assert_eq(one.count, 6 * 22);
	cs_rows_free(&one);
	cs_rows_free(&four);
	cs_rows_free(&streamed);
	fake_run_free(&f);
}

Test(score, only_the_metrics_asked_for)
{
	static const int ks[] = { 1, 4, 16 };
	struct cs_score_opts opt = { .ks = ks, .nk = 3, .unique = CS_UNIQUE_EXACT, .ci = 0.95, .replicates = 200,
				     .seed = 1 };
	struct cs_rows all = { 0 }, some = { 0 };
	struct fake_run f;
	struct cs_err err;
	size_t j = 0;

	fake_run_make(&f, 9);
	cr_assert_eq(cs_score_run(&f.d, &opt, &all, &err), CS_OK, "%s", err.msg);
	opt.metrics = CS_SCORE_COVERAGE | CS_SCORE_MAJ;
	cr_assert_eq(cs_score_run(&f.d, &opt, &some, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(some.count, 6);
	for (size_t i = 0; i < all.count; i++) {
		if (strcmp(all.items[i].metric, "coverage") != 0 && strcmp(all.items[i].metric, "maj") != 0)
			continue;
		cr_assert_str_eq(all.items[i].metric, some.items[j].metric);
		cr_assert_eq(all.items[i].k, some.items[j].k);
		cr_assert_eq(all.items[i].value, some.items[j].value);
		cr_assert_eq(all.items[i].lower, some.items[j].lower);
		j++;
	}
	cr_assert_eq(j, some.count);
	cs_rows_free(&all);
	cs_rows_free(&some);
	fake_run_free(&f);
}

Test(score, a_bad_problem_is_reported_whatever_the_threads)
{
	static const int ks[] = { 1, 2 };
	struct cs_score_opts opt = { .ks = ks, .nk = 2, .unique = CS_UNIQUE_EXACT, .ci = 0.95, .replicates = 50,
				     .seed = 1 };
	struct cs_rows rows = { 0 };
	struct fake_run f;
	struct cs_err err;
	unsigned char *bad;

	fake_run_make(&f, 3);
	/* problems 40 and 200: a correct sample without an answer */
	for (int p = 40; p <= 200; p += 160) {
		bad = (unsigned char *)f.d.tallies[p].correct;
		bad[0] = 1;
		((int *)f.d.tallies[p].answer)[0] = -1;
	}
	for (int threads = 1; threads <= 4; threads++) {
		opt.threads = threads;
		cr_assert_eq(cs_score_run(&f.d, &opt, &rows, &err), CS_INPUT);
		cr_assert(strstr(err.msg, "problem 40,") != NULL, "%s", err.msg);
	}
	cs_rows_free(&rows);
	fake_run_free(&f);
}
