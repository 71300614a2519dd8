#!/usr/bin/env python3
"""Writes a deterministic sample dump for benchmarks, built from the real solutions in ../shared/data.

math style: one sample per line over the 5,000 MATH test problems (tora/math_test.jsonl), each the
problem's reference solution with its final \\boxed{} answer kept, rewritten in an equivalent form, or
replaced by a wrong one (about half wrong), and sometimes with the box dropped for "The answer is".
gsm8k style: the same over the 1,319 GSM8K test problems, with "#### n" final lines.

usage: gen_samples.py {math|gsm8k} N OUT.jsonl [--data DIR] [--seed S]
"""
import argparse
import json
import os
import random
import re

here = os.path.dirname(os.path.abspath(__file__))


def last_box(text):
    start = text.rfind("\\boxed{")
    if start < 0:
        return None
    i = start + len("\\boxed{")
    depth = 1
    j = i
    while j < len(text) and depth:
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
        j += 1
    if depth:
        return None
    return start, i, j - 1


def variants(answer, rng):
    """An equivalent rewriting of answer (or the answer itself) and a wrong one."""
    same = answer
    m = re.fullmatch(r"-?\d+", answer)
    if m:
        n = int(answer)
        same = rng.choice([answer, f"{n}.0", f"{n:,}".replace(",", "{,}"), f"\\text{{{n}}}"])
        wrong = str(n + rng.choice([-2, -1, 1, 3, 10]))
        return same, wrong
    m = re.fullmatch(r"\\frac\{(\d+)\}\{(\d+)\}", answer)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        same = rng.choice([f"\\dfrac{{{a}}}{{{b}}}", f"{a}/{b}", f"\\frac{{{2 * a}}}{{{2 * b}}}"])
        wrong = f"\\frac{{{a + 1}}}{{{b}}}"
        return same, wrong
    wrong = rng.choice([answer + "+1", "2" + answer, "-" + answer if not answer.startswith("-") else answer[1:],
                        "0"])
    return same, wrong


def make_math(problems, rng):
    p = rng.choice(problems)
    text = p["solution"]
    box = last_box(text)
    if box is None:
        return p["idx"], text
    start, i, j = box
    answer = text[i:j]
    same, wrong = variants(answer, rng)
    final = wrong if rng.random() < 0.5 else same
    if rng.random() < 0.1:
        return p["idx"], text[:start] + final + text[j + 1:] + "\nThe answer is " + final + "."
    return p["idx"], text[:i] + final + text[j:]


def make_gsm8k(problems, rng):
    index, p = rng.choice(problems)
    body, _, gold = p["answer"].rpartition("####")
    gold = gold.strip()
    same, wrong = variants(gold.replace(",", ""), rng)
    final = wrong if rng.random() < 0.5 else same
    if rng.random() < 0.2:
        return index, body.strip() + "\nThe answer is " + final + "."
    return index, body + "#### " + final


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("style", choices=["math", "gsm8k"])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--data", default=os.environ.get("COSEVAL_DATA", os.path.join(here, "../../../shared/data")))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if args.style == "math":
        with open(os.path.join(args.data, "tora/math_test.jsonl"), encoding="utf-8") as f:
            problems = [json.loads(line) for line in f]
        make = make_math
    else:
        with open(os.path.join(args.data, "gsm8k/test.jsonl"), encoding="utf-8") as f:
            problems = list(enumerate(json.loads(line) for line in f))
        make = make_gsm8k
    with open(args.out, "w", encoding="utf-8") as out:
        for k in range(args.n):
            pid, text = make(problems, rng)
            out.write(json.dumps({"problem_id": pid, "text": text, "tokens": len(text) // 4}) + "\n")


if __name__ == "__main__":
    main()
