#!/usr/bin/env bash
# Checks coseval view on real data in a real browser: the page is self-contained (no network reference), its
# data blocks hold script-safe JSON, its report and pair tables and plots are those of report, pair and plot,
# and headless chromium renders the report, a verdict filter from the URL fragment, escaped sample texts and
# a screenshot. Without chromium the test is skipped (exit 77), unless COSEVAL_REQUIRE_BROWSER is set.
set -u
. "$(dirname "$0")/lib.sh"

BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
	[ -n "${COSEVAL_REQUIRE_BROWSER:-}" ] && fail "chromium is needed (Debian package chromium; COSEVAL_REQUIRE_BROWSER is set)"
	echo "SKIP [$TEST_NAME]: chromium is not installed (set COSEVAL_REQUIRE_BROWSER to make this a failure)"
	exit 77
fi
command -v python3 >/dev/null || fail "python3 is needed"
skip_if_no_data

DB=$T/real.db
C() { "$COSEVAL" "$@" --db "$DB"; }
sols=$DATA/gsm8k/example_model_solutions.jsonl
expect_status 0 C import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
expect_status 0 C import samples "$sols" --run g6 --model gpt3-6b --dataset gsm8k --params 6e9 \
	--map problem=@line --map 'text=$.6b_verification.solution'
expect_status 0 C import samples "$sols" --run g175 --model gpt3-175b --dataset gsm8k --params 175e9 \
	--map problem=@line --map 'text=$.175b_verification.solution'
expect_status 0 C import problems "$DATA/tora/math_test.jsonl" --dataset math
expect_status 0 C import samples "$DATA/qwen25_math/math_cot_100.jsonl" --run qwen --model qwen2.5-math \
	--dataset math --match question --map question='$.question' --map 'text=$.code[*]'

# texts that must stay text: markup, the end of a script element, a comment opener, U+2028 and U+2029, a long
# text with its answer in the middle (cut around it) and one with its answer at the end
python3 - "$T/tricky.jsonl" <<'PY'
import json, sys
filler = 'and so on, step after step without any digit. ' * 120
texts = [
    "<script>alert(1)</script> She sells 16 - 3 - 4 = 9 eggs for $2 each. The answer is 18.",
    "Stop </script><!-- here & there;\u2028line\u2029end. #### 17",
    filler + "So the answer is \\boxed{18}. " + filler,
    filler + filler + "The answer is 18.",
    "I cannot tell.",
]
with open(sys.argv[1], 'w') as f:
    for i, t in enumerate(texts):
        f.write(json.dumps({"problem_id": "0", "sample_index": i, "text": t}) + "\n")
PY
expect_status 0 C import samples "$T/tricky.jsonl" --run '<b>tricky</b>' --model 'm&m' --dataset gsm8k
expect_status 0 C grade
RUNS='g6,g175,<b>tricky</b>,qwen'
HTML=$T/study.html
expect_status 0 C view --runs "$RUNS" --pair g6,g175 --se-k 1 --match count -o "$HTML"
expect_stderr_contains "4 runs, 1419 problems, 3443 samples"
[ -s "$HTML" ] && [ ! -e "$HTML.tmp" ] || fail "study.html was not written, or its temporary file is left"
ok "view wrote $(wc -c <"$HTML") bytes: $(tail -n 1 "$ERR")"

# --- the file: self-contained, script-safe data, the same tables and plots as report, pair and plot ----------
C report --runs "$RUNS" >"$T/report.txt" 2>/dev/null || fail "coseval report failed"
C pair --wc g6 --se g175 --se-k 1 --match count >"$T/pair.txt" 2>/dev/null || fail "coseval pair failed"
C plot coverage --runs "$RUNS" -o "$T/coverage.svg" 2>/dev/null || fail "coseval plot coverage failed"
C plot diversity --runs "$RUNS" -o "$T/diversity.svg" 2>/dev/null || fail "coseval plot diversity failed"
python3 - "$HTML" "$T" <<'PY' || fail "the page's file does not hold what it should (above)"
import html, json, re, sys
page = open(sys.argv[1], encoding='utf-8').read()
t = sys.argv[2]
def check(cond, what):
    if not cond:
        print('FAIL:', what, file=sys.stderr)
        sys.exit(1)
# nothing fetched: no src= or href= to a network address, no @import or url() in the style, no <link>
net = re.findall(r'''(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//''', page, re.I)
check(not net, 'network references: %r' % net[:3])
check(not re.search(r'@import|url\s*\(|<link\b|<iframe\b', page, re.I), 'a stylesheet, import or frame')
check(not re.search(r'<script[^>]*\bsrc\s*=', page, re.I), 'an external script')
# every script element ends where it should: as many openings as closings, JSON blocks parse
opens = len(re.findall(r'<script\b', page))
check(opens == page.count('</script>'), 'script openings and closings differ')
blocks = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
check(len(blocks) == 1420, 'expected 1419 problem blocks and the list, got %d' % len(blocks))
data = {}
for bid, body in blocks:
    check('<' not in body and '\u2028' not in body and '\u2029' not in body, 'raw < or U+2028/9 in ' + bid)
    data[bid] = json.loads(body)
