/* The public C interface of libcoseval (include/coseval.h): thin wrappers over the grader that turn profile
 * names into profiles, internal errors into coseval_error, and add batch grading on several threads. */
#include "coseval.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade/grade.h"
#include "util/error.h"
#include "util/utf8.h"

/* The library's grader: the internal one; coseval_grader is only a name for it. */
struct coseval_grader {
	struct cs_grader *g;
};

/* Copies an internal error into the caller's buffer and returns status. */
static int report(coseval_error *err, int status, const struct cs_err *e)
{
	if (err != NULL) {
		err->status = status;
		if (status == CS_OK)
			err->message[0] = '\0';
		else
			snprintf(err->message, sizeof err->message, "%s", e != NULL ? e->msg : "");
	}
	return status;
}

/* Fills err with msg and returns status. */
static int fail(coseval_error *err, int status, const char *msg)
{
	struct cs_err e;
	cs_fail(&e, status, "%s", msg);
	return report(err, status, &e);
}

static int profile_of(const char *name, enum cs_profile *p, coseval_error *err)
{
	if (name == NULL)
		return fail(err, CS_USAGE, "the profile is NULL (one of math, gsm8k, generic)");
	if (cs_profile_parse(name, p) != 0) {
		struct cs_err e;
		cs_fail(&e, CS_USAGE, "unknown profile '%s' (one of math, gsm8k, generic)", name);
		return report(err, CS_USAGE, &e);
	}
	return CS_OK;
}

/* CS_OK when text[0..len) is valid UTF-8, else CS_INPUT naming what it is ("text", "gold answer") and the byte. */
static int check_utf8(const char *what, const char *text, size_t len, coseval_error *err)
{
	size_t bad = cs_utf8_invalid_at(text, len);
	if (bad == len)
		return CS_OK;
	struct cs_err e;
	cs_fail(&e, CS_INPUT, "the %s is not valid UTF-8 (byte %zu)", what, bad);
	return report(err, CS_INPUT, &e);
}

const char *coseval_version(void)
{
	return COSEVAL_VERSION;
}

const char *coseval_grader_version(void)
{
	return CS_GRADER_VERSION;
}

int coseval_grader_new(const char *profile, const char *answer_pattern, coseval_grader **out, coseval_error *err)
{
	enum cs_profile p;
	if (out == NULL)
		return fail(err, CS_USAGE, "out is NULL");
	*out = NULL;
	int rc = profile_of(profile, &p, err);
	if (rc != CS_OK)
		return rc;
	coseval_grader *w = malloc(sizeof *w);
	if (w == NULL)
		return fail(err, CS_INTERNAL, "out of memory");
	struct cs_err e;
	cs_err_clear(&e);
	rc = cs_grader_new(p, answer_pattern, &w->g, &e);
	if (rc != CS_OK) {
		free(w);
		return report(err, rc, &e);
	}
	*out = w;
	return report(err, CS_OK, NULL);
}

void coseval_grader_free(coseval_grader *g)
{
	if (g == NULL)
		return;
	cs_grader_free(g->g);
	free(g);
}

const char *coseval_grader_profile(const coseval_grader *g)
{
	return g == NULL ? "unknown" : cs_profile_name(cs_grader_profile(g->g));
}

int coseval_extract(const coseval_grader *g, const char *text, size_t len, unsigned flags, char **answer,
		    const char **rule, coseval_error *err)
{
	if (answer != NULL)
		*answer = NULL;
	if (rule != NULL)
		*rule = "none";
	if (g == NULL || text == NULL || answer == NULL || rule == NULL)
		return fail(err, CS_USAGE, "a NULL argument to coseval_extract");
	int rc = check_utf8("text", text, len, err);
	if (rc != CS_OK)
		return rc;
	struct cs_extraction x = { 0 };
	struct cs_err e;
	cs_err_clear(&e);
	rc = cs_extract_flags(g->g, text, len, flags, &x, &e);
	if (rc != CS_OK)
		return report(err, rc, &e);
	*answer = x.answer;
	*rule = x.rule;
	return report(err, CS_OK, NULL);
}

int coseval_canonical(const char *profile, const char *answer, char **out, coseval_error *err)
{
	enum cs_profile p;
	if (out != NULL)
		*out = NULL;
	if (answer == NULL || out == NULL)
		return fail(err, CS_USAGE, "a NULL argument to coseval_canonical");
	int rc = profile_of(profile, &p, err);
	if (rc != CS_OK)
		return rc;
	rc = check_utf8("answer", answer, strlen(answer), err);
	if (rc != CS_OK)
		return rc;
	struct cs_err e;
	cs_err_clear(&e);
	rc = cs_canonical(p, answer, out, &e);
	return report(err, rc, &e);
}

