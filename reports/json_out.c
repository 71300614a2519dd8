/* Building and writing the JSON document of a report: the head, the rows of each result, the numbers. */
#include "json_out.h"
#include "csvout.h"
#include "grade/grade.h"

#include <math.h>
#include <stdlib.h>

cJSON *cs_json_doc_new(const char *command, const char *database)
{
	cJSON *doc = cJSON_CreateObject();
	int bad = doc == NULL;

	if (!bad) {
		bad |= cJSON_AddStringToObject(doc, "coseval_version", COSEVAL_VERSION) == NULL;
		bad |= cJSON_AddStringToObject(doc, "grader_version", CS_GRADER_VERSION) == NULL;
		bad |= cJSON_AddStringToObject(doc, "command", command) == NULL;
		bad |= cJSON_AddItemToObject(doc, "database", database ? cJSON_CreateString(database)
								       : cJSON_CreateNull()) == 0;
		bad |= cJSON_AddObjectToObject(doc, "options") == NULL;
		bad |= cJSON_AddArrayToObject(doc, "runs") == NULL;
		bad |= cJSON_AddArrayToObject(doc, "rows") == NULL;
	}
	if (bad) {
		cJSON_Delete(doc);
		return NULL;
	}
	return doc;
}

cJSON *cs_json_num(double v)
{
	char buf[40];

	if (isnan(v) || isinf(v))
		return cJSON_CreateNull();
	cs_num_text(v, buf, sizeof buf);
	return cJSON_CreateRaw(buf);
}

