/* Computing the data-quality and finetuning tables from the store with score/pair.c, store/fpr.c and the
 * bootstrap of metrics/. */
#include "score/tables.h"
#include "store/fpr.h"
#include "store/tallies.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Both runs' false-positive rates from the same judge: judge, or (NULL) the first in name order who judged
 * both, as in pair; rates of nothing judged (NaN) when there is none. */
static int common_fpr(struct cs_store *st, const char *wc, const char *se, const char *judge, double level,
		      struct cs_dq_fpr *f, struct cs_err *err)
{
	struct cs_fpr_row w = { 0 }, s = { 0 };
	char used[256];
	int found = 0;
	int rc = cs_fpr_common_judge(st, wc, se, judge, &found, used, sizeof used, &w, &s, err);

	if (rc == CS_OK)
		rc = cs_fpr_compute(found ? w.judged : 0, found ? w.wrong : 0, level, &f->wc, err);
	if (rc == CS_OK)
		rc = cs_fpr_compute(found ? s.judged : 0, found ? s.wrong : 0, level, &f->se, err);
	return rc;
}

/* WC - SE with Newcombe's interval, and the relative gain. */
static void fpr_diff(struct cs_dq_fpr *f)
{
	cs_newcombe_diff(&f->wc, &f->se, &f->diff, &f->diff_lo, &f->diff_hi);
	f->gain = !isnan(f->diff) && f->se.rate != 0.0 ? f->diff / f->se.rate : NAN;
}

static int one_pair(struct cs_store *st, const char *wc_name, const char *se_name, const int *ks, int nb,
		    enum cs_pair_match match, const char *judge, const struct cs_score_opts *opt, struct cs_dq_block *b,
		    struct cs_err *err)
{
	struct cs_run_data wc = { 0 }, se = { 0 };
	struct cs_pair_result res = { 0 };
	char options[256], ds[300];
	int rc;

	rc = cs_run_data_load(st, wc_name, opt->unique, &wc, err);
	if (rc == CS_OK)
		rc = cs_run_data_load(st, se_name, opt->unique, &se, err);
	if (rc == CS_OK && (match == CS_PAIR_TOKENS || match == CS_PAIR_PRICE))
		rc = cs_run_mean_tokens(st, &wc, err);
	if (rc == CS_OK && (match == CS_PAIR_TOKENS || match == CS_PAIR_PRICE))
		rc = cs_run_mean_tokens(st, &se, err);
	if (rc != CS_OK)
		goto done;
	b->coverage = calloc((size_t)nb, sizeof *b->coverage);
	b->diversity = calloc((size_t)nb, sizeof *b->diversity);
	if (strcmp(wc.dataset, se.dataset) == 0)
		snprintf(ds, sizeof ds, "%s", wc.dataset);
	else
		snprintf(ds, sizeof ds, "%s / %s", wc.dataset, se.dataset);
	cs_score_options(opt, wc.grader_versions, options, sizeof options);
	b->dataset = strdup(ds);
	b->wc_run = strdup(wc.name);
	b->wc_model = strdup(wc.model);
	b->se_run = strdup(se.name);
	b->se_model = strdup(se.model);
	b->options = strdup(options);
	if (!b->coverage || !b->diversity || !b->dataset || !b->wc_run || !b->wc_model || !b->se_run ||
	    !b->se_model || !b->options) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	/* one comparison per budget: the bootstrap depends only on the seed and the problems, so each figure
	 * is the one `coseval pair` prints for the same budget */
	for (int i = 0; i < nb && rc == CS_OK; i++) {
		rc = cs_pair_compare(&wc, &se, &ks[i], 1, match, opt, &res, err);
		if (rc != CS_OK)
			break;
		for (int r = 0; r < res.count; r++) {
			if (strcmp(res.rows[r].metric, "coverage") == 0)
				b->coverage[i] = res.rows[r];
			else if (strcmp(res.rows[r].metric, "diversity") == 0)
				b->diversity[i] = res.rows[r];
		}
		b->shared = res.shared;
		cs_pair_result_free(&res);
	}
	if (rc == CS_OK)
		rc = common_fpr(st, wc.name, se.name, judge, opt->ci, &b->fpr, err);
	if (rc == CS_OK)
		fpr_diff(&b->fpr);
done:
	cs_pair_result_free(&res);
	cs_run_data_free(&wc);
	cs_run_data_free(&se);
	return rc;
}

