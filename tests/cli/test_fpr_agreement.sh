#!/usr/bin/env bash
# fpr --agreement: per pair of judges the samples both judged, raw agreement and Cohen's kappa with bootstrap
# intervals and the 2x2 table, on hand-made judges with a known table, an undefined kappa, the real MR-GSM8K
# judges, and the errors (one judge only, an unknown judge); table data --judge.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/agree.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 "$COSEVAL" demo --db "$DB"

# verdicts JUDGE V1 V2 ...: one judgment per value, on sample 0 of g01, g02, ... (1 = reasoning correct)
verdicts() {
	local judge=$1 i=0 v
	shift
	for v in "$@"; do
		i=$((i + 1))
		printf '{"problem_id": "g%02d", "sample_index": 0, "judge": "%s", "reasoning_correct": %s}\n' "$i" "$judge" \
			"$([ "$v" = 1 ] && echo true || echo false)"
	done
}

# --- one judge only, an unknown judge ------------------------------------------------------------------------
expect_status 3 C fpr --run gsm8k-9b --agreement
expect_stderr_contains "run 'gsm8k-9b' has one judge only ('demo-judge'): agreement needs two judges"
expect_status 3 C fpr --run gsm8k-9b --agreement --judge demo-jugde
expect_stderr_contains "no judge 'demo-jugde' in run 'gsm8k-9b'; did you mean 'demo-judge'?"
expect_status 2 C fpr --run gsm8k-9b --bootstrap 100
expect_stderr_contains "--bootstrap and --seed go with --agreement"
expect_status 3 C fpr --run nope --agreement
expect_stderr_contains "no run 'nope'"
ok "one judge only: exit 3 and why; unknown judge: exit 3 naming it; --bootstrap without --agreement: exit 2"

# --- a known table: alice and bob on 10 samples ----------------------------------------------------------------
# alice yes / bob yes 4, alice yes / bob no 1, alice no / bob yes 2, both no 3: observed 0.7; alice says yes to
# 0.5, bob to 0.6, so expected 0.5 * 0.6 + 0.5 * 0.4 = 0.5 and kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
verdicts alice 1 1 1 1 1 0 0 0 0 0 >"$T/alice.jsonl"
verdicts bob 1 1 1 1 0 1 1 0 0 0 >"$T/bob.jsonl"
expect_status 0 C import judgments "$T/alice.jsonl" --run gsm8k-9b
expect_status 0 C import judgments "$T/bob.jsonl" --run gsm8k-9b
expect_status 0 C fpr --run gsm8k-9b --agreement --judge bob
expect_eq "pairs with bob" 3 "$(wc -l <"$OUT")"
line=$(grep -P '^gsm8k-9b\talice\tbob\t' "$OUT") || fail "no alice-bob line: $(cat "$OUT")"
expect_eq "alice-bob: scope, n, agree, agreement" "all 10 7 0.7000" "$(echo "$line" | cut -f4-7 | tr '\t' ' ')"
expect_eq "alice-bob: kappa" "0.4000" "$(echo "$line" | cut -f10)"
expect_eq "alice-bob: table correct_correct, correct_wrong, wrong_correct, wrong_wrong" "4 1 2 3" \
	"$(echo "$line" | cut -f13-16 | tr '\t' ' ')"
