# `coseval check-db`: SQLite's integrity check and coseval's invariants; exit 0 sound, 1 something wrong,
# 4 cannot open. Each invariant is broken with SQL (foreign keys off), and a page is damaged byte by byte.
source "$(dirname "$0")/lib.sh"

GOOD=$T/good.db
expect_status 0 "$COSEVAL" demo --db "$GOOD"
expect_status 0 "$COSEVAL" check-db --db "$GOOD"
expect_stdout_contains "$GOOD: sound"
ok "a sound database: exit 0"

# broken SQL TEXT: a copy of the good database changed by SQL (the sqlite3 tool leaves foreign keys off)
# makes check-db exit 1 and name the problem (TEXT).
broken() {
	cp "$GOOD" "$T/bad.db"
	sql "$T/bad.db" "$1" >/dev/null
	expect_status 1 "$COSEVAL" check-db --db "$T/bad.db"
	expect_stdout_contains "$2"
	expect_stdout_contains "$T/bad.db: 1 problem found"
	ok "check-db finds: $2"
}

broken "DELETE FROM runs WHERE id = (SELECT MIN(run_id) FROM samples)" "sample(s) whose run does not exist"
broken "DELETE FROM problems WHERE id = (SELECT MIN(problem_id) FROM samples)" \
	"sample(s) whose problem does not exist (the first: sample"
broken "UPDATE samples SET import_id = 999 WHERE id = 5" \
	"1 sample(s) whose import does not exist (the first: sample 5, import 999)"
broken "DELETE FROM judgments; DELETE FROM samples WHERE id = 7" \
	"1 grade(s) whose sample does not exist (the first: sample 7)"
broken "UPDATE grades SET sample_index = sample_index + 100 WHERE sample_id = 9" \
	"1 grade(s) whose run, problem or sample index differ from their sample's (the first: sample 9)"
broken "UPDATE grades SET problem_id = problem_id + 1 WHERE sample_id = 10" \
	"1 grade(s) whose run, problem or sample index differ from their sample's (the first: sample 10)"
broken "DELETE FROM samples WHERE id = (SELECT MIN(sample_id) FROM judgments); DELETE FROM grades WHERE sample_id NOT IN (SELECT id FROM samples)" \
	"1 judgment(s) whose sample does not exist"
broken "UPDATE imports SET first_sample_id = first_sample_id + 1 WHERE id = (SELECT import_id FROM samples WHERE id = 1)" \
	"1 sample(s) outside the sample range their import records (the first: sample 1, import"

# a damaged page: the cell pointers of the samples table's first page overwritten
cp "$GOOD" "$T/damaged.db"
page=$(sql "$GOOD" "SELECT rootpage FROM sqlite_master WHERE name = 'samples'")
size=$(sql "$GOOD" "PRAGMA page_size")
python3 -c "
import sys
with open(sys.argv[1], 'r+b') as f:
    f.seek((int(sys.argv[2]) - 1) * int(sys.argv[3]) + 8)
    f.write(b'\xff' * 64)
" "$T/damaged.db" "$page" "$size"
expect_status 1 "$COSEVAL" check-db --db "$T/damaged.db"
expect_stdout_contains "integrity_check: "
expect_stdout_contains "On tree page $page"
expect_stdout_contains "coseval's invariants not checked: the file itself is damaged"
ok "check-db reports SQLite's integrity check on a damaged page"

expect_status 4 "$COSEVAL" check-db --db "$T/missing.db"
expect_stderr_contains "no such database"
[ ! -e "$T/missing.db" ] || fail "check-db created a database"
printf 'not a database at all, just text that is long enough to fill a header page....' >"$T/text.db"
expect_status 4 "$COSEVAL" check-db --db "$T/text.db"
expect_stderr_contains "not a coseval database"
ok "check-db cannot open: exit 4"

before=$(db_snapshot "$GOOD")
expect_status 0 "$COSEVAL" check-db --db "$GOOD"
expect_eq "the database after check-db" "$before" "$(db_snapshot "$GOOD")"
ok "check-db does not change the database"
