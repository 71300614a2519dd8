#!/usr/bin/env bash
# Checks `coseval compare` (the regression check) on the GSM8K example model solutions and on the demo: exit codes,
# CSV columns and figures against python, problems present in only one run, and option errors.
set -u
. "$(dirname "$0")/lib.sh"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)

# check_csv DB CSV MAX_DROP: every row's base/cand (pass@1 and coverage@k recomputed from the grades in python over the
# shared problems of the slice), diff = cand - base inside its interval, p_worse in [1/(B+1), 1], the regression rule,
# and the counts of problems; prints "ROWS regressions=N".
cat >"$T/check_compare.py" <<'PY'
import csv, math, sqlite3, sys
db, path, max_drop = sys.argv[1], sys.argv[2], float(sys.argv[3])
con = sqlite3.connect(db)
want = ("metric,slice,base_run,cand_run,base,cand,diff,diff_lower,diff_upper,p_worse,max_drop,regression,problems,"
        "base_only,cand_only,options").split(',')
def tallies(run):
    out = {}
    for pid, verdict, subject, level in con.execute("""SELECT s.problem_id, g.verdict, p.subject, p.level FROM samples s
            JOIN runs r ON r.id = s.run_id JOIN grades g ON g.sample_id = s.id JOIN problems p ON p.id = s.problem_id
            WHERE r.name = ? ORDER BY s.problem_id, s.sample_index""", (run,)):
        t = out.setdefault(pid, {'n': 0, 'c': 0, 'subject': subject, 'level': level})
        t['n'] += 1
        t['c'] += verdict == 'correct'
    return out
def value(metric, t):
    name, k = metric.split('@'); k = int(k)
    if name == 'pass':
        return t['c'] / t['n']
    assert name == 'coverage', metric
    return 1 - math.comb(t['n'] - t['c'], k) / math.comb(t['n'], k)
def in_slice(t, sl):
    if sl == 'all':
        return True
    field, val = sl.split('=', 1)
    return (str(t[field]) if t[field] not in (None, 0) else 'unknown') == val
with open(path, newline='', encoding='utf-8') as f:
    r = csv.reader(f)
    header = next(r)
    if header != want:
        sys.exit(f"header {header} != {want}")
    rows = [dict(zip(header, x)) for x in r]
errors, regressions, cache = [], 0, {}
boot = None
for row in rows:
    key = (row['base_run'], row['cand_run'])
    if key not in cache:
        tb, tc = tallies(key[0]), tallies(key[1])
        cache[key] = (tb, tc, sorted(set(tb) & set(tc)), len(set(tb) - set(tc)), len(set(tc) - set(tb)))
    tb, tc, shared, b_only, c_only = cache[key]
    opts = dict(kv.split('=', 1) for kv in row['options'].split(';'))
    B = int(opts['bootstrap'])
    ps = [p for p in shared if in_slice(tb[p], row['slice'])]
    tag = f"{row['metric']} {row['slice']}"
    if (int(row['problems']), int(row['base_only']), int(row['cand_only'])) != (len(ps), b_only, c_only):
        errors.append(f"{tag}: problems/base_only/cand_only {row['problems']}/{row['base_only']}/{row['cand_only']}, "
                      f"python {len(ps)}/{b_only}/{c_only}")
        continue
    base = sum(value(row['metric'], tb[p]) for p in ps) / len(ps)
    cand = sum(value(row['metric'], tc[p]) for p in ps) / len(ps)
    b, c, d = float(row['base']), float(row['cand']), float(row['diff'])
    lo, hi, pw = float(row['diff_lower']), float(row['diff_upper']), float(row['p_worse'])
    if abs(b - base) > 1e-6 or abs(c - cand) > 1e-6:
        errors.append(f"{tag}: base {b} cand {c}, python {base:.6f} {cand:.6f}")
    if abs(d - (cand - base)) > 2e-6:
        errors.append(f"{tag}: diff {d}, python {cand - base:.6f}")
    if not lo - 1e-9 <= d <= hi + 1e-9:
        errors.append(f"{tag}: interval [{lo}, {hi}] does not hold {d}")
    if not 1 / (B + 1) - 1e-6 <= pw <= 1 + 1e-9:
        errors.append(f"{tag}: p_worse {pw} outside [1/(B+1), 1]")
    if float(row['max_drop']) != max_drop:
        errors.append(f"{tag}: max_drop {row['max_drop']}")
    reg = int(d < -max_drop and pw < float(opts['alpha']))
    if int(row['regression']) != reg:
        errors.append(f"{tag}: regression {row['regression']}, rule says {reg}")
    regressions += reg
