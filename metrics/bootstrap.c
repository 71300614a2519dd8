/* Percentile bootstrap over problems driven by one seeded index stream shared by all statistics. */
#include "bootstrap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "estimators.h"
#include "rng.h"

void cs_boot_default_opts(struct cs_boot_opts *opts, uint64_t seed)
{
	opts->replicates = CS_BOOT_REPLICATES;
	opts->level = 0.95;
	opts->seed = seed;
}

static int check_opts(const struct cs_boot_opts *opts, int np, struct cs_err *err)
{
	if (opts == NULL || opts->replicates < 2)
		return cs_fail(err, CS_USAGE, "bootstrap: need at least 2 replicates");
	if (!(opts->level > 0.0 && opts->level < 1.0))
		return cs_fail(err, CS_USAGE, "bootstrap: confidence level %g is not in (0, 1)", opts->level);
	if (np < 1)
		return cs_fail(err, CS_INPUT, "bootstrap: no problems");
	return CS_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

double cs_sorted_quantile(const double *sorted, int n, double q)
{
	double h = q * (n - 1);
	int lo = (int)floor(h);

	if (lo >= n - 1)
		return sorted[n - 1];
	if (lo < 0)
		return sorted[0];
	/* between an infinity and another value, the nearer of the two (interpolating would give NaN) */
	if (isinf(sorted[lo]) || isinf(sorted[lo + 1]))
		return h - lo < 0.5 ? sorted[lo] : sorted[lo + 1];
	return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Sorts reps[0..kept-1] and sets out's interval; NaN bounds when no replicate was kept. */
static void percentile(double *reps, int kept, double level, struct cs_interval *out)
{
	out->n_replicates = kept;
	if (kept == 0) {
		out->lo = NAN;
		out->hi = NAN;
		return;
	}
	qsort(reps, (size_t)kept, sizeof *reps, cmp_double);
	out->lo = cs_sorted_quantile(reps, kept, 0.5 * (1.0 - level));
	out->hi = cs_sorted_quantile(reps, kept, 0.5 * (1.0 + level));
}

/* Draws replicate indices into idx (np entries). */
static void draw(struct cs_rng *rng, int *idx, int np)
{
	int i;

	for (i = 0; i < np; i++)
		idx[i] = (int)cs_rng_below(rng, (uint64_t)np);
}

/* One replicate as weights: how many times each of the np problems was drawn (idx is scratch space). */
static void draw_weights(struct cs_rng *rng, int *idx, int *weight, int np)
{
	draw(rng, idx, np);
	memset(weight, 0, (size_t)np * sizeof *weight);
	for (int i = 0; i < np; i++)
		weight[idx[i]]++;
}

/* Replicates resampled together by resample_means: their draw counts are read once per column, as four
 * pairs of doubles per problem. */
#define BLOCK 8

typedef double pair2 __attribute__((vector_size(16)));

/* sums[r] = sum_i cnt_i[r] x[i] for the BLOCK replicates r, cnt holding BLOCK / 2 pairs per problem; the
 * even and odd problems are summed apart (independent accumulators), then added. */
static void weighted_sums(const pair2 *cnt, const double *x, int np, double *sums)
{
	pair2 e0 = { 0, 0 }, e1 = e0, e2 = e0, e3 = e0, o0 = e0, o1 = e0, o2 = e0, o3 = e0;
	int i;

	for (i = 0; i + 1 < np; i += 2) {
		const pair2 *ce = cnt + (size_t)i * 4, *co = ce + 4;
		pair2 xe = { x[i], x[i] }, xo = { x[i + 1], x[i + 1] };

		e0 += ce[0] * xe;
		e1 += ce[1] * xe;
		e2 += ce[2] * xe;
		e3 += ce[3] * xe;
		o0 += co[0] * xo;
		o1 += co[1] * xo;
		o2 += co[2] * xo;
		o3 += co[3] * xo;
	}
	if (i < np) {
		const pair2 *ce = cnt + (size_t)i * 4;
		pair2 xe = { x[i], x[i] };

		e0 += ce[0] * xe;
		e1 += ce[1] * xe;
		e2 += ce[2] * xe;
		e3 += ce[3] * xe;
	}
	e0 += o0;
	e1 += o1;
	e2 += o2;
	e3 += o3;
	sums[0] = e0[0];
	sums[1] = e0[1];
	sums[2] = e1[0];
	sums[3] = e1[1];
	sums[4] = e2[0];
	sums[5] = e2[1];
	sums[6] = e3[0];
	sums[7] = e3[1];
}

/* Core of the mean bootstraps. For each column, reps receives B replicate means (NaN when a replicate
 * drew no valid problem) at reps[j * B + b]. A replicate's mean is sum_i w_i v_i / sum_i w_i [v_i valid],
 * w_i the number of times it drew problem i; the replicates are taken BLOCK at a time, their counts
 * side by side, so that each column is read once per block and its sums run over independent
 * accumulators. */
static int resample_means(int m, const double *const *columns, int np, const struct cs_boot_opts *opts,
			  double *reps, struct cs_err *err)
{
	struct cs_rng rng;
	const double **value = NULL; /* each column's values, excluded problems as 0 */
	const double **valid = NULL; /* 1 for a problem with a value, 0 for an excluded one; NULL when none is */
	double *copies = NULL;       /* value and valid of the columns with excluded problems */
	pair2 *cnt = NULL;
	int *idx = NULL;
	int b0, i, j, r, partial = 0;
	int rc;

	value = malloc((size_t)m * sizeof *value);
	valid = calloc((size_t)m, sizeof *valid);
	cnt = malloc(((size_t)np * (BLOCK / 2) + 1) * sizeof *cnt);
	idx = malloc((size_t)np * sizeof *idx);
	if (value == NULL || valid == NULL || cnt == NULL || idx == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "bootstrap: out of memory for %d problems", np);
		goto out;
	}
	/* Branch-free sums: an excluded problem adds 0 to the total and 0 to the count; a column without one
	 * is read as it is, with np for every count */
	for (j = 0; j < m; j++) {
		for (i = 0; i < np && !isnan(columns[j][i]); i++)
			;
		partial += i < np;
	}
	if (partial > 0) {
		copies = malloc(2 * (size_t)partial * (size_t)np * sizeof *copies);
		if (copies == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "bootstrap: out of memory for %d problems", np);
			goto out;
		}
	}
	partial = 0;
	for (j = 0; j < m; j++) {
		double *v, *w;

		value[j] = columns[j];
		for (i = 0; i < np && !isnan(columns[j][i]); i++)
			;
		if (i == np)
			continue;
		v = copies + 2 * (size_t)partial * (size_t)np;
		w = v + np;
		for (i = 0; i < np; i++) {
			int ok = !isnan(columns[j][i]);

			v[i] = ok ? columns[j][i] : 0.0;
			w[i] = ok ? 1.0 : 0.0;
		}
		value[j] = v;
		valid[j] = w;
		partial++;
	}
	cs_rng_seed(&rng, opts->seed);
	for (b0 = 0; b0 < opts->replicates; b0 += BLOCK) {
		int nb = opts->replicates - b0 < BLOCK ? opts->replicates - b0 : BLOCK;

		memset(cnt, 0, (size_t)np * (BLOCK / 2) * sizeof *cnt);
		for (r = 0; r < nb; r++) {
			draw(&rng, idx, np);
			for (i = 0; i < np; i++)
				cnt[(size_t)idx[i] * (BLOCK / 2) + (size_t)(r >> 1)][r & 1] += 1.0;
		}
		for (j = 0; j < m; j++) {
			double total[BLOCK], count[BLOCK];

			weighted_sums(cnt, value[j], np, total);
			if (valid[j] != NULL) {
				weighted_sums(cnt, valid[j], np, count);
			} else {
				for (r = 0; r < BLOCK; r++)
					count[r] = np;
			}
			for (r = 0; r < nb; r++)
				reps[(size_t)j * opts->replicates + b0 + r] = count[r] > 0.0 ? total[r] / count[r] : NAN;
		}
	}
	rc = CS_OK;
out:
	free(value);
	free(valid);
	free(copies);
	free(cnt);
	free(idx);
	return rc;
}

