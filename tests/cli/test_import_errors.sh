#!/usr/bin/env bash
# Bad input: every broken file or option is refused with the documented exit code and a message naming the
# file, line and field, and the database is left exactly as it was.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/err.db
C() { "$COSEVAL" "$@" --db "$DB"; }
S() { C import samples "$@"; } # S FILE OPTIONS...: import samples into the toy dataset

# rejected WANT CMD...: runs CMD expecting exit WANT and proves that $DB did not change (contents and bytes).
rejected() {
	local want=$1 before_dump before_file after_dump after_file
	shift
	before_dump=$(db_snapshot "$DB")
	before_file=$(sha256sum "$DB" | cut -d' ' -f1)
	expect_status "$want" "$@"
	after_dump=$(db_snapshot "$DB")
	after_file=$(sha256sum "$DB" | cut -d' ' -f1)
	if [ "$before_dump" != "$after_dump" ]; then
		_show_output
		fail "the database contents changed after a refused command: $LAST_CMD"
	fi
	if [ "$before_file" != "$after_file" ]; then
		_show_output
		fail "the database file changed (bytes) after a refused command: $LAST_CMD"
	fi
	[ -s "$ERR" ] || fail "no message on stderr from: $LAST_CMD"
}

# --- a small dataset and one good run -------------------------------------------------------------------------
cat >"$T/problems.jsonl" <<'EOF'
{"id": "p1", "question": "One plus zero?", "answer": "1"}
{"id": "p2", "question": "One plus one?", "answer": "2"}
{"id": "p3", "question": "One plus two?", "answer": "3"}
{"id": "p4", "question": "Two plus two?", "answer": "4"}
{"id": "p5", "question": "Two plus three?", "answer": "5"}
EOF
expect_status 0 C import problems "$T/problems.jsonl" --dataset toy
cat >"$T/good.jsonl" <<'EOF'
{"problem_id": "p1", "text": "The answer is 1."}
{"problem_id": "p2", "text": "The answer is 2."}
{"problem_id": "p3", "text": "The answer is 3."}
EOF
expect_status 0 S "$T/good.jsonl" --run base --model m1 --dataset toy
expect_eq "base samples" 3 "$(sql "$DB" 'SELECT COUNT(*) FROM samples')"
ok "set-up: 5 problems in dataset toy, 3 samples in run base"

# --- malformed JSON on line 3 of 5 ------------------------------------------------------------------------------
cat >"$T/malformed.jsonl" <<'EOF'
{"problem_id": "p1", "text": "a"}
{"problem_id": "p2", "text": "b"}
{"problem_id": "p3", "text": "c"
{"problem_id": "p4", "text": "d"}
{"problem_id": "p5", "text": "e"}
EOF
rejected 3 S "$T/malformed.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains "malformed.jsonl:3:"
expect_stderr_contains "malformed JSON"
ok "malformed JSON on line 3 of 5: exit 3, names malformed.jsonl:3:, database unchanged"

# --- a missing required field -----------------------------------------------------------------------------------
printf '%s\n' '{"problem_id": "p1", "text": "a"}' '{"problem_id": "p2", "answer": "b"}' >"$T/notext.jsonl"
rejected 3 S "$T/notext.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains 'notext.jsonl:2: field "text"'
expect_stderr_contains "missing"
ok "missing text on line 2: exit 3, names notext.jsonl:2: field \"text\" missing, database unchanged"

# --- fields of the wrong type -----------------------------------------------------------------------------------
printf '%s\n' '{"problem_id": "p1", "text": "a"}' '{"problem_id": "p2", "text": {"content": "b"}}' >"$T/textobj.jsonl"
rejected 3 S "$T/textobj.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains 'textobj.jsonl:2: field "text"'
expect_stderr_contains "must be a string, got an object"
ok "text is an object: exit 3, names textobj.jsonl:2: field \"text\" and the types, database unchanged"

printf '%s\n' '{"problem_id": "p1", "text": "a"}' '{"problem_id": ["p2"], "text": "b"}' >"$T/idlist.jsonl"
rejected 3 S "$T/idlist.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains 'idlist.jsonl:2: field "problem"'
expect_stderr_contains "got a list"
ok "problem id is a list: exit 3, names idlist.jsonl:2: field \"problem\" ... got a list, database unchanged"

printf '%s\n' '{"id": "q1", "question": "Q?", "answer": "1"}' '{"id": ["q2"], "question": "Q2?", "answer": "2"}' \
	>"$T/prob_idlist.jsonl"
rejected 3 C import problems "$T/prob_idlist.jsonl" --dataset toy2
expect_stderr_contains 'prob_idlist.jsonl:2: field "id"'
expect_stderr_contains "got a list"
ok "problem file with a list id: exit 3, names prob_idlist.jsonl:2: field \"id\", database unchanged"

# --- invalid UTF-8 ------------------------------------------------------------------------------------------------
{
	printf '%s\n' '{"problem_id": "p1", "text": "a"}'
	printf '{"problem_id": "p2", "text": "b\xff"}\n'
} >"$T/badutf8.jsonl"
rejected 3 S "$T/badutf8.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains "badutf8.jsonl:2:"
expect_stderr_contains "UTF-8"
ok "invalid UTF-8 (\\xff) on line 2: exit 3, names badutf8.jsonl:2:, database unchanged"

# --- lines over the limit -----------------------------------------------------------------------------------------
python3 - "$T/huge.jsonl" <<'EOF' || fail "python3 could not write the 50 MB line"
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"problem_id": "p1", "text": "a"}\n')
    f.write('{"problem_id": "p2", "text": "' + "x" * (50 * 1024 * 1024) + '"}\n')
    f.write('{"problem_id": "p3", "text": "c"}\n')
