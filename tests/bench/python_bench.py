#!/usr/bin/env python3
"""Benchmark of the coseval Python module: µs per check() call, grade_many against `coseval grade --stream` on
the same real pairs and threads, and Math-Verify when it is importable; prints a table of figures.

usage: tests/bench/python_bench.py [--build DIR (default $COSEVAL_BUILD or build)] [--data DIR]
                                   [--threads N (default 2)] [--copies C (default 10)] [--rounds R (default 5)]
                                   [--calls N (default 200000)]
The pairs are the 8,714 samples of the real dumps bench_grade_speed uses: GSM8K example_model_solutions (4
models) and ToRA's two GSM8K outputs, graded with the gsm8k profile; the Qwen2.5-Math MATH samples, with math.
Each set is repeated C times. Both sides run R rounds, interleaved, and the best round of each counts (the
machine is shared); the CLI reads a JSONL file of {"gold", "text"} and writes its verdicts to /dev/null,
grade_many grades the same pairs held in a Python list. Wall time is the figure; CPU time (all threads, user
and system) is printed too, as it depends less on the other load of the machine.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gsm8k_gold(answer):
    return answer.rsplit("####", 1)[1].strip().replace(",", "")


def real_pairs(data):
    """{profile: [(gold, text)]} of the real dumps."""
    gsm = []
    golds = [gsm8k_gold(r["answer"]) for r in read_jsonl(os.path.join(data, "gsm8k", "test.jsonl"))]
    sols = read_jsonl(os.path.join(data, "gsm8k", "example_model_solutions.jsonl"))
    for gold, r in zip(golds, sols):
        for field in ("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"):
            gsm.append((gold, r[field]["solution"]))
    for name in ("gsm8k_test_tora-70b-v1.0_greedy.jsonl", "gsm8k_test_tora-code-34b-v1.0_greedy.jsonl"):
        for r in read_jsonl(os.path.join(data, "tora", name)):
            gsm.append((str(r["gt"]), r["code"][0]))
    math_pairs = []
    for r in read_jsonl(os.path.join(data, "qwen25_math", "math_cot_100.jsonl")):
        for text in r["code"]:
            math_pairs.append((str(r["gt"]), text))
    return {"gsm8k": gsm, "math": math_pairs}


def equivalence_pairs(grading):
    out = []
    with open(os.path.join(grading, "equivalence.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cols) < 3 or cols[:2] == ["gold", "pred"]:
                continue
            out.append((cols[0], cols[1]))
    return out


def per_call_us(fn, args_list, calls, rounds):
    """Best over rounds of the mean µs per call of fn(*args), cycling through args_list."""
    seq = (args_list * (calls // len(args_list) + 1))[:calls]
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for a in seq:
            fn(*a)
        best = min(best, time.perf_counter() - t)
    return best / calls * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.environ.get("COSEVAL_BUILD") or os.path.join(root, "build"))
    ap.add_argument("--data", default=os.environ.get("COSEVAL_DATA") or os.path.join(root, "..", "shared", "data"))
    ap.add_argument("--grading", default=os.environ.get("COSEVAL_GRADING")
                    or os.path.join(root, "..", "shared", "grading"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=200000)
    opt = ap.parse_args()
    opt.build = os.path.abspath(opt.build)

    os.environ.setdefault("COSEVAL_LIBRARY", os.path.join(opt.build, "libcoseval.so.1"))
    sys.path.insert(0, os.path.join(root, "python"))
    import coseval
    binary = os.path.join(opt.build, "coseval")

    print("coseval %s (grader %s), library %s, Python %s" % (coseval.version(), coseval.grader_version(),
                                                              coseval.library_path(), sys.version.split()[0]))
    rows = []

    eq = equivalence_pairs(opt.grading)
    coseval.check("1", "1")
    rows.append(("check(): one call, '18' vs '18'", "%.2f µs" % per_call_us(coseval.check, [("18", "18")],
                                                                           opt.calls, opt.rounds), "< 20 µs"))
    rows.append(("check(): mean over the %d pairs of equivalence.tsv" % len(eq),
                 "%.2f µs" % per_call_us(coseval.check, eq, opt.calls, opt.rounds), "< 20 µs"))
    sets = real_pairs(opt.data)
    one = [sets["gsm8k"][i] + ("gsm8k",) for i in range(0, len(sets["gsm8k"]), 7)]
    rows.append(("grade(): mean over %d real GSM8K texts" % len(one),
                 "%.2f µs" % per_call_us(coseval.grade, one, min(opt.calls, 50000), opt.rounds), ""))

    with tempfile.TemporaryDirectory(prefix="coseval-pybench-") as tmp:
        for profile in ("gsm8k", "math"):
            pairs = sets[profile] * opt.copies
            path = os.path.join(tmp, profile + ".jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for gold, text in pairs:
                    f.write(json.dumps({"gold": gold, "text": text}) + "\n")
            cmd = [binary, "grade", "--stream", "--profile", profile, "--threads", str(opt.threads)]
            best_cli = best_py = cpu_cli = cpu_py = float("inf")
            for _ in range(opt.rounds):
                with open(path, "rb") as stdin, open(os.devnull, "wb") as devnull:
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t = time.perf_counter()
                    subprocess.run(cmd, stdin=stdin, stdout=devnull, check=True, cwd=tmp)
                    best_cli = min(best_cli, time.perf_counter() - t)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu_cli = min(cpu_cli, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                c = time.process_time()
                t = time.perf_counter()
                got = coseval.grade_many(pairs, profile=profile, threads=opt.threads)
                best_py = min(best_py, time.perf_counter() - t)
                cpu_py = min(cpu_py, time.process_time() - c)
                del got
            n = len(pairs)
            rows.append(("grade --stream --profile %s --threads %d, %d pairs" % (profile, opt.threads, n),
                         "%.3f s (%.2f µs/pair)" % (best_cli, best_cli / n * 1e6), "CPU %.3f s" % cpu_cli))
            rows.append(("grade_many(profile=%r, threads=%d), same pairs" % (profile, opt.threads),
                         "%.3f s (%.2f µs/pair)" % (best_py, best_py / n * 1e6), "CPU %.3f s" % cpu_py))
            rows.append(("  ratio grade_many / CLI, wall (%s)" % profile, "%.2f" % (best_py / best_cli), "<= 1.20"))
            rows.append(("  ratio grade_many / CLI, CPU (%s)" % profile, "%.2f" % (cpu_py / cpu_cli), ""))

    try:
        from math_verify import parse, verify
    except ImportError as e:
        rows.append(("Math-Verify verify(parse(gold), parse(pred))", "not measured",
                     "import math_verify failed (%s): not in Debian 12, no internet to install it" % e))
    else:
        parsed = [(g, p) for g, p in eq]
        us = per_call_us(lambda g, p: verify(parse(g), parse(p)), parsed, min(opt.calls, 5000), 1)
        rows.append(("Math-Verify verify(parse(gold), parse(pred)), equivalence.tsv", "%.2f µs" % us, ""))

    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    print("%-*s  %-*s  %s" % (w, "figure", v, "measured", "target / note"))
    for name, value, note in rows:
        print("%-*s  %-*s  %s" % (w, name, v, value, note))


if __name__ == "__main__":
    main()
