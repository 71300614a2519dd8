#!/usr/bin/env bash
# Benchmark of the whole pipeline on generated MATH- and GSM8K-style dumps: import, a first grading on 1 and
# on 2 threads, a regrade, report, the floor (the same file read and appended raw, without the samples'
# unique key and with it), the export of the run for a map step (`export stream`) and the database-free
# grading of that export (`grade --stream`), with wall time, seconds per million samples, throughput and
# peak RSS of each step.
#
# usage: tests/bench/run_bench.sh [--n N[,N...] (default 1000000; may repeat)] [--build DIR (default build-rel)]
#                                 [--work DIR (default $TMPDIR/coseval-bench)] [--data DIR] [--styles "math gsm8k"]
#                                 [--repeat R (default 3)] [--no-stream] [--keep]
# Each size runs in turn. The steps run in R rounds (what a step needs is set up again before it, untimed); a
# row gives the median wall time over the rounds, its range, the median per million samples, and the largest
# peak RSS. The comparisons (pipeline / floor, 1 / 2 threads) are computed within each round, whose steps ran
# minutes apart at most, and summarised by their median and range. With several sizes, two last tables give
# each step's seconds per million at every size, in wall time and in processor time (user + system, which
# moves less when other work shares the machine), and the ratio of the largest size's to the smallest's
# (1.00: the cost per sample does not grow with the dump). --no-stream leaves out the database-free grading (at 16M its
# input, exported from the database, is another 10 GB).
# Needs /usr/bin/time (Debian: apt-get install -y time), python3 and sqlite3. The generated dumps are kept in
# the work folder and reused by later runs with the same N; the databases are removed unless --keep.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sizes=()
build=$root/build-rel
work=${TMPDIR:-/tmp}/coseval-bench
data=${COSEVAL_DATA:-$root/../shared/data}
styles="math gsm8k"
repeat=3
keep=0
stream_steps=1

while [ $# -gt 0 ]; do
	case $1 in
	--n) IFS=, read -ra more <<<"$2"; sizes+=("${more[@]}"); shift 2 ;;
	--build) build=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--styles) styles=$2; shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	--no-stream) stream_steps=0; shift ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done
case $repeat in
''|*[!0-9]*|0) echo "run_bench.sh: --repeat takes a positive whole number" >&2; exit 2 ;;
esac
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)
for n in "${sizes[@]}"; do
	case $n in
	''|*[!0-9]*|0) echo "run_bench.sh: --n takes positive whole numbers, separated by commas" >&2; exit 2 ;;
	esac
done
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

# Each step's wall times (one per round) and largest peak RSS, by "n|style|step|threads"; keys in table order.
declare -A walls cpus rss_max
keys=()