static void block_free(struct cs_dq_block *b)
{
	free(b->dataset);
	free(b->wc_run);
	free(b->wc_model);
	free(b->se_run);
	free(b->se_model);
	free(b->coverage);
	free(b->diversity);
	free(b->options);
}

int cs_table_data(struct cs_store *st, const char *const *wc, const char *const *se, int npairs,
		  const char *const *budget_names, const int *budget_ks, int nb, enum cs_pair_match match,
		  const char *judge, const struct cs_score_opts *opt, struct cs_dq_table *out, struct cs_err *err)
{
	struct cs_dq_block *raw = calloc((size_t)npairs + 1, sizeof *raw);
	int *done = calloc((size_t)npairs + 1, sizeof *done);
	int rc = CS_OK;

	memset(out, 0, sizeof *out);
	out->blocks = calloc((size_t)npairs + 1, sizeof *out->blocks);
	out->nbudgets = nb;
	out->budget_names = budget_names;
	out->budget_ks = budget_ks;
	out->match = match;
	out->judge = judge;
	if (raw == NULL || done == NULL || out->blocks == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto fail;
	}
	for (int i = 0; i < npairs; i++) {
		rc = one_pair(st, wc[i], se[i], budget_ks, nb, match, judge, opt, &raw[i], err);
		if (rc != CS_OK) {
			for (int j = 0; j <= i; j++)
				block_free(&raw[j]);
			goto fail;
		}
	}
	/* group by dataset, in order of first appearance */
	for (int i = 0; i < npairs; i++) {
		if (done[i])
			continue;
		for (int j = i; j < npairs; j++)
			if (!done[j] && strcmp(raw[j].dataset, raw[i].dataset) == 0) {
				out->blocks[out->count++] = raw[j];
				done[j] = 1;
			}
	}
	free(raw);
	free(done);
	return CS_OK;
fail:
	free(raw);
	free(done);
	free(out->blocks);
	out->blocks = NULL;
	return rc;
}

void cs_dq_table_free(struct cs_dq_table *t)
{
	for (int i = 0; i < t->count; i++)
		block_free(&t->blocks[i]);
	free(t->blocks);
	t->blocks = NULL;
	t->count = 0;
}

/* The value of tag key in tags (see cs_tag_find), whole, as a new string in *value; NULL when the run has no
 * such tag. Returns 0, or -1 when out of memory. */
static int tag_value(const char *tags, const char *key, char **value)
{
	size_t len;
	const char *found = cs_tag_find(tags, key, &len);

	*value = found ? strndup(found, len) : NULL;
	return found != NULL && *value == NULL ? -1 : 0;
}

/* Whether tags has every KEY=VALUE of where (NULL: yes): items are separated by commas, and in a value "\,"
 * stands for a comma and "\\" for a backslash. Returns 1 or 0; -1 when an item has no '=' (*bad: 1) or when
 * out of memory (*bad: 0). */
static int tags_match(const char *tags, const char *where, int *bad)
{
	const char *s = where;
	char *item;
	int result = 1;

	*bad = 0;
	if (where == NULL)
		return 1;
	item = malloc(strlen(where) + 1);
	if (item == NULL)
		return -1;
	while (*s && result == 1) {
		size_t n = 0, len;
		const char *have;
		char *eq;

		for (; *s && *s != ','; s++) {
			if (*s == '\\' && (s[1] == ',' || s[1] == '\\'))
				s++;
			item[n++] = *s;
		}
		if (*s == ',')
			s++;
		item[n] = '\0';
		eq = strchr(item, '=');
		if (eq == NULL || eq == item) {
			*bad = 1;
			result = -1;
			break;
		}
		*eq = '\0';
		have = cs_tag_find(tags, item, &len);
		result = have != NULL && len == strlen(eq + 1) && memcmp(have, eq + 1, len) == 0;
	}
	free(item);
	return result;
}

/* Index of value in list[0..*n), appending a copy when absent; -1 when out of memory. */
static int intern(char ***list, int *n, const char *value)
{
	char **grown;

	for (int i = 0; i < *n; i++)
		if (strcmp((*list)[i], value) == 0)
			return i;
	grown = realloc(*list, ((size_t)*n + 1) * sizeof **list);
	if (grown == NULL)
		return -1;
	*list = grown;
	if ((grown[*n] = strdup(value)) == NULL)
		return -1;
	return (*n)++;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int index_of(char **list, int n, const char *value)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], value) == 0)
			return i;
	return -1;
}

