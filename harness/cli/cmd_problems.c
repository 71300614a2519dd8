/* `coseval problems`: how many problems each dataset holds, per subject and level. */
#include "cli/args.h"
#include "cli/commands.h"
#include "store/store.h"

#include <stdio.h>

int cmd_problems(int argc, char **argv)
{
	const char *db = NULL, *dataset = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--dataset", CS_OPT_VALUE, &dataset }, { NULL, 0, NULL }
	};
	static const char sql[] =
		"SELECT p.dataset, d.profile, COALESCE(p.subject, '-'), COALESCE(CAST(p.level AS TEXT), '-'), COUNT(*)"
		" FROM problems p JOIN datasets d ON d.name = p.dataset"
		" WHERE ?1 IS NULL OR p.dataset = ?1"
		" GROUP BY p.dataset, p.subject, p.level ORDER BY p.dataset, p.subject, p.level";
	struct cs_store *st = NULL;
	sqlite3_stmt *stmt = NULL;
	struct cs_err err;
	long total = 0;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_store_prepare(st, sql, &stmt, &err);
	if (rc != 0) {
		fprintf(stderr, "coseval problems: %s\n", err.msg);
		cs_store_close(st);
		return rc;
	}
	if (dataset != NULL)
		sqlite3_bind_text(stmt, 1, dataset, -1, SQLITE_STATIC);
	printf("dataset\tprofile\tsubject\tlevel\tproblems\n");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		printf("%s\t%s\t%s\t%s\t%d\n", sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
		       sqlite3_column_text(stmt, 2), sqlite3_column_text(stmt, 3), sqlite3_column_int(stmt, 4));
		total += sqlite3_column_int(stmt, 4);
	}
	if (rc != SQLITE_DONE) {
		rc = cs_store_fail(st, "counting problems", &err);
		fprintf(stderr, "coseval problems: %s\n", err.msg);
	} else {
		printf("total\t\t\t\t%ld\n", total);
		rc = 0;
	}
	sqlite3_finalize(stmt);
	cs_store_close(st);
	return rc;
}
