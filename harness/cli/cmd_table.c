/* `coseval table`: the paper's data-quality table (WC vs SE pairs) and finetuning table (a metric pivoted
 * by two run tags), as Markdown, LaTeX or CSV. */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/json_doc.h"
#include "cli/score_options.h"
#include "output.h"
#include "store/judges.h"
#include "table_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUDGETS 16

/* 1 when the output is the JSON document: --format json, or no --format and an -o name ending in .json. */
static int wants_json(const char *format, const char *output)
{
	size_t len = output ? strlen(output) : 0;

	if (format != NULL)
		return strcmp(format, "json") == 0;
	return len > 5 && strcmp(output + len - 5, ".json") == 0;
}

/* --format, else from the -o extension (.csv, .tex), else Markdown. 0 or 2 (usage, printed). */
static int pick_format(const char *format, const char *output, enum cs_table_format *f)
{
	size_t len = output ? strlen(output) : 0;

	if (format != NULL) {
		if (cs_table_format_parse(format, f) != 0) {
			fprintf(stderr, "coseval table: --format is md, latex, csv or json, not '%s'\n", format);
			return 2;
		}
		return 0;
	}
	*f = CS_TABLE_MD;
	if (len > 4 && strcmp(output + len - 4, ".csv") == 0)
		*f = CS_TABLE_CSV;
	else if (len > 4 && strcmp(output + len - 4, ".tex") == 0)
		*f = CS_TABLE_LATEX;
	return 0;
}

/* "low=1,high=10" or "1,10" into names (pointing into text, which is modified) and ks. 0 or 2. */
static int parse_budgets(char *text, const char **names, int *ks, int *nb)
{
	struct cs_list items = { { 0 }, 0 };

	*nb = 0;
	if (cs_split_list(text, &items) != 0 || items.count == 0 || items.count > MAX_BUDGETS)
		return 2;
	for (size_t i = 0; i < items.count; i++) {
		char *item = (char *)items.items[i], *eq = strchr(item, '='), *end;
		const char *value = eq ? eq + 1 : item;
		long k = strtol(value, &end, 10);
		if (eq != NULL) {
			*eq = '\0';
			if (item[0] == '\0')
				return 2;
		}
		if (end == value || *end != '\0' || k < 1 || k > 1000000)
			return 2;
		names[i] = item;
		ks[i] = (int)k;
		for (size_t j = 0; j < i; j++)
			if (strcmp(names[j], names[i]) == 0)
				return 2;
	}
	*nb = (int)items.count;
	return 0;
}

