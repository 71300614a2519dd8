/* The subcommands of coseval: each takes the arguments after the program name and returns the exit status. */
#ifndef COSEVAL_COMMANDS_H
#define COSEVAL_COMMANDS_H

/* A subcommand. The summary and the usage text come from docs/commands.md (generated into cli_help.h). */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line: `coseval help` lists it, the man page's NAME line holds it */
	const char *usage;   /* the full help text printed by `coseval help NAME` and `NAME --help` */
};

/* The command table, terminated by an entry whose name is NULL. */
extern const struct command cs_commands[];

/* Returns the entry named name, or NULL. */
const struct command *cs_find_command(const char *name);

int cmd_help(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_problems(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_pair(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_fpr(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_view(int argc, char **argv);
int cmd_table(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_check_db(int argc, char **argv);

#endif
