#!/usr/bin/env bash
# Each sample preset (lm-eval, openai-batch, vllm, jsonl, csv) on a small hand-written dump, and the schema
# migration from version 1 and refusal of a newer schema.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/presets.db
C() { "$COSEVAL" "$@" --db "$DB"; }
# q RUN SQL-WHERE-AND-SELECT: shorthand for a query over one run's samples joined with their problems
q() {
	sql "$DB" "SELECT $2 FROM samples s JOIN runs r ON r.id=s.run_id JOIN problems p ON p.id=s.problem_id
		WHERE r.name='$1' ${3:-} ORDER BY p.problem_key, s.sample_index"
}

cat >"$T/problems.jsonl" <<'EOF'
{"id": 0, "question": "What is 1 + 1?", "answer": "2"}
{"id": 1, "question": "What is 2 + 2?", "answer": "4"}
{"id": 2, "question": "What is 3 + 3?", "answer": "6"}
{"id": "request-0", "question": "What is 4 + 4?", "answer": "8"}
{"id": "request-1", "question": "What is 5 + 5?", "answer": "10"}
EOF
expect_status 0 C import problems "$T/problems.jsonl" --dataset toy
expect_eq "problems" 5 "$(sql "$DB" 'SELECT COUNT(*) FROM problems')"
ok "set-up: 5 problems in dataset toy"

# --- lm-evaluation-harness --log_samples ------------------------------------------------------------------------
cat >"$T/lm_eval_samples.jsonl" <<'EOF'
{"doc_id": 0, "doc": {"question": "What is 1 + 1?", "answer": "2"}, "target": "2", "arguments": {"gen_args_0": {"arg_0": "Q: What is 1 + 1?\nA:", "arg_1": {"until": ["Q:"], "do_sample": true}}}, "resps": [["1 + 1 = 2. The answer is 2.", "The answer is 3."]], "filtered_resps": ["2"], "doc_hash": "aa", "prompt_hash": "bb", "target_hash": "cc", "exact_match": 1.0}
{"doc_id": 1, "doc": {"question": "What is 2 + 2?", "answer": "4"}, "target": "4", "arguments": {"gen_args_0": {"arg_0": "Q: What is 2 + 2?\nA:", "arg_1": {"until": ["Q:"]}}}, "resps": [["2 + 2 = 4. The answer is 4.", "The answer is 4.", "Four."]], "filtered_resps": ["4"], "doc_hash": "dd", "prompt_hash": "ee", "target_hash": "ff", "exact_match": 1.0}
EOF
expect_status 0 C import samples "$T/lm_eval_samples.jsonl" --preset lm-eval --run lm --model llama --dataset toy
expect_stdout_contains "imported 5 samples of 2 problems into run 'lm'"
expect_eq "lm-eval samples (problem, index, text, tokens)" \
	"0|0|1 + 1 = 2. The answer is 2.| 0|1|The answer is 3.| 1|0|2 + 2 = 4. The answer is 4.| 1|1|The answer is 4.| 1|2|Four.|" \
	"$(q lm "p.problem_key, s.sample_index, s.text, s.tokens" | paste -sd' ')"
ok "lm-eval: resps [[a, b]] -> one sample per response, matched by doc_id, indexes 0..n-1, no tokens"

# --- OpenAI Batch API output -------------------------------------------------------------------------------------
cat >"$T/batch_output.jsonl" <<'EOF'
{"id": "batch_req_1", "custom_id": "request-0", "response": {"status_code": 200, "request_id": "r1", "body": {"id": "chatcmpl-1", "object": "chat.completion", "created": 1711652795, "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant", "content": "4 + 4 = 8, so the answer is 8."}, "logprobs": null, "finish_reason": "stop"}, {"index": 1, "message": {"role": "assistant", "content": "The answer is 9."}, "logprobs": null, "finish_reason": "stop"}], "usage": {"prompt_tokens": 22, "completion_tokens": 30, "total_tokens": 52}, "system_fingerprint": "fp_1"}}, "error": null}
{"id": "batch_req_2", "custom_id": "request-1", "response": {"status_code": 200, "request_id": "r2", "body": {"id": "chatcmpl-2", "object": "chat.completion", "created": 1711652796, "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant", "content": "The answer is 10."}, "logprobs": null, "finish_reason": "stop"}], "usage": {"prompt_tokens": 22, "completion_tokens": 7, "total_tokens": 29}}}, "error": null}
{"id": "batch_req_3", "custom_id": "2", "response": {"status_code": 200, "request_id": "r3", "body": {"id": "chatcmpl-3", "object": "chat.completion", "created": 1711652797, "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant", "content": "6"}, "finish_reason": "stop"}, {"index": 1, "message": {"role": "assistant", "content": "six"}, "finish_reason": "length"}, {"index": 2, "message": {"role": "assistant", "content": "3+3=6"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 22, "completion_tokens": 9, "total_tokens": 31}}}, "error": null}
EOF
expect_status 0 C import samples "$T/batch_output.jsonl" --preset openai-batch --run oa --model gpt-4o-mini --dataset toy \
	--price-out 0.6
