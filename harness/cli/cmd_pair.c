/* `coseval pair`: a WC run against an SE run at matched compute, price or count. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "cli/score_options.h"
#include "output.h"
#include "pair_crossover.h"
#include "pair_problems.h"
#include "score/run_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	struct cs_pair_run pr = { 0 };
	struct cs_pp_result pp = { 0 };
	struct cs_output out = { 0 };
	enum cs_pair_match match;
	struct cs_store *st = NULL;
	struct cs_err err;
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
		free(ks);
		return 2;
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_pair_run(st, wc_name, se_name, ks, nk, match, judge, &sopt, &pr, &err);
	if (rc == 0 && problems)
		rc = cs_pair_problems(&pr.wc, &pr.se, &pr.result, &sopt, &pp, &err);
	if (rc == 0 && crossover)
		rc = cs_pair_crossover(st, &pr.wc, &pr.se, pr.result.rows[0].ratio, &sopt, &cx, &err);
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
		if (json) {
			rc = problems ? cs_json_pp_rows(doc, &pr.header, &pr.result, &pp, &err)
				      : cs_json_pair_rows(doc, &pr.header, &pr.result, &err);
			if (rc == 0 && crossover)
				rc = cs_json_crossover(doc, &cx, &err);
			if (rc == 0)
				rc = cs_cli_json_output(doc, output, &err);
		} else {
			if (problems)
				rc = csv ? cs_pp_write_csv(&pr.header, &pr.result, &pp, out.f, &err)
					 : cs_pp_write_table(&pr.header, &pr.result, &pp, out.f, &err);
			else
				rc = csv ? cs_pair_write_csv(&pr.header, &pr.result, out.f, &err)
					 : cs_pair_write_table(&pr.header, &pr.result, out.f, &err);
			if (rc == 0 && crossover)
				rc = csv ? cs_crossover_write_csv(&pr.header, &cx, out.f, &err)
					 : cs_crossover_write_table(&pr.header, &cx, out.f, &err);
			if (cs_output_close_provenance(&out, rc != 0, doc, rc == 0 ? &err : NULL) != 0 && rc == 0)
				rc = CS_INPUT;
		}
	}
	if (rc != 0)
		fprintf(stderr, "coseval pair: %s\n", err.msg);
	cJSON_Delete(doc);
	cs_pp_result_free(&pp);
	cs_pair_run_free(&pr);
	free(ks);
	cs_store_close(st);
	return rc;
}
