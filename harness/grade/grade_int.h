/* Internal interfaces shared by the grader's modules (not for use outside harness/grade). */
#ifndef COSEVAL_GRADE_INT_H
#define COSEVAL_GRADE_INT_H

#include <stddef.h>
#include <gmp.h>

#include "grade/grade.h"

/* Size budgets: what exceeds one is graded wrong with reason "too large". */
#define CSG_MAX_ANSWER   4096   /* bytes of one answer given to comparison */
#define CSG_MAX_EXPR     1024   /* bytes of one expression given to the parser */
#define CSG_MAX_NODES    512    /* nodes of one expression tree */
#define CSG_MAX_DEPTH    64     /* nesting of parentheses, braces and structures */
#define CSG_MAX_ELEMS    64     /* elements of one tuple, set, list or matrix */
#define CSG_MAX_BITS     65536  /* bits of one exact rational (numerator plus denominator) */
#define CSG_MAX_EXP10    4000   /* absolute value of a decimal exponent */
#define CSG_MAX_POWER    4000   /* absolute value of an integer exponent evaluated exactly */
#define CSG_MAX_FACT     3000   /* largest n whose n! is computed exactly */
#define CSG_MAX_CANON_NEST 8   /* structure nesting rebuilt by canonicalisation */
#define CSG_MAX_WORK     256    /* element comparisons for one pair of answers */
#define CSG_MAX_MATRIX_OPS 512  /* element sums and products evaluating one matrix expression */
#define CSG_MAX_QWORK    (1L << 19) /* bits of all exact intermediate results of one expression */
#define CSG_MAX_STEPS    50000  /* evaluation steps for one pair of answers, about 100 instructions each: a node
				 * evaluated numerically is 1 (a function, power or root 4), exactly 5; products
				 * and gcds of big numbers cost by the sizes of their operands */

/* Outcomes of internal steps. */
enum csg_rc { CSG_OK = 0, CSG_NO = 1, CSG_BIG = 2, CSG_NOMEM = 3 };

/* A number read from an answer: its exact value and, for a plain decimal, how it was written. */
struct csg_num {
	mpq_t q;
	int is_decimal;  /* written with a decimal point and no exponent or fraction */
	int places;      /* digits after the decimal point */
	int sig;         /* significant digits written */
	int percent;     /* written with a percent sign (the value is q, and q/100 is also accepted) */
	int base;        /* a base subscript written after the digits (1011_2), 0 when there is none */
};

/* Initialises / clears n (mpq_init / mpq_clear). */
void csg_num_init(struct csg_num *n);
void csg_num_clear(struct csg_num *n);

/* Parses s[0..len) as one number (integer, decimal, fraction, mixed number, scientific notation, with an
 * optional money sign, percent sign, degree sign or unit). separators: whether thousands separators
 * (1,000 and 1 000) are read; canonical strings never have them, so that "1,234" there is a list.
 * CSG_OK: *n set; CSG_NO: not a number; CSG_BIG: a budget was exceeded. */
int csg_num_parse(const char *s, size_t len, int separators, struct csg_num *n);

/* Kinds of value words (csg_value_word), a bit set. */
enum { CSG_VW_SCALE = 1, CSG_VW_BOUND = 2, CSG_VW_ALL = 3 };

/* Whether the word w[0..n) (any case) changes or hedges the value of a number it follows or precedes, so that
 * it is never dropped as a unit; kinds selects the lists: CSG_VW_SCALE, a scale word (thousand, million,
 * dozen), pi, a fraction word (halves, thirds) or a number word (six); CSG_VW_BOUND, a bound or comparison
 * word (or, less, more, least, most, up, below, over, minus, squared) or a hedge (about, nearly, almost). The
 * lists are value_words in number.c. */
int csg_value_word(const char *w, size_t n, int kinds);

/* Compares two numbers under the policy (exact, or a decimal that is a repeating rational rounded or
 * truncated to at least 6 significant digits). Returns 1 when equal, 0 otherwise. */
int csg_num_equal(const struct csg_num *a, const struct csg_num *b);

/* Writes the canonical text of n (integer, terminating decimal or p/q), malloc'd into *out; CSG_OK or
 * CSG_NOMEM. */
int csg_num_format(const struct csg_num *n, char **out);

/* Canonical string of s[0..len), malloc'd into *out. CSG_OK, CSG_BIG or CSG_NOMEM. The table is one for all
 * profiles (the policy applies it alike everywhere); p is passed so that a profile-specific rule has a place. */
int csg_canon(enum cs_profile p, const char *s, size_t len, char **out);

/* csg_canon for an element nested depth structures deep (structures deeper than CSG_MAX_CANON_NEST are left
 * as text). */
int csg_canon_at(enum cs_profile p, const char *s, size_t len, int depth, char **out);

/* When s (canonical text, NUL-terminated) is a structure, its canonical text rebuilt from canonical elements
 * (sets, lists and unions sorted, matrices as pmatrix) malloc'd into *out; else *out NULL. CSG_OK or
 * CSG_NOMEM. */
int csg_struct_canon(enum cs_profile p, const char *s, int depth, char **out);

/* Compares two canonical strings as structures (tuples, intervals, unions, sets, lists, matrices).
 * CSG_OK with *equal and *reason set when at least one side is a structure; CSG_NO when neither is;
 * CSG_BIG or CSG_NOMEM. depth counts the structure nesting so far; *work is the number of element
 * comparisons still allowed (CSG_BIG when it runs out). */
