/* Record-by-record reading of JSON Lines, JSON array and CSV files, with line numbers, size limits,
 * UTF-8 validation and a running SHA-256. */
#include "ingest/source.h"
#include "util/sha256.h"
#include "util/utf8.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)
#define MAX_ARRAY_FILE (1024u * 1024u * 1024u)

/* One finished CSV row waiting to be handed out. */
struct pending_row {
	cJSON *row;
	long line;
};

/* Reading ahead (cs_source_read_ahead): a second thread reads and parses records into blocks of up to
 * AHEAD_BLOCK records (or about AHEAD_BLOCK_BYTES bytes of input), and hands over whole blocks through a ring
 * of AHEAD_BLOCKS, so that the two threads meet once per block, not once per record. */
#define AHEAD_BLOCK 64
#define AHEAD_BLOCKS 8
#define AHEAD_BLOCK_BYTES (4L << 20)

struct ahead_item {
	cJSON *record;          /* NULL for the last item: the end of the file, or an error */
	long line, index;       /* where it came from */
};

struct ahead_block {
	struct ahead_item items[AHEAD_BLOCK];
	int count;
	long long bytes;        /* input bytes its records took */
};

struct ahead {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct ahead_block *ring[AHEAD_BLOCKS];
	int head, count;        /* the ring: count blocks from head */
	int last_rc;            /* how the last item ended: CS_OK (end of file) or an error, in last_err */
	struct cs_err last_err;
	int finished;           /* the thread queued its last item */
	int stop;               /* the owner closes the source early */
	int joined;
	struct ahead_block *serving; /* the block the reading side hands out from (only it touches this) */
	int served;             /* items of serving already handed out */
	/* records the reading side is done with go back to the thread that made them, a block at a time:
	 * memory freed by the thread that allocated it stays cheap (glibc keeps an arena per thread) */
	struct ahead_block *spent;   /* being filled by the reading side */
	struct ahead_block *returned_list[AHEAD_BLOCKS * 2];
	int nreturned;
};

struct cs_source {
	char *path;
	int fd;
	enum cs_format format;
	size_t max_line;

	/* the read buffer: bytes [start, end) are unread; scan is where the search for '\n' resumes */
	char *buf;
	size_t cap, start, end, scan;
	int eof;
	long line_no;      /* lines handed out so far */
	long record_line;  /* line or element of the last record read */
	long index;        /* 0-based index of the last record read */
	long shown_line;   /* the same for the last record handed out (they differ when reading ahead) */
	long shown_index;
	struct ahead *ahead; /* NULL unless reading ahead */
	struct cs_sha256 sha;
	char hex[65];
	long long bytes;

	/* JSON array */
	cJSON *array;
	size_t array_pos;

	/* CSV */
	struct csv_parser csv;
	int csv_ready;
	char **header;
	size_t ncols, header_cap;
	int header_done;
	cJSON *row;          /* the row being built */
	size_t row_fields;
	long row_line;        /* line the row being built started on */
	int in_row;           /* a row has started and not yet ended */
	struct pending_row *queue;
	size_t queue_len, queue_cap, queue_pos;
	int csv_failed;
	char csv_error[256];
};

const char *cs_source_path(const struct cs_source *src) { return src->path; }
long cs_source_line(const struct cs_source *src) { return src->shown_line; }
long cs_source_index(const struct cs_source *src) { return src->shown_index; }
const char *cs_source_sha256(const struct cs_source *src) { return src->hex; }
long long cs_source_bytes(const struct cs_source *src) { return src->bytes; }

