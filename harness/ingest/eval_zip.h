/* Reading the samples of an inspect_ai `.eval` log, a zip archive holding one JSON file per sample under
 * samples/ (libzip). */
#ifndef COSEVAL_EVAL_ZIP_H
#define COSEVAL_EVAL_ZIP_H

#include <stddef.h>

#include "util/error.h"

struct cs_eval_zip; /* opaque */

/* Opens the archive at path; max_entry bounds the decompressed size of one sample file (the bound holds
 * whatever the archive's directory claims, so a zip bomb stops there). Errors: CS_INPUT (not a readable
 * zip archive, or one without samples/ files: not an inspect_ai log). *out is owned by the caller. */
int cs_eval_zip_open(const char *path, size_t max_entry, struct cs_eval_zip **out, struct cs_err *err);

/* Reads the next sample file, in the archive's order: *text (len bytes, NUL-terminated, valid until the
 * next call) and *entry (its name in the archive, valid as long as z). *text is NULL after the last one.
 * Errors: CS_INPUT (a file over the bound, a damaged archive). */
int cs_eval_zip_next(struct cs_eval_zip *z, char **text, size_t *len, const char **entry, struct cs_err *err);

/* Closes the archive and frees z; NULL is allowed. */
void cs_eval_zip_close(struct cs_eval_zip *z);

#endif
