/* The study page of `coseval view`: one self-contained HTML file with the report table, the pair table, the
 * plots as inline SVG and every sample of the runs for browsing, problem by problem. */
#ifndef COSEVAL_VIEW_H
#define COSEVAL_VIEW_H

#include <stdio.h>

#include "rows.h"
#include "store/browse.h"
#include "util/error.h"

/* What the page shows besides the samples; everything is borrowed from the caller. */
struct cs_view_page {
	const char *title;
	const char *subtitle;           /* a line under the title (database, grader version), or NULL */
	int nruns;
	const char *const *runs;        /* the run names, in the order of cs_browse_samples */
	const char *const *models;      /* each run's model */
	const struct cs_rows *rows;     /* the report's rows */
	const char *pair_text;          /* the pair table as `coseval pair` prints it, or NULL */
	const char *pair_note;          /* why there is no pair table, or NULL */
	const char *const *svgs;        /* nsvgs SVG documents (their XML declaration is left out of the page) */
	int nsvgs;
	const char *plot_note;          /* a line under the plots, or NULL */
	size_t max_text;                /* the longest sample text kept whole, in bytes; 0: no limit */
};

/* The writer's state while the samples stream through it. Opaque to callers; fields are owned by it. */
struct cs_view_writer {
	FILE *f;
	const struct cs_view_page *page;
	long long problem;              /* the problems.id of the open block, -1 before the first */
	char *pkey, *pdataset, *psubject;
	int plevel;
	int *correct, *count;           /* per run, of the open problem */
	int nsamples_block;
	FILE *list;                     /* the problem list being gathered (list_buf, list_len) */
	char *list_buf;
	size_t list_len;
	char **datasets;                /* the distinct datasets seen */
	int ndatasets;
	long nproblems, nsamples, ncut;
	long long cut_bytes;
};

/* Starts the page on f (caller-owned): head, style, report, pair table, plots and the problem browser's
 * frame. Returns CS_OK or CS_INTERNAL (out of memory). */
int cs_view_begin(struct cs_view_writer *w, FILE *f, const struct cs_view_page *page, struct cs_err *err);

/* A cs_browse_fn (ctx is the writer): adds one sample to its problem's data block. */
int cs_view_sample(void *ctx, const struct cs_browse_sample *s, struct cs_err *err);

/* Ends the page: the problem list, the script. CS_INTERNAL when writing failed. The writer is freed. */
int cs_view_end(struct cs_view_writer *w, struct cs_err *err);

/* Frees the writer (after an error; cs_view_end frees it too). A zeroed writer is fine. */
void cs_view_writer_free(struct cs_view_writer *w);

#endif
