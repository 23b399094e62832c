"""Acceptance probes for the aggregation expression language (issue 12).

Every case in probes/expression_cases.py (an expression, accumulator or stage
with its input documents) runs on `argonctl serve` and on SecantusDB, a
MongoDB-compatible reference server. Results are compared with their BSON
types (int32, int64, double and Decimal128 are all different), field order
and document order (documents in any order only where a case says
`unordered`), doubles with a relative tolerance of 1e-12 and NaN equal to
NaN; errors by their code only.

A case with `expect` (or `error`) is judged against that instead of the
reference: `expect` is the result the MongoDB manual documents (the case
names the page in `manual`), used where SecantusDB is wrong or cannot run
the case; `error` is mongod's error code.

probes/known-disagreements.txt lists the cases where argonctl does not agree
yet, one name a line (`# reason` comments allowed). The test fails when a case
that is not listed disagrees, and when a listed case agrees (remove it from
the file: the list only shrinks).

  .venv/bin/python -m pytest -q tests/wire/test_expression_probes.py
  PROBES_K='$dateToString' ...          runs only the cases whose name contains it
  PROBES_WRITE_KNOWN=1 ...              rewrites known-disagreements.txt from this run
  PROBES_SHOW=1 ...                     prints both results of every disagreement
"""

import calendar
import copy
import datetime
import math
import os
import pathlib
import sys
import time

import pymongo
import pytest
from bson import Binary, Code, Decimal128, Int64, MaxKey, MinKey, ObjectId, Regex, Timestamp
from bson.codec_options import CodecOptions, DatetimeConversion
from bson.datetime_ms import DatetimeMS
from pymongo.errors import AutoReconnect, OperationFailure, ServerSelectionTimeoutError

from conftest import ROOT, SUMMARIES

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "benches"))
sys.path.insert(0, str(HERE / "probes"))
from wire_bench import start_secantus  # noqa: E402  (the bench's startup code)
from expression_cases import CASES  # noqa: E402

KNOWN_FILE = HERE / "probes" / "known-disagreements.txt"
DB = "probes"
CODEC = CodecOptions(datetime_conversion=DatetimeConversion.DATETIME_AUTO, tz_aware=True)
TOLERANCE = 1e-12


def read_known():
    known = {}
    if KNOWN_FILE.exists():
        for line in KNOWN_FILE.read_text().splitlines():
            name, _, reason = line.partition("#")
            name = name.strip()
            if name:
                known[name] = reason.strip()
    return known


KNOWN = read_known()
SELECTED = [c for c in CASES if os.environ.get("PROBES_K", "") in c["name"]]


# ---------------------------------------------------------------- comparison


