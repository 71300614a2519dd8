/* Internal interfaces shared by the relation modules (relation.c, linear.c, inequality.c, equation.c, labelmap.c). */
#ifndef COSEVAL_GRADE_RELATION_INT_H
#define COSEVAL_GRADE_RELATION_INT_H

#include <stddef.h>
#include <gmp.h>

#include "grade/grade_int.h"

#define MAX_MEMBERS 4     /* members of one chain "a < x < b" */
#define MAX_KEY     64    /* bytes of one canonical label */

/* Relation operators. */
enum rop { OP_NONE, OP_EQ, OP_LT, OP_GT, OP_LE, OP_GE, OP_NE, OP_IN };

/* Kinds of answers, as far as relations go. */
enum rkind { RK_PLAIN, RK_INEQ, RK_EQN, RK_LABELLED, RK_MAPS, RK_OTHER };

struct span {
	const char *s;
	size_t n;
};

/* One item of an answer: members joined by relation operators ("a", "x<5", "-2\le x\le 7"). */
struct chain {
	int count;
	struct span m[MAX_MEMBERS];
	int op[MAX_MEMBERS - 1];
};

/* An answer split at top-level ";" (groups) and "," (items). */
struct items {
	int count;
	struct span it[CSG_MAX_ELEMS];
	int group[CSG_MAX_ELEMS];
	struct chain ch[CSG_MAX_ELEMS];
	int relational;   /* some item has a relation operator */
};

/* A list of solutions, each a list of label = value pairs in written order. */
struct maps {
	int nsol;
	int first[CSG_MAX_ELEMS];   /* first pair of each solution */
	int npairs;
	struct span label[CSG_MAX_ELEMS];
	struct span value[CSG_MAX_ELEMS];
};

/* A cursor over s[0..n) for scanning labels and braces; depth counts the nesting of the label scanner. */
struct lscan {
	const char *s;
	size_t n, i;
	int depth;
};

/* A cursor of the linear-form reader over s[0..n). */
struct lin {
	const char *s;
	size_t n, i;
	int depth;
	struct span var;   /* the unknown, once seen */
};

/* ---- relation.c: the shared reading of relational answers ---- */

/* Names of the Greek letters read as unknowns and labels (without the backslash), NULL-terminated. */
extern const char *const csr_greek_names[];

/* Whether s[0..l) is one of the names of the NULL-terminated table tab. */
int csr_name_in(const char *const *tab, const char *s, size_t l);

/* Length of the command name after the backslash at s[i] (0 for an escaped character such as \{). */
size_t csr_cmd_name_len(const char *s, size_t n, size_t i);

/* Whether s[i] starts the command \name (the whole command name, not a prefix of a longer one). */
int csr_cmd_is(const char *s, size_t n, size_t i, const char *name);

/* Steps the top-level scan over s[*i]: updates *depth for brackets (also \{ \}) and skips whole commands.
 * Returns 1 when s[*i] is at depth 0 and may be a separator or an operator, 0 when it was consumed. */
int csr_top_step(const char *s, size_t n, size_t *i, int *depth);

/* s[0..n) without leading and trailing spaces and "~". */
struct span csr_trimmed(const char *s, size_t n);

/* Splits s[0..n) at top-level ";" and "," into it (empty items, as left by "and" turned into a comma, are
 * dropped), and each item into its chain. CSG_OK, CSG_NO (unbalanced or a chain too long), CSG_BIG. */
int csr_parse_items(const char *s, size_t n, struct items *it);

/* Skips a balanced {...} at the cursor of l; 0 when there is none or it does not close. */
int csr_skip_braces(struct lscan *l);

/* Whether s[0..n) is a function applied to labels, such as f(x) or P(A, B). */
int csr_is_application(const char *s, size_t n);

/* Writes the canonical key of label s[0..n) into key (MAX_KEY bytes): spaces dropped, the braces of a
 * one-character subscript dropped (a_{3} is a_3; a_{37} keeps its braces, as a_37 is a_3 times 7). Returns 0
 * when it does not fit. */
int csr_label_key(const char *s, size_t n, char *key);

/* ---- linear.c: linear forms a*v + b with exact rational coefficients, in one unknown v ---- */

/* Reads an unknown at the cursor of p (a letter other than e and i, or a Greek letter, with a subscript) and
 * advances past it. The first unknown read is recorded in p->var; a later one must be the same. Returns 1 when
 * an (acceptable) unknown was read. */
int csr_lin_var(struct lin *p);

/* Reads s[0..n) as a*v + b; *var is the unknown (length 0 when there is none). Returns 1 when it is one. */
int csr_linear(const char *s, size_t n, mpq_t a, mpq_t b, struct span *var);

/* ---- inequality.c: inequalities as sets of reals ---- */

/* Compares an inequality answer ia with another inequality answer ib (kb == RK_INEQ) or a written interval
 * (union) b (kb == RK_PLAIN), both as sets of reals. CSG_OK with *equal and *reason (also when a side is not
 * understood), CSG_BIG or CSG_NOMEM. depth and *work as for csg_compare_canon. */
int csr_inequality_compare(enum cs_profile p, const struct items *ia, const struct items *ib, const char *b,
			   int kb, int depth, int *work, int *equal, const char **reason);

/* ---- equation.c: equations compared by solution set ---- */

/* Compares two equations by solution set: equal when f_a = c f_b for a constant c != 0 (f = lhs - rhs),
 * tested as f_a(P) f_b(Q) = f_a(Q) f_b(P) with the unknowns renamed apart in Q. CSG_OK with *equal and
 * *reason (also for equations not compared), CSG_BIG or CSG_NOMEM. */
int csr_equations_equal(const struct chain *ca, const struct chain *cb, int *equal, const char **reason);

/* ---- labelmap.c: labelled values as label -> value maps ---- */

/* Reads the items of an answer as solutions of label = value pairs: a repeated label or a ";" starts a new
 * solution; "(p,q) = (3,2)" gives two pairs; "x = 6/2 = 3" stands for its last member. Returns 1 when every
 * item is such an assignment. */
int csr_read_maps(const struct items *it, struct maps *mp);

/* Compares value text a[0..na) with b[0..nb) after canonicalising both; *eq is the result. CSG_OK, CSG_BIG or
 * CSG_NOMEM. */
int csr_values_equal(enum cs_profile p, const char *a, size_t na, const char *b, size_t nb, int depth, int *work,
		     int *eq);

/* Compares two label -> value answers: the same solutions, in any order, each with the same labels and equal
 * values. CSG_OK with *equal, CSG_BIG or CSG_NOMEM. */
int csr_maps_equal(enum cs_profile p, const struct maps *ma, const struct maps *mb, int depth, int *work,
		   int *equal);

/* Compares label -> value solutions with an answer b without labels: a tuple, one value, or a list or set of
 * values / tuples, one per solution. CSG_OK with *equal and *reason, CSG_BIG or CSG_NOMEM. */
int csr_maps_vs_plain(enum cs_profile p, const struct maps *mp, const char *b, int depth, int *work,
		      int *equal, const char **reason);

/* Canonical text of the label -> value answer mp when some solution has two or more labels: each solution as
 * "label=value,..." in written order with canonical labels and values, solutions sorted and joined by ";",
 * malloc'd into *out; *out NULL when every solution has one label. CSG_OK, CSG_BIG or CSG_NOMEM. */
int csr_maps_canon(enum cs_profile p, const struct maps *mp, int depth, char **out);

#endif
