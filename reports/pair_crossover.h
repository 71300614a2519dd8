/* Output of `pair --crossover`: the crossovers of the fitted curves as text lines, CSV records or JSON. */
#ifndef COSEVAL_PAIR_CROSSOVER_REPORT_H
#define COSEVAL_PAIR_CROSSOVER_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "pair_report.h"
#include "score/pair_crossover.h"

/* Writes a line naming the fits and the matching, then one line per model: where WC's matched coverage falls
 * to SE's (or catches up with it), in SE and WC samples per problem, and in FLOPs and USD per problem where the
 * runs have parameter counts, prices and token counts, each with its bootstrap interval ("none" for no
 * crossover up to the largest budget). CS_INTERNAL on a write error. */
int cs_crossover_write_table(const struct cs_pair_header *h, const struct cs_pair_crossover *c, FILE *out,
			     struct cs_err *err);

/* Appends records in the columns of cs_pair_write_csv: metric "crossover:MODEL:DIRECTION" (MODEL beta-binomial or
 * power-law, DIRECTION wc-falls or wc-catches-up) with se, wc the SE and WC samples per problem at the crossover
 * and their intervals, then "crossover-flops:..." and "crossover-usd:..." with the same figures in FLOPs and USD
 * per problem where known; "inf" where there is no crossover up to the largest budget. */
int cs_crossover_write_csv(const struct cs_pair_header *h, const struct cs_pair_crossover *c, FILE *out,
			   struct cs_err *err);

/* Adds to the document "crossover": [{"fit", "direction", "crossed" (false: none up to "max_se_samples"),
 * "ratio", "se_samples", "lower", "upper", "wc_samples", "flops_per_problem" {"se", "wc", "lower", "upper"} or
 * null, "usd_per_problem" likewise, "problems"}], an infinite bound written as null. CS_INTERNAL when out of
 * memory. */
int cs_json_crossover(cJSON *doc, const struct cs_pair_crossover *c, struct cs_err *err);

#endif
