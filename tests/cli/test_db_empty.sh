# A 0-byte file is not a database: every command but init refuses it (exit 4, saying so and what to do); a
# failed init leaves no file behind.
source "$(dirname "$0")/lib.sh"

DEMO=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
EMPTY=$T/empty.db
: >"$EMPTY"
MESSAGE="an empty file (0 bytes), not a coseval database; make it one with 'coseval init --db $EMPTY'"

# refused CMD...: CMD exits 4 with the message and leaves the file empty.
refused() {
	expect_status 4 "$@"
	expect_stderr_contains "$MESSAGE"
	[ -f "$EMPTY" ] && [ ! -s "$EMPTY" ] || fail "'$*' changed the empty file"
}

refused "$COSEVAL" runs --db "$EMPTY"
refused "$COSEVAL" problems --db "$EMPTY"
refused "$COSEVAL" grade --db "$EMPTY"
refused "$COSEVAL" report --db "$EMPTY"
refused "$COSEVAL" show --run r --db "$EMPTY"
refused "$COSEVAL" check-db --db "$EMPTY"
refused "$COSEVAL" import problems "$DEMO/gsm8k-demo.problems.jsonl" --dataset g --db "$EMPTY"
refused "$COSEVAL" import samples "$DEMO/gsm8k-demo.demo-9b.jsonl" --run r --model m --dataset g --db "$EMPTY"
COSEVAL_DB=$EMPTY refused "$COSEVAL" runs
expect_status 0 "$COSEVAL" init --db "$T/in.db"
refused "$COSEVAL" merge "$EMPTY" "$T/in.db"
ok "every command but init refuses a 0-byte file, and leaves it as it was"

expect_status 0 "$COSEVAL" init --db "$EMPTY"
expect_status 0 "$COSEVAL" runs --db "$EMPTY"
ok "init makes a 0-byte file a database"

# init that cannot write (a file size limit of 0 bytes): exit 4 and no file left behind
( trap '' XFSZ; ulimit -f 0; "$COSEVAL" init --db "$T/new.db" 2>&1 | cat >"$T/init.err"; exit "${PIPESTATUS[0]}" )
status=$?
expect_eq "exit status of a failed init" 4 "$status"
[ ! -e "$T/new.db" ] || fail "a failed init left $T/new.db behind ($(stat -c %s "$T/new.db") bytes): $(cat "$T/init.err")"
[ ! -e "$T/new.db-journal" ] || fail "a failed init left its journal behind"
ok "a failed init leaves no file behind"
