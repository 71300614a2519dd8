#!/usr/bin/env bash
# Input that two readers could read two ways is refused, never guessed: a JSON key that a field reads given
# twice in one object, a CSV column that a field reads named twice, an lm-eval document logged twice under one
# filter (two logs joined), the same dump imported again with other bytes, ids past 2^53 or written 007, and an
# id repeated within one problem file. Each refusal is exit 3 with file, line and field, and writes nothing.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/amb.db
C() { "$COSEVAL" "$@" --db "$DB"; }
count() { sql "$DB" "SELECT COUNT(*) FROM $1"; }

cat >"$T/p.jsonl" <<'EOF2'
{"id": "a", "question": "What is 3 + 4?", "answer": "7"}
{"id": "b", "question": "What is 2 + 3?", "answer": "5"}
EOF2
expect_status 0 C import problems "$T/p.jsonl" --dataset d --profile generic

# --- 1. duplicate JSON keys ------------------------------------------------------------------------------------------
printf '{"problem_id":"a","problem_id":"b","text":"The answer is 7."}\n' >"$T/dupkey.jsonl"
expect_status 3 C import samples "$T/dupkey.jsonl" --run j1 --model m --dataset d
expect_stderr_contains "dupkey.jsonl:1: field \"problem\" (\$.problem_id): key \"problem_id\" occurs twice in the same object"
expect_stderr_contains "keep one of them"
printf '{"problem_id":"a","text":"x"}\n{"problem_id":"a","text":"The answer is 7.","text":"The answer is 5."}\n' \
	>"$T/dupkey2.jsonl"
expect_status 3 C import samples "$T/dupkey2.jsonl" --run j2 --model m --dataset d
expect_stderr_contains "dupkey2.jsonl:2: field \"text\" (\$.text): key \"text\" occurs twice"
expect_eq "samples after refused duplicate keys" 0 "$(count samples)"
expect_eq "runs after refused duplicate keys" 0 "$(count runs)"
printf '{"id":"z","question":"qz","answer":"5","answer":"6"}\n' >"$T/pdup.jsonl"
expect_status 3 C import problems "$T/pdup.jsonl" --dataset dz --profile generic
expect_stderr_contains "pdup.jsonl:1: field \"answer\" (\$.answer): key \"answer\" occurs twice"
expect_eq "problems after a refused duplicate answer" 2 "$(count problems)"
# nested and filtered lookups: $.doc.question in lm-eval, the role a chat filter compares
printf '{"doc_id":"a","doc":{"question":"What is 3 + 4?"},"doc":{"question":"What is 2 + 3?"},"resps":[["7"]],"filter":"f"}\n' \
	>"$T/dupdoc.jsonl"
expect_status 3 C import samples "$T/dupdoc.jsonl" --preset lm-eval --run j3 --model m --dataset d
expect_stderr_contains "dupdoc.jsonl:1: field \"question\" (\$.doc.question): key \"doc\" occurs twice"
printf '{"problem_id":"a","messages":[{"role":"user","content":"What is 3 + 4?"},{"role":"user","role":"assistant","content":"7"}]}\n' \
	>"$T/duprole.jsonl"
expect_status 3 C import samples "$T/duprole.jsonl" --preset chat --run j4 --model m --dataset d
expect_stderr_contains "key \"role\" occurs twice"
# a key that no field reads may repeat
printf '{"problem_id":"a","text":"The answer is 7.","note":1,"note":2}\n' >"$T/dupnote.jsonl"
expect_status 0 C import samples "$T/dupnote.jsonl" --run j5 --model m --dataset d
ok "duplicate JSON keys: refused (exit 3, file:line, field, key) when a field reads them, else ignored"

