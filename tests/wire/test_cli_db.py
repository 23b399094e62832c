"""The CLI's `data` commands and the wire server share one db layer: a
validator or a view made with a driver holds for the CLI too."""

import json

import pymongo
import pytest


def test_validator_set_by_a_driver_rejects_a_cli_insert(client, argon):
    db = client.cli_validate
    db.create_collection("people", validator={"$jsonSchema": {"required": ["name"]}})
    db.people.insert_one({"_id": 1, "name": "ada"})
    with pytest.raises(pymongo.errors.WriteError) as e:
        db.people.insert_one({"_id": 2})
    assert e.value.code == 121

    bad = argon.cli("data", "insert", "people", '{"_id": 3, "age": 4}', "-p", "cli_validate", check=False)
    assert bad.returncode == 1, bad
    assert "Document failed validation" in bad.stderr and "121" in bad.stderr, bad.stderr
    # A whole batch is refused when one document fails: nothing is written.
    bad = argon.cli(
        "data", "insert", "people", '{"_id": 4, "name": "bob"}', '{"_id": 5}', "-p", "cli_validate", check=False
    )
    assert bad.returncode == 1, bad
    assert db.people.count_documents({}) == 1
    bad = argon.cli("data", "replace", "people", '{"_id": 1, "nick": "a"}', "-p", "cli_validate", check=False)
    assert bad.returncode == 1 and "121" in bad.stderr, bad
    argon.cli("data", "insert", "people", '{"_id": 6, "name": "cy"}', "-p", "cli_validate")
    assert sorted(d["_id"] for d in db.people.find()) == [1, 6]

    # validationAction: warn lets writes through, as in mongod.
    db.command("collMod", "people", validationAction="warn")
    argon.cli("data", "insert", "people", '{"_id": 7}', "-p", "cli_validate")
    assert db.people.count_documents({}) == 3


def test_views_made_by_a_driver_read_through_the_cli(client, argon):
    db = client.cli_views
    db.orders.insert_many([{"_id": i, "user": i % 2, "total": i * 10} for i in range(1, 6)])
    db.create_collection("big", viewOn="orders", pipeline=[{"$match": {"total": {"$gte": 30}}}])
    out = argon.cli("data", "find", "big", "--sort", '{"total": -1}', "-p", "cli_views", "-o", "json")
    assert [d["_id"] for d in json.loads(out.stdout)] == [5, 4, 3]
    out = argon.cli(
        "data", "aggregate", "big", '[{"$group": {"_id": "$user", "sum": {"$sum": "$total"}}}, {"$sort": {"_id": 1}}]',
        "-p", "cli_views", "-o", "json",
    )
    assert json.loads(out.stdout) == [{"_id": 0, "sum": 40}, {"_id": 1, "sum": 80}]
    # The CLI and a driver agree on the same pipeline.
    pipeline = [{"$project": {"t": {"$round": [{"$divide": ["$total", 7]}, 2]}, "u": {"$toString": "$user"}}}]
    out = argon.cli("data", "aggregate", "orders", json.dumps(pipeline), "-p", "cli_views", "-o", "json")
    assert json.loads(out.stdout) == list(db.orders.aggregate(pipeline))
    bad = argon.cli("data", "insert", "big", '{"_id": 9}', "-p", "cli_views", check=False)
    assert bad.returncode == 1 and "166" in bad.stderr and "view" in bad.stderr, bad
