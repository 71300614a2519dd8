/* Opening the SQLite store, migrating it forward, and the transaction helpers every writer uses. */
#include "store/store.h"
#include "store/schema.h"
#include "util/hash.h"
#include "util/suggest.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* The wait cs_store_set_wait chose, in seconds; negative when it was not called. */
static double wait_override = -1;

const char *cs_store_default_path(const char *explicit_path)
{
	const char *env;

	if (explicit_path != NULL && explicit_path[0] != '\0')
		return explicit_path;
	env = getenv("COSEVAL_DB");
	if (env != NULL && env[0] != '\0')
		return env;
	return "coseval.db";
}

void cs_store_set_wait(double seconds)
{
	wait_override = seconds;
}

/* What was short, by the value of want_of_space (struct cs_store's tx_full). */
static const char *const space_kind[] = { "", "the disk is full", "the disk quota is used up",
					  "the file size limit (ulimit -f) is reached" };

/* Whether a failure with SQLite result code code was for want of space: 1 for SQLITE_FULL or an I/O error
 * whose system error is ENOSPC, 2 for EDQUOT, 3 for EFBIG (a file size limit); else 0. */
static int want_of_space(struct cs_store *st, int code)
{
	int e = sqlite3_system_errno(st->db);
	struct rlimit lim;

	code &= 0xff;
	if (code == SQLITE_FULL || (code == SQLITE_IOERR && e == ENOSPC))
		return 1;
	if (code != SQLITE_IOERR)
		return 0;
	if (e == EDQUOT)
		return 2;
	if (e == EFBIG)
		return 3;
	/* SQLite does not always keep the system error of a failed write (a COMMIT past a file size limit reports
	 * none): a write that failed while committing more than there was room for was for want of room */
	if (sqlite3_extended_errcode(st->db) != SQLITE_IOERR_WRITE || !st->tx_open || st->tx_need <= st->tx_free)
		return 0;
	return getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY ? 3 : 1;
}

/* Fills err with the message for a failure of SQLite result code code (its primary code is used) while doing
 * what, detail being SQLite's own message; a busy or damaged database or a full disk gets a message that says
 * what to do. Returns CS_DB. */
static int describe_failure(struct cs_store *st, int code, const char *what, const char *detail,
			    struct cs_err *err)
{
	int space = want_of_space(st, code);

	if (space != 0) {
		st->tx_full = space;
		if (st->tx_open && st->tx_free > 0)
			return cs_fail(err, CS_DB, "%s: %s (while %s: %s): more than the %.1f MB that were free is needed; "
				       "nothing was written", st->path, space_kind[st->tx_full], what, detail,
				       (double)st->tx_free / 1e6);
		return cs_fail(err, CS_DB, "%s: %s (while %s: %s); nothing was written", st->path,
			       space_kind[st->tx_full], what, detail);
	}
	code &= 0xff;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return cs_fail(err, CS_DB,
			       "%s: the database is busy: another coseval command is writing it (waited %g s while %s;"
			       " wait longer with --wait SECONDS or COSEVAL_WAIT)",
			       st->path, st->wait_ms / 1000.0, what);
	if (code == SQLITE_CORRUPT)
		return cs_fail(err, CS_DB,
			       "%s: the database is damaged (%s: %s); run 'coseval check-db --db %s' to see what is wrong",
			       st->path, what, detail, st->path);
	return cs_fail(err, CS_DB, "%s: %s: %s", st->path, what, detail);
}

int cs_store_fail(struct cs_store *st, const char *what, struct cs_err *err)
{
	return describe_failure(st, sqlite3_errcode(st->db), what, sqlite3_errmsg(st->db), err);
}

int cs_store_exec(struct cs_store *st, const char *sql, const char *what, struct cs_err *err)
{
	char *msg = NULL;
	int code = sqlite3_exec(st->db, sql, NULL, NULL, &msg);

	if (code != SQLITE_OK) {
		describe_failure(st, code, what, msg ? msg : "unknown error", err);
		sqlite3_free(msg);
		return CS_DB;
	}
	return CS_OK;
}

int cs_store_prepare(struct cs_store *st, const char *sql, sqlite3_stmt **stmt, struct cs_err *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return cs_store_fail(st, "preparing a statement", err);
	return CS_OK;
}

