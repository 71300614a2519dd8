/* The grading pass. Samples are read in batches, graded by several threads and written back by the
 * calling thread (SQLite has one writer). With more than one thread, a reader thread reads the samples
 * through a second, read-only connection, in one short read transaction per batch, so that reading,
 * grading and writing overlap; the reader and the writer grade waiting batches whenever they have nothing
 * else to do, and the other threads only grade. With one thread, the calling thread does it all in turn.
 * At most a fixed number of batches is in flight, so memory stays flat however large the run is. */
#include "grade/pass.h"
#include "grade/grade.h"
#include "util/hash.h"
#include "util/sha256.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 512
/* The pass commits after this many samples, or sooner once the grades written take a quarter of the page
 * cache, so that what it has not committed stays inside the cache: a write transaction that outgrows the
 * cache spills to the file, takes the exclusive lock and would keep the reader's connection out until the
 * commit. */
#define COMMIT_EVERY 100000
#define NO_TEXT ((size_t)-1)
/* The writer commits what it has written when it has had nothing to do for this long. */
#define IDLE_MS 20

struct job {
	sqlite3_int64 sample_id;
	sqlite3_int64 problem_id;
	sqlite3_int64 sample_index;
	unsigned flags;        /* enum cs_text_flags: CS_TEXT_STOPPED when the sample was stopped at its length limit */
	char *text;            /* points into the batch's texts once the batch is complete */
	size_t text_at;        /* where the text starts in the batch's texts */
	size_t len;
	const char *gold;      /* borrowed from the pass's gold table */
	struct cs_grade grade; /* answer and canonical point into the batch's answers, not malloc'd */
	size_t answer_at, canonical_at; /* where they start in the batch's answers; NO_TEXT when NULL */
	int has_keys;          /* the keys are computed (for correct samples) */
	uint64_t text_key;     /* cs_hash64 of the text */
	uint64_t normalized_key; /* cs_hash64_normalized of the text */
	int rc;
};

/* Strings one after the other, each with its NUL, in one growing allocation (owned); they are found by
 * their offsets, which stay valid when it moves. */
struct strings {
	char *data;
	size_t used, cap;
};

struct batch {
	struct job jobs[BATCH];
	int count;
	struct strings texts;   /* every job's text */
	struct strings answers; /* every grade's answer and canonical answer */
	struct batch *next;
};

/* A FIFO of batches; guarded by the pass's lock. */
struct queue {
	struct batch *head, *tail;
};

/* What the reading side needs: used by one thread at a time (the reader thread, or the calling thread when
 * it grades alone). */
struct reader {
	struct cs_store *st;          /* the connection it reads through */
	sqlite3_stmt *select;         /* the run's samples from id ?2 to ?3, in id order */
	sqlite3_int64 next_id;        /* where the next batch starts */
	const struct golds *golds;
	const sqlite3_int64 *current; /* ids whose grade is current, ascending */
	size_t ncurrent, cursor;
};

struct pass {
	pthread_mutex_t lock;
	pthread_cond_t changed;       /* a queue, the in-flight count, the reading state or a failure changed */
	struct queue todo, done;      /* batches to grade, batches graded and not yet written */
	struct queue spare;           /* batches written, kept for the reader to fill again: a batch and its
	                                 buffers are allocated once, not per batch */
	int in_flight;                /* batches read and not yet written */
	int limit;                    /* the most batches in flight */
	int reading;                  /* the reader has not reached the end of the run */
	int committing;               /* the writer is committing: the reader waits rather than read */
	int closed;                   /* no more batches will come: idle graders leave */
	int failed;                   /* a reader or grader failed: fail_rc and fail_err say how */
	int fail_rc;
	struct cs_err fail_err;
	const struct cs_grader *grader;
	struct reader reader;
};

static void queue_push(struct queue *q, struct batch *b)
{
	b->next = NULL;
	if (q->tail)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
}

