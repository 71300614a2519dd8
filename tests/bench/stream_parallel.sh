#!/usr/bin/env bash
# Benchmark of database-free grading split by GNU parallel against `coseval grade`: the export of one large run
# (`coseval export stream`) graded by `parallel --pipe -k -j2`, by `parallel --pipepart --block 10M -k -j2 -a FILE`
# (each job `coseval grade --stream --threads 1`), by one `coseval grade --stream --threads 2`, and the same
# samples graded in the database by `coseval grade --threads 2`; wall time, processor time (user + system, of
# every process of the step) and peak RSS of each, and each one's wall and processor time over that of
# `coseval grade --threads 2`, per round and as the median over the rounds. On a busy machine the processor
# time is the steadier measure: it counts the work each variant does, not how long it waited for a core.
#
# usage: tests/bench/stream_parallel.sh [--n N (default 1000000)] [--style math|gsm8k (default math)]
#                                        [--build DIR (default build)] [--work DIR (default $TMPDIR/coseval-stream-bench)]
#                                        [--data DIR] [--repeat R (default 3)]
# Needs GNU parallel (apt-get install -y parallel), /usr/bin/time, python3 and sqlite3. The dump is generated
# by gen_samples.py from the real solutions in the data folder and kept in the work folder for later runs. The
# outputs of the three streaming variants are checked to be the same bytes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=1000000
style=math
build=$root/build
work=${TMPDIR:-/tmp}/coseval-stream-bench
data=${COSEVAL_DATA:-$root/../shared/data}
repeat=3
while [ $# -gt 0 ]; do
	case $1 in
	--n) n=$2; shift 2 ;;
	--style) style=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	*) echo "usage: $0 [--n N] [--style math|gsm8k] [--build DIR] [--work DIR] [--data DIR] [--repeat R]" >&2; exit 2 ;;
	esac
done
coseval=$build/coseval
[ -x "$coseval" ] || { echo "no $coseval (build first)" >&2; exit 2; }
command -v parallel >/dev/null || { echo "GNU parallel is needed (apt-get install -y parallel)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install -y time)" >&2; exit 2; }
mkdir -p "$work"
case $style in
math) problems=$data/tora/math_test.jsonl ;;
gsm8k) problems=$data/gsm8k/test.jsonl ;;
*) echo "--style is math or gsm8k" >&2; exit 2 ;;
esac

dump=$work/$style-$n.jsonl
if [ ! -s "$dump" ]; then
	echo "generating $dump" >&2
	python3 "$here/gen_samples.py" "$style" "$n" "$dump.tmp" --data "$data"
	mv "$dump.tmp" "$dump"
fi
db=$work/base.db
rm -f "$db" "$work/grade.db"
"$coseval" import problems "$problems" --dataset "$style" --profile "$style" --db "$db" --quiet >/dev/null
"$coseval" import samples "$dump" --run bench --model m --dataset "$style" --db "$db" --quiet >/dev/null
export_file=$work/export.jsonl
"$coseval" export stream --run bench --db "$db" -o "$export_file" 2>/dev/null
echo "samples: $n ($style-style, generated from the real solutions), export: $(du -m "$export_file" | cut -f1) MB"
echo "machine: $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg); processes at nice > 0:" \
	"$(ps -eo ni= | awk '$1 > 0' | wc -l)"

# step NAME CMD...: runs CMD under /usr/bin/time, appends "NAME wall rss_kb cpu" to the round's log
step() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@"
	echo "$name $(cat "$work/time.txt")" >>"$work/round.log"
}

stream=("$coseval" grade --stream --profile "$style" --threads 1)
: >"$work/all.log"
for r in $(seq 1 "$repeat"); do
	: >"$work/round.log"
	step pipe sh -c "parallel --pipe -k -j2 ${stream[*]} <'$export_file' >'$work/pipe.out'"
	step pipepart sh -c "parallel --pipepart --block 10M -k -j2 -a '$export_file' ${stream[*]} >'$work/pipepart.out'"
	step stream2 sh -c "'$coseval' grade --stream --profile $style --threads 2 <'$export_file' >'$work/stream2.out'"
	cp "$db" "$work/grade.db"
	sync # the copy's pages are written out before the timed grading, not during it
	step grade2 sh -c "'$coseval' grade --db '$work/grade.db' --threads 2 --quiet >/dev/null"
	rm -f "$work/grade.db"
	cmp -s "$work/pipe.out" "$work/stream2.out" || { echo "parallel --pipe gave other verdicts" >&2; exit 1; }
	cmp -s "$work/pipepart.out" "$work/stream2.out" || { echo "parallel --pipepart gave other verdicts" >&2; exit 1; }
	sed "s/^/$r /" "$work/round.log" >>"$work/all.log"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work/all.log" "$n" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n = int(sys.argv[2])
rounds = sorted({int(r[0]) for r in rows})
t = {(int(r[0]), r[1]): (float(r[2]), int(r[3]), float(r[4]) + float(r[5])) for r in rows}
names = [("pipe", "parallel --pipe -k -j2, grade --stream --threads 1 per job"),
         ("pipepart", "parallel --pipepart --block 10M -k -j2 -a FILE, same jobs"),
         ("stream2", "one grade --stream --threads 2"),
         ("grade2", "coseval grade --threads 2 (database)")]
print("| variant | wall s, median (range) | / grade, wall: median (rounds) | CPU s, median | / grade, CPU: median (rounds) | peak RSS |")
print("| --- | --- | --- | --- | --- | --- |")
for key, label in names:
    walls = [t[(r, key)][0] for r in rounds]
    cpus = [t[(r, key)][2] for r in rounds]
    wr = [t[(r, key)][0] / t[(r, "grade2")][0] for r in rounds]
    cr = [t[(r, key)][2] / t[(r, "grade2")][2] for r in rounds]
    rss = max(t[(r, key)][1] for r in rounds) // 1024
    print("| %s | %.2f (%.2f-%.2f) | %.2f (%s) | %.2f | %.2f (%s) | %d MB |" % (label, statistics.median(walls),
          min(walls), max(walls), statistics.median(wr), ", ".join("%.2f" % x for x in wr), statistics.median(cpus),
          statistics.median(cr), ", ".join("%.2f" % x for x in cr), rss))
PY
rm -f "$work/pipe.out" "$work/pipepart.out" "$work/stream2.out" "$db"
