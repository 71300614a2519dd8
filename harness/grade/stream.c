/* Streaming grader: a reader thread cuts the input into batches of lines, worker threads parse and grade
 * them and format the verdicts, and the calling thread writes the finished batches in input order; with
 * no worker threads asked for, the calling thread does all three in turn. */
#include "grade/stream.h"
#include "ingest/decompress.h"
#include "grade/pass.h"
#include "ingest/source.h"
#include "ingest/values.h"
#include "util/utf8.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH_LINES 256
#define BATCH_BYTES (1u << 20)
#define CHUNK (1u << 16)
#define MAX_LINE CS_DEFAULT_MAX_LINE

struct line {
	size_t off, len;
	long lineno;
};

struct sbatch {
	char *buf;                  /* the lines, each NUL-terminated */
	size_t used, cap;
	struct line lines[BATCH_LINES];
	int count;
	char *out;                  /* the verdict lines */
	size_t out_len, out_cap;
	long correct, wrong, no_answer, graded;
	int failed;                 /* a bad line: out holds the verdicts of the lines before it */
	int fail_rc;
	struct cs_err err;
	int done;
	struct sbatch *next_todo, *next_order;
};

struct stream {
	pthread_mutex_t lock;
	pthread_cond_t todo_cv, done_cv, space_cv;
	struct sbatch *todo_head, *todo_tail;
	struct sbatch *order_head, *order_tail; /* every batch in flight, in input order */
	int inflight, max_inflight;
	int reading_done;
	int stop;
	long lines;
	int in_fd;
	struct cs_inflate *inflate;  /* reads in_fd as plain bytes, decompressing gzip, zstd or xz (owned) */
	const struct cs_grader *grader;
	const struct cs_fieldmap *map;
	const char *name;
	const char *version;
};

int cs_stream_fieldmap(struct cs_fieldmap *m, struct cs_err *err)
{
	static const char *const names[] = { "gold", "text", "id", "finish" };
	int rc;

	cs_fieldmap_init(m, names, 4);
	rc = cs_fieldmap_default(m, "gold", "$.gold|$.answer", err);
	if (rc == CS_OK)
		rc = cs_fieldmap_default(m, "text", "$.text", err);
	if (rc == CS_OK)
		rc = cs_fieldmap_default(m, "id", "$.id", err);
	if (rc == CS_OK)
		rc = cs_fieldmap_default(m, "finish", "$.finish_reason", err);
	return rc;
}

static void free_batch(struct sbatch *b)
{
	if (b == NULL)
		return;
	free(b->buf);
	free(b->out);
	free(b);
}

static int reserve(char **buf, size_t *cap, size_t need)
{
	char *grown;
	size_t n = *cap ? *cap : 4096;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	grown = realloc(*buf, n);
	if (grown == NULL)
		return -1;
	*buf = grown;
	*cap = n;
	return 0;
}

static int put(struct sbatch *b, const char *s, size_t len)
{
	if (reserve(&b->out, &b->out_cap, b->out_len + len) != 0)
		return -1;
	memcpy(b->out + b->out_len, s, len);
	b->out_len += len;
	return 0;
}

static int put_str(struct sbatch *b, const char *s)
{
	return put(b, s, strlen(s));
}

/* Appends s as a JSON string (escaped as cJSON does), or null when s is NULL. */
static int put_json(struct sbatch *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;

	if (s == NULL)
		return put(b, "null", 4);
	if (reserve(&b->out, &b->out_cap, b->out_len + 6 * strlen(s) + 2) != 0)
		return -1;
	b->out[b->out_len++] = '"';
	for (p = (const unsigned char *)s; *p; p++) {
		char *o = b->out + b->out_len;
		switch (*p) {
		case '"': o[0] = '\\'; o[1] = '"'; b->out_len += 2; break;
		case '\\': o[0] = '\\'; o[1] = '\\'; b->out_len += 2; break;
		case '\b': o[0] = '\\'; o[1] = 'b'; b->out_len += 2; break;
		case '\f': o[0] = '\\'; o[1] = 'f'; b->out_len += 2; break;
		case '\n': o[0] = '\\'; o[1] = 'n'; b->out_len += 2; break;
		case '\r': o[0] = '\\'; o[1] = 'r'; b->out_len += 2; break;
		case '\t': o[0] = '\\'; o[1] = 't'; b->out_len += 2; break;
		default:
			if (*p < 32) {
				memcpy(o, "\\u00", 4);
				o[4] = hex[*p >> 4];
				o[5] = hex[*p & 15];
				b->out_len += 6;
			} else {
				*o = (char)*p;
				b->out_len++;
			}
		}
	}
	b->out[b->out_len++] = '"';
	return 0;
}

