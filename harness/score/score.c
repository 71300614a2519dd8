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

void cs_scored_init(struct cs_scored *sc, const struct cs_score_opts *opt)
{
	memset(sc, 0, sizeof *sc);
	sc->opt = opt;
	sc->ncols = 1 + 3 * opt->nk;
	cs_maj_default_opts(&sc->maj, opt->seed);
}

void cs_scored_free(struct cs_scored *sc)
{
	free(sc->values);
	free(sc->n);
	free(sc->method);
	memset(sc, 0, sizeof *sc);
}

int cs_scored_add(struct cs_scored *sc, int index, const struct cs_tally *t, struct cs_err *err)
{
	const struct cs_score_opts *opt = sc->opt;
	double *v;
	int rc;

	if (index >= sc->cap) {
		int cap = sc->cap ? sc->cap : 256;
		double *values;
		int *n;
		unsigned char *method;

		while (cap <= index)
			cap *= 2;
		values = realloc(sc->values, (size_t)cap * (size_t)sc->ncols * sizeof *values);
		if (values != NULL)
			sc->values = values;
		n = realloc(sc->n, (size_t)cap * sizeof *n);
		if (n != NULL)
			sc->n = n;
		method = realloc(sc->method, (size_t)cap * (size_t)(opt->nk + 1));
		if (method != NULL)
			sc->method = method;
		if (values == NULL || n == NULL || method == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		for (int i = sc->cap; i < cap; i++)
			sc->n[i] = -1;
		sc->cap = cap;
	}
	if (index + 1 > sc->np)
		sc->np = index + 1;
	/* one row per problem: pass@1, then coverage, diversity and maj@k for each k */
	v = sc->values + (size_t)index * (size_t)sc->ncols;
	sc->n[index] = t->n;
	rc = cs_pass1_values(t, 1, &v[0], NULL, err);
	for (int j = 0; rc == CS_OK && j < opt->nk; j++) {
		enum cs_maj_method used = CS_MAJ_NONE;
		int k = opt->ks[j];

		rc = cs_coverage_values(t, 1, k, &v[1 + 3 * j], NULL, err);
		if (rc == CS_OK)
			rc = cs_diversity_values(t, 1, k, &v[2 + 3 * j], NULL, err);
		/* the Monte Carlo stream of a problem is its position in the run, whatever the slice */
		if (rc == CS_OK)
			rc = cs_maj_one(t, k, &sc->maj, (uint64_t)index, &v[3 + 3 * j], &used, err);
		sc->method[(size_t)index * (size_t)(opt->nk + 1) + (size_t)j] = (unsigned char)used;
	}
	return rc;
}

int cs_scored_problem_fn(void *ctx, int index, const struct cs_tally *t, struct cs_err *err)
{
	return cs_scored_add(ctx, index, t, err);
}

/* The rows of the problems members[0..np-1] of d (a slice), from their values in sc. */
static int score_slice(const struct cs_run_data *d, const struct cs_scored *sc, const char *slice,
		       const int *members, int np, struct cs_rows *rows, struct cs_err *err)
{
	const struct cs_score_opts *opt = sc->opt;
	int ncols = sc->ncols;
	double *values = malloc((size_t)ncols * ((size_t)np + 1) * sizeof *values);
	const double **columns = malloc((size_t)ncols * sizeof *columns);
	int *col_of = malloc((size_t)ncols * sizeof *col_of);
	struct cs_interval *iv = malloc((size_t)ncols * sizeof *iv);
	struct cs_metric_summary *sum = calloc((size_t)ncols, sizeof *sum);
	int *n_exact = calloc((size_t)opt->nk + 1, sizeof *n_exact);
	int *n_mc = calloc((size_t)opt->nk + 1, sizeof *n_mc);
	struct cs_boot_opts boot;
	char options[256];
	int used = 0;
	int rc = CS_OK;

	if (!values || !columns || !col_of || !iv || !sum || !n_exact || !n_mc) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	/* the slice's values column by column, as the bootstrap wants them */
	for (int c = 0; c < ncols; c++) {
		for (int i = 0; i < np; i++)
			values[(size_t)c * np + i] = sc->values[(size_t)members[i] * ncols + c];
		cs_summarise(values + (size_t)c * np, np, &sum[c]);
	}
	for (int i = 0; i < np; i++) {
		for (int j = 0; j < opt->nk; j++) {
			unsigned char m = sc->method[(size_t)members[i] * (size_t)(opt->nk + 1) + (size_t)j];
			n_exact[j] += m == CS_MAJ_EXACT;
			n_mc[j] += m == CS_MAJ_MONTE_CARLO;
		}
	}
	cs_boot_default_opts(&boot, opt->seed);
	boot.replicates = opt->replicates;
	boot.level = opt->ci;
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
			if (c == 0 || sc->n[members[i]] >= opt->ks[j])
				samples += sc->n[members[i]];
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
			if (n_mc[j] == 0)
				snprintf(maj_options, sizeof maj_options, "%s;maj=exact;ties=fraction_correct", options);
			else
				snprintf(maj_options, sizeof maj_options, "%s;maj=exact:%d+monte_carlo:%d(draws=%d);"
					 "ties=fraction_correct", options, n_exact[j], n_mc[j], sc->maj.mc_draws);
			row.options = maj_options;
		}
		rc = cs_rows_add(rows, &row, err);
	}
