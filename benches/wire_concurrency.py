"""`argonctl serve` under concurrent clients, and its idle memory.

usage: .venv/bin/python benches/wire_concurrency.py [--bin target/release/argonctl]
           [--clients 1,10,50] [--seconds 5] [--documents 1000000] [--skip-rss]

Prints JSON:
- for 1, 10 and 50 clients (each a process with its own MongoClient, so the
  clients' GIL is not the limit) running a mixed workload on one collection
  of 10,000 documents for --seconds each: 60% find_one by _id, 20% update_one
  $inc by _id, 20% insert_one; operations per second over all clients, p50
  and p99 latency of single operations, and the CPU the server used;
- the server's resident memory (VmRSS from /proc/PID/status): started on a
  data dir holding a --documents project made by `argonctl demo`, idle; after
  opening that project through the server (find_one, then idle 2 s); and
  after a count over all its documents (then idle 2 s).
The clients run on the same machine as the server and share its cores.
"""

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import pymongo

DOCS = 10_000
TICK = os.sysconf("SC_CLK_TCK")


def start_argon(binary, home):
    env = dict(os.environ, ARGON_HOME=home, NO_COLOR="1")
    p = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    uri = p.stdout.readline().strip()
    if not uri.startswith("mongodb://"):
        sys.exit(f"{binary} serve did not start")
    return p, uri


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB -> MiB
    return None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def client_loop(uri, seed, go, until, out, reads):
    rng = random.Random(seed)
    c = pymongo.MongoClient(uri, maxPoolSize=1)
    coll = c.bench.mixed
    coll.find_one({"_id": 0})  # connect before the clock starts
    lat = {"find_one": [], "update_one": [], "insert_one": []}
    n = 0
    go.wait()
    end = until.value
    while True:
        k = rng.random()
        t = time.perf_counter()
        if k < reads:
            coll.find_one({"_id": rng.randrange(DOCS)})
            kind = "find_one"
        elif k < reads + (1 - reads) / 2:
            coll.update_one({"_id": rng.randrange(DOCS)}, {"$inc": {"v": 1}})
            kind = "update_one"
        else:
            coll.insert_one({"_id": f"{seed}-{n}", "k": n % 100, "s": "x" * 100})
            kind = "insert_one"
        lat[kind].append(time.perf_counter() - t)
        n += 1
        if time.time() >= end:
            break
    c.close()
    out.put(lat)


def pct(xs):
    if len(xs) < 2:
        return {"n": len(xs)}
    q = statistics.quantiles(sorted(xs), n=100)
    return {"n": len(xs), "p50_ms": round(q[49] * 1000, 3), "p99_ms": round(q[98] * 1000, 3)}


def level(uri, pid, clients, seconds, reads):
    ctx = mp.get_context("fork")
    go = ctx.Event()
    until = ctx.Value("d", 0.0)
    out = ctx.Queue()
    procs = [ctx.Process(target=client_loop, args=(uri, clients * 1000 + i, go, until, out, reads)) for i in range(clients)]
    for p in procs:
        p.start()
    time.sleep(1.0 + clients * 0.05)  # let every client connect
    cpu0 = cpu_seconds(pid)
    t0 = time.time()
    until.value = t0 + seconds
    go.set()
    lats = [out.get() for _ in procs]
    wall = time.time() - t0
    cpu = cpu_seconds(pid) - cpu0
    for p in procs:
        p.join()
    every = [x for ls in lats for kind in ls for x in ls[kind]]
    return {
        "clients": clients,
        "ops": len(every),
        "ops_per_s": round(len(every) / wall, 1),
        **{k: v for k, v in pct(every).items() if k != "n"},
        "server_cpu_percent": round(100 * cpu / wall, 1),
        "by_operation": {kind: pct([x for ls in lats for x in ls[kind]]) for kind in lats[0]},
    }


def throughput(binary, levels, seconds, reads):
    with tempfile.TemporaryDirectory() as home:
        p, uri = start_argon(binary, home)
        try:
            c = pymongo.MongoClient(uri)
            c.bench.mixed.insert_many([{"_id": i, "k": i % 100, "v": 0, "s": "x" * 100} for i in range(DOCS)])
            c.close()
            out = [level(uri, p.pid, n, seconds, reads) for n in levels]
            return out, round(status(p.pid, "VmRSS"), 1), round(status(p.pid, "VmHWM"), 1)
        finally:
            p.terminate()
            p.wait()


def idle_memory(binary, documents):
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, ARGON_HOME=home, NO_COLOR="1")
        t = time.perf_counter()
        subprocess.run([binary, "demo", "--documents", str(documents)], env=env, check=True, capture_output=True)
        demo_s = time.perf_counter() - t
        p, uri = start_argon(binary, home)
        try:
            time.sleep(2)
            started = status(p.pid, "VmRSS")
            c = pymongo.MongoClient(uri)
            t = time.perf_counter()
            first = c.demo.customers.find_one({})
            open_ms = (time.perf_counter() - t) * 1000
            assert first is not None
            time.sleep(2)
            opened = status(p.pid, "VmRSS")
            t = time.perf_counter()
            n = c.demo.customers.count_documents({})
            count_s = time.perf_counter() - t
            time.sleep(2)
            scanned = status(p.pid, "VmRSS")
            # every document through one cursor: the server reads batch by
            # batch, so its memory should not grow with the collection
            t = time.perf_counter()
            seen = 0
            peak_during = 0.0
            for i, _ in enumerate(c.demo.customers.find({}, batch_size=1000)):
                seen += 1
                if i % 100_000 == 0:
                    peak_during = max(peak_during, status(p.pid, "VmRSS"))
            find_all_s = time.perf_counter() - t
            time.sleep(2)
            after_find = status(p.pid, "VmRSS")
            c.close()
            return {
                "documents": n,
                "demo_import_s": round(demo_s, 2),
                "rss_mb_idle_started": round(started, 1),
                "first_find_one_ms": round(open_ms, 1),
                "rss_mb_idle_after_open": round(opened, 1),
                "count_documents_s": round(count_s, 2),
                "rss_mb_idle_after_full_count": round(scanned, 1),
                "find_all_documents": seen,
                "find_all_s": round(find_all_s, 2),
                "rss_mb_during_find_all": round(peak_during, 1),
                "rss_mb_idle_after_find_all": round(after_find, 1),
                "rss_mb_peak": round(status(p.pid, "VmHWM"), 1),
            }
        finally:
            p.terminate()
            p.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/argonctl")
    ap.add_argument("--clients", default="1,10,50")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--documents", type=int, default=1_000_000)
    ap.add_argument("--reads", type=float, default=0.6, help="share of find_one; the rest is half updates, half inserts")
    ap.add_argument("--skip-rss", action="store_true")
    a = ap.parse_args()
    levels, rss, hwm = throughput(a.bin, [int(x) for x in a.clients.split(",")], a.seconds, a.reads)
    result = {
        "binary": a.bin,
        "load_average_1m_at_end": os.getloadavg()[0],
        "workload": (
            f"{DOCS} docs; {a.reads:.0%} find_one by _id, {(1 - a.reads) / 2:.0%} update_one $inc, "
            f"{(1 - a.reads) / 2:.0%} insert_one; {a.seconds:g} s per level"
        ),
        "levels": levels,
        "rss_mb_after_load": rss,
        "rss_mb_peak_under_load": hwm,
    }
    if not a.skip_rss:
        result["idle_memory"] = idle_memory(a.bin, a.documents)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
