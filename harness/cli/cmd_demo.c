/* `coseval demo`: builds a fresh database from datasets/demo/ and shows the whole flow on it. */
#include "cli/args.h"
#include "cli/commands.h"
#include "ingest/importer.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The demo's sample files: a weaker-cheaper model (9B) and a stronger-expensive one (27B) on two datasets. */
static const struct demo_run {
	const char *file, *run, *model, *dataset, *preset;
	double params, price_out;
	const char *tag;
} demo_runs[] = {
	{ "gsm8k-demo.demo-9b.jsonl", "gsm8k-9b", "demo-9b", "gsm8k-demo", "jsonl", 9e9, 0.30, "role=wc" },
	{ "gsm8k-demo.demo-27b.openai-batch.jsonl", "gsm8k-27b", "demo-27b", "gsm8k-demo", "openai-batch", 27e9,
	  1.20, "role=se" },
	{ "math-demo.demo-9b.vllm.jsonl", "math-9b", "demo-9b", "math-demo", "vllm", 9e9, 0.30, "role=wc" },
	{ "math-demo.demo-27b.csv", "math-27b", "demo-27b", "math-demo", "csv", 27e9, 1.20, "role=se" },
};

static const char *demo_dir(const char *given)
{
	const char *env = getenv("COSEVAL_DEMO_DIR");

	if (given != NULL)
		return given;
	if (env != NULL && env[0] != '\0')
		return env;
	return COSEVAL_DEMO_DIR;
}

/* Imports each model's judgments file into its two runs (each file covers both datasets, so the records of
 * the other dataset are skipped). */
static int import_judgments(const char *db, const char *data)
{
	static const char *const runs[][2] = {
		{ "demo-9b", "gsm8k-9b" }, { "demo-9b", "math-9b" }, { "demo-27b", "gsm8k-27b" }, { "demo-27b", "math-27b" }
	};
	struct cs_store *st = NULL;
	struct cs_err err;
	int rc = cs_store_open(db, 0, &st, &err);

	for (size_t i = 0; rc == 0 && i < sizeof runs / sizeof runs[0]; i++) {
		struct cs_judgment_import opt = { 0 };
		struct cs_import_stats stats;
		char path[4096];

		snprintf(path, sizeof path, "%s/judgments.%s.jsonl", data, runs[i][0]);
		opt.path = path;
		opt.run = runs[i][1];
		opt.skip_unknown = 1;
		rc = cs_import_judgments(st, &opt, &stats, &err);
		if (rc == 0)
			printf("%-10s %ld judgments from judgments.%s.jsonl\n", runs[i][1], stats.samples, runs[i][0]);
	}
	if (rc != 0)
		fprintf(stderr, "coseval demo: %s\n", err.msg);
	cs_store_close(st);
	return rc;
}

/* Runs a subcommand with a NULL-terminated argument list, as if typed after "coseval". */
static int run_cmd(int (*cmd)(int, char **), const char *const *args)
{
	char *argv[16];
	int argc = 0;

	while (args[argc] != NULL && argc < 15) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	return cmd(argc, argv);
}

