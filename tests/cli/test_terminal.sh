#!/usr/bin/env bash
# Checks the progress line on standard error: drawn for import, grade and report when standard error is a
# terminal (a pseudo-terminal made by util-linux `script`), cleared before anything else is written there,
# redrawn at most about five times a second; absent when standard error is a file or with --quiet; and the
# standard output, the database and the report files are the same either way.
set -u
. "$(dirname "$0")/lib.sh"
skip_if_no_data
command -v script >/dev/null || fail "util-linux 'script' (Debian package bsdutils) is needed to run under a terminal"

# on_tty TTY CMD: runs the shell command CMD with its standard error (and input) on a pseudo-terminal, whose
# output goes to the file TTY; CMD redirects its standard output itself. Returns CMD's status.
on_tty() {
	local tty=$1
	shift
	script -qfec "$*" /dev/null >"$tty" </dev/null
}

# db_content DB: a hash of the database's rows and schema with the import times masked, to compare two
# databases filled by the same commands at different times.
db_content() {
	sqlite3 -batch "$1" .dump | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' | sha256sum
}

# progress_lines TTY TEXT: how many progress lines (pieces between carriage returns) hold TEXT.
progress_lines() {
	tr '\r' '\n' <"$1" | grep -cF -- "$2"
}

PROBLEMS=$DATA/gsm8k/train.jsonl
SAMPLES=$DATA/tora/gsm8k_test_tora-70b-v1.0_greedy.jsonl
gzip -c "$SAMPLES" >"$T/tora.jsonl.gz" || fail "gzip failed"
mkdir -p "$T/tty" "$T/file" "$T/quiet"

# the same commands three ways: standard error on a terminal, in a file, and on a terminal with --quiet
for mode in tty file quiet; do
	dir=$T/$mode
	q=
	[ "$mode" = quiet ] && q=--quiet
	cmds=(
		"'$COSEVAL' import problems '$PROBLEMS' --dataset gsm8k --db '$dir/db' $q >'$dir/out.problems'"
		"'$COSEVAL' import problems '$DATA/gsm8k/test.jsonl' --dataset gsm8k-test --profile gsm8k --db '$dir/db' $q >'$dir/out.test'"
		"'$COSEVAL' import samples '$T/tora.jsonl.gz' --run tora-70b --model tora --dataset gsm8k-test --map problem='\$.idx' --map 'text=\$.code[*]' --db '$dir/db' $q >'$dir/out.samples'"
		"'$COSEVAL' grade --db '$dir/db' $q >'$dir/out.grade'"
		"'$COSEVAL' report --db '$dir/db' --bootstrap 200 -o '$dir/report.csv' $q >'$dir/out.report'"
	)
	for i in "${!cmds[@]}"; do
		if [ "$mode" = file ]; then
			bash -c "${cmds[$i]} 2>'$dir/err.$i'" </dev/null || fail "$mode: '${cmds[$i]}' failed: $(cat "$dir/err.$i")"
		else
			on_tty "$dir/tty.$i" "${cmds[$i]}" || fail "$mode: '${cmds[$i]}' failed: $(tr '\r' '\n' <"$dir/tty.$i")"
		fi
	done
done

# on a terminal: one line per command, rewritten in place
grep -qF "import train.jsonl: " "$T/tty/tty.0" || fail "no import progress on the terminal: $(tr '\r' '\n' <"$T/tty/tty.0")"
grep -qE "import train.jsonl: [0-9.]+ [kMG]B of 4\.2 MB \([0-9]+%\), [0-9]+ records?" "$T/tty/tty.0" ||
	fail "import progress without bytes of the total and records: $(tr '\r' '\n' <"$T/tty/tty.0")"
grep -qE "import tora.jsonl.gz: [0-9.]+ [kMG]B of [0-9.]+ [kMG]B gzip \([0-9]+%\), [0-9]+ records?" "$T/tty/tty.2" ||
	fail "compressed import progress without the compressed bytes: $(tr '\r' '\n' <"$T/tty/tty.2")"
ok "import on a terminal: bytes read of the file's size (compressed bytes for gzip), records"
grep -qE "grade tora-70b: [0-9]+ of 1319 samples \([0-9]+%\)" "$T/tty/tty.3" ||
	fail "no grade progress (samples of the total) on the terminal: $(tr '\r' '\n' <"$T/tty/tty.3")"
ok "grade on a terminal: samples graded of the total"
grep -qF "report: pass 1 of 1 (tora-70b)" "$T/tty/tty.4" ||
	fail "no report progress (pass of passes) on the terminal: $(tr '\r' '\n' <"$T/tty/tty.4")"
ok "report on a terminal: which pass of how many"

