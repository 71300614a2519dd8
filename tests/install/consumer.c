/* A program that uses an installed libcoseval through coseval.h alone: it grades one math answer, compares two
 * numbers and checks the versions, printing what it found; it exits 1 when anything differs from what the
 * library promises (tests/cli/test_install.sh builds it with pkg-config and with find_package(coseval)). */
#include <coseval.h>

#include <stdio.h>
#include <string.h>

static int failures;

/* Counts a failed check and says which. */
static void expect(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "consumer: %s\n", what);
		failures++;
	}
}

int main(void)
{
	coseval_error err;
	coseval_grader *g = NULL;
	coseval_verdict v = { 0 };
	const char *text = "The answer is \\boxed{\\frac12}";
	const char *reason = "";
	int equal = 0;

	printf("version %s\n", coseval_version());
	printf("grader version %s\n", coseval_grader_version());
	expect(strcmp(coseval_version(), COSEVAL_VERSION_STRING) == 0,
	       "coseval_version() differs from COSEVAL_VERSION_STRING of the header");
	expect(coseval_grader_version()[0] != '\0', "empty grader version");

	if (coseval_grader_new("math", NULL, &g, &err) != COSEVAL_OK) {
		fprintf(stderr, "consumer: coseval_grader_new: %s\n", err.message);
		return 1;
	}
	expect(strcmp(coseval_grader_profile(g), "math") == 0, "the grader's profile is not math");

	if (coseval_grade(g, "0.5", text, strlen(text), 0, &v, &err) != COSEVAL_OK) {
		fprintf(stderr, "consumer: coseval_grade: %s\n", err.message);
		failures++;
	} else {
		printf("verdict %s (rule %s, answer %s, reason %s)\n", v.verdict, v.rule,
		       v.answer != NULL ? v.answer : "(none)", v.reason);
		expect(strcmp(v.verdict, "correct") == 0, "\\boxed{\\frac12} against 0.5 is not correct");
		expect(strcmp(v.rule, "boxed") == 0, "the answer was not read from the box");
	}
	coseval_verdict_clear(&v);

	if (coseval_compare("math", "0.5", "1/2", &equal, &reason, &err) != COSEVAL_OK) {
		fprintf(stderr, "consumer: coseval_compare: %s\n", err.message);
		failures++;
	} else {
		printf("compare 0.5 1/2: %s (%s)\n", equal ? "equal" : "different", reason);
		expect(equal == 1, "0.5 and 1/2 compare different");
	}

	coseval_grader_free(g);
	printf("%s\n", failures == 0 ? "consumer ok" : "consumer FAILED");
	return failures == 0 ? 0 : 1;
}
