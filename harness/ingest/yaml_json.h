/* Turning YAML text into JSON values (libyaml), so that YAML files are read through the same field paths
 * as JSON ones. */
#ifndef COSEVAL_YAML_JSON_H
#define COSEVAL_YAML_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/error.h"

/* Parses len bytes of YAML text (named name in messages) into *docs, a JSON array holding one value per
 * YAML document, owned by the caller (cJSON_Delete). Mappings become objects (keys must be scalars and
 * unique), sequences arrays; a quoted scalar is a string, a plain one is null (``, `~`, `null`), a
 * boolean (`true`, `false`), an integer (decimal, up to 2^53 in size), a decimal number, or else a string.
 * Anchors and aliases, and nesting deeper than 256 levels, are refused. Errors: CS_INPUT naming the line
 * ("name:12: YAML error: ..."), CS_INTERNAL (out of memory). */
int cs_yaml_to_json(const char *text, size_t len, const char *name, cJSON **docs, struct cs_err *err);

#endif
