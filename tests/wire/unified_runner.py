"""A MongoDB "unified test format" runner for checking argonctl against the spec tests.

The format is specified in mongodb/specifications, source/unified-test-format/
unified-test-format.md. This runner implements the parts that say something
about a *server*: it executes the operations of each test through pymongo and
checks `expectResult`, `expectError` and `outcome`. Driver-only concerns are
out of scope:

* command monitoring / CMAP / SDAM events (`expectEvents`) and log messages are
  not checked; a test that asserts nothing else (no `expectResult`,
  `expectError`, `outcome` or assertion of the test runner) is skipped, and the
  other tests run with their event expectations ignored;
* fail points (`failPoint`, `targetedFailPoint`) are not supported by argonctl:
  a test that sets one is skipped;
* client-side encryption, GridFS, threads and `clientBulkWrite` are not
  implemented: a test using one of them is skipped with "operation X not
  supported by the runner";
* `runOnRequirements` that need sharding, load balancers, serverless, auth,
  CSFLE, another topology than the server's own (argonctl is a one-member
  replica set, so "single" means a standalone and does not apply) or another
  server version than the one reported by `buildInfo` skip the file or the test;
* a test expecting a client-side error (`isClientError: true`) tests the driver
  and is skipped.

Sessions and transactions (session entities, `startTransaction`,
`commitTransaction`, `abortTransaction`, `withTransaction`, `endSession`, the
`assertSession*` assertions) use pymongo's ClientSession, so lsid, txnNumber,
autocommit and startTransaction are sent as a driver sends them. Change streams
(`createChangeStream` on a client, database or collection) are pymongo
ChangeStreams; `iterateUntilDocumentOrError` polls one with try_next() and gives
up after ITERATE_TIMEOUT seconds without an event (a test failure).

Entry point: `run_file(path, client_factory) -> list[Result]`, where
`client_factory(**uri_options)` returns a new `pymongo.MongoClient` connected to
the server under test (e.g. `Argon.client` from conftest.py).

Run it by hand with: python tests/wire/unified_runner.py MONGODB_URI FILE...
"""

from __future__ import annotations

import copy
import datetime
import os
import re
import sys
import time
from collections import namedtuple
from collections.abc import Mapping
from typing import Any, Callable

import pymongo
from bson import Binary, Code, Decimal128, Int64, MaxKey, MinKey, ObjectId, Regex, Timestamp, json_util
from bson.dbref import DBRef
from pymongo import DeleteMany, DeleteOne, InsertOne, ReplaceOne, ReturnDocument, UpdateMany, UpdateOne
from pymongo.change_stream import ChangeStream
from pymongo.client_session import TransactionOptions
from pymongo.command_cursor import CommandCursor
from pymongo.cursor import Cursor
from pymongo.errors import BulkWriteError, OperationFailure, PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.read_preferences import Nearest, Primary, PrimaryPreferred, Secondary, SecondaryPreferred
from pymongo.write_concern import WriteConcern

# One line of the report: status is "pass", "fail" or "skip".
Result = namedtuple("Result", "file description status reason")

# The runner understands every 1.x schema it knows of (it ignores what it does not check).
SUPPORTED_SCHEMA_MAJOR = 1

# runOnRequirements topologies are matched against the server's own type (ServerInfo.topology):
# argonctl reports itself as a one-member replica set (hello has a setName), so "replicaset"
# tests apply and "single" (standalone) ones do not, although it is reached with directConnection.

# How long iterateUntilDocumentOrError waits for a change event before failing the test
# (each getMore waits up to the server's await time, 1s by default).
ITERATE_TIMEOUT = 3.0

# Never dropped while resetting state between tests.
SYSTEM_DATABASES = {"admin", "config", "local"}

# Fallback when an error has a code but no codeName (e.g. write errors): the code
# names used by the spec tests, from mongodb/mongo src/mongo/base/error_codes.yml.
ERROR_CODES = {
    "BadValue": 2, "FailedToParse": 9, "Unauthorized": 13, "TypeMismatch": 14, "IllegalOperation": 20,
    "NamespaceNotFound": 26, "IndexNotFound": 27, "CursorNotFound": 43, "NamespaceExists": 48,
    "MaxTimeMSExpired": 50, "CommandNotFound": 59, "CannotCreateIndex": 67, "InvalidOptions": 72,
    "InvalidNamespace": 73, "IndexOptionsConflict": 85, "IndexKeySpecsConflict": 86, "WriteConflict": 112,
    "DocumentValidationFailure": 121, "NoSuchTransaction": 251, "OperationNotSupportedInTransaction": 263,
    "ChangeStreamFatalError": 280, "DuplicateKey": 11000, "Interrupted": 11601, "NotWritablePrimary": 10107,
}


class SkipTest(Exception):
    """The test (or file) cannot be run by this runner or against this server."""


class TestFailure(AssertionError):
    """An assertion of the test failed: the server behaved differently from the spec."""


class _Unset:
    """Marks a value that is absent (a missing field, or an operation without a result)."""

    def __repr__(self):
        return "<unset>"


UNSET = _Unset()


# --------------------------------------------------------------------------- #
# Loading files and checking runOnRequirements
# --------------------------------------------------------------------------- #

def load_file(path: str) -> dict:
    """Parses a spec file as Extended JSON (relaxed and canonical forms)."""
    with open(path) as f:
        return json_util.loads(f.read())


