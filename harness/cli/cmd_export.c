/* `coseval export KIND`: writes a selection of the store as a file for another tool or person; `judging`
 * writes a seeded random sample of a run's correct-answer samples for a judge to fill in, `sft` a training
 * set (export_sft.c), `stream` the input of `grade --stream` (export_stream.c). */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/export_sft.h"
#include "cli/export_stream.h"
#include "rng.h"
#include "store/store.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An output file written whole or not at all: lines go to PATH.tmp, renamed to PATH at the end. */
struct out_file {
	const char *path;  /* NULL: standard output */
	char *tmp;
	FILE *fp;
};

static int out_open(struct out_file *o, const char *path, struct cs_err *err)
{
	size_t len;

	memset(o, 0, sizeof *o);
	o->path = path;
	if (path == NULL) {
		o->fp = stdout;
		return CS_OK;
	}
	len = strlen(path) + 5;
	o->tmp = malloc(len);
	if (o->tmp == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	snprintf(o->tmp, len, "%s.tmp", path);
	o->fp = fopen(o->tmp, "w");
	if (o->fp == NULL)
		return cs_fail(err, CS_INPUT, "cannot write %s: %s", o->tmp, strerror(errno));
	return CS_OK;
}

static int out_write(struct out_file *o, const char *s, size_t len, struct cs_err *err)
{
	if (fwrite(s, 1, len, o->fp) != len)
		return cs_fail(err, CS_INPUT, "cannot write %s: %s", o->path ? o->tmp : "the output", strerror(errno));
	return CS_OK;
}

/* Finishes the file: closes and renames it (ok) or removes the partial file (!ok). */
static int out_close(struct out_file *o, int ok, struct cs_err *err)
{
	int rc = CS_OK;

	if (o->fp == NULL)
		goto done;
	if (o->path == NULL) {
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = cs_fail(err, CS_INPUT, "cannot write the output: %s", strerror(errno));
		goto done;
	}
	if (fclose(o->fp) != 0 && ok)
		rc = cs_fail(err, CS_INPUT, "cannot write %s: %s", o->tmp, strerror(errno));
	if (ok && rc == CS_OK && rename(o->tmp, o->path) != 0)
		rc = cs_fail(err, CS_INPUT, "cannot write %s: %s", o->path, strerror(errno));
	if (!ok || rc != CS_OK)
		unlink(o->tmp);
done:
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return rc;
}

/* Parses a seed: a whole number from 0 to 2^64 - 1. */
static int parse_seed(const char *text, uint64_t *seed)
{
	char *end;

	errno = 0;
	*seed = strtoull(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || text[0] == '+') {
		fprintf(stderr, "coseval export: --seed wants a whole number from 0 to 2^64-1, got '%s'\n", text);
		return 2;
	}
	return 0;
}

/* One eligible sample and its place in the export's stable order (problem id, then sample index). */
struct candidate {
	sqlite3_int64 sample_id;
	size_t rank;
};

/* Lists the run's samples graded correct, in the stable order, into *out (malloc'd, owned by the caller);
 * *total gets the run's sample count and *graded how many of them have a grade. */
static int list_correct(struct cs_store *st, const char *run, struct candidate **out, size_t *count, long *total,
			long *graded, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	struct candidate *list = NULL;
	size_t n = 0, cap = 0;
	int rc, step;

	*out = NULL;
	*count = 0;
	rc = cs_store_prepare(st, "SELECT (SELECT COUNT(*) FROM samples s WHERE s.run_id = r.id), "
			      "(SELECT COUNT(*) FROM samples s JOIN grades g ON g.sample_id = s.id WHERE s.run_id = r.id) "
			      "FROM runs r WHERE r.name = ?", &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_no_run(st, run, "'coseval runs' lists the runs", err);
		goto done;
	}
	*total = (long)sqlite3_column_int64(stmt, 0);
	*graded = (long)sqlite3_column_int64(stmt, 1);
	if (*graded == 0) {
		rc = cs_fail(err, CS_INPUT, "run '%s' is not graded; run 'coseval grade --run %s' first", run, run);
		goto done;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	rc = cs_store_prepare(st, "SELECT s.id FROM samples s JOIN runs r ON r.id = s.run_id "
			      "JOIN grades g ON g.sample_id = s.id JOIN problems p ON p.id = s.problem_id "
			      "WHERE r.name = ? AND g.verdict = 'correct' ORDER BY p.id, s.sample_index", &stmt, err);
	if (rc != CS_OK)
		goto done;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			size_t grown_cap = cap ? cap * 2 : 256;
			struct candidate *grown = realloc(list, grown_cap * sizeof *grown);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				goto done;
			}
			list = grown;
			cap = grown_cap;
		}
		list[n].sample_id = sqlite3_column_int64(stmt, 0);
		list[n].rank = n;
		n++;
	}
	if (step != SQLITE_DONE)
		rc = cs_store_fail(st, "listing correct samples", err);
done:
	sqlite3_finalize(stmt);
	if (rc != CS_OK) {
		free(list);
		return rc;
	}
	*out = list;
	*count = n;
	return CS_OK;
}

static int by_rank(const void *a, const void *b)
{
	size_t x = ((const struct candidate *)a)->rank, y = ((const struct candidate *)b)->rank;

	return (x > y) - (x < y);
}

/* Picks k of the n candidates without replacement (a partial Fisher-Yates shuffle driven by seed) and leaves
 * them at the front of the list in the stable order. */
static void pick(struct candidate *list, size_t n, size_t k, uint64_t seed)
{
	struct cs_rng rng;

	if (k < n) {
		cs_rng_seed(&rng, seed);
		for (size_t i = 0; i < k; i++) {
			size_t j = i + (size_t)cs_rng_below(&rng, (uint64_t)(n - i));
			struct candidate t = list[i];
			list[i] = list[j];
			list[j] = t;
		}
	}
	qsort(list, k < n ? k : n, sizeof *list, by_rank);
}

