#!/usr/bin/env bash
# End-to-end test of `coseval grade --stream`: verdicts equal the database grader's, order is kept across
# threads, a bad line stops the stream with its line number, and the stream works under `parallel --pipe`.
source "$(dirname "$0")/lib.sh"

DB=$T/demo.db
expect_status 0 "$COSEVAL" demo --db "$DB"

# the demo samples with their gold answers, one per line, as a map step would receive them
for ds in gsm8k math; do
	sql "$DB" "SELECT json_object('id', r.name || '|' || p.problem_key || '|' || s.sample_index, 'gold', p.gold,
		'text', s.text) FROM samples s JOIN problems p ON p.id = s.problem_id JOIN runs r ON r.id = s.run_id
		WHERE r.dataset = '$ds-demo' ORDER BY r.name, p.id, s.sample_index" >"$T/$ds.jsonl"
	expect_status 0 "$COSEVAL" grade --stream --profile "$ds" --threads 2
	[ -s "$OUT" ] && fail "grade --stream without input wrote something"
	"$COSEVAL" grade --stream --profile "$ds" --threads 2 <"$T/$ds.jsonl" >"$T/$ds.out" 2>"$ERR" ||
		fail "grade --stream on the $ds demo samples failed: $(cat "$ERR")"
	expect_eq "$ds verdict lines" "$(wc -l <"$T/$ds.jsonl")" "$(wc -l <"$T/$ds.out")"
	for run in "$ds-9b" "$ds-27b"; do
		expect_status 0 "$COSEVAL" show --db "$DB" --run "$run" --format jsonl
		sed "s/^/$run\t/" "$OUT" >>"$T/show.$ds"
	done
	python3 - "$T/show.$ds" "$T/$ds.out" <<'PY' || fail "stream verdicts differ from coseval grade on $ds"
import json, sys
stored = {}
for line in open(sys.argv[1], encoding="utf-8"):
    run, obj = line.rstrip("\n").split("\t", 1)
    o = json.loads(obj)
    stored[f"{run}|{o['problem_id']}|{o['sample_index']}"] = o
n = 0
for line in open(sys.argv[2], encoding="utf-8"):
    v = json.loads(line)
    s = stored.pop(v["id"])
    for f in ("answer", "canonical", "verdict", "rule", "reason", "grader_version"):
        # show writes "" where the store holds NULL; the stream writes null
        if (s[f] or None) != (v[f] or None):
            sys.exit(f"{v['id']}: {f}: grade stored {s[f]!r}, stream wrote {v[f]!r}")
    n += 1
if stored:
    sys.exit(f"{len(stored)} samples without a stream verdict")
print(f"{n} verdicts equal")
PY
	ok "$ds: grade --stream verdicts equal coseval grade + show --format jsonl"
done

# order: many lines through 1 and 2 threads give the same bytes, ids in input order
python3 - "$T/math.jsonl" "$T/big.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for k in range(40 * len(rows)):
        r = dict(rows[k % len(rows)])
        r["id"] = k
        out.write(json.dumps(r) + "\n")
PY
"$COSEVAL" grade --stream --profile math --threads 1 <"$T/big.jsonl" >"$T/big1.out" || fail "stream, 1 thread"
"$COSEVAL" grade --stream --profile math --threads 2 <"$T/big.jsonl" >"$T/big2.out" || fail "stream, 2 threads"
cmp -s "$T/big1.out" "$T/big2.out" || fail "--threads 1 and --threads 2 wrote different verdicts"
ids=$(python3 -c 'import json,sys; ids=[json.loads(l)["id"] for l in open(sys.argv[1])]; print(ids == list(range(len(ids))), len(ids))' "$T/big2.out")
expect_eq "ids in input order" "True $(wc -l <"$T/big.jsonl")" "$ids"
ok "order kept with --threads 2 ($(wc -l <"$T/big.jsonl") lines)"

# --map, numeric gold, blank lines, id echoed as given, absent id -> null
printf '{"q":{"out":"so the answer is $\\\\frac{1}{2}$"},"ref":"0.5","key":[1,2]}\n\n{"q":{"out":"#### 7"},"ref":7,"key":"b"}\n' \
	>"$T/mapped.jsonl"
expect_status 0 "$COSEVAL" grade --stream --profile math --map 'text=$.q.out' --map 'gold=$.ref' --map 'id=$.key' \
	<"$T/mapped.jsonl"
expect_eq "mapped verdict lines" 2 "$(wc -l <"$OUT")"
expect_stdout_contains '{"id":[1,2],"answer":"\\frac{1}{2}","canonical":"0.5"'
expect_stdout_contains '{"id":"b","answer":"7","canonical":"7","verdict":"correct"'
printf '{"text":"#### 7","answer":7}\n' | "$COSEVAL" grade --stream --profile gsm8k >"$OUT" || fail "answer as gold"
expect_stdout_contains '{"id":null,"answer":"7"'
ok "--map, numeric gold, blank lines, ids"

