#!/usr/bin/env bash
# kill -9 in the middle of a large import: the database must be intact and exactly as before, and the same file
# must then import in full.
set -u
. "$(dirname "$0")/lib.sh"
skip_if_no_data

DB=$T/kill.db
C() { "$COSEVAL" "$@" --db "$DB"; }

expect_status 0 C import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
printf '%s\n' '{"problem_id": 0, "text": "Janet sells 9 eggs: 18 dollars. A: 18"}' \
	'{"problem_id": 1, "text": "It takes 3 bolts. A: 3"}' >"$T/small.jsonl"
expect_status 0 C import samples "$T/small.jsonl" --run before --model m-small --dataset gsm8k
ok "set-up: gsm8k test problems and a run 'before' with 2 samples"

# gen FILE LINES: a sample dump over the 1319 gsm8k test problems, a few hundred bytes a line
gen() {
	python3 - "$1" "$2" <<'EOF' || fail "python3 could not write the dump"
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
filler = "Let me think step by step about the eggs, the ducks and the market. " * 4
with open(path, "w") as f:
    for i in range(n):
        f.write(json.dumps({"problem_id": i % 1319, "text": f"Sample {i}. {filler}The answer is {i % 97}.",
                            "tokens": 60 + i % 40}) + "\n")
EOF
}

lines=300000
killed=0
for attempt in 1 2 3; do
	gen "$T/big.jsonl" "$lines"
	before=$(db_snapshot "$DB")
	before_runs=$("$COSEVAL" runs --db "$DB")
	start=$(date +%s%N)
	"$COSEVAL" import samples "$T/big.jsonl" --run big --model m-big --dataset gsm8k --db "$DB" \
		>"$T/bg.out" 2>"$T/bg.err" &
	pid=$!
	# wait until it has run for 0.7 s, or until it ends
	while kill -0 "$pid" 2>/dev/null; do
		now=$(date +%s%N)
		[ $(((now - start) / 1000000)) -ge 700 ] && break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]; then
		kill -9 "$pid"
		wait "$pid" 2>/dev/null
		status=$?
	else
		status=finished
	fi
	# an import that ended between the check above and the kill (status 0) has finished first too
	if [ "$status" != finished ] && [ "$status" != 0 ]; then
		[ "$status" = 137 ] || fail "expected the import to die of SIGKILL (status 137), got $status"
		killed=1
		if [ -e "$DB-journal" ] || [ -e "$DB-wal" ]; then
			echo "note: the kill left a journal behind ($(stat -c %s "$DB-journal" 2>/dev/null || stat -c %s "$DB-wal") bytes): recovery is exercised"
		else
			echo "note: the kill left no journal behind (nothing had reached the file yet)"
		fi
		ok "import of $lines lines killed with SIGKILL after $((($(date +%s%N) - start) / 1000000)) ms (attempt $attempt)"
		break
	fi
	wait "$pid" 2>/dev/null
	echo "note: the import of $lines lines finished before the kill; starting over with a bigger file"
	rm -f "$DB" "$DB-journal" "$DB-wal" "$DB-shm"
	expect_status 0 C import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
	expect_status 0 C import samples "$T/small.jsonl" --run before --model m-small --dataset gsm8k
	lines=$((lines * 3))
done
[ "$killed" = 1 ] || fail "could not kill the import while it was running (it always finished first)"

expect_eq "integrity_check after kill -9" ok "$(sql "$DB" 'PRAGMA integrity_check')"
ok "PRAGMA integrity_check: ok"
after=$(db_snapshot "$DB")
expect_eq "database dump hash after kill -9" "$before" "$after"
expect_eq "samples after kill -9" 2 "$(sql "$DB" 'SELECT COUNT(*) FROM samples')"
expect_eq "runs after kill -9" "before" "$(sql "$DB" 'SELECT name FROM runs ORDER BY name' | paste -sd' ')"
expect_eq "imports after kill -9" "2" "$(sql "$DB" 'SELECT COUNT(*) FROM imports')"
expect_status 0 C runs
expect_eq "coseval runs after kill -9" "$before_runs" "$(cat "$OUT")"
ok "database exactly as before the import (dump hash, 2 samples, run 'before' only, same 'coseval runs')"

started=$(date +%s)
expect_status 0 C import samples "$T/big.jsonl" --run big --model m-big --dataset gsm8k
expect_stdout_contains "imported $lines samples of 1319 problems into run 'big'"
expect_eq "samples in run big" "$lines" \
	"$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='big'")"
expect_eq "token total in run big" \
	"$(python3 -c "print(sum(60 + i % 40 for i in range($lines)))")" \
	"$(sql "$DB" "SELECT SUM(tokens) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='big'")"
expect_eq "per-problem sample indexes of problem 0" "0|$(((lines + 1318) / 1319 - 1))" \
	"$(sql "$DB" "SELECT MIN(sample_index), MAX(sample_index) FROM samples s JOIN runs r ON r.id=s.run_id JOIN problems p ON p.id=s.problem_id WHERE r.name='big' AND p.problem_key='0'")"
expect_eq "integrity_check after the re-import" ok "$(sql "$DB" 'PRAGMA integrity_check')"
ok "re-import of the same file completes: $lines samples in $(($(date +%s) - started)) s, integrity ok"
echo "PASS $TEST_NAME"
