/* Option parsing shared by the subcommands. */
#include "cli/args.h"
#include "store/store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_parse_args(int argc, char **argv, const struct cs_opt *opts, const char **pos, int maxpos, int *npos)
{
	const char *wait = NULL;
	const struct cs_opt global[] = { { "--wait", CS_OPT_VALUE, &wait } };
	int options_done = 0; /* after "--" every argument is positional */
	double seconds;

	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct cs_opt *o;
		const char *value = NULL;
		size_t namelen;

		if (!options_done && strcmp(arg, "--") == 0) {
			options_done = 1;
			continue;
		}
		if (options_done || arg[0] != '-' || arg[1] == '\0') {
			if (*npos >= maxpos) {
				fprintf(stderr, "coseval %s: unexpected argument '%s'; see 'coseval help %s'\n", argv[0],
					arg, argv[0]);
				return 2;
			}
			pos[(*npos)++] = arg;
			continue;
		}
		namelen = strcspn(arg, "=");
		for (o = opts; o->name != NULL; o++)
			if (strlen(o->name) == namelen && strncmp(o->name, arg, namelen) == 0)
				break;
		/* the global options, which every command takes */
		if (o->name == NULL && strlen(global[0].name) == namelen && strncmp(global[0].name, arg, namelen) == 0)
			o = &global[0];
		if (o->name == NULL) {
			fprintf(stderr, "coseval %s: unknown option '%.*s'; see 'coseval help %s'\n", argv[0],
				(int)namelen, arg, argv[0]);
			return 2;
		}
		if (o->kind == CS_OPT_FLAG) {
			if (arg[namelen] == '=') {
				fprintf(stderr, "coseval %s: option %s takes no value\n", argv[0], o->name);
				return 2;
			}
			*(int *)o->target = 1;
			continue;
		}
		if (arg[namelen] == '=') {
			value = arg + namelen + 1;
		} else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) == 0 && argv[i + 1][2] != '\0') {
			/* "--run --model m": the value is missing, not "--model" (write --run=--model to mean it) */
			fprintf(stderr, "coseval %s: option %s needs a value (got the option %s)\n", argv[0], o->name,
				argv[i + 1]);
			return 2;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			fprintf(stderr, "coseval %s: option %s needs a value\n", argv[0], o->name);
			return 2;
		}
		if (o->kind == CS_OPT_VALUE) {
			*(const char **)o->target = value;
		} else {
			struct cs_list *list = o->target;
			if (list->count == CS_LIST_MAX) {
				fprintf(stderr, "coseval %s: option %s given more than %d times\n", argv[0], o->name,
					CS_LIST_MAX);
				return 2;
			}
			list->items[list->count++] = value;
		}
	}
	if (wait != NULL) {
		if (cs_parse_number("--wait", wait, &seconds) != 0)
			return 2;
		cs_store_set_wait(seconds);
	}
	return 0;
}

int cs_parse_number(const char *name, const char *text, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(*out) || *out < 0) {
		fprintf(stderr, "coseval: %s wants a non-negative number such as 9e9, got '%s'\n", name, text);
		return 2;
	}
	return 0;
}

int cs_parse_count(const char *name, const char *text, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || *out <= 0) {
		fprintf(stderr, "coseval: %s wants a positive whole number, got '%s'\n", name, text);
		return 2;
	}
	return 0;
}

int cs_split_list(char *text, struct cs_list *list)
{
	for (char *p = text; p != NULL && *p;) {
		char *comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		if (*p != '\0') {
			if (list->count == CS_LIST_MAX)
				return 2;
			list->items[list->count++] = p;
		}
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}