/* Index of the len bytes at value in list[0..n), or -1. */
static int index_of_n(char **list, int n, const char *value, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], value, len) == 0)
			return i;
	return -1;
}

/* Per-problem values of the metric (K = 0: pass@1). values: d->np doubles, caller-owned. */
static int metric_values(const struct cs_run_data *d, int k, double *values, struct cs_metric_summary *sum,
			 struct cs_err *err)
{
	if (k == 0)
		return cs_pass1_values(d->tallies, d->np, values, sum, err);
	return cs_coverage_values(d->tallies, d->np, k, values, sum, err);
}

/* The two columns of a ratio-of-sums statistic: sum w a / sum w b - 1 over problems valid in both. */
struct ratio_ctx {
	const double *a, *b;
};

static int ratio_stat(const int *weight, int np, void *ctx, double *value, struct cs_err *err)
{
	const struct ratio_ctx *c = ctx;
	double sa = 0, sb = 0;

	(void)err;
	for (int i = 0; i < np; i++)
		if (weight[i] > 0 && !isnan(c->a[i]) && !isnan(c->b[i])) {
			sa += weight[i] * c->a[i];
			sb += weight[i] * c->b[i];
		}
	*value = sb > 0 ? sa / sb - 1.0 : NAN;
	return CS_OK;
}

/* The gain of run a over run b on their shared problems. */
static int row_gain(const struct cs_run_data *a, const struct cs_run_data *b, int k, const struct cs_boot_opts *boot,
		    struct cs_ft_gain *g, struct cs_err *err)
{
	double *va = malloc(((size_t)a->np + 1) * sizeof *va), *vb = malloc(((size_t)b->np + 1) * sizeof *vb);
	double *sa = malloc(((size_t)a->np + 1) * sizeof *sa), *sb = malloc(((size_t)a->np + 1) * sizeof *sb);
	struct cs_metric_summary sum;
	struct cs_paired paired;
	struct ratio_ctx ctx;
	int np = 0, i = 0, j = 0, rc;

	if (!va || !vb || !sa || !sb) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = metric_values(a, k, va, &sum, err);
	if (rc == CS_OK)
		rc = metric_values(b, k, vb, &sum, err);
	if (rc != CS_OK)
		goto done;
	while (i < a->np && j < b->np) {
		if (a->problem_ids[i] < b->problem_ids[j])
			i++;
		else if (b->problem_ids[j] < a->problem_ids[i])
			j++;
		else {
			sa[np] = va[i++];
			sb[np++] = vb[j++];
		}
	}
	g->problems = 0;
	for (int p = 0; p < np; p++)
		g->problems += !isnan(sa[p]) && !isnan(sb[p]);
	if (g->problems == 0) {
		rc = cs_fail(err, CS_INPUT, "runs '%s' and '%s' have no problem with a value in common", a->name, b->name);
		goto done;
	}
	rc = cs_bootstrap_paired(sb, sa, np, 0.0, boot, &paired, err);
	if (rc != CS_OK)
		goto done;
	g->diff = paired.diff;
	ctx.a = sa;
	ctx.b = sb;
	rc = cs_bootstrap_stat(ratio_stat, &ctx, np, boot, &g->rel, err);
	g->present = rc == CS_OK;
done:
	free(va);
	free(vb);
	free(sa);
	free(sb);
	return rc;
}

int cs_table_finetune(struct cs_store *st, const struct cs_ft_opts *opt, struct cs_ft_table *out,
		      struct cs_err *err)
{
	static const char sql[] =
		"SELECT r.name, COALESCE((SELECT group_concat(key || '=' || value, " CS_TAG_SEP_SQL ") FROM "
		"  (SELECT key, value FROM run_tags t WHERE t.run_id = r.id ORDER BY key)), '') FROM runs r ORDER BY r.name";
	sqlite3_stmt *stmt = NULL;
	struct cs_run_data *runs = NULL;
	int *rowi = NULL, nruns = 0, cap = 0, k = 0, ga = -1, gb = -1;
	struct cs_boot_opts boot;
	char options[256];
	int rc;

