/* The gsm8k, math and generic profiles: default field paths for problem files and the gold-answer rules
 * (GSM8K: the text after "####"; MATH: the answer field, else the last \boxed{} of the solution). */
#include "profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cs_problem_fields[] = { "id", "question", "answer", "solution", "subject", "level" };
const size_t cs_problem_field_count = sizeof cs_problem_fields / sizeof cs_problem_fields[0];

enum cs_profile cs_profile_guess(const char *dataset)
{
	char lower[128];
	size_t i;

	for (i = 0; dataset[i] != '\0' && i + 1 < sizeof lower; i++)
		lower[i] = (char)tolower((unsigned char)dataset[i]);
	lower[i] = '\0';
	if (strstr(lower, "gsm") != NULL)
		return CS_PROFILE_GSM8K;
	if (strstr(lower, "math") != NULL)
		return CS_PROFILE_MATH;
	return CS_PROFILE_GENERIC;
}

int cs_profile_problem_defaults(enum cs_profile p, struct cs_fieldmap *m, struct cs_err *err)
{
	int rc = cs_fieldmap_default(m, "id", "$.unique_id|$.id|$.idx|$.problem_id", err);

	if (rc == CS_OK)
		rc = cs_fieldmap_default(m, "question", "$.question|$.problem", err);
	if (rc != CS_OK)
		return rc;
	switch (p) {
	case CS_PROFILE_GSM8K:
		/* the gold is derived from the solution's "####" line unless --map answer= is given */
		rc = cs_fieldmap_default(m, "solution", "$.answer|$.solution", err);
		break;
	case CS_PROFILE_MATH:
		rc = cs_fieldmap_default(m, "answer", "$.answer", err);
		if (rc == CS_OK)
			rc = cs_fieldmap_default(m, "solution", "$.solution", err);
		break;
	default:
		rc = cs_fieldmap_default(m, "answer", "$.answer|$.gold|$.final_answer|$.target", err);
		if (rc == CS_OK)
			rc = cs_fieldmap_default(m, "solution", "$.solution", err);
		break;
	}
	if (rc == CS_OK)
		rc = cs_fieldmap_default(m, "subject", "$.subject|$.type", err);
	if (rc == CS_OK)
		rc = cs_fieldmap_default(m, "level", "$.level", err);
	return rc;
}

/* Copies a string field (or a number written as text) into *out; *out stays NULL when absent and optional. */
static int read_text(struct cs_fieldmap *m, const char *name, int required, cJSON *record,
		     struct cs_where *w, long index, struct cs_jvalues *vals, char **out, struct cs_err *err)
{
	struct cs_field *f = cs_fieldmap_get(m, name);
	int missing;
	const char *s;
	size_t len;
	int rc;

	*out = NULL;
	w->field = name;
	if (f->npaths == 0) {
		if (required)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" is not mapped; name it with --map %s=PATH",
				       w->file, w->line, name, name);
		return CS_OK;
	}
	rc = cs_field_eval(f, record, index, vals, &missing, &w->path);
	if (rc != CS_OK)
		return cs_fail(err, rc, "out of memory");
	rc = cs_field_check_duplicate(vals, w, err);
	if (rc != CS_OK)
		return rc;
	if (missing || cJSON_IsNull(vals->items[0])) {
		if (required || f->explicit_map)
			return cs_fail(err, CS_INPUT, "%s:%ld: field \"%s\" (%s) missing", w->file, w->line, name,
				       w->path);
		return CS_OK;
	}
	if (cJSON_IsNumber(vals->items[0])) {
		char buf[64];
		if (cs_json_is_int(vals->items[0]))
			snprintf(buf, sizeof buf, "%lld", cs_json_int(vals->items[0]));
		else
			snprintf(buf, sizeof buf, "%.17g", cs_json_number(vals->items[0]));
		*out = strdup(buf);
	} else {
		rc = cs_value_string(vals->items[0], w, &s, &len, err);
		if (rc != CS_OK)
			return rc;
		*out = strndup(s, len);
	}
	if (*out == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	return CS_OK;
}

/* Reads "Level 3", "3" or 3 as 3; anything else ("Level ?") as unknown (0). */
static int read_level(struct cs_fieldmap *m, cJSON *record, struct cs_where *w, long index,
		      struct cs_jvalues *vals, int *level, struct cs_err *err)
{
	char *text = NULL;
	const char *p;
	int rc;

