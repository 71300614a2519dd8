#!/usr/bin/env python3
"""Grades the shard files of `coseval export stream --shards N` on a dask.distributed cluster: each shard is
piped through `coseval grade --stream` on a worker, and its verdicts are written next to it, for
`coseval import verdicts FILE --run NAME` to load back.

    coseval export stream --run g9 --shards 8 -o part
    python3 dask_grade.py --workers 2 part-*-of-00008.jsonl        # or --scheduler tcp://host:8786
    for f in part-*-of-00008.verdicts.jsonl; do coseval import verdicts "$f" --run g9; done

Each shard's profile and answer pattern are read from its first line (export stream writes them into every
line), so the verdicts carry the run's grader version. The workers read the shards and write the verdicts
themselves: on a cluster of several machines the files must be on a file system they all see, and
`coseval` must be installed on each. A shard's verdicts are written to NAME.verdicts.jsonl.tmp and renamed,
so a failed shard leaves no partial file. Exit status: 0 when every shard was graded; the status of
`coseval grade --stream` when it failed on a shard (3: a bad line); 5 when the cluster failed or a timeout
passed; 2 for a usage error.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys


def verdicts_path(shard):
    """The verdict file of a shard: NAME.jsonl -> NAME.verdicts.jsonl."""
    base = shard[:-len(".jsonl")] if shard.endswith(".jsonl") else shard
    return base + ".verdicts.jsonl"


def grade_shard(shard, coseval, threads, timeout):
    """Runs on a worker: pipes one shard through `coseval grade --stream` into its verdict file. Returns
    (shard, status, lines written, stderr of coseval)."""
    profile, pattern = "generic", None
    with open(shard, encoding="utf-8") as f:
        first = f.readline()
    if first.strip():
        line = json.loads(first)
        profile = line.get("profile") or "generic"
        pattern = line.get("answer_pattern")
    cmd = [coseval, "grade", "--stream", "--profile", profile, "--threads", str(threads)]
    if pattern:
        cmd += ["--answer-pattern", pattern]
    out = verdicts_path(shard)
    tmp = out + ".tmp"
    try:
        with open(shard, "rb") as src, open(tmp, "wb") as dst:
            proc = subprocess.run(cmd, stdin=src, stdout=dst, stderr=subprocess.PIPE, timeout=timeout)
        if proc.returncode != 0:
            os.unlink(tmp)
            return shard, proc.returncode, 0, proc.stderr.decode("utf-8", "replace")
        with open(tmp, "rb") as f:
            lines = sum(1 for _ in f)
        os.replace(tmp, out)
        return shard, 0, lines, proc.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        if os.path.exists(tmp):
            os.unlink(tmp)
        return shard, 5, 0, "coseval grade --stream took more than %s s" % timeout


def main():
    ap = argparse.ArgumentParser(description="Grade the shards of `coseval export stream` on a dask cluster.")
    ap.add_argument("shards", nargs="+", metavar="SHARD", help="shard files written by export stream --shards")
    ap.add_argument("--scheduler", help="address of a running dask scheduler (default: a local cluster)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (default 2)")
    ap.add_argument("--threads", type=int, default=1, help="--threads of each coseval grade --stream (default 1)")
    ap.add_argument("--coseval", default="coseval", help="the coseval binary on the workers (default: from PATH)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds for the whole job (default 3600)")
    args = ap.parse_args()
    if args.workers < 1 or args.threads < 1 or args.timeout <= 0:
        ap.error("--workers, --threads and --timeout must be positive")
    coseval = args.coseval
    if os.sep not in coseval:
        coseval = shutil.which(coseval) or coseval
    coseval = os.path.abspath(coseval) if os.path.exists(coseval) else coseval
    shards = [os.path.abspath(s) for s in args.shards]
    for s in shards:
        if not os.path.isfile(s):
            print("dask_grade: %s: no such file" % s, file=sys.stderr)
            return 2

    from distributed import Client, LocalCluster, wait

    cluster = None
    status = 0
    try:
        if args.scheduler:
            client = Client(args.scheduler, timeout=60)
        else:
            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            # one task per shard; pure=False: a shard graded again is graded, not taken from a cache
            futures = client.map(grade_shard, shards, coseval=coseval, threads=args.threads,
                                 timeout=args.timeout, pure=False)
            try:
                wait(futures, timeout=args.timeout)
            except TimeoutError:
                pass
            late = [f for f in futures if not f.done()]
            if late:
                client.cancel(late)
                print("dask_grade: %d shards not graded within %s s" % (len(late), args.timeout), file=sys.stderr)
                status = 5
            for f in futures:
                if not f.done():
                    continue
                shard, rc, lines, err = f.result()
                if rc != 0:
                    sys.stderr.write(err)
                    print("dask_grade: %s: coseval grade --stream exited %d" % (shard, rc), file=sys.stderr)
                    status = status or rc
                else:
                    print("%s: %d verdicts" % (verdicts_path(shard), lines))
        finally:
            client.close(timeout=30)
    except Exception as e:  # the cluster failed: a worker died, the scheduler is unreachable
        print("dask_grade: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        status = status or 5
    finally:
        if cluster is not None:
            cluster.close(timeout=30)
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
