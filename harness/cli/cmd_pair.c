/* `coseval pair`: a WC run against an SE run at matched compute, price or count. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "cli/score_options.h"
#include "output.h"
#include "pair_crossover.h"
#include "pair_problems.h"
#include "pair_report.h"
#include "store/fpr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Adds the FPR row for judge (or the first judge in name order who judged both runs); writes into note what
 * was done. */
static int add_fpr(struct cs_store *st, const char *wc, const char *se, const char *judge, double level,
		   struct cs_pair_result *result, char *note, size_t size, struct cs_err *err)
{
	struct cs_fpr_row w, s;
	char used[256];
	int found = 0;
	int rc = cs_fpr_common_judge(st, wc, se, judge, &found, used, sizeof used, &w, &s, err);

	if (rc == 0 && found) {
		rc = cs_pair_add_fpr(result, s.judged, s.wrong, w.judged, w.wrong, level, err);
		snprintf(note, size, "fpr: judge %s; WC %ld of %ld judged, SE %ld of %ld; Wilson intervals, difference "
			 "by Newcombe's method", used, w.wrong, w.judged, s.wrong, s.judged);
	} else if (rc == 0) {
		snprintf(note, size, "fpr: no judge%s%s has judged both runs (see 'coseval import judgments')",
			 judge ? " " : "", judge ? judge : "");
	}
	return rc;
}

