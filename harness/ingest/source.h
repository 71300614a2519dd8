/* Reading an input file record by record: JSON Lines, one JSON array, CSV with a header row, one JSON
 * document whose records a path names, YAML files (one record per document; a folder of them), and the
 * samples of an inspect_ai .eval archive; plain or gzip-, zstd- or xz-compressed. Every record is handed
 * out as a JSON value (a CSV row becomes an object of strings keyed by column), so field maps work the
 * same on every format. The SHA-256 of the (decompressed) input is computed while it is read. */
#ifndef COSEVAL_SOURCE_H
#define COSEVAL_SOURCE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/error.h"

/* Default longest line (or JSON array file) accepted: 16 MiB. */
#define CS_DEFAULT_MAX_LINE (16u * 1024u * 1024u)

/* Longest file read whole (a JSON array or document, a YAML file), decompressed: 1 GiB. */
#define CS_MAX_DOCUMENT (1024u * 1024u * 1024u)

enum cs_format { CS_FORMAT_AUTO, CS_FORMAT_JSONL, CS_FORMAT_JSON_ARRAY, CS_FORMAT_CSV, CS_FORMAT_YAML };

struct cs_source; /* opaque */

/* Opens path ("-" for standard input) in the given format; CS_FORMAT_AUTO picks CSV for a name ending
 * in .csv, a JSON array when the first non-blank byte is '[', else JSON Lines. max_line bounds one line
 * (0 for the default). Errors: CS_INPUT (cannot open, empty file). *out is owned by the caller. */
int cs_source_open(const char *path, enum cs_format format, size_t max_line, struct cs_source **out,
		   struct cs_err *err);

/* cs_source_open with the records of one JSON document: records (NULL: none) is a field path naming them
 * (`$.samples[*]`; a path to one array: its elements; to one object: its values, each given the key
 * "@key" holding its key). Whatever the path, the data is first recognised by its bytes: gzip, zstd and
 * xz are decompressed as they are read (the line limit bounds what one line inflates to, CS_MAX_DOCUMENT
 * a whole document), a zip archive is read as an inspect_ai .eval log (its samples/ JSON files, one record
 * each), a folder as YAML files (*.yaml, *.yml, in name order; anything else in it is refused), and a
 * name ending in .yaml or .yml (before a .gz, .zst or .xz) as YAML, whose every document is a record
 * given the key "@file" (the file's name without folder and extensions). With CS_FORMAT_AUTO and no
 * records, a file that is one JSON object spread over lines is refused with a message naming its lists.
 * Errors: CS_USAGE (a bad records path, records for a format that has none), CS_INPUT (the data cannot
 * be read as asked; the message says what it is and what to do). */
int cs_source_open_records(const char *path, enum cs_format format, const char *records, size_t max_line,
			   struct cs_source **out, struct cs_err *err);

/* The SHA-256 (64 hex digits and a NUL, in hex) that a source opened on path reports after its last
 * record, computed without parsing: of the decompressed bytes of a file, of the bytes of a zip archive,
 * and for a folder of each YAML file's name, a newline and its decompressed bytes, in name order.
 * Errors: CS_INPUT (unreadable, corrupt compressed data). */
int cs_source_digest(const char *path, char hex[65], struct cs_err *err);

/* How the input was packed: "plain", "gzip", "zstd", "xz" or "zip". */
const char *cs_source_packing(const struct cs_source *src);

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

/* After the last record: the SHA-256 (64 hex digits) of the decompressed input (see cs_source_digest) and
 * its decompressed size in bytes (a zip archive: its size). */
const char *cs_source_sha256(const struct cs_source *src);
long long cs_source_bytes(const struct cs_source *src);

/* For a progress line, while records are read (also while reading ahead; the figures are then a little
 * ahead of the records handed out): *done the bytes of the file read so far, as stored (for compressed
 * input, the compressed bytes), and *size the file's size; both -1 when not known: a pipe, a folder, an .eval
 * archive. */
void cs_source_position(const struct cs_source *src, long long *done, long long *size);

/* For CSV: returns 1 when the header has the column name, else 0. For other formats: 1. */
int cs_source_has_column(const struct cs_source *src, const char *name);

/* For CSV: the number of header columns called name (0, 1, or more when a name repeats). For other formats:
 * -1. */
int cs_source_column_count(const struct cs_source *src, const char *name);

/* Closes the file and frees src; NULL is allowed. */
void cs_source_close(struct cs_source *src);

/* 1 when name ends with suffix, or with suffix followed by .gz, .zst or .xz (samples.csv.gz is a CSV file). */
int cs_source_name_is(const char *name, const char *suffix);

#endif
