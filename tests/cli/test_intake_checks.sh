#!/usr/bin/env bash
# Intake checks that keep an import from being silently wrong: the question cross-check (shifted vLLM ids),
# lm-eval logs with several filters, chat dumps (assistant turns only), prefixed batch ids taken out with
# re(), NUL characters escaped in JSON, and run, model, dataset and tag names.
set -u
. "$(dirname "$0")/lib.sh"

DB=$T/intake.db
C() { "$COSEVAL" "$@" --db "$DB"; }
count() { sql "$DB" "SELECT COUNT(*) FROM $1"; }

# --- set-up: the real GSM8K test set, and a small toy dataset ----------------------------------------------------
expect_status 0 C import problems "$DATA/gsm8k/test.jsonl" --dataset gsm8k
cat >"$T/toy.jsonl" <<'EOF'
{"id": 0, "question": "What is 1 + 1?", "answer": "2"}
{"id": 1, "question": "What is 2 + 2?", "answer": "4"}
{"id": 2, "question": "What is 3 + 3?", "answer": "6"}
{"id": 17, "question": "What is 17 + 17?", "answer": "34"}
EOF
expect_status 0 C import problems "$T/toy.jsonl" --dataset toy
ok "set-up: gsm8k (1319 problems) and toy (4)"

# --- lm-eval: the real one-filter log, and the same log with a second filter ---------------------------------------
REAL_LMEVAL=$(ls "$DATA"/wild/olot__samples_gsm8k_*.jsonl)
expect_status 0 C import samples "$REAL_LMEVAL" --preset lm-eval --run lm1 --model m --dataset gsm8k
expect_stdout_contains "imported 3 samples of 3 problems into run 'lm1'"
expect_stdout_contains "question checked in 3 records; filter 'strict-match' kept, 0 records of 0 other filters left out"
ok "lm-eval: the real log (filter strict-match) imports with 3 questions checked"

# the layout lm-eval writes for gsm8k's two filters: every document once per filter, the same resps
python3 - "$REAL_LMEVAL" "$T/two_filters.jsonl" "$T/uneven.jsonl" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
with open(sys.argv[2], "w") as out:
    for r in records:
        out.write(json.dumps(r) + "\n")
    for r in records:
        r = dict(r, filter="flexible-extract", filtered_resps=["18"])
        out.write(json.dumps(r) + "\n")
with open(sys.argv[3], "w") as out:
    for r in records:
        out.write(json.dumps(r) + "\n")
    out.write(json.dumps(dict(records[0], filter="flexible-extract")) + "\n")
PY
expect_status 0 C import samples "$T/two_filters.jsonl" --preset lm-eval --run lm2 --model m --dataset gsm8k
expect_stdout_contains "imported 3 samples of 3 problems into run 'lm2'"
expect_stdout_contains "filter 'strict-match' kept, 3 records of 1 other filter left out"
expect_stdout_contains ": 6 records,"
expect_eq "one sample per document" "0|1 1|1 2|1" \
	"$(sql "$DB" "SELECT p.problem_key, COUNT(*) FROM samples s JOIN runs r ON r.id = s.run_id JOIN problems p
		ON p.id = s.problem_id WHERE r.name = 'lm2' GROUP BY p.problem_key ORDER BY p.problem_key" | paste -sd' ')"
expect_status 0 C import samples "$T/two_filters.jsonl" --preset lm-eval --run lm3 --model m --dataset gsm8k \
	--filter flexible-extract
expect_stdout_contains "imported 3 samples of 3 problems into run 'lm3'"
expect_stdout_contains "filter 'flexible-extract' kept, 3 records of 1 other filter left out"
expect_status 3 C import samples "$T/two_filters.jsonl" --preset lm-eval --run lm4 --model m --dataset gsm8k \
	--filter none
expect_stderr_contains "--filter none: no record has that filter (the file's filters: 'strict-match', 'flexible-extract')"
expect_status 3 C import samples "$T/uneven.jsonl" --preset lm-eval --run lm4 --model m --dataset gsm8k
expect_stderr_contains "filter 'flexible-extract' has 1 records but filter 'strict-match' has 3 (first at line 4)"
expect_status 2 C import samples "$T/toy.jsonl" --run lm4 --model m --dataset toy --filter strict-match
expect_stderr_contains "--filter needs a filter field"
expect_eq "failed imports wrote nothing" 0 "$(count "runs WHERE name = 'lm4'")"
ok "lm-eval: two filters give one sample per document; --filter chooses; a missing filter or uneven log is refused"