expect_stdout_contains "imported 6 samples of 3 problems into run 'oa'"
expect_eq "openai-batch samples (problem, index, text, tokens)" \
	"2|0|6|3 2|1|six|3 2|2|3+3=6|3 request-0|0|4 + 4 = 8, so the answer is 8.|15 request-0|1|The answer is 9.|15 request-1|0|The answer is 10.|7" \
	"$(q oa "p.problem_key, s.sample_index, s.text, s.tokens" | paste -sd' ')"
expect_eq "openai-batch: token total equals usage.completion_tokens" 46 "$(q oa "SUM(s.tokens)")"
expect_eq "openai-batch price stored" 0.6 "$(sql "$DB" "SELECT price_out FROM runs WHERE name='oa'")"
ok "openai-batch: choices[*].message.content by custom_id, completion_tokens split evenly (30 -> 15+15, 9 -> 3x3)"

# --- vLLM outputs[*].text with token_ids ------------------------------------------------------------------------
cat >"$T/vllm.jsonl" <<'EOF'
{"request_id": "0", "prompt": "What is 1 + 1?", "prompt_token_ids": [1, 2, 3], "outputs": [{"index": 0, "text": " 2", "token_ids": [17], "cumulative_logprob": -0.1, "finish_reason": "stop"}, {"index": 1, "text": " The answer is 2.", "token_ids": [464, 3280, 318, 362, 13], "cumulative_logprob": -1.2, "finish_reason": "length"}], "finished": true}
{"request_id": "1", "prompt": "What is 2 + 2?", "prompt_token_ids": [1, 2, 4], "outputs": [{"index": 0, "text": " 4\nDone.", "token_ids": [604, 198, 42], "cumulative_logprob": -0.3, "finish_reason": "stop"}], "finished": true}
EOF
expect_status 0 C import samples "$T/vllm.jsonl" --preset vllm --run vl --model qwen --dataset toy --params 7e9
expect_stdout_contains "imported 3 samples of 2 problems into run 'vl'"
expect_eq "vllm samples (problem, index, tokens)" "0|0|1 0|1|5 1|0|3" \
	"$(q vl "p.problem_key, s.sample_index, s.tokens" | paste -sd' ')"
expect_eq "vllm text with a newline" $' 4\nDone.' "$(q vl "s.text" "AND p.problem_key='1'")"
ok "vllm: outputs[*].text, tokens = len(token_ids) per output (1, 5, 3)"
expect_eq "vllm: finish_reason length marks a sample stopped" "0|0|0 0|1|1 1|0|0" \
	"$(q vl "p.problem_key, s.sample_index, s.stopped" | paste -sd' ')"
expect_eq "openai-batch: finish_reason per choice" "2|0|0 2|1|1 2|2|0 request-0|0|0 request-0|1|0 request-1|0|0" \
	"$(q oa "p.problem_key, s.sample_index, s.stopped" | paste -sd' ')"
ok "finish reasons: \"length\" -> stopped 1, \"stop\" -> 0 (vllm outputs[*], openai-batch choices[*])"

# --- plain JSONL, one sample per line ----------------------------------------------------------------------------
cat >"$T/plain.jsonl" <<'EOF'
{"problem_id": 0, "text": "The answer is 2.", "tokens": 12, "sample_index": 5, "is_correct": true}
{"problem_id": 0, "text": "The answer is 3.", "tokens": 9, "sample_index": 2, "is_correct": false}

{"problem_id": "1", "text": "Four: \u00e9t\u00e9 \ud83d\ude00 \"quoted\"", "tokens": 20, "sample_index": 0}
EOF
expect_status 0 C import samples "$T/plain.jsonl" --run pl --model m --dataset toy
expect_stdout_contains "imported 3 samples of 2 problems into run 'pl'"
expect_eq "plain jsonl samples (problem, index, tokens, label)" "0|2|9|0 0|5|12|1 1|0|20|" \
	"$(q pl "p.problem_key, s.sample_index, s.tokens, s.label" | paste -sd' ')"
expect_eq "plain jsonl escapes decoded" 'Four: été 😀 "quoted"' "$(q pl "s.text" "AND p.problem_key='1'")"
ok "plain jsonl: tokens and sample_index kept (5 and 2), labels, blank line skipped, JSON escapes decoded"

