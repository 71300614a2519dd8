/* Unit tests of reading what is there: decompression (gzip members, zstd, xz, truncation), YAML to JSON,
 * JSON documents with a records path, and digests equal for plain and compressed input. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "ingest/decompress.h"
#include "ingest/source.h"
#include "ingest/yaml_json.h"

static const char text[] = "{\"id\": 1, \"text\": \"one\"}\n{\"id\": 2, \"text\": \"two\"}\n";

/* Writes len bytes to a new temporary file whose name ends in suffix; returns its name (caller frees). */
static char *write_temp(const char *suffix, const void *content, size_t len)
{
	static int counter;
	char *path = malloc(256);
	FILE *f;

	snprintf(path, 256, "/tmp/coseval-unit-src-%d-%d%s", (int)getpid(), counter++, suffix);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(content, 1, len, f), len);
	fclose(f);
	return path;
}

/* gzip-compresses src into out (a gzip member); returns its length. */
static size_t gzip_member(const char *src, size_t len, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof z);
	cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)src;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

/* Reads the whole file at path through cs_inflate into buf; returns the status and fills *len. */
static int inflate_file(const char *path, char *buf, size_t cap, size_t *len, enum cs_packing *packing,
			struct cs_err *err)
{
	struct cs_inflate *z = NULL;
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	int rc;

	*len = 0;
	cr_assert_geq(fd, 0);
	rc = cs_inflate_open(fd, path, &z, err);
	if (rc == CS_OK) {
		*packing = cs_inflate_packing(z);
		while ((rc = cs_inflate_read(z, buf + *len, cap - *len, &n, err)) == CS_OK && n > 0)
			*len += n;
	}
	cs_inflate_close(z);
	close(fd);
	return rc;
}

Test(decompress, gzip_members_zstd_xz_and_plain)
{
	unsigned char packed[4096];
	char out[4096];
	size_t len, n, half = 27;
	enum cs_packing packing;
	struct cs_err err;
	char *path;

	/* two gzip members, one after the other, are one stream */
	n = gzip_member(text, half, packed, sizeof packed);
	n += gzip_member(text + half, strlen(text) - half, packed + n, sizeof packed - n);
	path = write_temp(".gz", packed, n);
	cr_assert_eq(inflate_file(path, out, sizeof out, &len, &packing, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(packing, CS_PACKED_GZIP);
	cr_assert_eq(len, strlen(text));
	cr_assert_eq(memcmp(out, text, len), 0);
	unlink(path);
	free(path);

	/* truncated gzip */
	path = write_temp(".gz", packed, n - 5);
	cr_assert_eq(inflate_file(path, out, sizeof out, &len, &packing, &err), CS_INPUT);
	cr_assert_not_null(strstr(err.msg, "ends early"), "%s", err.msg);
	unlink(path);
	free(path);

	n = ZSTD_compress(packed, sizeof packed, text, strlen(text), 3);
	cr_assert(!ZSTD_isError(n));
	path = write_temp(".zst", packed, n);
	cr_assert_eq(inflate_file(path, out, sizeof out, &len, &packing, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(packing, CS_PACKED_ZSTD);
	cr_assert_eq(len, strlen(text));
	unlink(path);
	free(path);

	n = 0;
	cr_assert_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)text, strlen(text), packed, &n,
					     sizeof packed), LZMA_OK);
	path = write_temp(".xz", packed, n);
	cr_assert_eq(inflate_file(path, out, sizeof out, &len, &packing, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(packing, CS_PACKED_XZ);
	cr_assert_eq(memcmp(out, text, len), 0);
	unlink(path);
	free(path);

	path = write_temp(".jsonl", text, strlen(text));
	cr_assert_eq(inflate_file(path, out, sizeof out, &len, &packing, &err), CS_OK);
	cr_assert_eq(packing, CS_PACKED_NONE);
	cr_assert_eq(len, strlen(text));
	unlink(path);
	free(path);
}

Test(source, digest_of_compressed_equals_plain)
{
	unsigned char packed[4096];
	char plain_hex[65], gz_hex[65];
	struct cs_source *src = NULL;
	struct cs_err err;
	cJSON *rec = NULL;
	char *plain = write_temp(".jsonl", text, strlen(text));
	char *gz = write_temp(".jsonl.gz", packed, gzip_member(text, strlen(text), packed, sizeof packed));
	int count = 0;

	cr_assert_eq(cs_source_digest(plain, plain_hex, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_source_digest(gz, gz_hex, &err), CS_OK, "%s", err.msg);
	cr_assert_str_eq(plain_hex, gz_hex);
	cr_assert_eq(cs_source_open(gz, CS_FORMAT_AUTO, 0, &src, &err), CS_OK, "%s", err.msg);
	cr_assert_str_eq(cs_source_packing(src), "gzip");
	while (cs_source_next(src, &rec, &err) == CS_OK && rec != NULL) {
		count++;
		cJSON_Delete(rec);
	}
	cr_assert_eq(count, 2);
	cr_assert_str_eq(cs_source_sha256(src), plain_hex);
	cr_assert_eq(cs_source_bytes(src), (long long)strlen(text));
	cs_source_close(src);
	unlink(plain);
	unlink(gz);
	free(plain);
	free(gz);
}

Test(source, records_of_a_document)
{
	const char *doc = "{\"version\": 2,\n \"samples\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}],\n"
			  " \"byid\": {\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}}\n";
	char *path = write_temp(".json", doc, strlen(doc));
	struct cs_source *src = NULL;
	struct cs_err err;
	cJSON *rec = NULL;

	/* without --records: refused, naming the lists */
	cr_assert_eq(cs_source_open(path, CS_FORMAT_AUTO, 0, &src, &err), CS_INPUT);
	cr_assert_not_null(strstr(err.msg, "name its records with --records"), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, "$.samples (3 items)"), "%s", err.msg);

	cr_assert_eq(cs_source_open_records(path, CS_FORMAT_AUTO, "$.samples[*]", 0, &src, &err), CS_OK, "%s", err.msg);
	for (int i = 1; i <= 3; i++) {
		cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK, "%s", err.msg);
		cr_assert_eq(cJSON_GetObjectItem(rec, "id")->valueint, i);
		cr_assert_eq(cs_source_line(src), i);
		cJSON_Delete(rec);
	}
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK);
	cr_assert_null(rec);
	cs_source_close(src);

	cr_assert_eq(cs_source_open_records(path, CS_FORMAT_AUTO, "$.byid", 0, &src, &err), CS_OK, "%s", err.msg);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_OK, "%s", err.msg);
	cr_assert_str_eq(cJSON_GetObjectItem(rec, "@key")->valuestring, "a");
	cJSON_Delete(rec);
	cs_source_close(src);

	cr_assert_eq(cs_source_open_records(path, CS_FORMAT_AUTO, "$.version", 0, &src, &err), CS_OK);
	cr_assert_eq(cs_source_next(src, &rec, &err), CS_INPUT);
	cr_assert_not_null(strstr(err.msg, "finds a number, not a list or an object of records"), "%s", err.msg);
	cs_source_close(src);
	unlink(path);
	free(path);
}

