#!/usr/bin/env bash
# The FPR workflow end to end: import judgments (demo, bad inputs), export judging (seeded, round trip), fpr,
# and the real human-judged data (verify_cot, MR-GSM8K) with their false-positive figures.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/judge.db
C() { "$COSEVAL" "$@" --db "$DB"; }
J() { C import judgments "$@"; } # J FILE OPTIONS...
DEMO=${COSEVAL_SOURCE:-$_lib_dir/../..}/datasets/demo

# rejected WANT CMD...: runs CMD expecting exit WANT and proves that $DB did not change.
rejected() {
	local want=$1 before after
	shift
	before=$(db_snapshot "$DB")
	expect_status "$want" "$@"
	after=$(db_snapshot "$DB")
	if [ "$before" != "$after" ]; then
		_show_output
		fail "the database changed after a refused command: $LAST_CMD"
	fi
	[ -s "$ERR" ] || fail "no message on stderr from: $LAST_CMD"
}

# fpr_line RUN [OPTIONS...]: the data line of `coseval fpr` for the run's one judge.
fpr_line() {
	local run=$1
	shift
	expect_status 0 C fpr --run "$run" "$@"
	expect_eq "fpr header" "run	judge	correct_by	judged	wrong_reasoning	fpr	ci_low	ci_high	level" "$(head -n 1 "$OUT")"
	[ "$(wc -l <"$OUT")" = 2 ] || fail "expected one judge in: $(cat "$OUT")"
	tail -n 1 "$OUT"
}

# expect_fpr RUN JUDGED WRONG [OPTIONS...]: fpr prints these counts, the rate, and Wilson bounds that agree to 3
# decimals with the formula computed here, independently, with python3's math.
expect_fpr() {
	local run=$1 judged=$2 wrong=$3 line
	shift 3
	line=$(fpr_line "$run" "$@")
	python3 - "$line" "$judged" "$wrong" <<'EOF' || fail "fpr of $run: $line"
import math, sys
from statistics import NormalDist
cols = sys.argv[1].split("\t")
judged, wrong = int(sys.argv[2]), int(sys.argv[3])
level = float(cols[8])
assert int(cols[3]) == judged and int(cols[4]) == wrong, f"counts {cols[3]}/{cols[4]}, want {judged}/{wrong}"
n, p = judged, wrong / judged
z = NormalDist().inv_cdf((1 + level) / 2)
centre = (p + z * z / (2 * n)) / (1 + z * z / n)
half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
lo, hi = max(0.0, centre - half), min(1.0, centre + half)
for name, got, want in (("fpr", cols[5], p), ("ci_low", cols[6], lo), ("ci_high", cols[7], hi)):
    assert abs(float(got) - want) <= 0.0005, f"{name} {got}, want {want:.4f}"
print(f"ok   fpr {cols[0]} ({cols[2]}): {wrong}/{judged} = {p:.3f} [{lo:.3f}, {hi:.3f}]")
EOF
}

# --- the demo runs and their judgments ------------------------------------------------------------------------
expect_status 0 "$COSEVAL" demo --db "$DB"
expect_stdout_contains "gsm8k-9b   14 judgments from judgments.demo-9b.jsonl"
expect_eq "judgments the demo imported" 49 "$(sql "$DB" 'SELECT COUNT(*) FROM judgments')"
# start again without them, to import them here
sql "$DB" "DELETE FROM judgments; DELETE FROM imports WHERE kind = 'judgments'" >/dev/null
expect_status 0 C grade
# each judgments file covers one model on both datasets: import it into both runs, skipping the other's records
for m in 9b 27b; do
	for d in gsm8k math; do
		expect_status 0 J "$DEMO/judgments.demo-$m.jsonl" --run "$d-$m" --skip-unknown
		expect_stderr_contains "skipped"
	done
