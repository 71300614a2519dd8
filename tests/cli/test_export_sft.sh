#!/usr/bin/env bash
# Checks `coseval export sft` on the graded demo: the exported samples and the counts against a python computation
# from the database (rows read with the sqlite3 CLI), budgets, deduplication, caps, determinism and errors.
set -u
. "$(dirname "$0")/lib.sh"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
DB=$T/demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 "$COSEVAL" demo --db "$DB" --data "$DEMO_DIR"
expect_status 0 C grade

# rows RUN: the run's graded samples as JSON lines, in problem id then sample index order.
rows() {
	sql "$DB" "SELECT json_object('problem_id', p.problem_key, 'sample_index', s.sample_index, 'question', p.question,
		'solution', s.text, 'answer', g.answer, 'canonical', g.canonical, 'verdict', g.verdict, 'gold', p.gold)
		FROM samples s JOIN runs r ON r.id = s.run_id JOIN problems p ON p.id = s.problem_id
		JOIN grades g ON g.sample_id = s.id WHERE r.name = '$1' ORDER BY s.problem_id, s.sample_index"
}

# check RUN OUT.jsonl STDERR BUDGET UNIQUE CAP: recomputes the selection and the counts in python and compares.
cat >"$T/check_sft.py" <<'PY'
import json, re, sys
run, rows_path, out_path, err_path, budget, unique, cap = sys.argv[1:8]
budget, cap = int(budget), int(cap)
rows = [json.loads(l) for l in open(rows_path, encoding='utf-8')]
def norm(s):
    b = s.encode('utf-8')
    return re.sub(rb'[ \t\n\v\f\r]+', b' ', b).strip(b' \t\n\v\f\r').lower()
def key(r):
    return {'exact': r['solution'], 'normalized': norm(r['solution']), 'answer': r['canonical'] or ''}[unique]
want, problems = [], []
counts = dict(problems=0, considered=0, correct=0, dedup=0, cap=0)
for r in rows:
    if not problems or problems[-1][0] != r['problem_id']:
        problems.append((r['problem_id'], []))
    problems[-1][1].append(r)
with_one = 0
for pid, samples in problems:
    counts['problems'] += 1
    chosen = samples[:budget] if budget else samples
    counts['considered'] += len(chosen)
    correct = [r for r in chosen if r['verdict'] == 'correct']
    counts['correct'] += len(correct)
    if unique != 'none':
        seen, kept = set(), []
        for r in correct:
            if key(r) not in seen:
                seen.add(key(r)); kept.append(r)
        correct = kept
    counts['dedup'] += len(correct)
    if cap:
        correct = correct[:cap]
    counts['cap'] += len(correct)
    with_one += bool(correct)
    want += [{'run': run, 'problem_id': r['problem_id'], 'sample_index': r['sample_index'], 'question': r['question'],
              'solution': r['solution'], 'answer': r['answer'], 'gold': r['gold']} for r in correct]
got = [json.loads(l) for l in open(out_path, encoding='utf-8')]
errors = []
if got != want:
    errors.append(f"{len(got)} samples exported, python selects {len(want)}; first difference at "
                  f"{next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))}")
if any(list(g) != ['run', 'problem_id', 'sample_index', 'question', 'solution', 'answer', 'gold'] for g in got):
    errors.append("keys differ from run, problem_id, sample_index, question, solution, answer, gold")
err = open(err_path, encoding='utf-8').read()
expected = (f"{counts['problems']} problems, {counts['considered']} samples considered, {counts['correct']} correct, "
            f"{counts['dedup']} after dedup, {counts['cap']} after cap, {len(want)} exported, "
            f"{with_one} problems with at least one")
if expected not in err:
    errors.append(f"stderr {err.strip()!r} lacks {expected!r}")
for e in errors:
    print(e, file=sys.stderr)
print(f"{len(want)} exported")
sys.exit(1 if errors else 0)
PY
check() { # check RUN OUT BUDGET UNIQUE CAP
	rows "$1" >"$T/rows.$1.jsonl"
	python3 "$T/check_sft.py" "$1" "$T/rows.$1.jsonl" "$2" "$ERR" "$3" "$4" "$5" >"$T/check.out" ||
		fail "export sft $1 (budget $3, unique $4, cap $5) disagrees with python (above)"
	cat "$T/check.out"
}

for run in gsm8k-9b math-9b gsm8k-27b; do
	for combo in "0 none 0" "3 none 0" "0 exact 0" "0 normalized 0" "0 answer 0" "0 none 1" "2 normalized 1" \
		"4 answer 2" "1 exact 0"; do
		read -r budget unique cap <<<"$combo"
		args=(--run "$run" -o "$T/out.jsonl")
		[ "$budget" != 0 ] && args+=(--budget "$budget")
		[ "$unique" != none ] && args+=(--unique "$unique")
		[ "$cap" != 0 ] && args+=(--max-per-problem "$cap")
		expect_status 0 C export sft "${args[@]}"
		check "$run" "$T/out.jsonl" "$budget" "$unique" "$cap" >/dev/null
	done
done
ok "3 runs x 9 combinations of --budget, --unique, --max-per-problem: samples and counts match python"

expect_status 0 C export sft --run gsm8k-9b -o "$T/all.jsonl"
expect_eq "gsm8k-9b: every graded-correct sample" \
	"$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id JOIN grades g ON g.sample_id=s.id
		WHERE r.name='gsm8k-9b' AND g.verdict='correct'")" "$(wc -l <"$T/all.jsonl")"
