/* False-positive counts of a run: per judge, the judged samples with a correct final answer and how many
 * of them the judge found reasoning-wrong (the inputs of cs_fpr_compute in metrics/stats.h). */
#ifndef COSEVAL_STORE_FPR_H
#define COSEVAL_STORE_FPR_H

#include "store/store.h"

/* What decides that a sample's final answer is correct. */
enum cs_correct_by {
	CS_CORRECT_BY_GRADE, /* coseval's grader: grades.verdict = 'correct' */
	CS_CORRECT_BY_LABEL  /* the dump's own label: samples.label = 1 (from the "label" field at import) */
};

/* One judge's counts in one run. */
struct cs_fpr_row {
	char *judge;      /* owned by the array, freed by cs_fpr_rows_free */
	long judged;      /* judged samples whose final answer is correct: the FPR's denominator */
	long wrong;       /* of those, judged reasoning-wrong: the numerator */
	long judged_all;  /* all samples this judge judged, whatever their final answer */
	long undecided;   /* judged samples whose correctness is unknown (no grade, or no label): left out */
};

/* Counts, for run and (when judge is not NULL) only that judge, per judge in judge-name order, the judged
 * samples whose final answer coseval's grader marked correct and those among them judged reasoning-wrong.
 * Same as cs_fpr_counts_by(..., CS_CORRECT_BY_GRADE, ...). */
int cs_fpr_counts(struct cs_store *st, const char *run, const char *judge, struct cs_fpr_row **rows, int *nrows,
		  struct cs_err *err);

/* As cs_fpr_counts, with the final answer's correctness decided by `by`. On success *rows is a malloc'd
 * array owned by the caller (free it with cs_fpr_rows_free), NULL when *nrows is 0 (nothing judged).
 * Errors: CS_INPUT (no such run; by grade: the run has no grades, run `coseval grade`; by label: the run's
 * samples carry no labels), CS_DB, CS_INTERNAL (out of memory). */
int cs_fpr_counts_by(struct cs_store *st, const char *run, const char *judge, enum cs_correct_by by,
		     struct cs_fpr_row **rows, int *nrows, struct cs_err *err);

/* The counts of two runs compared with each other (pair, table data): by judge when it is not NULL, else by
 * the first judge in name order who judged both runs, so that both rates come from the same judge and no
 * sample is counted twice. *found is 0 when there is no such judge; otherwise judge_used (size bytes)
 * receives the judge's name and wc/se the two runs' counts. Errors as cs_fpr_counts. */
int cs_fpr_common_judge(struct cs_store *st, const char *wc, const char *se, const char *judge, int *found,
			char *judge_used, size_t size, struct cs_fpr_row *wc_counts, struct cs_fpr_row *se_counts,
			struct cs_err *err);

/* Frees rows returned by cs_fpr_counts or cs_fpr_counts_by; NULL is allowed. */
void cs_fpr_rows_free(struct cs_fpr_row *rows, int nrows);

#endif
