/* `coseval import problems|samples|judgments|verdicts FILE ...`: loads a file into the store in one transaction. */
#include "cli/args.h"
#include "cli/commands.h"
#include "ingest/importer.h"
#include "store/store.h"
#include "util/progress.h"
#include "util/suggest.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Parses --max-line-mb into bytes; returns 2 on a usage error. */
static int parse_max_line(const char *text, size_t *out)
{
	long mb;

	*out = 0;
	if (text == NULL)
		return 0;
	if (cs_parse_count("--max-line-mb", text, &mb) != 0 || mb > 4096) {
		if (mb > 4096)
			fprintf(stderr, "coseval import: --max-line-mb is at most 4096\n");
		return 2;
	}
	*out = (size_t)mb * 1024u * 1024u;
	return 0;
}

/* Parses --match id|question of `import kind`; returns 2 on a usage error. */
static int parse_match(const char *kind, const char *match, int *by_question)
{
	if (match != NULL && strcmp(match, "id") != 0 && strcmp(match, "question") != 0) {
		fprintf(stderr, "coseval import %s: --match is 'id' or 'question'\n", kind);
		return 2;
	}
	*by_question = match != NULL && strcmp(match, "question") == 0;
	return 0;
}

/* Removes the database file at path and the journal files SQLite keeps beside it: after a failed import
 * that created it, so that no empty database is left behind. */
static void remove_new_database(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char name[4096];

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		if (snprintf(name, sizeof name, "%s%s", path, suffixes[i]) < (int)sizeof name)
			unlink(name);
	}
}

/* The progress line of an import. */
struct import_progress {
	struct cs_progress bar;
	const char *name;    /* the file's name, without its folder */
};

/* Writes bytes as "812 kB", "12.3 MB" or "1.25 GB" into buf. */
static void bytes_text(char *buf, size_t size, long long bytes)
{
	if (bytes < 1000000)
		snprintf(buf, size, "%.0f kB", (double)bytes / 1e3);
	else if (bytes < 1000000000)
		snprintf(buf, size, "%.1f MB", (double)bytes / 1e6);
	else
		snprintf(buf, size, "%.2f GB", (double)bytes / 1e9);
}

/* cs_import_each's progress callback: "import FILE: 12.3 MB of 45.6 MB (27%), 20480 records, 45k records/s,
 * 2 s left" (the bytes as stored, compressed ones for compressed input; without the size, the share and the
 * time left when the size is not known), redrawn at most five times a second. */
static void show_import(void *ctx, const struct cs_source *src, long records)
{
	struct import_progress *ip = ctx;
	char done_text[32], size_text[32], rate[64], eta[64], where[128] = "";
	const char *packing;
	long long done, size;
	double elapsed;

	if (!cs_progress_due(&ip->bar))
		return;
	elapsed = cs_progress_elapsed(&ip->bar);
	cs_source_position(src, &done, &size);
	packing = cs_source_packing(src);
	cs_progress_rate(rate, sizeof rate, (double)records, elapsed, "records");
	eta[0] = '\0';
	if (done >= 0 && size > 0) {
		bytes_text(done_text, sizeof done_text, done);
		bytes_text(size_text, sizeof size_text, size);
		snprintf(where, sizeof where, "%s of %s%s%s (%.0f%%), ", done_text, size_text,
			 strcmp(packing, "plain") != 0 ? " " : "", strcmp(packing, "plain") != 0 ? packing : "",
			 100.0 * (double)done / (double)size);
		cs_progress_eta(eta, sizeof eta, (double)done / (double)size, elapsed);
	} else if (done >= 0) {
		bytes_text(done_text, sizeof done_text, done);
		snprintf(where, sizeof where, "%s read, ", done_text);
	}
	cs_progress_show(&ip->bar, "import %s: %s%ld record%s%s%s", ip->name, where, records, records == 1 ? "" : "s",
			 rate, eta);
}

/* Checks the options of one import (exactly one of problems, samples and judgments is not NULL), opens the
 * database (creating it, except for judgments, whose run must exist) and runs the import, filling stats.
 * A database this import created is removed again when the import fails. Prints the error and returns
 * its exit status, or returns 0. */
