/* Result rows (one per metric, run, slice and k) and their output as CSV (through libcsv) or as an
 * aligned text table. */
#ifndef COSEVAL_ROWS_H
#define COSEVAL_ROWS_H

#include <stdio.h>

#include "util/error.h"

/* One figure with its interval. Strings are owned by the row set. */
struct cs_row {
	char *metric;     /* "pass@1", "coverage", "diversity", "maj", "fpr" */
	char *run;
	char *model;
	char *slice;      /* "all", "subject=Algebra", "level=3", "dataset=math" */
	int k;            /* 0 when the metric has no k */
	double value, lower, upper;
	int problems;     /* problems that entered the figure */
	long samples;     /* samples of those problems (judged samples for fpr) */
	int excluded;     /* problems left out because they have fewer than k samples */
	char *options;    /* how the figure was computed, e.g. "unique=exact;ci=0.95;bootstrap=1000;seed=1" */
};

struct cs_rows {
	struct cs_row *items;
	size_t count, cap;
};

/* Appends a row, copying the strings. Returns CS_OK or CS_INTERNAL (out of memory). */
int cs_rows_add(struct cs_rows *rows, const struct cs_row *row, struct cs_err *err);

/* Frees the rows and their strings; the set may be reused after cs_rows_free. */
void cs_rows_free(struct cs_rows *rows);

/* Writes a header line and one CSV record per row: metric, run, model, slice, k, value, lower, upper,
 * problems, samples, excluded, options. Numbers are written in full precision (cs_num_text), an absent
 * value as an empty field. Returns CS_OK or CS_INTERNAL when writing fails. */
int cs_rows_write_csv(const struct cs_rows *rows, FILE *out, struct cs_err *err);

/* Writes the rows as an aligned, human-readable table, with each distinct options text once below it. */
int cs_rows_write_table(const struct cs_rows *rows, FILE *out, struct cs_err *err);

#endif
