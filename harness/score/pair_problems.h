/* A WC-SE pair problem by problem: each shared problem's counts, its coverage probability in each run at
 * the matched budgets of `coseval pair`, its coverage class probabilities, and the expected class counts
 * with bootstrap intervals, overall and by level and subject. */
#ifndef COSEVAL_PAIR_PROBLEMS_H
#define COSEVAL_PAIR_PROBLEMS_H

#include "classes.h"
#include "score/pair.h"

/* One shared problem; strings borrowed from the WC run's data (valid while it is). */
struct cs_pp_problem {
	const char *key;      /* the problem's id in its dataset */
	const char *subject;  /* NULL when unknown */
	int level;            /* 0 when unknown */
	int wc_c, wc_n;       /* WC: correct samples, samples */
	int se_c, se_n;       /* SE: correct samples, samples */
};

/* One budget: the SE budget and the WC budget matched to it, and every problem's probabilities. */
struct cs_pp_budget {
	int se_k, wc_k;
	double ratio;                       /* WC samples per SE sample, unrounded */
	double *p_wc, *p_se;                /* np each, owned: coverage probability at wc_k and se_k */
	double *probs[CS_CLASS_COUNT];      /* np each, owned: class probabilities */
	unsigned *top;                      /* np, owned: the most probable classes (cs_class_top masks) */
};

/* The expected class counts of one slice at one budget. */
struct cs_pp_slice {
	char *name;                         /* owned: "all", "level=N", "level=unknown", "subject=S",
	                                       "subject=unknown" */
	int budget;                         /* index into budgets */
	int problems;                       /* problems in the slice */
	struct cs_interval count[CS_CLASS_COUNT]; /* expected count and its bootstrap interval */
	double wc_coverage, se_coverage;    /* mean coverage of each run over the slice */
};

struct cs_pp_result {
	double level;                       /* confidence level of the intervals */
	int np;
	struct cs_pp_problem *problems;     /* owned, np, in problems.id order */
	int nb;
	struct cs_pp_budget *budgets;       /* owned, nb */
	int nslices;
	struct cs_pp_slice *slices;         /* owned: per budget, "all", then levels ascending, then subjects
	                                       in text order (only where some problem has a level or subject) */
};

/* Fills *out (free with cs_pp_result_free) for runs wc and se at the budgets of pair (the result of
 * cs_pair_compare for the same runs: its coverage rows give each SE budget and its matched WC budget).
 * Intervals: cs_class_counts with opt's seed, replicates and level, over each slice's problems.
 * Errors: CS_INPUT (no shared problem, a budget above a problem's samples), CS_INTERNAL. */
int cs_pair_problems(const struct cs_run_data *wc, const struct cs_run_data *se, const struct cs_pair_result *pair,
		     const struct cs_score_opts *opt, struct cs_pp_result *out, struct cs_err *err);

/* Frees what cs_pair_problems allocated; a zeroed result is fine. */
void cs_pp_result_free(struct cs_pp_result *r);

#endif
