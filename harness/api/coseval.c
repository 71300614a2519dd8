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
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
	}
	if ((size_t)threads > (n + BLOCK - 1) / BLOCK)
		threads = n == 0 ? 1 : (int)((n + BLOCK - 1) / BLOCK);

	struct batch b = { .g = g->g, .n = n, .golds = golds, .texts = texts, .flags = flags, .out = out,
			   .status = CS_OK };
	atomic_init(&b.next, 0);
	atomic_init(&b.failed, 0);
	cs_err_clear(&b.e);
	pthread_mutex_init(&b.lock, NULL);

	pthread_t tid[64];
	int started = 0;
	for (int t = 1; t < threads; t++) {
		if (pthread_create(&tid[started], NULL, worker, &b) != 0)
			break; /* fewer threads; the work is still done by those that started and this one */
		started++;
	}
	worker(&b);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&b.lock);
	if (b.status != CS_OK) {
		struct cs_err e;
		cs_fail(&e, b.status, "pair %zu: %s", b.failed_at, b.e.msg);
		return report(err, b.status, &e);
	}
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
