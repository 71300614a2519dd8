/* The SQLite store: opening, the schema and its migrations (PRAGMA user_version), and transactions. */
#ifndef COSEVAL_STORE_H
#define COSEVAL_STORE_H

#include <sqlite3.h>

#include "util/error.h"

/* The schema version this binary writes; older databases are migrated forward on open. */
#define CS_SCHEMA_VERSION 6

/* An open database. The caller owns it and closes it with cs_store_close(). */
struct cs_store {
	sqlite3 *db;
	char *path;
	int wait_ms; /* how long a statement waits for another writer's lock before SQLITE_BUSY */
	/* The write transaction, for the message of a full disk: the bytes that the database could grow by and
	 * its pages when it began, the bytes its COMMIT needed (the new pages and the journal; 0 before COMMIT),
	 * and what was short when a write failed for want of space (0: nothing). */
	long long tx_free, tx_pages, tx_need;
	int tx_full;
	int tx_open; /* a transaction began and did not commit: the close checks for a journal left behind */
};

/* How cs_store_open opens a database. */
enum cs_store_mode {
	CS_STORE_EXISTING = 0, /* the file must exist and be a database */
	CS_STORE_CREATE = 1,   /* a missing file is created */
	CS_STORE_INIT = 2,     /* as CREATE, and an empty (0-byte) file is made a database: `coseval init` only */
	CS_STORE_READONLY = 3  /* the file must exist at the current schema version; read-only, never migrated */
};

/* The wait for another writer when neither --wait nor $COSEVAL_WAIT says otherwise, in seconds. */
#define CS_STORE_DEFAULT_WAIT 10

/* Returns the database path to use: explicit (if not NULL), else $COSEVAL_DB, else "coseval.db".
 * The returned string is static or borrowed; do not free it. */
const char *cs_store_default_path(const char *explicit_path);

/* Sets, for every later cs_store_open in this process, how long to wait for another writer's lock, in seconds
 * (the --wait option); it overrides $COSEVAL_WAIT. */
void cs_store_set_wait(double seconds);

/* Opens the database at path in mode (enum cs_store_mode) and, unless read-only, migrates it to
 * CS_SCHEMA_VERSION. A missing file is an error (CS_DB) that says to run `coseval init`, unless the mode
 * creates it; an empty file is refused (CS_DB) unless the mode is CS_STORE_INIT. A database written by a newer
 * coseval is refused (CS_DB); so is one locked by another writer for longer than the wait (CS_DB, "the database
 * is busy"). The wait is cs_store_set_wait's, else $COSEVAL_WAIT seconds (not a number: CS_USAGE), else
 * CS_STORE_DEFAULT_WAIT. When the open fails, a file this call created is removed. On success *out is owned by
 * the caller. */
int cs_store_open(const char *path, int mode, struct cs_store **out, struct cs_err *err);

/* Migrates an open database up to version target (1..CS_SCHEMA_VERSION), each step in its own transaction.
 * Exposed so tests can build an old database and check that opening it migrates it forward. */
int cs_store_migrate(struct cs_store *st, int target, struct cs_err *err);

/* Reads PRAGMA user_version into *version. */
int cs_store_version(struct cs_store *st, int *version, struct cs_err *err);

/* Closes st and frees it; NULL is allowed. A hot journal that the close left (a rollback that could not
 * finish) is rolled back by opening the database once more, so that the file has its size and content from
 * before the failed transaction when the process exits. */
void cs_store_close(struct cs_store *st);

/* Runs sql (no results expected); on failure fills err as cs_store_fail does and returns CS_DB. */
int cs_store_exec(struct cs_store *st, const char *sql, const char *what, struct cs_err *err);

/* Prepares sql into *stmt; on failure returns CS_DB with the SQLite message. */
int cs_store_prepare(struct cs_store *st, const char *sql, sqlite3_stmt **stmt, struct cs_err *err);

/* Begins, commits or rolls back the one transaction of an import or a grading pass. Beginning turns on
 * SQLite's cheap corruption checks (PRAGMA cell_size_check) for the connection, which now writes. */
int cs_store_begin(struct cs_store *st, struct cs_err *err);
int cs_store_commit(struct cs_store *st, struct cs_err *err);
void cs_store_rollback(struct cs_store *st);