/* Moves the non-NaN entries of reps[0..n-1] to the front and returns their number. */
static int compact(double *reps, int n)
{
	int kept = 0;
	int i;

	for (i = 0; i < n; i++)
		if (!isnan(reps[i]))
			reps[kept++] = reps[i];
	return kept;
}

/* Mean and count of the non-NaN entries of values[0..np-1] (as cs_summarise computes them). */
static void point_mean(const double *values, int np, struct cs_interval *out)
{
	struct cs_metric_summary sum;

	cs_summarise(values, np, &sum);
	out->n_used = sum.n_used;
	out->point = sum.mean;
}

int cs_bootstrap_means(int m, const double *const *columns, int np, const struct cs_boot_opts *opts,
		       struct cs_interval *out, struct cs_err *err)
{
	double *reps = NULL;
	int j;
	int rc;

	rc = check_opts(opts, np, err);
	if (rc != CS_OK)
		goto out;
	if (m < 1 || columns == NULL || out == NULL) {
		rc = cs_fail(err, CS_USAGE, "bootstrap: no columns");
		goto out;
	}
	for (j = 0; j < m; j++) {
		if (columns[j] == NULL) {
			rc = cs_fail(err, CS_USAGE, "bootstrap: column %d missing", j);
			goto out;
		}
		point_mean(columns[j], np, &out[j]);
		if (out[j].n_used == 0) {
			rc = cs_fail(err, CS_INPUT, "bootstrap: column %d has no problem with a value", j);
			goto out;
		}
	}
	reps = malloc((size_t)m * (size_t)opts->replicates * sizeof *reps);
	if (reps == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "bootstrap: out of memory for %d replicates", opts->replicates);
		goto out;
	}
	rc = resample_means(m, columns, np, opts, reps, err);
	if (rc != CS_OK)
		goto out;
	for (j = 0; j < m; j++) {
		double *col = reps + (size_t)j * opts->replicates;

		percentile(col, compact(col, opts->replicates), opts->level, &out[j]);
	}
	rc = CS_OK;
