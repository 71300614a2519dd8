/* Writing reports atomically: a temporary file renamed into place only after a checked close. */
#include "output.h"
#include "json_out.h"
#include "util/sha256.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cs_output_open(struct cs_output *out, const char *path, struct cs_err *err)
{
	memset(out, 0, sizeof *out);
	if (path == NULL || strcmp(path, "-") == 0) {
		out->f = stdout;
		return CS_OK;
	}
	out->path = strdup(path);
	out->tmp = malloc(strlen(path) + 5);
	if (out->path == NULL || out->tmp == NULL) {
		free(out->path);
		free(out->tmp);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	strcpy(out->tmp, path);
	strcat(out->tmp, ".tmp");
	out->f = fopen(out->tmp, "w");
	if (out->f == NULL) {
		int rc = cs_fail(err, CS_INPUT, "%s: cannot write: %s", path, strerror(errno));
		free(out->path);
		free(out->tmp);
		memset(out, 0, sizeof *out);
		return rc;
	}
	return CS_OK;
}

int cs_output_close(struct cs_output *out, int failed, struct cs_err *err)
{
	int rc = CS_OK;

	if (out->f == NULL)
		return CS_OK;
	if (out->path == NULL) {
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = cs_fail(err, CS_INPUT, "error writing standard output");
		out->f = NULL;
		return failed ? CS_OK : rc;
	}
	if (fclose(out->f) != 0 && !failed)
		rc = cs_fail(err, CS_INPUT, "%s: error writing: %s", out->path, strerror(errno));
	if (failed || rc != CS_OK)
		remove(out->tmp);
	else if (rename(out->tmp, out->path) != 0)
		rc = cs_fail(err, CS_INPUT, "%s: cannot rename into place: %s", out->path, strerror(errno));
	free(out->path);
	free(out->tmp);
	memset(out, 0, sizeof *out);
	return rc;
}

/* The SHA-256 (hex) and size of the file at path. CS_OK, CS_INPUT (cannot read it) or CS_INTERNAL. */
static int hash_file(const char *path, char hex[65], long long *bytes, struct cs_err *err)
{
	struct cs_sha256 sha;
	char buf[1 << 16];
	FILE *f;
	size_t n;
	int rc = CS_OK;

	*bytes = 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return cs_fail(err, CS_INPUT, "%s: cannot read: %s", path, strerror(errno));
	if (cs_sha256_init(&sha) != 0) {
		fclose(f);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		cs_sha256_update(&sha, buf, n);
		*bytes += (long long)n;
	}
	if (ferror(f))
		rc = cs_fail(err, CS_INPUT, "%s: cannot read: %s", path, strerror(errno));
	fclose(f);
	if (rc == CS_OK)
		cs_sha256_hex(&sha, hex);
	else
		cs_sha256_discard(&sha);
	return rc;
}

/* The provenance document of the CSV file written to tmp, to be named path: a copy of doc without "rows",
 * with "csv": {"file", "bytes", "sha256"}. *out is owned by the caller. */
static int provenance_doc(const cJSON *doc, const char *path, const char *tmp, cJSON **out, struct cs_err *err)
{
	cJSON *copy, *csv;
	long long bytes;
	char hex[65];
	int rc, bad;

	*out = NULL;
	rc = hash_file(tmp, hex, &bytes, err);
	if (rc != CS_OK)
		return rc;
	copy = cJSON_Duplicate(doc, 1);
	if (copy == NULL)
		return cs_fail(err, CS_INTERNAL, "out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "rows");
	csv = cJSON_AddObjectToObject(copy, "csv");
	bad = csv == NULL || cJSON_AddStringToObject(csv, "file", path) == NULL ||
	      cs_json_add_num(csv, "bytes", (double)bytes) != 0 || cJSON_AddStringToObject(csv, "sha256", hex) == NULL;
	if (bad) {
		cJSON_Delete(copy);
		return cs_fail(err, CS_INTERNAL, "out of memory");
	}
	*out = copy;
	return CS_OK;
}

int cs_output_close_provenance(struct cs_output *out, int failed, const cJSON *doc, struct cs_err *err)
{
	struct cs_output side = { 0 };
	cJSON *prov = NULL;
	char *side_path = NULL;
	int rc = CS_OK;

	if (out->f == NULL || out->path == NULL || doc == NULL || failed)
		return cs_output_close(out, failed, err);
	if (fclose(out->f) != 0)
		rc = cs_fail(err, CS_INPUT, "%s: error writing: %s", out->path, strerror(errno));
	out->f = NULL;
	if (rc == CS_OK)
		rc = provenance_doc(doc, out->path, out->tmp, &prov, err);
	if (rc == CS_OK) {
		side_path = malloc(strlen(out->path) + sizeof CS_PROVENANCE_SUFFIX);
		if (side_path == NULL)
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
		else
			strcat(strcpy(side_path, out->path), CS_PROVENANCE_SUFFIX);
	}
	if (rc == CS_OK)
		rc = cs_output_open(&side, side_path, err);
	if (rc == CS_OK) {
		rc = cs_json_write(prov, side.f, err);
		if (cs_output_close(&side, rc != CS_OK, rc == CS_OK ? err : NULL) != CS_OK && rc == CS_OK)
			rc = CS_INPUT;
	}
	if (rc != CS_OK) {
		remove(out->tmp);
	} else if (rename(out->tmp, out->path) != 0) {
		rc = cs_fail(err, CS_INPUT, "%s: cannot rename into place: %s", out->path, strerror(errno));
		remove(out->tmp);
		remove(side_path);
	}
	cJSON_Delete(prov);
	free(side_path);
	free(out->path);
	free(out->tmp);
	memset(out, 0, sizeof *out);
	return rc;
}
