/* Report output to standard output or to a file that appears whole or not at all (written to FILE.tmp,
 * then renamed). */
#ifndef COSEVAL_OUTPUT_H
#define COSEVAL_OUTPUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "util/error.h"

struct cs_output {
	FILE *f;          /* where to write */
	char *path;       /* the final path, NULL for standard output; owned */
	char *tmp;        /* the temporary path; owned */
};

/* Opens path for writing (NULL or "-" for standard output). CS_INPUT when it cannot be created. */
int cs_output_open(struct cs_output *out, const char *path, struct cs_err *err);

/* Flushes and closes; on success renames the temporary file into place. On failure (or when failed is
 * nonzero) removes the temporary file. Returns CS_OK or CS_INPUT naming the file. */
int cs_output_close(struct cs_output *out, int failed, struct cs_err *err);

/* The name of the provenance file written beside a CSV report FILE: FILE.provenance.json. */
#define CS_PROVENANCE_SUFFIX ".provenance.json"

/* cs_output_close for a CSV report that carries its provenance. When out is a file (not standard output),
 * nothing failed and doc is not NULL, writes beside it FILE.provenance.json: doc (the head of the command's
 * --format json document: coseval_version, grader_version, command, database, options, runs with their
 * sources and SHA-256; its "rows" left out) with "csv": {"file" (FILE as given), "bytes", "sha256"} of the
 * finished CSV. Both files go through temporary files; the provenance is renamed into place just before the
 * CSV, and removed again when the CSV cannot be. doc is not changed. Returns CS_OK, CS_INPUT naming the file
 * or CS_INTERNAL. */
int cs_output_close_provenance(struct cs_output *out, int failed, const cJSON *doc, struct cs_err *err);

#endif
