/* pass@1, coverage@k and diversity@k computed with the stable product form of hypergeometric misses. */
#include "estimators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The m-factor form of C(n - m, k) / C(n, k), for n - m >= k. */
static double miss_by_m(int n, int m, int k)
{
	double p = 1.0;
	int j;

	for (j = n - m + 1; j <= n; j++)
		p *= 1.0 - (double)k / (double)j;
	return p;
}

/* One factor of the k-factor form: the (i + 1)-th draw misses the m marked items given that the first i
 * did. */
static double miss_step(int n, int m, int i)
{
	return (double)(n - m - i) / (double)(n - i);
}

double cs_miss_probability(int n, int m, int k)
{
	double p = 1.0;
	int i;

	if (m < 0 || m > n || k < 0 || k > n)
		return NAN;
	if (n - m < k)
		return 0.0;
	if (m <= k)
		return miss_by_m(n, m, k);
	for (i = 0; i < k; i++)
		p *= miss_step(n, m, i);
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

void cs_counts_free(struct cs_counts *counts)
{
	free(counts->mult);
	free(counts->times);
	free(counts->at);
	free(counts->prod);
	memset(counts, 0, sizeof *counts);
}

int cs_counts_build(const struct cs_tally *t, struct cs_counts *counts, struct cs_err *err)
{
	int *ids = NULL, *runs = NULL;
	size_t cap = (size_t)(t->n > 0 ? t->n : 1) + 1;
	int m = 0, nruns = 0, i, run;
	int rc;

	memset(counts, 0, sizeof *counts);
	counts->n = t->n;
	counts->c = cs_tally_correct(t);
	ids = malloc(cap * sizeof *ids);
	runs = malloc(cap * sizeof *runs);
	counts->mult = malloc(cap * sizeof *counts->mult);
	counts->times = malloc(cap * sizeof *counts->times);
	counts->at = malloc(cap * sizeof *counts->at);
	counts->prod = malloc(cap * sizeof *counts->prod);
	if (ids == NULL || runs == NULL || counts->mult == NULL || counts->times == NULL || counts->at == NULL ||
	    counts->prod == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory for %d samples", t->n);
		goto out;
	}
	/* the multiplicity of each distinct correct solution, then how many solutions share each */
	if (t->solution == NULL) {
		for (i = 0; i < counts->c; i++)
			runs[nruns++] = 1;
	} else {
		for (i = 0; i < t->n; i++)
			if (t->correct[i])
				ids[m++] = t->solution[i];
		qsort(ids, (size_t)m, sizeof *ids, cmp_int);
		for (i = 0; i < m; i += run) {
			run = 1;
			while (i + run < m && ids[i + run] == ids[i])
				run++;
			runs[nruns++] = run;
		}
		qsort(runs, (size_t)nruns, sizeof *runs, cmp_int);
	}
	for (i = 0; i < nruns; i++) {
		if (counts->nm == 0 || counts->mult[counts->nm - 1] != runs[i]) {
			counts->mult[counts->nm] = runs[i];
			counts->times[counts->nm] = 0;
			counts->nm++;
		}
		counts->times[counts->nm - 1]++;
	}
	for (i = 0; i <= counts->nm; i++) {
		counts->at[i] = 0;
		counts->prod[i] = 1.0;
	}
	rc = CS_OK;
out:
	free(ids);
	free(runs);
	if (rc != CS_OK)
		cs_counts_free(counts);
	return rc;
}

/* C(n - m, k) / C(n, k) as cs_miss_probability computes it, the k-factor form carried on from the
 * running product in *prod (over the first *at factors). */
static double miss_running(int n, int m, int k, int *at, double *prod)
{
	if (n - m < k)
		return 0.0;
	if (m <= k)
		return miss_by_m(n, m, k);
	if (*at > k) {
		*at = 0; /* a smaller k than before: start over */
		*prod = 1.0;
	}
	while (*at < k) {
		*prod *= miss_step(n, m, *at);
		(*at)++;
	}
	return *prod;
}

void cs_counts_at(struct cs_counts *counts, int k, double *coverage, double *diversity)
{
	int n = counts->n;
	int i;

	if (n < k) {
		if (coverage != NULL)
			*coverage = NAN;
		if (diversity != NULL)
			*diversity = NAN;
		return;
	}
	if (coverage != NULL)
		*coverage = 1.0 - miss_running(n, counts->c, k, &counts->at[counts->nm], &counts->prod[counts->nm]);
	if (diversity != NULL) {
		double sum = 0.0;

		for (i = 0; i < counts->nm; i++)
			sum += counts->times[i] *
			       (1.0 - miss_running(n, counts->mult[i], k, &counts->at[i], &counts->prod[i]));
		*diversity = sum;
	}
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