done
expect_eq "demo judgments" 49 "$(sql "$DB" 'SELECT COUNT(*) FROM judgments')"
expect_eq "demo-9b wrong reasoning" 7 "$(sql "$DB" "SELECT COUNT(*) FROM judgments j JOIN samples s ON s.id = j.sample_id
	JOIN runs r ON r.id = s.run_id WHERE r.model = 'demo-9b' AND j.reasoning_correct = 0")"
ok "demo judgments: 29 + 20 into the four runs (7 and 2 with wrong reasoning, as datasets/demo/README.md says)"
expect_fpr gsm8k-9b 14 4
expect_fpr math-9b 15 3
expect_fpr gsm8k-27b 10 1
expect_fpr math-27b 10 1 --ci 0.9
expect_fpr gsm8k-9b 14 4 --judge demo-judge
expect_status 3 C fpr --run gsm8k-9b --judge nobody
expect_stderr_contains "no judgments by judge 'nobody'"
expect_status 2 C fpr --run gsm8k-9b --ci 1.5
expect_status 2 C fpr --run gsm8k-9b --correct-by vibes
expect_status 2 C fpr
ok "fpr: per judge, --judge filter, usage errors"

# --- bad judgment files leave the database unchanged -----------------------------------------------------------
printf '%s\n' '{"problem_id": "g01", "sample_index": 0, "judge": "x", "reasoning_correct": true}' \
	'{"problem_id": "g01", "sample_index": 99, "judge": "x", "reasoning_correct": true}' >"$T/nosample.jsonl"
rejected 3 J "$T/nosample.jsonl" --run gsm8k-9b
expect_stderr_contains 'nosample.jsonl:2: field "index" ($.sample_index)'
expect_stderr_contains "has no sample 99 of problem 'g01'"
ok "missing sample: exit 3 naming nosample.jsonl:2 and field \"index\", database unchanged"

printf '%s\n' '{"problem_id": "g01", "judge": "x", "reasoning_correct": true}' \
	'{"problem_id": "nope", "judge": "x", "reasoning_correct": true}' >"$T/noproblem.jsonl"
rejected 3 J "$T/noproblem.jsonl" --run gsm8k-9b
expect_stderr_contains 'noproblem.jsonl:2: field "problem"'
expect_stderr_contains "no problem 'nope'"
ok "unknown problem: exit 3 naming line 2 and field \"problem\""

printf '%s\n' '{"problem_id": "g01", "sample_index": 0, "judge": "x", "reasoning_correct": true}' \
	'{"problem_id": "g02", "sample_index": 0, "judge": "x", "reasoning_correct": false}' \
	'{"problem_id": "g01", "sample_index": 0, "judge": "x", "reasoning_correct": false}' >"$T/dup.jsonl"
rejected 3 J "$T/dup.jsonl" --run gsm8k-9b
expect_stderr_contains 'dup.jsonl:3: field "judge"'
expect_stderr_contains "on line 1 of this file"
ok "the same (sample, judge) twice in a file: exit 3 naming lines 3 and 1"

printf '%s\n' '{"problem_id": "g01", "sample_index": 0, "judge": "x", "reasoning_correct": "maybe"}' >"$T/verdict.jsonl"
rejected 3 J "$T/verdict.jsonl" --run gsm8k-9b
expect_stderr_contains 'verdict.jsonl:1: field "verdict" ($.reasoning_correct)'
printf '%s\n' '{"problem_id": "g01", "sample_index": 0, "judge": "x", "reasoning_correct": {"ok": 1}}' >"$T/verdict2.jsonl"
rejected 3 J "$T/verdict2.jsonl" --run gsm8k-9b
expect_stderr_contains 'field "verdict"'
printf '%s\n' '{"problem_id": "g01", "sample_index": 0, "judge": "x"}' >"$T/noverdict.jsonl"
rejected 3 J "$T/noverdict.jsonl" --run gsm8k-9b
expect_stderr_contains 'noverdict.jsonl:1: field "verdict" ($.reasoning_correct) missing'
ok "a verdict of the wrong type or missing: exit 3 naming the line and field"

