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

/* Run tags as struct cs_run_data holds them: "key=value" items joined by CS_TAG_SEP, a control character
 * that tag keys and values cannot hold (import refuses control characters), so that a value may hold commas
 * and '=' and stays one value. CS_TAG_SEP_SQL is the same character in SQL. */
#define CS_TAG_SEP '\x1f'
#define CS_TAG_SEP_SQL "char(31)"

/* The value of tag key in tags (joined as above): a pointer into tags, with its length in *len; NULL when
 * there is no tag key. */
const char *cs_tag_find(const char *tags, const char *key, size_t *len);

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
	char *tags;             /* "key=value" items joined by CS_TAG_SEP (see cs_tag_find), "" when none */
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
	long pooled;            /* samples copied into the pools so far (while loading) */
};

/* What cs_run_scan calls for each problem: index is the problem's position in d (problems.id order), t is
 * its tally in sample-index order, borrowed for the duration of the call. A status other than CS_OK stops
 * the scan and is returned by it. */
typedef int (*cs_problem_fn)(void *ctx, int index, const struct cs_tally *t, struct cs_err *err);

/* Reads run (by name) with uniqueness u, one problem at a time: fills d's attributes and per-problem arrays
 * (name ... levels, np, samples, grader_versions; not the tallies or pools) and calls fn (may be NULL) for
 * every problem in problems.id order. Memory stays bounded whatever the run's size: the grades are read
 * once, in storage order; a run of more than about a million samples has them spilled, by groups of whole
 * problems, to temporary files in $TMPDIR (about 32 bytes per sample), which are read back one group at a
 * time, so that only one group is held.
 * Two solutions are the same under "exact" and "normalized" when their stored 64-bit text keys agree
 * (util/hash.h). Errors as cs_run_data_load; d is freed on error. */
int cs_run_scan(struct cs_store *st, const char *run, enum cs_unique u, struct cs_run_data *d, cs_problem_fn fn,
		void *ctx, struct cs_err *err);

/* cs_run_scan with groups of at most chunk_samples samples (cs_run_scan uses about a million; a problem is
 * never split, and there are at most 256 groups: a larger run gets larger groups); exposed so that tests can
 * force many groups on a small run. */
int cs_run_scan_chunked(struct cs_store *st, const char *run, enum cs_unique u, long chunk_samples,
			struct cs_run_data *d, cs_problem_fn fn, void *ctx, struct cs_err *err);

/* Loads run (by name) with uniqueness u. A run with ungraded samples is refused (CS_INPUT, with the
 * count and the command that grades them); an unknown run is CS_INPUT. */
int cs_run_data_load(struct cs_store *st, const char *run, enum cs_unique u, struct cs_run_data *out,
		     struct cs_err *err);

/* The largest number of samples any problem of run has (0 without samples); CS_INPUT for an unknown run. */
int cs_run_max_samples(struct cs_store *st, const char *run, int *max_n, struct cs_err *err);

/* Reads d's mean tokens per sample (a scan of the run's rows, so only the commands that need it call it:
 * compute matching with tokens, price matching, FLOPs and cost axes). */
int cs_run_mean_tokens(struct cs_store *st, struct cs_run_data *d, struct cs_err *err);

/* The problems a and b share: both list their problems in problems.id order, and the k-th shared problem is
 * a's problem ai[k] and b's problem bi[k]. ai and bi (caller-owned) hold at least the smaller of a->np and
 * b->np entries. Returns how many problems are shared. */
int cs_run_data_shared(const struct cs_run_data *a, const struct cs_run_data *b, int *ai, int *bi);

/* Frees what cs_run_data_load allocated; a zeroed struct is fine. */
void cs_run_data_free(struct cs_run_data *d);

#endif