/* The bytes that the file path may still grow by: the space free to this process on its file system, or less
 * under a file size limit (RLIMIT_FSIZE); 0 when unknown. */
static long long free_bytes(const char *path)
{
	struct statvfs vfs;
	struct rlimit lim;
	struct stat sb;
	long long room;

	if (statvfs(path, &vfs) != 0)
		return 0;
	room = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
	if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY && stat(path, &sb) == 0 &&
	    (long long)lim.rlim_cur - (long long)sb.st_size < room)
		room = (long long)lim.rlim_cur - (long long)sb.st_size;
	return room > 0 ? room : 0;
}

/* The one integer that sql (a PRAGMA) yields; 0 when it fails. */
static long long pragma_value(struct cs_store *st, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long long v = 0;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* The size of the rollback journal of st's database; 0 when there is none. */
static long long journal_bytes(const struct cs_store *st)
{
	char journal[PATH_MAX];
	struct stat sb;

	snprintf(journal, sizeof journal, "%s-journal", st->path);
	return stat(journal, &sb) == 0 ? (long long)sb.st_size : 0;
}

int cs_store_begin(struct cs_store *st, struct cs_err *err)
{
	int rc = cs_store_exec(st, "PRAGMA cell_size_check = ON; BEGIN IMMEDIATE", "starting a transaction", err);

	st->tx_full = 0;
	st->tx_need = 0;
	if (rc == CS_OK) {
		st->tx_open = 1;
		st->tx_free = free_bytes(st->path);
		st->tx_pages = pragma_value(st, "PRAGMA page_count");
	}
	return rc;
}

int cs_store_commit(struct cs_store *st, struct cs_err *err)
{
	int rc;

	/* what the commit will write: the database's new pages, after the journal of the pages it changes */
	st->tx_need = (pragma_value(st, "PRAGMA page_count") - st->tx_pages) * pragma_value(st, "PRAGMA page_size") +
		      journal_bytes(st);
	rc = cs_store_exec(st, "COMMIT", "committing", err);
	if (rc == CS_OK)
		st->tx_open = 0;
	return rc;
}

int cs_store_explain_full(struct cs_store *st, const char *who, const char *done_word, struct cs_err *err)
{
	long long page = pragma_value(st, "PRAGMA page_size"), more;

	if (!st->tx_full)
		return 0;
	if (st->tx_need > 0) {
		more = st->tx_need - st->tx_free;
		if (more < page)
			more = page; /* at least the page that did not fit */
		cs_fail(err, CS_DB, "%s: %s: %s needed about %.1f MB more than the %.1f MB that were free; nothing "
			"was %s", st->path, space_kind[st->tx_full], who, (double)more / 1e6, (double)st->tx_free / 1e6,
			done_word);
	} else {
		cs_fail(err, CS_DB, "%s: %s: %s needed more than the %.1f MB that were free; nothing was %s", st->path,
			space_kind[st->tx_full], who, (double)st->tx_free / 1e6, done_word);
	}
	return 1;
}

void cs_store_rollback(struct cs_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int cs_store_version(struct cs_store *st, int *version, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = CS_OK;

	rc = cs_store_prepare(st, "PRAGMA user_version", &stmt, err);
	if (rc != CS_OK)
		goto done;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = cs_store_fail(st, "reading the schema version", err);
		goto done;
	}
	*version = sqlite3_column_int(stmt, 0);
done:
	sqlite3_finalize(stmt);
	return rc;
}

/* Reads whether foreign keys are on for the connection into *on. */
static int foreign_keys_on(struct cs_store *st, int *on, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = cs_store_prepare(st, "PRAGMA foreign_keys", &stmt, err);

	if (rc == CS_OK && sqlite3_step(stmt) != SQLITE_ROW)
		rc = cs_store_fail(st, "configuring", err);
	if (rc == CS_OK)
		*on = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc;
}

/* Fails (CS_DB) when a row refers to one that does not exist (PRAGMA foreign_key_check finds one). */
static int check_foreign_keys(struct cs_store *st, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = cs_store_prepare(st, "PRAGMA foreign_key_check", &stmt, err);

	if (rc != CS_OK)
		return rc;
	switch (sqlite3_step(stmt)) {
	case SQLITE_DONE:
		break;
	case SQLITE_ROW:
		rc = cs_fail(err, CS_DB, "%s: migrating the schema: a row of table %s refers to a missing row of %s",
			     st->path, sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 2));
		break;
	default:
		rc = cs_store_fail(st, "migrating the schema", err);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* One step of cs_store_migrate, from the version read inside its transaction (so that two processes never run
 * the same step) to the next. Sets *done when the database is already at target; otherwise, unless apply is
 * set, only finds that a step is due. */
static int migrate_step(struct cs_store *st, int target, int apply, int *done, struct cs_err *err)
{
	const char *sql;
	char pragma[64];
	int version = 0;
	int rc;

	rc = cs_store_begin(st, err);
	if (rc == CS_OK)
		rc = cs_store_version(st, &version, err);
	if (rc == CS_OK && (version >= target || !apply)) {
		*done = version >= target;
		return cs_store_commit(st, err);
	}
	sql = cs_schema_migration(version + 1);
	if (rc == CS_OK && sql == NULL)
		rc = cs_fail(err, CS_INTERNAL, "no migration to schema version %d", version + 1);
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
	if (rc == CS_OK)
		rc = cs_store_exec(st, sql, "migrating the schema", err);
	if (rc == CS_OK)
		rc = cs_store_exec(st, pragma, "setting the schema version", err);
	if (rc == CS_OK)
		rc = check_foreign_keys(st, err);
	if (rc == CS_OK)
		rc = cs_store_commit(st, err);
	if (rc != CS_OK)
		cs_store_rollback(st);
	return rc;
}

int cs_store_migrate(struct cs_store *st, int target, struct cs_err *err)
{
	struct cs_err ignored;
	int apply = 0, fk = 0, fk_off = 0, spill = 0, done = 0;
	int rc;

	/* A migration may rebuild a table that others refer to (version 6 rebuilds samples), which SQLite allows
	 * only with foreign keys off, and the pragma takes effect outside a transaction only: the first
	 * transaction just reads the version (all there is to do, usually), and the steps then run with foreign
	 * keys off, each checking every reference before its commit instead. */
	for (;;) {
		rc = migrate_step(st, target, apply, &done, err);
		if (rc != CS_OK || done)
			break;
		if (!apply) {
			rc = foreign_keys_on(st, &fk, err);
			if (rc == CS_OK && fk)
				rc = cs_store_exec(st, "PRAGMA foreign_keys = OFF", "configuring", err);
			fk_off = rc == CS_OK && fk;
			/* a step may sort a whole table (version 6 builds the samples' key): in runs written to
			 * temporary files, as cs_store_build_samples_key explains, not all in memory */
			if (rc == CS_OK)
				rc = cs_store_exec(st, "PRAGMA temp_store = FILE", "configuring", err);
			spill = rc == CS_OK;
			if (rc != CS_OK)
				break;
			apply = 1;
		}
	}
	if (spill) {
		int restored = cs_store_exec(st, "PRAGMA temp_store = MEMORY", "configuring", rc == CS_OK ? err : &ignored);
		if (rc == CS_OK)
			rc = restored;
	}
	if (fk_off) {
		int restored = cs_store_exec(st, "PRAGMA foreign_keys = ON", "configuring", rc == CS_OK ? err : &ignored);
		if (rc == CS_OK)
			rc = restored;
	}
	return rc;
}

/* coseval_text_key(text) and coseval_normalized_key(text): the keys a grade stores (util/hash.h), as SQL
 * functions so that a migration can compute them for grades written before they existed. The function's
 * user data says which: NULL for the exact text, non-NULL for the normalised one. */
static void key_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *text = sqlite3_value_text(argv[0]);

	(void)argc;
	if (text == NULL)
		sqlite3_result_null(ctx);
	else if (sqlite3_user_data(ctx) == NULL)
		sqlite3_result_int64(ctx, (sqlite3_int64)cs_hash64(text, (size_t)sqlite3_value_bytes(argv[0])));
	else
		sqlite3_result_int64(ctx, (sqlite3_int64)cs_hash64_normalized((const char *)text,
									      (size_t)sqlite3_value_bytes(argv[0])));
}

/* Before SQLite's first use: no memory statistics, which would take a global mutex on every allocation. */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Sets *ms to the wait for another writer: cs_store_set_wait's, else $COSEVAL_WAIT, else the default.
 * Returns CS_USAGE when $COSEVAL_WAIT is not a non-negative number of seconds. */
static int resolve_wait(int *ms, struct cs_err *err)
{
	const char *env = getenv("COSEVAL_WAIT");
	double seconds = CS_STORE_DEFAULT_WAIT;
	char *end;

	if (wait_override >= 0) {
		seconds = wait_override;
	} else if (env != NULL && env[0] != '\0') {
		errno = 0;
		seconds = strtod(env, &end);
		if (errno != 0 || end == env || *end != '\0' || !isfinite(seconds) || seconds < 0)
			return cs_fail(err, CS_USAGE, "COSEVAL_WAIT wants a number of seconds such as 30, got '%s'", env);
	}
	*ms = seconds * 1000 >= INT_MAX ? INT_MAX : (int)(seconds * 1000);
	return CS_OK;
}

/* Reads the schema version of a newly opened store into *version, checking that the file is a coseval database
 * this binary can use in mode: not another program's, not newer, and at the current version when read-only. */
static int check_version(struct cs_store *st, int mode, int *version, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int tables = 0;
	int code;
	int rc = cs_store_version(st, version, err);

	if (rc != CS_OK) {
		code = sqlite3_errcode(st->db);
		/* a busy or damaged database keeps the message that says so */
		if (code != SQLITE_BUSY && code != SQLITE_LOCKED && code != SQLITE_CORRUPT)
			rc = cs_fail(err, CS_DB, "%s: not a coseval database (%s)", st->path, sqlite3_errmsg(st->db));
		goto done;
	}
	if (*version > CS_SCHEMA_VERSION) {
		rc = cs_fail(err, CS_DB,
			     "%s: schema version %d is newer than this coseval understands (%d); use a newer coseval",
			     st->path, *version, CS_SCHEMA_VERSION);
		goto done;
	}
	/* version 0 with tables of its own: another program's database, left as it is */
	if (*version == 0) {
		rc = cs_store_prepare(st, "SELECT COUNT(*) FROM sqlite_master", &stmt, err);
		if (rc == CS_OK && sqlite3_step(stmt) == SQLITE_ROW)
			tables = sqlite3_column_int(stmt, 0);
		if (rc == CS_OK && tables > 0) {
			rc = cs_fail(err, CS_DB, "%s: not a coseval database (it has tables of its own and no coseval "
				     "schema version)", st->path);
			goto done;
		}
	}
	if (rc == CS_OK && mode == CS_STORE_READONLY && *version < CS_SCHEMA_VERSION)
		rc = cs_fail(err, CS_DB, "%s: schema version %d is older than this coseval's (%d); 'coseval init --db %s'"
			     " migrates it", st->path, *version, CS_SCHEMA_VERSION, st->path);
done:
	sqlite3_finalize(stmt);
	return rc;
}

int cs_store_open(const char *path, int mode, struct cs_store **out, struct cs_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct cs_store *st = NULL;
	struct stat sb;
	int creates = mode == CS_STORE_CREATE || mode == CS_STORE_INIT;
	int flags = SQLITE_OPEN_NOMUTEX;
	int exists = stat(path, &sb) == 0;
	int created = 0; /* this call made the file: a failure removes it */
	int version = 0;
	int rc = CS_OK;

	*out = NULL;
	pthread_once(&once, configure_sqlite);
	if (!creates && !exists) {
		rc = cs_fail(err, CS_DB, "%s: no such database; create it with 'coseval init' or name one with --db",
			     path);
		goto done;
	}
	if (exists && S_ISREG(sb.st_mode) && sb.st_size == 0 && mode != CS_STORE_INIT) {
		rc = cs_fail(err, CS_DB, "%s: an empty file (0 bytes), not a coseval database; make it one with "
			     "'coseval init --db %s', or name another database with --db", path, path);
		goto done;
	}
	if (mode == CS_STORE_READONLY)
		flags |= SQLITE_OPEN_READONLY;
	else
		flags |= SQLITE_OPEN_READWRITE | (creates ? SQLITE_OPEN_CREATE : 0);
	st = calloc(1, sizeof *st);
	if (st == NULL || (st->path = strdup(path)) == NULL) {
		rc = cs_fail(err, CS_INTERNAL, "out of memory");
		goto done;
	}
	rc = resolve_wait(&st->wait_ms, err);
	if (rc != CS_OK)
		goto done;
	created = !exists;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = cs_store_fail(st, "opening", err);
		goto done;
	}
	sqlite3_busy_timeout(st->db, st->wait_ms);
	if (sqlite3_create_function(st->db, "coseval_text_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    key_function, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "coseval_normalized_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    (void *)"normalized", key_function, NULL, NULL) != SQLITE_OK) {
		rc = cs_store_fail(st, "registering functions", err);
		goto done;
	}
	rc = cs_store_exec(st,
			   "PRAGMA foreign_keys = ON;"
			   "PRAGMA synchronous = NORMAL;"
			   "PRAGMA cache_size = -65536;"
			   "PRAGMA temp_store = MEMORY;",
			   "configuring", err);
	/* the connections that create a database (init, import, merge) write: SQLite's cheap checks on */
	if (rc == CS_OK && creates)
		rc = cs_store_exec(st, "PRAGMA cell_size_check = ON", "configuring", err);
	if (rc != CS_OK && sqlite3_errcode(st->db) == SQLITE_NOTADB)
		rc = cs_fail(err, CS_DB, "%s: not a coseval database (%s)", path, sqlite3_errmsg(st->db));
	if (rc == CS_OK)
		rc = check_version(st, mode, &version, err);
	if (rc != CS_OK || mode == CS_STORE_READONLY)
		goto done;
	/* a new database gets 64 KiB pages: sample texts are large, and fewer, larger pages make imports and
	 * scans cheaper (the page size can only be chosen before the first table exists) */
	/* the cache size in KiB is turned into pages at the page size of the moment: say it again once the
	 * page size is set, or a new database would get 16 times the cache (64 MB of 4 KiB pages = 16,384
	 * pages, then 16,384 pages of 64 KiB = 1 GB) */
	if (version == 0) {
		rc = cs_store_exec(st, "PRAGMA page_size = 65536", "setting the page size", err);
		if (rc == CS_OK)
			rc = cs_store_exec(st, "PRAGMA cache_size = -65536", "configuring", err);
	}
	if (rc == CS_OK)
		rc = cs_store_migrate(st, CS_SCHEMA_VERSION, err);
done:
	if (rc == CS_OK) {
		*out = st;
		return CS_OK;
	}
	cs_store_close(st);
	if (created) {
		char journal[4096];
		unlink(path);
		snprintf(journal, sizeof journal, "%s-journal", path);
		unlink(journal);
	}
	return rc;
}