# each progress line is cleared at the end: the terminal's last line is blank, ending at its start
for i in 0 1 2 3 4; do
	last=$(tr '\r' '\n' <"$T/tty/tty.$i" | tail -n 1)
	[ -z "$(printf '%s' "$last" | tr -d ' ')" ] || fail "command $i left '$last' on the terminal"
	[ "$(tail -c 1 "$T/tty/tty.$i" | od -An -c | tr -d ' ')" = '\r' ] || fail "command $i: the line does not end cleared"
	[ "$(tr -cd '\n' <"$T/tty/tty.$i" | wc -c)" = 0 ] || fail "command $i wrote a newline to standard error on success"
done
ok "the progress line is cleared at the end, and nothing else is written to standard error"

# not on a terminal, or with --quiet: nothing
for i in 0 1 2 3 4; do
	[ ! -s "$T/file/err.$i" ] || fail "command $i wrote to standard error in a file: $(tr '\r' '\n' <"$T/file/err.$i")"
	[ ! -s "$T/quiet/tty.$i" ] || fail "command $i with --quiet wrote to the terminal: $(tr '\r' '\n' <"$T/quiet/tty.$i")"
done
ok "no progress when standard error is a file, nor with --quiet on a terminal"

# the same results every way: standard output (the grade summary's time masked), database, report
for f in out.problems out.test out.samples out.report report.csv; do
	cmp -s "$T/tty/$f" "$T/file/$f" || fail "$f differs between a terminal and a file: $(diff "$T/tty/$f" "$T/file/$f")"
	cmp -s "$T/tty/$f" "$T/quiet/$f" || fail "$f differs with --quiet"
done
for mode in tty file quiet; do
	sed -E 's/, [0-9.]+ s$//' "$T/$mode/out.grade" >"$T/$mode/out.grade.masked"
done
cmp -s "$T/tty/out.grade.masked" "$T/file/out.grade.masked" || fail "grade's output differs between a terminal and a file"
cmp -s "$T/tty/out.grade.masked" "$T/quiet/out.grade.masked" || fail "grade's output differs with --quiet"
grep -qF "tora-70b: graded 1319 samples" "$T/tty/out.grade" || fail "grade did not grade 1319 samples: $(cat "$T/tty/out.grade")"
expect_eq "database on a terminal and in a file" "$(db_content "$T/file/db")" "$(db_content "$T/tty/db")"
expect_eq "database on a terminal with --quiet" "$(db_content "$T/file/db")" "$(db_content "$T/quiet/db")"
ok "standard output, database and report are the same on a terminal, in a file and with --quiet"

# an error after the progress line starts on a line of its own, and the database is left as it was
python3 - "$SAMPLES" "$T/bad.jsonl" <<'PY' || fail "python3 could not write the bad file"
import sys
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
lines[1000] = '{"idx": 1000, "code": ["unfinished'
open(sys.argv[2], 'w', encoding='utf-8').write('\n'.join(lines) + '\n')
PY
before=$(db_content "$T/tty/db")
on_tty "$T/tty/tty.bad" "'$COSEVAL' import samples '$T/bad.jsonl' --run bad --model m --dataset gsm8k-test --map problem='\$.idx' --map 'text=\$.code[*]' --db '$T/tty/db' >/dev/null"
status=$?
expect_eq "bad import's status" 3 "$status"
grep -qF "import bad.jsonl: " "$T/tty/tty.bad" || fail "no progress before the error"
tr '\r' '\n' <"$T/tty/tty.bad" | grep -qE "^coseval import: .*bad\.jsonl:1001" ||
	fail "the error message does not start its own line: $(tr '\r' '\n' <"$T/tty/tty.bad" | cat -A)"
expect_eq "database after the failed import" "$before" "$(db_content "$T/tty/db")"
ok "an error is written on a line cleared of the progress text"

# at most about five redraws a second: a bigger import, timed
python3 - "$SAMPLES" "$T/big.jsonl" <<'PY' || fail "python3 could not write the big file"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    for copy in range(40):
        for r in rows:
            out.write(json.dumps({"idx": r["idx"], "i": copy, "code": r["code"]}) + '\n')
PY
start=$(date +%s.%N)
on_tty "$T/tty/tty.big" "'$COSEVAL' import samples '$T/big.jsonl' --run big --model m --dataset gsm8k-test --map problem='\$.idx' --map index='\$.i' --map 'text=\$.code[*]' --db '$T/tty/db' >/dev/null" ||
	fail "the big import failed: $(tr '\r' '\n' <"$T/tty/tty.big")"
end=$(date +%s.%N)
draws=$(progress_lines "$T/tty/tty.big" "import big.jsonl: ")
python3 -c "import sys; s, e, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); sys.exit(0 if 1 <= n <= 5 * (e - s) + 3 else 1)" \
	"$start" "$end" "$draws" || fail "$draws progress lines in $(python3 -c "print(round($end - $start, 2))") s"
ok "a 52,760-record import: $draws progress lines in $(python3 -c "print(round($end - $start, 2))") s (at most five a second)"
echo "PASS $TEST_NAME"
