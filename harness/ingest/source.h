/* Reading an input file record by record: JSON Lines, one JSON array, or CSV with a header row.
 * Every record is handed out as a JSON value (a CSV row becomes an object of strings keyed by column),
 * so field maps work the same on every format. The file's SHA-256 is computed while it is read. */
#ifndef COSEVAL_SOURCE_H
#define COSEVAL_SOURCE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/error.h"

/* Default longest line (or JSON array file) accepted: 16 MiB. */
#define CS_DEFAULT_MAX_LINE (16u * 1024u * 1024u)

enum cs_format { CS_FORMAT_AUTO, CS_FORMAT_JSONL, CS_FORMAT_JSON_ARRAY, CS_FORMAT_CSV };

struct cs_source; /* opaque */

/* Opens path ("-" for standard input) in the given format; CS_FORMAT_AUTO picks CSV for a name ending
 * in .csv, a JSON array when the first non-blank byte is '[', else JSON Lines. max_line bounds one line
 * (0 for the default). Errors: CS_INPUT (cannot open, empty file). *out is owned by the caller. */
int cs_source_open(const char *path, enum cs_format format, size_t max_line, struct cs_source **out,
		   struct cs_err *err);

/* Reads the next record. Returns CS_OK with *record set (owned by the caller, freed with cJSON_Delete),
 * CS_OK with *record NULL at the end of the file, or CS_INPUT with an error naming file and line
 * (malformed JSON, invalid UTF-8, a line over the limit, a CSV row with the wrong number of fields). */
int cs_source_next(struct cs_source *src, cJSON **record, struct cs_err *err);

/* From now on, reads and parses the records on a second thread, ahead of cs_source_next, which hands them
 * out in the same order with the same lines, indexes and errors; at most 512 records and about 32 MiB of
 * input are read ahead. Until the end of the file has been handed out, the caller must not read the
 * SHA-256 or the byte count, and after an error cs_source_next returns that error again (reading stops
 * there). Returns 0, or -1 when the thread cannot start (reading goes on in the calling thread). */
int cs_source_read_ahead(struct cs_source *src);

/* Frees a record cs_source_next handed out (cJSON_Delete would do, but when reading ahead the record goes
 * back to the thread that allocated it, which frees it more cheaply). */
void cs_source_release(struct cs_source *src, cJSON *record);

/* Where the last record came from: the 1-based line (JSON Lines, CSV: the line the row starts on) or
 * element number (JSON array). */
long cs_source_line(const struct cs_source *src);

/* The 0-based index of the last record among the records of the file. */
long cs_source_index(const struct cs_source *src);

/* The file name as given, for messages. */
const char *cs_source_path(const struct cs_source *src);

/* After the last record: the file's SHA-256 (64 hex digits) and its size in bytes. */
const char *cs_source_sha256(const struct cs_source *src);
long long cs_source_bytes(const struct cs_source *src);

/* For CSV: returns 1 when the header has the column name, else 0. For other formats: 1. */
int cs_source_has_column(const struct cs_source *src, const char *name);

/* Closes the file and frees src; NULL is allowed. */
void cs_source_close(struct cs_source *src);

#endif