int cs_json_add_num(cJSON *obj, const char *name, double v)
{
	cJSON *item = cs_json_num(v);

	if (item == NULL)
		return -1;
	if (!cJSON_AddItemToObject(obj, name, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

/* Adds name: k, or null when k is 0 (no k). 0 or -1. */
static int add_k(cJSON *obj, const char *name, int k)
{
	if (k <= 0)
		return cJSON_AddNullToObject(obj, name) == NULL ? -1 : 0;
	return cJSON_AddNumberToObject(obj, name, k) == NULL ? -1 : 0;
}

/* Adds prefix, prefix_lower and prefix_upper from an interval (fields "" , "_lower", "_upper"). 0 or -1. */
static int add_interval(cJSON *obj, const char *prefix, double point, double lo, double hi)
{
	char name[64];
	int bad = 0;

	snprintf(name, sizeof name, "%s", prefix);
	bad |= cs_json_add_num(obj, name, point);
	snprintf(name, sizeof name, "%s_lower", prefix);
	bad |= cs_json_add_num(obj, name, lo);
	snprintf(name, sizeof name, "%s_upper", prefix);
	bad |= cs_json_add_num(obj, name, hi);
	return bad ? -1 : 0;
}

/* Appends a new object to the document's "rows" and returns it, or NULL when out of memory. */
static cJSON *new_row(cJSON *doc)
{
	cJSON *row = cJSON_CreateObject();

	if (row != NULL && !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "rows"), row)) {
		cJSON_Delete(row);
		return NULL;
	}
	return row;
}

int cs_json_report_rows(cJSON *doc, const struct cs_rows *rows, struct cs_err *err)
{
	int bad = 0;

	for (size_t i = 0; i < rows->count && !bad; i++) {
		const struct cs_row *r = &rows->items[i];
		cJSON *o = new_row(doc);

		if (o == NULL) {
			bad = 1;
			break;
		}
		bad |= cJSON_AddStringToObject(o, "metric", r->metric) == NULL;
		bad |= cJSON_AddStringToObject(o, "run", r->run) == NULL;
		bad |= cJSON_AddStringToObject(o, "model", r->model) == NULL;
		bad |= cJSON_AddStringToObject(o, "slice", r->slice) == NULL;
		bad |= add_k(o, "k", r->k);
		bad |= cs_json_add_num(o, "value", r->value);
		bad |= cs_json_add_num(o, "lower", r->lower);
		bad |= cs_json_add_num(o, "upper", r->upper);
		bad |= cJSON_AddNumberToObject(o, "problems", r->problems) == NULL;
		bad |= cJSON_AddNumberToObject(o, "samples", (double)r->samples) == NULL;
		bad |= cJSON_AddNumberToObject(o, "excluded", r->excluded) == NULL;
		bad |= cJSON_AddStringToObject(o, "options", r->options) == NULL;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

/* The fields of one WC-SE row, as in the CSV of 'coseval pair'. 0 or -1. */
static int pair_fields(cJSON *o, const struct cs_pair_row *row)
{
	int bad = 0;

	bad |= cJSON_AddStringToObject(o, "metric", row->metric) == NULL;
	bad |= add_k(o, "se_k", row->se_k);
	bad |= add_k(o, "wc_k", row->se_k > 0 ? row->wc_k : 0);
	bad |= cs_json_add_num(o, "ratio", row->ratio);
	bad |= add_interval(o, "se", row->se.point, row->se.lo, row->se.hi);
	bad |= add_interval(o, "wc", row->wc.point, row->wc.lo, row->wc.hi);
	bad |= add_interval(o, "diff", row->diff.point, row->diff.lo, row->diff.hi);
	bad |= cs_json_add_num(o, "gain", row->gain);
	bad |= cJSON_AddNumberToObject(o, "problems", row->problems) == NULL;
	return bad ? -1 : 0;
}

int cs_json_pair_rows(cJSON *doc, const struct cs_pair_header *h, const struct cs_pair_result *r,
		      struct cs_err *err)
{
	cJSON *s = cJSON_AddObjectToObject(doc, "summary");
	int bad = s == NULL;

	if (!bad) {
		bad |= cJSON_AddStringToObject(s, "wc_run", h->wc_run) == NULL;
		bad |= cJSON_AddStringToObject(s, "se_run", h->se_run) == NULL;
		bad |= cJSON_AddStringToObject(s, "match", h->match) == NULL;
		bad |= cJSON_AddNumberToObject(s, "shared", r->shared) == NULL;
		bad |= cJSON_AddNumberToObject(s, "wc_only", r->wc_only) == NULL;
		bad |= cJSON_AddNumberToObject(s, "se_only", r->se_only) == NULL;
		bad |= cJSON_AddStringToObject(s, "options", h->options) == NULL;
		if (h->fpr_note != NULL)
			bad |= cJSON_AddStringToObject(s, "fpr_note", h->fpr_note) == NULL;
	}
	for (int i = 0; i < r->count && !bad; i++) {
		cJSON *o = new_row(doc);
		bad |= o == NULL || pair_fields(o, &r->rows[i]) != 0;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

int cs_json_compare_rows(cJSON *doc, const struct cs_compare_header *h, const struct cs_compare_result *r,
			 struct cs_err *err)
{
	cJSON *s = cJSON_AddObjectToObject(doc, "summary");
	int bad = s == NULL;

	if (!bad) {
		bad |= cJSON_AddStringToObject(s, "base_run", h->base_run) == NULL;
		bad |= cJSON_AddStringToObject(s, "cand_run", h->cand_run) == NULL;
		bad |= cJSON_AddNumberToObject(s, "shared", r->shared) == NULL;
		bad |= cJSON_AddNumberToObject(s, "base_only", r->base_only) == NULL;
		bad |= cJSON_AddNumberToObject(s, "cand_only", r->cand_only) == NULL;
		bad |= cs_json_add_num(s, "max_drop", h->max_drop);
		bad |= cs_json_add_num(s, "alpha", h->alpha);
		bad |= cs_json_add_num(s, "ci", h->ci);
		bad |= cJSON_AddNumberToObject(s, "regressions", r->regressions) == NULL;
		bad |= cJSON_AddStringToObject(s, "options", h->options) == NULL;
	}
	for (int i = 0; i < r->count && !bad; i++) {
		const struct cs_compare_row *row = &r->rows[i];
		cJSON *o = new_row(doc);

		if (o == NULL) {
			bad = 1;
			break;
		}
		bad |= cJSON_AddStringToObject(o, "metric", row->metric) == NULL;
		bad |= cJSON_AddStringToObject(o, "slice", row->slice) == NULL;
		bad |= add_interval(o, "base", row->base.point, row->base.lo, row->base.hi);
		bad |= add_interval(o, "cand", row->cand.point, row->cand.lo, row->cand.hi);
		bad |= add_interval(o, "diff", row->paired.diff.point, row->paired.diff.lo, row->paired.diff.hi);
		bad |= cs_json_add_num(o, "p_worse", row->paired.p_worse);
		bad |= cJSON_AddBoolToObject(o, "regression", row->regression) == NULL;
		bad |= cJSON_AddNumberToObject(o, "problems", row->problems) == NULL;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

/* The fields naming one pair of the data-quality table. 0 or -1. */
static int dq_pair_fields(cJSON *o, const struct cs_dq_table *t, const struct cs_dq_block *b)
{
	int bad = 0;

	bad |= cJSON_AddStringToObject(o, "dataset", b->dataset) == NULL;
	bad |= cJSON_AddStringToObject(o, "wc_run", b->wc_run) == NULL;
	bad |= cJSON_AddStringToObject(o, "wc_model", b->wc_model) == NULL;
	bad |= cJSON_AddStringToObject(o, "se_run", b->se_run) == NULL;
	bad |= cJSON_AddStringToObject(o, "se_model", b->se_model) == NULL;
	bad |= cJSON_AddStringToObject(o, "match", cs_pair_match_name(t->match)) == NULL;
	return bad ? -1 : 0;
}

int cs_json_dq_rows(cJSON *doc, const struct cs_dq_table *t, struct cs_err *err)
{
	int bad = 0;

	for (int i = 0; i < t->count && !bad; i++) {
		const struct cs_dq_block *b = &t->blocks[i];
		const struct cs_dq_fpr *p = &b->fpr;
		cJSON *o;

		for (int j = 0; j < t->nbudgets * 2 && !bad; j++) {
			const struct cs_pair_row *row = j % 2 == 0 ? &b->coverage[j / 2] : &b->diversity[j / 2];
			o = new_row(doc);
			bad |= o == NULL || dq_pair_fields(o, t, b) != 0 ||
			       cJSON_AddStringToObject(o, "budget", t->budget_names[j / 2]) == NULL ||
			       pair_fields(o, row) != 0 || cJSON_AddStringToObject(o, "options", b->options) == NULL;
		}
		o = bad ? NULL : new_row(doc);
		if (o == NULL || dq_pair_fields(o, t, b) != 0) {
			bad = 1;
			break;
		}
		bad |= cJSON_AddNullToObject(o, "budget") == NULL;
		bad |= cJSON_AddStringToObject(o, "metric", "fpr") == NULL;
		bad |= add_interval(o, "wc", p->wc.rate, p->wc.lo, p->wc.hi);
		bad |= add_interval(o, "se", p->se.rate, p->se.lo, p->se.hi);
		bad |= add_interval(o, "diff", p->diff, p->diff_lo, p->diff_hi);
		bad |= cs_json_add_num(o, "gain", p->gain);
		bad |= cJSON_AddNumberToObject(o, "wc_judged", (double)p->wc.n_judged) == NULL;
		bad |= cJSON_AddNumberToObject(o, "se_judged", (double)p->se.n_judged) == NULL;
		bad |= cJSON_AddStringToObject(o, "options", b->options) == NULL;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

int cs_json_ft_rows(cJSON *doc, const struct cs_ft_table *t, struct cs_err *err)
{
	cJSON *s = cJSON_AddObjectToObject(doc, "summary");
	int bad = s == NULL;

	if (!bad) {
		bad |= cJSON_AddStringToObject(s, "metric", t->metric) == NULL;
		bad |= cJSON_AddStringToObject(s, "rows_tag", t->rows_tag) == NULL;
		bad |= cJSON_AddStringToObject(s, "cols_tag", t->cols_tag) == NULL;
		bad |= cJSON_AddStringToObject(s, "options", t->options) == NULL;
	}

	for (int r = 0; r < t->nrows && !bad; r++) {
		cJSON *o = new_row(doc), *cells;

		if (o == NULL) {
			bad = 1;
			break;
		}
		bad |= cJSON_AddStringToObject(o, "row", t->row_values[r]) == NULL;
		cells = cJSON_AddObjectToObject(o, "cells");
		bad |= cells == NULL;
		for (int c = 0; c < t->ncols && !bad; c++) {
			const struct cs_ft_cell *x = &t->cells[r * t->ncols + c];
			cJSON *cell;

			if (x->run == NULL) {
				bad |= cJSON_AddNullToObject(cells, t->col_values[c]) == NULL;
				continue;
			}
			cell = cJSON_AddObjectToObject(cells, t->col_values[c]);
			bad |= cell == NULL || add_interval(cell, "value", x->v.point, x->v.lo, x->v.hi) != 0 ||
			       cJSON_AddStringToObject(cell, "run", x->run) == NULL ||
			       cJSON_AddNumberToObject(cell, "excluded", x->excluded) == NULL;
		}
		if (!bad && t->gains != NULL && t->gains[r].present) {
			const struct cs_ft_gain *g = &t->gains[r];
			cJSON *gain = cJSON_AddObjectToObject(o, "gain");
			bad |= gain == NULL || cJSON_AddStringToObject(gain, "a", t->gain_a) == NULL ||
			       cJSON_AddStringToObject(gain, "b", t->gain_b) == NULL ||
			       add_interval(gain, "gain", g->rel.point, g->rel.lo, g->rel.hi) != 0 ||
			       add_interval(gain, "diff", g->diff.point, g->diff.lo, g->diff.hi) != 0 ||
			       cJSON_AddNumberToObject(gain, "problems", g->problems) == NULL;
		} else if (!bad) {
			bad |= cJSON_AddNullToObject(o, "gain") == NULL;
		}
		bad |= cJSON_AddStringToObject(o, "options", t->options) == NULL;
	}
	if (bad)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

int cs_json_write(const cJSON *doc, FILE *out, struct cs_err *err)
{
	char *text = cJSON_Print(doc);
	int bad;

	if (text == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	bad = fputs(text, out) == EOF || fputc('\n', out) == EOF || ferror(out);
	free(text);
	if (bad)
		return cs_fail(err, CS_INTERNAL, "error writing the JSON output");
	return CS_OK;
}