/* After a failure of the transaction: when it was for want of space (SQLITE_FULL, or an I/O error with
 * ENOSPC, EDQUOT or EFBIG), rewrites err as "PATH: the disk is full: WHO needed about N MB more than the M MB
 * that were free; nothing was DONE" and returns 1; else leaves err and returns 0. N comes from the pages and
 * the journal the transaction was about to commit; when it stopped before its COMMIT, the message says "more
 * than the M MB that were free". who: "the import"; done_word: "imported". */
int cs_store_explain_full(struct cs_store *st, const char *who, const char *done_word, struct cs_err *err);

/* The smallest and largest sample id of run run_id, from the ranges its imports recorded (or, when samples
 * were written past the last recorded one by other means than import and merge, from the samples' run
 * index); left as they are (the caller sets first > last) when the run has no samples. A scan of that id
 * range in id order reads the run's rows sequentially. */
int cs_store_run_range(struct cs_store *st, sqlite3_int64 run_id, sqlite3_int64 *first, sqlite3_int64 *last,
		       struct cs_err *err);

/* The largest sample id so far, 0 when there is none: the samples a transaction adds get ids above it. */
int cs_store_last_sample_id(struct cs_store *st, sqlite3_int64 *id, struct cs_err *err);

/* Widens the range recorded on each import to cover its samples above the last id any import recorded:
 * those merged in this transaction, or written by other means. Reads those samples once. */
int cs_store_record_unrecorded(struct cs_store *st, struct cs_err *err);

/* Records on import import_id the range of the samples added after id after, in this transaction, all by
 * that import: two lookups (a samples import calls it before its commit; nothing is recorded when it added
 * none). */
int cs_store_record_import_range(struct cs_store *st, sqlite3_int64 import_id, sqlite3_int64 after,
				 struct cs_err *err);

/* The samples' unique key (run, problem, sample index) is the index samples_key (CS_SCHEMA_SAMPLES_KEY). Inside
 * a transaction, a bulk load may drop it (cs_store_drop_samples_key) and build it again before the commit
 * (cs_store_build_samples_key), which sorts the keys once (in bounded memory, spilling to temporary files)
 * instead of writing each row's key into an index that no longer fits the cache. In between, nothing checks
 * the key: the caller must know by other means that no row it adds repeats one, and must not commit before the
 * key is built again; a rollback brings the index back as it was. A build that meets a repeated key fails
 * (CS_INTERNAL: the caller's proof was wrong) and leaves the transaction for the caller to roll back. */
int cs_store_drop_samples_key(struct cs_store *st, struct cs_err *err);
int cs_store_build_samples_key(struct cs_store *st, struct cs_err *err);

/* Runs sql, a CREATE INDEX over a table that may hold millions of rows, set up for it: the keys sorted in
 * bounded memory, in runs written to temporary files and sorted on a second thread; the connection's settings
 * are as before afterwards. On failure returns CS_DB as cs_store_fail does with what, and sets *code (when not
 * NULL) to SQLite's result code, else to SQLITE_OK. */
int cs_store_build_index(struct cs_store *st, const char *sql, const char *what, int *code, struct cs_err *err);

/* The names of all runs in name order: *names is a malloc'd array of *count malloc'd strings, freed with
 * cs_store_free_names. */
int cs_store_run_names(struct cs_store *st, char ***names, int *count, struct cs_err *err);

/* Frees what cs_store_run_names returned. */
void cs_store_free_names(char **names, int count);

/* Fills err for a run name that is not in the database and returns CS_INPUT: "no run 'NAME'; did you mean
 * 'NEAR'? (HINT)", NEAR the run name nearest to run (cs_nearest), or "no run 'NAME' (HINT)" when none is
 * close enough; hint NULL means "see 'coseval runs'". */
int cs_store_no_run(struct cs_store *st, const char *run, const char *hint, struct cs_err *err);

/* CS_OK when the database has a run called run; else CS_INPUT as cs_store_no_run (with its suggestion), or
 * CS_DB when the runs cannot be read. */
int cs_store_check_run(struct cs_store *st, const char *run, struct cs_err *err);

/* Fills err with "PATH: what: <sqlite message>" and returns CS_DB. When the last error is SQLITE_BUSY or
 * SQLITE_LOCKED the message says the database is busy and how to wait longer; when it is SQLITE_CORRUPT it
 * says the database is damaged and to run `coseval check-db`. */
int cs_store_fail(struct cs_store *st, const char *what, struct cs_err *err);

#endif
