/* Anonymous temporary files: mkstemp in $TMPDIR (or /tmp), unlinked at once. */
#include "util/tempfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

FILE *cs_temp_file(const char *what, struct cs_err *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof path, "%s/coseval-%s-XXXXXX", dir, what) >= sizeof path) {
		cs_fail(err, CS_INTERNAL, "TMPDIR is too long for a temporary file");
		return NULL;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		cs_fail(err, CS_INTERNAL, "%s: cannot create a temporary file for the %s: %s (set TMPDIR to a"
			" writable directory with space)", path, what, strerror(errno));
		return NULL;
	}
	unlink(path);
	f = fdopen(fd, "w+b");
	if (f == NULL) {
		cs_fail(err, CS_INTERNAL, "cannot open a temporary file for the %s: %s", what, strerror(errno));
		close(fd);
	}
	return f;
}
