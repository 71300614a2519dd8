/* Public entry points of the grader: profiles, canonical forms, comparison and grading of one sample. */
#include "grade/grade_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const profile_names[] = { "generic", "gsm8k", "math" };

int cs_profile_parse(const char *name, enum cs_profile *out)
{
	if (name == NULL)
		return -1;
	for (int k = 0; k < 3; k++) {
		if (strcmp(name, profile_names[k]) == 0) {
			*out = (enum cs_profile)k;
			return 0;
		}
	}
	return -1;
}

const char *cs_profile_name(enum cs_profile p)
{
	if ((int)p < 0 || (int)p > 2)
		return "unknown";
	return profile_names[p];
}

int csg_compare_canon(enum cs_profile p, const char *a, const char *b, int depth, int *work, int *equal,
		      const char **reason)
{
	struct csg_num na, nb;
	int rc, ra, rb;

	*equal = 0;
	csg_num_init(&na);
	csg_num_init(&nb);
	if (depth == 0)
		csg_expr_budget(CSG_MAX_STEPS);
	if (strcmp(a, b) == 0) {
		*equal = 1;
		*reason = "identical canonical form";
		rc = CSG_OK;
		goto out;
	}
	if (depth > CSG_MAX_DEPTH || --*work < 0) {
		rc = CSG_BIG;
		goto out;
	}
	ra = csg_num_parse(a, strlen(a), 0, &na);
	rb = csg_num_parse(b, strlen(b), 0, &nb);
	if (ra == CSG_BIG || rb == CSG_BIG) {
		rc = CSG_BIG;
		goto out;
	}
	if (ra == CSG_OK && rb == CSG_OK) {
		*equal = csg_num_equal(&na, &nb);
		*reason = *equal ? "equal numbers" : "different numbers";
		rc = CSG_OK;
		goto out;
	}
	rc = csg_relation_compare(p, a, b, depth, work, equal, reason);
	if (rc != CSG_NO)
		goto out;
	rc = csg_struct_compare(p, a, b, depth, work, equal, reason);
	if (rc != CSG_NO)
		goto out;
	rc = csg_expr_compare(a, b, equal, reason);
	if (rc == CSG_NO) {
		*equal = 0;
		*reason = "different answers";
		rc = CSG_OK;
	}
out:
	csg_num_clear(&na);
	csg_num_clear(&nb);
	return rc;
}

int cs_canonical(enum cs_profile p, const char *answer, char **out, struct cs_err *err)
{
	size_t len;
	int rc;

	*out = NULL;
	if (answer == NULL)
		return cs_fail(err, CS_INPUT, "no answer to canonicalise");
	len = strlen(answer);
	rc = csg_canon(p, answer, len, out);
	if (rc == CSG_BIG) {
		/* Too large to canonicalise: the answer stands for itself. */
		*out = csg_strndup(answer, len);
		rc = *out == NULL ? CSG_NOMEM : CSG_OK;
	}
	if (rc != CSG_OK)
		return cs_fail(err, CS_INTERNAL, "out of memory canonicalising an answer");
	return CS_OK;
}

int cs_compare(enum cs_profile p, const char *gold, const char *pred, int *equal, const char **reason,
	       struct cs_err *err)
{
	char *ca = NULL, *cb = NULL;
	int rc = CS_OK, r, work = CSG_MAX_WORK;

	*equal = 0;
	*reason = "too large";
	if (gold == NULL || pred == NULL) {
		rc = cs_fail(err, CS_INPUT, "no answer to compare");
		goto out;
	}
	r = csg_canon(p, gold, strlen(gold), &ca);
	if (r == CSG_OK)
		r = csg_canon(p, pred, strlen(pred), &cb);
	if (r == CSG_OK)
		r = csg_compare_canon(p, ca, cb, 0, &work, equal, reason);
	if (r == CSG_BIG) {
		*equal = 0;
		*reason = "too large";
	} else if (r == CSG_NOMEM) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory comparing answers");
	}
out:
	free(ca);
	free(cb);
	return rc;
}

/* Whether an extraction rule reads an answer the text does not mark as one (its last number or sentence),
 * which an unfinished text cannot give. */
static int unmarked_rule(const char *rule)
{
	return strcmp(rule, "last-number") == 0 || strcmp(rule, "last-sentence") == 0;
}

int cs_extract_flags(const struct cs_grader *g, const char *text, size_t len, unsigned flags,
		     struct cs_extraction *out, struct cs_err *err)
{
	int rc = cs_extract(g, text, len, out, err);

	if (rc == CS_OK && out->answer != NULL && (flags & CS_TEXT_STOPPED) && unmarked_rule(out->rule)) {
		free(out->answer);
		out->answer = NULL;
		out->rule = "none";
	}
	return rc;
}

int cs_grade_sample(const struct cs_grader *g, const char *gold, const char *text, size_t len,
		    struct cs_grade *out, struct cs_err *err)
{
	return cs_grade_sample_flags(g, gold, text, len, 0, out, err);
}

int cs_grade_sample_flags(const struct cs_grader *g, const char *gold, const char *text, size_t len, unsigned flags,
			  struct cs_grade *out, struct cs_err *err)
{
	struct cs_extraction ex = { NULL, "none", NULL };
	char *cgold = NULL;
	int rc, r, equal = 0, work = CSG_MAX_WORK;

	memset(out, 0, sizeof *out);
	out->verdict = "no-answer";
	out->rule = "none";
	out->reason = "no answer";
	if (g == NULL || gold == NULL || text == NULL) {
		rc = cs_fail(err, CS_INPUT, "grading needs a grader, a gold answer and a text");
		goto out;
	}
	rc = cs_extract_flags(g, text, len, flags, &ex, err);
	if (rc == CS_OK && ex.answer == NULL && ex.why != NULL)
		out->reason = ex.why;
	if (rc != CS_OK || ex.answer == NULL)
		goto out;
	out->answer = ex.answer;
	out->rule = ex.rule;
	r = csg_canon(cs_grader_profile(g), ex.answer, strlen(ex.answer), &out->canonical);
	if (r == CSG_BIG) {
		out->canonical = csg_strndup(ex.answer, strlen(ex.answer));
		r = out->canonical == NULL ? CSG_NOMEM : CSG_BIG;
	}
	if (r == CSG_OK)
		r = csg_canon(cs_grader_profile(g), gold, strlen(gold), &cgold);
	if (r == CSG_OK)
		r = csg_compare_canon(cs_grader_profile(g), cgold, out->canonical, 0, &work, &equal, &out->reason);
	if (r == CSG_BIG) {
		equal = 0;
		out->reason = "too large";
	} else if (r == CSG_NOMEM) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory grading a sample");
		goto out;
	}
	out->verdict = equal ? "correct" : "wrong";
out:
	free(cgold);
	return rc;
}

void cs_grade_clear(struct cs_grade *gr)
{
	if (gr == NULL)
		return;
	free(gr->answer);
	free(gr->canonical);
	memset(gr, 0, sizeof *gr);
}