meta = data['cs-data']
check(meta['runs'] == ['g6', 'g175', '<b>tricky</b>', 'qwen'], 'runs %r' % meta['runs'])
p0 = [p for p in meta['problems'] if p['k'] == '0' and p['d'] == 'gsm8k'][0]
samples = data[p0['b']]['s']
texts = [s['t'] for s in samples if s['r'] == 2]
check(texts[0].startswith('<script>alert(1)</script>'), 'the markup text did not survive: %r' % texts[0][:40])
check(texts[1] == 'Stop </script><!-- here & there;\u2028line\u2029end. #### 17', 'text 2: %r' % texts[1])
check(isinstance(texts[2], list) and len(texts[2]) == 5 and '\\boxed{18}' in texts[2][2], 'middle cut: %r' % texts[2][:1])
check(isinstance(texts[3], list) and len(texts[3]) == 3 and texts[3][2].endswith('The answer is 18.'), 'tail cut')
# the report table: the rows of `coseval report`, in order
rows = re.findall(r'<tr><td>(.*?)</td></tr>', page.split('id="cs-report"')[1].split('</table>')[0])
got = [[html.unescape(c) for c in re.split(r'</td><td[^>]*>', r)] for r in rows]
want = [re.split(r'\s{2,}', l.strip()) for l in open(t + '/report.txt', encoding='utf-8').read().splitlines()[1:]
        if l.strip() and not re.match(r'(maj )?options: ', l)]
check(got == want, 'report rows differ: first %r vs %r' % (got[:1], want[:1]))
# the pair table as `coseval pair` prints it
pair = html.unescape(re.search(r'<pre id="cs-pair" class="pair">(.*?)</pre>', page, re.S).group(1))
check(pair == open(t + '/pair.txt', encoding='utf-8').read(), 'the pair table differs from coseval pair')
# the plots: the SVG of coseval plot, without its XML declaration
svgs = re.findall(r'<svg\b.*?</svg>', page, re.S)
for name, svg in zip(['coverage', 'diversity'], svgs):
    plot = open('%s/%s.svg' % (t, name), encoding='utf-8').read()
    check(plot[plot.index('<svg'):].strip() == svg.strip(), name + ' SVG differs from coseval plot')
check(len(svgs) == 2, 'expected 2 SVG plots, got %d' % len(svgs))
print('report rows %d, pair lines %d, 2 plots, %d data blocks' % (len(got), pair.count('\n'), len(blocks)))
PY
ok "self-contained; script-safe JSON in 1420 blocks; report ($(grep -c . "$T/report.txt") lines), pair and both plots as their commands print them"

# --- in the browser ------------------------------------------------------------------------------------------
# dom FRAGMENT OUT: the DOM after the page's script ran with #FRAGMENT
dom() {
	timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 \
		--user-data-dir="$T/chromium" --dump-dom "file://$HTML#$1" >"$2" 2>"$T/chromium.err" ||
		fail "chromium failed on #$1: $(tail -3 "$T/chromium.err")"
	grep -q 'data-ready="1"' "$2" || fail "the page's script did not run for #$1"
}

cat >"$T/dom.py" <<'PY'
# dom.py FILE: prints, from a dumped DOM, the report table's rows, each shown sample (verdict, rule, run, the
# text of its <pre>, its marked answer, its cut marks) and the number of script and b elements, as JSON.
import json, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.report, self.samples, self.stack, self.scripts, self.btags = [], [], [], 0, 0
        self.in_report = self.in_cell = False
        self.cur = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'script':
            self.scripts += 1
        if tag == 'b':
            self.btags += 1
        if tag == 'table' and a.get('id') == 'cs-report':
            self.in_report = True
        if self.in_report and tag == 'tr':
            self.row = []
        if self.in_report and tag == 'td':
            self.in_cell = True
            self.row.append('')
        if tag == 'li' and 'data-verdict' in a:
            self.cur = {'verdict': a['data-verdict'], 'rule': a['data-rule'], 'run': a['data-run'], 'text': '',
                        'mark': None, 'cut': 0}
            self.samples.append(self.cur)
        if self.cur is not None and tag in ('pre', 'mark', 'span'):
            self.stack.append((tag, a.get('class', '')))
    def handle_endtag(self, tag):
        if tag == 'table' and self.in_report:
            self.in_report = False
        if self.in_report and tag == 'td':
            self.in_cell = False
        if self.in_report and tag == 'tr' and self.row:
            self.report.append(self.row)
        if self.cur is not None and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        if tag == 'li':
            self.cur = None
    def handle_data(self, d):
        if self.in_cell:
            self.row[-1] += d
        if self.cur is not None and any(t == 'pre' for t, _ in self.stack):
            self.cur['text'] += d
            if self.stack[-1] == ('mark', 'answer'):
                self.cur['mark'] = d
            if self.stack[-1] == ('span', 'cut'):
                self.cur['cut'] += 1
