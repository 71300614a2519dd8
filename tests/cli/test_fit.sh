#!/usr/bin/env bash
# Checks `coseval fit` on the real Qwen2.5-Math run: its figures against an independent python computation,
# determinism, JSON and CSV output, the never-solved case, and the usage and data errors.
set -u
. "$(dirname "$0")/lib.sh"
skip_if_no_data

DB=$T/fit.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 C import problems "$DATA/tora/math_test.jsonl" --dataset MATH
expect_status 0 C import samples "$DATA/qwen25_math/math_cot_100.jsonl" --run qwen25-math-cot --model qwen2.5-math \
	--dataset MATH --match question --map question='$.question' --map 'text=$.code[*]' --map 'label=$.score[*]'
# a run of the first 20 problems in which no sample is right: every text boxes a number no gold answer is
python3 - "$DATA/qwen25_math/math_cot_100.jsonl" "$T/never.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for line in list(f)[:20]:
        r = json.loads(line)
        out.write(json.dumps({"question": r["question"], "code": ["So the answer is \\boxed{987654.321}."] * 4}) + "\n")
EOF
expect_status 0 C import samples "$T/never.jsonl" --run never --model none --dataset MATH --match question \
	--map question='$.question' --map 'text=$.code[*]'
expect_status 0 C grade

# the table: both models, the measured coverage@8 and the predictions
expect_status 0 C fit --runs qwen25-math-cot --k-fit 1..4 --predict 1000,1e6
expect_stdout_contains "run qwen25-math-cot (qwen2.5-math): 100 problems, 800 samples; fitted on the first 4 samples of each problem (400 samples)"
expect_stdout_contains "fitted at k = 1,2,4"
expect_stdout_contains "1000000"
ok "fit prints the table"

# CSV: recompute from the grades in python: the measured coverage@8, the beta-binomial coverage from the printed a
# and b, the power law from c and d, a and b a maximum of the likelihood of the first 4 samples, every interval
# around its value
expect_status 0 C fit --runs qwen25-math-cot --k-fit 1..4 --predict 1000,1e6 -o "$T/fit.csv"
[ -f "$T/fit.csv.provenance.json" ] || fail "no provenance beside the CSV"
res=$(python3 - "$DB" "$T/fit.csv" <<'EOF'
import csv, math, sqlite3, sys
db, path = sys.argv[1:3]
con = sqlite3.connect(db)
probs = {}
for pid, idx, verdict in con.execute("""SELECT s.problem_id, s.sample_index, g.verdict FROM samples s
        JOIN runs r ON r.id = s.run_id JOIN grades g ON g.sample_id = s.id WHERE r.name = 'qwen25-math-cot'
        ORDER BY s.problem_id, s.sample_index"""):
    probs.setdefault(pid, []).append(verdict == 'correct')
rows = list(csv.DictReader(open(path)))
assert [r['run'] for r in rows] == ['qwen25-math-cot'] * len(rows)
get = lambda fit, par, k='': [r for r in rows if r['fit'] == fit and r['parameter'] == par and r['k'] == k][0]
a, b = float(get('beta-binomial', 'a')['value']), float(get('beta-binomial', 'b')['value'])
c, d = float(get('power-law', 'c')['value']), float(get('power-law', 'd')['value'])
meas = float(get('measured', 'coverage', '8')['value'])
want = sum(any(s) for s in probs.values()) / len(probs)
assert abs(meas - want) < 1e-12, (meas, want)
def beta_cov(k):
    return 1 - math.exp(math.lgamma(b + k) + math.lgamma(a + b) - math.lgamma(b) - math.lgamma(a + b + k))
for k in ('8', '1000', '1000000'):
    got = float(get('beta-binomial', 'coverage', k)['value'])
    assert abs(got - beta_cov(int(k))) < 1e-6, (k, got, beta_cov(int(k)))
    got = float(get('power-law', 'coverage', k)['value'])
    assert abs(got - math.exp(c * int(k) ** d)) < 1e-9, (k, got)
counts = [(min(len(s), 4), sum(s[:4])) for s in probs.values()]
def ll(a, b):
    return sum(math.lgamma(c + a) - math.lgamma(a) + math.lgamma(n - c + b) - math.lgamma(b)
               - math.lgamma(n + a + b) + math.lgamma(a + b) for n, c in counts)
best = ll(a, b)
for da in (0.99, 1, 1.01):
    for db_ in (0.99, 1, 1.01):
        assert ll(a * da, b * db_) <= best + 1e-9, (da, db_)
for r in rows:
    if r['lower'] != '':
        assert float(r['lower']) <= float(r['value']) <= float(r['upper']), r
assert get('beta-binomial', 'a')['lower'] != ''
print(len(rows), "rows; measured", meas)
EOF
) || fail "fit CSV does not match the python computation: $res"
expect_eq "fit CSV" "11 rows; measured 0.98" "$res"
ok "fit CSV: measured coverage@8, beta-binomial and power-law coverage, a and b a likelihood maximum"

