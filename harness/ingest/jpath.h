/* Field paths into JSON records: `$.a.b`, `$.a[0]`, `$.outputs[*].text` (one [*] at most),
 * `len($.outputs[*].token_ids)`, `join($.steps)` / `join($.steps, "SEP")` (a list of strings as one string),
 * and `@line` (the record's 0-based index in the file). */
#ifndef COSEVAL_JPATH_H
#define COSEVAL_JPATH_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/error.h"

enum cs_jstep_kind { CS_JSTEP_KEY, CS_JSTEP_INDEX, CS_JSTEP_ALL };

struct cs_jstep {
	enum cs_jstep_kind kind;
	char *key;     /* CS_JSTEP_KEY: owned */
	size_t index;  /* CS_JSTEP_INDEX */
};

struct cs_jpath {
	char *text;            /* the path as written, owned, for messages */
	struct cs_jstep *steps; /* owned */
	size_t nsteps;
	int has_all;           /* the path holds a [*] step: it yields a list */
	int is_len;            /* len(...): yields the length of each array found */
	int is_line;           /* @line */
	int is_join;           /* join(...): yields one string, the strings found joined by join_sep */
	char *join_sep;        /* is_join: the separator, owned ("\n" unless given) */
};

/* Parses text into *path (caller frees with cs_jpath_free). A bare name without `$` is taken as `$.name`,
 * so CSV columns can be named directly. `join(PATH)` and `join(PATH, "SEP")` wrap a plain path (no len,
 * @line or nested join); SEP is a double-quoted string where \n, \t, \" and \\ are escapes, default "\n".
 * Errors: CS_USAGE with a message naming the path. */
int cs_jpath_parse(const char *text, struct cs_jpath *path, struct cs_err *err);

/* Frees what cs_jpath_parse allocated. */
void cs_jpath_free(struct cs_jpath *path);

/* The values a path yields on one record. */
struct cs_jvalues {
	cJSON **items;   /* borrowed references into the record (or owned integers for len/@line, see below) */
	size_t count;
	size_t cap;
	cJSON **owned;   /* values created for len(...) and @line; released by cs_jvalues_reset */
	size_t nowned, owned_cap;
};

/* Evaluates path on record (whose 0-based position in the file is index) into out, replacing what out held.
 * A path without [*] yields zero values (missing) or one; with [*] it yields one value per array element
 * (an absent array yields zero values and *missing is set). join(P) yields one owned string: the strings P
 * yields (or, when P yields one array, its elements) joined by the separator; an empty array gives "";
 * when an element is not a string, that element is yielded instead (a null for a hole), so that the
 * caller reports its type. Returns CS_OK, or CS_INTERNAL when out of memory. */
int cs_jpath_eval(const struct cs_jpath *path, cJSON *record, long index, struct cs_jvalues *out,
		  int *missing);

/* Releases values created by the last evaluation and empties out (the arrays are kept for reuse). */
void cs_jvalues_reset(struct cs_jvalues *out);

/* Frees out's arrays. */
void cs_jvalues_free(struct cs_jvalues *out);

#endif