p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
print(json.dumps({'report': p.report, 'samples': p.samples, 'scripts': p.scripts, 'btags': p.btags}))
PY
domjson() { python3 "$T/dom.py" "$1"; }

# the report as rendered, against `coseval report`
dom "" "$T/dom0.html"
python3 - "$T/dom0.html" "$T/report.txt" "$T/dom.py" <<'PY' || fail "the rendered report differs from coseval report"
import json, re, subprocess, sys
got = json.loads(subprocess.check_output([sys.executable, sys.argv[3], sys.argv[1]]))['report']
want = [re.split(r'\s{2,}', l.strip()) for l in open(sys.argv[2], encoding='utf-8').read().splitlines()[1:]
        if l.strip() and not re.match(r'(maj )?options: ', l)]
if got != want:
    print('rendered %d rows, report %d; first difference:' % (len(got), len(want)),
          next(((g, w) for g, w in zip(got, want) if g != w), None), file=sys.stderr)
    sys.exit(1)
PY
ok "the rendered report table has the $(grep -c '^\(pass@1\|coverage\|diversity\|maj\|fpr\) ' "$T/report.txt") rows of coseval report, figure for figure"

# a verdict filter from the fragment: only wrong samples of problem 0, as many as the database has
want_wrong=$(sql "$DB" "SELECT count(*) FROM samples s JOIN problems p ON p.id = s.problem_id JOIN grades g ON g.sample_id = s.id
	WHERE p.dataset = 'gsm8k' AND p.problem_key = '0' AND g.verdict = 'wrong'")
[ "$want_wrong" -ge 2 ] || fail "expected at least 2 wrong samples of problem 0, got $want_wrong"
dom "problem=0&dataset=gsm8k&verdict=wrong" "$T/dom1.html"
verdicts=$(domjson "$T/dom1.html" | python3 -c 'import json,sys; print(" ".join(s["verdict"] for s in json.load(sys.stdin)["samples"]))')
expect_eq "verdicts shown for #verdict=wrong" "$(printf 'wrong %.0s' $(seq "$want_wrong") | sed 's/ $//')" "$verdicts"
grep -q "id=\"cs-scount\">$want_wrong of 7 samples<" "$T/dom1.html" || fail "the count line does not say $want_wrong of 7 samples"
ok "#problem=0&verdict=wrong shows the $want_wrong wrong samples of problem 0 and no other"

# a rule and run filter: the tricky run's samples on problem 0 whose answer came from a box
dom "problem=0&dataset=gsm8k&run=%3Cb%3Etricky%3C%2Fb%3E&rule=boxed" "$T/dom2.html"
domjson "$T/dom2.html" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["samples"]
assert len(s) == 1 and s[0]["rule"] == "boxed" and s[0]["run"] == "<b>tricky</b>", s
assert s[0]["mark"] == "18" and s[0]["cut"] == 2, s[0]
' || fail "#run=<b>tricky</b>&rule=boxed should show one boxed sample, cut twice around its marked answer"
ok "#run=...&rule=boxed shows the one boxed sample, its answer marked inside the kept window, two cut marks"

# escaped texts show as text: no script element added, the markup visible in the sample
dom "problem=0&dataset=gsm8k&run=%3Cb%3Etricky%3C%2Fb%3E" "$T/dom3.html"
domjson "$T/dom3.html" | python3 -c '
import json, sys
d = json.load(sys.stdin)
texts = [s["text"] for s in d["samples"]]
assert len(texts) == 5, len(texts)
assert texts[0].startswith("<script>alert(1)</script> She sells"), texts[0][:60]
assert texts[1] == "Stop </script><!-- here & there;\u2028line\u2029end. #### 17", repr(texts[1])
assert d["scripts"] == 1421, d["scripts"]
assert any(s["verdict"] == "no-answer" for s in d["samples"])
' || fail "the sample texts did not show as text (or a script element appeared)"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; She sells' "$T/dom3.html" || fail "the escaped markup is not in the DOM as text"
[ "$(domjson "$T/dom3.html" | python3 -c 'import json,sys; print(json.load(sys.stdin)["btags"])')" = 0 ] ||
	fail "the run name <b>tricky</b> became markup"
ok "<script>alert(1)</script>, </script><!--, U+2028/U+2029 and <b>run</b> names show as text"

# a screenshot of the problem view
timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --user-data-dir="$T/chromium" \
	--window-size=1280,900 --screenshot="$T/shot.png" "file://$HTML#problem=0&dataset=gsm8k" >/dev/null 2>"$T/chromium.err" ||
	fail "chromium --screenshot failed: $(tail -3 "$T/chromium.err")"
python3 - "$T/shot.png" <<'PY' || fail "the screenshot is not a 1280x900 PNG"
import struct, sys
b = open(sys.argv[1], 'rb').read()
assert b[:8] == b'\x89PNG\r\n\x1a\n' and b[12:16] == b'IHDR', 'not a PNG'
w, h = struct.unpack('>II', b[16:24])
assert (w, h) == (1280, 900) and len(b) > 20000, (w, h, len(b))
PY
ok "screenshot: a 1280x900 PNG of $(wc -c <"$T/shot.png") bytes"

# --- options and errors --------------------------------------------------------------------------------------
expect_status 2 C view --runs g6
expect_stderr_contains "usage: coseval view"
expect_status 2 C view --runs g6 -o "$T/x.html" --pair g6
expect_stderr_contains "--pair wants two runs"
expect_status 2 C view --runs g6 -o "$T/x.html" --max-text 50
expect_status 3 C view --runs g6,g17 -o "$T/x.html"
expect_stderr_contains "no run 'g17'"
[ ! -e "$T/x.html" ] && [ ! -e "$T/x.html.tmp" ] || fail "a failed view left a file"
expect_status 0 C view --runs '<b>tricky</b>' --max-text 0 -o "$T/whole.html"
! grep -q '"t":\[' "$T/whole.html" || fail "--max-text 0 should keep every text whole"
ok "usage errors exit 2, an unknown run exits 3 and leaves no file, --max-text 0 keeps texts whole"

# --- the demo's study page, in the browser ---------------------------------------------------------------------
# `coseval demo` ends with fit, pair --problems and view; its page must render the demo's report as report
# prints it and open a problem with its samples
mkdir -p "$T/demo"
"$COSEVAL" demo --db "$T/demo/coseval-demo.db" >"$T/demo.out" 2>"$T/demo.err" || fail "coseval demo failed: $(tail -3 "$T/demo.err")"
for step in "coseval fit --runs gsm8k-9b,gsm8k-27b" "coseval pair --wc gsm8k-9b --se gsm8k-27b --se-k 1 --problems" \
	"coseval view --runs gsm8k-9b,gsm8k-27b,math-9b,math-27b"; do
	grep -qF -- "-- $step" "$T/demo.out" || fail "the demo did not run '$step'"
done
grep -q "beta-binomial" "$T/demo.out" && grep -q "WC only at SE k 1" "$T/demo.out" ||
	fail "the demo's fit or pair --problems printed nothing recognisable"
HTML=$T/demo/coseval-demo-study.html
[ -s "$HTML" ] || fail "the demo wrote no study page next to its database"
"$COSEVAL" report --db "$T/demo/coseval-demo.db" --runs gsm8k-9b,gsm8k-27b,math-9b,math-27b >"$T/demo-report.txt" ||
	fail "report on the demo database failed"
dom "problem=g20&dataset=gsm8k-demo" "$T/demo-dom.html"
python3 - "$T/demo-report.txt" "$(domjson "$T/demo-dom.html")" <<'PY' || fail "the demo's page does not show what report prints (above)"
import json, sys
report = [l.split() for l in open(sys.argv[1]) if l.strip() and not l.startswith(('run ', 'options', 'metric'))]
dom = json.loads(sys.argv[2])
shown = [r for r in dom['report'] if r]
assert len(shown) >= 8, 'the report table has %d rows' % len(shown)
# every rendered row's point value is one report prints
values = {tok for row in report for tok in row}
for row in shown:
    assert any(cell.strip() in values for cell in row if cell.strip()[:1].isdigit()), row
runs = {s['run'] for s in dom['samples']}
assert dom['samples'] and runs <= {'gsm8k-9b', 'gsm8k-27b', 'math-9b', 'math-27b'}, dom['samples'][:2]
assert sum(1 for s in dom['samples'] if s['run'] == 'gsm8k-9b') == 6, 'problem g20 has 6 gsm8k-9b samples'
print('demo page: %d report rows, %d samples of g20' % (len(shown), len(dom['samples'])))
PY
ok "the demo ends with fit, pair --problems and view; its page renders the report and problem g20's samples"
