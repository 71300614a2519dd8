/* Computing the per-problem values of every metric with metrics/, bootstrapping them all with shared
 * resampled problems, and turning them into rows; one pass per slice. */
#include "score/score.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cs_parse_ks(const char *text, int max_n, int **ks, int *nk, struct cs_err *err)
{
	int cap = 64, n = 0;
	int *out = malloc((size_t)cap * sizeof *out);

	*ks = NULL;
	*nk = 0;
	if (out == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	if (max_n < 1)
		max_n = 1;
	if (text == NULL || strcmp(text, "all") == 0) {
		int all = text != NULL;
		for (int k = 1; k <= max_n; k = all ? k + 1 : k * 2) {
			if (n == cap) {
				int *grown = realloc(out, (size_t)(cap *= 2) * sizeof *out);
				if (grown == NULL) {
					free(out);
					return cs_fail(err, CS_INTERNAL, "out of memory");
				}
				out = grown;
			}
			out[n++] = k;
		}
		if (out[n - 1] != max_n)
			out[n++] = max_n;
	} else {
		const char *p = text;
		while (*p) {
			char *end;
			long k = strtol(p, &end, 10);
			if (end == p || k < 1 || k > 1000000 || (*end != ',' && *end != '\0') || n == cap ||
			    (n > 0 && k <= out[n - 1])) {
				free(out);
				return cs_fail(err, CS_USAGE, "--k wants ascending positive numbers such as 1,2,4,8 (at most "
					       "64 of them) or 'all', got '%s'", text);
			}
			out[n++] = (int)k;
			p = *end == ',' ? end + 1 : end;
		}
		if (n == 0) {
			free(out);
			return cs_fail(err, CS_USAGE, "--k is empty");
		}
	}
	*ks = out;
	*nk = n;
	return CS_OK;
}

void cs_score_options(const struct cs_score_opts *opt, const char *grader, char *buf, size_t size)
{
	snprintf(buf, size, "unique=%s;ci=%g;bootstrap=%d;seed=%llu;grader=%s", cs_unique_name(opt->unique), opt->ci,
		 opt->replicates, (unsigned long long)opt->seed, grader);
}

void cs_scored_init(struct cs_scored *sc, const struct cs_score_opts *opt)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(sc, 0, sizeof *sc);
	sc->opt = opt;
	sc->ncols = 1 + 3 * opt->nk;
	sc->metrics = opt->metrics != 0 ? opt->metrics
					: CS_SCORE_PASS1 | CS_SCORE_COVERAGE | CS_SCORE_DIVERSITY | CS_SCORE_MAJ;
	sc->nthreads = opt->threads > 0 ? opt->threads : cores > 0 ? (int)cores : 1;
	if (sc->nthreads > CS_SCORE_MAX_THREADS)
		sc->nthreads = CS_SCORE_MAX_THREADS;
	cs_maj_default_opts(&sc->maj, opt->seed);
}

void cs_scored_free(struct cs_scored *sc)
{
	free(sc->values);
	free(sc->n);
	free(sc->method);
	for (int i = 0; i < CS_SCORE_MAX_THREADS; i++)
		cs_maj_groups_free(&sc->groups[i]);
	free(sc->wait_index);
	free(sc->wait_n);
	free(sc->wait_at);
	free(sc->wait_flags);
	free(sc->pool_correct);
	free(sc->pool_answer);
	free(sc->pool_solution);
	memset(sc, 0, sizeof *sc);
}

