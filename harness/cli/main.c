/* Entry point: finds the subcommand in the command table and returns its exit status. */
#include "cli/commands.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* Edit distance between a and b (insertions, deletions, substitutions), for names of up to 31 bytes; 99 for
 * longer ones. */
static int distance(const char *a, const char *b)
{
	int row[32], la = (int)strlen(a), lb = (int)strlen(b);

	if (la > 31 || lb > 31)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The command whose name is nearest to name (at most 2 edits away), or NULL. */
static const char *nearest_command(const char *name)
{
	const char *best = NULL;
	int best_d = 3;

	for (const struct command *c = cs_commands; c->name != NULL; c++) {
		int d = distance(name, c->name);
		if (d < best_d) {
			best_d = d;
			best = c->name;
		}
	}
	return best;
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
