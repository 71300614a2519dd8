/* Reading the samples of several runs problem by problem, with their grades and judgments, for a reader
 * who browses them (coseval view). */
#ifndef COSEVAL_BROWSE_H
#define COSEVAL_BROWSE_H

#include "store/store.h"

/* One sample with its problem and grade. Every pointer is borrowed for the duration of the callback; a
 * string is NULL where the store has no value. */
struct cs_browse_sample {
	sqlite3_int64 problem_row;  /* problems.id: samples come in ascending problem_row */
	const char *dataset, *problem_key, *subject, *question, *gold;
	int level;                  /* 0 when unknown */
	int run;                    /* the sample's run: its index in the names given to cs_browse_samples */
	int sample_index;
	const char *text;
	int tokens;                 /* -1 when unknown */
	int stopped;                /* 1 when the generator stopped it at its length limit */
	const char *verdict;        /* "correct", "wrong", "no-answer", or NULL when ungraded */
	const char *answer, *rule, *reason;
	const char *judgments;      /* a JSON array of [judge, reasoning_correct (0 or 1)] pairs, "[]" when none */
};

/* Called once per sample; a status other than CS_OK stops the reading and is returned. */
typedef int (*cs_browse_fn)(void *ctx, const struct cs_browse_sample *s, struct cs_err *err);

/* Calls fn for every sample of the nruns runs named (each must exist: CS_INPUT naming the nearest run
 * otherwise), ordered by problem (problems.id), then by run (in the order of names), then by sample
 * index. Memory stays bounded: SQLite sorts what needs sorting in its temporary store. Errors: CS_INPUT,
 * CS_DB, CS_INTERNAL, or what fn returned. */
int cs_browse_samples(struct cs_store *st, const char *const *names, int nruns, cs_browse_fn fn, void *ctx,
		      struct cs_err *err);

#endif
