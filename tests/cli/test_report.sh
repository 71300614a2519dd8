#!/usr/bin/env bash
# Checks report, pair and plan numbers against an independent python computation from the grades in the database.
set -u
. "$(dirname "$0")/lib.sh"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
DB=$T/demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 "$COSEVAL" demo --db "$DB" --data "$DEMO_DIR"
expect_status 0 C grade

# check_report DB RUN CSV UNIQUE [SLICE_COLUMN]: recomputes every value of a report CSV from the grades (sqlite3 module,
# math.comb, brute-force maj@k over all k-subsets) and checks the CSV's columns, intervals and identities.
cat >"$T/check_report.py" <<'EOF'
import csv, itertools, math, re, sqlite3, sys
db, run, path, unique = sys.argv[1:5]
con = sqlite3.connect(db)
rows = con.execute("""SELECT s.problem_id, s.sample_index, g.verdict, g.canonical, CAST(s.text AS BLOB), p.subject, p.level
    FROM samples s JOIN runs r ON r.id = s.run_id JOIN grades g ON g.sample_id = s.id JOIN problems p ON p.id = s.problem_id
    WHERE r.name = ? ORDER BY s.problem_id, s.sample_index""", (run,)).fetchall()
model = con.execute("SELECT model FROM runs WHERE name = ?", (run,)).fetchone()[0]
probs = {}
for pid, _, verdict, canon, text, subject, level in rows:
    probs.setdefault(pid, {'s': [], 'subject': subject, 'level': level})['s'].append((verdict, canon, bytes(text)))

def norm(b):  # white space runs folded, trimmed, ASCII lower case (the documented "normalized")
    return re.sub(rb'[ \t\n\v\f\r]+', b' ', b).strip(b' \t\n\v\f\r').lower()

def key(s):
    return {'exact': s[2], 'normalized': norm(s[2]), 'answer': s[1]}[unique]

def comb_ratio(n, m, k):
    return math.comb(n - m, k) / math.comb(n, k)

def maj(samples, k):
    total = 0.0
    subsets = list(itertools.combinations(samples, k))
    for sub in subsets:
        groups = {}
        for v, c, _ in sub:
            if v != 'no-answer' and c is not None:
                groups.setdefault(c, [0, v == 'correct'])[0] += 1
        if not groups:
            continue
        top = max(g[0] for g in groups.values())
        tied = [g for g in groups.values() if g[0] == top]
        total += sum(1 for g in tied if g[1]) / len(tied)
    return total / len(subsets)

def values(metric, k, ps):
    out = []
    for p in ps:
        s = p['s']; n = len(s); c = sum(1 for x in s if x[0] == 'correct')
        if metric == 'pass@1':
            out.append(c / n); continue
        if n < k:
            continue
        if metric == 'coverage':
            out.append(1 - comb_ratio(n, c, k))
        elif metric == 'diversity':
            m = {}
            for x in s:
                if x[0] == 'correct':
                    m[key(x)] = m.get(key(x), 0) + 1
            out.append(sum(1 - comb_ratio(n, mu, k) for mu in m.values()))
        elif metric == 'maj':
            out.append(maj(s, k))
    return out

def slice_of(p, name):
    if name == 'all':
        return True
    field, val = name.split('=', 1)
    have = p[field]
    return (str(have) if have is not None else 'unknown') == val

with open(path, newline='', encoding='utf-8') as f:
    r = csv.reader(f)
    header = next(r)
    want = 'metric,run,model,slice,k,value,lower,upper,problems,samples,excluded,options'.split(',')
    if header != want:
        sys.exit(f"header {header} != {want}")
    # the false-positive-rate rows (the demo has judgments) are checked in test_judgments.sh
    recs = [dict(zip(header, row)) for row in r]
    recs = [rec for rec in recs if rec['metric'] != 'fpr']