static int table_data(int argc, char **argv)
{
	const char *db = NULL, *pairs = NULL, *budgets = NULL, *match_name = "params", *format = NULL, *output = NULL;
	const char *unique = NULL, *ci = NULL, *boot = NULL, *seed = NULL, *judge = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--pairs", CS_OPT_VALUE, &pairs }, { "--budgets", CS_OPT_VALUE, &budgets },
		{ "--judge", CS_OPT_VALUE, &judge },
		{ "--match", CS_OPT_VALUE, &match_name }, { "--format", CS_OPT_VALUE, &format }, { "-o", CS_OPT_VALUE, &output },
		{ "--unique", CS_OPT_VALUE, &unique }, { "--ci", CS_OPT_VALUE, &ci }, { "--bootstrap", CS_OPT_VALUE, &boot },
		{ "--seed", CS_OPT_VALUE, &seed }, { NULL, 0, NULL }
	};
	struct cs_score_opts sopt = { 0 };
	struct cs_list plist = { { 0 }, 0 };
	const char *wc[CS_LIST_MAX], *se[CS_LIST_MAX], *bnames[MAX_BUDGETS];
	int bks[MAX_BUDGETS], nb = 0, npos, rc;
	char *pairs_copy = NULL, *budgets_copy = NULL;
	enum cs_pair_match match;
	enum cs_table_format fmt;
	struct cs_dq_table table = { 0 };
	struct cs_output out = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	int json;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0 ||
	    cs_parse_score_options(unique, ci, boot, seed, &sopt) != 0)
		return 2;
	json = wants_json(format, output);
	if (!json && pick_format(format, output, &fmt) != 0)
		return 2;
	if (pairs == NULL || budgets == NULL) {
		fprintf(stderr, "coseval table data: --pairs WC:SE[,WC:SE...] and --budgets NAME=K[,NAME=K...] are "
			"required\n");
		return 2;
	}
	if (cs_pair_match_parse(match_name, &match) != 0) {
		fprintf(stderr, "coseval table data: --match is params, tokens, price or count\n");
		return 2;
	}
	pairs_copy = strdup(pairs);
	budgets_copy = strdup(budgets);
	if (pairs_copy == NULL || budgets_copy == NULL) {
		rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (parse_budgets(budgets_copy, bnames, bks, &nb) != 0) {
		fprintf(stderr, "coseval table data: --budgets wants distinct NAME=K items such as low=1,high=10\n");
		rc = 2;
		goto quiet;
	}
	if (cs_split_list(pairs_copy, &plist) != 0 || plist.count == 0) {
		fprintf(stderr, "coseval table data: --pairs wants WC:SE items such as gsm8k-9b:gsm8k-27b\n");
		rc = 2;
		goto quiet;
	}
	for (size_t i = 0; i < plist.count; i++) {
		char *colon = strchr(plist.items[i], ':');
		if (colon == NULL || colon == plist.items[i] || colon[1] == '\0' || strchr(colon + 1, ':') != NULL) {
			fprintf(stderr, "coseval table data: --pairs wants WC:SE items, not '%s'\n", plist.items[i]);
			rc = 2;
			goto quiet;
		}
		*colon = '\0';
		wc[i] = plist.items[i];
		se[i] = colon + 1;
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0 && judge != NULL)
		rc = cs_store_check_judge(st, NULL, judge, &err);
	if (rc == 0)
		rc = cs_table_data(st, wc, se, (int)plist.count, bnames, bks, nb, match, judge, &sopt, &table, &err);
	/* the head of the JSON document is also the provenance of a CSV file */
	if (rc == 0 && (json || (fmt == CS_TABLE_CSV && output != NULL && strcmp(output, "-") != 0))) {
		doc = cs_cli_json_doc("table data", opts, cs_store_default_path(db));
		if (doc == NULL)
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		for (int i = 0; rc == 0 && i < table.count; i++) {
			rc = cs_cli_json_add_run(doc, st, table.blocks[i].wc_run, &err);
			if (rc == 0)
				rc = cs_cli_json_add_run(doc, st, table.blocks[i].se_run, &err);
		}
	}
	if (rc == 0 && json) {
		rc = cs_json_dq_rows(doc, &table, &err);
		if (rc == 0)
			rc = cs_cli_json_output(doc, output, &err);
	} else if (rc == 0) {
		rc = cs_output_open(&out, output, &err);
	}
	if (rc == 0 && !json) {
		rc = cs_dq_table_write(&table, fmt, out.f, &err);
		if (cs_output_close_provenance(&out, rc != 0, doc, rc == 0 ? &err : NULL) != 0 && rc == 0)
			rc = CS_INPUT;
	}
done:
	if (rc != 0)
		fprintf(stderr, "coseval table data: %s\n", err.msg);
quiet:
	cJSON_Delete(doc);
	cs_dq_table_free(&table);
	cs_store_close(st);
	free(pairs_copy);
	free(budgets_copy);
	return rc;
}