# --- 2. repeated CSV columns -----------------------------------------------------------------------------------------
printf 'problem_id,text,text\na,The answer is 5.,The answer is 6.\n' >"$T/dupcol.csv"
expect_status 3 C import samples "$T/dupcol.csv" --run c1 --model m --dataset d
expect_stderr_contains "dupcol.csv:1: field \"text\" (text): column 'text' is named 2 times in the header"
printf 'problem_id,text,problem_id\na,The answer is 5.,b\n' >"$T/dupcol2.csv"
expect_status 3 C import samples "$T/dupcol2.csv" --run c1 --model m --dataset d
expect_stderr_contains "dupcol2.csv:1: field \"problem\" (problem_id): column 'problem_id' is named 2 times"
printf 'id,question,answer,answer\nq,What?,1,2\n' >"$T/pdupcol.csv"
expect_status 3 C import problems "$T/pdupcol.csv" --dataset dc --profile generic
expect_stderr_contains "pdupcol.csv:1: field \"answer\" (\$.answer): column 'answer' is named 2 times"
expect_eq "runs after refused CSV headers" 1 "$(count runs)"
printf 'problem_id,text,note,note\na,The answer is 7.,x,y\n' >"$T/unused.csv"
expect_status 0 C import samples "$T/unused.csv" --run c2 --model m --dataset d
ok "repeated CSV columns: refused at line 1 when a field reads them; a repeated column no field reads is allowed"

# --- 3. an lm-eval log joined to itself ------------------------------------------------------------------------------
cat >"$T/gp.jsonl" <<'EOF2'
{"id": 0, "question": "What is 3 + 4?", "answer": "7"}
{"id": 1, "question": "What is 2 + 3?", "answer": "5"}
EOF2
expect_status 0 C import problems "$T/gp.jsonl" --dataset g --profile gsm8k --map answer='$.answer'
cat >"$T/log.jsonl" <<'EOF2'
{"doc_id": 0, "doc": {"question": "What is 3 + 4?"}, "resps": [["The answer is 7."]], "filter": "strict-match"}
{"doc_id": 1, "doc": {"question": "What is 2 + 3?"}, "resps": [["The answer is 5."]], "filter": "strict-match"}
{"doc_id": 0, "doc": {"question": "What is 3 + 4?"}, "resps": [["The answer is 7."]], "filter": "flexible-extract"}
{"doc_id": 1, "doc": {"question": "What is 2 + 3?"}, "resps": [["The answer is 5."]], "filter": "flexible-extract"}
EOF2
cat "$T/log.jsonl" "$T/log.jsonl" >"$T/twice.jsonl"
expect_status 3 C import samples "$T/twice.jsonl" --preset lm-eval --run lm2 --model m --dataset g
expect_stderr_contains "twice.jsonl:5: field \"problem\" (\$.doc_id): document '0' is logged a second time under filter 'strict-match' (first at line 1)"
expect_stderr_contains "split it and import each log on its own"
expect_eq "samples after a refused joined log" 2 "$(count samples)"
# the filter left out is checked too
sed -n '1,2p;4p;4p' "$T/log.jsonl" >"$T/other.jsonl"
expect_status 3 C import samples "$T/other.jsonl" --preset lm-eval --run lm2 --model m --dataset g
expect_stderr_contains "other.jsonl:4: field \"problem\" (\$.doc_id): document '1' is logged a second time under filter 'flexible-extract' (first at line 3)"
expect_status 0 C import samples "$T/log.jsonl" --preset lm-eval --run lm2 --model m --dataset g
expect_stdout_contains "imported 2 samples of 2 problems into run 'lm2'"
ok "lm-eval: a document logged twice under one filter is refused naming both lines"

# --- 4. the same dump again, other bytes -----------------------------------------------------------------------------
sed 's/$/\r/' "$T/log.jsonl" >"$T/log_crlf.jsonl"
head -c -1 "$T/log.jsonl" >"$T/log_nonl.jsonl"
for f in log_crlf log_nonl; do
	expect_status 3 C import samples "$T/$f.jsonl" --preset lm-eval --run lm2 --model m --dataset g
	expect_stderr_contains "$f.jsonl: refused: each of its 2 samples repeats a sample that run 'lm2' already holds"
	expect_stderr_contains "problem '0' is there as sample 0 from $T/log.jsonl (imported "
	expect_stderr_contains "--allow-repeats"
