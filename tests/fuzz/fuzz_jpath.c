/* libFuzzer target: the field-path parser and evaluator. The input is a path, a newline, and a JSON record. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ingest/jpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_jpath path;
	struct cs_jvalues vals;
	cJSON *record = NULL;
	char *buf, *json;
	int missing;

	if (size > 16384)
		return 0;
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	json = strchr(buf, '\n');
	if (json != NULL)
		*json++ = '\0';
	memset(&vals, 0, sizeof vals);
	if (cs_jpath_parse(buf, &path, NULL) == CS_OK) {
		record = cJSON_Parse(json != NULL ? json :
				     "{\"a\": [1, {\"role\": \"user\", \"b\": \"x_17\"}], \"messages\": []}");
		if (record != NULL)
			cs_jpath_eval(&path, record, 3, &vals, &missing);
		cs_jvalues_free(&vals);
		cJSON_Delete(record);
		cs_jpath_free(&path);
	}
	free(buf);
	return 0;
}
