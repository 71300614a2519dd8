/* Converting the JSON values a field yields into the types the store keeps, with messages that name
 * the file, line and field when a value has the wrong type. */
#ifndef COSEVAL_VALUES_H
#define COSEVAL_VALUES_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/error.h"

/* Where a value came from, for messages. */
struct cs_where {
	const char *file;
	long line;
	const char *field;
	const char *path;
};

/* A problem id: a string as is, or an integer in decimal, written into buf (size bytes). A whole number of
 * 2^53 or more, which a double does not hold exactly, is refused with a message that says to quote it. */
int cs_value_key(cJSON *v, const struct cs_where *w, char *buf, size_t size, struct cs_err *err);

/* A string: *s borrows the value's bytes (valid while the record lives), *len its length. */
int cs_value_string(cJSON *v, const struct cs_where *w, const char **s, size_t *len, struct cs_err *err);

/* A whole number: a JSON integer, a real with no fractional part, or (from CSV) a decimal string. */
int cs_value_int(cJSON *v, const struct cs_where *w, long long *out, struct cs_err *err);

/* A yes/no label: true/false, 0/1, or the strings true/false, yes/no, correct/wrong, 1/0. */
int cs_value_bool(cJSON *v, const struct cs_where *w, int *out, struct cs_err *err);

/* A finish reason (a non-empty string): *stopped is 1 when the generator stopped the sample at its length limit
 * ("length", "max_tokens", "max_length", "max_new_tokens", inspect_ai's "model_length"), 0 for any other reason
 * ("stop", "eos", ...). */
int cs_value_stopped(cJSON *v, const struct cs_where *w, int *stopped, struct cs_err *err);

/* A non-negative number such as 9e9: a JSON number or a decimal string. */
int cs_value_number(cJSON *v, const struct cs_where *w, double *out, struct cs_err *err);

/* Checks a name given on the command line (what says which, for the message: "--run", "--tag key"): a
 * control character (a byte below 0x20, such as a newline, tab or CR, or 0x7f) is refused, and so is an
 * empty name unless may_be_empty; with in_lists, so is a comma, since lists of such names (--runs A,B) are
 * split at commas. Returns CS_OK or CS_USAGE with a message that says what to do. */
int cs_check_name(const char *what, const char *name, int may_be_empty, int in_lists, struct cs_err *err);

/* Looks for a NUL character written as an escape (\u0000) inside a string of the JSON text [text, text + len),
 * which a C string cannot hold: the value would be cut there without a word. Returns CS_OK when there is
 * none, else CS_INPUT naming file, the line of the escape (line is that of the text's first byte, so the
 * line is counted from it) and the field it is in, as a path ($.doc.question, $.resps[0][1]). Cheap when
 * the text holds no "\u0000". */
int cs_json_check_nul(const char *text, size_t len, const char *file, long line, struct cs_err *err);

/* Checks the numbers of a JSON text [text, text + len) that cJSON has parsed: cJSON reads some that JSON does
 * not allow, as their strtod value (007 as 7, 1. as 1, -.5 as -0.5), so that an id written 007 would silently
 * be problem 7. Returns CS_OK, or CS_INPUT naming file, the line (line is that of the text's first byte) and
 * the column of the first such number. One pass that skips strings with memchr. */
int cs_json_check_numbers(const char *text, size_t len, const char *file, long line, struct cs_err *err);

/* The name of v's JSON type ("a string", "an integer", "an object", ...). */
const char *cs_value_type(cJSON *v);

/* 1 when v is a number with no fractional part that a double holds exactly (|v| < 2^53). */
int cs_json_is_int(const cJSON *v);
/* v's value as a whole number (call after cs_json_is_int). */
long long cs_json_int(const cJSON *v);
/* v's value as a double. */
double cs_json_number(const cJSON *v);
/* The byte length of a string value. */
size_t cs_json_strlen(const cJSON *v);

#endif
