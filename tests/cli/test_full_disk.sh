#!/usr/bin/env bash
# Checks an import that fails because the disk is full: exit 4, a message that says so and how much more space
# the import needed, the database file left with its size and content, no journal left, the space given back,
# and a later small import that works. The disk is a 3 MB tmpfs in a mount namespace of its own (unshare -m
# as root, unshare -rm otherwise); where none can be mounted (or COSEVAL_TEST_ULIMIT is set), a file size limit
# (ulimit -f) stands in for it.
set -u
. "$(dirname "$0")/lib.sh"

DEMO_DIR=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)

# The checks, run with the database in folder $1; $2: the start of the message (a pattern); $3: 1 when the folder
# is a file system of its own, whose free space is compared.
full_disk_checks() {
	local dir=$1 limit=$2 own=$3 db=$1/x.db before_sha before_size before_free after_free
	C() { "$COSEVAL" "$@" --db "$db"; }
	expect_status 0 C init
	expect_status 0 C import problems "$DEMO_DIR/gsm8k-demo.problems.jsonl" --dataset gsm8k-demo --profile gsm8k
	expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-9b.jsonl" --run r1 --model m --dataset gsm8k-demo
	before_sha=$(sha256sum <"$db")
	before_size=$(stat -c %s "$db")
	before_free=$(stat -f -c %a "$dir")
	expect_status 4 C import samples "$BIG" --run big --model m --dataset gsm8k-demo
	local said="$limit: the import needed about [0-9]+\.[0-9] MB more than the [0-9]+\.[0-9] MB that were free"
	grep -Eq "$said; nothing was imported" "$ERR" ||
		{ cat "$ERR" >&2; fail "the message does not say that the disk is full and how much more the import needed"; }
	ok "a full disk: exit 4, '$(sed 's/^[^:]*: [^:]*: //' "$ERR")'"
	[ "$(sha256sum <"$db")" = "$before_sha" ] || fail "the database changed"
	[ "$(stat -c %s "$db")" = "$before_size" ] || fail "the database file grew from $before_size to $(stat -c %s "$db")"
	[ ! -e "$db-journal" ] || fail "a journal was left: $(ls -l "$db-journal")"
	[ ! -e "$db-wal" ] || fail "a write-ahead log was left"
	after_free=$(stat -f -c %a "$dir")
	if [ "$own" = 1 ] && [ "$after_free" != "$before_free" ]; then
		fail "the space was not given back: $before_free free blocks before, $after_free after"
	fi
	ok "the database has its size ($before_size bytes) and content, no journal, the space given back"
	expect_status 0 C import samples "$DEMO_DIR/gsm8k-demo.demo-27b.openai-batch.jsonl" --preset openai-batch --run r2 \
		--model m2 --dataset gsm8k-demo
	expect_status 0 C runs
	expect_stdout_contains r2
	ok "a small import after it works"
}

if [ "${1:-}" = --in-namespace ]; then
	# in a mount namespace of its own: a small tmpfs that the namespace's end unmounts
	mkdir -p "$T/disk"
	mount -t tmpfs -o size=3m tmpfs "$T/disk" || fail "cannot mount a tmpfs in the namespace"
	trap 'umount "$T/disk"; rm -rf "$T"' EXIT
	full_disk_checks "$T/disk" "the disk is full" 1
	exit 0
fi

# samples of about 6 MB, twice the space left
BIG=$T/big.jsonl
export BIG
python3 - "$BIG" <<'PY' || fail "cannot write the samples"
import json, random, sys
random.seed(7)
ids = ['g%02d' % i for i in range(1, 13)]
with open(sys.argv[1], 'w') as f:
    for i in range(3000):
        text = ''.join(random.choice('abcdefghij ') for _ in range(2000))
        f.write(json.dumps({'problem_id': ids[i % len(ids)], 'text': text + ' The answer is 42.'}) + '\n')
PY

if [ "$(id -u)" = 0 ]; then
	namespace=(unshare -m)
else
	namespace=(unshare -rm)
fi
if [ -z "${COSEVAL_TEST_ULIMIT:-}" ] && command -v unshare >/dev/null &&
	"${namespace[@]}" sh -c "mount -t tmpfs -o size=1m tmpfs '$T'" 2>/dev/null; then
	"${namespace[@]}" bash "$0" --in-namespace
	exit $?
fi
if (trap '' XFSZ && ulimit -f 4096) 2>/dev/null; then
	if [ -n "${COSEVAL_TEST_ULIMIT:-}" ]; then
		echo "note [$TEST_NAME]: COSEVAL_TEST_ULIMIT is set: a file size limit stands in for a full disk"
	else
		echo "note [$TEST_NAME]: no tmpfs can be mounted here ($(id -un), ${namespace[*]}):" \
			"a file size limit stands in for a full disk"
	fi
	mkdir -p "$T/disk"
	# the limit: the database after the set-up imports (about 1.2 MB) and 2 MB more
	(
		trap '' XFSZ
		ulimit -f 3328
		full_disk_checks "$T/disk" "(the disk is full|the file size limit \(ulimit -f\) is reached)" 0
	) || exit 1
	exit 0
fi
echo "SKIP [$TEST_NAME]: neither a tmpfs (unshare -m, mount) nor a file size limit (ulimit -f) is available here"
exit 0
