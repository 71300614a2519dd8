/* Aligning the shared problems of a WC-SE pair and computing their coverage classes at each matched budget,
 * with expected counts per slice (metrics/classes.c). */
#include "score/pair_problems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Appends the slice (budget b, the m problems of subset, or all when subset is NULL) to out. */
static int add_slice(struct cs_pp_result *out, int b, const char *name, const int *subset, int m,
		     const struct cs_boot_opts *boot, struct cs_err *err)
{
	struct cs_pp_budget *bu = &out->budgets[b];
	struct cs_pp_slice *s = &out->slices[out->nslices];
	const double *cols[CS_CLASS_COUNT];
	double wsum = 0.0, ssum = 0.0;
	int rc;

	for (int c = 0; c < CS_CLASS_COUNT; c++)
		cols[c] = bu->probs[c];
	memset(s, 0, sizeof *s);
	s->name = strdup(name);
	if (s->name == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	out->nslices++;
	s->budget = b;
	s->problems = m;
	rc = cs_class_counts(cols, out->np, subset, m, boot, s->count, err);
	for (int i = 0; i < m; i++) {
		int p = subset ? subset[i] : i;
		wsum += bu->p_wc[p];
		ssum += bu->p_se[p];
	}
	s->wc_coverage = wsum / m;
	s->se_coverage = ssum / m;
	return rc;
}

/* The slices of budget b: all, by level, by subject. */
static int slices_of_budget(struct cs_pp_result *out, int b, const struct cs_boot_opts *boot, struct cs_err *err)
{
	int np = out->np, nlev = 0, nsub = 0, has_level = 0, has_subject = 0, rc;
	int *levels = malloc((size_t)np * sizeof *levels), *subset = malloc((size_t)np * sizeof *subset);
	const char **subjects = malloc((size_t)np * sizeof *subjects);
	char name[300];

	if (levels == NULL || subset == NULL || subjects == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = add_slice(out, b, "all", NULL, np, boot, err);
	for (int i = 0; i < np; i++) {
		has_level |= out->problems[i].level != 0;
		has_subject |= out->problems[i].subject != NULL;
		levels[i] = out->problems[i].level;
		subjects[i] = out->problems[i].subject ? out->problems[i].subject : "";
	}
	/* distinct levels ascending (0, unknown, first), distinct subjects in text order ("" unknown first) */
	qsort(levels, (size_t)np, sizeof *levels, cmp_int);
	qsort(subjects, (size_t)np, sizeof *subjects, cmp_str);
	for (int i = 0; i < np; i++) {
		if (i == 0 || levels[i] != levels[nlev - 1])
			levels[nlev++] = levels[i];
		if (i == 0 || strcmp(subjects[i], subjects[nsub - 1]) != 0)
			subjects[nsub++] = subjects[i];
	}
	for (int l = 0; has_level && l < nlev && rc == CS_OK; l++) {
		int m = 0;
		for (int i = 0; i < np; i++)
			if (out->problems[i].level == levels[l])
				subset[m++] = i;
		if (levels[l] == 0)
			snprintf(name, sizeof name, "level=unknown");
		else
			snprintf(name, sizeof name, "level=%d", levels[l]);
		rc = add_slice(out, b, name, subset, m, boot, err);
	}
	for (int s = 0; has_subject && s < nsub && rc == CS_OK; s++) {
		int m = 0;
		for (int i = 0; i < np; i++) {
			const char *subj = out->problems[i].subject ? out->problems[i].subject : "";
			if (strcmp(subj, subjects[s]) == 0)
				subset[m++] = i;
		}
		snprintf(name, sizeof name, "subject=%s", subjects[s][0] ? subjects[s] : "unknown");
		rc = add_slice(out, b, name, subset, m, boot, err);
	}
done:
	free(levels);
	free(subset);
	free(subjects);
	return rc;
}

int cs_pair_problems(const struct cs_run_data *wc, const struct cs_run_data *se, const struct cs_pair_result *pair,
		     const struct cs_score_opts *opt, struct cs_pp_result *out, struct cs_err *err)
{
	struct cs_boot_opts boot;
	int cap = wc->np < se->np ? wc->np : se->np, nb = 0, rc = CS_OK;
	int *wi = malloc(((size_t)cap + 1) * sizeof *wi), *si = malloc(((size_t)cap + 1) * sizeof *si);

	memset(out, 0, sizeof *out);
	for (int r = 0; r < pair->count; r++)
		nb += strcmp(pair->rows[r].metric, "coverage") == 0;
	out->problems = calloc((size_t)cap + 1, sizeof *out->problems);
	out->budgets = calloc((size_t)nb + 1, sizeof *out->budgets);
	if (out->problems == NULL || out->budgets == NULL || wi == NULL || si == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	/* the shared problems, in problems.id order as cs_pair_compare walks them */
	out->np = cs_run_data_shared(wc, se, wi, si);
	for (int k = 0; k < out->np; k++) {
		struct cs_pp_problem *p = &out->problems[k];
		int a = wi[k], b = si[k];

		p->key = wc->problem_keys[a];
		p->subject = wc->subjects ? wc->subjects[a] : NULL;
		p->level = wc->levels ? wc->levels[a] : 0;
		p->wc_n = wc->tallies[a].n;
		p->wc_c = cs_tally_correct(&wc->tallies[a]);
		p->se_n = se->tallies[b].n;
		p->se_c = cs_tally_correct(&se->tallies[b]);
	}
	if (out->np == 0) {
		rc = cs_fail(err, CS_INPUT, "runs '%s' and '%s' have no problem in common", wc->name, se->name);
		goto done;
	}
	for (int r = 0; r < pair->count && rc == CS_OK; r++) {
		struct cs_pp_budget *b;

		if (strcmp(pair->rows[r].metric, "coverage") != 0)
			continue;
		b = &out->budgets[out->nb++];
		b->se_k = pair->rows[r].se_k;
		b->wc_k = pair->rows[r].wc_k;
		b->ratio = pair->rows[r].ratio;
		b->p_wc = malloc((size_t)out->np * sizeof *b->p_wc);
		b->p_se = malloc((size_t)out->np * sizeof *b->p_se);
		b->top = malloc((size_t)out->np * sizeof *b->top);
		for (int c = 0; c < CS_CLASS_COUNT; c++)
			b->probs[c] = malloc((size_t)out->np * sizeof *b->probs[c]);
		if (!b->p_wc || !b->p_se || !b->top || !b->probs[0] || !b->probs[1] || !b->probs[2] || !b->probs[3]) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			break;
		}
		for (int p = 0; p < out->np && rc == CS_OK; p++) {
			const struct cs_pp_problem *q = &out->problems[p];
			struct cs_class_input in = { q->wc_n, q->wc_c, b->wc_k, q->se_n, q->se_c, b->se_k };
			double probs[CS_CLASS_COUNT];

			rc = cs_class_problem(&in, &b->p_wc[p], &b->p_se[p], probs, err);
			if (rc != CS_OK) {
				rc = cs_fail(err, CS_INPUT, "problem '%s': WC budget %d of %d samples, SE budget %d of %d",
					     q->key, b->wc_k, q->wc_n, b->se_k, q->se_n);
				break;
			}
			for (int c = 0; c < CS_CLASS_COUNT; c++)
				b->probs[c][p] = probs[c];
			b->top[p] = cs_class_top(probs);
		}
	}
	if (rc != CS_OK)
		goto done;
	/* at most 1 + levels + subjects slices per budget, each at most one per problem */
	out->slices = calloc((size_t)out->nb * (2 * (size_t)out->np + 1), sizeof *out->slices);
	if (out->slices == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	cs_boot_default_opts(&boot, opt->seed);
	boot.replicates = opt->replicates;
	boot.level = opt->ci;
	out->level = opt->ci;
	for (int b = 0; b < out->nb && rc == CS_OK; b++)
		rc = slices_of_budget(out, b, &boot, err);
done:
	free(wi);
	free(si);
	if (rc != CS_OK)
		cs_pp_result_free(out);
	return rc;
}

void cs_pp_result_free(struct cs_pp_result *r)
{
	for (int b = 0; r->budgets != NULL && b < r->nb; b++) {
		free(r->budgets[b].p_wc);
		free(r->budgets[b].p_se);
		free(r->budgets[b].top);
		for (int c = 0; c < CS_CLASS_COUNT; c++)
			free(r->budgets[b].probs[c]);
	}
	for (int s = 0; r->slices != NULL && s < r->nslices; s++)
		free(r->slices[s].name);
	free(r->problems);
	free(r->budgets);
	free(r->slices);
	memset(r, 0, sizeof *r);
}