for e in errors:
    print(e, file=sys.stderr)
print(f"{len(rows)} rows regressions={regressions}")
sys.exit(1 if errors else 0)
PY
check_csv() {
	python3 "$T/check_compare.py" "$@" >"$T/check.out" || fail "compare CSV $2 disagrees with python (above)"
	cat "$T/check.out"
}
csv_field() { # csv_field CSV METRIC SLICE COLUMN
	python3 -c "import csv,sys; print([r[sys.argv[4]] for r in csv.DictReader(open(sys.argv[1])) if r['metric']==sys.argv[2] and r['slice']==sys.argv[3]][0])" "$@"
}

# --- the demo: several samples per problem, slices, default metrics -----------------------------------------------
DB=$T/demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 "$COSEVAL" demo --db "$DB" --data "$DEMO_DIR"
expect_status 0 C grade

expect_status 0 C compare gsm8k-9b gsm8k-9b -o "$T/self.csv"
expect_eq "self-compare rows" "2 rows regressions=0" "$(check_csv "$DB" "$T/self.csv" 0.01)"
expect_eq "default metrics with 6 samples per problem" "pass@1 coverage@4" \
	"$(python3 -c "import csv,sys; print(' '.join(r['metric'] for r in csv.DictReader(open(sys.argv[1]))))" "$T/self.csv")"
expect_eq "self-compare diff" "0|0|0|1" \
	"$(for c in diff diff_lower diff_upper p_worse; do csv_field "$T/self.csv" pass@1 all $c; done | paste -sd'|')"
expect_stderr_contains "no regression"
ok "a run against itself: exit 0, default metrics pass@1 and coverage@4, diff 0 [0, 0], p_worse 1"

expect_status 1 C compare math-27b math-9b --by level -o "$T/levels.csv"
expect_eq "math-27b -> math-9b --by level" "12 rows regressions=5" "$(check_csv "$DB" "$T/levels.csv" 0.01)"
expect_stderr_contains "regression: pass@1 (all)"
expect_status 0 C compare math-9b math-27b --by subject -o "$T/subjects.csv"
res=$(check_csv "$DB" "$T/subjects.csv" 0.01)
expect_eq "math-9b -> math-27b --by subject: no regression" "regressions=0" "${res#* rows }"
ok "--by level / subject: per-slice figures and counts match python; a drop is a regression, a gain is not"

expect_status 1 C compare math-27b math-9b --metrics pass@1,coverage@2,diversity@2,maj@2 --seed 3 -o "$T/m1.csv"
expect_status 1 C compare math-27b math-9b --metrics pass@1,coverage@2,diversity@2,maj@2 --seed 3 -o "$T/m2.csv"
cmp -s "$T/m1.csv" "$T/m2.csv" || fail "the same seed gave different CSVs"
expect_eq "metrics listed" "pass@1 coverage@2 diversity@2 maj@2" \
	"$(python3 -c "import csv,sys; print(' '.join(r['metric'] for r in csv.DictReader(open(sys.argv[1]))))" "$T/m1.csv")"
expect_status 1 C compare math-27b math-9b --format md
expect_stdout_contains "| metric | slice | base | cand | cand - base | 95% interval | p_worse | result |"
expect_stdout_contains "**regression**"
ok "--metrics pass@1,coverage@2,diversity@2,maj@2: deterministic CSV for one seed; --format md writes a pipe table"

expect_status 3 C compare math-27b math-9b --metrics coverage@4
expect_stderr_contains "coverage@4 needs 4 samples per problem"
expect_stderr_contains "has only 2"
expect_status 3 C compare gsm8k-9b math-9b
expect_stderr_contains "no problem in common"
expect_status 3 C compare gsm8k-9b nope
for bad in "--metrics foo" "--metrics coverage@0" "--metrics pass@x" "--max-drop -1" "--max-drop x" "--alpha 0" \
	"--alpha 1.5" "--by color" "--format xml" "--bootstrap 1" "--ci 2" "--unique foo" "--bogus"; do
	# shellcheck disable=SC2086
	expect_status 2 C compare gsm8k-9b gsm8k-27b $bad
done
expect_status 2 C compare gsm8k-9b
expect_status 2 C compare a b c
ok "a k above the samples available exits 3 saying how many; unknown run / no shared problem 3; bad options 2"

