/* A small table-driven parser for the options of one subcommand (--name VALUE, --name=VALUE, flags,
 * repeatable options, positional arguments). */
#ifndef COSEVAL_ARGS_H
#define COSEVAL_ARGS_H

#include <stddef.h>

enum cs_opt_kind { CS_OPT_FLAG, CS_OPT_VALUE, CS_OPT_LIST };

#define CS_LIST_MAX 64

/* The values of a repeatable option; they point into argv. */
struct cs_list {
	const char *items[CS_LIST_MAX];
	size_t count;
};

struct cs_opt {
	const char *name;        /* "--run" */
	enum cs_opt_kind kind;
	void *target;            /* int * (flag), const char ** (value) or struct cs_list * (list) */
};

/* Parses argv[1..argc) (argv[0] is the command name) against opts (terminated by a NULL name).
 * Positional arguments go into pos (at most maxpos), their number into *npos; after "--" every argument
 * is positional (so answers such as -2/3 can be given). The global options, which every command takes:
 * --wait SECONDS sets how long a database opened later waits for another writer (cs_store_set_wait), and
 * --quiet turns the progress line off (cs_progress_set_quiet). On a usage error prints a message naming the
 * command to stderr and returns 2 (an unknown option with the nearest valid one: "did you mean '--runs'?");
 * else 0. */
int cs_parse_args(int argc, char **argv, const struct cs_opt *opts, const char **pos, int maxpos, int *npos);

/* 1 when arg (up to an '=', if it has one) names an option of opts or a global option, else 0; *takes_value
 * is set to 1 when that option wants a value, else 0. */
int cs_known_option(const struct cs_opt *opts, const char *arg, int *takes_value);

/* The option of opts or the global options nearest to the first namelen bytes of arg (cs_nearest), or NULL
 * when none is close enough. The result is static or points into opts. */
const char *cs_nearest_option(const struct cs_opt *opts, const char *arg, size_t namelen);

/* Parses a number such as 9e9 or 0.15 from option name; prints a usage error and returns 2 when it is not
 * a finite non-negative number, else 0. */
int cs_parse_number(const char *name, const char *text, double *out);

/* Parses a positive whole number; prints a usage error and returns 2 when it is not one, else 0. */
int cs_parse_count(const char *name, const char *text, long *out);

/* Splits a comma-separated list in place (text is modified; the items point into it) and appends the
 * non-empty items to list. Returns 2 when there are more than CS_LIST_MAX, else 0. */
int cs_split_list(char *text, struct cs_list *list);

#endif