int cmd_demo(int argc, char **argv)
{
	const char *db = NULL, *data = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--data", CS_OPT_VALUE, &data }, { NULL, 0, NULL }
	};
	struct cs_store *st = NULL;
	struct cs_import_stats stats;
	struct cs_err err;
	char path[4096], journal[4200];
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (db == NULL)
		db = "coseval-demo.db";
	data = demo_dir(data);
	/* a fresh database every time */
	snprintf(journal, sizeof journal, "%s-journal", db);
	if ((unlink(db) != 0 && access(db, F_OK) == 0) || (unlink(journal) != 0 && access(journal, F_OK) == 0)) {
		fprintf(stderr, "coseval demo: cannot remove the old %s\n", db);
		return CS_DB;
	}
	rc = cs_store_open(db, 1, &st, &err);
	if (rc != 0)
		goto fail;
	printf("== coseval demo: database %s, data from %s\n\n", db, data);

	printf("-- import problems\n");
	for (int i = 0; i < 2; i++) {
		const char *name = i == 0 ? "gsm8k-demo" : "math-demo";
		struct cs_problem_import opt = { 0 };
		snprintf(path, sizeof path, "%s/%s.problems.jsonl", data, name);
		opt.path = path;
		opt.dataset = name;
		opt.profile = i == 0 ? "gsm8k" : "math";
		rc = cs_import_problems(st, &opt, &stats, &err);
		if (rc != 0)
			goto fail;
		printf("%s: %ld problems\n", name, stats.problems);
	}

	printf("\n-- import samples (four dump formats)\n");
	for (size_t i = 0; i < sizeof demo_runs / sizeof demo_runs[0]; i++) {
		const struct demo_run *d = &demo_runs[i];
		struct cs_sample_import opt = { 0 };
		struct cs_tag tag;
		char tagbuf[64];

		snprintf(path, sizeof path, "%s/%s", data, d->file);
		snprintf(tagbuf, sizeof tagbuf, "%s", d->tag);
		tagbuf[strcspn(tagbuf, "=")] = '\0';
		tag.key = tagbuf;
		tag.value = tagbuf + strlen(tagbuf) + 1;
		opt.path = path;
		opt.run = d->run;
		opt.model = d->model;
		opt.dataset = d->dataset;
		opt.preset = d->preset;
		opt.params = d->params;
		opt.price_out = d->price_out;
		opt.tags = &tag;
		opt.ntags = 1;
		rc = cs_import_samples(st, &opt, &stats, &err);
		if (rc != 0)
			goto fail;
		printf("%-10s %-9s %-13s %4ld samples of %ld problems (preset %s)\n", d->run, d->model, d->dataset,
		       stats.samples, stats.problems, d->preset);
	}
	cs_store_close(st);
	st = NULL;

	printf("\n-- coseval runs\n");
	fflush(stdout);
	rc = run_cmd(cmd_runs, (const char *[]){ "runs", "--db", db, NULL });
	if (rc == 0) {
		printf("\n-- coseval grade\n");
		fflush(stdout);
		rc = run_cmd(cmd_grade, (const char *[]){ "grade", "--db", db, NULL });
	}
	if (rc == 0) {
		printf("\n-- coseval import judgments (a judge's verdicts on the reasoning of correct-answer samples)\n");
		rc = import_judgments(db, data);
	}
	if (rc == 0) {
		printf("\n-- coseval report --runs gsm8k-9b,gsm8k-27b --k 1,2,6\n");
		fflush(stdout);
		rc = run_cmd(cmd_report, (const char *[]){ "report", "--db", db, "--runs", "gsm8k-9b,gsm8k-27b", "--k",
							   "1,2,6", NULL });
	}
	for (int i = 0; rc == 0 && i < 2; i++) {
		const char *wc = i == 0 ? "gsm8k-9b" : "math-9b", *se = i == 0 ? "gsm8k-27b" : "math-27b";
		printf("\n-- coseval pair --wc %s --se %s --se-k 1,2 (compute-matched: 3 WC samples per SE sample)\n",
		       wc, se);
		fflush(stdout);
		rc = run_cmd(cmd_pair, (const char *[]){ "pair", "--db", db, "--wc", wc, "--se", se, "--se-k", "1,2",
							 NULL });
	}
	if (rc == 0) {
		printf("\n-- coseval table data --pairs gsm8k-9b:gsm8k-27b,math-9b:math-27b --budgets low=1,high=2\n\n");
		fflush(stdout);
		rc = run_cmd(cmd_table, (const char *[]){ "table", "data", "--db", db, "--pairs",
							  "gsm8k-9b:gsm8k-27b,math-9b:math-27b", "--budgets", "low=1,high=2",
							  NULL });
	}
	if (rc == 0) {
		/* the plot goes next to the database: DB minus ".db", plus "-coverage.svg" */
		size_t len = strlen(db);
		snprintf(path, sizeof path, "%.*s-coverage.svg",
			 (int)(len > 3 && strcmp(db + len - 3, ".db") == 0 ? len - 3 : len), db);
		printf("\n-- coseval plot coverage --runs gsm8k-9b,gsm8k-27b,math-9b,math-27b -o %s\n", path);
		fflush(stdout);
		rc = run_cmd(cmd_plot, (const char *[]){ "plot", "coverage", "--db", db, "--runs",
							 "gsm8k-9b,gsm8k-27b,math-9b,math-27b", "-o", path, NULL });
		if (rc == 0)
			printf("wrote %s (coverage@k against samples per problem, 95%% bootstrap bands)\n", path);
	}
	if (rc == 0) {
		printf("\n-- coseval fit --runs gsm8k-9b,gsm8k-27b --predict 100,1000 (coverage beyond the samples)\n");
		fflush(stdout);
		rc = run_cmd(cmd_fit, (const char *[]){ "fit", "--db", db, "--runs", "gsm8k-9b,gsm8k-27b", "--predict",
							"100,1000", NULL });
	}
	if (rc == 0) {
		printf("\n-- coseval pair --wc gsm8k-9b --se gsm8k-27b --se-k 1 --problems (who solves what)\n");
		fflush(stdout);
		rc = run_cmd(cmd_pair, (const char *[]){ "pair", "--db", db, "--wc", "gsm8k-9b", "--se", "gsm8k-27b",
							 "--se-k", "1", "--problems", NULL });
	}
	if (rc == 0) {
		/* the study page goes next to the database too: DB minus ".db", plus "-study.html" */
		size_t len = strlen(db);
		snprintf(path, sizeof path, "%.*s-study.html",
			 (int)(len > 3 && strcmp(db + len - 3, ".db") == 0 ? len - 3 : len), db);
		printf("\n-- coseval view --runs gsm8k-9b,gsm8k-27b,math-9b,math-27b --pair gsm8k-9b,gsm8k-27b --se-k 1,2"
		       " -o %s\n", path);
		fflush(stdout);
		rc = run_cmd(cmd_view, (const char *[]){ "view", "--db", db, "--runs", "gsm8k-9b,gsm8k-27b,math-9b,math-27b",
							 "--pair", "gsm8k-9b,gsm8k-27b", "--se-k", "1,2", "-o", path, NULL });
		if (rc == 0)
			printf("wrote %s: open it in a browser (report, pair, plots, every sample by problem)\n", path);
	}
	return rc;
fail:
	fprintf(stderr, "coseval demo: %s\n", err.msg);
	cs_store_close(st);
	return rc;
}