static int table_finetune(int argc, char **argv)
{
	const char *db = NULL, *metric = "pass@1", *rows = "student", *cols = "trained_on", *gain = NULL;
	const char *where = NULL, *runs = NULL, *format = NULL, *output = NULL, *ci = NULL, *boot = NULL, *seed = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--metric", CS_OPT_VALUE, &metric }, { "--rows", CS_OPT_VALUE, &rows },
		{ "--cols", CS_OPT_VALUE, &cols }, { "--gain", CS_OPT_VALUE, &gain }, { "--where", CS_OPT_VALUE, &where },
		{ "--runs", CS_OPT_VALUE, &runs }, { "--format", CS_OPT_VALUE, &format }, { "-o", CS_OPT_VALUE, &output },
		{ "--ci", CS_OPT_VALUE, &ci }, { "--bootstrap", CS_OPT_VALUE, &boot }, { "--seed", CS_OPT_VALUE, &seed },
		{ NULL, 0, NULL }
	};
	struct cs_ft_opts fopt;
	struct cs_list rlist = { { 0 }, 0 };
	struct cs_ft_table table = { 0 };
	struct cs_output out = { 0 };
	enum cs_table_format fmt;
	struct cs_store *st = NULL;
	struct cs_err err;
	cJSON *doc = NULL;
	char *runs_copy = NULL;
	int json, npos, rc;

	memset(&fopt, 0, sizeof fopt);
	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0 ||
	    cs_parse_score_options(NULL, ci, boot, seed, &fopt.score) != 0)
		return 2;
	json = wants_json(format, output);
	if (!json && pick_format(format, output, &fmt) != 0)
		return 2;
	if (rows[0] == '\0' || cols[0] == '\0' || strcmp(rows, cols) == 0) {
		fprintf(stderr, "coseval table finetune: --rows and --cols want two different tag names\n");
		return 2;
	}
	if (runs != NULL) {
		runs_copy = strdup(runs);
		if (runs_copy == NULL || cs_split_list(runs_copy, &rlist) != 0 || rlist.count == 0) {
			fprintf(stderr, "coseval table finetune: --runs wants a comma-separated list of runs\n");
			free(runs_copy);
			return 2;
		}
	}
	fopt.metric = metric;
	fopt.rows_tag = rows;
	fopt.cols_tag = cols;
	fopt.gain = gain;
	fopt.where = where;
	fopt.runs = rlist.items;
	fopt.nruns = (int)rlist.count;
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	for (size_t i = 0; rc == 0 && i < rlist.count; i++)
		rc = cs_store_check_run(st, rlist.items[i], &err);
	if (rc == 0)
		rc = cs_table_finetune(st, &fopt, &table, &err);
	if (rc == 0 && (json || (fmt == CS_TABLE_CSV && output != NULL && strcmp(output, "-") != 0))) {
		doc = cs_cli_json_doc("table finetune", opts, cs_store_default_path(db));
		if (doc == NULL)
			rc = cs_fail(&err, CS_INTERNAL, "out of memory");
		for (int i = 0; rc == 0 && i < table.nrows * table.ncols; i++)
			if (table.cells[i].run != NULL)
				rc = cs_cli_json_add_run(doc, st, table.cells[i].run, &err);
	}
	if (rc == 0 && json) {
		rc = cs_json_ft_rows(doc, &table, &err);
		if (rc == 0)
			rc = cs_cli_json_output(doc, output, &err);
	} else if (rc == 0) {
		rc = cs_output_open(&out, output, &err);
	}
	if (rc == 0 && !json) {
		rc = cs_ft_table_write(&table, fmt, out.f, &err);
		if (cs_output_close_provenance(&out, rc != 0, doc, rc == 0 ? &err : NULL) != 0 && rc == 0)
			rc = CS_INPUT;
	}
	if (rc != 0)
		fprintf(stderr, "coseval table finetune: %s\n", err.msg);
	cJSON_Delete(doc);
	cs_ft_table_free(&table);
	cs_store_close(st);
	free(runs_copy);
	return rc;
}

int cmd_table(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "data") == 0)
		return table_data(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "finetune") == 0)
		return table_finetune(argc - 1, argv + 1);
	fprintf(stderr, "coseval table: data or finetune (see coseval help table)\n");
	return 2;
}
