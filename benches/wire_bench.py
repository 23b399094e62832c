"""Side-by-side pymongo workload: argonctl serve vs SecantusDB, one run.

usage: .venv/bin/python benches/wire_bench.py [--docs 50000] [--bin target/release/argonctl]
Prints JSON: operations per second for each server and the ratio.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import pymongo


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_argon(binary, home):
    env = dict(os.environ, ARGON_HOME=home, NO_COLOR="1")
    p = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    return p, p.stdout.readline().strip()


def start_secantus():
    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "secantusd-py")
    p = subprocess.Popen([exe, "--host", "127.0.0.1", "--port", str(port), "--storage-path", ":memory:"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            pymongo.MongoClient(uri, serverSelectionTimeoutMS=500).admin.command("ping")
            break
        except Exception:
            time.sleep(0.2)
    return p, uri


def rate(n, seconds):
    return round(n / seconds, 1)


def workload(uri, docs):
    c = pymongo.MongoClient(uri)
    db = c.bench
    db.drop_collection("w")
    coll = db.w
    out = {}
    t = time.perf_counter()
    for i in range(1000):
        coll.insert_one({"_id": i, "k": i % 100, "s": f"name{i}", "v": i})
    out["insert_one_per_s"] = rate(1000, time.perf_counter() - t)
    t = time.perf_counter()
    batches = (docs - 1000) // 1000
    for b in range(batches):
        base = 1000 + b * 1000
        coll.insert_many([{"_id": base + i, "k": (base + i) % 100, "s": f"name{base + i}", "v": base + i} for i in range(1000)])
    out["insert_many_1000_docs_per_s"] = rate(batches * 1000, time.perf_counter() - t)
    n = coll.estimated_document_count()
    lat = []
    for i in range(2000):
        t = time.perf_counter()
        coll.find_one({"_id": (i * 7919) % n})
        lat.append(time.perf_counter() - t)
    out["find_one_by_id_per_s"] = rate(len(lat), sum(lat))
    out["find_one_by_id_p50_ms"] = round(statistics.median(lat) * 1000, 3)
    t = time.perf_counter()
    for i in range(5):
        list(coll.find({"k": i}))
    out["find_filter_no_index_per_s"] = rate(5, time.perf_counter() - t)
    coll.create_index("k")
    t = time.perf_counter()
    for i in range(5):
        list(coll.find({"k": i}))
    out["find_filter_with_index_per_s"] = rate(5, time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(500):
        coll.update_one({"_id": i}, {"$inc": {"v": 1}})
    out["update_one_per_s"] = rate(500, time.perf_counter() - t)
    t = time.perf_counter()
    for _ in range(5):
        list(coll.aggregate([{"$group": {"_id": "$k", "n": {"$sum": 1}}}]))
    out["aggregate_group_per_s"] = rate(5, time.perf_counter() - t)
    c.close()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=50_000)
    ap.add_argument("--bin", default="target/release/argonctl")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        argon, argon_uri = start_argon(a.bin, home)
        sec, sec_uri = start_secantus()
        try:
            results = {"docs": a.docs, "argonctl": workload(argon_uri, a.docs), "secantusdb": workload(sec_uri, a.docs)}
        finally:
            argon.terminate()
            sec.terminate()
            argon.wait()
            sec.wait()
    results["ratio_argon_over_secantus"] = {
        k: round(results["argonctl"][k] / results["secantusdb"][k], 2)
        for k in results["argonctl"]
        if k.endswith("_per_s") and results["secantusdb"].get(k)
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
