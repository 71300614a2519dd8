/* Benchmark behind the choice of JSON parser: parses every line of JSONL files with jansson and with cJSON
 * and prints MB/s for each, and whether each parser rejects invalid UTF-8. */
#include <cjson/cJSON.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* Parses each line with the chosen parser; returns the number of lines parsed. */
static long parse_all(char *buf, size_t len, int use_cjson)
{
	long lines = 0;
	char *p = buf, *end = buf + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0) {
			if (use_cjson) {
				cJSON *v = cJSON_ParseWithLength(p, n);
				lines += v != NULL;
				cJSON_Delete(v);
			} else {
				json_error_t err;
				json_t *v = json_loadb(p, n, 0, &err);
				lines += v != NULL;
				json_decref(v);
			}
		}
		p += n + 1;
	}
	return lines;
}

int main(int argc, char **argv)
{
	int rounds = 5;
	const char bad[] = "{\"t\": \"\xff\"}";
	json_error_t jerr;
	json_t *jv = json_loadb(bad, sizeof bad - 1, 0, &jerr);
	cJSON *cv = cJSON_ParseWithLength(bad, sizeof bad - 1);

	printf("invalid UTF-8 rejected: jansson %s, cJSON %s\n", jv ? "no" : "yes", cv ? "no" : "yes");
	json_decref(jv);
	cJSON_Delete(cv);
	printf("%-60s %10s %12s %12s\n", "file", "MB", "jansson MB/s", "cJSON MB/s");
	for (int i = 1; i < argc; i++) {
		size_t len;
		char *buf = slurp(argv[i], &len);
		double t0, t1, t2;
		long a = 0, b = 0;

		if (buf == NULL) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 3;
		}
		t0 = now();
		for (int r = 0; r < rounds; r++)
			a += parse_all(buf, len, 0);
		t1 = now();
		for (int r = 0; r < rounds; r++)
			b += parse_all(buf, len, 1);
		t2 = now();
		printf("%-60s %10.1f %12.0f %12.0f  (%ld / %ld lines)\n", argv[i], len / 1e6,
		       rounds * len / 1e6 / (t1 - t0), rounds * len / 1e6 / (t2 - t1), a / rounds, b / rounds);
		free(buf);
	}
	return 0;
}
