#!/usr/bin/env bash
# End-to-end test of `coseval merge --renumber` on a real dump split across two databases: without it the
# colliding indexes are an error that names the run, the index, both inputs and the remedy, and nothing is
# written; with it the merged run, its grades and judgments and its report equal those of one database that
# imported the whole dump; merging a part again adds nothing; a run that does not collide keeps its indexes.
source "$(dirname "$0")/lib.sh"
skip_if_no_data

DUMP=$DATA/qwen25_math/math_cot_100.jsonl # 100 MATH problems x 8 samples
[ -f "$DUMP" ] || fail "no $DUMP"

# the two halves of the dump, as two machines would have written them: samples 0-3 and 4-7 of each problem,
# each numbered from 0 again when imported
python3 - "$DUMP" "$T/half-a.jsonl" "$T/half-b.jsonl" <<'PY' || fail "splitting the dump failed"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as a, \
        open(sys.argv[3], "w", encoding="utf-8") as b:
    for line in f:
        o = json.loads(line)
        for out, part in ((a, slice(0, 4)), (b, slice(4, 8))):
            p = dict(o)
            p["code"] = o["code"][part]
            p["score"] = o["score"][part]
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
PY

BASE=$T/base.db
expect_status 0 "$COSEVAL" import problems "$DATA/tora/math_test.jsonl" --dataset math --profile math --db "$BASE"
import_run() { # DB FILE
	expect_status 0 "$COSEVAL" import samples "$2" --run qwen --model qwen2.5-math --dataset math --params 7e9 \
		--match question --map question='$.question' --map 'text=$.code[*]' --map 'label=$.score[*]' --db "$1"
	expect_status 0 "$COSEVAL" grade --db "$1" --threads 2
}
# judgments of a judge on samples 0 and 1 of the first 20 problems of a half (index offset: where those samples
# sit in the whole dump)
judgments() { # DB OFFSET OUT
	sql "$1" "SELECT p.problem_key, s.sample_index, s.id % 2 FROM samples s JOIN problems p ON p.id = s.problem_id
		WHERE s.sample_index < 2 ORDER BY s.id LIMIT 40" | python3 -c '
import json, sys
off = int(sys.argv[1])
for line in sys.stdin:
    key, idx, v = line.rstrip("\n").split("|")
    print(json.dumps({"problem_id": key, "sample_index": int(idx) + off, "judge": "person", "reasoning_correct": v == "1"}))
' "$2" >"$3" || fail "writing judgments failed"
}

W=$T/whole.db A=$T/a.db B=$T/b.db
cp "$BASE" "$W"
cp "$BASE" "$A"
cp "$BASE" "$B"
import_run "$W" "$DUMP"
import_run "$A" "$T/half-a.jsonl"
import_run "$B" "$T/half-b.jsonl"
judgments "$B" 0 "$T/judged-b.jsonl"
judgments "$B" 4 "$T/judged-w.jsonl"
expect_status 0 "$COSEVAL" import judgments "$T/judged-b.jsonl" --run qwen --db "$B"
expect_status 0 "$COSEVAL" import judgments "$T/judged-w.jsonl" --run qwen --db "$W"
expect_eq "samples of the whole dump" 800 "$(sql "$W" "SELECT count(*) FROM samples")"
expect_eq "samples of each half" "400 400" "$(sql "$A" "SELECT count(*) FROM samples") $(sql "$B" "SELECT count(*) FROM samples")"
ok "a real dump imported whole and in two halves numbered from 0 each"

# without --renumber: exit 3, the run, the index, both inputs and the remedy named; nothing written
M=$T/m.db
expect_status 3 "$COSEVAL" merge "$M" "$A" "$B"
expect_stderr_contains "$B: run 'qwen', problem '"
expect_stderr_contains "sample 0 has a different text in $A"
expect_stderr_contains "the two hold different samples of run 'qwen' under the same sample indexes"
expect_stderr_contains "merge with 'coseval merge --renumber', which appends the samples of $B after those of $A"
[ -e "$M" ] && fail "a refused merge left $M behind"
cp "$A" "$T/out.db"
before=$(db_snapshot "$T/out.db")
expect_status 3 "$COSEVAL" merge "$T/out.db" "$B"
expect_stderr_contains "has a different text in $T/out.db"
expect_eq "an existing output after a refused merge" "$before" "$(db_snapshot "$T/out.db")"
ok "colliding indexes without --renumber: exit 3 naming run, index, both inputs and the remedy; nothing written"