errors, got = [], {}
for rec in recs:
    if rec['run'] != run or rec['model'] != model:
        errors.append(f"row for run {rec['run']} model {rec['model']}")
        continue
    if f"unique={unique}" not in rec['options']:
        errors.append(f"options {rec['options']!r} do not say unique={unique}")
    k = int(rec['k'])
    ps = [p for p in probs.values() if slice_of(p, rec['slice'])]
    vals = values(rec['metric'], k, ps)
    used = len(vals); excluded = len(ps) - used
    nsamp = sum(len(p['s']) for p in ps if rec['metric'] == 'pass@1' or len(p['s']) >= k)
    tag = f"{rec['metric']}@{k} slice {rec['slice']}"
    if (int(rec['problems']), int(rec['samples']), int(rec['excluded'])) != (used, nsamp, excluded):
        errors.append(f"{tag}: problems/samples/excluded {rec['problems']}/{rec['samples']}/{rec['excluded']}, "
                      f"expected {used}/{nsamp}/{excluded}")
    if used == 0:
        if rec['value'] or rec['lower'] or rec['upper']:
            errors.append(f"{tag}: a value with no problems: {rec}")
        continue
    want_v = sum(vals) / used
    v, lo, hi = float(rec['value']), float(rec['lower']), float(rec['upper'])
    if abs(v - want_v) > 1e-6:
        errors.append(f"{tag}: value {v}, python {want_v:.9f}")
    if not (lo <= v <= hi):
        errors.append(f"{tag}: interval [{lo}, {hi}] does not hold {v}")
    got[(rec['metric'], rec['slice'], k)] = v
for (m, sl, k), v in got.items():
    if m == 'coverage' and k == 1:
        for other in ('pass@1', 'diversity', 'maj'):
            o = got.get((other, sl, 1))
            if o is not None and abs(o - v) > 1e-9:
                errors.append(f"slice {sl}: coverage@1 {v} != {other}@1 {o}")
    if m == 'coverage':
        for (m2, sl2, k2), v2 in got.items():
            if m2 == 'coverage' and sl2 == sl and k2 > k and v2 < v - 1e-12:
                errors.append(f"slice {sl}: coverage@{k2} {v2} < coverage@{k} {v}")
slices = sorted({rec['slice'] for rec in recs if rec['metric'] == 'pass@1' and rec['slice'] != 'all'})
if slices:
    total = sum(int(rec['problems']) for rec in recs if rec['metric'] == 'pass@1' and rec['slice'] != 'all')
    if total != len(probs):
        errors.append(f"slices {slices} hold {total} problems, the run has {len(probs)}")
for e in errors:
    print(e, file=sys.stderr)
print(f"{len(recs)} rows, {len(slices)} slices")
sys.exit(1 if errors else 0)
EOF
check_report() {
	python3 "$T/check_report.py" "$@" >"$T/check.out" || fail "report CSV $3 ($2, unique=$4) disagrees with python (above)"
	cat "$T/check.out"
}

# --- report on the demo ---------------------------------------------------------------------------------------
for u in exact normalized answer; do
	expect_status 0 C report --runs gsm8k-9b --k 1,2,6 --unique "$u" -o "$T/r.$u.csv"
	[ -s "$T/r.$u.csv" ] || fail "report -o wrote nothing"
	res=$(check_report "$DB" gsm8k-9b "$T/r.$u.csv" "$u")
	expect_eq "rows of report --k 1,2,6 --unique $u" "10 rows, 0 slices" "$res"
done
python3 - "$T/r.exact.csv" "$T/r.normalized.csv" "$T/r.answer.csv" <<'EOF' || fail "--unique answer should find fewer distinct solutions than exact text on the demo"
import csv, sys
d = [{(r['metric'], r['k']): float(r['value']) for r in csv.DictReader(open(p))} for p in sys.argv[1:]]
ex, no, an = (x[('diversity', '6')] for x in d)
sys.exit(0 if an < ex and no <= ex else 1)
EOF
ok "report gsm8k-9b --k 1,2,6: pass@1, coverage, diversity (exact, normalized, answer), maj match python to 1e-6"