int csg_struct_compare(enum cs_profile p, const char *a, const char *b, int depth, int *work, int *equal,
		       const char **reason);

/* Compares two canonical strings (numbers, structures, expressions), cheapest first. CSG_OK with *equal and
 * *reason, CSG_BIG or CSG_NOMEM. depth and *work as for csg_struct_compare; start with 0 and CSG_MAX_WORK (a
 * call with depth 0 starts a pair: it sets the evaluation steps to CSG_MAX_STEPS, csg_expr_budget). */
int csg_compare_canon(enum cs_profile p, const char *a, const char *b, int depth, int *work, int *equal,
		      const char **reason);

/* Compares two canonical strings as expressions (exactly where possible, else at seeded random points).
 * CSG_OK with *equal and *reason, CSG_NO when one side does not parse, CSG_BIG or CSG_NOMEM. A side whose
 * value needs 0^0 (which has none) makes the pair not equal with the reason CSG_REASON_ZERO_POW_ZERO. */
int csg_expr_compare(const char *a, const char *b, int *equal, const char **reason);

/* Sets the evaluation steps that csg_expr_compare draws from, per thread: csg_compare_canon sets CSG_MAX_STEPS
 * when the comparison of a pair of answers starts, so that all its expression comparisons share one budget. */
void csg_expr_budget(long steps);

#define CSG_REASON_ZERO_POW_ZERO "0^0 is undefined: cannot compare"

/* Finds the last \boxed / \fbox in text[0..len), joining boxes linked by "and"/"or"/commas into one list.
 * *out malloc'd (NULL when there is none). join: whether to join linked boxes. CSG_OK or CSG_NOMEM. */
int csg_boxed(const char *text, size_t len, int join, char **out);

/* Whether s[0..n) contains the text lit. */
int csg_contains(const char *s, size_t n, const char *lit);

/* malloc'd copy of s[0..len); NULL when memory runs out. */
char *csg_strndup(const char *s, size_t len);

/* Decimal places beyond which a written decimal is "too large" (CSG_BIG from csg_num_parse). */
#define CSG_MAX_PLACES 2000

/* When s[0..len) is "0,ddd" or "-0,ddd" (a decimal comma: no thousands group starts with 0), its value into
 * *n and CSG_OK; else CSG_NO. Only the gsm8k profile reads it so (elsewhere "0,5" is a list of two roots). */
int csg_num_decimal_comma(const char *s, size_t len, struct csg_num *n);

/* A matrix read from an answer: rows x cols element texts, row by row (malloc'd). */
struct csg_matrix {
	int rows, cols;
	char *el[CSG_MAX_ELEMS];
};

/* Reads s[0..n) as a matrix: one pmatrix/bmatrix/matrix... environment, an array environment inside brackets or
 * parentheses, or sums, differences and products (scalar or matrix) of them, evaluated element by element
 * (exactly for numbers, else as the text "(a)+(b)"). Nothing may follow or precede the matrix expression.
 * CSG_OK: *m filled (release with csg_matrix_clear); CSG_NO: not a matrix (m empty); CSG_BIG; CSG_NOMEM. */
int csg_matrix_read(const char *s, size_t n, struct csg_matrix *m);

/* Frees the elements of m and empties it. */
void csg_matrix_clear(struct csg_matrix *m);

/* Relations (relation.c; inequality.c, equation.c, labelmap.c and linear.c behind it). Compares two canonical
 * strings when at least one is a relation: inequalities as sets of reals (also against written intervals),
 * equations by solution set (f = lhs - rhs equal up to a non-zero constant factor), a labelled value
 * "f(x) = v" as v against an answer without a label, and label = value lists as label -> value maps (";", or a
 * repeated label, starts another solution). CSG_OK with *equal and *reason, CSG_NO when neither side is a
 * relation, CSG_BIG or CSG_NOMEM. depth and *work as for csg_compare_canon. */
int csg_relation_compare(enum cs_profile p, const char *a, const char *b, int depth, int *work, int *equal,
			 const char **reason);

/* Whether s[0..n) is a label, a name that a value may be given to: letters and Greek letters with subscripts
 * and primes, juxtaposed (AB, S_{MBCN}), applied to labels (f(x)), in bars (|AB|), in a tuple ((p,q)), in a
 * \frac or ratio of labels (\frac{NO}{BO}, V_1:V_2). No digits outside subscripts, no sums, no powers. */
int csg_is_label(const char *s, size_t n);

/* Whether s[0..n) has an unknown: a letter outside command names and \text{...}, or a Greek letter other
 * than \pi. */
int csg_has_unknown(const char *s, size_t n);

/* Canonical text of s[0..n) (after the replacement table) when it is a list of label = value assignments
 * with two or more labels in one solution ("a_3 = 2, a_{37} = 19"; "p=5,q=2;p=7,q=2"): each solution as
 * "label=value,..." in written order with canonical labels (a_{3} is a_3) and values, solutions sorted and
 * joined by ";", malloc'd into *out; *out NULL when s is not such a list. CSG_OK, CSG_BIG or CSG_NOMEM. */
int csg_relation_canon(enum cs_profile p, const char *s, size_t n, int depth, char **out);

#endif
