/* Report output to standard output or to a file that appears whole or not at all (written to FILE.tmp,
 * then renamed). */
#ifndef COSEVAL_OUTPUT_H
#define COSEVAL_OUTPUT_H

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

#endif