	*level = 0;
	rc = read_text(m, "level", 0, record, w, index, vals, &text, err);
	if (rc != CS_OK || text == NULL)
		return rc;
	p = text;
	if (strncmp(p, "Level ", 6) == 0)
		p += 6;
	if (isdigit((unsigned char)p[0]) && p[1] == '\0')
		*level = p[0] - '0';
	free(text);
	return CS_OK;
}

/* The gold of a GSM8K solution: the trimmed text after the last "####". */
static char *gsm8k_gold(const char *solution)
{
	const char *mark = NULL, *p = solution, *end;

	while ((p = strstr(p, "####")) != NULL) {
		mark = p;
		p += 4;
	}
	if (mark == NULL)
		return NULL;
	mark += 4;
	while (isspace((unsigned char)*mark))
		mark++;
	end = mark + strlen(mark);
	while (end > mark && isspace((unsigned char)end[-1]))
		end--;
	return end > mark ? strndup(mark, (size_t)(end - mark)) : NULL;
}

int cs_profile_read_problem(enum cs_profile p, struct cs_fieldmap *m, cJSON *record, const char *file,
			    long line, long index, struct cs_jvalues *scratch, struct cs_problem *out,
			    struct cs_err *err)
{
	struct cs_where w = { file, line, "id", "" };
	struct cs_field *idf = cs_fieldmap_get(m, "id");
	int missing;
	int rc;

	memset(out, 0, sizeof *out);
	rc = cs_field_eval(idf, record, index, scratch, &missing, &w.path);
	if (rc != CS_OK)
		return cs_fail(err, rc, "out of memory");
	rc = cs_field_check_duplicate(scratch, &w, err);
	if (rc != CS_OK)
		return rc;
	if (missing && idf->explicit_map)
		return cs_fail(err, CS_INPUT, "%s:%ld: field \"id\" (%s) missing", file, line, w.path);
	if (missing)
		snprintf(out->key, sizeof out->key, "%ld", index);
	else if ((rc = cs_value_key(scratch->items[0], &w, out->key, sizeof out->key, err)) != CS_OK)
		return rc;

	rc = read_text(m, "question", 1, record, &w, index, scratch, &out->question, err);
	if (rc == CS_OK)
		rc = read_text(m, "solution", p == CS_PROFILE_GSM8K && cs_fieldmap_get(m, "answer")->npaths == 0,
			       record, &w, index, scratch, &out->solution, err);
	if (rc == CS_OK)
		rc = read_text(m, "answer", p == CS_PROFILE_GENERIC, record, &w, index, scratch, &out->gold, err);
	if (rc == CS_OK)
		rc = read_text(m, "subject", 0, record, &w, index, scratch, &out->subject, err);
	if (rc == CS_OK)
		rc = read_level(m, record, &w, index, scratch, &out->level, err);
	if (rc != CS_OK)
		goto fail;

	if (out->gold == NULL && p == CS_PROFILE_GSM8K) {
		out->gold = gsm8k_gold(out->solution);
		if (out->gold == NULL) {
			rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"solution\" has no \"#### answer\" line to take the "
				     "gold answer from", file, line);
			goto fail;
		}
	}
	if (out->gold == NULL && p == CS_PROFILE_MATH) {
		if (out->solution == NULL) {
			rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"answer\" missing and no \"solution\" to take the gold "
				     "answer from", file, line);
			goto fail;
		}
		rc = cs_last_boxed(out->solution, strlen(out->solution), &out->gold, err);
		if (rc != CS_OK)
			goto fail;
		if (out->gold == NULL) {
			rc = cs_fail(err, CS_INPUT, "%s:%ld: field \"answer\" missing and the solution has no \\boxed{} "
				     "answer", file, line);
			goto fail;
		}
	}
	return CS_OK;
fail:
	cs_problem_clear(out);
	return rc;
}

void cs_problem_clear(struct cs_problem *pr)
{
	free(pr->question);
	free(pr->gold);
	free(pr->solution);
	free(pr->subject);
	pr->question = pr->gold = pr->solution = pr->subject = NULL;
}
