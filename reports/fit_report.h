/* Output of the coverage fits of `coseval fit` as a text table, CSV records or JSON rows. */
#ifndef COSEVAL_FIT_REPORT_H
#define COSEVAL_FIT_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "fit.h"

/* Identifies one run's fit in the output; strings are borrowed. */
struct cs_fit_header {
	const char *run, *model;
	const char *options;     /* fit window, confidence level, replicates, seed, grader */
};

/* Writes into buf a sentence about what is special in r (a point mass, a and b on the edge of their box, a
 * power law that could not be fitted), or "" when nothing is. */
void cs_fit_note(const struct cs_fit_result *r, char *buf, size_t size);

/* Writes one block per run: a line naming the run, the problems and the fit window; a and b, c and d with
 * their intervals; one line per k with the coverage measured on all samples and both predictions with
 * their intervals ("-" where a figure is undefined); the note; the options. CS_INTERNAL on a write error. */
int cs_fit_write_table(const struct cs_fit_header *h, const struct cs_fit_result *r, FILE *out,
		       struct cs_err *err);

/* The CSV header line: run, model, k_fit, fit (beta-binomial, power-law or measured), parameter (a, b, c, d
 * or coverage), k, value, lower, upper, problems, note, options. CS_INTERNAL on a write error. */
int cs_fit_write_csv_header(FILE *out, struct cs_err *err);

/* One CSV record per figure of r: a, b, c, d (k empty), then per k the measured coverage (where the data has
 * k samples) and both predictions. Full precision, undefined figures as empty fields. */
int cs_fit_write_csv(const struct cs_fit_header *h, const struct cs_fit_result *r, FILE *out,
		     struct cs_err *err);

/* The same records as objects appended to the document's "rows" (cs_json_doc_new), null for undefined
 * figures. CS_INTERNAL when out of memory. */
int cs_json_fit_rows(cJSON *doc, const struct cs_fit_header *h, const struct cs_fit_result *r,
		     struct cs_err *err);

#endif
