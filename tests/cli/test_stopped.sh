#!/usr/bin/env bash
# A sample that the dump marks as stopped at its length limit (finish reason "length") is unfinished: grading
# reads no answer from its last words (the last number, the last sentence), in the database and in --stream,
# while an answer it marks (a box, "The answer is") still counts.
source "$(dirname "$0")/lib.sh"

DB=$T/stopped.db
C() { "$COSEVAL" "$@" --db "$DB"; }

printf '%s\n' '{"id": "p1", "question": "How many apples?", "answer": "8"}' \
	'{"id": "p2", "question": "How many pears?", "answer": "6"}' >"$T/problems.jsonl"
expect_status 0 C init
expect_status 0 C import problems "$T/problems.jsonl" --dataset toy --profile gsm8k --map 'answer=$.answer'

# the same complete-looking texts, once finished and once stopped at the length limit
cat >"$T/samples.jsonl" <<'EOF'
{"problem_id": "p1", "text": "She has 5 apples. She buys 3 more. In all she has 8.", "finish_reason": "stop"}
{"problem_id": "p1", "text": "She has 5 apples. She buys 3 more. In all she has 8.", "finish_reason": "length"}
{"problem_id": "p2", "text": "Two and four make six. The answer is 6.", "finish_reason": "length"}
{"problem_id": "p2", "text": "Two and four make six. The answer is 6."}
EOF
expect_status 0 C import samples "$T/samples.jsonl" --run r --model m --dataset toy
expect_eq "stopped column" "0 1 1 -" "$(sql "$DB" "SELECT COALESCE(stopped, '-') FROM samples ORDER BY id" | paste -sd' ')"
expect_status 0 C grade
expect_status 0 C show --run r --format jsonl
python3 - "$OUT" <<'PY' || fail "verdicts of stopped samples"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = [(r["problem_id"], r["sample_index"], r["verdict"], r["rule"]) for r in rows]
want = [("p1", 0, "correct", "last-number"), ("p1", 1, "no-answer", "none"),
        ("p2", 0, "correct", "the-answer-is"), ("p2", 1, "correct", "the-answer-is")]
if got != want:
    sys.exit(f"got {got}, want {want}")
PY
ok "database: a stopped sample's last number is no answer; a marked answer still counts"

# the same in --stream, with the finish reason in $.finish_reason
cat >"$T/stream.jsonl" <<'EOF'
{"id": 1, "gold": "8", "text": "She has 5 apples. She buys 3 more. In all she has 8.", "finish_reason": "stop"}
{"id": 2, "gold": "8", "text": "She has 5 apples. She buys 3 more. In all she has 8.", "finish_reason": "length"}
{"id": 3, "gold": "6", "text": "Two and four make six. The answer is 6.", "finish_reason": "length"}
{"id": 4, "gold": "8", "text": "She has 5 apples. She buys 3 more. In all she has 8.", "finish_reason": null}
EOF
"$COSEVAL" grade --stream --profile gsm8k <"$T/stream.jsonl" >"$OUT" 2>"$ERR" || fail "grade --stream: $(cat "$ERR")"
expect_eq "stream verdicts" "correct no-answer correct correct" \
	"$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["verdict"] for l in open(sys.argv[1])))' "$OUT")"
ok "stream: finish_reason \"length\" gives no last-number answer; null means not given"

printf '%s\n' '{"id": 1, "gold": "8", "text": "8", "finish_reason": 3}' >"$T/bad.jsonl"
expect_status 3 "$COSEVAL" grade --stream --profile gsm8k <"$T/bad.jsonl"
expect_stderr_contains '<stdin>:1: field "finish"'
ok "stream: a finish_reason that is not a string stops the stream with exit 3, line and field named"
