/* `coseval fit`: coverage@k past the data, from a beta-binomial fit and an exponentiated power law. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "cli/score_options.h"
#include "fit_report.h"
#include "output.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most values of --predict. */
#define MAX_PREDICT 32

/* Parses --k-fit "1..K" or "K" (K >= 2) into *k; -1 on a bad value. */
static int parse_k_fit(const char *text, int *k)
{
	const char *p = text;
	char *end;
	long v;

	if (strncmp(p, "1..", 3) == 0)
		p += 3;
	if (*p < '0' || *p > '9')
		return -1;
	v = strtol(p, &end, 10);
	if (*end != '\0' || v < 2 || v > INT_MAX)
		return -1;
	*k = (int)v;
	return 0;
}

/* Parses --predict "1000,10000" (whole numbers from 1 to 1e12, written plainly or as 1e6) into ks
 * (MAX_PREDICT entries) and *n; -1 on a bad list. */
static int parse_predict(const char *text, double *ks, int *n)
{
	const char *p = text;

	*n = 0;
	while (*p != '\0') {
		char *end;
		double v = strtod(p, &end);
		if (end == p || (*end != ',' && *end != '\0') || !(v >= 1 && v <= CS_FIT_K_MAX) || v != floor(v) ||
		    *n == MAX_PREDICT)
			return -1;
		ks[(*n)++] = v;
		p = *end == ',' ? end + 1 : end;
		if (*end == ',' && *p == '\0')
			return -1;
	}
	return *n > 0 ? 0 : -1;
}

int cmd_fit(int argc, char **argv)
{
	const char *db = NULL, *runs_text = NULL, *k_fit_text = NULL, *predict_text = NULL, *ci = NULL;
	const char *boot = NULL, *seed = NULL, *output = NULL, *format = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--runs", CS_OPT_VALUE, &runs_text },
		{ "--k-fit", CS_OPT_VALUE, &k_fit_text }, { "--predict", CS_OPT_VALUE, &predict_text },
		{ "--ci", CS_OPT_VALUE, &ci }, { "--bootstrap", CS_OPT_VALUE, &boot }, { "--seed", CS_OPT_VALUE, &seed },
		{ "-o", CS_OPT_VALUE, &output }, { "--format", CS_OPT_VALUE, &format }, { NULL, 0, NULL }
	};
	double predict[MAX_PREDICT] = { 100, 1000, 10000 };
	struct cs_score_opts sopt = { 0 };
	struct cs_list runs = { 0 };
	struct cs_output out = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	char *runs_copy = NULL;
	int npredict = 3, k_fit = 0, csv, json, npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0 ||
	    cs_parse_score_options(NULL, ci, boot, seed, &sopt) != 0)
		return 2;
	if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "table") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "coseval fit: --format is table, csv or json\n");
		return 2;
	}
	if (k_fit_text != NULL && parse_k_fit(k_fit_text, &k_fit) != 0) {
		fprintf(stderr, "coseval fit: --k-fit wants 1..K with K >= 2 (the first K samples of each problem), not "
			"'%s'\n", k_fit_text);
		return 2;
	}
	if (predict_text != NULL && parse_predict(predict_text, predict, &npredict) != 0) {
		fprintf(stderr, "coseval fit: --predict wants up to %d whole numbers from 1 to 1e12 such as "
			"1000,10000, not '%s'\n", MAX_PREDICT, predict_text);
		return 2;
	}
	if (runs_text == NULL) {
		fprintf(stderr, "coseval fit: --runs A[,B...] is required\n");
		return 2;
	}
	runs_copy = strdup(runs_text);
	if (runs_copy == NULL || cs_split_list(runs_copy, &runs) != 0 || runs.count == 0) {
		fprintf(stderr, "coseval fit: --runs wants a comma-separated list of run names\n");
		free(runs_copy);
		return 2;
	}
	json = format != NULL && strcmp(format, "json") == 0;
	csv = format ? strcmp(format, "csv") == 0 : output != NULL && strcmp(output, "-") != 0;
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	/* the head of the JSON document is also the provenance of a CSV file */
	if (rc == 0 && (json || (csv && output != NULL && strcmp(output, "-") != 0)) &&
	    (doc = cs_cli_json_doc("fit", opts, cs_store_default_path(db))) == NULL)
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
	/* every run is checked before anything is written */
	for (size_t i = 0; rc == 0 && i < runs.count; i++) {
		int max_n = 0;
		rc = cs_run_max_samples(st, runs.items[i], &max_n, &err);
	}
	if (rc == 0 && !json)
		rc = cs_output_open(&out, output, &err);
	if (rc == 0 && csv)
		rc = cs_fit_write_csv_header(out.f, &err);
	for (size_t i = 0; rc == 0 && i < runs.count; i++) {
		struct cs_run_data d = { 0 };
		struct cs_fit_result r = { 0 };
		struct cs_fit_opts fo;
		struct cs_fit_header h;
		char options[256];

		rc = cs_run_data_load(st, runs.items[i], CS_UNIQUE_EXACT, &d, &err);
		if (rc == 0 && doc != NULL)
			rc = cs_cli_json_add_run(doc, st, runs.items[i], &err);
		if (rc == 0) {
			int max_n = 0;
			for (int p = 0; p < d.np; p++)
				if (d.tallies[p].n > max_n)
					max_n = d.tallies[p].n;
			fo.k_fit = k_fit > 0 ? k_fit : max_n > 2 ? max_n : 2;
			fo.predict = predict;
			fo.npredict = npredict;
			cs_boot_default_opts(&fo.boot, sopt.seed);
			fo.boot.replicates = sopt.replicates;
			fo.boot.level = sopt.ci;
			rc = cs_fit_run(d.tallies, d.np, &fo, &r, &err);
			if (rc != 0)
				snprintf(err.msg + strlen(err.msg), sizeof err.msg - strlen(err.msg), " (run '%s')", d.name);
		}
		if (rc == 0) {
			snprintf(options, sizeof options, "k_fit=1..%d;ci=%g;bootstrap=%d;seed=%llu;grader=%s", fo.k_fit,
				 sopt.ci, sopt.replicates, (unsigned long long)sopt.seed, d.grader_versions);
			h.run = d.name;
			h.model = d.model;
			h.options = options;
			if (json)
				rc = cs_json_fit_rows(doc, &h, &r, &err);
			else if (csv)
				rc = cs_fit_write_csv(&h, &r, out.f, &err);
			else
				rc = cs_fit_write_table(&h, &r, out.f, &err);
		}
		cs_fit_result_free(&r);
		cs_run_data_free(&d);
	}
	if (rc == 0 && json)
		rc = cs_cli_json_output(doc, output, &err);
	if (!json && out.f != NULL) {
		if (cs_output_close_provenance(&out, rc != 0, csv ? doc : NULL, rc == 0 ? &err : NULL) != 0 && rc == 0)
			rc = CS_INPUT;
	}
	if (rc != 0)
		fprintf(stderr, "coseval fit: %s\n", err.msg);
	cJSON_Delete(doc);
	free(runs_copy);
	cs_store_close(st);
	return rc;
}
