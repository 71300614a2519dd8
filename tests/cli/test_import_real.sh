#!/usr/bin/env bash
# Imports every real problem file and sample dump in shared/data and checks the documented counts and values.
set -u
. "$(dirname "$0")/lib.sh"
skip_if_no_data

DB=$T/real.db
C() { "$COSEVAL" "$@" --db "$DB"; }

# --- problems -----------------------------------------------------------------------------------------------
expect_status 0 C import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
expect_stdout_contains "imported 1319 problems into dataset 'gsm8k'"
expect_eq "gsm8k problems" 1319 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='gsm8k'")"
expect_eq "gsm8k problem '0' gold (after ####)" 18 \
	"$(sql "$DB" "SELECT gold FROM problems WHERE dataset='gsm8k' AND problem_key='0'")"
expect_eq "gsm8k problem '0' question" "Janet’s ducks lay 16 eggs per day." \
	"$(sql "$DB" "SELECT substr(question,1,34) FROM problems WHERE dataset='gsm8k' AND problem_key='0'")"
expect_eq "gsm8k problems without gold" 0 \
	"$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='gsm8k' AND (gold IS NULL OR gold='')")"
expect_eq "gsm8k dataset profile" gsm8k "$(sql "$DB" "SELECT profile FROM datasets WHERE name='gsm8k'")"
ok "gsm8k/test.jsonl: 1319 problems, problem 0 has gold 18"

expect_status 0 C import problems "$DATA/gsm8k/train.jsonl" --dataset gsm8k-train
expect_stdout_contains "imported 7473 problems into dataset 'gsm8k-train'"
expect_eq "gsm8k-train problems" 7473 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='gsm8k-train'")"
expect_eq "gsm8k-train problems without gold" 0 \
	"$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='gsm8k-train' AND (gold IS NULL OR gold='')")"
expect_eq "gsm8k still 1319" 1319 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='gsm8k'")"
ok "gsm8k/train.jsonl: 7473 problems in dataset gsm8k-train, gsm8k untouched"

expect_status 0 C import problems "$DATA/math500/test.jsonl" --dataset math500
expect_stdout_contains "imported 500 problems into dataset 'math500'"
expect_eq "math500 problems" 500 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='math500'")"
expect_eq "math500 problem test/precalculus/807.json" \
	'\left( 3, \frac{\pi}{2} \right)|Precalculus|2|integer' \
	"$(sql "$DB" "SELECT gold, subject, level, typeof(level) FROM problems WHERE dataset='math500' AND problem_key='test/precalculus/807.json'")"
expect_eq "math500 keys are unique_id" 500 \
	"$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='math500' AND problem_key LIKE 'test/%/%.json'")"
expect_eq "math500 levels all integers 1-5" 500 \
	"$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='math500' AND typeof(level)='integer' AND level BETWEEN 1 AND 5")"
expect_eq "math500 Algebra problems" 124 \
	"$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='math500' AND subject='Algebra'")"
ok "math500/test.jsonl: 500 problems, unique_id keys, integer levels, 807.json gold and subject"

expect_status 0 C import problems "$DATA/tora/math_test.jsonl" --dataset MATH
expect_stdout_contains "imported 5000 problems into dataset 'MATH'"
expect_eq "MATH problems" 5000 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='MATH'")"
expect_eq "MATH profile" math "$(sql "$DB" "SELECT profile FROM datasets WHERE name='MATH'")"
expect_eq "MATH problem 0 (idx key, Level 3, Algebra, boxed 2)" '2|3|integer|Algebra' \
	"$(sql "$DB" "SELECT gold, level, typeof(level), subject FROM problems WHERE dataset='MATH' AND problem_key='0'")"
# problem idx 9: "... \boxed{-\frac{1}{8}}$ is the smaller solution": nested braces in the last box
expect_eq "MATH problem 9 gold (nested braces)" '-\frac{1}{8}' \
	"$(sql "$DB" "SELECT gold FROM problems WHERE dataset='MATH' AND problem_key='9'")"
