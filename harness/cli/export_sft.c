/* `coseval export sft`: writes the run's correct samples, within a budget, deduplicated and capped, as JSONL. */
#include "cli/args.h"
#include "cli/export_sft.h"
#include "output.h"
#include "store/sft.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* Adds key: the string, or null. Returns 0, or -1 when out of memory. */
static int add_string(cJSON *obj, const char *key, const char *value)
{
	return (value ? cJSON_AddStringToObject(obj, key, value) : cJSON_AddNullToObject(obj, key)) == NULL ? -1 : 0;
}

/* Writes one sample as a JSON line to the FILE * in ctx. */
static int write_line(const struct cs_sft_sample *s, void *ctx, struct cs_err *err)
{
	FILE *out = ctx;
	cJSON *obj = cJSON_CreateObject();
	char *line = NULL;
	int rc = CS_OK;

	if (obj == NULL || add_string(obj, "run", s->run) || add_string(obj, "problem_id", s->problem_id) ||
	    cJSON_AddNumberToObject(obj, "sample_index", (double)s->sample_index) == NULL ||
	    add_string(obj, "question", s->question) || add_string(obj, "solution", s->solution) ||
	    add_string(obj, "answer", s->answer) || add_string(obj, "gold", s->gold) ||
	    (line = cJSON_PrintUnformatted(obj)) == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (fputs(line, out) == EOF || fputc('\n', out) == EOF)
		rc = cs_fail(err, CS_INPUT, "error writing the export");
done:
	cJSON_free(line);
	cJSON_Delete(obj);
	return rc;
}

/* Parses an optional positive count; 0 when text is NULL. */
static int parse_optional_count(const char *name, const char *text, int *out)
{
	long n = 0;

	if (text != NULL && (cs_parse_count(name, text, &n) != 0 || n > 1000000000L)) {
		if (n > 1000000000L)
			fprintf(stderr, "coseval export sft: %s is at most 1000000000\n", name);
		return 2;
	}
	*out = (int)n;
	return 0;
}

int cs_export_sft(int argc, char **argv)
{
	const char *db = NULL, *run = NULL, *cap_text = NULL, *unique = NULL, *budget_text = NULL, *output = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run },
		{ "--max-per-problem", CS_OPT_VALUE, &cap_text }, { "--unique", CS_OPT_VALUE, &unique },
		{ "--budget", CS_OPT_VALUE, &budget_text }, { "-o", CS_OPT_VALUE, &output },
		{ "--output", CS_OPT_VALUE, &output }, { NULL, 0, NULL }
	};
	struct cs_sft_opts sopt = { 0 };
	struct cs_sft_counts counts;
	struct cs_output out = { 0 };
	struct cs_store *st = NULL;
	struct cs_err err;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (run == NULL) {
		fprintf(stderr, "coseval export sft: --run NAME is required\n");
		return 2;
	}
	if (parse_optional_count("--max-per-problem", cap_text, &sopt.max_per_problem) != 0 ||
	    parse_optional_count("--budget", budget_text, &sopt.budget) != 0)
		return 2;
	if (unique != NULL && strcmp(unique, "none") != 0) {
		if (cs_unique_parse(unique, &sopt.unique) != 0) {
			fprintf(stderr, "coseval export sft: --unique is exact, normalized, answer or none\n");
			return 2;
		}
		sopt.dedup = 1;
	}
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == CS_OK)
		rc = cs_output_open(&out, output, &err);
	if (rc == CS_OK) {
		rc = cs_sft_select(st, run, &sopt, write_line, out.f, &counts, &err);
		if (rc == CS_OK && ferror(out.f))
			rc = cs_fail(&err, CS_INPUT, "error writing the export");
		if (cs_output_close(&out, rc != CS_OK, rc == CS_OK ? &err : NULL) != CS_OK && rc == CS_OK)
			rc = CS_INPUT;
	}
	if (rc != CS_OK) {
		fprintf(stderr, "coseval export sft: %s\n", err.msg);
		goto done;
	}
	fprintf(stderr, "coseval export sft: run '%s' (budget %s, unique %s, max per problem %s): %ld problems, "
		"%ld samples considered, %ld correct, %ld after dedup, %ld after cap, %ld exported, "
		"%ld problems with at least one%s%s\n", run, budget_text ? budget_text : "all",
		sopt.dedup ? cs_unique_name(sopt.unique) : "none", cap_text ? cap_text : "none", counts.problems,
		counts.considered, counts.correct, counts.deduplicated, counts.capped, counts.exported,
		counts.problems_exported, output ? "; written to " : "", output ? output : "");
done:
	cs_store_close(st);
	return rc;
}
