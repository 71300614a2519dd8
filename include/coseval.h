/* coseval.h: the public, stable C interface of libcoseval (the answer grader: extraction of final answers,
 * canonical forms, equivalence and batch grading). It is the only header a program needs.
 *
 * Versions. COSEVAL_VERSION_* give the version of the header a program was compiled with;
 * coseval_version() gives that of the library it runs with. The ABI is that of the library's SONAME
 * (libcoseval.so.COSEVAL_ABI_VERSION): within one ABI version functions and struct layouts are only added,
 * never changed or removed. coseval_grader_version() names the grading policy: when it changes, a verdict
 * may change.
 *
 * Errors. Every function that can fail returns a status (enum coseval_status) and, when err is not NULL,
 * writes one line of explanation into err->message (err->status holds the same status). COSEVAL_OK is 0.
 *
 * Ownership. Strings a function returns through a char ** are malloc'd and belong to the caller, who frees
 * them with coseval_free (or free). Strings returned as const char * (rules, reasons, verdicts, profile names,
 * versions) are static and live as long as the program.
 *
 * Threads. Every function may be called from several threads at once. A grader is immutable after
 * coseval_grader_new, so one grader may serve many threads; it must not be freed while another thread uses
 * it. An error buffer or a result struct must not be shared between threads while a call writes it. */
#ifndef COSEVAL_H
#define COSEVAL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COSEVAL_VERSION_MAJOR 0
#define COSEVAL_VERSION_MINOR 2
#define COSEVAL_VERSION_PATCH 0
#define COSEVAL_VERSION_STRING "0.2.0"
#define COSEVAL_ABI_VERSION 1

/* Statuses; the same numbers are the exit codes of the coseval command. */
enum coseval_status {
	COSEVAL_OK = 0,       /* success */
	COSEVAL_NO = 1,       /* not used by the library: the command's "the answer is no" */
	COSEVAL_USAGE = 2,    /* a bad argument: an unknown profile, an invalid answer pattern, a NULL pointer */
	COSEVAL_INPUT = 3,    /* bad input data */
	COSEVAL_DB = 4,       /* not used by the library: the command's database errors */
	COSEVAL_INTERNAL = 5  /* memory exhausted, a thread could not start, a PCRE2 failure */
};

#define COSEVAL_ERROR_SIZE 2048

/* The caller's error buffer. */
typedef struct coseval_error {
	int status;                        /* the status of the failed call; COSEVAL_OK after success */
	char message[COSEVAL_ERROR_SIZE];  /* one line, no newline; "" after success */
} coseval_error;

/* Text flags for coseval_extract and coseval_grade (a bit set). */
#define COSEVAL_TEXT_STOPPED 1u  /* the generator stopped the text at its length limit: no answer is read from
                                    its last words; an answer it marks (a box, "the answer is") still counts */

/* The version of the library ("0.2.0"), and the version of its grading policy ("2.2"). */
const char *coseval_version(void);
const char *coseval_grader_version(void);

/* Profiles are named "math", "gsm8k" and "generic". */

typedef struct coseval_grader coseval_grader;

/* Creates a grader for profile into *out (free it with coseval_grader_free). answer_pattern: NULL, or a
 * PCRE2 pattern with a named group (?<answer>...) tried before the built-in extraction rules.
 * COSEVAL_USAGE for an unknown profile or a bad pattern; COSEVAL_INTERNAL when memory runs out. */
int coseval_grader_new(const char *profile, const char *answer_pattern, coseval_grader **out, coseval_error *err);

/* Frees g; g may be NULL. */
void coseval_grader_free(coseval_grader *g);

/* The profile name of g. */
const char *coseval_grader_profile(const coseval_grader *g);

/* Extracts the final answer of text[0..len) (UTF-8). *answer: malloc'd, or NULL when no answer is found;
 * *rule: the static name of the rule that fired ("boxed", "the-answer-is", "last-number", ..., "none").
 * COSEVAL_INPUT when the text is not valid UTF-8. */
int coseval_extract(const coseval_grader *g, const char *text, size_t len, unsigned flags, char **answer,
		    const char **rule, coseval_error *err);

/* The canonical form of one answer under profile (what identical answers share), malloc'd into *out. */
int coseval_canonical(const char *profile, const char *answer, char **out, coseval_error *err);

/* Compares a gold answer with a predicted answer under profile: *equal is 1 or 0, *reason a static string
 * saying why ("equal numbers", "different numbers", "too large", ...). Bounded: about a millisecond at most. */
int coseval_compare(const char *profile, const char *gold, const char *pred, int *equal, const char **reason,
		    coseval_error *err);

/* One graded text. Release with coseval_verdict_clear. */
typedef struct coseval_verdict {
	char *answer;         /* malloc'd; NULL when no answer */
	char *canonical;      /* malloc'd; NULL when no answer */
	const char *verdict;  /* static: "correct" | "wrong" | "no-answer" */
	const char *rule;     /* static: the extraction rule that fired, "none" when none did */
	const char *reason;   /* static: why the verdict */
} coseval_verdict;

/* Extracts the answer of text[0..len) and compares it with gold (a gold answer, not a solution). Fills *out,
 * which the caller releases with coseval_verdict_clear, also after a failure. */
int coseval_grade(const coseval_grader *g, const char *gold, const char *text, size_t len, unsigned flags,
		  coseval_verdict *out, coseval_error *err);

/* Grades n pairs (golds[i], texts[i], flags[i] or 0 when flags is NULL; texts are NUL-terminated) into
 * out[0..n) on `threads` threads (0: the number of cores; at most 64). out is zeroed first; on failure
 * the first error is reported and every out[i] must still be released with coseval_verdict_clear. */
int coseval_grade_many(const coseval_grader *g, size_t n, const char *const *golds, const char *const *texts,
		       const unsigned *flags, int threads, coseval_verdict *out, coseval_error *err);

/* Grades n pairs like coseval_grade_many, with the inputs and the verdicts packed into single buffers (for
 * bindings: no string per pair crosses the interface). Gold i is golds[gold_offsets[i] .. gold_offsets[i+1])
 * and text i is texts[text_offsets[i] .. text_offsets[i+1]) (n + 1 nondecreasing offsets each; no NUL needed,
 * a text may hold NUL bytes, a gold may not); flags[i], or 0 when flags is NULL. On success *out is a
 * malloc'd buffer of *out_len bytes (plus a NUL after them; free it with coseval_free) holding, for each pair
 * in order, five fields each ended by the byte 0xFF: answer, canonical, verdict, rule, reason. An absent
 * answer or canonical is the single byte 0xFE. Every field is otherwise valid UTF-8, so neither 0xFF nor 0xFE
 * occurs in it. On failure *out is NULL, *out_len 0, and the error is that of the first failing pair seen,
 * "pair N: ...", as in coseval_grade_many. */
int coseval_grade_many_packed(const coseval_grader *g, size_t n, const char *golds, const size_t *gold_offsets,
			      const char *texts, const size_t *text_offsets, const unsigned *flags, int threads,
			      char **out, size_t *out_len, coseval_error *err);

/* Frees the strings of gr and zeroes it; gr may be NULL. */
void coseval_verdict_clear(coseval_verdict *gr);

/* Frees a string the library returned; p may be NULL. */
void coseval_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