# every gold equals the (trimmed) content of the last balanced \boxed{...} of its solution, computed here in python
python3 - "$DATA/tora/math_test.jsonl" >"$T/math_gold.tsv" <<'EOF' || fail "python3 could not compute the MATH golds"
import json, sys
def last_boxed(s):
    i = s.rfind('\\boxed{')
    if i < 0:
        return None
    j = i + 7
    depth = 1
    k = j
    while k < len(s) and depth:
        if s[k] == '{': depth += 1
        elif s[k] == '}': depth -= 1
        k += 1
    # the gold is the box's content without surrounding white space
    return s[j:k - 1].strip() if depth == 0 else None
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    print(json.dumps([str(r['idx']), last_boxed(r['solution'])]))
EOF
sql "$DB" "SELECT json_array(problem_key, gold) FROM problems WHERE dataset='MATH' ORDER BY CAST(problem_key AS INTEGER)" \
	>"$T/math_gold_db.tsv"
python3 - "$T/math_gold.tsv" "$T/math_gold_db.tsv" <<'EOF' || fail "MATH golds differ from the last \\boxed{} of each solution (see above)"
import json, sys
want = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
got = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
if len(want) != len(got):
    sys.exit(print(f"expected {len(want)} golds, got {len(got)}", file=sys.stderr) or 1)
# a last box linked to the boxes before it ("$\\boxed{-2}$ and $\\boxed{1}$") gives the joined list, which ends
# with the last box: these seven solutions end that way
joined = {w[0] for w, g in zip(want, got) if w != g and g[1] is not None and w[1] is not None
          and g[1].replace(' ', '').endswith(w[1].replace(' ', '')) and ',' in g[1]}
if joined != {'414', '2549', '2703', '2716', '2912', '4559', '4860'}:
    print(f"joined golds: {sorted(joined)}", file=sys.stderr)
    sys.exit(1)
bad = [(w, g) for w, g in zip(want, got) if w != g and w[0] not in joined]
for w, g in bad[:5]:
    print(f"problem {w[0]}: expected gold {w[1]!r}, got {g[1]!r}", file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
expect_eq "MATH levels read from 'Level N'" 5000 \
	"$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset='MATH' AND typeof(level)='integer' AND level BETWEEN 1 AND 5")"
expect_eq "MATH subject counts (from type)" \
	"Algebra|1187 Intermediate Algebra|903 Prealgebra|871 Precalculus|546 Number Theory|540 Geometry|479 Counting & Probability|474" \
	"$(sql "$DB" "SELECT subject, COUNT(*) FROM problems WHERE dataset='MATH' GROUP BY subject ORDER BY COUNT(*) DESC" | paste -sd' ')"
ok "tora/math_test.jsonl: 5000 problems, gold = last \\boxed{} (nested braces; 7 joined with the boxes linked to it), Level N -> N, subject counts as documented"

expect_status 0 C problems
expect_stdout_contains "$(printf 'gsm8k\tgsm8k\t-\t-\t1319')"
expect_stdout_contains "$(printf 'gsm8k-train\tgsm8k\t-\t-\t7473')"
expect_stdout_contains "$(printf 'math500\tmath\tPrecalculus\t2\t')"
expect_stdout_contains "$(printf 'total\t\t\t\t%d' $((1319 + 7473 + 500 + 5000)))"
expect_eq "'coseval problems --dataset MATH' Algebra total" 1187 \
	"$("$COSEVAL" problems --db "$DB" --dataset MATH | awk -F'\t' '$3 == "Algebra" { n += $5 } END { print n }')"
ok "coseval problems lists every dataset, subject and level with the right totals"

# --- samples ------------------------------------------------------------------------------------------------
sols=$DATA/gsm8k/example_model_solutions.jsonl
python3 - "$sols" >"$T/labels.txt" <<'EOF' || fail "python3 could not read $sols"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
for k in ("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"):
    print(k, sum(1 for r in rows if r[k]["is_correct"] is True))
