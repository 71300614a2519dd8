/* Typed reading of field values, with file:line: field messages on a type mismatch. */
#define _GNU_SOURCE /* memmem */
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
	if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble))
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) is a whole number of 2^53 or more (%.17g), which "
			       "a JSON number cannot hold exactly (readers keep it as a double, so nearby ids become "
			       "the same): write the id in quotes, as a string", w->file, w->line, w->field, w->path,
			       v->valuedouble);
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
	static const char *const length_reasons[] = { "length", "max_tokens", "max_length", "max_new_tokens",
							"model_length", NULL };
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

int cs_check_name(const char *what, const char *name, int may_be_empty, int in_lists, struct cs_err *err)
{
	if (name[0] == '\0' && !may_be_empty)
		return cs_fail(err, CS_USAGE, "%s: the name is empty; give a non-empty one", what);
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			return cs_fail(err, CS_USAGE, "%s '%.*s...': a control character (byte 0x%02x at byte %zu; a newline, "
				       "tab or CR) would break the tab-separated and line-based output that shows it; "
				       "remove it", what, (int)(p - name), name, c, (size_t)(p - name));
		if (c == ',' && in_lists)
			return cs_fail(err, CS_USAGE, "%s '%s': a comma cannot be in this name, since lists of names "
				       "(--runs A,B) are split at commas; choose another", what, name);
	}
	return CS_OK;
}

/* One level of the JSON text being scanned by cs_json_check_nul: an object (with the key last read) or an
 * array (with the index of the element being read). */
struct json_level {
	int is_array;
	long index;
	const char *key;  /* into the text, without its quotes; escapes are shown as written */
	size_t keylen;
};

/* Writes the path of levels[0, depth) into buf ("$.doc.question", "$.resps[0][1]"). */
static void json_level_path(const struct json_level *levels, int depth, char *buf, size_t size)
{
	size_t at = (size_t)snprintf(buf, size, "$");

	for (int i = 0; i < depth && at < size; i++) {
		if (levels[i].is_array)
			at += (size_t)snprintf(buf + at, size - at, "[%ld]", levels[i].index);
		else
			at += (size_t)snprintf(buf + at, size - at, ".%.*s", (int)levels[i].keylen, levels[i].key);
	}
}

/* The path of the string that holds byte offset nul of the JSON text (a valid JSON text), into buf. */
static void json_path_at(const char *text, size_t nul, char *buf, size_t size)
{
	struct json_level levels[64];
	int depth = 0, expect_key = 0;

	for (size_t i = 0; i < nul; i++) {
		char c = text[i];

		if (c == '"') {
			size_t start = ++i;
			while (i < nul && text[i] != '"')
				i += text[i] == '\\' ? 2 : 1;
			if (i >= nul)
				break;  /* the escape is in this string */
			if (expect_key && depth > 0 && depth <= 64) {
				levels[depth - 1].key = text + start;
				levels[depth - 1].keylen = i - start;
			}
			expect_key = 0;
		} else if (c == '{' || c == '[') {
			if (depth < 64) {
				levels[depth].is_array = c == '[';
				levels[depth].index = 0;
				levels[depth].key = "";
				levels[depth].keylen = 0;
			}
			depth++;
			expect_key = c == '{';
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ',' && depth > 0 && depth <= 64) {
			if (levels[depth - 1].is_array)
				levels[depth - 1].index++;
			else
				expect_key = 1;
		}
	}
	json_level_path(levels, depth < 64 ? depth : 64, buf, size);
}

int cs_json_check_nul(const char *text, size_t len, const char *file, long line, struct cs_err *err)
{
	const char *at = text, *end = text + len;
	char path[256];

	/* the text of the escape; it is one when the backslashes before it pair up (in \\u0000 the two
	 * backslashes are one escaped backslash, and u0000 is text) */
	while ((at = memmem(at, (size_t)(end - at), "\\u0000", 6)) != NULL) {
		size_t before = 0;
		while (at - before > text && at[-(long)before - 1] == '\\')
			before++;
		if (before % 2 == 0)
			break;
		at += 6;
	}
	if (at == NULL)
		return CS_OK;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	json_path_at(text, (size_t)(at - text), path, sizeof path);
	return cs_fail(err, CS_INPUT, "%s:%ld: field %s holds a NUL character (\\u0000), which coseval cannot keep: the "
		       "text would end there; remove it or replace it in the file", file, line, path);
}

/* The length of the JSON number at p (at most end - p bytes) when it is written as JSON allows
 * (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), else 0. */
static size_t json_number_length(const char *p, const char *end)
{
	const char *q = p;

	if (q < end && *q == '-')
		q++;
	if (q >= end || *q < '0' || *q > '9')
		return 0;
	if (*q == '0')
		q++;
	else
		while (q < end && *q >= '0' && *q <= '9')
			q++;
	if (q < end && *q == '.') {
		const char *digits = ++q;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q == digits)
			return 0;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		const char *digits;
		q++;
		if (q < end && (*q == '+' || *q == '-'))
			q++;
		digits = q;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q == digits)
			return 0;
	}
	/* what cJSON read as the number goes on ("007", "1.", "-.5"): not JSON */
	if (q < end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' || *q == '+' || *q == '-'))
		return 0;
	return (size_t)(q - p);
}

int cs_json_check_numbers(const char *text, size_t len, const char *file, long line, struct cs_err *err)
{
	const char *p = text, *end = text + len, *bad;
	size_t column;

	while (p < end) {
		char c = *p;

		if (c == '"') {
			/* to the closing quote: one not escaped, that is with an even run of backslashes before it */
			const char *q = p + 1;
			for (;;) {
				size_t run = 0;
				q = memchr(q, '"', (size_t)(end - q));
				if (q == NULL)
					return CS_OK; /* not valid JSON: the parser has said so already */
				while (q - run > p + 1 && q[-(long)run - 1] == '\\')
					run++;
				if (run % 2 == 0)
					break;
				q++;
			}
			p = q + 1;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t n = json_number_length(p, end);
			if (n == 0)
				goto bad;
			p += n;
		} else {
			p++;
		}
	}
	return CS_OK;
bad:
	bad = p;
	for (p = text; p < bad; p++) {
		if (*p == '\n') {
			line++;
			text = p + 1;
		}
	}
	column = (size_t)(bad - text) + 1;
	return cs_fail(err, CS_INPUT, "%s:%ld: malformed JSON at column %zu near '%.*s': a JSON number has no "
		       "leading zero (007) and has digits after its point (1.0, not 1.); write the value as a "
		       "string in quotes, or as a JSON number", file, line, column,
		       (int)(end - bad < 20 ? end - bad : 20), bad);
}
