/* The one command table: every subcommand's name, entry point, summary and usage text. */
#include "cli/commands.h"

#include <string.h>

const struct command cs_commands[] = {
	{ "init", cmd_init, "create a database (or migrate an older one)",
	  "usage: coseval init [--db PATH]\n\n"
	  "Creates the database (default ./coseval.db, or $COSEVAL_DB, or --db PATH) with the current schema.\n"
	  "An existing database written by an older coseval is migrated forward.\n" },
	{ "import", cmd_import, "load problems or samples from a file (all or nothing)",
	  "usage: coseval import problems FILE --dataset NAME [--profile gsm8k|math|generic] [--map FIELD=PATH ...]\n"
	  "       coseval import samples FILE --run NAME --model NAME --dataset NAME [--params 9e9]\n"
	  "               [--price-out USD_PER_1M_TOKENS] [--preset jsonl|csv|lm-eval|openai-batch|vllm]\n"
	  "               [--map FIELD=PATH ...] [--tag KEY=VALUE ...] [--skip-unknown] [--match id|question]\n"
	  "       common: [--db PATH] [--max-line-mb N (default 16)]\n\n"
	  "Problem fields: id, question, answer, solution, subject, level.\n"
	  "Sample fields: problem, question, text, tokens, index, label.\n"
	  "Paths: $.key.key, $.list[0], $.list[*].key (one problem per line with a list of samples),\n"
	  "len($.list[*].token_ids), \"$.\\\"6b_finetuning\\\".solution\" for odd keys, @line for the record index;\n"
	  "for CSV, a column name. Each file is imported in one transaction; the same file (by SHA-256)\n"
	  "is refused a second time in the same dataset or run.\n" },
	{ "runs", cmd_runs, "list runs: model, size, price, tags, counts, source files",
	  "usage: coseval runs [--db PATH]\n" },
	{ "problems", cmd_problems, "count problems per dataset, subject and level",
	  "usage: coseval problems [--dataset NAME] [--db PATH]\n" },
	{ "demo", cmd_demo, "build a fresh demo database from datasets/demo and show the whole flow",
	  "usage: coseval demo [--db PATH (default ./coseval-demo.db)] [--data DIR]\n\n"
	  "Removes PATH if it exists, imports the bundled demo problems and the samples of two models\n"
	  "(demo-9b and demo-27b) in four dump formats, and prints what the database holds.\n"
	  "DIR defaults to $COSEVAL_DEMO_DIR or the datasets/demo folder of the source tree.\n" },
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
