/* Field paths into JSON records: `$.a.b`, `$.a[0]`, `$.a[-1]` (from the end), `$.outputs[*].text` and
 * `$.messages[?role=assistant].content` (one list step, [*] or a filter, at most), a filter followed by an
 * index (`$.messages[?role=assistant][-1]`, one match), `len($.outputs[*].token_ids)`, `join($.steps)` /
 * `join($.steps, "SEP")` (a list of strings as one string), `re($.custom_id, "(?<id>[0-9]+)$")` (the part
 * of each value a PCRE2 pattern's named group captures), and `@line` (the record's 0-based index in the
 * file). */
#ifndef COSEVAL_JPATH_H
#define COSEVAL_JPATH_H

#include <cjson/cJSON.h>
#include <pcre2.h>
#include <stddef.h>

#include "util/error.h"

enum cs_jstep_kind { CS_JSTEP_KEY, CS_JSTEP_INDEX, CS_JSTEP_ALL, CS_JSTEP_FILTER };

struct cs_jstep {
	enum cs_jstep_kind kind;
	char *key;     /* CS_JSTEP_KEY: the member; CS_JSTEP_FILTER: the member compared; owned */
	char *value;   /* CS_JSTEP_FILTER: the string that member must equal; owned */
	long index;    /* CS_JSTEP_INDEX, and CS_JSTEP_FILTER with pick: the element (of the array, or of the
			* matches), counted from 0, or from the end when negative (-1 is the last) */
	int pick;      /* CS_JSTEP_FILTER: an index follows the filter, so it yields one match, not a list */
};

struct cs_jpath {
	char *text;            /* the path as written, owned, for messages */
	struct cs_jstep *steps; /* owned */
	size_t nsteps;
	int has_all;           /* the path holds a list step ([*], or a filter without an index): it yields a list */
	int is_len;            /* len(...): yields the length of each array found */
	int is_line;           /* @line */
	int is_join;           /* join(...): yields one string, the strings found joined by join_sep */
	char *join_sep;        /* is_join: the separator, owned ("\n" unless given) */
	pcre2_code *re;        /* re(...): the compiled pattern, owned; NULL otherwise */
	uint32_t re_group;     /* re(...): the number of its named group */
};

/* Parses text into *path (caller frees with cs_jpath_free). A bare name without `$` is taken as `$.name`,
 * so CSV columns can be named directly. `[N]` takes element N of an array, `[-N]` the N-th from its end.
 * `[?KEY=VALUE]` (VALUE bare up to the `]`, or double-quoted) keeps the elements of an array that are
 * objects whose member KEY is the string VALUE; it is a list step like `[*]` (one per path), unless an
 * index follows it at once (`[?role=assistant][-1]`): then it takes that one of the matches.
 * `re(PATH, "PATTERN")` wraps a plain path (no len, join, @line or nested re); PATTERN is a PCRE2 pattern
 * with exactly one named group, in double quotes where only \" is an escape (every other byte, backslashes
 * included, is the pattern's own). `join(PATH)` and `join(PATH, "SEP")` wrap a plain path (no len,
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
	cJSON **owned;   /* values created for len(...), join(...), re(...) and @line; released by cs_jvalues_reset */
	size_t nowned, owned_cap;
	cJSON *unmatched; /* re(...): the first value that the pattern did not match (or that is not a string or
			   * an integer), borrowed; then the values are incomplete and the caller reports it */
	cJSON *duplicate; /* a member that a key step or a filter looked up whose name occurs a second time in
			   * the same object: that second member (its ->string is the name), borrowed; the values
			   * are then those of the first member, which other JSON readers need not agree on, and
			   * the caller refuses the record (cs_field_check_duplicate) */
};

/* Evaluates path on record (whose 0-based position in the file is index) into out, replacing what out held.
 * A path without a list step yields zero values (missing) or one; with [*] it yields one value per array
 * element, with a filter one per matching element (an absent array yields zero values and *missing is
 * set; an array without a match yields zero values). join(P) yields one owned string: the strings P
 * yields (or, when P yields one array, its elements) joined by the separator; an empty array gives "";
 * when an element is not a string, that element is yielded instead (a null for a hole), so that the
 * caller reports its type. re(P) yields, for each value P yields, the text its named group captures (a
 * null stays a null; an integer is matched in decimal); on the first value that does not match, or is of
 * another type, it stops, sets out->unmatched and *missing, and yields nothing. A member that a step looks up
 * (a key, or the key a filter compares) and that its object holds twice sets out->duplicate; members no step
 * looks up are not checked. Returns CS_OK, or CS_INTERNAL when out of memory. */
int cs_jpath_eval(const struct cs_jpath *path, cJSON *record, long index, struct cs_jvalues *out,
		  int *missing);

/* Releases values created by the last evaluation and empties out (the arrays are kept for reuse). */
void cs_jvalues_reset(struct cs_jvalues *out);

/* Frees out's arrays. */
void cs_jvalues_free(struct cs_jvalues *out);

#endif
