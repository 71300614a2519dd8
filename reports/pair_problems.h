/* Output of `coseval pair --problems`: each shared problem's coverage probabilities and class at the
 * matched budgets, the expected class counts per slice with their intervals, and the problems whose most
 * probable class is WC only or SE only; as a text table, CSV or rows of the JSON document. */
#ifndef COSEVAL_PAIR_PROBLEMS_REPORT_H
#define COSEVAL_PAIR_PROBLEMS_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "pair_report.h"
#include "score/pair_problems.h"

/* The text report: a header line, one line per problem (counts of both runs, then per budget p_WC, p_SE and
 * the most probable class), the expected class counts per budget and slice with their intervals, and per
 * budget the problems listed as WC only and SE only (most probable class, by its probability, highest
 * first). pair gives the shared and left-out problem counts. CS_INTERNAL when writing fails. */
int cs_pp_write_table(const struct cs_pair_header *h, const struct cs_pair_result *pair,
		      const struct cs_pp_result *r, FILE *out, struct cs_err *err);

/* The same as CSV, one record per problem and budget (record "problem") and per budget and slice (record
 * "classes"), columns: record, slice, problem, subject, level, wc_correct, wc_samples, se_correct,
 * se_samples, match, se_k, wc_k, ratio, wc_coverage, se_coverage, both, both_lower, both_upper, wc_only,
 * wc_only_lower, wc_only_upper, se_only, se_only_lower, se_only_upper, neither, neither_lower,
 * neither_upper, class, problems, wc_run, se_run, options. In a problem record the class columns hold the
 * problem's class probabilities (no interval) and class its most probable class (empty on a tie); in a
 * classes record they hold the expected counts with their intervals and class is empty. */
int cs_pp_write_csv(const struct cs_pair_header *h, const struct cs_pair_result *pair,
		    const struct cs_pp_result *r, FILE *out, struct cs_err *err);

/* Appends the CSV's records as objects to the document's "rows" (absent values null) and a "summary"
 * (runs, match, shared and left-out problems, options, the listing rule and, per budget, the problems
 * listed as WC only and SE only with their probabilities). CS_OK or CS_INTERNAL (out of memory). */
int cs_json_pp_rows(cJSON *doc, const struct cs_pair_header *h, const struct cs_pair_result *pair,
		    const struct cs_pp_result *r, struct cs_err *err);

#endif
