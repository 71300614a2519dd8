#!/usr/bin/env bash
# pair --problems: per-problem coverage probabilities and classes at the matched budgets, expected class counts
# with intervals (overall, by level and subject), the WC-only and SE-only lists; on a hand-made pair whose
# numbers are worked out by hand, on the demo (checked against `pair` and an independent computation) and on
# the real GPT-3 GSM8K solutions; the error cases.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/pp.db
C() { "$COSEVAL" "$@" --db "$DB"; }

# --- a hand-made pair ---------------------------------------------------------------------------------------
# WC (1e9 parameters, 4 samples per problem) against SE (2e9, 2 samples): SE k 1 matches WC k 2.
# p1: WC 1/4 correct -> p_WC = 1 - C(3,2)/C(4,2) = 0.5; SE 2/2 -> p_SE = 1: both 0.5, SE only 0.5 (a tie)
# p2: WC 0/4 -> 0; SE 1/2 -> 0.5: SE only 0.5, neither 0.5 (a tie)
# p3: WC 4/4 -> 1; SE 0/2 -> 0: WC only 1
cat >"$T/problems.jsonl" <<'JSON'
{"id": "p1", "question": "one?", "answer": "1", "subject": "A", "level": 1}
{"id": "p2", "question": "two?", "answer": "2", "subject": "A", "level": 2}
{"id": "p3", "question": "three?", "answer": "3", "subject": "B", "level": 2}
JSON
sample() { printf '{"problem_id": "%s", "text": "The answer is %s."}\n' "$1" "$2"; }
{
	sample p1 1; sample p1 9; sample p1 9; sample p1 9
	sample p2 9; sample p2 9; sample p2 9; sample p2 9
	sample p3 3; sample p3 3; sample p3 3; sample p3 3
} >"$T/wc.jsonl"
{
	sample p1 1; sample p1 1
	sample p2 2; sample p2 9
	sample p3 9; sample p3 9
} >"$T/se.jsonl"
expect_status 0 C init
expect_status 0 C import problems "$T/problems.jsonl" --dataset tiny --profile generic
expect_status 0 C import samples "$T/wc.jsonl" --run wc --model small --params 1e9 --dataset tiny
expect_status 0 C import samples "$T/se.jsonl" --run se --model big --params 2e9 --dataset tiny
expect_status 0 C grade

expect_status 0 C pair --wc wc --se se --se-k 1 --problems
expect_stdout_contains "WC wc (small) vs SE se (big), params-matched, 3 shared problems"
grep -qE '^p1 +A +1 +1/4 +2/2 +0\.5000 1\.0000 both\|SE only' "$OUT" || fail "p1 line: $(grep '^p1' "$OUT")"
grep -qE '^p2 +A +2 +0/4 +1/2 +0\.0000 0\.5000 SE only\|neither' "$OUT" || fail "p2 line: $(grep '^p2' "$OUT")"
grep -qE '^p3 +B +2 +4/4 +0/2 +1\.0000 0\.0000 WC only' "$OUT" || fail "p3 line: $(grep '^p3' "$OUT")"
grep -qE '^ +1 +2 +all +3 +0\.50 \[.*\] +1\.00 \[.*\] +1\.00 \[.*\] +0\.50 \[.*\] +0\.5000 +0\.5000$' "$OUT" ||
	fail "the counts of all: $(grep ' all ' "$OUT")"
grep -qE '^ +1 +2 +subject=A +2 +0\.50 .* 0\.00 .* 1\.00 .* 0\.50 ' "$OUT" || fail "subject=A: $(grep 'subject=A' "$OUT")"
grep -qE '^ +1 +2 +subject=B +1 +0\.00 \[0\.00, 0\.00\] +1\.00 \[1\.00, 1\.00\] ' "$OUT" || fail "subject=B"
grep -qE '^ +1 +2 +level=1 +1 ' "$OUT" && grep -qE '^ +1 +2 +level=2 +2 ' "$OUT" || fail "level slices"
expect_stdout_contains "WC only at SE k 1, WC k 2: 1 problem (most probable class; probability)"
expect_stdout_contains "SE only at SE k 1, WC k 2: 2 problems (most probable class; probability)"
listed=$(awk '/^SE only at/ { on = 1; next } on && /^  / { print $1, $2, $3, $4, $5 } on && /^$/ { exit }' "$OUT")
expect_eq "SE-only list" "p1 0.5000 (tied with both)
p2 0.5000 (tied with neither)" "$listed"
ok "hand-made pair: p_WC, p_SE, classes with ties, counts 0.5/1/1/0.5 of 3, slices, the lists"

