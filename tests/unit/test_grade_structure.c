/* Unit tests of typed structures: tuples, intervals, unions, sets, lists and matrices. */
#include <criterion/criterion.h>

#include <stdlib.h>

#include "grade/grade.h"

static void expect_cmp(const char *a, const char *b, int want)
{
	int eq = -1;
	const char *reason = "";

	cr_assert_eq(cs_compare(CS_PROFILE_MATH, a, b, &eq, &reason, NULL), CS_OK);
	cr_expect_eq(eq, want, "\"%s\" vs \"%s\": got %d (%s), want %d", a, b, eq, reason, want);
}

Test(structure, tuples_and_intervals)
{
	expect_cmp("(1, \\frac{1}{2})", "(1, 0.5)", 1);
	expect_cmp("(1,2,3)", "(1,3,2)", 0);
	expect_cmp("(1,2)", "[1,2]", 0);
	expect_cmp("[0,\\infty)", "[0, \\infty)", 1);
	expect_cmp("(-\\infty, 0) \\cup (1, \\infty)", "(1,\\infty)\\cup(-\\infty,0)", 1);
	expect_cmp("(-\\infty, 0) \\cup (1, \\infty)", "(-\\infty,0)", 0);
	expect_cmp("(1,2)", "1,2", 0);
}

Test(structure, sets_and_lists)
{
	expect_cmp("\\{1, 2\\}", "\\{2, 1\\}", 1);
	expect_cmp("\\{1, 2\\}", "2, 1", 1);
	expect_cmp("1, 1, 2", "1, 2, 2", 0);
	expect_cmp("x = 1, x = -1", "-1, 1", 1);
	expect_cmp("\\frac{1}{2}, \\sqrt{2}", "\\sqrt{2}, 0.5", 1);
	expect_cmp("1 \\pm \\sqrt{2}", "1-\\sqrt{2}, 1+\\sqrt{2}", 1);
	expect_cmp("\\pm 3", "3, -3", 1);
	expect_cmp("\\pm 3", "3", 0);
	expect_cmp("x = 2 \\text{ or } x = 3", "3, 2", 1);
	expect_cmp("2 \\text{ and } 3", "2, 3", 1);
	expect_cmp("x \\in [2, 5)", "[2,5)", 1);
	expect_cmp("1, 234", "1234", 0);
	expect_cmp("1,234", "1234", 1);
}

Test(structure, matrices)
{
	expect_cmp("\\begin{pmatrix} \\frac12 & 0 \\\\ 0 & 1 \\end{pmatrix}",
		   "\\begin{bmatrix} 0.5 & 0 \\\\ 0 & 1 \\end{bmatrix}", 1);
	expect_cmp("\\begin{pmatrix} 1 \\\\ 2 \\\\ 3 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 & 3 \\end{pmatrix}", 0);
	expect_cmp("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\\\ 3 \\end{pmatrix}", 0);
}

static void expect_canon(const char *in, const char *want)
{
	char *out = NULL;

	cr_assert_eq(cs_canonical(CS_PROFILE_MATH, in, &out, NULL), CS_OK);
	cr_expect_str_eq(out, want, "canonical of \"%s\": got \"%s\", want \"%s\"", in, out, want);
	free(out);
}

Test(structure, canonical_text_groups_equal_structures)
{
	expect_canon("\\{3, 2, 1\\}", "\\{1,2,3\\}");
	/* a bare list keeps its written order (it may give labelled values in order); sets are sorted */
	expect_canon("1, -2", "1,-2");
	expect_canon("x = 1 \\text{ or } x = -2", "1,-2");
	expect_canon("\\{1, -2\\}", "\\{-2,1\\}");
	expect_canon("\\left( 1, \\dfrac{1}{2} \\right)", "(1,0.5)");
	expect_canon("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}");
	expect_canon("(3,\\infty) \\cup (-\\infty, -2)", "(-\\infty,-2)\\cup(3,\\infty)");
	expect_canon("[2, 5)", "[2,5)");
}
