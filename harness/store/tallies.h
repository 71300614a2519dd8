/* Loading a graded run from the store into per-problem tallies, the input of the metrics. */
#ifndef COSEVAL_TALLIES_H
#define COSEVAL_TALLIES_H

#include "metrics.h"
#include "store/store.h"

/* What makes two correct solutions "the same" for diversity@k. */
enum cs_unique {
	CS_UNIQUE_EXACT,      /* identical text */
	CS_UNIQUE_NORMALIZED, /* identical after folding white space runs into one space and ASCII case */
	CS_UNIQUE_ANSWER      /* identical canonical final answer */
};

/* Parses "exact" | "normalized" | "answer"; returns 0, or -1 for another name. */
int cs_unique_parse(const char *name, enum cs_unique *out);
const char *cs_unique_name(enum cs_unique u);

/* One run's graded samples, problem by problem (in problems.id order), with the run's attributes.
 * Everything is owned by the struct and freed by cs_run_data_free. */
struct cs_run_data {
	char *name, *model, *dataset;
	double params;          /* 0 when unknown */
	double price_out;       /* USD per 1M output tokens, 0 when unknown */
	double mean_tokens;     /* mean tokens per sample over samples that have a count; 0 when none do or
	                           until cs_run_mean_tokens has read it */
	sqlite3_int64 run_id;   /* runs.id */
	char *tags;             /* "key=value,key=value", "" when none */
	char *grader_versions;  /* the distinct grader versions of the grades, comma-separated */
	int np;                 /* problems with samples */
	long samples;
	sqlite3_int64 *problem_ids;
	char **problem_keys;
	char **subjects;        /* NULL entries where unknown */
	int *levels;            /* 0 where unknown */
	struct cs_tally *tallies;
	unsigned char *correct; /* pools the tallies point into */
	int *answer;
	int *solution;
};

/* Loads run (by name) with uniqueness u. A run with ungraded samples is refused (CS_INPUT, with the
 * count and the command that grades them); an unknown run is CS_INPUT. */
int cs_run_data_load(struct cs_store *st, const char *run, enum cs_unique u, struct cs_run_data *out,
		     struct cs_err *err);

/* Reads d's mean tokens per sample (a scan of the run's rows, so only the commands that need it call it:
 * compute matching with tokens, price matching, FLOPs and cost axes). */
int cs_run_mean_tokens(struct cs_store *st, struct cs_run_data *d, struct cs_err *err);

/* Frees what cs_run_data_load allocated; a zeroed struct is fine. */
void cs_run_data_free(struct cs_run_data *d);

#endif
