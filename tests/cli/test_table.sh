#!/usr/bin/env bash
# Checks coseval table: the data-quality table equals `coseval pair` figure for figure, its Markdown, LaTeX
# and CSV forms parse, and the finetuning pivot and gain agree with the runs' pass@1 and a paired bootstrap.
set -u
. "$(dirname "$0")/lib.sh"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
DB=$T/demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 "$COSEVAL" demo --db "$DB" --data "$DEMO_DIR"
PAIRS=gsm8k-9b:gsm8k-27b,math-9b:math-27b

# data table as CSV against the pair command's CSV
expect_status 0 C table data --pairs "$PAIRS" --budgets low=1,high=2 --format csv -o "$T/data.csv"
expect_status 0 C pair --wc gsm8k-9b --se gsm8k-27b --se-k 1,2 --format csv -o "$T/pair1.csv"
expect_status 0 C pair --wc math-9b --se math-27b --se-k 1,2 --format csv -o "$T/pair2.csv"
python3 - "$T/data.csv" "$T/pair1.csv" "$T/pair2.csv" <<'PY' || fail "table data differs from pair"
import csv, sys
table = list(csv.DictReader(open(sys.argv[1], newline='')))
assert len(table) == 2 * (2 * 2 + 1), len(table)
pair = {}
for path in sys.argv[2:]:
    for r in csv.DictReader(open(path, newline='')):
        pair[(r['wc_run'], r['metric'], r['se_k'])] = r
budgets = {'low': '1', 'high': '2'}
checked = 0
for r in table:
    if r['metric'] == 'fpr':
        p = pair.get((r['wc_run'], 'fpr', ''))
        cols = ['wc', 'wc_lower', 'wc_upper', 'se', 'se_lower', 'se_upper', 'diff', 'diff_lower', 'diff_upper', 'gain']
        assert r['budget'] == '' and r['se_k'] == ''
    else:
        assert r['se_k'] == budgets[r['budget']], r
        p = pair[(r['wc_run'], r['metric'], r['se_k'])]
        cols = ['wc_k', 'ratio', 'wc', 'wc_lower', 'wc_upper', 'se', 'se_lower', 'se_upper', 'diff', 'diff_lower',
                'diff_upper', 'gain']
    if p is None:
        continue
    for c in cols:
        assert r[c] == p[c], (r['wc_run'], r['metric'], r['se_k'], c, r[c], p[c])
        checked += 1
    assert r['dataset'] == {'gsm8k-9b': 'gsm8k-demo', 'math-9b': 'math-demo'}[r['wc_run']]
assert checked >= 4 * 2 * 12, checked
print('checked', checked, 'values')
PY
ok "table data CSV equals pair CSV value for value"

# Markdown: one section per dataset, pipe tables with one column count
expect_status 0 C table data --pairs "$PAIRS" --budgets low=1,high=2
expect_stdout_contains "### gsm8k-demo"
expect_stdout_contains "### math-demo"
expect_stdout_contains "| FPR |"
python3 - "$OUT" <<'PY' || fail "markdown table malformed"
import re, sys
lines = [l for l in open(sys.argv[1]) if l.startswith('|')]
counts = {len(re.split(r'(?<!\\)\|', l.strip())) - 2 for l in lines}
assert counts == {9}, counts
assert sum(1 for l in lines if l.startswith('|---')) == 2
PY
ok "markdown: two dataset sections, 9 columns everywhere"

# LaTeX: booktabs rules, balanced braces, escaped specials
expect_status 0 C table data --pairs "$PAIRS" --budgets low=1,high=2 -o "$T/data.tex"
python3 - "$T/data.tex" <<'PY' || fail "latex table malformed"
import re, sys
tex = open(sys.argv[1]).read()
for rule in (r'\toprule', r'\midrule', r'\bottomrule', r'\begin{tabular}', r'\end{tabular}'):
    assert rule in tex, rule
plain = re.sub(r'\\[{}%_&#$]', '', tex)
depth = 0
for ch in plain:
    depth += ch == '{'
    depth -= ch == '}'
    assert depth >= 0
assert depth == 0
assert not re.search(r'(?<!\\)[_%&#$]', plain.replace('&', '')) , 'unescaped special'
assert r'\%' in tex and r'trained' not in tex
for line in tex.splitlines():
    if line.endswith(r'\\') and 'multicolumn' not in line:
        assert line.count(' & ') == 8, line
PY
if command -v pdflatex >/dev/null; then
	printf '\\documentclass{article}\\usepackage{booktabs}\\begin{document}\\input{data.tex}\\end{document}\n' >"$T/doc.tex"
	(cd "$T" && pdflatex -interaction=nonstopmode doc.tex >/dev/null) || fail "pdflatex failed on the table"
	ok "pdflatex compiles the table"