# a finish reason that is not a string is refused with the line and field named, and nothing is written
printf '%s\n' '{"problem_id": 0, "text": "Two.", "finish_reason": "stop"}' \
	'{"problem_id": 0, "text": "Two", "finish_reason": 7}' >"$T/finish_bad.jsonl"
expect_status 3 C import samples "$T/finish_bad.jsonl" --run fb --model m --dataset toy
expect_stderr_contains 'finish_bad.jsonl:2: field "finish"'
expect_eq "nothing written by the refused import" 0 "$(sql "$DB" "SELECT COUNT(*) FROM runs WHERE name='fb'")"
ok "a finish_reason that is not a string: exit 3, line and field named, nothing written"

# a second file for the same run continues the sample indexes of each problem
printf '%s\n' '{"problem_id": 0, "text": "Again 2."}' '{"problem_id": 2, "text": "Six."}' >"$T/plain2.jsonl"
expect_status 0 C import samples "$T/plain2.jsonl" --run pl --model m --dataset toy
expect_eq "second file's indexes" "0|6 2|0" \
	"$(q pl "p.problem_key, s.sample_index" "AND s.text IN ('Again 2.', 'Six.')" | paste -sd' ')"
ok "a second file into the same run continues each problem's indexes (0 -> 6, 2 -> 0)"