static int run_import(const char *db, const struct cs_problem_import *problems, const struct cs_sample_import *samples,
		      const struct cs_judgment_import *judgments, struct cs_import_stats *stats)
{
	struct cs_store *st = NULL;
	struct import_progress progress;
	struct cs_err err;
	const char *path, *slash;
	const char *db_path = cs_store_default_path(db);
	int db_existed = access(db_path, F_OK) == 0;
	int rc;

	if (problems != NULL)
		rc = cs_problem_import_check(problems, &err);
	else if (samples != NULL)
		rc = cs_sample_import_check(samples, &err);
	else
		rc = cs_judgment_import_check(judgments, &err);
	/* an unreadable file is reported before a database is created for it */
	path = problems ? problems->path : samples ? samples->path : judgments->path;
	if (rc == 0 && strcmp(path, "-") != 0 && access(path, R_OK) != 0)
		rc = cs_fail(&err, CS_INPUT, "%s: cannot open: %s", path, strerror(errno));
	if (rc == 0)
		rc = cs_store_open(db_path, judgments == NULL, &st, &err);
	cs_progress_begin(&progress.bar);
	slash = strrchr(path, '/');
	progress.name = strcmp(path, "-") == 0 ? "standard input" : slash != NULL && slash[1] != '\0' ? slash + 1 : path;
	if (rc == 0 && progress.bar.on) {
		cs_progress_show(&progress.bar, "import %s: starting", progress.name);
		cs_import_set_progress(show_import, &progress);
	}
	if (rc == 0 && problems != NULL)
		rc = cs_import_problems(st, problems, stats, &err);
	else if (rc == 0 && samples != NULL)
		rc = cs_import_samples(st, samples, stats, &err);
	else if (rc == 0)
		rc = cs_import_judgments(st, judgments, stats, &err);
	cs_import_set_progress(NULL, NULL);
	cs_progress_end(&progress.bar);
	if (rc != 0)
		fprintf(stderr, "coseval import: %s\n", err.msg);
	cs_store_close(st);
	if (rc != 0 && st != NULL && !db_existed)
		remove_new_database(db_path);
	return rc;
}

/* Prints the summary line, which starts with what fmt formats (up to 511 bytes); why_skipped says what the
 * skipped records were. */
static void print_stats(const struct cs_import_stats *s, const char *why_skipped, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void print_stats(const struct cs_import_stats *s, const char *why_skipped, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (s->skipped > 0)
		fprintf(stderr, "coseval import: skipped %ld records %s (first at line %ld)\n", s->skipped,
			why_skipped, s->first_skipped_line);
	printf("%s: %ld records, %.1f MB, sha256 %s\n", what, s->records, (double)s->bytes / 1e6, s->sha256);
}

static int import_problems(int argc, char **argv, const char *file)
{
	const char *db = NULL, *dataset = NULL, *profile = NULL, *max_line = NULL, *records = NULL;
	int skip_existing = 0;
	struct cs_list maps = { 0 };
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--dataset", CS_OPT_VALUE, &dataset },
		{ "--profile", CS_OPT_VALUE, &profile }, { "--map", CS_OPT_LIST, &maps },
		{ "--max-line-mb", CS_OPT_VALUE, &max_line }, { "--skip-existing", CS_OPT_FLAG, &skip_existing },
		{ "--records", CS_OPT_VALUE, &records }, { NULL, 0, NULL }
	};
	struct cs_problem_import opt = { 0 };
	struct cs_import_stats stats;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (dataset == NULL) {
		fprintf(stderr, "coseval import problems: --dataset NAME is required\n");
		return 2;
	}
	opt.path = file;
	opt.dataset = dataset;
	opt.profile = profile;
	opt.maps = maps.items;
	opt.nmaps = maps.count;
	opt.skip_existing = skip_existing;
	opt.records = records;
	if (parse_max_line(max_line, &opt.max_line) != 0)
		return 2;
	rc = run_import(db, &opt, NULL, NULL, &stats);
	if (rc != 0)
		return rc;
	print_stats(&stats, "whose problem is already in the dataset", "imported %ld problems into dataset '%s' "
		    "(profile %s, %s) from %s", stats.problems, dataset, stats.profile,
		    stats.profile_from == CS_PROFILE_GUESSED ? "guessed from the dataset name; --profile sets another"
		    : stats.profile_from == CS_PROFILE_STORED ? "the dataset's" : "as asked", file);
	if (stats.warning[0] != '\0')
		fprintf(stderr, "coseval import: warning: %s\n", stats.warning);
	return 0;
}

/* Splits KEY=VALUE tags at the first '=': the key is copied into keys (at most 255 bytes), the value (which may
 * hold any text, commas and '=' included, and be of any length) points into the option. Returns 2 on a
 * malformed one. */
