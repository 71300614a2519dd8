/* libFuzzer target: answer equivalence. The first byte picks the profile; the rest is gold, a newline, pred. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *pred;
	const char *reason = "";
	int equal = 0, back = 0;
	enum cs_profile p;

	if (size < 1 || size > 8192)
		return 0;
	p = (enum cs_profile)(data[0] % 3);
	buf = malloc(size);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	pred = strchr(buf, '\n');
	if (pred != NULL)
		*pred++ = '\0';
	else
		pred = buf;
	if (cs_compare(p, buf, pred, &equal, &reason, NULL) == CS_OK &&
	    cs_compare(p, pred, buf, &back, &reason, NULL) == CS_OK && equal != back)
		abort(); /* equivalence is symmetric */
	free(buf);
	return 0;
}
