/* `coseval check-db`: says whether a database is sound (SQLite's integrity check and coseval's invariants). */
#include "cli/args.h"
#include "cli/commands.h"
#include "store/check.h"
#include "store/store.h"

#include <stdio.h>

/* Prints one finding of the check, prefixed with the database path (ctx). */
static void print_problem(void *ctx, const char *problem)
{
	printf("%s: %s\n", (const char *)ctx, problem);
}

int cmd_check_db(int argc, char **argv)
{
	const char *db = NULL;
	const struct cs_opt opts[] = { { "--db", CS_OPT_VALUE, &db }, { NULL, 0, NULL } };
	struct cs_store *st = NULL;
	struct cs_err err;
	const char *path;
	long problems = 0;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return CS_USAGE;
	path = cs_store_default_path(db);
	rc = cs_store_open(path, CS_STORE_READONLY, &st, &err);
	if (rc == CS_OK)
		rc = cs_check_db(st, print_problem, (void *)path, &problems, &err);
	if (rc != CS_OK) {
		fprintf(stderr, "coseval check-db: %s\n", err.msg);
		goto done;
	}
	if (problems == 0) {
		printf("%s: sound: SQLite's integrity check and coseval's invariants hold\n", path);
	} else {
		printf("%s: %ld problem%s found\n", path, problems, problems == 1 ? "" : "s");
		rc = CS_NO;
	}
done:
	cs_store_close(st);
	return rc;
}
