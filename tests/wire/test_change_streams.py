"""Change streams through pymongo: events for driver and CLI writes and
merges, update descriptions, $match pipelines, resume tokens that survive
a server restart."""

import json
import os
import subprocess

import pytest
from pymongo.errors import OperationFailure

from conftest import Argon


def next_events(stream, n, timeout=20):
    import time

    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n:
        assert time.monotonic() < deadline, f"only {len(out)} of {n} events: {out}"
        e = stream.try_next()
        if e is None:
            continue
        out.append(e)
    return out


def test_collection_stream_sees_inserts_updates_and_deletes(client):
    db = client.cs_basic
    db.c.insert_one({"_id": 0})
    with db.c.watch(max_await_time_ms=200) as s:
        db.c.insert_one({"_id": 1, "a": 1, "b": {"x": 1}})
        db.c.update_one({"_id": 1}, {"$set": {"b.x": 2}, "$unset": {"a": ""}})
        db.c.delete_one({"_id": 1})
        db.other.insert_one({"_id": 9})  # another collection: not in this stream
        ins, upd, dele = next_events(s, 3)
    assert ins["operationType"] == "insert"
    assert ins["fullDocument"] == {"_id": 1, "a": 1, "b": {"x": 1}}
    assert ins["ns"] == {"db": "cs_basic", "coll": "c"}
    assert ins["documentKey"] == {"_id": 1}
    assert upd["operationType"] == "update"
    assert upd["updateDescription"]["updatedFields"] == {"b.x": 2}
    assert upd["updateDescription"]["removedFields"] == ["a"]
    assert dele["operationType"] == "delete" and dele["documentKey"] == {"_id": 1}


def test_replace_rename_and_new_databases(client, argon):
    db = client.cs_kinds
    db.c.insert_one({"_id": 1, "a": 1})
    with db.c.watch(max_await_time_ms=200) as s:
        db.c.replace_one({"_id": 1}, {"a": 2})
        db.c.update_one({"_id": 1}, {"$set": {"a": 3}})
        # replace by the CLI too: a whole-document write is a replacement
        argon.cli("data", "replace", "c", '{"_id": 1, "b": 1}', "-p", "cs_kinds")
        db.c.rename("d")
        rep, upd, cli_rep, ren, inv = next_events(s, 5)
    assert rep["operationType"] == "replace" and rep["fullDocument"] == {"_id": 1, "a": 2}
    assert "updateDescription" not in rep
    assert upd["operationType"] == "update"
    assert cli_rep["operationType"] == "replace" and cli_rep["fullDocument"] == {"_id": 1, "b": 1}
    assert ren["operationType"] == "rename"
    assert ren["ns"] == {"db": "cs_kinds", "coll": "c"} and ren["to"] == {"db": "cs_kinds", "coll": "d"}
    assert inv["operationType"] == "invalidate"

    # a deployment-wide stream follows databases created after it opened,
    # in write order across them
    with client.watch(max_await_time_ms=200) as s:
        client.cs_new_a.c.insert_one({"_id": "a1"})
        client.cs_new_b.c.insert_one({"_id": "b1"})
        client.cs_new_a.c.insert_one({"_id": "a2"})
        got = [(e["ns"]["db"], e["documentKey"]["_id"]) for e in next_events(s, 3)]
    assert got == [("cs_new_a", "a1"), ("cs_new_b", "b1"), ("cs_new_a", "a2")]


def test_pre_and_post_images_follow_the_collection_option(client):
    db = client.cs_images
    db.c.insert_one({"_id": 1, "v": 1})
    with db.c.watch(full_document="whenAvailable", full_document_before_change="whenAvailable", max_await_time_ms=200) as s:
        db.c.update_one({"_id": 1}, {"$set": {"v": 2}})
        (off,) = next_events(s, 1)
    assert off["fullDocument"] is None and off["fullDocumentBeforeChange"] is None

    db.command("collMod", "c", changeStreamPreAndPostImages={"enabled": True})
    opts = db.command("listCollections", filter={"name": "c"})["cursor"]["firstBatch"][0]["options"]
    assert opts == {"changeStreamPreAndPostImages": {"enabled": True}}
    with db.c.watch(full_document="required", full_document_before_change="required", max_await_time_ms=200) as s:
        db.c.update_one({"_id": 1}, {"$set": {"v": 3}})
        db.c.delete_one({"_id": 1})
        upd, dele = next_events(s, 2)
    assert upd["fullDocumentBeforeChange"] == {"_id": 1, "v": 2}
    assert upd["fullDocument"] == {"_id": 1, "v": 3}
    assert dele["fullDocumentBeforeChange"] == {"_id": 1, "v": 3}

    db.command("collMod", "c", changeStreamPreAndPostImages={"enabled": False})
    db.c.insert_one({"_id": 2})
    with db.c.watch(full_document_before_change="required", max_await_time_ms=200) as s:
        db.c.delete_one({"_id": 2})
        with pytest.raises(OperationFailure) as e:
            next_events(s, 1)
    assert e.value.code == 47  # NoMatchingDocument, as mongod
    with pytest.raises(OperationFailure) as e:
        db.command("collMod", "c", nosuchoption=1)
    assert e.value.code == 40415


