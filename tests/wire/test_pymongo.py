"""pymongo against `argonctl serve`: CRUD, indexes, cursors, branches."""

import pymongo
import pytest
from bson import Decimal128, Int64, ObjectId
from pymongo.errors import DuplicateKeyError, OperationFailure


def test_hello_and_ping(client):
    assert client.admin.command("ping")["ok"] == 1.0
    hello = client.admin.command("hello")
    assert hello["isWritablePrimary"] is True
    assert hello["maxWireVersion"] >= 17


def test_idle_monitor_waits_on_awaitable_hello(argon):
    """A driver's monitor holds an awaitable hello open instead of polling.

    The server's topology never changes, so after the first heartbeat the
    monitor's hello (with topologyVersion and maxAwaitTimeMS) must be held
    for maxAwaitTimeMS; answered at once it turns into a busy loop that
    burns a core on each side.
    """
    import time

    class Heartbeats(pymongo.monitoring.ServerHeartbeatListener):
        def __init__(self):
            self.ok = []

        def started(self, event):
            pass

        def succeeded(self, event):
            self.ok.append(event)

        def failed(self, event):
            pass

    beats = Heartbeats()
    c = pymongo.MongoClient(argon.uri, event_listeners=[beats], heartbeatFrequencyMS=500)
    try:
        c.admin.command("ping")
        time.sleep(1.5)
        # one handshake heartbeat, then awaited ones every 500 ms at most
        assert 1 <= len(beats.ok) <= 6, len(beats.ok)
        assert any(e.awaited for e in beats.ok)
    finally:
        c.close()


def test_crud_round_trip_keeps_types(client):
    coll = client.shop.users
    oid = ObjectId()
    doc = {"_id": oid, "name": "ada", "n32": 5, "n64": Int64(5), "d": 1.5, "dec": Decimal128("1.10"), "tags": ["a", "b"], "addr": {"city": "London"}}
    coll.insert_one(doc)
    got = coll.find_one({"_id": oid})
    assert got == doc
    assert type(got["n64"]) is Int64
    coll.insert_many([{"_id": i, "v": i % 3} for i in range(1, 301)])
    assert coll.count_documents({"v": 1}) == 100
    assert [d["_id"] for d in coll.find({"v": 2}, sort=[("_id", -1)], limit=3)] == [299, 296, 293]
    # a cursor over several batches
    assert len(list(coll.find({"v": {"$exists": True}}, batch_size=7))) == 300
    r = coll.update_one({"_id": 1}, {"$set": {"v": 10}, "$inc": {"k": 2}})
    assert (r.matched_count, r.modified_count) == (1, 1)
    assert coll.find_one({"_id": 1}) == {"_id": 1, "v": 10, "k": 2}
    r = coll.update_many({"v": 0}, {"$set": {"zero": True}})
    assert r.modified_count == 100
    r = coll.update_one({"_id": 999}, {"$set": {"v": 5}}, upsert=True)
    assert r.upserted_id == 999
    assert coll.delete_many({"v": 0}).deleted_count == 100
    assert coll.distinct("v", {"_id": {"$lt": 10}}) == [1, 2, 10]
    found = coll.find_one_and_update({"_id": 2}, {"$set": {"v": 20}}, return_document=pymongo.ReturnDocument.AFTER)
    assert found["v"] == 20
    assert coll.find_one({"_id": 2}, {"v": 1, "_id": 0}) == {"v": 20}


def test_duplicate_keys_and_unique_indexes(client):
    coll = client.shop.accounts
    coll.insert_one({"_id": 1, "email": "a@x"})
    with pytest.raises(DuplicateKeyError):
        coll.insert_one({"_id": 1})
    coll.create_index("email", unique=True)
    with pytest.raises(DuplicateKeyError):
        coll.insert_one({"_id": 2, "email": "a@x"})
    names = [i["name"] for i in coll.list_indexes()]
    assert names == ["_id_", "email_1"]
    with pytest.raises(pymongo.errors.BulkWriteError) as e:
        coll.insert_many([{"_id": 3, "email": "c@x"}, {"_id": 4, "email": "a@x"}, {"_id": 5, "email": "e@x"}], ordered=False)
    assert e.value.details["nInserted"] == 2
    coll.drop_index("email_1")
    assert [i["name"] for i in coll.list_indexes()] == ["_id_"]


def test_unknown_command_and_bad_input(client):
    with pytest.raises(OperationFailure) as e:
        client.shop.command("definitelyNotACommand")
    assert e.value.code == 59
    with pytest.raises(OperationFailure):
        client.shop.users.find_one({"$bogus": 1})


