# Shared helpers for the end-to-end CLI tests: sourced by each tests/cli/test_*.sh.
#
# Provides: $COSEVAL (the binary), $DATA (the real data folder), $T (a fresh temp dir, removed on exit),
# fail, ok, expect_status, expect_stderr_contains, expect_stdout_contains, expect_eq, sql, db_snapshot,
# skip_if_no_data. expect_status leaves the last command's output in $OUT and $ERR (files).

_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
COSEVAL=${COSEVAL_BIN:-/work/main/build/coseval}
DATA=${COSEVAL_DATA:-$_lib_dir/../../../shared/data}
TEST_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)

T=$(mktemp -d "${TMPDIR:-/tmp}/coseval-$TEST_NAME.XXXXXX") || { echo "FAIL: mktemp -d failed" >&2; exit 1; }
trap 'rm -rf "$T"' EXIT
OUT=$T/stdout
ERR=$T/stderr
export COSEVAL_DB=$T/default.db

# fail MESSAGE...: reports a failed check and ends the test.
fail() {
	echo "FAIL [$TEST_NAME]: $*" >&2
	exit 1
}

# ok MESSAGE...: one line per passed check.
ok() {
	echo "ok   $*"
}

_show_output() {
	echo "--- command: $LAST_CMD" >&2
	echo "--- stdout (first 40 lines):" >&2
	head -n 40 "$OUT" >&2
	echo "--- stderr (first 40 lines):" >&2
	head -n 40 "$ERR" >&2
	echo "---" >&2
}

# expect_status WANT CMD...: runs CMD with stdout/stderr in $OUT/$ERR; fails unless it exits WANT.
expect_status() {
	local want=$1 got
	shift
	LAST_CMD="$*"
	"$@" >"$OUT" 2>"$ERR"
	got=$?
	if [ "$got" != "$want" ]; then
		_show_output
		fail "expected exit status $want, got $got from: $LAST_CMD"
	fi
}

# expect_stderr_contains TEXT: the last command's stderr contains TEXT (a fixed string).
expect_stderr_contains() {
	if ! grep -qF -- "$1" "$ERR"; then
		_show_output
		fail "expected stderr of '$LAST_CMD' to contain '$1'"
	fi
}

# expect_stdout_contains TEXT: the last command's stdout contains TEXT (a fixed string).
expect_stdout_contains() {
	if ! grep -qF -- "$1" "$OUT"; then
		_show_output
		fail "expected stdout of '$LAST_CMD' to contain '$1'"
	fi
}

# expect_eq WHAT EXPECTED ACTUAL: compares two strings.
expect_eq() {
	if [ "$2" != "$3" ]; then
		fail "$1: expected '$2', got '$3'"
	fi
}

# sql DB QUERY: runs a query with the sqlite3 CLI and prints the result; fails when sqlite3 does.
sql() {
	local db=$1 result
	shift
	result=$(sqlite3 -batch "$db" "$@" 2>&1) || fail "sqlite3 $db '$*' failed: $result"
	printf '%s\n' "$result"
}

# db_snapshot DB: a hash of the database contents (schema and rows), to prove it did not change.
db_snapshot() {
	if [ ! -e "$1" ]; then
		echo "no-database"
		return
	fi
	{ sqlite3 -batch "$1" .dump; sqlite3 -batch "$1" 'PRAGMA user_version'; } 2>&1 | sha256sum | cut -d' ' -f1
}

# skip_if_no_data: ends the test successfully (printing SKIP) when the real data is not there.
skip_if_no_data() {
	if [ ! -d "$DATA" ] || [ ! -f "$DATA/README.md" ]; then
		echo "SKIP [$TEST_NAME]: no data at $DATA (set COSEVAL_DATA)"
		exit 0
	fi
	DATA=$(cd "$DATA" && pwd)
}

[ -x "$COSEVAL" ] || fail "no coseval binary at $COSEVAL (build it, or set COSEVAL_BIN)"
command -v sqlite3 >/dev/null || fail "the sqlite3 command-line tool is needed"
