/* Typed reading of field values, with file:line: field messages on a type mismatch. */
#include "ingest/values.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *cs_value_type(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int wrong_type(json_t *v, const struct cs_where *w, const char *want, struct cs_err *err)
{
	return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) must be %s, got %s", w->file, w->line,
		       w->field, w->path, want, cs_value_type(v));
}

int cs_value_key(json_t *v, const struct cs_where *w, char *buf, size_t size, struct cs_err *err)
{
	if (json_is_string(v)) {
		if (json_string_length(v) == 0 || json_string_length(v) >= size)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) must be a non-empty id of at most %zu "
				       "bytes", w->file, w->line, w->field, w->path, size - 1);
		memcpy(buf, json_string_value(v), json_string_length(v) + 1);
		return CS_OK;
	}
	if (json_is_integer(v)) {
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return CS_OK;
	}
	return wrong_type(v, w, "a string or an integer", err);
}

int cs_value_string(json_t *v, const struct cs_where *w, const char **s, size_t *len, struct cs_err *err)
{
	if (!json_is_string(v))
		return wrong_type(v, w, "a string", err);
	*s = json_string_value(v);
	*len = json_string_length(v);
	return CS_OK;
}

int cs_value_int(json_t *v, const struct cs_where *w, long long *out, struct cs_err *err)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return CS_OK;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 9e15) {
			*out = (long long)d;
			return CS_OK;
		}
	}
	if (json_is_string(v) && json_string_length(v) > 0) {
		char *end;
		errno = 0;
		*out = strtoll(json_string_value(v), &end, 10);
		if (errno == 0 && *end == '\0')
			return CS_OK;
	}
	return wrong_type(v, w, "a whole number", err);
}

int cs_value_bool(json_t *v, const struct cs_where *w, int *out, struct cs_err *err)
{
	static const char *const yes[] = { "true", "yes", "correct", "1", "True" };
	static const char *const no[] = { "false", "no", "wrong", "incorrect", "0" };

	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return CS_OK;
	}
	if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
		*out = (int)json_integer_value(v);
		return CS_OK;
	}
	if (json_is_real(v) && (json_real_value(v) == 0.0 || json_real_value(v) == 1.0)) {
		*out = json_real_value(v) == 1.0;
		return CS_OK;
	}
	if (json_is_string(v)) {
		for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			if (strcasecmp(json_string_value(v), yes[i]) == 0) {
				*out = 1;
				return CS_OK;
			}
			if (strcasecmp(json_string_value(v), no[i]) == 0) {
				*out = 0;
				return CS_OK;
			}
		}
	}
	return wrong_type(v, w, "true/false or 1/0", err);
}

int cs_value_number(json_t *v, const struct cs_where *w, double *out, struct cs_err *err)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return CS_OK;
	}
	if (json_is_string(v) && json_string_length(v) > 0) {
		char *end;
		errno = 0;
		*out = strtod(json_string_value(v), &end);
		if (errno == 0 && *end == '\0')
			return CS_OK;
	}
	return wrong_type(v, w, "a number", err);
}