out:
	free(reps);
	return rc;
}

int cs_bootstrap_mean(const double *values, int np, const struct cs_boot_opts *opts, struct cs_interval *out,
		      struct cs_err *err)
{
	const double *columns[1];

	if (values == NULL)
		return cs_fail(err, CS_USAGE, "bootstrap: no values");
	columns[0] = values;
	return cs_bootstrap_means(1, columns, np, opts, out, err);
}

int cs_bootstrap_paired(const double *base, const double *cand, int np, double delta,
			const struct cs_boot_opts *opts, struct cs_paired *out, struct cs_err *err)
{
	double *diff = NULL;
	double *reps = NULL;
	const double *columns[1];
	int not_worse = 0;
	int kept, b, i;
	int rc;

	rc = check_opts(opts, np, err);
	if (rc != CS_OK)
		goto out;
	if (base == NULL || cand == NULL || out == NULL || !(delta >= 0.0)) {
		rc = cs_fail(err, CS_USAGE, "paired bootstrap: bad arguments (delta %g)", delta);
		goto out;
	}
	diff = malloc((size_t)np * sizeof *diff);
	reps = malloc((size_t)opts->replicates * sizeof *reps);
	if (diff == NULL || reps == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "paired bootstrap: out of memory for %d problems", np);
		goto out;
	}
	/* The mean of the differences over problems valid in both runs equals the difference of the two
	 * means over those problems, in the original sample and in every replicate. */
	for (i = 0; i < np; i++)
		diff[i] = isnan(base[i]) || isnan(cand[i]) ? NAN : cand[i] - base[i];
	point_mean(diff, np, &out->diff);
	if (out->diff.n_used == 0) {
		rc = cs_fail(err, CS_INPUT, "paired bootstrap: no problem has a value in both runs");
		goto out;
	}
	columns[0] = diff;
	rc = resample_means(1, columns, np, opts, reps, err);
	if (rc != CS_OK)
		goto out;
	kept = compact(reps, opts->replicates);
	for (b = 0; b < kept; b++)
		not_worse += reps[b] >= -delta;
	out->delta = delta;
	out->p_worse = (1.0 + not_worse) / (1.0 + kept);
	percentile(reps, kept, opts->level, &out->diff);
	rc = CS_OK;
