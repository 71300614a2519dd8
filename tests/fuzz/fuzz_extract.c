/* libFuzzer target: extraction and grading of one text. The first byte picks the profile and whether the text
 * was stopped at its length limit; the rest is the text, graded against the gold answer 42. */
#include <stdint.h>
#include <stdlib.h>

#include "grade/grade.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cs_grader *graders[3];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_extraction ex;
	struct cs_grade gr;
	enum cs_profile p;
	unsigned flags;

	if (size < 1 || size > 65536)
		return 0;
	p = (enum cs_profile)(data[0] % 3);
	flags = (data[0] & 0x10) ? CS_TEXT_STOPPED : 0;
	if (graders[p] == NULL && cs_grader_new(p, NULL, &graders[p], NULL) != CS_OK)
		abort();
	if (cs_extract_flags(graders[p], (const char *)data + 1, size - 1, flags, &ex, NULL) == CS_OK)
		free(ex.answer);
	if (cs_grade_sample_flags(graders[p], "42", (const char *)data + 1, size - 1, flags, &gr, NULL) == CS_OK)
		cs_grade_clear(&gr);
	return 0;
}
