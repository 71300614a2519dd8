#!/usr/bin/env bash
# kill -9 in the middle of a grading pass that replaces a run's grades (a new answer pattern makes every grade
# outdated): every sample must still have exactly one grade, old or new, and the next `grade` finishes the
# pass.
set -u
. "$(dirname "$0")/lib.sh"
skip_if_no_data

DB=$T/grade-kill.db
C() { "$COSEVAL" "$@" --db "$DB"; }
# the grades written so far with the given grader version prefix (a busy timeout, as the pass is writing)
count_version() { sqlite3 -batch -cmd ".timeout 5000" "$DB" "SELECT COUNT(*) FROM grades WHERE grader_version LIKE '$1%'"; }

lines=600000
expect_status 0 C import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
python3 - "$T/big.jsonl" "$lines" <<'EOF' || fail "python3 could not write the dump"
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write(json.dumps({"problem_id": i % 1319, "text": f"Sample {i}: step by step. ANSWER {i % 89}. The answer is {i % 97}."}) + "\n")
EOF
expect_status 0 C import samples "$T/big.jsonl" --run big --model m --dataset gsm8k
expect_status 0 C grade --threads 2
expect_eq "first grading" "$lines" "$(count_version 2.2)"
ok "set-up: $lines samples graded by grader 2.2"

killed=0
for attempt in 1 2 3; do
	case $attempt in
	1) pattern='ANSWER (?<answer>\d+)\.' ;;
	2) pattern='ANSWER (?<answer>\d+)' ;;
	*) pattern='ANSWER (?<answer>[0-9]+)' ;;
	esac
	"$COSEVAL" grade --run big --threads 2 --answer-pattern "$pattern" --db "$DB" >"$T/bg.out" 2>"$T/bg.err" &
	pid=$!
	# kill it once a first part of the new grades is committed, if it is still running then
	while kill -0 "$pid" 2>/dev/null && [ "$(count_version '2.2+pattern:')" = 0 ]; do
		sleep 0.02
	done
	if kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]; then
		kill -9 "$pid"
		wait "$pid" 2>/dev/null
		[ $? = 137 ] || fail "expected the grading pass to die of SIGKILL (status 137)"
		killed=1
		break
	fi
	wait "$pid"
	echo "note: the pass finished before the kill (attempt $attempt); again with another pattern"
done
[ "$killed" = 1 ] || fail "could not kill the grading pass while it was running (it always finished first)"
new=$(count_version '2.2+pattern:')
ok "grading pass killed with SIGKILL after $new of $lines new grades were committed"

expect_eq "integrity_check after kill -9" ok "$(sql "$DB" 'PRAGMA integrity_check')"
expect_eq "grades after kill -9 (one per sample)" "$lines" "$(sql "$DB" 'SELECT COUNT(*) FROM grades')"
expect_eq "samples without a grade" 0 "$(sql "$DB" 'SELECT COUNT(*) FROM samples s WHERE NOT EXISTS
	(SELECT 1 FROM grades g WHERE g.sample_id = s.id)')"
[ "$new" -gt 0 ] && [ "$new" -lt "$lines" ] || fail "expected a part of the grades to be new, got $new of $lines"
expect_eq "old grades kept for the rest" "$((lines - new))" "$(sql "$DB" "SELECT COUNT(*) FROM grades WHERE grader_version = '2.2'")"
ok "every sample still has one grade: $new new, $((lines - new)) old"

expect_status 0 C grade --threads 2
expect_stdout_contains "graded $((lines - new)) samples"
expect_stdout_contains "$new already current"
expect_eq "new grades after the next grade" "$lines" "$(count_version '2.2+pattern:')"
expect_eq "rule of the new grades" "$lines" "$(sql "$DB" "SELECT COUNT(*) FROM grades WHERE rule = 'user'")"
ok "the next grade finishes the pass: all $lines grades new"
echo "PASS $TEST_NAME"