done:
	free(values);
	free(columns);
	free(col_of);
	free(iv);
	free(sum);
	free(n_exact);
	free(n_mc);
	return rc;
}

/* "KEY=value" for the run's tag KEY (see cs_tag_find; the value whole, however long), or "KEY=none", as a
 * new string; NULL when out of memory. */
static char *tag_slice(const char *tags, const char *key)
{
	size_t len;
	const char *value = cs_tag_find(tags, key, &len);
	size_t size = strlen(key) + (value ? len : 4) + 2;
	char *label = malloc(size);

	if (label != NULL)
		snprintf(label, size, "%s=%.*s", key, (int)(value ? len : 4), value ? value : "none");
	return label;
}

/* The slice label of problem p under --by, as a new string; NULL when out of memory. */
static char *slice_of(const struct cs_run_data *d, const char *by, int p)
{
	char buf[300];

	if (strncmp(by, "tag:", 4) == 0)
		return tag_slice(d->tags, by + 4);
	if (strcmp(by, "subject") == 0)
		snprintf(buf, sizeof buf, "subject=%s", d->subjects[p] ? d->subjects[p] : "unknown");
	else if (strcmp(by, "level") == 0 && d->levels[p] > 0)
		snprintf(buf, sizeof buf, "level=%d", d->levels[p]);
	else if (strcmp(by, "level") == 0)
		snprintf(buf, sizeof buf, "level=unknown");
	else
		snprintf(buf, sizeof buf, "dataset=%s", d->dataset);
	return strdup(buf);
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

int cs_score_rows(const struct cs_run_data *d, const struct cs_scored *sc, struct cs_rows *rows, struct cs_err *err)
{
	const struct cs_score_opts *opt = sc->opt;
	int *members = malloc(((size_t)d->np + 1) * sizeof *members);
	char **labels = calloc((size_t)d->np + 1, sizeof *labels);
	char **distinct = calloc((size_t)d->np + 1, sizeof *distinct);
	int ndistinct = 0;
	int rc = CS_OK;

	if (members == NULL || labels == NULL || distinct == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (sc->np != d->np) {
		rc = cs_fail(err, CS_INTERNAL, "%d of %d problems scored", sc->np, d->np);
		goto done;
	}
	if (!cs_score_by_valid(opt->by)) {
		rc = cs_fail(err, CS_USAGE, "--by is subject, level, dataset or tag:KEY, not '%s'", opt->by);
		goto done;
	}
	for (int p = 0; p < d->np; p++)
		members[p] = p;
	rc = score_slice(d, sc, "all", members, d->np, rows, err);
	if (rc != CS_OK || opt->by == NULL)
		goto done;
	for (int p = 0; p < d->np; p++) {
		labels[p] = slice_of(d, opt->by, p);
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
		rc = score_slice(d, sc, distinct[s], members, n, rows, err);
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

int cs_score_run(const struct cs_run_data *d, const struct cs_score_opts *opt, struct cs_rows *rows,
		 struct cs_err *err)
{
	struct cs_scored sc;
	int rc = CS_OK;

	cs_scored_init(&sc, opt);
	for (int p = 0; p < d->np && rc == CS_OK; p++)
		rc = cs_scored_add(&sc, p, &d->tallies[p], err);
	if (rc == CS_OK)
		rc = cs_score_rows(d, &sc, rows, err);
	cs_scored_free(&sc);
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