printf '%s\n' '{"problem_id": "g01", "sample_index": 0, "reasoning_correct": true}' >"$T/nojudge.jsonl"
rejected 3 J "$T/nojudge.jsonl" --run gsm8k-9b
expect_stderr_contains 'nojudge.jsonl:1: field "judge" ($.judge) missing (name the judge with --judge NAME)'
rejected 3 J "$DEMO/judgments.demo-9b.jsonl" --run gsm8k-9b --skip-unknown
expect_stderr_contains "refused: a file with the same SHA-256"
rejected 3 J "$T/nojudge.jsonl" --run no-such-run --judge x
expect_stderr_contains "no run 'no-such-run'"
rejected 2 J "$T/nojudge.jsonl" --run gsm8k-9b --judge x --map judge='$.who'
rejected 2 J "$T/nojudge.jsonl"
rejected 2 J "$T/nojudge.jsonl" --run gsm8k-9b --map verdict='$.a[' --judge x
ok "no judge, the same file twice, unknown run, usage errors: refused, database unchanged"

# verdict spellings, --judge overriding the records' judge, several judges kept apart
printf '%s\n' '{"problem_id": "g01", "sample_index": 0, "judge": "ignored", "ok": "yes"}' \
	'{"problem_id": "g02", "sample_index": 0, "ok": "wrong"}' '{"problem_id": "g03", "sample_index": 0, "ok": 0}' \
	'{"problem_id": "g04", "sample_index": 1, "ok": "correct"}' >"$T/spellings.jsonl"
expect_status 0 J "$T/spellings.jsonl" --run gsm8k-9b --judge second --map verdict='$.ok'
expect_eq "second judge" "0|2
1|2" "$(sql "$DB" "SELECT reasoning_correct, COUNT(*) FROM judgments WHERE judge = 'second' GROUP BY 1")"
expect_eq "judge field ignored under --judge" 0 "$(sql "$DB" "SELECT COUNT(*) FROM judgments WHERE judge = 'ignored'")"
expect_status 0 C fpr --run gsm8k-9b
expect_eq "two judges" 3 "$(wc -l <"$OUT")"
ok "verdict spellings yes/wrong/0/correct, --judge wins over the records' judge, two judges kept apart"

# --- export judging -------------------------------------------------------------------------------------------
expect_status 0 C export judging --run gsm8k-9b --n 10 --seed 7 -o "$T/a.jsonl"
expect_status 0 C export judging --run gsm8k-9b --n 10 --seed 7 -o "$T/b.jsonl"
expect_status 0 C export judging --run gsm8k-9b --n 10 --seed 8 -o "$T/c.jsonl"
expect_eq "export lines" 10 "$(wc -l <"$T/a.jsonl")"
cmp -s "$T/a.jsonl" "$T/b.jsonl" || fail "the same seed gave different files"
cmp -s "$T/a.jsonl" "$T/c.jsonl" && fail "seeds 7 and 8 gave the same file"
[ ! -e "$T/a.jsonl.tmp" ] || fail "a .tmp file was left behind"
python3 - "$T/a.jsonl" <<'EOF' || fail "export judging: bad lines"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = ["run", "problem_id", "sample_index", "question", "gold", "answer", "text", "judge", "reasoning_correct"]
assert all(list(r) == keys for r in rows), list(rows[0])
assert all(r["judge"] is None and r["reasoning_correct"] is None and r["run"] == "gsm8k-9b" for r in rows)
order = [(r["problem_id"], r["sample_index"]) for r in rows]
assert order == sorted(order) and len(set(order)) == len(order), order
EOF
expect_status 0 C export judging --run gsm8k-9b --n 1000 --seed 7
expect_eq "all eligible" 72 "$(wc -l <"$OUT")"
expect_stderr_contains "exporting all 72"
ok "export judging: same seed same file, another seed another file, stable order, fewer than N: all and said"