expect_status 0 C report --runs gsm8k-9b --k 1,2,6 --seed 7 -o "$T/s7a.csv"
expect_status 0 C report --runs gsm8k-9b --k 1,2,6 --seed 7 -o "$T/s7b.csv"
cmp -s "$T/s7a.csv" "$T/s7b.csv" || fail "the same seed gave different CSVs"
expect_status 0 C report --runs gsm8k-9b --k 1,2,6 --seed 8 -o "$T/s8.csv"
python3 - "$T/s7a.csv" "$T/s8.csv" <<'EOF' || fail "another seed must keep values and change intervals"
import csv, sys
a, b = (list(csv.DictReader(open(p))) for p in sys.argv[1:])
assert len(a) == len(b)
assert all(x['value'] == y['value'] and x['metric'] == y['metric'] and x['k'] == y['k'] for x, y in zip(a, b)), "values differ"
assert any((x['lower'], x['upper']) != (y['lower'], y['upper']) for x, y in zip(a, b)), "intervals identical"
EOF
ok "same seed: byte-identical CSV; another seed: same values, other intervals"

expect_status 0 C report --runs gsm8k-9b --k 7 -o "$T/k7.csv"
res=$(check_report "$DB" gsm8k-9b "$T/k7.csv" exact)
expect_eq "k=7 rows with excluded=24 and no value" 3 \
	"$(python3 -c "import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r['k']=='7' and r['excluded']=='24' and r['value']=='' and r['problems']=='0'))" "$T/k7.csv")"
ok "--k 7 with 6 samples per problem: excluded 24, no value"

for by in level subject; do
	expect_status 0 C report --runs math-9b --k 1,3 --by "$by" -o "$T/by.$by.csv"
	res=$(check_report "$DB" math-9b "$T/by.$by.csv" exact)
	case "$by" in level) expect_eq "--by level" "42 rows, 5 slices" "$res" ;; subject) expect_eq "--by subject" "56 rows, 7 slices" "$res" ;; esac
done
ok "--by level (5 slices) and --by subject (7 slices) cover all 24 problems, per-slice values match python"

cp "$DB" "$T/ungraded.db"
printf '%s\n' '{"problem_id": "g01", "text": "#### 222", "tokens": 3}' >"$T/extra.jsonl"
expect_status 0 "$COSEVAL" import samples "$T/extra.jsonl" --run gsm8k-9b --model demo-9b --dataset gsm8k-demo --db "$T/ungraded.db"
expect_status 3 "$COSEVAL" report --runs gsm8k-9b --db "$T/ungraded.db"
expect_stderr_contains "coseval grade"
ok "a run with ungraded samples: report exits 3 and names 'coseval grade'"

for bad in "--k 0" "--k x" "--k 2,1" "--k 1,,2" "--ci 1.5" "--ci 0" "--unique foo" "--by color" "--bootstrap 0"; do
	# shellcheck disable=SC2086
	expect_status 2 C report --runs gsm8k-9b $bad
done
expect_status 3 C report --runs nope
ok "bad --k, --ci, --unique, --by, --bootstrap exit 2; unknown run exits 3"

expect_status 3 C report --runs gsm8k-9b --k 1 -o "$T/nodir/r.csv"
[ ! -e "$T/nodir/r.csv" ] && [ ! -e "$T/nodir" ] || fail "report left $T/nodir/r.csv"
expect_stderr_contains "$T/nodir/r.csv"
ok "-o in a missing directory exits 3, names the file and leaves nothing"

# --- pair on the demo -----------------------------------------------------------------------------------------
expect_status 0 C report --runs gsm8k-9b --k 1,2,3,5,6 -o "$T/wc.csv"
expect_status 0 C report --runs gsm8k-27b --k 1,2 -o "$T/se.csv"
expect_status 0 C pair --wc gsm8k-9b --se gsm8k-27b --se-k 1,2 -o "$T/pair.csv"
cat >"$T/check_pair.py" <<'EOF'
import csv, math, sqlite3, sys
db, pair, wc_rep, se_rep, match, want_wc_k = sys.argv[1:7]
con = sqlite3.connect(db)
def run(name):
    return con.execute("""SELECT r.params, r.price_out, (SELECT AVG(tokens) FROM samples s WHERE s.run_id = r.id)
        FROM runs r WHERE r.name = ?""", (name,)).fetchone()
P_wc, pr_wc, W_wc = run('gsm8k-9b')
P_se, pr_se, W_se = run('gsm8k-27b')
ratio = {'params': P_se / P_wc, 'count': 1.0, 'tokens': P_se * W_se / (P_wc * W_wc),
         'price': pr_se * W_se / (pr_wc * W_wc)}[match]
