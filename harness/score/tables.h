/* The paper's tables, computed: the data-quality table (WC vs SE at matched budgets: coverage, diversity,
 * false-positive rate) and the finetuning table (a metric pivoted by two run tags, with a relative gain). */
#ifndef COSEVAL_TABLES_H
#define COSEVAL_TABLES_H

#include "metrics.h"
#include "score/pair.h"
#include "store/store.h"

/* The false-positive rates of one pair, both from the named judge, or by default the first judge in name
 * order who judged both runs (as in pair). The difference WC - SE has Newcombe's hybrid score interval built from the
 * two Wilson intervals; when either run has no judged correct-answer sample everything but the counts
 * is NaN. */
struct cs_dq_fpr {
	struct cs_fpr wc, se;
	double diff, diff_lo, diff_hi; /* WC - SE */
	double gain;                   /* (WC - SE) / SE */
};

/* One WC:SE pair of the data-quality table. Strings owned by the table. */
struct cs_dq_block {
	char *dataset;                 /* the WC run's dataset ("wc / se" when the two differ) */
	char *wc_run, *wc_model, *se_run, *se_model;
	int shared;                    /* problems both runs have */
	struct cs_pair_row *coverage;  /* one per budget, owned */
	struct cs_pair_row *diversity; /* one per budget, owned */
	struct cs_dq_fpr fpr;
	char *options;                 /* how the figures were computed */
};

/* The whole table; blocks ordered by dataset (by first appearance), then in the order the pairs were
 * given. */
struct cs_dq_table {
	struct cs_dq_block *blocks;
	int count;
	int nbudgets;
	const char *const *budget_names; /* borrowed from the caller */
	const int *budget_ks;            /* borrowed: the SE budgets */
	enum cs_pair_match match;
	const char *judge;               /* borrowed: the judge of the FPR rows, NULL for the default */
};

/* Computes the data-quality table for npairs pairs (wc[i], se[i], run names) at the SE budgets
 * budget_ks[0..nb) (named budget_names), each WC budget matched as cs_pair_compare does (the figures are
 * those of `coseval pair` with the same options). FPR from cs_fpr_counts at level opt->ci, by judge (NULL: the
 * first judge in name order who judged both runs of a pair; a pair that judge has not judged in both runs
 * has no FPR, as a pair without a common judge). Fills *out
 * (free with cs_dq_table_free). Errors: CS_INPUT (unknown or ungraded run, budgets that do not fit, a
 * match a run lacks the quantities for), CS_DB, CS_INTERNAL. */
int cs_table_data(struct cs_store *st, const char *const *wc, const char *const *se, int npairs,
		  const char *const *budget_names, const int *budget_ks, int nb, enum cs_pair_match match,
		  const char *judge, const struct cs_score_opts *opt, struct cs_dq_table *out, struct cs_err *err);

/* Frees what cs_table_data allocated; a zeroed table is fine. */
void cs_dq_table_free(struct cs_dq_table *t);

/* Options of the finetuning table; strings borrowed. */
struct cs_ft_opts {
	const char *metric;      /* "pass@1" or "coverage@K" (K >= 1) */
	const char *rows_tag;    /* tag whose values are the rows, e.g. "student" */
	const char *cols_tag;    /* tag whose values are the columns, e.g. "trained_on" */
	const char *gain;        /* "A:B": relative gain of column A over column B; NULL: "wc:se" when both
	                            columns exist, else no gain */
	const char *where;       /* "KEY=VALUE[,KEY=VALUE]": only runs with these tags, or NULL */
	const char *const *runs; /* only these runs (nruns of them), or all runs when nruns is 0 */
	int nruns;
	struct cs_score_opts score; /* ci, replicates, seed (ks, by and unique are not used) */
};

/* One cell: the metric of the one run with that row and column value. */
struct cs_ft_cell {
	char *run;               /* NULL when no run has that pair of values */
	struct cs_interval v;    /* point NaN when no problem has a value */
	int excluded;            /* problems without a value (fewer than K samples) */
};

/* The gain of one row: A over B on the problems both runs have. */
struct cs_ft_gain {
	int present;             /* both cells have a run */
	struct cs_interval diff; /* A - B, paired bootstrap (cs_bootstrap_paired) */
	struct cs_interval rel;  /* (A - B) / B: the point on the shared problems, the interval a bootstrap
	                            of the ratio of sums over the same resampled problems (cs_bootstrap_stat) */
	int problems;            /* shared problems with a value in both */
};

struct cs_ft_table {
	char *metric, *rows_tag, *cols_tag;
	int nrows, ncols;
	char **row_values, **col_values; /* sorted by text */
	struct cs_ft_cell *cells;        /* nrows * ncols, row-major */
	char *gain_a, *gain_b;           /* NULL without a gain column */
	struct cs_ft_gain *gains;        /* nrows, NULL without a gain column */
	char *options;
};

/* Pivots the metric of the runs that carry both tags (and the --where tags). Two runs in one cell are
 * CS_INPUT (naming both and suggesting --where or --runs); no run with both tags is CS_INPUT; a gain
 * column that is not a column value is CS_INPUT; a bad metric is CS_USAGE. Every run used must be
 * graded. Fills *out (free with cs_ft_table_free). */
int cs_table_finetune(struct cs_store *st, const struct cs_ft_opts *opt, struct cs_ft_table *out,
		      struct cs_err *err);

/* Frees what cs_table_finetune allocated; a zeroed table is fine. */
void cs_ft_table_free(struct cs_ft_table *t);

#endif
