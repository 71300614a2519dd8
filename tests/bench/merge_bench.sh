#!/usr/bin/env bash
# Benchmark of `coseval merge`: wall time and peak RSS of merging K graded input databases of N/K samples
# each (one run per input, the problems shared) into a new database; of merging the same inputs into it
# again (every row already there: the conflict checks over all of it, nothing added); and of a merge that
# copies a whole input (the first one, its run renamed) into it and then meets a conflict at its last input,
# after which the output must be the same byte for byte.
#
# usage: tests/bench/merge_bench.sh [--n N (default 4000000)] [--inputs K (default 2)] [--style math|gsm8k]
#                                   [--build DIR (default build-rel)] [--compare BIN] [--work DIR]
#                                   [--data DIR] [--no-grade] [--keep]
# --compare BIN runs the same steps with another coseval binary too (an older build, say) and prints the
# ratios of its figures to this build's, from the same run. The dump of N/K samples is generated once (with
# gen_samples.py, shared with run_bench.sh) and kept in the work folder; the input databases are kept and
# reused when --keep was given, else removed at the end with the outputs.
# Needs /usr/bin/time (Debian: apt-get install -y time), python3 and sqlite3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=4000000
inputs=2
style=math
build=$root/build-rel
compare=
work=${TMPDIR:-/tmp}/coseval-bench
data=${COSEVAL_DATA:-$root/../shared/data}
grade=1
keep=0

while [ $# -gt 0 ]; do
	case $1 in
	--n) n=$2; shift 2 ;;
	--inputs) inputs=$2; shift 2 ;;
	--style) style=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--compare) compare=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--no-grade) grade=0; shift ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "merge_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done
