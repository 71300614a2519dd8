/* Entry point: finds the subcommand in the command table and returns its exit status. */
#include "cli/commands.h"
#include "util/error.h"
#include "util/suggest.h"

#include <stdio.h>
#include <string.h>

/* The command whose name is nearest to name (cs_nearest), or NULL. */
static const char *nearest_command(const char *name)
{
	const char *names[64];
	size_t n = 0;

	for (const struct command *c = cs_commands; c->name != NULL && n < sizeof names / sizeof names[0]; c++)
		names[n++] = c->name;
	return cs_nearest(name, names, n);
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *near;
	int status;

	if (argc < 2) {
		fputs("usage: coseval COMMAND [OPTIONS]\n'coseval help' lists the commands.\n", stderr);
		return CS_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv);
	if (strcmp(argv[1], "--version") == 0) {
		printf("coseval %s\n", COSEVAL_VERSION);
		return CS_OK;
	}
	c = cs_find_command(argv[1]);
	if (c == NULL) {
		near = nearest_command(argv[1]);
		if (near != NULL)
			fprintf(stderr, "coseval: unknown command '%s'; did you mean '%s'? (see 'coseval help')\n", argv[1],
				near);
		else
			fprintf(stderr, "coseval: unknown command '%s'; see 'coseval help'\n", argv[1]);
		return CS_USAGE;
	}
	/* --help anywhere before "--" (after it, -h is an argument: coseval check -- -h h) */
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(c->usage, stdout);
			return CS_OK;
		}
	}
	status = c->run(argc - 1, argv + 1);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "coseval: error writing standard output\n");
		return status == CS_OK ? CS_INTERNAL : status;
	}
	return status;
}
