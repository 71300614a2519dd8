/* The one-document JSON output of the report commands (cJSON): a head with versions, options, database and
 * runs, and the rows of each kind of result, numbers in full precision. */
#ifndef COSEVAL_JSON_OUT_H
#define COSEVAL_JSON_OUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "compare_report.h"
#include "pair_report.h"
#include "rows.h"
#include "score/tables.h"
#include "util/error.h"

/* Creates the document {"coseval_version", "grader_version" (this grader's), "command", "database",
 * "options": {}, "runs": [], "rows": []}; the caller fills options, runs and rows and frees it with
 * cJSON_Delete. NULL when out of memory. */
cJSON *cs_json_doc_new(const char *command, const char *database);

/* A number in full precision (cs_num_text) as a raw cJSON item; NaN and infinities give null. NULL when out
 * of memory. */
cJSON *cs_json_num(double v);

/* Adds name: cs_json_num(v) to obj. Returns 0, or -1 when out of memory. */
int cs_json_add_num(cJSON *obj, const char *name, double v);

/* Each appends one object per row to the document's "rows" (field names as in the CSV of the same result)
 * and, for pair, compare and the finetuning table, a "summary" object (runs or tags, shared problems,
 * problems left out, options).
 * Each returns CS_OK or CS_INTERNAL (out of memory). */
int cs_json_report_rows(cJSON *doc, const struct cs_rows *rows, struct cs_err *err);
int cs_json_pair_rows(cJSON *doc, const struct cs_pair_header *h, const struct cs_pair_result *r,
		      struct cs_err *err);
int cs_json_compare_rows(cJSON *doc, const struct cs_compare_header *h, const struct cs_compare_result *r,
			 struct cs_err *err);
int cs_json_dq_rows(cJSON *doc, const struct cs_dq_table *t, struct cs_err *err);
int cs_json_ft_rows(cJSON *doc, const struct cs_ft_table *t, struct cs_err *err);

/* Writes doc, indented, and a newline to out. CS_OK, or CS_INTERNAL when printing or writing fails. */
int cs_json_write(const cJSON *doc, FILE *out, struct cs_err *err);

#endif
