/* `coseval help [COMMAND]`: the list of commands, the exit codes, or one command's usage. */
#include "cli/commands.h"
#include "util/error.h"

#include <stdio.h>

static const char exit_codes[] =
	"exit codes:\n"
	"  0  ok\n"
	"  1  the answer is no (answers differ, a regression was found)\n"
	"  2  usage error\n"
	"  3  bad input (file, line and field are named)\n"
	"  4  database error\n"
	"  5  internal error\n";

int cmd_help(int argc, char **argv)
{
	if (argc >= 2) {
		const struct command *c = cs_find_command(argv[1]);
		if (c == NULL) {
			fprintf(stderr, "coseval: unknown command '%s'; see 'coseval help'\n", argv[1]);
			return CS_USAGE;
		}
		fputs(c->usage, stdout);
		return CS_OK;
	}
	printf("usage: coseval COMMAND [OPTIONS]\n\n"
	       "coseval scores many model samples per problem: coverage@k, diversity@k, pass@1,\n"
	       "maj@k and false-positive rate, per run and across model pairs at matched compute.\n\n"
	       "commands:\n");
	for (const struct command *c = cs_commands; c->name != NULL; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\nglobal: --db PATH or COSEVAL_DB choose the database (default ./coseval.db)\n"
	       "        --wait SECONDS or COSEVAL_WAIT: how long to wait for another command writing the\n"
	       "        database before giving up with exit 4 (default 10)\n"
	       "'coseval help COMMAND' or 'coseval COMMAND --help' shows a command's options.\n\n%s",
	       exit_codes);
	return CS_OK;
}
