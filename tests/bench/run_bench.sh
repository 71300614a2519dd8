#!/usr/bin/env bash
# Benchmark of the whole pipeline on generated MATH- and GSM8K-style dumps: import, a first grading on 1 and
# on 2 threads, a regrade, report, database-free streaming grade, and the floor (the same file read and
# inserted raw), with wall time, throughput and peak RSS of each step.
#
# usage: tests/bench/run_bench.sh [--n N (default 1000000)] [--build DIR (default build-rel)]
#                                 [--work DIR (default $TMPDIR/coseval-bench)] [--data DIR] [--styles "math gsm8k"]
#                                 [--repeat R (default 3)] [--keep]
# Each step runs R times (what it needs is set up again before each run, untimed); a row gives the median
# wall time, its range, and the largest peak RSS. Ratios are of medians.
# Needs /usr/bin/time (Debian: apt-get install -y time), python3 and sqlite3. The generated dumps are kept in
# the work folder and reused by later runs with the same N; the databases are removed unless --keep.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=1000000
build=$root/build-rel
work=${TMPDIR:-/tmp}/coseval-bench
data=${COSEVAL_DATA:-$root/../shared/data}
styles="math gsm8k"
repeat=3
keep=0

while [ $# -gt 0 ]; do
	case $1 in
	--n) n=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--styles) styles=$2; shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done