/* Reads more bytes into the buffer, growing it up to limit bytes. Returns CS_OK (possibly setting eof). */
static int fill(struct cs_source *src, size_t limit, struct cs_err *err)
{
	ssize_t n;

	if (src->start > 0) {
		memmove(src->buf, src->buf + src->start, src->end - src->start);
		src->end -= src->start;
		src->scan -= src->start;
		src->start = 0;
	}
	if (src->end == src->cap) {
		size_t cap = src->cap * 2;
		char *grown;

		if (src->cap >= limit + READ_CHUNK)
			return cs_fail(err, CS_INPUT, "%s:%ld: line is longer than the limit of %zu bytes "
				       "(raise it with --max-line-mb)", src->path, src->line_no + 1, src->max_line);
		grown = realloc(src->buf, cap);
		if (grown == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory reading %s", src->path);
		src->buf = grown;
		src->cap = cap;
	}
	do {
		n = read(src->fd, src->buf + src->end, src->cap - src->end);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return cs_fail(err, CS_INPUT, "%s: read error: %s", src->path, strerror(errno));
	if (n == 0) {
		src->eof = 1;
		return CS_OK;
	}
	cs_sha256_update(&src->sha, src->buf + src->end, (size_t)n);
	src->bytes += n;
	src->end += (size_t)n;
	return CS_OK;
}

/* Hands out the next line (without '\n' or '\r\n') in line and len; *line is NULL at the end of the file.
 * The line stays valid until the next call. */
static int next_line(struct cs_source *src, char **line, size_t *len, size_t limit, struct cs_err *err)
{
	for (;;) {
		char *nl = memchr(src->buf + src->scan, '\n', src->end - src->scan);
		size_t n;
		int rc;

		if (nl != NULL || (src->eof && src->start < src->end)) {
			n = nl ? (size_t)(nl - (src->buf + src->start)) : src->end - src->start;
			*line = src->buf + src->start;
			src->start = nl ? (size_t)(nl - src->buf) + 1 : src->end;
			src->scan = src->start;
			src->line_no++;
			if (n > limit)
				return cs_fail(err, CS_INPUT, "%s:%ld: line is longer than the limit of %zu bytes "
					       "(raise it with --max-line-mb)", src->path, src->line_no, limit);
			if (n > 0 && (*line)[n - 1] == '\r')
				n--;
			*len = n;
			return CS_OK;
		}
		if (src->eof) {
			*line = NULL;
			*len = 0;
			return CS_OK;
		}
		src->scan = src->end;
		if (src->end - src->start > limit)
			return cs_fail(err, CS_INPUT, "%s:%ld: line is longer than the limit of %zu bytes "
				       "(raise it with --max-line-mb)", src->path, src->line_no + 1, limit);
		rc = fill(src, limit, err);
		if (rc != CS_OK)
			return rc;
	}
}

static int check_utf8(struct cs_source *src, const char *line, size_t len, struct cs_err *err)
{
	size_t bad = cs_utf8_invalid_at(line, len);

	if (bad < len)
		return cs_fail(err, CS_INPUT, "%s:%ld: invalid UTF-8 at byte %zu of the line", src->path,
			       src->line_no, bad + 1);
	return CS_OK;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* CSV callbacks: one per field, one per row end. */
static void csv_field(void *data, size_t len, void *ctx)
{
	struct cs_source *src = ctx;
	char *copy;

	if (src->csv_failed)
		return;
	if (!src->header_done) {
		if (src->ncols == src->header_cap) {
			size_t cap = src->header_cap ? src->header_cap * 2 : 16;
			char **grown = realloc(src->header, cap * sizeof *grown);
			if (grown == NULL)
				goto oom;
			src->header = grown;
			src->header_cap = cap;
		}
		copy = malloc(len + 1);
		if (copy == NULL)
			goto oom;
		memcpy(copy, data, len);
		copy[len] = '\0';
		src->header[src->ncols++] = copy;
		src->row_fields++;
		return;
	}
	if (src->row == NULL) {
		src->row = cJSON_CreateObject();
		if (src->row == NULL)
			goto oom;
	}
	if (src->row_fields < src->ncols) {
		/* CSV_APPEND_NULL makes every field a NUL-terminated string */
		cJSON *value = cJSON_CreateString(data ? (const char *)data : "");
		if (value == NULL)
			goto oom;
		cJSON_AddItemToObject(src->row, src->header[src->row_fields], value);
	}
	src->row_fields++;
	return;
oom:
	src->csv_failed = 1;
	snprintf(src->csv_error, sizeof src->csv_error, "out of memory");
}

static void csv_row_end(int terminator, void *ctx)
{
	struct cs_source *src = ctx;

	(void)terminator;
	src->in_row = 0;
	if (src->csv_failed)
		return;
	if (!src->header_done) {
		src->header_done = 1;
		src->row_fields = 0;
		return;
	}
	if (src->row_fields != src->ncols) {
		src->csv_failed = 1;
		snprintf(src->csv_error, sizeof src->csv_error, "%s:%ld: row has %zu fields, the header has %zu",
			 src->path, src->row_line, src->row_fields, src->ncols);
		cJSON_Delete(src->row);
		src->row = NULL;
		return;
	}
	if (src->queue_len == src->queue_cap) {
		size_t cap = src->queue_cap ? src->queue_cap * 2 : 8;
		struct pending_row *grown = realloc(src->queue, cap * sizeof *grown);
		if (grown == NULL) {
			src->csv_failed = 1;
			snprintf(src->csv_error, sizeof src->csv_error, "out of memory");
			return;
		}
		src->queue = grown;
		src->queue_cap = cap;
	}
	src->queue[src->queue_len].row = src->row;
	src->queue[src->queue_len].line = src->row_line;
	src->queue_len++;
	src->row = NULL;
	src->row_fields = 0;
}

int cs_source_has_column(const struct cs_source *src, const char *name)
{
	if (src->format != CS_FORMAT_CSV)
		return 1;
	for (size_t i = 0; i < src->ncols; i++)
		if (strcmp(src->header[i], name) == 0)
			return 1;
	return 0;
}

/* Reads one line and feeds it to libcsv; at the end of the file finishes the parser (csv_ready = 2). */
static int csv_feed_line(struct cs_source *src, struct cs_err *err)
{
	char *line;
	size_t len;
	int rc = next_line(src, &line, &len, src->max_line, err);

	if (rc != CS_OK)
		return rc;
	if (line == NULL) {
		if (csv_fini(&src->csv, csv_field, csv_row_end, src) != 0 && !src->csv_failed)
			return cs_fail(err, CS_INPUT, "%s:%ld: unterminated quoted field at the end of the file",
				       src->path, src->row_line);
		src->csv_ready = 2;
	} else {
		rc = check_utf8(src, line, len, err);
		if (rc != CS_OK)
			return rc;
		/* a row starts on the first non-empty line after the previous row ended (a quoted field may span
		 * lines, so later lines of the same row do not move it) */
		if (!src->in_row && len > 0) {
			src->row_line = src->line_no;
			src->in_row = 1;
		}
		if ((csv_parse(&src->csv, line, len, csv_field, csv_row_end, src) != len ||
		     csv_parse(&src->csv, "\n", 1, csv_field, csv_row_end, src) != 1) && !src->csv_failed)
			return cs_fail(err, CS_INPUT, "%s:%ld: malformed CSV: %s", src->path, src->line_no,
				       csv_strerror(csv_error(&src->csv)));
	}
	if (src->csv_failed)
		return cs_fail(err, CS_INPUT, "%s", src->csv_error);
	return CS_OK;
}

/* Hands out the next finished CSV row, feeding lines until one is ready or the file ends. */
static int csv_next(struct cs_source *src, cJSON **record, struct cs_err *err)
{
	for (;;) {
		int rc;

		if (src->queue_pos < src->queue_len) {
			*record = src->queue[src->queue_pos].row;
			src->record_line = src->queue[src->queue_pos].line;
			src->queue_pos++;
			src->index++;
			return CS_OK;
		}
		src->queue_len = 0;
		src->queue_pos = 0;
		if (src->csv_ready == 2) {
			*record = NULL;
			return CS_OK;
		}
		rc = csv_feed_line(src, err);
		if (rc != CS_OK)
			return rc;
	}
}

/* Parses len bytes of JSON text into *value. line is the line the text starts on, or 0 for a whole file:
 * the message then counts lines up to the error. Trailing bytes other than white space are an error. */
static int parse_json(struct cs_source *src, const char *text, size_t len, long line, cJSON **value,
		      struct cs_err *err)
{
	const char *end = NULL;
	size_t at;

	*value = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (*value != NULL) {
		at = (size_t)(end - text);
		while (at < len && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n'))
			at++;
		if (at == len)
			return CS_OK;
		cJSON_Delete(*value);
		*value = NULL;
	} else {
		at = end != NULL && end >= text ? (size_t)(end - text) : 0;
	}
	if (at > len)
		at = len;
	if (line == 0) {
		size_t column_start = 0;
		line = 1;
		for (size_t i = 0; i < at; i++) {
			if (text[i] == '\n') {
				line++;
				column_start = i + 1;
			}
		}
		at -= column_start;
		text += column_start;
		len -= column_start;
	}
	return cs_fail(err, CS_INPUT, "%s:%ld: malformed JSON at column %zu near '%.*s'", src->path, line, at + 1,
		       (int)(len - at < 20 ? len - at : 20), text + at);
}

static int jsonl_next(struct cs_source *src, cJSON **record, struct cs_err *err)
{
	for (;;) {
		char *line;
		size_t len;
		int rc = next_line(src, &line, &len, src->max_line, err);

		if (rc != CS_OK)
			return rc;
		if (line == NULL) {
			*record = NULL;
			return CS_OK;
		}
		if (is_blank(line, len))
			continue;
		rc = check_utf8(src, line, len, err);
		if (rc != CS_OK)
			return rc;
		rc = parse_json(src, line, len, src->line_no, record, err);
		if (rc != CS_OK)
			return rc;
		src->record_line = src->line_no;
		src->index++;
		return CS_OK;
	}
}

static int array_load(struct cs_source *src, struct cs_err *err)
{
	int rc;
	size_t bad;

	while (!src->eof) {
		rc = fill(src, MAX_ARRAY_FILE, err);
		if (rc != CS_OK)
			return rc;
	}
	bad = cs_utf8_invalid_at(src->buf + src->start, src->end - src->start);
	if (bad < src->end - src->start) {
		long line = 1;
		for (size_t i = src->start; i < src->start + bad; i++)
			line += src->buf[i] == '\n';
		return cs_fail(err, CS_INPUT, "%s:%ld: invalid UTF-8", src->path, line);
	}
	rc = parse_json(src, src->buf + src->start, src->end - src->start, 0, &src->array, err);
	if (rc != CS_OK)
		return rc;
	if (!cJSON_IsArray(src->array))
		return cs_fail(err, CS_INPUT, "%s:1: expected a JSON array of records", src->path);
	return CS_OK;
}

static int array_next(struct cs_source *src, cJSON **record, struct cs_err *err)
{
	int rc;

	if (src->array == NULL) {
		rc = array_load(src, err);
		if (rc != CS_OK)
			return rc;
	}
	if (src->array->child == NULL) {
		*record = NULL;
		return CS_OK;
	}
	*record = cJSON_DetachItemFromArray(src->array, 0);
	src->array_pos++;
	src->record_line = (long)src->array_pos;
	src->index++;
	return CS_OK;
}

/* Reads the next record in the calling thread (see cs_source_next). */
static int read_record(struct cs_source *src, cJSON **record, struct cs_err *err)
{
	int rc;

	*record = NULL;
	switch (src->format) {
	case CS_FORMAT_CSV:
		rc = csv_next(src, record, err);
		break;
	case CS_FORMAT_JSON_ARRAY:
		rc = array_next(src, record, err);
		break;
	default:
		rc = jsonl_next(src, record, err);
		break;
	}
	if (rc == CS_OK && *record == NULL && src->hex[0] == '\0') {
		/* every format reads to the end of the file before it reports the end */
		cs_sha256_hex(&src->sha, src->hex);
	}
	return rc;
}

/* Frees a block and the records it still holds from item first on. */
static void free_block(struct ahead_block *b, int first)
{
	if (b == NULL)
		return;
	for (int i = first; i < b->count; i++)
		cJSON_Delete(b->items[i].record);
	free(b);
}

/* Queues block b; returns 0 when the owner stopped the reading (b is then freed). */
static int push_block(struct ahead *a, struct ahead_block *b)
{
	pthread_mutex_lock(&a->lock);
	while (!a->stop && a->count == AHEAD_BLOCKS)
		pthread_cond_wait(&a->changed, &a->lock);
	if (a->stop) {
		pthread_mutex_unlock(&a->lock);
		free_block(b, 0);
		return 0;
	}
	a->ring[(a->head + a->count) % AHEAD_BLOCKS] = b;
	a->count++;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
	return 1;
}

/* Frees the blocks of spent records the reading side returned (in the read-ahead thread). */
static void free_returned(struct ahead *a)
{
	struct ahead_block *list[AHEAD_BLOCKS * 2];
	int n;

	pthread_mutex_lock(&a->lock);
	n = a->nreturned;
	memcpy(list, a->returned_list, (size_t)n * sizeof *list);
	a->nreturned = 0;
	pthread_mutex_unlock(&a->lock);
	for (int i = 0; i < n; i++)
		free_block(list[i], 0);
}

/* The read-ahead thread: reads records until the end of the file, an error, or the owner's stop. */
static void *read_ahead(void *arg)
{
	struct cs_source *src = arg;
	struct ahead *a = src->ahead;
	struct ahead_block *b = NULL;

	for (;;) {
		struct cs_err err;
		long long before = src->bytes;
		cJSON *record = NULL;
		int rc, last;

		if (b == NULL)
			free_returned(a);
		if (b == NULL && (b = calloc(1, sizeof *b)) == NULL) {
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		} else {
			rc = read_record(src, &record, &err);
		}
		last = rc != CS_OK || record == NULL;
		if (rc != CS_OK) {
			cJSON_Delete(record);
			record = NULL;
		}
		if (last) {
			/* how it ended is known before the last item can be handed out */
			pthread_mutex_lock(&a->lock);
			a->last_rc = rc;
			if (rc != CS_OK)
				a->last_err = err;
			pthread_mutex_unlock(&a->lock);
		}
		if (b != NULL) {
			struct ahead_item *it = &b->items[b->count++];
			it->record = record;
			it->line = src->record_line;
			it->index = src->index;
			b->bytes += src->bytes - before;
			if (last || b->count == AHEAD_BLOCK || b->bytes >= AHEAD_BLOCK_BYTES) {
				if (!push_block(a, b))
					return NULL;
				b = NULL;
			}
		}
		if (last) {
			pthread_mutex_lock(&a->lock);
			a->finished = 1;
			pthread_cond_broadcast(&a->changed);
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
	}
}

int cs_source_read_ahead(struct cs_source *src)
{
	struct ahead *a;

	if (src->ahead != NULL)
		return 0;
	a = calloc(1, sizeof *a);
	if (a == NULL)
		return -1;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->changed, NULL);
	src->ahead = a;
	if (pthread_create(&a->thread, NULL, read_ahead, src) != 0) {
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->changed);
		free(a);
		src->ahead = NULL;
		return -1;
	}
	return 0;
}

/* Hands out the next record read ahead, taking the next block (and waiting for it) when the current one is
 * used up. */
static int next_ahead(struct cs_source *src, cJSON **record, struct cs_err *err)
{
	struct ahead *a = src->ahead;
	struct ahead_item it;

	*record = NULL;
	if (a->serving == NULL || a->served == a->serving->count) {
		free_block(a->serving, a->served);
		a->serving = NULL;
		pthread_mutex_lock(&a->lock);
		while (a->count == 0 && !a->finished)
			pthread_cond_wait(&a->changed, &a->lock);
		if (a->count == 0) {
			/* the last item was handed out before (or the thread could not make a block): the end or
			 * the error again */
			int rc = a->last_rc;
			pthread_mutex_unlock(&a->lock);
			return rc == CS_OK ? CS_OK : cs_fail(err, rc, "%s", a->last_err.msg);
		}
		a->serving = a->ring[a->head];
		a->head = (a->head + 1) % AHEAD_BLOCKS;
		a->count--;
		a->served = 0;
		pthread_cond_broadcast(&a->changed);
		pthread_mutex_unlock(&a->lock);
	}
	it = a->serving->items[a->served++];
	src->shown_line = it.line;
	src->shown_index = it.index;
	if (it.record != NULL) {
		*record = it.record;
		return CS_OK;
	}
	/* the last item: the thread has finished, and after the join its SHA-256 and byte count are ours */
	if (!a->joined) {
		pthread_join(a->thread, NULL);
		a->joined = 1;
	}
	return a->last_rc == CS_OK ? CS_OK : cs_fail(err, a->last_rc, "%s", a->last_err.msg);
}

void cs_source_release(struct cs_source *src, cJSON *record)
{
	struct ahead *a;

	if (record == NULL)
		return;
	a = src->ahead;
	if (a == NULL || a->joined) {
		cJSON_Delete(record);
		return;
	}
	if (a->spent == NULL && (a->spent = calloc(1, sizeof *a->spent)) == NULL) {
		cJSON_Delete(record);
		return;
	}
	a->spent->items[a->spent->count++].record = record;
	if (a->spent->count < AHEAD_BLOCK)
		return;
	/* a full block goes back to the thread, which frees it before it reads its next block; when the thread
	 * has finished, or has not taken the earlier ones yet, it is freed here (never waiting) */
	pthread_mutex_lock(&a->lock);
	if (!a->finished && a->nreturned < AHEAD_BLOCKS * 2) {
		a->returned_list[a->nreturned++] = a->spent;
		a->spent = NULL;
	}
	pthread_mutex_unlock(&a->lock);
	free_block(a->spent, 0);
	a->spent = NULL;
}

int cs_source_next(struct cs_source *src, cJSON **record, struct cs_err *err)
{
	int rc;

	if (src->ahead != NULL)
		return next_ahead(src, record, err);
	rc = read_record(src, record, err);
	src->shown_line = src->record_line;
	src->shown_index = src->index;
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int cs_source_open(const char *path, enum cs_format format, size_t max_line, struct cs_source **out,
		   struct cs_err *err)
{
	struct cs_source *src;
	int rc;

	*out = NULL;
	src = calloc(1, sizeof *src);
	if (src == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	src->fd = -1;
	src->index = -1;
	src->shown_index = -1;
	src->max_line = max_line ? max_line : CS_DEFAULT_MAX_LINE;
	src->cap = READ_CHUNK;
	src->buf = malloc(src->cap);
	src->path = strdup(path);
	if (src->buf == NULL || src->path == NULL || cs_sha256_init(&src->sha) != 0) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto fail;
	}
	src->fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
	if (src->fd < 0) {
		rc = cs_fail(err, CS_INPUT, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	do {
		rc = fill(src, src->max_line, err);
		if (rc != CS_OK)
			goto fail;
	} while (!src->eof && src->end < src->cap && is_blank(src->buf, src->end));
	if (is_blank(src->buf, src->end) && src->eof) {
		rc = cs_fail(err, CS_INPUT, "%s: the file is empty", path);
		goto fail;
	}
	/* a UTF-8 byte-order mark (spreadsheets write one) is not part of the first record */
	if (src->end >= 3 && memcmp(src->buf, "\xEF\xBB\xBF", 3) == 0)
		src->start = src->scan = 3;
	if (format == CS_FORMAT_AUTO) {
		size_t i = src->start;
		while (i < src->end && (src->buf[i] == ' ' || src->buf[i] == '\t' || src->buf[i] == '\r' ||
					src->buf[i] == '\n'))
			i++;
		if (ends_with(path, ".csv"))
			format = CS_FORMAT_CSV;
		else if (i < src->end && src->buf[i] == '[')
			format = CS_FORMAT_JSON_ARRAY;
		else
			format = CS_FORMAT_JSONL;
	}
	src->format = format;
	if (format == CS_FORMAT_CSV) {
		if (csv_init(&src->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
			rc = cs_fail(err, CS_INTERNAL, "cannot initialise the CSV parser");
			goto fail;
		}
		src->csv_ready = 1;
		/* read the header row now so that callers can check the columns */
		while (!src->header_done && src->csv_ready != 2) {
			rc = csv_feed_line(src, err);
			if (rc != CS_OK)
				goto fail;
		}
		if (!src->header_done) {
			rc = cs_fail(err, CS_INPUT, "%s: the file is empty (no header row)", path);
			goto fail;
		}
	}
	*out = src;
	return CS_OK;
fail:
	cs_source_close(src);
	return rc;
}

void cs_source_close(struct cs_source *src)
{
	if (src == NULL)
		return;
	if (src->ahead != NULL) {
		struct ahead *a = src->ahead;
		if (!a->joined) {
			pthread_mutex_lock(&a->lock);
			a->stop = 1;
			pthread_cond_broadcast(&a->changed);
			pthread_mutex_unlock(&a->lock);
			pthread_join(a->thread, NULL);
		}
		free_block(a->serving, a->served);
		for (int i = 0; i < a->count; i++)
			free_block(a->ring[(a->head + i) % AHEAD_BLOCKS], 0);
		free_block(a->spent, 0);
		for (int i = 0; i < a->nreturned; i++)
			free_block(a->returned_list[i], 0);
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->changed);
		free(a);
	}
	if (src->fd >= 0)
		close(src->fd);
	if (src->csv_ready)
		csv_free(&src->csv);
	for (size_t i = 0; i < src->ncols; i++)
		free(src->header[i]);
	free(src->header);
	cJSON_Delete(src->row);
	for (size_t i = src->queue_pos; i < src->queue_len; i++)
		cJSON_Delete(src->queue[i].row);
	free(src->queue);
	cJSON_Delete(src->array);
	cs_sha256_discard(&src->sha);
	free(src->buf);
	free(src->path);
	free(src);
}
