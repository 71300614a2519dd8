#!/usr/bin/env bash
# Checks --format json (one document that python's json module parses, with versions, database, runs and
# their sources) and that CSV and JSON numbers read back as the same doubles.
set -u
. "$(dirname "$0")/lib.sh"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
DB=$T/demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 "$COSEVAL" demo --db "$DB" --data "$DEMO_DIR"
expect_status 0 C grade

expect_status 0 C report --runs gsm8k-9b --k 1,2,3 --format json -o "$T/r.json"
expect_status 0 C report --runs gsm8k-9b --k 1,2,3 -o "$T/r.csv"
python3 - "$T/r.json" "$T/r.csv" "$DB" <<'PY' || fail "report JSON document or round trip"
import csv, json, os, sys
doc = json.load(open(sys.argv[1]))
for key in ('coseval_version', 'grader_version', 'options', 'database', 'runs', 'rows'):
    assert key in doc, key
assert doc['database'] == os.path.realpath(sys.argv[3]), doc['database']
assert doc['options']['k'] == '1,2,3'
run = doc['runs'][0]
assert run['name'] == 'gsm8k-9b' and run['sources'] and len(run['sources'][0]['sha256']) == 64
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == len(doc['rows'])
for c, j in zip(rows, doc['rows']):
    for f in ('value', 'lower', 'upper'):
        assert (c[f] == '' and j[f] is None) or float(c[f]) == j[f], (f, c[f], j[f])
PY
ok "report --format json: versions, options, database, runs with sources; CSV and JSON values equal as doubles"

for cmd in "pair --wc gsm8k-9b --se gsm8k-27b --se-k 1" "compare gsm8k-9b gsm8k-9b" \
	"table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1" "runs" "show --run gsm8k-9b" "fpr --run gsm8k-9b"; do
	# shellcheck disable=SC2086
	expect_status 0 C $cmd --format json
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['rows'] and d['runs'] and d['grader_version']" \
		"$OUT" || fail "$cmd --format json is not one document with rows and runs"
done
ok "pair, compare, table data, runs, show, fpr: --format json parses"
echo "PASS $TEST_NAME"
