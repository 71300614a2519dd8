/* `coseval fpr`: per judge, the false-positive rate of a run (correct final answer, reasoning judged wrong)
 * with its Wilson interval. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "cli/score_options.h"
#include "output.h"
#include "score/judge_agreement.h"
#include "stats.h"
#include "store/fpr.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* Adds one judge's row to the JSON document: the columns of the text output, null where there is no value.
 * 0 or -1 (out of memory). */
static int json_row(cJSON *doc, const char *run, const char *judge, const char *by, const struct cs_fpr *f)
{
	cJSON *o = cJSON_CreateObject();
	int bad = o == NULL || !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "rows"), o);

	if (bad) {
		cJSON_Delete(o);
		return -1;
	}
	bad |= cJSON_AddStringToObject(o, "run", run) == NULL;
	bad |= cJSON_AddStringToObject(o, "judge", judge) == NULL;
	bad |= cJSON_AddStringToObject(o, "correct_by", by) == NULL;
	bad |= cJSON_AddNumberToObject(o, "judged", (double)f->n_judged) == NULL;
	bad |= cJSON_AddNumberToObject(o, "wrong_reasoning", (double)f->n_wrong) == NULL;
	bad |= cs_json_add_num(o, "fpr", f->rate);
	bad |= cs_json_add_num(o, "ci_low", f->lo);
	bad |= cs_json_add_num(o, "ci_high", f->hi);
	bad |= cs_json_add_num(o, "level", f->level);
	return bad ? -1 : 0;
}

/* `fpr --agreement`: each pair of the run's judges, as text or JSON. Returns the exit status (messages
 * printed). */
static int agreement(const struct cs_opt *opts, const char *db, const char *run, const char *judge,
		     const char *correct_by, double level, const char *boot, const char *seed, int json,
		     const char *output)
{
	enum cs_judged_scope scope = CS_JUDGED_ALL;
	struct cs_score_opts sopt = { 0 };
	struct cs_boot_opts bopt;
	struct cs_judge_pairs pairs = { 0 };
	struct cs_output out = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	int rc;

	if (cs_parse_score_options(NULL, NULL, boot, seed, &sopt) != 0)
		return 2;
	if (correct_by != NULL)
		scope = strcmp(correct_by, "label") == 0 ? CS_JUDGED_CORRECT_LABEL : CS_JUDGED_CORRECT_GRADE;
	cs_boot_default_opts(&bopt, sopt.seed);
	bopt.replicates = sopt.replicates;
	bopt.level = level;
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_judge_agreement(st, run, judge, scope, &bopt, &pairs, &err);
	if (rc == 0 && json) {
		doc = cs_cli_json_doc("fpr", opts, cs_store_default_path(db));
		rc = doc == NULL ? cs_fail(&err, CS_INTERNAL, "out of memory") : cs_cli_json_add_run(doc, st, run, &err);
		if (rc == 0)
			rc = cs_json_agreement_rows(doc, pairs.rows, pairs.count, &err);
		if (rc == 0)
			rc = cs_cli_json_output(doc, output, &err);
	} else if (rc == 0) {
		rc = cs_output_open(&out, output, &err);
		if (rc == 0)
			rc = cs_agreement_write_text(pairs.rows, pairs.count, out.f, &err);
		int closed = cs_output_close(&out, rc != 0, rc == 0 ? &err : NULL);
		if (closed != 0 && rc == 0)
			rc = closed;
	}
	if (rc != 0)
		fprintf(stderr, "coseval fpr: %s\n", err.msg);
	cJSON_Delete(doc);
	cs_judge_pairs_free(&pairs);
	cs_store_close(st);
	return rc;
}