/* Takes the first batch of q, or NULL when it is empty. */
static struct batch *queue_take(struct queue *q)
{
	struct batch *b = q->head;

	if (b != NULL) {
		q->head = b->next;
		if (q->head == NULL)
			q->tail = NULL;
	}
	return b;
}

/* Records the first failure; called with p->lock held. */
static void note_failure(struct pass *p, int rc, const struct cs_err *err)
{
	if (!p->failed) {
		p->failed = 1;
		p->fail_rc = rc;
		p->fail_err = *err;
	}
	pthread_cond_broadcast(&p->changed);
}

/* Appends the n bytes at str and a NUL to sb; returns where they start, or NO_TEXT when memory runs out. */
static size_t strings_add(struct strings *sb, const char *str, size_t n)
{
	size_t at = sb->used;

	if (at + n + 1 > sb->cap) {
		size_t cap = (at + n + 1) * 2;
		char *grown = realloc(sb->data, cap);
		if (grown == NULL)
			return NO_TEXT;
		sb->data = grown;
		sb->cap = cap;
	}
	memcpy(sb->data + at, str, n);
	sb->data[at + n] = '\0';
	sb->used += n + 1;
	return at;
}

/* Keeps one of a grade's strings (NULL for none) in b's answers and frees it; returns where it starts,
 * NO_TEXT for NULL, or NO_TEXT with *oom set when memory runs out. */
static size_t keep_answer(struct batch *b, char *str, int *oom)
{
	size_t at = NO_TEXT;

	if (str != NULL && (at = strings_add(&b->answers, str, strlen(str))) == NO_TEXT)
		*oom = 1;
	free(str);
	return at;
}

/* Grades every sample of b and computes its text keys, then hands b to the done queue. Called without the
 * lock. The grader's strings are copied into the batch and freed here, by the thread that allocated them:
 * freeing them in the writer or the reader (another thread, another malloc arena) cost more than the copy. */