void cs_store_close(struct cs_store *st)
{
	sqlite3 *db = NULL;

	if (st == NULL)
		return;
	sqlite3_close(st->db);
	/* a transaction that failed leaves no journal once its rollback is done; one still there is hot (the
	 * rollback could not finish, say on a full disk): the next connection to read the database rolls it back */
	if (st->tx_open && journal_bytes(st) > 0 &&
	    sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, st->wait_ms);
		sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	}
	sqlite3_close(db);
	free(st->path);
	free(st);
}

/* Runs stmt, which yields one row of one or two integers, into *a and *b (left as they are when the row
 * holds NULL); finalizes it. */
static int one_row(struct cs_store *st, sqlite3_stmt *stmt, const char *what, sqlite3_int64 *a, sqlite3_int64 *b,
		   struct cs_err *err)
{
	int rc = CS_OK;

	if (sqlite3_step(stmt) != SQLITE_ROW)
		rc = cs_store_fail(st, what, err);
	else if (sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*a = sqlite3_column_int64(stmt, 0);
		if (b != NULL)
			*b = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return rc;
}

int cs_store_run_range(struct cs_store *st, sqlite3_int64 run_id, sqlite3_int64 *first, sqlite3_int64 *last,
		       struct cs_err *err)
{
	/* The imports' ranges cover every sample up to the last id they record (import and merge see to it, see
	 * cs_store_record_unrecorded). Past it are only samples written by other means, which record nothing:
	 * then the range comes from every entry of the run in the samples' index. */
	static const char recorded_sql[] =
		"SELECT (SELECT MAX(id) FROM samples) = (SELECT MAX(last_sample_id) FROM imports)";
	static const char from_imports[] =
		"SELECT MIN(first_sample_id), MAX(last_sample_id) FROM imports WHERE run_id = ?";
	static const char from_samples[] = "SELECT MIN(id), MAX(id) FROM samples WHERE run_id = ?";
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 recorded = 0;
	int rc = cs_store_prepare(st, recorded_sql, &stmt, err);

