"""TTL indexes: the options are kept and listed, and `serve`'s TTL monitor
deletes expired documents on the default branch only."""

import datetime
import time

import pymongo
import pytest

from conftest import Argon


@pytest.fixture(scope="module")
def fast_ttl():
    a = Argon("--ttl-interval", "1")
    yield a
    a.stop()


def test_index_options_are_kept_and_listed(client):
    c = client.ttl_opts.c
    c.create_index("at", expireAfterSeconds=3600)
    c.create_index("h", hidden=True)
    idx = {i["name"]: i for i in c.list_indexes()}
    assert idx["at_1"]["expireAfterSeconds"] == 3600
    assert idx["h_1"]["hidden"] is True
    # The same key with other options is a conflict, as in mongod.
    with pytest.raises(pymongo.errors.OperationFailure) as e:
        c.create_index("at", expireAfterSeconds=10)
    assert e.value.code in (85, 86)
    for bad, code in (("x", 2), (-1, 2)):
        with pytest.raises(pymongo.errors.OperationFailure) as e:
            c.create_index("b", expireAfterSeconds=bad)
        assert e.value.code == code
    with pytest.raises(pymongo.errors.OperationFailure) as e:
        c.create_index([("a", 1), ("b", 1)], expireAfterSeconds=5)
    assert e.value.code == 67


def test_expired_documents_are_deleted_on_the_default_branch(fast_ttl):
    client = fast_ttl.client()
    db = client.ttl_sweep
    now = datetime.datetime.now(datetime.timezone.utc)
    old = now - datetime.timedelta(hours=2)
    db.s.insert_many([
        {"_id": 1, "at": old},
        {"_id": 2, "at": now + datetime.timedelta(hours=1)},
        {"_id": 3, "at": "not a date"},
        {"_id": 4, "at": [now, old]},
    ])
    fast_ttl.cli("branches", "create", "snap", "-p", "ttl_sweep")
    # The same TTL index on both branches.
    client["ttl_sweep@snap"].s.create_index("at", expireAfterSeconds=60)
    db.s.create_index("at", expireAfterSeconds=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and db.s.count_documents({}) > 2:
        time.sleep(0.2)
    assert sorted(d["_id"] for d in db.s.find()) == [2, 3]
    # A branch is a snapshot a user asked for: the monitor leaves it alone.
    time.sleep(1.5)
    assert client["ttl_sweep@snap"].s.count_documents({}) == 4
    assert "at_1" in client["ttl_sweep@snap"].s.index_information()
    client.close()
