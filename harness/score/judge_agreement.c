/* The agreement of each pair of a run's judges on the samples both judged. */
#include "score/judge_agreement.h"

#include <stdlib.h>
#include <string.h>

static const char *scope_name(enum cs_judged_scope s)
{
	return s == CS_JUDGED_ALL ? "all" : s == CS_JUDGED_CORRECT_GRADE ? "correct-grade" : "correct-label";
}

int cs_judge_agreement(struct cs_store *st, const char *run, const char *judge, enum cs_judged_scope scope,
		       const struct cs_boot_opts *opts, struct cs_judge_pairs *out, struct cs_err *err)
{
	int rc, nj;

	memset(out, 0, sizeof *out);
	rc = cs_store_judges(st, run, &out->judges, &out->njudges, err);
	if (rc != CS_OK)
		return rc;
	nj = out->njudges;
	if (nj == 0)
		rc = cs_fail(err, CS_INPUT, "run '%s' has no judgments; import them with 'coseval import judgments'", run);
	else if (judge != NULL)
		rc = cs_store_check_judge(st, run, judge, err);
	if (rc == CS_OK && nj == 1)
		rc = cs_fail(err, CS_INPUT, "run '%s' has one judge only ('%s'): agreement needs two judges of the same "
			     "samples (import another judge's verdicts with 'coseval import judgments --judge NAME')", run,
			     out->judges[0]);
	if (rc != CS_OK)
		goto done;
	out->rows = calloc((size_t)nj * (size_t)(nj - 1) / 2, sizeof *out->rows);
	if (out->rows == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (int i = 0; i < nj && rc == CS_OK; i++) {
		for (int j = i + 1; j < nj && rc == CS_OK; j++) {
			struct cs_agreement_row *row;
			unsigned char *a = NULL, *b = NULL;
			int n = 0;

			if (judge != NULL && strcmp(judge, out->judges[i]) != 0 && strcmp(judge, out->judges[j]) != 0)
				continue;
			row = &out->rows[out->count];
			rc = cs_judge_pair_verdicts(st, run, out->judges[i], out->judges[j], scope, &a, &b, &n, err);
			if (rc == CS_OK)
				rc = cs_agreement_compute(a, b, n, opts, &row->g, err);
			free(a);
			free(b);
			if (rc != CS_OK)
				break;
			row->run = run;
			row->judge_a = out->judges[i];
			row->judge_b = out->judges[j];
			row->scope = scope_name(scope);
			row->level = opts->level;
			out->count++;
		}
	}
done:
	if (rc != CS_OK)
		cs_judge_pairs_free(out);
	return rc;
}

void cs_judge_pairs_free(struct cs_judge_pairs *p)
{
	cs_store_free_names(p->judges, p->njudges);
	free(p->rows);
	memset(p, 0, sizeof *p);
}
