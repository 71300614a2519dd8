#!/usr/bin/env python3
"""Validates `coseval fit`: fits on the first K samples of each problem and predicts coverage@N at the largest N.

Synthetic runs are drawn from known per-problem success probabilities p_i (a Beta shape and shapes that are not
Beta: a two-point mixture, uniform with point masses at 0 and 1), with N samples per problem; the true
coverage@N is the mean over the problems of 1 - (1 - p_i)^N. Each run is imported and graded with the coseval
binary, then fitted with --k-fit 1..K for several K. The real Qwen2.5-Math run (8 samples per problem) is fitted
on its first 2 and 4 samples and compared with its measured coverage@8 (one sample per problem cannot be fitted).
Prints one Markdown table: the prediction of each model, its error and whether the reference lies in its 95%
interval.

usage: fit_validation.py [--coseval BUILD/coseval] [--data DIR] [--problems P] [--samples N] [--seed S]
"""
import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))


def shapes(rng):
    """name -> a function drawing one p."""
    def point_masses():
        u = rng.random()
        return 0.0 if u < 0.2 else 1.0 if u < 0.3 else rng.random()
    return [
        ("Beta(0.3, 2)", lambda: rng.betavariate(0.3, 2.0)),
        ("two-point 0.002 / 0.5", lambda: 0.002 if rng.random() < 0.5 else 0.5),
        ("U(0,1) + 20% at 0 + 10% at 1", point_masses),
    ]


def run(cmd, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (res.returncode, " ".join(cmd), res.stderr))
    return res.stdout


def fit_rows(coseval, db, name, k_fit, n, seed):
    out = run([coseval, "fit", "--db", db, "--runs", name, "--k-fit", "1..%d" % k_fit, "--predict", str(n),
               "--format", "csv", "--seed", str(seed)])
    rows = list(csv.DictReader(io.StringIO(out)))
    get = {}
    for r in rows:
        get[(r["fit"], r["parameter"], r["k"])] = r
    return get


def cell(row, ref):
    """'0.9123 [0.90, 0.93] yes' and the error against ref."""
    if row is None or row["value"] == "":
        return "-", None
    v = float(row["value"])
    if row["lower"] == "":
        return "%.4f" % v, v - ref
    lo, hi = float(row["lower"]), float(row["upper"])
    inside = "yes" if lo <= ref <= hi else "no"
    return "%.4f [%.4f, %.4f] %s" % (v, lo, hi, inside), v - ref


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coseval", default=os.path.join(here, "../../build/coseval"))
    ap.add_argument("--data", default=os.environ.get("COSEVAL_DATA", os.path.join(here, "../../../shared/data")))
    ap.add_argument("--problems", type=int, default=300)
    ap.add_argument("--samples", type=int, default=2048)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    coseval = os.path.abspath(args.coseval)
    rng = random.Random(args.seed)
    n = args.samples
    lines = ["| run | K | reference coverage@N | measured coverage@N | beta-binomial [95%] in | error | "
             "power law [95%] in | error |",
             "| --- | ---: | ---: | ---: | --- | ---: | --- | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "fit.db")
        run([coseval, "init", "--db", db])
        probs = os.path.join(tmp, "problems.jsonl")
        with open(probs, "w") as f:
            for i in range(args.problems):
                f.write(json.dumps({"id": "p%d" % i, "question": "synthetic problem %d" % i, "answer": str(i)}) + "\n")
        run([coseval, "import", "problems", probs, "--dataset", "synthetic", "--profile", "generic", "--db", db])
        for s, (shape, draw) in enumerate(shapes(rng)):
            name = "synthetic-%d" % s
            path = os.path.join(tmp, name + ".jsonl")
            ps = [draw() for _ in range(args.problems)]
            with open(path, "w") as f:
                for i, p in enumerate(ps):
                    for j in range(n):
                        ans = i if rng.random() < p else i + 1
                        f.write('{"problem_id":"p%d","sample_index":%d,"text":"so \\\\boxed{%d}"}\n' % (i, j, ans))
            run([coseval, "import", "samples", path, "--run", name, "--model", shape, "--dataset", "synthetic",
                 "--db", db])
            run([coseval, "grade", "--db", db, "--run", name])
            truth = sum(1 - (1 - p) ** n for p in ps) / len(ps)
            for k_fit in (2, 4, 8, 16, 64):
                get = fit_rows(coseval, db, name, k_fit, n, args.seed)
                beta, be = cell(get.get(("beta-binomial", "coverage", str(n))), truth)
                power, pe = cell(get.get(("power-law", "coverage", str(n))), truth)
                measured = float(get[("measured", "coverage", str(n))]["value"])
                lines.append("| %s, N = %d (true) | %d | %.4f | %.4f | %s | %s | %s | %s |" % (
                    shape, n, k_fit, truth, measured, beta, "%+.4f" % be if be is not None else "-", power,
                    "%+.4f" % pe if pe is not None else "-"))
        real = os.path.join(args.data, "qwen25_math/math_cot_100.jsonl")
        if os.path.exists(real):
            run([coseval, "import", "problems", os.path.join(args.data, "tora/math_test.jsonl"), "--dataset", "MATH",
                 "--db", db])
            run([coseval, "import", "samples", real, "--run", "qwen", "--model", "qwen2.5-math", "--dataset", "MATH",
                 "--match", "question", "--map", "question=$.question", "--map", "text=$.code[*]", "--db", db])
            run([coseval, "grade", "--db", db, "--run", "qwen"])
            for k_fit in (2, 4):
                get = fit_rows(coseval, db, "qwen", k_fit, 8, args.seed)
                measured = float(get[("measured", "coverage", "8")]["value"])
                beta, be = cell(get.get(("beta-binomial", "coverage", "8")), measured)
                power, pe = cell(get.get(("power-law", "coverage", "8")), measured)
                lines.append("| Qwen2.5-Math MATH, N = 8 (measured) | %d | %.4f | %.4f | %s | %+.4f | %s | %+.4f |" % (
                    k_fit, measured, measured, beta, be, power, pe))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
