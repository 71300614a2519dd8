/* libFuzzer target: `grade --stream` on one input: the first byte picks the profile, the rest is the stream. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "grade/stream.h"
#include "ingest/fieldmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An unnamed temporary file, in memory (/dev/shm) when the machine allows: a file on disk per input costs
 * more than grading it. */
static FILE *scratch_file(void)
{
	int fd = open("/dev/shm", O_TMPFILE | O_RDWR, 0600);
	FILE *f;

	if (fd < 0)
		return tmpfile();
	f = fdopen(fd, "w+b");
	if (f == NULL)
		close(fd);
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_stream_opts opt = { 0, CS_PROFILE_GENERIC, NULL, "<fuzz>", NULL };
	struct cs_stream_stats stats;
	struct cs_fieldmap map;
	struct cs_err err;
	FILE *in, *out;

	if (size < 1 || size > 65536)
		return 0;
	opt.profile = (enum cs_profile)(data[0] % 3);
	in = scratch_file();
	out = fopen("/dev/null", "w");
	if (in != NULL && out != NULL && fwrite(data + 1, 1, size - 1, in) == size - 1 && fflush(in) == 0) {
		rewind(in);
		if (cs_stream_fieldmap(&map, &err) == CS_OK) {
			opt.map = &map;
			cs_grade_stream(in, out, &opt, &stats, &err);
		}
		cs_fieldmap_free(&map);
	}
	if (in != NULL)
		fclose(in);
	if (out != NULL)
		fclose(out);
	return 0;
}
