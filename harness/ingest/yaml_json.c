/* YAML text to cJSON values through libyaml's event parser, with scalars typed as in YAML's core schema. */
#include "ingest/yaml_json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 256

/* The parser and what a failure needs for its message. */
struct yaml_reader {
	yaml_parser_t parser;
	const char *name;
};

/* Fills err from the parser's error. */
static int parser_fail(struct yaml_reader *y, struct cs_err *err)
{
	if (y->parser.error == YAML_MEMORY_ERROR)
		return cs_fail(err, CS_INTERNAL, "%s: out of memory reading YAML", y->name);
	return cs_fail(err, CS_INPUT, "%s:%zu: YAML error: %s%s%s", y->name, y->parser.problem_mark.line + 1,
		       y->parser.problem ? y->parser.problem : "cannot parse",
		       y->parser.context ? " " : "", y->parser.context ? y->parser.context : "");
}

/* Reads the next event into ev. */
static int next_event(struct yaml_reader *y, yaml_event_t *ev, struct cs_err *err)
{
	if (!yaml_parser_parse(&y->parser, ev))
		return parser_fail(y, err);
	return CS_OK;
}

/* 1 when s is a decimal integer without a leading zero (or "0"), with an optional sign. */
static int is_int_text(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s) || (s[0] == '0' && s[1] != '\0'))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* 1 when s is a decimal number with a fraction or an exponent and no leading zero before another digit:
 * 1.5, .5, 2., 1e3, -1.5E-2 (not 007, 00.5). */
static int is_float_text(const char *s)
{
	int digits = 0, marked = 0;

	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && isdigit((unsigned char)s[1]))
		return 0;
	while (isdigit((unsigned char)*s)) {
		s++;
		digits++;
	}
	if (*s == '.') {
		marked = 1;
		s++;
		while (isdigit((unsigned char)*s)) {
			s++;
			digits++;
		}
	}
	if (digits == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		marked = 1;
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return marked && *s == '\0';
}

/* The JSON value of a scalar event: quoted or tagged !!str is a string, a plain one is typed. */
static cJSON *scalar_value(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (tag != NULL && strcmp(tag, YAML_STR_TAG) == 0))
		return cJSON_CreateString(s);
	if (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0)
		return cJSON_CreateNull();
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0)
		return cJSON_CreateTrue();
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return cJSON_CreateFalse();
	if (is_int_text(s)) {
		/* beyond 2^53 a double no longer holds every integer: such a number stays text */
		double v = strtod(s, NULL);
		if (v <= 9007199254740992.0 && v >= -9007199254740992.0)
			return cJSON_CreateNumber(v);
		return cJSON_CreateString(s);
	}
	if (is_float_text(s))
		return cJSON_CreateNumber(strtod(s, NULL));
	return cJSON_CreateString(s);
}

static int read_value(struct yaml_reader *y, yaml_event_t *ev, int depth, cJSON **out, struct cs_err *err);

/* Reads the items of a sequence (after its start event) into an array. */
static int read_sequence(struct yaml_reader *y, int depth, cJSON *array, struct cs_err *err)
{
	for (;;) {
		yaml_event_t ev;
		cJSON *item = NULL;
		int rc = next_event(y, &ev, err);

		if (rc != CS_OK)
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return CS_OK;
		}
		rc = read_value(y, &ev, depth + 1, &item, err);
		yaml_event_delete(&ev);
		if (rc != CS_OK)
			return rc;
		cJSON_AddItemToArray(array, item);
	}
}

