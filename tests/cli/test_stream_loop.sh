#!/usr/bin/env bash
# End-to-end test of grading on other machines: `export stream --shards`, `grade --stream` on each shard and
# `import verdicts` give the same grades and reports as `coseval grade`; a bad verdict file changes nothing.
source "$(dirname "$0")/lib.sh"

BASE=$T/base.db
expect_status 0 "$COSEVAL" demo --db "$BASE"
# one run with its own answer pattern, so that its verdicts carry "2.2+pattern:..."
expect_status 0 "$COSEVAL" grade --db "$BASE" --run gsm8k-9b --answer-pattern '####\s*(?<answer>-?[0-9][0-9,.]*)'
cp "$BASE" "$T/a.db"
cp "$BASE" "$T/b.db"
A=$T/a.db
B=$T/b.db

expect_status 0 "$COSEVAL" grade --db "$A" --regrade

runs=$(sql "$B" "SELECT name FROM runs ORDER BY name")
[ -n "$runs" ] || fail "the demo database has no runs"
for run in $runs; do
	expect_status 2 "$COSEVAL" export stream --db "$B" --run "$run" --shards 2
	expect_stderr_contains "--shards N needs -o PREFIX"
	expect_status 0 "$COSEVAL" export stream --db "$B" --run "$run" --shards 2 -o "$T/$run"
	[ -f "$T/$run-00000-of-00002.jsonl" ] && [ -f "$T/$run-00001-of-00002.jsonl" ] || fail "shards of $run missing"
	ls "$T"/*.tmp >/dev/null 2>&1 && fail "export stream left a temporary file"
	expect_eq "lines of $run's shards" "$(sql "$B" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id = s.run_id
		WHERE r.name = '$run'")" "$(cat "$T/$run"-0000?-of-00002.jsonl | wc -l)"
	expect_status 0 "$COSEVAL" export stream --db "$B" --run "$run"
	cmp -s "$OUT" <(python3 - "$T/$run-00000-of-00002.jsonl" "$T/$run-00001-of-00002.jsonl" <<'PY'
import sys
a = open(sys.argv[1], encoding="utf-8").read().splitlines()
b = open(sys.argv[2], encoding="utf-8").read().splitlines()
for i in range(len(a)):
    print(a[i])
    if i < len(b):
        print(b[i])
PY
) || fail "the shards of $run are not the stdout export dealt round-robin"
	for shard in 0 1; do
		f=$T/$run-0000$shard-of-00002.jsonl
		read -r profile pattern < <(python3 -c '
import json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(o["profile"], json.dumps(o.get("answer_pattern", "")))' "$f")
		args=(--profile "$profile" --threads 2)
		pattern=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1]))' "$pattern")
		[ -n "$pattern" ] && args+=(--answer-pattern "$pattern")
		"$COSEVAL" grade --stream "${args[@]}" <"$f" >"$T/$run.$shard.verdicts" 2>"$ERR" ||
			fail "grade --stream on $f failed: $(cat "$ERR")"
	done
	for shard in 0 1; do
		expect_status 0 "$COSEVAL" import verdicts "$T/$run.$shard.verdicts" --db "$B" --run "$run"
		expect_stdout_contains "into run '$run'"
	done
done
grep -q '"answer_pattern"' "$T/gsm8k-9b-00000-of-00002.jsonl" || fail "the pattern of gsm8k-9b is not exported"
grep -q '"finish_reason":"length"' "$T"/*-of-00002.jsonl || fail "no stopped sample exported with finish_reason"
grep -q '+pattern:' "$T/gsm8k-9b.0.verdicts" || fail "the verdicts of gsm8k-9b do not carry the pattern's version"
ok "every run exported in 2 shards, graded by grade --stream and imported"

expect_eq "grades of A and B" "$(sqlite3 -batch "$A" '.dump grades')" "$(sqlite3 -batch "$B" '.dump grades')"
for fmt in csv; do
	expect_status 0 "$COSEVAL" report --db "$A" --format "$fmt"
	cp "$OUT" "$T/report.a"
	expect_status 0 "$COSEVAL" report --db "$B" --format "$fmt"
	cmp -s "$OUT" "$T/report.a" || fail "report --format $fmt of A and B differ"
done
ok "grades and the report CSV after import verdicts equal those of grade --regrade"

# a file already imported into the run is refused
expect_status 3 "$COSEVAL" import verdicts "$T/math-9b.0.verdicts" --db "$B" --run math-9b
ok "the same verdict file is refused a second time"

# bad files: exit 3 naming file, line and field; the database is unchanged
before=$(db_snapshot "$B")
head -n 2 "$T/math-9b.1.verdicts" >"$T/unknown.jsonl"
echo '{"id":"math-9b/no-such-problem/0","answer":"1","canonical":"1","verdict":"wrong","rule":"boxed","reason":null,"grader_version":"2.2"}' >>"$T/unknown.jsonl"
expect_status 3 "$COSEVAL" import verdicts "$T/unknown.jsonl" --db "$B" --run math-9b
expect_stderr_contains "$T/unknown.jsonl:3: field \"id\""
head -n 3 "$T/math-9b.1.verdicts" | sed '2s/"grader_version":"[^"]*"/"grader_version":"1.0"/' >"$T/version.jsonl"
expect_status 3 "$COSEVAL" import verdicts "$T/version.jsonl" --db "$B" --run math-9b
expect_stderr_contains "$T/version.jsonl:2: field \"grader_version\": '1.0'"
head -n 3 "$T/gsm8k-9b.1.verdicts" | sed 's/"grader_version":"[^"]*"/"grader_version":"2.2"/' >"$T/nopattern.jsonl"
expect_status 3 "$COSEVAL" import verdicts "$T/nopattern.jsonl" --db "$B" --run gsm8k-9b
expect_stderr_contains "$T/nopattern.jsonl:1: field \"grader_version\": '2.2'"
{ head -n 3 "$T/math-9b.1.verdicts"; sed -n 2p "$T/math-9b.1.verdicts"; } >"$T/twice.jsonl"
expect_status 3 "$COSEVAL" import verdicts "$T/twice.jsonl" --db "$B" --run math-9b
expect_stderr_contains "$T/twice.jsonl:4: field \"id\""
expect_stderr_contains "already has a verdict on an earlier line"
expect_status 3 "$COSEVAL" import verdicts "$T/math-9b.1.verdicts" --db "$B" --run math-27b
expect_stderr_contains ":1: field \"id\""
expect_eq "database after the refused imports" "$before" "$(db_snapshot "$B")"
ok "unknown id, wrong grader version, duplicated id and another run's verdicts: exit 3, database unchanged"

# a partial file: the samples it does not name keep their grade, and the summary says how many
cp "$BASE" "$T/c.db"
sqlite3 "$T/c.db" "DELETE FROM grades"
head -n 5 "$T/math-27b.0.verdicts" >"$T/part.jsonl"
expect_status 0 "$COSEVAL" import verdicts "$T/part.jsonl" --db "$T/c.db" --run math-27b
expect_stdout_contains "imported 5 verdicts"
expect_stdout_contains "replacing 0 earlier grades"
expect_stdout_contains "43 of the run's 48 samples not in the file (43 of them ungraded)"
ok "a partial verdict file leaves the other samples ungraded and says so"
