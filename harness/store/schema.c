/* The schema as a list of migrations: migration N takes a database from user_version N-1 to N. */
#include "store/schema.h"

#include <stddef.h>

/* Version 1: problems, runs, imports and samples. */
static const char migration_1[] =
	"CREATE TABLE datasets ("
	"  name TEXT PRIMARY KEY,"
	"  profile TEXT NOT NULL"
	");"
	"CREATE TABLE problems ("
	"  id INTEGER PRIMARY KEY,"
	"  dataset TEXT NOT NULL REFERENCES datasets(name),"
	"  problem_key TEXT NOT NULL,"
	"  question TEXT,"
	"  gold TEXT,"
	"  solution TEXT,"
	"  subject TEXT,"
	"  level INTEGER,"
	"  UNIQUE (dataset, problem_key)"
	");"
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  model TEXT NOT NULL,"
	"  params REAL,"
	"  price_out REAL,"
	"  dataset TEXT NOT NULL REFERENCES datasets(name),"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE TABLE run_tags ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (run_id, key)"
	");"
	"CREATE TABLE imports ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  dataset TEXT NOT NULL,"
	"  run_id INTEGER REFERENCES runs(id),"
	"  path TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  bytes INTEGER NOT NULL,"
	"  records INTEGER NOT NULL,"
	"  imported_at TEXT NOT NULL"
	");"
	"CREATE INDEX imports_by_sha ON imports (kind, sha256);"
	"CREATE TABLE samples ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  problem_id INTEGER NOT NULL REFERENCES problems(id),"
	"  sample_index INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  tokens INTEGER,"
	"  label INTEGER,"
	"  import_id INTEGER NOT NULL REFERENCES imports(id),"
	"  UNIQUE (run_id, problem_id, sample_index)"
	");";

/* Version 2: grades and judgments. */
static const char migration_2[] =
	"CREATE TABLE grades ("
	"  sample_id INTEGER PRIMARY KEY REFERENCES samples(id),"
	"  answer TEXT,"
	"  canonical TEXT,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'wrong', 'no-answer')),"
	"  rule TEXT NOT NULL,"
	"  reason TEXT,"
	"  grader_version TEXT NOT NULL"
	");"
	"CREATE TABLE judgments ("
	"  id INTEGER PRIMARY KEY,"
	"  sample_id INTEGER NOT NULL REFERENCES samples(id),"
	"  judge TEXT NOT NULL,"
	"  reasoning_correct INTEGER NOT NULL CHECK (reasoning_correct IN (0, 1)),"
	"  import_id INTEGER NOT NULL REFERENCES imports(id),"
	"  UNIQUE (sample_id, judge)"
	");"
	"CREATE TABLE answer_patterns ("
	"  run_id INTEGER PRIMARY KEY REFERENCES runs(id),"
	"  pattern TEXT NOT NULL"
	");";

/* Version 3: each grade carries what the metrics read (the sample's run, problem and index, and keys of its
 * exact and normalised text), so that scoring scans the grades alone, in storage order, and never reads the
 * sample texts; the keys are kept for correct samples, the only ones diversity counts.
 * coseval_text_key and coseval_normalized_key are SQL functions the store registers on every
 * connection (cs_hash64 of the text and of its normalised form). */
static const char migration_3[] =
	"ALTER TABLE grades ADD COLUMN run_id INTEGER;"
	"ALTER TABLE grades ADD COLUMN problem_id INTEGER;"
	"ALTER TABLE grades ADD COLUMN sample_index INTEGER;"
	"ALTER TABLE grades ADD COLUMN text_key INTEGER;"
	"ALTER TABLE grades ADD COLUMN normalized_key INTEGER;"
	"UPDATE grades SET run_id = s.run_id, problem_id = s.problem_id, sample_index = s.sample_index,"
	"  text_key = CASE WHEN verdict = 'correct' THEN coseval_text_key(s.text) END,"
	"  normalized_key = CASE WHEN verdict = 'correct' THEN coseval_normalized_key(s.text) END"
	"  FROM samples s WHERE s.id = grades.sample_id;";

/* Version 4: each samples import records the smallest and largest id of the samples it added, so that a run's
 * id range (which `grade` and `report` scan) is read from a few imports rows rather than from every entry of
 * the run in the samples' index. */
static const char migration_4[] =
	"ALTER TABLE imports ADD COLUMN first_sample_id INTEGER;"
	"ALTER TABLE imports ADD COLUMN last_sample_id INTEGER;"
	"UPDATE imports SET first_sample_id = r.lo, last_sample_id = r.hi"
	"  FROM (SELECT import_id, MIN(id) AS lo, MAX(id) AS hi FROM samples GROUP BY import_id) AS r"
	"  WHERE r.import_id = imports.id;";

/* Version 5: whether the generator stopped a sample at its length limit (1), finished it (0), or the dump does
 * not say (NULL), read from the dump's finish reason; a stopped sample is unfinished, and the grader never reads
 * an answer from the last words of an unfinished text. */
static const char migration_5[] = "ALTER TABLE samples ADD COLUMN stopped INTEGER;";

/* Version 6: the samples' unique key (run, problem, sample index) becomes a named index, samples_key, instead of
 * the table's UNIQUE constraint, whose index SQLite never lets go: the same guarantee, kept by an index that a
 * bulk load may drop and build again inside its transaction, sorting the keys once, rather than writing each
 * key where it belongs in an index that no longer fits the cache (see cs_store_drop_samples_key). The table is
 * rebuilt with the same rows and ids; cs_store_migrate runs it with foreign keys off (grades and judgments
 * refer to the table by name) and checks them before the commit. */
static const char migration_6[] =
	"CREATE TABLE samples_v6 ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  problem_id INTEGER NOT NULL REFERENCES problems(id),"
	"  sample_index INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  tokens INTEGER,"
	"  label INTEGER,"
	"  import_id INTEGER NOT NULL REFERENCES imports(id),"
	"  stopped INTEGER"
	");"
	"INSERT INTO samples_v6 (id, run_id, problem_id, sample_index, text, tokens, label, import_id, stopped)"
	"  SELECT id, run_id, problem_id, sample_index, text, tokens, label, import_id, stopped FROM samples"
	"  ORDER BY id;"
	"DROP TABLE samples;"
	"ALTER TABLE samples_v6 RENAME TO samples;"
	CS_SCHEMA_SAMPLES_KEY ";";

static const char *const migrations[] = { migration_1, migration_2, migration_3, migration_4, migration_5,
					  migration_6 };

const char *cs_schema_migration(int version)
{
	if (version < 1 || version > (int)(sizeof migrations / sizeof migrations[0]))
		return NULL;
	return migrations[version - 1];
}