rep = {}
for side, p in (('wc', wc_rep), ('se', se_rep)):
    for r in csv.DictReader(open(p)):
        if r['metric'] != 'fpr':
            rep[(side, r['metric'], int(r['k']))] = r
# the fpr row (no budgets) is checked in test_judgments.sh
rows = [r for r in csv.DictReader(open(pair)) if r['metric'] != 'fpr']
errors = []
wc_ks = []
for r in rows:
    m, sk, wk = r['metric'], int(r['se_k']), int(r['wc_k'])
    if r['match'] != match or r['wc_run'] != 'gsm8k-9b' or r['se_run'] != 'gsm8k-27b':
        errors.append(f"row {r}")
    if abs(float(r['ratio']) - ratio) > 1e-6:
        errors.append(f"ratio {r['ratio']}, python {ratio:.6f}")
    if m == 'coverage':
        wc_ks.append(wk)
        if wk != math.floor(sk * ratio + 1e-9):
            errors.append(f"wc_k {wk} for se_k {sk}, python floor({sk} * {ratio:.6f})")
    for side, k in (('wc', wk), ('se', sk)):
        rr = rep.get((side, m, k))
        if rr is None:
            errors.append(f"{m} {side}@{k}: not in the report CSV")
        elif r[side] != rr['value']:
            errors.append(f"{m} {side}@{k}: pair {r[side]} != report {rr['value']}")
        if not float(r[side + '_lower']) <= float(r[side]) <= float(r[side + '_upper']):
            errors.append(f"{m} {side}@{k}: interval does not hold {r[side]}")
    wc, se, diff = float(r['wc']), float(r['se']), float(r['diff'])
    if abs(diff - (wc - se)) > 2e-6:
        errors.append(f"{m}: diff {diff} != wc - se {wc - se}")
    if not float(r['diff_lower']) <= diff <= float(r['diff_upper']):
        errors.append(f"{m}: diff interval does not hold {diff}")
    if se and abs(float(r['gain']) - diff / se) > 1e-5:
        errors.append(f"{m}: gain {r['gain']} != diff / se {diff / se}")
    if r['problems'] != '24':
        errors.append(f"{m}: problems {r['problems']}")
if ','.join(map(str, wc_ks)) != want_wc_k:
    errors.append(f"coverage wc_k {wc_ks}, expected {want_wc_k}")
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
python3 "$T/check_pair.py" "$DB" "$T/pair.csv" "$T/wc.csv" "$T/se.csv" params 3,6 || fail "pair --match params (above)"
grep -q '^"coverage","gsm8k-9b","gsm8k-27b","params","1","3",' "$T/pair.csv" || fail "pair: no coverage row with se_k 1, wc_k 3"
ok "pair params (9e9 vs 27e9): wc_k 3 and 6, WC/SE values equal the reports' (coverage@3 of gsm8k-9b), diff = wc - se"

expect_status 0 C pair --wc gsm8k-9b --se gsm8k-27b --se-k 1,2 --match count -o "$T/pair.count.csv"
python3 "$T/check_pair.py" "$DB" "$T/pair.count.csv" "$T/wc.csv" "$T/se.csv" count 1,2 || fail "pair --match count (above)"
expect_status 0 C pair --wc gsm8k-9b --se gsm8k-27b --se-k 1,2 --match tokens -o "$T/pair.tokens.csv"
python3 "$T/check_pair.py" "$DB" "$T/pair.tokens.csv" "$T/wc.csv" "$T/se.csv" tokens 2,5 || fail "pair --match tokens (above)"
expect_eq "demo prices (WC, SE)" "0.3|1.2" \
	"$(sql "$DB" "SELECT (SELECT price_out FROM runs WHERE name='gsm8k-9b'), (SELECT price_out FROM runs WHERE name='gsm8k-27b')")"
expect_status 0 C pair --wc gsm8k-9b --se gsm8k-27b --se-k 1 --match price -o "$T/pair.price.csv"
python3 "$T/check_pair.py" "$DB" "$T/pair.price.csv" "$T/wc.csv" "$T/se.csv" price 3 || fail "pair --match price (above)"
expect_status 3 C pair --wc gsm8k-9b --se gsm8k-27b --se-k 1,2 --match price
expect_stderr_contains "needs 7 WC samples"
ok "pair --match count (wc_k = se_k), tokens (ratio 3 W_SE/W_WC) and price (1.20 W_SE / 0.30 W_WC = 3.77) checked in python"