EOF
rejected 3 S "$T/huge.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains "huge.jsonl:2:"
expect_stderr_contains "longer than the limit of 16777216 bytes"
expect_stderr_contains "--max-line-mb"
ok "50 MB line on line 2 (default limit 16 MiB): exit 3, names huge.jsonl:2:, database unchanged"
rm -f "$T/huge.jsonl"

python3 - "$T/two_mb.jsonl" <<'EOF' || fail "python3 could not write the 2 MB line"
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"problem_id": "p1", "text": "a"}\n')
    f.write('{"problem_id": "p2", "text": "b"}\n')
    f.write('{"problem_id": "p3", "text": "' + "y" * (2 * 1024 * 1024) + '"}\n')
EOF
rejected 3 S "$T/two_mb.jsonl" --run r1 --model m1 --dataset toy --max-line-mb 1
expect_stderr_contains "two_mb.jsonl:3:"
expect_stderr_contains "longer than the limit of 1048576 bytes"
ok "2 MB line on line 3 with --max-line-mb 1: exit 3, names two_mb.jsonl:3:, database unchanged"
expect_status 0 S "$T/two_mb.jsonl" --run r-2mb --model m1 --dataset toy --max-line-mb 3
expect_eq "2 MB sample stored whole" $((2 * 1024 * 1024)) \
	"$(sql "$DB" "SELECT length(text) FROM samples s JOIN runs r ON r.id=s.run_id JOIN problems p ON p.id=s.problem_id WHERE r.name='r-2mb' AND p.problem_key='p3'")"
ok "the same file with --max-line-mb 3 imports, the 2 MB text stored whole"

# --- empty and whitespace-only files ---------------------------------------------------------------------------
: >"$T/empty.jsonl"
rejected 3 S "$T/empty.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains "empty.jsonl"
expect_stderr_contains "empty"
ok "empty file: exit 3, names empty.jsonl, database unchanged"

printf '  \n\t\n\r\n   \n' >"$T/blank.jsonl"
rejected 3 S "$T/blank.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains "blank.jsonl"
ok "whitespace-only file: exit 3, names blank.jsonl, database unchanged"

: >"$T/empty_problems.jsonl"
rejected 3 C import problems "$T/empty_problems.jsonl" --dataset toy3
expect_stderr_contains "empty_problems.jsonl"
ok "empty problem file: exit 3, database unchanged"