expect_status 0 C export sft --run gsm8k-9b --unique none -o "$T/none.jsonl"
cmp -s "$T/all.jsonl" "$T/none.jsonl" || fail "--unique none differs from no --unique"
ok "without options: every correct sample ($(wc -l <"$T/all.jsonl")); --unique none is the default"

expect_status 0 C export sft --run gsm8k-9b --budget 3 -o "$T/b3.jsonl"
expect_eq "--budget 3: largest sample_index" 2 \
	"$(python3 -c "import json,sys; print(max(json.loads(l)['sample_index'] for l in open(sys.argv[1])))" "$T/b3.jsonl")"
expect_eq "--budget 3 = correct samples with sample_index < 3" \
	"$(sql "$DB" "SELECT COUNT(*) FROM samples s JOIN runs r ON r.id=s.run_id JOIN grades g ON g.sample_id=s.id
		WHERE r.name='gsm8k-9b' AND g.verdict='correct' AND s.sample_index < 3")" "$(wc -l <"$T/b3.jsonl")"
ok "--budget 3 exports only sample_index < 3"

expect_status 0 C export sft --run math-9b --unique answer -o "$T/ans.jsonl"
python3 - "$T/ans.jsonl" "$DB" <<'PY' || fail "--unique answer: more than one sample per canonical answer and problem"
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
seen = set()
for l in open(sys.argv[1]):
    r = json.loads(l)
    canon = con.execute("""SELECT g.canonical FROM samples s JOIN runs ru ON ru.id = s.run_id JOIN problems p ON p.id = s.problem_id
        JOIN grades g ON g.sample_id = s.id WHERE ru.name = 'math-9b' AND p.problem_key = ? AND s.sample_index = ?""",
        (r['problem_id'], r['sample_index'])).fetchone()[0]
    assert (r['problem_id'], canon) not in seen, r
    seen.add((r['problem_id'], canon))
PY
expect_status 0 C export sft --run math-9b --max-per-problem 1 -o "$T/cap1.jsonl"
expect_eq "--max-per-problem 1: most samples of one problem" 1 \
	"$(python3 -c "
import collections, json, sys
print(max(collections.Counter(json.loads(l)['problem_id'] for l in open(sys.argv[1])).values()))" "$T/cap1.jsonl")"
ok "--unique answer: one sample per distinct canonical answer and problem; --max-per-problem 1: one per problem"

expect_status 0 C export sft --run math-9b --budget 4 --unique normalized -o "$T/d1.jsonl"
expect_status 0 C export sft --run math-9b --budget 4 --unique normalized -o "$T/d2.jsonl"
cmp -s "$T/d1.jsonl" "$T/d2.jsonl" || fail "two exports with the same options differ"
expect_status 0 C export sft --run math-9b --budget 4 --unique normalized
cmp -s "$T/d1.jsonl" "$OUT" || fail "standard output differs from -o FILE"
[ ! -e "$T/d1.jsonl.tmp" ] || fail "-o left a .tmp file"
ok "deterministic: the same bytes twice, and on standard output"

for run in gsm8k-9b math-9b gsm8k-27b math-27b; do
	expect_status 0 C export sft --run "$run" -o "$T/v.jsonl"
	python3 - "$T/v.jsonl" "$DB" "$run" <<'PY' || fail "export sft $run: an exported sample is not graded correct"
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
for l in open(sys.argv[1]):
    r = json.loads(l)
    v = con.execute("""SELECT g.verdict FROM samples s JOIN runs ru ON ru.id = s.run_id JOIN problems p ON p.id = s.problem_id
        JOIN grades g ON g.sample_id = s.id WHERE ru.name = ? AND p.problem_key = ? AND s.sample_index = ?""",
        (sys.argv[3], r['problem_id'], r['sample_index'])).fetchone()
    assert v == ('correct',), (r['problem_id'], r['sample_index'], v)
PY
done
ok "every exported sample of the four demo runs is graded correct"

cp "$DB" "$T/ungraded.db"
printf '%s\n' '{"problem_id": "g01", "text": "#### 222", "tokens": 3}' >"$T/extra.jsonl"
expect_status 0 "$COSEVAL" import samples "$T/extra.jsonl" --run gsm8k-9b --model demo-9b --dataset gsm8k-demo \
	--db "$T/ungraded.db"
expect_status 3 "$COSEVAL" export sft --run gsm8k-9b --db "$T/ungraded.db" -o "$T/ungraded.jsonl"
expect_stderr_contains "coseval grade"
[ ! -e "$T/ungraded.jsonl" ] && [ ! -e "$T/ungraded.jsonl.tmp" ] || fail "a failed export left a file"
expect_status 3 C export sft --run nope
expect_status 3 C export sft --run gsm8k-9b -o "$T/nodir/x.jsonl"
for bad in "--budget 0" "--budget x" "--max-per-problem -1" "--unique foo" "--bogus 1"; do
	# shellcheck disable=SC2086
	expect_status 2 C export sft --run gsm8k-9b $bad
done
expect_status 2 C export sft
expect_status 2 C export nothing --run gsm8k-9b
ok "ungraded run exits 3 naming 'coseval grade' and leaves no file; unknown run 3; bad options 2"

echo "PASS $TEST_NAME"
