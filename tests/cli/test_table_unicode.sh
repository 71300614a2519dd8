#!/usr/bin/env bash
# Checks LaTeX tables with run and model names in Cyrillic, Greek and CJK: the table starts with comment lines
# naming the engine and the preamble that typeset it, and lualatex compiles it with that preamble with every
# character in a font; a name longer than a cell is cut at a character boundary; an ASCII table has no note.
set -u
. "$(dirname "$0")/lib.sh"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
DB=$T/demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 C init
expect_status 0 C import problems "$DEMO_DIR/gsm8k-demo.problems.jsonl" --dataset gsm8k-demo --profile gsm8k
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-9b.jsonl" --run gsm8k-9b --model demo-9b \
	--dataset gsm8k-demo --params 9e9
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-27b.openai-batch.jsonl" --preset openai-batch \
	--run gsm8k-27b --model demo-27b --dataset gsm8k-demo --params 27e9
LONG=$(python3 -c 'print("x" + "очень-длинное-имя-" * 20 + "9b")')  # its cell is cut inside a character
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-9b.jsonl" --run "модель-9b" --model "модель-9b" \
	--dataset gsm8k-demo --params 9e9
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-27b.openai-batch.jsonl" --preset openai-batch \
	--run "μοντέλο-27b" --model "模型-27b" --dataset gsm8k-demo --params 27e9
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-9b.jsonl" --run "$LONG" --model "Модель" \
	--dataset gsm8k-demo --params 9e9
expect_status 0 C grade

# the note: comment lines first, then the tabular; none in an ASCII table
expect_status 0 C table data --pairs "модель-9b:μοντέλο-27b" --budgets low=1,high=2 --format latex -o "$T/cjk.tex"
expect_status 0 C table data --pairs "модель-9b:gsm8k-27b,$LONG:gsm8k-27b" --budgets low=1 --format latex \
	-o "$T/cyr.tex"
expect_status 0 C table data --pairs gsm8k-9b:gsm8k-27b --budgets low=1 --format latex -o "$T/ascii.tex"
python3 - "$T/cjk.tex" "$T/cyr.tex" "$T/ascii.tex" "$LONG" <<'PY' || fail "latex note or names wrong"
import sys
cjk, cyr, ascii_, long_name = (open(sys.argv[1], encoding='utf-8').read(), open(sys.argv[2], encoding='utf-8').read(),
                               open(sys.argv[3], encoding='utf-8').read(), sys.argv[4])
for tex in (cjk, cyr):
    assert tex.startswith('% coseval: this table has characters outside ASCII.'), tex[:80]
    head = tex[:tex.index(r'\begin{tabular}')]
    assert all(l.startswith('%') for l in head.splitlines()), head
    assert 'lualatex' in head and r'\usepackage{fontspec}' in head
assert 'модель-9b (модель-9b) vs μοντέλο-27b (模型-27b)' in cjk
assert ascii_.startswith(r'\begin{tabular}'), ascii_[:80]
# the long name is cut inside its cell (utf-8 decoding above would have failed on half a character)
row = next(l for l in cyr.splitlines() if l.startswith('xочень'))
assert long_name not in cyr and row.split(' & ')[0] in (long_name + ' (Модель) vs gsm8k-27b (demo-27b)')
PY
ok "latex: a note on the engine before a table with non-ASCII names, none on an ASCII one, cells cut at characters"

if ! command -v lualatex >/dev/null || ! kpsewhich luaotfload-main.lua >/dev/null 2>&1; then
	echo "SKIP [$TEST_NAME]: lualatex with luaotfload is not installed (Debian: texlive-luatex); the tables were not compiled"
	exit 0
fi
# The preamble of the note, with the CJK font it names replaced by one that is installed when it is not.
preamble() {
	sed -n 's/^%   //p' "$1"
}
named=$(preamble "$T/cjk.tex" | sed -n 's/.*add_fallback("cjk", {"\([^:]*\):.*/\1/p')
[ -n "$named" ] || fail "the note names no CJK fallback font"
cjk_font=
if fc-list ":family=$named" family | grep -q .; then
	cjk_font=$named
else
	cjk_font=$(fc-list :lang=zh family | head -n 1 | cut -d, -f1)
fi
compile() { # compile NAME TABLE PREAMBLE-FILE: lualatex, then no missing character in the log
	{
		echo '\documentclass{article}'
		cat "$3"
		echo '\begin{document}'
		echo "\\input{$2}"
		echo '\end{document}'
	} >"$T/$1.tex"
	(cd "$T" && timeout 600 lualatex -interaction=nonstopmode "$1.tex" >/dev/null 2>&1) ||
		fail "lualatex failed on $2: $(grep -m 3 '^!' "$T/$1.log")"
	if grep -q 'Missing character' "$T/$1.log"; then
		fail "lualatex typeset $2 with missing characters: $(grep -m 3 'Missing character' "$T/$1.log")"
	fi
}
# Cyrillic (and Greek in the other table) with the note's preamble, the CJK fallback left out when no CJK
# font is installed
preamble "$T/cyr.tex" >"$T/cyr-preamble.tex"
if [ -n "$cjk_font" ]; then
	sed -i "s/\"$named:/\"$cjk_font:/" "$T/cyr-preamble.tex"
else
	sed -i -e '/add_fallback/d' -e 's/\[RawFeature={fallback=cjk}\]//' "$T/cyr-preamble.tex"
fi
compile doc-cyr cyr.tex "$T/cyr-preamble.tex"
ok "lualatex compiles a table with Cyrillic names with the note's preamble, every character in a font"
if [ -z "$cjk_font" ]; then
	echo "SKIP [$TEST_NAME]: no CJK font is installed (fc-list :lang=zh is empty; Debian: fonts-noto-cjk or" \
		"fonts-wqy-microhei): the table with CJK names was not compiled"
	exit 0
fi
preamble "$T/cjk.tex" | sed "s/\"$named:/\"$cjk_font:/" >"$T/cjk-preamble.tex"
compile doc-cjk cjk.tex "$T/cjk-preamble.tex"
ok "lualatex compiles a table with Cyrillic, Greek and CJK names with the note's preamble ($cjk_font for CJK)"