# --- CSV: a missing column, a short row ------------------------------------------------------------------------
printf 'problem_id,answer\np1,one\np2,two\n' >"$T/nocol.csv"
rejected 3 S "$T/nocol.csv" --preset csv --run r1 --model m1 --dataset toy
expect_stderr_contains "nocol.csv:1:"
expect_stderr_contains 'field "text"'
expect_stderr_contains "text"
ok "CSV without a text column: exit 3, names nocol.csv:1: field \"text\", database unchanged"

printf 'problem_id,text,tokens\np1,one,3\np2,two\np3,three,5\n' >"$T/shortrow.csv"
rejected 3 S "$T/shortrow.csv" --preset csv --run r1 --model m1 --dataset toy
expect_stderr_contains "shortrow.csv:3:"
expect_stderr_contains "2 fields"
ok "CSV row with too few fields on line 3: exit 3, names shortrow.csv:3:, database unchanged"

# --- runs and files that already exist --------------------------------------------------------------------------
printf '%s\n' '{"problem_id": "p4", "text": "The answer is 4."}' >"$T/more.jsonl"
rejected 3 S "$T/more.jsonl" --run base --model other-model --dataset toy
expect_stderr_contains "base"
expect_stderr_contains "m1"
expect_stderr_contains "other-model"
ok "run name that exists with a different model: exit 3, names the run and both models, database unchanged"

rejected 3 S "$T/good.jsonl" --run base --model m1 --dataset toy
expect_stderr_contains "good.jsonl"
expect_stderr_contains "same SHA-256"
expect_eq "base samples after the refused re-import" 3 \
	"$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='base'")"
ok "same file twice into the same run: exit 3, 'same SHA-256', no duplicate samples"

cp "$T/good.jsonl" "$T/good-copy.jsonl"
rejected 3 S "$T/good-copy.jsonl" --run base --model m1 --dataset toy
expect_stderr_contains "same SHA-256"
ok "a renamed copy of the same file into the same run: refused by SHA-256 too"

rejected 3 C import problems "$T/problems.jsonl" --dataset toy
expect_stderr_contains "problems.jsonl"
ok "same problem file twice into the same dataset: exit 3, database unchanged"

# --- unknown problems -------------------------------------------------------------------------------------------
cat >"$T/unknown.jsonl" <<'EOF'
{"problem_id": "p1", "text": "a"}
{"problem_id": "p2", "text": "b"}
{"problem_id": "p3", "text": "c"}
{"problem_id": "p99", "text": "d"}
{"problem_id": "p5", "text": "e"}
EOF
rejected 3 S "$T/unknown.jsonl" --run r-unknown --model m1 --dataset toy
expect_stderr_contains 'unknown.jsonl:4: field "problem"'
expect_stderr_contains "p99"
expect_stderr_contains "--skip-unknown"
ok "unknown problem id on line 4: exit 3, names unknown.jsonl:4: field \"problem\" and p99, database unchanged"

expect_status 0 S "$T/unknown.jsonl" --run r-unknown --model m1 --dataset toy --skip-unknown
expect_stderr_contains "skipped 1 records"
expect_stderr_contains "line 4"
expect_stdout_contains "imported 4 samples"
expect_eq "r-unknown samples" 4 \
	"$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id WHERE r.name='r-unknown'")"
ok "--skip-unknown: imports the other 4 samples, stderr reports 1 skipped (line 4)"

printf '%s\n' '{"problem_id": "x1", "text": "a"}' '{"problem_id": "x2", "text": "b"}' >"$T/allunknown.jsonl"
rejected 3 S "$T/allunknown.jsonl" --run r-none --model m1 --dataset toy --skip-unknown
expect_stderr_contains "allunknown.jsonl"
ok "--skip-unknown with every record unknown: exit 3 (no samples), database unchanged"