	if (rc == CS_OK)
		rc = one_row(st, stmt, "reading the sample ranges", &recorded, NULL, err);
	if (rc == CS_OK)
		rc = cs_store_prepare(st, recorded ? from_imports : from_samples, &stmt, err);
	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, run_id);
	return one_row(st, stmt, "reading the run's sample range", first, last, err);
}

int cs_store_record_unrecorded(struct cs_store *st, struct cs_err *err)
{
	return cs_store_exec(st, "UPDATE imports SET"
			     " first_sample_id = MIN(COALESCE(first_sample_id, r.lo), r.lo),"
			     " last_sample_id = MAX(COALESCE(last_sample_id, r.hi), r.hi)"
			     " FROM (SELECT import_id, MIN(id) AS lo, MAX(id) AS hi FROM samples"
			     " WHERE id > (SELECT COALESCE(MAX(last_sample_id), 0) FROM imports)"
			     " GROUP BY import_id) AS r WHERE imports.id = r.import_id", "recording the sample ranges", err);
}

int cs_store_last_sample_id(struct cs_store *st, sqlite3_int64 *id, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = cs_store_prepare(st, "SELECT COALESCE(MAX(id), 0) FROM samples", &stmt, err);

	if (rc != CS_OK)
		return rc;
	return one_row(st, stmt, "reading the last sample id", id, NULL, err);
}

