/* Typed reading of field values, with file:line: field messages on a type mismatch. */
#include "ingest/values.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cs_json_is_int(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9007199254740992.0;
}

long long cs_json_int(const cJSON *v)
{
	return (long long)v->valuedouble;
}

double cs_json_number(const cJSON *v)
{
	return v->valuedouble;
}

size_t cs_json_strlen(const cJSON *v)
{
	return strlen(v->valuestring);
}

const char *cs_value_type(cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsString(v))
		return "a string";
	if (cs_json_is_int(v))
		return "an integer";
	if (cJSON_IsNumber(v))
		return "a real number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

static int wrong_type(cJSON *v, const struct cs_where *w, const char *want, struct cs_err *err)
{
	return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) must be %s, got %s", w->file, w->line,
		       w->field, w->path, want, cs_value_type(v));
}

int cs_value_key(cJSON *v, const struct cs_where *w, char *buf, size_t size, struct cs_err *err)
{
	if (cJSON_IsString(v)) {
		if (cs_json_strlen(v) == 0 || cs_json_strlen(v) >= size)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) must be a non-empty id of at most %zu "
				       "bytes", w->file, w->line, w->field, w->path, size - 1);
		memcpy(buf, cJSON_GetStringValue(v), cs_json_strlen(v) + 1);
		return CS_OK;
	}
	if (cs_json_is_int(v)) {
		snprintf(buf, size, "%lld", cs_json_int(v));
		return CS_OK;
	}
	return wrong_type(v, w, "a string or an integer", err);
}

int cs_value_string(cJSON *v, const struct cs_where *w, const char **s, size_t *len, struct cs_err *err)
{
	if (!cJSON_IsString(v))
		return wrong_type(v, w, "a string", err);
	*s = cJSON_GetStringValue(v);
	*len = cs_json_strlen(v);
	return CS_OK;
}

int cs_value_int(cJSON *v, const struct cs_where *w, long long *out, struct cs_err *err)
{
	if (cs_json_is_int(v)) {
		*out = cs_json_int(v);
		return CS_OK;
	}
	if (cJSON_IsString(v) && cs_json_strlen(v) > 0) {
		char *end;
		errno = 0;
		*out = strtoll(cJSON_GetStringValue(v), &end, 10);
		if (errno == 0 && *end == '\0')
			return CS_OK;
	}
	return wrong_type(v, w, "a whole number", err);
}

int cs_value_bool(cJSON *v, const struct cs_where *w, int *out, struct cs_err *err)
{
	static const char *const yes[] = { "true", "yes", "correct", "1", "True" };
	static const char *const no[] = { "false", "no", "wrong", "incorrect", "0" };

	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v);
		return CS_OK;
	}
	if (cJSON_IsNumber(v) && (v->valuedouble == 0.0 || v->valuedouble == 1.0)) {
		*out = v->valuedouble == 1.0;
		return CS_OK;
	}
	if (cJSON_IsString(v)) {
		for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			if (strcasecmp(cJSON_GetStringValue(v), yes[i]) == 0) {
				*out = 1;
				return CS_OK;
			}
			if (strcasecmp(cJSON_GetStringValue(v), no[i]) == 0) {
				*out = 0;
				return CS_OK;
			}
		}
	}
	return wrong_type(v, w, "true/false or 1/0", err);
}

int cs_value_number(cJSON *v, const struct cs_where *w, double *out, struct cs_err *err)
{
	if (cJSON_IsNumber(v)) {
		*out = cs_json_number(v);
		return CS_OK;
	}
	if (cJSON_IsString(v) && cs_json_strlen(v) > 0) {
		char *end;
		errno = 0;
		*out = strtod(cJSON_GetStringValue(v), &end);
		if (errno == 0 && *end == '\0')
			return CS_OK;
	}
	return wrong_type(v, w, "a number", err);
}