static void grade_batch(struct pass *p, struct batch *b)
{
	struct cs_err err;
	int rc = CS_OK, oom = 0;

	b->answers.used = 0;
	for (int i = 0; i < b->count; i++) {
		struct job *j = &b->jobs[i];
		j->rc = cs_grade_sample_flags(p->grader, j->gold, j->text, j->len, j->flags, &j->grade, &err);
		/* diversity counts correct solutions only, so only theirs need keys */
		j->has_keys = j->rc == CS_OK && strcmp(j->grade.verdict, "correct") == 0;
		if (j->has_keys) {
			j->text_key = cs_hash64(j->text, j->len);
			j->normalized_key = cs_hash64_normalized(j->text, j->len);
		}
		/* the grade's two malloc'd strings (grade.h) move into the batch */
		j->answer_at = keep_answer(b, j->grade.answer, &oom);
		j->canonical_at = keep_answer(b, j->grade.canonical, &oom);
		if (oom && j->rc == CS_OK)
			j->rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		if (j->rc != CS_OK && rc == CS_OK)
			rc = j->rc;
	}
	/* the answers no longer move: point the grades at them */
	for (int i = 0; i < b->count; i++) {
		struct job *j = &b->jobs[i];
		j->grade.answer = j->answer_at == NO_TEXT ? NULL : b->answers.data + j->answer_at;
		j->grade.canonical = j->canonical_at == NO_TEXT ? NULL : b->answers.data + j->canonical_at;
	}
	pthread_mutex_lock(&p->lock);
	if (rc != CS_OK)
		note_failure(p, rc, &err);
	queue_push(&p->done, b);
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

/* Empties b, keeping its buffers (its grades' strings live in them). */
static void empty_batch(struct batch *b)
{
	b->count = 0;
	b->texts.used = 0;
	b->answers.used = 0;
}

static void free_batch(struct batch *b)
{
	if (b == NULL)
		return;
	free(b->texts.data);
	free(b->answers.data);
	free(b);
}

void cs_grade_version(const char *pattern, char buf[96])
{
	struct cs_sha256 h;
	char hex[65];

	if (pattern == NULL || pattern[0] == '\0' || cs_sha256_init(&h) != 0) {
		snprintf(buf, 96, "%s", CS_GRADER_VERSION);
		return;
	}
	cs_sha256_update(&h, pattern, strlen(pattern));
	cs_sha256_hex(&h, hex);
	snprintf(buf, 96, "%s+pattern:%.12s", CS_GRADER_VERSION, hex);
}

/* Reads the run's id, profile and stored answer pattern; stores a new pattern when one is given. */
static int load_run(struct cs_store *st, const char *run, const char *new_pattern, sqlite3_int64 *run_id,
		    enum cs_profile *profile, char **pattern, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	*pattern = NULL;
	rc = cs_store_prepare(st,
			      "SELECT r.id, d.profile, a.pattern FROM runs r JOIN datasets d ON d.name = r.dataset"
			      " LEFT JOIN answer_patterns a ON a.run_id = r.id WHERE r.name = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return cs_store_no_run(st, run, NULL, err);
	}
	*run_id = sqlite3_column_int64(stmt, 0);
	if (cs_profile_parse((const char *)sqlite3_column_text(stmt, 1), profile) != 0)
		*profile = CS_PROFILE_GENERIC;
	if (sqlite3_column_text(stmt, 2) != NULL)
		*pattern = strdup((const char *)sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	if (new_pattern == NULL)
		return CS_OK;
	free(*pattern);
	*pattern = new_pattern[0] ? strdup(new_pattern) : NULL;
	rc = cs_store_prepare(st, new_pattern[0] ? "INSERT OR REPLACE INTO answer_patterns (run_id, pattern) VALUES (?, ?)"
						 : "DELETE FROM answer_patterns WHERE run_id = ?", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, *run_id);
	if (new_pattern[0])
		sqlite3_bind_text(stmt, 2, new_pattern, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(st, "saving the answer pattern", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* Writes one finished batch: removes the grades it replaces (remove: the run's grades between two sample ids
 * that are not current, bound to the batch's first and last sample), then inserts its grades; adds to *bytes
 * about how much the rows take. The samples of the run between those two ids are all in the batch, but for
 * the ones whose grade is current, which remove keeps. */
static int write_batch(struct cs_store *st, sqlite3_stmt *remove, sqlite3_stmt *insert, const char *version,
		       sqlite3_int64 run_id, struct batch *b, struct cs_grade_pass_stats *stats, long *bytes,
		       struct cs_err *err)
{
	sqlite3_reset(remove);
	sqlite3_bind_int64(remove, 2, b->jobs[0].sample_id);
	sqlite3_bind_int64(remove, 3, b->jobs[b->count - 1].sample_id);
	if (sqlite3_step(remove) != SQLITE_DONE)
		return cs_store_fail(st, "removing outdated grades", err);
	for (int i = 0; i < b->count; i++) {
		struct job *j = &b->jobs[i];
		const struct cs_grade *g = &j->grade;

		sqlite3_reset(insert);
		sqlite3_bind_int64(insert, 1, j->sample_id);
		sqlite3_bind_int64(insert, 8, run_id);
		sqlite3_bind_int64(insert, 9, j->problem_id);
		sqlite3_bind_int64(insert, 10, j->sample_index);
		if (j->has_keys) {
			sqlite3_bind_int64(insert, 11, (sqlite3_int64)j->text_key);
			sqlite3_bind_int64(insert, 12, (sqlite3_int64)j->normalized_key);
		} else {
			sqlite3_bind_null(insert, 11);
			sqlite3_bind_null(insert, 12);
		}
		sqlite3_bind_text(insert, 2, g->answer, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 3, g->canonical, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 4, g->verdict, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 5, g->rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 6, g->reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 7, version, -1, SQLITE_STATIC);
		if (sqlite3_step(insert) != SQLITE_DONE)
			return cs_store_fail(st, "saving a grade", err);
		/* the text columns plus about 64 bytes of numbers and record header */
		*bytes += 64 + (long)(strlen(version) + strlen(g->verdict) + strlen(g->rule) +
				      (g->answer ? strlen(g->answer) : 0) + (g->canonical ? strlen(g->canonical) : 0) +
				      (g->reason ? strlen(g->reason) : 0));
		stats->graded++;
		if (strcmp(g->verdict, "correct") == 0)
			stats->correct++;
		else if (strcmp(g->verdict, "wrong") == 0)
			stats->wrong++;
		else
			stats->no_answer++;
	}
	return CS_OK;
}

/* The gold answer of every problem of the run's dataset, indexed by problems.id. */
struct golds {
	char **by_id;          /* owned strings; NULL where there is no problem */
	sqlite3_int64 max_id;
};

static int load_golds(struct cs_store *st, sqlite3_int64 run_id, struct golds *g, struct cs_err *err)
{
	int step = SQLITE_DONE;
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = cs_store_prepare(st, "SELECT p.id, COALESCE(p.gold, '') FROM problems p JOIN runs r ON r.dataset = p.dataset"
			      " WHERE r.id = ? ORDER BY p.id DESC", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, run_id);
	while (rc == CS_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(stmt, 0);
		if (g->by_id == NULL) {
			g->max_id = id;
			g->by_id = calloc((size_t)id + 1, sizeof *g->by_id);
		}
		if (g->by_id == NULL || (g->by_id[id] = strdup((const char *)sqlite3_column_text(stmt, 1))) == NULL)
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
	}
	if (rc == CS_OK && step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading gold answers", err);
	sqlite3_finalize(stmt);
	return rc;
}

static void free_golds(struct golds *g)
{
	if (g->by_id != NULL)
		for (sqlite3_int64 i = 0; i <= g->max_id; i++)
			free(g->by_id[i]);
	free(g->by_id);
}

/* The ids of the run's samples whose grade is current, ascending: a scan of the grades in the run's id range
 * (each grade carries its run). */
static int load_current(struct cs_store *st, sqlite3_int64 run_id, sqlite3_int64 first, sqlite3_int64 last,
			const char *version, sqlite3_int64 **ids, size_t *count, struct cs_err *err)
{
	int step = SQLITE_DONE;
	sqlite3_stmt *stmt = NULL;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*count = 0;
	rc = cs_store_prepare(st, "SELECT sample_id FROM grades WHERE sample_id BETWEEN ?3 AND ?4 AND run_id = ?1"
			      " AND grader_version = ?2 ORDER BY sample_id", &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 3, first);
	sqlite3_bind_int64(stmt, 4, last);
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_text(stmt, 2, version, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*count == cap) {
			sqlite3_int64 *grown;
			cap = cap ? cap * 2 : 4096;
			grown = realloc(*ids, cap * sizeof *grown);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				break;
			}
			*ids = grown;
		}
		(*ids)[(*count)++] = sqlite3_column_int64(stmt, 0);
	}
	if (rc == CS_OK && step != SQLITE_DONE)
		rc = cs_store_fail(st, "reading grades", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* Prepares the statement that removes the run's grades between two sample ids (bound later, as 2 and 3)
 * that the pass rewrites: all of them (version NULL, a regrade), or those whose grader version is not
 * version. Removing them batch by batch, just before the batch's grades are written, keeps each
 * transaction small and leaves an interrupted pass with every sample graded, old grades or new; a plain
 * INSERT after it is much cheaper than INSERT OR REPLACE (a delete and an insert under a statement journal)
 * or an upsert (which opens a temporary table per row). */
static int prepare_remove(struct cs_store *st, sqlite3_int64 run_id, const char *version, sqlite3_stmt **stmt,
			  struct cs_err *err)
{
	int rc = cs_store_prepare(st, "DELETE FROM grades WHERE sample_id BETWEEN ?2 AND ?3 AND run_id = ?1"
				  " AND (?4 IS NULL OR grader_version <> ?4)", stmt, err);

	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(*stmt, 1, run_id);
	if (version != NULL)
		sqlite3_bind_text(*stmt, 4, version, -1, SQLITE_TRANSIENT);
	return CS_OK;
}

/* A quarter of the connection's page cache, in bytes (PRAGMA cache_size is in pages, or in KiB when
 * negative). */
static long commit_bytes(struct cs_store *st)
{
	sqlite3_stmt *stmt = NULL;
	long cache = -2000, page = 4096;

	if (sqlite3_prepare_v2(st->db, "SELECT cache_size, page_size FROM pragma_cache_size, pragma_page_size", -1,
			       &stmt, NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
		cache = (long)sqlite3_column_int64(stmt, 0);
		page = (long)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return (cache < 0 ? -cache * 1024 : cache * page) / 4;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads the next batch of samples that need grading (NULL when the rest of the run has none); *end is set
 * when the run is exhausted. Each call is one statement execution, so the connection holds no read lock
 * between batches and the writer can commit. */
static int read_batch(struct reader *r, struct batch *reuse, struct batch **out, int *end, struct cs_err *err)
{
	struct batch *b = reuse;
	int step = SQLITE_ROW;

	*out = NULL;
	*end = 0;
	if (b != NULL) {
		/* a written batch: empty it, keep its buffers */
		empty_batch(b);
	} else if ((b = calloc(1, sizeof *b)) == NULL) {
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	sqlite3_bind_int64(r->select, 2, r->next_id);
	while (b->count < BATCH && (step = sqlite3_step(r->select)) == SQLITE_ROW) {
		struct job *j = &b->jobs[b->count];
		sqlite3_int64 id = sqlite3_column_int64(r->select, 0);
		sqlite3_int64 problem = sqlite3_column_int64(r->select, 1);
		const struct golds *golds = r->golds;
		int len;

		r->next_id = id + 1;
		/* both lists are in id order: skip the samples whose grade is current */
		while (r->cursor < r->ncurrent && r->current[r->cursor] < id)
			r->cursor++;
		if (r->cursor < r->ncurrent && r->current[r->cursor] == id)
			continue;
		len = sqlite3_column_bytes(r->select, 2);
		j->text_at = strings_add(&b->texts, (const char *)sqlite3_column_text(r->select, 2), (size_t)len);
		if (j->text_at == NO_TEXT) {
			sqlite3_reset(r->select);
			free_batch(b);
			return cs_fail(err, CS_INTERNAL, "out of memory");
		}
		j->len = (size_t)len;
		j->sample_id = id;
		j->problem_id = problem;
		j->sample_index = sqlite3_column_int64(r->select, 3);
		j->flags = sqlite3_column_int(r->select, 4) == 1 ? CS_TEXT_STOPPED : 0;
		j->gold = problem >= 0 && problem <= golds->max_id && golds->by_id[problem] ? golds->by_id[problem] : "";
		b->count++;
	}
	sqlite3_reset(r->select);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		free_batch(b);
		return cs_store_fail(r->st, "reading samples", err);
	}
	*end = step == SQLITE_DONE;
	if (b->count == 0) {
		free_batch(b);
		return CS_OK;
	}
	/* the texts no longer move: point the jobs at them */
	for (int i = 0; i < b->count; i++)
		b->jobs[i].text = b->texts.data + b->jobs[i].text_at;
	*out = b;
	return CS_OK;
}

/* Reads one batch (into a spare one when there is one) and queues it; called with p->lock held (released
 * while reading). */
static void read_and_queue(struct pass *p)
{
	struct batch *b = NULL, *reuse = queue_take(&p->spare);
	struct cs_err err;
	int end = 0;
	int rc;

	pthread_mutex_unlock(&p->lock);
	rc = read_batch(&p->reader, reuse, &b, &end, &err);
	pthread_mutex_lock(&p->lock);
	if (rc != CS_OK) {
		note_failure(p, rc, &err);
		p->reading = 0;
	} else {
		if (end)
			p->reading = 0;
		if (b != NULL) {
			queue_push(&p->todo, b);
			p->in_flight++;
		}
	}
	pthread_cond_broadcast(&p->changed);
}

/* Grades the first waiting batch; called with p->lock held and p->todo not empty (released while grading). */
static void grade_one(struct pass *p)
{
	struct batch *b = queue_take(&p->todo);

	pthread_mutex_unlock(&p->lock);
	grade_batch(p, b);
	pthread_mutex_lock(&p->lock);
}

/* Commits the writer's transaction and begins the next one. A commit needs the database file to itself, so
 * the reader starts no read meanwhile: it grades instead, rather than wait on the writer's lock in SQLite's
 * busy handler, which sleeps in steps of milliseconds. A read already under way ends in well under a
 * millisecond, and the commit waits for it in the busy handler. (It must not wait for the reader by other
 * means: when a write transaction outgrows the page cache, the writer holds the file and the reader's read
 * waits for the commit.) Called without the lock. */
static int commit_between_reads(struct pass *p, struct cs_store *st, struct cs_err *err)
{
	int rc;

	pthread_mutex_lock(&p->lock);
	p->committing = 1;
	pthread_mutex_unlock(&p->lock);
	rc = cs_store_commit(st, err);
	if (rc == CS_OK)
		rc = cs_store_begin(st, err);
	pthread_mutex_lock(&p->lock);
	p->committing = 0;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

/* Waits on the pass's condition for at most IDLE_MS; returns nonzero when that time ran out. Called with
 * the lock held. */
static int wait_briefly(struct pass *p)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += IDLE_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return pthread_cond_timedwait(&p->changed, &p->lock, &until) == ETIMEDOUT;
}

/* A grading thread: grades batches until the pass is closed. */
static void *worker(void *arg)
{
	struct pass *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		if (p->closed)
			break;
		else if (p->todo.head != NULL)
			grade_one(p);
		else
			pthread_cond_wait(&p->changed, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The reader thread: reads while there is room in flight and grades while there is not; once the run is
 * read it grades like the other workers. */
static void *reader_thread(void *arg)
{
	struct pass *p = arg;

	pthread_mutex_lock(&p->lock);
	while (p->reading && !p->closed && !p->failed) {
		if (p->in_flight < p->limit && !p->committing)
			read_and_queue(p);
		else if (p->todo.head != NULL)
			grade_one(p);
		else
			pthread_cond_wait(&p->changed, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return worker(p);
}

/* The number of samples of run run_id, into *count: for the progress callback's total. */
static int count_samples(struct cs_store *st, sqlite3_int64 run_id, long *count, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = cs_store_prepare(st, "SELECT COUNT(*) FROM samples WHERE run_id = ?", &stmt, err);

	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, run_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(stmt, 0);
	else
		rc = cs_store_fail(st, "counting the run's samples", err);
	sqlite3_finalize(stmt);
	return rc;
}

/* Opens the reader's own read-only connection to the store's file. */
static int open_reader(struct cs_store *st, struct cs_store **out, struct cs_err *err)
{
	struct cs_store *r = calloc(1, sizeof *r);

	*out = NULL;
	if (r == NULL || (r->path = strdup(st->path)) == NULL) {
		free(r);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	if (sqlite3_open_v2(st->path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int rc = cs_store_fail(r, "opening a second connection", err);
		cs_store_close(r);
		return rc;
	}
	r->wait_ms = st->wait_ms;
	sqlite3_busy_timeout(r->db, r->wait_ms);
	*out = r;
	return CS_OK;
}

int cs_grade_run(struct cs_store *st, const char *run, const struct cs_grade_pass_opts *opt,
		 struct cs_grade_pass_stats *stats, struct cs_err *err)
{
	static const char select_sql[] =
		"SELECT id, problem_id, text, sample_index, stopped FROM samples WHERE id BETWEEN ?2 AND ?3 AND +run_id = ?1"
		" ORDER BY id";
	struct pass p;
	pthread_t threads[64];
	int nthreads = 0;            /* threads started, the reader thread first when there is one */
	struct cs_store *rst = NULL; /* the reader's connection when it is not st */
	struct cs_grader *grader = NULL;
	sqlite3_stmt *insert = NULL, *remove = NULL;
	struct golds golds = { NULL, 0 };
	sqlite3_int64 *current = NULL;
	size_t ncurrent = 0;
	sqlite3_int64 run_id = 0, first = 0, last = -1;
	enum cs_profile profile;
	char *pattern = NULL;
	long since_commit = 0, bytes_since_commit = 0, bytes_limit = commit_bytes(st), to_grade = 0;
	int in_tx = 0;
	int nthreads_wanted = opt->threads < 1 ? 1 : opt->threads > 64 ? 64 : opt->threads;
	double start = now_seconds();
	int rc;

	memset(stats, 0, sizeof *stats);
	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.changed, NULL);

	/* every grade written refers to a sample just read and carries one of the three verdicts of
	 * struct cs_grade, so the per-row checks are left out: the foreign key (a lookup in samples and a
	 * statement journal per INSERT) and the CHECK on the verdict (its IN list builds a temporary index per
	 * INSERT). The foreign key pragma only takes effect outside a transaction; both are restored at the end. */
	rc = cs_store_exec(st, "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON", "configuring",
			   err);
	if (rc == CS_OK)
		rc = cs_store_begin(st, err);
	if (rc != CS_OK)
		goto done;
	in_tx = 1;
	rc = load_run(st, run, opt->answer_pattern, &run_id, &profile, &pattern, err);
	if (rc == CS_OK)
		rc = cs_grader_new(profile, pattern, &grader, err);
	if (rc != CS_OK)
		goto done;
	cs_grade_version(pattern, stats->version);
	rc = load_golds(st, run_id, &golds, err);
	if (rc == CS_OK)
		rc = cs_store_run_range(st, run_id, &first, &last, err);
	if (rc == CS_OK && !opt->regrade)
		rc = load_current(st, run_id, first, last, stats->version, &current, &ncurrent, err);
	if (rc == CS_OK)
		rc = prepare_remove(st, run_id, opt->regrade ? NULL : stats->version, &remove, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, "INSERT INTO grades (sample_id, answer, canonical, verdict, rule, reason,"
				      " grader_version, run_id, problem_id, sample_index, text_key, normalized_key)"
				      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &insert, err);
	/* the run's samples are read by rowid range, in rowid order: sequential reads and no sort (through the
	 * run_id index SQLite would read the rows in problem order and sort them, texts and all) */
	p.reader.st = st;
	if (rc == CS_OK && nthreads_wanted > 1) {
		rc = open_reader(st, &rst, err);
		p.reader.st = rst;
	}
	if (rc == CS_OK)
		rc = cs_store_prepare(p.reader.st, select_sql, &p.reader.select, err);
	if (rc != CS_OK)
		goto done;
	stats->up_to_date = (long)ncurrent;
	if (opt->progress != NULL) {
		rc = count_samples(st, run_id, &to_grade, err);
		if (rc != CS_OK)
			goto done;
		to_grade -= (long)ncurrent;
		opt->progress(opt->progress_ctx, 0, to_grade);
	}
	sqlite3_bind_int64(p.reader.select, 1, run_id);
	sqlite3_bind_int64(p.reader.select, 3, last);
	p.reader.next_id = first;
	p.reader.golds = &golds;
	p.reader.current = current;
	p.reader.ncurrent = ncurrent;
	p.grader = grader;
	p.reading = first <= last;
	p.limit = 8 * nthreads_wanted;

	/* with more than one thread: the reader thread, then threads - 2 workers; this thread is the last one */
	for (int i = 0; i + 1 < nthreads_wanted; i++) {
		if (pthread_create(&threads[i], NULL, i == 0 ? reader_thread : worker, &p) != 0) {
			struct cs_err failure;
			cs_fail(&failure, CS_INTERNAL, "cannot start a grading thread");
			pthread_mutex_lock(&p.lock);
			note_failure(&p, CS_INTERNAL, &failure);
			pthread_mutex_unlock(&p.lock);
			break;
		}
		nthreads++;
	}

	/* write each graded batch; grade (and, alone, read) when there is nothing to write */
	pthread_mutex_lock(&p.lock);
	for (;;) {
		struct batch *b;

		if (p.failed) {
			rc = p.fail_rc;
			*err = p.fail_err;
			break;
		}
		if (p.done.head != NULL) {
			b = queue_take(&p.done);
			p.in_flight--;
			pthread_cond_broadcast(&p.changed);
			pthread_mutex_unlock(&p.lock);
			rc = write_batch(st, remove, insert, stats->version, run_id, b, stats, &bytes_since_commit, err);
			since_commit += b->count;
			if (rc == CS_OK && opt->progress != NULL)
				opt->progress(opt->progress_ctx, stats->graded, to_grade);
			if (rc == CS_OK && (since_commit >= COMMIT_EVERY || bytes_since_commit >= bytes_limit)) {
				/* keep what is done so far */
				rc = commit_between_reads(&p, st, err);
				since_commit = 0;
				bytes_since_commit = 0;
			}
			pthread_mutex_lock(&p.lock);
			queue_push(&p.spare, b);
			if (rc != CS_OK) {
				note_failure(&p, rc, err);
				break;
			}
		} else if (nthreads == 0 && p.reading && p.in_flight < p.limit) {
			/* no reader thread (the first thread started is the reader): read here */
			read_and_queue(&p);
		} else if (p.todo.head != NULL) {
			grade_one(&p);
		} else if (!p.reading && p.in_flight == 0) {
			break;
		} else if (since_commit > 0 && wait_briefly(&p) && p.done.head == NULL && p.todo.head == NULL) {
			/* nothing came for a while: the reader may be waiting for this transaction to end (when it
			 * has outgrown the page cache, it holds the database file), so commit what is written */
			pthread_mutex_unlock(&p.lock);
			rc = commit_between_reads(&p, st, err);
			since_commit = 0;
			bytes_since_commit = 0;
			pthread_mutex_lock(&p.lock);
			if (rc != CS_OK) {
				note_failure(&p, rc, err);
				break;
			}
		} else if (since_commit == 0) {
			pthread_cond_wait(&p.changed, &p.lock);
		}
	}
	p.closed = 1;
	pthread_cond_broadcast(&p.changed);
	pthread_mutex_unlock(&p.lock);
	for (int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	for (struct batch *b; (b = queue_take(&p.todo)) != NULL;)
		free_batch(b);
	for (struct batch *b; (b = queue_take(&p.done)) != NULL;)
		free_batch(b);
	for (struct batch *b; (b = queue_take(&p.spare)) != NULL;)
		free_batch(b);
	if (rc == CS_OK) {
		rc = cs_store_commit(st, err);
		if (rc == CS_OK)
			in_tx = 0;
	}
done:
	sqlite3_finalize(p.reader.select);
	cs_store_close(rst);
	sqlite3_finalize(insert);
	sqlite3_finalize(remove);
	if (in_tx)
		cs_store_rollback(st);
	sqlite3_exec(st->db, "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF", NULL, NULL, NULL);
	cs_grader_free(grader);
	free(pattern);
	free(current);
	free_golds(&golds);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.changed);
	stats->seconds = now_seconds() - start;
	return rc;
}
