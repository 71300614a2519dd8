/* `coseval fpr`: per judge, the false-positive rate of a run (correct final answer, reasoning judged wrong)
 * with its Wilson interval. */
#include "cli/args.h"
#include "cli/commands.h"
#include "stats.h"
#include "store/fpr.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

int cmd_fpr(int argc, char **argv)
{
	const char *db = NULL, *run = NULL, *judge = NULL, *ci = NULL, *correct_by = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run }, { "--judge", CS_OPT_VALUE, &judge },
		{ "--ci", CS_OPT_VALUE, &ci }, { "--correct-by", CS_OPT_VALUE, &correct_by }, { NULL, 0, NULL }
	};
	enum cs_correct_by by = CS_CORRECT_BY_GRADE;
	struct cs_fpr_row *rows = NULL;
	struct cs_store *st = NULL;
	struct cs_err err;
	double level = 0.95;
	int npos, nrows = 0, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (run == NULL) {
		fprintf(stderr, "coseval fpr: --run NAME is required\n");
		return 2;
	}
	if (ci != NULL) {
		if (cs_parse_number("--ci", ci, &level) != 0)
			return 2;
		if (level <= 0 || level >= 1) {
			fprintf(stderr, "coseval fpr: --ci is a level between 0 and 1 such as 0.95, got '%s'\n", ci);
			return 2;
		}
	}
	if (correct_by != NULL) {
		if (strcmp(correct_by, "label") == 0) {
			by = CS_CORRECT_BY_LABEL;
		} else if (strcmp(correct_by, "grade") != 0) {
			fprintf(stderr, "coseval fpr: --correct-by is 'grade' or 'label'\n");
			return 2;
		}
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_fpr_counts_by(st, run, judge, by, &rows, &nrows, &err);
	if (rc != 0)
		goto fail;
	if (nrows == 0) {
		rc = cs_fail(&err, CS_INPUT, "run '%s' has no judgments%s%s%s; import them with 'coseval import judgments'",
			     run, judge ? " by judge '" : "", judge ? judge : "", judge ? "'" : "");
		goto fail;
	}
	printf("run\tjudge\tcorrect_by\tjudged\twrong_reasoning\tfpr\tci_low\tci_high\tlevel\n");
	for (int i = 0; i < nrows; i++) {
		struct cs_fpr f;

		rc = cs_fpr_compute(rows[i].judged, rows[i].wrong, level, &f, &err);
		if (rc != 0)
			goto fail;
		if (rows[i].judged == 0)
			printf("%s\t%s\t%s\t0\t0\t-\t-\t-\t%g\n", run, rows[i].judge, by == CS_CORRECT_BY_GRADE ? "grade" : "label",
			       level);
		else
			printf("%s\t%s\t%s\t%ld\t%ld\t%.4f\t%.4f\t%.4f\t%g\n", run, rows[i].judge,
			       by == CS_CORRECT_BY_GRADE ? "grade" : "label", f.n_judged, f.n_wrong, f.rate, f.lo, f.hi,
			       level);
		if (rows[i].judged_all > rows[i].judged)
			fprintf(stderr, "coseval fpr: judge '%s': %ld of %ld judged samples left out: %ld with a final answer "
				"not %s correct, %ld %s\n", rows[i].judge, rows[i].judged_all - rows[i].judged,
				rows[i].judged_all, rows[i].judged_all - rows[i].judged - rows[i].undecided,
				by == CS_CORRECT_BY_GRADE ? "graded" : "labelled", rows[i].undecided,
				by == CS_CORRECT_BY_GRADE ? "not graded yet" : "without a label");
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		rc = cs_fail(&err, CS_INPUT, "cannot write the output");
		goto fail;
	}
	cs_fpr_rows_free(rows, nrows);
	cs_store_close(st);
	return 0;
fail:
	fprintf(stderr, "coseval fpr: %s\n", err.msg);
	cs_fpr_rows_free(rows, nrows);
	cs_store_close(st);
	return rc;
}