# --- the question check: vLLM request ids shifted by one -----------------------------------------------------------
cat >"$T/vllm_shifted.jsonl" <<'EOF'
{"request_id": "0", "prompt": "<|user|>\nWhat is 1 + 1?\n<|assistant|>\n", "outputs": [{"index": 0, "text": "2", "token_ids": [17], "finish_reason": "stop"}]}
{"request_id": "2", "prompt": "<|user|>\nWhat is 2 + 2?\n<|assistant|>\n", "outputs": [{"index": 0, "text": "4", "token_ids": [19], "finish_reason": "stop"}]}
EOF
expect_status 3 C import samples "$T/vllm_shifted.jsonl" --preset vllm --run vs --model m --dataset toy
expect_stderr_contains "vllm_shifted.jsonl:2: field \"question\" (\$.prompt) does not hold the question of problem '2'"
expect_stderr_contains "the problem says 'What is 3 + 3?', the record says '<|user|> What is 2 + 2? <|assistant|>'"
expect_stderr_contains "--no-question-check"
expect_eq "nothing written" "0 0" "$(count "runs WHERE name = 'vs'") $(count "samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'vs'")"
expect_status 0 C import samples "$T/vllm_shifted.jsonl" --preset vllm --run vs --model m --dataset toy --no-question-check
expect_stdout_contains "imported 2 samples of 2 problems into run 'vs' from $T/vllm_shifted.jsonl (question check off)"
sed 's/"request_id": "2"/"request_id": "1"/' "$T/vllm_shifted.jsonl" >"$T/vllm_right.jsonl"
expect_status 0 C import samples "$T/vllm_right.jsonl" --preset vllm --run vr --model m --dataset toy
expect_stdout_contains "(question checked in 2 records)"
# a question mapped with --map must be text; the jsonl preset's $.problem may be an id and is then not checked
echo '{"problem_id": 1, "question": 7, "text": "4"}' >"$T/q_number.jsonl"
expect_status 3 C import samples "$T/q_number.jsonl" --run qn --model m --dataset toy --map 'question=$.question'
expect_stderr_contains "q_number.jsonl:1: field \"question\" (\$.question) must be a string, got an integer"
echo '{"problem": 1, "text": "4"}' >"$T/problem_id.jsonl"
expect_status 0 C import samples "$T/problem_id.jsonl" --run qn --model m --dataset toy
expect_stdout_contains "(question checked in 0 records)"
ok "question check: a shifted vLLM id is refused naming line, id and both texts; --no-question-check; counts"

# --- a chat dump: the assistant turns are the samples --------------------------------------------------------------
cat >"$T/chat.jsonl" <<'EOF'
{"id": 0, "messages": [{"role": "system", "content": "You are a careful solver."}, {"role": "user", "content": "What is 1 + 1?"}, {"role": "assistant", "content": "1 + 1 = 2. The answer is 2."}]}
{"id": 1, "messages": [{"role": "system", "content": "You are a careful solver."}, {"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "The answer is 5."}, {"role": "user", "content": "Check again."}, {"role": "assistant", "content": "2 + 2 = 4. The answer is 4."}]}
EOF
expect_status 0 C import samples "$T/chat.jsonl" --run chat-all --model m --dataset toy \
	--map 'text=$.messages[?role=assistant].content' --map 'question=$.messages[?role=user][0].content'
expect_stdout_contains "imported 3 samples of 2 problems into run 'chat-all'"
expect_stdout_contains "(question checked in 2 records)"
expect_eq "assistant turns only" "0|0|1 + 1 = 2. The answer is 2.#1|0|The answer is 5.#1|1|2 + 2 = 4. The answer is 4." \
	"$(sql "$DB" "SELECT p.problem_key, s.sample_index, s.text FROM samples s JOIN runs r ON r.id = s.run_id
		JOIN problems p ON p.id = s.problem_id WHERE r.name = 'chat-all' ORDER BY 1, 2" | paste -sd'#')"
expect_status 0 C import samples "$T/chat.jsonl" --run chat-last --model m --dataset toy \
	--map 'text=$.messages[?role=assistant][-1].content' --map 'question=$.messages[?role=user].content'
expect_eq "the last assistant turn" "1 + 1 = 2. The answer is 2.#2 + 2 = 4. The answer is 4." \
	"$(sql "$DB" "SELECT s.text FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'chat-last'
		ORDER BY s.problem_id" | paste -sd'#')"
expect_status 0 C import samples "$T/chat.jsonl" --run chat-neg --model m --dataset toy --map 'text=$.messages[-1].content'
expect_eq "a negative index" 2 "$(count "samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'chat-neg'")"
ok "chat: [?role=assistant] keeps the assistant turns, [-1] the last one; system and user turns are never samples"

# --- OpenAI batch output: prefixed custom_ids, lines out of order ---------------------------------------------------
cat >"$T/batch.jsonl" <<'EOF'
{"id": "batch_req_c", "custom_id": "task_17", "response": {"status_code": 200, "request_id": "r3", "body": {"object": "chat.completion", "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant", "content": "17 + 17 = 34"}, "finish_reason": "stop"}], "usage": {"completion_tokens": 5}}}, "error": null}
{"id": "batch_req_a", "custom_id": "task_0", "response": {"status_code": 200, "request_id": "r1", "body": {"object": "chat.completion", "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant", "content": "1 + 1 = 2"}, "finish_reason": "stop"}], "usage": {"completion_tokens": 5}}}, "error": null}
{"id": "batch_req_b", "custom_id": "task_2", "response": {"status_code": 200, "request_id": "r2", "body": {"object": "chat.completion", "model": "gpt-4o-mini", "choices": [{"index": 0, "message": {"role": "assistant", "content": "3 + 3 = 6"}, "finish_reason": "stop"}], "usage": {"completion_tokens": 5}}}, "error": null}
EOF
expect_status 3 C import samples "$T/batch.jsonl" --preset openai-batch --run oa --model m --dataset toy
expect_stderr_contains "batch.jsonl:1: field \"problem\" (\$.custom_id): no problem 'task_17' in dataset 'toy'"
expect_stderr_contains "--map 'problem=re(PATH, \"(?<id>[0-9]+)\$\")'"
expect_status 0 C import samples "$T/batch.jsonl" --preset openai-batch --run oa --model m --dataset toy \
	--map 'problem=re($.custom_id, "(?<id>[0-9]+)$")'