def test_branches_are_isolated_databases(argon, client):
    client.shop.items.insert_many([{"_id": i, "v": i} for i in range(10)])
    argon.cli("-p", "shop", "branches", "create", "feature", "--from", "main")
    feature = client["shop@feature"].items
    assert feature.count_documents({}) == 10
    feature.delete_many({"v": {"$gte": 5}})
    feature.insert_one({"_id": 100})
    assert feature.count_documents({}) == 6
    assert client.shop.items.count_documents({}) == 10
    # the CLI sees the server's acknowledged writes
    out = argon.cli("-p", "shop", "diff", "feature", "--stat", "-o", "json").stdout
    assert '"removed": 5' in out and '"added": 1' in out
    # and the server sees the CLI's merge
    argon.cli("-p", "shop", "merge", "feature", "--into", "main")
    assert client.shop.items.count_documents({}) == 6
    names = client.list_database_names()
    assert "shop" in names and "shop@feature" in names


def test_read_only_points_in_history(argon, client):
    coll = client.hist.c
    coll.insert_one({"_id": 1, "v": 1})
    lsn = int(argon.cli("-p", "hist", "branches", "show", "main", "-o", "json").stdout.split('"lsn": ')[1].split(",")[0])
    coll.update_one({"_id": 1}, {"$set": {"v": 2}})
    old = client[f"hist@main@lsn:{lsn}"].c
    assert old.find_one({"_id": 1})["v"] == 1
    with pytest.raises(OperationFailure) as e:
        old.insert_one({"_id": 2})
    assert e.value.code == 20


def test_index_lookups_agree_with_scans(client):
    coll = client.idx.people
    docs = [{"_id": i, "tag": ["a", "b"] if i % 7 == 0 else ("c" if i % 3 else None), "n": i % 4} for i in range(200)]
    docs += [{"_id": 1000 + i} for i in range(5)]  # no tag at all
    coll.insert_many(docs)
    queries = [{"tag": "a"}, {"tag": "c", "n": 1}, {"tag": None}, {"tag": {"$eq": "b"}}, {"n": 2.0}, {"tag": "zzz"}]
    before = [sorted(d["_id"] for d in coll.find(q)) for q in queries]
    coll.create_index("tag")
    coll.create_index([("n", pymongo.DESCENDING)])
    after = [sorted(d["_id"] for d in coll.find(q)) for q in queries]
    assert before == after
    # writes not yet checkpointed are found through the index too
    coll.insert_one({"_id": 5000, "tag": "a"})
    coll.update_one({"_id": 0}, {"$set": {"tag": "q"}})
    ids = sorted(d["_id"] for d in coll.find({"tag": "a"}))
    assert 5000 in ids and 0 not in ids
    assert coll.count_documents({"tag": "q"}) == 1


def test_validators_refuse_documents_that_fail_them(client):
    db = client.validation
    db.drop_collection("people")
    db.create_collection("people", validator={"$jsonSchema": {"required": ["name"], "properties": {"age": {"bsonType": "int", "minimum": 0}}}})
    db.people.insert_one({"_id": 1, "name": "ada", "age": 36})
    with pytest.raises(pymongo.errors.WriteError) as e:
        db.people.insert_one({"_id": 2, "age": 3})
    assert e.value.code == 121
    assert e.value.details["errInfo"]["failingDocumentId"] == 2
    with pytest.raises(pymongo.errors.WriteError) as e:
        db.people.update_one({"_id": 1}, {"$set": {"age": -1}})
    assert e.value.code == 121
    with pytest.raises(OperationFailure) as e:
        db.people.find_one_and_update({"_id": 1}, {"$unset": {"name": ""}})
    assert e.value.code == 121
    # unordered batches insert the valid documents
    with pytest.raises(pymongo.errors.BulkWriteError) as e:
        db.people.insert_many([{"_id": 3, "name": "x"}, {"_id": 4}, {"_id": 5, "name": "y"}], ordered=False)
    assert [w["index"] for w in e.value.details["writeErrors"]] == [1]
    assert sorted(d["_id"] for d in db.people.find()) == [1, 3, 5]
    # bypassDocumentValidation, then moderate level and warn action let writes through
    db.people.insert_one({"_id": 6}, bypass_document_validation=True)
    db.command("collMod", "people", validationLevel="moderate")
    db.people.update_one({"_id": 6}, {"$set": {"age": 1}})  # already invalid: allowed
    with pytest.raises(OperationFailure) as e:
        db.command("collMod", "people", validationLevel="sometimes")
    assert e.value.code == 2
    with pytest.raises(OperationFailure) as e:
        db.command("collMod", "people", validator={"age": {"$bogus": 1}})
    assert e.value.code == 2
    db.command("collMod", "people", validationAction="warn")
    db.people.insert_one({"_id": 7})
    assert db.people.count_documents({}) == 5


