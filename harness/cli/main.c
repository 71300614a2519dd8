/* Entry point: finds the subcommand in the command table and returns its exit status. */
#include "cli/commands.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const struct command *c;
	int status;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv);
	if (strcmp(argv[1], "--version") == 0) {
		printf("coseval %s\n", COSEVAL_VERSION);
		return CS_OK;
	}
	c = cs_find_command(argv[1]);
	if (c == NULL) {
		fprintf(stderr, "coseval: unknown command '%s'; see 'coseval help'\n", argv[1]);
		return CS_USAGE;
	}
	for (int i = 2; i < argc; i++) {
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
