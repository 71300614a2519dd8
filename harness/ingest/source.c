/* Record-by-record reading of JSON Lines, JSON array, CSV, JSON document, YAML and .eval input, plain or
 * compressed, with line numbers, size limits, UTF-8 validation and a running SHA-256. */
#include "ingest/source.h"
#include "ingest/decompress.h"
#include "ingest/eval_zip.h"
#include "ingest/jpath.h"
#include "ingest/values.h"
#include "ingest/yaml_json.h"
#include "util/sha256.h"
#include "util/utf8.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)
#define MAX_ARRAY_FILE CS_MAX_DOCUMENT

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
	struct cs_inflate *z;  /* reads fd, decompressing */
	enum cs_packing packing;
	enum cs_format format;
	size_t max_line;
	char *records;         /* --records: the path naming the records of one JSON document, or NULL */

	/* a folder of YAML files: their names (sorted), and the next one to read */
	char **files;
	size_t nfiles, next_file;

	/* an inspect_ai .eval archive */
	struct cs_eval_zip *zip;

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

	/* JSON array, JSON document, YAML, folder, .eval: the records not yet handed out, and whether the
	 * input has more parts (files of a folder, samples of an archive) to load once they are */
	cJSON *array;
	size_t array_pos;
	int parts_left;

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
const char *cs_source_packing(const struct cs_source *src) { return cs_packing_name(src->packing); }

void cs_source_position(const struct cs_source *src, long long *done, long long *size)
{
	struct stat sb;
	off_t at;

	*done = -1;
	*size = -1;
	/* a folder moves from file to file on the reading thread; an archive is read through its own handle. The
	 * file offset is the kernel's, so asking for it while the other thread reads is safe. */
	if (src->files != NULL || src->zip != NULL || src->fd < 0)
		return;
	at = lseek(src->fd, 0, SEEK_CUR);
	if (at < 0)
		return;
	*done = (long long)at;
	if (fstat(src->fd, &sb) == 0 && S_ISREG(sb.st_mode))
		*size = (long long)sb.st_size;
}

