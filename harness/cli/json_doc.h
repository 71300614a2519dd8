/* The head of a command's --format json document: the options as given, the database and the runs with
 * their source files and SHA-256, and writing the document to stdout or -o FILE. */
#ifndef COSEVAL_CLI_JSON_DOC_H
#define COSEVAL_CLI_JSON_DOC_H

#include "cli/args.h"
#include "json_out.h"
#include "store/store.h"

/* Creates the document of command (cs_json_doc_new) with "database" the absolute path of db_path (as given
 * when it cannot be resolved) and "options" one member per option of opts that was given: a string for a
 * value ("-o" is named "output"), true for a flag, a list for a repeatable option; names without the
 * leading dashes. NULL when out of memory; the caller frees it with cJSON_Delete. */
cJSON *cs_cli_json_doc(const char *command, const struct cs_opt *opts, const char *db_path);

/* Appends to the document's "runs" the run named name, once however often it is given: {"name", "model",
 * "dataset", "params", "price_out", "grader_versions" (of its grades), "sources": [{"kind", "path",
 * "sha256", "imported_at"}]}. CS_INPUT for an unknown run, CS_DB, CS_INTERNAL. */
int cs_cli_json_add_run(cJSON *doc, struct cs_store *st, const char *name, struct cs_err *err);

/* Writes the document to path (NULL or "-": standard output), a file appearing whole or not at all.
 * CS_OK, CS_INPUT (cannot write the file) or CS_INTERNAL. */
int cs_cli_json_output(const cJSON *doc, const char *path, struct cs_err *err);

#endif
