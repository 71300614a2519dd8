/* `coseval help [COMMAND]`: the overview (commands, global options, exit codes) or one command's help, both
 * generated from docs/commands.md. */
#include "cli/commands.h"
#include "cli_help.h"
#include "util/error.h"

#include <stdio.h>

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
	fputs(cs_help_overview, stdout);
	return CS_OK;
}
