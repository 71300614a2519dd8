/* `coseval init`: creates a database with the current schema, or migrates an existing one. */
#include "cli/args.h"
#include "cli/commands.h"
#include "store/store.h"

#include <stdio.h>

int cmd_init(int argc, char **argv)
{
	const char *db = NULL;
	const struct cs_opt opts[] = { { "--db", CS_OPT_VALUE, &db }, { NULL, 0, NULL } };
	struct cs_store *st = NULL;
	struct cs_err err;
	const char *path;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	path = cs_store_default_path(db);
	rc = cs_store_open(path, CS_STORE_INIT, &st, &err);
	if (rc != 0) {
		fprintf(stderr, "coseval init: %s\n", err.msg);
		return rc;
	}
	printf("%s: coseval database, schema version %d\n", path, CS_SCHEMA_VERSION);
	cs_store_close(st);
	return 0;
}