def test_scan_cursors_read_a_snapshot_batch_by_batch(client):
    c = client.cursors.big
    c.drop()
    c.insert_many([{"_id": i, "k": i % 3} for i in range(3000)])
    cur = c.find({"k": 1}, batch_size=50)
    first = [next(cur)["_id"] for _ in range(10)]
    # writes after the cursor opened are not seen by it (one snapshot)
    c.insert_one({"_id": 5000, "k": 1})
    c.delete_one({"_id": 1000})
    rest = [d["_id"] for d in cur]
    assert first + rest == [i for i in range(3000) if i % 3 == 1]
    assert [d["_id"] for d in c.find({"k": 2}, skip=5, limit=7, batch_size=3)] == [i for i in range(3000) if i % 3 == 2][5:12]
    assert [d for d in c.find({"k": 0}, {"_id": 0, "k": 1}, limit=2)] == [{"k": 0}, {"k": 0}]
    # killed mid-way: the server forgets it
    cur = c.find({}, batch_size=10)
    next(cur)
    cur.close()


def test_unsatisfiable_write_concern_is_reported_after_the_write(client):
    from pymongo.write_concern import WriteConcern

    client.wc.c.drop()
    c = client.wc.get_collection("c", write_concern=WriteConcern(w=3))
    with pytest.raises(pymongo.errors.WriteConcernError) as e:
        c.insert_one({"_id": 1})
    assert e.value.code == 100  # UnsatisfiableWriteConcern: one member
    assert client.wc.c.find_one({"_id": 1}) == {"_id": 1}  # applied and durable
    client.wc.get_collection("c", write_concern=WriteConcern(w="majority")).insert_one({"_id": 2})


def test_views_are_read_only_pipelines_over_their_source(client):
    db = client.views
    db.drop_collection("orders")
    db.drop_collection("big")
    db.drop_collection("big_names")
    db.orders.insert_many([{"_id": i, "amount": i * 10, "name": f"o{i}"} for i in range(10)])
    db.create_collection("big", viewOn="orders", pipeline=[{"$match": {"amount": {"$gte": 50}}}])
    # a view on a view
    db.create_collection("big_names", viewOn="big", pipeline=[{"$project": {"name": 1}}])
    kinds = {c["name"]: c["type"] for c in db.list_collections()}
    assert kinds["big"] == "view" and kinds["orders"] == "collection"
    assert [d["_id"] for d in db.big.find({"amount": {"$lt": 80}}).sort("_id", -1)] == [7, 6, 5]
    assert db.big.count_documents({}) == 5
    assert db.big.estimated_document_count() == 5
    assert db.big.distinct("amount", {"_id": {"$lt": 7}}) == [50, 60]
    assert list(db.big_names.find({}, limit=2)) == [{"_id": 5, "name": "o5"}, {"_id": 6, "name": "o6"}]
    assert list(db.big.aggregate([{"$group": {"_id": None, "n": {"$sum": 1}}}])) == [{"_id": None, "n": 5}]
    # new source documents show through; writes to a view are refused
    db.orders.insert_one({"_id": 100, "amount": 1000})
    assert db.big.count_documents({}) == 6
    with pytest.raises(OperationFailure) as e:
        db.big.insert_one({"_id": 200, "amount": 5000})
    assert e.value.code == 166
    with pytest.raises(OperationFailure) as e:
        db.big.update_one({"_id": 5}, {"$set": {"x": 1}})
    assert e.value.code == 166



def test_update_one_and_replace_one_take_a_sort(client):
    """MongoDB 8.0's `sort` on updateOne/replaceOne picks the document."""
    c = client.upd_sort.c
    c.insert_many([{"_id": 1, "v": 3}, {"_id": 2, "v": 1}, {"_id": 3, "v": 2}])
    r = c.update_one({}, {"$set": {"hit": True}}, sort={"v": 1})
    assert r.matched_count == 1 and c.find_one({"hit": True})["_id"] == 2
    c.replace_one({"v": {"$gte": 2}}, {"v": 9}, sort={"v": -1})
    assert c.find_one({"_id": 1}) == {"_id": 1, "v": 9}
    r = c.update_one({"v": 100}, {"$set": {"n": 1}}, sort={"v": 1}, upsert=True)
    assert r.upserted_id is not None
    with pytest.raises(pymongo.errors.OperationFailure) as e:
        client.upd_sort.command(
            {"update": "c", "updates": [{"q": {}, "u": {"$set": {"z": 1}}, "multi": True, "sort": {"v": 1}}]}
        )
    assert e.value.code == 9 and "Cannot specify sort with multi=true" in str(e.value)