/* Marks the batch failed at a bad line; the lines after it are not graded. */
static void batch_fail(struct sbatch *b, int rc, const struct cs_err *err)
{
	b->failed = 1;
	b->fail_rc = rc;
	b->err = *err;
}

/* The one value of field name on record into *v (NULL when absent). */
static int field_value(const struct stream *s, const char *name, cJSON *record, const struct line *ln,
		       struct cs_jvalues *vals, cJSON **v, struct cs_err *err)
{
	const struct cs_field *f = cs_fieldmap_get((struct cs_fieldmap *)s->map, name);
	const char *path = NULL;
	int missing = 0;

	*v = NULL;
	if (cs_field_eval(f, record, ln->lineno - 1, vals, &missing, &path) != CS_OK)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	if (vals->duplicate != NULL) {
		struct cs_where w = { s->name, ln->lineno, name, path ? path : "?" };
		return cs_field_check_duplicate(vals, &w, err);
	}
	if (missing || vals->count == 0 || cJSON_IsNull(vals->items[0])) {
		if (f->explicit_map)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) missing", s->name, ln->lineno, name,
				       path ? path : "?");
		return CS_OK;
	}
	if (vals->count > 1)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) gives %zu values; the stream takes one sample"
			       " per line", s->name, ln->lineno, name, path, vals->count);
	*v = vals->items[0];
	return CS_OK;
}

/* Grades one line and appends its verdict line to b->out. */
static int grade_line(const struct stream *s, struct sbatch *b, const struct line *ln, struct cs_jvalues *vals,
		      struct cs_err *err)
{
	const char *text = b->buf + ln->off;
	struct cs_where where = { s->name, ln->lineno, NULL, NULL };
	struct cs_grade g = { 0 };
	cJSON *record = NULL, *v;
	const char *gold = NULL, *sample = NULL;
	char goldbuf[64];
	char *id = NULL;
	size_t bad, slen = 0;
	int rc = CS_OK, stopped = -1;

	bad = cs_utf8_invalid_at(text, ln->len);
	if (bad != ln->len) {
		rc = cs_fail(err, CS_INPUT, "%s:%ld: invalid UTF-8 at byte %zu", s->name, ln->lineno, bad + 1);
		goto done;
	}
	record = cJSON_ParseWithLengthOpts(text, ln->len + 1, NULL, 1); /* nothing but blanks after the value */
	if (record == NULL) {
		rc = cs_fail(err, CS_INPUT, "%s:%ld: malformed JSON", s->name, ln->lineno);
		goto done;
	}
	if (!cJSON_IsObject(record)) {
		rc = cs_fail(err, CS_INPUT, "%s:%ld: not a JSON object", s->name, ln->lineno);
		goto done;
	}
	rc = cs_json_check_nul(text, ln->len, s->name, ln->lineno, err);
	if (rc != CS_OK)
		goto done;
	rc = field_value(s, "text", record, ln, vals, &v, err);
	if (rc != CS_OK)
		goto done;
	if (v == NULL) {
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"text\" missing", s->name, ln->lineno);
		goto done;
	}
	where.field = "text";
	rc = cs_value_string(v, &where, &sample, &slen, err);
	if (rc != CS_OK)
		goto done;
	rc = field_value(s, "gold", record, ln, vals, &v, err);
	if (rc != CS_OK)
		goto done;
	if (v == NULL) {
		rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"gold\" missing", s->name, ln->lineno);
		goto done;
	}
	where.field = "gold";
	if (cJSON_IsNumber(v)) {
		rc = cs_value_key(v, &where, goldbuf, sizeof goldbuf, err);
		gold = goldbuf;
	} else {
		size_t glen;
		rc = cs_value_string(v, &where, &gold, &glen, err);
	}
	if (rc != CS_OK)
		goto done;
	rc = field_value(s, "id", record, ln, vals, &v, err);
	if (rc != CS_OK)
		goto done;
	if (v != NULL && (id = cJSON_PrintUnformatted(v)) == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = field_value(s, "finish", record, ln, vals, &v, err);
	if (rc == CS_OK && v != NULL && !cJSON_IsNull(v)) {
		where.field = "finish";
		rc = cs_value_stopped(v, &where, &stopped, err);
	}
	if (rc != CS_OK)
		goto done;
	rc = cs_grade_sample_flags(s->grader, gold, sample, slen, stopped == 1 ? CS_TEXT_STOPPED : 0, &g, err);
	if (rc != CS_OK)
		goto done;
	if (put_str(b, "{\"id\":") || put_str(b, id ? id : "null") || put_str(b, ",\"answer\":") ||
	    put_json(b, g.answer) || put_str(b, ",\"canonical\":") || put_json(b, g.canonical) ||
	    put_str(b, ",\"verdict\":") || put_json(b, g.verdict) || put_str(b, ",\"rule\":") ||
	    put_json(b, g.rule) || put_str(b, ",\"reason\":") || put_json(b, g.reason) ||
	    put_str(b, ",\"grader_version\":") || put_json(b, s->version) || put_str(b, "}\n")) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	b->graded++;
	if (strcmp(g.verdict, "correct") == 0)
		b->correct++;
	else if (strcmp(g.verdict, "wrong") == 0)
		b->wrong++;
	else
		b->no_answer++;
done:
	cs_grade_clear(&g);
	cs_jvalues_reset(vals);
	cJSON_free(id);
	cJSON_Delete(record);
	return rc;
}

