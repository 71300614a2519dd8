/* `coseval extract FILE|-`: the final answer found in a text and the rule that found it. */
#include "cli/args.h"
#include "cli/commands.h"
#include "grade/grade.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole stream into a malloc'd buffer (at most 64 MiB). */
static int read_all(FILE *f, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	while (buf != NULL) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *grown = cap >= (64u << 20) ? NULL : realloc(buf, cap * 2);
			if (grown == NULL) {
				free(buf);
				return -1;
			}
			buf = grown;
			cap *= 2;
		}
	}
	if (buf == NULL || ferror(f)) {
		free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

int cmd_extract(int argc, char **argv)
{
	const char *profile_name = "math";
	const char *pattern = NULL;
	const struct cs_opt opts[] = {
		{ "--profile", CS_OPT_VALUE, &profile_name }, { "--answer-pattern", CS_OPT_VALUE, &pattern },
		{ NULL, 0, NULL }
	};
	const char *pos[1];
	enum cs_profile profile;
	struct cs_grader *grader = NULL;
	struct cs_extraction ex = { NULL, "none", NULL };
	struct cs_err err;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, pos, 1, &npos) != 0)
		return 2;
	if (npos != 1) {
		fprintf(stderr, "coseval extract: usage: coseval extract FILE|- [--profile math|gsm8k|generic]\n");
		return 2;
	}
	if (cs_profile_parse(profile_name, &profile) != 0) {
		fprintf(stderr, "coseval extract: unknown profile '%s' (math, gsm8k or generic)\n", profile_name);
		return 2;
	}
	f = strcmp(pos[0], "-") == 0 ? stdin : fopen(pos[0], "rb");
	if (f == NULL) {
		fprintf(stderr, "coseval extract: %s: cannot open: %s\n", pos[0], strerror(errno));
		return 3;
	}
	rc = read_all(f, &text, &len);
	if (f != stdin)
		fclose(f);
	if (rc != 0) {
		fprintf(stderr, "coseval extract: %s: cannot read (or larger than 64 MiB)\n", pos[0]);
		return 3;
	}
	if (cs_utf8_invalid_at(text, len) != len) {
		/* an answer cut from invalid bytes would be printed as if it were text */
		fprintf(stderr, "coseval extract: %s: invalid UTF-8 at byte %zu\n", pos[0], cs_utf8_invalid_at(text, len) + 1);
		free(text);
		return 3;
	}
	rc = cs_grader_new(profile, pattern, &grader, &err);
	if (rc == 0)
		rc = cs_extract(grader, text, len, &ex, &err);
	if (rc != 0) {
		fprintf(stderr, "coseval extract: %s\n", err.msg);
	} else if (ex.answer == NULL) {
		if (ex.why != NULL)
			printf("no answer\trule none\treason %s\n", ex.why);
		else
			printf("no answer\trule none\n");
		rc = 1;
	} else {
		printf("%s\trule %s\n", ex.answer, ex.rule);
	}
	free(ex.answer);
	free(text);
	cs_grader_free(grader);
	return rc;
}
