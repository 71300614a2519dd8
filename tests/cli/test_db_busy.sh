# A database held by another writer for longer than the wait: exit 4 saying it is busy (not "not a coseval
# database"); --wait SECONDS and COSEVAL_WAIT set the wait.
source "$(dirname "$0")/lib.sh"

DB=$T/study.db
DEMO=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
expect_status 0 "$COSEVAL" init --db "$DB"
HOLDER=

# hold LOCK SECONDS: a python3 process holds a transaction (BEGIN LOCK) on $DB for SECONDS, then commits;
# returns once the lock is taken.
hold() {
	rm -f "$T/held"
	python3 - "$DB" "$1" "$2" "$T/held" <<'PY' &
import sqlite3, sys, time
db, lock, seconds, flag = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
con = sqlite3.connect(db, isolation_level=None)
con.execute("BEGIN " + lock)
con.execute("INSERT OR IGNORE INTO datasets (name, profile) VALUES ('held', 'generic')")
open(flag, "w").close()
time.sleep(seconds)
con.execute("COMMIT")
PY
	HOLDER=$!
	for _ in $(seq 100); do
		[ -e "$T/held" ] && return
		sleep 0.1
	done
	fail "the python3 lock holder did not start"
}

# release: waits for the holder started last (ends it if it still runs).
release() {
	kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
	HOLDER=
}
trap 'release; rm -rf "$T"' EXIT

BUSY="the database is busy: another coseval command is writing it"

hold EXCLUSIVE 30
start=$(date +%s)
expect_status 4 "$COSEVAL" runs --db "$DB" --wait 1
expect_stderr_contains "$BUSY"
expect_stderr_contains "--wait SECONDS or COSEVAL_WAIT"
[ $(( $(date +%s) - start )) -lt 10 ] || fail "--wait 1 waited 10 seconds or more"
ok "a reader blocked by an exclusive lock: exit 4, busy, after --wait"

COSEVAL_WAIT=1 expect_status 4 "$COSEVAL" report --db "$DB"
expect_stderr_contains "$BUSY"
if grep -qF "not a coseval database" "$ERR"; then fail "a busy database called not a coseval database"; fi
ok "COSEVAL_WAIT sets the wait"
release

hold IMMEDIATE 30
COSEVAL_WAIT=1 expect_status 4 "$COSEVAL" grade --db "$DB"
expect_stderr_contains "$BUSY"
expect_status 4 "$COSEVAL" import problems "$DEMO/gsm8k-demo.problems.jsonl" --dataset g --db "$DB" --wait 0.5
expect_stderr_contains "$BUSY"
ok "writers blocked by another writer: exit 4, busy"
release

hold IMMEDIATE 1
expect_status 0 "$COSEVAL" grade --db "$DB" --wait 30
release
expect_eq "the holder's row" "held" "$(sql "$DB" "SELECT name FROM datasets")"
ok "a wait longer than the other writer's transaction succeeds"

expect_status 2 "$COSEVAL" runs --db "$DB" --wait soon
expect_stderr_contains "--wait wants a non-negative number"
COSEVAL_WAIT=soon expect_status 2 "$COSEVAL" runs --db "$DB"
expect_stderr_contains "COSEVAL_WAIT wants a number of seconds"
ok "a bad --wait or COSEVAL_WAIT is a usage error"
