/* Dataset profiles (gsm8k, math, generic): where a problem file keeps its id, question, gold answer,
 * solution, subject and level, and how the gold answer is found. */
#ifndef COSEVAL_PROFILE_H
#define COSEVAL_PROFILE_H

#include "grade/grade.h"
#include "ingest/fieldmap.h"
#include "ingest/values.h"

/* The fields of a problem record, in the order cs_problem_fields lists them. */
extern const char *const cs_problem_fields[];
extern const size_t cs_problem_field_count;

/* One problem as read from a file. Strings are owned by the struct; free with cs_problem_clear. */
struct cs_problem {
	char key[256];      /* the problem id: the file's own id field, else the 0-based record index */
	char *question;
	char *gold;
	char *solution;     /* may be NULL */
	char *subject;      /* may be NULL */
	int level;          /* 0 when unknown */
};

/* Guesses a profile from a dataset name: "gsm" in it means gsm8k, "math" means math, else generic. */
enum cs_profile cs_profile_guess(const char *dataset);

/* Fills m (initialised by the caller with cs_problem_fields) with the profile's default paths. */
int cs_profile_problem_defaults(enum cs_profile p, struct cs_fieldmap *m, struct cs_err *err);

/* Reads one problem record under profile p. file and line are for messages; index is the record's
 * 0-based position. Errors name file, line and field (CS_INPUT). */
int cs_profile_read_problem(enum cs_profile p, struct cs_fieldmap *m, cJSON *record, const char *file,
			    long line, long index, struct cs_jvalues *scratch, struct cs_problem *out,
			    struct cs_err *err);

/* Frees the strings of a problem. */
void cs_problem_clear(struct cs_problem *pr);

#endif