expect_status 0 C pair --wc wc --se se --se-k 1 --problems --format csv
python3 - "$OUT" <<'EOF' || fail "hand-made CSV"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
probs = {r["problem"]: r for r in rows if r["record"] == "problem"}
assert sorted(probs) == ["p1", "p2", "p3"], probs.keys()
assert probs["p1"]["class"] == "both|se_only" and probs["p2"]["class"] == "se_only|neither", probs
assert probs["p3"]["class"] == "wc_only" and probs["p3"]["wc_only"] == "1" and probs["p3"]["wc_k"] == "2"
assert probs["p1"]["wc_coverage"] == "0.5" and probs["p2"]["se_coverage"] == "0.5"
allrow = [r for r in rows if r["record"] == "classes" and r["slice"] == "all"][0]
assert (allrow["both"], allrow["wc_only"], allrow["se_only"], allrow["neither"]) == ("0.5", "1", "1", "0.5"), allrow
assert allrow["problems"] == "3" and allrow["both_lower"] != ""
print("ok   hand-made CSV: classes both|se_only, se_only|neither, wc_only; counts 0.5, 1, 1, 0.5")
EOF

# --- errors --------------------------------------------------------------------------------------------------
expect_status 3 C pair --wc wc --se se --se-k 3 --problems
expect_stderr_contains "needs 6 WC samples per problem"
expect_status 3 C pair --wc wc --se nope --se-k 1 --problems
expect_stderr_contains "no run 'nope'"
expect_status 2 C pair --wc wc --se se --se-k 1 --problems --format md
expect_status 2 C pair --wc wc --se se --se-k 1 --problems --crossover --format csv
expect_stderr_contains "different CSV layouts"
ok "errors: a budget above the samples and an unknown run exit 3, a bad --format 2, two CSV layouts 2"

# --- the demo: every invariant, checked independently ------------------------------------------------------
D=$T/demo.db
expect_status 0 "$COSEVAL" demo --db "$D"
for fmt in csv json; do
	expect_status 0 "$COSEVAL" pair --wc math-9b --se math-27b --se-k 1,2 --problems --format $fmt --db "$D" --seed 5
	cp "$OUT" "$T/demo.$fmt"
done
expect_status 0 "$COSEVAL" pair --wc math-9b --se math-27b --se-k 1,2 --format csv --db "$D" --seed 5
cp "$OUT" "$T/pair.csv"
python3 - "$T/demo.csv" "$T/demo.json" "$T/pair.csv" <<'EOF' || fail "demo invariants"
import csv, json, math, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1])))
doc = json.load(open(sys.argv[2]))
pair = list(csv.DictReader(open(sys.argv[3])))
classes = ["both", "wc_only", "se_only", "neither"]
def cov(n, c, k):
    return 1 - math.comb(n - c, k) / math.comb(n, k)
shared = doc["summary"]["shared"]
assert len(doc["rows"]) == len(rows), "JSON rows = CSV records"
budgets = sorted({(int(r["se_k"]), int(r["wc_k"])) for r in rows})
assert len(budgets) == 2, budgets
for se_k, wc_k in budgets:
    probs = [r for r in rows if r["record"] == "problem" and int(r["se_k"]) == se_k]
    assert len(probs) == shared
    sums = defaultdict(float)
    for r in probs:
        pw = cov(int(r["wc_samples"]), int(r["wc_correct"]), wc_k)
        ps = cov(int(r["se_samples"]), int(r["se_correct"]), se_k)
        want = {"both": pw * ps, "wc_only": pw * (1 - ps), "se_only": (1 - pw) * ps, "neither": (1 - pw) * (1 - ps)}
        assert abs(float(r["wc_coverage"]) - pw) < 1e-12 and abs(float(r["se_coverage"]) - ps) < 1e-12, r
        top = max(want.values())
        assert r["class"] == "|".join(c for c in classes if want[c] == top), (r["problem"], r["class"], want)
        for c in classes:
            assert abs(float(r[c]) - want[c]) < 1e-12, (r, c)
            sums[c] += want[c]
    slices = {r["slice"]: r for r in rows if r["record"] == "classes" and int(r["se_k"]) == se_k}
    a = slices["all"]
    total = sum(float(a[c]) for c in classes)
    assert abs(total - shared) < 1e-9, ("class counts sum", total, shared)
    for c in classes:
        assert abs(float(a[c]) - sums[c]) < 1e-9
        assert float(a[c + "_lower"]) <= float(a[c]) + 1e-9 <= float(a[c + "_upper"]) + 2e-9, (c, a)
    # WC coverage = (both + WC only) / problems, and it is what pair prints at that budget
    wc_cov = (float(a["both"]) + float(a["wc_only"])) / shared
    se_cov = (float(a["both"]) + float(a["se_only"])) / shared
    pc = [p for p in pair if p["metric"] == "coverage" and int(p["se_k"]) == se_k][0]
    assert int(pc["wc_k"]) == wc_k
    assert abs(wc_cov - float(pc["wc"])) < 1e-9 and abs(float(a["wc_coverage"]) - float(pc["wc"])) < 1e-12, (wc_cov, pc["wc"])
    assert abs(se_cov - float(pc["se"])) < 1e-9, (se_cov, pc["se"])
    for kind in ("level=", "subject="):
        part = [s for name, s in slices.items() if name.startswith(kind)]
        assert part, kind
        assert sum(int(s["problems"]) for s in part) == shared
        for s in part:
            assert abs(sum(float(s[c]) for c in classes) - int(s["problems"])) < 1e-9
        for c in classes:
            assert abs(sum(float(s[c]) for s in part) - float(a[c])) < 1e-9
    # the lists: every problem whose most probable classes include WC only (SE only), by probability
    lst = [l for l in doc["summary"]["listed"] if l["se_k"] == se_k][0]
    for c in ("wc_only", "se_only"):
        want = sorted((-float(r[c]), i) for i, r in enumerate(probs) if c in r["class"].split("|"))
        got = [(x["problem"], x["probability"]) for x in lst[c]]
        assert got == [(probs[i]["problem"], -p) for p, i in want], (c, got)
    print(f"ok   demo SE k {se_k}, WC k {wc_k}: counts sum to {shared}; both + WC only = {wc_cov:.4f} = pair's WC "
          f"coverage; level and subject slices add up; lists of {len(lst['wc_only'])} WC-only, {len(lst['se_only'])} SE-only")
