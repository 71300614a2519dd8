/* `coseval check GOLD PRED`: the verdict and its reason for one pair of answers; exit 0 equal, 1 not. */
#include "cli/args.h"
#include "cli/commands.h"
#include "grade/grade.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_check(int argc, char **argv)
{
	const char *profile_name = "math";
	const struct cs_opt opts[] = { { "--profile", CS_OPT_VALUE, &profile_name }, { NULL, 0, NULL } };
	const char *pos[2];
	enum cs_profile profile;
	const char *reason = "";
	char *gold_canon = NULL, *pred_canon = NULL;
	struct cs_err err;
	int npos, equal = 0, rc;

	if (cs_parse_args(argc, argv, opts, pos, 2, &npos) != 0)
		return 2;
	if (npos != 2) {
		fprintf(stderr, "coseval check: usage: coseval check GOLD PRED [--profile math|gsm8k|generic]\n");
		return 2;
	}
	if (cs_profile_parse(profile_name, &profile) != 0) {
		fprintf(stderr, "coseval check: unknown profile '%s' (math, gsm8k or generic)\n", profile_name);
		return 2;
	}
	rc = cs_compare(profile, pos[0], pos[1], &equal, &reason, &err);
	if (rc == 0)
		rc = cs_canonical(profile, pos[0], &gold_canon, &err);
	if (rc == 0)
		rc = cs_canonical(profile, pos[1], &pred_canon, &err);
	if (rc != 0) {
		fprintf(stderr, "coseval check: %s\n", err.msg);
		free(gold_canon);
		free(pred_canon);
		return rc;
	}
	printf("%s: %s\ngold: %s\npred: %s\n", equal ? "equal" : "different", reason, gold_canon, pred_canon);
	free(gold_canon);
	free(pred_canon);
	return equal ? 0 : 1;
}
