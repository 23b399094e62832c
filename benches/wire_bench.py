"""Side-by-side pymongo workload: argonctl serve vs SecantusDB, one run.

usage: .venv/bin/python benches/wire_bench.py [--docs 50000] [--clients 1,4]
           [--bin target/release/argonctl]

For each client count, both servers get the same workload, one after the
other in this run: insert_one, insert_many of 1000, find_one by _id, find
with a filter on --docs documents without and then with an index, update_one
$inc, aggregate $group. With more than one client, each client is a process
with its own MongoClient (so pymongo's GIL is not the limit) and the
operations of a phase are split between them; a phase's rate is all its
operations over the time from the first client's start to the last one's
end. Clients and servers share this machine's cores.

Prints JSON: per client count, operations per second for each server, the
ratio, latency percentiles of single operations, and the CPU seconds the
server process used per operation (from /proc: what the server itself costs,
apart from the clients).
"""

import argparse
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import pymongo

TICK = os.sysconf("SC_CLK_TCK")


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


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


# ----- phases: each takes (collection, worker index, workers, state) and
# returns the latencies of its operations (one per operation, or per query)


def insert_one(coll, w, n, s):
    lat = []
    for i in range(w, s["insert_one"], n):
        t = time.perf_counter()
        coll.insert_one({"_id": i, "k": i % 100, "s": f"name{i}", "v": i})
        lat.append(time.perf_counter() - t)
    return lat


def insert_many(coll, w, n, s):
    lat = []
    first = s["insert_one"]
    for b in range(w, (s["docs"] - first) // 1000, n):
        base = first + b * 1000
        t = time.perf_counter()
        coll.insert_many([{"_id": base + i, "k": (base + i) % 100, "s": f"name{base + i}", "v": base + i} for i in range(1000)])
        lat.append(time.perf_counter() - t)
    return lat


def find_one(coll, w, n, s):
    lat = []
    docs = s["docs"]
    for i in range(w, s["find_one"], n):
        t = time.perf_counter()
        coll.find_one({"_id": (i * 7919) % docs})
        lat.append(time.perf_counter() - t)
    return lat


def find_filter(coll, w, n, s):
    lat = []
    for i in range(w, s["queries"], n):
        t = time.perf_counter()
        list(coll.find({"k": i % 100}))
        lat.append(time.perf_counter() - t)
    return lat


def update_one(coll, w, n, s):
    lat = []
    for i in range(w, s["update_one"], n):
        t = time.perf_counter()
        coll.update_one({"_id": i}, {"$inc": {"v": 1}})
        lat.append(time.perf_counter() - t)
    return lat


def aggregate_group(coll, w, n, s):
    lat = []
    for _ in range(w, s["queries"], n):
        t = time.perf_counter()
        list(coll.aggregate([{"$group": {"_id": "$k", "n": {"$sum": 1}}}]))
        lat.append(time.perf_counter() - t)
    return lat


PHASES = [
    ("insert_one", insert_one, 1),
    ("insert_many_1000", insert_many, 1000),
    ("find_one_by_id", find_one, 1),
    ("find_filter_no_index", find_filter, 1),
    ("find_filter_with_index", find_filter, 1),
    ("update_one", update_one, 1),
    ("aggregate_group", aggregate_group, 1),
]


def worker(uri, phase, w, n, state, ready, go, out):
    fn = dict((name, f) for name, f, _ in PHASES)[phase]
    c = pymongo.MongoClient(uri)
    coll = c.bench.w
    coll.find_one({"_id": -1})  # connect before the clock starts
    ready.wait()
    go.wait()
    start = time.perf_counter()
    lat = fn(coll, w, n, state)
    out.put((w, start, time.perf_counter(), lat))
    c.close()


def run_phase(uri, pid, phase, clients, state):
    ctx = mp.get_context("fork")
    ready = ctx.Barrier(clients + 1)
    go = ctx.Barrier(clients + 1)
    out = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(uri, phase, w, clients, state, ready, go, out)) for w in range(clients)]
    for p in procs:
        p.start()
    ready.wait()
    cpu0 = cpu_seconds(pid)
    go.wait()
    results = [out.get() for _ in procs]
    cpu = cpu_seconds(pid) - cpu0
    for p in procs:
        p.join()
    start = min(r[1] for r in results)
    end = max(r[2] for r in results)
    lat = sorted(x for r in results for x in r[3])
    return end - start, lat, cpu


def workload(uri, pid, docs, clients):
    c = pymongo.MongoClient(uri)
    c.bench.drop_collection("w")
    state = {"docs": docs, "insert_one": 2000, "find_one": 4000, "update_one": 2000, "queries": max(5, 2 * clients)}
    out = {}
    for name, _, per_op in PHASES:
        if name == "find_filter_with_index":
            c.bench.w.create_index("k")
        seconds, lat, cpu = run_phase(uri, pid, name, clients, state)
        ops = len(lat) * per_op
        unit = "docs_per_s" if per_op > 1 else "per_s"
        out[name] = {
            unit: round(ops / seconds, 1),
            "p50_ms": round(statistics.median(lat) * 1000, 3),
            "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, 3),
            "server_cpu_us_per_op": round(cpu / len(lat) * 1e6, 1),
        }
    c.close()
    return out


def rate(entry):
    return entry.get("per_s") or entry.get("docs_per_s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=50_000)
    ap.add_argument("--clients", default="1,4", help="comma-separated client counts")
    ap.add_argument("--bin", default="target/release/argonctl")
    a = ap.parse_args()
    results = {"docs": a.docs, "cores": os.cpu_count(), "runs": {}}
    for clients in [int(x) for x in a.clients.split(",")]:
        with tempfile.TemporaryDirectory() as home:
            argon, argon_uri = start_argon(a.bin, home)
            sec, sec_uri = start_secantus()
            try:
                run = {"argonctl": workload(argon_uri, argon.pid, a.docs, clients), "secantusdb": workload(sec_uri, sec.pid, a.docs, clients)}
            finally:
                argon.terminate()
                sec.terminate()
                argon.wait()
                sec.wait()
        run["ratio_argon_over_secantus"] = {k: round(rate(run["argonctl"][k]) / rate(run["secantusdb"][k]), 2) for k in run["argonctl"]}
        results["runs"][f"{clients}_clients"] = run
        print(json.dumps({f"{clients}_clients": run["ratio_argon_over_secantus"]}), file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