Test(yaml, scalars_typed_as_the_core_schema)
{
	const char *y = "a: 5\nb: '5'\nc: 007\nd: 2.5\ne: true\nf: ~\ng: 12345678901234567890\nh: [x, \"y\"]\n"
			"i: |\n  two\n  lines\n";
	cJSON *docs = NULL, *d;
	struct cs_err err;

	cr_assert_eq(cs_yaml_to_json(y, strlen(y), "t.yaml", &docs, &err), CS_OK, "%s", err.msg);
	d = docs->child;
	cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(d, "a")));
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(d, "b")));
	cr_assert_str_eq(cJSON_GetObjectItem(d, "c")->valuestring, "007");
	cr_assert_float_eq(cJSON_GetObjectItem(d, "d")->valuedouble, 2.5, 1e-12);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(d, "e")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(d, "f")));
	cr_assert_str_eq(cJSON_GetObjectItem(d, "g")->valuestring, "12345678901234567890");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "h")), 2);
	cr_assert_str_eq(cJSON_GetObjectItem(d, "i")->valuestring, "two\nlines\n");
	cJSON_Delete(docs);

	cr_assert_eq(cs_yaml_to_json("a: &x 1\nb: *x\n", 14, "t.yaml", &docs, &err), CS_INPUT);
	cr_assert_not_null(strstr(err.msg, "anchors and aliases"), "%s", err.msg);
	cr_assert_eq(cs_yaml_to_json("a: 1\na: 2\n", 10, "t.yaml", &docs, &err), CS_INPUT);
	cr_assert_not_null(strstr(err.msg, "t.yaml:2: YAML key 'a' appears twice"), "%s", err.msg);
	cr_assert_eq(cs_yaml_to_json("a: [1, 2\n", 9, "t.yaml", &docs, &err), CS_INPUT);
	cr_assert_not_null(strstr(err.msg, "YAML error"), "%s", err.msg);
}
