/* Text scanning for answer extraction (numbers, math spans, candidates, sentences), shared by extract*.c only. */
#ifndef COSEVAL_EXTRACT_TEXT_H
#define COSEVAL_EXTRACT_TEXT_H

#include <stddef.h>

/* The end of the number that starts at t[i] (i < b): an optional '-', digits with thousands separators (1,000
 * 1{,}000 40,\!000 1 000 1\,000, and spaced brace forms such as 14 {, }916), an optional decimal part or /digits;
 * or \frac, \dfrac, \tfrac of two integers. Returns i when no number starts there. Linear in the number. */
size_t csx_number_at(const char *t, size_t i, size_t b);

/* When t[i] opens a math span ($..$ or \(..\) on one line, $$..$$ or \[..\] over lines) that closes before b
 * and within 4096 bytes: sets [*cs, *ce) to its content and returns the position after the closing delimiter;
 * else returns i. */
size_t csx_math_span(const char *t, size_t i, size_t b, size_t *cs, size_t *ce);

/* What a phrase states: its math candidates (math spans; numbers, with a percent sign, fractions and number
 * words such as "six" outside them) and its words. */
struct csx_cands {
	int n;          /* candidates */
	size_t s, e;    /* the first candidate (a span's content) */
	size_t last_s;  /* where the last candidate starts (for a span, its opening delimiter) */
	size_t last_e;  /* where the last candidate ends (for a span, after its closing delimiter) */
	int words;      /* words of two letters or more (or of non-Latin script) outside math */
	int open_math;  /* a '$' with no closing '$' on its line */
};

/* Counts the candidates and words of t[a..b). */
void csx_candidates(const char *t, size_t a, size_t b, struct csx_cands *c);

/* The end of t[0..len) without trailing whitespace and the artefacts datasets leave after a text (Math-Shepherd
 * step tags " ки", special tokens such as <|im_end|> with a role word after them, </s>). */
size_t csx_trim_end(const char *t, size_t len);

/* The single math answer stated by the last sentence of a complete text t[0..len): the sentence must end the
 * text with '.', '!' or '?' (or a closed display), hold exactly one candidate, and that candidate must end it,
 * after "is", "are", "was", "be", "equals", "to", "=", ':' or "therefore"/"thus"/"hence"/"so". Returns 1 with
 * [*a, *b) set, 0 otherwise (also for a text cut mid-sentence). Looks at most 600 bytes back. */
int csx_last_sentence(const char *t, size_t len, size_t *a, size_t *b);

/* Whether a phrase t[a..b) that runs to the end of the text is cut mid-expression: it ends with an operator,
 * an opening bracket or a backslash, or its braces do not balance. */
int csx_cut_short(const char *t, size_t a, size_t b);

#endif
