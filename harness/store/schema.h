/* The SQL of each schema migration. */
#ifndef COSEVAL_SCHEMA_H
#define COSEVAL_SCHEMA_H

/* Returns the SQL that takes a database from user_version version-1 to version, or NULL when there is none.
 * The string is static. */
const char *cs_schema_migration(int version);

#endif
