/* The sample files of an inspect_ai `.eval` zip archive, one at a time, through libzip, each bounded in size. */
#include "ingest/eval_zip.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct cs_eval_zip {
	zip_t *zip;
	char *path;
	size_t max_entry;
	zip_uint64_t *entries;  /* indexes of the samples/ files, in the archive's order */
	size_t nentries, pos;
	char *text;             /* the last file read */
};

/* 1 when name is a sample file: samples/<something>.json. */
static int is_sample(const char *name)
{
	size_t len = strlen(name);

	return strncmp(name, "samples/", 8) == 0 && len > 13 && strcmp(name + len - 5, ".json") == 0 &&
	       strchr(name + 8, '/') == NULL;
}

int cs_eval_zip_open(const char *path, size_t max_entry, struct cs_eval_zip **out, struct cs_err *err)
{
	struct cs_eval_zip *z;
	zip_int64_t count;
	int zerr = 0;
	int rc = CS_OK;

	*out = NULL;
	z = calloc(1, sizeof *z);
	if (z == NULL || (z->path = strdup(path)) == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	z->max_entry = max_entry;
	z->zip = zip_open(path, ZIP_RDONLY, &zerr);
	if (z->zip == NULL) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		rc = cs_fail(err, CS_INPUT, "%s: this is a zip archive that cannot be read (%s)", path,
			     zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto done;
	}
	count = zip_get_num_entries(z->zip, 0);
	z->entries = malloc((size_t)(count > 0 ? count : 1) * sizeof *z->entries);
	if (z->entries == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	for (zip_int64_t i = 0; i < count; i++) {
		const char *name = zip_get_name(z->zip, (zip_uint64_t)i, 0);
		if (name != NULL && is_sample(name))
			z->entries[z->nentries++] = (zip_uint64_t)i;
	}
	if (z->nentries == 0)
		rc = cs_fail(err, CS_INPUT, "%s: this is a zip archive without samples/*.json files, not an inspect_ai "
			     ".eval log; unzip it and import the file inside", path);
done:
	if (rc != CS_OK)
		cs_eval_zip_close(z);
	else
		*out = z;
	return rc;
}

int cs_eval_zip_next(struct cs_eval_zip *z, char **text, size_t *len, const char **entry, struct cs_err *err)
{
	zip_file_t *f = NULL;
	zip_int64_t n;
	size_t used = 0;
	int rc = CS_OK;

	*text = NULL;
	*len = 0;
	*entry = NULL;
	free(z->text);
	z->text = NULL;
	if (z->pos == z->nentries)
		return CS_OK;
	*entry = zip_get_name(z->zip, z->entries[z->pos], 0);
	f = zip_fopen_index(z->zip, z->entries[z->pos], 0);
	z->pos++;
	if (f == NULL) {
		rc = cs_fail(err, CS_INPUT, "%s: cannot read %s in the archive: %s", z->path, *entry,
			     zip_strerror(z->zip));
		goto done;
	}
	/* one byte over the bound tells a file that is too large from one that just fits */
	z->text = malloc(z->max_entry + 2);
	if (z->text == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	while ((n = zip_fread(f, z->text + used, z->max_entry + 1 - used)) > 0) {
		used += (size_t)n;
		if (used > z->max_entry) {
			rc = cs_fail(err, CS_INPUT, "%s: %s in the archive is larger than the limit of %zu bytes (raise it "
				     "with --max-line-mb)", z->path, *entry, z->max_entry);
			goto done;
		}
	}
	if (n < 0) {
		rc = cs_fail(err, CS_INPUT, "%s: cannot read %s in the archive: %s", z->path, *entry,
			     zip_file_strerror(f));
		goto done;
	}
	z->text[used] = '\0';
	*text = z->text;
	*len = used;
done:
	if (f != NULL)
		zip_fclose(f);
	return rc;
}

void cs_eval_zip_close(struct cs_eval_zip *z)
{
	if (z == NULL)
		return;
	if (z->zip != NULL)
		zip_discard(z->zip);
	free(z->entries);
	free(z->text);
	free(z->path);
	free(z);
}
