/* Comparing a candidate run with a base run on their shared problems: per-problem values of each metric,
 * then per slice both means and the paired difference with its one-sided regression p-value. */
#include "score/compare.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_compare_metric_parse(const char *name, struct cs_compare_metric *out)
{
	static const struct {
		const char *prefix;
		enum cs_compare_kind kind;
	} kinds[] = { { "coverage@", CS_CMP_COVERAGE }, { "pass@", CS_CMP_COVERAGE },
		      { "diversity@", CS_CMP_DIVERSITY }, { "maj@", CS_CMP_MAJ } };

	if (strcmp(name, "pass@1") == 0) {
		out->kind = CS_CMP_PASS1;
		out->k = 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t len = strlen(kinds[i].prefix);
		const char *p = name + len;
		char *end;
		long k;

		if (strncmp(name, kinds[i].prefix, len) != 0 || *p < '0' || *p > '9')
			continue;
		k = strtol(p, &end, 10);
		if (*end != '\0' || k < 1 || k > 1000000)
			return -1;
		out->kind = kinds[i].kind;
		out->k = (int)k;
		return 0;
	}
	return -1;
}

void cs_compare_metric_name(const struct cs_compare_metric *m, char *buf, size_t size)
{
	static const char *const names[] = { "pass", "coverage", "diversity", "maj" };
	snprintf(buf, size, "%s@%d", names[m->kind], m->k);
}