int coseval_compare(const char *profile, const char *gold, const char *pred, int *equal, const char **reason,
		    coseval_error *err)
{
	enum cs_profile p;
	if (equal != NULL)
		*equal = 0;
	if (reason != NULL)
		*reason = "";
	if (gold == NULL || pred == NULL || equal == NULL || reason == NULL)
		return fail(err, CS_USAGE, "a NULL argument to coseval_compare");
	int rc = profile_of(profile, &p, err);
	if (rc == CS_OK)
		rc = check_utf8("gold answer", gold, strlen(gold), err);
	if (rc == CS_OK)
		rc = check_utf8("predicted answer", pred, strlen(pred), err);
	if (rc != CS_OK)
		return rc;
	struct cs_err e;
	cs_err_clear(&e);
	rc = cs_compare(p, gold, pred, equal, reason, &e);
	return report(err, rc, &e);
}

/* Grades one pair into out (which the caller has zeroed); internal error into e. */
static int grade_one(const struct cs_grader *g, const char *gold, const char *text, size_t len, unsigned flags,
		     coseval_verdict *out, struct cs_err *e)
{
	size_t bad = cs_utf8_invalid_at(text, len);
	if (bad != len)
		return cs_fail(e, CS_INPUT, "the text is not valid UTF-8 (byte %zu)", bad);
	bad = cs_utf8_invalid_at(gold, strlen(gold));
	if (bad != strlen(gold))
		return cs_fail(e, CS_INPUT, "the gold answer is not valid UTF-8 (byte %zu)", bad);
	struct cs_grade r = { 0 };
	int rc = cs_grade_sample_flags(g, gold, text, len, flags, &r, e);
	out->answer = r.answer;
	out->canonical = r.canonical;
	out->verdict = r.verdict;
	out->rule = r.rule;
	out->reason = r.reason;
	return rc;
}

int coseval_grade(const coseval_grader *g, const char *gold, const char *text, size_t len, unsigned flags,
		  coseval_verdict *out, coseval_error *err)
{
	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (g == NULL || gold == NULL || text == NULL || out == NULL)
		return fail(err, CS_USAGE, "a NULL argument to coseval_grade");
	struct cs_err e;
	cs_err_clear(&e);
	int rc = grade_one(g->g, gold, text, len, flags, out, &e);
	return report(err, rc, &e);
}

/* Shared state of one coseval_grade_many call: workers take blocks of pairs from `next`. */
struct batch {
	const struct cs_grader *g;
	size_t n;
	const char *const *golds;
	const char *const *texts;
	const unsigned *flags;
	coseval_verdict *out;
	atomic_size_t next;       /* the first pair no worker has taken yet */
	atomic_int failed;        /* set by the first worker that fails; the others stop */
	pthread_mutex_t lock;     /* guards status and e */
	int status;
	size_t failed_at;
	struct cs_err e;
};

enum { BLOCK = 64 };

/* The number of threads to use for nblocks blocks of work: threads (0: the online cores), at most 64 and at most
 * one per block, at least 1. */
static int thread_count(int threads, size_t nblocks)
{
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
	}
	if ((size_t)threads > nblocks)
		threads = nblocks == 0 ? 1 : (int)nblocks;
	return threads;
}

/* Runs fn(arg) on `threads` threads, this one included, and waits for all of them. A thread that cannot be
 * started leaves its share to the others: fn takes work until none is left. */
static void run_on_threads(void *(*fn)(void *), void *arg, int threads)
{
	pthread_t tid[64];
	int started = 0;

	for (int t = 1; t < threads; t++) {
		if (pthread_create(&tid[started], NULL, fn, arg) != 0)
			break;
		started++;
	}
	fn(arg);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}

static void *worker(void *arg)
{
	struct batch *b = arg;
	struct cs_err e;
	cs_err_clear(&e);
	while (!atomic_load(&b->failed)) {
		size_t start = atomic_fetch_add(&b->next, BLOCK);
		if (start >= b->n)
			break;
		size_t end = start + BLOCK < b->n ? start + BLOCK : b->n;
		for (size_t i = start; i < end; i++) {
			int rc;
			if (b->golds[i] == NULL || b->texts[i] == NULL)
				rc = cs_fail(&e, CS_USAGE, "a NULL gold or text");
			else
				rc = grade_one(b->g, b->golds[i], b->texts[i], strlen(b->texts[i]),
					       b->flags != NULL ? b->flags[i] : 0, &b->out[i], &e);
			if (rc != CS_OK) {
				pthread_mutex_lock(&b->lock);
				if (b->status == CS_OK || i < b->failed_at) {
					b->status = rc;
					b->failed_at = i;
					b->e = e;
				}
				pthread_mutex_unlock(&b->lock);
				atomic_store(&b->failed, 1);
				return NULL;
			}
		}
	}
	return NULL;
}