EOF
declare -A acc=([6b_finetuning]=0.217 [6b_verification]=0.390 [175b_finetuning]=0.347 [175b_verification]=0.563)
while read -r key correct; do
	run=gpt3-$key
	model=gpt3-${key%%_*}
	expect_status 0 C import samples "$sols" --run "$run" --model "$model" --dataset gsm8k \
		--map problem=@line --map "text=\$.$key.solution" --map "label=\$.$key.is_correct" --tag "setting=${key#*_}"
	expect_stdout_contains "imported 1319 samples of 1319 problems into run '$run'"
	expect_eq "$run samples" 1319 "$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='$run'")"
	expect_eq "$run labels set" 1319 "$(sql "$DB" "SELECT COUNT(label) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='$run'")"
	expect_eq "$run label=1 count" "$correct" \
		"$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='$run' AND label=1")"
	# the README's accuracy, to three decimals
	expect_eq "$run accuracy" "${acc[$key]}" "$(python3 -c "print(f'{$correct/1319:.3f}')")"
	# record i is problem i: the first line's solution ends in "A: 18"-style text of problem 0
	expect_eq "$run sample of problem 0 is line 1's solution" \
		"$(python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['$key']['solution'][-40:])" "$sols")" \
		"$(sql "$DB" "SELECT substr(text, -40) FROM samples s JOIN runs r ON r.id=s.run_id JOIN problems p ON p.id=s.problem_id WHERE r.name='$run' AND p.dataset='gsm8k' AND p.problem_key='0'")"
	ok "example_model_solutions.jsonl as run $run: 1319 samples, $correct labelled correct (${acc[$key]})"
done <"$T/labels.txt"

for spec in tora-70b:7e10 tora-code-34b:3.4e10; do
	m=${spec%%:*}
	f=$DATA/tora/gsm8k_test_${m}-v1.0_greedy.jsonl
	expect_status 0 C import samples "$f" --run "$m-gsm8k" --model "$m" --dataset gsm8k --params "${spec#*:}" \
		--map problem='$.idx' --map 'text=$.code[*]'
	expect_stdout_contains "imported 1319 samples of 1319 problems into run '$m-gsm8k'"
	expect_eq "$m samples" 1319 "$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='$m-gsm8k'")"
	expect_eq "$m problems with exactly one sample (index 0)" 1319 \
		"$(sql "$DB" "SELECT COUNT(DISTINCT problem_id) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='$m-gsm8k' AND sample_index=0")"
	expect_eq "$m sample of idx 5 is code[0] of the line with idx 5" \
		"$(python3 -c "
import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    if r['idx']==5: print(len(r['code'][0]))" "$f")" \
		"$(sql "$DB" "SELECT length(CAST(text AS BLOB)) FROM samples s JOIN runs r ON r.id=s.run_id JOIN problems p ON p.id=s.problem_id WHERE r.name='$m-gsm8k' AND p.problem_key='5'")" 
	ok "tora/gsm8k_test_${m}-v1.0_greedy.jsonl: 1319 samples, matched by idx"
done

qwen=$DATA/qwen25_math/math_cot_100.jsonl
expect_status 0 C import samples "$qwen" --run qwen25-math-cot --model qwen2.5-math --dataset MATH --match question \
	--map question='$.question' --map 'text=$.code[*]' --map 'label=$.score[*]' --tag setting=cot
expect_stdout_contains "imported 800 samples of 100 problems into run 'qwen25-math-cot'"
expect_eq "qwen samples / problems / per-problem min and max" "800|100|8|8" \
	"$(sql "$DB" "SELECT SUM(c), COUNT(*), MIN(c), MAX(c) FROM (SELECT COUNT(*) c FROM samples s JOIN runs r ON r.id=s.run_id
		WHERE r.name='qwen25-math-cot' GROUP BY s.problem_id)")"