expect_stdout_contains "imported 3 samples of 3 problems into run 'oa'"
expect_eq "each response with its own problem, whatever the line order" "0|1 + 1 = 2#17|17 + 17 = 34#2|3 + 3 = 6" \
	"$(sql "$DB" "SELECT p.problem_key, s.text FROM samples s JOIN runs r ON r.id = s.run_id
		JOIN problems p ON p.id = s.problem_id WHERE r.name = 'oa' ORDER BY 1" | paste -sd'#')"
sed 's/"task_2"/"task_two"/' "$T/batch.jsonl" >"$T/batch_bad.jsonl"
expect_status 3 C import samples "$T/batch_bad.jsonl" --preset openai-batch --run ob --model m --dataset toy \
	--map 'problem=re($.custom_id, "(?<id>[0-9]+)$")'
expect_stderr_contains "batch_bad.jsonl:3: field \"problem\" (re(\$.custom_id, \"(?<id>[0-9]+)\$\")): the pattern does not match 'task_two'"
expect_status 2 C import samples "$T/batch.jsonl" --preset openai-batch --run ob --model m --dataset toy \
	--map 'problem=re($.custom_id, "([0-9]+)$")'
expect_stderr_contains "exactly one named group"
expect_eq "nothing written" 0 "$(count "runs WHERE name = 'ob'")"
ok "openai-batch: task_N ids taken out with re(), in any line order; a non-matching id is refused"

# --- a NUL character escaped in JSON ------------------------------------------------------------------------------
printf '%s\n' '{"problem_id": 0, "text": "The answer is 2."}' \
	'{"problem_id": 1, "text": "The answer is \u0000 4."}' >"$T/nul.jsonl"
expect_status 3 C import samples "$T/nul.jsonl" --run nul --model m --dataset toy
expect_stderr_contains "nul.jsonl:2: field \$.text holds a NUL character (\\u0000)"
expect_eq "nothing written" 0 "$(count "runs WHERE name = 'nul'")"
printf '%s\n' '{"problem_id": 1, "meta": {"a": [1, "x"], "b": ["ok", "y\u0000"]}, "text": "4"}' >"$T/nul_deep.jsonl"
expect_status 3 C import samples "$T/nul_deep.jsonl" --run nul --model m --dataset toy
expect_stderr_contains "nul_deep.jsonl:1: field \$.meta.b[1] holds a NUL character"
printf '%s\n' '[{"problem_id": 0, "text": "2"},' ' {"problem_id": 1, "text": "4\u0000"}]' >"$T/nul_array.json"
expect_status 3 C import samples "$T/nul_array.json" --run nul --model m --dataset toy
expect_stderr_contains "nul_array.json:2: field \$[1].text holds a NUL character"
printf '%s\n' '{"problem_id": 1, "text": "a literal \\u0000 is text: 4"}' >"$T/not_nul.jsonl"
expect_status 0 C import samples "$T/not_nul.jsonl" --run notnul --model m --dataset toy
expect_eq "an escaped backslash before u0000 is text" 'a literal \u0000 is text: 4' \
	"$(sql "$DB" "SELECT s.text FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'notnul'")"
