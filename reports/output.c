/* Writing reports atomically: a temporary file renamed into place only after a checked close. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cs_output_open(struct cs_output *out, const char *path, struct cs_err *err)
{
	memset(out, 0, sizeof *out);
	if (path == NULL || strcmp(path, "-") == 0) {
		out->f = stdout;
		return CS_OK;
	}
	out->path = strdup(path);
	out->tmp = malloc(strlen(path) + 5);
	if (out->path == NULL || out->tmp == NULL) {
		free(out->path);
		free(out->tmp);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	strcpy(out->tmp, path);
	strcat(out->tmp, ".tmp");
	out->f = fopen(out->tmp, "w");
	if (out->f == NULL) {
		int rc = cs_fail(err, CS_INPUT, "%s: cannot write: %s", path, strerror(errno));
		free(out->path);
		free(out->tmp);
		memset(out, 0, sizeof *out);
		return rc;
	}
	return CS_OK;
}

int cs_output_close(struct cs_output *out, int failed, struct cs_err *err)
{
	int rc = CS_OK;

	if (out->f == NULL)
		return CS_OK;
	if (out->path == NULL) {
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = cs_fail(err, CS_INPUT, "error writing standard output");
		out->f = NULL;
		return failed ? CS_OK : rc;
	}
	if (fclose(out->f) != 0 && !failed)
		rc = cs_fail(err, CS_INPUT, "%s: error writing: %s", out->path, strerror(errno));
	if (failed || rc != CS_OK)
		remove(out->tmp);
	else if (rename(out->tmp, out->path) != 0)
		rc = cs_fail(err, CS_INPUT, "%s: cannot rename into place: %s", out->path, strerror(errno));
	free(out->path);
	free(out->tmp);
	memset(out, 0, sizeof *out);
	return rc;
}