python3 - "$line" <<'EOF' || fail "alice-bob intervals: $line"
import sys
c = sys.argv[1].split("\t")
lo, hi, klo, khi = float(c[7]), float(c[8]), float(c[10]), float(c[11])
assert lo <= 0.7 <= hi and 0.3 <= lo and hi <= 1.0, (lo, hi)
assert -1.0 <= klo < 0.4 < khi <= 1.0, (klo, khi)
print(f"ok   alice-bob: agreement 0.7 [{lo}, {hi}], kappa 0.4 [{klo}, {khi}]")
EOF
# the pairs are in name order, and demo-judge's overlap with alice is counted from the database
expect_status 0 C fpr --run gsm8k-9b --agreement
expect_eq "pairs" "alice bob
alice demo-judge
bob demo-judge" "$(tail -n +2 "$OUT" | cut -f2,3 | tr '\t' ' ')"
both=$(sql "$DB" "SELECT COUNT(*) FROM judgments a JOIN judgments b ON b.sample_id = a.sample_id
	WHERE a.judge = 'alice' AND b.judge = 'demo-judge'")
expect_eq "alice and demo-judge: samples both judged" "$both" "$(grep -P '\talice\tdemo-judge\t' "$OUT" | cut -f5)"
# seeded: the same seed gives the same line, another seed other bounds
expect_status 0 C fpr --run gsm8k-9b --agreement --judge bob --seed 7 --bootstrap 500
a=$(cat "$OUT")
expect_status 0 C fpr --run gsm8k-9b --agreement --judge bob --seed 7 --bootstrap 500
expect_eq "the same seed" "$a" "$(cat "$OUT")"
# only the samples whose final answer is graded correct
expect_status 0 C fpr --run gsm8k-9b --agreement --judge bob --correct-by grade
correct=$(sql "$DB" "SELECT COUNT(*) FROM judgments a JOIN judgments b ON b.sample_id = a.sample_id
	JOIN grades g ON g.sample_id = a.sample_id WHERE a.judge = 'alice' AND b.judge = 'bob' AND g.verdict = 'correct'")
expect_eq "alice-bob on correct answers: scope, n" "correct-grade $correct" \
	"$(grep -P '\talice\tbob\t' "$OUT" | cut -f4,5 | tr '\t' ' ')"
expect_status 0 C fpr --run gsm8k-9b --agreement --judge alice --format json
python3 - "$OUT" <<'EOF' || fail "JSON"
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
ab = [r for r in rows if r["judge_b"] == "bob"][0]
assert ab["both_judged"] == 10 and ab["kappa_defined"] is True and abs(ab["kappa"] - 0.4) < 1e-12, ab
assert abs(ab["expected_agreement"] - 0.5) < 1e-12 and ab["correct_wrong"] == 1 and ab["wrong_correct"] == 2
print("ok   JSON: kappa 0.4, expected agreement 0.5, the table")
EOF
ok "known table: 10 samples, agreement 0.7, kappa 0.4, table 4 1 2 3; pairs in name order; --judge, --correct-by, seeds"

# --- undefined kappa: both judges say "correct" to every sample ------------------------------------------------
verdicts carol 1 1 1 1 1 >"$T/carol.jsonl"
verdicts dave 1 1 1 1 1 >"$T/dave.jsonl"
expect_status 0 C import judgments "$T/carol.jsonl" --run gsm8k-27b
expect_status 0 C import judgments "$T/dave.jsonl" --run gsm8k-27b
expect_status 0 C fpr --run gsm8k-27b --agreement --judge carol
line=$(grep -P '\tcarol\tdave\t' "$OUT") || fail "no carol-dave line: $(cat "$OUT")"
expect_eq "carol-dave: n, agree, agreement [bounds], kappa [bounds], table" \
	"5 5 1.0000 1.0000 1.0000 undefined - - 5 0 0 0" "$(echo "$line" | cut -f5-16 | tr '\t' ' ')"
grep -qi nan "$OUT" && fail "NaN printed: $(cat "$OUT")"
expect_status 0 C fpr --run gsm8k-27b --agreement --judge carol --format json
python3 -c "
import json, sys
r = [r for r in json.load(open(sys.argv[1]))['rows'] if r['judge_b'] == 'dave'][0]
assert r['kappa'] is None and r['kappa_low'] is None and r['kappa_defined'] is False and r['agreement'] == 1, r" "$OUT" ||
	fail "undefined kappa in JSON: $(cat "$OUT")"
# a pair that judged no sample in common (erin judged sample 1 of g01 and g02, carol sample 0): 0 and undefined
printf '{"problem_id": "g%s", "sample_index": 1, "judge": "erin", "reasoning_correct": false}\n' 01 02 >"$T/erin.jsonl"
expect_status 0 C import judgments "$T/erin.jsonl" --run gsm8k-27b
expect_status 0 C fpr --run gsm8k-27b --agreement --judge erin
expect_eq "carol-erin: nothing in common" "0 0 undefined - - undefined - - 0 0 0 0" \
	"$(grep -P '\tcarol\terin\t' "$OUT" | cut -f5-16 | tr '\t' ' ')"
ok "undefined kappa: 'undefined' and '-' in text, null in JSON, no NaN; no sample in common: 0 and undefined"

# --- table data --judge ----------------------------------------------------------------------------------------
expect_status 0 C table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1
default=$(cat "$OUT")
expect_status 0 C table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1 --judge demo-judge
expect_eq "--judge demo-judge (the default's judge): the same table" "$default" \
	"$(sed 's/; FPR by judge demo-judge//' "$OUT")"
expect_stdout_contains "FPR by judge demo-judge"
expect_status 0 C table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1 --judge alice --format csv
python3 - "$OUT" <<'EOF' || fail "table data --judge alice"
import csv, sys
r = [r for r in csv.DictReader(open(sys.argv[1])) if r["metric"] == "fpr"][0]
# alice judged gsm8k-9b only: no FPR of the pair by her
assert r["wc"] == "" and r["se"] == "", r
print("ok   table data --judge alice: no FPR (alice did not judge the SE run)")
EOF
expect_status 3 C table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1 --judge alcie
expect_stderr_contains "no judge 'alcie' in the database; did you mean 'alice'?"
ok "table data: --judge of the default judge gives the default table; an unknown judge exits 3 naming it"

# --- real data ---------------------------------------------------------------------------------------------------
skip_if_no_data
RDB=$T/real.db
R() { "$COSEVAL" "$@" --db "$RDB"; }
# verify_cot: one human judge
expect_status 0 R import problems "$DATA/verify_cot/gsm8k_100.json" --dataset vc-gsm8k --profile gsm8k \
	--map id=@line --map answer='$.final_answer'
expect_status 0 R import samples "$DATA/verify_cot/gsm8k_100.json" --run vc-gsm8k --model gpt-3.5-turbo \
	--dataset vc-gsm8k --map problem=@line --map text='$.answer' --map label='$.correct'
expect_status 0 R import judgments "$DATA/verify_cot/gsm8k_100.json" --run vc-gsm8k --map problem=@line \
	--map verdict='$.flag' --judge human
expect_status 3 R fpr --run vc-gsm8k --agreement
expect_stderr_contains "has one judge only ('human')"
# MR-GSM8K, the Claude file: the annotators and Claude 2 as judge (its verdicts from a JSON Lines copy: the
# same file is not imported twice)
F=$DATA/mr_gsm8k/Claude_eval_results.json
expect_status 0 R import problems "$F" --dataset mr-gsm8k --profile gsm8k --map id='$.uuid' \
	--map answer='$.ground_truth_answer' --map solution='$.ground_truth_solution'
expect_status 0 R import samples "$F" --run mr-Claude --model student --dataset mr-gsm8k --map problem='$.uuid' \
	--map text='join($.model_output_steps)' --map label='$.model_output_answer_correctness'
expect_status 0 R import judgments "$F" --run mr-Claude --map problem='$.uuid' \
	--map verdict='$.model_output_solution_correctness' --judge human
python3 -c "
import json, sys
for r in json.load(open(sys.argv[1])):
    print(json.dumps(r))" "$F" >"$T/claude.jsonl"
expect_status 0 R import judgments "$T/claude.jsonl" --run mr-Claude --map problem='$.uuid' \
	--map verdict='$.claude2_eval_output.correctness_pred' --judge claude2
expect_status 0 R fpr --run mr-Claude --agreement
expect_eq "MR-GSM8K Claude file: claude2 vs human" \
	"mr-Claude claude2 human all 326 326 1.0000 1.0000 1.0000 undefined - - 0 0 0 326 0.95" \
	"$(tail -n 1 "$OUT" | tr '\t' ' ')"
expect_status 0 R fpr --run mr-Claude --agreement --correct-by label
expect_eq "on the 9 label-correct answers" "9 9 1.0000" "$(tail -n 1 "$OUT" | cut -f5-7 | tr '\t' ' ')"
ok "real: verify_cot has one judge (exit 3); MR-GSM8K human and Claude 2 agree on all 326 (all wrong): kappa undefined"