ok "\\u0000: refused naming line and field (JSON lines, nested, JSON array); \\\\u0000 is text"

# --- names ---------------------------------------------------------------------------------------------------------
echo '{"problem_id": 1, "text": "The answer is 4."}' >"$T/one.jsonl"
expect_status 2 C import samples "$T/one.jsonl" --run 'a,b' --model m --dataset toy
expect_stderr_contains "--run 'a,b': a comma cannot be in this name"
expect_status 2 C import samples "$T/one.jsonl" --run '' --model m --dataset toy
expect_stderr_contains "--run: the name is empty"
expect_status 2 C import samples "$T/one.jsonl" --run $'r\n1' --model m --dataset toy
expect_stderr_contains "a control character (byte 0x0a at byte 1"
expect_status 2 C import samples "$T/one.jsonl" --run r --model $'m\t2' --dataset toy
expect_stderr_contains "--model 'm...': a control character (byte 0x09"
expect_status 2 C import samples "$T/one.jsonl" --run r --model m --dataset $'toy\r'
expect_stderr_contains "--dataset 'toy...': a control character (byte 0x0d"
expect_status 2 C import samples "$T/one.jsonl" --run r --model m --dataset toy --tag $'k=v\nx=y'
expect_stderr_contains "--tag k: the value 'v...': a control character"
expect_status 2 C import samples "$T/one.jsonl" --run r --model m --dataset toy --tag 'a,b=v'
expect_stderr_contains "--tag: the key 'a,b': a comma cannot be in this name"
expect_eq "refused names wrote nothing" 0 "$(count "runs WHERE name LIKE 'r%' OR name LIKE 'a%'")"

# a value with a comma is one value: it neither makes a second tag nor moves the run to another column or slice
long=$(printf 'x%.0s' $(seq 1 1000))
expect_status 0 C import samples "$T/one.jsonl" --run tagged --model m --dataset toy \
	--tag 'student=s1,trained_on=wc' --tag "long=$long" --tag setting=kd
expect_eq "tags" "long|1000 setting|2 student|16" \
	"$(sql "$DB" "SELECT key, length(value) FROM run_tags t JOIN runs r ON r.id = t.run_id WHERE r.name = 'tagged'
		ORDER BY key" | paste -sd' ')"
expect_status 0 C runs
expect_stdout_contains 'student="s1,trained_on=wc"'
expect_status 0 C grade --run tagged
expect_status 0 C report --runs tagged --by tag:trained_on --k 1 --bootstrap 10
expect_stdout_contains "trained_on=none"
expect_status 0 C report --runs tagged --by tag:student --k 1 --bootstrap 10
expect_stdout_contains "student=s1,trained_on=wc"
expect_status 0 C report --runs tagged --by tag:long --k 1 --bootstrap 10 --format csv
expect_stdout_contains "\"long=$long\""
expect_status 3 C table finetune --rows setting --cols trained_on --bootstrap 10
expect_stderr_contains "no run has both tags 'setting' and 'trained_on'"
expect_status 0 C table finetune --rows setting --cols student --bootstrap 10 --where 'student=s1\,trained_on=wc'
expect_stdout_contains "student=s1,trained_on=wc"
expect_status 3 C table finetune --rows setting --cols student --bootstrap 10 --where 'student=s1'
expect_status 2 C table finetune --rows setting --cols student --bootstrap 10 --where 'student'
expect_stderr_contains "--where wants KEY=VALUE[,KEY=VALUE]"
ok "names: control characters, empty names and commas in run names and tag keys refused; a tag value keeps its commas and its length"

# judge names: a control character is refused, from --judge (usage) and from the file (bad input)
printf '%s\n' '{"problem_id": 1, "reasoning_correct": true, "judge": "a\nb"}' >"$T/judge_bad.jsonl"
expect_status 2 C import judgments "$T/judge_bad.jsonl" --run tagged --judge $'j\t1'
expect_stderr_contains "--judge 'j...': a control character"
expect_status 3 C import judgments "$T/judge_bad.jsonl" --run tagged
expect_stderr_contains 'judge_bad.jsonl:1: field "judge" ($.judge) holds a control character'
ok "judge names: control characters refused from --judge (exit 2) and from the file (exit 3)"
