#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets from the grading cases and the real data.

usage: seeds.py GRADING_DIR DATA_DIR OUT_DIR   (one folder per target under OUT_DIR)
"""
import glob
import gzip
import json
import os
import sys

grading, data, out = sys.argv[1:4]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
count = {}


def put(target, payload):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    n = count.get(target, 0)
    count[target] = n + 1
    with open(os.path.join(d, "seed-%05d" % n), "wb") as f:
        f.write(payload)


def tsv_rows(path):
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 3 and cols[2] in ("equal", "different"):
            yield cols[0], cols[1]


tsvs = [os.path.join(grading, "equivalence.tsv")] + sorted(glob.glob(os.path.join(root, "tests/grading/equivalence-*.tsv")))
for path in tsvs:
    if os.path.exists(path):
        for gold, pred in tsv_rows(path):
            put("fuzz_compare", b"\x02" + (gold + "\n" + pred).encode())

texts = []
for path in [os.path.join(grading, "extraction.jsonl")] + sorted(glob.glob(os.path.join(root, "tests/grading/extraction-*.jsonl"))):
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                r = json.loads(line)
                prof = {"generic": 0, "gsm8k": 1, "math": 2}[r["profile"]]
                texts.append((prof, r["text"], r.get("answer") or "42"))
peer = os.path.join(grading, "peer_cases.jsonl")
if os.path.exists(peer):
    for line in open(peer, encoding="utf-8"):
        r = json.loads(line)
        prof = {"generic": 0, "gsm8k": 1, "math": 2}[r["profile"]]
        if r["kind"] == "text":
            texts.append((prof, r["pred"], r["gold"]))
        elif r.get("gold_kind") != "text":
            put("fuzz_compare", bytes([prof]) + (r["gold"] + "\n" + r["pred"]).encode())
qwen = os.path.join(data, "qwen25_math/math_cot_100.jsonl")
if os.path.exists(qwen):
    for i, line in enumerate(open(qwen, encoding="utf-8")):
        if i % 5 == 0:
            r = json.loads(line)
            texts.append((2, r["code"][0], r["gt"]))
for prof, text, gold in texts:
    put("fuzz_extract", bytes([prof]) + text.encode())
    put("fuzz_extract", bytes([prof | 0x10]) + text.encode())
    put("fuzz_stream", bytes([prof]) + (json.dumps({"id": 1, "gold": gold, "text": text}) + "\n").encode())

for path, record in [
        ("$.problem_id", '{"problem_id": 7, "text": "x"}'),
        ("$.outputs[*].text", '{"outputs": [{"text": "a"}, {"text": "b"}]}'),
        ("$.messages[?role=assistant][-1].content",
         '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}'),
        ('re($.custom_id, "(?<id>[0-9]+)$")', '{"custom_id": "task_17"}'),
        ("len($.outputs[*].token_ids)", '{"outputs": [{"token_ids": [1, 2]}]}'),
        ('join($.steps, "\\n")', '{"steps": ["a", "b"]}'),
        ('$."6b_finetuning".solution', '{"6b_finetuning": {"solution": "s"}}'),
        ("$.resps[0][*]", '{"resps": [["a", "b"]]}')]:
    put("fuzz_jpath", (path + "\n" + record).encode())

wild = os.path.join(data, "wild")
for name in sorted(os.listdir(wild)) if os.path.isdir(wild) else []:
    raw = open(os.path.join(wild, name), "rb").read()[:60000]
    form = 3 if name.endswith(".yaml") else 4 if name.endswith(".json") else 0
    put("fuzz_source", bytes([form]) + raw)
put("fuzz_source", b"\x02problem_id,text\n0,\"a, b\"\n1,\"x\"\"y\"\n")
put("fuzz_source", b"\x01[{\"a\": 1}, {\"a\": \"\\u00e9\"}]")
put("fuzz_source", b"\x00" + gzip.compress(b'{"problem_id": 1, "text": "x"}\n'))
