/* Parsing and evaluating the small JSON path language of field maps. */
#include "ingest/jpath.h"
#include "ingest/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends a step of kind to path, with a copy of key (keylen bytes) for a key step; returns 0, or -1 when out
 * of memory. */
static int add_step(struct cs_jpath *path, enum cs_jstep_kind kind, const char *key, size_t keylen,
		    long index)
{
	struct cs_jstep *grown = realloc(path->steps, (path->nsteps + 1) * sizeof *grown);

	if (grown == NULL)
		return -1;
	path->steps = grown;
	grown[path->nsteps].kind = kind;
	grown[path->nsteps].index = index;
	grown[path->nsteps].key = NULL;
	grown[path->nsteps].value = NULL;
	grown[path->nsteps].pick = 0;
	if (kind == CS_JSTEP_KEY) {
		grown[path->nsteps].key = strndup(key, keylen);
		if (grown[path->nsteps].key == NULL)
			return -1;
	}
	path->nsteps++;
	return 0;
}

/* Adds the key step of a double-quoted name that starts at *p (a '"' before end) and moves *p past its
 * closing quote. Returns 0, 1 when the quote is not closed, or -1 when out of memory. */
static int add_quoted_key(struct cs_jpath *path, const char **p, const char *end)
{
	const char *open = *p;
	const char *close = memchr(open + 1, '"', (size_t)(end - open - 1));

	if (close == NULL)
		return 1;
	if (add_step(path, CS_JSTEP_KEY, open + 1, (size_t)(close - open - 1), 0) != 0)
		return -1;
	*p = close + 1;
	return 0;
}

/* Reads an array index at *p: digits, or a minus sign and digits other than 0 (from the end), at most 9 of
 * them, into *index; moves *p past it. Returns 0, or 1 when there is none. */
static int parse_index(const char **p, const char *end, long *index)
{
	const char *q = *p, *digits;
	int negative = 0;

	*index = 0;
	if (q < end && *q == '-') {
		negative = 1;
		q++;
	}
	digits = q;
	while (q < end && *q >= '0' && *q <= '9' && q - digits < 9)
		*index = *index * 10 + (*q++ - '0');
	if (q == digits || (negative && *index == 0))
		return 1;
	if (negative)
		*index = -*index;
	*p = q;
	return 0;
}

/* Adds the filter step `[?KEY=VALUE]` whose '?' is at *p (just after the '['), with an index that follows it at
 * once (`[?KEY=VALUE][N]`), and moves *p past its last ']'. VALUE is bare (up to the ']') or double-quoted
 * (no escapes). Without an index the filter is the path's one list step. Returns 0, 1 when it is malformed,
 * or -1 when out of memory. */
static int add_filter(struct cs_jpath *path, const char **p, const char *end)
{
	const char *key = *p + 1, *eq = key, *value, *value_end, *q;
	struct cs_jstep *step;

	while (eq < end && *eq != '=' && *eq != ']' && *eq != '[' && *eq != '"')
		eq++;
	if (eq == key || eq >= end || *eq != '=')
		return 1;
	value = eq + 1;
	if (value < end && *value == '"') {
		value++;
		value_end = memchr(value, '"', (size_t)(end - value));
		if (value_end == NULL)
			return 1;
		q = value_end + 1;
	} else {
		value_end = value;
		while (value_end < end && *value_end != ']' && *value_end != '[' && *value_end != '"')
			value_end++;
		if (value_end == value)
			return 1;
		q = value_end;
	}
	if (q >= end || *q != ']')
		return 1;
	q++;
	if (add_step(path, CS_JSTEP_FILTER, NULL, 0, 0) != 0)
		return -1;
	step = &path->steps[path->nsteps - 1];
	step->key = strndup(key, (size_t)(eq - key));
	step->value = strndup(value, (size_t)(value_end - value));
	if (step->key == NULL || step->value == NULL)
		return -1;
	if (q + 1 < end && *q == '[' && (q[1] == '-' || (q[1] >= '0' && q[1] <= '9'))) {
		q++;
		if (parse_index(&q, end, &step->index) != 0 || q >= end || *q != ']')
			return 1;
		q++;
		step->pick = 1;
	} else {
		if (path->has_all)
			return 1;
		path->has_all = 1;
	}
	*p = q;
	return 0;
}