int cs_store_record_import_range(struct cs_store *st, sqlite3_int64 import_id, sqlite3_int64 after,
				 struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	/* two seeks in the id order, not a scan of the rows added */
	int rc = cs_store_prepare(st, "UPDATE imports SET"
				  " first_sample_id = (SELECT id FROM samples WHERE id > ?2 ORDER BY id LIMIT 1),"
				  " last_sample_id = (SELECT id FROM samples WHERE id > ?2 ORDER BY id DESC LIMIT 1)"
				  " WHERE id = ?1", &stmt, err);

	if (rc != CS_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, import_id);
	sqlite3_bind_int64(stmt, 2, after);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = cs_store_fail(st, "recording the samples of the import", err);
	sqlite3_finalize(stmt);
	return rc;
}

int cs_store_run_names(struct cs_store *st, char ***names, int *count, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int cap = 0;
	int rc;

	*names = NULL;
	*count = 0;
	rc = cs_store_prepare(st, "SELECT name FROM runs ORDER BY name", &stmt, err);
	while (rc == CS_OK && sqlite3_step(stmt) == SQLITE_ROW) {
		if (*count == cap) {
			char **grown = realloc(*names, (size_t)(cap = cap ? cap * 2 : 16) * sizeof *grown);
			if (grown == NULL) {
				rc = cs_fail(err, CS_INTERNAL, "out of memory");
				break;
			}
			*names = grown;
		}
		(*names)[*count] = strdup((const char *)sqlite3_column_text(stmt, 0));
		if ((*names)[*count] == NULL) {
			rc = cs_fail(err, CS_INTERNAL, "out of memory");
			break;
		}
		(*count)++;
	}
	sqlite3_finalize(stmt);
	if (rc != CS_OK) {
		cs_store_free_names(*names, *count);
		*names = NULL;
		*count = 0;
	}
	return rc;
}

