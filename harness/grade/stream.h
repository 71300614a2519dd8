/* Streaming grader: JSON Lines samples in, one JSON Lines verdict per sample out, in input order, without a
 * database; a reader thread, N worker threads on batches of lines and an in-order writer (the caller). */
#ifndef COSEVAL_GRADE_STREAM_H
#define COSEVAL_GRADE_STREAM_H

#include <stdio.h>

#include "grade/grade.h"
#include "ingest/fieldmap.h"

struct cs_stream_opts {
	int threads;                /* worker threads, 1..64; 0: read, grade and write in the calling thread,
	                             * starting no thread (same output) */
	enum cs_profile profile;    /* extraction rules and comparison */
	const char *answer_pattern; /* NULL, or a PCRE2 pattern with a named group (?<answer>...) tried first */
	const char *name;           /* the input's name in messages, e.g. "<stdin>" */
	const struct cs_fieldmap *map; /* fields "gold", "text", "id" (see cs_stream_fieldmap); borrowed */
};

struct cs_stream_stats {
	long lines;         /* input lines read, blank ones included */
	long graded;        /* verdicts written */
	long correct, wrong, no_answer;
	char version[96];   /* the grader version written into every verdict */
};

/* Initialises m with the stream's fields and their defaults: gold ($.gold|$.answer), text ($.text) and
 * id ($.id, optional: absent gives "id": null). --map options are then applied with cs_fieldmap_option.
 * The caller frees m with cs_fieldmap_free. Returns CS_OK, or CS_INTERNAL when out of memory. */
int cs_stream_fieldmap(struct cs_fieldmap *m, struct cs_err *err);

/* Reads JSON Lines from in until end of file and writes to out, for each non-blank line and in the same
 * order, one line {"id", "answer", "canonical", "verdict", "rule", "reason", "grader_version"}. Blank lines
 * are skipped. Memory stays bounded: at most 2 x threads + 2 batches of lines are in flight (one with
 * threads 0).
 * The first bad line (invalid UTF-8 or JSON, not an object, gold or text missing or of the wrong type, a
 * line over 16 MiB) stops the stream: every verdict of the lines before it is written, nothing after it,
 * and CS_INPUT is returned with a message "NAME:LINE: ..." naming the field. Other errors: CS_USAGE (bad
 * answer pattern), CS_INTERNAL (memory, threads, a grader failure, writing out fails), CS_INPUT also when
 * reading in fails. in is read through its file descriptor (it must hold no buffered input); a batch is
 * handed on when it is full or the input pauses for 10 ms, and out is flushed after every batch, so a
 * consumer sees verdicts while the input still flows. The caller owns in and out. */
int cs_grade_stream(FILE *in, FILE *out, const struct cs_stream_opts *opt, struct cs_stream_stats *stats,
		    struct cs_err *err);

#endif