/* Grades the lines of b in order, stopping at the first bad one (b then carries its error). */
static void grade_batch(const struct stream *s, struct sbatch *b, struct cs_jvalues *vals)
{
	for (int i = 0; i < b->count; i++) {
		struct cs_err err;
		int rc = grade_line(s, b, &b->lines[i], vals, &err);
		if (rc != CS_OK) {
			batch_fail(b, rc, &err);
			break;
		}
	}
}

static void *worker(void *arg)
{
	struct stream *s = arg;
	struct cs_jvalues vals = { 0 };

	for (;;) {
		struct sbatch *b;

		pthread_mutex_lock(&s->lock);
		while (s->todo_head == NULL && !s->stop && !s->reading_done)
			pthread_cond_wait(&s->todo_cv, &s->lock);
		b = s->stop ? NULL : s->todo_head;
		if (b != NULL) {
			s->todo_head = b->next_todo;
			if (s->todo_head == NULL)
				s->todo_tail = NULL;
		}
		pthread_mutex_unlock(&s->lock);
		if (b == NULL)
			break;
		grade_batch(s, b, &vals);
		pthread_mutex_lock(&s->lock);
		b->done = 1;
		pthread_cond_broadcast(&s->done_cv);
		pthread_mutex_unlock(&s->lock);
	}
	cs_jvalues_free(&vals);
	return NULL;
}

/* The reader's buffered input. */
struct input {
	char chunk[CHUNK];
	size_t pos, len;
	int eof;
};

/* Refills in->chunk with plain (decompressed) bytes; waits for data in slices of 200 ms so that a stop
 * request is seen even while the producer is idle. Returns 0, 1 when idle is set and no data came for 10 ms
 * (the caller then hands on the lines it has, so that a slow producer still sees its verdicts), or -1 with
 * err filled on a read error or corrupt compressed data; sets in->eof at the end. */
static int refill(struct stream *s, struct input *in, int idle, struct cs_err *err)
{
	for (;;) {
		struct pollfd pfd = { s->in_fd, POLLIN, 0 };
		size_t n;
		int stop;

		pthread_mutex_lock(&s->lock);
		stop = s->stop;
		pthread_mutex_unlock(&s->lock);
		if (stop) {
			in->eof = 1;
			return 0;
		}
		if (!cs_inflate_pending(s->inflate) && poll(&pfd, 1, idle ? 10 : 200) == 0) {
			if (idle)
				return 1;
			continue;
		}
		if (cs_inflate_read(s->inflate, in->chunk, CHUNK, &n, err) != CS_OK)
			return -1;
		in->pos = 0;
		in->len = n;
		if (n == 0)
			in->eof = 1;
		return 0;
	}
}

