/* The one command table: every subcommand's name and entry point, with its summary and help text, which are
 * generated from docs/commands.md (cli_help.h; see tools/gendoc.c). */
#include "cli/commands.h"
#include "cli_help.h"

#include <string.h>

const struct command cs_commands[] = {
	{ "init", cmd_init, cs_summary_init, cs_help_init },
	{ "import", cmd_import, cs_summary_import, cs_help_import },
	{ "grade", cmd_grade, cs_summary_grade, cs_help_grade },
	{ "check", cmd_check, cs_summary_check, cs_help_check },
	{ "extract", cmd_extract, cs_summary_extract, cs_help_extract },
	{ "show", cmd_show, cs_summary_show, cs_help_show },
	{ "report", cmd_report, cs_summary_report, cs_help_report },
	{ "pair", cmd_pair, cs_summary_pair, cs_help_pair },
	{ "fit", cmd_fit, cs_summary_fit, cs_help_fit },
	{ "table", cmd_table, cs_summary_table, cs_help_table },
	{ "plot", cmd_plot, cs_summary_plot, cs_help_plot },
	{ "view", cmd_view, cs_summary_view, cs_help_view },
	{ "plan", cmd_plan, cs_summary_plan, cs_help_plan },
	{ "compare", cmd_compare, cs_summary_compare, cs_help_compare },
	{ "runs", cmd_runs, cs_summary_runs, cs_help_runs },
	{ "problems", cmd_problems, cs_summary_problems, cs_help_problems },
	{ "demo", cmd_demo, cs_summary_demo, cs_help_demo },
	{ "export", cmd_export, cs_summary_export, cs_help_export },
	{ "fpr", cmd_fpr, cs_summary_fpr, cs_help_fpr },
	{ "merge", cmd_merge, cs_summary_merge, cs_help_merge },
	{ "check-db", cmd_check_db, cs_summary_check_db, cs_help_check_db },
	{ "help", cmd_help, cs_summary_help, cs_help_help },
	{ NULL, NULL, NULL, NULL }
};

const struct command *cs_find_command(const char *name)
{
	for (const struct command *c = cs_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