# the same seed gives the same bytes; another seed other intervals but the same points
expect_status 0 C fit --runs qwen25-math-cot --k-fit 2 --format csv
cp "$OUT" "$T/a.csv"
expect_status 0 C fit --runs qwen25-math-cot --k-fit 1..2 --format csv
cmp -s "$OUT" "$T/a.csv" || fail "--k-fit 2 and 1..2 differ, or the same seed gave other figures"
expect_status 0 C fit --runs qwen25-math-cot --k-fit 2 --format csv --seed 7
cmp -s "$OUT" "$T/a.csv" && fail "--seed 7 gave the same intervals as seed 1"
expect_eq "points do not depend on the seed" "$(cut -d, -f1-7 "$T/a.csv")" "$(cut -d, -f1-7 "$OUT")"
ok "fit is deterministic for a seed"

# JSON, with the never-solved run: a point mass at 0, a and b null, coverage 0
expect_status 0 C fit --runs qwen25-math-cot,never --format json --bootstrap 100
res=$(python3 - "$OUT" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc['command'] == 'fit' and [r['name'] for r in doc['runs']] == ['qwen25-math-cot', 'never']
never = [r for r in doc['rows'] if r['run'] == 'never']
ab = [r for r in never if r['parameter'] in ('a', 'b')]
assert all(r['value'] is None for r in ab), ab
cov = [r for r in never if r['parameter'] == 'coverage']
assert cov and all(r['value'] == 0 for r in cov), cov
assert 'point mass at p = 0' in never[0]['note'], never[0]['note']
print(len(doc['rows']))
EOF
) || fail "fit JSON: $res"
ok "fit JSON: two runs, the never-solved one a point mass at 0 with a and b null"
expect_status 0 C fit --runs never
expect_stdout_contains "a = -, b = -"
expect_stdout_contains "note: No sample in the window is correct"
if grep -qi "nan" "$OUT"; then fail "NaN printed for the never-solved run"; fi
ok "fit prints '-' for undefined figures, never nan"

# errors: an unknown run (exit 3, did you mean), bad --k-fit, --predict, --format, no --runs (exit 2)
expect_status 3 C fit --runs qwen25-math-co
expect_stderr_contains "no run 'qwen25-math-co'; did you mean 'qwen25-math-cot'?"
expect_status 3 C fit --runs qwen25-math-cot,nevr
expect_stderr_contains "did you mean 'never'?"
[ -s "$OUT" ] && fail "an unknown run still printed a table"
for bad in 1..1 1 0 2..4 1..x abc 1..; do
	expect_status 2 C fit --runs qwen25-math-cot --k-fit "$bad"
	expect_stderr_contains "--k-fit wants 1..K with K >= 2"
done
for bad in 0 1.5 1000, x 2e12; do
	expect_status 2 C fit --runs qwen25-math-cot --predict "$bad"
	expect_stderr_contains "--predict wants"
done
expect_status 2 C fit --runs qwen25-math-cot --format xml
expect_status 2 C fit
expect_stderr_contains "--runs"
expect_status 0 "$COSEVAL" fit --help
expect_stdout_contains "--k-fit"
ok "fit errors: unknown run exit 3 with a suggestion, bad options exit 2"

