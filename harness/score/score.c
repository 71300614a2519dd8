/* Computing the per-problem values of every metric with metrics/, bootstrapping them all with shared
 * resampled problems, and turning them into rows; one pass per slice. */
#include "score/score.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_parse_ks(const char *text, int max_n, int **ks, int *nk, struct cs_err *err)
{
	int cap = 64, n = 0;
	int *out = malloc((size_t)cap * sizeof *out);

	*ks = NULL;
	*nk = 0;
	if (out == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	if (max_n < 1)
		max_n = 1;
	if (text == NULL || strcmp(text, "all") == 0) {
		int all = text != NULL;
		for (int k = 1; k <= max_n; k = all ? k + 1 : k * 2) {
			if (n == cap) {
				int *grown = realloc(out, (size_t)(cap *= 2) * sizeof *out);
				if (grown == NULL) {
					free(out);
					return cs_fail(err, CS_INTERNAL, "out of memory");
				}
				out = grown;
			}
			out[n++] = k;
		}
		if (out[n - 1] != max_n)
			out[n++] = max_n;
	} else {
		const char *p = text;
		while (*p) {
			char *end;
			long k = strtol(p, &end, 10);
			if (end == p || k < 1 || k > 1000000 || (*end != ',' && *end != '\0') || n == cap ||
			    (n > 0 && k <= out[n - 1])) {
				free(out);
				return cs_fail(err, CS_USAGE, "--k wants ascending positive numbers such as 1,2,4,8 (at most "
					       "64 of them) or 'all', got '%s'", text);
			}
			out[n++] = (int)k;
			p = *end == ',' ? end + 1 : end;
		}
		if (n == 0) {
			free(out);
			return cs_fail(err, CS_USAGE, "--k is empty");
		}
	}
	*ks = out;
	*nk = n;
	return CS_OK;
}

void cs_score_options(const struct cs_score_opts *opt, const char *grader, char *buf, size_t size)
{
	snprintf(buf, size, "unique=%s;ci=%g;bootstrap=%d;seed=%llu;grader=%s", cs_unique_name(opt->unique), opt->ci,
		 opt->replicates, (unsigned long long)opt->seed, grader);
}

/* The metrics of one set of problems (a slice), appended as rows. */
static int score_slice(const struct cs_run_data *d, const struct cs_score_opts *opt, const char *slice,
		       const int *members, int np, struct cs_rows *rows, struct cs_err *err)
{
	int ncols = 1 + 3 * opt->nk;
	struct cs_tally *t = malloc((size_t)np * sizeof *t);
	double *values = malloc((size_t)ncols * (size_t)np * sizeof *values);
	const double **columns = malloc((size_t)ncols * sizeof *columns);
	int *col_of = malloc((size_t)ncols * sizeof *col_of);
	struct cs_interval *iv = malloc((size_t)ncols * sizeof *iv);
	struct cs_metric_summary *sum = calloc((size_t)ncols, sizeof *sum);
	struct cs_maj_summary *maj = calloc((size_t)opt->nk + 1, sizeof *maj);
	struct cs_boot_opts boot;
	struct cs_maj_opts mopts;
	char options[256];
	int used = 0;
	int rc = CS_OK;

	if (!t || !values || !columns || !col_of || !iv || !sum || !maj) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int i = 0; i < np; i++)
		t[i] = d->tallies[members[i]];
	cs_boot_default_opts(&boot, opt->seed);
	boot.replicates = opt->replicates;
	boot.level = opt->ci;
	cs_maj_default_opts(&mopts, opt->seed);

	rc = cs_pass1_values(t, np, values, &sum[0], err);
	for (int j = 0; rc == CS_OK && j < opt->nk; j++) {
		int k = opt->ks[j];
		rc = cs_coverage_values(t, np, k, values + (size_t)(1 + 3 * j) * np, &sum[1 + 3 * j], err);
		if (rc == CS_OK)
			rc = cs_diversity_values(t, np, k, values + (size_t)(2 + 3 * j) * np, &sum[2 + 3 * j], err);
		if (rc == CS_OK)
			rc = cs_maj_values(t, np, k, &mopts, values + (size_t)(3 + 3 * j) * np, &maj[j], err);
		if (rc == CS_OK)
			sum[3 + 3 * j] = maj[j].base;
	}
	if (rc != CS_OK)
		goto done;
	/* bootstrap every column that has a problem left, with the same resampled problems */
	for (int c = 0; c < ncols; c++) {
		col_of[c] = -1;
		if (sum[c].n_used > 0) {
			col_of[c] = used;
			columns[used++] = values + (size_t)c * np;
		}
	}
	if (used > 0) {
		struct cs_interval *packed = malloc((size_t)used * sizeof *packed);
		if (packed == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		rc = cs_bootstrap_means(used, columns, np, &boot, packed, err);
		for (int c = 0; c < ncols && rc == CS_OK; c++)
			if (col_of[c] >= 0)
				iv[c] = packed[col_of[c]];
		free(packed);
		if (rc != CS_OK)
			goto done;
	}
	cs_score_options(opt, d->grader_versions, options, sizeof options);
	/* rows in the order pass@1, coverage@k..., diversity@k..., maj@k... */
	for (int r = 0; r < ncols && rc == CS_OK; r++) {
		static const char *const names[] = { "coverage", "diversity", "maj" };
		int j = r == 0 ? 0 : (r - 1) % opt->nk;
		int c = r == 0 ? 0 : 1 + 3 * j + (r - 1) / opt->nk;
		struct cs_row row;
		char maj_options[384];
		long samples = 0;

		for (int i = 0; i < np; i++)
			if (c == 0 || t[i].n >= opt->ks[j])
				samples += t[i].n;
		row.metric = (char *)(c == 0 ? "pass@1" : names[(c - 1) % 3]);
		row.run = d->name;
		row.model = d->model;
		row.slice = (char *)slice;
		row.k = c == 0 ? 1 : opt->ks[j];
		row.value = sum[c].n_used > 0 ? iv[c].point : NAN;
		row.lower = sum[c].n_used > 0 ? iv[c].lo : NAN;
		row.upper = sum[c].n_used > 0 ? iv[c].hi : NAN;
		row.problems = sum[c].n_used;
		row.samples = samples;
		row.excluded = sum[c].n_excluded;
		row.options = options;
		if (c > 0 && (c - 1) % 3 == 2) {
			if (maj[j].n_monte_carlo == 0)
				snprintf(maj_options, sizeof maj_options, "%s;maj=exact;ties=fraction_correct", options);
			else
				snprintf(maj_options, sizeof maj_options, "%s;maj=exact:%d+monte_carlo:%d(draws=%d);"
					 "ties=fraction_correct", options, maj[j].n_exact, maj[j].n_monte_carlo,
					 maj[j].mc_draws);
			row.options = maj_options;
		}
		rc = cs_rows_add(rows, &row, err);
	}
done:
	free(t);
	free(values);
	free(columns);
	free(col_of);
	free(iv);
	free(sum);
	free(maj);
	return rc;
}

/* "KEY=value" for the run's tag KEY (from "k=v,k=v"), or "KEY=none". */
static void tag_slice(const char *tags, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *s = tags;

	while (*s) {
		size_t len = strcspn(s, ",");
		if (len > klen && strncmp(s, key, klen) == 0 && s[klen] == '=') {
			snprintf(buf, size, "%s=%.*s", key, (int)(len - klen - 1), s + klen + 1);
			return;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	snprintf(buf, size, "%s=none", key);
}

/* The slice label of problem p under --by, written into buf. */
static void slice_of(const struct cs_run_data *d, const char *by, int p, char *buf, size_t size)
{
	if (strcmp(by, "subject") == 0)
		snprintf(buf, size, "subject=%s", d->subjects[p] ? d->subjects[p] : "unknown");
	else if (strcmp(by, "level") == 0 && d->levels[p] > 0)
		snprintf(buf, size, "level=%d", d->levels[p]);
	else if (strcmp(by, "level") == 0)
		snprintf(buf, size, "level=unknown");
	else if (strcmp(by, "dataset") == 0)
		snprintf(buf, size, "dataset=%s", d->dataset);
	else
		tag_slice(d->tags, by + 4, buf, size);
}

/* Orders slice labels with runs of digits compared as numbers, so that level=2 comes before level=10. */
static int compare_strings(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;

	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			char *ea, *eb;
			unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	if (*a != *b)
		return (unsigned char)*a - (unsigned char)*b;
	/* equal as numbers ("01" and "1"): fall back to the text, so that distinct labels never compare equal */
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

int cs_score_by_valid(const char *by)
{
	return by == NULL || strcmp(by, "subject") == 0 || strcmp(by, "level") == 0 || strcmp(by, "dataset") == 0 ||
	       (strncmp(by, "tag:", 4) == 0 && by[4] != '\0');
}

int cs_score_run(const struct cs_run_data *d, const struct cs_score_opts *opt, struct cs_rows *rows,
		 struct cs_err *err)
{
	int *members = malloc(((size_t)d->np + 1) * sizeof *members);
	char **labels = calloc((size_t)d->np + 1, sizeof *labels);
	char **distinct = calloc((size_t)d->np + 1, sizeof *distinct);
	int ndistinct = 0;
	int rc = CS_OK;

	if (members == NULL || labels == NULL || distinct == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (!cs_score_by_valid(opt->by)) {
		rc = cs_fail(err, CS_USAGE, "--by is subject, level, dataset or tag:KEY, not '%s'", opt->by);
		goto done;
	}
	for (int p = 0; p < d->np; p++)
		members[p] = p;
	rc = score_slice(d, opt, "all", members, d->np, rows, err);
	if (rc != CS_OK || opt->by == NULL)
		goto done;
	for (int p = 0; p < d->np; p++) {
		char buf[300];
		slice_of(d, opt->by, p, buf, sizeof buf);
		labels[p] = strdup(buf);
		if (labels[p] == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		distinct[p] = labels[p];
	}
	qsort(distinct, (size_t)d->np, sizeof *distinct, compare_strings);
	for (int p = 0; p < d->np; p++)
		if (p == 0 || strcmp(distinct[p], distinct[ndistinct - 1]) != 0)
			distinct[ndistinct++] = distinct[p];
	for (int s = 0; s < ndistinct && rc == CS_OK; s++) {
		int n = 0;
		for (int p = 0; p < d->np; p++)
			if (strcmp(labels[p], distinct[s]) == 0)
				members[n++] = p;
		rc = score_slice(d, opt, distinct[s], members, n, rows, err);
	}
done:
	if (labels != NULL)
		for (int p = 0; p < d->np; p++)
			free(labels[p]);
	free(labels);
	free(distinct);
	free(members);
	return rc;
}

int cs_score_add_fpr(struct cs_rows *rows, const char *run, const char *model, const char *judge, long judged,
		     long wrong, double level, struct cs_err *err)
{
	struct cs_fpr fpr;
	struct cs_row row;
	char slice[300], options[96];
	int rc = cs_fpr_compute(judged, wrong, level, &fpr, err);

	if (rc != CS_OK)
		return rc;
	snprintf(slice, sizeof slice, "judge=%s", judge);
	snprintf(options, sizeof options, "ci=%g;interval=wilson;correct_by=grade", level);
	row.metric = (char *)"fpr";
	row.run = (char *)run;
	row.model = (char *)model;
	row.slice = slice;
	row.k = 0;
	row.value = fpr.rate;
	row.lower = fpr.lo;
	row.upper = fpr.hi;
	row.problems = 0;
	row.samples = judged;
	row.excluded = 0;
	row.options = options;
	return cs_rows_add(rows, &row, err);
}