static int parse_tags(const struct cs_list *list, struct cs_tag *tags, char keys[][256])
{
	for (size_t i = 0; i < list->count; i++) {
		const char *eq = strchr(list->items[i], '=');
		if (eq == NULL || eq == list->items[i]) {
			fprintf(stderr, "coseval import: --tag wants KEY=VALUE, got '%s'\n", list->items[i]);
			return 2;
		}
		if (eq - list->items[i] >= 256) {
			fprintf(stderr, "coseval import: --tag: the key '%.40s...' is longer than 255 bytes\n", list->items[i]);
			return 2;
		}
		memcpy(keys[i], list->items[i], (size_t)(eq - list->items[i]));
		keys[i][eq - list->items[i]] = '\0';
		tags[i].key = keys[i];
		tags[i].value = eq + 1;
	}
	return 0;
}

/* Writes what the checks of a sample import found into buf, for its summary: the questions checked and the
 * filter kept. */
static void describe_checks(const struct cs_sample_import *opt, const struct cs_import_stats *s, char *buf,
			    size_t size)
{
	size_t at = 0;

	if (opt->no_question_check)
		at += (size_t)snprintf(buf, size, " (question check off");
	else if (!opt->match_question)
		at += (size_t)snprintf(buf, size, " (question checked in %ld record%s", s->questions_checked,
				       s->questions_checked == 1 ? "" : "s");
	else
		at += (size_t)snprintf(buf, size, " (matched by question");
	if (at < size && s->filters > 0)
		at += (size_t)snprintf(buf + at, size - at, "; filter '%s' kept, %ld record%s of %d other filter%s left "
				       "out", s->filter, s->other_filter, s->other_filter == 1 ? "" : "s", s->filters - 1,
				       s->filters == 2 ? "" : "s");
	if (at < size)
		snprintf(buf + at, size - at, ")");
}

static int import_samples(int argc, char **argv, const char *file)
{
	const char *db = NULL, *run = NULL, *model = NULL, *dataset = NULL, *params = NULL, *price = NULL;
	const char *preset = NULL, *match = NULL, *max_line = NULL, *records = NULL, *filter = NULL;
	int skip_unknown = 0, no_question_check = 0, allow_repeats = 0;
	struct cs_list maps = { 0 }, tag_list = { 0 };
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run }, { "--model", CS_OPT_VALUE, &model },
		{ "--dataset", CS_OPT_VALUE, &dataset }, { "--params", CS_OPT_VALUE, &params },
		{ "--price-out", CS_OPT_VALUE, &price }, { "--preset", CS_OPT_VALUE, &preset },
		{ "--map", CS_OPT_LIST, &maps }, { "--tag", CS_OPT_LIST, &tag_list },
		{ "--skip-unknown", CS_OPT_FLAG, &skip_unknown }, { "--match", CS_OPT_VALUE, &match },
		{ "--max-line-mb", CS_OPT_VALUE, &max_line }, { "--records", CS_OPT_VALUE, &records },
		{ "--filter", CS_OPT_VALUE, &filter }, { "--no-question-check", CS_OPT_FLAG, &no_question_check },
		{ "--allow-repeats", CS_OPT_FLAG, &allow_repeats }, { NULL, 0, NULL }
	};
	static char tag_keys[CS_LIST_MAX][256];
	struct cs_tag tags[CS_LIST_MAX];
	struct cs_sample_import opt = { 0 };
	struct cs_import_stats stats;
	char checks[256];
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (run == NULL || model == NULL || dataset == NULL) {
		fprintf(stderr, "coseval import samples: --run, --model and --dataset are required\n");
		return 2;
	}
	if (parse_match("samples", match, &opt.match_question) != 0)
		return 2;
	if ((params && cs_parse_number("--params", params, &opt.params) != 0) ||
	    (price && cs_parse_number("--price-out", price, &opt.price_out) != 0) ||
	    parse_tags(&tag_list, tags, tag_keys) != 0 || parse_max_line(max_line, &opt.max_line) != 0)
		return 2;
	opt.path = file;
	opt.run = run;
	opt.model = model;
	opt.dataset = dataset;
	opt.preset = preset;
	opt.maps = maps.items;
	opt.nmaps = maps.count;
	opt.tags = tags;
	opt.ntags = tag_list.count;
	opt.skip_unknown = skip_unknown;
	opt.records = records;
	opt.filter = filter;
	opt.no_question_check = no_question_check;
	opt.allow_repeats = allow_repeats;
	rc = run_import(db, NULL, &opt, NULL, &stats);
	if (rc != 0)
		return rc;
	describe_checks(&opt, &stats, checks, sizeof checks);
	print_stats(&stats, "whose problem is unknown", "imported %ld samples of %ld problems into run '%s' from %s%s",
		    stats.samples, stats.problems, run, file, checks);
	return 0;
}

