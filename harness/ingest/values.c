/* Typed reading of field values, with file:line: field messages on a type mismatch. */
#include "ingest/values.h"

#include <errno.h>
#include <math.h>
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

/* Writes n in decimal into buf (size bytes, truncated like snprintf): what "%lld" writes, without the cost of
 * snprintf, since every record of a sample file names its problem this way. */
static void format_int(long long n, char *buf, size_t size)
{
	char digits[24];
	size_t len, at = sizeof digits;
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	do {
		digits[--at] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (n < 0)
		digits[--at] = '-';
	if (size == 0)
		return;
	len = sizeof digits - at < size - 1 ? sizeof digits - at : size - 1;
	memcpy(buf, digits + at, len);
	buf[len] = '\0';
}

int cs_value_key(cJSON *v, const struct cs_where *w, char *buf, size_t size, struct cs_err *err)
{
	if (cJSON_IsString(v)) {
		size_t len = cs_json_strlen(v);
		if (len == 0 || len >= size)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) must be a non-empty id of at most %zu "
				       "bytes", w->file, w->line, w->field, w->path, size - 1);
		memcpy(buf, cJSON_GetStringValue(v), len + 1);
		return CS_OK;
	}
	if (cs_json_is_int(v)) {
		format_int(cs_json_int(v), buf, size);
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

int cs_value_stopped(cJSON *v, const struct cs_where *w, int *stopped, struct cs_err *err)
{
	static const char *const length_reasons[] = { "length", "max_tokens", "max_length", "max_new_tokens", NULL };
	const char *s = NULL;
	size_t len = 0;
	int rc = cs_value_string(v, w, &s, &len, err);

	if (rc != CS_OK)
		return rc;
	if (len == 0)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"finish\" (%s) is empty", w->file, w->line, w->path);
	*stopped = 0;
	for (int k = 0; length_reasons[k] != NULL; k++)
		if (strcmp(s, length_reasons[k]) == 0)
			*stopped = 1;
	return CS_OK;
}
