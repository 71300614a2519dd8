/* The judges of a run and the verdicts two judges gave on the samples both judged (the inputs of
 * metrics/agreement.h), and the check that a judge named on the command line exists. */
#ifndef COSEVAL_STORE_JUDGES_H
#define COSEVAL_STORE_JUDGES_H

#include "store/fpr.h"
#include "store/store.h"

/* Which jointly judged samples count: all of them, or only those whose final answer is correct (the samples
 * the false-positive rate is about), by coseval's grade or by the dump's label. */
enum cs_judged_scope { CS_JUDGED_ALL, CS_JUDGED_CORRECT_GRADE, CS_JUDGED_CORRECT_LABEL };

/* The distinct judges of run's judgments (every run's when run is NULL), in name order. *names is a malloc'd
 * array of malloc'd strings owned by the caller (free with cs_store_free_names), NULL when *n is 0. Errors:
 * CS_INPUT (no such run, with the nearest run name), CS_DB, CS_INTERNAL. */
int cs_store_judges(struct cs_store *st, const char *run, char ***names, int *n, struct cs_err *err);

/* CS_OK when some judgment in the database (of run, when run is not NULL) is by judge; else CS_INPUT naming
 * the judge, the nearest judge name when one is close, and the judges there are. CS_DB, CS_INTERNAL. */
int cs_store_check_judge(struct cs_store *st, const char *run, const char *judge, struct cs_err *err);

/* The verdicts (reasoning_correct, 0 or 1) of judge_a and judge_b on each sample of run that both judged and
 * that scope admits, in sample order: (*a)[i] and (*b)[i] are the two verdicts on one sample. *a and *b are
 * malloc'd arrays of *n entries owned by the caller (free both), NULL when *n is 0. Errors: CS_INPUT (no
 * such run), CS_DB, CS_INTERNAL. */
int cs_judge_pair_verdicts(struct cs_store *st, const char *run, const char *judge_a, const char *judge_b,
			   enum cs_judged_scope scope, unsigned char **a, unsigned char **b, int *n,
			   struct cs_err *err);

#endif
