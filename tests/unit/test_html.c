/* Unit tests of the HTML helpers of the study page: escaping, script-safe JSON strings, cut sample texts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* What fn wrote, as a malloc'd string the caller frees. */
static char *capture_escape(const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cs_html_escape(f, text);
	fclose(f);
	return buf;
}

static char *capture_json(const char *text, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	cs_html_json_string(f, text, len);
	fclose(f);
	return buf;
}

static char *capture_text(const char *text, size_t max, const char *answer, size_t *cut)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	*cut = cs_html_json_text(f, text, max, answer);
	fclose(f);
	return buf;
}

Test(html, escapes_markup_and_quotes)
{
	char *s = capture_escape("<script>alert('x')</script> & \"q\"");
	cr_assert_str_eq(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	free(s);
	s = capture_escape(NULL);
	cr_assert_str_eq(s, "");
	free(s);
}

Test(html, json_strings_cannot_end_a_script_block)
{
	const char *in = "</script><!-- a\"b\\c\n\t\x01 \xe2\x80\xa8\xe2\x80\xa9 \xc3\xa9 & >";
	char *s = capture_json(in, strlen(in));
	cr_assert_str_eq(s, "\"\\u003c/script\\u003e\\u003c!-- a\\\"b\\\\c\\n\\t\\u0001 \\u2028\\u2029 \xc3\xa9 \\u0026 \\u003e\"");
	free(s);
	s = capture_json(NULL, 0);
	cr_assert_str_eq(s, "null");
	free(s);
}

Test(html, raw_json_is_made_script_safe)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cs_html_json_raw(f, "[[\"</script>\",1],[\"a\xe2\x80\xa8\",0]]");
	fclose(f);
	cr_assert_str_eq(buf, "[[\"\\u003c/script\\u003e\",1],[\"a\\u2028\",0]]");
	free(buf);
}

Test(html, short_text_is_whole)
{
	size_t cut;
	char *s = capture_text("The answer is 42.", 200, "42", &cut);
	cr_assert_str_eq(s, "\"The answer is 42.\"");
	cr_assert_eq(cut, 0);
	free(s);
	s = capture_text("The answer is 42.", 0, "42", &cut);
	cr_assert_str_eq(s, "\"The answer is 42.\"");
	free(s);
}

Test(html, long_text_keeps_head_tail_and_the_answer)
{
	char text[3001];
	size_t cut;
	char *s;

	memset(text, 'a', 3000);
	text[3000] = '\0';
	memcpy(text + 1500, "\\boxed{77}", 10);
	s = capture_text(text, 1000, "77", &cut);
	/* head 500, window 1307..1709 around "77" at 1507, tail 2500..3000 */
	cr_assert(strncmp(s, "[\"", 2) == 0, "%s", s);
	cr_assert_not_null(strstr(s, "\\\\boxed{77}"));
	cr_assert_eq(cut, 3000 - 500 - 402 - 500, "cut %zu", cut);
	cr_assert_not_null(strstr(s, "\",807,\""));
	cr_assert_not_null(strstr(s, "\",791,\""));
	free(s);
	/* without an answer in the middle: head and tail only */
	s = capture_text(text, 1000, "zz", &cut);
	cr_assert_eq(cut, 2000);
	cr_assert_not_null(strstr(s, "\",2000,\""));
	free(s);
}

Test(html, cuts_fall_on_character_boundaries)
{
	/* 1200 two-byte characters: a cut at an odd byte would split one */
	char text[2401];
	size_t cut;
	char *s;

	for (int i = 0; i < 1200; i++) {
		text[2 * i] = (char)0xc3;
		text[2 * i + 1] = (char)0xa9;
	}
	text[2400] = '\0';
	s = capture_text(text, 403, NULL, &cut);
	/* half of 403 is 201, inside a character: the head ends at byte 200, the tail starts at 2198, not 2199 */
	cr_assert_eq(cut, 1998, "cut %zu", cut);
	for (char *p = s; *p; p++)
		if ((unsigned char)*p == 0xc3)
			cr_assert_eq((unsigned char)p[1], 0xa9);
	free(s);
}
