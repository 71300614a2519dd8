/* Field maps: named fields with candidate paths, defaults from presets and profiles, --map overrides. */
#include "ingest/fieldmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_fieldmap_init(struct cs_fieldmap *m, const char *const *names, size_t count)
{
	memset(m, 0, sizeof *m);
	for (size_t i = 0; i < count && i < CS_FIELDMAP_MAX; i++)
		m->fields[i].name = names[i];
	m->count = count < CS_FIELDMAP_MAX ? count : CS_FIELDMAP_MAX;
}

struct cs_field *cs_fieldmap_get(struct cs_fieldmap *m, const char *name)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->fields[i].name, name) == 0)
			return &m->fields[i];
	return NULL;
}

static void clear_field(struct cs_field *f)
{
	for (size_t i = 0; i < f->npaths; i++)
		cs_jpath_free(&f->paths[i]);
	f->npaths = 0;
}

int cs_fieldmap_default(struct cs_fieldmap *m, const char *name, const char *paths, struct cs_err *err)
{
	struct cs_field *f = cs_fieldmap_get(m, name);
	char *copy, *save = NULL;
	int rc = CS_OK;

	if (f == NULL)
		return cs_fail(err, CS_INTERNAL, "no field '%s' in this field map", name);
	clear_field(f);
	copy = strdup(paths);
	if (copy == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	for (char *one = strtok_r(copy, "|", &save); one != NULL; one = strtok_r(NULL, "|", &save)) {
		if (f->npaths == CS_FIELD_MAX_PATHS)
			break;
		rc = cs_jpath_parse(one, &f->paths[f->npaths], err);
		if (rc != CS_OK)
			break;
		f->npaths++;
	}
	free(copy);
	return rc;
}

int cs_fieldmap_option(struct cs_fieldmap *m, const char *option, struct cs_err *err)
{
	const char *eq = strchr(option, '=');
	char name[64];
	struct cs_field *f;
	int rc;

	if (eq == NULL || eq == option || (size_t)(eq - option) >= sizeof name)
		return cs_fail(err, CS_USAGE, "--map wants FIELD=PATH, got '%s'", option);
	memcpy(name, option, (size_t)(eq - option));
	name[eq - option] = '\0';
	f = cs_fieldmap_get(m, name);
	if (f == NULL) {
		char known[256] = "";
		for (size_t i = 0; i < m->count; i++) {
			strncat(known, i ? ", " : "", sizeof known - strlen(known) - 1);
			strncat(known, m->fields[i].name, sizeof known - strlen(known) - 1);
		}
		return cs_fail(err, CS_USAGE, "--map: unknown field '%s' (fields: %s)", name, known);
	}
	clear_field(f);
	rc = cs_jpath_parse(eq + 1, &f->paths[0], err);
	if (rc != CS_OK)
		return rc;
	f->npaths = 1;
	f->explicit_map = 1;
	return CS_OK;
}

int cs_field_eval(const struct cs_field *f, cJSON *record, long index, struct cs_jvalues *out,
		  int *missing, const char **path_used)
{
	*missing = 1;
	*path_used = f->npaths ? f->paths[0].text : "(unmapped)";
	cs_jvalues_reset(out);
	for (size_t i = 0; i < f->npaths; i++) {
		int rc = cs_jpath_eval(&f->paths[i], record, index, out, missing);
		if (rc != CS_OK)
			return rc;
		if (!*missing || out->unmatched != NULL || out->duplicate != NULL) {
			*path_used = f->paths[i].text;
			return CS_OK;
		}
	}
	return CS_OK;
}

int cs_field_check_duplicate(const struct cs_jvalues *out, const struct cs_where *w, struct cs_err *err)
{
	if (out->duplicate == NULL)
		return CS_OK;
	return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s): key \"%.100s\" occurs twice in the same object, "
		       "and JSON readers disagree on which value counts (the first, or the last as in Python); keep "
		       "one of them in the file", w->file, w->line, w->field, w->path, out->duplicate->string);
}

int cs_fieldmap_check_header(const struct cs_fieldmap *m, const struct cs_source *src, const char *file,
			     struct cs_err *err)
{
	for (size_t i = 0; i < m->count; i++) {
		const struct cs_field *f = &m->fields[i];

		for (size_t k = 0; k < f->npaths; k++) {
			const struct cs_jpath *p = &f->paths[k];
			int n;

			if (p->is_line || p->nsteps == 0 || p->steps[0].kind != CS_JSTEP_KEY)
				continue;
			n = cs_source_column_count(src, p->steps[0].key);
			if (n > 1)
				return cs_fail(err, CS_INPUT, "%s:1: field \"%s\" (%s): column '%.100s' is named %d times in "
					       "the header, so which one the field means is not clear; rename the columns "
					       "so that each name occurs once", file, f->name, p->text, p->steps[0].key,
					       n);
		}
	}
	return CS_OK;
}

void cs_fieldmap_free(struct cs_fieldmap *m)
{
	for (size_t i = 0; i < m->count; i++)
		clear_field(&m->fields[i]);
}
