"""Aggregation stages, query evaluation operators and collations through pymongo."""

import re

import pymongo
import pytest
from bson.regex import Regex


@pytest.fixture
def db(client, request):
    d = client[f"agg_{request.node.name[:40]}"]
    yield d
    client.drop_database(d.name)


def test_lookup_equality_and_pipeline_forms(db):
    db.orders.insert_many([
        {"_id": 1, "item": "a", "qty": 2},
        {"_id": 2, "item": "b", "qty": 1},
        {"_id": 3, "item": "z", "qty": 5},
    ])
    db.items.insert_many([{"_id": "a", "price": 10}, {"_id": "b", "price": 3}])
    got = list(db.orders.aggregate([
        {"$lookup": {"from": "items", "localField": "item", "foreignField": "_id", "as": "it"}},
        {"$sort": {"_id": 1}},
    ]))
    assert [len(d["it"]) for d in got] == [1, 1, 0]
    assert got[0]["it"][0]["price"] == 10
    got = list(db.orders.aggregate([
        {"$lookup": {
            "from": "items",
            "let": {"want": "$item", "q": "$qty"},
            "pipeline": [
                {"$match": {"$expr": {"$eq": ["$_id", "$$want"]}}},
                {"$addFields": {"total": {"$multiply": ["$price", "$$q"]}}},
            ],
            "as": "it",
        }},
        {"$sort": {"_id": 1}},
    ]))
    assert got[0]["it"][0]["total"] == 20 and got[1]["it"][0]["total"] == 3
    assert got[2]["it"] == []


def test_facet_bucket_sort_by_count_and_reshaping(db):
    db.c.insert_many([{"_id": i, "n": i, "tag": "even" if i % 2 == 0 else "odd"} for i in range(10)])
    [f] = list(db.c.aggregate([{"$facet": {
        "count": [{"$count": "n"}],
        "tags": [{"$sortByCount": "$tag"}],
        "buckets": [{"$bucket": {"groupBy": "$n", "boundaries": [0, 5, 10]}}],
    }}]))
    assert f["count"] == [{"n": 10}]
    assert sorted((t["_id"], t["count"]) for t in f["tags"]) == [("even", 5), ("odd", 5)]
    assert f["buckets"] == [{"_id": 0, "count": 5}, {"_id": 5, "count": 5}]
    got = list(db.c.aggregate([
        {"$match": {"_id": {"$lt": 2}}},
        {"$set": {"sq": {"$multiply": ["$n", "$n"]}, "sub.x": "$tag"}},
        {"$unset": "tag"},
        {"$replaceWith": {"id": "$_id", "sq": "$sq", "x": "$sub.x"}},
        {"$sort": {"id": 1}},
    ]))
    assert got == [{"id": 0, "sq": 0, "x": "even"}, {"id": 1, "sq": 1, "x": "odd"}]
    assert len(list(db.c.aggregate([{"$sample": {"size": 3}}]))) == 3


def test_merge_stage_upserts_into_another_collection(db):
    db.src.insert_many([{"_id": 1, "v": "new"}, {"_id": 2, "v": "added"}])
    db.dst.insert_many([{"_id": 1, "v": "old", "keep": True}])
    db.src.aggregate([{"$merge": {"into": "dst"}}])
    assert list(db.dst.find().sort("_id", 1)) == [
        {"_id": 1, "v": "new", "keep": True},
        {"_id": 2, "v": "added"},
    ]
    with pytest.raises(pymongo.errors.OperationFailure) as e:
        db.src.aggregate([{"$merge": {"into": "dst", "whenMatched": "fail"}}])
    assert e.value.code == 11000
    with pytest.raises(pymongo.errors.OperationFailure):
        db.src.aggregate([{"$merge": "dst"}, {"$match": {}}])


def test_regex_mod_and_json_schema(db):
    db.c.insert_many([
        {"_id": 1, "name": "Alice", "age": 31},
        {"_id": 2, "name": "bob", "age": 17},
        {"_id": 3, "name": "alfred", "tags": ["x-ray", "yak"]},
    ])
    ids = lambda f: sorted(d["_id"] for d in db.c.find(f))
    assert ids({"name": {"$regex": "^al", "$options": "i"}}) == [1, 3]
    assert ids({"name": re.compile("^b")}) == [2]
    assert ids({"name": Regex("ICE$", "i")}) == [1]
    assert ids({"tags": {"$regex": "^x"}}) == [3]
    assert ids({"name": {"$in": [re.compile("^bo"), "Alice"]}}) == [1, 2]
    assert ids({"age": {"$mod": [2, 1]}}) == [1, 2]
    assert ids({"$jsonSchema": {"required": ["age"], "properties": {"age": {"bsonType": "int", "minimum": 18}}}}) == [1]
    with pytest.raises(pymongo.errors.OperationFailure):
        list(db.c.find({"name": {"$regex": "("}}))
    with pytest.raises(pymongo.errors.OperationFailure):
        list(db.c.find({"age": {"$mod": [0, 1]}}))


