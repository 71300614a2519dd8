/* Keeping result rows and writing them as CSV or as a text table. */
#include "rows.h"
#include "csvout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_rows_add(struct cs_rows *rows, const struct cs_row *row, struct cs_err *err)
{
	struct cs_row *r;

	if (rows->count == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 64;
		struct cs_row *grown = realloc(rows->items, cap * sizeof *grown);
		if (grown == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		rows->items = grown;
		rows->cap = cap;
	}
	r = &rows->items[rows->count];
	*r = *row;
	r->metric = strdup(row->metric);
	r->run = strdup(row->run);
	r->model = strdup(row->model);
	r->slice = strdup(row->slice);
	r->options = strdup(row->options);
	if (!r->metric || !r->run || !r->model || !r->slice || !r->options) {
		free(r->metric);
		free(r->run);
		free(r->model);
		free(r->slice);
		free(r->options);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	rows->count++;
	return CS_OK;
}

void cs_rows_free(struct cs_rows *rows)
{
	for (size_t i = 0; i < rows->count; i++) {
		struct cs_row *r = &rows->items[i];
		free(r->metric);
		free(r->run);
		free(r->model);
		free(r->slice);
		free(r->options);
	}
	free(rows->items);
	memset(rows, 0, sizeof *rows);
}

int cs_rows_write_csv(const struct cs_rows *rows, FILE *out, struct cs_err *err)
{
	static const char *const header[] = { "metric", "run", "model", "slice", "k", "value", "lower", "upper",
					      "problems", "samples", "excluded", "options" };
	int bad = 0;

	for (size_t i = 0; i < 12; i++)
		bad |= cs_csv_field(out, header[i], i == 11);
	for (size_t i = 0; i < rows->count && !bad; i++) {
		const struct cs_row *r = &rows->items[i];
		char k[16] = "";

		if (r->k > 0)
			snprintf(k, sizeof k, "%d", r->k);
		bad |= cs_csv_field(out, r->metric, 0);
		bad |= cs_csv_field(out, r->run, 0);
		bad |= cs_csv_field(out, r->model, 0);
		bad |= cs_csv_field(out, r->slice, 0);
		bad |= cs_csv_field(out, k, 0);
		bad |= cs_csv_num(out, r->value);
		bad |= cs_csv_num(out, r->lower);
		bad |= cs_csv_num(out, r->upper);
		bad |= cs_csv_long(out, r->problems);
		bad |= cs_csv_long(out, r->samples);
		bad |= cs_csv_long(out, r->excluded);
		bad |= cs_csv_field(out, r->options, 1);
	}
	if (bad || ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the CSV output");
	return CS_OK;
}

int cs_rows_write_table(const struct cs_rows *rows, FILE *out, struct cs_err *err)
{
	int wm = 6, wr = 3, ws = 5;

	for (size_t i = 0; i < rows->count; i++) {
		const struct cs_row *r = &rows->items[i];
		if ((int)strlen(r->metric) > wm)
			wm = (int)strlen(r->metric);
		if ((int)strlen(r->run) > wr)
			wr = (int)strlen(r->run);
		if ((int)strlen(r->slice) > ws)
			ws = (int)strlen(r->slice);
	}
	fprintf(out, "%-*s  %-*s  %-*s  %4s  %8s  %-19s  %8s  %8s  %8s\n", wm, "metric", wr, "run", ws, "slice", "k",
		"value", "interval", "problems", "samples", "excluded");
	for (size_t i = 0; i < rows->count; i++) {
		const struct cs_row *r = &rows->items[i];
		char k[16] = "-", value[32] = "-", interval[48] = "-";

		if (r->k > 0)
			snprintf(k, sizeof k, "%d", r->k);
		if (!isnan(r->value))
			snprintf(value, sizeof value, "%.4f", r->value);
		if (!isnan(r->lower) && !isnan(r->upper))
			snprintf(interval, sizeof interval, "[%.4f, %.4f]", r->lower, r->upper);
		fprintf(out, "%-*s  %-*s  %-*s  %4s  %8s  %-19s  %8d  %8ld  %8d\n", wm, r->metric, wr, r->run, ws,
			r->slice, k, value, interval, r->problems, r->samples, r->excluded);
	}
	/* each distinct options text once, below the table */
	for (size_t i = 0; i < rows->count; i++) {
		size_t j = 0;
		while (j < i && strcmp(rows->items[j].options, rows->items[i].options) != 0)
			j++;
		if (j == i)
			fprintf(out, "%s: %s\n", strcmp(rows->items[i].metric, "maj") == 0 ? "maj options" : "options",
				rows->items[i].options);
	}
	if (ferror(out))
		return cs_fail(err, CS_INTERNAL, "error writing the report");
	return CS_OK;
}