/* Reads the double-quoted separator of join(PATH, "SEP") from [p, end) into a new string; NULL when it is
 * malformed or memory runs out (*oom says which). */
static char *parse_separator(const char *p, const char *end, int *oom)
{
	char *sep, *out;

	*oom = 0;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - p < 2 || *p != '"' || end[-1] != '"')
		return NULL;
	sep = malloc((size_t)(end - p));
	if (sep == NULL) {
		*oom = 1;
		return NULL;
	}
	out = sep;
	for (p++, end--; p < end; p++) {
		if (*p == '"')
			goto bad;
		if (*p != '\\') {
			*out++ = *p;
			continue;
		}
		if (++p == end)
			goto bad;
		switch (*p) {
		case 'n': *out++ = '\n'; break;
		case 't': *out++ = '\t'; break;
		case '"': *out++ = '"'; break;
		case '\\': *out++ = '\\'; break;
		default: goto bad;
		}
	}
	*out = '\0';
	return sep;
bad:
	free(sep);
	return NULL;
}

/* Parses join(PATH) or join(PATH, "SEP"). */
static int parse_join(const char *text, struct cs_jpath *path, struct cs_err *err)
{
	size_t len = strlen(text);
	const char *inner = text + 5, *end = text + len - 1, *comma = NULL;
	char *inner_text = NULL, *sep = NULL, *full = NULL;
	int quoted = 0, oom = 0;
	int rc;

	memset(path, 0, sizeof *path);
	if (len < 7 || *end != ')')
		goto bad;
	for (const char *p = inner; p < end && comma == NULL; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted)
			comma = p;
	}
	if (comma != NULL) {
		sep = parse_separator(comma + 1, end, &oom);
		if (sep == NULL)
			goto fail;
	} else {
		sep = strdup("\n");
		if (sep == NULL) {
			oom = 1;
			goto fail;
		}
	}
	inner_text = strndup(inner, (size_t)((comma ? comma : end) - inner));
	full = strdup(text);
	if (inner_text == NULL || full == NULL) {
		oom = 1;
		goto fail;
	}
	if (strncmp(inner_text, "join(", 5) == 0 || strncmp(inner_text, "len(", 4) == 0 ||
	    strcmp(inner_text, "@line") == 0)
		goto fail;
	rc = cs_jpath_parse(inner_text, path, err);
	if (rc != CS_OK) {
		if (rc == CS_INTERNAL)
			oom = 1;
		goto fail;
	}
	free(path->text);
	path->text = full;
	path->is_join = 1;
	path->join_sep = sep;
	path->has_all = 0; /* the joined string is one value */
	free(inner_text);
	return CS_OK;
fail:
	free(inner_text);
	free(sep);
	free(full);
	if (oom)
		return cs_fail(err, CS_INTERNAL, "out of memory");
bad:
	return cs_fail(err, CS_USAGE, "invalid field path '%s' (write join($.list) or join($.list, \"SEP\") around "
		       "a plain path; SEP escapes: \\n \\t \\\" \\\\)", text);
}

/* Compiles the double-quoted pattern in [p, end) (where \" stands for a quote) into path->re and finds its one
 * named group. Returns CS_OK, or CS_USAGE / CS_INTERNAL with a message naming text. */
