#!/usr/bin/env bash
# Every file of shared/data/wild (real dumps of other tools) imports with the command docs/formats.md shows
# for it ("The dumps you have"), and the counts and values match the files.
set -u
. "$(dirname "$0")/lib.sh"
skip_if_no_data
W=$DATA/wild
[ -d "$W" ] || { echo "SKIP [$TEST_NAME]: no $W"; exit 0; }

DB=$T/wild.db
C() { "$COSEVAL" "$@" --db "$DB"; }
samples_of() { sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = '$1'"; }

# lm-eval --log_samples, gsm8k (doc_id is the GSM8K test line): the preset, no map
expect_status 0 C import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
expect_stdout_contains "(profile gsm8k, guessed from the dataset name"
expect_status 0 C import samples "$W/olot__samples_gsm8k_2025-04-30T18-24-41.082644.jsonl" --preset lm-eval \
	--run olot --model olot-model --dataset gsm8k
expect_stdout_contains "imported 3 samples of 3 problems into run 'olot'"
expect_eq "olot doc 0 is GSM8K problem 0" "0" \
	"$(sql "$DB" "SELECT p.problem_key FROM samples s JOIN problems p ON p.id = s.problem_id JOIN runs r ON r.id = s.run_id
		      WHERE r.name = 'olot' AND p.question LIKE 'Janet%'")"
ok "lm-eval gsm8k log: --preset lm-eval"

# lm-eval, a MATH-style task: the problems from the log's docs, the samples with the preset
expect_status 0 C import problems "$W/eee__samples_math_perturbed_full_2026-01-21T03-44-18.458309.jsonl" \
	--dataset math-perturbed --map id='$.doc_id' --map question='$.doc.problem' --map answer='$.doc.answer' \
	--map solution='$.doc.solution' --map subject='$.doc.type' --map level='$.doc.level'
expect_stdout_contains "imported 10 problems into dataset 'math-perturbed' (profile math"
expect_status 0 C import samples "$W/eee__samples_math_perturbed_full_2026-01-21T03-44-18.458309.jsonl" --preset lm-eval \
	--run eee-math --model eee-model --dataset math-perturbed
expect_stdout_contains "imported 10 samples of 10 problems"
expect_eq "math-perturbed doc 0 gold and level" "3|3|Algebra" \
	"$(sql "$DB" "SELECT gold, level, subject FROM problems WHERE dataset = 'math-perturbed' AND problem_key = '0'")"
ok "lm-eval MATH-style log: problems from its docs, samples with --preset lm-eval"

# inspect_ai logs: one JSON object each; problems from $.samples, samples with --preset inspect
for f in eee__data_arc_qwen eee__data_pubmedqa_gpt4o_mini; do
	expect_status 0 C import problems "$W/$f.json" --dataset "$f" --records '$.samples[*]' --map question='$.input' \
		--map answer='$.target'
	expect_status 0 C import samples "$W/$f.json" --preset inspect --run "$f" --model m --dataset "$f"
done
expect_eq "arc samples" 3 "$(samples_of eee__data_arc_qwen)"
expect_eq "pubmedqa samples" 2 "$(samples_of eee__data_pubmedqa_gpt4o_mini)"
expect_eq "pubmedqa tokens and finish" "4|0" \
	"$(sql "$DB" "SELECT s.tokens || '|' || s.stopped FROM samples s JOIN problems p ON p.id = s.problem_id
		      WHERE p.problem_key = '12377809'")"
expect_status 3 C import samples "$W/eee__data_arc_qwen.json" --run arc-nopreset --model m --dataset eee__data_arc_qwen
expect_stderr_contains "this file is one JSON object, not JSON lines: name its records with --records"
expect_stderr_contains "\$.samples (3 items)"
ok "inspect_ai logs: --records '\$.samples[*]' for problems, --preset inspect for samples"

# FastChat: the math questions (those with a reference) from standard input, the answers with a map
grep '"category": "math"' "$W/fastchat__mt_bench_question.jsonl" >"$T/math_questions.jsonl"
expect_status 0 C import problems - --dataset mt-bench-math --profile generic --map id='$.question_id' \
	--map question='$.turns[0]' --map answer='$.reference[0]' <"$T/math_questions.jsonl"
expect_stdout_contains "imported 10 problems into dataset 'mt-bench-math' (profile generic, as asked) from -"
expect_status 0 C import samples "$W/fastchat__mt_bench_reference_answer_gpt-4.jsonl" --run gpt4-ref --model gpt-4 \
	--dataset mt-bench-math --map problem='$.question_id' --map text='$.choices[*].turns[0]' --skip-unknown
expect_stdout_contains "imported 10 samples of 10 problems"
expect_stderr_contains "skipped 20 records whose problem is unknown"
expect_eq "problem 112 gold" 12000 "$(sql "$DB" "SELECT gold FROM problems WHERE dataset = 'mt-bench-math' AND problem_key = '112'")"
ok "FastChat MT-bench: math questions from stdin, gpt-4 answers with --skip-unknown"

# Large Language Monkeys: the YAML file with --preset monkeys; the problem from the same file
M="$W/monkeys__cc_samples_1600_J_Robot_Factory.yaml"
expect_status 0 C import problems "$M" --dataset cc --map id='$["@file"]' --map answer='$.test_cases.output[0]'
expect_stdout_contains "imported 1 problems into dataset 'cc'"
expect_status 0 C import samples "$M" --preset monkeys --run monkeys-cc --model m --dataset cc
expect_stdout_contains "imported 2 samples of 1 problems"
expect_eq "Monkeys problem id is the file name" "monkeys__cc_samples_1600_J_Robot_Factory" \
	"$(sql "$DB" "SELECT problem_key FROM problems WHERE dataset = 'cc'")"
expect_eq "Monkeys sample 0 starts with the code" ' ```n, m = map(int,input().split())' \
	"$(sql "$DB" "SELECT substr(text, 1, 35) FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'monkeys-cc' AND sample_index = 0")"
ok "Large Language Monkeys YAML: --preset monkeys"

# a guessed profile that the golds contradict is a warning
expect_status 0 C import problems "$W/eee__data_arc_qwen.json" --dataset gsm-arc --records '$.samples[*]' \
	--map question='$.input' --map answer='$.target'
expect_stderr_contains "warning: the profile gsm8k was guessed from the dataset name 'gsm-arc', but 3 of 3 gold answers are not numbers"
ok "a gsm dataset whose golds are not numbers is warned about"

echo "all wild-dump checks passed"
