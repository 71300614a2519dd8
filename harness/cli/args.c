/* Option parsing shared by the subcommands. */
#include "cli/args.h"
#include "store/store.h"
#include "util/progress.h"
#include "util/suggest.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The options every command takes, besides --help (which main handles); cs_parse_args gives them targets in
 * this order. */
static const struct cs_opt global_options[] = { { "--wait", CS_OPT_VALUE, NULL }, { "--quiet", CS_OPT_FLAG, NULL } };
#define NGLOBAL (sizeof global_options / sizeof global_options[0])

const char *cs_nearest_option(const struct cs_opt *opts, const char *arg, size_t namelen)
{
	const char *names[CS_LIST_MAX + 2];
	char given[CS_SUGGEST_MAX_LEN + 1];
	size_t n = 0;

	if (namelen > CS_SUGGEST_MAX_LEN)
		return NULL;
	memcpy(given, arg, namelen);
	given[namelen] = '\0';
	for (const struct cs_opt *o = opts; o->name != NULL && n < CS_LIST_MAX; o++)
		names[n++] = o->name;
	for (size_t i = 0; i < NGLOBAL; i++)
		names[n++] = global_options[i].name;
	return cs_nearest(given, names, n);
}

/* The option of opts, else of global (nglobal of them), named by the first namelen bytes of arg; NULL when
 * there is none. */
static const struct cs_opt *find_option(const struct cs_opt *opts, const struct cs_opt *global, size_t nglobal,
					const char *arg, size_t namelen)
{
	for (const struct cs_opt *o = opts; o->name != NULL; o++)
		if (strlen(o->name) == namelen && strncmp(o->name, arg, namelen) == 0)
			return o;
	for (size_t g = 0; g < nglobal; g++)
		if (strlen(global[g].name) == namelen && strncmp(global[g].name, arg, namelen) == 0)
			return &global[g];
	return NULL;
}

int cs_known_option(const struct cs_opt *opts, const char *arg, int *takes_value)
{
	const struct cs_opt *o = find_option(opts, global_options, NGLOBAL, arg, strcspn(arg, "="));

	*takes_value = o != NULL && o->kind != CS_OPT_FLAG;
	return o != NULL;
}

int cs_parse_args(int argc, char **argv, const struct cs_opt *opts, const char **pos, int maxpos, int *npos)
{
	const char *wait = NULL;
	int quiet = 0;
	const struct cs_opt global[NGLOBAL] = { { global_options[0].name, global_options[0].kind, &wait },
						{ global_options[1].name, global_options[1].kind, &quiet } };
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
		o = find_option(opts, global, NGLOBAL, arg, namelen);
		if (o == NULL) {
			const char *near = cs_nearest_option(opts, arg, namelen);
			if (near != NULL)
				fprintf(stderr, "coseval %s: unknown option '%.*s'; did you mean '%s'? (see 'coseval help %s')\n",
					argv[0], (int)namelen, arg, near, argv[0]);
			else
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
	if (quiet)
		cs_progress_set_quiet(1);
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
