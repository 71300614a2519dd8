/* Matching the records of a sample or judgment file to the problems of a dataset: fields read through a
 * field map, the problem found by id or by question text, unknown problems skipped and counted. */
#ifndef COSEVAL_MATCH_H
#define COSEVAL_MATCH_H

#include "ingest/importer.h"
#include "ingest/values.h"
#include "util/strmap.h"

/* The first two fields of every matched record kind: its field list starts "problem", "question". */
enum { CS_MATCH_PROBLEM = 0, CS_MATCH_QUESTION = 1 };

/* The state shared by the sample and judgment importers: set up by cs_match_init, released by
 * cs_match_free. */
struct cs_match {
	struct cs_source *src;                    /* the file being read; owned (closed by cs_match_free) */
	struct cs_fieldmap map;                   /* owned */
	struct cs_jvalues vals[CS_FIELDMAP_MAX];  /* field f's values on the current record; owned */
	struct cs_strmap problems;                /* problem key, or normalised question, -> problems.id; owned */
	long nproblems;                           /* problems loaded by cs_match_load_problems */
	sqlite3_int64 max_problem_id;             /* their largest id */
	int by_question;                          /* find the problem by question text instead of id */
	int skip_unknown;                         /* count records of unknown problems as skipped */
	const char *dataset;                      /* set by cs_match_load_problems; borrowed */
	const char *run;                          /* when not NULL, named in the unknown-problem message */
	int hint_match;                           /* the unknown-problem message suggests --match question
						   * (when matching by id) */
	const char *single;                       /* NULL: a field may yield a list (sample texts); else each
						   * field names one value, a lone null counts as absent, and
						   * more values are refused as "a <single> record names one" */
	struct cs_import_stats *stats;            /* skipped and first_skipped_line count here; borrowed */
	int load_questions;                       /* cs_match_load_problems also keeps each problem's question,
						   * for cs_match_check_question */
	char **questions;                         /* per problems.id (0 .. max_problem_id): its normalised
						   * question, NULL when it has none; owned */
};

/* Initialises m: no source, an empty field map for the caller to fill, no problems, the given options and
 * stats (borrowed); single, run and hint_match off for the caller to set. */
void cs_match_init(struct cs_match *m, int by_question, int skip_unknown, struct cs_import_stats *stats);

/* Frees the owned members; m may be initialised again. */
void cs_match_free(struct cs_match *m);

/* Loads the problems of dataset (borrowed into m->dataset) into m->problems, keyed by problem id or, under
 * by_question, by normalised question text; sets nproblems and max_problem_id. Errors: CS_DB, CS_INTERNAL
 * (out of memory). */
int cs_match_load_problems(struct cs_match *m, struct cs_store *st, const char *dataset, struct cs_err *err);

/* Refuses (CS_INPUT, naming path and the field) a field whose first path reads a column that the CSV header
 * of m->src lacks; a JSON source has every column. */
int cs_match_check_column(const struct cs_match *m, size_t f, const char *path, struct cs_err *err);

/* Evaluates field f of record into m->vals[f] and points w->field and w->path at it; *missing tells whether
 * it is absent (or null). A field mapped with --map must be present: CS_INPUT naming w's file and line. */
int cs_match_eval(struct cs_match *m, size_t f, cJSON *record, int *missing, struct cs_where *w,
		  struct cs_err *err);

/* Checks that the question a record carries (the values of its question field, joined by a newline) is the
 * question of the problem it was matched to: after normalising both (cs_text_normalize), the problem's text
 * equals the record's or is contained in it (a prompt holds the question among other text). Needs
 * load_questions. *checked is 1 when the check was made, 0 when there was nothing to compare: the field is
 * absent, or the problem has no question, or the field was read from a default path and is not text (the
 * jsonl preset's $.problem may be an id). A mismatch is CS_INPUT naming w's file and line, the problem id key
 * and both texts; a question mapped with --map that is not a string is CS_INPUT too. */
int cs_match_check_question(struct cs_match *m, cJSON *record, sqlite3_int64 problem_id, const char *key,
			    struct cs_where *w, int *checked, struct cs_err *err);

/* Counts a record skipped at line (under skip_unknown). */
void cs_match_skip(struct cs_match *m, long line);

/* Finds the problem a record names by its problem field (or its question field under by_question), which
 * must be present. key (keysize bytes) gets the id, or the start of the question, for messages. An unknown
 * problem is refused (CS_INPUT naming the dataset, and m->run) unless skip_unknown: then the record is counted
 * as skipped and *problem_id is 0. Errors: CS_INPUT, CS_INTERNAL. */
int cs_match_problem(struct cs_match *m, cJSON *record, struct cs_where *w, sqlite3_int64 *problem_id, char *key,
		     size_t keysize, struct cs_err *err);

#endif
