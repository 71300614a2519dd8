/* Exit statuses shared by the whole program and the caller-owned error buffer that library code fills. */
#ifndef COSEVAL_ERROR_H
#define COSEVAL_ERROR_H

#include <stddef.h>

/* Exit statuses, never renumbered (see docs/commands.md, "Exit codes"). */
enum cs_status {
	CS_OK = 0,       /* success */
	CS_NO = 1,       /* the answer is no: answers differ, a regression was found */
	CS_USAGE = 2,    /* bad command line */
	CS_INPUT = 3,    /* bad input file or value */
	CS_DB = 4,       /* database error */
	CS_INTERNAL = 5  /* a bug or an exhausted resource */
};

/* A message buffer owned by the caller; library functions write one line into it, without a newline. */
struct cs_err {
	char msg[2048];
};

/* Formats a message into err (if not NULL) and returns status, so that callers can write
 * `return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" missing", ...)`. */
int cs_fail(struct cs_err *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clears err (if not NULL). */
void cs_err_clear(struct cs_err *err);

#endif
