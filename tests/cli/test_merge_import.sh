#!/usr/bin/env bash
# End-to-end test of `coseval merge` against import: two databases with the same problems and one run each,
# merged, hold the same rows (ids included) and give the same report as one database into which both runs
# were imported; grades reach samples already in the output that had none; a merge that fails, even at its
# last input after earlier inputs were written, leaves the output the same byte for byte.
source "$(dirname "$0")/lib.sh"

DEMO=${COSEVAL_SOURCE:-$_lib_dir/../..}/datasets/demo
[ -d "$DEMO" ] || fail "no demo data at $DEMO"

problems() { # DB
	expect_status 0 "$COSEVAL" import problems "$DEMO/gsm8k-demo.problems.jsonl" --dataset gsm8k-demo --profile gsm8k --db "$1"
}
run_9b() { # DB [RUN]
	expect_status 0 "$COSEVAL" import samples "$DEMO/gsm8k-demo.demo-9b.jsonl" --run "${2:-gsm8k-9b}" --model demo-9b \
		--dataset gsm8k-demo --preset jsonl --params 9e9 --price-out 0.3 --tag role=wc --db "$1"
}
run_27b() { # DB
	expect_status 0 "$COSEVAL" import samples "$DEMO/gsm8k-demo.demo-27b.openai-batch.jsonl" --run gsm8k-27b \
		--model demo-27b --dataset gsm8k-demo --preset openai-batch --params 27e9 --price-out 1.2 --tag role=se --db "$1"
}
grade() { # DB
	expect_status 0 "$COSEVAL" grade --db "$1" --threads 2
}

report() { # DB: the CSV rows of a report on both runs
	"$COSEVAL" report --db "$1" --runs gsm8k-9b,gsm8k-27b --k 1,2,4 --bootstrap 200 --seed 7 --format csv ||
		fail "report on $1 failed"
}

# rows DB: every sample with its ids, run, problem and grade, and the runs, tags and problems, by natural key
rows() {
	sql "$1" "SELECT s.id, r.name, p.dataset, p.problem_key, s.sample_index, s.text, s.tokens, s.label, s.stopped,
			g.answer, g.canonical, g.verdict, g.rule, g.reason, g.grader_version, g.text_key, g.normalized_key,
			g.run_id IS s.run_id AND g.problem_id IS s.problem_id AND g.sample_index IS s.sample_index
		FROM samples s JOIN runs r ON r.id = s.run_id JOIN problems p ON p.id = s.problem_id
		LEFT JOIN grades g ON g.sample_id = s.id ORDER BY s.id"
	sql "$1" "SELECT id, name, model, params, price_out, dataset FROM runs ORDER BY id"
	sql "$1" "SELECT r.name, t.key, t.value FROM run_tags t JOIN runs r ON r.id = t.run_id ORDER BY 1, 2"
	sql "$1" "SELECT id, dataset, problem_key, question, gold, solution, subject, level FROM problems ORDER BY id"
}

ONE=$T/one.db A=$T/a.db B=$T/b.db M=$T/m.db
expect_status 0 "$COSEVAL" init --db "$ONE"
problems "$ONE"
run_9b "$ONE"
run_27b "$ONE"
grade "$ONE"
for db in "$A" "$B"; do
	expect_status 0 "$COSEVAL" init --db "$db"
	problems "$db"
done
run_9b "$A"
run_27b "$B"
grade "$A"
grade "$B"

expect_status 0 "$COSEVAL" merge "$M" "$A" "$B"
expect_eq "report of the merged database" "$(report "$ONE")" "$(report "$M")"
expect_eq "rows of the merged database" "$(rows "$ONE")" "$(rows "$M")"
expect_eq "imports" "$(sql "$ONE" "SELECT kind, dataset, run_id, sha256, records FROM imports ORDER BY id")" \
	"$(sql "$M" "SELECT kind, dataset, run_id, sha256, records FROM imports ORDER BY id")"
ok "two databases sharing their problems merge into what importing both runs into one gives"

# samples already in the output without grades get the input's; graded ones keep theirs
U=$T/ungraded.db
expect_status 0 "$COSEVAL" init --db "$U"
problems "$U"
run_9b "$U"
expect_eq "grades before" 0 "$(sql "$U" "SELECT count(*) FROM grades")"
expect_status 0 "$COSEVAL" merge "$U" "$A"
expect_stdout_contains "0 samples ($(sql "$A" "SELECT count(*) FROM samples") already there), $(sql "$A" "SELECT count(*) FROM grades") grades"
expect_eq "rows after grades reach the samples already there" "$(rows "$A")" "$(rows "$U")"
sql "$U" "UPDATE grades SET grader_version = 'kept' WHERE sample_id % 2 = 0" >/dev/null
kept=$(sql "$U" "SELECT count(*) FROM grades WHERE grader_version = 'kept'")
expect_status 0 "$COSEVAL" merge "$U" "$A"
expect_stdout_contains ", 0 grades"
expect_eq "grades kept" "$kept" "$(sql "$U" "SELECT count(*) FROM grades WHERE grader_version = 'kept'")"
ok "grades reach samples already in the output that had none, and never replace one"

# failures leave the output as it was, byte for byte
cp "$M" "$T/m.orig"
cp "$B" "$T/model.db"
sql "$T/model.db" "UPDATE runs SET model = 'other' WHERE name = 'gsm8k-27b'" >/dev/null
expect_status 3 "$COSEVAL" merge "$M" "$T/model.db"
expect_stderr_contains "$T/model.db: run 'gsm8k-27b' has model 'other', but 'demo-27b' in $M"
cmp -s "$M" "$T/m.orig" || fail "a run conflict changed the output"

# the first input adds a run (samples, grades, an import), the second conflicts: all of it is rolled back
C=$T/copy.db
expect_status 0 "$COSEVAL" init --db "$C"
problems "$C"
run_9b "$C" gsm8k-9b-copy
grade "$C"
cp "$A" "$T/text.db"
sql "$T/text.db" "UPDATE samples SET text = text || ' changed' WHERE id = (SELECT max(id) FROM samples)" >/dev/null
expect_status 3 "$COSEVAL" merge "$M" "$C" "$T/text.db"
expect_stderr_contains "$T/text.db: run 'gsm8k-9b'"
expect_stderr_contains "has a different text in $M"
cmp -s "$M" "$T/m.orig" || fail "a sample conflict at the last input changed the output"
[ -e "$M-journal" ] && fail "a failed merge left a journal behind"
expect_status 0 "$COSEVAL" merge "$M" "$C"
expect_stdout_contains "1 runs, 1 tags"
ok "a conflict, even at the last input after the first was written, leaves the output the same byte for byte"
