#!/usr/bin/env bash
# End-to-end test of grading on a dask.distributed cluster (python/examples/dask_grade.py): real runs exported in
# shards, graded by `coseval grade --stream` on a LocalCluster of 2 worker processes and imported back with
# `import verdicts` give the grades, report and pair, byte for byte, of `coseval grade` on one machine.
# The Python side only starts the coseval binary, so it works in sanitizer builds too (the instrumented
# binary runs as a child process; nothing instrumented is loaded into python3).
source "$(dirname "$0")/lib.sh"
skip_if_no_data

SRC=${COSEVAL_SOURCE:-$_lib_dir/../..}
SCRIPT=$SRC/python/examples/dask_grade.py
[ -f "$SCRIPT" ] || fail "no $SCRIPT"
# Debian's interpreter, where python3-distributed installs (third_party/debian-packages.txt)
PY=${COSEVAL_PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
"$PY" -c 'import distributed' 2>/dev/null ||
	fail "$PY cannot import distributed: python3-distributed is needed (third_party/debian-packages.txt)"

# two GPT-3 runs on GSM8K (a WC/SE pair) and Qwen2.5-Math on MATH with its own answer pattern: 3,438 samples
BASE=$T/base.db
expect_status 0 "$COSEVAL" import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k --profile gsm8k --db "$BASE"
expect_status 0 "$COSEVAL" import problems "$DATA/tora/math_test.jsonl" --dataset math --profile math --db "$BASE"
for m in 6b 175b; do
	expect_status 0 "$COSEVAL" import samples "$DATA/gsm8k/example_model_solutions.jsonl" --run gpt3-$m --model gpt3-$m \
		--dataset gsm8k --params "${m%b}e9" --map problem=@line --map "text=\$.${m}_finetuning.solution" --db "$BASE"
done
expect_status 0 "$COSEVAL" import samples "$DATA/qwen25_math/math_cot_100.jsonl" --run qwen --model qwen2.5-math \
	--dataset math --params 7e9 --match question --map question='$.question' --map 'text=$.code[*]' --db "$BASE"
expect_status 0 "$COSEVAL" grade --db "$BASE" --run qwen --answer-pattern 'answer is \$?(?<answer>-?[0-9]+)\$?\.'
expect_eq "samples" 3438 "$(sql "$BASE" "SELECT count(*) FROM samples")"

ONE=$T/one.db DIST=$T/dist.db
cp "$BASE" "$ONE"
cp "$BASE" "$DIST"
sql "$DIST" "DELETE FROM grades" >/dev/null
expect_status 0 "$COSEVAL" grade --db "$ONE" --regrade --threads 2

# export every run in 3 shards, grade all 9 shards in one dask job, import the verdicts
mkdir -p "$T/shards"
for run in gpt3-6b gpt3-175b qwen; do
	expect_status 0 "$COSEVAL" export stream --db "$DIST" --run "$run" --shards 3 -o "$T/shards/$run"
done
start=$(date +%s)
timeout -k 10 120 "$PY" "$SCRIPT" --workers 2 --coseval "$COSEVAL" --timeout 90 "$T"/shards/*-of-00003.jsonl \
	>"$OUT" 2>"$ERR"
status=$?
[ "$status" = 0 ] || { LAST_CMD="dask_grade.py"; _show_output; fail "dask_grade.py exited $status"; }
echo "     dask job: $(( $(date +%s) - start )) s"
expect_eq "verdict files written" 9 "$(grep -c ' verdicts$' "$OUT")"
ls "$T"/shards/*.tmp >/dev/null 2>&1 && fail "dask_grade.py left a temporary file"
for run in gpt3-6b gpt3-175b qwen; do
	for f in "$T/shards/$run"-*-of-00003.verdicts.jsonl; do
		expect_status 0 "$COSEVAL" import verdicts "$f" --db "$DIST" --run "$run"
	done
done
grep -q '+pattern:' "$T"/shards/qwen-00000-of-00003.verdicts.jsonl || fail "qwen's verdicts do not carry its pattern"
ok "9 shards of 3 runs graded on a dask LocalCluster of 2 workers and imported"

expect_eq "grades" "$(sqlite3 -batch "$ONE" 'SELECT * FROM grades ORDER BY sample_id')" \
	"$(sqlite3 -batch "$DIST" 'SELECT * FROM grades ORDER BY sample_id')"
expect_eq "ungraded samples" 0 "$(sql "$DIST" "SELECT count(*) FROM samples WHERE id NOT IN (SELECT sample_id FROM grades)")"
for db in "$ONE" "$DIST"; do
	"$COSEVAL" report --db "$db" --k 1,2,4,8 --bootstrap 200 --seed 7 --format csv >"$db.report" 2>"$ERR" ||
		fail "report on $db failed: $(cat "$ERR")"
	"$COSEVAL" pair --db "$db" --wc gpt3-6b --se gpt3-175b --se-k 1 --match count --bootstrap 200 --seed 7 \
		--format csv >"$db.pair" 2>"$ERR" || fail "pair on $db failed: $(cat "$ERR")"
done
grep -q '"coverage","qwen",.*"8",' "$ONE.report" || fail "the report has no coverage@8 of qwen"
cmp -s "$ONE.report" "$DIST.report" || fail "report differs: $(diff "$ONE.report" "$DIST.report" | head -4)"
cmp -s "$ONE.pair" "$DIST.pair" || fail "pair differs: $(diff "$ONE.pair" "$DIST.pair" | head -4)"
ok "grades, report and pair after the dask job equal those of coseval grade byte for byte"

# a bad shard: the job fails with grade --stream's status 3 and leaves no verdict file for it
printf '{"id":"x","text":"no gold"}\n' >"$T/shards/bad-00000-of-00001.jsonl"
timeout -k 10 120 "$PY" "$SCRIPT" --workers 2 --coseval "$COSEVAL" --timeout 90 "$T/shards/bad-00000-of-00001.jsonl" \
	>"$OUT" 2>"$ERR"
status=$?
[ "$status" = 3 ] || { LAST_CMD="dask_grade.py on a bad shard"; _show_output; fail "expected exit 3, got $status"; }
expect_stderr_contains 'field "gold" missing'
[ -e "$T/shards/bad-00000-of-00001.verdicts.jsonl" ] && fail "a failed shard left a verdict file"
ok "a bad shard: exit 3 with coseval's message, no verdict file"