def test_expanded_events_report_ddl(client):
    db = client.cs_ddl
    db.keep.insert_one({"_id": 0})
    with db.watch(show_expanded_events=True, max_await_time_ms=200) as s:
        # DDL has no write-log records; each of its commits is reported in
        # order among the writes, however quickly they follow each other
        db.create_collection("made")
        db.made.create_index("x")
        db.command("collMod", "made", changeStreamPreAndPostImages={"enabled": True})
        db.made.drop_index("x_1")
        db.implicit.insert_one({"_id": 1})
        events = next_events(s, 6)
    got = [(e["operationType"], e["ns"]["coll"]) for e in events]
    assert got == [("create", "made"), ("createIndexes", "made"), ("modify", "made"), ("dropIndexes", "made"), ("create", "implicit"), ("insert", "implicit")]
    assert events[1]["operationDescription"]["indexes"][0]["key"] == {"x": 1}
    # a collMod that changes nothing is still reported, as mongod does
    with db.watch(show_expanded_events=True, max_await_time_ms=200) as s:
        db.command("collMod", "made")
        (e,) = next_events(s, 1)
    assert (e["operationType"], e["ns"]["coll"]) == ("modify", "made")
    # without the option, DDL stays out of the stream
    with db.watch(max_await_time_ms=200) as s:
        db.create_collection("quiet")
        db.quiet.insert_one({"_id": 2})
        (e,) = next_events(s, 1)
    assert e["operationType"] == "insert"


def test_drop_and_create_of_empty_collections_is_not_a_rename(client):
    db = client.cs_not_renamed
    db.create_collection("a")
    with db.watch(max_await_time_ms=200) as s:
        db.drop_collection("a")
        db.create_collection("b")
        db.b.insert_one({"_id": 1})
        got = [(e["operationType"], e["ns"]["coll"]) for e in next_events(s, 2)]
    assert got == [("drop", "a"), ("insert", "b")]
    # while renaming an empty collection is a rename
    db.create_collection("empty")
    with db.watch(max_await_time_ms=200) as s:
        db.empty.rename("renamed")
        (ren,) = next_events(s, 1)
    assert ren["operationType"] == "rename" and ren["to"]["coll"] == "renamed"


def test_deployment_stream_resumes_every_database(client):
    client.cs_res_a.c.insert_one({"_id": 0})
    client.cs_res_b.c.insert_one({"_id": 0})
    with client.watch(max_await_time_ms=200) as s:
        client.cs_res_a.c.insert_one({"_id": "a1"})
        client.cs_res_b.c.insert_one({"_id": "b1"})
        seen = next_events(s, 2)
    token = seen[-1]["_id"]
    client.cs_res_a.c.insert_one({"_id": "a2"})
    client.cs_res_b.c.insert_one({"_id": "b2"})
    with client.watch(resume_after=token, max_await_time_ms=200) as s:
        got = [(e["ns"]["db"], e["documentKey"]["_id"]) for e in next_events(s, 2)]
    # neither a1 nor b1 again, and a2 (the database the token does not
    # name) is not lost
    assert got == [("cs_res_a", "a2"), ("cs_res_b", "b2")]


def test_drop_then_reinsert_reports_drop_then_inserts(client):
    db = client.cs_redo
    db.c.insert_many([{"_id": 1, "v": "old"}, {"_id": 2, "v": "old"}])
    with db.watch(max_await_time_ms=200) as s:
        db.c.drop()
        db.c.insert_one({"_id": 1, "v": "new"})
        events = next_events(s, 2)
    assert [(e["operationType"], e.get("documentKey")) for e in events] == [("drop", None), ("insert", {"_id": 1})]
    assert events[1]["fullDocument"] == {"_id": 1, "v": "new"}


def test_resume_after_a_ddl_event_loses_no_write(client):
    db = client.cs_resume_ddl
    db.keep.insert_one({"_id": 0})
    with db.watch(show_expanded_events=True, max_await_time_ms=200) as s:
        db.create_collection("t")
        (created,) = next_events(s, 1)
    assert created["operationType"] == "create"
    db.t.insert_one({"_id": 1})
    with db.watch(show_expanded_events=True, resume_after=created["_id"], max_await_time_ms=200) as s:
        (e,) = next_events(s, 1)
    assert (e["operationType"], e["documentKey"]) == ("insert", {"_id": 1})


