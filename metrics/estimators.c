/* pass@1, coverage@k and diversity@k computed with the stable product form of hypergeometric misses. */
#include "estimators.h"

#include <math.h>
#include <stdlib.h>

double cs_miss_probability(int n, int m, int k)
{
	double p = 1.0;
	int j;

	if (m < 0 || m > n || k < 0 || k > n)
		return NAN;
	if (n - m < k)
		return 0.0;
	for (j = n - m + 1; j <= n; j++)
		p *= 1.0 - (double)k / (double)j;
	return p;
}

double cs_coverage_one(int n, int c, int k)
{
	if (k < 1 || n < k || c < 0 || c > n)
		return NAN;
	return 1.0 - cs_miss_probability(n, c, k);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a;
	int y = *(const int *)b;

	return (x > y) - (x < y);
}

/* diversity@k of t using scratch (at least t->n ints); t already checked, k >= 1. */
static double diversity_with(const struct cs_tally *t, int k, int *scratch)
{
	double sum = 0.0;
	int m = 0;
	int i;
	int run;

	if (t->n < k)
		return NAN;
	if (t->solution == NULL)
		return (double)cs_tally_correct(t) * (1.0 - cs_miss_probability(t->n, 1, k));
	for (i = 0; i < t->n; i++)
		if (t->correct[i])
			scratch[m++] = t->solution[i];
	qsort(scratch, (size_t)m, sizeof *scratch, cmp_int);
	for (i = 0; i < m; i += run) {
		run = 1;
		while (i + run < m && scratch[i + run] == scratch[i])
			run++;
		sum += 1.0 - cs_miss_probability(t->n, run, k);
	}
	return sum;
}

int cs_diversity_one(const struct cs_tally *t, int k, double *value, struct cs_err *err)
{
	int *scratch = NULL;
	int rc;

	if (k < 1) {
		rc = cs_fail(err, CS_USAGE, "diversity@k needs k >= 1, got %d", k);
		goto out;
	}
	rc = cs_tally_check(t, 0, err);
	if (rc != CS_OK)
		goto out;
	scratch = malloc((size_t)(t->n > 0 ? t->n : 1) * sizeof *scratch);
	if (scratch == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
	*value = diversity_with(t, k, scratch);
	rc = CS_OK;
out:
	free(scratch);
	return rc;
}

void cs_summarise(const double *values, int np, struct cs_metric_summary *sum)
{
	double total = 0.0;
	int used = 0;
	int i;

	for (i = 0; i < np; i++) {
		if (isnan(values[i]))
			continue;
		total += values[i];
		used++;
	}
	sum->n_problems = np;
	sum->n_used = used;
	sum->n_excluded = np - used;
	sum->mean = used > 0 ? total / used : NAN;
}

enum which { PASS1, COVERAGE, DIVERSITY };

static const char *const which_name[] = { "pass@1", "coverage@k", "diversity@k" };

static int per_problem(enum which w, const struct cs_tally *t, int np, int k, double *values,
		       struct cs_metric_summary *sum, struct cs_err *err)
{
	int *scratch = NULL;
	int max_n = 1;
	int rc;
	int i;

	if (np < 0 || (np > 0 && (t == NULL || values == NULL))) {
		rc = cs_fail(err, CS_USAGE, "%s: bad problem array (np = %d)", which_name[w], np);
		goto out;
	}
	if (k < 1) {
		rc = cs_fail(err, CS_USAGE, "%s needs k >= 1, got %d", which_name[w], k);
		goto out;
	}
	for (i = 0; i < np; i++) {
		rc = cs_tally_check(&t[i], i, err);
		if (rc != CS_OK)
			goto out;
		if (t[i].n > max_n)
			max_n = t[i].n;
	}
	if (w == DIVERSITY) {
		scratch = malloc((size_t)max_n * sizeof *scratch);
		if (scratch == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", max_n);
			goto out;
		}
	}
	for (i = 0; i < np; i++) {
		switch (w) {
		case PASS1:
			values[i] = t[i].n > 0 ? (double)cs_tally_correct(&t[i]) / t[i].n : NAN;
			break;
		case COVERAGE:
			values[i] = cs_coverage_one(t[i].n, cs_tally_correct(&t[i]), k);
			break;
		case DIVERSITY:
			values[i] = diversity_with(&t[i], k, scratch);
			break;
		}
	}
	if (sum != NULL)
		cs_summarise(values, np, sum);
	rc = CS_OK;
out:
	free(scratch);
	return rc;
}

int cs_pass1_values(const struct cs_tally *t, int np, double *values, struct cs_metric_summary *sum,
		    struct cs_err *err)
{
	return per_problem(PASS1, t, np, 1, values, sum, err);
}

int cs_coverage_values(const struct cs_tally *t, int np, int k, double *values,
		       struct cs_metric_summary *sum, struct cs_err *err)
{
	return per_problem(COVERAGE, t, np, k, values, sum, err);
}

int cs_diversity_values(const struct cs_tally *t, int np, int k, double *values,
			struct cs_metric_summary *sum, struct cs_err *err)
{
	return per_problem(DIVERSITY, t, np, k, values, sum, err);
}
