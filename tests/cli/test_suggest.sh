#!/usr/bin/env bash
# Checks "did you mean": an unknown option of any command suggests the nearest option of that command (exit 2),
# an unknown run name the nearest run in the database (with the exit status of that error, 3), an unknown
# import kind the nearest kind; and `coseval check` with an answer that starts with '-' says to put the answers
# after '--', which works.
set -u
. "$(dirname "$0")/lib.sh"

cd "$T" || fail "cd $T"
expect_status 0 "$COSEVAL" demo
DB=$T/coseval-demo.db
[ -f "$DB" ] || fail "coseval demo made no ./coseval-demo.db"
C() { "$COSEVAL" "$@" --db "$DB"; }

# --- options -----------------------------------------------------------------------------------------------------
expect_status 2 C report --run-s gsm8k-9b
expect_stderr_contains "coseval report: unknown option '--run-s'; did you mean '--runs'?"
expect_status 2 C report --runs=gsm8k-9b --fromat csv
expect_stderr_contains "unknown option '--fromat'; did you mean '--format'?"
expect_status 2 C import samples "$T/x.jsonl" --run r --modle m --dataset d
expect_stderr_contains "coseval import: unknown option '--modle'; did you mean '--model'?"
expect_status 2 C grade --thread 2
expect_stderr_contains "unknown option '--thread'; did you mean '--threads'?"
expect_status 2 C pair --wc gsm8k-9b --se gsm8k-27b --se_k 1
expect_stderr_contains "unknown option '--se_k'; did you mean '--se-k'?"
expect_status 2 C compare gsm8k-9b gsm8k-27b --max_drop 0.1
expect_stderr_contains "unknown option '--max_drop'; did you mean '--max-drop'?"
expect_status 2 C table data --pairs gsm8k-9b:gsm8k-27b --budget low=1
expect_stderr_contains "unknown option '--budget'; did you mean '--budgets'?"
expect_status 2 "$COSEVAL" check 1 1 --profle math
expect_stderr_contains "unknown option '--profle'; did you mean '--profile'?"
expect_status 2 C runs --quite
expect_stderr_contains "unknown option '--quite'; did you mean '--quiet'?"
expect_status 2 C show --run gsm8k-9b --wiat 1
expect_stderr_contains "unknown option '--wiat'; did you mean '--wait'?"
ok "an unknown option suggests the nearest option of its command, global ones included; exit 2"

expect_status 2 C report --frobnicate
expect_stderr_contains "unknown option '--frobnicate'; see 'coseval help report'"
grep -qF "did you mean" "$ERR" && fail "a suggestion for an option that is nothing like any: $(cat "$ERR")"
ok "no suggestion when no option is close"

expect_status 2 C import sample "$T/x.jsonl" --run r
expect_stderr_contains "unknown kind 'sample'; did you mean 'samples'?"
ok "an unknown import kind suggests the nearest one"

# --- run names ---------------------------------------------------------------------------------------------------
# every command that names runs: the nearest run in the database, and the exit status of an unknown run (3)
check_run() {
	local status=$1 want=$2
	shift 2
	expect_status "$status" C "$@"
	expect_stderr_contains "$want"
}
check_run 3 "coseval report: no run 'gsm8k-9'; did you mean 'gsm8k-9b'?" report --runs gsm8k-9b,gsm8k-9
check_run 3 "coseval grade: no run 'gsm8k-9'; did you mean 'gsm8k-9b'?" grade --run gsm8k-9
check_run 3 "coseval pair: no run 'gsm8k-9'; did you mean 'gsm8k-9b'?" pair --wc gsm8k-9 --se gsm8k-27b --se-k 1
check_run 3 "coseval pair: no run 'gsm8k-27'; did you mean 'gsm8k-27b'?" pair --wc gsm8k-9b --se gsm8k-27 --se-k 1
check_run 3 "coseval compare: no run 'math-9'; did you mean 'math-9b'?" compare math-9 math-27b
check_run 3 "coseval compare: no run 'math-72b'; did you mean 'math-27b'?" compare math-9b math-72b
check_run 3 "coseval fpr: no run 'math-27'; did you mean 'math-27b'?" fpr --run math-27
check_run 3 "coseval show: no run 'math-27'; did you mean 'math-27b'?" show --run math-27
check_run 3 "coseval export: no run 'math9b'; did you mean 'math-9b'?" export judging --run math9b --n 2 --seed 1
check_run 3 "coseval export sft: no run 'math9b'; did you mean 'math-9b'?" export sft --run math9b
check_run 3 "coseval plot: no run 'gsm8k-27'; did you mean 'gsm8k-27b'?" plot coverage --runs gsm8k-27 -o "$T/p.svg"
check_run 3 "coseval table data: no run 'gsm8k-2b'; did you mean 'gsm8k-27b'?" \
	table data --pairs gsm8k-9b:gsm8k-2b --budgets low=1
check_run 3 "coseval table finetune: no run 'math-9'; did you mean 'math-9b'?" table finetune --runs math-9b,math-9
check_run 3 "coseval report: no run 'gsm8k-9b-report' (see 'coseval runs')" report --runs gsm8k-9b-report
check_run 3 "no run 'gsm8k_9b'; did you mean 'gsm8k-9b'?" report --runs gsm8k_9b --format json
printf '{"problem_id": "1", "sample_index": 0, "judge": "j", "reasoning_correct": true}\n' >"$T/judged.jsonl"
before=$(db_snapshot "$DB")
check_run 3 "coseval import: no run 'math-9'; did you mean 'math-9b'? (import its samples first" \
	import judgments "$T/judged.jsonl" --run math-9
expect_eq "database after refused judgments" "$before" "$(db_snapshot "$DB")"
ok "an unknown run suggests the nearest run of the database in every command that names runs; exit 3"

expect_status 3 C report --runs llama-70b
expect_stderr_contains "no run 'llama-70b' (see 'coseval runs')"
grep -qF "did you mean" "$ERR" && fail "a suggestion for a run name that is nothing like any: $(cat "$ERR")"
ok "no suggestion when no run name is close"

# --- check: answers that start with '-' ---------------------------------------------------------------------------
expect_status 2 "$COSEVAL" check -3 -3
expect_stderr_contains "coseval check: unknown option '-3'; answers that start with '-' follow '--': coseval check -- -3 -3"
expect_status 2 "$COSEVAL" check 3 -3
expect_stderr_contains "answers that start with '-' follow '--': coseval check -- 3 -3"
expect_status 2 "$COSEVAL" check '-\frac{1}{2}' -0.5 --profile math
expect_stderr_contains "answers that start with '-' follow '--': coseval check --profile math -- '-\\frac{1}{2}' -0.5"
ok "check with an answer that starts with '-': the hint shows the command with the answers after '--'; exit 2"

# the hinted command works as written (run by the shell, coseval standing for the binary)
hint=$(sed -n "s/.*follow '--': coseval //p" "$ERR")
[ -n "$hint" ] || fail "no command in the hint: $(cat "$ERR")"
expect_status 0 bash -c "'$COSEVAL' $hint"
expect_stdout_contains "equal"
expect_stdout_contains "gold: -0.5"
expect_status 0 "$COSEVAL" check -- -3 -3
expect_stdout_contains "equal"
expect_status 1 "$COSEVAL" check --profile gsm8k -- 3 -3
expect_stdout_contains "different"
expect_status 0 "$COSEVAL" check -- -h -h
expect_stdout_contains "gold: -h"
ok "'--' ends the options of check: -3, -1/2 and even -h are answers after it"
echo "PASS $TEST_NAME"
