#!/usr/bin/env bash
# Benchmark of scoring with many samples per problem: one database of MATH problems with a run per size
# (16, 64, 256 and 1,024 samples per problem by default), then `report` (default k), `report --k all` and
# `plot coverage` timed for each run, and `plot coverage` of all the runs together, with wall and processor
# (user + system) seconds, both per million samples, and peak RSS.
#
# usage: tests/bench/many_samples.sh [SIZE...] [--problems P (default 5000)] [--build DIR (default build-rel)]
#                                    [--work DIR (default $TMPDIR/coseval-many)] [--data DIR]
#                                    [--kall-max S (default 256)] [--save DIR] [--coseval PATH]
# SIZE: samples per problem, one run each (default 16 64 256 1024); a CI-sized run is e.g. `16 64 --problems 500`.
# `report --k all` is timed for the sizes up to --kall-max only. --save DIR keeps every step's output there
# (report CSVs, SVGs) to compare two builds; --coseval PATH times another binary on the same database.
# The database (samples imported and graded) is kept in the work folder and reused by later runs with the same
# sizes and problem count. Needs /usr/bin/time (Debian: apt-get install -y time), python3 and sqlite3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
problems=5000
build=$root/build-rel
work=${TMPDIR:-/tmp}/coseval-many
data=${COSEVAL_DATA:-$root/../shared/data}
kall_max=256
save=
coseval=
sizes=()

while [ $# -gt 0 ]; do
	case $1 in
	--problems) problems=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--kall-max) kall_max=$2; shift 2 ;;
	--save) save=$2; shift 2 ;;
	--coseval) coseval=$2; shift 2 ;;
	-h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "many_samples.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	*) sizes+=("$1"); shift ;;
	esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(16 64 256 1024)
for v in "${sizes[@]}" "$problems" "$kall_max"; do
	case $v in
	''|*[!0-9]*|0) echo "many_samples.sh: sizes, --problems and --kall-max are positive whole numbers" >&2; exit 2 ;;
	esac
done
[ -x /usr/bin/time ] || { echo "many_samples.sh: /usr/bin/time is missing (Debian: apt-get install -y time)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "many_samples.sh: the sqlite3 tool is needed" >&2; exit 2; }
[ -f "$data/tora/math_test.jsonl" ] || { echo "many_samples.sh: no tora/math_test.jsonl under $data (--data DIR)" >&2; exit 2; }

if [ -z "$coseval" ]; then
	coseval=$build/coseval
	if [ ! -x "$coseval" ]; then
		echo "== building $build (Release)" >&2
		cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
		cmake --build "$build" -j2 --target coseval >/dev/null
	fi
fi
mkdir -p "$work"
[ -z "$save" ] || mkdir -p "$save"
out=${save:-$work/out}
mkdir -p "$out"

# The database: built once per (problem count, sizes), reused while its marker is there.
tag=p$problems-$(printf '%s-' "${sizes[@]}" | sed 's/-$//')
db=$work/many-$tag.db
if [ ! -f "$db.ready" ]; then
	rm -f "$db" "$db.ready"
	echo "== building $db" >&2
	"$coseval" init --db "$db" >/dev/null
	"$coseval" import problems "$data/tora/math_test.jsonl" --dataset math --db "$db" >/dev/null
	for s in "${sizes[@]}"; do
		dump=$work/many-p$problems-n$s.jsonl
		if [ ! -s "$dump" ]; then
			echo "   generating $dump" >&2
			python3 "$here/gen_many.py" "$s" "$dump.tmp" --problems "$problems" --data "$data"
			mv "$dump.tmp" "$dump"
		fi
		echo "   importing and grading run n$s" >&2
		"$coseval" import samples "$dump" --run "n$s" --model "m$s" --dataset math --db "$db" >/dev/null
		"$coseval" grade --db "$db" --threads 2 >/dev/null
		rm -f "$dump"
	done
	touch "$db.ready"
fi

rows=()
# step NAME SAMPLES CMD...: runs CMD under /usr/bin/time -v, records wall and processor (user + system) seconds,
# both per million samples, and peak RSS
step() {
	local name=$1 samples=$2 wall cpu rss
	shift 2
	if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/step.log" 2>&1; then
		echo "many_samples.sh: step '$name' failed: $*" >&2
		cat "$work/step.log" >&2
		exit 1
	fi
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.txt")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
	rows+=("$(awk -v n="$name" -v w="$wall" -v c="$cpu" -v s="$samples" -v r="$rss" 'BEGIN {
		printf "%-28s %10d %9.2f %9.2f %11.2f %11.2f %8.0f", n, s, w, c, w / (s / 1e6), c / (s / 1e6), r / 1024 }')")
	echo "   ${rows[-1]}" >&2
}

# to_file OUT CMD...: CMD's standard output into OUT (the process is CMD itself, through exec)
to_file='out=$1; shift; exec "$@" >"$out"'

all_runs=
all_samples=0
for s in "${sizes[@]}"; do
	samples=$(sqlite3 "$db" "SELECT count(*) FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'n$s'")
	all_runs=${all_runs:+$all_runs,}n$s
	all_samples=$((all_samples + samples))
	echo "== run n$s: $samples samples" >&2
	# CSV on standard output: the computation alone, without the provenance lines of a CSV file (-o)
	step "report n$s" "$samples" sh -c "$to_file" sh "$out/report-n$s.csv" \
		"$coseval" report --db "$db" --runs "n$s" --format csv
	if [ "$s" -le "$kall_max" ]; then
		step "report --k all n$s" "$samples" sh -c "$to_file" sh "$out/report-kall-n$s.csv" \
			"$coseval" report --db "$db" --runs "n$s" --k all --format csv
	fi
	step "plot coverage n$s" "$samples" "$coseval" plot coverage --db "$db" --runs "n$s" -o "$out/plot-n$s.svg"
done
if [ ${#sizes[@]} -gt 1 ]; then
	step "plot coverage (all runs)" "$all_samples" "$coseval" plot coverage --db "$db" --runs "$all_runs" \
		-o "$out/plot-all.svg"
fi

printf '\n%-28s %10s %9s %9s %11s %11s %8s\n' step samples "wall s" "cpu s" "wall s/1M" "cpu s/1M" "RSS MB"
printf '%s\n' "${rows[@]}"
