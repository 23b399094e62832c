"""Multi-document transactions through pymongo: atomic commit, abort,
snapshot isolation, write conflicts retried by the driver."""

import threading

import pymongo
import pytest
from pymongo.errors import OperationFailure


@pytest.fixture
def coll(client, request):
    db = client[f"txn_{request.node.name[:40]}"]
    db.c.insert_many([{"_id": 1, "n": 0}, {"_id": 2, "n": 0}])
    yield db.c
    client.drop_database(db.name)


def test_commit_is_atomic_and_isolated(client, coll):
    with client.start_session() as s:
        with s.start_transaction():
            coll.insert_one({"_id": 3, "n": 1}, session=s)
            coll.update_one({"_id": 1}, {"$inc": {"n": 5}}, session=s)
            coll.delete_one({"_id": 2}, session=s)
            # The transaction reads its own writes...
            assert coll.find_one({"_id": 1}, session=s)["n"] == 5
            assert coll.count_documents({}, session=s) == 2
            # ...and nobody else sees them before commit.
            assert coll.find_one({"_id": 1})["n"] == 0
            assert coll.count_documents({}) == 2
    assert sorted((d["_id"], d["n"]) for d in coll.find()) == [(1, 5), (3, 1)]


def test_abort_discards_everything(client, coll):
    with client.start_session() as s:
        s.start_transaction()
        coll.insert_one({"_id": 9}, session=s)
        coll.update_many({}, {"$set": {"n": 99}}, session=s)
        s.abort_transaction()
    assert coll.find_one({"_id": 9}) is None
    assert {d["n"] for d in coll.find()} == {0}
    # A snapshot does not see writes committed after it started.
    with client.start_session() as s:
        with s.start_transaction():
            assert coll.find_one({"_id": 1}, session=s)["n"] == 0
            coll.database.client[coll.database.name].c.update_one({"_id": 1}, {"$set": {"n": 7}})
            assert coll.find_one({"_id": 1}, session=s)["n"] == 0
    assert coll.find_one({"_id": 1})["n"] == 7


def test_conflicting_transactions_never_lose_an_increment(client, coll):
    """Eight threads increment one counter in transactions; conflicts are
    retried by with_transaction, and every increment lands exactly once."""
    def work():
        for _ in range(5):
            with client.start_session() as s:
                s.with_transaction(
                    lambda s: coll.update_one({"_id": 1}, {"$inc": {"n": 1}}, session=s)
                )

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert coll.find_one({"_id": 1})["n"] == 40


def test_conflict_is_reported_as_transient(client, coll):
    # As mongod: the second writer of a document two open transactions
    # touch fails at once (WriteConflict, transient) and its transaction is
    # aborted; the first one commits.
    with client.start_session() as a, client.start_session() as b:
        a.start_transaction()
        b.start_transaction()
        coll.update_one({"_id": 2}, {"$set": {"n": 1}}, session=a)
        with pytest.raises(OperationFailure) as e:
            coll.update_one({"_id": 2}, {"$set": {"n": 2}}, session=b)
        assert e.value.code == 112
        assert e.value.has_error_label("TransientTransactionError")
        a.commit_transaction()
        with pytest.raises(OperationFailure) as e:
            b.commit_transaction()
        assert e.value.code == 251  # NoSuchTransaction: it was aborted
    assert coll.find_one({"_id": 2})["n"] == 1
    # A write to a document changed on the branch after the transaction
    # started conflicts at once too.
    with client.start_session() as s:
        s.start_transaction()
        coll.find_one({"_id": 2}, session=s)
        coll.update_one({"_id": 2}, {"$set": {"n": 3}})
        with pytest.raises(OperationFailure) as e:
            coll.update_one({"_id": 2}, {"$set": {"n": 4}}, session=s)
        assert e.value.code == 112
    assert coll.find_one({"_id": 2})["n"] == 3


def test_transaction_branches_stay_hidden(argon, client, coll):
    with client.start_session() as s:
        with s.start_transaction():
            coll.insert_one({"_id": 5}, session=s)
            names = client.list_database_names()
            assert not any("argon-txn" in n for n in names), names
            out = argon.cli("branches", "list", "-p", coll.database.name, "-o", "json").stdout
            assert "argon-txn" not in out


def test_concurrent_plain_updates_never_lose_an_increment(client, coll):
    """Without transactions too: $inc and findAndModify from many clients
    are read-modify-writes that must not overwrite each other."""
    def work():
        for _ in range(20):
            coll.update_one({"_id": 2}, {"$inc": {"n": 1}})
            coll.find_one_and_update({"_id": 2}, {"$inc": {"n": 1}})

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert coll.find_one({"_id": 2})["n"] == 8 * 20 * 2


def test_cursors_and_new_collections_inside_a_transaction(client, coll):
    coll.insert_many([{"_id": i, "n": 0} for i in range(10, 20)])
    with client.start_session() as s:
        with s.start_transaction():
            coll.insert_one({"_id": 50}, session=s)
            # A small batch size makes the driver send getMore in the transaction.
            seen = [d["_id"] for d in coll.find({}, batch_size=3, session=s).sort("_id", 1)]
            assert seen[-1] == 50 and len(seen) == 13
            coll.database.created.insert_one({"_id": "x"}, session=s)
            coll.database.create_collection("empty_one", session=s)
            with pytest.raises(OperationFailure) as e:
                coll.database.command("count", "c", session=s)
            assert e.value.code == 263
            s.abort_transaction()
    assert coll.find_one({"_id": 50}) is None
    with client.start_session() as s:
        with s.start_transaction():
            coll.insert_one({"_id": 51}, session=s)
            assert len(list(coll.find({}, batch_size=2, session=s))) == 13
            coll.database.created.insert_one({"_id": "x"}, session=s)
            coll.database.create_collection("empty_one", session=s)
    assert coll.find_one({"_id": 51}) == {"_id": 51}
    assert coll.database.created.find_one() == {"_id": "x"}
    assert "empty_one" in coll.database.list_collection_names()
