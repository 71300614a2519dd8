/* Output of a base-versus-candidate regression check as a text table, a Markdown table or CSV. */
#ifndef COSEVAL_COMPARE_REPORT_H
#define COSEVAL_COMPARE_REPORT_H

#include <stdio.h>

#include "score/compare.h"

/* Identifies the comparison in the output; strings are borrowed. */
struct cs_compare_header {
	const char *base_run, *base_model, *cand_run, *cand_model;
	double max_drop, alpha, ci;
	const char *options;     /* uniqueness, level, replicates, seed, grader, alpha */
};

/* Writes an aligned table: a line naming both runs and the shared problems, a line with the problems left
 * out, one line per row (metric, slice, base, cand, cand - base with its interval, p_worse, ok or
 * REGRESSION) and the options. CS_INTERNAL when writing fails. */
int cs_compare_write_table(const struct cs_compare_header *h, const struct cs_compare_result *r, FILE *out,
			   struct cs_err *err);

/* The same as a Markdown pipe table with a short paragraph above it. CS_INTERNAL when writing fails. */
int cs_compare_write_md(const struct cs_compare_header *h, const struct cs_compare_result *r, FILE *out,
			struct cs_err *err);

/* CSV through libcsv: a header line and one record per row with the columns metric, slice, base_run,
 * cand_run, base, cand, diff, diff_lower, diff_upper, p_worse, max_drop, regression (0 or 1), problems,
 * base_only, cand_only, options. Numbers in full precision (cs_num_text), an absent value as an empty field.
 * CS_INTERNAL when writing fails. */
int cs_compare_write_csv(const struct cs_compare_header *h, const struct cs_compare_result *r, FILE *out,
			 struct cs_err *err);

#endif
