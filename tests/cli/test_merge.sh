#!/usr/bin/env bash
# End-to-end test of `coseval merge`: runs graded in two databases merge into one whose reports equal the
# originals; a run split across databases is put back together; merging twice is a no-op; conflicts
# exit 3, name both databases and leave the output unchanged.
source "$(dirname "$0")/lib.sh"

DEMO=${COSEVAL_SOURCE:-$_lib_dir/../..}/datasets/demo
[ -d "$DEMO" ] || fail "no demo data at $DEMO"

# build_db DB DATASET: both problem sets, the two runs of DATASET, graded, with their judgments
build_db() {
	local db=$1 ds=$2
	expect_status 0 "$COSEVAL" init --db "$db"
	expect_status 0 "$COSEVAL" import problems "$DEMO/gsm8k-demo.problems.jsonl" --dataset gsm8k-demo --profile gsm8k --db "$db"
	expect_status 0 "$COSEVAL" import problems "$DEMO/math-demo.problems.jsonl" --dataset math-demo --profile math --db "$db"
	if [ "$ds" = gsm8k ]; then
		expect_status 0 "$COSEVAL" import samples "$DEMO/gsm8k-demo.demo-9b.jsonl" --run gsm8k-9b --model demo-9b \
			--dataset gsm8k-demo --preset jsonl --params 9e9 --price-out 0.3 --tag role=wc --db "$db"
		expect_status 0 "$COSEVAL" import samples "$DEMO/gsm8k-demo.demo-27b.openai-batch.jsonl" --run gsm8k-27b \
			--model demo-27b --dataset gsm8k-demo --preset openai-batch --params 27e9 --price-out 1.2 --tag role=se --db "$db"
	else
		expect_status 0 "$COSEVAL" import samples "$DEMO/math-demo.demo-9b.vllm.jsonl" --run math-9b --model demo-9b \
			--dataset math-demo --preset vllm --params 9e9 --price-out 0.3 --tag role=wc --db "$db"
		expect_status 0 "$COSEVAL" import samples "$DEMO/math-demo.demo-27b.csv" --run math-27b --model demo-27b \
			--dataset math-demo --preset csv --params 27e9 --price-out 1.2 --tag role=se --db "$db"
	fi
	expect_status 0 "$COSEVAL" grade --db "$db" --threads 2
	expect_status 0 "$COSEVAL" import judgments "$DEMO/judgments.demo-9b.jsonl" --run "$ds-9b" --skip-unknown --db "$db"
	expect_status 0 "$COSEVAL" import judgments "$DEMO/judgments.demo-27b.jsonl" --run "$ds-27b" --skip-unknown --db "$db"
}

report() { # report DB RUNS: the CSV rows of a report
	"$COSEVAL" report --db "$1" --runs "$2" --k 1,2,4 --bootstrap 200 --seed 7 --format csv ||
		fail "report on $1 failed"
}

# outside_ranges DB: how many samples lie outside the id range their import recorded, or belong to an import
# of another run (grade and report scan a run's recorded range, so this must be 0)
outside_ranges() {
	sql "$1" "SELECT count(*) FROM samples s JOIN imports i ON i.id = s.import_id
		WHERE i.first_sample_id IS NULL OR s.id NOT BETWEEN i.first_sample_id AND i.last_sample_id
		OR i.run_id IS NOT s.run_id"
}

A=$T/a.db B=$T/b.db C=$T/c.db
build_db "$A" gsm8k
build_db "$B" math
expect_status 0 "$COSEVAL" merge "$C" "$A" "$B"
expect_stdout_contains "added 2 datasets, 48 problems, 4 runs, 4 tags, 0 answer patterns, 10 imports, 384 samples (0 already there), 384 grades, 49 judgments"
expect_eq "gsm8k report" "$(report "$A" gsm8k-9b,gsm8k-27b)" "$(report "$C" gsm8k-9b,gsm8k-27b)"
expect_eq "math report" "$(report "$B" math-9b,math-27b)" "$(report "$C" math-9b,math-27b)"
expect_status 0 "$COSEVAL" runs --db "$C"
expect_eq "runs of the merged database" "gsm8k-27b gsm8k-9b math-27b math-9b" "$(tail -n +2 "$OUT" | cut -f1 | sort | xargs)"
for t in samples grades judgments run_tags; do
	expect_eq "$t rows" "$(( $(sql "$A" "SELECT count(*) FROM $t") + $(sql "$B" "SELECT count(*) FROM $t") ))" \
		"$(sql "$C" "SELECT count(*) FROM $t")"
done
expect_eq "problem imports shared" 2 "$(sql "$C" "SELECT count(*) FROM imports WHERE kind = 'problems'")"
expect_eq "grader versions kept" "$(sql "$A" "SELECT DISTINCT grader_version FROM grades")" \
	"$(sql "$C" "SELECT DISTINCT grader_version FROM grades")"
for db in "$A" "$B" "$C"; do expect_eq "samples outside their import's range in $db" 0 "$(outside_ranges "$db")"; done
ok "merge of a gsm8k database and a math database: same reports, all four runs"

before=$(db_snapshot "$C")
expect_status 0 "$COSEVAL" merge "$C" "$A"
expect_stdout_contains "added 0 datasets, 0 problems, 0 runs, 0 tags, 0 answer patterns, 0 imports, 0 samples (192 already there), 0 grades, 0 judgments"
expect_status 0 "$COSEVAL" merge "$C" "$A" "$B" "$A"
expect_eq "merging the same databases again" "$before" "$(db_snapshot "$C")"
ok "merging the same databases again is a no-op"