# --- a problem file whose ids repeat ---------------------------------------------------------------------------
cat >"$T/dupids.jsonl" <<'EOF'
{"id": "d1", "question": "Q1?", "answer": "1"}
{"id": "d2", "question": "Q2?", "answer": "2"}
{"id": "d1", "question": "Q3?", "answer": "3"}
EOF
rejected 3 C import problems "$T/dupids.jsonl" --dataset dup
expect_stderr_contains 'dupids.jsonl:3: field "id"'
expect_stderr_contains "d1"
ok "problem file with a repeated id on line 3: exit 3, names dupids.jsonl:3: field \"id\", database unchanged"

# --- an explicitly mapped field missing on one line -----------------------------------------------------------
printf '%s\n' '{"problem_id": "p1", "text": "a", "nope": 5}' '{"problem_id": "p2", "text": "b"}' >"$T/nope.jsonl"
rejected 3 S "$T/nope.jsonl" --run r1 --model m1 --dataset toy --map 'tokens=$.nope'
expect_stderr_contains 'nope.jsonl:2: field "tokens"'
expect_stderr_contains '$.nope'
expect_stderr_contains "missing"
ok "--map tokens=\$.nope missing on line 2: exit 3, names nope.jsonl:2: field \"tokens\" (\$.nope), database unchanged"

# --- more record-level errors ------------------------------------------------------------------------------------
printf '%s\n' '{"problem_id": "p1", "text": "a", "sample_index": 0}' '{"problem_id": "p1", "text": "b", "sample_index": -1}' \
	>"$T/negindex.jsonl"
rejected 3 S "$T/negindex.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains 'negindex.jsonl:2: field "index"'
ok "negative sample_index on line 2: exit 3, names negindex.jsonl:2: field \"index\", database unchanged"

printf '%s\n' '{"problem_id": "p1", "text": "a", "sample_index": 0}' '{"problem_id": "p1", "text": "b", "sample_index": 0}' \
	>"$T/dupindex.jsonl"
rejected 3 S "$T/dupindex.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains 'dupindex.jsonl:2: field "index"'
ok "the same sample_index twice for one problem (line 2): exit 3, names dupindex.jsonl:2: field \"index\", database unchanged"

printf '%s\n' '{"problem_id": "p1", "outs": ["a", "b"], "toks": [1, 2, 3]}' >"$T/mismatch.jsonl"
rejected 3 S "$T/mismatch.jsonl" --run r1 --model m1 --dataset toy --map 'text=$.outs[*]' --map 'tokens=$.toks[*]'
expect_stderr_contains 'mismatch.jsonl:1: field "tokens"'
ok "3 token counts for 2 texts: exit 3, names mismatch.jsonl:1: field \"tokens\", database unchanged"

rejected 3 S "$T/more.jsonl" --run r1 --model m1 --dataset no-such-dataset
expect_stderr_contains "no-such-dataset"
ok "samples for a dataset without problems: exit 3, names the dataset, database unchanged"

rejected 3 S "$T/no-such-file.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains "no-such-file.jsonl"
ok "a file that does not exist: exit 3, names it, database unchanged"

# --- usage errors: exit 2 ---------------------------------------------------------------------------------------
rejected 2 S "$T/more.jsonl" --run r1 --model m1 --dataset toy --frobnicate
expect_stderr_contains "--frobnicate"
ok "unknown option: exit 2, names it"
rejected 2 S "$T/more.jsonl" --model m1 --dataset toy
expect_stderr_contains "--run"
ok "missing --run: exit 2"
rejected 2 S "$T/more.jsonl" --run r1 --model m1 --dataset toy --map textfoo
expect_stderr_contains "--map"
ok "--map without '=': exit 2"
rejected 2 S "$T/more.jsonl" --run r1 --model m1 --dataset toy --map 'text=$.a[b'
expect_stderr_contains '$.a[b'
ok "--map with a bad path: exit 2"
rejected 2 S "$T/more.jsonl" --run r1 --model m1 --dataset toy --map 'colour=$.c'
expect_stderr_contains "colour"
ok "--map with an unknown field: exit 2"
rejected 2 S "$T/more.jsonl" --run r1 --model m1 --dataset toy --preset nope
expect_stderr_contains "nope"
ok "unknown preset: exit 2"
rejected 2 S "$T/more.jsonl" --run r1 --model m1 --dataset toy --max-line-mb zero
ok "bad --max-line-mb: exit 2"
rejected 2 C import widgets "$T/more.jsonl" --dataset toy
ok "unknown import kind: exit 2"
expect_status 2 "$COSEVAL" frobnicate
expect_status 2 "$COSEVAL" reprot
expect_stderr_contains "did you mean 'report'?"
expect_status 2 "$COSEVAL"
expect_stderr_contains "usage: coseval COMMAND"
ok "unknown command: exit 2, the nearest command suggested; a bare coseval: usage, exit 2"