def test_database_stream_match_pipeline_and_update_lookup(client):
    db = client.cs_db
    with db.watch([{"$match": {"operationType": {"$in": ["insert", "update"]}}}],
                  full_document="updateLookup", max_await_time_ms=200) as s:
        db.a.insert_one({"_id": 1, "n": 1})
        db.b.insert_one({"_id": 2})
        db.a.update_one({"_id": 1}, {"$inc": {"n": 1}})
        db.a.delete_one({"_id": 1})
        db.b.insert_one({"_id": 3})
        evs = next_events(s, 4)
    assert [(e["operationType"], e["ns"]["coll"]) for e in evs] == [
        ("insert", "a"), ("insert", "b"), ("update", "a"), ("insert", "b")]
    assert evs[2]["fullDocument"] == {"_id": 1, "n": 2}


def test_cli_writes_and_merges_appear(argon, client):
    db = client.cs_cli
    db.c.insert_one({"_id": 1, "v": "main"})
    argon.cli("branches", "create", "fix", "--from", "main", "-p", "cs_cli")
    with db.c.watch(max_await_time_ms=200) as s:
        argon.cli("data", "insert", "c", '{"_id": 2, "v": "from the cli"}', "-p", "cs_cli")
        [e] = next_events(s, 1)
        assert e["operationType"] == "insert" and e["fullDocument"]["v"] == "from the cli"
        argon.cli("data", "replace", "c", '{"_id": 1, "v": "fixed"}', "-p", "cs_cli", "-b", "fix")
        argon.cli("merge", "fix", "--into", "main", "-p", "cs_cli")
        [e] = next_events(s, 1)
        assert e["operationType"] == "update"
        assert e["updateDescription"]["updatedFields"] == {"v": "fixed"}


def test_branches_are_separate_streams(client, argon):
    client.cs_iso.c.insert_one({"_id": 0})
    argon.cli("branches", "create", "feature", "--from", "main", "-p", "cs_iso")
    with client["cs_iso@feature"].c.watch(max_await_time_ms=200) as s:
        client.cs_iso.c.insert_one({"_id": 1})
        client["cs_iso@feature"].c.insert_one({"_id": 2})
        [e] = next_events(s, 1)
    assert e["documentKey"] == {"_id": 2}


def test_resume_token_survives_a_restart():
    a = Argon()
    try:
        c = a.client()
        with c.cs_resume.c.watch(max_await_time_ms=200) as s:
            c.cs_resume.c.insert_one({"_id": 1})
            [e] = next_events(s, 1)
            token = e["_id"]
        c.cs_resume.c.insert_one({"_id": 2})
        c.cs_resume.c.insert_one({"_id": 3})
        c.close()
        a.proc.kill()
        a.proc.wait()
        # Restart on the same data dir.
        env = a.env
        a.proc = subprocess.Popen([os.environ.get("ARGONCTL_BIN", str(__import__("conftest").BIN)), "serve", "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        a.uri = a.proc.stdout.readline().strip()
        c = a.client()
        with c.cs_resume.c.watch(resume_after=token, max_await_time_ms=200) as s:
            evs = next_events(s, 2)
        assert [e["documentKey"]["_id"] for e in evs] == [2, 3]
        c.close()
    finally:
        a.stop()


def test_truncation_bad_stages_and_lost_ids(client):
    from pymongo.errors import OperationFailure
    db = client.cs_errors
    db.c.insert_one({"_id": 1, "arr": [1, 2, 3, 4]})
    with db.c.watch(max_await_time_ms=200) as s:
        db.c.update_one({"_id": 1}, {"$set": {"arr": [1, 2]}})
        [e] = next_events(s, 1)
    assert e["updateDescription"]["truncatedArrays"] == [{"field": "arr", "newSize": 2}]
    assert e["updateDescription"]["removedFields"] == []
    with pytest.raises(OperationFailure) as err:
        db.c.watch([{"$unsupported": 1}])
    assert err.value.code == 40324
    with pytest.raises(OperationFailure) as err:
        db.c.watch([{"$group": {"_id": None}}])
    assert err.value.code == 20
    with db.c.watch([{"$project": {"_id": 0}}], max_await_time_ms=200) as s:
        db.c.insert_one({"_id": 2})
        with pytest.raises(OperationFailure) as err:
            next_events(s, 1)
        assert err.value.code == 280
