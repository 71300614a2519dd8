/* Agreement between the judges of a run: for each pair of judges, the verdicts on the samples both judged
 * (store/judges.h) turned into raw agreement and Cohen's kappa with bootstrap intervals (metrics/agreement.h). */
#ifndef COSEVAL_JUDGE_AGREEMENT_H
#define COSEVAL_JUDGE_AGREEMENT_H

#include "agreement_report.h"
#include "store/judges.h"

/* Every pair of judges of one run, in name order (judge_a before judge_b). Everything owned; free with
 * cs_judge_pairs_free. */
struct cs_judge_pairs {
	char **judges;                   /* the run's judges, in name order */
	int njudges;
	struct cs_agreement_row *rows;   /* one per pair (the strings point into judges and the caller's run) */
	int count;
};

/* Computes the agreement of every pair of run's judges (only the pairs that include judge, when it is not
 * NULL) on the samples both judged that scope admits, with intervals at opts. Errors: CS_INPUT (no such
 * run; the run has no judgments; judge is not one of its judges, named with the nearest; fewer than two
 * judges, naming the one), CS_DB, CS_INTERNAL. */
int cs_judge_agreement(struct cs_store *st, const char *run, const char *judge, enum cs_judged_scope scope,
		       const struct cs_boot_opts *opts, struct cs_judge_pairs *out, struct cs_err *err);

/* Frees what cs_judge_agreement allocated; a zeroed struct is fine. */
void cs_judge_pairs_free(struct cs_judge_pairs *p);

#endif