# --- database errors: exit 4 -----------------------------------------------------------------------------------
printf 'this is not a SQLite database, just some text that is long enough to fill a header page......\n' \
	>"$T/notdb.db"
cp "$T/notdb.db" "$T/notdb.orig"
expect_status 4 "$COSEVAL" runs --db "$T/notdb.db"
expect_stderr_contains "notdb.db"
expect_status 4 "$COSEVAL" import samples "$T/more.jsonl" --run r1 --model m1 --dataset toy --db "$T/notdb.db"
expect_stderr_contains "notdb.db"
cmp -s "$T/notdb.db" "$T/notdb.orig" || fail "coseval changed a file that is not a SQLite database"
ok "database path that is not a SQLite file: exit 4 for runs and import, file untouched"

expect_status 4 "$COSEVAL" runs --db "$T/missing.db"
expect_stderr_contains "missing.db"
[ -e "$T/missing.db" ] && fail "coseval runs created $T/missing.db"
ok "missing database for coseval runs: exit 4, names it, not created"
expect_status 4 "$COSEVAL" problems --db "$T/missing.db"
ok "missing database for coseval problems: exit 4"

expect_eq "integrity" ok "$(sql "$DB" 'PRAGMA integrity_check')"
expect_eq "runs left" "base|3 r-2mb|3 r-unknown|4" \
	"$(sql "$DB" "SELECT r.name, COUNT(s.id) FROM runs r LEFT JOIN samples s ON s.run_id=r.id GROUP BY r.id ORDER BY r.name" | paste -sd' ')"
ok "after all refusals: integrity ok, only the runs that were imported on purpose"

# --- the field's own path in type errors (kept last: known to fail, see the report) ---------------------------
printf '%s\n' '{"problem_id": "p1", "text": "a", "tokens": 3}' '{"problem_id": "p2", "text": "b", "tokens": "many"}' \
	>"$T/badtokens.jsonl"
rejected 3 S "$T/badtokens.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains 'badtokens.jsonl:2: field "tokens" ($.tokens) must be a whole number, got a string'
ok "tokens is a word on line 2: exit 3, message names field \"tokens\" (\$.tokens), database unchanged"

printf '%s\n' '{"problem_id": "p1", "text": "a", "is_correct": true}' '{"problem_id": "p2", "text": "b", "is_correct": "maybe"}' \
	>"$T/badlabel.jsonl"
rejected 3 S "$T/badlabel.jsonl" --run r1 --model m1 --dataset toy
expect_stderr_contains 'badlabel.jsonl:2: field "label" ($.is_correct)'
ok "is_correct is \"maybe\" on line 2: exit 3, message names field \"label\" (\$.is_correct), database unchanged"

# a usage error is found before the database is touched: no database file is created for it
expect_status 2 "$COSEVAL" import samples "$T/more.jsonl" --run r1 --model m1 --dataset toy --preset nope \
	--db "$T/created-by-usage-error.db"
[ -e "$T/created-by-usage-error.db" ] && fail "a usage error (--preset nope) created the database $T/created-by-usage-error.db"
expect_status 2 "$COSEVAL" import samples "$T/more.jsonl" --run r1 --model m1 --dataset toy --map textfoo \
	--db "$T/created-by-usage-error.db"
[ -e "$T/created-by-usage-error.db" ] && fail "a usage error (--map textfoo) created the database $T/created-by-usage-error.db"
ok "usage errors (unknown preset, bad --map) do not create a database file"
echo "PASS $TEST_NAME"