done
expect_eq "run lm2 after refused repeats" 2 "$(sql "$DB" "SELECT COUNT(*) FROM samples JOIN runs r ON r.id = run_id WHERE r.name = 'lm2'")"
expect_status 0 C import samples "$T/log_crlf.jsonl" --preset lm-eval --run lm2 --model m --dataset g --allow-repeats
expect_stdout_contains "imported 2 samples of 2 problems into run 'lm2'"
# new draws that repeat some earlier answers are new samples; so are more copies of an answer than the run has
cat >"$T/draws1.jsonl" <<'EOF2'
{"problem_id": "a", "text": "7"}
{"problem_id": "b", "text": "5"}
EOF2
cat >"$T/draws2.jsonl" <<'EOF2'
{"problem_id": "a", "text": "7"}
{"problem_id": "b", "text": "6"}
EOF2
cat >"$T/draws3.jsonl" <<'EOF2'
{"problem_id": "a", "text": "7"}
{"problem_id": "a", "text": "7"}
{"problem_id": "a", "text": "7"}
EOF2
expect_status 0 C import samples "$T/draws1.jsonl" --run short --model m --dataset d
expect_status 0 C import samples "$T/draws2.jsonl" --run short --model m --dataset d
expect_status 0 C import samples "$T/draws3.jsonl" --run short --model m --dataset d
printf '{"problem_id": "b", "text": "5"}\n{"problem_id": "a", "text": "7"}\n' >"$T/draws4.jsonl"
expect_status 3 C import samples "$T/draws4.jsonl" --run short --model m --dataset d
expect_stderr_contains "draws4.jsonl: refused: each of its 2 samples repeats a sample that run 'short' already holds"
expect_stderr_contains "problem 'b' is there as sample 0 from $T/draws1.jsonl"
expect_eq "run short" 7 "$(sql "$DB" "SELECT COUNT(*) FROM samples JOIN runs r ON r.id = run_id WHERE r.name = 'short'")"
ok "the same dump again from other bytes (CRLF, no final newline) is refused naming the earlier import; --allow-repeats; new draws pass"

# --- 5. ids ----------------------------------------------------------------------------------------------------------
printf '{"id":9007199254740992,"question":"q","answer":"4"}\n' >"$T/b1.jsonl"
expect_status 3 C import problems "$T/b1.jsonl" --dataset d5 --profile generic
expect_stderr_contains "b1.jsonl:1: field \"id\" (\$.id) is a whole number of 2^53 or more (9007199254740992)"
expect_stderr_contains "write the id in quotes"
printf '{"id":"9007199254740993","question":"q","answer":"4"}\n' >"$T/b2.jsonl"
expect_status 0 C import problems "$T/b2.jsonl" --dataset d5 --profile generic
printf '{"problem_id":9007199254740993,"text":"4"}\n' >"$T/b3.jsonl"
expect_status 3 C import samples "$T/b3.jsonl" --run big --model m --dataset d5
expect_stderr_contains "b3.jsonl:1: field \"problem\" (\$.problem_id) is a whole number of 2^53 or more"
printf '{"id":"1","question":"q one","answer":"5"}\n{"id":"2","question":"q","answer":"5"}\n{"id":1,"question":"q two","answer":"6"}\n' \
	>"$T/dupid.jsonl"
expect_status 3 C import problems "$T/dupid.jsonl" --dataset d6 --profile generic
expect_stderr_contains "dupid.jsonl:3: field \"id\": problem '1' repeats within the file (first at line 1)"
expect_status 3 C import problems "$T/dupid.jsonl" --dataset d6 --profile generic --skip-existing
expect_stderr_contains "dupid.jsonl:3: field \"question\": problem '1' repeats line 1 of this file with a different question"
expect_eq "dataset d6" 0 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset = 'd6'")"
expect_status 0 C import problems "$T/p.jsonl" --dataset d7 --profile generic
printf '{"id":"a","question":"q","answer":"5"}\n' >"$T/again.jsonl"
expect_status 3 C import problems "$T/again.jsonl" --dataset d7 --profile generic
expect_stderr_contains "problem 'a' is already in dataset 'd7'"
printf '{"id":007,"question":"q","answer":"5"}\n' >"$T/zero.jsonl"
expect_status 3 C import problems "$T/zero.jsonl" --dataset d8 --profile generic
expect_stderr_contains "zero.jsonl:1: malformed JSON at column 7 near '007,"
printf '[{"id":"x","question":"q","answer":1.}]' >"$T/point.json"
expect_status 3 C import problems "$T/point.json" --dataset d8 --profile generic
expect_stderr_contains "point.json:1: malformed JSON at column"
expect_eq "dataset d8" 0 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset = 'd8'")"
ok "ids: past 2^53 says to quote it; a repeat within the file names both lines; 007 and 1. are malformed JSON"