before=$(db_snapshot "$DB")
expect_status 3 C export judging --run gsm8k-9b --n 10 --seed 7 -o "$T/no/such/dir/x.jsonl"
[ ! -e "$T/no/such/dir/x.jsonl" ] || fail "partial export file"
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ ! -w "$T/ro" ]; then
	expect_status 3 C export judging --run gsm8k-9b --n 10 --seed 7 -o "$T/ro/x.jsonl"
	[ -z "$(ls "$T/ro")" ] || fail "export left a file in a read-only folder"
fi
expect_status 2 C export judging --run gsm8k-9b --seed 7
expect_status 2 C export judging --run gsm8k-9b --n 10 --seed -1
expect_status 2 C export nonsense --run gsm8k-9b
printf '%s\n' '{"problem_id": "g01", "text": "The answer is 222."}' >"$T/one.jsonl"
expect_status 0 C import samples "$T/one.jsonl" --run ungraded --model m --dataset gsm8k-demo
expect_status 3 C export judging --run ungraded --n 5 --seed 1
expect_stderr_contains "coseval grade"
expect_status 3 C fpr --run ungraded
expect_stderr_contains "coseval grade"
ok "export: unwritable -o is exit 3 with no file left, usage errors, ungraded run told to run 'coseval grade'"

# round trip: a "model" fills in the export, and import judgments reads it back unchanged
python3 - "$T/a.jsonl" "$T/filled.jsonl" <<'EOF'
import json, sys
with open(sys.argv[2], "w") as out:
    for i, line in enumerate(open(sys.argv[1])):
        r = json.loads(line)
        r["judge"] = "model-x"
        r["reasoning_correct"] = i % 3 != 0  # lines 0, 3, 6, 9 judged wrong
        out.write(json.dumps(r) + "\n")
EOF
expect_status 0 J "$T/filled.jsonl" --run gsm8k-9b
expect_stdout_contains "imported 10 judgments"
expect_fpr gsm8k-9b 10 4 --judge model-x
ok "export judging -> fill -> import judgments round trip: 10 judged, 4 wrong"

# --- real data ------------------------------------------------------------------------------------------------
skip_if_no_data
DB=$T/real.db
V=$DATA/verify_cot
# verify_cot: problems, samples and judgments all come from the same JSON array, keyed by record index
for f in gsm8k_100 MATH_100; do
	profile=math
	[ "$f" = gsm8k_100 ] && profile=gsm8k
	expect_status 0 C import problems "$V/$f.json" --dataset "vc-$f" --profile $profile --map id=@line \
		--map answer='$.final_answer'
	expect_status 0 C import samples "$V/$f.json" --run "vc-$f" --model gpt-3.5-turbo --dataset "vc-$f" \
		--map problem=@line --map text='$.answer' --map label='$.correct'
	expect_status 0 C import judgments "$V/$f.json" --run "vc-$f" --map problem=@line --map verdict='$.flag' \
		--judge human
	expect_stdout_contains "imported 100 judgments"