def _version_tuple(text: str) -> tuple:
    parts = [int(re.match(r"\d+", p).group()) for p in str(text).split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


class ServerInfo:
    """What runOnRequirements are checked against: version and parameters."""

    def __init__(self, client: pymongo.MongoClient):
        self.client = client
        build = client.admin.command("buildInfo")
        self.version = tuple(int(v) for v in build["versionArray"][:3])
        hello = client.admin.command("hello")
        self.topology = "sharded" if hello.get("msg") == "isdbgrid" else "replicaset" if hello.get("setName") else "single"
        self._params: dict = {}

    def parameter(self, name: str) -> Any:
        """A server parameter from getParameter, or UNSET when the server does not report it."""
        if name not in self._params:
            try:
                self._params[name] = self.client.admin.command({"getParameter": 1, name: 1}).get(name, UNSET)
            except PyMongoError:
                self._params[name] = UNSET
        return self._params[name]

    def unmet(self, req: Mapping) -> str | None:
        """Why one runOnRequirement is not satisfied, or None when it is."""
        version = ".".join(map(str, self.version))
        if "minServerVersion" in req and self.version < _version_tuple(req["minServerVersion"]):
            return f"needs server >= {req['minServerVersion']} (server is {version})"
        if "maxServerVersion" in req and self.version > _version_tuple(req["maxServerVersion"]):
            return f"needs server <= {req['maxServerVersion']} (server is {version})"
        if "topologies" in req and self.topology not in req["topologies"]:
            return f"needs topology {'/'.join(req['topologies'])} (server is {self.topology})"
        if req.get("serverless") == "require":
            return "needs serverless"
        if req.get("auth") is True:
            return "needs auth"
        if "authMechanism" in req:
            return f"needs auth mechanism {req['authMechanism']}"
        if "csfle" in req and req["csfle"] is not False:
            return "needs CSFLE"
        for name, expected in (req.get("serverParameters") or {}).items():
            actual = self.parameter(name)
            if actual is UNSET or not _values_equal(expected, actual):
                return f"needs server parameter {name}={expected!r}"
        unknown = set(req) - {"minServerVersion", "maxServerVersion", "topologies", "serverless", "auth",
                              "authMechanism", "csfle", "serverParameters"}
        if unknown:
            return f"unknown runOnRequirement {sorted(unknown)}"
        return None

    def check(self, reqs: list | None) -> str | None:
        """Why none of the runOnRequirements is satisfied, or None when one is (or there are none)."""
        if not reqs:
            return None
        reasons = []
        for req in reqs:
            why = self.unmet(req)
            if why is None:
                return None
            if why not in reasons:
                reasons.append(why)
        return "; ".join(reasons)


# --------------------------------------------------------------------------- #
# Evaluating matches (spec section "Evaluating Matches")
# --------------------------------------------------------------------------- #

def _is_number(v: Any) -> bool:
    # bool is an int subclass in Python but a distinct BSON type; Decimal128 is never flexible.
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _values_equal(expected: Any, actual: Any) -> bool:
    """Equality of two non-container values: same BSON type, with flexible numerics."""
    if _is_number(expected) or _is_number(actual):
        return _is_number(expected) and _is_number(actual) and expected == actual
    if isinstance(expected, datetime.datetime) and isinstance(actual, datetime.datetime):
        norm = lambda d: d.replace(tzinfo=None) - (d.utcoffset() or datetime.timedelta())  # noqa: E731
        return norm(expected) == norm(actual)
    if isinstance(expected, Regex) or isinstance(actual, Regex):
        as_regex = lambda r: Regex.from_native(r) if isinstance(r, re.Pattern) else r  # noqa: E731
        e, a = as_regex(expected), as_regex(actual)
        return isinstance(e, Regex) and isinstance(a, Regex) and (e.pattern, e.flags) == (a.pattern, a.flags)
    if isinstance(expected, bytes) and isinstance(actual, bytes):  # Binary is a bytes subclass
        return getattr(expected, "subtype", 0) == getattr(actual, "subtype", 0) and bytes(expected) == bytes(actual)
    if isinstance(expected, Code) or isinstance(actual, Code):
        return (isinstance(expected, Code) and isinstance(actual, Code) and str(expected) == str(actual)
                and _docs_equal_unordered(expected.scope, actual.scope))
    if type(expected) is not type(actual):
        return False
    return expected == actual


def _docs_equal_unordered(a: Any, b: Any) -> bool:
    """Exact equality of nested values, ignoring document key order (used inside Code scopes)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_docs_equal_unordered(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_docs_equal_unordered(x, y) for x, y in zip(a, b))
    if a is None or b is None:
        return a is b
    return _values_equal(a, b)


def _bson_type_matches(name: str, v: Any) -> bool:
    """The $type alias `name` (as for the $type query operator) describes the value `v`."""
    if v is UNSET:
        return False
    checks = {
        "double": lambda: isinstance(v, float),
        "string": lambda: isinstance(v, str),
        "object": lambda: isinstance(v, Mapping) and not isinstance(v, DBRef),
        "array": lambda: isinstance(v, (list, tuple)),
        "binData": lambda: isinstance(v, (bytes, Binary)),
        "objectId": lambda: isinstance(v, ObjectId),
        "bool": lambda: isinstance(v, bool),
        "date": lambda: isinstance(v, datetime.datetime),
        "null": lambda: v is None,
        "regex": lambda: isinstance(v, (Regex, re.Pattern)),
        "dbPointer": lambda: isinstance(v, DBRef),
        "javascript": lambda: isinstance(v, Code) and v.scope is None,
        "javascriptWithScope": lambda: isinstance(v, Code) and v.scope is not None,
        # pymongo decodes BSON int32 to int and int64 to bson.Int64.
        "int": lambda: _is_number(v) and isinstance(v, int) and not isinstance(v, Int64) and -2**31 <= v < 2**31,
        "long": lambda: isinstance(v, Int64) or (_is_number(v) and isinstance(v, int) and not -2**31 <= v < 2**31),
        "timestamp": lambda: isinstance(v, Timestamp),
        "decimal": lambda: isinstance(v, Decimal128),
        "minKey": lambda: isinstance(v, MinKey),
        "maxKey": lambda: isinstance(v, MaxKey),
        "number": lambda: _is_number(v) or isinstance(v, Decimal128),
    }
    if name not in checks:
        raise SkipTest(f"$$type {name!r} not supported by the runner")
    return checks[name]()


def _short(v: Any, limit: int = 160) -> str:
    text = "<unset>" if v is UNSET else json_util.dumps(v) if isinstance(v, (Mapping, list)) else repr(v)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _operator(expected: Any) -> str | None:
    """The special operator of an expected value such as {$$type: "int"}, if it is one."""
    if isinstance(expected, Mapping) and len(expected) == 1:
        key = next(iter(expected))
        if isinstance(key, str) and key.startswith("$$"):
            return key
    return None


class Matcher:
    """Implements the spec's match(expected, actual) with the special $$ operators."""

    def __init__(self, entities: Mapping):
        self.entities = entities

    def match(self, expected: Any, actual: Any, root: bool = True, path: str = "$") -> None:
        """Raises TestFailure unless `actual` matches `expected`.

        root=True: `actual` is a root-level document (extra fields allowed), or an
        array of root-level documents (a cursor result such as find/aggregate).
        """
        op = _operator(expected)
        if op is not None:
            return self._special(op, expected[op], actual, root, path)
        if isinstance(expected, Mapping):
            if not isinstance(actual, Mapping):
                raise TestFailure(f"at {path}: expected a document {_short(expected)}, got {_short(actual)}")
            for key, value in expected.items():
                sub = f"{path}.{key}"
                value_op = _operator(value)
                if value_op == "$$exists":
                    if (key in actual) != bool(value["$$exists"]):
                        raise TestFailure(f"at {sub}: expected the field to {'exist' if value['$$exists'] else 'be absent'}, "
                                          f"got {_short(actual.get(key, UNSET))}")
                    continue
                if value_op is not None:
                    # Operators such as $$unsetOrMatches/$$type decide what an absent field means.
                    self._special(value_op, value[value_op], actual.get(key, UNSET), False, sub)
                    continue
                if key not in actual:
                    raise TestFailure(f"at {sub}: missing field, expected {_short(value)} (actual document {_short(actual)})")
                self.match(value, actual[key], root=False, path=sub)
            if not root:
                extra = [k for k in actual if k not in expected]
                if extra:
                    raise TestFailure(f"at {path}: unexpected extra field(s) {extra} in {_short(actual)}")
            return
        if isinstance(expected, list):
            if not isinstance(actual, (list, tuple)):
                raise TestFailure(f"at {path}: expected an array {_short(expected)}, got {_short(actual)}")
            if len(expected) != len(actual):
                raise TestFailure(f"at {path}: expected {len(expected)} element(s) {_short(expected)}, "
                                  f"got {len(actual)}: {_short(list(actual))}")
            for i, (e, a) in enumerate(zip(expected, actual)):
                # Elements of a cursor result are root-level documents; nested arrays' are not.
                self.match(e, a, root=root, path=f"{path}.{i}")
            return
        if actual is UNSET:
            raise TestFailure(f"at {path}: expected {_short(expected)}, got nothing")
        if expected is None or actual is None:
            if expected is not actual:
                raise TestFailure(f"at {path}: expected {_short(expected)}, got {_short(actual)}")
            return
        if not _values_equal(expected, actual):
            raise TestFailure(f"at {path}: expected {_short(expected)} ({type(expected).__name__}), "
                              f"got {_short(actual)} ({type(actual).__name__})")

    def _special(self, op: str, arg: Any, actual: Any, root: bool, path: str) -> None:
        if op == "$$exists":
            if (actual is not UNSET) != bool(arg):
                raise TestFailure(f"at {path}: $$exists {arg} but got {_short(actual)}")
        elif op == "$$type":
            names = arg if isinstance(arg, list) else [arg]
            if not any(_bson_type_matches(n, actual) for n in names):
                raise TestFailure(f"at {path}: expected type {names}, got {_short(actual)} ({type(actual).__name__})")
        elif op == "$$unsetOrMatches":
            if actual is not UNSET:
                self.match(arg, actual, root=root, path=path)
        elif op == "$$matchesEntity":
            if arg not in self.entities:
                raise SkipTest(f"$$matchesEntity refers to unknown entity {arg!r}")
            self.match(self.entities[arg], actual, root=root, path=path)
        elif op == "$$sessionLsid":
            session = self.entities.get(arg)
            if session is None or not hasattr(session, "session_id"):
                raise SkipTest(f"$$sessionLsid refers to unknown session {arg!r}")
            self.match(session.session_id, actual, root=False, path=path)
        elif op == "$$lte":
            if not (_is_number(actual) and actual <= arg):
                raise TestFailure(f"at {path}: expected a number <= {arg!r}, got {_short(actual)}")
        elif op == "$$matchAsDocument":
            if not isinstance(actual, str):
                raise TestFailure(f"at {path}: $$matchAsDocument needs an Extended JSON string, got {_short(actual)}")
            self.match(arg, json_util.loads(actual), root=False, path=path)
        elif op == "$$matchAsRoot":
            self.match(arg, actual, root=True, path=path)
        elif op == "$$matchesHexBytes":
            if not (isinstance(actual, bytes) and bytes(actual).hex() == arg.lower()):
                raise TestFailure(f"at {path}: expected bytes {arg}, got {_short(actual)}")
        else:
            raise SkipTest(f"special operator {op} not supported by the runner")


def match_outcome(expected_docs: list, actual_docs: list, where: str) -> None:
    """Collection contents after a test: every document must match exactly (no extra fields
    anywhere, key order free); numbers still compare by value as elsewhere."""
    Matcher({}).match(expected_docs, actual_docs, root=False, path=where)


# --------------------------------------------------------------------------- #
# Converting test-file options and driver results
# --------------------------------------------------------------------------- #

def write_concern(spec: Mapping) -> WriteConcern:
    kw = {}
    if "w" in spec:
        kw["w"] = spec["w"]
    if "journal" in spec:
        kw["j"] = spec["journal"]
    if "wtimeoutMS" in spec:
        kw["wtimeout"] = spec["wtimeoutMS"]
    return WriteConcern(**kw)


def read_preference(spec: Mapping):
    modes = {"primary": Primary, "primarypreferred": PrimaryPreferred, "secondary": Secondary,
             "secondarypreferred": SecondaryPreferred, "nearest": Nearest}
    cls = modes[spec["mode"].lower()]
    if cls is Primary:
        return Primary()
    kw = {}
    if "tagSets" in spec:
        kw["tag_sets"] = spec["tagSets"]
    if "maxStalenessSeconds" in spec:
        kw["max_staleness"] = spec["maxStalenessSeconds"]
    if "hedge" in spec:
        kw["hedge"] = spec["hedge"]
    return cls(**kw)


def concern_options(spec: Mapping | None) -> dict:
    """collectionOrDatabaseOptions -> keyword arguments of get_database/get_collection/with_options."""
    spec = dict(spec or {})
    kw = {}
    if "writeConcern" in spec:
        kw["write_concern"] = write_concern(spec.pop("writeConcern"))
    if "readConcern" in spec:
        kw["read_concern"] = ReadConcern(spec.pop("readConcern").get("level"))
    if "readPreference" in spec:
        kw["read_preference"] = read_preference(spec.pop("readPreference"))
    if spec:
        raise SkipTest(f"collection/database option(s) {sorted(spec)} not supported by the runner")
    return kw


def transaction_options(spec: Mapping | None) -> dict:
    """transactionOptions (startTransaction/withTransaction arguments, a session's
    defaultTransactionOptions) -> keyword arguments of start_transaction/TransactionOptions."""
    spec = dict(spec or {})
    kw = {}
    if "readConcern" in spec:
        kw["read_concern"] = ReadConcern(spec.pop("readConcern").get("level"))
    if "writeConcern" in spec:
        kw["write_concern"] = write_concern(spec.pop("writeConcern"))
    if "readPreference" in spec:
        kw["read_preference"] = read_preference(spec.pop("readPreference"))
    if "maxCommitTimeMS" in spec:
        kw["max_commit_time_ms"] = spec.pop("maxCommitTimeMS")
    if spec:
        raise SkipTest(f"transaction option(s) {sorted(spec)} not supported by the runner")
    return kw


def session_options(spec: Mapping | None) -> dict:
    """A session entity's sessionOptions -> keyword arguments of MongoClient.start_session."""
    spec = dict(spec or {})
    kw = {}
    if "causalConsistency" in spec:
        kw["causal_consistency"] = spec.pop("causalConsistency")
    if "snapshot" in spec:
        kw["snapshot"] = spec.pop("snapshot")
    if "defaultTransactionOptions" in spec:
        kw["default_transaction_options"] = TransactionOptions(**transaction_options(
            spec.pop("defaultTransactionOptions")))
    if spec:
        raise SkipTest(f"session option(s) {sorted(spec)} not supported by the runner")
    return kw


def index_list(spec: Any) -> Any:
    """A key document (sort, hint, index keys) as pymongo's list of (key, direction) pairs."""
    return list(spec.items()) if isinstance(spec, Mapping) else spec


def bulk_result(raw: Mapping, inserted_ids: Mapping | None = None) -> dict:
    """A bulk write's raw reply (pymongo's bulk_api_result or BulkWriteError.details) as a spec BulkWriteResult."""
    doc = {
        "deletedCount": raw.get("nRemoved", 0),
        "insertedCount": raw.get("nInserted", 0),
        "matchedCount": raw.get("nMatched", 0),
        "modifiedCount": raw.get("nModified", 0),
        "upsertedCount": raw.get("nUpserted", 0),
        "upsertedIds": {str(u["index"]): u["_id"] for u in raw.get("upserted", [])},
    }
    if inserted_ids is not None:
        doc["insertedIds"] = dict(inserted_ids)
    return doc


def to_document(result: Any) -> Any:
    """A pymongo result object as the document the spec expects."""
    if isinstance(result, (pymongo.results.InsertOneResult, pymongo.results.InsertManyResult,
                           pymongo.results.UpdateResult, pymongo.results.DeleteResult,
                           pymongo.results.BulkWriteResult)) and not result.acknowledged:
        return {"acknowledged": False}
    if isinstance(result, pymongo.results.InsertOneResult):
        return {"insertedId": result.inserted_id}
    if isinstance(result, pymongo.results.InsertManyResult):
        return {"insertedIds": {str(i): _id for i, _id in enumerate(result.inserted_ids)}}
    if isinstance(result, pymongo.results.UpdateResult):
        doc = {"matchedCount": result.matched_count, "modifiedCount": result.modified_count,
               "upsertedCount": 1 if result.upserted_id is not None else 0}
        if result.upserted_id is not None:
            doc["upsertedId"] = result.upserted_id
        return doc
    if isinstance(result, pymongo.results.DeleteResult):
        return {"deletedCount": result.deleted_count}
    return result


# --------------------------------------------------------------------------- #
# Operations
# --------------------------------------------------------------------------- #

# Spec argument name -> pymongo keyword, shared by many collection operations.
COMMON_KW = {"session": "session", "comment": "comment", "let": "let", "hint": "hint", "collation": "collation"}


def _kwargs(args: dict, mapping: Mapping, convert: Mapping | None = None) -> dict:
    """Renames the arguments in `mapping` to pymongo keywords (applying `convert` per argument)."""
    kw = {}
    for name, value in args.items():
        if name in mapping:
            if convert and name in convert:
                value = convert[name](value)
            kw[mapping[name]] = value
    return kw


def _hint(v):
    return index_list(v)


def _return_document(v):
    if str(v).lower() == "after":
        return ReturnDocument.AFTER
    if str(v).lower() == "before":
        return ReturnDocument.BEFORE
    raise SkipTest(f"bad returnDocument {v!r}")


CONVERT = {"hint": _hint, "sort": index_list, "returnDocument": _return_document}


FIND_KW = {**COMMON_KW, "projection": "projection", "sort": "sort", "skip": "skip", "limit": "limit",
           "batchSize": "batch_size", "allowDiskUse": "allow_disk_use", "maxTimeMS": "max_time_ms",
           "min": "min", "max": "max", "returnKey": "return_key", "showRecordId": "show_record_id",
           "noCursorTimeout": "no_cursor_timeout"}


def op_find(coll, a):
    return list(coll.find(a.get("filter", {}), **_kwargs(a, FIND_KW, CONVERT)))


def op_create_find_cursor(coll, a):
    # A cursor entity, iterated by iterateUntilDocumentOrError/iterateOnce and closed by close.
    return coll.find(a.get("filter", {}), **_kwargs(a, FIND_KW, CONVERT))


def op_find_one(coll, a):
    kw = _kwargs(a, {**COMMON_KW, "projection": "projection", "sort": "sort", "skip": "skip",
                     "maxTimeMS": "max_time_ms", "allowDiskUse": "allow_disk_use"}, CONVERT)
    return coll.find_one(a.get("filter", {}), **kw)


def _aggregate_kwargs(a):
    # pymongo passes unknown keyword arguments of aggregate() to the command as they are.
    return _kwargs(a, {"session": "session", "comment": "comment", "let": "let", "hint": "hint", "collation": "collation",
                       "batchSize": "batchSize", "allowDiskUse": "allowDiskUse", "maxTimeMS": "maxTimeMS",
                       "bypassDocumentValidation": "bypassDocumentValidation"}, CONVERT)


def op_aggregate(target, a):
    # Works for collections and databases (database-level aggregate, e.g. $currentOp).
    return list(target.aggregate(a["pipeline"], **_aggregate_kwargs(a)))


def op_count_documents(coll, a):
    kw = _kwargs(a, {**COMMON_KW, "skip": "skip", "limit": "limit", "maxTimeMS": "maxTimeMS"}, CONVERT)
    return coll.count_documents(a.get("filter", {}), **kw)


def op_estimated_document_count(coll, a):
    return coll.estimated_document_count(**_kwargs(a, {"comment": "comment", "maxTimeMS": "maxTimeMS", "session": "session"}))


def op_count(coll, a):
    # The deprecated count() helper is gone from pymongo 4: send the count command.
    cmd = {"count": coll.name, "query": a.get("filter", {})}
    for name in ("skip", "limit", "collation", "hint", "comment", "maxTimeMS"):
        if name in a:
            cmd[name] = a[name]
    return coll.database.command(cmd, session=a.get("session"), read_preference=coll.read_preference)["n"]


def op_distinct(coll, a):
    kw = _kwargs(a, {**COMMON_KW, "maxTimeMS": "maxTimeMS"}, CONVERT)
    return coll.distinct(a["fieldName"], a.get("filter", {}), **kw)


def op_insert_one(coll, a):
    kw = _kwargs(a, {"session": "session", "comment": "comment", "bypassDocumentValidation": "bypass_document_validation"})
    return to_document(coll.insert_one(a["document"], **kw))


def op_insert_many(coll, a):
    kw = _kwargs(a, {"session": "session", "comment": "comment", "ordered": "ordered",
                     "bypassDocumentValidation": "bypass_document_validation"})
    return to_document(coll.insert_many(a["documents"], **kw))


UPDATE_KW = {**COMMON_KW, "upsert": "upsert", "arrayFilters": "array_filters",
             "bypassDocumentValidation": "bypass_document_validation"}


def op_update_one(coll, a):
    kw = _kwargs(a, {**UPDATE_KW, "sort": "sort"})  # update_one wants the sort as a mapping
    kw["hint"] = _hint(kw["hint"]) if "hint" in kw else None
    return to_document(coll.update_one(a["filter"], a["update"], **kw))


def op_update_many(coll, a):
    return to_document(coll.update_many(a["filter"], a["update"], **_kwargs(a, UPDATE_KW, CONVERT)))


def op_replace_one(coll, a):
    kw = _kwargs(a, {**COMMON_KW, "upsert": "upsert", "sort": "sort",
                     "bypassDocumentValidation": "bypass_document_validation"})
    kw["hint"] = _hint(kw["hint"]) if "hint" in kw else None
    return to_document(coll.replace_one(a["filter"], a["replacement"], **kw))


def op_delete_one(coll, a):
    return to_document(coll.delete_one(a["filter"], **_kwargs(a, COMMON_KW, CONVERT)))


def op_delete_many(coll, a):
    return to_document(coll.delete_many(a["filter"], **_kwargs(a, COMMON_KW, CONVERT)))


FAM_KW = {**COMMON_KW, "projection": "projection", "sort": "sort", "maxTimeMS": "maxTimeMS"}


def op_find_one_and_update(coll, a):
    kw = _kwargs(a, {**FAM_KW, "upsert": "upsert", "returnDocument": "return_document", "arrayFilters": "array_filters",
                     "bypassDocumentValidation": "bypassDocumentValidation"}, CONVERT)
    return coll.find_one_and_update(a["filter"], a["update"], **kw)


def op_find_one_and_replace(coll, a):
    kw = _kwargs(a, {**FAM_KW, "upsert": "upsert", "returnDocument": "return_document",
                     "bypassDocumentValidation": "bypassDocumentValidation"}, CONVERT)
    return coll.find_one_and_replace(a["filter"], a["replacement"], **kw)


def op_find_one_and_delete(coll, a):
    return coll.find_one_and_delete(a["filter"], **_kwargs(a, FAM_KW, CONVERT))


# bulkWrite request models: spec name -> (pymongo class, allowed arguments -> pymongo keyword).
BULK_MODELS = {
    "insertOne": (InsertOne, {"document": "document"}),
    "updateOne": (UpdateOne, {"filter": "filter", "update": "update", "upsert": "upsert", "collation": "collation",
                              "arrayFilters": "array_filters", "hint": "hint", "sort": "sort"}),
    "updateMany": (UpdateMany, {"filter": "filter", "update": "update", "upsert": "upsert", "collation": "collation",
                                "arrayFilters": "array_filters", "hint": "hint"}),
    "replaceOne": (ReplaceOne, {"filter": "filter", "replacement": "replacement", "upsert": "upsert",
                                "collation": "collation", "hint": "hint", "sort": "sort"}),
    "deleteOne": (DeleteOne, {"filter": "filter", "collation": "collation", "hint": "hint"}),
    "deleteMany": (DeleteMany, {"filter": "filter", "collation": "collation", "hint": "hint"}),
}


def check_bulk_requests(requests: list) -> None:
    """Skips the test when a bulkWrite request uses a model or argument the runner does not know."""
    for req in requests:
        (kind, spec), = req.items()
        if kind not in BULK_MODELS:
            raise SkipTest(f"bulkWrite model {kind} not supported by the runner")
        unknown = set(spec) - set(BULK_MODELS[kind][1])
        if unknown:
            raise SkipTest(f"bulkWrite {kind} argument(s) {sorted(unknown)} not supported by the runner")


def op_bulk_write(coll, a):
    models, inserted = [], {}
    for i, req in enumerate(a["requests"]):
        (kind, spec), = req.items()
        cls, mapping = BULK_MODELS[kind]
        kw = _kwargs(spec, mapping, {"hint": _hint})
        models.append(cls(**kw))
        if kind == "insertOne":
            inserted[str(i)] = kw["document"]  # pymongo adds the _id to this document when it sends it
    kw = _kwargs(a, {"session": "session", "comment": "comment", "let": "let", "ordered": "ordered",
                     "bypassDocumentValidation": "bypass_document_validation"})
    result = coll.bulk_write(models, **kw)
    if not result.acknowledged:
        return {"acknowledged": False}
    return bulk_result(result.bulk_api_result, {i: d.get("_id") for i, d in inserted.items()})


def op_create_index(coll, a):
    # Every argument but keys/session/comment is an index option (unique, name, sparse, ...).
    opts = {k: v for k, v in a.items() if k not in ("keys", "session", "comment")}
    return coll.create_index(index_list(a["keys"]), session=a.get("session"), comment=a.get("comment"), **opts)


def op_drop_index(coll, a):
    coll.drop_index(a["name"], session=a.get("session"), comment=a.get("comment"))
    return UNSET


def op_list_indexes(coll, a):
    # batchSize, if given, is not sent: the cursor is fully iterated anyway.
    return list(coll.list_indexes(session=a.get("session"), comment=a.get("comment")))


def op_list_index_names(coll, a):
    return [ix["name"] for ix in coll.list_indexes(session=a.get("session"), comment=a.get("comment"))]


def op_create_collection(db, a):
    opts = {k: v for k, v in a.items() if k not in ("collection", "session")}
    # check_exists=False: let the server answer NamespaceExists instead of a driver-side check.
    db.create_collection(a["collection"], session=a.get("session"), check_exists=False, **opts)
    return UNSET


def op_drop_collection(db, a):
    db.drop_collection(a["collection"], session=a.get("session"), comment=a.get("comment"))
    return UNSET


def op_modify_collection(db, a):
    cmd = {"collMod": a["collection"], **{k: v for k, v in a.items() if k not in ("collection", "session")}}
    db.command(cmd, session=a.get("session"))
    return UNSET


def op_list_collections(db, a):
    # batchSize only changes how the (fully iterated) cursor is fetched: it is not sent.
    kw = _kwargs(a, {"session": "session", "filter": "filter", "comment": "comment", "nameOnly": "nameOnly",
                     "authorizedCollections": "authorizedCollections"})
    return list(db.list_collections(**kw))


def op_list_collection_names(db, a):
    return db.list_collection_names(**_kwargs(a, {"session": "session", "filter": "filter", "comment": "comment"}))


def op_run_command(db, a):
    kw = {"session": a.get("session")}
    if "readPreference" in a:
        kw["read_preference"] = read_preference(a["readPreference"])
    return db.command(a["command"], **kw)


def op_list_databases(client, a):
    kw = _kwargs(a, {"session": "session", "filter": "filter", "comment": "comment", "nameOnly": "nameOnly",
                     "authorizedDatabases": "authorizedDatabases"})
    return list(client.list_databases(**kw))


def op_list_database_names(client, a):
    return client.list_database_names(**_kwargs(a, {"session": "session", "comment": "comment"}))


def op_rename(coll, a):
    kw = {"dropTarget": a["dropTarget"]} if "dropTarget" in a else {}
    coll.rename(a["to"], session=a.get("session"), comment=a.get("comment"), **kw)
    return UNSET


# ----- sessions and transactions (the entity is a pymongo ClientSession) ----- #

def op_start_transaction(session, a):
    session.start_transaction(**transaction_options(a))
    return UNSET


def op_commit_transaction(session, a):
    session.commit_transaction()
    return UNSET


def op_abort_transaction(session, a):
    session.abort_transaction()
    return UNSET


def op_end_session(session, a):
    session.end_session()
    return UNSET


# ----- change streams and cursors ----- #

CHANGE_STREAM_KW = {"session": "session", "comment": "comment", "collation": "collation", "batchSize": "batch_size",
                    "fullDocument": "full_document", "fullDocumentBeforeChange": "full_document_before_change",
                    "resumeAfter": "resume_after", "startAfter": "start_after",
                    "startAtOperationTime": "start_at_operation_time", "maxAwaitTimeMS": "max_await_time_ms",
                    "showExpandedEvents": "show_expanded_events"}


def op_create_change_stream(target, a):
    # watch() on a client (cluster-wide stream), a database or a collection sends the aggregate
    # with its $changeStream stage at once; iterating it sends getMores.
    return target.watch(a.get("pipeline") or [], **_kwargs(a, CHANGE_STREAM_KW))


def op_iterate_until_document_or_error(stream, a):
    if isinstance(stream, ChangeStream):
        deadline = time.monotonic() + ITERATE_TIMEOUT
        while True:
            doc = stream.try_next()  # one getMore at most (pymongo resumes on resumable errors)
            if doc is not None:
                return doc
            if not stream.alive:
                raise TestFailure("the change stream was closed by the server before returning a change event")
            if time.monotonic() > deadline:
                raise TestFailure(f"no change event within {ITERATE_TIMEOUT:g}s (the server returned empty batches)")
    try:
        return next(stream)
    except StopIteration:
        raise TestFailure("the cursor was exhausted before returning a document") from None


def op_iterate_once(stream, a):
    # One iteration (at most one getMore); the spec forbids asserting on its result.
    if isinstance(stream, ChangeStream):
        stream.try_next()
    else:
        next(stream, None)
    return UNSET


def op_close(stream, a):
    stream.close()
    return UNSET


# Operation name -> (entity kind(s) it applies to, handler, accepted arguments). An argument
# outside the accepted set skips the test; None accepts any argument (option bags such as
# createIndex's, passed through to the server). "readConcern"/"readPreference"/"writeConcern"
# arguments are always accepted: they are applied with with_options() first.
_CRUD_COMMON = {"session", "comment", "let", "hint", "collation"}
OPERATIONS: dict[str, tuple[str, Callable, set | None]] = {
    "find": ("collection", op_find, _CRUD_COMMON | {"filter", "projection", "sort", "skip", "limit", "batchSize",
                                                     "allowDiskUse", "maxTimeMS", "min", "max", "returnKey",
                                                     "showRecordId", "noCursorTimeout"}),
    "findOne": ("collection", op_find_one, _CRUD_COMMON | {"filter", "projection", "sort", "skip", "maxTimeMS",
                                                           "allowDiskUse"}),
    "aggregate": ("collection|database", op_aggregate, _CRUD_COMMON | {"pipeline", "batchSize", "allowDiskUse",
                                                                       "maxTimeMS", "bypassDocumentValidation"}),
    "countDocuments": ("collection", op_count_documents, _CRUD_COMMON | {"filter", "skip", "limit", "maxTimeMS"}),
    "estimatedDocumentCount": ("collection", op_estimated_document_count, {"session", "comment", "maxTimeMS"}),
    "count": ("collection", op_count, {"session", "filter", "skip", "limit", "collation", "hint", "comment", "maxTimeMS"}),
    "distinct": ("collection", op_distinct, _CRUD_COMMON | {"fieldName", "filter", "maxTimeMS"}),
    "insertOne": ("collection", op_insert_one, {"session", "comment", "document", "bypassDocumentValidation"}),
    "insertMany": ("collection", op_insert_many, {"session", "comment", "documents", "ordered",
                                                  "bypassDocumentValidation"}),
    "updateOne": ("collection", op_update_one, _CRUD_COMMON | {"filter", "update", "upsert", "arrayFilters",
                                                               "bypassDocumentValidation", "sort"}),
    "updateMany": ("collection", op_update_many, _CRUD_COMMON | {"filter", "update", "upsert", "arrayFilters",
                                                                 "bypassDocumentValidation"}),
    "replaceOne": ("collection", op_replace_one, _CRUD_COMMON | {"filter", "replacement", "upsert", "sort",
                                                                 "bypassDocumentValidation"}),
    "deleteOne": ("collection", op_delete_one, _CRUD_COMMON | {"filter"}),
    "deleteMany": ("collection", op_delete_many, _CRUD_COMMON | {"filter"}),
    "findOneAndUpdate": ("collection", op_find_one_and_update, _CRUD_COMMON | {
        "filter", "update", "projection", "sort", "upsert", "returnDocument", "arrayFilters",
        "bypassDocumentValidation", "maxTimeMS"}),
    "findOneAndReplace": ("collection", op_find_one_and_replace, _CRUD_COMMON | {
        "filter", "replacement", "projection", "sort", "upsert", "returnDocument", "bypassDocumentValidation",
        "maxTimeMS"}),
    "findOneAndDelete": ("collection", op_find_one_and_delete, _CRUD_COMMON | {"filter", "projection", "sort",
                                                                               "maxTimeMS"}),
    "bulkWrite": ("collection", op_bulk_write, {"session", "comment", "let", "requests", "ordered",
                                                "bypassDocumentValidation"}),
    "createIndex": ("collection", op_create_index, None),  # None: any index option is accepted
    "dropIndex": ("collection", op_drop_index, {"session", "comment", "name"}),
    "listIndexes": ("collection", op_list_indexes, {"session", "comment", "batchSize"}),
    "listIndexNames": ("collection", op_list_index_names, {"session", "comment"}),
    "createCollection": ("database", op_create_collection, None),
    "dropCollection": ("database", op_drop_collection, {"session", "comment", "collection"}),
    "modifyCollection": ("database", op_modify_collection, None),
    "listCollections": ("database", op_list_collections, {"session", "comment", "filter", "batchSize", "nameOnly",
                                                          "authorizedCollections"}),
    "listCollectionNames": ("database", op_list_collection_names, {"session", "comment", "filter"}),
    "runCommand": ("database", op_run_command, {"session", "command", "commandName", "readPreference"}),
    "listDatabases": ("client", op_list_databases, {"session", "comment", "filter", "nameOnly",
                                                    "authorizedDatabases"}),
    "listDatabaseNames": ("client", op_list_database_names, {"session", "comment"}),
    "rename": ("collection", op_rename, {"session", "comment", "to", "dropTarget"}),
    "createFindCursor": ("collection", op_create_find_cursor, set(FIND_KW) | {"filter"}),
    # Sessions; withTransaction is run by FileRunner.execute (its callback holds operations).
    "startTransaction": ("session", op_start_transaction, {"maxCommitTimeMS"}),
    "commitTransaction": ("session", op_commit_transaction, set()),
    "abortTransaction": ("session", op_abort_transaction, set()),
    "endSession": ("session", op_end_session, set()),
    "withTransaction": ("session", None, {"callback", "maxCommitTimeMS"}),
    # Change streams and cursors.
    "createChangeStream": ("client|database|collection", op_create_change_stream,
                           set(CHANGE_STREAM_KW) | {"pipeline"}),
    "iterateUntilDocumentOrError": ("changeStream|cursor", op_iterate_until_document_or_error, set()),
    "iterateOnce": ("changeStream|cursor", op_iterate_once, set()),
    "close": ("changeStream|cursor", op_close, set()),
}

# Operations whose readConcern/readPreference/writeConcern arguments are transaction options,
# not options of the target entity.
TRANSACTION_OPTION_OPERATIONS = {"startTransaction", "withTransaction"}

# The kind of entity an operation's saveResultAsEntity creates (other results are plain values).
RESULT_ENTITY_KINDS = {"createChangeStream": "changeStream", "createFindCursor": "cursor"}

# Arguments never accepted: they need driver features the runner leaves out.
UNSUPPORTED_ARGUMENTS = {"rawData": "rawData (raw time-series buckets)", "timeoutMS": "timeoutMS (CSOT)",
                         "encryptedFields": "encryptedFields (queryable encryption)"}

# Results that are arrays of root-level documents (cursor results), per "Evaluating Matches".
CURSOR_RESULTS = {"find", "aggregate", "listCollections", "listDatabases", "listIndexes"}

# testRunner operations that assert something (a test with one of them checks the server).
TEST_RUNNER_ASSERTIONS = {"assertCollectionExists", "assertCollectionNotExists", "assertIndexExists",
                          "assertIndexNotExists", "assertSessionTransactionState", "assertSessionPinned",
                          "assertSessionUnpinned", "assertSessionDirty", "assertSessionNotDirty"}
# testRunner operations implemented by the runner (all others skip the test).
TEST_RUNNER_OPERATIONS = TEST_RUNNER_ASSERTIONS | {"createEntities"}
# Why a test using one of these testRunner operations is skipped.
UNSUPPORTED_TEST_RUNNER_OPERATIONS = {
    "failPoint": "needs fail points (configureFailPoint), which argonctl does not support",
    "targetedFailPoint": "needs fail points (configureFailPoint on a pinned mongos), which argonctl does not support",
    "assertSameLsidOnLastTwoCommands": "asserts on command monitoring events (driver behaviour)",
    "assertDifferentLsidOnLastTwoCommands": "asserts on command monitoring events (driver behaviour)",
    "assertNumberConnectionsCheckedOut": "asserts on the driver's connection pool (driver behaviour)",
    "assertEventCount": "asserts on SDAM/CMAP events (driver behaviour)",
    "waitForEvent": "waits for SDAM/CMAP events (driver behaviour)",
    "waitForPrimaryChange": "needs a replica set election",
    "runOnThread": "threads not supported by the runner",
    "waitForThread": "threads not supported by the runner",
    "loop": "operation loop not supported by the runner",
}

# pymongo transaction states as the spec's assertSessionTransactionState names them.
_TXN_STATES = {1: "none", 2: "starting", 3: "in_progress", 4: "committed", 5: "committed", 6: "aborted"}


def _entity_kind(obj: Any) -> str:
    if isinstance(obj, pymongo.MongoClient):
        return "client"
    if isinstance(obj, pymongo.database.Database):
        return "database"
    if isinstance(obj, pymongo.collection.Collection):
        return "collection"
    if isinstance(obj, pymongo.client_session.ClientSession):
        return "session"
    if isinstance(obj, ChangeStream):
        return "changeStream"
    if isinstance(obj, (Cursor, CommandCursor)):
        return "cursor"
    return "value"


def all_operations(ops: list) -> list:
    """The operations of a test, with those nested in withTransaction callbacks."""
    out = []
    for op in ops:
        out.append(op)
        if op.get("name") == "withTransaction":
            out.extend(all_operations((op.get("arguments") or {}).get("callback", [])))
    return out


# --------------------------------------------------------------------------- #
# Running a file
# --------------------------------------------------------------------------- #

class FileRunner:
    """Runs the tests of one file; one internal client and a client per client entity,
    closed at the end of the file."""

    def __init__(self, path: str, client_factory: Callable[..., pymongo.MongoClient]):
        self.path = path
        self.name = os.path.basename(path)
        self.client_factory = client_factory
        self.spec = load_file(path)
        self.internal = client_factory()
        self.server = ServerInfo(self.internal)
        self.clients: dict[str, pymongo.MongoClient] = {}  # entity definition (JSON) -> client

    def close(self):
        for c in self.clients.values():
            c.close()
        self.internal.close()

    # ----- pre-checks ---------------------------------------------------- #

    def file_skip_reason(self) -> str | None:
        version = str(self.spec.get("schemaVersion", ""))
        if _version_tuple(version)[0] != SUPPORTED_SCHEMA_MAJOR:
            return f"schemaVersion {version} not supported by the runner"
        return self.server.check(self.spec.get("runOnRequirements"))

    def test_entities(self, test: dict) -> list:
        """The entity definitions of a test: the file's createEntities and its createEntities operations."""
        ents = list(self.spec.get("createEntities", []))
        for op in all_operations(test["operations"]):
            if op["object"] == "testRunner" and op["name"] == "createEntities":
                ents.extend((op.get("arguments") or {}).get("entities", []))
        return ents

    def entity_kinds(self, test: dict) -> dict[str, str]:
        kinds = {}
        for ent in self.test_entities(test):
            (kind, spec), = ent.items()
            kinds[spec["id"]] = kind
        for op in all_operations(test["operations"]):
            if "saveResultAsEntity" in op:
                kinds[op["saveResultAsEntity"]] = RESULT_ENTITY_KINDS.get(op["name"], "value")
        return kinds

    def test_skip_reason(self, test: dict) -> str | None:
        if "skipReason" in test:
            return f"skipReason: {test['skipReason']}"
        why = self.server.check(test.get("runOnRequirements"))
        if why:
            return why
        ops = all_operations(test["operations"])
        for op in ops:
            if op["object"] == "testRunner" and op["name"] in ("failPoint", "targetedFailPoint"):
                return UNSUPPORTED_TEST_RUNNER_OPERATIONS[op["name"]]
        checks_something = "outcome" in test or any(
            "expectResult" in op or "expectError" in op
            or (op["object"] == "testRunner" and op["name"] in TEST_RUNNER_ASSERTIONS) for op in ops)
        if not checks_something and ("expectEvents" in test or "expectLogMessages" in test):
            return "only checks command monitoring events/logs (driver behaviour, not applicable to a server)"
        if any((op.get("expectError") or {}).get("isClientError") is True for op in ops):
            # The driver must reject the operation before sending it: pymongo is tested, not the server.
            return "expects a client-side (driver) error, not applicable to a server"
        for ent in self.test_entities(test):
            (kind, spec), = ent.items()
            if kind not in ("client", "database", "collection", "session"):
                return f"entity type {kind} not supported by the runner"
            if kind == "client" and "autoEncryptOpts" in spec:
                return "client-side encryption not supported by the runner"
        kinds = self.entity_kinds(test)
        for op in ops:
            name, obj = op["name"], op["object"]
            if obj == "testRunner":
                if name in UNSUPPORTED_TEST_RUNNER_OPERATIONS:
                    return UNSUPPORTED_TEST_RUNNER_OPERATIONS[name]
                if name not in TEST_RUNNER_OPERATIONS:
                    return f"operation {name} not supported by the runner"
                continue
            if name not in OPERATIONS:
                return f"operation {name} not supported by the runner"
            kind, _, allowed = OPERATIONS[name]
            if kinds.get(obj, "value") not in kind.split("|"):
                return f"operation {name} on a {kinds.get(obj, 'saved result')} not supported by the runner"
            args = op.get("arguments") or {}
            for arg in args:
                if arg in UNSUPPORTED_ARGUMENTS:
                    return f"argument {UNSUPPORTED_ARGUMENTS[arg]} not supported by the runner"
                if allowed is not None and arg not in allowed | {"readConcern", "readPreference", "writeConcern"}:
                    return f"argument {arg!r} of {name} not supported by the runner"
            if name == "bulkWrite":
                try:
                    check_bulk_requests(args.get("requests", []))
                except SkipTest as e:
                    return str(e)
        return None

    # ----- set-up -------------------------------------------------------- #

    def reset_state(self, test: dict) -> None:
        """Drops every database the file touches, then creates initialData."""
        dbs = {cd["databaseName"] for cd in self.spec.get("initialData", []) + test.get("outcome", [])}
        dbs |= {ent["database"]["databaseName"] for ent in self.test_entities(test) if "database" in ent}
        for db in sorted(dbs - SYSTEM_DATABASES):
            self.internal.drop_database(db)
        for cd in self.spec.get("initialData", []):
            db = self.internal[cd["databaseName"]]
            docs = copy.deepcopy(cd["documents"])
            if "createOptions" in cd or not docs:
                db.create_collection(cd["collectionName"], check_exists=False, **cd.get("createOptions", {}))
            if docs:
                db[cd["collectionName"]].insert_many(docs)

    def client_for(self, spec: dict) -> pymongo.MongoClient:
        """A client entity; clients with the same definition are shared by the file's tests."""
        key = json_util.dumps({k: v for k, v in spec.items() if k in ("uriOptions", "serverApi")}, sort_keys=True)
        if key not in self.clients:
            kw = dict(spec.get("uriOptions") or {})
            if "serverApi" in spec:
                api = spec["serverApi"]
                kw["server_api"] = pymongo.server_api.ServerApi(api["version"], strict=api.get("strict"),
                                                                deprecation_errors=api.get("deprecationErrors"))
            self.clients[key] = self.client_factory(**kw)
        return self.clients[key]

    def create_entities(self, definitions: list, entities: dict) -> None:
        """Adds the entities of a createEntities list to `entities`."""
        for ent in definitions:
            (kind, spec), = ent.items()
            if spec["id"] in entities:
                raise TestFailure(f"entity {spec['id']!r} already exists")
            if kind == "client":
                entities[spec["id"]] = self.client_for(spec)
            elif kind == "database":
                entities[spec["id"]] = entities[spec["client"]].get_database(
                    spec["databaseName"], **concern_options(spec.get("databaseOptions")))
            elif kind == "collection":
                entities[spec["id"]] = entities[spec["database"]].get_collection(
                    spec["collectionName"], **concern_options(spec.get("collectionOptions")))
            elif kind == "session":
                entities[spec["id"]] = entities[spec["client"]].start_session(
                    **session_options(spec.get("sessionOptions")))

    # ----- operations ---------------------------------------------------- #

    @staticmethod
    def _session(entities: dict, a: Mapping) -> pymongo.client_session.ClientSession:
        session = entities.get(a.get("session"))
        if not isinstance(session, pymongo.client_session.ClientSession):
            raise SkipTest(f"session entity {a.get('session')!r} not found")
        return session

    def run_test_runner_op(self, op: dict, entities: dict) -> None:
        a = op.get("arguments") or {}
        name = op["name"]
        if name == "createEntities":
            self.create_entities(a["entities"], entities)
        elif name == "assertSessionTransactionState":
            session = self._session(entities, a)
            state = _TXN_STATES.get(session._transaction.state, str(session._transaction.state))
            if state != a["state"]:
                raise TestFailure(f"session {a['session']} is in transaction state {state}, expected {a['state']}")
        elif name in ("assertSessionPinned", "assertSessionUnpinned"):
            # Only sessions in a sharded transaction are pinned (to a mongos).
            pinned = self._session(entities, a)._transaction.pinned_address is not None
            if pinned != (name == "assertSessionPinned"):
                raise TestFailure(f"session {a['session']} is {'pinned' if pinned else 'not pinned'}")
        elif name in ("assertSessionDirty", "assertSessionNotDirty"):
            # The driver marks a server session dirty after a network error.
            server_session = self._session(entities, a)._server_session
            dirty = bool(server_session is not None and server_session.dirty)
            if dirty != (name == "assertSessionDirty"):
                raise TestFailure(f"session {a['session']} is {'dirty' if dirty else 'not dirty'}")
        elif name in ("assertCollectionExists", "assertCollectionNotExists"):
            db = self.internal[a["databaseName"]]
            exists = a["collectionName"] in db.list_collection_names()
            if exists != (name == "assertCollectionExists"):
                raise TestFailure(f"collection {a['databaseName']}.{a['collectionName']} "
                                  f"{'does not exist' if name == 'assertCollectionExists' else 'exists'}")
        elif name in ("assertIndexExists", "assertIndexNotExists"):
            db = self.internal[a["databaseName"]]
            names = [ix["name"] for ix in db[a["collectionName"]].list_indexes()] \
                if a["collectionName"] in db.list_collection_names() else []
            exists = a["indexName"] in names
            if exists != (name == "assertIndexExists"):
                raise TestFailure(f"index {a['indexName']} on {a['databaseName']}.{a['collectionName']} "
                                  f"{'does not exist' if name == 'assertIndexExists' else 'exists'} (indexes: {names})")
        else:
            raise SkipTest(f"operation {name} not supported by the runner")

    def execute(self, op: dict, entities: dict, matcher: Matcher) -> Any:
        """Runs one entity operation and returns its result as a document/value (UNSET for none)."""
        args = copy.deepcopy(op.get("arguments") or {})
        if "session" in args:
            args["session"] = self._session(entities, args)
        if op["object"] not in entities:
            raise TestFailure(f"entity {op['object']!r} does not exist (an earlier operation did not create it)")
        target = entities[op["object"]]
        name = op["name"]
        if name == "withTransaction":
            return self.with_transaction(target, args, entities, matcher)
        if name not in TRANSACTION_OPTION_OPERATIONS:
            concern = {k: args.pop(k) for k in ("readConcern", "readPreference", "writeConcern") if k in args}
            if concern and name != "runCommand":
                target = target.with_options(**concern_options(concern))
            elif "readPreference" in concern:
                args["readPreference"] = concern["readPreference"]
        _, handler, _ = OPERATIONS[name]
        return handler(target, args)

    def with_transaction(self, session, args: dict, entities: dict, matcher: Matcher) -> Any:
        """withTransaction: pymongo's with_transaction runs the callback's operations (again when it
        retries a TransientTransactionError), then commits."""
        callback_ops = args.pop("callback", [])

        def callback(_session):
            for inner in callback_ops:
                self.run_operation(inner, entities, matcher, in_callback=True)

        session.with_transaction(callback, **transaction_options(args))
        return UNSET

    def run_operation(self, op: dict, entities: dict, matcher: Matcher, in_callback: bool = False) -> None:
        """Runs one operation and checks its expectResult/expectError (saveResultAsEntity too).

        in_callback: the operation is in a withTransaction callback, where an unexpected error
        propagates as it is, so that with_transaction can retry or abort the transaction."""
        if op["object"] == "testRunner":
            self.run_test_runner_op(op, entities)
            return
        try:
            result = self.execute(op, entities, matcher)
        except (SkipTest, TestFailure):
            raise
        except Exception as exc:  # noqa: BLE001 - any error may be the expected one
            if op.get("ignoreResultAndError"):
                return
            if "expectError" not in op:
                if in_callback:
                    raise
                raise TestFailure(f"unexpected error {type(exc).__name__}: {_error_text(exc)}") from exc
            self.check_error(op["expectError"], exc, matcher)
            return
        if op.get("ignoreResultAndError"):
            return
        if "expectError" in op:
            raise TestFailure(f"expected an error {_short(op['expectError'])}, got result {_short(result)}")
        if "expectResult" in op:
            root = op["name"] not in ("distinct", "listCollectionNames", "listDatabaseNames", "listIndexNames")
            matcher.match(op["expectResult"], result, root=root, path="result")
        if "saveResultAsEntity" in op:
            entities[op["saveResultAsEntity"]] = result

    def check_error(self, expected: dict, exc: BaseException, matcher: Matcher) -> None:
        """Evaluates an expectedError object against the raised exception."""
        is_server = isinstance(exc, OperationFailure)
        details = (getattr(exc, "details", None) or {}) if is_server else {}
        # A bulk write error aggregates several server errors: any of them may satisfy an assertion.
        sub_errors = [details] if is_server else []
        if isinstance(exc, BulkWriteError):
            sub_errors = list(details.get("writeErrors", [])) + list(details.get("writeConcernErrors", []))
        elif is_server and isinstance(details.get("writeConcernError"), Mapping):
            sub_errors.append(details["writeConcernError"])
        codes = {e.get("code") for e in sub_errors} | ({exc.code} if is_server else set())
        code_names = {str(e.get("codeName", "")).lower() for e in sub_errors}
        messages = [str(e.get("errmsg", "")) for e in sub_errors] or [str(exc)]
        describe = f"{type(exc).__name__}: {_error_text(exc)}"

        if "isError" in expected:
            pass  # an error was raised
        if "isClientError" in expected and expected["isClientError"] == is_server:
            raise TestFailure(f"expected a {'client' if expected['isClientError'] else 'server'} error, got {describe}")
        if "isTimeoutError" in expected and bool(getattr(exc, "timeout", False)) != expected["isTimeoutError"]:
            raise TestFailure(f"expected isTimeoutError={expected['isTimeoutError']}, got {describe}")
        if "errorContains" in expected:
            needle = expected["errorContains"].lower()
            if not any(needle in m.lower() for m in messages):
                raise TestFailure(f"expected an error containing {expected['errorContains']!r}, got {describe}")
        if "errorCode" in expected and expected["errorCode"] not in codes:
            raise TestFailure(f"expected error code {expected['errorCode']}, got {describe}")
        if "errorCodeName" in expected:
            name = expected["errorCodeName"]
            if name.lower() not in code_names and ERROR_CODES.get(name, object()) not in codes:
                raise TestFailure(f"expected error code name {name}, got {describe}")
        for label in expected.get("errorLabelsContain", []):
            if not (isinstance(exc, PyMongoError) and exc.has_error_label(label)):
                raise TestFailure(f"expected error label {label}, got {describe}")
        for label in expected.get("errorLabelsOmit", []):
            if isinstance(exc, PyMongoError) and exc.has_error_label(label):
                raise TestFailure(f"expected no error label {label}, got {describe}")
        if "errorResponse" in expected:
            if not is_server:
                raise TestFailure(f"expected a server error response, got {describe}")
            response = details
            if isinstance(exc, BulkWriteError) and details.get("writeErrors"):
                response = details["writeErrors"][0]
            matcher.match(expected["errorResponse"], response, root=True, path="errorResponse")
        if "expectResult" in expected:
            partial = bulk_result(details) if isinstance(exc, BulkWriteError) else UNSET
            matcher.match(expected["expectResult"], partial, root=True, path="error.result")
        for key in ("writeErrors", "writeConcernErrors"):
            if key in expected:
                raise SkipTest(f"expectError.{key} not supported by the runner")

    # ----- one test ------------------------------------------------------ #

    def run_test(self, test: dict) -> Result:
        desc = test["description"]
        reason = self.test_skip_reason(test)
        if reason:
            return Result(self.name, desc, "skip", reason)
        entities: dict = {}
        step = "set-up"
        try:
            self.reset_state(test)
            self.create_entities(self.spec.get("createEntities", []), entities)
            matcher = Matcher(entities)
            for i, op in enumerate(test["operations"]):
                step = f"op {i} {op['name']}"
                self.run_operation(op, entities, matcher)
            step = "outcome"
            self.flush(entities)
            for cd in test.get("outcome", []):
                coll = self.internal[cd["databaseName"]].get_collection(
                    cd["collectionName"], read_preference=Primary(), read_concern=ReadConcern("local"))
                actual = list(coll.find({}, sort=[("_id", 1)]))
                match_outcome(cd["documents"], actual, f"{cd['databaseName']}.{cd['collectionName']}")
            return Result(self.name, desc, "pass", "")
        except SkipTest as e:
            return Result(self.name, desc, "skip", str(e))
        except TestFailure as e:
            return Result(self.name, desc, "fail", f"{step}: {e}")
        except Exception as e:  # noqa: BLE001 - set-up errors and runner bugs are reported, not raised
            return Result(self.name, desc, "fail", f"{step}: {type(e).__name__}: {_error_text(e)}")
        finally:
            self.cleanup(entities)

    @staticmethod
    def cleanup(entities: dict) -> None:
        """Closes the test's change streams and cursors, then ends its sessions (aborting
        a transaction left open). Clients are kept for the file's other tests."""
        streams = [e for e in entities.values() if _entity_kind(e) in ("changeStream", "cursor")]
        sessions = [e for e in entities.values() if _entity_kind(e) == "session"]
        for ent in streams:
            try:
                ent.close()
            except PyMongoError:
                pass
        for ent in sessions:
            try:
                ent.end_session()
            except PyMongoError:
                pass

    def flush(self, entities: dict) -> None:
        """Makes unacknowledged (w:0) writes visible before reading the outcome: a command on
        each client runs after them on the same (pooled, reused) connection."""
        for client in {id(c): c for c in entities.values() if isinstance(c, pymongo.MongoClient)}.values():
            try:
                client.admin.command("ping")
            except PyMongoError:
                pass

    def run(self) -> list[Result]:
        tests = self.spec.get("tests", [])
        reason = self.file_skip_reason()
        if reason:
            return [Result(self.name, t["description"], "skip", reason) for t in tests]
        return [self.run_test(t) for t in tests]


def _error_text(exc: BaseException) -> str:
    """A one-line description of an error: the server's code, name and message when there are."""
    if isinstance(exc, BulkWriteError):
        errs = exc.details.get("writeErrors") or exc.details.get("writeConcernErrors") or []
        if errs:
            e = errs[0]
            return f"code {e.get('code')} {e.get('codeName', '')}: {e.get('errmsg', '')}".replace("  ", " ")
    if isinstance(exc, OperationFailure):
        d = exc.details or {}
        return f"code {exc.code} {d.get('codeName', '')}: {d.get('errmsg', str(exc))}".replace("  ", " ")
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__


def run_file(path: str, client_factory: Callable[..., pymongo.MongoClient]) -> list[Result]:
    """Runs every test of one unified-format file; returns one Result per test."""
    runner = FileRunner(path, client_factory)
    try:
        return runner.run()
    finally:
        runner.close()


if __name__ == "__main__":
    uri, files = sys.argv[1], sys.argv[2:]
    for f in files:
        for r in run_file(f, lambda **kw: pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000, **kw)):
            print(f"{r.status.upper():4} {r.file} :: {r.description}" + (f"\n     {r.reason}" if r.reason else ""))
