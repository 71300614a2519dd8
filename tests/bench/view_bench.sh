#!/usr/bin/env bash
# Benchmark of `coseval view` on a large run: writes the page of N generated MATH-style samples (default
# 100,000 over the 5,000 MATH test problems, tests/bench/gen_samples.py) and opens it in headless chromium,
# printing the page's size, the time to write it, and the load time the browser measures (navigation start to
# the end of the page's first render, the body's data-ready-ms), with the problem list alone and with one
# problem opened and filtered, and the wall time of a whole `chromium --screenshot` run (browser start
# included). The database is kept in the work folder and reused by later runs with the same N.
#
# usage: tests/bench/view_bench.sh [--n N] [--build DIR (default build)] [--work DIR (default $TMPDIR/coseval-view)]
#                                  [--data DIR] [--max-text BYTES]
# Needs chromium, python3 and /usr/bin/time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=100000
build=$root/build
work=${TMPDIR:-/tmp}/coseval-view
data=${COSEVAL_DATA:-$root/../shared/data}
max_text=()
while [ $# -gt 0 ]; do
	case $1 in
	--n) n=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--max-text) max_text=(--max-text "$2"); shift 2 ;;
	*) echo "usage: $0 [--n N] [--build DIR] [--work DIR] [--data DIR] [--max-text BYTES]" >&2; exit 2 ;;
	esac
done
coseval=$build/coseval
browser=$(command -v chromium || command -v chromium-browser) || { echo "chromium is needed" >&2; exit 2; }
mkdir -p "$work"
db=$work/view-$n.db
if [ ! -s "$db" ]; then
	python3 "$here/gen_samples.py" math "$n" "$work/samples-$n.jsonl" --data "$data"
	"$coseval" import problems "$data/tora/math_test.jsonl" --dataset math --db "$db.tmp" >/dev/null
	"$coseval" import samples "$work/samples-$n.jsonl" --run big --model gen --dataset math --db "$db.tmp" >/dev/null
	"$coseval" grade --db "$db.tmp" >/dev/null
	mv "$db.tmp" "$db"
fi
page=$work/view-$n.html
/usr/bin/time -f "%e %M" -o "$work/time" "$coseval" view --runs big "${max_text[@]}" --db "$db" -o "$page" 2>"$work/view.err"
read -r secs rss <"$work/time"
echo "samples: $n; page: $(wc -c <"$page") bytes; written in $secs s, peak RSS $((rss / 1024)) MB"
grep -o 'coseval view: .*' "$work/view.err" | sed 's/^/  /'
problem=$(python3 -c 'import json,re,sys
s=open(sys.argv[1],encoding="utf-8").read()
print(json.loads(re.search(r"id=\"cs-data\">(.*?)</script>",s,re.S).group(1))["problems"][0]["k"])' "$page")
for frag in "" "problem=$problem&verdict=wrong"; do
	for round in 1 2 3; do
		timeout 600 "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 \
			--user-data-dir="$work/chromium" --dump-dom "file://$page#$frag" 2>/dev/null >"$work/dom.html"
		ms=$(grep -o 'data-ready-ms="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*')
		echo "load #${frag:-(problem list)} round $round: ${ms} ms to the first render"
	done
	/usr/bin/time -f "%e" -o "$work/time" timeout 600 "$browser" --headless --no-sandbox --disable-gpu \
		--virtual-time-budget=5000 --user-data-dir="$work/chromium" --window-size=1280,900 \
		--screenshot="$work/shot.png" "file://$page#$frag" >/dev/null 2>&1
	echo "chromium --screenshot #${frag:-(problem list)}: $(cat "$work/time") s wall, browser start included"
done