# a bad line stops the stream: the verdicts before it are written, exit 3 names the line and field
python3 - "$T/big.jsonl" "$T/bad.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[:2000]
r = json.loads(lines[1499]); del r["text"]; lines[1499] = json.dumps(r)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
expect_status 3 "$COSEVAL" grade --stream --profile math --threads 2 <"$T/bad.jsonl"
expect_stderr_contains '<stdin>:1500: field "text" missing'
expect_eq "verdicts written before the bad line" 1499 "$(wc -l <"$OUT")"
printf '{"gold":"1","text":"1"}\n{"gold":"1",\n' >"$T/bad2.jsonl"
expect_status 3 "$COSEVAL" grade --stream <"$T/bad2.jsonl"
expect_stderr_contains '<stdin>:2: malformed JSON'
printf '{"gold":"1","text":3}\n' >"$T/bad3.jsonl"
expect_status 3 "$COSEVAL" grade --stream <"$T/bad3.jsonl"
expect_stderr_contains '<stdin>:1:'
expect_stderr_contains 'text'
printf '{"text":"1"}\n' >"$T/bad4.jsonl"
expect_status 3 "$COSEVAL" grade --stream <"$T/bad4.jsonl"
expect_stderr_contains '<stdin>:1: field "gold" missing'
printf '{"gold":"1","text":"1"} trailing\n' >"$T/bad5.jsonl"
expect_status 3 "$COSEVAL" grade --stream <"$T/bad5.jsonl"
expect_stderr_contains '<stdin>:1: malformed JSON'
printf '{"gold":"1","text":"1"}\n' >"$T/bad6.jsonl"
expect_status 3 "$COSEVAL" grade --stream --map 'id=$.key' <"$T/bad6.jsonl"
expect_stderr_contains '<stdin>:1: field "id" ($.key) missing'
ok "a bad line: exit 3 naming <stdin>:LINE and the field, verdicts before it written"

expect_status 2 "$COSEVAL" grade --stream --profile nope </dev/null
expect_status 2 "$COSEVAL" grade --stream --db "$DB" </dev/null
expect_status 2 "$COSEVAL" grade --stream --answer-pattern '(' </dev/null
ok "usage errors exit 2"

if command -v parallel >/dev/null && parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	parallel --pipe -k --block 200k -j 2 "$COSEVAL" grade --stream --profile math --threads 1 \
		<"$T/big.jsonl" >"$T/par.out" || fail "parallel --pipe failed"
	cmp -s "$T/big1.out" "$T/par.out" || fail "parallel --pipe -k gave different verdicts"
	ok "parallel --pipe -k equals one stream"
else
	echo "SKIP parallel --pipe: GNU parallel is not installed"
fi

# compressed input is read as the plain lines it holds
for z in gzip zstd xz; do
	command -v "$z" >/dev/null || fail "$z is needed (third_party/debian-packages.txt)"
	"$z" -c <"$T/math.jsonl" >"$T/math.jsonl.$z"
	"$COSEVAL" grade --stream --profile math <"$T/math.jsonl.$z" >"$T/math.$z.out" 2>"$ERR" ||
		fail "grade --stream on $z input: $(cat "$ERR")"
	cmp -s "$T/math.out" "$T/math.$z.out" || fail "grade --stream on $z input gave other verdicts"
done
head -c 300 "$T/math.jsonl.gzip" >"$T/cut.gz"
expect_status 3 "$COSEVAL" grade --stream --profile math <"$T/cut.gz"
expect_stderr_contains 'gzip'
ok "gzip, zstd and xz input give the verdicts of the plain lines; a truncated gzip stream is exit 3"

printf '{"gold":"2","text":"The answer is 2.\\u0000 No, 3."}\n' >"$T/nul.jsonl"
expect_status 3 "$COSEVAL" grade --stream --profile math <"$T/nul.jsonl"
expect_stderr_contains '<stdin>:1: field $.text holds a NUL character'
ok "stream: a NUL character escaped in a text is refused, line and field named"

# a key written twice: coseval's JSON reader would take the first value, Python's the last; refused, named
printf '{"gold":"2","text":"The answer is 2."}\n{"gold":"3","text":"The answer is 2.","text":"The answer is 3."}\n' \
	>"$T/dupkey.jsonl"
expect_status 3 "$COSEVAL" grade --stream --profile math <"$T/dupkey.jsonl"
expect_stderr_contains '<stdin>:2: field "text" ($.text): key "text" occurs twice in the same object'
printf '{"gold":"2","gold":"3","text":"The answer is 3."}\n' >"$T/dupgold.jsonl"
expect_status 3 "$COSEVAL" grade --stream --profile math <"$T/dupgold.jsonl"
expect_stderr_contains 'key "gold" occurs twice'
ok "stream: a key written twice in a record is refused, line and field named"
