/* Folding white space and case in text compared by content rather than by exact bytes. */
#include "util/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *cs_text_normalize(const char *s, int lowercase)
{
	char *out = malloc(strlen(s) + 1);
	size_t n = 0;
	int space = 0;

	if (out == NULL)
		return NULL;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = lowercase ? (char)tolower((unsigned char)*s) : *s;
	}
	out[n] = '\0';
	return out;
}