int coseval_grade_many(const coseval_grader *g, size_t n, const char *const *golds, const char *const *texts,
		       const unsigned *flags, int threads, coseval_verdict *out, coseval_error *err)
{
	if (g == NULL || (n > 0 && (golds == NULL || texts == NULL || out == NULL)))
		return fail(err, CS_USAGE, "a NULL argument to coseval_grade_many");
	if (threads < 0 || threads > 64)
		return fail(err, CS_USAGE, "threads must be 0 (the number of cores) to 64");
	if (n > 0)
		memset(out, 0, n * sizeof *out);
	threads = thread_count(threads, (n + BLOCK - 1) / BLOCK);

	struct batch b = { .g = g->g, .n = n, .golds = golds, .texts = texts, .flags = flags, .out = out,
			   .status = CS_OK };
	atomic_init(&b.next, 0);
	atomic_init(&b.failed, 0);
	cs_err_clear(&b.e);
	pthread_mutex_init(&b.lock, NULL);

	run_on_threads(worker, &b, threads);
	pthread_mutex_destroy(&b.lock);
	if (b.status != CS_OK) {
		struct cs_err e;
		cs_fail(&e, b.status, "pair %zu: %s", b.failed_at, b.e.msg);
		return report(err, b.status, &e);
	}
	return report(err, CS_OK, NULL);
}

/* The output of one block of pairs of coseval_grade_many_packed: its records, in a growing buffer. */
struct packed_block {
	char *p;
	size_t len, cap;
};

/* Shared state of one coseval_grade_many_packed call; workers take blocks of pairs from `next`. */
struct packed_batch {
	const struct cs_grader *g;
	size_t n;
	const char *golds;
	const size_t *gold_offsets;
	const char *texts;
	const size_t *text_offsets;
	const unsigned *flags;
	struct packed_block *blocks;
	atomic_size_t next;       /* the first block no worker has taken yet */
	atomic_int failed;        /* set by the first worker that fails; the others stop */
	pthread_mutex_t lock;     /* guards status, failed_at and e */
	int status;
	size_t failed_at;
	struct cs_err e;
};

enum { PACKED_SEP = 0xFF, PACKED_NULL = 0xFE };

