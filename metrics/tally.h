/* The per-problem input of every metric: one problem's samples as correctness flags and group ids. */
#ifndef COSEVAL_METRICS_TALLY_H
#define COSEVAL_METRICS_TALLY_H

#include "util/error.h"

/* One problem's samples, in sample-index order. Arrays are owned by the caller and only read. */
struct cs_tally {
	int n;                        /* number of samples */
	const unsigned char *correct; /* n flags: 1 when the final answer is correct */
	const int *answer;            /* n ids grouping samples by canonical final answer; -1 = no answer;
	                                 may be NULL for metrics other than maj@k */
	const int *solution;          /* n ids grouping samples by the chosen uniqueness (exact text,
	                                 normalised text or answer); may be NULL, then every sample is its
	                                 own solution */
};

/* Checks one tally: n >= 0, correct non-NULL when n > 0, every flag 0 or 1, answer ids >= -1 and no
 * correct sample with answer -1 (when answer is given), solution ids >= 0 for correct samples (when
 * solution is given). index is the problem's position, used only in the message.
 * Returns CS_OK, or CS_INPUT with err filled. */
int cs_tally_check(const struct cs_tally *t, int index, struct cs_err *err);

/* Returns the number of correct samples of t (t must have passed cs_tally_check). */
int cs_tally_correct(const struct cs_tally *t);

#endif