def norm(v):
    """A value as a tagged tree: BSON type names kept, dict field order kept."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, Int64):
        return ("long", int(v))
    if isinstance(v, int):
        return ("int", v) if -(2**31) <= v < 2**31 else ("long", v)
    if isinstance(v, float):
        return ("double", v)
    if isinstance(v, Decimal128):
        return ("decimal", str(v))
    if isinstance(v, str):
        return ("string", v)
    if v is None:
        return ("null",)
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return ("date", calendar.timegm(v.timetuple()) * 1000 + v.microsecond // 1000)
    if isinstance(v, DatetimeMS):
        return ("date", int(v))
    if isinstance(v, dict):
        return ("object", tuple((k, norm(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple)):
        return ("array", tuple(norm(x) for x in v))
    if isinstance(v, ObjectId):
        return ("objectId", str(v))
    if isinstance(v, Regex):
        return ("regex", v.pattern, "".join(sorted(str(v.flags) if isinstance(v.flags, str) else "")))
    if isinstance(v, Binary):
        return ("binData", v.subtype, bytes(v))
    if isinstance(v, bytes):
        return ("binData", 0, v)
    if isinstance(v, Timestamp):
        return ("timestamp", v.time, v.inc)
    if isinstance(v, MinKey):
        return ("minKey",)
    if isinstance(v, MaxKey):
        return ("maxKey",)
    if isinstance(v, Code):
        return ("javascript", str(v))
    return ("other", type(v).__name__, repr(v))


def same(a, b):
    """Tagged trees equal, doubles within TOLERANCE (relative), NaN == NaN."""
    if a[0] != b[0] or len(a) != len(b):
        return False
    tag = a[0]
    if tag == "double":
        x, y = a[1], b[1]
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        if math.isinf(x) or math.isinf(y):
            return x == y
        return x == y or abs(x - y) <= TOLERANCE * max(abs(x), abs(y))
    if tag == "object":
        return len(a[1]) == len(b[1]) and all(ka == kb and same(va, vb) for (ka, va), (kb, vb) in zip(a[1], b[1]))
    if tag == "array":
        return len(a[1]) == len(b[1]) and all(same(x, y) for x, y in zip(a[1], b[1]))
    return a == b


def outcome_key(case, outcome):
    """An outcome made comparable: ("ok", docs) or ("error", code)."""
    kind, value = outcome
    if kind != "ok":
        return outcome
    docs = [norm(d) for d in value]
    if case.get("unordered"):
        docs.sort(key=repr)
    return ("ok", ("array", tuple(docs)))


def agree(case, got, want):
    g, w = outcome_key(case, got), outcome_key(case, want)
    if g[0] != w[0]:
        return False
    if g[0] == "ok":
        return same(g[1], w[1])
    return g == w


def expected_outcome(case, reference):
    if "error" in case:
        return ("error", case["error"])
    if "expect" in case:
        return ("ok", case["expect"])
    return reference


def short(outcome, limit=300):
    text = repr(outcome)
    return text if len(text) <= limit else text[:limit] + "..."


# ---------------------------------------------------------------- running


def run_case(client, case):
    db = client.get_database(DB, codec_options=CODEC)
    colls = {"c": case["docs"], **case.get("colls", {})}
    for name, docs in colls.items():
        db[name].drop()
        if docs:
            db[name].insert_many(copy.deepcopy(docs))
    try:
        target = db if case.get("db_level") else db.c
        return ("ok", list(target.aggregate(copy.deepcopy(case["pipeline"]))))
    except OperationFailure as e:
        return ("error", e.code)


class Side:
    """One server: a client, and for argonctl a way to come back after a crash."""

    def __init__(self, name, connect, restart=None):
        self.name, self.connect, self.restart = name, connect, restart
        self.client = connect()

    def run(self, case):
        try:
            return run_case(self.client, case)
        except (AutoReconnect, ServerSelectionTimeoutError) as e:
            if self.restart is None:
                return ("exception", f"{type(e).__name__}: {e}")
            self.client.close()
            self.restart()
            self.client = self.connect()
            return ("exception", f"server died or hung: {type(e).__name__}")
        except Exception as e:  # a reply pymongo cannot decode, a bad cursor, ...
            return ("exception", f"{type(e).__name__}: {e}")


@pytest.fixture(scope="module")
def secantus_side():
    proc, uri = start_secantus()
    connect = lambda: pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000, socketTimeoutMS=20000)  # noqa: E731
    side = Side("SecantusDB", connect)
    try:
        side.client.admin.command("ping")
    except Exception as e:  # pragma: no cover - environment problem
        proc.kill()
        pytest.fail(f"SecantusDB did not start ({uri}): {e}; is `secantusdb` installed (tests/wire/requirements.txt)?")
    yield side
    side.client.close()
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def outcomes(argon, secantus_side):
    def restart():
        if argon.proc.poll() is None:
            argon.proc.kill()
            argon.proc.wait(timeout=20)
        argon.start()

    connect = lambda: argon.client(socketTimeoutMS=20000)  # noqa: E731
    argon_side = Side("argonctl", connect, restart)
    results = {}
    t0 = time.time()
    for case in SELECTED:
        ref = secantus_side.run(case)
        got = argon_side.run(case)
        want = expected_outcome(case, ref)
        results[case["name"]] = {"ref": ref, "got": got, "want": want, "agree": agree(case, got, want)}
    elapsed = time.time() - t0
    argon_side.client.close()
    _report(results, elapsed)
    return results


def _report(results, elapsed):
    total = len(results)
    agreeing = sum(r["agree"] for r in results.values())
    by_group = {}
    for case in SELECTED:
        g = by_group.setdefault(case["group"], [0, 0])
        g[0] += results[case["name"]]["agree"]
        g[1] += 1
    groups = ", ".join(f"{k} {a}/{n}" for k, (a, n) in by_group.items())
    pct = 100.0 * agreeing / total if total else 0.0
    SUMMARIES.append(f"expression probes: argonctl agrees on {agreeing}/{total} cases ({pct:.1f}%) in {elapsed:.1f}s; {groups}")
    # where the reference itself is not what the manual/mongod says (informational)
    pinned_wrong = [c["name"] for c in SELECTED if ("expect" in c or "error" in c) and not agree(c, results[c["name"]]["ref"], results[c["name"]]["want"])]
    if pinned_wrong:
        SUMMARIES.append(f"expression probes: SecantusDB differs from the pinned result in {len(pinned_wrong)} case(s): " + ", ".join(pinned_wrong))
    fixed = sorted(n for n, r in results.items() if r["agree"] and n in KNOWN)
    if fixed:
        SUMMARIES.append(f"expression probes: {len(fixed)} case(s) in known-disagreements.txt now agree; remove them: " + ", ".join(fixed))
    new = sorted(n for n, r in results.items() if not r["agree"] and n not in KNOWN)
    if new:
        SUMMARIES.append(f"expression probes: {len(new)} case(s) disagree that are not in known-disagreements.txt: " + ", ".join(new))
    if os.environ.get("PROBES_SHOW"):
        for case in SELECTED:
            r = results[case["name"]]
            if not r["agree"]:
                print(f"\n{case['name']}\n  argonctl: {short(r['got'], 600)}\n  expected: {short(r['want'], 600)}")
    if os.environ.get("PROBES_WRITE_KNOWN"):
        lines = [
            "# Expression probe cases (tests/wire/probes/expression_cases.py) where argonctl",
            "# does not agree with the reference yet. Written by PROBES_WRITE_KNOWN=1; this",
            "# list only shrinks: tests/wire/test_expression_probes.py fails when a case",
            "# listed here agrees, and when a case not listed here disagrees.",
        ]
        for case in SELECTED:
            r = results[case["name"]]
            if not r["agree"]:
                lines.append(f"{case['name']}  # {_reason(r['got'], r['want'])}")
        KNOWN_FILE.write_text("\n".join(lines) + "\n")
        print(f"expression probes: wrote {len(lines) - 4} known disagreements to {KNOWN_FILE}")


def _reason(got, want):
    if got[0] == "error" and want[0] != "error":
        return f"argonctl fails with code {got[1]}"
    if got[0] == "error":
        return f"argonctl code {got[1]}, expected {want[1]}"
    if want[0] == "error":
        return f"argonctl succeeds, expected code {want[1]}"
    if got[0] == "exception":
        return f"argonctl: {got[1]}"[:120]
    return "different result"


def _param(case):
    marks = []
    if case["name"] in KNOWN:
        marks.append(pytest.mark.xfail(strict=True, reason="listed in known-disagreements.txt; if it agrees now, remove it there"))
    return pytest.param(case, id=case["name"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in SELECTED])
def test_probe(case, outcomes):
    r = outcomes[case["name"]]
    assert r["agree"], (
        f"{case['name']}: argonctl does not agree with "
        f"{'the pinned result' if ('expect' in case or 'error' in case) else 'SecantusDB'}\n"
        f"  pipeline: {short(case['pipeline'], 600)}\n"
        f"  argonctl: {short(r['got'], 600)}\n"
        f"  expected: {short(r['want'], 600)}"
    )


def test_cases_are_well_formed():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for c in CASES:
        if "expect" in c:
            assert c.get("manual", "").startswith("reference/") or c.get("source"), f"{c['name']}: a pinned result names its manual page (or mongod source)"
    stale = sorted(set(KNOWN) - set(names))
    assert not stale, "known-disagreements.txt names cases that do not exist: " + ", ".join(stale)


def test_summary(outcomes):
    assert len(CASES) >= 300, f"only {len(CASES)} probe cases"
    fixed = sorted(n for n, r in outcomes.items() if r["agree"] and n in KNOWN)
    assert not fixed, "these cases agree now; remove them from known-disagreements.txt: " + ", ".join(fixed)
