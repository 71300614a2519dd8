/* Importing problem files and sample dumps into the store, each file in one transaction. */
#ifndef COSEVAL_IMPORTER_H
#define COSEVAL_IMPORTER_H

#include "ingest/fieldmap.h"
#include "ingest/source.h"
#include "store/store.h"

/* How import problems chose its profile: --profile, a guess from the dataset name, the dataset's own. */
enum cs_profile_from { CS_PROFILE_ASKED, CS_PROFILE_GUESSED, CS_PROFILE_STORED };

/* What an import did, for the summary line. */
struct cs_import_stats {
	long records;        /* records read */
	long problems;       /* problems added, or problems the samples cover */
	long samples;        /* samples added */
	long skipped;        /* records skipped (unknown problem with --skip-unknown) */
	long first_skipped_line;
	long long bytes;
	char sha256[65];
	/* import samples: the records whose question was compared with their problem's (cs_match_check_question);
	 * the filter kept (as the file names it, cut to fit; "" when the records name none), the number of
	 * distinct filters and the records of other filters left out */
	long questions_checked;
	char filter[128];
	int filters;
	long other_filter;
	/* import problems: the profile used, how it was chosen, and a warning for the caller to print ("" for
	 * none) when the golds contradict a guessed profile */
	const char *profile;
	enum cs_profile_from profile_from;
	char warning[512];
};

struct cs_problem_import {
	const char *path;
	const char *dataset;
	const char *profile;       /* NULL: guess from the dataset name, or keep the dataset's profile */
	const char *const *maps;   /* --map options */
	size_t nmaps;
	size_t max_line;           /* 0: default */
	const char *records;       /* --records: the path naming the records of a file that is one JSON document */
	int skip_existing;         /* a problem already in the dataset with the same question and gold answer is
				    * skipped (counted in stats->skipped) instead of refused; one that differs is
				    * still an error */
};

/* Checks the options (profile name, --map syntax) without touching a database: CS_USAGE on a bad one. */
int cs_problem_import_check(const struct cs_problem_import *opt, struct cs_err *err);

/* Imports a problem file into a dataset, all or nothing. Errors: CS_USAGE, CS_INPUT (file, line, field),
 * CS_DB. */
int cs_import_problems(struct cs_store *st, const struct cs_problem_import *opt, struct cs_import_stats *stats,
		       struct cs_err *err);

struct cs_tag {
	const char *key;
	const char *value;
};

struct cs_sample_import {
	const char *path;
	const char *run;
	const char *model;
	const char *dataset;
	double params;             /* 0: unknown */
	double price_out;          /* USD per 1M output tokens; 0: unknown */
	const char *preset;        /* jsonl, csv, lm-eval, openai-batch, vllm, inspect, chat, monkeys; NULL: by the
				    * file name */
	const char *records;       /* --records: the path naming the records of a file that is one JSON document;
				    * NULL: the preset's (inspect: $.samples[*]) */
	const char *const *maps;
	size_t nmaps;
	const struct cs_tag *tags;
	size_t ntags;
	int skip_unknown;
	int match_question;        /* match samples to problems by question text instead of id */
	size_t max_line;
	int no_question_check;     /* do not compare a record's question with its problem's (see
				    * cs_match_check_question) */
	const char *filter;        /* keep the records whose field "filter" (lm-eval: $.filter) is this; NULL: the
				    * first filter in the file. The others must log the same documents (as many
				    * records each) and are left out */
	int allow_repeats;         /* import even when every sample repeats one the run already holds (see
				    * cs_import_samples) */
};

/* Checks the options (preset, --map syntax, --match question) without touching a database: CS_USAGE. */
int cs_sample_import_check(const struct cs_sample_import *opt, struct cs_err *err);

