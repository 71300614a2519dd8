/* Output of `coseval fpr --agreement`: per pair of judges, the samples both judged, raw agreement and
 * Cohen's kappa with their bootstrap intervals, and the 2x2 table, as tab-separated text or JSON rows. */
#ifndef COSEVAL_AGREEMENT_REPORT_H
#define COSEVAL_AGREEMENT_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "agreement.h"

/* One pair of judges of one run; strings borrowed. */
struct cs_agreement_row {
	const char *run, *judge_a, *judge_b;
	const char *scope;        /* which jointly judged samples: "all", "correct-grade", "correct-label" */
	double level;             /* confidence level of the intervals */
	struct cs_agreement g;
};

/* Writes a header line and one tab-separated line per row: run, judge_a, judge_b, scope, both_judged, agree,
 * agreement, agreement_low, agreement_high, kappa, kappa_low, kappa_high, then the table as correct_correct,
 * correct_wrong, wrong_correct, wrong_wrong (judge_a's verdict first: reasoning correct or wrong), level.
 * An undefined kappa is written "undefined" and its bounds "-"; with nothing judged by both, agreement
 * too. CS_INTERNAL when writing fails. */
int cs_agreement_write_text(const struct cs_agreement_row *rows, int n, FILE *out, struct cs_err *err);

/* Appends the same fields as objects to the document's "rows" (undefined values null, with kappa_defined
 * true or false). CS_OK or CS_INTERNAL (out of memory). */
int cs_json_agreement_rows(cJSON *doc, const struct cs_agreement_row *rows, int n, struct cs_err *err);

#endif
