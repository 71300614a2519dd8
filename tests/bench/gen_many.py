#!/usr/bin/env python3
"""Writes a deterministic dump of many short samples per MATH problem, for the many-samples benchmark.

Every problem of tora/math_test.jsonl (or the first --problems of them) gets N samples. Each problem has its
own success probability p (drawn from Beta(0.5, 0.5), so many problems are nearly always or nearly never
solved), one to four wrong answers with random shares of the rest, a long tail of one-off wrong answers and
a few samples without an answer: maj@k meets real answer groups, close races and ties. A sample's text is a
short line ending in its final answer, boxed or as "The answer is ..."; the same problem seed gives the same
first samples whatever N, so a run of 16 samples is the start of the run of 1,024.

usage: gen_many.py N OUT.jsonl [--problems P] [--data DIR] [--seed S]
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
    return None if depth else text[i:j - 1]


def wrong_answers(gold, count, rng):
    """count distinct wrong answers derived from gold."""
    out = []
    if re.fullmatch(r"-?\d+", gold):
        n = int(gold)
        shifts = [-3, -2, -1, 1, 2, 3, 4, 5, 10, -10, 12]
        rng.shuffle(shifts)
        return [str(n + d) for d in shifts[:count]]
    pool = [gold + "+1", "2" + gold, gold + "-1", "3" + gold, gold + "+2"]
    rng.shuffle(pool)
    out = pool[:count]
    return out


def esc(text):
    """The JSON string body of text (without the quotes)."""
    return json.dumps(text)[1:-1]


def problem_lines(idx, gold, n, seed):
    rng = random.Random(seed * 1000003 + idx)
    p = rng.betavariate(0.5, 0.5)
    blank = rng.random() * 0.04
    tail = rng.random() * 0.15
    n_wrong = 1 + rng.randrange(4)
    shares = [rng.expovariate(1.0) for _ in range(n_wrong)]
    total = sum(shares)
    rest = max(0.0, 1.0 - p - blank - tail)
    cuts = [p]
    for s in shares:
        cuts.append(cuts[-1] + rest * s / total)
    cuts.append(cuts[-1] + tail)
    wrong = [esc(w) for w in wrong_answers(gold, n_wrong, rng)]
    gold_e = esc(gold)
    head = '{"problem_id":%d,"tokens":%%d,"text":"' % idx
    lines = []
    for _ in range(n):
        u = rng.random()
        if u < cuts[0]:
            answer = gold_e
        elif u >= cuts[-1]:
            answer = None
        elif u >= cuts[-2]:
            answer = str(100000 + rng.randrange(900000))
        else:
            j = 1
            while u >= cuts[j]:
                j += 1
            answer = wrong[j - 1]
        step = rng.randrange(40)
        if answer is None:
            body = "Working step %d: the computation runs out before an answer" % step
        elif rng.random() < 0.1:
            body = "Working step %d leads to the result.\\nThe answer is %s." % (step, answer)
        else:
            body = "Working step %d leads to the result, so the answer is $\\\\boxed{%s}$." % (step, answer)
        lines.append(head % (len(body) // 4) + body + '"}\n')
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, help="samples per problem")
    ap.add_argument("out")
    ap.add_argument("--problems", type=int, default=5000)
    ap.add_argument("--data", default=os.environ.get("COSEVAL_DATA", os.path.join(here, "../../../shared/data")))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with open(os.path.join(args.data, "tora/math_test.jsonl"), encoding="utf-8") as f:
        problems = [json.loads(line) for line in f][:args.problems]
    with open(args.out, "w", encoding="utf-8") as out:
        for p in problems:
            gold = last_box(p["solution"])
            if gold is None:
                continue
            out.writelines(problem_lines(p["idx"], gold, args.n, args.seed))


if __name__ == "__main__":
    main()