/* The slice label of base problem p under by ("subject" or "level"). */
static void slice_label(const struct cs_run_data *d, const char *by, int p, char *buf, size_t size)
{
	if (strcmp(by, "subject") == 0)
		snprintf(buf, size, "subject=%s", d->subjects[p] ? d->subjects[p] : "unknown");
	else if (d->levels[p] > 0)
		snprintf(buf, size, "level=%d", d->levels[p]);
	else
		snprintf(buf, size, "level=unknown");
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The per-problem values of metric m over np tallies (maj@k seeded with seed). */
static int metric_values(const struct cs_compare_metric *m, const struct cs_tally *t, int np, uint64_t seed,
			 double *values, struct cs_err *err)
{
	struct cs_maj_opts mopts;

	switch (m->kind) {
	case CS_CMP_PASS1:
		return cs_pass1_values(t, np, values, NULL, err);
	case CS_CMP_COVERAGE:
		return cs_coverage_values(t, np, m->k, values, NULL, err);
	case CS_CMP_DIVERSITY:
		return cs_diversity_values(t, np, m->k, values, NULL, err);
	case CS_CMP_MAJ:
		cs_maj_default_opts(&mopts, seed);
		return cs_maj_values(t, np, m->k, &mopts, values, NULL, err);
	}
	return cs_fail(err, CS_INTERNAL, "unknown metric kind %d", (int)m->kind);
}

/* Bootstraps one slice (members[0..n-1], positions in the shared arrays) of one metric into row. */
static int compare_slice(const double *vb, const double *vc, const int *members, int n,
			 const struct cs_compare_opts *opt, double *sb, double *sc, struct cs_compare_row *row,
			 struct cs_err *err)
{
	struct cs_boot_opts boot;
	struct cs_interval iv[2];
	const double *cols[2] = { sb, sc };
	int rc;

	for (int i = 0; i < n; i++) {
		sb[i] = vb[members[i]];
		sc[i] = vc[members[i]];
	}
	cs_boot_default_opts(&boot, opt->score.seed);
	boot.replicates = opt->score.replicates;
	boot.level = opt->score.ci;
	rc = cs_bootstrap_means(2, cols, n, &boot, iv, err);
	if (rc == CS_OK)
		rc = cs_bootstrap_paired(sb, sc, n, opt->max_drop, &boot, &row->paired, err);
	if (rc != CS_OK)
		return rc;
	row->base = iv[0];
	row->cand = iv[1];
	row->problems = n;
	row->regression = row->paired.diff.point < -opt->max_drop && row->paired.p_worse < opt->alpha;
	return CS_OK;
}

/* Checks that both runs have k samples on every shared problem. */
static int check_k(const struct cs_run_data *base, const struct cs_run_data *cand, const struct cs_tally *tb,
		   const struct cs_tally *tc, int np, const struct cs_compare_metric *m, struct cs_err *err)
{
	const struct cs_run_data *runs[2] = { base, cand };
	const struct cs_tally *tallies[2] = { tb, tc };
	char name[32];

	if (m->kind == CS_CMP_PASS1)
		return CS_OK;
	cs_compare_metric_name(m, name, sizeof name);
	for (int r = 0; r < 2; r++) {
		int short_n = 0, fewest = m->k;
		for (int i = 0; i < np; i++) {
			if (tallies[r][i].n < m->k) {
				short_n++;
				if (tallies[r][i].n < fewest)
					fewest = tallies[r][i].n;
			}
		}
		if (short_n > 0)
			return cs_fail(err, CS_INPUT, "%s needs %d samples per problem in both runs, but run '%s' has only "
				       "%d on %d of the %d shared problems", name, m->k, runs[r]->name, fewest, short_n,
				       np);
	}
	return CS_OK;
}

int cs_compare_runs(const struct cs_run_data *base, const struct cs_run_data *cand,
		    const struct cs_compare_opts *opt, struct cs_compare_result *out, struct cs_err *err)
{
	int cap = (base->np < cand->np ? base->np : cand->np) + 1;
	int *pos_b = malloc((size_t)cap * sizeof *pos_b);
	int *members = malloc((size_t)cap * sizeof *members);
	struct cs_tally *tb = malloc((size_t)cap * sizeof *tb);
	struct cs_tally *tc = malloc((size_t)cap * sizeof *tc);
	double *vb = malloc((size_t)cap * sizeof *vb);
	double *vc = malloc((size_t)cap * sizeof *vc);
	double *sb = malloc((size_t)cap * sizeof *sb);
	double *sc = malloc((size_t)cap * sizeof *sc);
	char **labels = calloc((size_t)cap, sizeof *labels);
	char **distinct = calloc((size_t)cap, sizeof *distinct);
	struct cs_compare_metric defaults[2];
	const struct cs_compare_metric *metrics = opt->metrics;
	int nmetrics = opt->nmetrics, ndistinct = 0, np = 0, i = 0, j = 0;
	int rc = CS_OK;

	memset(out, 0, sizeof *out);
	if (!pos_b || !members || !tb || !tc || !vb || !vc || !sb || !sc || !labels || !distinct) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (opt->by != NULL && strcmp(opt->by, "subject") != 0 && strcmp(opt->by, "level") != 0) {
		rc = cs_fail(err, CS_USAGE, "--by is subject or level, not '%s'", opt->by);
		goto done;
	}
	if (!(opt->max_drop >= 0.0) || !isfinite(opt->max_drop) || !(opt->alpha > 0.0 && opt->alpha < 1.0)) {
		rc = cs_fail(err, CS_USAGE, "--max-drop must be a number >= 0 and --alpha between 0 and 1");
		goto done;
	}
	/* both runs list their problems in problems.id order: walk them together */
	while (i < base->np || j < cand->np) {
		if (j >= cand->np || (i < base->np && base->problem_ids[i] < cand->problem_ids[j])) {
			out->base_only++;
			i++;
		} else if (i >= base->np || cand->problem_ids[j] < base->problem_ids[i]) {
			out->cand_only++;
			j++;
		} else {
			pos_b[np] = i;
			tb[np] = base->tallies[i++];
			tc[np] = cand->tallies[j++];
			np++;
		}
	}
	out->shared = np;
	if (np == 0) {
		rc = cs_fail(err, CS_INPUT, "runs '%s' and '%s' have no problem in common (%d and %d problems)", base->name,
			     cand->name, base->np, cand->np);
		goto done;
	}
	out->min_base = out->min_cand = INT_MAX;
	for (int p = 0; p < np; p++) {
		if (tb[p].n < out->min_base)
			out->min_base = tb[p].n;
		if (tc[p].n < out->min_cand)
			out->min_cand = tc[p].n;
	}
	if (metrics == NULL) {
		int fewest = out->min_base < out->min_cand ? out->min_base : out->min_cand, k = 1;
		while (k <= fewest / 2)
			k *= 2;
		defaults[0].kind = CS_CMP_PASS1;
		defaults[0].k = 1;
		defaults[1].kind = CS_CMP_COVERAGE;
		defaults[1].k = k;
		metrics = defaults;
		nmetrics = k > 1 ? 2 : 1;
	}
	for (int m = 0; m < nmetrics && rc == CS_OK; m++)
		rc = check_k(base, cand, tb, tc, np, &metrics[m], err);
	if (rc != CS_OK)
		goto done;
	if (opt->by != NULL) {
		for (int p = 0; p < np; p++) {
			char buf[300];
			slice_label(base, opt->by, pos_b[p], buf, sizeof buf);
			labels[p] = strdup(buf);
			if (labels[p] == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			distinct[p] = labels[p];
		}
		qsort(distinct, (size_t)np, sizeof *distinct, compare_strings);
		for (int p = 0; p < np; p++)
			if (p == 0 || strcmp(distinct[p], distinct[ndistinct - 1]) != 0)
				distinct[ndistinct++] = distinct[p];
	}
	out->rows = calloc((size_t)nmetrics * (size_t)(ndistinct + 1), sizeof *out->rows);
	if (out->rows == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int m = 0; m < nmetrics && rc == CS_OK; m++) {
		rc = metric_values(&metrics[m], tb, np, opt->score.seed, vb, err);
		if (rc == CS_OK)
			rc = metric_values(&metrics[m], tc, np, opt->score.seed, vc, err);
		for (int s = -1; s < ndistinct && rc == CS_OK; s++) {
			struct cs_compare_row *row = &out->rows[out->count];
			int n = 0;

			for (int p = 0; p < np; p++)
				if (s < 0 || strcmp(labels[p], distinct[s]) == 0)
					members[n++] = p;
			cs_compare_metric_name(&metrics[m], row->metric, sizeof row->metric);
			row->slice = strdup(s < 0 ? "all" : distinct[s]);
			out->count++;
			if (row->slice == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				break;
			}
			rc = compare_slice(vb, vc, members, n, opt, sb, sc, row, err);
			if (rc == CS_OK && row->regression)
				out->regressions++;
		}
	}
done:
	if (labels != NULL)
		for (int p = 0; p < np; p++)
			free(labels[p]);
	free(labels);
	free(distinct);
	free(pos_b);
	free(members);
	free(tb);
	free(tc);
	free(vb);
	free(vc);
	free(sb);
	free(sc);
	if (rc != CS_OK)
		cs_compare_result_free(out);
	return rc;
}

void cs_compare_result_free(struct cs_compare_result *out)
{
	for (int r = 0; r < out->count; r++)
		free(out->rows[r].slice);
	free(out->rows);
	memset(out, 0, sizeof *out);
}