# pair --crossover on the demo runs: where the curves of `coseval fit` meet at 3 WC samples per SE sample
DEMO=$T/demo.db
expect_status 0 "$COSEVAL" demo --db "$DEMO" --data "$(cd "$(dirname "$0")/../../datasets/demo" && pwd)"
expect_status 0 "$COSEVAL" grade --db "$DEMO"
expect_status 0 "$COSEVAL" pair --wc gsm8k-9b --se gsm8k-27b --se-k 1 --crossover --db "$DEMO"
expect_stdout_contains "crossover of the fitted curves (fitted on all samples: WC 6, SE 2 per problem), params-matched at 3 WC samples per SE sample, 24 shared problems:"
expect_stdout_contains "beta-binomial  WC falls to SE at"
expect_stdout_contains "FLOPs per problem SE"
expect_stdout_contains "USD per problem SE"
expect_status 0 "$COSEVAL" pair --wc gsm8k-9b --se gsm8k-27b --se-k 1 --crossover --format csv --db "$DEMO"
cp "$OUT" "$T/cross.csv"
expect_status 0 "$COSEVAL" fit --runs gsm8k-9b,gsm8k-27b --format csv --predict 10 --bootstrap 2 --db "$DEMO"
res=$(python3 - "$T/cross.csv" "$OUT" <<'EOF'
import csv, math, sys
cross = [r for r in csv.DictReader(open(sys.argv[1])) if r['metric'].startswith('crossover')]
assert [r['metric'] for r in cross] == [
    'crossover:beta-binomial:wc-falls', 'crossover-flops:beta-binomial:wc-falls', 'crossover-usd:beta-binomial:wc-falls',
    'crossover:power-law:wc-falls', 'crossover-flops:power-law:wc-falls', 'crossover-usd:power-law:wc-falls'], cross
fit = {(r['run'], r['parameter']): float(r['value']) for r in csv.DictReader(open(sys.argv[2])) if r['k'] == ''}
s = float(cross[0]['se'])
assert abs(float(cross[0]['wc']) - 3 * s) < 1e-9 * s
assert float(cross[0]['se_lower']) <= s <= float(cross[0]['se_upper'])
def cov(run, k):
    a, b = fit[(run, 'a')], fit[(run, 'b')]
    return 1 - math.exp(math.lgamma(b + k) + math.lgamma(a + b) - math.lgamma(b) - math.lgamma(a + b + k))
assert abs(cov('gsm8k-9b', 3 * s) - cov('gsm8k-27b', s)) < 1e-6, (cov('gsm8k-9b', 3 * s), cov('gsm8k-27b', s))
assert cov('gsm8k-9b', 3 * s / 1.05) > cov('gsm8k-27b', s / 1.05)
def law(run, k):
    return math.exp(fit[(run, 'c')] * k ** fit[(run, 'd')])
p = float(cross[3]['se'])
assert abs(law('gsm8k-9b', 3 * p) - law('gsm8k-27b', p)) < 1e-6
print("crossover at %.4g SE samples" % s)
EOF
) || fail "pair --crossover does not match the fitted curves: $res"
ok "pair --crossover: $res, where the fitted curves of coseval fit meet"
expect_status 0 "$COSEVAL" pair --wc gsm8k-9b --se gsm8k-27b --se-k 1 --crossover --format json --db "$DEMO"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
c = d['crossover']
assert [x['fit'] for x in c] == ['beta-binomial', 'power-law'] and c[0]['crossed'] is True, c
assert c[0]['flops_per_problem']['se'] > 0 and c[0]['usd_per_problem']['wc'] > 0, c
" "$OUT" || fail "pair --crossover JSON"
ok "pair --crossover JSON"

# plot --fit: a dashed fitted curve per run past the data, and its legend line
expect_status 0 "$COSEVAL" plot coverage --runs gsm8k-9b,gsm8k-27b --fit -o "$T/fit.svg" --db "$DEMO"
expect_eq "dashed fitted curves" 2 "$(grep -c '<polyline.*stroke-dasharray="6,4"' "$T/fit.svg")"
grep -q 'dashed: beta-binomial fit' "$T/fit.svg" || fail "plot --fit: no legend line for the fit"
grep -q '>512<' "$T/fit.svg" || fail "plot --fit: the x axis does not reach past the data (to 600 samples)"
expect_status 0 "$COSEVAL" plot coverage --runs gsm8k-9b,gsm8k-27b -o "$T/nofit.svg" --db "$DEMO"
grep -q 'stroke-dasharray="6,4"' "$T/nofit.svg" && fail "plot without --fit draws a fitted curve"
expect_status 2 "$COSEVAL" plot diversity --runs gsm8k-9b --fit -o "$T/x.svg" --db "$DEMO"
expect_stderr_contains "--fit draws fitted coverage"
expect_status 2 "$COSEVAL" plot coverage --runs gsm8k-9b --fit --by level -o "$T/x.svg" --db "$DEMO"
ok "plot --fit draws the fitted curves past the data; not with diversity or --by"

echo "PASS $TEST_NAME"