static int import_judgments(int argc, char **argv, const char *file)
{
	const char *db = NULL, *run = NULL, *judge = NULL, *match = NULL, *max_line = NULL;
	int skip_unknown = 0;
	struct cs_list maps = { 0 };
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run }, { "--judge", CS_OPT_VALUE, &judge },
		{ "--map", CS_OPT_LIST, &maps }, { "--match", CS_OPT_VALUE, &match },
		{ "--skip-unknown", CS_OPT_FLAG, &skip_unknown }, { "--max-line-mb", CS_OPT_VALUE, &max_line },
		{ NULL, 0, NULL }
	};
	struct cs_judgment_import opt = { 0 };
	struct cs_import_stats stats;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (run == NULL) {
		fprintf(stderr, "coseval import judgments: --run NAME is required\n");
		return 2;
	}
	if (parse_match("judgments", match, &opt.match_question) != 0 || parse_max_line(max_line, &opt.max_line) != 0)
		return 2;
	opt.path = file;
	opt.run = run;
	opt.judge = judge;
	opt.maps = maps.items;
	opt.nmaps = maps.count;
	opt.skip_unknown = skip_unknown;
	rc = run_import(db, NULL, NULL, &opt, &stats);
	if (rc != 0)
		return rc;
	print_stats(&stats, "whose problem or sample is not in the run", "imported %ld judgments into run '%s' from %s",
		    stats.samples, run, file);
	return 0;
}

static int import_verdicts(int argc, char **argv, const char *file)
{
	const char *db = NULL, *run = NULL, *max_line = NULL;
	const struct cs_opt opts[] = {
		{ "--db", CS_OPT_VALUE, &db }, { "--run", CS_OPT_VALUE, &run },
		{ "--max-line-mb", CS_OPT_VALUE, &max_line }, { NULL, 0, NULL }
	};
	struct cs_verdict_import opt = { 0 };
	struct cs_verdict_counts counts;
	struct cs_import_stats stats;
	struct cs_store *st = NULL;
	struct cs_err err;
	long left;
	int npos, rc;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (run == NULL) {
		fprintf(stderr, "coseval import verdicts: --run NAME is required\n");
		return 2;
	}
	if (parse_max_line(max_line, &opt.max_line) != 0)
		return 2;
	opt.path = file;
	opt.run = run;
	if (strcmp(file, "-") != 0 && access(file, R_OK) != 0)
		rc = cs_fail(&err, CS_INPUT, "%s: cannot open: %s", file, strerror(errno));
	else
		rc = cs_store_open(cs_store_default_path(db), 0, &st, &err);
	if (rc == 0)
		rc = cs_import_verdicts(st, &opt, &stats, &counts, &err);
	cs_store_close(st);
	if (rc != 0) {
		fprintf(stderr, "coseval import: %s\n", err.msg);
		return rc;
	}
	left = counts.samples - stats.samples;
	print_stats(&stats, "", "imported %ld verdicts (%ld correct) into run '%s' from %s, replacing %ld earlier "
		    "grade%s; %ld of the run's %ld samples not in the file (%ld of them ungraded)", stats.samples,
		    counts.correct, run, file, counts.replaced, counts.replaced == 1 ? "" : "s", left, counts.samples,
		    counts.ungraded);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	static const char *const kinds[] = { "problems", "samples", "judgments", "verdicts" };
	const char *kind, *file, *near;

	if (argc < 3 || (argv[2][0] == '-' && argv[2][1] != '\0')) {
		fprintf(stderr, "coseval import: usage: coseval import problems|samples|judgments|verdicts FILE [OPTIONS]; "
			"see 'coseval help import'\n");
		return 2;
	}
	kind = argv[1];
	file = argv[2];
	/* the options follow the kind and the file; argv[2] becomes the name used in messages */
	argv[2] = argv[0];
	if (strcmp(kind, "problems") == 0)
		return import_problems(argc - 2, argv + 2, file);
	if (strcmp(kind, "samples") == 0)
		return import_samples(argc - 2, argv + 2, file);
	if (strcmp(kind, "judgments") == 0)
		return import_judgments(argc - 2, argv + 2, file);
	if (strcmp(kind, "verdicts") == 0)
		return import_verdicts(argc - 2, argv + 2, file);
	near = cs_nearest(kind, kinds, sizeof kinds / sizeof kinds[0]);
	if (near != NULL)
		fprintf(stderr, "coseval import: unknown kind '%s'; did you mean '%s'? (problems, samples, judgments or verdicts)\n",
			kind, near);
	else
		fprintf(stderr, "coseval import: unknown kind '%s' (problems, samples, judgments or verdicts)\n", kind);
	return 2;
}
