/* Anonymous temporary files for data that does not fit in memory: created in $TMPDIR (or /tmp) and removed
 * from the directory at once, so that they vanish when closed or when the process ends. */
#ifndef COSEVAL_TEMPFILE_H
#define COSEVAL_TEMPFILE_H

#include "util/error.h"

#include <stdio.h>

/* Opens a new empty temporary file for reading and writing; the caller owns it and closes it with fclose.
 * what names the use in the error message. NULL with CS_INTERNAL in err when it cannot be created. */
FILE *cs_temp_file(const char *what, struct cs_err *err);

#endif
