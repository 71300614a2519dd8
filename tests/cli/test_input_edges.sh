#!/usr/bin/env bash
# Input edge cases found in review: another program's SQLite file, repeated files refused at once, byte-order
# marks, multi-line CSV fields in messages, empty sample lists, negative token counts, duplicate questions,
# options that would swallow the next option.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/edges.db
C() { "$COSEVAL" "$@" --db "$DB"; }
printf '{"id": "p1", "question": "What is 2+2?", "answer": "4"}\n{"id": "p2", "question": "What is 3+3?", "answer": "6"}\n' \
	>"$T/problems.jsonl"
expect_status 0 C import problems "$T/problems.jsonl" --dataset toy --profile generic

# another program's SQLite database is refused and left as it was
sqlite3 "$T/other.db" "CREATE TABLE notes (x); INSERT INTO notes VALUES ('keep me');"
before=$(db_snapshot "$T/other.db")
expect_status 4 "$COSEVAL" runs --db "$T/other.db"
expect_stderr_contains "not a coseval database"
expect_status 4 "$COSEVAL" import problems "$T/problems.jsonl" --dataset toy --db "$T/other.db"
expect_eq "the other program's database" "$before" "$(db_snapshot "$T/other.db")"
ok "another program's SQLite database: exit 4, unchanged"

# the same problem file again: refused by its SHA-256 before any row is read
expect_status 3 C import problems "$T/problems.jsonl" --dataset toy
expect_stderr_contains "refused: a file with the same SHA-256"
ok "a repeated problem file is refused by its digest"

# a UTF-8 byte-order mark (as spreadsheets write it) before the CSV header and before JSONL
printf '\xef\xbb\xbfproblem_id,text\np1,"The answer is 4."\n' >"$T/bom.csv"
expect_status 0 C import samples "$T/bom.csv" --run bom-csv --model m --dataset toy
printf '\xef\xbb\xbf{"problem_id": "p2", "text": "6"}\n' >"$T/bom.jsonl"
expect_status 0 C import samples "$T/bom.jsonl" --run bom-jsonl --model m --dataset toy
ok "byte-order marks are skipped (CSV and JSONL)"

# a quoted first field spanning lines: the row's error names the line it starts on
printf 'text,problem_id\n"first line\nsecond line",nope\n' >"$T/multiline.csv"
expect_status 3 C import samples "$T/multiline.csv" --run ml --model m --dataset toy
expect_stderr_contains "multiline.csv:2: field \"problem\""
ok "multi-line CSV field: the message names line 2"

# an empty list of outputs is a missing text, not a silent zero
printf '{"request_id": "p1", "outputs": []}\n' >"$T/empty.jsonl"
expect_status 3 C import samples "$T/empty.jsonl" --run empty --model m --dataset toy --preset vllm
expect_stderr_contains "empty.jsonl:1: field \"text\" (\$.outputs[*].text) missing"
expect_status 3 C import samples "$T/empty.jsonl" --run empty --model m --dataset toy \
	--map problem='$.request_id' --map 'text=$.text|$.outputs[*].text'
expect_stderr_contains "empty.jsonl:1: field \"text\""
ok "an empty outputs list: exit 3 naming line and field"

# negative token counts are refused
printf '{"problem_id": "p1", "text": "4", "tokens": -5}\n' >"$T/neg.jsonl"
expect_status 3 C import samples "$T/neg.jsonl" --run neg --model m --dataset toy
expect_stderr_contains "neg.jsonl:1: field \"tokens\" (\$.tokens) must not be negative"
ok "negative token counts: exit 3"

# two problems with the same question: --match question refuses to guess
printf '{"id": "a", "question": "Same?", "answer": "1"}\n{"id": "b", "question": "Same?", "answer": "2"}\n' \
	>"$T/dup.jsonl"
expect_status 0 C import problems "$T/dup.jsonl" --dataset dup --profile generic
printf '{"question": "Same?", "text": "1"}\n' >"$T/dupq.jsonl"
expect_status 3 C import samples "$T/dupq.jsonl" --run dq --model m --dataset dup --match question --map question='$.question'
expect_stderr_contains "is the question of several problems"
ok "a question shared by two problems: exit 3 under --match question"

# an option never takes the next option as its value
expect_status 2 C import samples "$T/bom.jsonl" --run --model m --dataset toy
expect_stderr_contains "option --run needs a value (got the option --model)"
expect_status 0 "$COSEVAL" check -- -5 -5
expect_stdout_contains "equal"
ok "'--run --model m' is a usage error; answers after -- may start with '-'"
# usage errors and unreadable files are found before a database is created
expect_status 3 "$COSEVAL" import samples "$T/no-such-file.jsonl" --run r --model m --dataset toy --db "$T/new.db"
expect_status 2 "$COSEVAL" report --k 4,2 --db "$T/new.db"
expect_status 2 "$COSEVAL" report --by colour --db "$T/new.db"
expect_status 2 "$COSEVAL" grade --run r --answer-pattern '(' --db "$T/new.db"
[ ! -e "$T/new.db" ] || fail "a database was created by a command that failed before using it"
ok "a missing input file, a bad --k, --by or pattern: no database created"
echo "PASS $TEST_NAME"
