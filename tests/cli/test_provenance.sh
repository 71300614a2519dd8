#!/usr/bin/env bash
# Checks that a CSV report written with -o FILE (report, pair, compare, table data, table finetune) carries its
# provenance in FILE.provenance.json: the head of the same command's --format json document (versions, command,
# database, options, runs with their source files and SHA-256) and the CSV's own size and SHA-256; and that
# writing to standard output or in another format writes no such file.
set -u
. "$(dirname "$0")/lib.sh"

cd "$T" || fail "cd $T"
expect_status 0 "$COSEVAL" demo
DB=$T/coseval-demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }

# tags for the finetuning table: two students trained on the data of two teachers
for spec in gsm8k-9b:s1:wc gsm8k-27b:s1:se; do
	IFS=: read -r run student teacher <<<"$spec"
	sql "$DB" "INSERT INTO run_tags (run_id, key, value) SELECT id, 'student', '$student' FROM runs WHERE name = '$run';
		INSERT INTO run_tags (run_id, key, value) SELECT id, 'trained_on', '$teacher' FROM runs WHERE name = '$run'" >/dev/null
done

# check_provenance NAME ARGS...: runs `coseval ARGS -o NAME.csv` and `coseval ARGS --format json -o NAME.json`
# and compares the CSV's provenance file with the JSON document's head.
check_provenance() {
	local name=$1
	shift
	rm -f "$T/$name.csv" "$T/$name.csv.provenance.json"
	expect_status 0 C "$@" -o "$T/$name.csv"
	[ -f "$T/$name.csv.provenance.json" ] || fail "$*: no $name.csv.provenance.json beside $name.csv"
	[ ! -e "$T/$name.csv.provenance.json.tmp" ] && [ ! -e "$T/$name.csv.tmp" ] || fail "$*: a temporary file is left"
	expect_status 0 C "$@" --format json -o "$T/$name.json"
	python3 - "$T/$name.csv" "$T/$name.csv.provenance.json" "$T/$name.json" "$DB" <<'PY' || fail "$*: provenance"
import hashlib, json, os, sys
csv_path, prov_path, json_path, db = sys.argv[1:]
prov = json.load(open(prov_path))
doc = json.load(open(json_path))
for key in ('coseval_version', 'grader_version', 'command', 'database', 'runs'):
    assert key in prov, ('missing', key)
    assert prov[key] == doc[key], (key, prov[key], doc[key])
assert prov['runs'] and all(s['sha256'] and len(s['sha256']) == 64 for r in prov['runs'] for s in r['sources']), prov['runs']
# the options as given: the same but for the output and the format
def given(options):
    return {k: v for k, v in options.items() if k not in ('output', 'format')}
assert given(prov['options']) == given(doc['options']), (prov['options'], doc['options'])
assert prov['options']['output'] == csv_path, prov['options']
assert 'rows' not in prov, 'rows in the provenance'
data = open(csv_path, 'rb').read()
assert prov['csv'] == {'file': csv_path, 'bytes': len(data), 'sha256': hashlib.sha256(data).hexdigest()}, prov['csv']
assert prov['database'] == os.path.realpath(db), prov['database']
PY
}

check_provenance report report --runs gsm8k-9b,math-9b --k 1,2
ok "report -o FILE.csv: FILE.csv.provenance.json holds the JSON head (versions, command, database, options, runs) and the CSV's SHA-256"
check_provenance pair pair --wc gsm8k-9b --se gsm8k-27b --se-k 1
check_provenance compare compare gsm8k-9b gsm8k-27b
check_provenance data table data --pairs gsm8k-9b:gsm8k-27b,math-9b:math-27b --budgets low=1
check_provenance finetune table finetune --runs gsm8k-9b,gsm8k-27b
ok "pair, compare, table data and table finetune: the same provenance beside their CSV"

# the format from the file name (table: .csv) and compare's default CSV for -o
expect_status 0 C table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1 -o "$T/named.csv"
[ -f "$T/named.csv.provenance.json" ] || fail "table data -o named.csv: no provenance"
ok "CSV chosen by the file name has its provenance too"

# no provenance for standard output or for other formats
expect_status 0 C report --runs gsm8k-9b --format csv
expect_status 0 C report --runs gsm8k-9b --format table -o "$T/plain.txt"
expect_status 0 C table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1 -o "$T/table.md"
expect_status 0 C report --runs gsm8k-9b --format json -o "$T/doc.json"
for f in "$T"/*.provenance.json; do
	case $f in
	*/report.csv.provenance.json | */pair.csv.provenance.json | */compare.csv.provenance.json | \
		*/data.csv.provenance.json | */finetune.csv.provenance.json | */named.csv.provenance.json) ;;
	*) fail "an unexpected provenance file: $f" ;;
	esac
done
ok "no provenance file for standard output, Markdown, a text table or JSON"

# a CSV that cannot be written leaves neither file
expect_status 3 C report --runs gsm8k-9b -o "$T/no-such-dir/r.csv"
[ ! -e "$T/no-such-dir" ] || fail "a folder was created"
ok "a CSV that cannot be written: exit 3, no provenance"
echo "PASS $TEST_NAME"