case $repeat in
''|*[!0-9]*|0) echo "run_bench.sh: --repeat takes a positive whole number" >&2; exit 2 ;;
esac
case $n in
''|*[!0-9]*|0) echo "run_bench.sh: --n takes a positive whole number" >&2; exit 2 ;;
esac
[ -x /usr/bin/time ] || { echo "run_bench.sh: /usr/bin/time is missing (Debian: apt-get install -y time)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "run_bench.sh: the sqlite3 tool is needed" >&2; exit 2; }
[ -d "$data" ] || { echo "run_bench.sh: no data folder at $data (--data DIR)" >&2; exit 2; }

coseval=$build/coseval
floor=$build/bench_raw_floor
if [ ! -x "$coseval" ] || [ ! -x "$floor" ]; then
	echo "== building $build (Release)" >&2
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" -j2 --target coseval bench_raw_floor >/dev/null
fi
mkdir -p "$work"

rows=()
# timed STEP THREADS BYTES SAMPLES PREP CMD...: runs PREP (a shell function, untimed; : for nothing) and then
# CMD under /usr/bin/time, $repeat times, and records a table row: median wall time, range, largest peak RSS
timed() {
	local step=$1 threads=$2 bytes=$3 samples=$4 prep=$5 walls=() rss_max=0 wall rss range
	shift 5
	for ((r = 0; r < repeat; r++)); do
		$prep
		if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/step.log" 2>&1; then
			echo "run_bench.sh: step '$step' failed: $*" >&2
			cat "$work/step.log" >&2
			exit 1
		fi
		read -r wall rss <"$work/time.txt"
		walls+=("$wall")
		[ "$rss" -gt "$rss_max" ] && rss_max=$rss
	done
	wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	range=$(printf '%s\n' "${walls[@]}" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
	last_wall=$wall
	rows+=("$(awk -v s="$step" -v t="$threads" -v w="$wall" -v g="$range" -v r="$rss_max" -v b="$bytes" -v n="$samples" 'BEGIN {
		ws = w > 0 ? w : 0.01
		ns = n > 0 ? sprintf("%.0f", n / ws) : "-"
		mbs = b > 0 ? sprintf("%.1f", b / ws / 1e6) : "-"
		printf "%-24s %7s %9.2f %13s %11s %8s %8.0f\n", s, t, w, g, ns, mbs, r / 1024 }')")
	echo "   $step: ${walls[*]} s, peak RSS $((rss_max / 1024)) MB" >&2
}

# set-ups run before each repetition of a step
fresh_db() {
	rm -f "$db"
	"$coseval" init --db "$db" >/dev/null
	"$coseval" import problems "$problems" --dataset "$dataset" --db "$db" >/dev/null
}
drop_grades() {
	sqlite3 "$db" "DELETE FROM grades"
}

summary=()
for style in $styles; do
	case $style in
	math) problems=$data/tora/math_test.jsonl; dataset=math ;;
	gsm8k) problems=$data/gsm8k/test.jsonl; dataset=gsm8k ;;
	*) echo "run_bench.sh: unknown style $style (math, gsm8k)" >&2; exit 2 ;;
	esac
	dump=$work/$style-$n.jsonl
	if [ ! -s "$dump" ]; then
		echo "== generating $dump" >&2
		python3 "$here/gen_samples.py" "$style" "$n" "$dump.tmp" --data "$data"
		mv "$dump.tmp" "$dump"
	fi
	bytes=$(stat -c %s "$dump")
	db=$work/$style.db
	rm -f "$db" "$work/$style-floor.db"
	echo "== $style: $n samples, $((bytes / 1000000)) MB" >&2

	rows+=("-- $style: $n samples, $((bytes / 1000000)) MB")
	timed "import" 1 "$bytes" "$n" fresh_db \
		"$coseval" import samples "$dump" --run bench --model m --dataset "$dataset" --db "$db"
	import_s=$last_wall
	# a first grading each time: the grades are dropped before each run (not timed)
	timed "grade" 1 0 "$n" drop_grades "$coseval" grade --db "$db" --threads 1
	grade1_s=$last_wall
	timed "grade" 2 0 "$n" drop_grades "$coseval" grade --db "$db" --threads 2
	grade2_s=$last_wall
	timed "grade --regrade" 2 0 "$n" : "$coseval" grade --db "$db" --threads 2 --regrade
	timed "report" 1 0 "$n" : "$coseval" report --db "$db" --runs bench --k 1,2,4,8,16,32,64 --bootstrap 1000 \
		-o "$work/$style-report.csv"
	timed "floor (read + insert)" 1 "$bytes" "$n" : "$floor" "$dump" "$work/$style-floor.db"
	floor_s=$last_wall
	rm -f "$work/$style-floor.db"
	# the database-free grader on the same samples with their gold answers (exported first, not timed)
	sqlite3 "$db" "SELECT json_object('id', s.id, 'gold', p.gold, 'text', s.text) FROM samples s
		JOIN problems p ON p.id = s.problem_id ORDER BY s.id" >"$work/$style-stream.jsonl"
	sbytes=$(stat -c %s "$work/$style-stream.jsonl")
	timed "grade --stream" 1 "$sbytes" "$n" : sh -c 'exec "$1" grade --stream --profile "$2" --threads 1 <"$3" >/dev/null' \
		sh "$coseval" "$dataset" "$work/$style-stream.jsonl"
	timed "grade --stream" 2 "$sbytes" "$n" : sh -c 'exec "$1" grade --stream --profile "$2" --threads 2 <"$3" >/dev/null' \
		sh "$coseval" "$dataset" "$work/$style-stream.jsonl"
	rm -f "$work/$style-stream.jsonl"
	summary+=("$(awk -v s="$style" -v i="$import_s" -v g1="$grade1_s" -v g2="$grade2_s" -v f="$floor_s" 'BEGIN {
		f = f > 0 ? f : 0.01
		g2 = g2 > 0 ? g2 : 0.01
		printf "%s: import + grade = %.2f s on 1 thread, %.2f s on 2; floor %.2f s; ratio %.2fx (1 thread), %.2fx (2);",
		       s, i + g1, i + g2, f, (i + g1) / f, (i + g2) / f
		printf " grading on 2 threads %.2fx faster than on 1", g1 / g2 }')")
	[ "$keep" = 1 ] || rm -f "$db"
done

printf '\n%-24s %7s %9s %13s %11s %8s %8s\n' step threads "wall s" "range s" samples/s MB/s "RSS MB"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${summary[@]}"