static int compile_pattern(const char *text, const char *p, const char *end, struct cs_jpath *path,
			   struct cs_err *err)
{
	char *pattern = NULL, *out;
	uint32_t names = 0;
	PCRE2_SPTR table = NULL;
	PCRE2_SIZE offset;
	int errcode, rc = CS_OK;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - p < 2 || *p != '"' || end[-1] != '"' || end[-2] == '\\') {
		rc = cs_fail(err, CS_USAGE, "invalid field path '%s' (write re(PATH, \"PATTERN\"))", text);
		goto done;
	}
	pattern = malloc((size_t)(end - p));
	if (pattern == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	out = pattern;
	for (p++, end--; p < end; p++) {
		if (*p == '\\' && p + 1 < end && p[1] == '"') {
			*out++ = '"';
			p++;
		} else if (*p == '"') {
			rc = cs_fail(err, CS_USAGE, "invalid field path '%s': write a quote in the pattern as \\\"", text);
			goto done;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	path->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &errcode, &offset, NULL);
	if (path->re == NULL) {
		PCRE2_UCHAR why[256];
		pcre2_get_error_message(errcode, why, sizeof why);
		rc = cs_fail(err, CS_USAGE, "invalid field path '%s': the pattern does not compile at offset %zu: %s",
			     text, (size_t)offset, (const char *)why);
		goto done;
	}
	pcre2_pattern_info(path->re, PCRE2_INFO_NAMECOUNT, &names);
	if (names != 1) {
		rc = cs_fail(err, CS_USAGE, "invalid field path '%s': the pattern needs exactly one named group, such "
			     "as (?<id>[0-9]+), for the value; it has %u", text, (unsigned)names);
		goto done;
	}
	pcre2_pattern_info(path->re, PCRE2_INFO_NAMETABLE, &table);
	path->re_group = ((uint32_t)table[0] << 8) | table[1];
done:
	free(pattern);
	return rc;
}

/* Parses re(PATH, "PATTERN"). */
static int parse_re(const char *text, struct cs_jpath *path, struct cs_err *err)
{
	size_t len = strlen(text);
	const char *inner = text + 3, *end = text + len - 1, *comma = NULL;
	char *inner_text = NULL;
	pcre2_code *re = NULL;
	uint32_t group = 0;
	int quoted = 0, rc = CS_OK;

	memset(path, 0, sizeof *path);
	if (len < 6 || *end != ')')
		return cs_fail(err, CS_USAGE, "invalid field path '%s' (write re(PATH, \"PATTERN\"))", text);
	for (const char *p = inner; p < end && comma == NULL; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted)
			comma = p;
	}
	if (comma == NULL)
		return cs_fail(err, CS_USAGE, "invalid field path '%s' (write re(PATH, \"PATTERN\"))", text);
	rc = compile_pattern(text, comma + 1, end, path, err);
	re = path->re;
	group = path->re_group;
	path->re = NULL;
	if (rc != CS_OK)
		goto done;
	inner_text = strndup(inner, (size_t)(comma - inner));
	if (inner_text == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	if (strncmp(inner_text, "join(", 5) == 0 || strncmp(inner_text, "len(", 4) == 0 ||
	    strncmp(inner_text, "re(", 3) == 0 || strcmp(inner_text, "@line") == 0) {
		rc = cs_fail(err, CS_USAGE, "invalid field path '%s' (re() wraps a plain path such as $.custom_id)",
			     text);
		goto done;
	}
	rc = cs_jpath_parse(inner_text, path, err);
	if (rc != CS_OK)
		goto done;
	free(path->text);
	path->text = strdup(text);
	if (path->text == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	path->re = re;
	path->re_group = group;
	re = NULL;
done:
	pcre2_code_free(re);
	free(inner_text);
	if (rc != CS_OK)
		cs_jpath_free(path);
	return rc;
}

int cs_jpath_parse(const char *text, struct cs_jpath *path, struct cs_err *err)
{
	const char *p;
	size_t len;
	int rc = CS_OK;

	if (strncmp(text, "join(", 5) == 0)
		return parse_join(text, path, err);
	if (strncmp(text, "re(", 3) == 0)
		return parse_re(text, path, err);
	memset(path, 0, sizeof *path);
	path->text = strdup(text);
	if (path->text == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	if (strcmp(text, "@line") == 0) {
		path->is_line = 1;
		return CS_OK;
	}
	p = text;
	len = strlen(text);
	if (strncmp(p, "len(", 4) == 0 && len > 5 && text[len - 1] == ')') {
		path->is_len = 1;
		p += 4;
		len -= 5;
	}
	if (*p != '$') {
		/* a bare field or column name */
		if (len == 0 || memchr(p, '[', len) != NULL)
			goto bad;
		if (add_step(path, CS_JSTEP_KEY, p, len, 0) != 0)
			goto oom;
		return CS_OK;
	}
	{
		const char *end = p + len;
		int quoted;

		p++;
		while (p < end) {
			if (*p == '.') {
				const char *start = ++p;
				if (p < end && *p == '"') {
					quoted = add_quoted_key(path, &p, end);
					if (quoted < 0)
						goto oom;
					if (quoted > 0)
						goto bad;
					continue;
				}
				while (p < end && *p != '.' && *p != '[' && *p != ']')
					p++;
				if (p == start || (p < end && *p == ']'))
					goto bad;
				if (add_step(path, CS_JSTEP_KEY, start, (size_t)(p - start), 0) != 0)
					goto oom;
			} else if (*p == '[') {
				p++;
				if (p < end && *p == '*') {
					if (path->has_all)
						goto bad;
					path->has_all = 1;
					if (add_step(path, CS_JSTEP_ALL, NULL, 0, 0) != 0)
						goto oom;
					p++;
				} else if (p < end && *p == '"') {
					quoted = add_quoted_key(path, &p, end);
					if (quoted < 0)
						goto oom;
					if (quoted > 0)
						goto bad;
				} else if (p < end && *p == '?') {
					int parsed = add_filter(path, &p, end);
					if (parsed < 0)
						goto oom;
					if (parsed > 0)
						goto bad;
					continue;
				} else {
					long index;
					if (parse_index(&p, end, &index) != 0)
						goto bad;
					if (add_step(path, CS_JSTEP_INDEX, NULL, 0, index) != 0)
						goto oom;
				}
				if (p >= end || *p != ']')
					goto bad;
				p++;
			} else {
				goto bad;
			}
		}
	}
	return CS_OK;
bad:
	rc = cs_fail(err, CS_USAGE, "invalid field path '%s' (write $.key.key, $.list[0], $.list[-1], "
		     "$.list[*].key, $.list[?key=value].key (one [*] or filter per path), $.list[?key=value][-1], "
		     "len($.list[*].key) or @line)", text);
	cs_jpath_free(path);
	return rc;
oom:
	cs_jpath_free(path);
	return cs_fail(err, CS_INTERNAL, "out of memory");
}

void cs_jpath_free(struct cs_jpath *path)
{
	for (size_t i = 0; i < path->nsteps; i++) {
		free(path->steps[i].key);
		free(path->steps[i].value);
	}
	free(path->steps);
	free(path->text);
	free(path->join_sep);
	pcre2_code_free(path->re);
	memset(path, 0, sizeof *path);
}

static int push(struct cs_jvalues *out, cJSON *value)
{
	if (out->count == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 8;
		cJSON **grown = realloc(out->items, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		out->items = grown;
		out->cap = cap;
	}
	out->items[out->count++] = value;
	return 0;
}

static int push_owned(struct cs_jvalues *out, cJSON *value)
{
	if (value == NULL)
		return -1;
	if (out->nowned == out->owned_cap) {
		size_t cap = out->owned_cap ? out->owned_cap * 2 : 8;
		cJSON **grown = realloc(out->owned, cap * sizeof *grown);
		if (grown == NULL) {
			cJSON_Delete(value);
			return -1;
		}
		out->owned = grown;
		out->owned_cap = cap;
	}
	out->owned[out->nowned++] = value;
	return push(out, value);
}

/* The member key of object, or NULL: what cJSON_GetObjectItemCaseSensitive returns (the first member of that
 * name), with the first bytes compared before strcmp is called, since every record of a file is searched for
 * every candidate path of every field, and most keys compared are not the one sought. The rest of the object
 * is searched too: a second member of that name is recorded in out->duplicate (the first one found, borrowed),
 * since JSON readers disagree on which of the two a record means. */
static cJSON *member(const cJSON *object, const char *key, struct cs_jvalues *out)
{
	cJSON *found = NULL;

	for (cJSON *item = object->child; item != NULL && item->string != NULL; item = item->next) {
		if (item->string[0] != key[0] || strcmp(item->string, key) != 0)
			continue;
		if (found == NULL) {
			found = item;
		} else {
			if (out->duplicate == NULL)
				out->duplicate = item;
			break;
		}
	}
	return found;
}

/* Element index of array (negative: from its end), or NULL when there is none. */
static cJSON *element(cJSON *array, long index)
{
	if (index < 0)
		index += (long)cJSON_GetArraySize(array);
	return index < 0 ? NULL : cJSON_GetArrayItem(array, (int)index);
}

/* 1 when node is an object whose member step->key is the string step->value. */
static int filter_matches(const struct cs_jstep *step, const cJSON *node, struct cs_jvalues *out)
{
	const cJSON *v = cJSON_IsObject(node) ? member(node, step->key, out) : NULL;

	return cJSON_IsString(v) && strcmp(v->valuestring, step->value) == 0;
}

/* The match of a filter step with pick in array (negative: from the end), or NULL when there is none. */
static cJSON *picked_match(const struct cs_jstep *step, cJSON *array, struct cs_jvalues *out)
{
	long count = 0, want = step->index;
	cJSON *item;

	if (want < 0) {
		for (item = array->child; item != NULL; item = item->next)
			count += filter_matches(step, item, out);
		want += count;
		if (want < 0)
			return NULL;
	}
	for (item = array->child; item != NULL; item = item->next)
		if (filter_matches(step, item, out) && want-- == 0)
			return item;
	return NULL;
}

/* Follows steps [from, nsteps) from node; appends what it finds. */
static int walk(const struct cs_jpath *path, size_t from, cJSON *node, struct cs_jvalues *out, int *missing)
{
	for (size_t i = from; i < path->nsteps && node != NULL; i++) {
		const struct cs_jstep *step = &path->steps[i];

		if (step->kind == CS_JSTEP_KEY) {
			node = cJSON_IsObject(node) ? member(node, step->key, out) : NULL;
		} else if (step->kind == CS_JSTEP_INDEX) {
			node = cJSON_IsArray(node) ? element(node, step->index) : NULL;
		} else if (step->kind == CS_JSTEP_FILTER && step->pick) {
			node = cJSON_IsArray(node) ? picked_match(step, node, out) : NULL;
		} else {
			if (!cJSON_IsArray(node)) {
				*missing = 1;
				return 0;
			}
			for (cJSON *item = node->child; item != NULL; item = item->next) {
				int before = (int)out->count;
				int element_missing = 0;
				if (step->kind == CS_JSTEP_FILTER && !filter_matches(step, item, out))
					continue;
				if (walk(path, i + 1, item, out, &element_missing) != 0)
					return -1;
				/* keep the list aligned: an element without the field yields a null */
				if ((int)out->count == before && push_owned(out, cJSON_CreateNull()) != 0)
					return -1;
			}
			return 0;
		}
	}
	if (node == NULL) {
		*missing = 1;
		return 0;
	}
	if (path->is_len) {
		if (!cJSON_IsArray(node))
			return push(out, node); /* not an array: handed back so that the caller reports its type */
		return push_owned(out, cJSON_CreateNumber((double)cJSON_GetArraySize(node)));
	}
	return push(out, node);
}

/* 1 when path holds a [*] step (a joined path keeps its steps but yields one value). */
static int has_all_step(const struct cs_jpath *path)
{
	for (size_t i = 0; i < path->nsteps; i++)
		if (path->steps[i].kind == CS_JSTEP_ALL || (path->steps[i].kind == CS_JSTEP_FILTER && !path->steps[i].pick))
			return 1;
	return 0;
}

/* Appends the joined string of the values in found (or of the elements of its one array) to out; an element
 * that is not a string is appended instead. Returns 0, or -1 when out of memory. */
static int join_values(const struct cs_jpath *path, const struct cs_jvalues *found, struct cs_jvalues *out)
{
	cJSON *single = found->count == 1 && cJSON_IsArray(found->items[0]) ? found->items[0] : NULL;
	size_t n = single ? (size_t)cJSON_GetArraySize(single) : found->count;
	size_t seplen = strlen(path->join_sep), len = 0, cap = 64;
	char *buf = malloc(cap);
	cJSON *element = single ? single->child : NULL;
	int rc;

	if (buf == NULL)
		return -1;
	for (size_t k = 0; k < n; k++) {
		cJSON *v = single ? element : found->items[k];
		size_t vlen, need;

		if (single)
			element = element->next;
		if (!cJSON_IsString(v)) {
			free(buf);
			return cJSON_IsNull(v) ? push_owned(out, cJSON_CreateNull()) : push(out, v);
		}
		vlen = strlen(v->valuestring);
		need = len + (k > 0 ? seplen : 0) + vlen + 1;
		if (need > cap) {
			char *grown;
			while (cap < need)
				cap *= 2;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				free(buf);
				return -1;
			}
			buf = grown;
		}
		if (k > 0) {
			memcpy(buf + len, path->join_sep, seplen);
			len += seplen;
		}
		memcpy(buf + len, v->valuestring, vlen);
		len += vlen;
	}
	buf[len] = '\0';
	rc = push_owned(out, cJSON_CreateString(buf));
	free(buf);
	return rc;
}

/* Replaces the values in out by what the named group of path->re captures in each (see cs_jpath_eval).
 * Returns 0, or -1 when out of memory. */
static int apply_pattern(const struct cs_jpath *path, struct cs_jvalues *out)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(path->re, NULL);
	size_t kept = 0;
	int rc = 0;

	if (md == NULL)
		return -1;
	for (size_t k = 0; k < out->count; k++) {
		cJSON *v = out->items[k], *found;
		char number[32];
		const char *subject = number;
		PCRE2_SIZE *ovector;
		PCRE2_SIZE start, stop;
		char *captured;

		if (cJSON_IsNull(v)) {
			out->items[kept++] = v;
			continue;
		}
		if (cJSON_IsString(v))
			subject = v->valuestring;
		else if (cs_json_is_int(v)) /* an integer a double holds exactly: beyond 2^53 it is not matched */
			snprintf(number, sizeof number, "%lld", cs_json_int(v));
		else
			subject = NULL;
		if (subject == NULL ||
		    pcre2_match(path->re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, NULL) < 0) {
			out->unmatched = v;
			break;
		}
		ovector = pcre2_get_ovector_pointer(md);
		start = ovector[2 * path->re_group];
		stop = ovector[2 * path->re_group + 1];
		if (start == PCRE2_UNSET) {
			out->unmatched = v;
			break;
		}
		captured = strndup(subject + start, stop - start);
		found = captured ? cJSON_CreateString(captured) : NULL;
		free(captured);
		/* push_owned appends at the end: keep the item array in place and take the new value from there */
		if (push_owned(out, found) != 0) {
			rc = -1;
			break;
		}
		out->count--;
		out->items[kept++] = found;
	}
	if (rc == 0)
		out->count = out->unmatched ? 0 : kept;
	pcre2_match_data_free(md);
	return rc;
}

int cs_jpath_eval(const struct cs_jpath *path, cJSON *record, long index, struct cs_jvalues *out,
		  int *missing)
{
	cs_jvalues_reset(out);
	*missing = 0;
	if (path->is_join) {
		struct cs_jvalues found = { 0 };
		int rc = CS_OK;

		if (walk(path, 0, record, &found, missing) != 0)
			rc = CS_INTERNAL;
		else if (found.count == 0 && !has_all_step(path))
			*missing = 1;
		out->duplicate = found.duplicate;
		if (rc == CS_OK && !*missing && join_values(path, &found, out) != 0)
			rc = CS_INTERNAL;
		cs_jvalues_free(&found);
		return rc;
	}
	if (path->is_line) {
		if (push_owned(out, cJSON_CreateNumber((double)index)) != 0)
			return CS_INTERNAL;
		return CS_OK;
	}
	if (walk(path, 0, record, out, missing) != 0)
		return CS_INTERNAL;
	if (!path->has_all && out->count == 0)
		*missing = 1;
	if (path->re != NULL && apply_pattern(path, out) != 0)
		return CS_INTERNAL;
	if (out->unmatched != NULL)
		*missing = 1;
	return CS_OK;
}

void cs_jvalues_reset(struct cs_jvalues *out)
{
	for (size_t i = 0; i < out->nowned; i++)
		cJSON_Delete(out->owned[i]);
	out->nowned = 0;
	out->count = 0;
	out->unmatched = NULL;
	out->duplicate = NULL;
}

void cs_jvalues_free(struct cs_jvalues *out)
{
	cs_jvalues_reset(out);
	free(out->items);
	free(out->owned);
	memset(out, 0, sizeof *out);
}