/* Reads more bytes into the buffer, growing it up to limit bytes. Returns CS_OK (possibly setting eof). */
static int fill(struct cs_source *src, size_t limit, struct cs_err *err)
{
	size_t n;
	int rc;

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
	rc = cs_inflate_read(src->z, src->buf + src->end, src->cap - src->end, &n, err);
	if (rc != CS_OK)
		return rc;
	if (n == 0) {
		src->eof = 1;
		return CS_OK;
	}
	cs_sha256_update(&src->sha, src->buf + src->end, n);
	src->bytes += (long long)n;
	src->end += n;
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

int cs_source_column_count(const struct cs_source *src, const char *name)
{
	int n = 0;

	if (src->format != CS_FORMAT_CSV)
		return -1;
	for (size_t i = 0; i < src->ncols; i++)
		n += strcmp(src->header[i], name) == 0;
	return n;
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
		if (at == len && cs_json_check_nul(text, len, src->path, line > 0 ? line : 1, err) == CS_OK &&
		    cs_json_check_numbers(text, len, src->path, line > 0 ? line : 1, err) == CS_OK)
			return CS_OK;
		cJSON_Delete(*value);
		*value = NULL;
		if (at == len)
			return CS_INPUT; /* a NUL character or a malformed number: err says where */
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

/* Reads the rest of the current file into the buffer (bytes [start, end)) and checks that it is UTF-8;
 * name is the file's name in messages. */
static int load_whole(struct cs_source *src, const char *name, struct cs_err *err)
{
	size_t bad;
	int rc;

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
		return cs_fail(err, CS_INPUT, "%s:%ld: invalid UTF-8", name, line);
	}
	return CS_OK;
}

/* Writes into buf (size bytes) the lists and objects at the top of a JSON document, for a message:
 * "$.samples (3 items), $.results (an object)"; "" when there are none. */
static void describe_lists(const cJSON *doc, char *buf, size_t size)
{
	size_t used = 0;
	int count = 0;

	buf[0] = '\0';
	for (const cJSON *c = doc->child; c != NULL && used + 1 < size; c = c->next) {
		int n;
		if (!cJSON_IsArray(c) && !cJSON_IsObject(c))
			continue;
		if (cJSON_IsArray(c))
			n = snprintf(buf + used, size - used, "%s$.%s (%d item%s)", count ? ", " : "", c->string,
				     cJSON_GetArraySize(c), cJSON_GetArraySize(c) == 1 ? "" : "s");
		else
			n = snprintf(buf + used, size - used, "%s$.%s (an object)", count ? ", " : "", c->string);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
		count++;
	}
}

/* The name of a JSON value's type, for messages. */
static const char *json_type(const cJSON *v)
{
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

/* Appends a copy of record to src->array; with key (not NULL), the copy is given "@key": key, which the
 * record must be an object without. */
static int add_record(struct cs_source *src, const cJSON *record, const char *key, struct cs_err *err)
{
	cJSON *copy;

	if (key != NULL && !cJSON_IsObject(record))
		return cs_fail(err, CS_INPUT, "%s: --records %s: the value of key '%s' is %s, not an object (a record)",
			       src->path, src->records, key, json_type(record));
	if (key != NULL && cJSON_GetObjectItemCaseSensitive(record, "@key") != NULL)
		return cs_fail(err, CS_INPUT, "%s: --records %s: record '%s' has a key \"@key\" of its own, which "
			       "would hide its key in the object", src->path, src->records, key);
	copy = cJSON_Duplicate(record, 1);
	if (copy == NULL || (key != NULL && cJSON_AddStringToObject(copy, "@key", key) == NULL)) {
		cJSON_Delete(copy);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	cJSON_AddItemToArray(src->array, copy);
	return CS_OK;
}

/* Sets src->array to the records of the JSON document doc that the path src->records names. */
static int select_records(struct cs_source *src, cJSON *doc, struct cs_err *err)
{
	struct cs_jpath path;
	struct cs_jvalues vals;
	char lists[512];
	int missing = 0;
	int rc;

	memset(&vals, 0, sizeof vals);
	rc = cs_jpath_parse(src->records, &path, err);
	if (rc != CS_OK)
		return rc;
	src->array = cJSON_CreateArray();
	if (src->array == NULL || cs_jpath_eval(&path, doc, 0, &vals, &missing) != CS_OK) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (vals.duplicate != NULL) {
		rc = cs_fail(err, CS_INPUT, "%s: --records %s: key \"%.100s\" occurs twice in the same object, and JSON "
			     "readers disagree on which value counts; keep one of them in the file", src->path,
			     src->records, vals.duplicate->string);
	} else if (missing || vals.count == 0) {
		describe_lists(doc, lists, sizeof lists);
		rc = cs_fail(err, CS_INPUT, "%s: --records %s finds nothing in this file%s%s", src->path, src->records,
			     lists[0] ? "; its lists: " : "", lists);
	} else if (path.has_all) {
		for (size_t i = 0; rc == CS_OK && i < vals.count; i++)
			rc = add_record(src, vals.items[i], NULL, err);
	} else if (cJSON_IsArray(vals.items[0])) {
		for (const cJSON *c = vals.items[0]->child; rc == CS_OK && c != NULL; c = c->next)
			rc = add_record(src, c, NULL, err);
	} else if (cJSON_IsObject(vals.items[0])) {
		for (const cJSON *c = vals.items[0]->child; rc == CS_OK && c != NULL; c = c->next)
			rc = add_record(src, c, c->string, err);
	} else {
		rc = cs_fail(err, CS_INPUT, "%s: --records %s finds %s, not a list or an object of records", src->path,
			     src->records, json_type(vals.items[0]));
	}
done:
	cs_jvalues_free(&vals);
	cs_jpath_free(&path);
	return rc;
}

/* The name of a file without its folder, compression suffix and .yaml/.yml: the "@file" of its records. */
static char *file_stem(const char *path)
{
	static const char *const suffixes[] = { ".gz", ".zst", ".xz", ".yaml", ".yml" };
	const char *slash = strrchr(path, '/');
	char *stem = strdup(slash ? slash + 1 : path);
	size_t len;

	if (stem == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t n = strlen(suffixes[i]);
		len = strlen(stem);
		if (len > n && strcmp(stem + len - n, suffixes[i]) == 0)
			stem[len - n] = '\0';
	}
	return stem;
}

/* Parses the YAML text in the buffer (the file name) and appends its documents to src->array, each a
 * mapping given "@file": the file's stem. */
static int add_yaml(struct cs_source *src, const char *name, struct cs_err *err)
{
	cJSON *docs = NULL;
	char *stem = NULL;
	long number = 0;
	int rc;

	rc = cs_yaml_to_json(src->buf + src->start, src->end - src->start, name, &docs, err);
	if (rc != CS_OK)
		goto done;
	stem = file_stem(name);
	if (stem == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	while (rc == CS_OK && docs->child != NULL) {
		cJSON *doc = cJSON_DetachItemFromArray(docs, 0);
		number++;
		if (!cJSON_IsObject(doc))
			rc = cs_fail(err, CS_INPUT, "%s: YAML document %ld is %s, not a mapping (a record)", name, number,
				     json_type(doc));
		else if (cJSON_GetObjectItemCaseSensitive(doc, "@file") != NULL)
			rc = cs_fail(err, CS_INPUT, "%s: YAML document %ld has a key \"@file\" of its own, which would hide "
				     "its file name", name, number);
		else if (cJSON_AddStringToObject(doc, "@file", stem) == NULL)
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
		if (rc == CS_OK)
			cJSON_AddItemToArray(src->array, doc);
		else
			cJSON_Delete(doc);
	}
	if (rc == CS_OK && number == 0)
		rc = cs_fail(err, CS_INPUT, "%s: the YAML file holds no document", name);
done:
	cJSON_Delete(docs);
	free(stem);
	return rc;
}

/* Opens the next file of a folder as the source's input (its name then a newline go into the SHA-256
 * first) and loads its YAML documents into src->array. */
static int load_folder_file(struct cs_source *src, struct cs_err *err)
{
	const char *file = src->files[src->next_file++];
	size_t dir_len = strlen(src->path);
	char *full = malloc(dir_len + strlen(file) + 2);
	int rc = CS_OK;

	if (full == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	sprintf(full, "%s%s%s", src->path, dir_len && src->path[dir_len - 1] == '/' ? "" : "/", file);
	cs_inflate_close(src->z);
	src->z = NULL;
	if (src->fd >= 0)
		close(src->fd);
	src->fd = open(full, O_RDONLY);
	if (src->fd < 0) {
		rc = cs_fail(err, CS_INPUT, "%s: cannot open: %s", full, strerror(errno));
		goto done;
	}
	rc = cs_inflate_open(src->fd, full, &src->z, err);
	if (rc != CS_OK)
		goto done;
	cs_sha256_update(&src->sha, file, strlen(file));
	cs_sha256_update(&src->sha, "\n", 1);
	src->start = src->end = src->scan = 0;
	src->eof = 0;
	rc = load_whole(src, full, err);
	if (rc == CS_OK)
		rc = add_yaml(src, full, err);
done:
	free(full);
	return rc;
}

/* Loads the sample file of a .eval archive into src->array. */
static int load_zip_entry(struct cs_source *src, struct cs_err *err)
{
	const char *entry;
	char *text;
	size_t len, bad;
	cJSON *record = NULL;
	int rc;

	rc = cs_eval_zip_next(src->zip, &text, &len, &entry, err);
	if (rc != CS_OK)
		return rc;
	if (text == NULL) {
		src->parts_left = 0;
		return CS_OK;
	}
	bad = cs_utf8_invalid_at(text, len);
	if (bad < len)
		return cs_fail(err, CS_INPUT, "%s: %s in the archive: invalid UTF-8 at byte %zu", src->path, entry,
			       bad + 1);
	record = cJSON_ParseWithLength(text, len);
	if (record == NULL)
		return cs_fail(err, CS_INPUT, "%s: %s in the archive is not valid JSON", src->path, entry);
	if (cs_json_check_nul(text, len, entry, 1, err) != CS_OK ||
	    cs_json_check_numbers(text, len, entry, 1, err) != CS_OK) {
		cJSON_Delete(record);
		return CS_INPUT;
	}
	cJSON_AddItemToArray(src->array, record);
	return CS_OK;
}

/* Loads the next part of a whole-file input into src->array: the file (JSON array, JSON document, YAML),
 * the next file of a folder or the next sample of an archive; clears parts_left after the last. */
static int load_part(struct cs_source *src, struct cs_err *err)
{
	cJSON *doc = NULL;
	const char *end = NULL;
	int rc;

	if (src->zip == NULL && src->files == NULL && src->records == NULL && src->format == CS_FORMAT_JSON_ARRAY) {
		src->parts_left = 0;
		rc = load_whole(src, src->path, err);
		if (rc == CS_OK)
			rc = parse_json(src, src->buf + src->start, src->end - src->start, 0, &src->array, err);
		if (rc == CS_OK && !cJSON_IsArray(src->array))
			rc = cs_fail(err, CS_INPUT, "%s:1: expected a JSON array of records", src->path);
		return rc;
	}
	if (src->array == NULL && (src->array = cJSON_CreateArray()) == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	if (src->zip != NULL)
		return load_zip_entry(src, err);
	if (src->files != NULL) {
		rc = load_folder_file(src, err);
		src->parts_left = src->next_file < src->nfiles;
		return rc;
	}
	src->parts_left = 0;
	rc = load_whole(src, src->path, err);
	if (rc != CS_OK)
		return rc;
	if (src->format == CS_FORMAT_YAML)
		return add_yaml(src, src->path, err);
	/* one JSON document: a second value after the first means JSON lines, which --records does not fit */
	doc = cJSON_ParseWithLengthOpts(src->buf + src->start, src->end - src->start, &end, 0);
	if (doc != NULL && end != NULL && !is_blank(end, (size_t)(src->buf + src->end - end))) {
		cJSON_Delete(doc);
		return cs_fail(err, CS_INPUT, "%s: this file holds more than one JSON value (JSON lines?); --records is "
			       "for a file that is one JSON document: leave it out", src->path);
	}
	if (doc == NULL)
		return parse_json(src, src->buf + src->start, src->end - src->start, 0, &doc, err);
	if (cs_json_check_nul(src->buf + src->start, src->end - src->start, src->path, 1, err) != CS_OK ||
	    cs_json_check_numbers(src->buf + src->start, src->end - src->start, src->path, 1, err) != CS_OK) {
		cJSON_Delete(doc);
		return CS_INPUT;
	}
	cJSON_Delete(src->array);
	src->array = NULL;
	rc = select_records(src, doc, err);
	cJSON_Delete(doc);
	return rc;
}

static int array_next(struct cs_source *src, cJSON **record, struct cs_err *err)
{
	int rc;

	while (src->array == NULL || (src->array->child == NULL && src->parts_left)) {
		rc = load_part(src, err);
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
	case CS_FORMAT_YAML:
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

int cs_source_name_is(const char *name, const char *suffix)
{
	static const char *const packed[] = { "", ".gz", ".zst", ".xz" };
	size_t len = strlen(name), n = strlen(suffix);

	for (size_t i = 0; i < sizeof packed / sizeof packed[0]; i++) {
		size_t p = strlen(packed[i]);
		if (len >= n + p && strcmp(name + len - p, packed[i]) == 0 &&
		    strncmp(name + len - p - n, suffix, n) == 0)
			return 1;
	}
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Frees a list of n names. */
static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Lists the YAML files (*.yaml, *.yml, possibly compressed) of folder dir into *files (n names, sorted,
 * owned by the caller, freed with free_names), skipping hidden entries. Anything else in the folder is
 * refused (CS_INPUT), and so is a folder without YAML files. */
static int list_folder(const char *dir, char ***files, size_t *n, struct cs_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0, cap = 0;
	int rc = CS_OK;

	*files = NULL;
	*n = 0;
	if (d == NULL)
		return cs_fail(err, CS_INPUT, "%s: cannot open the folder: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (!cs_source_name_is(e->d_name, ".yaml") && !cs_source_name_is(e->d_name, ".yml")) {
			rc = cs_fail(err, CS_INPUT, "%s: the folder holds '%s', which is not a .yaml file; a folder is "
				     "read as YAML files only: move it out, or import it on its own", dir, e->d_name);
			goto done;
		}
		if (count == cap) {
			size_t grown_cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, grown_cap * sizeof *grown);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			names = grown;
			cap = grown_cap;
		}
		names[count] = strdup(e->d_name);
		if (names[count] == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto done;
		}
		count++;
	}
	if (count == 0) {
		rc = cs_fail(err, CS_INPUT, "%s: the folder holds no .yaml files", dir);
		goto done;
	}
	qsort(names, count, sizeof *names, compare_names);
done:
	closedir(d);
	if (rc != CS_OK) {
		free_names(names, count);
		return rc;
	}
	*files = names;
	*n = count;
	return CS_OK;
}

/* Adds the bytes of the file at path, as they are (not decompressed), to sha; *bytes is their count. */
static int hash_raw(const char *path, struct cs_sha256 *sha, long long *bytes, struct cs_err *err)
{
	char *buf = malloc(READ_CHUNK);
	int fd = open(path, O_RDONLY);
	ssize_t n = 0;
	int rc = CS_OK;

	*bytes = 0;
	if (buf == NULL || fd < 0) {
		rc = buf == NULL ? cs_fail(err, CS_INTERNAL, "out of memory")
				 : cs_fail(err, CS_INPUT, "%s: cannot open: %s", path, strerror(errno));
		goto done;
	}
	while ((n = read(fd, buf, READ_CHUNK)) > 0 || (n < 0 && errno == EINTR)) {
		if (n > 0) {
			cs_sha256_update(sha, buf, (size_t)n);
			*bytes += n;
		}
	}
	if (n < 0)
		rc = cs_fail(err, CS_INPUT, "%s: read error: %s", path, strerror(errno));
done:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

/* Adds the decompressed bytes of the file at path to sha (a zip archive: its bytes as they are). */
static int hash_file(const char *path, struct cs_sha256 *sha, struct cs_err *err)
{
	struct cs_inflate *z = NULL;
	char *buf = malloc(READ_CHUNK);
	int fd = open(path, O_RDONLY);
	long long ignored;
	size_t n = 0;
	int rc = CS_OK;

	if (buf == NULL || fd < 0) {
		rc = buf == NULL ? cs_fail(err, CS_INTERNAL, "out of memory")
				 : cs_fail(err, CS_INPUT, "%s: cannot open: %s", path, strerror(errno));
		goto done;
	}
	rc = cs_inflate_open(fd, path, &z, err);
	if (rc != CS_OK)
		goto done;
	if (cs_inflate_packing(z) == CS_PACKED_ZIP) {
		rc = hash_raw(path, sha, &ignored, err);
		goto done;
	}
	while ((rc = cs_inflate_read(z, buf, READ_CHUNK, &n, err)) == CS_OK && n > 0)
		cs_sha256_update(sha, buf, n);
done:
	cs_inflate_close(z);
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int cs_source_digest(const char *path, char hex[65], struct cs_err *err)
{
	struct cs_sha256 sha;
	struct stat st;
	char **files = NULL;
	size_t nfiles = 0;
	int rc;

	if (cs_sha256_init(&sha) != 0)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = list_folder(path, &files, &nfiles, err);
		for (size_t i = 0; rc == CS_OK && i < nfiles; i++) {
			char *full = malloc(strlen(path) + strlen(files[i]) + 2);
			if (full == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				break;
			}
			sprintf(full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", files[i]);
			cs_sha256_update(&sha, files[i], strlen(files[i]));
			cs_sha256_update(&sha, "\n", 1);
			rc = hash_file(full, &sha, err);
			free(full);
		}
	} else {
		rc = hash_file(path, &sha, err);
	}
	if (rc == CS_OK)
		cs_sha256_hex(&sha, hex);
	else
		cs_sha256_discard(&sha);
	free_names(files, nfiles);
	return rc;
}

/* With the first line in the buffer: 1 when it is not one whole JSON value, i.e. when the file that starts
 * with '{' is one JSON object spread over lines rather than JSON lines. */
static int first_line_is_partial(struct cs_source *src, size_t first, struct cs_err *err)
{
	const char *end = NULL;
	char *nl;
	cJSON *value;

	while (!src->eof && memchr(src->buf + first, '\n', src->end - first) == NULL &&
	       src->end - src->start <= src->max_line) {
		size_t offset = first - src->start;
		if (fill(src, src->max_line, err) != CS_OK)
			return 0;
		first = src->start + offset;
	}
	nl = memchr(src->buf + first, '\n', src->end - first);
	if (nl == NULL && !src->eof)
		return 0; /* a first line over the limit: reading it as JSON lines reports that */
	value = cJSON_ParseWithLengthOpts(src->buf + first, (size_t)((nl ? nl : src->buf + src->end) -
								     (src->buf + first)), &end, 0);
	cJSON_Delete(value);
	return value == NULL;
}

/* Refuses (CS_INPUT) a file that is one JSON object spread over lines, naming its lists; returns CS_OK
 * (and leaves the whole file in the buffer, unread) when it is not one JSON object. */
static int refuse_one_object(struct cs_source *src, struct cs_err *err)
{
	cJSON *doc;
	char lists[512];
	int rc;

	rc = load_whole(src, src->path, err);
	if (rc != CS_OK)
		return CS_OK; /* reading it as JSON lines reports the problem with its line */
	doc = cJSON_ParseWithLength(src->buf + src->start, src->end - src->start);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return CS_OK;
	}
	describe_lists(doc, lists, sizeof lists);
	if (lists[0] == '\0')
		snprintf(lists, sizeof lists, "none");
	rc = cs_fail(err, CS_INPUT, "%s: this file is one JSON object, not JSON lines: name its records with "
		     "--records PATH (its lists: %s; --records '$' takes the values of an object keyed \"0\", \"1\", "
		     "...), or use a preset that knows the file (--preset inspect for an inspect_ai log)", src->path,
		     lists);
	cJSON_Delete(doc);
	return rc;
}

int cs_source_open_records(const char *path, enum cs_format format, const char *records, size_t max_line,
			   struct cs_source **out, struct cs_err *err)
{
	struct cs_source *src;
	struct cs_jpath check;
	struct stat st;
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
	if (records != NULL) {
		rc = cs_jpath_parse(records, &check, err);
		if (rc != CS_OK)
			goto fail;
		cs_jpath_free(&check);
		src->records = strdup(records);
		if (src->records == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			goto fail;
		}
	}
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (records != NULL || (format != CS_FORMAT_AUTO && format != CS_FORMAT_YAML)) {
			rc = cs_fail(err, CS_INPUT, "%s: this is a folder, which is read as YAML files only (not %s)", path,
				     records != NULL ? "with --records" : "as JSON lines or CSV");
			goto fail;
		}
		rc = list_folder(path, &src->files, &src->nfiles, err);
		if (rc != CS_OK)
			goto fail;
		src->format = CS_FORMAT_YAML;
		src->parts_left = 1;
		*out = src;
		return CS_OK;
	}
	src->fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
	if (src->fd < 0) {
		rc = cs_fail(err, CS_INPUT, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	rc = cs_inflate_open(src->fd, path, &src->z, err);
	if (rc != CS_OK)
		goto fail;
	src->packing = cs_inflate_packing(src->z);
	if (src->packing == CS_PACKED_BZIP2) {
		rc = cs_fail(err, CS_INPUT, "%s: this is bzip2-compressed; coseval reads gzip, zstd and xz: decompress it "
			     "first (bunzip2 -k FILE) or recompress it (bunzip2 -c FILE | zstd -o FILE.zst)", path);
		goto fail;
	}
	if (src->packing == CS_PACKED_ZIP) {
		/* an inspect_ai .eval log: its sample files are the records (--records does not apply) */
		if (strcmp(path, "-") == 0 || format != CS_FORMAT_AUTO) {
			rc = cs_fail(err, CS_INPUT, "%s: this is a zip archive; coseval reads inspect_ai .eval archives %s",
				     path, format != CS_FORMAT_AUTO ? "with --preset inspect" : "by file name, not from "
				     "standard input");
			goto fail;
		}
		rc = hash_raw(path, &src->sha, &src->bytes, err);
		if (rc == CS_OK)
			rc = cs_eval_zip_open(path, src->max_line, &src->zip, err);
		if (rc != CS_OK)
			goto fail;
		src->format = CS_FORMAT_JSON_ARRAY;
		src->parts_left = 1;
		*out = src;
		return CS_OK;
	}
	do {
		rc = fill(src, src->max_line, err);
		if (rc != CS_OK)
			goto fail;
	} while (!src->eof && src->end < src->cap && is_blank(src->buf, src->end));
	if (is_blank(src->buf, src->end) && src->eof) {
		rc = cs_fail(err, CS_INPUT, "%s: the file is empty%s", path,
			     src->packing != CS_PACKED_NONE ? " (once decompressed)" : "");
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
		if (cs_source_name_is(path, ".csv"))
			format = CS_FORMAT_CSV;
		else if (cs_source_name_is(path, ".yaml") || cs_source_name_is(path, ".yml"))
			format = CS_FORMAT_YAML;
		else if (records != NULL || (i < src->end && src->buf[i] == '['))
			format = CS_FORMAT_JSON_ARRAY;
		else
			format = CS_FORMAT_JSONL;
		if (format == CS_FORMAT_JSONL && i < src->end && src->buf[i] == '{' &&
		    first_line_is_partial(src, i, err)) {
			rc = refuse_one_object(src, err);
			if (rc != CS_OK)
				goto fail;
		}
	}
	if (records != NULL && format != CS_FORMAT_JSON_ARRAY) {
		rc = cs_fail(err, CS_INPUT, "%s: --records is for a file that is one JSON document, not %s", path,
			     format == CS_FORMAT_CSV ? "CSV" : format == CS_FORMAT_YAML ? "YAML (each document is a record)"
			     : "JSON lines");
		goto fail;
	}
	src->format = format;
	src->parts_left = format == CS_FORMAT_JSON_ARRAY || format == CS_FORMAT_YAML;
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

int cs_source_open(const char *path, enum cs_format format, size_t max_line, struct cs_source **out,
		   struct cs_err *err)
{
	return cs_source_open_records(path, format, NULL, max_line, out, err);
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
	cs_inflate_close(src->z);
	if (src->fd >= 0)
		close(src->fd);
	cs_eval_zip_close(src->zip);
	free_names(src->files, src->nfiles);
	free(src->records);
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
