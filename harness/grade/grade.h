/* Public interface of the answer grader: extraction of final answers, canonical forms and equivalence. */
#ifndef COSEVAL_GRADE_H
#define COSEVAL_GRADE_H

#include <stddef.h>

#include "util/error.h"

#define CS_GRADER_VERSION "2.2"   /* bump whenever a verdict could change */

enum cs_profile { CS_PROFILE_GENERIC = 0, CS_PROFILE_GSM8K = 1, CS_PROFILE_MATH = 2 };

/* Parses "generic" | "gsm8k" | "math"; returns 0 on success, -1 for an unknown name. */
int cs_profile_parse(const char *name, enum cs_profile *out);

/* The name of profile p ("generic", "gsm8k", "math"); a static string, "unknown" for a bad value. */
const char *cs_profile_name(enum cs_profile p);

/* Compiled PCRE2 patterns (JIT on, match and depth limits set); immutable after creation, so one grader may
 * be used from several threads at once (match data are allocated per call). */
struct cs_grader;

/* Creates a grader for profile into *out (caller frees with cs_grader_free).
 * user_pattern: NULL, or a PCRE2 regex with a named group (?<answer>...) tried before the built-in rules
 * (rule name "user"). Invalid pattern or no named group "answer" -> CS_USAGE with a message;
 * CS_INTERNAL when memory runs out. */
int cs_grader_new(enum cs_profile profile, const char *user_pattern, struct cs_grader **out, struct cs_err *err);

/* The profile g was created with. */
enum cs_profile cs_grader_profile(const struct cs_grader *g);

/* Frees g and its patterns; g may be NULL. */
void cs_grader_free(struct cs_grader *g);

struct cs_extraction {
	char *answer;      /* malloc'd, caller frees; NULL when no answer found */
	const char *rule;  /* static string naming the rule that fired: "user", "final-answer-is",
	                      "answer-heading", "boxed", "the-answer-is", "is-the-answer", "answer-colon", "hash",
	                      "the-solution-is", "is-the-solution", "last-sentence" (math, generic),
	                      "last-number" (gsm8k); "none" when nothing found */
	const char *why;   /* static string saying why there is no answer when a rule found a statement it would
	                      not guess from ("several candidates in the answer sentence", "a bound or hedge:
	                      at least", "the text stops mid-sentence"); NULL otherwise */
};

/* Extracts the final answer of text[0..len) with the rules of g's profile, in order. Fills *out (the answer
 * is owned by the caller). Returns CS_OK (also when nothing is found: answer NULL, rule "none"), CS_INPUT
 * when g or text is NULL, CS_INTERNAL on memory exhaustion or a PCRE2 failure (out->answer is then NULL). */
int cs_extract(const struct cs_grader *g, const char *text, size_t len, struct cs_extraction *out,
	       struct cs_err *err);

/* Canonical form of one answer (the string that identical-answer grouping and maj@k use): malloc'd into *out,
 * caller frees. Returns CS_OK, CS_INPUT when answer is NULL, CS_INTERNAL on memory exhaustion. */
int cs_canonical(enum cs_profile p, const char *answer, char **out, struct cs_err *err);

/* Compares a gold answer with a predicted answer. *equal is 1 or 0; *reason is a static string saying why
 * ("identical canonical form", "equal numbers", "equal as sets", "expressions agree at 5 random points",
 * "too large", "different numbers", ...). Never takes more than about a millisecond, never crashes.
 * Returns CS_OK, CS_INPUT when gold or pred is NULL, CS_INTERNAL on memory exhaustion. */
int cs_compare(enum cs_profile p, const char *gold, const char *pred, int *equal, const char **reason,
	       struct cs_err *err);

struct cs_grade {
	char *answer;         /* malloc'd, NULL when no answer */
	char *canonical;      /* malloc'd, NULL when no answer */
	const char *verdict;  /* "correct" | "wrong" | "no-answer" */
	const char *rule;     /* static: the extraction rule that fired, "none" when none did */
	const char *reason;   /* static: why the verdict */
};

/* Extracts from text and compares with gold (a gold answer, not a solution). Fills *out, which the caller
 * releases with cs_grade_clear (also after a failure). Returns CS_OK, CS_INPUT for a NULL argument,
 * CS_INTERNAL on memory exhaustion or a PCRE2 failure. */
int cs_grade_sample(const struct cs_grader *g, const char *gold, const char *text, size_t len,
		    struct cs_grade *out, struct cs_err *err);

/* What is known of a text besides its words, for extraction and grading. */
enum cs_text_flags {
	CS_TEXT_STOPPED = 1  /* the generator stopped it at its length limit (the dump's finish reason says so):
	                        it is unfinished, so no answer is read from its last words ("last-number" and
	                        "last-sentence" do not apply); an answer it marks (a box, "the answer is") counts */
};

/* cs_extract for a text with flags (a set of enum cs_text_flags). Same returns. */
int cs_extract_flags(const struct cs_grader *g, const char *text, size_t len, unsigned flags,
		     struct cs_extraction *out, struct cs_err *err);

/* cs_grade_sample for a text with flags (a set of enum cs_text_flags). Same returns. */
int cs_grade_sample_flags(const struct cs_grader *g, const char *gold, const char *text, size_t len, unsigned flags,
			  struct cs_grade *out, struct cs_err *err);

/* Frees the strings of gr and resets it; gr may be NULL. */
void cs_grade_clear(struct cs_grade *gr);

/* The content of the last balanced \boxed{...} or \fbox{...} in text (nested braces, brace-less \boxed 5),
 * joined with the boxes linked to it ("$\boxed{-2}$ and $\boxed{1}$" is the list "-2, 1"), as the boxed rule
 * of extraction reads them; malloc'd into *out (caller frees); CS_OK with *out NULL when there is none. Used to
 * read gold answers from MATH solutions. CS_INTERNAL on memory exhaustion. */
int cs_last_boxed(const char *text, size_t len, char **out, struct cs_err *err);

#endif
