/* Field maps: for each named field of a record (problem, text, tokens, ...), the JSON paths or CSV
 * columns it is read from. Defaults come from a preset or a dataset profile; --map FIELD=PATH overrides. */
#ifndef COSEVAL_FIELDMAP_H
#define COSEVAL_FIELDMAP_H

#include "ingest/jpath.h"
#include "ingest/source.h"
#include "ingest/values.h"

#define CS_FIELD_MAX_PATHS 6
#define CS_FIELDMAP_MAX 12

struct cs_field {
	const char *name;                           /* static */
	struct cs_jpath paths[CS_FIELD_MAX_PATHS];  /* candidates, first present wins; owned */
	size_t npaths;
	int explicit_map;                           /* set by --map: then it must be present in every record */
};

struct cs_fieldmap {
	struct cs_field fields[CS_FIELDMAP_MAX];
	size_t count;
};

/* Initialises m with the given field names (static strings), all unmapped. */
void cs_fieldmap_init(struct cs_fieldmap *m, const char *const *names, size_t count);

/* Sets the default candidate paths of field name from a '|'-separated list ("$.unique_id|$.idx"). */
int cs_fieldmap_default(struct cs_fieldmap *m, const char *name, const char *paths, struct cs_err *err);

/* Applies one --map option "FIELD=PATH": replaces the candidates of FIELD by PATH and marks it explicit.
 * An unknown field or a bad path is CS_USAGE, naming the known fields. */
int cs_fieldmap_option(struct cs_fieldmap *m, const char *option, struct cs_err *err);

/* Returns the field called name; name must be one given to cs_fieldmap_init. */
struct cs_field *cs_fieldmap_get(struct cs_fieldmap *m, const char *name);

/* Evaluates a field on a record: tries each candidate path; *path_used is the path that matched (or the
 * first when none did), *missing is set when none matched. A value that a re(...) pattern does not match
 * stops the search: out->unmatched is set (with *missing) and *path_used names that path. */
int cs_field_eval(const struct cs_field *f, cJSON *record, long index, struct cs_jvalues *out,
		  int *missing, const char **path_used);

/* After cs_field_eval: refuses (CS_INPUT) a record in which a member the field's path looked up occurs twice
 * in one object (out->duplicate), naming w's file and line, the field, its path and the key, and saying to
 * keep one of them; CS_OK when there is none. */
int cs_field_check_duplicate(const struct cs_jvalues *out, const struct cs_where *w, struct cs_err *err);

/* Before the first record of a CSV file: refuses (CS_INPUT, naming file at line 1, the field and the column) a
 * column that the header names more than once and that a path of a mapped field reads (its first step);
 * a repeated column that no field reads is allowed. Other formats pass. */
int cs_fieldmap_check_header(const struct cs_fieldmap *m, const struct cs_source *src, const char *file,
			     struct cs_err *err);

/* Frees the paths. */
void cs_fieldmap_free(struct cs_fieldmap *m);

#endif
