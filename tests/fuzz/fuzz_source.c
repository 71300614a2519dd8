/* libFuzzer target: the record sources. The first byte picks the form (JSON lines, JSON array, CSV, YAML, a JSON
 * document with --records '$'); the rest is written to a file (in /dev/shm when there is one), which is read
 * record by record, plain or compressed as its bytes say. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ingest/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "in.jsonl", "in.json", "in.csv", "in.yaml", "in.json" };
	/* in memory when the machine has /dev/shm: a file per input costs more than reading it on a disk */
	static const char *base;
	char dir[64], path[96];
	struct cs_source *src = NULL;
	struct cs_err err;
	cJSON *record;
	FILE *f;
	int form;

	if (base == NULL)
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/coseval-fuzz-XXXXXX", base);
	if (size < 1 || size > 65536 || mkdtemp(dir) == NULL)
		return 0;
	form = data[0] % 5;
	snprintf(path, sizeof path, "%s/%s", dir, names[form]);
	f = fopen(path, "wb");
	if (f != NULL && fwrite(data + 1, 1, size - 1, f) == size - 1 && fclose(f) == 0) {
		enum cs_format fmt = form == 1 ? CS_FORMAT_JSON_ARRAY : form == 2 ? CS_FORMAT_CSV :
				     form == 3 ? CS_FORMAT_YAML : CS_FORMAT_AUTO;
		if (cs_source_open_records(path, fmt, form == 4 ? "$" : NULL, 1 << 16, &src, &err) == CS_OK) {
			for (int n = 0; n < 10000 && cs_source_next(src, &record, &err) == CS_OK && record != NULL; n++)
				cs_source_release(src, record);
			cs_source_close(src);
		}
	}
	unlink(path);
	rmdir(dir);
	return 0;
}