/* Imports a sample dump into a run (created if new), all or nothing. A repeated (run, problem, sample index) is
 * CS_INPUT naming the file and line. Unless allow_repeats, an import into a run that already held samples is
 * refused (CS_INPUT, naming an earlier import) when every sample it adds repeats one the run held, in problem
 * and text, with no (problem, text) pair more often in the file than in the run: the same dump again.
 * Records that name a filter must name each problem once per filter (CS_INPUT naming both lines). An import that adds many rows drops the samples' key (samples_key) inside
 * its transaction and builds it again before the commit (cs_store_drop_samples_key), which takes temporary
 * files in SQLite's temporary directory of about 16 bytes per sample of the database. */
int cs_import_samples(struct cs_store *st, const struct cs_sample_import *opt, struct cs_import_stats *stats,
		      struct cs_err *err);

/* Names of the sample presets, NULL-terminated. */
extern const char *const cs_sample_presets[];

/* How a preset reads its input: *format (CS_FORMAT_CSV for csv, CS_FORMAT_YAML for monkeys, else
 * CS_FORMAT_AUTO) and *records (inspect: "$.samples[*]", else NULL), both static. */
void cs_sample_preset_input(const char *preset, enum cs_format *format, const char **records);

/* Fills m (initialised with the sample fields) with the defaults of a preset. CS_USAGE for an unknown one. */
int cs_sample_preset_defaults(const char *preset, struct cs_fieldmap *m, struct cs_err *err);

/* The field names of a sample record. */
extern const char *const cs_sample_fields[];
extern const size_t cs_sample_field_count;

/* Shared by the importers, inside the caller's transaction: cs_import_begin inserts the import record
 * (its digest and counts are filled in by cs_import_finish) and returns its id; cs_import_finish records
 * the digest and counts and refuses (CS_INPUT) a file whose SHA-256 was already imported of the same kind
 * into the same scope; scope_sql is a condition with one parameter, bound to scope_text when not NULL,
 * else to scope_id. */
int cs_import_begin(struct cs_store *st, const char *kind, const char *dataset, sqlite3_int64 run_id,
		    const char *path, sqlite3_int64 *import_id, struct cs_err *err);
/* Before anything is read: hashes the file at path and refuses (CS_INPUT, the same message as
 * cs_import_finish) when a file with that SHA-256 was already imported of this kind into this scope, so that
 * a repeated import is refused at once rather than after reading it all (or stopping at its first
 * duplicate row). Standard input ("-") and unreadable files pass; cs_import_finish checks again at the end. */
int cs_import_refuse_seen(struct cs_store *st, const char *kind, const char *scope_sql, sqlite3_int64 scope_id,
			  const char *scope_text, const char *path, struct cs_err *err);
int cs_import_finish(struct cs_store *st, sqlite3_int64 import_id, const char *kind, const char *scope_sql,
		     sqlite3_int64 scope_id, const char *scope_text, const char *path,
		     const struct cs_import_stats *stats, struct cs_err *err);

/* Handles one record of a file for cs_import_each; the record is freed after the call. */
typedef int (*cs_import_record_fn)(void *ctx, cJSON *record, struct cs_err *err);

/* What cs_import_each calls after each record when set: records is the number read so far, src the file
 * being read (for cs_source_position). */
typedef void (*cs_import_progress_fn)(void *ctx, const struct cs_source *src, long records);

/* Sets, for every later import in this process, the progress callback (NULL: none) and its ctx; called from
 * the thread that imports, before importing (the --quiet and terminal checks are the caller's). */
void cs_import_set_progress(cs_import_progress_fn fn, void *ctx);

/* Reads the records of src in order, counting each in stats->records and handing it to fn(ctx, ...); stops at
 * the end of the file (CS_OK) or at the first error of the source or of fn, which it returns. */
int cs_import_each(struct cs_source *src, struct cs_import_stats *stats, cs_import_record_fn fn, void *ctx,
		   struct cs_err *err);