fi
ok "latex: booktabs rules, balanced braces, escaped specials"

# bad input
expect_status 2 C table data --pairs gsm8k-9b --budgets low=1
expect_status 2 C table data --pairs "$PAIRS" --budgets low=x
expect_status 2 C table data --pairs "$PAIRS"
expect_status 2 C table data --pairs "$PAIRS" --budgets low=1 --format docx
expect_status 3 C table data --pairs gsm8k-9b:nosuch --budgets low=1
expect_status 3 C table data --pairs "$PAIRS" --budgets low=1,high=3
expect_status 2 C table sideways
ok "bad inputs: usage 2, unknown run and budget too large 3"

# finetune: the demo samples again as students' runs, tagged
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-9b.jsonl" --run s-wc --model student-s --dataset gsm8k-demo \
	--tag student=s --tag trained_on=wc --tag setting=kd
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-27b.openai-batch.jsonl" --preset openai-batch --run s-se \
	--model student-s --dataset gsm8k-demo --tag student=s --tag trained_on=se --tag setting=kd
expect_status 0 C import samples "$DEMO_DIR/math-demo.demo-9b.vllm.jsonl" --preset vllm --run t-wc --model student-t \
	--dataset math-demo --tag student=t --tag trained_on=wc --tag setting=kd
expect_status 0 C import samples "$DEMO_DIR/math-demo.demo-27b.csv" --preset csv --run t-se --model student-t \
	--dataset math-demo --tag student=t --tag trained_on=se --tag setting=kd
expect_status 0 C grade
expect_status 0 C table finetune --metric pass@1 --format csv -o "$T/ft.csv"
expect_status 0 C report --runs s-wc,s-se,t-wc,t-se --k 1 --format csv -o "$T/rep.csv"
expect_status 0 C pair --wc s-wc --se s-se --se-k 1 --match count --format csv -o "$T/ps.csv"
expect_status 0 C pair --wc t-wc --se t-se --se-k 1 --match count --format csv -o "$T/pt.csv"
python3 - "$T/ft.csv" "$T/rep.csv" "$T/ps.csv" "$T/pt.csv" <<'PY' || fail "finetune table wrong"
import csv, sys
ft = list(csv.DictReader(open(sys.argv[1], newline='')))
rep = {(r['run']): r for r in csv.DictReader(open(sys.argv[2], newline='')) if r['metric'] == 'pass@1' and r['slice'] == 'all'}
assert [r['student'] for r in ft] == ['s', 't'], ft
for r, pfile in zip(ft, sys.argv[3:]):
    for col in ('wc', 'se'):
        run = r[col + '_run']
        assert run == r['student'] + '-' + col, run
        for a, b in (('', 'value'), ('_lower', 'lower'), ('_upper', 'upper')):
            assert r[col + a] == rep[run][b], (run, a, r[col + a], rep[run][b])
    p = [x for x in csv.DictReader(open(pfile, newline='')) if x['metric'] == 'pass@1'][0]
    # gain of wc over se: the same paired difference as pair's pass@1 row, relative gain from the points
    for a in ('diff', 'diff_lower', 'diff_upper'):
        assert r[a] == p[a], (a, r[a], p[a])
    assert abs(float(r['gain']) - float(p['gain'])) < 1e-6, (r['gain'], p['gain'])
    assert float(r['gain_lower']) <= float(r['gain']) <= float(r['gain_upper'])
    assert r['gain_problems'] == '24'
PY
ok "finetune: cells equal report's pass@1, gain equals pair's paired difference and relative gain"
expect_status 0 C table finetune
expect_stdout_contains "| student | trained_on=se | trained_on=wc | gain wc over se |"
expect_stdout_contains "| s | 0.6458 [0.5000, 0.7708] | 0.5000 [0.4028, 0.5833] | -22.6% ["
expect_status 0 C table finetune --metric coverage@2 --gain se:wc --format latex
expect_stdout_contains "trained\\_on=se"
expect_stdout_contains "gain se over wc"
expect_status 0 C table finetune --rows setting --cols trained_on --where student=t
expect_stdout_contains "| kd | 0.6250"
# two runs in one cell, a gain column that does not exist, a bad metric
expect_status 3 C table finetune --rows setting
expect_stderr_contains "--where"
expect_status 3 C table finetune --gain wc:sft
expect_status 2 C table finetune --metric maj@4
expect_status 3 C table finetune --rows nosuchtag
ok "finetune: pivot, gain, --where, errors"
