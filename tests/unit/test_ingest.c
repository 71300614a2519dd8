/* Unit tests of the readers: JSON paths, field maps and the JSONL / JSON array / CSV record source; values;
 * the sample importer's handling of foreign keys. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/fieldmap.h"
#include "ingest/importer.h"
#include "ingest/jpath.h"
#include "ingest/source.h"
#include "ingest/values.h"

static char *write_temp(const char *suffix, const char *content, size_t len)
{
	static int counter;
	char *path = malloc(256);
	FILE *f;

	snprintf(path, 256, "/tmp/coseval-unit-%d-%d%s", (int)getpid(), counter++, suffix);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fwrite(content, 1, len, f);
	fclose(f);
	return path;
}

Test(jpath, lists_nested_keys_and_len)
{
	struct cs_jpath p;
	struct cs_jvalues v = { 0 };
	struct cs_err err;
	cJSON *rec = cJSON_Parse("{\"a\":{\"b\":[{\"t\":\"x\",\"ids\":[1,2,3]},{\"t\":\"y\",\"ids\":[]}]},"
				 "\"6b_ft\":{\"s\":\"z\"}}");
	int missing;

	cr_assert_eq(cs_jpath_parse("$.a.b[*].t", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(missing, 0);
	cr_assert_eq(v.count, 2);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[1]), "y");
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("len($.a.b[*].ids)", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(v.count, 2);
	cr_assert_eq(cs_json_int(v.items[0]), 3);
	cr_assert_eq(cs_json_int(v.items[1]), 0);
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("$.6b_ft.s", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "z");
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("$.a.b[1].t", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "y");
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("$.nothing[*].t", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(missing, 1);
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("@line", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 17, &v, &missing), CS_OK);
	cr_assert_eq(cs_json_int(v.items[0]), 17);
	cs_jpath_free(&p);

	cs_jvalues_free(&v);
	cJSON_Delete(rec);
}

Test(jpath, rejects_bad_paths)
{
	struct cs_jpath p;
	struct cs_err err;
	const char *bad[] = { "$.", "$.a[*].b[*]", "$.a[", "$.a[x]", "$..a", "$.a]" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(cs_jpath_parse(bad[i], &p, &err), CS_USAGE, "%s", bad[i]);
		cr_assert(strstr(err.msg, "invalid field path") != NULL);
	}
}

Test(fieldmap, first_present_candidate_wins_and_map_overrides)
{
	const char *names[] = { "id", "text" };
	struct cs_fieldmap m;
	struct cs_jvalues v = { 0 };
	struct cs_err err;
	cJSON *rec = cJSON_Parse("{\"idx\": 5, \"out\": \"hello\"}");
	const char *used;
	int missing;

	cs_fieldmap_init(&m, names, 2);
	cr_assert_eq(cs_fieldmap_default(&m, "id", "$.unique_id|$.idx", &err), CS_OK);
	cr_assert_eq(cs_field_eval(cs_fieldmap_get(&m, "id"), rec, 0, &v, &missing, &used), CS_OK);
	cr_assert_eq(missing, 0);
	cr_assert_str_eq(used, "$.idx");
	cr_assert_eq(cs_fieldmap_option(&m, "text=$.out", &err), CS_OK);
	cr_assert(cs_fieldmap_get(&m, "text")->explicit_map);
	cr_assert_eq(cs_field_eval(cs_fieldmap_get(&m, "text"), rec, 0, &v, &missing, &used), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "hello");
	cr_assert_eq(cs_fieldmap_option(&m, "nope=$.x", &err), CS_USAGE);
	cr_assert(strstr(err.msg, "fields: id, text") != NULL);
	cr_assert_eq(cs_fieldmap_option(&m, "text", &err), CS_USAGE);
	cs_fieldmap_free(&m);
	cs_jvalues_free(&v);
	cJSON_Delete(rec);
}

Test(source, jsonl_lines_blank_lines_and_digest)
{
	const char text[] = "{\"a\":1}\n\n{\"a\":2}\r\n{\"a\":3}";
	char *path = write_temp(".jsonl", text, sizeof text - 1);
	struct cs_source *src;
	struct cs_err err;
	cJSON *rec;
	long lines[3];
	int n = 0;

	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_OK);
	while (cs_source_next(src, &rec, &err) == CS_OK && rec != NULL) {
		cr_assert_eq(cs_json_int(cJSON_GetObjectItemCaseSensitive(rec, "a")), n + 1);
		lines[n++] = cs_source_line(src);
		cJSON_Delete(rec);
	}
	cr_assert_eq(n, 3);
	cr_assert_eq(lines[0], 1);
	cr_assert_eq(lines[1], 3);
	cr_assert_eq(lines[2], 4);
	cr_assert_eq(cs_source_bytes(src), (long long)(sizeof text - 1));
	cr_assert_eq(strlen(cs_source_sha256(src)), 64);
	cs_source_close(src);
	unlink(path);
	free(path);
}

Test(source, malformed_json_names_file_and_line)
{
	const char text[] = "{\"a\":1}\n{\"a\":2}\n{\"a\": }\n";
	char *path = write_temp(".jsonl", text, sizeof text - 1);
	struct cs_source *src;
	struct cs_err err;
	cJSON *rec;
	int rc;

	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_OK);
	while ((rc = cs_source_next(src, &rec, &err)) == CS_OK && rec != NULL)
		cJSON_Delete(rec);
	cr_assert_eq(rc, CS_INPUT);
	cr_assert(strstr(err.msg, ":3: malformed JSON") != NULL, "%s", err.msg);
	cs_source_close(src);
	unlink(path);
	free(path);
}

Test(source, line_limit_and_utf8)
{
	size_t big = 3 * 1024 * 1024;
	char *text = malloc(big + 32);
	char *path;
	struct cs_source *src;
	struct cs_err err;
	cJSON *rec;

	strcpy(text, "{\"a\":1}\n{\"t\":\"");
	memset(text + strlen(text), 'x', big);
	strcpy(text + 15 + big, "\"}\n");
	path = write_temp(".jsonl", text, strlen(text));
	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 1024 * 1024, &src, &err), CS_OK);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cJSON_Delete(rec);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_INPUT);
	cr_assert(strstr(err.msg, ":2: line is longer than the limit") != NULL, "%s", err.msg);
	cs_source_close(src);
	unlink(path);
	free(path);
	free(text);

	path = write_temp(".jsonl", "{\"t\":\"ok\"}\n{\"t\":\"\xff\"}\n", 22);
	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_OK);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cJSON_Delete(rec);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_INPUT);
	cr_assert(strstr(err.msg, ":2: invalid UTF-8") != NULL, "%s", err.msg);
	cs_source_close(src);
	unlink(path);
	free(path);
}

Test(source, empty_files_are_refused)
{
	char *path = write_temp(".jsonl", " \n\n", 3);
	struct cs_source *src;
	struct cs_err err;

	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_INPUT);
	cr_assert(strstr(err.msg, "empty") != NULL);
	unlink(path);
	free(path);
}

Test(source, csv_quoting_and_line_numbers)
{
	const char text[] = "problem_id,text,tokens\n"
			    "p1,\"a, b\",3\n"
			    "p2,\"line one\nline \"\"two\"\"\",5\n"
			    "p3,plain,7\n";
	char *path = write_temp(".csv", text, sizeof text - 1);
	struct cs_source *src;
	struct cs_err err;
	cJSON *rec;

	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_OK);
	cr_assert(cs_source_has_column(src, "tokens"));
	cr_assert(!cs_source_has_column(src, "label"));
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "text")), "a, b");
	cr_assert_eq(cs_source_line(src), 2);
	cJSON_Delete(rec);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "text")), "line one\nline \"two\"");
	cr_assert_eq(cs_source_line(src), 3);
	cJSON_Delete(rec);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "problem_id")), "p3");
	cr_assert_eq(cs_source_line(src), 5);
	cJSON_Delete(rec);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cr_assert_null(rec);
	cs_source_close(src);
	unlink(path);
	free(path);
}

Test(source, csv_short_row_is_an_error)
{
	const char text[] = "problem_id,text\np1,a\np2\n";
	char *path = write_temp(".csv", text, sizeof text - 1);
	struct cs_source *src;
	struct cs_err err;
	cJSON *rec;

	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_OK);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cJSON_Delete(rec);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_INPUT);
	cr_assert(strstr(err.msg, ":3: row has 1 fields, the header has 2") != NULL, "%s", err.msg);
	cs_source_close(src);
	unlink(path);
	free(path);
}

Test(source, json_array_elements)
{
	const char text[] = "[{\"q\":1},{\"q\":2}]";
	char *path = write_temp(".json", text, sizeof text - 1);
	struct cs_source *src;
	struct cs_err err;
	cJSON *rec;
	int n = 0;

	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_OK);
	while (cs_source_next(src, &rec, &err) == CS_OK && rec != NULL) {
		n++;
		cr_assert_eq(cs_source_line(src), n);
		cJSON_Delete(rec);
	}
	cr_assert_eq(n, 2);
	cs_source_close(src);
	unlink(path);
	free(path);
}

Test(jpath, join_concatenates_a_list_of_strings)
{
	struct cs_jpath p;
	struct cs_jvalues v = { 0 };
	struct cs_err err;
	cJSON *rec = cJSON_Parse("{\"steps\":[\"Step 1: a\",\"Step 2: b\"],\"empty\":[],\"one\":\"x\","
				 "\"mixed\":[\"a\",2],\"o\":[{\"t\":\"p\"},{\"t\":\"q\"}],\"k,\":[\"u\",\"v\"]}");
	int missing;

	cr_assert_eq(cs_jpath_parse("join($.steps)", &p, &err), CS_OK);
	cr_assert_eq(p.has_all, 0);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(missing, 0);
	cr_assert_eq(v.count, 1);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "Step 1: a\nStep 2: b");
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("join($.steps, \" | \")", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "Step 1: a | Step 2: b");
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("join($.steps,\"\\t\\\\\\\"\")", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "Step 1: a\t\\\"Step 2: b");
	cs_jpath_free(&p);

	/* a [*] path inside join: the values it yields are joined */
	cr_assert_eq(cs_jpath_parse("join($.o[*].t, \"\")", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(v.count, 1);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "pq");
	cs_jpath_free(&p);

	/* a comma inside a quoted key is part of the path, not the separator */
	cr_assert_eq(cs_jpath_parse("join($[\"k,\"], \"+\")", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "u+v");
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("join($.empty)", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(missing, 0);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "");
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("join($.one)", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_str_eq(cJSON_GetStringValue(v.items[0]), "x");
	cs_jpath_free(&p);

	/* a non-string element is handed back so that the caller names its type */
	cr_assert_eq(cs_jpath_parse("join($.mixed)", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(v.count, 1);
	cr_assert(cJSON_IsNumber(v.items[0]));
	cs_jpath_free(&p);

	cr_assert_eq(cs_jpath_parse("join($.absent)", &p, &err), CS_OK);
	cr_assert_eq(cs_jpath_eval(&p, rec, 0, &v, &missing), CS_OK);
	cr_assert_eq(missing, 1);
	cr_assert_eq(v.count, 0);
	cs_jpath_free(&p);

	cs_jvalues_free(&v);
	cJSON_Delete(rec);
}

Test(jpath, join_rejects_bad_forms)
{
	static const char *const bad[] = { "join()", "join($.a", "join($.a, sep)", "join($.a, \"x)", "join(len($.a))",
					   "join(join($.a))", "join(@line)", "join($.a, \"\\q\")", "join($.a, \"x\" \"y\")" };
	struct cs_jpath p;
	struct cs_err err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(cs_jpath_parse(bad[i], &p, &err), CS_USAGE, "%s", bad[i]);
		cr_assert(strstr(err.msg, bad[i]) != NULL, "%s: %s", bad[i], err.msg);
	}
}

Test(values, integer_keys_are_written_like_printf)
{
	static const double numbers[] = { 0, 7, 1319, -3, 9007199254740991.0, -9007199254740991.0 };
	struct cs_where w = { "f", 1, "problem", "$.id" };
	struct cs_err err;
	char buf[64], want[64], small[4];

	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		cJSON *v = cJSON_CreateNumber(numbers[i]);
		cr_assert_eq(cs_value_key(v, &w, buf, sizeof buf, &err), CS_OK);
		snprintf(want, sizeof want, "%lld", (long long)numbers[i]);
		cr_assert_str_eq(buf, want);
		/* a short buffer is truncated as snprintf truncates */
		cr_assert_eq(cs_value_key(v, &w, small, sizeof small, &err), CS_OK);
		snprintf(want, sizeof small, "%lld", (long long)numbers[i]);
		cr_assert_str_eq(small, want);
		cJSON_Delete(v);
	}
}

/* The value of a one-value query on st. */
static long long query_int(struct cs_store *st, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long long value = -1;

	cr_assert_eq(sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL), SQLITE_OK, "%s", sql);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

Test(import, samples_record_the_id_range_they_added)
{
	const char problems[] = "{\"id\": 1, \"question\": \"q1\", \"answer\": \"1\"}\n"
				"{\"id\": 2, \"question\": \"q2\", \"answer\": \"2\"}\n";
	const char first[] = "{\"problem_id\": 1, \"text\": \"a\"}\n{\"problem_id\": 2, \"text\": \"b\"}\n";
	const char second[] = "{\"problem_id\": 2, \"text\": \"c\"}\n{\"problem_id\": 1, \"text\": \"d\"}\n"
			      "{\"problem_id\": 1, \"text\": \"e\"}\n";
	char *ppath = write_temp(".jsonl", problems, sizeof problems - 1);
	char *path1 = write_temp(".jsonl", first, sizeof first - 1);
	char *path2 = write_temp(".jsonl", second, sizeof second - 1);
	char *db = write_temp(".db", "", 0);
	struct cs_problem_import pi = { .path = ppath, .dataset = "t", .profile = "generic" };
	struct cs_sample_import si = { .path = path1, .run = "r", .model = "m", .dataset = "t" };
	struct cs_import_stats stats;
	struct cs_store *st = NULL;
	struct cs_err err;
	sqlite3_int64 lo = 0, hi = -1;

	unlink(db);
	cr_assert_eq(cs_store_open(db, 1, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_import_problems(st, &pi, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	/* another run in between, then the first run again: its range spans the other run's samples */
	si.run = "other";
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	si.run = "r";
	si.path = path2;
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM imports i WHERE kind = 'samples'"
			       " AND first_sample_id = (SELECT MIN(id) FROM samples WHERE import_id = i.id)"
			       " AND last_sample_id = (SELECT MAX(id) FROM samples WHERE import_id = i.id)"), 3,
		     "each samples import records the smallest and largest id it added");
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM imports WHERE kind = 'problems' AND first_sample_id IS NULL"), 1);
	cr_assert_eq(cs_store_run_range(st, query_int(st, "SELECT id FROM runs WHERE name = 'r'"), &lo, &hi, &err),
		     CS_OK);
	cr_assert_eq(lo, 1);
	cr_assert_eq(hi, 7);
	/* a failed import records nothing, and the next one records its own range */
	si.path = ppath;
	cr_assert_neq(cs_import_samples(st, &si, &stats, &err), CS_OK);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM imports"), 4);
	/* a sample of run r written by hand past the recorded ranges is recorded by the next import, here one
	 * into another run: r's range then reaches it */
	cr_assert_eq(sqlite3_exec(st->db, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				  " SELECT run_id, problem_id, 9, 'by hand', import_id FROM samples WHERE id = 1",
				  NULL, NULL, NULL), SQLITE_OK);
	si.path = path2;
	si.run = "third";
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(query_int(st, "SELECT last_sample_id FROM imports WHERE id = 2"), 8);
	cr_assert_eq(query_int(st, "SELECT first_sample_id FROM imports WHERE run_id = (SELECT id FROM runs WHERE name = 'third')"), 9);
	cr_assert_eq(query_int(st, "SELECT last_sample_id FROM imports WHERE run_id = (SELECT id FROM runs WHERE name = 'third')"), 11);
	cr_assert_eq(cs_store_run_range(st, query_int(st, "SELECT id FROM runs WHERE name = 'r'"), &lo, &hi, &err),
		     CS_OK);
	cr_assert_eq(hi, 8, "the sample written by hand is in run r's range");
	cs_store_close(st);
	unlink(ppath);
	unlink(path1);
	unlink(path2);
	unlink(db);
	free(ppath);
	free(path1);
	free(path2);
	free(db);
}

Test(import, samples_switch_foreign_keys_off_only_for_their_transaction)
{
	const char problems[] = "{\"id\": 1, \"question\": \"q1\", \"answer\": \"1\"}\n"
				"{\"id\": -3, \"question\": \"q2\", \"answer\": \"2\"}\n";
	const char samples[] = "{\"problem_id\": 1, \"text\": \"a\", \"tokens\": 3}\n"
			       "{\"problem_id\": -3, \"text\": \"b\"}\n{\"problem_id\": \"1\", \"text\": \"c\"}\n";
	const char unknown[] = "{\"problem_id\": 1, \"text\": \"d\"}\n{\"problem_id\": 99, \"text\": \"e\"}\n";
	char *ppath = write_temp(".jsonl", problems, sizeof problems - 1);
	char *spath = write_temp(".jsonl", samples, sizeof samples - 1);
	char *upath = write_temp(".jsonl", unknown, sizeof unknown - 1);
	char *db = write_temp(".db", "", 0);
	struct cs_problem_import pi = { .path = ppath, .dataset = "t", .profile = "generic" };
	struct cs_sample_import si = { .path = spath, .run = "r", .model = "m", .dataset = "t" };
	struct cs_import_stats stats;
	struct cs_store *st = NULL;
	struct cs_err err;

	unlink(db);
	cr_assert_eq(cs_store_open(db, 1, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_import_problems(st, &pi, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(stats.samples, 3);
	cr_assert_eq(query_int(st, "PRAGMA foreign_keys"), 1);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM samples s JOIN problems p ON p.id = s.problem_id "
			       "WHERE p.problem_key = '-3' AND s.text = 'b'"), 1);
	cr_assert_eq(query_int(st, "SELECT MAX(sample_index) FROM samples s JOIN problems p ON p.id = s.problem_id "
			       "WHERE p.problem_key = '1'"), 1);

	/* a failed import rolls back and switches foreign keys back on too */
	si.path = upath;
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_INPUT);
	cr_assert(strstr(err.msg, ":2: field \"problem\"") != NULL, "%s", err.msg);
	cr_assert_eq(query_int(st, "PRAGMA foreign_keys"), 1);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM samples"), 3);

	/* a new run's dataset is still checked once, with the message SQLite gives */
	cr_assert_eq(sqlite3_exec(st->db, "PRAGMA foreign_keys = OFF; DELETE FROM datasets; PRAGMA foreign_keys = ON",
				  NULL, NULL, NULL), SQLITE_OK);
	si.path = spath;
	si.run = "r2";
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_DB);
	cr_assert(strstr(err.msg, ": saving the run: FOREIGN KEY constraint failed") != NULL, "%s", err.msg);
	cr_assert_eq(query_int(st, "PRAGMA foreign_keys"), 1);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM runs"), 1);

	cs_store_close(st);
	unlink(db);
	unlink(ppath);
	unlink(spath);
	unlink(upath);
	free(db);
	free(ppath);
	free(spath);
	free(upath);
}

/* A line of a dump that write_dump writes differently: its problem and explicit sample index. */
struct dump_line {
	long line;
	int problem;
	int index;
};

/* Writes a dump of n lines to a new temporary file: line L names problem 2 + (L * 7919) % 49 (problems 2..50,
 * in no order) with no sample index and text "tL", except the lines listed in special (in line order), which
 * name their problem and index (none when negative) and have text "sL". */
static char *write_dump(long n, const struct dump_line *special, size_t nspecial)
{
	char *path = write_temp(".jsonl", "", 0);
	FILE *f = fopen(path, "w");
	size_t k = 0;

	cr_assert_not_null(f);
	for (long line = 1; line <= n; line++) {
		if (k < nspecial && special[k].line == line && special[k].index < 0) {
			fprintf(f, "{\"problem_id\": %d, \"text\": \"s%ld\"}\n", special[k].problem, line);
			k++;
		} else if (k < nspecial && special[k].line == line) {
			fprintf(f, "{\"problem_id\": %d, \"sample_index\": %d, \"text\": \"s%ld\"}\n", special[k].problem,
				special[k].index, line);
			k++;
		} else {
			fprintf(f, "{\"problem_id\": %ld, \"text\": \"t%ld\"}\n", 2 + (line * 7919) % 49, line);
		}
	}
	cr_assert_eq(fclose(f), 0);
	return path;
}

/* A database with problems 1..50 of dataset t and run r holding samples 0..9 of problem 1; *db and *ppath are
 * the files to remove. */
static struct cs_store *fifty_problems(char **db, char **ppath)
{
	char problems[4096] = "", small[1024] = "";
	struct cs_problem_import pi = { .dataset = "t", .profile = "generic" };
	struct cs_sample_import si = { .run = "r", .model = "m", .dataset = "t" };
	struct cs_import_stats stats;
	struct cs_store *st = NULL;
	struct cs_err err;
	char *spath;

	for (int i = 1; i <= 50; i++)
		snprintf(problems + strlen(problems), sizeof problems - strlen(problems),
			 "{\"id\": %d, \"question\": \"q%d\", \"answer\": \"%d\"}\n", i, i, i);
	for (int i = 0; i < 10; i++)
		snprintf(small + strlen(small), sizeof small - strlen(small), "{\"problem_id\": 1, \"text\": \"x%d\"}\n", i);
	*ppath = write_temp(".jsonl", problems, strlen(problems));
	spath = write_temp(".jsonl", small, strlen(small));
	*db = write_temp(".db", "", 0);
	unlink(*db);
	pi.path = *ppath;
	si.path = spath;
	cr_assert_eq(cs_store_open(*db, 1, &st, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_import_problems(st, &pi, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	unlink(spath);
	free(spath);
	return st;
}

/* The number of (run, problem) pairs whose sample indexes are not exactly 0..n-1. */
static const char gaps_sql[] = "SELECT COUNT(*) FROM (SELECT COUNT(*) AS n, MAX(sample_index) AS top FROM samples"
			       " GROUP BY run_id, problem_id) WHERE n != top + 1";

/* Dumps larger than the point where an import sets the samples' key aside (65,536 rows) and builds it again
 * after the rows: the same numbering, the key back in place, and into an existing run too. */
Test(import, a_bulk_load_numbers_samples_as_before_and_keeps_the_key)
{
	/* problem 1 first appears past the point where the key is set aside: its indexes continue after the
	 * run's 10 */
	struct dump_line late[] = { { 68000, 1, -1 }, { 68001, 1, -1 } };
	char *db, *ppath, *big, *later;
	struct cs_sample_import si = { .run = "r", .model = "m", .dataset = "t" };
	struct cs_import_stats stats;
	struct cs_store *st = fifty_problems(&db, &ppath);
	struct cs_err err;
	long long cookie;

	big = write_dump(70000, NULL, 0);
	later = write_dump(70000, late, 2);
	si.path = big;
	si.run = "new";
	cookie = query_int(st, "PRAGMA schema_version");
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(stats.samples, 70000);
	cr_assert_eq(query_int(st, "PRAGMA schema_version") - cookie, 2, "the key was dropped and built again");
	cr_assert_eq(query_int(st, "PRAGMA temp_store"), 2, "built with temporary files, then back to memory");
	cr_assert_eq(query_int(st, "PRAGMA cache_size"), -65536, "the connection's cache as it was");
	cr_assert_eq(query_int(st, "PRAGMA threads"), 0);
	si.path = later;
	si.run = "r";
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(stats.samples, 70000);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM samples"), 140010);
	cr_assert_eq(query_int(st, gaps_sql), 0, "every problem of every run numbered 0..n-1 in file order");
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM samples WHERE problem_id = 1 AND run_id = 1"
			       " AND ((sample_index = 10 AND text = 's68000') OR (sample_index = 11 AND text = 's68001'))"), 2);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'samples_key'"
			       " AND tbl_name = 'samples'"), 1, "the key is back");
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM (SELECT DISTINCT run_id, problem_id, sample_index FROM samples)"),
		     140010);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM samples WHERE text = 't1' AND sample_index = 0"), 2,
		     "ids and indexes follow the file");
	cr_assert_eq(query_int(st, "SELECT MIN(id) FROM samples WHERE text = 't1'"), 11);
	cr_assert_eq(query_int(st, "SELECT MIN(id) FROM samples WHERE text = 't70000'"), 70010);
	cr_assert_eq(query_int(st, "SELECT MAX(id) FROM samples WHERE text = 't70000'"), 140010);
	cs_store_close(st);
	unlink(db);
	unlink(ppath);
	unlink(big);
	unlink(later);
	free(db);
	free(ppath);
	free(big);
	free(later);
}

