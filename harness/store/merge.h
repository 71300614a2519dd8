/* Merging coseval databases graded on several machines into one, in one transaction, through SQLite ATTACH. */
#ifndef COSEVAL_MERGE_H
#define COSEVAL_MERGE_H

#include <stddef.h>

#include "util/error.h"

/* At most this many input databases per merge (SQLite's limit on attached databases); merge in rounds. */
#define CS_MERGE_MAX_INPUTS 10

struct cs_merge_stats {
	long datasets, problems, runs, tags, patterns, imports; /* rows added to the output */
	long samples, samples_present;   /* samples added; identical samples already in the output */
	long samples_renumbered;         /* of the samples added, those given new indexes (renumber) */
	long grades, judgments;          /* rows added */
};

/* Merges the databases inputs[0..n) into the database at out (created when it does not exist), in that
 * order, in one transaction: all of it lands or none (a new out is removed again on failure).
 * What is merged, matched by natural keys, never by row ids:
 *  - datasets (by name; the profiles must agree), problems (by dataset + problem key; gold answer and
 *    question must agree), runs (by name; model, dataset, params and price must agree), run tags and
 *    answer patterns (by run + key; the values must agree);
 *  - imports (by kind, dataset, run and SHA-256: the same file imported on two machines is one import);
 *  - samples (by run, problem and sample index): a sample not in out is appended; one with the same text
 *    at the same index is already there (a no-op); so is one whose run and problem hold, in out, a sample
 *    from the same import (an import out held before this input) with the same text at another index: the
 *    same sample, renumbered by an earlier merge. A sample with a different text at an index out holds is
 *    a collision: an error unless renumber is set; with renumber, every sample of a colliding run that is
 *    not already there is appended after out's samples of its run and problem: new index = out's largest
 *    index of that run and problem (-1 when none) + 1, + 2, ... in the input's index order. In a colliding
 *    run, a sample with the same text at the same index is already there only when it comes from the same
 *    import (else it is another draw, and appended). Runs without a collision keep their indexes, renumber
 *    or not;
 *  - grades, kept with their grader version: a sample that already has a grade in out keeps it;
 *  - judgments (by sample and judge; the verdicts must agree).
 * Grades and judgments follow their sample to its index in out. So merging the same input twice changes
 * nothing, with or without renumber. Errors: CS_INPUT for a conflict, naming the input, the database (out
 * or an earlier input) it disagrees with, and the row (a collision also names the run, the index and the
 * remedy); CS_USAGE when an input is missing, is out itself, or there are more than CS_MERGE_MAX_INPUTS;
 * CS_DB for a database error or an input whose schema version is not this coseval's (open it with
 * `coseval init --db IN` to migrate it). */
int cs_merge(const char *out, const char *const *inputs, size_t n, int renumber, struct cs_merge_stats *stats,
	     struct cs_err *err);

#endif