static int is_blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Fills b with the next lines; *end is set at the end of the input or on an error (which b then carries). */
static void read_batch(struct stream *s, struct input *in, struct sbatch *b, int *end)
{
	struct cs_err err;

	*end = 0;
	while (b->count < BATCH_LINES && b->used < BATCH_BYTES) {
		size_t start = b->used;
		int got_newline = 0, any = 0;

		for (;;) {
			char *nl;
			size_t n;

			if (in->pos == in->len) {
				int got;
				if (in->eof)
					break;
				got = refill(s, in, b->count > 0 && b->used == start, &err);
				if (got == 1)
					return; /* at a line boundary with lines in hand and the producer idle */
				if (got != 0) {
					batch_fail(b, CS_INPUT, &err);
					*end = 1;
					return;
				}
				continue;
			}
			any = 1;
			nl = memchr(in->chunk + in->pos, '\n', in->len - in->pos);
			n = nl ? (size_t)(nl - (in->chunk + in->pos)) : in->len - in->pos;
			if (b->used - start + n > MAX_LINE) {
				cs_fail(&err, CS_INPUT, "%s:%ld: line longer than %u MiB", s->name, s->lines + 1,
					MAX_LINE >> 20);
				batch_fail(b, CS_INPUT, &err);
				*end = 1;
				return;
			}
			if (reserve(&b->buf, &b->cap, b->used + n + 1) != 0) {
				cs_fail(&err, CS_INTERNAL, "out of memory");
				batch_fail(b, CS_INTERNAL, &err);
				*end = 1;
				return;
			}
			memcpy(b->buf + b->used, in->chunk + in->pos, n);
			b->used += n;
			in->pos += n;
			if (nl) {
				in->pos++;
				got_newline = 1;
				break;
			}
		}
		if (!any && !got_newline) {
			*end = 1;
			return;
		}
		s->lines++;
		b->buf[b->used++] = '\0';
		if (is_blank(b->buf + start, b->used - 1 - start)) {
			b->used = start;
		} else {
			b->lines[b->count].off = start;
			b->lines[b->count].len = b->used - 1 - start;
			b->lines[b->count].lineno = s->lines;
			b->count++;
		}
		if (!got_newline) {
			*end = 1;
			return;
		}
	}
}