void cs_store_free_names(char **names, int count)
{
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

int cs_store_check_run(struct cs_store *st, const char *run, struct cs_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = cs_store_prepare(st, "SELECT 1 FROM runs WHERE name = ?", &stmt, err);
	int step;

	if (rc != CS_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, run, -1, SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step == SQLITE_DONE)
		rc = cs_store_no_run(st, run, NULL, err);
	else if (step != SQLITE_ROW)
		rc = cs_store_fail(st, "reading the runs", err);
	sqlite3_finalize(stmt);
	return rc;
}

int cs_store_no_run(struct cs_store *st, const char *run, const char *hint, struct cs_err *err)
{
	struct cs_err ignored;
	char **names = NULL;
	const char *near = NULL;
	int count = 0;

	if (cs_store_run_names(st, &names, &count, &ignored) == CS_OK)
		near = cs_nearest(run, (const char *const *)names, (size_t)count);
	if (hint == NULL)
		hint = "see 'coseval runs'";
	if (near != NULL)
		cs_fail(err, CS_INPUT, "no run '%s'; did you mean '%s'? (%s)", run, near, hint);
	else
		cs_fail(err, CS_INPUT, "no run '%s' (%s)", run, hint);
	cs_store_free_names(names, count);
	return CS_INPUT;
}

int cs_store_drop_samples_key(struct cs_store *st, struct cs_err *err)
{
	return cs_store_exec(st, "DROP INDEX samples_key", "setting the samples' key aside", err);
}

/* Reads the integer an argument-less pragma returns into *value; returns whether it could. */
static int pragma_int(struct cs_store *st, const char *sql, int *value)
{
	sqlite3_stmt *stmt = NULL;
	int ok = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW;

	if (ok)
		*value = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return ok;
}

int cs_store_build_index(struct cs_store *st, const char *sql, const char *what, int *code, struct cs_err *err)
{
	char set[64];
	int cache = 0, threads = 0;
	int have_cache = pragma_int(st, "PRAGMA cache_size", &cache);
	int have_threads = pragma_int(st, "PRAGMA threads", &threads);
	int spill, failure;
	int rc = CS_OK;

	/* The connection keeps temporary data in memory (cs_store_open), and then SQLite's sorter never writes a
	 * sorted run to a file: the build would hold every key in memory at once (800 MB for 16 million
	 * samples). With temporary files, it sorts runs as large as the page cache and merges them. SQLite
	 * allows the switch inside a transaction as long as the connection has no temporary tables, which
	 * coseval never makes; should it refuse, the build sorts in memory. Runs of 16 MB rather than the
	 * cache's 64 MB, sorted on a second thread while this one reads on, build the key of 16 million samples
	 * in 17 s instead of 30 s with 56 MB of memory instead of 136 MB (1 million: 1.1 s either way); the
	 * table scanned is sequential and the index written in order, so the smaller cache costs nothing. */
	spill = sqlite3_exec(st->db, "PRAGMA temp_store = FILE", NULL, NULL, NULL) == SQLITE_OK;
	if (have_cache)
		sqlite3_exec(st->db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
	if (have_threads)
		sqlite3_exec(st->db, "PRAGMA threads = 1", NULL, NULL, NULL);
	failure = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	if (code != NULL)
		*code = failure;
	if (failure != SQLITE_OK)
		rc = cs_store_fail(st, what, err);
	if (have_threads) {
		snprintf(set, sizeof set, "PRAGMA threads = %d", threads);
		sqlite3_exec(st->db, set, NULL, NULL, NULL);
	}
	if (have_cache) {
		snprintf(set, sizeof set, "PRAGMA cache_size = %d", cache);
		sqlite3_exec(st->db, set, NULL, NULL, NULL);
	}
	if (spill)
		sqlite3_exec(st->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	return rc;
}

int cs_store_build_samples_key(struct cs_store *st, struct cs_err *err)
{
	int code = SQLITE_OK;
	int rc = cs_store_build_index(st, CS_SCHEMA_SAMPLES_KEY, "building the samples' key", &code, err);

	if ((code & 0xff) == SQLITE_CONSTRAINT)
		rc = cs_fail(err, CS_INTERNAL, "%s: building the samples' key: two samples have the same run, problem and "
			     "sample index; nothing was written", st->path);
	return rc;
}