/* Imports a dump of 70,000 lines with the lines of special into run, expects it refused with a message that
 * contains want after the file name, and the database unchanged. */
static void refused(struct cs_store *st, const char *run, const struct dump_line *special, size_t nspecial,
		    const char *want)
{
	char *path = write_dump(70000, special, nspecial);
	struct cs_sample_import si = { .path = path, .run = run, .model = "m", .dataset = "t" };
	struct cs_import_stats stats;
	struct cs_err err;
	char expected[512];
	long long samples = query_int(st, "SELECT COUNT(*) FROM samples");
	long long imports = query_int(st, "SELECT COUNT(*) FROM imports");

	snprintf(expected, sizeof expected, "%s%s", path, want);
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_INPUT, "%s", err.msg);
	cr_assert(strstr(err.msg, expected) != NULL, "wanted '%s' in: %s", expected, err.msg);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM samples"), samples, "nothing lands");
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM imports"), imports);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'samples_key'"), 1);
	cr_assert_eq(query_int(st, "PRAGMA foreign_keys"), 1);
	unlink(path);
	free(path);
}

/* A repeated sample in a dump larger than the point where an import sets the samples' key aside: refused at the
 * line that repeats it, whether the first copy came before that point, after it, or from an earlier import. */
Test(import, a_bulk_load_refuses_a_repeated_sample_at_its_line)
{
	/* the first line names problem 2 + 7919 % 49 = 39: its first sample, index 0 */
	const struct dump_line before[] = { { 69000, 39, 0 } };
	const struct dump_line after[] = { { 67000, 3, 900000 }, { 69500, 3, 900000 } };
	const struct dump_line existing[] = { { 68000, 1, 4 } };
	const struct dump_line both[] = { { 66000, 5, 7000 }, { 66001, 5, 7000 } };
	/* not a repeat: explicit indexes below the problem's next one that fill a gap are kept */
	const struct dump_line gaps[] = { { 66000, 4, 500000 }, { 67000, 4, 400000 }, { 67001, 4, 400001 },
					  { 135000, 4, 300000 }, { 139999, 4, 300001 } };
	char *db, *ppath, *path;
	struct cs_store *st = fifty_problems(&db, &ppath);
	struct cs_sample_import si = { .run = "g", .model = "m", .dataset = "t" };
	struct cs_import_stats stats;
	struct cs_err err;
	long long cookie;

	refused(st, "r2", before, 1, ":69000: field \"index\": sample 0 of this problem is already in run 'r2'");
	refused(st, "r2", after, 2, ":69500: field \"index\": sample 900000 of this problem is already in run 'r2'");
	refused(st, "r", existing, 1, ":68000: field \"index\": sample 4 of this problem is already in run 'r'");
	refused(st, "r", both, 2, ":66001: field \"index\": sample 7000 of this problem is already in run 'r'");

	/* the key is set aside at row 65,537, built again for line 67000, set aside again 65,536 rows later and
	 * built again for line 135000 and at the end: two drops and two builds, each a change of the schema */
	path = write_dump(140000, gaps, 5);
	si.path = path;
	cookie = query_int(st, "PRAGMA schema_version");
	cr_assert_eq(cs_import_samples(st, &si, &stats, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(stats.samples, 140000);
	cr_assert_eq(query_int(st, "PRAGMA schema_version") - cookie, 4);
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'g'"
			       " AND problem_id = 4 AND sample_index IN (300000, 300001, 400000, 400001, 500000, 500001)"),
		     6, "the gaps filled, and the implicit indexes after 500000 continue from it");
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM (SELECT DISTINCT run_id, problem_id, sample_index FROM samples)"),
		     query_int(st, "SELECT COUNT(*) FROM samples"));
	cr_assert_eq(query_int(st, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'samples_key'"), 1);
	/* and the key still refuses a repeat written by other means */
	cr_assert_neq(sqlite3_exec(st->db, "INSERT INTO samples (run_id, problem_id, sample_index, text, import_id)"
				   " SELECT run_id, problem_id, sample_index, 'again', import_id FROM samples LIMIT 1",
				   NULL, NULL, NULL), SQLITE_OK);
	cs_store_close(st);
	unlink(db);
	unlink(ppath);
	unlink(path);
	free(db);
	free(ppath);
	free(path);
}

/* Everything a reader hands out, one line per record: line, index and the record as JSON; then how it ended. */
static char *read_all(const char *path, enum cs_format format, int ahead, char sha[65], long long *bytes)
{
	struct cs_source *src = NULL;
	struct cs_err err;
	size_t cap = 8 << 20, used = 0;
	char *out = calloc(cap, 1);
	cJSON *record = NULL;
	int rc;

	cr_assert_not_null(out);
	cr_assert_eq(cs_source_open(path, format, 0, &src, &err), CS_OK, "%s", err.msg);
	if (ahead)
		cr_assert_eq(cs_source_read_ahead(src), 0);
	while ((rc = cs_source_next(src, &record, &err)) == CS_OK && record != NULL) {
		char *json = cJSON_PrintUnformatted(record);
		used += (size_t)snprintf(out + used, cap - used, "%ld %ld %s\n", cs_source_line(src),
					 cs_source_index(src), json);
		cr_assert_lt(used, cap - 1);
		free(json);
		cs_source_release(src, record);
	}
	used += (size_t)snprintf(out + used, cap - used, "end %d %s", rc, rc == CS_OK ? "" : err.msg);
	if (rc == CS_OK) {
		/* asking again repeats the end */
		cr_assert_eq(cs_source_next(src, &record, &err), CS_OK);
		cr_assert_null(record);
		memcpy(sha, cs_source_sha256(src), 65);
		*bytes = cs_source_bytes(src);
	}
	cs_source_close(src);
	return out;
}

Test(source, reading_ahead_hands_out_the_same_records_lines_and_errors)
{
	char *good = malloc(4 << 20), *bad;
	size_t len = 0;
	char *paths[4];
	char sha_a[65] = "", sha_b[65] = "";
	long long bytes_a = 0, bytes_b = 0;

	cr_assert_not_null(good);
	/* 3,000 records (many times the ring), blank lines, long and short lines */
	for (int i = 0; i < 3000; i++) {
		len += (size_t)sprintf(good + len, "{\"id\": %d, \"text\": \"%0*d\"}\n%s", i, 1 + (i * 37) % 900, i,
				       i % 7 == 0 ? "\n" : "");
	}
	paths[0] = write_temp(".jsonl", good, len);
	/* the same with a malformed line in the middle */
	bad = strdup(good);
	memcpy(strstr(bad, "{\"id\": 1234,"), "{\"id\"; 1234,", 12);
	paths[1] = write_temp(".jsonl", bad, len);
	paths[2] = write_temp(".csv", "id,text\n1,a\n2,\"b\nc\"\n3,d\n", 24);
	paths[3] = write_temp(".json", "[{\"a\": 1}, {\"a\": 2}, {\"a\": 3}]", 30);
	for (int f = 0; f < 4; f++) {
		enum cs_format format = f == 2 ? CS_FORMAT_CSV : f == 3 ? CS_FORMAT_JSON_ARRAY : CS_FORMAT_JSONL;
		char *plain = read_all(paths[f], format, 0, sha_a, &bytes_a);
		char *ahead = read_all(paths[f], format, 1, sha_b, &bytes_b);
		cr_assert_str_eq(plain, ahead, "file %d", f);
		cr_assert_str_eq(sha_a, sha_b);
		cr_assert_eq(bytes_a, bytes_b);
		free(plain);
		free(ahead);
	}
	{
		char *plain = read_all(paths[1], CS_FORMAT_JSONL, 0, sha_a, &bytes_a);
		cr_assert(strstr(plain, "end 3 ") != NULL && strstr(plain, ":1412:") != NULL, "%s",
			  strrchr(plain, '\n'));
		free(plain);
	}
	/* closing early, with the thread blocked on a full ring, neither hangs nor leaks */
	{
		struct cs_source *src = NULL;
		struct cs_err err;
		cJSON *record = NULL;

		cr_assert_eq(cs_source_open(paths[0], CS_FORMAT_JSONL, 0, &src, &err), CS_OK);
		cr_assert_eq(cs_source_read_ahead(src), 0);
		cr_assert_eq(cs_source_next(src, &record, &err), CS_OK);
		cr_assert_eq(cs_source_line(src), 1);
		cJSON_Delete(record);
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
		cs_source_close(src);
	}
	for (int f = 0; f < 4; f++) {
		unlink(paths[f]);
		free(paths[f]);
	}
	free(good);
	free(bad);
}
