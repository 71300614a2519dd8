#!/usr/bin/env bash
# Seeds, replays and runs the libFuzzer targets of tests/fuzz: each target starts from seeds written from
# ../shared/grading and ../shared/data plus its committed corpus (tests/fuzz/corpus/TARGET: inputs that once
# failed), and runs a fixed number of inputs from a fixed seed, so that a run is repeatable.
#
# usage: tests/fuzz/run.sh [--build DIR (default build-fuzz)] [--runs N (default 100000)] [--seed S (default 1)]
#                          [--targets "fuzz_compare ..."] [--work DIR] [--time SECONDS (a campaign: run for
#                          this long instead of N runs, and keep what the fuzzer found in the work folder)]
# Build first: CC=clang cmake -S . -B build-fuzz -DCOSEVAL_FUZZ=ON && cmake --build build-fuzz -j2
# Exit status: 0 when no target found a failure, 1 when one did (its input is named on stderr).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build-fuzz
runs=100000
seed=1
time_limit=0
targets="fuzz_compare fuzz_extract fuzz_jpath fuzz_source fuzz_stream"
work=${TMPDIR:-/tmp}/coseval-fuzz
grading=${COSEVAL_GRADING:-$root/../shared/grading}
data=${COSEVAL_DATA:-$root/../shared/data}

while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--targets) targets=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--time) time_limit=$2; shift 2 ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done

rm -rf "$work/seeds"
mkdir -p "$work/seeds" "$work/found"
python3 "$here/seeds.py" "$grading" "$data" "$work/seeds" || { echo "run.sh: cannot write the seeds" >&2; exit 2; }

status=0
for t in $targets; do
	bin=$build/$t
	[ -x "$bin" ] || { echo "run.sh: no $bin (build with -DCOSEVAL_FUZZ=ON)" >&2; exit 2; }
	mkdir -p "$work/found/$t" "$here/corpus/$t"
	if [ "$time_limit" -gt 0 ]; then
		limit=(-max_total_time="$time_limit")
	else
		limit=(-runs="$runs")
	fi
	echo "== $t" >&2
	if ! "$bin" -seed="$seed" "${limit[@]}" -dict="$here/latex.dict" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$work/found/$t-" -print_final_stats=1 \
		"$work/found/$t" "$here/corpus/$t" "$work/seeds/$t" >"$work/$t.log" 2>&1; then
		echo "run.sh: $t failed; see $work/$t.log and the input in $work/found/" >&2
		tail -40 "$work/$t.log" >&2
		status=1
	fi
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$t.log" | sed "s/^/$t /" >&2 || true
done
exit $status