/* Reads the key/value pairs of a mapping (after its start event) into an object. */
static int read_mapping(struct yaml_reader *y, int depth, cJSON *object, struct cs_err *err)
{
	for (;;) {
		yaml_event_t ev;
		cJSON *value = NULL;
		char *key = NULL;
		size_t line;
		int rc = next_event(y, &ev, err);

		if (rc != CS_OK)
			return rc;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return CS_OK;
		}
		line = ev.start_mark.line + 1;
		if (ev.type != YAML_SCALAR_EVENT) {
			yaml_event_delete(&ev);
			return cs_fail(err, CS_INPUT, "%s:%zu: a YAML mapping key that is not a plain value is not "
				       "supported", y->name, line);
		}
		key = strdup((const char *)ev.data.scalar.value);
		yaml_event_delete(&ev);
		if (key == NULL)
			return cs_fail(err, CS_INTERNAL, "out of memory");
		if (cJSON_GetObjectItemCaseSensitive(object, key) != NULL) {
			rc = cs_fail(err, CS_INPUT, "%s:%zu: YAML key '%s' appears twice in one mapping", y->name, line,
				     key);
			free(key);
			return rc;
		}
		rc = next_event(y, &ev, err);
		if (rc == CS_OK) {
			rc = read_value(y, &ev, depth + 1, &value, err);
			yaml_event_delete(&ev);
		}
		if (rc == CS_OK)
			cJSON_AddItemToObject(object, key, value);
		free(key);
		if (rc != CS_OK)
			return rc;
	}
}

/* Reads the value that starts with event ev into *out (owned by the caller). */
static int read_value(struct yaml_reader *y, yaml_event_t *ev, int depth, cJSON **out, struct cs_err *err)
{
	size_t line = ev->start_mark.line + 1;
	int rc = CS_OK;

	*out = NULL;
	if (depth > MAX_DEPTH)
		return cs_fail(err, CS_INPUT, "%s:%zu: YAML nested deeper than %d levels", y->name, line, MAX_DEPTH);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor != NULL)
			goto anchor;
		/* a NUL character ("\0" in a quoted scalar) would cut the value there without a word */
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length) != NULL)
			return cs_fail(err, CS_INPUT, "%s:%zu: a YAML value holds a NUL character", y->name, line);
		*out = scalar_value(ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor != NULL)
			goto anchor;
		*out = cJSON_CreateArray();
		if (*out != NULL)
			rc = read_sequence(y, depth, *out, err);
		break;
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor != NULL)
			goto anchor;
		*out = cJSON_CreateObject();
		if (*out != NULL)
			rc = read_mapping(y, depth, *out, err);
		break;
	case YAML_ALIAS_EVENT:
		goto anchor;
	default:
		return cs_fail(err, CS_INPUT, "%s:%zu: unexpected YAML structure", y->name, line);
	}
	if (rc == CS_OK && *out == NULL)
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
	if (rc != CS_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
anchor:
	return cs_fail(err, CS_INPUT, "%s:%zu: YAML anchors and aliases (& and *) are not supported; write the "
		       "values out in full", y->name, line);
}

int cs_yaml_to_json(const char *text, size_t len, const char *name, cJSON **docs, struct cs_err *err)
{
	struct yaml_reader y;
	yaml_event_t ev;
	int have_event = 0;
	int rc = CS_OK;

	*docs = NULL;
	memset(&y, 0, sizeof y);
	y.name = name;
	if (!yaml_parser_initialize(&y.parser))
		return cs_fail(err, CS_INTERNAL, "out of memory");
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)text, len);
	*docs = cJSON_CreateArray();
	if (*docs == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (;;) {
		cJSON *doc = NULL;

		rc = next_event(&y, &ev, err);
		if (rc != CS_OK)
			goto done;
		have_event = 1;
		if (ev.type == YAML_STREAM_END_EVENT)
			break;
		if (ev.type != YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			have_event = 0;
			continue;
		}
		yaml_event_delete(&ev);
		have_event = 0;
		rc = next_event(&y, &ev, err);
		if (rc != CS_OK)
			goto done;
		have_event = 1;
		rc = read_value(&y, &ev, 0, &doc, err);
		if (rc != CS_OK)
			goto done;
		cJSON_AddItemToArray(*docs, doc);
		yaml_event_delete(&ev);
		have_event = 0;
		/* the document end */
		rc = next_event(&y, &ev, err);
		if (rc != CS_OK)
			goto done;
		yaml_event_delete(&ev);
	}
done:
	if (have_event)
		yaml_event_delete(&ev);
	yaml_parser_delete(&y.parser);
	if (rc != CS_OK) {
		cJSON_Delete(*docs);
		*docs = NULL;
	}
	return rc;
}
