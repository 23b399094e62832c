"""Range queries use an index once its entries are checkpointed, unless
the index is multikey; either way the results are the same as a scan's."""

import random

import pytest

from conftest import Argon


@pytest.fixture(scope="module")
def restarted():
    a = Argon()
    client = a.client()
    rnd = random.Random(7)
    values = [rnd.choice([rnd.randint(0, 50), rnd.random() * 50, str(rnd.randint(0, 9)), None]) for _ in range(400)]
    client.rng.flat.insert_many([{"_id": i, "v": v} for i, v in enumerate(values)])
    client.rng.flat.create_index("v")
    # Documents with arrays make the index multikey.
    client.rng.multi.insert_many([{"_id": 1, "v": [3, 12]}, {"_id": 2, "v": 7}, {"_id": 3, "v": [20, 30]}])
    client.rng.multi.create_index("v")
    client.close()
    # Stopping checkpoints the writes, so the indexes are trees on restart.
    a.proc.terminate()
    a.proc.wait(timeout=20)
    a.start()
    yield a, values
    a.stop()


def expected(values, lo, hi):
    out = []
    for i, v in enumerate(values):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if (lo is None or v >= lo) and (hi is None or v < hi):
                out.append(i)
    return out


@pytest.mark.parametrize("lo,hi", [(10, 20), (None, 5), (45, None), (0, 0.5), (25.5, 26)])
def test_range_results_match_and_use_the_index(restarted, lo, hi):
    argon, values = restarted
    c = argon.client().rng.flat
    cond = {}
    if lo is not None:
        cond["$gte"] = lo
    if hi is not None:
        cond["$lt"] = hi
    got = [d["_id"] for d in c.find({"v": cond})]
    assert got == expected(values, lo, hi)
    ex = c.find({"v": cond}).explain()
    plan = ex["queryPlanner"]["winningPlan"]
    assert plan["stage"] == "FETCH" and plan["inputStage"]["stage"] == "IXSCAN", plan
    stats = argon.client().rng.command("explain", {"find": "flat", "filter": {"v": cond}}, verbosity="executionStats")
    assert stats["executionStats"]["totalDocsExamined"] < len(values)
    # Sorted and limited through the same plan.
    top = [d["v"] for d in c.find({"v": cond}).sort("v", -1).limit(3)]
    assert top == sorted((values[i] for i in expected(values, lo, hi)), reverse=True)[:3]


def test_multikey_index_is_not_used_for_ranges(restarted):
    argon, _ = restarted
    c = argon.client().rng.multi
    # [3, 12] has no element in (5, 10) but matches: 12 > 5 and 3 < 10.
    assert sorted(d["_id"] for d in c.find({"v": {"$gt": 5, "$lt": 10}})) == [1, 2]
    plan = c.find({"v": {"$gt": 5, "$lt": 10}}).explain()["queryPlanner"]["winningPlan"]
    assert plan["stage"] == "COLLSCAN"