out:
	free(diff);
	free(reps);
	return rc;
}

int cs_bootstrap_stat(cs_boot_stat stat, void *ctx, int np, const struct cs_boot_opts *opts,
		      struct cs_interval *out, struct cs_err *err)
{
	struct cs_rng rng;
	double *reps = NULL;
	int *weight = NULL;
	int *idx = NULL;
	int b, i;
	int rc;

	rc = check_opts(opts, np, err);
	if (rc != CS_OK)
		goto out;
	if (stat == NULL || out == NULL) {
		rc = cs_fail(err, CS_USAGE, "bootstrap: no statistic");
		goto out;
	}
	reps = malloc((size_t)opts->replicates * sizeof *reps);
	weight = malloc((size_t)np * sizeof *weight);
	idx = malloc((size_t)np * sizeof *idx);
	if (reps == NULL || weight == NULL || idx == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "bootstrap: out of memory for %d problems", np);
		goto out;
	}
	for (i = 0; i < np; i++)
		weight[i] = 1;
	rc = stat(weight, np, ctx, &out->point, err);
	if (rc != CS_OK)
		goto out;
	if (isnan(out->point)) {
		rc = cs_fail(err, CS_INPUT, "bootstrap: the statistic has no value on the original problems");
		goto out;
	}
	out->n_used = np;
	cs_rng_seed(&rng, opts->seed);
	for (b = 0; b < opts->replicates; b++) {
		draw_weights(&rng, idx, weight, np);
		rc = stat(weight, np, ctx, &reps[b], err);
		if (rc != CS_OK)
			goto out;
	}
	percentile(reps, compact(reps, opts->replicates), opts->level, out);
	rc = CS_OK;
out:
	free(reps);
	free(weight);
	free(idx);
	return rc;
}

int cs_bootstrap_vstat(cs_boot_vstat stat, void *ctx, int m, int np, const struct cs_boot_opts *opts,
		       struct cs_interval *out, struct cs_err *err)
{
	struct cs_rng rng;
	double *reps = NULL, *col = NULL, *point = NULL;
	int *weight = NULL;
	int *idx = NULL;
	int b, i, j;
	int rc;

	rc = check_opts(opts, np, err);
	if (rc != CS_OK)
		goto out;
	if (stat == NULL || out == NULL || m < 1) {
		rc = cs_fail(err, CS_USAGE, "bootstrap: no statistic");
		goto out;
	}
	reps = malloc((size_t)opts->replicates * (size_t)m * sizeof *reps);
	col = malloc((size_t)opts->replicates * sizeof *col);
	point = malloc((size_t)m * sizeof *point);
	weight = malloc((size_t)np * sizeof *weight);
	idx = malloc((size_t)np * sizeof *idx);
	if (reps == NULL || col == NULL || point == NULL || weight == NULL || idx == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "bootstrap: out of memory for %d problems", np);
		goto out;
	}
	for (i = 0; i < np; i++)
		weight[i] = 1;
	rc = stat(weight, np, ctx, point, err);
	if (rc != CS_OK)
		goto out;
	cs_rng_seed(&rng, opts->seed);
	for (b = 0; b < opts->replicates; b++) {
		draw_weights(&rng, idx, weight, np);
		rc = stat(weight, np, ctx, &reps[(size_t)b * (size_t)m], err);
		if (rc != CS_OK)
			goto out;
	}
	for (j = 0; j < m; j++) {
		for (b = 0; b < opts->replicates; b++)
			col[b] = reps[(size_t)b * (size_t)m + (size_t)j];
		out[j].point = point[j];
		out[j].n_used = np;
		percentile(col, compact(col, opts->replicates), opts->level, &out[j]);
	}
	rc = CS_OK;
out:
	free(reps);
	free(col);
	free(point);
	free(weight);
	free(idx);
	return rc;
}