qwen_correct=$(python3 -c "
import json,sys
print(sum(sum(1 for s in json.loads(l)['score'] if s is True) for l in open(sys.argv[1])))" "$qwen")
expect_eq "qwen labels kept (label=1 / labelled)" "$qwen_correct|800" \
	"$(sql "$DB" "SELECT SUM(label=1), COUNT(label) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='qwen25-math-cot'")"
expect_eq "qwen sample indexes 0..7 per problem" "0|7|800" \
	"$(sql "$DB" "SELECT MIN(sample_index), MAX(sample_index), COUNT(DISTINCT problem_id || ':' || sample_index) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='qwen25-math-cot'")"
# the first line's question is matched to the MATH problem with the same text
expect_eq "qwen line 1 matched to the MATH problem with its question" "$(python3 -c "
import json,sys
q=json.loads(open(sys.argv[1]).readline())['question']
for l in open(sys.argv[2]):
    r=json.loads(l)
    if r['problem']==q: print(r['idx']); break" "$qwen" "$DATA/tora/math_test.jsonl")" \
	"$(sql "$DB" "SELECT DISTINCT p.problem_key FROM samples s JOIN runs r ON r.id=s.run_id JOIN problems p ON p.id=s.problem_id
		WHERE r.name='qwen25-math-cot' AND s.text = (SELECT text FROM samples WHERE run_id=r.id ORDER BY id LIMIT 1)")"
ok "qwen25_math/math_cot_100.jsonl into MATH by question: 100 problems, 800 samples, $qwen_correct labelled correct"

# --- coseval runs ----------------------------------------------------------------------------------------------
expect_status 0 C runs
expect_eq "runs header" "$(printf 'run\tmodel\tparams\tprice_out\tdataset\ttags\tproblems\tsamples\tsource\tsha256')" "$(head -n 1 "$OUT")"
expect_eq "runs listed" 7 "$(($(wc -l <"$OUT") - 1))"
line_of() { awk -F'\t' -v r="$1" '$1 == r' "$OUT"; }
for key in 6b_finetuning 6b_verification 175b_finetuning 175b_verification; do
	l=$(line_of "gpt3-$key")
	[ -n "$l" ] || fail "coseval runs has no line for gpt3-$key"
	expect_eq "runs line gpt3-$key (model, dataset, tags, problems, samples, source)" \
		"gpt3-${key%%_*}|gsm8k|setting=${key#*_}|1319|1319|$sols|$(sha256sum "$sols" | cut -d' ' -f1)" \
		"$(echo "$l" | awk -F'\t' '{ print $2 "|" $5 "|" $6 "|" $7 "|" $8 "|" $9 "|" $10 }')"
done
expect_eq "runs line tora-70b-gsm8k (model, params, problems, samples)" "tora-70b|7e+10|1319|1319" \
	"$(line_of tora-70b-gsm8k | awk -F'\t' '{ print $2 "|" $3 "|" $7 "|" $8 }')"
expect_eq "runs line tora-code-34b-gsm8k (model, params)" "tora-code-34b|3.4e+10" \
	"$(line_of tora-code-34b-gsm8k | awk -F'\t' '{ print $2 "|" $3 }')"
expect_eq "runs line qwen25-math-cot" "qwen2.5-math|-|-|MATH|setting=cot|100|800|$qwen" \
	"$(line_of qwen25-math-cot | awk -F'\t' '{ print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 "|" $9 }')"
ok "coseval runs: 7 runs with model, params, tags, problem and sample counts, source and sha256"

expect_eq "integrity" ok "$(sql "$DB" 'PRAGMA integrity_check')"
expect_eq "foreign keys" "" "$(sql "$DB" 'PRAGMA foreign_key_check')"
ok "database integrity_check ok, no foreign key violations"
echo "PASS $TEST_NAME"