/* Makes room in sc for problem indexes up to top. */
static int scored_reserve(struct cs_scored *sc, int top, struct cs_err *err)
{
	int cap = sc->cap ? sc->cap : 256;
	double *values;
	int *n;
	unsigned char *method;

	if (top < sc->cap)
		return CS_OK;
	while (cap <= top)
		cap *= 2;
	values = realloc(sc->values, (size_t)cap * (size_t)sc->ncols * sizeof *values);
	if (values != NULL)
		sc->values = values;
	n = realloc(sc->n, (size_t)cap * sizeof *n);
	if (n != NULL)
		sc->n = n;
	method = realloc(sc->method, (size_t)cap * (size_t)(sc->opt->nk + 1));
	if (method != NULL)
		sc->method = method;
	if (values == NULL || n == NULL || method == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (int i = sc->cap; i < cap; i++)
		sc->n[i] = -1;
	sc->cap = cap;
	return CS_OK;
}

/* The values of problem index from tally t into its row of sc (which has room for it), groups being the
 * calling thread's scratch: pass@1, then coverage, diversity and maj@k for each k. The problem's counts and
 * answer groups are built once and read at every k, in increasing order. */
static int score_problem(struct cs_scored *sc, struct cs_maj_groups *groups, int index, const struct cs_tally *t,
			 struct cs_err *err)
{
	const struct cs_score_opts *opt = sc->opt;
	double *v = sc->values + (size_t)index * (size_t)sc->ncols;
	int rc;

	sc->n[index] = t->n;
	for (int c = 0; c < sc->ncols; c++)
		v[c] = NAN;
	memset(sc->method + (size_t)index * (size_t)(opt->nk + 1), CS_MAJ_NONE, (size_t)opt->nk + 1);
	rc = cs_tally_check(t, index, err);
	if (rc != CS_OK)
		return rc;
	if (sc->metrics & CS_SCORE_PASS1)
		v[0] = t->n > 0 ? (double)cs_tally_correct(t) / t->n : NAN;
	if (sc->metrics & (CS_SCORE_COVERAGE | CS_SCORE_DIVERSITY)) {
		struct cs_counts counts;

		rc = cs_counts_build(t, &counts, err);
		if (rc != CS_OK)
			return rc;
		for (int j = 0; j < opt->nk; j++)
			cs_counts_at(&counts, opt->ks[j], sc->metrics & CS_SCORE_COVERAGE ? &v[1 + 3 * j] : NULL,
				     sc->metrics & CS_SCORE_DIVERSITY ? &v[2 + 3 * j] : NULL);
		cs_counts_free(&counts);
	}
	if (sc->metrics & CS_SCORE_MAJ) {
		if (t->n > 0 && t->answer == NULL)
			return cs_fail(err, CS_USAGE, "maj@k: problem %d has no answer ids", index);
		rc = cs_maj_groups_build(t, index, groups, err);
		for (int j = 0; rc == CS_OK && j < opt->nk; j++) {
			enum cs_maj_method used = CS_MAJ_NONE;

			/* the Monte Carlo stream of a problem is its position in the run, whatever the slice */
			rc = cs_maj_groups_eval(groups, opt->ks[j], &sc->maj, (uint64_t)index, &v[3 + 3 * j], &used, err);
			sc->method[(size_t)index * (size_t)(opt->nk + 1) + (size_t)j] = (unsigned char)used;
		}
	}
	return rc;
}

/* A list of problems scored by several threads, which take the next problem as they finish one. */
struct score_job {
	struct cs_scored *sc;
	const int *index;           /* count problem indexes */
	const struct cs_tally *t;   /* their tallies */
	int count;
	atomic_int next;            /* the next position to take */
	atomic_int stop;            /* set at the first failure: no new problem is taken */
};

/* One thread's share of a job, and its first failure (at the lowest position it met). */
struct score_worker {
	struct score_job *job;
	int slot;                   /* the thread's scratch, sc->groups[slot] */
	int rc, failed_at;
	struct cs_err err;
};

static void *score_worker_run(void *arg)
{
	struct score_worker *w = arg;
	struct score_job *job = w->job;

	w->rc = CS_OK;
	while (!atomic_load(&job->stop)) {
		int i = atomic_fetch_add(&job->next, 1);

		if (i >= job->count)
			break;
		w->rc = score_problem(job->sc, &job->sc->groups[w->slot], job->index[i], &job->t[i], &w->err);
		if (w->rc != CS_OK) {
			w->failed_at = i;
			atomic_store(&job->stop, 1);
			break;
		}
	}
	return NULL;
}

/* Scores problems index[0..count-1] (ascending) from tallies t[0..count-1], on up to sc->nthreads threads.
 * The problems are handed out in order, so when some fail, every problem before the first failure was
 * scored, and that failure is the one reported, whatever the threads. */
static int score_list(struct cs_scored *sc, const int *index, const struct cs_tally *t, int count, struct cs_err *err)
{
	struct score_job job;
	struct score_worker workers[CS_SCORE_MAX_THREADS];
	pthread_t threads[CS_SCORE_MAX_THREADS];
	int nthreads = sc->nthreads, started = 1, rc, first = -1;

	if (count <= 0)
		return CS_OK;
	rc = scored_reserve(sc, index[count - 1], err);
	if (rc != CS_OK)
		return rc;
	if (index[count - 1] + 1 > sc->np)
		sc->np = index[count - 1] + 1;
	if (nthreads > count)
		nthreads = count;
	job.sc = sc;
	job.index = index;
	job.t = t;
	job.count = count;
	atomic_init(&job.next, 0);
	atomic_init(&job.stop, 0);
	for (int w = 0; w < nthreads; w++) {
		workers[w].job = &job;
		workers[w].slot = w;
		workers[w].rc = CS_OK;
		workers[w].failed_at = count;
	}
	/* the calling thread is worker 0; a thread that cannot start leaves its share to the others */
	for (int w = 1; w < nthreads; w++)
		if (pthread_create(&threads[w], NULL, score_worker_run, &workers[w]) == 0)
			started = w + 1;
		else
			break;
	score_worker_run(&workers[0]);
	for (int w = 1; w < started; w++)
		pthread_join(threads[w], NULL);
	for (int w = 0; w < started; w++)
		if (workers[w].rc != CS_OK && (first < 0 || workers[w].failed_at < workers[first].failed_at))
			first = w;
	if (first < 0)
		return CS_OK;
	if (err != NULL)
		*err = workers[first].err;
	return workers[first].rc;
}

/* Scores the problems waiting in sc (see cs_scored_problem_fn) and empties the queue. */
static int scored_flush(struct cs_scored *sc, struct cs_err *err)
{
	struct cs_tally *t;
	int rc;

	if (sc->waiting == 0)
		return CS_OK;
	t = malloc((size_t)sc->waiting * sizeof *t);
	if (t == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (int i = 0; i < sc->waiting; i++) {
		t[i].n = sc->wait_n[i];
		t[i].correct = sc->pool_correct + sc->wait_at[i];
		t[i].answer = sc->wait_flags[i] & 1 ? sc->pool_answer + sc->wait_at[i] : NULL;
		t[i].solution = sc->wait_flags[i] & 2 ? sc->pool_solution + sc->wait_at[i] : NULL;
	}
	rc = score_list(sc, sc->wait_index, t, sc->waiting, err);
	free(t);
	sc->waiting = 0;
	sc->pooled = 0;
	return rc;
}

int cs_scored_add(struct cs_scored *sc, int index, const struct cs_tally *t, struct cs_err *err)
{
	int rc = scored_flush(sc, err);

	return rc != CS_OK ? rc : score_list(sc, &index, t, 1, err);
}

int cs_scored_problem_fn(void *ctx, int index, const struct cs_tally *t, struct cs_err *err)
{
	struct cs_scored *sc = ctx;
	long need = sc->pooled + (t->n > 0 ? t->n : 0);
	int rc;

	if (t->n < 0)
		return cs_tally_check(t, index, err);
	/* problems wait, copied, until about a million samples have come, then are scored together */
	if (sc->waiting > 0 && (index <= sc->wait_index[sc->waiting - 1] || need > CS_SCORE_BATCH)) {
		rc = scored_flush(sc, err);
		if (rc != CS_OK)
			return rc;
		need = t->n;
	}
	if (sc->waiting == sc->wait_cap) {
		int cap = sc->wait_cap ? 2 * sc->wait_cap : 256;
		int *wi = realloc(sc->wait_index, (size_t)cap * sizeof *wi);
		int *wn = wi ? realloc(sc->wait_n, (size_t)cap * sizeof *wn) : NULL;
		long *wa = wn ? realloc(sc->wait_at, (size_t)cap * sizeof *wa) : NULL;
		unsigned char *wf = wa ? realloc(sc->wait_flags, (size_t)cap) : NULL;

		if (wi != NULL)
			sc->wait_index = wi;
		if (wn != NULL)
			sc->wait_n = wn;
		if (wa != NULL)
			sc->wait_at = wa;
		if (wf == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		sc->wait_flags = wf;
		sc->wait_cap = cap;
	}
	if (need > sc->pool_cap) {
		long cap = sc->pool_cap ? sc->pool_cap : 4096;
		unsigned char *c;
		int *a, *s;

		while (cap < need)
			cap *= 2;
		c = realloc(sc->pool_correct, (size_t)cap);
		if (c != NULL)
			sc->pool_correct = c;
		a = c ? realloc(sc->pool_answer, (size_t)cap * sizeof *a) : NULL;
		if (a != NULL)
			sc->pool_answer = a;
		s = a ? realloc(sc->pool_solution, (size_t)cap * sizeof *s) : NULL;
		if (s == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		sc->pool_solution = s;
		sc->pool_cap = cap;
	}
	sc->wait_index[sc->waiting] = index;
	sc->wait_n[sc->waiting] = t->n;
	sc->wait_at[sc->waiting] = sc->pooled;
	sc->wait_flags[sc->waiting] = (unsigned char)((t->answer != NULL) | (t->solution != NULL) << 1);
	if (t->n > 0) {
		if (t->correct == NULL)
			return cs_tally_check(t, index, err);
		memcpy(sc->pool_correct + sc->pooled, t->correct, (size_t)t->n);
		if (t->answer != NULL)
			memcpy(sc->pool_answer + sc->pooled, t->answer, (size_t)t->n * sizeof *t->answer);
		if (t->solution != NULL)
			memcpy(sc->pool_solution + sc->pooled, t->solution, (size_t)t->n * sizeof *t->solution);
	}
	sc->waiting++;
	sc->pooled += t->n;
	return CS_OK;
}

/* The rows of the problems members[0..np-1] of d (a slice), from their values in sc. */
static int score_slice(const struct cs_run_data *d, const struct cs_scored *sc, const char *slice,
		       const int *members, int np, struct cs_rows *rows, struct cs_err *err)
{
	const struct cs_score_opts *opt = sc->opt;
	int ncols = sc->ncols;
	double *values = malloc((size_t)ncols * ((size_t)np + 1) * sizeof *values);
	const double **columns = malloc((size_t)ncols * sizeof *columns);
	int *col_of = malloc((size_t)ncols * sizeof *col_of);
	struct cs_interval *iv = malloc((size_t)ncols * sizeof *iv);
	struct cs_metric_summary *sum = calloc((size_t)ncols, sizeof *sum);
	int *n_exact = calloc((size_t)opt->nk + 1, sizeof *n_exact);
	int *n_mc = calloc((size_t)opt->nk + 1, sizeof *n_mc);
	struct cs_boot_opts boot;
	char options[256];
	int used = 0;
	int rc = CS_OK;

	if (!values || !columns || !col_of || !iv || !sum || !n_exact || !n_mc) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	/* the slice's values column by column, as the bootstrap wants them */
	for (int c = 0; c < ncols; c++) {
		for (int i = 0; i < np; i++)
			values[(size_t)c * np + i] = sc->values[(size_t)members[i] * ncols + c];
		cs_summarise(values + (size_t)c * np, np, &sum[c]);
	}
	for (int i = 0; i < np; i++) {
		for (int j = 0; j < opt->nk; j++) {
			unsigned char m = sc->method[(size_t)members[i] * (size_t)(opt->nk + 1) + (size_t)j];
			n_exact[j] += m == CS_MAJ_EXACT;
			n_mc[j] += m == CS_MAJ_MONTE_CARLO;
		}
	}
	cs_boot_default_opts(&boot, opt->seed);
	boot.replicates = opt->replicates;
	boot.level = opt->ci;
	/* bootstrap every column that has a problem left, with the same resampled problems */
	for (int c = 0; c < ncols; c++) {
		col_of[c] = -1;
		if (sum[c].n_used > 0) {
			col_of[c] = used;
			columns[used++] = values + (size_t)c * np;
		}
	}
	if (used > 0) {
		struct cs_interval *packed = malloc((size_t)used * sizeof *packed);
		if (packed == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		rc = cs_bootstrap_means(used, columns, np, &boot, packed, err);
		for (int c = 0; c < ncols && rc == CS_OK; c++)
			if (col_of[c] >= 0)
				iv[c] = packed[col_of[c]];
		free(packed);
		if (rc != CS_OK)
			goto done;
	}
	cs_score_options(opt, d->grader_versions, options, sizeof options);
	/* rows in the order pass@1, coverage@k..., diversity@k..., maj@k... */
	for (int r = 0; r < ncols && rc == CS_OK; r++) {
		static const char *const names[] = { "coverage", "diversity", "maj" };
		int j = r == 0 ? 0 : (r - 1) % opt->nk;
		int c = r == 0 ? 0 : 1 + 3 * j + (r - 1) / opt->nk;
		static const unsigned bits[] = { CS_SCORE_COVERAGE, CS_SCORE_DIVERSITY, CS_SCORE_MAJ };
		struct cs_row row;
		char maj_options[384];
		long samples = 0;

		if (!(sc->metrics & (c == 0 ? CS_SCORE_PASS1 : bits[(c - 1) % 3])))
			continue;
		for (int i = 0; i < np; i++)
			if (c == 0 || sc->n[members[i]] >= opt->ks[j])
				samples += sc->n[members[i]];
		row.metric = (char *)(c == 0 ? "pass@1" : names[(c - 1) % 3]);
		row.run = d->name;
		row.model = d->model;
		row.slice = (char *)slice;
		row.k = c == 0 ? 1 : opt->ks[j];
		row.value = sum[c].n_used > 0 ? iv[c].point : NAN;
		row.lower = sum[c].n_used > 0 ? iv[c].lo : NAN;
		row.upper = sum[c].n_used > 0 ? iv[c].hi : NAN;
		row.problems = sum[c].n_used;
		row.samples = samples;
		row.excluded = sum[c].n_excluded;
		row.options = options;
		if (c > 0 && (c - 1) % 3 == 2) {
			if (n_mc[j] == 0)
				snprintf(maj_options, sizeof maj_options, "%s;maj=exact(tail<=%g);ties=fraction_correct",
					 options, CS_MAJ_TAIL);
			else
				snprintf(maj_options, sizeof maj_options, "%s;maj=exact(tail<=%g):%d+monte_carlo:%d(draws=%d);"
					 "ties=fraction_correct", options, CS_MAJ_TAIL, n_exact[j], n_mc[j], sc->maj.mc_draws);
			row.options = maj_options;
		}
		rc = cs_rows_add(rows, &row, err);
	}
done:
	free(values);
	free(columns);
	free(col_of);
	free(iv);
	free(sum);
	free(n_exact);
	free(n_mc);
	return rc;
}

/* "KEY=value" for the run's tag KEY (see cs_tag_find; the value whole, however long), or "KEY=none", as a
 * new string; NULL when out of memory. */
static char *tag_slice(const char *tags, const char *key)
{
	size_t len;
	const char *value = cs_tag_find(tags, key, &len);
	size_t size = strlen(key) + (value ? len : 4) + 2;
	char *label = malloc(size);

	if (label != NULL)
		snprintf(label, size, "%s=%.*s", key, (int)(value ? len : 4), value ? value : "none");
	return label;
}

/* The slice label of problem p under --by, as a new string; NULL when out of memory. */
static char *slice_of(const struct cs_run_data *d, const char *by, int p)
{
	char buf[300];

	if (strncmp(by, "tag:", 4) == 0)
		return tag_slice(d->tags, by + 4);
	if (strcmp(by, "subject") == 0)
		snprintf(buf, sizeof buf, "subject=%s", d->subjects[p] ? d->subjects[p] : "unknown");
	else if (strcmp(by, "level") == 0 && d->levels[p] > 0)
		snprintf(buf, sizeof buf, "level=%d", d->levels[p]);
	else if (strcmp(by, "level") == 0)
		snprintf(buf, sizeof buf, "level=unknown");
	else
		snprintf(buf, sizeof buf, "dataset=%s", d->dataset);
	return strdup(buf);
}

/* Orders slice labels with runs of digits compared as numbers, so that level=2 comes before level=10. */
static int compare_strings(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;

	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			char *ea, *eb;
			unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	if (*a != *b)
		return (unsigned char)*a - (unsigned char)*b;
	/* equal as numbers ("01" and "1"): fall back to the text, so that distinct labels never compare equal */
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

int cs_score_by_valid(const char *by)
{
	return by == NULL || strcmp(by, "subject") == 0 || strcmp(by, "level") == 0 || strcmp(by, "dataset") == 0 ||
	       (strncmp(by, "tag:", 4) == 0 && by[4] != '\0');
}

int cs_score_rows(const struct cs_run_data *d, struct cs_scored *sc, struct cs_rows *rows, struct cs_err *err)
{
	const struct cs_score_opts *opt = sc->opt;
	int *members = malloc(((size_t)d->np + 1) * sizeof *members);
	char **labels = calloc((size_t)d->np + 1, sizeof *labels);
	char **distinct = calloc((size_t)d->np + 1, sizeof *distinct);
	int ndistinct = 0;
	int rc = CS_OK;

	rc = scored_flush(sc, err);
	if (rc != CS_OK)
		goto done;
	if (members == NULL || labels == NULL || distinct == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (sc->np != d->np) {
		rc = cs_fail(err, CS_INTERNAL, "%d of %d problems scored", sc->np, d->np);
		goto done;
	}
	if (!cs_score_by_valid(opt->by)) {
		rc = cs_fail(err, CS_USAGE, "--by is subject, level, dataset or tag:KEY, not '%s'", opt->by);
		goto done;
	}
	for (int p = 0; p < d->np; p++)
		members[p] = p;
	rc = score_slice(d, sc, "all", members, d->np, rows, err);
	if (rc != CS_OK || opt->by == NULL)
		goto done;
	for (int p = 0; p < d->np; p++) {
		labels[p] = slice_of(d, opt->by, p);
		if (labels[p] == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		distinct[p] = labels[p];
	}
	qsort(distinct, (size_t)d->np, sizeof *distinct, compare_strings);
	for (int p = 0; p < d->np; p++)
		if (p == 0 || strcmp(distinct[p], distinct[ndistinct - 1]) != 0)
			distinct[ndistinct++] = distinct[p];
	for (int s = 0; s < ndistinct && rc == CS_OK; s++) {
		int n = 0;
		for (int p = 0; p < d->np; p++)
			if (strcmp(labels[p], distinct[s]) == 0)
				members[n++] = p;
		rc = score_slice(d, sc, distinct[s], members, n, rows, err);
	}
done:
	if (labels != NULL)
		for (int p = 0; p < d->np; p++)
			free(labels[p]);
	free(labels);
	free(distinct);
	free(members);
	return rc;
}

int cs_score_run(const struct cs_run_data *d, const struct cs_score_opts *opt, struct cs_rows *rows,
		 struct cs_err *err)
{
	struct cs_scored sc;
	int rc = CS_OK;

	cs_scored_init(&sc, opt);
	if (d->np > 0) {
		int *index = malloc((size_t)d->np * sizeof *index);

		if (index == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
		} else {
			for (int p = 0; p < d->np; p++)
				index[p] = p;
			rc = score_list(&sc, index, d->tallies, d->np, err);
			free(index);
		}
	}
	if (rc == CS_OK)
		rc = cs_score_rows(d, &sc, rows, err);
	cs_scored_free(&sc);
	return rc;
}

int cs_score_add_fpr(struct cs_rows *rows, const char *run, const char *model, const char *judge, long judged,
		     long wrong, double level, struct cs_err *err)
{
	struct cs_fpr fpr;
	struct cs_row row;
	char slice[300], options[96];
	int rc = cs_fpr_compute(judged, wrong, level, &fpr, err);

	if (rc != CS_OK)
		return rc;
	snprintf(slice, sizeof slice, "judge=%s", judge);
	snprintf(options, sizeof options, "ci=%g;interval=wilson;correct_by=grade", level);
	row.metric = (char *)"fpr";
	row.run = (char *)run;
	row.model = (char *)model;
	row.slice = slice;
	row.k = 0;
	row.value = fpr.rate;
	row.lower = fpr.lo;
	row.upper = fpr.hi;
	row.problems = 0;
	row.samples = judged;
	row.excluded = 0;
	row.options = options;
	return cs_rows_add(rows, &row, err);
}