# with --renumber: the same samples at the same indexes, grades and judgments as the whole import
expect_status 0 "$COSEVAL" merge --renumber "$M" "$A" "$B"
expect_stdout_contains "800 samples (0 already there, 400 renumbered), 800 grades, 40 judgments"
samples() { # DB: problem, index, text, label and grade of every sample, in key order
	sql "$1" "SELECT p.problem_key, s.sample_index, s.text, s.label, g.verdict, g.answer, g.grader_version
		FROM samples s JOIN problems p ON p.id = s.problem_id LEFT JOIN grades g ON g.sample_id = s.id
		ORDER BY p.problem_key, s.sample_index"
}
same_texts() { # DB1 DB2: the texts of every (problem, index) agree
	sqlite3 -batch "$1" "ATTACH '$2' AS b; SELECT count(*) FROM samples s JOIN problems p ON p.id = s.problem_id
		JOIN b.problems bp ON bp.dataset = p.dataset AND bp.problem_key = p.problem_key JOIN b.samples bs
		ON bs.problem_id = bp.id AND bs.sample_index = s.sample_index AND bs.text = s.text"
}
expect_eq "samples, indexes, labels and grades of the merged run" "$(samples "$W")" "$(samples "$M")"
expect_eq "(problem, index, text) shared by the whole import and the merge" 800 "$(same_texts "$W" "$M")"
judged() { # DB
	sql "$1" "SELECT p.problem_key, s.sample_index, j.judge, j.reasoning_correct FROM judgments j
		JOIN samples s ON s.id = j.sample_id JOIN problems p ON p.id = s.problem_id ORDER BY 1, 2"
}
expect_eq "judgments follow their samples" "$(judged "$W")" "$(judged "$M")"
report() { # DB
	"$COSEVAL" report --db "$1" --runs qwen --k 1,2,4,8 --bootstrap 200 --seed 7 --format csv || fail "report on $1 failed"
}
report "$W" >"$T/report.w"
report "$M" >"$T/report.m"
grep -q '"coverage","qwen",.*"8",.*"100","800"' "$T/report.w" || fail "the report of the whole dump has no coverage@8 over 800 samples"
cmp -s "$T/report.w" "$T/report.m" || fail "report of the merge differs from the whole import: $(diff "$T/report.w" "$T/report.m" | head -5)"
expect_status 0 "$COSEVAL" check-db --db "$M"
ok "merge --renumber: samples, grades, judgments and the report (counts, coverage, fpr) equal the whole import"

# merging a part again adds nothing, with or without --renumber, and so does a copy of it (another file)
before=$(db_snapshot "$M")
expect_status 0 "$COSEVAL" merge --renumber "$M" "$B"
expect_stdout_contains "0 samples (400 already there, 0 renumbered), 0 grades, 0 judgments"
cp "$B" "$T/b-copy.db"
expect_status 0 "$COSEVAL" merge --renumber "$M" "$A" "$T/b-copy.db"
expect_stdout_contains "0 samples (800 already there, 0 renumbered), 0 grades, 0 judgments"
expect_status 0 "$COSEVAL" merge "$M" "$B"
expect_stdout_contains "0 samples (400 already there), 0 grades, 0 judgments"
expect_eq "the merge after merging its parts again" "$before" "$(db_snapshot "$M")"
expect_status 0 "$COSEVAL" merge --renumber "$T/m2.db" "$A" "$B" "$B" "$T/b-copy.db" "$A"
expect_eq "the parts merged once and again in one merge" "$(samples "$W")" "$(samples "$T/m2.db")"
ok "a part merged a second time (itself, a copy, in one merge or later) is a no-op"

# a run that does not collide keeps its indexes with --renumber: the whole import split by index
cp "$W" "$T/lo.db"
cp "$W" "$T/hi.db"
split_run() { # DB CONDITION
	sql "$1" "DELETE FROM judgments WHERE sample_id IN (SELECT id FROM samples WHERE $2);
		DELETE FROM grades WHERE sample_id IN (SELECT id FROM samples WHERE $2); DELETE FROM samples WHERE $2" >/dev/null
}
split_run "$T/lo.db" "sample_index >= 5"
split_run "$T/hi.db" "sample_index < 5"
expect_status 0 "$COSEVAL" merge --renumber "$T/joined.db" "$T/hi.db" "$T/lo.db"
expect_stdout_contains "800 samples (0 already there, 0 renumbered)"
expect_eq "a run split without collisions" "$(samples "$W")" "$(samples "$T/joined.db")"
ok "a run without collisions keeps its indexes with --renumber"
