#!/usr/bin/env bash
# Benchmark of the whole pipeline on generated MATH- and GSM8K-style dumps: import, a first grading on 1 and
# on 2 threads, a regrade, report, database-free streaming grade, and the floor (the same file read and
# inserted raw), with wall time, throughput and peak RSS of each step.
#
# usage: tests/bench/run_bench.sh [--n N (default 1000000)] [--build DIR (default build-rel)]
#                                 [--work DIR (default $TMPDIR/coseval-bench)] [--data DIR] [--styles "math gsm8k"]
#                                 [--repeat R (default 3)] [--keep]
# The steps run in R rounds (what a step needs is set up again before it, untimed); a row gives the median
# wall time over the rounds, its range, and the largest peak RSS. The comparisons (pipeline / floor, 1 / 2
# threads) are computed within each round, whose steps ran minutes apart at most, and summarised by their
# median and range.
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
	-h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# Each step's wall times (one per round) and largest peak RSS, by "style|step|threads"; keys in table order.
declare -A walls rss_max
keys=()

# once KEY PREP CMD...: runs PREP (a shell function, untimed; : for nothing) and then CMD under /usr/bin/time
# once; records the wall time and peak RSS under KEY and sets last_wall
once() {
	local key=$1 prep=$2 wall rss
	shift 2
	$prep
	if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/step.log" 2>&1; then
		echo "run_bench.sh: step '$key' failed: $*" >&2
		cat "$work/step.log" >&2
		exit 1
	fi
	read -r wall rss <"$work/time.txt"
	[ -n "${walls[$key]+set}" ] || keys+=("$key")
	walls[$key]="${walls[$key]:-} $wall"
	[ "$rss" -gt "${rss_max[$key]:-0}" ] && rss_max[$key]=$rss
	last_wall=$wall
	echo "   ${key//|/ }: $wall s, peak RSS $((rss / 1024)) MB" >&2
}

# median and range of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
range() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }

# set-ups run before a step
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
	stream=$work/$style-stream.jsonl
	echo "== $style: $n samples, $((bytes / 1000000)) MB, $repeat rounds" >&2
	ratios_floor1=() ratios_floor2=() ratios_threads=()
	for ((round = 1; round <= repeat; round++)); do
		echo "-- round $round" >&2
		once "$style|import|1" fresh_db \
			"$coseval" import samples "$dump" --run bench --model m --dataset "$dataset" --db "$db"
		import_s=$last_wall
		# a first grading each time: the grades are dropped before (not timed)
		once "$style|grade|1" drop_grades "$coseval" grade --db "$db" --threads 1
		grade1_s=$last_wall
		once "$style|grade|2" drop_grades "$coseval" grade --db "$db" --threads 2
		grade2_s=$last_wall
		once "$style|grade --regrade|2" : "$coseval" grade --db "$db" --threads 2 --regrade
		once "$style|report|1" : "$coseval" report --db "$db" --runs bench --k 1,2,4,8,16,32,64 --bootstrap 1000 \
			-o "$work/$style-report.csv"
		once "$style|floor (read + insert)|1" : "$floor" "$dump" "$work/$style-floor.db"
		floor_s=$last_wall
		rm -f "$work/$style-floor.db"
		# the database-free grader on the same samples with their gold answers (exported once, not timed)
		if [ "$round" = 1 ]; then
			sqlite3 "$db" "SELECT json_object('id', s.id, 'gold', p.gold, 'text', s.text) FROM samples s
				JOIN problems p ON p.id = s.problem_id ORDER BY s.id" >"$stream"
		fi
		once "$style|grade --stream|1" : sh -c 'exec "$1" grade --stream --profile "$2" --threads 1 <"$3" >/dev/null' \
			sh "$coseval" "$dataset" "$stream"
		once "$style|grade --stream|2" : sh -c 'exec "$1" grade --stream --profile "$2" --threads 2 <"$3" >/dev/null' \
			sh "$coseval" "$dataset" "$stream"
		# the comparisons, within the round: every step of a round ran within a few seconds of the others
		ratios_floor1+=("$(awk -v i="$import_s" -v g="$grade1_s" -v f="$floor_s" 'BEGIN { printf "%.3f", (i + g) / (f > 0 ? f : 0.01) }')")
		ratios_floor2+=("$(awk -v i="$import_s" -v g="$grade2_s" -v f="$floor_s" 'BEGIN { printf "%.3f", (i + g) / (f > 0 ? f : 0.01) }')")
		ratios_threads+=("$(awk -v a="$grade1_s" -v b="$grade2_s" 'BEGIN { printf "%.3f", a / (b > 0 ? b : 0.01) }')")
	done
	rm -f "$stream"
	[ "$keep" = 1 ] || rm -f "$db"
	med() { local k="$style|$1"; printf '%s\n' ${walls[$k]} | median; }
	summary+=("$style: import + grade (medians) = $(awk -v i="$(med 'import|1')" -v a="$(med 'grade|1')" -v b="$(med 'grade|2')" \
		'BEGIN { printf "%.2f s on 1 thread, %.2f s on 2", i + a, i + b }'); floor $(med 'floor (read + insert)|1') s")
	summary+=("  per round: import + grade / floor = $(printf '%s\n' "${ratios_floor2[@]}" | median)x on 2 threads"\
" ($(printf '%s\n' "${ratios_floor2[@]}" | range)), $(printf '%s\n' "${ratios_floor1[@]}" | median)x on 1"\
" ($(printf '%s\n' "${ratios_floor1[@]}" | range)); grading on 2 threads $(printf '%s\n' "${ratios_threads[@]}" | median)x"\
" faster than on 1 ($(printf '%s\n' "${ratios_threads[@]}" | range)) (medians, ranges over $repeat rounds)")
done

printf '\n%-24s %7s %9s %13s %11s %8s %8s\n' step threads "wall s" "range s" samples/s MB/s "RSS MB"
last_style=
for key in "${keys[@]}"; do
	IFS='|' read -r style step threads <<<"$key"
	if [ "$style" != "$last_style" ]; then
		dump=$work/$style-$n.jsonl
		echo "-- $style: $n samples, $(($(stat -c %s "$dump") / 1000000)) MB"
		last_style=$style
	fi
	case $step in
	import|floor*) b=$(stat -c %s "$work/$style-$n.jsonl") ;;
	*) b=0 ;;
	esac
	w=$(printf '%s\n' ${walls[$key]} | median)
	g=$(printf '%s\n' ${walls[$key]} | range)
	awk -v s="$step" -v t="$threads" -v w="$w" -v g="$g" -v r="${rss_max[$key]}" -v b="$b" -v n="$n" 'BEGIN {
		ws = w > 0 ? w : 0.01
		mbs = b > 0 ? sprintf("%.1f", b / ws / 1e6) : "-"
		printf "%-24s %7s %9.2f %13s %11.0f %8s %8.0f\n", s, t, w, g, n / ws, mbs, r / 1024 }'
done
echo
printf '%s\n' "${summary[@]}"
