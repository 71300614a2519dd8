/* Filling the caller-owned error buffer. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

int cs_fail(struct cs_err *err, int status, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return status;
}

void cs_err_clear(struct cs_err *err)
{
	if (err != NULL)
		err->msg[0] = '\0';
}
