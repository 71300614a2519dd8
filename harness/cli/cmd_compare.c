/* `coseval compare BASE CAND`: a regression check of a candidate run against a base run, usable as a CI step. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "cli/score_options.h"
#include "compare_report.h"
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_compare(int argc, char **argv)
{
	const char *db = NULL, *metrics_text = NULL, *by = NULL, *max_drop = NULL, *alpha = NULL, *unique = NULL;
	const char *ci = NULL, *boot = NULL, *seed = NULL, *output = NULL, *format = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--metrics", CS_OPT_VALUE, &metrics_text }, { "--by", CS_OPT_VALUE, &by },
		{ "--max-drop", CS_OPT_VALUE, &max_drop }, { "--alpha", CS_OPT_VALUE, &alpha },
		{ "--unique", CS_OPT_VALUE, &unique }, { "--ci", CS_OPT_VALUE, &ci }, { "--bootstrap", CS_OPT_VALUE, &boot },
		{ "--seed", CS_OPT_VALUE, &seed }, { "-o", CS_OPT_VALUE, &output }, { "--format", CS_OPT_VALUE, &format },
		{ NULL, 0, NULL }
	};
	const char *pos[2];
	struct cs_compare_metric metrics[CS_LIST_MAX];
	struct cs_compare_opts copt = { 0 };
	struct cs_run_data base = { 0 }, cand = { 0 };
	struct cs_compare_result result = { 0 };
	struct cs_compare_header header;
	struct cs_output out = { 0 };
	struct cs_list names = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	char *metrics_copy = NULL, grader[160], options[512];
	cJSON *doc = NULL;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, pos, 2, &npos) != 0 ||
	    cs_parse_score_options(unique, ci, boot, seed, &copt.score) != 0)
		return 2;
	if (npos != 2) {
		fprintf(stderr, "coseval compare: usage: coseval compare BASE CAND [OPTIONS]; see 'coseval help compare'\n");
		return 2;
	}
	copt.max_drop = 0.01;
	copt.alpha = 0.05;
	if ((max_drop != NULL && cs_parse_number("--max-drop", max_drop, &copt.max_drop) != 0) ||
	    (alpha != NULL && cs_parse_number("--alpha", alpha, &copt.alpha) != 0))
		return 2;
	if (!(copt.alpha > 0.0 && copt.alpha < 1.0)) {
		fprintf(stderr, "coseval compare: --alpha wants a level between 0 and 1 such as 0.05\n");
		return 2;
	}
	if (by != NULL && strcmp(by, "subject") != 0 && strcmp(by, "level") != 0) {
		fprintf(stderr, "coseval compare: --by is subject or level\n");
		return 2;
	}
	if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "table") != 0 && strcmp(format, "md") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "coseval compare: --format is table, md, csv or json\n");
		return 2;
	}
	if (metrics_text != NULL) {
		metrics_copy = strdup(metrics_text);
		if (metrics_copy == NULL || cs_split_list(metrics_copy, &names) != 0 || names.count == 0) {
			fprintf(stderr, "coseval compare: --metrics wants a list such as pass@1,coverage@8,diversity@8,maj@8\n");
			free(metrics_copy);
			return 2;
		}
		for (size_t i = 0; i < names.count; i++) {
			if (cs_compare_metric_parse(names.items[i], &metrics[i]) != 0) {
				fprintf(stderr, "coseval compare: unknown metric '%s' (pass@1, coverage@K, diversity@K, maj@K)\n",
					names.items[i]);
				free(metrics_copy);
				return 2;
			}
		}
		copt.metrics = metrics;
		copt.nmetrics = (int)names.count;
	}
	free(metrics_copy);
	copt.by = by;
	if (format == NULL)
		format = output != NULL && strcmp(output, "-") != 0 ? "csv" : "table";
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_run_data_load(st, pos[0], copt.score.unique, &base, &err);
	if (rc == 0)
		rc = cs_run_data_load(st, pos[1], copt.score.unique, &cand, &err);
	if (rc == 0)
		rc = cs_compare_runs(&base, &cand, &copt, &result, &err);
	/* the head of the JSON document is also the provenance of a CSV file */
	if (rc == 0 && (strcmp(format, "json") == 0 ||
			(strcmp(format, "csv") == 0 && output != NULL && strcmp(output, "-") != 0))) {
		doc = cs_cli_json_doc("compare", opts, cs_store_default_path(db));
		if (doc == NULL || cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(doc, "options"), "base",
							   pos[0]) == NULL ||
		    cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(doc, "options"), "cand", pos[1]) == NULL)
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		if (rc == 0)
			rc = cs_cli_json_add_run(doc, st, pos[0], &err);
		if (rc == 0)
			rc = cs_cli_json_add_run(doc, st, pos[1], &err);
	}
	if (rc == 0 && strcmp(format, "json") != 0)
		rc = cs_output_open(&out, output, &err);
	if (rc == 0) {
		if (strcmp(base.grader_versions, cand.grader_versions) == 0)
			snprintf(grader, sizeof grader, "%s", base.grader_versions);
		else
			snprintf(grader, sizeof grader, "base:%s/cand:%s", base.grader_versions, cand.grader_versions);
		cs_score_options(&copt.score, grader, options, sizeof options - 32);
		snprintf(options + strlen(options), 32, ";alpha=%g", copt.alpha);
		header.base_run = base.name;
		header.base_model = base.model;
		header.cand_run = cand.name;
		header.cand_model = cand.model;
		header.max_drop = copt.max_drop;
		header.alpha = copt.alpha;
		header.ci = copt.score.ci;
		header.options = options;
		if (strcmp(format, "json") == 0) {
			rc = cs_json_compare_rows(doc, &header, &result, &err);
			if (rc == 0)
				rc = cs_cli_json_output(doc, output, &err);
		} else {
			rc = strcmp(format, "csv") == 0  ? cs_compare_write_csv(&header, &result, out.f, &err)
			     : strcmp(format, "md") == 0 ? cs_compare_write_md(&header, &result, out.f, &err)
							 : cs_compare_write_table(&header, &result, out.f, &err);
			if (cs_output_close_provenance(&out, rc != 0, doc, rc == 0 ? &err : NULL) != 0 && rc == 0)
				rc = CS_INPUT;
		}
	}
	if (rc != 0) {
		fprintf(stderr, "coseval compare: %s\n", err.msg);
		goto done;
	}
	if (result.base_only > 0 || result.cand_only > 0)
		fprintf(stderr, "coseval compare: %d problems only in '%s' and %d only in '%s' are left out; %d shared\n",
			result.base_only, base.name, result.cand_only, cand.name, result.shared);
	for (int i = 0; i < result.count; i++) {
		const struct cs_compare_row *row = &result.rows[i];
		if (row->regression)
			fprintf(stderr, "coseval compare: regression: %s (%s) %.4f -> %.4f, cand - base %+.4f [%+.4f, %+.4f], "
				"p_worse %.4f < alpha %g, max drop %g\n", row->metric, row->slice, row->base.point,
				row->cand.point, row->paired.diff.point, row->paired.diff.lo, row->paired.diff.hi,
				row->paired.p_worse, copt.alpha, copt.max_drop);
	}
	if (result.regressions > 0) {
		fprintf(stderr, "coseval compare: %d of %d rows regress from '%s' to '%s'\n", result.regressions,
			result.count, base.name, cand.name);
		rc = CS_NO;
	} else {
		fprintf(stderr, "coseval compare: no regression from '%s' to '%s' (%d rows)\n", base.name, cand.name,
			result.count);
	}
done:
	cJSON_Delete(doc);
	cs_compare_result_free(&result);
	cs_run_data_free(&base);
	cs_run_data_free(&cand);
	cs_store_close(st);
	return rc;
}