# once KEY PREP CMD...: runs PREP (a shell function, untimed; : for nothing) and then CMD under /usr/bin/time
# once; records the wall time and peak RSS under KEY and sets last_wall
once() {
	local key=$1 prep=$2 wall rss user sys
	shift 2
	$prep
	if ! /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/step.log" 2>&1; then
		echo "run_bench.sh: step '$key' failed: $*" >&2
		cat "$work/step.log" >&2
		exit 1
	fi
	read -r wall rss user sys <"$work/time.txt"
	[ -n "${walls[$key]+set}" ] || keys+=("$key")
	walls[$key]="${walls[$key]:-} $wall"
	cpus[$key]="${cpus[$key]:-} $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
	[ "$rss" -gt "${rss_max[$key]:-0}" ] && rss_max[$key]=$rss
	last_wall=$wall
	echo "   ${key//|/ }: $wall s ($user user, $sys sys), peak RSS $((rss / 1024)) MB" >&2
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
for size_style in $(for n in "${sizes[@]}"; do for style in $styles; do echo "$n:$style"; done; done); do
	n=${size_style%%:*}
	style=${size_style#*:}
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
	bytes=$(stat -L -c %s "$dump")
	db=$work/$style.db
	stream=$work/$style-stream.jsonl
	echo "== $style: $n samples, $((bytes / 1000000)) MB, $repeat rounds" >&2
	ratios_floor1=() ratios_floor2=() ratios_threads=()
	for ((round = 1; round <= repeat; round++)); do
		echo "-- round $round" >&2
		once "$n|$style|import|1" fresh_db \
			"$coseval" import samples "$dump" --run bench --model m --dataset "$dataset" --db "$db"
		import_s=$last_wall
		# a first grading each time: the grades are dropped before (not timed)
		once "$n|$style|grade|1" drop_grades "$coseval" grade --db "$db" --threads 1
		grade1_s=$last_wall
		once "$n|$style|grade|2" drop_grades "$coseval" grade --db "$db" --threads 2
		grade2_s=$last_wall
		once "$n|$style|grade --regrade|2" : "$coseval" grade --db "$db" --threads 2 --regrade
		once "$n|$style|report|1" : "$coseval" report --db "$db" --runs bench --k 1,2,4,8,16,32,64 --bootstrap 1000 \
			-o "$work/$style-report.csv"
		# the floor: the same file read and appended raw, without the samples' unique key and with it (built
		# as an import builds it); the comparisons below are with the second, which keeps the same guarantee
		once "$n|$style|floor, no key|1" : "$floor" --only none "$dump" "$work/$style-floor.db"
		once "$n|$style|floor, key|1" : "$floor" --only key "$dump" "$work/$style-floor.db"
		floor_s=$last_wall
		rm -f "$work/$style-floor.db"
		# the database-free grader on the same samples with their gold answers, as `export stream` writes them
		if [ "$stream_steps" = 1 ]; then
			once "$n|$style|export stream|1" : "$coseval" export stream --run bench --db "$db" -o "$stream"
			once "$n|$style|grade --stream|1" : sh -c 'exec "$1" grade --stream --profile "$2" --threads 1 <"$3" >/dev/null' \
				sh "$coseval" "$dataset" "$stream"
			once "$n|$style|grade --stream|2" : sh -c 'exec "$1" grade --stream --profile "$2" --threads 2 <"$3" >/dev/null' \
				sh "$coseval" "$dataset" "$stream"
		fi
		# the comparisons, within the round: every step of a round ran within a few seconds of the others
		ratios_floor1+=("$(awk -v i="$import_s" -v g="$grade1_s" -v f="$floor_s" 'BEGIN { printf "%.3f", (i + g) / (f > 0 ? f : 0.01) }')")
		ratios_floor2+=("$(awk -v i="$import_s" -v g="$grade2_s" -v f="$floor_s" 'BEGIN { printf "%.3f", (i + g) / (f > 0 ? f : 0.01) }')")
		ratios_threads+=("$(awk -v a="$grade1_s" -v b="$grade2_s" 'BEGIN { printf "%.3f", a / (b > 0 ? b : 0.01) }')")
	done
	rm -f "$stream"
	[ "$keep" = 1 ] || rm -f "$db"
	med() { local k="$n|$style|$1"; printf '%s\n' ${walls[$k]} | median; }
	summary+=("$style, $n samples: import + grade (medians) = $(awk -v i="$(med 'import|1')" -v a="$(med 'grade|1')" -v b="$(med 'grade|2')" \
		'BEGIN { printf "%.2f s on 1 thread, %.2f s on 2", i + a, i + b }'); floor $(med 'floor, key|1') s"\
" ($(med 'floor, no key|1') s without the key)")
	summary+=("  per round: import + grade / floor = $(printf '%s\n' "${ratios_floor2[@]}" | median)x on 2 threads"\
" ($(printf '%s\n' "${ratios_floor2[@]}" | range)), $(printf '%s\n' "${ratios_floor1[@]}" | median)x on 1"\
" ($(printf '%s\n' "${ratios_floor1[@]}" | range)); grading on 2 threads $(printf '%s\n' "${ratios_threads[@]}" | median)x"\
" faster than on 1 ($(printf '%s\n' "${ratios_threads[@]}" | range)) (medians, ranges over $repeat rounds)")
done

printf '\n%-24s %7s %9s %13s %8s %11s %8s %8s\n' step threads "wall s" "range s" "s/M" samples/s MB/s "RSS MB"
last_style=
for key in "${keys[@]}"; do
	IFS='|' read -r n style step threads <<<"$key"
	if [ "$n|$style" != "$last_style" ]; then
		dump=$work/$style-$n.jsonl
		echo "-- $style: $n samples, $(($(stat -L -c %s "$dump") / 1000000)) MB"
		last_style=$n\|$style
	fi
	case $step in
	import|floor*) b=$(stat -L -c %s "$work/$style-$n.jsonl") ;;
	*) b=0 ;;
	esac
	w=$(printf '%s\n' ${walls[$key]} | median)
	g=$(printf '%s\n' ${walls[$key]} | range)
	awk -v s="$step" -v t="$threads" -v w="$w" -v g="$g" -v r="${rss_max[$key]}" -v b="$b" -v n="$n" 'BEGIN {
		ws = w > 0 ? w : 0.01
		mbs = b > 0 ? sprintf("%.1f", b / ws / 1e6) : "-"
		printf "%-24s %7s %9.2f %13s %8.2f %11.0f %8s %8.0f\n", s, t, w, g, w / n * 1e6, n / ws, mbs, r / 1024 }'
done

# seconds per million samples of each step at each size (medians), and largest size / smallest size
if [ ${#sizes[@]} -gt 1 ]; then
	small=$(printf '%s\n' "${sizes[@]}" | sort -n | head -1)
	large=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
	# per_million TITLE ARRAY: one table of the medians of ARRAY (walls or cpus) per million samples
	per_million() {
		local -n times=$2
		local -A listed=()
		printf '\nseconds per million samples (%s / samples x 10^6)\n%-32s %7s' "$1" step threads
		for n in "${sizes[@]}"; do printf ' %10s' "$n"; done
		printf ' %10s\n' "$large/$small"
		for key in "${keys[@]}"; do
			IFS='|' read -r n style step threads <<<"$key"
			[ -z "${listed[$style|$step|$threads]+set}" ] || continue
			listed[$style|$step|$threads]=1
			printf '%-32s %7s' "$style: $step" "$threads"
			for n in "${sizes[@]}"; do
				k="$n|$style|$step|$threads"
				if [ -n "${times[$k]+set}" ]; then
					printf ' %10.2f' "$(printf '%s\n' ${times[$k]} | median | awk -v n="$n" '{ print $1 / n * 1e6 }')"
				else
					printf ' %10s' -
				fi
			done
			lo=$(printf '%s\n' ${times[$small|$style|$step|$threads]:-} | median)
			hi=$(printf '%s\n' ${times[$large|$style|$step|$threads]:-} | median)
			awk -v lo="$lo" -v hi="$hi" -v a="$small" -v b="$large" 'BEGIN {
				if (lo > 0 && hi != "") printf " %10.2f\n", (hi / b) / (lo / a); else printf " %10s\n", "-" }'
		done
	}
	per_million "median wall time" walls
	# processor time (user + system) moves less than wall time when other work shares the machine
	per_million "median processor time" cpus
fi
echo
printf '%s\n' "${summary[@]}"
