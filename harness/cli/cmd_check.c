/* `coseval check GOLD PRED`: the verdict and its reason for one pair of answers; exit 0 equal, 1 not. */
#include "cli/args.h"
#include "cli/commands.h"
#include "grade/grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints arg to stderr as one shell word: as it is when it holds only characters the shell leaves alone,
 * else in single quotes. */
static void print_word(const char *arg)
{
	if (arg[0] != '\0' && arg[strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
					   "+-./:,=@%^_")] == '\0') {
		fprintf(stderr, " %s", arg);
		return;
	}
	fputs(" '", stderr);
	for (const char *p = arg; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", stderr);
		else
			fputc(*p, stderr);
	}
	fputc('\'', stderr);
}

/* An argument before "--" that starts with '-' but is no option of check (nor a misspelling of one) is an
 * answer such as -3 or -\frac{1}{2}: prints how to give it (the same command with the answers after "--")
 * and returns 2; else 0, and cs_parse_args reports whatever else is wrong. */
static int answer_as_option(int argc, char **argv, const struct cs_opt *opts)
{
	int bad = 0, takes_value;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *arg = argv[i];
		if (arg[0] != '-' || arg[1] == '\0')
			continue;
		if (cs_known_option(opts, arg, &takes_value)) {
			i += takes_value && strchr(arg, '=') == NULL;
			continue;
		}
		if (cs_nearest_option(opts, arg, strcspn(arg, "=")) == NULL) {
			bad = i;
			break;
		}
	}
	if (bad == 0)
		return 0;
	fprintf(stderr, "coseval check: unknown option '%s'; answers that start with '-' follow '--': coseval check",
		argv[bad]);
	/* the options as given, then "--" and the other arguments in their order */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0' && cs_known_option(opts, argv[i], &takes_value)) {
			print_word(argv[i]);
			if (takes_value && strchr(argv[i], '=') == NULL && i + 1 < argc)
				print_word(argv[++i]);
		}
	}
	fputs(" --", stderr);
	for (int i = 1, after = 0; i < argc; i++) {
		if (!after && strcmp(argv[i], "--") == 0) {
			after = 1;
		} else if (!after && argv[i][0] == '-' && argv[i][1] != '\0' &&
			   cs_known_option(opts, argv[i], &takes_value)) {
			i += takes_value && strchr(argv[i], '=') == NULL;
		} else {
			print_word(argv[i]);
		}
	}
	fputc('\n', stderr);
	return 2;
}

int cmd_check(int argc, char **argv)
{
	const char *profile_name = "math";
	const struct cs_opt opts[] = { { "--profile", CS_OPT_VALUE, &profile_name }, { NULL, 0, NULL } };
	const char *pos[2];
	enum cs_profile profile;
	const char *reason = "";
	char *gold_canon = NULL, *pred_canon = NULL;
	struct cs_err err;
	int npos, equal = 0, rc;

	if (answer_as_option(argc, argv, opts) != 0 || cs_parse_args(argc, argv, opts, pos, 2, &npos) != 0)
		return 2;
	if (npos != 2) {
		fprintf(stderr, "coseval check: usage: coseval check GOLD PRED [--profile math|gsm8k|generic]\n");
		return 2;
	}
	if (cs_profile_parse(profile_name, &profile) != 0) {
		fprintf(stderr, "coseval check: unknown profile '%s' (math, gsm8k or generic)\n", profile_name);
		return 2;
	}
	rc = cs_compare(profile, pos[0], pos[1], &equal, &reason, &err);
	if (rc == 0)
		rc = cs_canonical(profile, pos[0], &gold_canon, &err);
	if (rc == 0)
		rc = cs_canonical(profile, pos[1], &pred_canon, &err);
	if (rc != 0) {
		fprintf(stderr, "coseval check: %s\n", err.msg);
		free(gold_canon);
		free(pred_canon);
		return rc;
	}
	printf("%s: %s\ngold: %s\npred: %s\n", equal ? "equal" : "different", reason, gold_canon, pred_canon);
	free(gold_canon);
	free(pred_canon);
	return equal ? 0 : 1;
}
