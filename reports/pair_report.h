/* Output of a WC-SE comparison as a text table or CSV. */
#ifndef COSEVAL_PAIR_REPORT_H
#define COSEVAL_PAIR_REPORT_H

#include <stdio.h>

#include "score/pair.h"

/* Identifies the comparison in the output. */
struct cs_pair_header {
	const char *wc_run, *wc_model, *se_run, *se_model;
	const char *match;
	const char *options;
	const char *fpr_note;  /* a line about the false-positive rate (which judge, or why it is missing); may be NULL */
};

/* Writes one line per row: metric, budgets, both figures with intervals, WC - SE with its paired interval
 * and the relative gain. CS_INTERNAL when writing fails. */
int cs_pair_write_table(const struct cs_pair_header *h, const struct cs_pair_result *r, FILE *out,
			struct cs_err *err);

/* The same as CSV (libcsv quoting): metric, wc_run, se_run, match, se_k, wc_k, ratio, se, se_lower,
 * se_upper, wc, wc_lower, wc_upper, diff, diff_lower, diff_upper, gain, problems, options. */
int cs_pair_write_csv(const struct cs_pair_header *h, const struct cs_pair_result *r, FILE *out,
		      struct cs_err *err);

#endif