def test_case_insensitive_collation(db):
    db.c.insert_many([{"_id": 1, "x": "ping"}, {"_id": 2, "x": "PING"}, {"_id": 3, "x": "pong"}])
    ci = {"locale": "en", "strength": 2}
    assert sorted(d["_id"] for d in db.c.find({"x": "Ping"}, collation=ci)) == [1, 2]
    assert list(db.c.find({"x": "Ping"})) == []
    assert db.c.count_documents({"x": "PiNg"}, collation=ci) == 2
    assert db.c.distinct("x", collation=ci) in (["PING", "pong"], ["ping", "pong"])
    r = db.c.update_many({"x": "ping"}, {"$set": {"y": 1}}, collation=ci)
    assert r.modified_count == 2
    assert db.c.delete_one({"x": "PONG"}, collation=ci).deleted_count == 1


def test_pipeline_update_with_set_field_and_let(db):
    db.c.insert_one({"_id": 1})
    db.c.update_one({"_id": 1}, [{"$replaceWith": {"$setField": {"field": {"$literal": "$price"}, "value": 5, "input": "$$ROOT"}}}])
    assert db.c.find_one({"_id": 1}) == {"_id": 1, "$price": 5}
    db.c.update_one(
        {"$expr": {"$eq": ["$_id", "$$id"]}},
        [{"$set": {"x": "$$x"}}],
        let={"id": 1, "x": "foo"},
    )
    assert db.c.find_one({"_id": 1})["x"] == "foo"


def test_rename_stats_and_explain(client, db):
    db.a.insert_many([{"_id": i, "k": i % 3} for i in range(30)])
    db.a.create_index("k")
    client.admin.command("renameCollection", f"{db.name}.a", to=f"{db.name}.b")
    assert db.list_collection_names() == ["b"]
    assert db.b.count_documents({}) == 30
    assert [i["name"] for i in db.b.list_indexes()] == ["_id_", "k_1"]
    db.c.insert_one({"_id": 1})
    with pytest.raises(pymongo.errors.OperationFailure) as e:
        client.admin.command("renameCollection", f"{db.name}.b", to=f"{db.name}.c")
    assert e.value.code == 48
    client.admin.command("renameCollection", f"{db.name}.b", to=f"{db.name}.c", dropTarget=True)
    assert db.c.count_documents({}) == 30
    st = db.command("collStats", "c")
    assert st["count"] == 30 and st["nindexes"] == 2 and st["size"] > 0
    assert db.command("dbStats")["objects"] == 30
    plan = db.c.find({"k": 1}).explain()["queryPlanner"]["winningPlan"]
    assert plan["inputStage"]["stage"] == "IXSCAN" and plan["inputStage"]["indexName"] == "k_1"
    assert db.c.find({"_id": 3}).explain()["queryPlanner"]["winningPlan"]["stage"] == "IDHACK"
    ex = db.command("explain", {"find": "c", "filter": {"x": 1}}, verbosity="executionStats")
    assert ex["queryPlanner"]["winningPlan"]["stage"] == "COLLSCAN"
    assert ex["executionStats"]["nReturned"] == 0
    assert ex["executionStats"]["totalDocsExamined"] == 30
    # Keys and documents examined by an index lookup; SORT/SKIP/LIMIT on top.
    ex = db.command(
        "explain", {"find": "c", "filter": {"k": 1}, "sort": {"_id": -1}, "skip": 2, "limit": 3},
        verbosity="executionStats",
    )
    plan = ex["queryPlanner"]["winningPlan"]
    assert plan["stage"] == "SKIP" and plan["inputStage"]["stage"] == "SORT"
    assert plan["inputStage"]["limitAmount"] == 5
    assert plan["inputStage"]["inputStage"]["stage"] == "FETCH"
    stats = ex["executionStats"]
    assert (stats["totalKeysExamined"], stats["totalDocsExamined"], stats["nReturned"]) == (10, 10, 3)
    ex = db.c.find({}, {"k": 1}).limit(4).explain()
    assert ex["queryPlanner"]["winningPlan"]["stage"] == "PROJECTION_DEFAULT"
    assert ex["queryPlanner"]["winningPlan"]["inputStage"]["stage"] == "LIMIT"


def test_coll_stats_and_index_stats_stages(client):
    c = client.agg_stats.c
    c.insert_many([{"_id": i, "x": i} for i in range(5)])
    c.create_index("x", unique=True)
    (s,) = list(c.aggregate([{"$collStats": {"count": {}, "storageStats": {}, "latencyStats": {}}}]))
    assert s["ns"] == "agg_stats.c" and s["count"] == {"count": 5}
    assert s["storageStats"]["count"] == 5 and s["storageStats"]["nindexes"] == 2
    assert set(s["latencyStats"]) == {"reads", "writes", "commands", "transactions"}
    stats = list(c.aggregate([{"$indexStats": {}}, {"$sort": {"name": 1}}, {"$project": {"name": 1, "unique": "$spec.unique"}}]))
    assert [(d["name"], d.get("unique")) for d in stats] == [("_id_", None), ("x_1", True)]
    for bad, code in (
        ([{"$match": {}}, {"$collStats": {}}], 40602),
        ([{"$collStats": {"nope": {}}}], 40415),
        ([{"$indexStats": {"a": 1}}], 28803),
    ):
        with pytest.raises(pymongo.errors.OperationFailure) as e:
            list(c.aggregate(bad))
        assert e.value.code == code, (bad, e.value)
    with pytest.raises(pymongo.errors.OperationFailure) as e:
        list(client.agg_stats.missing.aggregate([{"$collStats": {"storageStats": {}}}]))
    assert e.value.code == 26
