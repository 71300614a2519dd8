#!/usr/bin/env bash
# Reading what is there: gzip, zstd and xz input equal to the plain import (same rows, same SHA-256), standard
# input, one JSON document with --records, an inspect_ai .eval archive, YAML files and a folder of them, and
# the errors for input that cannot be read (truncated, bzip2, too large once inflated, one JSON object).
set -u
. "$(dirname "$0")/lib.sh"

for tool in gzip zstd xz python3; do
	command -v $tool >/dev/null || fail "$tool is needed (third_party/debian-packages.txt)"
done
DB=$T/read.db
C() { "$COSEVAL" "$@" --db "$DB"; }

# --- compressed input equals the plain import ---------------------------------------------------------------
python3 - "$T" <<'EOF' || fail "python3 could not write the test files"
import json, sys
t = sys.argv[1]
with open(t + '/problems.jsonl', 'w') as f:
    for i in range(3000):
        f.write(json.dumps({"id": "p%d" % i, "question": "What is %d + %d?" % (i, i), "answer": str(2 * i)}) + "\n")
with open(t + '/samples.jsonl', 'w') as f:
    for i in range(3000):
        for k in range(2):
            f.write(json.dumps({"problem_id": "p%d" % i, "text": "The answer is %d." % (2 * i + k)}) + "\n")
EOF
gzip -k "$T/samples.jsonl"
zstd -q -k "$T/samples.jsonl"
xz -k "$T/samples.jsonl"
plain_sha=$(sha256sum "$T/samples.jsonl" | cut -d' ' -f1)

