/* The one command table: every subcommand's name, entry point, summary and usage text. */
#include "cli/commands.h"

#include <string.h>

const struct command cs_commands[] = {
	{ "help", cmd_help, "show help for coseval or one command",
	  "usage: coseval help [COMMAND]\n" },
	{ NULL, NULL, NULL, NULL }
};

const struct command *cs_find_command(const char *name)
{
	for (const struct command *c = cs_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