# one run split across two databases by sample index is put back together
cp "$A" "$T/lo.db"
cp "$A" "$T/hi.db"
split_run() { # DB CONDITION: removes the gsm8k-9b samples matching CONDITION, with their grades and judgments
	sql "$1" "DELETE FROM judgments WHERE sample_id IN (SELECT id FROM samples WHERE $2);
		DELETE FROM grades WHERE sample_id IN (SELECT id FROM samples WHERE $2); DELETE FROM samples WHERE $2" >/dev/null
}
split_run "$T/lo.db" "run_id = (SELECT id FROM runs WHERE name = 'gsm8k-9b') AND sample_index >= 3"
split_run "$T/hi.db" "run_id = (SELECT id FROM runs WHERE name = 'gsm8k-9b') AND sample_index < 3"
expect_status 0 "$COSEVAL" merge "$T/joined.db" "$T/lo.db" "$T/hi.db"
expect_eq "joined gsm8k-9b report" "$(report "$A" gsm8k-9b)" "$(report "$T/joined.db" gsm8k-9b)"
expect_eq "joined judgments" "$(sql "$A" "SELECT count(*) FROM judgments")" "$(sql "$T/joined.db" "SELECT count(*) FROM judgments")"
expect_eq "samples outside their import's range after joining" 0 "$(outside_ranges "$T/joined.db")"
expect_status 0 "$COSEVAL" grade --db "$T/joined.db" --run gsm8k-9b --regrade
expect_eq "gsm8k-9b samples graded" "graded 144 samples" "$(grep -o "graded [0-9]* samples" "$OUT")"
ok "samples of one run from two databases are appended, and all of them are graded again"

# conflicts: exit 3, both databases named, the output unchanged
before=$(db_snapshot "$C")
cp "$A" "$T/text.db"
sql "$T/text.db" "UPDATE samples SET text = text || ' changed' WHERE id = (SELECT min(id) FROM samples)" >/dev/null
expect_status 3 "$COSEVAL" merge "$C" "$B" "$T/text.db"
expect_stderr_contains "$T/text.db: run 'gsm8k-9b'"
expect_stderr_contains "has a different text in $C"
expect_eq "output after a sample conflict" "$before" "$(db_snapshot "$C")"

expect_status 3 "$COSEVAL" merge "$T/new.db" "$A" "$T/text.db"
expect_stderr_contains "has a different text in $A"
[ -e "$T/new.db" ] && fail "a failed merge left a new output behind"

cp "$B" "$T/model.db"
sql "$T/model.db" "UPDATE runs SET model = 'other' WHERE name = 'math-9b'" >/dev/null
expect_status 3 "$COSEVAL" merge "$C" "$T/model.db"
expect_stderr_contains "$T/model.db: run 'math-9b' has model 'other', but 'demo-9b' in $C"
expect_eq "output after a run conflict" "$before" "$(db_snapshot "$C")"

cp "$B" "$T/gold.db"
sql "$T/gold.db" "UPDATE problems SET gold = '12345' WHERE id = (SELECT min(id) FROM problems WHERE dataset = 'math-demo')" >/dev/null
expect_status 3 "$COSEVAL" merge "$C" "$T/gold.db"
expect_stderr_contains "has a different gold answer in $C"
expect_stderr_contains "$T/gold.db: problem"
expect_eq "output after a problem conflict" "$before" "$(db_snapshot "$C")"

cp "$A" "$T/judge.db"
sql "$T/judge.db" "UPDATE judgments SET reasoning_correct = 1 - reasoning_correct WHERE id = (SELECT min(id) FROM judgments)" >/dev/null
expect_status 3 "$COSEVAL" merge "$C" "$T/judge.db"
expect_stderr_contains "differently in $C"
expect_eq "output after a judgment conflict" "$before" "$(db_snapshot "$C")"
cp "$B" "$T/pattern.db"
expect_status 0 "$COSEVAL" grade --db "$T/pattern.db" --run math-9b --answer-pattern 'ANSWER (?<answer>\S+)'
expect_status 0 "$COSEVAL" merge "$T/p.db" "$T/pattern.db"
expect_eq "pattern and its grader version kept" "1|144" "$(sql "$T/p.db" "SELECT (SELECT count(*) FROM answer_patterns),
	(SELECT count(*) FROM grades WHERE grader_version LIKE '2.2+pattern:%')")"
sql "$T/pattern.db" "UPDATE answer_patterns SET pattern = 'other (?<answer>x)'" >/dev/null
before_p=$(db_snapshot "$T/p.db")
expect_status 3 "$COSEVAL" merge "$T/p.db" "$T/pattern.db"
expect_stderr_contains "run 'math-9b' has answer pattern 'other (?<answer>x)', but 'ANSWER (?<answer>\S+)' in $T/p.db"
expect_eq "output after a pattern conflict" "$before_p" "$(db_snapshot "$T/p.db")"
ok "conflicts exit 3 naming both databases and leave the output unchanged"

expect_status 2 "$COSEVAL" merge "$C"
expect_status 2 "$COSEVAL" merge "$C" "$T/missing.db"
expect_status 2 "$COSEVAL" merge "$C" "$C"
ok "usage errors exit 2"