case $n in
''|*[!0-9]*|0) echo "merge_bench.sh: --n takes a positive whole number" >&2; exit 2 ;;
esac
case $inputs in
''|*[!0-9]*|0) echo "merge_bench.sh: --inputs takes a whole number from 1 to 10" >&2; exit 2 ;;
esac
[ "$inputs" -le 10 ] || { echo "merge_bench.sh: --inputs takes a whole number from 1 to 10" >&2; exit 2; }
case $style in
math) problems=$data/tora/math_test.jsonl; dataset=math ;;
gsm8k) problems=$data/gsm8k/test.jsonl; dataset=gsm8k ;;
*) echo "merge_bench.sh: unknown style $style (math, gsm8k)" >&2; exit 2 ;;
esac
[ -x /usr/bin/time ] || { echo "merge_bench.sh: /usr/bin/time is missing (Debian: apt-get install -y time)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "merge_bench.sh: the sqlite3 tool is needed" >&2; exit 2; }
[ -d "$data" ] || { echo "merge_bench.sh: no data folder at $data (--data DIR)" >&2; exit 2; }
if [ -n "$compare" ] && [ ! -x "$compare" ]; then
	echo "merge_bench.sh: --compare $compare is not an executable" >&2
	exit 2
fi

coseval=$build/coseval
if [ ! -x "$coseval" ]; then
	echo "== building $build (Release)" >&2
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" -j2 --target coseval >/dev/null
fi
mkdir -p "$work"

per=$((n / inputs))
dump=$work/$style-$per.jsonl
if [ ! -s "$dump" ]; then
	echo "== generating $dump" >&2
	python3 "$here/gen_samples.py" "$style" "$per" "$dump.tmp" --data "$data"
	mv "$dump.tmp" "$dump"
fi

# the inputs: the same problems in each, and one run of the dump per input, graded unless --no-grade; kept
# inputs are reused by a build of the same schema version
rm -f "$work/version.db"
"$coseval" init --db "$work/version.db" >/dev/null
version=$(sqlite3 "$work/version.db" "PRAGMA user_version")
rm -f "$work/version.db"
ins=()
for ((i = 0; i < inputs; i++)); do
	in=$work/merge-$style-$per-g$grade-v$version-in$i.db
	ins+=("$in")
	[ -s "$in" ] && continue
	echo "== making $in" >&2
	rm -f "$in"
	"$coseval" init --db "$in.tmp" >/dev/null
	"$coseval" import problems "$problems" --dataset "$dataset" --db "$in.tmp" >/dev/null
	"$coseval" import samples "$dump" --run "bench-$i" --model "m$i" --dataset "$dataset" --db "$in.tmp" >/dev/null
	[ "$grade" = 1 ] && "$coseval" grade --db "$in.tmp" --threads 2 >/dev/null
	mv "$in.tmp" "$in"
done
out=$work/merge-out.db
# for the failing merge: a copy of the first input whose run has another name (its rows are all new to the
# output), and a small input whose run bench-0 has another model (a conflict with the output)
renamed=$work/merge-renamed.db
bad=$work/merge-bad.db
cleanup() {
	rm -f "$out" "$out-journal" "$renamed" "$bad" "$work/bad.jsonl"
	[ "$keep" = 1 ] || rm -f "${ins[@]}"
}
trap cleanup EXIT
cp "${ins[0]}" "$renamed"
sqlite3 "$renamed" "UPDATE runs SET name = 'bench-renamed'"
head -n 10 "$dump" >"$work/bad.jsonl"
rm -f "$bad"
"$coseval" init --db "$bad" >/dev/null
"$coseval" import problems "$problems" --dataset "$dataset" --db "$bad" >/dev/null
"$coseval" import samples "$work/bad.jsonl" --run bench-0 --model other --dataset "$dataset" --db "$bad" >/dev/null

# step BIN NAME WANT IN...: runs `BIN merge OUT IN...` under /usr/bin/time, which must exit WANT; prints and
# records the wall time and peak RSS
declare -A wall rss
step() {
	local bin=$1 name=$2 want=$3 w r status=0
	shift 3
	/usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" merge "$out" "$@" >"$work/step.log" 2>&1 || status=$?
	if [ "$status" != "$want" ]; then
		echo "merge_bench.sh: $name exited $status, not $want: $bin merge $out $*" >&2
		cat "$work/step.log" >&2
		exit 1
	fi
	read -r w r < <(tail -n 1 "$work/time.txt")
	wall[$name]=$w
	rss[$name]=$r
	printf '   %-34s %8.2f s %8d MB   %s\n' "$name" "$w" $((r / 1024)) "$(head -n 1 "$work/step.log" | cut -c1-160)" >&2
}

# rounds BIN LABEL: a merge into a new output, the same merge again into it, and a merge that copies a whole
# input into it and then fails at the last input, which must leave the output as it was
rounds() {
	local bin=$1 label=$2 got sum
	rm -f "$out" "$out-journal"
	cat "${ins[@]}" "$renamed" >/dev/null # every round starts with the inputs in the page cache
	step "$bin" "$label|new" 0 "${ins[@]}"
	got=$(sqlite3 "$out" "SELECT count(*) FROM samples")
	[ "$got" = $((per * inputs)) ] || { echo "merge_bench.sh: $got samples merged, not $((per * inputs))" >&2; exit 1; }
	step "$bin" "$label|again" 0 "${ins[@]}"
	sum=$(sha256sum <"$out")
	step "$bin" "$label|fail" 3 "$renamed" "$bad"
	[ "$(sha256sum <"$out")" = "$sum" ] || { echo "merge_bench.sh: the failed merge changed $out" >&2; exit 1; }
	[ ! -e "$out-journal" ] || { echo "merge_bench.sh: the failed merge left $out-journal" >&2; exit 1; }
	rm -f "$out" "$out-journal"
}

echo "== merging $inputs databases of $per $style samples ($( [ "$grade" = 1 ] && echo graded || echo not graded))" >&2
rounds "$coseval" this
[ -n "$compare" ] && rounds "$compare" compare

printf '\n%s: merge of %d databases of %d samples, %d in all (%s)\n' "$style" "$inputs" "$per" $((per * inputs)) \
	"$( [ "$grade" = 1 ] && echo graded || echo not graded)"
printf '%-40s %9s %8s' step "wall s" "RSS MB"
[ -n "$compare" ] && printf ' %11s %11s %8s %8s' "cmp wall s" "cmp RSS MB" "wall x" "RSS x"
printf '\n'
for s in new again fail; do
	case $s in
	new) label="merge into a new database" ;;
	again) label="the same merge again (no-op)" ;;
	fail) label="+$per samples, then a conflict" ;;
	esac
	printf '%-40s %9.2f %8.0f' "$label" "${wall[this|$s]}" "$(awk -v r="${rss[this|$s]}" 'BEGIN { print r / 1024 }')"
	if [ -n "$compare" ]; then
		awk -v w="${wall[this|$s]}" -v r="${rss[this|$s]}" -v cw="${wall[compare|$s]}" -v cr="${rss[compare|$s]}" \
			'BEGIN { printf " %11.2f %11.0f %8.2f %8.2f", cw, cr / 1024, cw / (w > 0 ? w : 0.01), cr / r }'
	fi
	printf '\n'
done
[ -n "$compare" ] && printf '(wall x, RSS x: the --compare binary'"'"'s figure over this build'"'"'s)\n'
printf '(the conflict rolls everything back: the output was checked to be the same byte for byte after it)\n'
exit 0