EOF
# the text report prints the same coverage as pair's table at that budget
expect_status 0 "$COSEVAL" pair --wc math-9b --se math-27b --se-k 1 --problems --db "$D"
cov_pp=$(awk '$3 == "all" { print $(NF-1), $NF }' "$OUT")
expect_status 0 "$COSEVAL" pair --wc math-9b --se math-27b --se-k 1 --db "$D"
cov_pair=$(awk '$1 == "coverage" { print $7, $4 }' "$OUT")
expect_eq "cov WC, cov SE of --problems against pair's coverage (WC, SE)" "$cov_pair" "$cov_pp"
ok "demo text: cov WC / cov SE ($cov_pp) = pair's coverage"

# --- real data: GPT-3 6B (WC) vs 175B (SE) on GSM8K, one sample each -----------------------------------------
skip_if_no_data
RDB=$T/real.db
R() { "$COSEVAL" "$@" --db "$RDB"; }
expect_status 0 R import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
for key in 6b_finetuning 175b_finetuning; do
	expect_status 0 R import samples "$DATA/gsm8k/example_model_solutions.jsonl" --run "gpt3-$key" \
		--model "gpt3-${key%%_*}" --dataset gsm8k --map problem=@line --map "text=\$.$key.solution"
done
expect_status 0 R grade
expect_status 0 R pair --wc gpt3-6b_finetuning --se gpt3-175b_finetuning --match count --se-k 1 --problems \
	-o "$T/gpt3.csv"
[ -f "$T/gpt3.csv.provenance.json" ] || fail "no provenance beside the CSV"
# the classes, counted straight from the grades
want=$(sql "$RDB" "WITH c AS (SELECT s.problem_id AS p, r.name AS run, MAX(g.verdict = 'correct') AS ok
	FROM samples s JOIN runs r ON r.id = s.run_id JOIN grades g ON g.sample_id = s.id GROUP BY 1, 2)
	SELECT SUM(w.ok AND e.ok) || ' ' || SUM(w.ok AND NOT e.ok) || ' ' || SUM(NOT w.ok AND e.ok) || ' ' ||
	SUM(NOT w.ok AND NOT e.ok) FROM c w JOIN c e ON e.p = w.p AND e.run = 'gpt3-175b_finetuning'
	WHERE w.run = 'gpt3-6b_finetuning'")
got=$(python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
a = [r for r in rows if r['record'] == 'classes' and r['slice'] == 'all'][0]
listed = sum(r['class'] == 'wc_only' for r in rows if r['record'] == 'problem')
print(' '.join(str(round(float(a[c]))) for c in ('both', 'wc_only', 'se_only', 'neither')), a['problems'], listed)" "$T/gpt3.csv")
wc_only=$(echo "$want" | cut -d' ' -f2)
expect_eq "GPT-3 classes (both, WC only, SE only, neither), problems, problems listed WC only" "$want 1319 $wc_only" "$got"
ok "GPT-3 6B vs 175B on GSM8K: both / WC only / SE only / neither = $want of 1319, as counted from the grades"
