/* Unit tests of exact number parsing, the decimal policy and canonical number forms. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "grade/grade.h"
#include "grade/grade_int.h"

static void expect_canon(const char *in, const char *want)
{
	char *out = NULL;

	cr_assert_eq(cs_canonical(CS_PROFILE_MATH, in, &out, NULL), CS_OK);
	cr_expect_str_eq(out, want, "canonical of \"%s\": got \"%s\", want \"%s\"", in, out, want);
	free(out);
}

static void expect_cmp(const char *a, const char *b, int want)
{
	int eq = -1;
	const char *reason = "";

	cr_assert_eq(cs_compare(CS_PROFILE_MATH, a, b, &eq, &reason, NULL), CS_OK);
	cr_expect_eq(eq, want, "\"%s\" vs \"%s\": got %d (%s), want %d", a, b, eq, reason, want);
}

Test(number, parses_forms)
{
	static const struct { const char *in; const char *q; } cases[] = {
		{ "42", "42" }, { "-7", "-7" }, { "3.", "3" }, { ".25", "1/4" }, { "1,234,567", "1234567" },
		{ "\\frac{3}{6}", "1/2" }, { "\\frac12", "1/2" }, { "-\\frac{2}{3}", "-2/3" },
		{ "\\frac{-2}{3}", "-2/3" }, { "2\\frac{1}{2}", "5/2" }, { "-2\\frac{1}{2}", "-5/2" },
		{ "1.5e3", "1500" }, { "2e10", "20000000000" }, { "1E-2", "1/100" }, { "1.5\\times 10^{3}", "1500" }, { "2\\times10^{-2}", "1/50" },
		{ "\\$18.90", "189/10" }, { "25\\%", "25" }, { "90^\\circ", "90" }, { "10 cm", "10" },
		{ "7/8", "7/8" }, { "40,000", "40000" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct csg_num n;
		char *s;

		csg_num_init(&n);
		cr_expect_eq(csg_num_parse(cases[k].in, strlen(cases[k].in), 1, &n), CSG_OK, "parse %s", cases[k].in);
		s = mpq_get_str(NULL, 10, n.q);
		cr_expect_str_eq(s, cases[k].q, "value of %s: %s", cases[k].in, s);
		free(s);
		csg_num_clear(&n);
	}
}

Test(number, rejects_non_numbers)
{
	static const char *const bad[] = { "x", "1,2", "2x", "\\frac{1}{0}", "1/0", "1.2.3", "e3", "" };

	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		struct csg_num n;

		csg_num_init(&n);
		cr_expect_eq(csg_num_parse(bad[k], strlen(bad[k]), 1, &n), CSG_NO, "\"%s\" is not a number", bad[k]);
		csg_num_clear(&n);
	}
}

Test(number, canonical_forms)
{
	expect_canon("\\frac{2}{4}", "0.5");
	expect_canon("1{,}000", "1000");
	expect_canon("\\frac{1}{3}", "1/3");
	expect_canon("-0", "0");
	expect_canon("\\$1,234.50", "1234.5");
	expect_canon("x = 5", "5");
}

Test(number, decimal_policy)
{
	expect_cmp("\\frac{1}{7}", "0.142857", 1);
	expect_cmp("\\frac{1}{7}", "0.142858", 0);
	expect_cmp("\\frac{1}{7}", "0.14286", 0);
	expect_cmp("-\\frac{2}{3}", "-0.666667", 1);
	expect_cmp("-\\frac{2}{3}", "0.666667", 0);
	expect_cmp("\\frac{1}{8}", "0.125", 1);
	expect_cmp("\\frac{1}{8}", "0.12500001", 0);
	expect_cmp("100", "1", 0);
	expect_cmp("1e3", "1000", 1);
	expect_cmp("3", "3.000", 1);
	expect_cmp("1\\,000", "1000", 1);
	expect_cmp("\xe2\x88\x92" "5", "-5", 1);
}
