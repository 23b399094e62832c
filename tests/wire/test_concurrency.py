"""Many clients at once against `argonctl serve`, and crash safety.

- 50 threads, each with its own MongoClient, mix inserts, finds and updates
  on one collection of two branches (`conc` and `conc@feature`) for ~5 s:
  no errors, every client reads its own acknowledged writes, and the final
  documents and counters are exactly what the clients were told happened.
- Acknowledged writes survive `kill -9` of the server (no checkpoint on the
  way out): restarted on the same data dir, everything acknowledged is there,
  also for writes acknowledged while other writes were in flight at the kill.
"""

import os
import random
import threading
import time

import pymongo
import pytest
from pymongo.errors import PyMongoError

from conftest import SUMMARIES, Argon

CLIENTS = int(os.environ.get("CONC_CLIENTS", "50"))
SECONDS = float(os.environ.get("CONC_SECONDS", "5"))
BRANCHES = ["conc", "conc@feature"]
SEEDS = 100
COUNTERS = 10


class Worker(threading.Thread):
    def __init__(self, uri, t, deadline, start_line):
        super().__init__(daemon=True)
        self.uri, self.t, self.deadline, self.start_line = uri, t, deadline, start_line
        self.rng = random.Random(t)
        self.inserted = {b: [] for b in BRANCHES}  # acknowledged, in order
        self.n = {b: {} for b in BRANCHES}  # expected n of each own document
        self.incs = {b: [0] * COUNTERS for b in BRANCHES}
        self.ops = 0
        self.errors = []

    def fail(self, msg):
        self.errors.append(f"client {self.t}, op {self.ops}: {msg}")

    def run(self):
        client = pymongo.MongoClient(self.uri, maxPoolSize=1, serverSelectionTimeoutMS=10000)
        colls = {b: client[b].items for b in BRANCHES}
        self.start_line.wait()
        i = 0
        try:
            while time.monotonic() < self.deadline and len(self.errors) < 5:
                b = self.rng.choice(BRANCHES)
                other = BRANCHES[1 - BRANCHES.index(b)]
                c = colls[b]
                k = self.rng.random()
                if k < 0.35 or not self.inserted[b]:
                    _id = f"w{self.t}-{i}"
                    i += 1
                    c.insert_one({"_id": _id, "t": self.t, "b": b, "n": 0})
                    self.inserted[b].append(_id)
                    self.n[b][_id] = 0
                elif k < 0.55:
                    # read your own acknowledged writes, and only this branch's
                    got = sorted(d["_id"] for d in c.find({"t": self.t}, {"_id": 1}))
                    if got != sorted(self.inserted[b]):
                        self.fail(f"{b}: find(t={self.t}) gave {len(got)} documents, {len(self.inserted[b])} acknowledged")
                elif k < 0.75:
                    j = self.rng.randrange(COUNTERS)
                    r = c.update_one({"_id": f"counter-{j}"}, {"$inc": {"n": 1}})
                    if r.matched_count != 1 or r.modified_count != 1:
                        self.fail(f"{b}: $inc on counter-{j}: matched {r.matched_count}, modified {r.modified_count}")
                    self.incs[b][j] += 1
                elif k < 0.9:
                    _id = self.rng.choice(self.inserted[b])
                    r = c.update_one({"_id": _id}, {"$inc": {"n": 1}, "$set": {"last": self.ops}})
                    if r.matched_count != 1:
                        self.fail(f"{b}: update of own {_id} matched {r.matched_count}")
                    self.n[b][_id] += 1
                    d = c.find_one({"_id": _id}, {"n": 1})
                    if d is None or d["n"] != self.n[b][_id]:
                        self.fail(f"{b}: {_id} has n={d and d['n']} after {self.n[b][_id]} acknowledged $inc")
                else:
                    seeds = c.count_documents({"seed": {"$gte": SEEDS // 2}})
                    if seeds != SEEDS // 2:
                        self.fail(f"{b}: {seeds} seed documents with seed >= {SEEDS // 2}, want {SEEDS // 2}")
                    mine = self.inserted[b][-1]
                    if colls[other].count_documents({"_id": mine}) != 0:
                        self.fail(f"{mine} written to {b} is visible in {other}")
                self.ops += 1
        except PyMongoError as e:
            self.fail(f"{type(e).__name__}: {e}")
        finally:
            client.close()


def test_fifty_clients_on_two_branches(argon):
    setup = argon.client()
    main = setup.conc.items
    main.insert_many([{"_id": f"seed-{i}", "seed": i} for i in range(SEEDS)])
    main.insert_many([{"_id": f"counter-{j}", "n": 0} for j in range(COUNTERS)])
    argon.cli("-p", "conc", "branches", "create", "feature", "--from", "main")
    assert setup["conc@feature"].items.count_documents({}) == SEEDS + COUNTERS

    start_line = threading.Event()
    deadline = time.monotonic() + SECONDS + 2  # +2: time to connect 50 clients
    workers = [Worker(argon.uri, t, deadline, start_line) for t in range(CLIENTS)]
    for w in workers:
        w.start()
    time.sleep(1.0)
    started = time.monotonic()
    start_line.set()
    for w in workers:
        w.join(timeout=SECONDS + 60)
    elapsed = time.monotonic() - started
    assert not any(w.is_alive() for w in workers), "a client hung"
    errors = [e for w in workers for e in w.errors]
    assert not errors, f"{len(errors)} errors, first ones:\n" + "\n".join(errors[:10])

    # the final state is exactly what the clients were told
    for b in BRANCHES:
        coll = setup[b].items
        inserted = {_id: w.n[b][_id] for w in workers for _id in w.inserted[b]}
        assert coll.count_documents({}) == SEEDS + COUNTERS + len(inserted), b
        got = {d["_id"]: d["n"] for d in coll.find({"t": {"$exists": True}}, {"n": 1})}
        assert got == inserted, b
        counters = {d["_id"]: d["n"] for d in coll.find({"_id": {"$in": [f"counter-{j}" for j in range(COUNTERS)]}})}
        want = {f"counter-{j}": sum(w.incs[b][j] for w in workers) for j in range(COUNTERS)}
        assert counters == want, b
        assert coll.count_documents({"b": {"$ne": b, "$exists": True}}) == 0, f"{b} holds the other branch's writes"
    ops = sum(w.ops for w in workers)
    assert ops > CLIENTS * 5, f"only {ops} operations in {elapsed:.1f}s"
    SUMMARIES.append(f"concurrency: {CLIENTS} clients, {ops} ops on 2 branches in {elapsed:.1f}s ({ops / elapsed:.0f} ops/s), 0 errors")
    setup.close()


@pytest.fixture
def own_server():
    a = Argon()
    yield a
    a.stop()


def test_acknowledged_writes_survive_kill_9(own_server):
    a = own_server
    c = a.client()
    coll = c.crash.docs
    coll.insert_many([{"_id": i, "v": i, "pad": "x" * 200} for i in range(2000)])
    for i in range(2000, 2300):
        coll.insert_one({"_id": i, "v": i})
    for i in range(0, 300, 3):
        coll.update_one({"_id": i}, {"$set": {"v": -i}, "$push": {"log": "updated"}})
    coll.delete_many({"_id": {"$gte": 2250}})
    coll.create_index("v", unique=True)
    a.cli("-p", "crash", "branches", "create", "side", "--from", "main")
    side = c["crash@side"].docs
    side.insert_one({"_id": "only-on-side"})
    side.update_one({"_id": 1}, {"$set": {"v": "side"}})
    coll.insert_one({"_id": "last", "v": "last"})  # the very last acknowledged write
    c.close()

    a.kill()
    a.start()

    c = a.client()
    coll = c.crash.docs
    assert coll.count_documents({}) == 2250 + 1
    assert coll.find_one({"_id": "last"}) == {"_id": "last", "v": "last"}
    assert coll.find_one({"_id": 3}) == {"_id": 3, "v": -3, "pad": "x" * 200, "log": ["updated"]}
    assert coll.find_one({"_id": 2100}) == {"_id": 2100, "v": 2100}
    assert coll.count_documents({"_id": {"$gte": 2250, "$lt": 3000}}) == 0
    assert "v_1" in [i["name"] for i in coll.list_indexes()]
    with pytest.raises(pymongo.errors.DuplicateKeyError):
        coll.insert_one({"_id": "dup", "v": 2100})  # the unique index still holds
    side = c["crash@side"].docs
    assert side.find_one({"_id": "only-on-side"}) == {"_id": "only-on-side"}
    assert side.find_one({"_id": 1})["v"] == "side"
    assert coll.find_one({"_id": 1})["v"] == 1  # the branch's update stays on the branch
    assert side.count_documents({"_id": "last"}) == 0
    c.close()


def test_writes_acknowledged_while_others_are_in_flight_survive_kill_9(own_server):
    a = own_server
    acked = [[] for _ in range(8)]
    stop = threading.Event()

    def writer(t):
        c = pymongo.MongoClient(a.uri, maxPoolSize=1, serverSelectionTimeoutMS=2000, retryWrites=False)
        coll = c.inflight.docs
        i = 0
        try:
            while not stop.is_set():
                _id = f"{t}-{i}"
                if i % 10 == 9:
                    coll.insert_many([{"_id": f"{_id}-{j}", "t": t} for j in range(20)])
                    acked[t].extend(f"{_id}-{j}" for j in range(20))
                else:
                    coll.insert_one({"_id": _id, "t": t})
                    acked[t].append(_id)
                i += 1
        except PyMongoError:
            pass  # the server died under us: this write is not acknowledged
        finally:
            c.close()

    threads = [threading.Thread(target=writer, args=(t,), daemon=True) for t in range(8)]
    for th in threads:
        th.start()
    time.sleep(1.5)
    a.kill()  # mid-stream
    stop.set()
    for th in threads:
        th.join(timeout=30)
    want = {_id for ids in acked for _id in ids}
    assert len(want) > 100, f"only {len(want)} writes acknowledged before the kill"

    a.start()
    c = a.client()
    got = {d["_id"] for d in c.inflight.docs.find({}, {"_id": 1})}
    missing = want - got
    assert not missing, f"{len(missing)} of {len(want)} acknowledged writes lost, e.g. {sorted(missing)[:5]}"
    # at most the writes in flight at the kill are extra, and the server takes new ones
    assert len(got - want) <= 8 * 20
    c.inflight.docs.insert_one({"_id": "after-restart"})
    assert c.inflight.docs.count_documents({"_id": "after-restart"}) == 1
    c.close()
