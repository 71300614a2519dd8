/* The streaming grader on the shared grading cases: the same verdicts, counts and first error whether it
 * runs in the calling thread (threads 0) or with a reader and 1 or 3 worker threads. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grade/stream.h"

/* Appends one stream line {"id": N, "gold": gold, "text": text} to f. */
static void put_line(FILE *f, int id, const char *gold, const char *text)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddNumberToObject(o, "id", id);
	cJSON_AddStringToObject(o, "gold", gold);
	cJSON_AddStringToObject(o, "text", text);
	s = cJSON_PrintUnformatted(o);
	fprintf(f, "%s\n", s);
	cJSON_free(s);
	cJSON_Delete(o);
}

/* Writes the stream input into a new temporary file: every case of extraction.jsonl (text and answer) and
 * peer_cases.jsonl (pred and gold), more than one batch of 256 lines, with blank lines between some; when
 * bad_at > 0 the line after the bad_at-th sample is not JSON. Skips the test without $COSEVAL_GRADING. */
static FILE *stream_input(int bad_at, int *samples)
{
	static const char *const files[] = { "extraction.jsonl", "peer_cases.jsonl" };
	const char *dir = getenv("COSEVAL_GRADING");
	FILE *in = tmpfile();
	char *buf = NULL;
	size_t cap = 0;
	struct stat st;
	int id = 0;

	if (dir == NULL || stat(dir, &st) != 0)
		cr_skip_test("COSEVAL_GRADING is not set or missing");
	cr_assert_not_null(in);
	for (int k = 0; k < 2; k++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", dir, files[k]);
		f = fopen(path, "r");
		cr_assert_not_null(f, "%s is missing", path);
		while (getline(&buf, &cap, f) > 0) {
			cJSON *row = cJSON_Parse(buf);
			const char *text, *gold;

			cr_assert_not_null(row);
			text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, k == 0 ? "text" : "pred"));
			gold = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, k == 0 ? "answer" : "gold"));
			if (text != NULL && gold != NULL) {
				put_line(in, id++, gold, text);
				if (id % 17 == 0)
					fputs("\n  \n", in);
				if (id == bad_at)
					fputs("{\"gold\": \"1\", \"text\": \n", in);
			}
			cJSON_Delete(row);
		}
		fclose(f);
	}
	free(buf);
	cr_assert_gt(id, 256, "the cases fill more than one batch");
	fflush(in);
	rewind(in);
	*samples = id;
	return in;
}

struct result {
	char *out;
	size_t len;
	int rc;
	struct cs_stream_stats stats;
	struct cs_err err;
};

/* Grades a fresh copy of the input with the given number of threads. */
static void run(int threads, int bad_at, struct result *r, int *samples)
{
	struct cs_stream_opts opt = { threads, CS_PROFILE_MATH, NULL, "cases", NULL };
	struct cs_fieldmap map;
	FILE *in = stream_input(bad_at, samples);
	FILE *out = open_memstream(&r->out, &r->len);

	cr_assert_not_null(out);
	cr_assert_eq(cs_stream_fieldmap(&map, &r->err), CS_OK);
	opt.map = &map;
	r->rc = cs_grade_stream(in, out, &opt, &r->stats, &r->err);
	fclose(out);
	fclose(in);
	cs_fieldmap_free(&map);
}

static int count_lines(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

Test(stream, calling_thread_equals_worker_threads)
{
	struct result r[3];
	int threads[3] = { 0, 1, 3 }, samples = 0;

	for (int i = 0; i < 3; i++) {
		run(threads[i], 0, &r[i], &samples);
		cr_assert_eq(r[i].rc, CS_OK, "threads %d: %s", threads[i], r[i].err.msg);
		cr_assert_eq(r[i].stats.graded, samples);
		cr_assert_eq(count_lines(r[i].out, r[i].len), samples);
	}
	cr_assert_gt(r[0].stats.correct, 0);
	cr_assert_gt(r[0].stats.wrong, 0);
	for (int i = 1; i < 3; i++) {
		cr_assert_eq(r[i].len, r[0].len, "threads %d: output differs in length", threads[i]);
		cr_assert(memcmp(r[i].out, r[0].out, r[0].len) == 0, "threads %d: output differs", threads[i]);
		cr_assert_eq(r[i].stats.lines, r[0].stats.lines);
		cr_assert_eq(r[i].stats.correct, r[0].stats.correct);
		cr_assert_eq(r[i].stats.wrong, r[0].stats.wrong);
		cr_assert_eq(r[i].stats.no_answer, r[0].stats.no_answer);
	}
	for (int i = 0; i < 3; i++)
		free(r[i].out);
}

Test(stream, a_bad_line_in_the_second_batch_stops_every_mode_alike)
{
	struct result r[3];
	int threads[3] = { 0, 1, 3 }, samples = 0;

	for (int i = 0; i < 3; i++) {
		run(threads[i], 270, &r[i], &samples);
		cr_assert_eq(r[i].rc, CS_INPUT, "threads %d", threads[i]);
		cr_assert_eq(r[i].stats.graded, 270, "threads %d: every verdict before the bad line", threads[i]);
		cr_assert_eq(count_lines(r[i].out, r[i].len), 270);
		cr_assert(strstr(r[i].err.msg, "malformed JSON") != NULL, "%s", r[i].err.msg);
	}
	cr_assert_str_eq(r[1].err.msg, r[0].err.msg);
	cr_assert_str_eq(r[2].err.msg, r[0].err.msg);
	cr_assert(strncmp(r[0].err.msg, "cases:", 6) == 0, "the message names the input and line: %s", r[0].err.msg);
	for (int i = 1; i < 3; i++)
		cr_assert(r[i].len == r[0].len && memcmp(r[i].out, r[0].out, r[0].len) == 0);
	for (int i = 0; i < 3; i++)
		free(r[i].out);
}