expect_status 3 C pair --wc gsm8k-9b --se gsm8k-27b --se-k 3
expect_stderr_contains "needs 9 WC samples"
expect_stderr_contains "only 6"
[ ! -s "$OUT" ] || fail "pair printed a table before failing"
ok "pair --se-k 3: exit 3, 'needs 9 WC samples ... only 6'"

# --- plan ---------------------------------------------------------------------------------------------------
expect_status 0 "$COSEVAL" plan --wc-params 9e9 --se-params 27e9 --se-samples 10
expect_stdout_contains ": 30 WC samples per problem"
expect_status 0 "$COSEVAL" plan --wc-price 1 --se-price 35 --se-samples 1
expect_stdout_contains ": 35 WC samples per problem"
expect_status 0 "$COSEVAL" plan --wc-params 9e9 --se-params 27e9 --wc-tokens 300 --se-tokens 200 --se-samples 10
expect_stdout_contains ": 20 WC samples per problem"
expect_status 0 "$COSEVAL" plan --wc-price 1 --se-price 35 --wc-tokens 100 --se-tokens 200 --se-samples 1
expect_stdout_contains ": 70 WC samples per problem"
expect_status 2 "$COSEVAL" plan --wc-params 9e9 --se-samples 10
expect_status 2 "$COSEVAL" plan --wc-price 1 --se-samples 10
expect_status 2 "$COSEVAL" plan --wc-tokens 300 --se-samples 10
expect_status 2 "$COSEVAL" plan --se-samples 10
expect_status 2 "$COSEVAL" plan --wc-params 9e9 --se-params 27e9
ok "plan: params 30, price 35:1 -> 35, tokens 9e9x300 vs 27e9x200 -> 20, price x tokens -> 70; missing pairs exit 2"

# --- real data: qwen, 8 samples per problem -------------------------------------------------------------------
skip_if_no_data
RDB=$T/real.db
R() { "$COSEVAL" "$@" --db "$RDB"; }
expect_status 0 R import problems "$DATA/tora/math_test.jsonl" --dataset MATH
expect_status 0 R import samples "$DATA/qwen25_math/math_cot_100.jsonl" --run qwen25-math-cot --model qwen2.5-math \
	--dataset MATH --match question --map question='$.question' --map 'text=$.code[*]' --map 'label=$.score[*]'
expect_status 0 R grade
expect_status 0 R report --runs qwen25-math-cot --k 1,2,4,8 -o "$T/qwen.csv"
res=$(check_report "$RDB" qwen25-math-cot "$T/qwen.csv" exact)
expect_eq "qwen report rows" "13 rows, 0 slices" "$res"
val() { python3 -c "import csv,sys; print([r['value'] for r in csv.DictReader(open(sys.argv[1])) if r['metric']==sys.argv[2] and r['k']==sys.argv[3]][0])" "$T/qwen.csv" "$1" "$2"; }
expect_eq "qwen correct grades" 737/800 "$(sql "$RDB" "SELECT SUM(verdict='correct') || '/' || COUNT(*) FROM grades")"
# CSV numbers are written in full precision: the text reads back as exactly the double 737/800
expect_eq "qwen pass@1 = 737/800" 0.92125 "$(val pass@1 1)"
expect_eq "qwen coverage@8 = share of problems with a correct sample" \
	"$(sql "$RDB" "SELECT SUM(c > 0) || '/' || COUNT(*) FROM (SELECT SUM(g.verdict='correct') c FROM samples s JOIN grades g ON g.sample_id=s.id GROUP BY s.problem_id)" \
		| python3 -c "import sys; a, b = map(int, sys.stdin.read().split('/')); print(repr(a / b))")" \
	"$(val coverage 8)"
ok "qwen report --k 1,2,4,8: pass@1 0.92125, coverage@8 = problems with any correct, diversity and maj@2,4,8 (all subsets) match python"

echo "PASS $TEST_NAME"