/* Makes room for need more bytes in b; 0, or -1 when memory runs out. */
static int block_reserve(struct packed_block *b, size_t need)
{
	if (b->cap - b->len >= need)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (p == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Appends s (PACKED_NULL when NULL) and PACKED_SEP to b; CS_OK, or the failure in e. */
static int block_field(struct packed_block *b, const char *s, const char *what, struct cs_err *e)
{
	size_t len = s != NULL ? strlen(s) : 1;
	if (s != NULL && cs_utf8_invalid_at(s, len) != len)
		return cs_fail(e, CS_INTERNAL, "the %s the grader returned is not valid UTF-8", what);
	if (block_reserve(b, len + 1) != 0)
		return cs_fail(e, CS_INTERNAL, "out of memory");
	if (s != NULL)
		memcpy(b->p + b->len, s, len);
	else
		b->p[b->len] = (char)PACKED_NULL;
	b->len += len;
	b->p[b->len++] = (char)PACKED_SEP;
	return CS_OK;
}

/* Grades pair i of b and appends its record to out; CS_OK, or the failure in e. */
static int packed_one(const struct packed_batch *b, size_t i, struct packed_block *out, struct cs_err *e)
{
	size_t g0 = b->gold_offsets[i], g1 = b->gold_offsets[i + 1];
	size_t t0 = b->text_offsets[i], t1 = b->text_offsets[i + 1];
	if (g1 < g0 || t1 < t0)
		return cs_fail(e, CS_USAGE, "decreasing offsets");
	size_t glen = g1 - g0;
	const char *nul = memchr(b->golds + g0, '\0', glen);
	if (nul != NULL)
		return cs_fail(e, CS_INPUT, "the gold answer contains a NUL byte (byte %zu)",
			       (size_t)(nul - (b->golds + g0)));
	char small[256];
	char *gold = glen < sizeof small ? small : malloc(glen + 1);
	if (gold == NULL)
		return cs_fail(e, CS_INTERNAL, "out of memory");
	memcpy(gold, b->golds + g0, glen);
	gold[glen] = '\0';
	coseval_verdict v = { 0 };
	int rc = grade_one(b->g, gold, b->texts + t0, t1 - t0, b->flags != NULL ? b->flags[i] : 0, &v, e);
	if (gold != small)
		free(gold);
	if (rc == CS_OK)
		rc = block_field(out, v.answer, "answer", e);
	if (rc == CS_OK)
		rc = block_field(out, v.canonical, "canonical form", e);
	if (rc == CS_OK)
		rc = block_field(out, v.verdict, "verdict", e);
	if (rc == CS_OK)
		rc = block_field(out, v.rule, "rule", e);
	if (rc == CS_OK)
		rc = block_field(out, v.reason, "reason", e);
	coseval_verdict_clear(&v);
	return rc;
}

static void *packed_worker(void *arg)
{
	struct packed_batch *b = arg;
	struct cs_err e;
	cs_err_clear(&e);
	size_t nblocks = (b->n + BLOCK - 1) / BLOCK;
	while (!atomic_load(&b->failed)) {
		size_t k = atomic_fetch_add(&b->next, 1);
		if (k >= nblocks)
			break;
		size_t start = k * BLOCK;
		size_t end = start + BLOCK < b->n ? start + BLOCK : b->n;
		for (size_t i = start; i < end; i++) {
			int rc = packed_one(b, i, &b->blocks[k], &e);
			if (rc != CS_OK) {
				pthread_mutex_lock(&b->lock);
				if (b->status == CS_OK || i < b->failed_at) {
					b->status = rc;
					b->failed_at = i;
					b->e = e;
				}
				pthread_mutex_unlock(&b->lock);
				atomic_store(&b->failed, 1);
				return NULL;
			}
		}
	}
	return NULL;
}

int coseval_grade_many_packed(const coseval_grader *g, size_t n, const char *golds, const size_t *gold_offsets,
			      const char *texts, const size_t *text_offsets, const unsigned *flags, int threads,
			      char **out, size_t *out_len, coseval_error *err)
{
	if (out != NULL)
		*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (g == NULL || out == NULL || out_len == NULL ||
	    (n > 0 && (golds == NULL || gold_offsets == NULL || texts == NULL || text_offsets == NULL)))
		return fail(err, CS_USAGE, "a NULL argument to coseval_grade_many_packed");
	if (threads < 0 || threads > 64)
		return fail(err, CS_USAGE, "threads must be 0 (the number of cores) to 64");
	size_t nblocks = (n + BLOCK - 1) / BLOCK;
	threads = thread_count(threads, nblocks);

	struct packed_batch b = { .g = g->g, .n = n, .golds = golds, .gold_offsets = gold_offsets, .texts = texts,
				  .text_offsets = text_offsets, .flags = flags, .status = CS_OK };
	b.blocks = calloc(nblocks ? nblocks : 1, sizeof *b.blocks);
	if (b.blocks == NULL)
		return fail(err, CS_INTERNAL, "out of memory");
	atomic_init(&b.next, 0);
	atomic_init(&b.failed, 0);
	cs_err_clear(&b.e);
	pthread_mutex_init(&b.lock, NULL);

	run_on_threads(packed_worker, &b, threads);
	pthread_mutex_destroy(&b.lock);

	char *buf = NULL;
	size_t total = 0;
	if (b.status == CS_OK) {
		for (size_t k = 0; k < nblocks; k++)
			total += b.blocks[k].len;
		buf = malloc(total + 1);
		if (buf != NULL) {
			size_t at = 0;
			for (size_t k = 0; k < nblocks; k++) {
				if (b.blocks[k].len > 0)
					memcpy(buf + at, b.blocks[k].p, b.blocks[k].len);
				at += b.blocks[k].len;
			}
			buf[total] = '\0';
		}
	}
	for (size_t k = 0; k < nblocks; k++)
		free(b.blocks[k].p);
	free(b.blocks);
	if (b.status != CS_OK) {
		struct cs_err e;
		cs_fail(&e, b.status, "pair %zu: %s", b.failed_at, b.e.msg);
		return report(err, b.status, &e);
	}
	if (buf == NULL)
		return fail(err, CS_INTERNAL, "out of memory");
	*out = buf;
	*out_len = total;
	return report(err, CS_OK, NULL);
}

void coseval_verdict_clear(coseval_verdict *gr)
{
	if (gr == NULL)
		return;
	free(gr->answer);
	free(gr->canonical);
	memset(gr, 0, sizeof *gr);
}

void coseval_free(void *p)
{
	free(p);
}
