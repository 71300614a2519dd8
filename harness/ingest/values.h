/* Converting the JSON values a field yields into the types the store keeps, with messages that name
 * the file, line and field when a value has the wrong type. */
#ifndef COSEVAL_VALUES_H
#define COSEVAL_VALUES_H

#include <jansson.h>
#include <stddef.h>

#include "util/error.h"

/* Where a value came from, for messages. */
struct cs_where {
	const char *file;
	long line;
	const char *field;
	const char *path;
};

/* A problem id: a string as is, or an integer in decimal, written into buf (size bytes). */
int cs_value_key(json_t *v, const struct cs_where *w, char *buf, size_t size, struct cs_err *err);

/* A string: *s borrows the value's bytes (valid while the record lives), *len its length. */
int cs_value_string(json_t *v, const struct cs_where *w, const char **s, size_t *len, struct cs_err *err);

/* A whole number: a JSON integer, a real with no fractional part, or (from CSV) a decimal string. */
int cs_value_int(json_t *v, const struct cs_where *w, long long *out, struct cs_err *err);

/* A yes/no label: true/false, 0/1, or the strings true/false, yes/no, correct/wrong, 1/0. */
int cs_value_bool(json_t *v, const struct cs_where *w, int *out, struct cs_err *err);

/* A non-negative number such as 9e9: a JSON number or a decimal string. */
int cs_value_number(json_t *v, const struct cs_where *w, double *out, struct cs_err *err);

/* The name of v's JSON type ("string", "integer", "object", ...). */
const char *cs_value_type(json_t *v);

#endif