	memset(out, 0, sizeof *out);
	if (strcmp(opt->metric, "pass@1") == 0) {
		k = 0;
	} else if (strncmp(opt->metric, "coverage@", 9) == 0) {
		char *end;
		long v = strtol(opt->metric + 9, &end, 10);
		if (*end != '\0' || end == opt->metric + 9 || v < 1 || v > 1000000)
			return cs_fail(err, CS_USAGE, "--metric is pass@1 or coverage@K, not '%s'", opt->metric);
		k = (int)v;
	} else {
		return cs_fail(err, CS_USAGE, "--metric is pass@1 or coverage@K, not '%s'", opt->metric);
	}
	out->metric = strdup(opt->metric);
	out->rows_tag = strdup(opt->rows_tag);
	out->cols_tag = strdup(opt->cols_tag);
	if (!out->metric || !out->rows_tag || !out->cols_tag) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = cs_store_prepare(st, sql, &stmt, err);
	if (rc != CS_OK)
		goto done;
	/* the runs that carry both tags (and the --where tags), loaded */
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);
		const char *tags = (const char *)sqlite3_column_text(stmt, 1);
		char *rv = NULL, *cv = NULL;
		size_t ignored;
		int wanted = opt->nruns == 0, match, bad;

		for (int i = 0; i < opt->nruns; i++)
			wanted |= strcmp(opt->runs[i], name) == 0;
		if (!wanted || cs_tag_find(tags, opt->rows_tag, &ignored) == NULL ||
		    cs_tag_find(tags, opt->cols_tag, &ignored) == NULL)
			continue;
		match = tags_match(tags, opt->where, &bad);
		if (match < 0) {
			rc = bad ? cs_fail(err, CS_USAGE, "--where wants KEY=VALUE[,KEY=VALUE] (write a comma in a value as "
					   "\\,), not '%s'", opt->where) : cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		if (!match)
			continue;
		if (nruns == cap) {
			struct cs_run_data *g = realloc(runs, (size_t)(cap = cap ? 2 * cap : 8) * sizeof *runs);
			if (g == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			runs = g;
		}
		memset(&runs[nruns], 0, sizeof *runs);
		rc = cs_run_data_load(st, name, CS_UNIQUE_EXACT, &runs[nruns], err);
		nruns++;
		if (rc != CS_OK)
			goto done;
		if (tag_value(tags, opt->rows_tag, &rv) != 0 || tag_value(tags, opt->cols_tag, &cv) != 0 ||
		    intern(&out->row_values, &out->nrows, rv) < 0 || intern(&out->col_values, &out->ncols, cv) < 0) {
			free(rv);
			free(cv);
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		free(rv);
		free(cv);
	}
	if (rc != SQLITE_DONE) {
		rc = cs_store_fail(st, "listing runs", err);
		goto done;
	}
	rc = CS_OK;
	if (nruns == 0) {
		rc = cs_fail(err, CS_INPUT, "no run has both tags '%s' and '%s'%s%s (import samples with --tag KEY=VALUE)",
			     opt->rows_tag, opt->cols_tag, opt->where ? " and " : "", opt->where ? opt->where : "");
		goto done;
	}
	qsort(out->row_values, (size_t)out->nrows, sizeof *out->row_values, compare_strings);
	qsort(out->col_values, (size_t)out->ncols, sizeof *out->col_values, compare_strings);
	out->cells = calloc((size_t)out->nrows * (size_t)out->ncols, sizeof *out->cells);
	rowi = calloc((size_t)out->nrows * (size_t)out->ncols, sizeof *rowi);
	if (out->cells == NULL || rowi == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	cs_boot_default_opts(&boot, opt->score.seed);
	boot.replicates = opt->score.replicates;
	boot.level = opt->score.ci;
	for (int r = 0; r < nruns; r++) {
		size_t rlen, clen;
		const char *rv = cs_tag_find(runs[r].tags, opt->rows_tag, &rlen);
		const char *cv = cs_tag_find(runs[r].tags, opt->cols_tag, &clen);
		int ri, ci;
		struct cs_ft_cell *cell;
		struct cs_metric_summary sum;
		double *v;

		ri = index_of_n(out->row_values, out->nrows, rv, rlen);
		ci = index_of_n(out->col_values, out->ncols, cv, clen);
		cell = &out->cells[ri * out->ncols + ci];
		if (cell->run != NULL) {
			rc = cs_fail(err, CS_INPUT, "runs '%s' and '%s' both have %s=%.*s and %s=%.*s: choose with --where "
				     "KEY=VALUE or --runs", cell->run, runs[r].name, opt->rows_tag, (int)rlen, rv, opt->cols_tag,
				     (int)clen, cv);
			goto done;
		}
		rowi[ri * out->ncols + ci] = r;
		if ((cell->run = strdup(runs[r].name)) == NULL || (v = malloc(((size_t)runs[r].np + 1) * sizeof *v)) == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		rc = metric_values(&runs[r], k, v, &sum, err);
		cell->excluded = sum.n_excluded;
		cell->v.point = cell->v.lo = cell->v.hi = NAN;
		if (rc == CS_OK && sum.n_used > 0)
			rc = cs_bootstrap_mean(v, runs[r].np, &boot, &cell->v, err);
		free(v);
		if (rc != CS_OK)
			goto done;
	}
	/* the gain column */
	if (opt->gain != NULL) {
		char a[512];
		const char *colon = strchr(opt->gain, ':');
		if (colon == NULL || colon == opt->gain || colon[1] == '\0') {
			rc = cs_fail(err, CS_USAGE, "--gain wants A:B (two values of tag '%s'), not '%s'", opt->cols_tag,
				     opt->gain);
			goto done;
		}
		snprintf(a, sizeof a, "%.*s", (int)(colon - opt->gain), opt->gain);
		ga = index_of(out->col_values, out->ncols, a);
		gb = index_of(out->col_values, out->ncols, colon + 1);
		if (ga < 0 || gb < 0) {
			rc = cs_fail(err, CS_INPUT, "--gain %s: no run has %s=%s", opt->gain, opt->cols_tag, ga < 0 ? a : colon + 1);
			goto done;
		}
	} else {
		ga = index_of(out->col_values, out->ncols, "wc");
		gb = index_of(out->col_values, out->ncols, "se");
	}
	if (ga >= 0 && gb >= 0 && ga != gb) {
		out->gain_a = strdup(out->col_values[ga]);
		out->gain_b = strdup(out->col_values[gb]);
		out->gains = calloc((size_t)out->nrows, sizeof *out->gains);
		if (!out->gain_a || !out->gain_b || !out->gains) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		for (int r = 0; r < out->nrows && rc == CS_OK; r++) {
			const struct cs_ft_cell *ca = &out->cells[r * out->ncols + ga], *cb = &out->cells[r * out->ncols + gb];
			if (ca->run != NULL && cb->run != NULL)
				rc = row_gain(&runs[rowi[r * out->ncols + ga]], &runs[rowi[r * out->ncols + gb]], k, &boot,
					      &out->gains[r], err);
		}
		if (rc != CS_OK)
			goto done;
	}
	snprintf(options, sizeof options, "metric=%s;rows=%s;cols=%s;ci=%g;bootstrap=%d;seed=%llu;grader=%s",
		 opt->metric, opt->rows_tag, opt->cols_tag, opt->score.ci, opt->score.replicates,
		 (unsigned long long)opt->score.seed, runs[0].grader_versions);
	out->options = strdup(options);
	if (out->options == NULL)
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
done:
	sqlite3_finalize(stmt);
	for (int r = 0; r < nruns; r++)
		cs_run_data_free(&runs[r]);
	free(runs);
	free(rowi);
	if (rc != CS_OK)
		cs_ft_table_free(out);
	return rc;
}

void cs_ft_table_free(struct cs_ft_table *t)
{
	for (int i = 0; i < t->nrows; i++)
		free(t->row_values[i]);
	for (int i = 0; i < t->ncols; i++)
		free(t->col_values[i]);
	if (t->cells != NULL)
		for (int i = 0; i < t->nrows * t->ncols; i++)
			free(t->cells[i].run);
	free(t->row_values);
	free(t->col_values);
	free(t->cells);
	free(t->gains);
	free(t->metric);
	free(t->rows_tag);
	free(t->cols_tag);
	free(t->gain_a);
	free(t->gain_b);
	free(t->options);
	memset(t, 0, sizeof *t);
}
