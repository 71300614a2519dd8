/* "Did you mean": the edit distance between two names and the nearest of a list of names, for suggesting a
 * command, an option or a run name in place of an unknown one. */
#ifndef COSEVAL_SUGGEST_H
#define COSEVAL_SUGGEST_H

#include <stddef.h>

/* The longest name, in bytes, whose distance cs_edit_distance computes. */
#define CS_SUGGEST_MAX_LEN 255

/* The number of single-byte insertions, deletions, substitutions and swaps of two neighbouring bytes that
 * turn a into b (the optimal string alignment distance); CS_SUGGEST_MAX_LEN + 1 when either is longer than
 * CS_SUGGEST_MAX_LEN bytes. */
int cs_edit_distance(const char *a, const char *b);

/* The largest distance at which a name counts as a likely misspelling of name: 1 for up to 3 bytes, 2 for
 * up to 8, else 3 (leading dashes are not counted, so options and plain names are judged alike). */
int cs_suggest_limit(const char *name);

/* The candidate nearest to name, at most cs_suggest_limit(name) away, or NULL; the first in list order on a
 * tie. name itself is never suggested. count candidates; the result points into candidates. */
const char *cs_nearest(const char *name, const char *const *candidates, size_t count);

#endif