int cmd_fpr(int argc, char **argv)
{
	const char *db = NULL, *run = NULL, *judge = NULL, *ci = NULL, *correct_by = NULL, *format = NULL;
	const char *output = NULL, *boot = NULL, *seed = NULL;
	int agree = 0;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run }, { "--judge", CS_OPT_VALUE, &judge },
		{ "--ci", CS_OPT_VALUE, &ci }, { "--correct-by", CS_OPT_VALUE, &correct_by },
		{ "--format", CS_OPT_VALUE, &format }, { "-o", CS_OPT_VALUE, &output },
		{ "--agreement", CS_OPT_FLAG, &agree }, { "--bootstrap", CS_OPT_VALUE, &boot },
		{ "--seed", CS_OPT_VALUE, &seed }, { NULL, 0, NULL }
	};
	enum cs_correct_by by = CS_CORRECT_BY_GRADE;
	struct cs_fpr_row *rows = NULL;
	struct cs_output out = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	double level = 0.95;
	int npos, nrows = 0, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (format != NULL && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "coseval fpr: --format is text or json\n");
		return 2;
	}
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
	if (!agree && (boot != NULL || seed != NULL)) {
		fprintf(stderr, "coseval fpr: --bootstrap and --seed go with --agreement\n");
		return 2;
	}
	if (agree)
		return agreement(opts, db, run, judge, correct_by, level, boot, seed,
				 format != NULL && strcmp(format, "json") == 0, output);
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
	if (format != NULL && strcmp(format, "json") == 0) {
		doc = cs_cli_json_doc("fpr", opts, cs_store_default_path(db));
		if (doc == NULL) {
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
			goto fail;
		}
		rc = cs_cli_json_add_run(doc, st, run, &err);
		if (rc != 0)
			goto fail;
	} else {
		rc = cs_output_open(&out, output, &err);
		if (rc != 0)
			goto fail;
		fprintf(out.f, "run\tjudge\tcorrect_by\tjudged\twrong_reasoning\tfpr\tci_low\tci_high\tlevel\n");
	}
	for (int i = 0; i < nrows; i++) {
		struct cs_fpr f;

		rc = cs_fpr_compute(rows[i].judged, rows[i].wrong, level, &f, &err);
		if (rc != 0)
			goto fail;
		if (doc != NULL) {
			if (json_row(doc, run, rows[i].judge, by == CS_CORRECT_BY_GRADE ? "grade" : "label", &f) != 0) {
				rc = cs_fail(&err, CS_INTERNAL, "out of memory");
				goto fail;
			}
		} else if (rows[i].judged == 0) {
			fprintf(out.f, "%s\t%s\t%s\t0\t0\t-\t-\t-\t%g\n", run, rows[i].judge,
				by == CS_CORRECT_BY_GRADE ? "grade" : "label", level);
		} else {
			fprintf(out.f, "%s\t%s\t%s\t%ld\t%ld\t%.4f\t%.4f\t%.4f\t%g\n", run, rows[i].judge,
				by == CS_CORRECT_BY_GRADE ? "grade" : "label", f.n_judged, f.n_wrong, f.rate, f.lo, f.hi,
				level);
		}
		if (rows[i].judged_all > rows[i].judged)
			fprintf(stderr, "coseval fpr: judge '%s': %ld of %ld judged samples left out: %ld with a final answer "
				"not %s correct, %ld %s\n", rows[i].judge, rows[i].judged_all - rows[i].judged,
				rows[i].judged_all, rows[i].judged_all - rows[i].judged - rows[i].undecided,
				by == CS_CORRECT_BY_GRADE ? "graded" : "labelled", rows[i].undecided,
				by == CS_CORRECT_BY_GRADE ? "not graded yet" : "without a label");
	}
	if (doc != NULL)
		rc = cs_cli_json_output(doc, output, &err);
	else
		rc = cs_output_close(&out, 0, &err);
	if (rc != 0)
		goto fail;
	cJSON_Delete(doc);
	cs_fpr_rows_free(rows, nrows);
	cs_store_close(st);
	return 0;
fail:
	fprintf(stderr, "coseval fpr: %s\n", err.msg);
	cs_output_close(&out, 1, NULL);
	cJSON_Delete(doc);
	cs_fpr_rows_free(rows, nrows);
	cs_store_close(st);
	return rc;
}
