/* The paper's comparison: a weaker-cheaper (WC) run against a stronger-expensive (SE) run on the same
 * problems, the WC budget matched to each SE budget by compute, price or count. */
#ifndef COSEVAL_PAIR_H
#define COSEVAL_PAIR_H

#include "score/score.h"

/* How the WC budget is matched: count (same number), params (compute, 2P FLOPs per token), tokens
 * (compute with each run's measured mean tokens per sample), price (price per output token times mean
 * tokens). */
enum cs_pair_match { CS_PAIR_COUNT, CS_PAIR_PARAMS, CS_PAIR_TOKENS, CS_PAIR_PRICE };

/* Parses "count" | "params" | "tokens" | "price"; 0 or -1. */
int cs_pair_match_parse(const char *name, enum cs_pair_match *out);
const char *cs_pair_match_name(enum cs_pair_match m);

/* One metric at one pair of budgets. */
struct cs_pair_row {
	const char *metric;          /* static: "coverage", "diversity", "pass@1" */
	int se_k, wc_k;
	struct cs_interval se, wc;   /* each run's figure with its bootstrap interval */
	struct cs_interval diff;     /* WC - SE, paired bootstrap over the shared problems */
	double gain;                 /* (WC - SE) / SE, NaN when SE is 0 */
	double ratio;                /* WC samples per SE sample, unrounded */
	int problems;                /* shared problems */
};

struct cs_pair_result {
	struct cs_pair_row *rows;    /* owned */
	int count;
	int shared;                  /* problems both runs have */
	int wc_only, se_only;        /* problems only one run has (left out) */
};

/* Compares wc with se at each SE budget in se_ks. A WC budget above the samples WC has on some shared
 * problem is CS_INPUT, with how many samples per problem are needed; a match that needs a quantity a run
 * lacks (parameters, prices, token counts) is CS_INPUT too. */
int cs_pair_compare(const struct cs_run_data *wc, const struct cs_run_data *se, const int *se_ks, int nk,
		    enum cs_pair_match match, const struct cs_score_opts *opt, struct cs_pair_result *out,
		    struct cs_err *err);

/* Appends the false-positive-rate row (metric "fpr", budgets 0): each run's FPR with its Wilson interval at
 * level, and WC - SE with Newcombe's interval for two independent proportions. The counts are those of
 * cs_fpr_counts for one judge. CS_INPUT on inconsistent counts. */
int cs_pair_add_fpr(struct cs_pair_result *out, long se_judged, long se_wrong, long wc_judged, long wc_wrong,
		    double level, struct cs_err *err);

/* Frees out's rows. */
void cs_pair_result_free(struct cs_pair_result *out);

#endif