/* The end of an import, inside the caller's transaction: with need_one, refuses (CS_INPUT) a file from which
 * nothing was stored (stats->samples is 0), saying "no <kind> imported"; then fills stats->bytes and
 * stats->sha256 from src, calls cs_import_finish and commits. On an error the transaction is left open for
 * the caller to roll back. */
int cs_import_commit(struct cs_store *st, struct cs_source *src, sqlite3_int64 import_id, const char *kind,
		     const char *scope_sql, sqlite3_int64 scope_id, const char *scope_text, const char *path,
		     int need_one, struct cs_import_stats *stats, struct cs_err *err);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" in buf. */
void cs_now_utc(char buf[32]);

/* Judgments: whether a judge (a person or a model) found a sample's reasoning correct. */
struct cs_judgment_import {
	const char *path;
	const char *run;           /* the run whose samples are judged; it must exist */
	const char *judge;         /* names the judge of every record, and then the records' judge field is not
				    * read; NULL: each record names its judge (field "judge") */
	const char *const *maps;   /* --map options over cs_judgment_fields */
	size_t nmaps;
	int skip_unknown;          /* skip (and count) records whose problem or sample is not in the run */
	int match_question;        /* find the problem by question text instead of id */
	size_t max_line;
};

/* The field names of a judgment record: problem, question, index, judge, verdict. Defaults: problem =
 * $.problem_id|$.problem, question = $.question, index = $.sample_index (absent: sample 0), judge = $.judge,
 * verdict = $.reasoning_correct (true/false, 1/0, "correct"/"wrong", "yes"/"no"). */
extern const char *const cs_judgment_fields[];
extern const size_t cs_judgment_field_count;

/* Checks the options (--map syntax, --match question, --judge with --map judge=) without a database:
 * CS_USAGE. */
int cs_judgment_import_check(const struct cs_judgment_import *opt, struct cs_err *err);

/* Imports a judgment file into the run, all or nothing. Each record names an existing sample of the run
 * (problem + sample index) and the judge's verdict on its reasoning; one row per (sample, judge), so
 * several judges are kept apart. The same (sample, judge) twice, in the file or already in the database,
 * is CS_INPUT naming the line; so is the same file (SHA-256) imported into the same run twice. In stats,
 * samples counts the judgments stored and skipped the records skipped under skip_unknown.
 * Errors: CS_USAGE, CS_INPUT (file, line, field), CS_DB. */
int cs_import_judgments(struct cs_store *st, const struct cs_judgment_import *opt, struct cs_import_stats *stats,
			struct cs_err *err);

/* Verdicts: the output of `coseval grade --stream` over the lines of `coseval export stream`, as a run's grades. */
struct cs_verdict_import {
	const char *path;
	const char *run;           /* the run whose samples were graded; it must exist */
	size_t max_line;           /* 0: default */
};

/* What a verdict import found, for its summary. */
struct cs_verdict_counts {
	long correct;              /* verdicts stored that are correct */
	long replaced;             /* samples whose earlier grade the file's verdict replaced */
	long samples;              /* the run's samples */
	long ungraded;             /* the run's samples with no grade after the import */
};

/* Imports a verdict file into the run, all or nothing. Each line is {"id", "answer", "canonical", "verdict",
 * "rule", "reason", "grader_version"}: id is the one `export stream` wrote ("RUN/PROBLEM/INDEX") and must name
 * a sample of the run, at most once in the file; grader_version must be the one `coseval grade` writes for
 * the run (cs_grade_version of its answer pattern). A sample's earlier grade is replaced; the run's samples
 * the file does not name keep theirs (or stay ungraded). The same file (SHA-256) imported into the same run
 * twice is refused. In stats, samples counts the grades stored. Errors: CS_INPUT (file, line, field), CS_DB. */
int cs_import_verdicts(struct cs_store *st, const struct cs_verdict_import *opt, struct cs_import_stats *stats,
		       struct cs_verdict_counts *counts, struct cs_err *err);

#endif