static void *reader(void *arg)
{
	struct stream *s = arg;
	struct input *in = calloc(1, sizeof *in);
	int end = 0;

	while (!end) {
		struct sbatch *b = calloc(1, sizeof *b);

		pthread_mutex_lock(&s->lock);
		while (s->inflight >= s->max_inflight && !s->stop)
			pthread_cond_wait(&s->space_cv, &s->lock);
		end = s->stop;
		pthread_mutex_unlock(&s->lock);
		if (end) {
			free(b);
			break;
		}
		if (b == NULL || in == NULL) {
			struct cs_err err;
			if (b == NULL)
				b = calloc(1, sizeof *b);
			if (b == NULL)
				break;
			cs_fail(&err, CS_INTERNAL, "out of memory");
			batch_fail(b, CS_INTERNAL, &err);
			end = 1;
		} else {
			read_batch(s, in, b, &end);
		}
		if (b->count == 0 && !b->failed) {
			free_batch(b);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		s->inflight++;
		if (s->order_tail)
			s->order_tail->next_order = b;
		else
			s->order_head = b;
		s->order_tail = b;
		if (s->todo_tail)
			s->todo_tail->next_todo = b;
		else
			s->todo_head = b;
		s->todo_tail = b;
		pthread_cond_broadcast(&s->todo_cv);
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_lock(&s->lock);
	s->reading_done = 1;
	pthread_cond_broadcast(&s->todo_cv);
	pthread_cond_broadcast(&s->done_cv);
	pthread_mutex_unlock(&s->lock);
	free(in);
	return NULL;
}

/* Writes b's verdicts to out, adds its counts to stats and frees it. Returns CS_OK, or the error that
 * ends the stream: the batch's bad line, or a failed write. */
static int emit_batch(struct sbatch *b, FILE *out, struct cs_stream_stats *stats, struct cs_err *err)
{
	int rc = CS_OK;

	if (b->out_len > 0 && (fwrite(b->out, 1, b->out_len, out) != b->out_len || fflush(out) != 0)) {
		rc = cs_fail(err, CS_INTERNAL, "writing the verdicts: %s", strerror(errno));
	} else {
		stats->graded += b->graded;
		stats->correct += b->correct;
		stats->wrong += b->wrong;
		stats->no_answer += b->no_answer;
		if (b->failed) {
			rc = b->fail_rc;
			*err = b->err;
		}
	}
	free_batch(b);
	return rc;
}

/* The stream in the calling thread: read a batch, grade it, write it, until the end or the first error. */
static int run_in_caller(struct stream *s, FILE *out, struct cs_stream_stats *stats, struct cs_err *err)
{
	struct input *in = calloc(1, sizeof *in);
	struct cs_jvalues vals = { 0 };
	int end = 0, rc = CS_OK;

	if (in == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	while (!end && rc == CS_OK) {
		struct sbatch *b = calloc(1, sizeof *b);

		if (b == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			break;
		}
		read_batch(s, in, b, &end);
		grade_batch(s, b, &vals);
		rc = emit_batch(b, out, stats, err);
	}
	cs_jvalues_free(&vals);
	free(in);
	return rc;
}

int cs_grade_stream(FILE *in, FILE *out, const struct cs_stream_opts *opt, struct cs_stream_stats *stats,
		    struct cs_err *err)
{
	struct stream s;
	struct cs_grader *grader = NULL;
	pthread_t workers[64], rthread;
	int nworkers = 0, reader_started = 0;
	int rc;

	memset(stats, 0, sizeof *stats);
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.todo_cv, NULL);
	pthread_cond_init(&s.done_cv, NULL);
	pthread_cond_init(&s.space_cv, NULL);
	cs_grade_version(opt->answer_pattern, stats->version);
	rc = cs_grader_new(opt->profile, opt->answer_pattern, &grader, err);
	if (rc != CS_OK)
		goto stop;
	s.in_fd = fileno(in);
	s.grader = grader;
	s.map = opt->map;
	s.name = opt->name ? opt->name : "<stdin>";
	rc = cs_inflate_open(s.in_fd, s.name, &s.inflate, err);
	if (rc != CS_OK)
		goto stop;
	if (cs_inflate_packing(s.inflate) == CS_PACKED_ZIP || cs_inflate_packing(s.inflate) == CS_PACKED_BZIP2) {
		rc = cs_fail(err, CS_INPUT, "%s: this is %s-compressed: the stream reads plain, gzip-, zstd- or "
			     "xz-compressed JSON lines", s.name, cs_packing_name(cs_inflate_packing(s.inflate)));
		goto stop;
	}
	s.version = stats->version;
	if (opt->threads == 0) {
		rc = run_in_caller(&s, out, stats, err);
		goto stop;
	}
	s.max_inflight = 2 * (opt->threads > 0 ? opt->threads : 1) + 2;

	for (int i = 0; i < opt->threads && i < 64; i++) {
		if (pthread_create(&workers[i], NULL, worker, &s) != 0)
			break;
		nworkers++;
	}
	if (nworkers == 0 || pthread_create(&rthread, NULL, reader, &s) != 0) {
		rc = cs_fail(err, CS_INTERNAL, "cannot start the stream's threads");
		goto stop;
	}
	reader_started = 1;

	for (;;) {
		struct sbatch *b;

		pthread_mutex_lock(&s.lock);
		while (!(s.order_head != NULL && s.order_head->done) && !(s.order_head == NULL && s.reading_done))
			pthread_cond_wait(&s.done_cv, &s.lock);
		b = s.order_head;
		if (b != NULL) {
			s.order_head = b->next_order;
			if (s.order_head == NULL)
				s.order_tail = NULL;
			s.inflight--;
			pthread_cond_broadcast(&s.space_cv);
		}
		pthread_mutex_unlock(&s.lock);
		if (b == NULL)
			break;
		rc = emit_batch(b, out, stats, err);
		if (rc != CS_OK)
			break;
	}
stop:
	pthread_mutex_lock(&s.lock);
	s.stop = 1;
	pthread_cond_broadcast(&s.todo_cv);
	pthread_cond_broadcast(&s.space_cv);
	pthread_mutex_unlock(&s.lock);
	if (reader_started)
		pthread_join(rthread, NULL);
	for (int i = 0; i < nworkers; i++)
		pthread_join(workers[i], NULL);
	for (struct sbatch *b = s.order_head, *next; b != NULL; b = next) {
		next = b->next_order;
		free_batch(b);
	}
	stats->lines = s.lines;
	cs_inflate_close(s.inflate);
	cs_grader_free(grader);
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.todo_cv);
	pthread_cond_destroy(&s.done_cv);
	pthread_cond_destroy(&s.space_cv);
	return rc;
}