cp "$DB" "$T/ungraded.db"
printf '%s\n' '{"problem_id": "g01", "text": "#### 222", "tokens": 3}' >"$T/extra.jsonl"
expect_status 0 "$COSEVAL" import samples "$T/extra.jsonl" --run gsm8k-9b --model demo-9b --dataset gsm8k-demo \
	--db "$T/ungraded.db"
expect_status 3 "$COSEVAL" compare gsm8k-27b gsm8k-9b --db "$T/ungraded.db"
expect_stderr_contains "coseval grade"
ok "an ungraded run exits 3 and names 'coseval grade'"

# --- the GSM8K example model solutions: one sample per problem ----------------------------------------------------
skip_if_no_data
RDB=$T/real.db
R() { "$COSEVAL" "$@" --db "$RDB"; }
sols=$DATA/gsm8k/example_model_solutions.jsonl
expect_status 0 R import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
for key in 6b_finetuning 6b_verification 175b_finetuning 175b_verification; do
	expect_status 0 R import samples "$sols" --run "gpt3-$key" --model "gpt3-${key%%_*}" --dataset gsm8k \
		--map problem=@line --map "text=\$.$key.solution" --map "label=\$.$key.is_correct"
done
head -n 1000 "$sols" >"$T/first1000.jsonl"
expect_status 0 R import samples "$T/first1000.jsonl" --run gpt3-6b-first1000 --model gpt3-6b --dataset gsm8k \
	--map problem=@line --map 'text=$.6b_verification.solution'
expect_status 0 R grade

for setting in verification finetuning; do
	b=gpt3-175b_$setting c=gpt3-6b_$setting
	expect_status 1 R compare "$b" "$c" -o "$T/down.$setting.csv"
	expect_stderr_contains "regression: pass@1 (all)"
	expect_eq "$b -> $c" "1 rows regressions=1" "$(check_csv "$RDB" "$T/down.$setting.csv" 0.01)"
	expect_status 0 R compare "$c" "$b" -o "$T/up.$setting.csv"
	expect_eq "$c -> $b" "1 rows regressions=0" "$(check_csv "$RDB" "$T/up.$setting.csv" 0.01)"
	expect_status 0 R compare "$b" "$c" --max-drop 0.5 -o "$T/loose.$setting.csv"
	expect_eq "$b -> $c --max-drop 0.5" "1 rows regressions=0" "$(check_csv "$RDB" "$T/loose.$setting.csv" 0.5)"
	expect_status 0 R compare "$b" "$b" -o "$T/same.$setting.csv"
	expect_eq "$b against itself: diff" "0" "$(csv_field "$T/same.$setting.csv" pass@1 all diff)"
	ok "$b -> $c: exit 1 (diff $(csv_field "$T/down.$setting.csv" pass@1 all diff), p_worse" \
		"$(csv_field "$T/down.$setting.csv" pass@1 all p_worse)); reversed exit 0; --max-drop 0.5 exit 0; itself diff 0"
done

expect_status 1 R compare gpt3-175b_verification gpt3-6b_verification
expect_stdout_contains "REGRESSION"
expect_stdout_contains "1319 shared problems"
expect_status 3 R compare gpt3-175b_verification gpt3-6b_verification --metrics coverage@2
expect_stderr_contains "coverage@2 needs 2 samples per problem"
ok "table output names both runs and the 1319 shared problems; coverage@2 with one sample per problem exits 3"

expect_status 1 R compare gpt3-175b_verification gpt3-6b-first1000 -o "$T/subset.csv"
expect_stderr_contains "319 problems only in 'gpt3-175b_verification' and 0 only in 'gpt3-6b-first1000' are left out"
expect_eq "subset comparison" "1 rows regressions=1" "$(check_csv "$RDB" "$T/subset.csv" 0.01)"
expect_eq "subset problems/base_only/cand_only" "1000|319|0" \
	"$(for c in problems base_only cand_only; do csv_field "$T/subset.csv" pass@1 all $c; done | paste -sd'|')"
expect_status 0 R compare gpt3-6b-first1000 gpt3-175b_verification
expect_stdout_contains "left out: 0 problems only in base, 319 only in candidate"
expect_stderr_contains "0 problems only in 'gpt3-6b-first1000' and 319 only in 'gpt3-175b_verification'"
ok "problems in only one run: counted (319), reported on stderr and in the output, left out of the 1000 shared"

echo "PASS $TEST_NAME"
