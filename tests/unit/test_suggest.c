/* Unit tests of the "did you mean" helpers: the edit distance and the nearest name of a list. */
#include <criterion/criterion.h>
#include <string.h>

#include "util/suggest.h"

Test(suggest, edit_distance)
{
	cr_assert_eq(cs_edit_distance("", ""), 0);
	cr_assert_eq(cs_edit_distance("runs", "runs"), 0);
	cr_assert_eq(cs_edit_distance("", "abc"), 3);
	cr_assert_eq(cs_edit_distance("abc", ""), 3);
	cr_assert_eq(cs_edit_distance("--run-s", "--runs"), 1);   /* one insertion */
	cr_assert_eq(cs_edit_distance("g9-gsm8", "g9-gsm8k"), 1); /* one deletion */
	cr_assert_eq(cs_edit_distance("repert", "report"), 1);    /* one substitution */
	cr_assert_eq(cs_edit_distance("reprot", "report"), 1);    /* two neighbours swapped count once */
	cr_assert_eq(cs_edit_distance("kitten", "sitting"), 3);
	cr_assert_eq(cs_edit_distance("ca", "abc"), 3);           /* no substring edited twice */
}

Test(suggest, long_names)
{
	char a[CS_SUGGEST_MAX_LEN + 2], b[CS_SUGGEST_MAX_LEN + 1];

	memset(a, 'x', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memset(b, 'x', sizeof b - 1);
	b[sizeof b - 1] = '\0';
	cr_assert_eq(cs_edit_distance(a, b), CS_SUGGEST_MAX_LEN + 1, "a name over the limit is far from everything");
	a[CS_SUGGEST_MAX_LEN] = '\0';
	b[0] = 'y';
	cr_assert_eq(cs_edit_distance(a, b), 1, "names at the limit are compared");
}

Test(suggest, limit)
{
	cr_assert_eq(cs_suggest_limit("--k"), 1);
	cr_assert_eq(cs_suggest_limit("abc"), 1);
	cr_assert_eq(cs_suggest_limit("--run-s"), 2);
	cr_assert_eq(cs_suggest_limit("g9-gsm8"), 2);
	cr_assert_eq(cs_suggest_limit("--no-question-chek"), 3);
}

Test(suggest, nearest)
{
	const char *options[] = { "--db", "--runs", "--k", "--by", "--unique", "--format", "-o" };
	const char *runs[] = { "g27-gsm8k", "g9-gsm8k", "g9-math" };
	size_t no = sizeof options / sizeof options[0], nr = sizeof runs / sizeof runs[0];

	cr_assert_str_eq(cs_nearest("--run-s", options, no), "--runs");
	cr_assert_str_eq(cs_nearest("--fromat", options, no), "--format");
	cr_assert_str_eq(cs_nearest("g9-gsm8", runs, nr), "g9-gsm8k");
	cr_assert_str_eq(cs_nearest("g9-mat", runs, nr), "g9-math");
	cr_assert_null(cs_nearest("--frobnicate", options, no), "nothing close: no suggestion");
	cr_assert_null(cs_nearest("llama-70b", runs, nr));
	cr_assert_null(cs_nearest("--runs", options, 0), "an empty list");
	/* on a tie the first in list order */
	cr_assert_str_eq(cs_nearest("--bz", (const char *[]){ "--by", "--bx" }, 2), "--by");
	/* the name itself is not a suggestion for itself */
	cr_assert_null(cs_nearest("--k", (const char *[]){ "--k" }, 1));
}