int cmd_pair(int argc, char **argv)
{
	const char *db = NULL, *wc_name = NULL, *se_name = NULL, *se_k = NULL, *match_name = "params";
	const char *unique = NULL, *ci = NULL, *boot = NULL, *seed = NULL, *output = NULL, *format = NULL;
	const char *judge = NULL;
	int problems = 0, crossover = 0;
	struct cs_pair_crossover cx;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--wc", CS_OPT_VALUE, &wc_name }, { "--se", CS_OPT_VALUE, &se_name },
		{ "--se-k", CS_OPT_VALUE, &se_k }, { "--match", CS_OPT_VALUE, &match_name },
		{ "--unique", CS_OPT_VALUE, &unique }, { "--ci", CS_OPT_VALUE, &ci }, { "--bootstrap", CS_OPT_VALUE, &boot },
		{ "--seed", CS_OPT_VALUE, &seed }, { "-o", CS_OPT_VALUE, &output }, { "--format", CS_OPT_VALUE, &format },
		{ "--judge", CS_OPT_VALUE, &judge }, { "--problems", CS_OPT_FLAG, &problems },
		{ "--crossover", CS_OPT_FLAG, &crossover },
		{ NULL, 0, NULL }
	};
	struct cs_score_opts sopt = { 0 };
	struct cs_run_data wc = { 0 }, se = { 0 };
	struct cs_pair_result result = { 0 };
	struct cs_pp_result pp = { 0 };
	struct cs_pair_header header;
	struct cs_output out = { 0 };
	enum cs_pair_match match;
	struct cs_store *st = NULL;
	struct cs_err err;
	char options[256], note[512];
	cJSON *doc = NULL;
	int *ks = NULL, nk = 0, csv, json, npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0 ||
	    cs_parse_score_options(unique, ci, boot, seed, &sopt) != 0)
		return 2;
	if (wc_name == NULL || se_name == NULL || se_k == NULL) {
		fprintf(stderr, "coseval pair: --wc RUN, --se RUN and --se-k K[,K...] are required\n");
		return 2;
	}
	if (cs_pair_match_parse(match_name, &match) != 0) {
		fprintf(stderr, "coseval pair: --match is params, tokens, price or count\n");
		return 2;
	}
	if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "table") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "coseval pair: --format is table, csv or json\n");
		return 2;
	}
	json = format != NULL && strcmp(format, "json") == 0;
	if (strcmp(se_k, "all") == 0 || cs_parse_ks(se_k, 1, &ks, &nk, &err) != 0) {
		fprintf(stderr, "coseval pair: --se-k wants ascending budgets such as 1,10\n");
		return 2;
	}
	csv = format ? strcmp(format, "csv") == 0 : output != NULL && strcmp(output, "-") != 0;
	if (csv && problems && crossover) {
		/* the two CSV layouts cannot share one file */
		fprintf(stderr, "coseval pair: --problems and --crossover write different CSV layouts; run them one at a"
			" time (or use --format table or json for both)\n");
		return 2;
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_run_data_load(st, wc_name, sopt.unique, &wc, &err);
	if (rc == 0)
		rc = cs_run_data_load(st, se_name, sopt.unique, &se, &err);
	if (rc == 0 && (match == CS_PAIR_TOKENS || match == CS_PAIR_PRICE))
		rc = cs_run_mean_tokens(st, &wc, &err);
	if (rc == 0 && (match == CS_PAIR_TOKENS || match == CS_PAIR_PRICE))
		rc = cs_run_mean_tokens(st, &se, &err);
	if (rc == 0)
		rc = cs_pair_compare(&wc, &se, ks, nk, match, &sopt, &result, &err);
	if (rc == 0 && problems)
		rc = cs_pair_problems(&wc, &se, &result, &sopt, &pp, &err);
	if (rc == 0)
		rc = add_fpr(st, wc_name, se_name, judge, sopt.ci, &result, note, sizeof note, &err);
	if (rc == 0 && crossover)
		rc = cs_pair_crossover(st, &wc, &se, result.rows[0].ratio, &sopt, &cx, &err);
	/* the head of the JSON document is also the provenance of a CSV file */
	if (rc == 0 && (json || (csv && output != NULL && strcmp(output, "-") != 0)) &&
	    (doc = cs_cli_json_doc("pair", opts, cs_store_default_path(db))) == NULL)
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
	if (rc == 0 && doc != NULL)
		rc = cs_cli_json_add_run(doc, st, wc_name, &err);
	if (rc == 0 && doc != NULL)
		rc = cs_cli_json_add_run(doc, st, se_name, &err);
	if (rc == 0 && !json)
		rc = cs_output_open(&out, output, &err);
	if (rc == 0) {
		char versions[160];
		/* both runs' grader versions, once when they are the same */
		snprintf(versions, sizeof versions, "%s%s%s", wc.grader_versions,
			 strcmp(wc.grader_versions, se.grader_versions) ? "/" : "",
			 strcmp(wc.grader_versions, se.grader_versions) ? se.grader_versions : "");
		cs_score_options(&sopt, versions, options, sizeof options);
		header.wc_run = wc.name;
		header.wc_model = wc.model;
		header.se_run = se.name;
		header.se_model = se.model;
		header.match = cs_pair_match_name(match);
		header.options = options;
		header.fpr_note = note;
		if (json) {
			rc = problems ? cs_json_pp_rows(doc, &header, &result, &pp, &err)
				      : cs_json_pair_rows(doc, &header, &result, &err);
			if (rc == 0 && crossover)
				rc = cs_json_crossover(doc, &cx, &err);
			if (rc == 0)
				rc = cs_cli_json_output(doc, output, &err);
		} else {
			if (problems)
				rc = csv ? cs_pp_write_csv(&header, &result, &pp, out.f, &err)
					 : cs_pp_write_table(&header, &result, &pp, out.f, &err);
			else
				rc = csv ? cs_pair_write_csv(&header, &result, out.f, &err)
					 : cs_pair_write_table(&header, &result, out.f, &err);
			if (rc == 0 && crossover)
				rc = csv ? cs_crossover_write_csv(&header, &cx, out.f, &err)
					 : cs_crossover_write_table(&header, &cx, out.f, &err);
			if (cs_output_close_provenance(&out, rc != 0, doc, rc == 0 ? &err : NULL) != 0 && rc == 0)
				rc = CS_INPUT;
		}
	}
	if (rc != 0)
		fprintf(stderr, "coseval pair: %s\n", err.msg);
	cJSON_Delete(doc);
	cs_pp_result_free(&pp);
	cs_pair_result_free(&result);
	cs_run_data_free(&wc);
	cs_run_data_free(&se);
	free(ks);
	cs_store_close(st);
	return rc;
}