done
expect_status 0 C grade
# by the files' own labels, the figures of the data README: 15/65 and 30/80
expect_fpr vc-gsm8k_100 65 15 --correct-by label
expect_fpr vc-MATH_100 80 30 --correct-by label
# by coseval's grader: GSM8K agrees; MATH finds 70 correct (10 labelled-correct answers are not the asked
# quantity or are stated in a sentence with several numbers, "6, since there are 6 cubes less than 2008"),
# 23 of them judged wrong; no labelled-wrong answer is graded correct (grader 2.2: "Andrew is now about 6.22
# years old" is a hedge, no answer rather than wrong)
expect_fpr vc-gsm8k_100 65 15
expect_fpr vc-MATH_100 70 23
expect_eq "MATH label vs grade" "0|no-answer|6
0|wrong|14
1|correct|70
1|no-answer|3
1|wrong|7" "$(sql "$DB" "SELECT s.label, g.verdict, COUNT(*) FROM samples s JOIN grades g ON g.sample_id = s.id
	JOIN runs r ON r.id = s.run_id WHERE r.name = 'vc-MATH_100' GROUP BY 1, 2")"
ok "verify_cot: imported with --map options only; FPR by label 15/65, 30/80; by grade 15/65, 23/70"

# MR-GSM8K: six files share uuids (851 rows, 590 items): one dataset whose problems are merged with
# --skip-existing, one run per file (each file is a separate subset), the human verdict as the judgment
M=$DATA/mr_gsm8k
files="Claude GPT3_5 llama2_70b mammoth_70B metamath_70B wizardmath_70B"
for f in $files; do
	expect_status 0 C import problems "$M/${f}_eval_results.json" --dataset mr-gsm8k --profile gsm8k \
		--map id='$.uuid' --map answer='$.ground_truth_answer' --map solution='$.ground_truth_solution' --skip-existing
done
expect_eq "MR-GSM8K problems" 590 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset = 'mr-gsm8k'")"
for f in $files; do
	expect_status 0 C import samples "$M/${f}_eval_results.json" --run "mr-$f" --model mr-gsm8k-student \
		--dataset mr-gsm8k --map problem='$.uuid' --map text='join($.model_output_steps)' \
		--map label='$.model_output_answer_correctness'
	expect_status 0 C import judgments "$M/${f}_eval_results.json" --run "mr-$f" --map problem='$.uuid' \
		--map verdict='$.model_output_solution_correctness' --judge human
done
expect_eq "MR-GSM8K samples" 851 "$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id = s.run_id
	WHERE r.dataset = 'mr-gsm8k'")"
expect_eq "steps joined by newlines" 851 "$(sql "$DB" "SELECT COUNT(*) FROM samples WHERE text LIKE 'Step 1:%' AND text LIKE '%' || char(10) || 'Step 2:%'")"
expect_status 0 C grade
expect_fpr mr-Claude 9 9 --correct-by label
expect_fpr mr-GPT3_5 6 6 --correct-by label
expect_fpr mr-llama2_70b 8 8 --correct-by label
expect_fpr mr-metamath_70B 1 1 --correct-by label
# by grade, grader 2.2: one Claude sample is no answer, not correct (its text ends in code, "Step 5:
# print(total_days)", whose step number 5 grader 2.1 read as the answer against the gold 5)
expect_fpr mr-Claude 8 8
expect_fpr mr-llama2_70b 5 5
# the union over distinct items: 19 false positives by label (the data README), 14 by our grader (15 with 2.1)
union() {
	sql "$DB" "SELECT COUNT(DISTINCT s.problem_id) FROM samples s JOIN judgments j ON j.sample_id = s.id
		LEFT JOIN grades g ON g.sample_id = s.id JOIN runs r ON r.id = s.run_id
		WHERE r.dataset = 'mr-gsm8k' AND j.reasoning_correct = 0 AND $1"
}
expect_eq "MR-GSM8K union by label" 19 "$(union 's.label = 1')"
expect_eq "MR-GSM8K union by grade" 14 "$(union "g.verdict = 'correct'")"
ok "MR-GSM8K: 590 problems via --skip-existing, 851 samples in six runs; union 19 (label) and 14 (grade)"

# --skip-existing still refuses a problem that differs
printf '%s\n' '{"uuid": "33191670-5d82-40f6-b702-4d1b42116d5a", "question": "Other?", "ground_truth_answer": 2}' \
	>"$T/differs.jsonl"
rejected 3 C import problems "$T/differs.jsonl" --dataset mr-gsm8k --profile gsm8k --map id='$.uuid' \
	--map answer='$.ground_truth_answer' --skip-existing
expect_stderr_contains 'differs.jsonl:1: field "question"'
ok "--skip-existing refuses a problem stored with a different question"
