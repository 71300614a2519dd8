/* `coseval merge [--renumber] OUT IN...`: merges databases graded on several machines into one, all or nothing. */
#include "cli/args.h"
#include "cli/commands.h"
#include "store/merge.h"

#include <stdio.h>

int cmd_merge(int argc, char **argv)
{
	int renumber = 0;
	const struct cs_opt opts[] = { { "--renumber", CS_OPT_FLAG, &renumber }, { NULL, 0, NULL } };
	const char *pos[CS_MERGE_MAX_INPUTS + 2];
	struct cs_merge_stats s;
	struct cs_err err;
	int npos = 0, rc;

	if (cs_parse_args(argc, argv, opts, pos, CS_MERGE_MAX_INPUTS + 1, &npos) != 0)
		return 2;
	if (npos < 2) {
		fprintf(stderr, "coseval merge: usage: coseval merge [--renumber] OUT.db IN.db [IN.db ...]\n");
		return 2;
	}
	rc = cs_merge(pos[0], pos + 1, (size_t)npos - 1, renumber, &s, &err);
	if (rc != 0) {
		fprintf(stderr, "coseval merge: %s\n", err.msg);
		return rc;
	}
	printf("%s: merged %d database%s: added %ld datasets, %ld problems, %ld runs, %ld tags, %ld answer patterns,"
	       " %ld imports, %ld samples (%ld already there", pos[0], npos - 1, npos == 2 ? "" : "s", s.datasets,
	       s.problems, s.runs, s.tags, s.patterns, s.imports, s.samples, s.samples_present);
	if (renumber)
		printf(", %ld renumbered", s.samples_renumbered);
	printf("), %ld grades, %ld judgments\n", s.grades, s.judgments);
	if (fflush(stdout) != 0)
		return 5;
	return 0;
}