# --- CSV with quoted fields --------------------------------------------------------------------------------------
cat >"$T/samples.csv" <<'EOF'
problem_id,text,tokens,sample_index,is_correct
0,"Add them, then: 1 + 1 = 2",11,0,1
0,"He said ""two"", then wrote 2",12,1,0
1,"Line one
line two, with a comma
line ""three""",13,0,true
2,plain six,14,0,no
EOF
expect_status 0 C import samples "$T/samples.csv" --run csv --model m --dataset toy
expect_stdout_contains "imported 4 samples of 3 problems into run 'csv'"
expect_eq "csv samples (problem, index, tokens, label)" "0|0|11|1 0|1|12|0 1|0|13|1 2|0|14|0" \
	"$(q csv "p.problem_key, s.sample_index, s.tokens, s.label" | paste -sd' ')"
expect_eq "csv text with a comma" "Add them, then: 1 + 1 = 2" "$(q csv "s.text" "AND p.problem_key='0' AND s.sample_index=0")"
expect_eq "csv text with doubled quotes" 'He said "two", then wrote 2' \
	"$(q csv "s.text" "AND p.problem_key='0' AND s.sample_index=1")"
expect_eq "csv text over three lines" $'Line one\nline two, with a comma\nline "three"' \
	"$(q csv "s.text" "AND p.problem_key='1'")"
ok "csv: quoted fields with commas, doubled quotes and newlines; tokens, sample_index and is_correct read"

# a compressed CSV file is still CSV: the preset is chosen by the name without its compression suffix
printf 'problem_id,text\n0,"Again, 2"\n' | gzip -c >"$T/more.csv.gz"
expect_status 0 C import samples "$T/more.csv.gz" --run csvgz --model m --dataset toy
expect_eq "csv.gz sample" "0|Again, 2" "$(q csvgz "p.problem_key, s.text" | paste -sd' ')"
ok "csv.gz: read with the csv preset, like the plain file"

# the line number of a bad row after a multi-line field is the row's first line
cat >"$T/bad_after_multiline.csv" <<'EOF'
problem_id,text,tokens
0,"a
b",1
1,c,2
2,d
EOF
snap=$(db_snapshot "$DB")
expect_status 3 C import samples "$T/bad_after_multiline.csv" --run csv2 --model m --dataset toy
expect_stderr_contains "bad_after_multiline.csv:5:"
expect_eq "database after the refused CSV" "$snap" "$(db_snapshot "$DB")"
ok "csv: a short row after a multi-line field is reported at its own line (5), database unchanged"

expect_eq "integrity" ok "$(sql "$DB" 'PRAGMA integrity_check')"

# --- migration from schema version 1 -----------------------------------------------------------------------------
"$COSEVAL" init --db "$T/current.db" >"$OUT" 2>"$ERR" || fail "coseval init failed: $(cat "$ERR")"
current=$(sql "$T/current.db" 'PRAGMA user_version')
[ "$current" -ge 2 ] 2>/dev/null || fail "expected the current schema version to be 2 or more, got '$current'"
expect_stdout_contains "schema version $current"
ok "coseval init creates a database at schema version $current"

V1=$T/v1.db
# the version-1 schema, as coseval's first migration wrote it (harness/store/schema.c, migration_1)
sqlite3 -batch "$V1" <<'EOF' || fail "could not build the version-1 database"
CREATE TABLE datasets (name TEXT PRIMARY KEY, profile TEXT NOT NULL);
CREATE TABLE problems (id INTEGER PRIMARY KEY, dataset TEXT NOT NULL REFERENCES datasets(name),
  problem_key TEXT NOT NULL, question TEXT, gold TEXT, solution TEXT, subject TEXT, level INTEGER,
  UNIQUE (dataset, problem_key));
CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, model TEXT NOT NULL, params REAL,
  price_out REAL, dataset TEXT NOT NULL REFERENCES datasets(name), created_at TEXT NOT NULL);
CREATE TABLE run_tags (run_id INTEGER NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run_id, key));
CREATE TABLE imports (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, dataset TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id), path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,
  records INTEGER NOT NULL, imported_at TEXT NOT NULL);
CREATE INDEX imports_by_sha ON imports (kind, sha256);
CREATE TABLE samples (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
  problem_id INTEGER NOT NULL REFERENCES problems(id), sample_index INTEGER NOT NULL, text TEXT NOT NULL,
  tokens INTEGER, label INTEGER, import_id INTEGER NOT NULL REFERENCES imports(id),
  UNIQUE (run_id, problem_id, sample_index));
INSERT INTO datasets VALUES ('old', 'generic');
INSERT INTO problems VALUES (1, 'old', 'q1', 'What is 1 + 1?', '2', NULL, NULL, NULL);
INSERT INTO runs VALUES (1, 'old-run', 'old-model', 9e9, NULL, 'old', '2024-01-01T00:00:00Z');
INSERT INTO run_tags VALUES (1, 'setting', 'kd');
INSERT INTO imports VALUES (1, 'samples', 'old', 1, 'old.jsonl', 'abc', 10, 1, '2024-01-01T00:00:00Z');
INSERT INTO samples VALUES (1, 1, 1, 0, 'The answer is 2.', 7, 1, 1);
PRAGMA user_version = 1;
EOF
expect_status 0 "$COSEVAL" runs --db "$V1"
expect_stdout_contains "$(printf 'old-run\told-model\t9e+09\t-\told\tsetting=kd\t1\t1\told.jsonl\tabc')"
expect_eq "user_version after 'coseval runs' on a version-1 database" "$current" "$(sql "$V1" 'PRAGMA user_version')"
expect_eq "version-1 row kept" "old-run|0|The answer is 2.|7|1" \
	"$(sql "$V1" "SELECT r.name, s.sample_index, s.text, s.tokens, s.label FROM samples s JOIN runs r ON r.id=s.run_id")"
expect_eq "tables after migration" \
	"$(sql "$T/current.db" "SELECT name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%' ORDER BY name" | paste -sd' ')" \
	"$(sql "$V1" "SELECT name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%' ORDER BY name" | paste -sd' ')"
expect_eq "integrity after migration" ok "$(sql "$V1" 'PRAGMA integrity_check')"
ok "version-1 database migrated to version $current by 'coseval runs': rows kept, same tables as a new database"
expect_status 0 "$COSEVAL" init --db "$V1"
expect_eq "user_version after init on a migrated database" "$current" "$(sql "$V1" 'PRAGMA user_version')"
ok "coseval init on an up-to-date database is a no-op"

V99=$T/v99.db
sqlite3 -batch "$V99" 'CREATE TABLE future (x); INSERT INTO future VALUES (42); PRAGMA user_version = 99;' ||
	fail "could not build the version-99 database"
snap=$(db_snapshot "$V99")
expect_status 4 "$COSEVAL" runs --db "$V99"
expect_stderr_contains "v99.db"
expect_stderr_contains "99"
expect_status 4 "$COSEVAL" init --db "$V99"
expect_status 4 "$COSEVAL" import problems "$T/problems.jsonl" --dataset toy --db "$V99"
expect_eq "version-99 database after the refusals" "$snap" "$(db_snapshot "$V99")"
ok "database at user_version 99: refused with exit 4 by runs, init and import, left unchanged"

# --- CSV has no null: an empty cell in an optional column means "no value" ------------------------------------
printf 'problem_id,text,tokens,is_correct\n0,"empty label and tokens",,\n1,"labelled",5,1\n' >"$T/empty_cells.csv"
expect_status 0 C import samples "$T/empty_cells.csv" --run csv-empty --model m --dataset toy
expect_eq "csv empty cells stored as NULL" "0|| 1|5|1" \
	"$(q csv-empty "p.problem_key, s.tokens, s.label" | paste -sd' ')"
ok "csv: empty tokens and is_correct cells are stored as no value (NULL)"
echo "PASS $TEST_NAME"
