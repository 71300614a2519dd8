/* The SQL of each schema migration. */
#ifndef COSEVAL_SCHEMA_H
#define COSEVAL_SCHEMA_H

/* Returns the SQL that takes a database from user_version version-1 to version, or NULL when there is none.
 * The string is static. */
const char *cs_schema_migration(int version);

/* The samples' unique key since version 6: one sample per run, problem and sample index. Migration 6 creates it;
 * a bulk load may drop it inside its transaction and create it again with this statement before the commit
 * (cs_store_build_samples_key). */
#define CS_SCHEMA_SAMPLES_KEY "CREATE UNIQUE INDEX samples_key ON samples (run_id, problem_id, sample_index)"

#endif