expect_status 0 C import problems "$T/problems.jsonl" --dataset toy
for ext in "" .gz .zst .xz; do
	run=r${ext#.}
	expect_status 0 C import samples "$T/samples.jsonl$ext" --run "${run:-rplain}" --model m --dataset toy
	expect_stdout_contains "imported 6000 samples of 3000 problems"
	expect_stdout_contains "sha256 $plain_sha"
done
rows() {
	sql "$DB" "SELECT p.problem_key, s.sample_index, s.text FROM samples s JOIN problems p ON p.id = s.problem_id
		   JOIN runs r ON r.id = s.run_id WHERE r.name = '$1' ORDER BY s.id" | sha256sum
}
want=$(rows r)
[ -n "$want" ] || fail "no rows for the plain import"
for run in rgz rzst rxz; do
	expect_eq "rows of $run equal the plain import's" "$want" "$(rows $run)"
done
expect_eq "imports record the decompressed SHA-256" 4 \
	"$(sql "$DB" "SELECT COUNT(*) FROM imports WHERE kind = 'samples' AND sha256 = '$plain_sha'")"
ok "gzip, zstd and xz imports equal the plain one: same rows, same SHA-256"

# the same dump compressed is recognised as the same file, before it is read
expect_status 0 C import samples "$T/samples.jsonl" --run again --model m --dataset toy
before=$(db_snapshot "$DB")
for ext in .gz .zst .xz; do
	expect_status 3 C import samples "$T/samples.jsonl$ext" --run again --model m --dataset toy
	expect_stderr_contains "refused: a file with the same SHA-256"
done
expect_eq "database unchanged by the refused imports" "$before" "$(db_snapshot "$DB")"
ok "a compressed copy of an imported dump is refused as the same file"

# --- standard input, plain and compressed -------------------------------------------------------------------
expect_status 0 C import samples - --run stdin-plain --model m --dataset toy <"$T/samples.jsonl"
expect_stdout_contains "sha256 $plain_sha"
expect_status 0 C import samples - --run stdin-zst --model m --dataset toy <"$T/samples.jsonl.zst"
expect_stdout_contains "imported 6000 samples of 3000 problems into run 'stdin-zst' from -"
expect_eq "stdin rows equal the plain import's" "$want" "$(rows stdin-zst)"
ok "standard input (-), plain and zstd-compressed"

# --- input that cannot be read ------------------------------------------------------------------------------
before=$(db_snapshot "$DB")
head -c $(($(stat -c %s "$T/samples.jsonl.gz") / 2)) "$T/samples.jsonl.gz" >"$T/truncated.jsonl.gz"
expect_status 3 C import samples "$T/truncated.jsonl.gz" --run bad --model m --dataset toy
expect_stderr_contains "the gzip-compressed data ends early (truncated file?)"
head -c $(($(stat -c %s "$T/samples.jsonl.zst") / 2)) "$T/samples.jsonl.zst" >"$T/truncated.jsonl.zst"
expect_status 3 C import samples "$T/truncated.jsonl.zst" --run bad --model m --dataset toy
expect_stderr_contains "the zstd-compressed data ends early"
head -c $(($(stat -c %s "$T/samples.jsonl.xz") / 2)) "$T/samples.jsonl.xz" >"$T/truncated.jsonl.xz"
expect_status 3 C import samples "$T/truncated.jsonl.xz" --run bad --model m --dataset toy
expect_stderr_contains "the xz-compressed data ends early"
if command -v bzip2 >/dev/null; then
	bzip2 -c "$T/samples.jsonl" >"$T/samples.jsonl.bz2"
	expect_status 3 C import samples "$T/samples.jsonl.bz2" --run bad --model m --dataset toy
	expect_stderr_contains "this is bzip2-compressed"
fi
# a line that inflates past the limit stops there (a few KB of gzip holding a 40 MB line)
python3 -c "import sys; sys.stdout.write('{\"problem_id\": \"p1\", \"text\": \"' + 'a' * (40 << 20) + '\"}\n')" |
	gzip -9 >"$T/bomb.jsonl.gz"
expect_status 3 C import samples "$T/bomb.jsonl.gz" --run bad --model m --dataset toy --max-line-mb 1
expect_stderr_contains "bomb.jsonl.gz:1: line is longer than the limit of 1048576 bytes"
expect_eq "database unchanged by unreadable input" "$before" "$(db_snapshot "$DB")"
ok "truncated gzip/zstd/xz, bzip2 and a gzip bomb are refused with exit 3, nothing written"

# a failed first import leaves no database behind
expect_status 3 "$COSEVAL" import problems "$T/truncated.jsonl.gz" --dataset toy --db "$T/fresh.db"
[ ! -e "$T/fresh.db" ] || fail "a failed first import left $T/fresh.db behind"
ok "a failed first import leaves no empty database"

# --- one JSON document --------------------------------------------------------------------------------------
cat >"$T/opencompass.json" <<'EOF'
{
  "0": {"origin_prompt": "What is 1 + 1?", "prediction": "The answer is 2.", "gold": "2"},
  "1": {"origin_prompt": "What is 2 + 2?", "prediction": "The answer is 5.", "gold": "4"}
}
EOF
expect_status 3 C import problems "$T/opencompass.json" --dataset oc
expect_stderr_contains "this file is one JSON object, not JSON lines: name its records with --records"
expect_status 0 C import problems "$T/opencompass.json" --dataset oc --records '$' --map id='$["@key"]' \
	--map question='$.origin_prompt' --map answer='$.gold'
expect_stdout_contains "imported 2 problems into dataset 'oc'"
expect_status 0 C import samples "$T/opencompass.json" --records '$' --run oc --model m --dataset oc \
	--map problem='$["@key"]' --map text='$.prediction'
expect_stdout_contains "imported 2 samples of 2 problems"
expect_eq "object records keep their keys" "0|The answer is 2.|2 1|The answer is 5.|4" \
	"$(sql "$DB" "SELECT p.problem_key || '|' || s.text || '|' || p.gold FROM samples s JOIN problems p ON p.id = s.problem_id
		      JOIN runs r ON r.id = s.run_id WHERE r.name = 'oc' ORDER BY p.problem_key" | tr '\n' ' ' | sed 's/ $//')"
expect_status 3 C import samples "$T/opencompass.json" --records '$.missing[*]' --run oc2 --model m --dataset oc \
	--map problem='$["@key"]' --map text='$.prediction'
expect_stderr_contains "--records \$.missing[*] finds nothing in this file"
expect_status 3 C import samples "$T/samples.jsonl" --records '$' --run oc2 --model m --dataset toy
expect_stderr_contains "--records is for a file that is one JSON document"
ok "one JSON object of records (OpenCompass style) with --records '\$' and @key"

# --- inspect_ai: the JSON log and the .eval archive ---------------------------------------------------------
python3 - "$T" <<'EOF' || fail "python3 could not write the inspect logs"
import json, sys, zipfile
t = sys.argv[1]
samples = []
for i, (q, a, out) in enumerate([("What is 6 * 7?", "42", "ANSWER: 42"), ("What is 5 - 7?", "-2", "ANSWER: 3")]):
    for epoch in (1, 2):
        samples.append({"id": i + 1, "epoch": epoch, "input": q, "target": a,
                        "output": {"model": "m", "choices": [{"message": {"role": "assistant", "content": out},
                                                              "stop_reason": "stop"}],
                                   "usage": {"input_tokens": 10, "output_tokens": 4}}})
log = {"version": 2, "status": "success", "eval": {"task": "toy"}, "samples": samples}
json.dump(log, open(t + '/log.json', 'w'), indent=2)
with zipfile.ZipFile(t + '/log.eval', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('header.json', json.dumps({k: v for k, v in log.items() if k != 'samples'}))
    for s in samples:
        z.writestr('samples/%d_epoch_%d.json' % (s['id'], s['epoch']), json.dumps(s))
with zipfile.ZipFile(t + '/bomb.eval', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('samples/1_epoch_1.json', '{"id": 1, "input": "' + 'a' * (40 << 20) + '"}')
EOF
# each problem comes once per epoch: --skip-existing keeps the first of the same question and answer
expect_status 0 C import problems "$T/log.json" --dataset insp --records '$.samples[*]' --map question='$.input' \
	--map answer='$.target' --skip-existing
expect_eq "inspect problems" 2 "$(sql "$DB" "SELECT COUNT(*) FROM problems WHERE dataset = 'insp'")"
expect_status 0 C import samples "$T/log.json" --preset inspect --run insp-json --model m --dataset insp
expect_stdout_contains "imported 4 samples of 2 problems"
expect_status 0 C import samples "$T/log.eval" --preset inspect --run insp-eval --model m --dataset insp
expect_stdout_contains "imported 4 samples of 2 problems"
expect_eq "inspect log and .eval archive give the same samples" \
	"$(sql "$DB" "SELECT p.problem_key, s.text, s.tokens, s.stopped FROM samples s JOIN problems p ON p.id = s.problem_id
		      JOIN runs r ON r.id = s.run_id WHERE r.name = 'insp-json' ORDER BY 1, 2, 3")" \
	"$(sql "$DB" "SELECT p.problem_key, s.text, s.tokens, s.stopped FROM samples s JOIN problems p ON p.id = s.problem_id
		      JOIN runs r ON r.id = s.run_id WHERE r.name = 'insp-eval' ORDER BY 1, 2, 3")"
expect_eq "inspect tokens" 16 "$(sql "$DB" "SELECT SUM(tokens) FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'insp-eval'")"
before=$(db_snapshot "$DB")
expect_status 3 C import samples "$T/bomb.eval" --preset inspect --run insp-bomb --model m --dataset insp --max-line-mb 1
expect_stderr_contains "samples/1_epoch_1.json in the archive is larger than the limit of 1048576 bytes"
expect_status 3 C import samples - --preset inspect --run insp-stdin --model m --dataset insp <"$T/log.eval"
expect_stderr_contains "this is a zip archive"
expect_eq "database unchanged by a bad archive" "$before" "$(db_snapshot "$DB")"
ok "inspect_ai JSON log and .eval archive (--preset inspect), bounded archive members"

# --- YAML: one file, and a folder in one transaction ---------------------------------------------------------
mkdir -p "$T/monkeys"
cat >"$T/monkeys/algebra_1.yaml" <<'EOF'
prompt: "Q: What is 2 + 3?\nA:"
question: What is 2 + 3?
gt_answer: '5'
samples:
- " 2 + 3 = 5. The answer is 5."
- " The answer is 6."
EOF
cat >"$T/monkeys/algebra_2.yaml" <<'EOF'
question: "What is 10 / 4?"
gt_answer: 2.5
samples:
- |
  10 / 4 = 2.5
  The answer is 2.5.
EOF
expect_status 0 C import problems "$T/monkeys/algebra_1.yaml" --dataset one --map id='$["@file"]' --map answer='$.gt_answer'
expect_stdout_contains "imported 1 problems into dataset 'one'"
expect_status 0 C import samples "$T/monkeys/algebra_1.yaml" --preset monkeys --run one --model m --dataset one
expect_stdout_contains "imported 2 samples of 1 problems"
expect_eq "YAML samples" "algebra_1|0| 2 + 3 = 5. The answer is 5. algebra_1|1| The answer is 6." \
	"$(sql "$DB" "SELECT p.problem_key || '|' || s.sample_index || '|' || s.text FROM samples s JOIN problems p ON p.id = s.problem_id
		      JOIN runs r ON r.id = s.run_id WHERE r.name = 'one' ORDER BY s.id" | tr '\n' ' ' | sed 's/ $//')"
gzip -k "$T/monkeys/algebra_2.yaml" && rm "$T/monkeys/algebra_2.yaml"
expect_status 0 C import problems "$T/monkeys" --dataset folder --map id='$["@file"]' --map answer='$.gt_answer'
expect_stdout_contains "imported 2 problems into dataset 'folder'"
expect_eq "YAML gold 2.5 read as a number" "2.5" "$(sql "$DB" "SELECT gold FROM problems WHERE dataset = 'folder' AND problem_key = 'algebra_2'")"
expect_status 0 C import samples "$T/monkeys" --preset monkeys --run folder --model m --dataset folder
expect_stdout_contains "imported 3 samples of 2 problems"
expect_status 3 C import samples "$T/monkeys" --preset monkeys --run folder --model m --dataset folder
expect_stderr_contains "refused: a file with the same SHA-256"
# a bad file anywhere in the folder: nothing of the folder is written
before=$(db_snapshot "$DB")
printf 'question: "broken\nsamples: [\n' >"$T/monkeys/zz_broken.yaml"
expect_status 3 C import samples "$T/monkeys" --preset monkeys --run folder2 --model m --dataset folder
expect_stderr_contains "zz_broken.yaml:"
expect_stderr_contains "YAML error"
rm "$T/monkeys/zz_broken.yaml"
echo "notes" >"$T/monkeys/README.txt"
expect_status 3 C import samples "$T/monkeys" --preset monkeys --run folder2 --model m --dataset folder
expect_stderr_contains "which is not a .yaml file"
rm "$T/monkeys/README.txt"
printf 'base: &a {x: 1}\nother: *a\n' >"$T/alias.yaml"
expect_status 3 C import samples "$T/alias.yaml" --preset monkeys --run folder2 --model m --dataset folder
expect_stderr_contains "anchors and aliases"
expect_eq "database unchanged by the bad folder" "$before" "$(db_snapshot "$DB")"
ok "YAML (--preset monkeys): one file, a folder with a compressed file in one transaction, bad files refused"


# --- a NUL character inside a JSON document (--records) or a YAML value is refused, nothing written ---------
before=$(db_snapshot "$DB")
printf '{"0": {"prediction": "The answer is 2.\\u0000 It is 3.", "k": "0"}}\n' >"$T/nul_doc.json"
expect_status 3 C import samples "$T/nul_doc.json" --records '$' --run nul1 --model m --dataset oc \
	--map problem='$["@key"]' --map text='$.prediction'
expect_stderr_contains "NUL"
mkdir -p "$T/nul_yaml"
printf 'question: What is 2 + 3?\nsamples:\n- "The answer is 5.\\0 Or 6."\n' >"$T/nul_yaml/algebra_1.yaml"
expect_status 3 C import samples "$T/nul_yaml/algebra_1.yaml" --preset monkeys --run nul2 --model m --dataset one
expect_stderr_contains "algebra_1.yaml:3: a YAML value holds a NUL character"
expect_eq "database unchanged by the NUL inputs" "$before" "$(db_snapshot "$DB")"
ok "a NUL character in a --records document or a YAML value: exit 3, nothing written"
echo "all intake-read checks passed"
