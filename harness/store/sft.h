/* Selecting a run's training set as the paper builds it: per problem, the samples whose final answer is
 * graded correct, within a sample budget, deduplicated and capped. */
#ifndef COSEVAL_SFT_H
#define COSEVAL_SFT_H

#include "store/store.h"
#include "store/tallies.h"

/* Options; a plain value owned by the caller. */
struct cs_sft_opts {
	int budget;           /* 0: every sample; else only the first budget samples of each problem (by sample
	                         index), so that a compute-matched budget is exported */
	int dedup;            /* 0: keep every correct sample; 1: keep the first (by sample index) of each group
	                         of correct samples that are the same under unique */
	enum cs_unique unique; /* exact text, normalised text (white space runs folded, trimmed, ASCII lower
	                          case, as for diversity@k) or canonical final answer */
	int max_per_problem;  /* 0: no cap; else at most this many per problem (the first after dedup) */
};

/* One exported sample; every string is borrowed and valid only during the callback. */
struct cs_sft_sample {
	const char *run;
	const char *problem_id;    /* the problem's id in its dataset (problem_key) */
	long sample_index;
	const char *question;      /* NULL when the problem has none */
	const char *solution;      /* the sample text */
	const char *answer;        /* the extracted final answer */
	const char *gold;          /* NULL when the problem has none */
};

/* What the selection saw, each count over the whole run. */
struct cs_sft_counts {
	long problems;             /* problems with samples in the run */
	long considered;           /* samples within the budget */
	long correct;              /* of those, graded correct */
	long deduplicated;         /* of those, left after deduplication (= correct without dedup) */
	long capped;               /* of those, left after the per-problem cap */
	long exported;             /* handed to the callback (= capped) */
	long problems_exported;    /* problems with at least one exported sample */
};

/* Called once per selected sample, in problems.id order then sample-index order. A status other than
 * CS_OK stops the selection and is returned. */
typedef int (*cs_sft_emit)(const struct cs_sft_sample *s, void *ctx, struct cs_err *err);

/* Selects the training samples of run and hands each to emit(…, ctx, err). Deterministic: the same store and
 * options give the same samples in the same order. Errors: CS_INPUT (unknown run; a run with ungraded samples,
 * naming 'coseval grade'), CS_USAGE (negative budget or cap), CS_DB, CS_INTERNAL, or emit's status.
 * *counts (caller-owned) is filled as far as the selection got. */
int cs_sft_select(struct cs_store *st, const char *run, const struct cs_sft_opts *opt, cs_sft_emit emit, void *ctx,
		  struct cs_sft_counts *counts, struct cs_err *err);

#endif
