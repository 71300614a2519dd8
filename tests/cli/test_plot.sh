#!/usr/bin/env bash
# Checks coseval plot: well-formed SVG that renders to a non-blank PNG, for every x axis and --by level,
# byte-identical output for the same inputs, escaped run names, and the exit statuses of bad inputs.
set -u
. "$(dirname "$0")/lib.sh"

command -v xmllint >/dev/null || fail "xmllint is needed (Debian package libxml2-utils)"
command -v rsvg-convert >/dev/null || fail "rsvg-convert is needed (Debian package librsvg2-bin)"
command -v python3 >/dev/null || fail "python3 is needed"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
DB=$T/demo.db
C() { "$COSEVAL" "$@" --db "$DB"; }
expect_status 0 "$COSEVAL" demo --db "$DB" --data "$DEMO_DIR"

# colours PNG: prints the number of distinct pixel colours (8-bit RGB or RGBA, non-interlaced).
cat >"$T/colours.py" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, ihdr = 8, b'', None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        ihdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = ihdr
assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, i = bytearray(stride), set(), 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 7):
        colours.add(bytes(line[x:x + bpp]))
    prev = line
print(len(colours))
PY

# check_svg FILE: well-formed XML, renders, more than one colour.
check_svg() {
	[ -s "$1" ] || fail "$1 was not written"
	xmllint --noout "$1" 2>"$T/xmllint.err" || fail "$1 is not well-formed XML: $(head -3 "$T/xmllint.err")"
	rsvg-convert -o "$1.png" "$1" 2>"$T/rsvg.err" || fail "rsvg-convert failed on $1: $(head -3 "$T/rsvg.err")"
	local n
	n=$(python3 "$T/colours.py" "$1.png") || fail "could not decode $1.png"
	[ "$n" -gt 1 ] || fail "$1 renders to a blank image ($n colour)"
	ok "$(basename "$1"): well-formed, renders with $n colours"
}

RUNS=gsm8k-9b,gsm8k-27b,math-9b,math-27b
expect_status 0 C plot coverage --runs "$RUNS" -o "$T/cov.svg"
check_svg "$T/cov.svg"
grep -q 'gsm8k-27b (demo-27b)' "$T/cov.svg" || fail "legend lacks run and model"
grep -q '>coverage@k<' "$T/cov.svg" || fail "no title"
grep -q '<polygon' "$T/cov.svg" || fail "no interval band"
for k in 1 2 4; do grep -q ">$k</text>" "$T/cov.svg" || fail "no k tick $k"; done
expect_status 0 C plot diversity --runs "$RUNS" -o "$T/div.svg"
check_svg "$T/div.svg"
expect_status 0 C plot pass --runs gsm8k-9b,gsm8k-27b -o "$T/pass.svg"
check_svg "$T/pass.svg"
expect_status 0 C plot coverage --runs gsm8k-9b,gsm8k-27b --x flops -o "$T/flops.svg"
check_svg "$T/flops.svg"
grep -qE '>[125]e1[12]</text>' "$T/flops.svg" || fail "no 1e12-style FLOPs tick"
expect_status 0 C plot diversity --runs math-9b,math-27b --x cost -o "$T/cost.svg"
check_svg "$T/cost.svg"
grep -q '>\$' "$T/cost.svg" || fail "no dollar tick on the cost axis"
expect_status 0 C plot coverage --runs math-9b,math-27b --by level -o "$T/level.svg"
check_svg "$T/level.svg"
for l in 1 2 3 4 5; do grep -q ">level=$l<" "$T/level.svg" || fail "no panel for level $l"; done
expect_status 0 C plot coverage --runs math-9b,math-27b --by level --x flops -o "$T/level-flops.svg"
check_svg "$T/level-flops.svg"

# the same inputs and seed give the same bytes; another seed moves the bands
expect_status 0 C plot coverage --runs "$RUNS" -o "$T/cov2.svg"
cmp -s "$T/cov.svg" "$T/cov2.svg" || fail "two runs of the same plot differ"
expect_status 0 C plot coverage --runs math-9b,math-27b --by level -o "$T/level2.svg"
cmp -s "$T/level.svg" "$T/level2.svg" || fail "two runs of the same --by level plot differ"
expect_status 0 C plot coverage --runs "$RUNS" --seed 7 -o "$T/cov7.svg"
cmp -s "$T/cov.svg" "$T/cov7.svg" && fail "--seed did not change the bands"
ok "deterministic output"

# run names are escaped
expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-9b.jsonl" --run 'a<b&"c' --model "m'1" --dataset gsm8k-demo
expect_status 0 C grade
expect_status 0 C plot coverage --runs 'a<b&"c,gsm8k-9b' -o "$T/esc.svg"
check_svg "$T/esc.svg"
grep -qF 'a&lt;b&amp;&quot;c (m&apos;1)' "$T/esc.svg" || fail "run name not escaped"

# bad inputs
expect_status 3 C plot coverage --runs gsm8k-9b,nosuchrun -o "$T/x.svg"
expect_stderr_contains "nosuchrun"
[ -e "$T/x.svg" ] && fail "a failed plot left a file"
expect_status 2 C plot coverage --runs gsm8k-9b
expect_status 2 C plot coverage --runs gsm8k-9b --x bananas -o "$T/x.svg"
expect_stderr_contains "--x"
expect_status 2 C plot accuracy --runs gsm8k-9b -o "$T/x.svg"
expect_status 2 C plot coverage -o "$T/x.svg"
expect_status 2 C plot coverage --runs gsm8k-9b --by colour -o "$T/x.svg"
# the escaped run was imported without --params and --price-out
expect_status 3 C plot coverage --runs 'a<b&"c' --x flops -o "$T/x.svg"
expect_stderr_contains "--params"
expect_status 3 C plot coverage --runs gsm8k-9b,'a<b&"c' --x cost -o "$T/x.svg"
expect_stderr_contains "--price-out"
[ -e "$T/x.svg" ] && fail "a failed plot left a file"
ok "bad inputs: unknown run 3, missing -o 2, bad --x 2, missing params/price 3"
