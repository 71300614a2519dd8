/* Writing the paper's tables (data quality, finetuning) as Markdown, LaTeX (booktabs) or CSV. */
#ifndef COSEVAL_TABLE_FORMAT_H
#define COSEVAL_TABLE_FORMAT_H

#include <stdio.h>

#include "score/tables.h"

enum cs_table_format { CS_TABLE_MD, CS_TABLE_LATEX, CS_TABLE_CSV };

/* Parses "md" | "latex" | "csv"; 0 or -1. */
int cs_table_format_parse(const char *name, enum cs_table_format *out);

/* Figures are written as "0.8521 [0.7479, 0.9333]" (4 decimals), gains as "+31.9%", absent values
 * (no judgments, no value) as "-". Markdown: one "### dataset" section with a pipe table per dataset,
 * '|' escaped. LaTeX: one tabular with \toprule, \midrule and \bottomrule (needs only
 * \usepackage{booktabs}), text escaped (\ _ % & # $ { } ~ ^); a table with text outside ASCII starts with
 * comment lines naming the engine and fonts that typeset it (lualatex, fontspec). A text longer than a cell
 * (511 bytes) is cut at a UTF-8 character boundary. CSV (libcsv quoting): one record per figure,
 * numbers in full precision (cs_num_text), absent values empty. Each returns CS_OK or CS_INTERNAL (write
 * error). */

/* The data-quality table. Markdown/LaTeX columns: pair, budget, metric, SE k, WC k, WC, SE, WC - SE,
 * gain; FPR once per pair with the judged counts. CSV columns: dataset, wc_run, wc_model, se_run,
 * se_model, match, budget, metric, se_k, wc_k, ratio, wc, wc_lower, wc_upper, se, se_lower, se_upper,
 * diff, diff_lower, diff_upper, gain, wc_n, se_n, options (n: shared problems, or judged samples for
 * fpr). */
int cs_dq_table_write(const struct cs_dq_table *t, enum cs_table_format f, FILE *out, struct cs_err *err);

/* The finetuning table: one row per row value, one column per column value, and the gain column
 * "gain A over B" as "+12.3% [+4.0%, +20.1%]" (relative gain with its ratio bootstrap interval).
 * CSV, one record per row: ROWTAG, then per column value V: V, V_lower, V_upper, V_run; then gain,
 * gain_lower, gain_upper, diff, diff_lower, diff_upper, gain_problems (when there is a gain); then options. */
int cs_ft_table_write(const struct cs_ft_table *t, enum cs_table_format f, FILE *out, struct cs_err *err);

#endif