/* Sets key of obj to a string column, or null when the column is NULL; returns 0, or -1 when out of memory. */
static int add_text(cJSON *obj, const char *key, sqlite3_stmt *stmt, int col)
{
	const char *v = (const char *)sqlite3_column_text(stmt, col);

	return (v ? cJSON_AddStringToObject(obj, key, v) : cJSON_AddNullToObject(obj, key)) == NULL ? -1 : 0;
}

/* Writes one line per chosen sample: the fields a judge needs and empty judge/reasoning_correct fields. */
static int write_judging(struct cs_store *st, const char *run, const struct candidate *list, size_t k,
			 struct out_file *o, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	cJSON *obj = NULL;
	char *line = NULL;
	int rc;

	rc = cs_store_prepare(st, "SELECT p.problem_key, s.sample_index, p.question, p.gold, g.answer, s.text "
			      "FROM samples s JOIN problems p ON p.id = s.problem_id JOIN grades g ON g.sample_id = s.id "
			      "WHERE s.id = ?", &stmt, err);
	for (size_t i = 0; rc == CS_OK && i < k; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, list[i].sample_id);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			rc = cs_store_fail(st, "reading a sample", err);
			break;
		}
		obj = cJSON_CreateObject();
		if (obj == NULL || cJSON_AddStringToObject(obj, "run", run) == NULL || add_text(obj, "problem_id", stmt, 0) ||
		    cJSON_AddNumberToObject(obj, "sample_index", (double)sqlite3_column_int64(stmt, 1)) == NULL ||
		    add_text(obj, "question", stmt, 2) || add_text(obj, "gold", stmt, 3) || add_text(obj, "answer", stmt, 4) ||
		    add_text(obj, "text", stmt, 5) || cJSON_AddNullToObject(obj, "judge") == NULL ||
		    cJSON_AddNullToObject(obj, "reasoning_correct") == NULL ||
		    (line = cJSON_PrintUnformatted(obj)) == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			break;
		}
		rc = out_write(o, line, strlen(line), err);
		if (rc == CS_OK)
			rc = out_write(o, "\n", 1, err);
		cJSON_free(line);
		line = NULL;
		cJSON_Delete(obj);
		obj = NULL;
	}
	cJSON_Delete(obj);
	sqlite3_finalize(stmt);
	return rc;
}

static int export_judging(int argc, char **argv)
{
	const char *db = NULL, *run = NULL, *n_text = NULL, *seed_text = NULL, *output = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run }, { "--n", CS_OPT_VALUE, &n_text },
		{ "--seed", CS_OPT_VALUE, &seed_text }, { "-o", CS_OPT_VALUE, &output },
		{ "--output", CS_OPT_VALUE, &output }, { NULL, 0, NULL }
	};
	struct candidate *list = NULL;
	struct cs_store *st = NULL;
	struct out_file o = { 0 };
	struct cs_err err;
	uint64_t seed;
	size_t count = 0, k;
	long n, total = 0, graded = 0;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (run == NULL || n_text == NULL || seed_text == NULL) {
		fprintf(stderr, "coseval export judging: --run NAME, --n N and --seed S are required\n");
		return 2;
	}
	if (cs_parse_count("--n", n_text, &n) != 0 || parse_seed(seed_text, &seed) != 0)
		return 2;
	rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == CS_OK)
		rc = list_correct(st, run, &list, &count, &total, &graded, &err);
	if (rc == CS_OK && count == 0)
		rc = cs_fail(&err, CS_INPUT, "no sample of run '%s' has a final answer graded correct; nothing to judge", run);
	if (rc != CS_OK)
		goto fail;
	if (graded < total)
		fprintf(stderr, "coseval export: %ld of the %ld samples of run '%s' are not graded yet (run 'coseval "
			"grade --run %s'); only graded samples are eligible\n", total - graded, total, run, run);
	k = (size_t)n < count ? (size_t)n : count;
	if ((size_t)n > count)
		fprintf(stderr, "coseval export: run '%s' has only %zu samples graded correct, fewer than --n %ld: "
			"exporting all %zu\n", run, count, n, count);
	pick(list, count, k, seed);
	rc = out_open(&o, output, &err);
	if (rc == CS_OK)
		rc = write_judging(st, run, list, k, &o, &err);
	{
		int close_rc = out_close(&o, rc == CS_OK, &err);
		if (rc == CS_OK)
			rc = close_rc;
	}
	if (rc != CS_OK)
		goto fail;
	fprintf(stderr, "coseval export: %zu of %zu correct-answer samples of run '%s' (seed %s)%s%s\n", k, count, run,
		seed_text, output ? " written to " : "", output ? output : "");
	free(list);
	cs_store_close(st);
	return 0;
fail:
	fprintf(stderr, "coseval export: %s\n", err.msg);
	free(list);
	cs_store_close(st);
	return rc;
}

/* The kinds of export, each with its own options. */
static const struct export_kind {
	const char *name;
	int (*run)(int argc, char **argv);
} export_kinds[] = {
	{ "judging", export_judging },
	{ "sft", cs_export_sft },
	{ "stream", cs_export_stream },
};

int cmd_export(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "coseval export: usage: coseval export judging|sft|stream [OPTIONS]; see 'coseval help export'\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof export_kinds / sizeof export_kinds[0]; i++) {
		if (strcmp(argv[1], export_kinds[i].name) == 0) {
			/* the options follow the kind; argv[1] becomes the name used in messages */
			argv[1] = argv[0];
			return export_kinds[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "coseval export: unknown kind '%s' (judging, sft, stream)\n", argv[1]);
	return 2;
}
