"""Cases of tests/wire/test_expression_probes.py.

Each case is a dict:
  name       unique, "<operator or stage>/<what>"
  group      the operator group (set by section() below)
  docs       documents inserted into collection `c` (a missing _id becomes 1, 2, ...)
  colls      other collections of the case: {name: docs} (for $lookup, $unionWith, ...)
  pipeline   run with `c.aggregate` (or `db.aggregate` where db_level is set)
  unordered  the result documents may come in any order
  expect     the result the MongoDB manual documents; then the case is judged
             against it instead of SecantusDB, and `manual` names the page
  error      mongod's error code; then the case is judged against it
  manual     the manual page the case comes from (reference/operator/aggregation/<op>)

Many cases are the manual's own examples, with the manual's data.
"""

from datetime import datetime

from bson import Binary, Decimal128, Int64, ObjectId, Regex

CASES = []
_NAMES = set()
_GROUP = [None]


def section(group):
    _GROUP[0] = group


def dt(s):
    """An ISO date string (UTC, "Z" optional) as a datetime."""
    s = s.replace("Z", "")
    if "T" not in s:
        s += "T00:00:00"
    return datetime.fromisoformat(s + "+00:00")


def dec(s):
    return Decimal128(s)


L = Int64
M = "reference/operator/aggregation/"
# where a pinned result comes from mongod's source rather than a manual example
SRC_EXPR = "mongod 8.0 src/mongo/db/pipeline/expression.cpp"


def case(name, docs, pipeline, **kw):
    assert name not in _NAMES, name
    _NAMES.add(name)
    fixed = []
    for i, d in enumerate(docs):
        fixed.append(d if "_id" in d else {"_id": i + 1, **d})
    c = {"name": name, "group": _GROUP[0], "docs": fixed, "pipeline": pipeline}
    if "manual" in kw and not kw["manual"].startswith("reference/"):
        kw["manual"] = M + kw["manual"]
    if "colls" in kw:
        kw["colls"] = {k: [d if "_id" in d else {"_id": i + 1, **d} for i, d in enumerate(v)] for k, v in kw["colls"].items()}
    c.update(kw)
    CASES.append(c)


def expr(name, e, doc=None, **kw):
    """One document, one computed field `r` (and nothing else)."""
    case(name, [doc if doc is not None else {"_id": 1}], [{"$project": {"_id": 0, "r": e}}], **kw)


def each(name, e, docs, **kw):
    """Several documents in _id order, each with `r` computed by e."""
    case(name, docs, [{"$sort": {"_id": 1}}, {"$project": {"r": e}}], **kw)


def proj(name, docs, spec, **kw):
    """Several documents in _id order through a $project spec."""
    case(name, docs, [{"$sort": {"_id": 1}}, {"$project": spec}], **kw)


def grp(name, docs, group, **kw):
    """A $group, its groups sorted by _id."""
    case(name, docs, [{"$group": group}, {"$sort": {"_id": 1}}], **kw)


# numbers of every numeric type, used across groups
NUMS = [
    {"_id": 1, "a": 5, "b": 2},
    {"_id": 2, "a": L(5), "b": 2},
    {"_id": 3, "a": 5.0, "b": 2},
    {"_id": 4, "a": dec("5"), "b": 2},
    {"_id": 5, "a": -5, "b": L(-2)},
    {"_id": 6, "a": 2.5, "b": dec("0.5")},
    {"_id": 7, "a": None, "b": 1},
    {"_id": 8, "b": 1},
]

# ================================================================ arithmetic
section("arithmetic")

TEMPS = [
    {"_id": 1, "startTemp": 50, "endTemp": 80},
    {"_id": 2, "startTemp": 40, "endTemp": 40},
    {"_id": 3, "startTemp": 90, "endTemp": 70},
    {"_id": 4, "startTemp": 60, "endTemp": 70},
]
proj("$abs/manual", TEMPS, {"delta": {"$abs": {"$subtract": ["$startTemp", "$endTemp"]}}}, manual="abs")
each("$abs/types", {"$abs": "$a"}, NUMS)
expr("$abs/int-min-becomes-long", {"$abs": -2147483648})
expr("$abs/long-min-error", {"$abs": L(-9223372036854775808)}, error=28680)
expr("$abs/nan", {"$abs": float("nan")})
expr("$abs/string-error", {"$abs": "x"}, error=28765)

SALES = [
    {"_id": 1, "item": "abc", "price": 10, "fee": 2, "date": dt("2014-03-01T08:00:00Z")},
    {"_id": 2, "item": "jkl", "price": 20, "fee": 1, "date": dt("2014-03-01T09:00:00Z")},
    {"_id": 3, "item": "xyz", "price": 5, "fee": 0, "date": dt("2014-03-15T09:00:00Z")},
]
proj("$add/manual-numbers", SALES, {"item": 1, "total": {"$add": ["$price", "$fee"]}}, manual="add")
proj("$add/manual-date", SALES, {"item": 1, "billing_date": {"$add": ["$date", 3 * 24 * 60 * 60000]}}, manual="add")
each("$add/types", {"$add": ["$a", "$b"]}, NUMS)
expr("$add/int-overflow-to-long", {"$add": [2147483647, 1]})
expr("$add/long-overflow-to-double", {"$add": [L(9223372036854775807), 1]})
expr("$add/int-long-double-decimal", {"$add": [1, L(2), 0.5, dec("0.25")]})
expr("$add/decimal-exact", {"$add": [dec("0.1"), dec("0.2")]})
expr("$add/double-inexact", {"$add": [0.1, 0.2]})
expr("$add/empty", {"$add": []})
expr("$add/null", {"$add": [1, None]})
expr("$add/missing", {"$add": [1, "$nope"]})
expr("$add/string-error", {"$add": [1, "x"]}, error=14)
expr("$add/two-dates-error", {"$add": [dt("2020-01-01"), dt("2020-01-02")]}, error=16612)
expr("$add/date-and-double-rounds", {"$add": [dt("2020-01-01"), 1.6]}, expect=[{"r": dt("2020-01-01T00:00:00.002Z")}], source=SRC_EXPR)
expr("$add/date-decimal", {"$add": [dt("2020-01-01"), dec("1000")]})

CEIL = [
    {"_id": 1, "value": 9.25},
    {"_id": 2, "value": 8.73},
    {"_id": 3, "value": 4.32},
    {"_id": 4, "value": -5.34},
]
proj("$ceil/manual", CEIL, {"value": 1, "ceilingValue": {"$ceil": "$value"}}, manual="ceil")
each("$ceil/types", {"$ceil": "$a"}, NUMS + [{"_id": 9, "a": dec("-1.5")}])
proj("$floor/manual", CEIL, {"value": 1, "floorValue": {"$floor": "$value"}}, manual="floor")
each("$floor/types", {"$floor": "$a"}, NUMS + [{"_id": 9, "a": dec("-1.5")}, {"_id": 10, "a": -0.5}])

PLANNING = [
    {"_id": 1, "name": "A", "hours": 80, "resources": 7},
    {"_id": 2, "name": "B", "hours": 40, "resources": 4},
]
proj("$divide/manual", PLANNING, {"name": 1, "workdays": {"$divide": ["$hours", 8]}}, manual="divide")
# mongod turns a double into a Decimal128 of 15 significant digits
# (Decimal128(double, kRoundTo15Digits), as $toDecimal: 2.5 -> 2.50000000000000)
# before decimal arithmetic, so the result keeps that exponent.
NUMS_DEC_NOTE = SRC_EXPR + " with src/mongo/platform/decimal128.cpp"
each("$divide/types", {"$divide": ["$a", "$b"]}, NUMS, source=NUMS_DEC_NOTE,
     expect=[{"_id": 1, "r": 2.5}, {"_id": 2, "r": 2.5}, {"_id": 3, "r": 2.5}, {"_id": 4, "r": dec("2.5")},
             {"_id": 5, "r": 2.5}, {"_id": 6, "r": dec("5.0000000000000")}, {"_id": 7, "r": None}, {"_id": 8, "r": None}])
expr("$divide/long-by-long", {"$divide": [L(10), L(4)]})
expr("$divide/decimal-precision", {"$divide": [dec("1"), dec("3")]})
expr("$divide/by-zero-error", {"$divide": [1, 0]}, error=2)
expr("$divide/by-zero-double-error", {"$divide": [1, 0.0]}, error=2)
expr("$divide/by-zero-decimal-error", {"$divide": [dec("1"), dec("0")]}, error=2)
expr("$divide/null", {"$divide": [None, 0]})
expr("$divide/string-error", {"$divide": ["a", 1]}, error=14)

ACCOUNTS = [
    {"_id": 1, "interestRate": 0.08, "presentValue": 10000},
    {"_id": 2, "interestRate": 0.0825, "presentValue": 250000},
    {"_id": 3, "interestRate": 0.0425, "presentValue": 1000},
]
proj("$exp/manual", ACCOUNTS, {"effectiveRate": {"$subtract": [{"$exp": "$interestRate"}, 1]}}, manual="exp")
each("$exp/types", {"$exp": "$a"}, NUMS[:4] + NUMS[6:])
expr("$exp/decimal", {"$exp": dec("1")})

LNSALES = [
    {"_id": 1, "year": "2000", "sales": 8700000},
    {"_id": 2, "year": "2005", "sales": 5000000},
    {"_id": 3, "year": "2010", "sales": 6250000},
]
proj("$ln/manual", LNSALES, {"x": "$year", "y": {"$ln": "$sales"}}, manual="ln")
expr("$ln/decimal", {"$ln": dec("10")})
expr("$ln/null", {"$ln": None})
expr("$ln/zero-error", {"$ln": 0}, error=28766)
expr("$ln/string-error", {"$ln": "e"}, error=28765)

LOGS = [
    {"_id": 1, "positiveInt": 5},
    {"_id": 2, "positiveInt": 2},
    {"_id": 3, "positiveInt": 23},
    {"_id": 4, "positiveInt": 10},
]
proj("$log/manual", LOGS, {"bitsNeeded": {"$floor": {"$add": [1, {"$log": ["$positiveInt", 2]}]}}}, manual="log")
expr("$log/decimal", {"$log": [dec("100"), dec("10")]})
expr("$log/null-base", {"$log": [100, None]})
expr("$log/base-one-error", {"$log": [100, 1]}, error=28759)
expr("$log/negative-error", {"$log": [-1, 10]}, error=28758)

H3O = [{"_id": 1, "H3O": 0.0025}, {"_id": 2, "H3O": 0.001}, {"_id": 3, "H3O": 0.02}]
proj("$log10/manual", H3O, {"pH": {"$multiply": [-1, {"$log10": "$H3O"}]}}, manual="log10")
expr("$log10/decimal", {"$log10": dec("1000")})
expr("$log10/negative-error", {"$log10": -1}, error=28761)

MODP = [
    {"_id": 1, "city": "New York", "hours": 80, "tasks": 7},
    {"_id": 2, "city": "Singapore", "hours": 40, "tasks": 4},
]
proj("$mod/manual", MODP, {"remainder": {"$mod": ["$hours", "$tasks"]}}, manual="mod")
proj("$mod/manual-negative", [{"_id": 1, "city": "New York", "hours": -80, "tasks": 7}], {"remainder": {"$mod": ["$hours", "$tasks"]}}, manual="mod")
each("$mod/types", {"$mod": ["$a", "$b"]}, NUMS, source=NUMS_DEC_NOTE,
     expect=[{"_id": 1, "r": 1}, {"_id": 2, "r": L(1)}, {"_id": 3, "r": 1.0}, {"_id": 4, "r": dec("1")},
             {"_id": 5, "r": L(-1)}, {"_id": 6, "r": dec("0E-14")}, {"_id": 7, "r": None}, {"_id": 8, "r": None}])
expr("$mod/double", {"$mod": [5.5, 2]})
expr("$mod/by-zero-error", {"$mod": [5, 0]}, error=16610)
expr("$mod/null", {"$mod": [None, 2]})

MSALES = [
    {"_id": 1, "item": "abc", "price": 10, "quantity": 2, "date": dt("2014-03-01T08:00:00Z")},
    {"_id": 2, "item": "jkl", "price": 20, "quantity": 1, "date": dt("2014-03-01T09:00:00Z")},
    {"_id": 3, "item": "xyz", "price": 5, "quantity": 10, "date": dt("2014-03-15T09:00:00Z")},
]
proj("$multiply/manual", MSALES, {"date": 1, "item": 1, "total": {"$multiply": ["$price", "$quantity"]}}, manual="multiply")
each("$multiply/types", {"$multiply": ["$a", "$b"]}, NUMS)
expr("$multiply/int-overflow-to-long", {"$multiply": [65536, 65536]})
expr("$multiply/long-overflow-to-double", {"$multiply": [L(4611686018427387904), 4]})
expr("$multiply/empty", {"$multiply": []})
expr("$multiply/decimal", {"$multiply": [dec("1.10"), dec("3")]})
expr("$multiply/string-error", {"$multiply": [2, "x"]}, error=14)

QUIZ = [
    {"_id": 1, "scores": [{"name": "dave123", "score": 85}, {"name": "dave2", "score": 90}, {"name": "ahn", "score": 71}]},
    {"_id": 2, "scores": [{"name": "li", "quiz": 2, "score": 96}, {"name": "annT", "score": 77}, {"name": "ty", "score": 82}]},
]
expr("$pow/manual", {"$pow": [5, 2]}, manual="pow")
proj("$pow/variance-of-array", [{"_id": 1, "scores": [85, 90, 71]}, {"_id": 2, "scores": [96, 77, 82]}], {"variance": {"$pow": [{"$stdDevPop": "$scores"}, 2]}})
expr("$pow/int-int", {"$pow": [2, 10]})
expr("$pow/int-overflow-to-long", {"$pow": [2, 40]})
expr("$pow/long-overflow-to-double", {"$pow": [2, 70]})
expr("$pow/negative-exponent", {"$pow": [2, -1]})
expr("$pow/decimal", {"$pow": [dec("1.5"), 2]})
expr("$pow/zero-to-negative-error", {"$pow": [0, -1]}, error=28764)
expr("$pow/null", {"$pow": [None, 2]})

ROUND = [
    {"_id": 1, "value": 19.25},
    {"_id": 2, "value": 28.73},
    {"_id": 3, "value": 34.32},
    {"_id": 4, "value": -45.39},
]
proj("$round/manual-1-place", ROUND, {"roundedValue": {"$round": ["$value", 1]}}, manual="round")
proj("$round/manual-minus-1-place", ROUND, {"roundedValue": {"$round": ["$value", -1]}}, manual="round")
proj("$round/manual-0-places", ROUND, {"roundedValue": {"$round": ["$value", 0]}}, manual="round")
expr("$round/half-to-even", [{"$round": 10.5}, {"$round": 11.5}, {"$round": -2.5}, {"$round": 2.5}])
expr("$round/int-negative-place", {"$round": [1234, -2]})
expr("$round/int-stays-int", {"$round": [5, 2]})
expr("$round/long", {"$round": [L(1250), -2]})
expr("$round/decimal", {"$round": [dec("1.2345"), 2]})
expr("$round/decimal-half-even", {"$round": [dec("0.125"), 2]})
expr("$round/null-place", {"$round": [1.5, None]})
expr("$round/place-out-of-range-error", {"$round": [1.5, 101]}, error=51083)

POINTS = [
    {"_id": 1, "p1": {"x": 5, "y": 8}, "p2": {"x": 0, "y": 5}},
    {"_id": 2, "p1": {"x": -2, "y": 1}, "p2": {"x": 1, "y": 5}},
    {"_id": 3, "p1": {"x": 4, "y": 4}, "p2": {"x": 4, "y": 0}},
]
proj("$sqrt/manual", POINTS, {"distance": {"$sqrt": {"$add": [
    {"$pow": [{"$subtract": ["$p2.y", "$p1.y"]}, 2]},
    {"$pow": [{"$subtract": ["$p2.x", "$p1.x"]}, 2]},
]}}}, manual="sqrt")
expr("$sqrt/int", {"$sqrt": 16})
expr("$sqrt/decimal", {"$sqrt": dec("2")})
expr("$sqrt/negative-error", {"$sqrt": -1}, error=28714)

SSALES = [
    {"_id": 1, "item": "abc", "price": 10, "fee": 2, "discount": 5, "date": dt("2014-03-01T08:00:00Z")},
    {"_id": 2, "item": "jkl", "price": 20, "fee": 1, "discount": 2, "date": dt("2014-03-01T09:00:00Z")},
]
proj("$subtract/manual-numbers", SSALES, {"item": 1, "total": {"$subtract": [{"$add": ["$price", "$fee"]}, "$discount"]}}, manual="subtract")
proj("$subtract/manual-date-minus-ms", SSALES, {"item": 1, "dateDifference": {"$subtract": ["$date", 5 * 60 * 1000]}}, manual="subtract")
expr("$subtract/dates-give-long", {"$subtract": [dt("2020-01-02"), dt("2020-01-01")]})
each("$subtract/types", {"$subtract": ["$a", "$b"]}, NUMS)
expr("$subtract/int-underflow-to-long", {"$subtract": [-2147483648, 1]})
expr("$subtract/number-minus-date-error", {"$subtract": [1, dt("2020-01-01")]}, error=14)

proj("$trunc/manual-1-place", ROUND, {"truncatedValue": {"$trunc": ["$value", 1]}}, manual="trunc")
proj("$trunc/manual-minus-1-place", ROUND, {"truncatedValue": {"$trunc": ["$value", -1]}}, manual="trunc")
proj("$trunc/manual-0-places", ROUND, {"truncatedValue": {"$trunc": ["$value", 0]}}, manual="trunc")
each("$trunc/types", {"$trunc": "$a"}, NUMS + [{"_id": 9, "a": dec("-1.75")}])
expr("$trunc/decimal-places", {"$trunc": [dec("1.2399"), 2]})

# ================================================================ array
section("array")

LIST = [
    {"_id": 1, "name": "dave123", "favorites": ["chocolate", "cake", "butter", "apples"]},
    {"_id": 2, "name": "li", "favorites": ["apples", "pudding", "pie"]},
    {"_id": 3, "name": "ahn", "favorites": ["pears", "pecans", "chocolate", "cherries"]},
    {"_id": 4, "name": "ty", "favorites": ["ice cream"]},
]
proj("$arrayElemAt/manual", LIST, {"name": 1, "first": {"$arrayElemAt": ["$favorites", 0]}, "last": {"$arrayElemAt": ["$favorites", -1]}}, manual="arrayElemAt")
expr("$arrayElemAt/out-of-range-missing", {"$arrayElemAt": [[1, 2, 3], 15]})
expr("$arrayElemAt/negative-out-of-range", {"$arrayElemAt": [[1, 2, 3], -4]})
expr("$arrayElemAt/long-index", {"$arrayElemAt": [[1, 2, 3], L(1)]})
expr("$arrayElemAt/double-index", {"$arrayElemAt": [[1, 2, 3], 1.0]})
expr("$arrayElemAt/null-array", {"$arrayElemAt": [None, 0]})
expr("$arrayElemAt/missing-array", {"$arrayElemAt": ["$nope", 0]})
expr("$arrayElemAt/non-array-error", {"$arrayElemAt": ["abc", 0]}, error=28689)
expr("$arrayElemAt/fractional-index-error", {"$arrayElemAt": [[1, 2], 0.5]}, error=28691)

INVENTORY_A2O = [
    {"_id": 1, "item": "ABC1", "dimensions": [{"k": "l", "v": 25}, {"k": "w", "v": 10}, {"k": "uom", "v": "cm"}]},
    {"_id": 2, "item": "ABC2", "dimensions": [["l", 50], ["w", 25], ["uom", "cm"]]},
    {"_id": 3, "item": "ABC3", "dimensions": [["l", 25], ["l", "cm"], ["l", 50]]},
]
proj("$arrayToObject/manual", INVENTORY_A2O, {"item": 1, "dimensions": {"$arrayToObject": "$dimensions"}}, manual="arrayToObject")
expr("$arrayToObject/empty", {"$arrayToObject": [[]]})
expr("$arrayToObject/null", {"$arrayToObject": None})
expr("$arrayToObject/literal-pairs", {"$arrayToObject": {"$literal": [["a", 1], ["b", 2]]}})
expr("$arrayToObject/bad-element-error", {"$arrayToObject": {"$literal": [1, 2]}}, error=40398)

WAREHOUSES = [
    {"_id": 1, "instock": ["chocolate"], "ordered": ["butter", "apples"]},
    {"_id": 2, "instock": ["apples", "pudding", "pie"]},
    {"_id": 3, "instock": ["pears", "pecans"], "ordered": ["cherries"]},
    {"_id": 4, "instock": ["ice cream"], "ordered": []},
]
proj("$concatArrays/manual", WAREHOUSES, {"items": {"$concatArrays": ["$instock", "$ordered"]}}, manual="concatArrays")
expr("$concatArrays/nested-and-empty", {"$concatArrays": [[1, [2]], [], [[3]]]})
expr("$concatArrays/no-args", {"$concatArrays": []})
expr("$concatArrays/non-array-error", {"$concatArrays": [[1], "x"]}, error=28664)

FILTER_SALES = [
    {"_id": 0, "items": [
        {"item_id": 43, "quantity": 2, "price": 10, "name": "pen"},
        {"item_id": 2, "quantity": 1, "price": 240, "name": "briefcase"},
    ]},
    {"_id": 1, "items": [
        {"item_id": 23, "quantity": 3, "price": 110, "name": "notebook"},
        {"item_id": 103, "quantity": 4, "price": 5, "name": "pen"},
        {"item_id": 38, "quantity": 1, "price": 300, "name": "printer"},
    ]},
    {"_id": 2, "items": [
        {"item_id": 4, "quantity": 1, "price": 23, "name": "paper"},
    ]},
]
proj("$filter/manual", FILTER_SALES, {"items": {"$filter": {"input": "$items", "as": "item", "cond": {"$gte": ["$$item.price", 100]}}}}, manual="filter")
proj("$filter/manual-limit", FILTER_SALES, {"items": {"$filter": {"input": "$items", "as": "item", "cond": {"$gte": ["$$item.price", 100]}, "limit": 1}}}, manual="filter")
proj("$filter/manual-this", FILTER_SALES, {"items": {"$filter": {"input": "$items", "cond": {"$eq": ["$$this.name", "pen"]}}}}, manual="filter")
expr("$filter/null-input", {"$filter": {"input": None, "cond": True}})
expr("$filter/empty-input", {"$filter": {"input": [], "cond": True}})
expr("$filter/non-array-error", {"$filter": {"input": "x", "cond": True}}, error=28651)
expr("$filter/limit-zero-error", {"$filter": {"input": [1], "cond": True, "limit": 0}}, error=327392)
expr("$filter/limit-fractional-error", {"$filter": {"input": [1], "cond": True, "limit": 1.5}}, error=327391)

FIRSTDOCS = [
    {"_id": 1, "items": [1, 2, 3]},
    {"_id": 2, "items": [[]]},
    {"_id": 3, "items": []},
    {"_id": 4, "items": None},
    {"_id": 5},
]
# The manual: "If the operand resolves to an empty array [], $first does not
# return a value" (its example shows no field for { x: [] }).
each("$first/array-forms", {"$first": "$items"}, FIRSTDOCS, manual="first-array-element",
     expect=[{"_id": 1, "r": 1}, {"_id": 2, "r": []}, {"_id": 3}, {"_id": 4, "r": None}, {"_id": 5, "r": None}])
each("$last/array-forms", {"$last": "$items"}, FIRSTDOCS, manual="last-array-element",
     expect=[{"_id": 1, "r": 3}, {"_id": 2, "r": []}, {"_id": 3}, {"_id": 4, "r": None}, {"_id": 5, "r": None}])
expr("$first/non-array-error", {"$first": "abc"}, error=28689)

GAMES = [
    {"_id": 1, "playerId": "PlayerA", "gameId": "G1", "score": [31, 50, 71]},
    {"_id": 2, "playerId": "PlayerB", "gameId": "G1", "score": [33, 10, 2]},
    {"_id": 3, "playerId": "PlayerC", "gameId": "G1", "score": [99]},
    {"_id": 4, "playerId": "PlayerD", "gameId": "G1", "score": []},
]
proj("$firstN/array-manual", GAMES, {"firstScores": {"$firstN": {"n": 2, "input": "$score"}}}, manual="firstN-array-element")
proj("$lastN/array-manual", GAMES, {"lastScores": {"$lastN": {"n": 2, "input": "$score"}}}, manual="lastN-array-element")
proj("$maxN/array-manual", GAMES, {"maxScores": {"$maxN": {"n": 2, "input": "$score"}}}, manual="maxN-array-element")
proj("$minN/array-manual", GAMES, {"minScores": {"$minN": {"n": 2, "input": "$score"}}}, manual="minN-array-element")
expr("$maxN/array-skips-null", {"$maxN": {"n": 3, "input": [None, 3, "a", 1, None]}})
expr("$minN/array-mixed-types", {"$minN": {"n": 3, "input": [dec("2"), "a", L(1), 1.5, None]}})
expr("$firstN/n-zero-error", {"$firstN": {"n": 0, "input": [1]}}, error=5787908)

INQ = [
    {"_id": 1, "location": "24th Street", "in_stock": ["apples", "oranges", "bananas"]},
    {"_id": 2, "location": "36th Street", "in_stock": ["bananas", "pears", "grapes"]},
    {"_id": 3, "location": "82nd Street", "in_stock": ["cantaloupes", "watermelons", "apples"]},
]
proj("$in/manual", INQ, {"store location": "$location", "has bananas": {"$in": ["bananas", "$in_stock"]}}, manual="in")
expr("$in/numeric-equality", [{"$in": [1, [L(1), 2]]}, {"$in": [dec("2.0"), [2]]}, {"$in": [None, [None]]}])
expr("$in/non-array-error", {"$in": [1, "$nope"]}, error=40081)

IOA = [
    {"_id": 1, "items": ["one", "two", "three"]},
    {"_id": 2, "items": [1, 2, 3]},
    {"_id": 3, "items": [1, 2, 3, 2]},
    {"_id": 4, "items": [None, "two", 2]},
    {"_id": 5, "items": None},
    {"_id": 6, "amount": 3},
]
proj("$indexOfArray/manual", IOA, {"index": {"$indexOfArray": ["$items", 2]}}, manual="indexOfArray")
expr("$indexOfArray/start-end", [{"$indexOfArray": [[1, 2, 3, 2], 2, 2]}, {"$indexOfArray": [[1, 2, 3, 2], 2, 0, 1]}, {"$indexOfArray": [[1, 2], 2, 5]}])
expr("$indexOfArray/non-array-error", {"$indexOfArray": ["abc", "a"]}, error=40090)

ISA = [
    {"_id": 1, "instock": ["chocolate"], "ordered": ["butter", "apples"]},
    {"_id": 2, "instock": ["apples", "pudding", "pie"]},
    {"_id": 3, "instock": ["pears", "pecans"], "ordered": ["cherries"]},
    {"_id": 4, "instock": ["ice cream"], "ordered": []},
]
proj("$isArray/manual", ISA, {"items": {"$cond": {
    "if": {"$and": [{"$isArray": "$instock"}, {"$isArray": "$ordered"}]},
    "then": {"$concatArrays": ["$instock", "$ordered"]},
    "else": "One or more fields is not an array.",
}}}, manual="isArray")
expr("$isArray/forms", [{"$isArray": [[1]]}, {"$isArray": "$nope"}, {"$isArray": [None]}, {"$isArray": {"$literal": []}}])

SCORES_MAP = [
    {"_id": 1, "quizzes": [5, 6, 7]},
    {"_id": 2, "quizzes": []},
    {"_id": 3, "quizzes": [3, 8, 9]},
]
proj("$map/manual", SCORES_MAP, {"adjustedGrades": {"$map": {"input": "$quizzes", "as": "grade", "in": {"$add": ["$$grade", 2]}}}}, manual="map")
proj("$map/manual-trunc", [{"_id": 1, "city": "Bern", "distances": [0.34, 1.65, 6.8]}], {"city": "$city", "integerValues": {"$map": {"input": "$distances", "as": "decimalValue", "in": {"$trunc": "$$decimalValue"}}}}, manual="map")
expr("$map/this-default", {"$map": {"input": [1, 2], "in": {"$multiply": ["$$this", 10]}}})
expr("$map/null-input", {"$map": {"input": "$nope", "in": 1}})
expr("$map/non-array-error", {"$map": {"input": 5, "in": 1}}, error=16883)

PAIRS = [{"_id": 1, "a": {"x": 1, "y": {"z": 2}}}]
proj("$objectToArray/basic", PAIRS, {"r": {"$objectToArray": "$a"}})
expr("$objectToArray/null", {"$objectToArray": None})
expr("$objectToArray/empty", {"$objectToArray": {"$literal": {}}})
expr("$objectToArray/non-object-error", {"$objectToArray": [[1]]}, error=40390)

DISTANCES = [
    {"_id": 0, "city": "San Jose", "distance": 42},
    {"_id": 1, "city": "Sacramento", "distance": 88},
    {"_id": 2, "city": "Reno", "distance": 218},
    {"_id": 3, "city": "Los Angeles", "distance": 383},
]
proj("$range/manual", DISTANCES, {"_id": 0, "city": 1, "Rest stops": {"$range": [0, "$distance", 25]}}, manual="range")
expr("$range/negative-step", {"$range": [10, 0, -3]})
expr("$range/empty", {"$range": [5, 0]})
expr("$range/long-and-double-integral", {"$range": [L(0), 3.0]})
expr("$range/step-zero-error", {"$range": [0, 5, 0]}, error=34449)
expr("$range/fractional-error", {"$range": [0, 5.5]}, error=34446)

proj("$reduce/manual-concat", [
    {"_id": 1, "hobbies": ["golf", "reading", "skiing"]},
    {"_id": 2, "hobbies": []},
], {"r": {"$reduce": {"input": "$hobbies", "initialValue": "", "in": {"$concat": ["$$value", "$$this", ";"]}}}}, manual="reduce")
expr("$reduce/manual-sum-product", {"$reduce": {"input": [1, 2, 3, 4], "initialValue": {"sum": 5, "product": 2}, "in": {
    "sum": {"$add": ["$$value.sum", "$$this"]},
    "product": {"$multiply": ["$$value.product", "$$this"]},
}}}, manual="reduce")
expr("$reduce/manual-flatten", {"$reduce": {"input": [[3, 4], [5, 6]], "initialValue": [1, 2], "in": {"$concatArrays": ["$$value", "$$this"]}}}, manual="reduce")
expr("$reduce/null-input", {"$reduce": {"input": None, "initialValue": 0, "in": 1}})
expr("$reduce/non-array-error", {"$reduce": {"input": "x", "initialValue": 0, "in": 1}}, error=40080)

proj("$reverseArray/manual", [
    {"_id": 1, "name": "dave123", "favorites": ["chocolate", "cake", "butter", "apples"]},
    {"_id": 2, "name": "li", "favorites": ["apples", "pudding", "pie"]},
    {"_id": 3, "name": "ahn", "favorites": []},
    {"_id": 4, "name": "ty"},
], {"name": 1, "reverseFavorites": {"$reverseArray": "$favorites"}}, manual="reverseArray")
expr("$reverseArray/non-array-error", {"$reverseArray": "x"}, error=34435)

proj("$size/manual", [
    {"_id": 1, "item": "ABC1", "description": "product 1", "colors": ["blue", "black", "red"]},
    {"_id": 2, "item": "ABC2", "description": "product 2", "colors": ["purple"]},
    {"_id": 3, "item": "XYZ1", "description": "product 3", "colors": []},
    {"_id": 4, "item": "ZZZ1", "description": "product 4 - missing colors", "colors": []},
], {"item": 1, "numberOfColors": {"$cond": {"if": {"$isArray": "$colors"}, "then": {"$size": "$colors"}, "else": "NA"}}}, manual="size")
expr("$size/missing-error", {"$size": "$nope"}, error=17124)
expr("$size/null-error", {"$size": [None]}, error=17124)

USERS_SLICE = [
    {"_id": 1, "name": "dave123", "favorites": ["chocolate", "cake", "butter", "apples"]},
    {"_id": 2, "name": "li", "favorites": ["apples", "pudding", "pie"]},
    {"_id": 3, "name": "ahn", "favorites": ["pears", "pecans", "chocolate", "cherries"]},
    {"_id": 4, "name": "ty", "favorites": ["ice cream"]},
]
proj("$slice/manual", USERS_SLICE, {"name": 1, "threeFavorites": {"$slice": ["$favorites", 3]}}, manual="slice")
expr("$slice/negative-n", {"$slice": [[1, 2, 3, 4], -2]})
expr("$slice/position-n", {"$slice": [[1, 2, 3, 4], 1, 2]})
expr("$slice/negative-position", {"$slice": [[1, 2, 3, 4], -3, 2]})
expr("$slice/position-past-end", {"$slice": [[1, 2, 3], 10, 2]})
expr("$slice/null", {"$slice": [None, 1]})
expr("$slice/zero-count-error", {"$slice": [[1, 2], 0, 0]}, error=28729)

ENGINEERS = [{"_id": 0, "team": [
    {"name": "pat", "age": 30, "address": {"street": "12 Baker St", "city": "London"}},
    {"name": "dallas", "age": 36, "address": {"street": "12 Cowper St", "city": "Palo Alto"}},
    {"name": "charlie", "age": 42, "address": {"street": "12 French St", "city": "New Brunswick"}},
]}]
proj("$sortArray/manual-by-name", ENGINEERS, {"_id": 0, "result": {"$sortArray": {"input": "$team", "sortBy": {"name": 1}}}}, manual="sortArray")
proj("$sortArray/manual-by-subfield", ENGINEERS, {"_id": 0, "result": {"$sortArray": {"input": "$team", "sortBy": {"address.city": -1}}}}, manual="sortArray")
proj("$sortArray/manual-by-age-desc", ENGINEERS, {"_id": 0, "result": {"$sortArray": {"input": "$team", "sortBy": {"age": -1, "name": 1}}}}, manual="sortArray")
expr("$sortArray/manual-values", {"$sortArray": {"input": [1, 4, 1, 6, 12, 5], "sortBy": 1}}, manual="sortArray")
expr("$sortArray/manual-mixed-types", {"$sortArray": {"input": [20, 4, {"a": "Free"}, 6, 21, 5, "Gratis", {"a": None}, {"a": {"sale": True, "price": 19}}, dec("10.23"), {"a": "On sale"}], "sortBy": 1}}, manual="sortArray",
     expect=[{"r": [4, 5, 6, dec("10.23"), 20, 21, "Gratis", {"a": None}, {"a": "Free"}, {"a": "On sale"}, {"a": {"sale": True, "price": 19}}]}])
expr("$sortArray/null-input", {"$sortArray": {"input": None, "sortBy": 1}})
expr("$sortArray/non-array-error", {"$sortArray": {"input": "x", "sortBy": 1}})

MATRICES = [
    {"_id": 1, "matrix": [[1, 2], [2, 3], [3, 4]]},
    {"_id": 2, "matrix": [[8, 7], [7, 6], [5, 4]]},
]
case("$zip/manual-transpose", MATRICES, [{"$sort": {"_id": 1}}, {"$project": {"_id": False, "transposed": {"$zip": {"inputs": [
    {"$arrayElemAt": ["$matrix", 0]},
    {"$arrayElemAt": ["$matrix", 1]},
    {"$arrayElemAt": ["$matrix", 2]},
]}}}}], manual="zip")
expr("$zip/longest-defaults", {"$zip": {"inputs": [[1, 2, 3], ["a"]], "useLongestLength": True, "defaults": [0, "z"]}})
expr("$zip/shortest", {"$zip": {"inputs": [[1, 2, 3], ["a", "b"]]}})
expr("$zip/null-input", {"$zip": {"inputs": [[1], None]}}, manual="zip", expect=[{"r": None}])
expr("$zip/non-array-error", {"$zip": {"inputs": [[1], 3]}}, error=34468)

# ================================================================ bitwise
section("bitwise")

SWITCHES = [
    {"_id": 0, "a": 0, "b": 127},
    {"_id": 1, "a": 2, "b": 3},
    {"_id": 2, "a": 3, "b": 5},
]
proj("$bitAnd/manual", SWITCHES, {"result": {"$bitAnd": ["$a", "$b"]}}, manual="bitAnd")
proj("$bitOr/manual", SWITCHES, {"result": {"$bitOr": ["$a", "$b"]}}, manual="bitOr")
proj("$bitXor/manual", SWITCHES, {"result": {"$bitXor": ["$a", "$b"]}}, manual="bitXor")
proj("$bitNot/manual", SWITCHES, {"result": {"$bitNot": "$a"}}, manual="bitNot")
expr("$bitAnd/long-result", {"$bitAnd": [L(0xFFFFFFFFFF), 0xFF]})
expr("$bitOr/int-and-long", {"$bitOr": [1, L(2)]})
expr("$bitXor/empty", {"$bitXor": []})
expr("$bitNot/long", {"$bitNot": L(0)})
expr("$bitAnd/null", {"$bitAnd": [1, None]})
expr("$bitAnd/double-error", {"$bitAnd": [1, 1.0]}, error=14)
expr("$bitNot/double-error", {"$bitNot": 1.5}, error=14)

# ================================================================ boolean
section("boolean")

BOOLINV = [
    {"_id": 1, "item": "abc1", "description": "product 1", "qty": 300},
    {"_id": 2, "item": "abc2", "description": "product 2", "qty": 200},
    {"_id": 3, "item": "xyz1", "description": "product 3", "qty": 250},
    {"_id": 4, "item": "VWZ1", "description": "product 4", "qty": 300},
    {"_id": 5, "item": "VWZ2", "description": "product 5", "qty": 180},
]
proj("$and/manual", BOOLINV, {"item": 1, "qty": 1, "result": {"$and": [{"$gt": ["$qty", 100]}, {"$lt": ["$qty", 250]}]}}, manual="and")
proj("$or/manual", BOOLINV, {"item": 1, "result": {"$or": [{"$gt": ["$qty", 250]}, {"$lt": ["$qty", 200]}]}}, manual="or")
proj("$not/manual", BOOLINV, {"item": 1, "result": {"$not": [{"$gt": ["$qty", 250]}]}}, manual="not")
expr("$and/truthiness", [{"$and": [1, "x", [], {"$literal": {}}]}, {"$and": [0]}, {"$and": [None]}, {"$and": ["$nope"]}, {"$and": []}, {"$and": [dec("0")]}, {"$and": [0.0]}, {"$and": [L(0)]}])
expr("$or/truthiness", [{"$or": [0, None, "$nope"]}, {"$or": []}, {"$or": [dec("0.1")]}, {"$or": [""]}])
expr("$not/forms", [{"$not": [None]}, {"$not": ["$nope"]}, {"$not": [0]}, {"$not": [dec("0")]}, {"$not": [{"$literal": []}]}])
expr("$not/manual-array-argument", [{"$not": [[False]]}, {"$not": [True]}, {"$not": [False]}], manual="not", expect=[{"r": [False, False, True]}])

# ================================================================ comparison
section("comparison")

CMPINV = [
    {"_id": 1, "item": "abc1", "description": "product 1", "qty": 300},
    {"_id": 2, "item": "abc2", "description": "product 2", "qty": 200},
    {"_id": 3, "item": "xyz1", "description": "product 3", "qty": 250},
    {"_id": 4, "item": "VWZ1", "description": "product 4", "qty": 300},
    {"_id": 5, "item": "VWZ2", "description": "product 5", "qty": 180},
]
for op in ["$cmp", "$eq", "$gt", "$gte", "$lt", "$lte", "$ne"]:
    proj(f"{op}/manual", CMPINV, {"item": 1, "qty": 1, "r": {op: ["$qty", 250]}}, manual=op[1:])
expr("$cmp/mixed-numeric", [{"$cmp": [1, L(1)]}, {"$cmp": [1, 1.5]}, {"$cmp": [dec("2"), 1.999]}, {"$cmp": [float("nan"), -1e308]}])
expr("$cmp/bson-type-order", [
    {"$cmp": [None, 0]}, {"$cmp": [0, "0"]}, {"$cmp": ["a", {"$literal": {}}]}, {"$cmp": [{"$literal": {}}, {"$literal": []}]},
    {"$cmp": [{"$literal": [1]}, ObjectId("000000000000000000000000")]}, {"$cmp": [True, dt("1970-01-01")]}, {"$cmp": [False, True]},
])
expr("$cmp/missing-vs-null", {"$cmp": ["$nope", None]})
expr("$eq/numeric-types", [{"$eq": [1, 1.0]}, {"$eq": [L(1), dec("1.00")]}, {"$eq": [0.1, dec("0.1")]}])
# The manual ("Comparison/Sort Order", Objects): BSON objects compare
# "key-value pairs in the order that they appear", so field order matters.
expr("$eq/arrays-and-docs", [{"$eq": [[1, 2], [1, 2]]}, {"$eq": [[1, 2], [2, 1]]}, {"$eq": [{"a": 1, "b": 2}, {"b": 2, "a": 1}]}],
     manual="reference/bson-type-comparison-order", expect=[{"r": [True, False, False]}])
expr("$eq/null-and-missing", [{"$eq": ["$nope", None]}, {"$eq": ["$nope", "$alsoNope"]}])
expr("$gt/strings", [{"$gt": ["b", "a"]}, {"$gt": ["B", "a"]}, {"$gt": ["ab", "a"]}])
expr("$lt/dates", {"$lt": [dt("2020-01-01"), dt("2020-01-02")]})
expr("$lt/null-less-than-number", {"$lt": [None, -1e308]})
expr("$ne/nan", {"$ne": [float("nan"), float("nan")]})
expr("$gte/arity-error", {"$gte": [1]}, error=16020)

# ================================================================ conditional
section("conditional")

CONDINV = [
    {"_id": 1, "item": "abc1", "qty": 300},
    {"_id": 2, "item": "abc2", "qty": 200},
    {"_id": 3, "item": "xyz1", "qty": 250},
]
proj("$cond/manual-object", CONDINV, {"item": 1, "discount": {"$cond": {"if": {"$gte": ["$qty", 250]}, "then": 30, "else": 20}}}, manual="cond")
proj("$cond/manual-array", CONDINV, {"item": 1, "discount": {"$cond": [{"$gte": ["$qty", 250]}, 30, 20]}}, manual="cond")
expr("$cond/null-condition-is-false", {"$cond": [None, "yes", "no"]})
expr("$cond/remove-branch", {"$cond": [False, 1, "$$REMOVE"]})
expr("$cond/missing-then-error", {"$cond": {"if": True, "else": 1}}, error=17081)

IFNULL = [
    {"_id": 1, "item": "buggy", "description": "toy car", "quantity": 300},
    {"_id": 2, "item": "bicycle", "description": None, "quantity": 200},
    {"_id": 3, "item": "flag"},
]
proj("$ifNull/manual-single", IFNULL, {"item": 1, "description": {"$ifNull": ["$description", "Unspecified"]}}, manual="ifNull")
proj("$ifNull/manual-multiple", IFNULL, {"item": 1, "value": {"$ifNull": ["$description", "$quantity", "Unspecified"]}}, manual="ifNull")
expr("$ifNull/all-null", {"$ifNull": [None, "$nope", None]})
expr("$ifNull/empty-not-null", {"$ifNull": ["", "x"]})

GRADES = [
    {"_id": 1, "name": "Susan Wilkes", "scores": [87, 86, 78]},
    {"_id": 2, "name": "Bob Hanna", "scores": [71, 64, 81]},
    {"_id": 3, "name": "James Torrelio", "scores": [91, 84, 97]},
]
proj("$switch/manual", GRADES, {"name": 1, "summary": {"$switch": {
    "branches": [
        {"case": {"$gte": [{"$avg": "$scores"}, 90]}, "then": "Doing great!"},
        {"case": {"$and": [{"$gte": [{"$avg": "$scores"}, 80]}, {"$lt": [{"$avg": "$scores"}, 90]}]}, "then": "Doing pretty well."},
        {"case": {"$lt": [{"$avg": "$scores"}, 80]}, "then": "Needs improvement."},
    ],
    "default": "No scores found.",
}}}, manual="switch")
expr("$switch/default", {"$switch": {"branches": [{"case": False, "then": 1}], "default": "d"}})
expr("$switch/no-match-error", {"$switch": {"branches": [{"case": {"$eq": [1, 2]}, "then": 1}]}}, error=40066)
expr("$switch/first-match-wins", {"$switch": {"branches": [{"case": 1, "then": "a"}, {"case": True, "then": "b"}]}})

# ================================================================ date
section("date")

D1 = {"_id": 1, "item": "abc", "price": 10, "quantity": 2, "date": dt("2014-01-01T08:15:39.736Z")}
expr("$dateToString/manual-ymd", {"$dateToString": {"format": "%Y-%m-%d", "date": "$date"}}, D1, manual="dateToString")
expr("$dateToString/manual-time-ny", {"$dateToString": {"format": "%H:%M:%S:%L%z", "date": "$date", "timezone": "America/New_York"}}, D1, manual="dateToString")
expr("$dateToString/manual-time-offset", {"$dateToString": {"format": "%H:%M:%S:%L%z", "date": "$date", "timezone": "+04:30"}}, D1, manual="dateToString")
expr("$dateToString/manual-minutes-offset-ny", {"$dateToString": {"format": "%Z", "date": "$date", "timezone": "America/New_York"}}, D1, manual="dateToString")
expr("$dateToString/manual-minutes-offset-430", {"$dateToString": {"format": "%Z", "date": "$date", "timezone": "+04:30"}}, D1, manual="dateToString")
expr("$dateToString/manual-month-names", {"$dateToString": {"format": "%b %B", "date": "$date", "timezone": "CET"}}, D1, manual="dateToString")
expr("$dateToString/all-specifiers", {"$dateToString": {"format": "%d|%G|%H|%j|%L|%m|%M|%S|%w|%u|%U|%V|%Y|%%", "date": dt("2021-01-03T04:05:06.007Z")}})
expr("$dateToString/default-format", {"$dateToString": {"date": dt("2021-01-03T04:05:06.007Z")}})
# since 7.1 the default format has no "Z" when a time zone other than UTC is given (manual, $dateToString "format")
expr("$dateToString/default-format-timezone", {"$dateToString": {"date": dt("2021-01-03T04:05:06.007Z"), "timezone": "Asia/Kolkata"}},
     manual="dateToString", expect=[{"r": "2021-01-03T09:35:06.007"}])
expr("$dateToString/olson-dst-summer", {"$dateToString": {"format": "%Y-%m-%dT%H:%M%z", "date": dt("2021-07-01T12:00:00Z"), "timezone": "Europe/London"}})
expr("$dateToString/offset-compact", {"$dateToString": {"format": "%H:%M", "date": dt("2021-07-01T12:00:00Z"), "timezone": "-0330"}})
expr("$dateToString/offset-hours-only", {"$dateToString": {"format": "%H:%M", "date": dt("2021-07-01T12:00:00Z"), "timezone": "+03"}}, manual="dateToString", expect=[{"r": "15:00"}])
expr("$dateToString/null-date-onNull", {"$dateToString": {"date": "$nope", "onNull": "none"}}, manual="dateToString", expect=[{"r": "none"}])
expr("$dateToString/null-date", {"$dateToString": {"date": None}})
expr("$dateToString/pre-epoch", {"$dateToString": {"format": "%Y-%m-%d %H:%M:%S.%L", "date": dt("1969-12-31T23:59:59.999Z")}})
expr("$dateToString/bad-timezone-error", {"$dateToString": {"date": dt("2021-01-01"), "timezone": "Mars/Olympus"}}, error=40485)
expr("$dateToString/non-date-error", {"$dateToString": {"date": "2021-01-01"}}, error=16006)

DP = {"_id": 2, "item": "abc", "price": 10, "quantity": 2, "date": dt("2017-01-01T01:29:09.123Z")}
expr("$dateToParts/manual", {"$dateToParts": {"date": "$date"}}, DP, manual="dateToParts")
expr("$dateToParts/manual-iso", {"$dateToParts": {"date": "$date", "iso8601": True}}, DP, manual="dateToParts")
expr("$dateToParts/manual-timezone", {"$dateToParts": {"date": "$date", "timezone": "America/New_York"}}, DP, manual="dateToParts")
expr("$dateToParts/offset-timezone", {"$dateToParts": {"date": "$date", "timezone": "+05:45"}}, DP)

expr("$dateFromParts/manual", {"$dateFromParts": {"year": 2017, "month": 2, "day": 8, "hour": 12}}, manual="dateFromParts")
expr("$dateFromParts/manual-iso", {"$dateFromParts": {"isoWeekYear": 2017, "isoWeek": 6, "isoDayOfWeek": 3, "hour": 12}}, manual="dateFromParts")
expr("$dateFromParts/manual-timezone", {"$dateFromParts": {"year": 2016, "month": 12, "day": 31, "hour": 23, "minute": 46, "second": 12, "timezone": "America/New_York"}}, manual="dateFromParts")
expr("$dateFromParts/overflow-carries", {"$dateFromParts": {"year": 2017, "month": 14, "day": 0, "hour": 25, "minute": -1}})
expr("$dateFromParts/defaults", {"$dateFromParts": {"year": 2020}})
expr("$dateFromParts/long-and-double-parts", {"$dateFromParts": {"year": L(2020), "month": 2.0, "day": 29, "millisecond": 5}})
expr("$dateFromParts/null-part", {"$dateFromParts": {"year": 2020, "month": None}})
expr("$dateFromParts/fractional-error", {"$dateFromParts": {"year": 2020, "month": 1.5}}, error=40515)
expr("$dateFromParts/year-range-error", {"$dateFromParts": {"year": 10000}}, error=40523)

LOGMSG = [
    {"_id": 1, "date": "2017-02-08T12:10:40.787", "timezone": "America/New_York", "message": "Step 1: Started"},
    {"_id": 2, "date": "2017-02-08", "timezone": "-05:00", "message": "Step 1: Ended"},
    {"_id": 3, "message": " Step 1: Ended "},
    {"_id": 4, "date": "2017-02-09", "timezone": "Europe/London", "message": "Step 2: Started"},
    {"_id": 5, "date": "2017-02-09T03:35:02.055", "timezone": "+0530", "message": "Step 2: In Progress"},
]
proj("$dateFromString/manual", LOGMSG, {"date": {"$dateFromString": {"dateString": "$date", "timezone": "America/New_York"}}}, manual="dateFromString")
proj("$dateFromString/manual-timezone-field", LOGMSG, {"date": {"$dateFromString": {"dateString": "$date", "timezone": "$timezone"}}}, manual="dateFromString", expect=[
    {"_id": 1, "date": dt("2017-02-08T17:10:40.787Z")},
    {"_id": 2, "date": dt("2017-02-08T05:00:00Z")},
    {"_id": 3, "date": None},
    {"_id": 4, "date": dt("2017-02-09T00:00:00Z")},
    {"_id": 5, "date": dt("2017-02-08T22:05:02.055Z")},
])
proj("$dateFromString/manual-onError", [
    {"_id": 1, "date": "2017-02-08T12:10:40.787", "timezone": "America/New_York"},
    {"_id": 2, "date": "20177-02-09T03:35:02.055", "timezone": "America/New_York"},
], {"date": {"$dateFromString": {"dateString": "$date", "timezone": "$timezone", "onError": "$date"}}}, manual="dateFromString",
     expect=[{"_id": 1, "date": dt("2017-02-08T17:10:40.787Z")}, {"_id": 2, "date": "20177-02-09T03:35:02.055"}])
proj("$dateFromString/manual-onNull", [
    {"_id": 1, "date": "2017-02-08T12:10:40.787", "timezone": "America/New_York"},
    {"_id": 2, "date": None, "timezone": "America/New_York"},
], {"date": {"$dateFromString": {"dateString": "$date", "timezone": "$timezone", "onNull": dt("1970-01-01")}}}, manual="dateFromString",
     expect=[{"_id": 1, "date": dt("2017-02-08T17:10:40.787Z")}, {"_id": 2, "date": dt("1970-01-01")}])
expr("$dateFromString/manual-format-day-first", {"$dateFromString": {"dateString": "15-06-2018", "format": "%d-%m-%Y"}}, manual="dateFromString")
expr("$dateFromString/manual-format-month-first", {"$dateFromString": {"dateString": "06-15-2018", "format": "%m-%d-%Y"}}, manual="dateFromString")
expr("$dateFromString/iso-with-offset", {"$dateFromString": {"dateString": "2017-02-08T12:10:40.787+02:00"}})
expr("$dateFromString/zulu", {"$dateFromString": {"dateString": "2017-02-08T12:10:40Z"}})
expr("$dateFromString/format-%Z-rejects-olson-name", {"$dateFromString": {"dateString": "2020-03-01 10:00 Europe/Paris", "format": "%Y-%m-%d %H:%M %Z"}})
expr("$dateFromString/iso-week-format", {"$dateFromString": {"dateString": "2018-W01-1", "format": "%G-W%V-%u"}})
expr("$dateFromString/bad-string-error", {"$dateFromString": {"dateString": "not a date"}}, error=241)
expr("$dateFromString/format-mismatch-error", {"$dateFromString": {"dateString": "2018/06/15", "format": "%Y-%m-%d"}}, error=241)

DPARTS = [{"_id": 1, "item": "abc", "price": 10, "quantity": 2, "date": dt("2014-01-01T08:15:39.736Z")}]
proj("$year-etc/manual", DPARTS, {
    "year": {"$year": "$date"}, "month": {"$month": "$date"}, "day": {"$dayOfMonth": "$date"},
    "hour": {"$hour": "$date"}, "minutes": {"$minute": "$date"}, "seconds": {"$second": "$date"},
    "milliseconds": {"$millisecond": "$date"}, "dayOfYear": {"$dayOfYear": "$date"},
    "dayOfWeek": {"$dayOfWeek": "$date"}, "week": {"$week": "$date"},
}, manual="year")
DT2 = {"_id": 1, "d": dt("2021-01-03T23:30:15.250Z")}
# mongod's $isoWeekYear is a NumberLong: `long long TimeZone::isoYear`.
SRC_ISO_YEAR = "mongod 8.0 src/mongo/db/query/datetime/date_time_support.cpp (long long TimeZone::isoYear)"
for op in ["$year", "$month", "$dayOfMonth", "$dayOfYear", "$dayOfWeek", "$hour", "$minute", "$second", "$millisecond", "$week", "$isoWeek", "$isoWeekYear", "$isoDayOfWeek"]:
    pin_utc = {"expect": [{"r": L(2020)}], "source": SRC_ISO_YEAR} if op == "$isoWeekYear" else {}
    pin_tz = {"expect": [{"r": L(2021)}], "source": SRC_ISO_YEAR} if op == "$isoWeekYear" else {}
    expr(f"{op}/utc", {op: "$d"}, DT2, **pin_utc)
    expr(f"{op}/timezone-olson", {op: {"date": "$d", "timezone": "Australia/Sydney"}}, DT2, **pin_tz)
for op in ["$year", "$month", "$dayOfMonth", "$hour", "$minute", "$isoWeek"]:
    expr(f"{op}/timezone-offset", {op: {"date": "$d", "timezone": "-08:00"}}, DT2)
for op in ["$year", "$dayOfWeek", "$isoWeekYear"]:
    expr(f"{op}/null", {op: "$nope"}, DT2)
expr("$year/string-error", {"$year": "2021"}, error=16006)
expr("$hour/objectid", {"$hour": ObjectId("5f5b2cf0aaaaaaaaaaaaaaaa")})
expr("$isoWeekYear/year-boundary", [{"$isoWeekYear": dt("2016-01-01")}, {"$isoWeek": dt("2016-01-01")}, {"$isoWeek": dt("2020-12-31")}, {"$week": dt("2016-01-01")}],
     expect=[{"r": [L(2015), 53, 53, 0]}], source=SRC_ISO_YEAR)
expr("$isoDayOfWeek/manual-sunday", [{"$isoDayOfWeek": dt("2016-01-03")}, {"$dayOfWeek": dt("2016-01-03")}], manual="isoDayOfWeek")

SHIP = [
    {"_id": 1, "custId": 456, "purchaseDate": dt("2020-12-31"), "deliveryDate": dt("2021-01-05")},
    {"_id": 2, "custId": 457, "purchaseDate": dt("2021-02-28"), "deliveryDate": dt("2021-03-07")},
    {"_id": 3, "custId": 458, "purchaseDate": dt("2021-02-16"), "deliveryDate": dt("2021-02-18")},
]
proj("$dateAdd/manual-days", SHIP, {"expectedDeliveryDate": {"$dateAdd": {"startDate": "$purchaseDate", "unit": "day", "amount": 3}}}, manual="dateAdd")
expr("$dateAdd/month-end-clamps", {"$dateAdd": {"startDate": dt("2021-01-31"), "unit": "month", "amount": 1}})
expr("$dateAdd/leap-year", {"$dateAdd": {"startDate": dt("2020-02-29"), "unit": "year", "amount": 1}})
expr("$dateAdd/quarter-week-ms", [
    {"$dateAdd": {"startDate": dt("2021-01-15"), "unit": "quarter", "amount": 2}},
    {"$dateAdd": {"startDate": dt("2021-01-15"), "unit": "week", "amount": -1}},
    {"$dateAdd": {"startDate": dt("2021-01-15"), "unit": "millisecond", "amount": L(1500)}},
])
expr("$dateAdd/dst-day-vs-hours", [
    {"$dateAdd": {"startDate": dt("2021-03-13T12:00:00Z"), "unit": "day", "amount": 1, "timezone": "America/New_York"}},
    {"$dateAdd": {"startDate": dt("2021-03-13T12:00:00Z"), "unit": "hour", "amount": 24, "timezone": "America/New_York"}},
], manual="dateAdd")
expr("$dateAdd/null-amount", {"$dateAdd": {"startDate": dt("2021-01-01"), "unit": "day", "amount": None}})
expr("$dateAdd/bad-unit-error", {"$dateAdd": {"startDate": dt("2021-01-01"), "unit": "fortnight", "amount": 1}}, error=9)
expr("$dateAdd/fractional-amount-error", {"$dateAdd": {"startDate": dt("2021-01-01"), "unit": "day", "amount": 1.5}}, error=5166405)
proj("$dateSubtract/manual", SHIP, {"r": {"$dateSubtract": {"startDate": "$deliveryDate", "unit": "day", "amount": 2}}}, manual="dateSubtract")
expr("$dateSubtract/month-timezone", {"$dateSubtract": {"startDate": dt("2021-03-31T05:00:00Z"), "unit": "month", "amount": 1, "timezone": "Asia/Tokyo"}})

proj("$dateDiff/manual-days", SHIP, {"days": {"$dateDiff": {"startDate": "$purchaseDate", "endDate": "$deliveryDate", "unit": "day"}}}, manual="dateDiff")
expr("$dateDiff/year-boundary", [
    {"$dateDiff": {"startDate": dt("2020-12-31"), "endDate": dt("2021-01-01"), "unit": "year"}},
    {"$dateDiff": {"startDate": dt("2020-12-31"), "endDate": dt("2021-01-01"), "unit": "quarter"}},
    {"$dateDiff": {"startDate": dt("2021-01-31"), "endDate": dt("2021-02-01"), "unit": "month"}},
])
expr("$dateDiff/manual-week-start", [
    {"$dateDiff": {"startDate": dt("2022-01-01"), "endDate": dt("2022-01-10"), "unit": "week"}},
    {"$dateDiff": {"startDate": dt("2022-01-01"), "endDate": dt("2022-01-10"), "unit": "week", "startOfWeek": "monday"}},
    {"$dateDiff": {"startDate": dt("2022-01-01"), "endDate": dt("2022-01-10"), "unit": "week", "startOfWeek": "fri"}},
], manual="dateDiff")
expr("$dateDiff/negative-and-units", [
    {"$dateDiff": {"startDate": dt("2021-01-02T00:00:00Z"), "endDate": dt("2021-01-01T23:00:00Z"), "unit": "day"}},
    {"$dateDiff": {"startDate": dt("2021-01-01T00:00:59.999Z"), "endDate": dt("2021-01-01T00:01:00Z"), "unit": "minute"}},
    {"$dateDiff": {"startDate": dt("2021-01-01"), "endDate": dt("2021-01-01T00:00:01.5Z"), "unit": "millisecond"}},
])
expr("$dateDiff/timezone", {"$dateDiff": {"startDate": dt("2021-01-01T04:00:00Z"), "endDate": dt("2021-01-01T06:00:00Z"), "unit": "day", "timezone": "America/New_York"}})
expr("$dateDiff/null", {"$dateDiff": {"startDate": None, "endDate": dt("2021-01-01"), "unit": "day"}})
expr("$dateDiff/bad-unit-error", {"$dateDiff": {"startDate": dt("2021-01-01"), "endDate": dt("2021-01-02"), "unit": "days"}}, error=9)

CAKES = [
    {"_id": 0, "type": "chocolate", "orderDate": dt("2020-05-18T14:10:30Z"), "state": "CA", "price": 13, "quantity": 120},
    {"_id": 1, "type": "chocolate", "orderDate": dt("2021-03-20T11:30:05Z"), "state": "WA", "price": 14, "quantity": 140},
    {"_id": 2, "type": "vanilla", "orderDate": dt("2021-01-11T06:31:15Z"), "state": "CA", "price": 12, "quantity": 145},
    {"_id": 3, "type": "vanilla", "orderDate": dt("2020-02-08T13:13:23Z"), "state": "WA", "price": 13, "quantity": 104},
    {"_id": 4, "type": "strawberry", "orderDate": dt("2019-05-18T16:09:01Z"), "state": "CA", "price": 41, "quantity": 162},
    {"_id": 5, "type": "strawberry", "orderDate": dt("2019-01-08T06:12:03Z"), "state": "WA", "price": 43, "quantity": 134},
]
case("$dateTrunc/manual-group-6-months", CAKES, [
    {"$group": {"_id": {"truncatedOrderDate": {"$dateTrunc": {"date": "$orderDate", "unit": "month", "binSize": 6}}}, "sumQuantity": {"$sum": "$quantity"}}},
    {"$sort": {"_id.truncatedOrderDate": 1}},
], manual="dateTrunc")
proj("$dateTrunc/manual-project", CAKES, {"orderDate": 1, "truncatedOrderDate": {"$dateTrunc": {"date": "$orderDate", "unit": "week", "binSize": 2, "timezone": "America/Los_Angeles", "startOfWeek": "Monday"}}}, manual="dateTrunc")
expr("$dateTrunc/units", [
    {"$dateTrunc": {"date": dt("2021-05-18T14:10:30.123Z"), "unit": u}} for u in ["year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond"]
])
expr("$dateTrunc/binsize-hours-timezone", {"$dateTrunc": {"date": dt("2021-05-18T14:10:30Z"), "unit": "hour", "binSize": 5, "timezone": "+05:30"}})
expr("$dateTrunc/day-olson", {"$dateTrunc": {"date": dt("2021-05-18T02:10:30Z"), "unit": "day", "timezone": "America/Chicago"}})
expr("$dateTrunc/null", {"$dateTrunc": {"date": None, "unit": "day"}})
expr("$dateTrunc/bad-binsize-error", {"$dateTrunc": {"date": dt("2021-05-18"), "unit": "day", "binSize": 0}}, error=5439018)

expr("$toDate/forms", [
    {"$toDate": "2018-03-03"}, {"$toDate": "2018-03-20T11:00:06Z"}, {"$toDate": 120000000000.5},
    {"$toDate": dec("1253372036000.50")}, {"$toDate": L(1100000000000)}, {"$toDate": ObjectId("5ab9c3da31c2ab715d421285")},
    {"$toDate": None},
], manual="toDate")
expr("$toDate/int-error", {"$toDate": 5}, error=241)
expr("$toDate/bad-string-error", {"$toDate": "yesterday"}, error=241)

# ================================================================ literal
section("literal")

expr("$literal/manual-dollar-string", {"$literal": "$1"}, manual="literal")
expr("$literal/manual-operator-doc", {"$literal": {"$add": [2, 3]}}, manual="literal")
proj("$literal/manual-one", [{"_id": 1, "item": "abc123"}], {"item": 1, "startAt": {"$literal": 1}}, manual="literal")
expr("$literal/nested-array", {"$literal": [1, "$x", {"$y": 2}]})
expr("$literal/null", {"$literal": None})

# ================================================================ misc
section("misc")

GF = [
    {"_id": 1, "item": "sweatshirt", "price.usd": 45.99, "qty": 300},
    {"_id": 2, "item": "winter coat", "price.usd": 499.99, "qty": 200},
    {"_id": 3, "item": "sun dress", "price.usd": 199.99, "qty": 250},
]
case("$getField/manual-dotted-name", GF, [{"$match": {"$expr": {"$gt": [{"$getField": "price.usd"}, 200]}}}], manual="getField")
case("$getField/manual-dollar-name", [
    {"_id": 1, "item": "sweatshirt", "$price": 45.99, "qty": 300},
    {"_id": 2, "item": "winter coat", "$price": 499.99, "qty": 200},
], [{"$match": {"$expr": {"$gt": [{"$getField": {"$literal": "$price"}}, 200]}}}], manual="getField")
expr("$getField/input", {"$getField": {"field": "a", "input": {"a": {"b": 1}}}})
expr("$getField/missing", {"$getField": {"field": "zz", "input": {"a": 1}}})
expr("$getField/null-input", {"$getField": {"field": "a", "input": None}})
expr("$getField/non-string-field-error", {"$getField": {"field": 5, "input": {}}}, error=3041704)

expr("$rand/type-and-range", {"$let": {"vars": {"x": {"$rand": {}}}, "in": [{"$type": "$$x"}, {"$gte": ["$$x", 0]}, {"$lt": ["$$x", 1]}]}})
case("$rand/differs-per-document", [{"_id": i} for i in range(20)], [
    {"$group": {"_id": None, "v": {"$addToSet": {"$rand": {}}}}},
    {"$project": {"_id": 0, "distinct": {"$gt": [{"$size": "$v"}, 15]}}},
])
case("$sampleRate/one-keeps-all", [{"_id": i} for i in range(10)], [{"$match": {"$sampleRate": 1.0}}, {"$count": "n"}], manual="reference/operator/query/sampleRate", expect=[{"n": 10}])
case("$sampleRate/zero-keeps-none", [{"_id": i} for i in range(10)], [{"$match": {"$sampleRate": 0.0}}, {"$count": "n"}], manual="reference/operator/query/sampleRate", expect=[])
case("$sampleRate/out-of-range-error", [{"_id": 1}], [{"$match": {"$sampleRate": 1.5}}], error=2)

# ================================================================ object
section("object")

MO_ORDERS = [
    {"_id": 1, "item": "abc", "price": 12, "ordered": 2},
    {"_id": 2, "item": "jkl", "price": 20, "ordered": 1},
]
MO_ITEMS = [
    {"_id": 1, "item": "abc", "description": "product 1", "instock": 120},
    {"_id": 2, "item": "def", "description": "product 2", "instock": 80},
    {"_id": 3, "item": "jkl", "description": "product 3", "instock": 60},
]
case("$mergeObjects/manual-lookup", MO_ORDERS, [
    {"$lookup": {"from": "items", "localField": "item", "foreignField": "item", "as": "fromItems"}},
    {"$replaceRoot": {"newRoot": {"$mergeObjects": [{"$arrayElemAt": ["$fromItems", 0]}, "$$ROOT"]}}},
    {"$project": {"fromItems": 0}},
    {"$sort": {"_id": 1}},
], colls={"items": MO_ITEMS}, manual="mergeObjects")
expr("$mergeObjects/later-wins-null-skipped", {"$mergeObjects": [{"a": 1, "b": 2}, None, {"b": 3, "c": {"d": 1}}, "$nope", {"c": {"e": 2}}]})
expr("$mergeObjects/single-array-arg", {"$mergeObjects": [[{"a": 1}, {"b": 2}]]})
expr("$mergeObjects/non-object-error", {"$mergeObjects": [{"a": 1}, 5]}, error=40400)

SF_INV = [
    {"_id": 1, "item": "sweatshirt", "qty": 300, "price": dec("45.99")},
    {"_id": 2, "item": "winter coat", "qty": 200, "price": dec("499.99")},
]
case("$setField/manual-add-dotted", SF_INV, [
    {"$replaceWith": {"$setField": {"field": "price.usd", "input": "$$ROOT", "value": "$price"}}},
    {"$unset": "price"}, {"$sort": {"_id": 1}},
], manual="setField")
case("$setField/manual-add-dollar", SF_INV, [
    {"$replaceWith": {"$setField": {"field": {"$literal": "$price"}, "input": "$$ROOT", "value": "$price"}}},
    {"$unset": "price"}, {"$sort": {"_id": 1}},
], manual="setField")
case("$setField/manual-remove", SF_INV, [
    {"$replaceWith": {"$setField": {"field": "price", "input": "$$ROOT", "value": "$$REMOVE"}}}, {"$sort": {"_id": 1}},
], manual="setField")
expr("$setField/overwrite-keeps-position", {"$setField": {"field": "a", "input": {"a": 1, "b": 2}, "value": 9}})
expr("$setField/null-input", {"$setField": {"field": "a", "input": None, "value": 1}})
expr("$setField/non-object-input-error", {"$setField": {"field": "a", "input": 5, "value": 1}}, error=4161105)
case("$unsetField/manual-dotted", [
    {"_id": 1, "item": "sweatshirt", "qty": 300, "price.usd": 45.99},
    {"_id": 2, "item": "winter coat", "qty": 200, "price.usd": 499.99},
], [{"$replaceWith": {"$unsetField": {"field": "price.usd", "input": "$$ROOT"}}}, {"$sort": {"_id": 1}}], manual="unsetField", expect=[
    {"_id": 1, "item": "sweatshirt", "qty": 300}, {"_id": 2, "item": "winter coat", "qty": 200},
])
expr("$unsetField/missing-field", {"$unsetField": {"field": "zz", "input": {"a": 1}}}, manual="unsetField", expect=[{"r": {"a": 1}}])
expr("$unsetField/dollar-field", {"$unsetField": {"field": {"$literal": "$x"}, "input": {"$literal": {"$x": 1, "y": 2}}}}, manual="unsetField", expect=[{"r": {"y": 2}}])
expr("$unsetField/null-input", {"$unsetField": {"field": "a", "input": None}}, manual="unsetField", expect=[{"r": None}])

# ================================================================ set
section("set")

SURVEY = [
    {"_id": 1, "responses": [True]},
    {"_id": 2, "responses": [True, False]},
    {"_id": 3, "responses": []},
    {"_id": 4, "responses": [1, True, "seven"]},
    {"_id": 5, "responses": [0]},
    {"_id": 6, "responses": [[]]},
    {"_id": 7, "responses": [[0]]},
    {"_id": 8, "responses": [[False]]},
    {"_id": 9, "responses": [None]},
    {"_id": 10, "responses": [None]},
]
proj("$allElementsTrue/manual", SURVEY, {"responses": 1, "isAllTrue": {"$allElementsTrue": ["$responses"]}}, manual="allElementsTrue")
proj("$anyElementTrue/manual", SURVEY, {"responses": 1, "isAnyTrue": {"$anyElementTrue": ["$responses"]}}, manual="anyElementTrue")
expr("$allElementsTrue/non-array-error", {"$allElementsTrue": ["$nope"]}, error=17040)
expr("$anyElementTrue/non-array-error", {"$anyElementTrue": [5]}, error=17041)

EXPERIMENTS = [
    {"_id": 1, "A": ["red", "blue"], "B": ["red", "blue"]},
    {"_id": 2, "A": ["red", "blue"], "B": ["blue", "red", "blue"]},
    {"_id": 3, "A": ["red", "blue"], "B": ["red", "blue", "green"]},
    {"_id": 4, "A": ["red", "blue"], "B": ["green", "red"]},
    {"_id": 5, "A": ["red", "blue"], "B": []},
    {"_id": 6, "A": ["red", "blue"], "B": [["red"], ["blue"]]},
    {"_id": 7, "A": ["red", "blue"], "B": [["red", "blue"]]},
    {"_id": 8, "A": [], "B": []},
    {"_id": 9, "A": [], "B": ["red"]},
]
proj("$setDifference/manual", EXPERIMENTS, {"A": 1, "B": 1, "inBOnly": {"$setDifference": ["$B", "$A"]}, "_id": 0}, manual="setDifference")
proj("$setEquals/manual", EXPERIMENTS, {"A": 1, "B": 1, "sameElements": {"$setEquals": ["$A", "$B"]}, "_id": 0}, manual="setEquals")
proj("$setIsSubset/manual", EXPERIMENTS, {"A": 1, "B": 1, "AisSubset": {"$setIsSubset": ["$A", "$B"]}, "_id": 0}, manual="setIsSubset")
proj("$setIntersection/sorted", EXPERIMENTS, {"r": {"$sortArray": {"input": {"$setIntersection": ["$A", "$B"]}, "sortBy": 1}}}, manual="setIntersection")
proj("$setUnion/sorted", EXPERIMENTS[:5] + EXPERIMENTS[7:], {"r": {"$sortArray": {"input": {"$setUnion": ["$A", "$B"]}, "sortBy": 1}}}, manual="setUnion")
expr("$setIntersection/empty-args", {"$setIntersection": []})
expr("$setUnion/null", {"$setUnion": [[1], None]})
expr("$setIntersection/null", {"$setIntersection": [[1], "$nope"]})
expr("$setDifference/null", {"$setDifference": [None, [1]]})
expr("$setEquals/numeric-types", {"$setEquals": [[1, 2.0], [L(2), dec("1"), 1]]})
expr("$setUnion/non-array-error", {"$setUnion": [[1], 5]}, error=17043)
expr("$setDifference/non-array-error", {"$setDifference": [[1], 5]}, error=17049)
expr("$setIsSubset/non-array-error", {"$setIsSubset": [5, [1]]}, error=17046)
expr("$setEquals/non-array-error", {"$setEquals": [[1], 5]})

# ================================================================ string
section("string")

CONCAT_INV = [
    {"_id": 1, "item": "ABC1", "quarter": "13Q1", "description": "product 1"},
    {"_id": 2, "item": "ABC2", "quarter": "13Q4", "description": "product 2"},
    {"_id": 3, "item": "XYZ1", "quarter": "14Q2", "description": None},
]
proj("$concat/manual", CONCAT_INV, {"itemDescription": {"$concat": ["$item", " - ", "$description"]}}, manual="concat")
expr("$concat/missing", {"$concat": ["a", "$nope"]})
expr("$concat/empty", {"$concat": []})
expr("$concat/non-string-error", {"$concat": ["a", 1]}, error=16702)

IOB = [
    {"_id": 1, "item": "foo"},
    {"_id": 2, "item": "fóofoo"},
    {"_id": 3, "item": "the foo bar"},
    {"_id": 4, "item": "hello world fóo"},
    {"_id": 5, "item": None},
    {"_id": 6, "amount": 3},
]
proj("$indexOfBytes/manual", IOB, {"byteLocation": {"$indexOfBytes": ["$item", "foo"]}}, manual="indexOfBytes")
proj("$indexOfCP/manual", IOB, {"cpLocation": {"$indexOfCP": ["$item", "foo"]}}, manual="indexOfCP")
expr("$indexOfBytes/start-end", [{"$indexOfBytes": ["cafeteria", "e", 4]}, {"$indexOfBytes": ["cafeteria", "e", 0, 3]}, {"$indexOfBytes": ["abc", ""]}, {"$indexOfBytes": ["abc", "", 5]}])
expr("$indexOfCP/multibyte-start", [{"$indexOfCP": ["寿司寿司", "司", 2]}, {"$indexOfBytes": ["寿司寿司", "司", 2]}])
expr("$indexOfBytes/non-string-error", {"$indexOfBytes": [5, "a"]}, error=40091)
expr("$indexOfCP/negative-start-error", {"$indexOfCP": ["abc", "a", -1]}, error=40097)

TRIMS = [
    {"_id": 1, "item": "ABC1", "description": " product 1 "},
    {"_id": 2, "item": "ABC2", "description": "product 2 \n"},
    {"_id": 3, "item": "XYZ1", "description": " product 3\t"},
    {"_id": 4, "item": "XYZ2", "description": None},
]
proj("$trim/manual", TRIMS, {"item": 1, "description": {"$trim": {"input": "$description"}}}, manual="trim")
proj("$ltrim/manual", TRIMS, {"item": 1, "description": {"$ltrim": {"input": "$description"}}}, manual="ltrim")
proj("$rtrim/manual", TRIMS, {"item": 1, "description": {"$rtrim": {"input": "$description"}}}, manual="rtrim")
expr("$trim/manual-default-whitespace", {"$trim": {"input": "  \n good  bye \t  "}}, manual="trim")
expr("$trim/manual-chars", {"$trim": {"input": " ggggoodbyeeeee", "chars": "ge"}}, manual="trim")
expr("$trim/manual-chars-with-space", {"$trim": {"input": "    ggggoodbyeeeee", "chars": " ge"}}, manual="trim")
expr("$trim/chars", [{"$trim": {"input": "xxhixyx", "chars": "xy"}}, {"$ltrim": {"input": "  ab  ", "chars": " a"}}, {"$rtrim": {"input": "ab\u00e9\u00e9", "chars": "\u00e9"}}])
expr("$trim/unicode-whitespace", {"$trim": {"input": "\u00a0\u2003hi\u3000"}})
expr("$trim/non-string-error", {"$trim": {"input": 5}}, error=50699)

REGEX_PRODUCTS = [
    {"_id": 1, "description": "Single LINE description."},
    {"_id": 2, "description": "First lines\nsecond line"},
    {"_id": 3, "description": "Many spaces before     line"},
    {"_id": 4, "description": "Multiple\nline descriptions"},
    {"_id": 5, "description": "anchors, links and hyperlinks"},
    {"_id": 6, "description": "métier work vocation"},
]
proj("$regexFind/manual", REGEX_PRODUCTS, {"returnObject": {"$regexFind": {"input": "$description", "regex": "line"}}}, manual="regexFind")
proj("$regexFind/manual-i", REGEX_PRODUCTS, {"returnObject": {"$regexFind": {"input": "$description", "regex": "line", "options": "i"}}}, manual="regexFind")
proj("$regexFind/manual-m-anchor", REGEX_PRODUCTS, {"returnObject": {"$regexFind": {"input": "$description", "regex": Regex("^s"), "options": "im"}}}, manual="regexFind")
proj("$regexFind/manual-x", REGEX_PRODUCTS, {"returnObject": {"$regexFind": {"input": "$description", "regex": "lin(e|k) # matches line or link", "options": "x"}}}, manual="regexFind")
expr("$regexFind/captures", {"$regexFind": {"input": "abc123def", "regex": "([a-z]+)(\\d+)(x)?"}})
expr("$regexFind/codepoint-idx", {"$regexFind": {"input": "métier work", "regex": "work"}})
expr("$regexFind/null-input", {"$regexFind": {"input": None, "regex": "a"}})
expr("$regexFind/bad-regex-error", {"$regexFind": {"input": "a", "regex": "("}}, error=51111)
expr("$regexFind/non-string-input-error", {"$regexFind": {"input": 5, "regex": "a"}}, error=51104)
proj("$regexFindAll/manual", REGEX_PRODUCTS, {"returnObject": {"$regexFindAll": {"input": "$description", "regex": "line"}}}, manual="regexFindAll")
# mongod stops at the end of the input (jstests/aggregation/expressions/regex.js:
# "bbbb" with "()" gives idx 0-3 only); SecantusDB adds a match at idx 2.
expr("$regexFindAll/captures-and-empty-match", [{"$regexFindAll": {"input": "a1b22", "regex": "(\\d)(\\d)?"}}, {"$regexFindAll": {"input": "ab", "regex": "x*"}}],
     source=SRC_EXPR, expect=[{"r": [[{"match": "1", "idx": 1, "captures": ["1", None]}, {"match": "22", "idx": 3, "captures": ["2", "2"]}],
                                     [{"match": "", "idx": 0, "captures": []}, {"match": "", "idx": 1, "captures": []}]]}])
expr("$regexFindAll/manual-emails", {"$regexFindAll": {"input": "Contact Jen at jen@example.com or Ian at ian@example.org", "regex": Regex("[a-z0-9_.+-]+@[a-z0-9_.+-]+\\.[a-z0-9_.+-]+", "i")}}, manual="regexFindAll")
proj("$regexMatch/manual", REGEX_PRODUCTS, {"result": {"$regexMatch": {"input": "$description", "regex": "line"}}}, manual="regexMatch")
proj("$regexMatch/manual-i", REGEX_PRODUCTS, {"result": {"$regexMatch": {"input": "$description", "regex": "line", "options": "i"}}}, manual="regexMatch")
expr("$regexMatch/s-option", [{"$regexMatch": {"input": "a\nb", "regex": "a.b"}}, {"$regexMatch": {"input": "a\nb", "regex": "a.b", "options": "s"}}])
expr("$regexMatch/null", {"$regexMatch": {"input": "$nope", "regex": "a"}})
expr("$regexMatch/options-twice-error", {"$regexMatch": {"input": "a", "regex": Regex("a", "i"), "options": "i"}}, error=51107)

REPL = [
    {"_id": 1, "item": "blue paint"},
    {"_id": 2, "item": "blue and green paint"},
    {"_id": 3, "item": "blue paint with blue paintbrush"},
    {"_id": 4, "item": "blue paint with green paintbrush"},
]
proj("$replaceOne/manual", REPL, {"item": {"$replaceOne": {"input": "$item", "find": "blue paint", "replacement": "red paint"}}}, manual="replaceOne")
proj("$replaceAll/manual", REPL, {"item": {"$replaceAll": {"input": "$item", "find": "blue paint", "replacement": "red paint"}}}, manual="replaceAll")
expr("$replaceAll/empty-find", {"$replaceAll": {"input": "abc", "find": "", "replacement": "-"}})
expr("$replaceOne/null", [{"$replaceOne": {"input": None, "find": "a", "replacement": "b"}}, {"$replaceOne": {"input": "a", "find": "$nope", "replacement": "b"}}])
expr("$replaceAll/non-string-error", {"$replaceAll": {"input": "a", "find": 1, "replacement": "b"}})

SPLIT = [
    {"_id": 1, "city": "Berkeley, CA", "qty": 648},
    {"_id": 2, "city": "Bend, OR", "qty": 491},
    {"_id": 3, "city": "Kensington, CA", "qty": 233},
    {"_id": 4, "city": "Eugene, OR", "qty": 842},
    {"_id": 5, "city": "Reno, NV", "qty": 655},
    {"_id": 6, "city": "Portland, OR", "qty": 408},
    {"_id": 7, "city": "Sacramento, CA", "qty": 574},
]
case("$split/manual", SPLIT, [
    {"$project": {"city_state": {"$split": ["$city", ", "]}, "qty": 1}},
    {"$unwind": "$city_state"},
    {"$match": {"city_state": Regex("[A-Z]{2}")}},
    {"$group": {"_id": {"state": "$city_state"}, "total_qty": {"$sum": "$qty"}}},
    {"$sort": {"total_qty": -1}},
], manual="split")
expr("$split/edges", [{"$split": ["a,b,,c,", ","]}, {"$split": ["", ","]}, {"$split": ["abc", "abc"]}, {"$split": [None, ","]}])
expr("$split/empty-delimiter-error", {"$split": ["abc", ""]}, error=40087)
expr("$split/non-string-error", {"$split": [1, ","]}, error=40085)

STRLEN = [
    {"_id": 1, "name": "apple"},
    {"_id": 2, "name": "banana"},
    {"_id": 3, "name": "éclair"},
    {"_id": 4, "name": "hamburger"},
    {"_id": 5, "name": "jalapeño"},
    {"_id": 6, "name": "pizza"},
    {"_id": 7, "name": "tacos"},
    {"_id": 8, "name": "寿司"},
]
proj("$strLenBytes/manual", STRLEN, {"name": 1, "length": {"$strLenBytes": "$name"}}, manual="strLenBytes")
proj("$strLenCP/manual", STRLEN, {"name": 1, "length": {"$strLenCP": "$name"}}, manual="strLenCP")
expr("$strLenBytes/null-error", {"$strLenBytes": "$nope"}, error=34473)
expr("$strLenCP/non-string-error", {"$strLenCP": 5}, error=34471)

CASE_INV = [
    {"_id": 1, "item": "ABC1", "quarter": "13Q1", "description": "PRODUCT 1"},
    {"_id": 2, "item": "abc2", "quarter": "13Q4", "description": "Product 2"},
    {"_id": 3, "item": "xyz1", "quarter": "14Q2", "description": None},
]
proj("$strcasecmp/manual", CASE_INV, {"item": 1, "comparisonResult": {"$strcasecmp": ["$quarter", "13q4"]}}, manual="strcasecmp")
expr("$strcasecmp/null-and-number", [{"$strcasecmp": [None, ""]}, {"$strcasecmp": [5, "5"]}, {"$strcasecmp": ["a", "B"]}])
proj("$toLower/manual", CASE_INV, {"item": {"$toLower": "$item"}, "description": {"$toLower": "$description"}}, manual="toLower")
proj("$toUpper/manual", CASE_INV, {"item": {"$toUpper": "$item"}, "description": {"$toUpper": "$description"}}, manual="toUpper")
expr("$toUpper/ascii-only-and-numbers", [{"$toUpper": "éa"}, {"$toUpper": 5}, {"$toLower": L(12)}, {"$toUpper": 1.5}, {"$toLower": "$nope"}])

SUBSTR = [
    {"_id": 1, "item": "ABC1", "quarter": "13Q1", "description": "product 1"},
    {"_id": 2, "item": "ABC2", "quarter": "13Q4", "description": "product 2"},
    {"_id": 3, "item": "XYZ1", "quarter": "14Q2", "description": None},
]
proj("$substr/manual", SUBSTR, {"item": 1, "yearSubstring": {"$substr": ["$quarter", 0, 2]}, "quarterSubtring": {"$substr": ["$quarter", 2, -1]}}, manual="substr")
proj("$substrBytes/manual", SUBSTR, {"item": 1, "yearSubstring": {"$substrBytes": ["$quarter", 0, 2]}, "quarterSubtring": {"$substrBytes": ["$quarter", 2, {"$subtract": [{"$strLenBytes": "$quarter"}, 2]}]}}, manual="substrBytes")
proj("$substrCP/manual", SUBSTR, {"item": 1, "yearSubstring": {"$substrCP": ["$quarter", 0, 2]}, "quarterSubtring": {"$substrCP": ["$quarter", 2, {"$subtract": [{"$strLenCP": "$quarter"}, 2]}]}}, manual="substrCP")
FOOD = [
    {"_id": 1, "name": "apple"},
    {"_id": 2, "name": "banana"},
    {"_id": 3, "name": "éclair"},
    {"_id": 4, "name": "hamburger"},
    {"_id": 5, "name": "jalapeño"},
    {"_id": 6, "name": "pizza"},
    {"_id": 7, "name": "tacos"},
    {"_id": 8, "name": "寿司sushi"},
]
proj("$substrCP/manual-multibyte", FOOD, {"name": 1, "menuCode": {"$toUpper": {"$substrCP": ["$name", 0, 3]}}}, manual="substrCP")
expr("$substrBytes/mid-codepoint-error", {"$substrBytes": ["éclair", 1, 2]}, error=28656)
expr("$substrCP/past-end-and-null", [{"$substrCP": ["abc", 5, 2]}, {"$substrCP": [None, 0, 1]}, {"$substrBytes": ["abc", 1, 100]}])
expr("$substr/number-input", {"$substr": [12345, 1, 3]})
expr("$substrCP/negative-start-error", {"$substrCP": ["abc", -1, 1]}, error=34455)

# ================================================================ size
section("size")

IMAGES = [
    {"_id": 1, "name": "cat.jpg", "binary": Binary(bytes(range(7)) * 3, 0)},
    {"_id": 2, "name": "big_ben.jpg", "binary": Binary(b"\x00" * 100, 0)},
    {"_id": 3, "name": "teaser", "binary": "Hello, World!"},
    {"_id": 4, "name": "missing"},
]
proj("$binarySize/manual", IMAGES, {"name": "$name", "imageSize": {"$binarySize": "$binary"}}, manual="binarySize")
expr("$binarySize/multibyte-string", {"$binarySize": "寿司"})
expr("$binarySize/non-string-error", {"$binarySize": 5}, error=51276)
BSONSIZE = [
    {"_id": 1, "name": "Alice", "email": "alice@company.com", "position": "Software Developer", "current_task": {"project_id": 1, "project_name": "Aggregation Improvements", "project_duration": 5, "hours": 20}},
    {"_id": 2, "name": "Bob", "email": "bob@company.com", "position": "Sales", "current_task": {"project_id": 2, "project_name": "Write Blog Posts", "project_duration": 2, "hours": 10, "notes": "Progress is slow. Waiting for feedback."}},
    {"_id": 3, "name": "Charlie", "email": "charlie@company.com", "position": "HR (On Leave)", "current_task": None},
    {"_id": 4, "name": "Dianne", "email": "diane@company.com", "position": "Web Designer", "current_task": {"project_id": 3, "project_name": "Update Home Page", "notes": "Need to scope this project."}},
]
proj("$bsonSize/manual-root", BSONSIZE, {"name": "$name", "object_size": {"$bsonSize": "$$ROOT"}}, manual="bsonSize")
proj("$bsonSize/manual-task", BSONSIZE, {"name": "$name", "task_object_size": {"$bsonSize": "$current_task"}}, manual="bsonSize")
expr("$bsonSize/types", {"$bsonSize": {"$literal": {"a": 1, "b": L(1), "c": 1.5, "d": dec("1"), "e": "xy", "f": [1, 2], "g": True, "h": None, "i": dt("2020-01-01")}}})
expr("$bsonSize/non-object-error", {"$bsonSize": "abc"}, error=31393)

# ================================================================ trigonometry
section("trigonometry")

TRIANGLE = [{"_id": 1, "name": "t", "angle_a": 53.1301023541559, "angle_b": 36.8698976458441, "angle_c": 90, "side_a": 3, "side_b": 4, "side_c": 5}]
proj("$sin/manual", TRIANGLE, {"side_b": {"$multiply": [{"$sin": {"$degreesToRadians": "$angle_a"}}, "$side_c"]}}, manual="sin")
proj("$cos/manual", TRIANGLE, {"side_a": {"$multiply": [{"$cos": {"$degreesToRadians": "$angle_a"}}, "$side_c"]}}, manual="cos")
proj("$tan/manual", TRIANGLE, {"side_b": {"$multiply": [{"$tan": {"$degreesToRadians": "$angle_a"}}, "$side_a"]}}, manual="tan")
proj("$asin/manual", TRIANGLE, {"angle_a": {"$radiansToDegrees": {"$asin": {"$divide": ["$side_a", "$side_c"]}}}}, manual="asin")
proj("$acos/manual", TRIANGLE, {"angle_a": {"$radiansToDegrees": {"$acos": {"$divide": ["$side_b", "$side_c"]}}}}, manual="acos")
proj("$atan/manual", TRIANGLE, {"angle_a": {"$radiansToDegrees": {"$atan": {"$divide": ["$side_a", "$side_b"]}}}}, manual="atan")
proj("$atan2/manual", TRIANGLE, {"angle_a": {"$radiansToDegrees": {"$atan2": ["$side_a", "$side_b"]}}}, manual="atan2")
TRIG_VALS = [{"_id": 1, "x": 1}, {"_id": 2, "x": 0.5}, {"_id": 3, "x": dec("0.5")}, {"_id": 4, "x": None}, {"_id": 5}, {"_id": 6, "x": L(0)}]
HYP = [{"_id": 1, "x": 1}, {"_id": 2, "x": 2.5}, {"_id": 3, "x": dec("2")}, {"_id": 4, "x": None}, {"_id": 5}, {"_id": 6, "x": L(3)}]
for op in ["$sin", "$cos", "$tan", "$asin", "$acos", "$atan", "$asinh", "$sinh", "$cosh", "$tanh"]:
    each(f"{op}/types", {op: "$x"}, TRIG_VALS)
each("$acosh/types", {"$acosh": "$x"}, HYP)
each("$atanh/types", {"$atanh": "$x"}, [{"_id": 1, "x": 0}, {"_id": 2, "x": 0.5}, {"_id": 3, "x": dec("-0.5")}, {"_id": 4, "x": None}, {"_id": 5, "x": 1}])
each("$degreesToRadians/types", {"$degreesToRadians": "$x"}, [{"_id": 1, "x": 180}, {"_id": 2, "x": 90.0}, {"_id": 3, "x": dec("45")}, {"_id": 4, "x": None}])
each("$radiansToDegrees/types", {"$radiansToDegrees": "$x"}, [{"_id": 1, "x": 3.141592653589793}, {"_id": 2, "x": 1}, {"_id": 3, "x": dec("1")}, {"_id": 4}])
expr("$atan2/mixed", [{"$atan2": [1, L(1)]}, {"$atan2": [dec("1"), 2]}, {"$atan2": [None, 1]}])
expr("$asin/out-of-range-error", {"$asin": 2}, error=50989)
expr("$acosh/out-of-range-error", {"$acosh": 0.5}, error=50989)
expr("$sin/infinity-error", {"$sin": float("inf")}, error=50989)
expr("$tanh/hyperbolic-manual", [{"$tanh": 0}, {"$sinh": 0}, {"$cosh": 0}, {"$asinh": 0}], manual="tanh")
expr("$cos/string-error", {"$cos": "x"}, error=28765)

# ================================================================ type
section("type")

CONV_ORDERS = [
    {"_id": 1, "item": "apple", "qty": 5, "price": 10},
    {"_id": 2, "item": "pie", "qty": 10, "price": dec("20.0")},
    {"_id": 3, "item": "ice cream", "qty": 2, "price": "4.99"},
    {"_id": 4, "item": "almonds"},
    {"_id": 5, "item": "bananas", "qty": 5000000000, "price": dec("1.25")},
]
case("$convert/manual", CONV_ORDERS, [
    {"$addFields": {
        "convertedPrice": {"$convert": {"input": "$price", "to": "decimal", "onError": "Error", "onNull": dec("0")}},
        "convertedQty": {"$convert": {"input": "$qty", "to": "int", "onError": {"$concat": ["Could not convert ", {"$toString": "$qty"}, " to type integer."]}, "onNull": 0}},
    }},
    {"$project": {"totalPrice": {"$switch": {
        "branches": [
            {"case": {"$eq": [{"$type": "$convertedPrice"}, "string"]}, "then": "NaN"},
            {"case": {"$eq": [{"$type": "$convertedQty"}, "string"]}, "then": "NaN"},
        ],
        "default": {"$multiply": ["$convertedPrice", "$convertedQty"]},
    }}}},
    {"$sort": {"_id": 1}},
], manual="convert")
expr("$convert/to-types", [
    {"$convert": {"input": "5", "to": "int"}}, {"$convert": {"input": "5", "to": "long"}}, {"$convert": {"input": "5.5", "to": "double"}},
    {"$convert": {"input": "5.50", "to": "decimal"}}, {"$convert": {"input": 1, "to": "bool"}}, {"$convert": {"input": 0, "to": "string"}},
    {"$convert": {"input": 1.5, "to": "string"}},
    {"$convert": {"input": "2020-01-01", "to": "date"}}, {"$convert": {"input": "5ab9cbe531c2ab715d42129e", "to": "objectId"}},
])
expr("$convert/numeric-to-codes", [{"$convert": {"input": "5", "to": 16}}, {"$convert": {"input": 5, "to": 18}}, {"$convert": {"input": 5, "to": 1}}, {"$convert": {"input": 5, "to": 19}}])
expr("$convert/date-to-string-whole-seconds", [{"$convert": {"input": dt("2020-01-01"), "to": "string"}}, {"$toString": dt("2018-03-27T16:58:51Z")}],
     manual="toString", expect=[{"r": ["2020-01-01T00:00:00.000Z", "2018-03-27T16:58:51.000Z"]}])
expr("$convert/onError", {"$convert": {"input": "abc", "to": "int", "onError": -1}})
expr("$convert/onNull-missing", {"$convert": {"input": "$nope", "to": "int", "onNull": "was null"}})
expr("$convert/null-without-onNull", {"$convert": {"input": None, "to": "int"}})
expr("$convert/double-truncates-to-int", [{"$convert": {"input": 5.9, "to": "int"}}, {"$convert": {"input": -5.9, "to": "long"}}])
expr("$convert/int-overflow-error", {"$convert": {"input": 5000000000, "to": "int"}}, error=241)
expr("$convert/bad-type-error", {"$convert": {"input": 1, "to": "nonsense"}}, error=2)
expr("$convert/bool-from-string-is-true", [{"$convert": {"input": "false", "to": "bool"}}, {"$convert": {"input": "", "to": "bool"}}])

ISNUM = [
    {"_id": 1, "v": 10}, {"_id": 2, "v": L(10)}, {"_id": 3, "v": 10.5}, {"_id": 4, "v": dec("10")},
    {"_id": 5, "v": "10"}, {"_id": 6, "v": None}, {"_id": 7}, {"_id": 8, "v": True}, {"_id": 9, "v": [1]},
]
each("$isNumber/types", {"$isNumber": "$v"}, ISNUM, manual="isNumber")
each("$type/types", {"$type": "$v"}, ISNUM + [
    {"_id": 10, "v": {"a": 1}}, {"_id": 11, "v": ObjectId("5ab9cbe531c2ab715d42129e")}, {"_id": 12, "v": dt("2020-01-01")},
    {"_id": 13, "v": Regex("a", "i")}, {"_id": 14, "v": Binary(b"x", 0)},
], manual="type")
expr("$type/array-argument", {"$type": [[1, 2]]})
expr("$type/missing-literal", {"$type": "$$REMOVE"})
each("$toBool/types", {"$toBool": "$v"}, ISNUM + [{"_id": 10, "v": 0}, {"_id": 11, "v": 0.0}, {"_id": 12, "v": dec("0")}, {"_id": 13, "v": ""}, {"_id": 14, "v": dt("1970-01-01")}], manual="toBool")
each("$toDecimal/types", {"$toDecimal": "$v"}, [{"_id": 1, "v": True}, {"_id": 2, "v": 2.5}, {"_id": 3, "v": 5}, {"_id": 4, "v": L(10000)}, {"_id": 5, "v": "-5.5"}, {"_id": 6, "v": dt("2018-03-26T04:38:28.044Z")}, {"_id": 7, "v": None}, {"_id": 8, "v": 0.1}], manual="toDecimal")
each("$toDouble/types", {"$toDouble": "$v"}, [{"_id": 1, "v": True}, {"_id": 2, "v": dec("2.5")}, {"_id": 3, "v": 5}, {"_id": 4, "v": L(10000)}, {"_id": 5, "v": "-5.5"}, {"_id": 6, "v": dt("2018-03-27T05:04:47.890Z")}, {"_id": 7, "v": "1e3"}], manual="toDouble")
each("$toInt/types", {"$toInt": "$v"}, [{"_id": 1, "v": True}, {"_id": 2, "v": 2.5}, {"_id": 3, "v": dec("-5.5")}, {"_id": 4, "v": L(10000)}, {"_id": 5, "v": "-5"}, {"_id": 6, "v": None}, {"_id": 7, "v": False}], manual="toInt")
each("$toLong/types", {"$toLong": "$v"}, [{"_id": 1, "v": True}, {"_id": 2, "v": 2.5}, {"_id": 3, "v": dec("-5.5")}, {"_id": 4, "v": 10000}, {"_id": 5, "v": "-5"}, {"_id": 6, "v": dt("2018-03-26T04:38:28.044Z")}, {"_id": 7, "v": None}], manual="toLong")
expr("$toInt/bad-string-error", {"$toInt": "abc"}, error=241)
expr("$toInt/decimal-string-error", {"$toInt": "5.5"}, error=241)
expr("$toLong/nan-error", {"$toLong": float("nan")}, error=241)
expr("$toDouble/bad-string-error", {"$toDouble": "five"}, error=241)
expr("$toDecimal/bad-string-error", {"$toDecimal": "1.2.3"}, error=241)
expr("$toObjectId/manual", [{"$toObjectId": "5ab9cbe531c2ab715d42129e"}, {"$toObjectId": None}], manual="toObjectId")
expr("$toObjectId/bad-string-error", {"$toObjectId": "5ab9cbe531c2ab715d42129"}, error=241)
each("$toString/types", {"$toString": "$v"}, [
    {"_id": 1, "v": True}, {"_id": 2, "v": 2.5}, {"_id": 3, "v": 5}, {"_id": 4, "v": L(10000)}, {"_id": 5, "v": dec("-5.50")},
    {"_id": 6, "v": ObjectId("5ab9cbe531c2ab715d42129e")}, {"_id": 7, "v": dt("2018-03-27T16:58:51.538Z")}, {"_id": 8, "v": None},
    {"_id": 9, "v": 1e21}, {"_id": 10, "v": 0.1}, {"_id": 11, "v": -0.0}, {"_id": 12, "v": 100.0},
], manual="toString")
expr("$toString/array-error", {"$toString": [[1]]}, error=241)

# ================================================================ variable
section("variable")

LET_SALES = [
    {"_id": 1, "price": 10, "tax": 0.50, "applyDiscount": True},
    {"_id": 2, "price": 10, "tax": 0.25, "applyDiscount": False},
]
proj("$let/manual", LET_SALES, {"finalTotal": {"$let": {
    "vars": {"total": {"$add": ["$price", "$tax"]}, "discounted": {"$cond": {"if": "$applyDiscount", "then": 0.9, "else": 1}}},
    "in": {"$multiply": ["$$total", "$$discounted"]},
}}}, manual="let")
expr("$let/nested-shadowing", {"$let": {"vars": {"x": 1}, "in": {"$let": {"vars": {"x": 2, "y": "$$x"}, "in": ["$$x", "$$y"]}}}})
expr("$let/undefined-variable-error", {"$let": {"vars": {"x": 1}, "in": "$$y"}}, error=17276)
expr("$let/bad-name-error", {"$let": {"vars": {"X": 1}, "in": "$$X"}}, error=16867)
case("$$ROOT/in-project", [{"_id": 1, "a": {"b": 2}}], [{"$project": {"_id": 0, "doc": "$$ROOT", "b": "$$ROOT.a.b"}}])
case("$$CURRENT/same-as-root", [{"_id": 1, "a": 5}], [{"$project": {"_id": 0, "x": "$$CURRENT.a", "y": {"$eq": ["$$CURRENT", "$$ROOT"]}}}])
case("$$REMOVE/conditional-exclusion", [{"_id": 1, "a": 5, "b": ""}, {"_id": 2, "a": 6, "b": "x"}], [
    {"$sort": {"_id": 1}},
    {"$project": {"a": 1, "b": {"$cond": {"if": {"$eq": ["", "$b"]}, "then": "$$REMOVE", "else": "$b"}}}},
], manual="reference/aggregation-variables")
case("$$REMOVE/in-array-is-null", [{"_id": 1}], [{"$project": {"_id": 0, "r": ["$$REMOVE", "$nope", 1]}}])
case("$$NOW/is-date-and-stable", [{"_id": i} for i in range(5)], [
    {"$group": {"_id": None, "nows": {"$addToSet": "$$NOW"}, "types": {"$addToSet": {"$type": "$$NOW"}}, "after2024": {"$min": {"$gt": ["$$NOW", dt("2024-01-01")]}}}},
    {"$project": {"_id": 0, "n": {"$size": "$nows"}, "types": 1, "after2024": 1}},
], manual="reference/aggregation-variables", expect=[{"types": ["date"], "after2024": True, "n": 1}])

# ================================================================ accumulators
section("accumulators")

SALES_G = [
    {"_id": 1, "item": "abc", "price": dec("10"), "quantity": 2, "date": dt("2014-03-01T08:00:00Z")},
    {"_id": 2, "item": "jkl", "price": dec("20"), "quantity": 1, "date": dt("2014-03-01T09:00:00Z")},
    {"_id": 3, "item": "xyz", "price": dec("5"), "quantity": 10, "date": dt("2014-03-15T09:00:00Z")},
    {"_id": 4, "item": "xyz", "price": dec("5"), "quantity": 20, "date": dt("2014-04-04T11:21:39.736Z")},
    {"_id": 5, "item": "abc", "price": dec("10"), "quantity": 10, "date": dt("2014-04-04T21:23:13.331Z")},
    {"_id": 6, "item": "def", "price": dec("7.5"), "quantity": 5, "date": dt("2015-06-04T05:08:13Z")},
    {"_id": 7, "item": "def", "price": dec("7.5"), "quantity": 10, "date": dt("2015-09-10T08:43:00Z")},
    {"_id": 8, "item": "abc", "price": dec("10"), "quantity": 5, "date": dt("2016-02-06T20:20:13Z")},
]
grp("$sum/manual-group", SALES_G, {"_id": {"day": {"$dayOfYear": "$date"}, "year": {"$year": "$date"}}, "totalAmount": {"$sum": {"$multiply": ["$price", "$quantity"]}}, "count": {"$sum": 1}}, manual="sum")
grp("$avg/manual-group", SALES_G, {"_id": "$item", "avgAmount": {"$avg": {"$multiply": ["$price", "$quantity"]}}, "avgQuantity": {"$avg": "$quantity"}}, manual="avg")
grp("$max/manual-group", SALES_G, {"_id": "$item", "maxTotalAmount": {"$max": {"$multiply": ["$price", "$quantity"]}}, "maxQuantity": {"$max": "$quantity"}}, manual="max")
grp("$min/manual-group", SALES_G, {"_id": "$item", "minQuantity": {"$min": "$quantity"}}, manual="min")
case("$first/manual-group", SALES_G, [{"$sort": {"item": 1, "date": 1}}, {"$group": {"_id": "$item", "firstSale": {"$first": "$date"}}}, {"$sort": {"_id": 1}}], manual="first")
case("$last/manual-group", SALES_G, [{"$sort": {"item": 1, "date": 1}}, {"$group": {"_id": "$item", "lastSalesDate": {"$last": "$date"}}}, {"$sort": {"_id": 1}}], manual="last")
case("$push/manual-group", SALES_G, [{"$sort": {"date": 1, "item": 1}}, {"$group": {"_id": {"day": {"$dayOfYear": "$date"}, "year": {"$year": "$date"}}, "itemsSold": {"$push": {"item": "$item", "quantity": "$quantity"}}}}, {"$sort": {"_id": 1}}], manual="push")
case("$addToSet/manual-group", SALES_G, [{"$group": {"_id": {"day": {"$dayOfYear": "$date"}, "year": {"$year": "$date"}}, "itemsSold": {"$addToSet": "$item"}}}, {"$project": {"itemsSold": {"$sortArray": {"input": "$itemsSold", "sortBy": 1}}}}, {"$sort": {"_id": 1}}], manual="addToSet")
grp("$count/manual-accumulator", SALES_G, {"_id": "$item", "n": {"$count": {}}}, manual="count-accumulator")

MIXED = [
    {"_id": 1, "g": 1, "v": 1}, {"_id": 2, "g": 1, "v": L(2)}, {"_id": 3, "g": 1, "v": 2.5},
    {"_id": 4, "g": 2, "v": 1}, {"_id": 5, "g": 2, "v": dec("2.5")}, {"_id": 6, "g": 2, "v": "str"},
    {"_id": 7, "g": 3, "v": None}, {"_id": 8, "g": 3},
    {"_id": 9, "g": 4, "v": 2147483647}, {"_id": 10, "g": 4, "v": 1},
    {"_id": 11, "g": 5, "v": 1}, {"_id": 12, "g": 5, "v": L(2)},
]
grp("$sum/mixed-types", MIXED, {"_id": "$g", "s": {"$sum": "$v"}})
grp("$avg/mixed-types", MIXED, {"_id": "$g", "a": {"$avg": "$v"}})
grp("$min/mixed-types", MIXED, {"_id": "$g", "lo": {"$min": "$v"}, "hi": {"$max": "$v"}})
case("$sum/empty-collection", [], [{"$group": {"_id": None, "s": {"$sum": "$v"}, "a": {"$avg": "$v"}, "n": {"$count": {}}}}])
grp("$sum/array-values-ignored", [{"_id": 1, "v": [1, 2]}, {"_id": 2, "v": 3}], {"_id": None, "s": {"$sum": "$v"}, "m": {"$max": "$v"}})
grp("$push/missing-skipped", [{"_id": 1, "v": 1}, {"_id": 2}, {"_id": 3, "v": None}], {"_id": None, "p": {"$push": "$v"}, "f": {"$first": "$v"}, "l": {"$last": "$v"}})
case("$addToSet/numeric-equality", [{"_id": 1, "v": 1}, {"_id": 2, "v": 1.0}, {"_id": 3, "v": L(1)}, {"_id": 4, "v": dec("1.0")}, {"_id": 5, "v": 2}],
     [{"$group": {"_id": None, "s": {"$addToSet": "$v"}}}, {"$project": {"_id": 0, "n": {"$size": "$s"}}}])

STDDEV = [
    {"_id": 1, "quiz": 1, "name": "Dave", "score": 85}, {"_id": 2, "quiz": 1, "name": "Henry", "score": 90},
    {"_id": 3, "quiz": 1, "name": "Rhonda", "score": 75}, {"_id": 4, "quiz": 1, "name": "Dave", "score": 78},
    {"_id": 5, "quiz": 2, "name": "Gina", "score": 89}, {"_id": 6, "quiz": 2, "name": "Sam", "score": 79},
    {"_id": 7, "quiz": 2, "name": "Rhonda", "score": 97}, {"_id": 8, "quiz": 2, "name": "Henry", "score": 82},
]
grp("$stdDevPop/manual", STDDEV, {"_id": "$quiz", "stdDev": {"$stdDevPop": "$score"}}, manual="stdDevPop")
grp("$stdDevSamp/manual", STDDEV, {"_id": "$quiz", "ageStdDev": {"$stdDevSamp": "$score"}}, manual="stdDevSamp")
grp("$stdDevSamp/single-value-null", [{"_id": 1, "v": 5}], {"_id": None, "s": {"$stdDevSamp": "$v"}, "p": {"$stdDevPop": "$v"}})
grp("$stdDevPop/decimal-and-nonnumeric", [{"_id": 1, "v": dec("1")}, {"_id": 2, "v": 3}, {"_id": 3, "v": "x"}], {"_id": None, "p": {"$stdDevPop": "$v"}})

MO_SALES = [
    {"_id": 13, "year": 2017, "item": "A", "quantity": {"2017Q1": 500, "2017Q2": 500}},
    {"_id": 14, "year": 2017, "item": "B", "quantity": {"2017Q1": 300}},
    {"_id": 15, "year": 2018, "item": "B", "quantity": {"2018Q1": 700}},
    {"_id": 16, "year": 2017, "item": "A", "quantity": {"2017Q3": 300, "2017Q4": 600}},
    {"_id": 17, "year": 2018, "item": "A", "quantity": {"2018Q1": 400, "2018Q2": 150, "2018Q3": 0}},
]
case("$mergeObjects/manual-accumulator", MO_SALES, [{"$sort": {"_id": 1}}, {"$group": {"_id": "$item", "mergedSales": {"$mergeObjects": "$quantity"}}}, {"$sort": {"_id": 1}}], manual="mergeObjects")

GAMESCORES = [
    {"playerId": "PlayerA", "gameId": "G1", "score": 31},
    {"playerId": "PlayerB", "gameId": "G1", "score": 33},
    {"playerId": "PlayerC", "gameId": "G1", "score": 99},
    {"playerId": "PlayerD", "gameId": "G1", "score": 1},
    {"playerId": "PlayerA", "gameId": "G2", "score": 10},
    {"playerId": "PlayerB", "gameId": "G2", "score": 14},
    {"playerId": "PlayerC", "gameId": "G2", "score": 66},
    {"playerId": "PlayerD", "gameId": "G2", "score": 80},
]
grp("$top/manual", GAMESCORES, {"_id": "$gameId", "playerId": {"$top": {"output": ["$playerId", "$score"], "sortBy": {"score": -1}}}}, manual="top")
grp("$bottom/manual", GAMESCORES, {"_id": "$gameId", "playerId": {"$bottom": {"output": ["$playerId", "$score"], "sortBy": {"score": -1}}}}, manual="bottom")
grp("$topN/manual", GAMESCORES, {"_id": "$gameId", "playerId": {"$topN": {"output": ["$playerId", "$score"], "sortBy": {"score": -1}, "n": 3}}}, manual="topN")
grp("$bottomN/manual", GAMESCORES, {"_id": "$gameId", "playerId": {"$bottomN": {"output": ["$playerId", "$score"], "sortBy": {"score": -1}, "n": 3}}}, manual="bottomN")
grp("$topN/computed-n", GAMESCORES, {"_id": {"gameId": "$gameId"}, "gamescores": {"$topN": {"output": "$score", "n": {"$cond": {"if": {"$eq": ["$gameId", "G2"]}, "then": 1, "else": 3}}, "sortBy": {"score": -1}}}}, manual="topN")
case("$firstN/manual-accumulator", GAMESCORES, [{"$sort": {"_id": 1}}, {"$group": {"_id": "$gameId", "firstThreeScores": {"$firstN": {"input": ["$playerId", "$score"], "n": 3}}}}, {"$sort": {"_id": 1}}], manual="firstN")
case("$lastN/manual-accumulator", GAMESCORES, [{"$sort": {"_id": 1}}, {"$group": {"_id": "$gameId", "lastThreeScores": {"$lastN": {"input": ["$playerId", "$score"], "n": 3}}}}, {"$sort": {"_id": 1}}], manual="lastN")
grp("$maxN/manual-accumulator", GAMESCORES, {"_id": "$gameId", "maxThreeScores": {"$maxN": {"input": ["$score", "$playerId"], "n": 3}}}, manual="maxN")
grp("$minN/manual-accumulator", GAMESCORES, {"_id": "$gameId", "minScores": {"$minN": {"input": ["$score", "$playerId"], "n": 3}}}, manual="minN")
grp("$top/missing-sort-field-first", [{"_id": 1, "v": 1, "k": 2}, {"_id": 2, "v": 2}], {"_id": None, "t": {"$top": {"output": "$v", "sortBy": {"k": 1}}}, "b": {"$bottom": {"output": "$v", "sortBy": {"k": 1}}}})
grp("$maxN/skips-null-missing", [{"_id": 1, "v": None}, {"_id": 2}, {"_id": 3, "v": 3}, {"_id": 4, "v": L(7)}], {"_id": None, "mx": {"$maxN": {"input": "$v", "n": 5}}, "mn": {"$minN": {"input": "$v", "n": 5}}})
grp("$firstN/keeps-null-missing", [{"_id": 1, "v": None}, {"_id": 2}, {"_id": 3, "v": 3}], {"_id": None, "f": {"$firstN": {"input": "$v", "n": 5}}})

TESTSCORES = [
    {"studentId": "2345", "test01": 62, "test02": 81, "test03": 80},
    {"studentId": "2356", "test01": 60, "test02": 83, "test03": 79},
    {"studentId": "2358", "test01": 67, "test02": 82, "test03": 78},
    {"studentId": "2367", "test01": 64, "test02": 72, "test03": 77},
    {"studentId": "2369", "test01": 60, "test02": 53, "test03": 72},
]
grp("$median/manual", TESTSCORES, {"_id": None, "test01_median": {"$median": {"input": "$test01", "method": "approximate"}}}, manual="median")
grp("$percentile/manual-single", TESTSCORES, {"_id": None, "test01_percentiles": {"$percentile": {"input": "$test01", "p": [0.95], "method": "approximate"}}}, manual="percentile")
grp("$percentile/manual-multiple", TESTSCORES, {"_id": None, "test01_percentiles": {"$percentile": {"input": "$test01", "p": [0.5, 0.75, 0.9, 0.95], "method": "approximate"}}, "test02_percentiles": {"$percentile": {"input": "$test02", "p": [0.5, 0.75, 0.9, 0.95], "method": "approximate"}}}, manual="percentile")
proj("$median/manual-expression", TESTSCORES, {"_id": 0, "studentId": 1, "testMedians": {"$median": {"input": ["$test01", "$test02", "$test03"], "method": "approximate"}}}, manual="median")
grp("$percentile/non-numeric-ignored", [{"_id": 1, "v": "x"}, {"_id": 2, "v": None}, {"_id": 3, "v": 4}, {"_id": 4, "v": dec("2")}], {"_id": None, "p": {"$percentile": {"input": "$v", "p": [0, 1], "method": "approximate"}}, "m": {"$median": {"input": "$v", "method": "approximate"}}})
grp("$median/empty-is-null", [{"_id": 1, "v": "x"}], {"_id": None, "m": {"$median": {"input": "$v", "method": "approximate"}}})
grp("$percentile/bad-p-error", TESTSCORES, {"_id": None, "p": {"$percentile": {"input": "$test01", "p": [1.5], "method": "approximate"}}})

# ================================================================ window
section("window")


def window(name, docs, swf, tail=None, **kw):
    case(name, docs, [{"$setWindowFields": swf}, {"$sort": {"_id": 1}}] + (tail or []), **kw)


def with_field(docs, field, values):
    """docs (sorted by _id) with `field` set from {_id: value} (the manual's outputs)."""
    return [dict(d, **{field: values[d["_id"]]}) for d in sorted(docs, key=lambda d: d["_id"])]


window("$setWindowFields/manual-sum-documents", CAKES, {"partitionBy": "$state", "sortBy": {"orderDate": 1}, "output": {"cumulativeQuantityForState": {"$sum": "$quantity", "window": {"documents": ["unbounded", "current"]}}}}, manual="setWindowFields")
window("$setWindowFields/manual-sum-year-partition", CAKES, {"partitionBy": {"$year": "$orderDate"}, "sortBy": {"orderDate": 1}, "output": {"cumulativeQuantityForYear": {"$sum": "$quantity", "window": {"documents": ["unbounded", "current"]}}}}, manual="setWindowFields")
window("$setWindowFields/manual-avg-moving", CAKES, {"partitionBy": {"$year": "$orderDate"}, "sortBy": {"orderDate": 1}, "output": {"averageQuantity": {"$avg": "$quantity", "window": {"documents": [-1, 0]}}}}, manual="setWindowFields")
window("$setWindowFields/manual-whole-partition", CAKES, {"partitionBy": {"$year": "$orderDate"}, "sortBy": {"orderDate": 1}, "output": {
    "cumulativeQuantityForYear": {"$sum": "$quantity", "window": {"documents": ["unbounded", "current"]}},
    "maximumQuantityForYear": {"$max": "$quantity", "window": {"documents": ["unbounded", "unbounded"]}},
}}, manual="setWindowFields")
window("$setWindowFields/manual-range-price", CAKES, {"partitionBy": "$state", "sortBy": {"price": 1}, "output": {"quantityFromSimilarOrders": {"$sum": "$quantity", "window": {"range": [-10, 10]}}}}, manual="setWindowFields")
_OD = {d["_id"]: d["orderDate"] for d in CAKES}
window("$setWindowFields/manual-range-time-units", CAKES, {"partitionBy": "$state", "sortBy": {"orderDate": 1}, "output": {"recentOrders": {"$push": "$orderDate", "window": {"range": ["unbounded", 10], "unit": "month"}}}}, manual="setWindowFields",
       expect=with_field(CAKES, "recentOrders", {4: [_OD[4]], 0: [_OD[4], _OD[0], _OD[2]], 2: [_OD[4], _OD[0], _OD[2]], 5: [_OD[5]], 3: [_OD[5], _OD[3]], 1: [_OD[5], _OD[3], _OD[1]]}))
window("$setWindowFields/manual-range-time-negative", CAKES, {"partitionBy": "$state", "sortBy": {"orderDate": 1}, "output": {"recentOrders": {"$push": "$orderDate", "window": {"range": ["unbounded", -10], "unit": "month"}}}}, manual="setWindowFields",
       expect=with_field(CAKES, "recentOrders", {4: [], 0: [_OD[4]], 2: [_OD[4]], 5: [], 3: [_OD[5]], 1: [_OD[5], _OD[3]]}))
window("$setWindowFields/no-partition-no-window", CAKES, {"sortBy": {"_id": 1}, "output": {"total": {"$sum": "$quantity"}, "n": {"$count": {}}}})
window("$setWindowFields/range-current-days", CAKES, {"sortBy": {"orderDate": 1}, "output": {"n": {"$count": {}, "window": {"range": [-400, 0], "unit": "day"}}}})
window("$setWindowFields/accumulators-as-windows", CAKES, {"partitionBy": "$state", "sortBy": {"orderDate": 1}, "output": {
    "mn": {"$min": "$price", "window": {"documents": [-1, 1]}},
    "f": {"$first": "$type", "window": {"documents": [-1, 1]}},
    "l": {"$last": "$type", "window": {"documents": [-1, 1]}},
    "set": {"$addToSet": "$state", "window": {"documents": ["unbounded", "unbounded"]}},
    "sd": {"$stdDevPop": "$price", "window": {"documents": ["unbounded", "current"]}},
    "top": {"$top": {"output": "$type", "sortBy": {"price": -1}}, "window": {"documents": ["unbounded", "current"]}},
    "fn": {"$firstN": {"input": "$price", "n": 2}, "window": {"documents": ["unbounded", "current"]}},
}})
window("$rank/manual", CAKES, {"partitionBy": "$state", "sortBy": {"quantity": -1}, "output": {"rankQuantityForState": {"$rank": {}}}}, manual="rank")
CAKES_DUP = [
    {"_id": 0, "type": "chocolate", "state": "CA", "price": 13, "quantity": 120},
    {"_id": 1, "type": "chocolate", "state": "WA", "price": 14, "quantity": 140},
    {"_id": 2, "type": "vanilla", "state": "CA", "price": 12, "quantity": 145},
    {"_id": 3, "type": "vanilla", "state": "WA", "price": 13, "quantity": 140},
    {"_id": 4, "type": "strawberry", "state": "CA", "price": 41, "quantity": 162},
    {"_id": 5, "type": "strawberry", "state": "WA", "price": 43, "quantity": 134},
]
window("$rank/ties", CAKES_DUP, {"partitionBy": "$state", "sortBy": {"quantity": -1}, "output": {"rank": {"$rank": {}}, "dense": {"$denseRank": {}}, "num": {"$documentNumber": {}}}})
window("$denseRank/manual", CAKES, {"partitionBy": "$state", "sortBy": {"quantity": -1}, "output": {"denseRankQuantityForState": {"$denseRank": {}}}}, manual="denseRank")
window("$documentNumber/manual", CAKES, {"partitionBy": "$state", "sortBy": {"quantity": -1}, "output": {"documentNumberForState": {"$documentNumber": {}}}}, manual="documentNumber")
window("$shift/manual-next", CAKES, {"partitionBy": "$state", "sortBy": {"quantity": -1}, "output": {"shiftQuantityForState": {"$shift": {"output": "$quantity", "by": 1, "default": "Not available"}}}}, manual="shift")
window("$shift/manual-previous", CAKES, {"partitionBy": "$state", "sortBy": {"quantity": -1}, "output": {"shiftQuantityForState": {"$shift": {"output": "$quantity", "by": -1, "default": "Not available"}}}}, manual="shift")
window("$shift/no-default-null", CAKES, {"sortBy": {"_id": 1}, "output": {"prev": {"$shift": {"output": "$type", "by": -2}}}})

DELIVERY = [
    {"_id": 0, "truckID": "1", "timeStamp": dt("2020-05-18T14:10:30Z"), "miles": 1295.1},
    {"_id": 1, "truckID": "1", "timeStamp": dt("2020-05-18T14:11:00Z"), "miles": 1295.63},
    {"_id": 2, "truckID": "1", "timeStamp": dt("2020-05-18T14:11:30Z"), "miles": 1296.25},
    {"_id": 3, "truckID": "1", "timeStamp": dt("2020-05-18T14:12:00Z"), "miles": 1296.76},
    {"_id": 4, "truckID": "2", "timeStamp": dt("2020-05-18T14:10:30Z"), "miles": 10234.1},
    {"_id": 5, "truckID": "2", "timeStamp": dt("2020-05-18T14:11:00Z"), "miles": 10234.33},
    {"_id": 6, "truckID": "2", "timeStamp": dt("2020-05-18T14:11:30Z"), "miles": 10234.73},
    {"_id": 7, "truckID": "2", "timeStamp": dt("2020-05-18T14:12:00Z"), "miles": 10235.13},
]
window("$derivative/manual", DELIVERY, {"partitionBy": "$truckID", "sortBy": {"timeStamp": 1}, "output": {"truckAverageSpeed": {"$derivative": {"input": "$miles", "unit": "hour"}, "window": {"range": [-30, 0], "unit": "second"}}}},
       tail=[{"$match": {"truckAverageSpeed": {"$gt": 50}}}], manual="derivative", expect=[
           dict(DELIVERY[1], truckAverageSpeed=63.60000000002401),
           dict(DELIVERY[2], truckAverageSpeed=74.3999999999869),
           dict(DELIVERY[3], truckAverageSpeed=61.199999999998916),
       ])
window("$derivative/documents-no-unit", DELIVERY, {"partitionBy": "$truckID", "sortBy": {"_id": 1}, "output": {"d": {"$derivative": {"input": "$miles"}, "window": {"documents": [-1, 0]}}}})

POWER = [
    {"_id": 0, "powerMeterID": "1", "timeStamp": dt("2020-05-18T14:10:30Z"), "kilowatts": 2.95},
    {"_id": 1, "powerMeterID": "1", "timeStamp": dt("2020-05-18T14:11:00Z"), "kilowatts": 2.7},
    {"_id": 2, "powerMeterID": "1", "timeStamp": dt("2020-05-18T14:11:30Z"), "kilowatts": 2.6},
    {"_id": 3, "powerMeterID": "1", "timeStamp": dt("2020-05-18T14:12:00Z"), "kilowatts": 2.98},
    {"_id": 4, "powerMeterID": "2", "timeStamp": dt("2020-05-18T14:10:30Z"), "kilowatts": 2.5},
    {"_id": 5, "powerMeterID": "2", "timeStamp": dt("2020-05-18T14:11:00Z"), "kilowatts": 2.25},
    {"_id": 6, "powerMeterID": "2", "timeStamp": dt("2020-05-18T14:11:30Z"), "kilowatts": 2.75},
    {"_id": 7, "powerMeterID": "2", "timeStamp": dt("2020-05-18T14:12:00Z"), "kilowatts": 2.82},
]
window("$integral/manual", POWER, {"partitionBy": "$powerMeterID", "sortBy": {"timeStamp": 1}, "output": {"powerMeterKilowattHours": {"$integral": {"input": "$kilowatts", "unit": "hour"}, "window": {"range": ["unbounded", "current"], "unit": "hour"}}}},
       tail=[{"$match": {"powerMeterKilowattHours": {"$gt": 0}}}], manual="integral", expect=[
           dict(POWER[i], powerMeterKilowattHours=v) for i, v in
           [(1, 0.023541666666666666), (2, 0.045625), (3, 0.068875), (5, 0.019791666666666666), (6, 0.040625), (7, 0.06383333333333334)]
       ])
window("$integral/documents-numeric", [{"_id": i, "x": i * 2, "y": v} for i, v in enumerate([1, 3, 2, L(4), 1.5])], {"sortBy": {"x": 1}, "output": {"area": {"$integral": {"input": "$y"}, "window": {"documents": ["unbounded", "current"]}}}})

STOCKS = [
    {"_id": 0, "stock": "ABC", "date": dt("2020-05-18T20:00:00Z"), "price": 13},
    {"_id": 1, "stock": "ABC", "date": dt("2020-05-19T20:00:00Z"), "price": 15.4},
    {"_id": 2, "stock": "ABC", "date": dt("2020-05-20T20:00:00Z"), "price": 12},
    {"_id": 3, "stock": "ABC", "date": dt("2020-05-21T20:00:00Z"), "price": 11.7},
    {"_id": 4, "stock": "DEF", "date": dt("2020-05-18T20:00:00Z"), "price": 82},
    {"_id": 5, "stock": "DEF", "date": dt("2020-05-19T20:00:00Z"), "price": 94},
    {"_id": 6, "stock": "DEF", "date": dt("2020-05-20T20:00:00Z"), "price": 112},
    {"_id": 7, "stock": "DEF", "date": dt("2020-05-21T20:00:00Z"), "price": 97.3},
]
window("$expMovingAvg/manual-N", STOCKS, {"partitionBy": "$stock", "sortBy": {"date": 1}, "output": {"expMovingAvgForStock": {"$expMovingAvg": {"input": "$price", "N": 2}}}}, manual="expMovingAvg")
window("$expMovingAvg/manual-alpha", STOCKS, {"partitionBy": "$stock", "sortBy": {"date": 1}, "output": {"expMovingAvgForStock": {"$expMovingAvg": {"input": "$price", "alpha": 0.75}}}}, manual="expMovingAvg")
window("$covariancePop/manual", CAKES, {"partitionBy": "$state", "sortBy": {"orderDate": 1}, "output": {"covariancePopForState": {"$covariancePop": [{"$year": "$orderDate"}, "$quantity"], "window": {"documents": ["unbounded", "current"]}}}}, manual="covariancePop",
       expect=with_field(CAKES, "covariancePopForState", {4: 0.0, 0: -10.5, 2: -5.666666666666671, 5: 0.0, 3: -7.5, 1: 2.0}))
window("$covarianceSamp/manual", CAKES, {"partitionBy": "$state", "sortBy": {"orderDate": 1}, "output": {"covarianceSampForState": {"$covarianceSamp": [{"$year": "$orderDate"}, "$quantity"], "window": {"documents": ["unbounded", "current"]}}}}, manual="covarianceSamp",
       expect=with_field(CAKES, "covarianceSampForState", {4: None, 0: -21.0, 2: -8.500000000000007, 5: None, 3: -15.0, 1: 3.0}))

LINEAR = [
    {"_id": 0, "time": dt("2021-03-08T09:00:00.000Z"), "price": 500},
    {"_id": 1, "time": dt("2021-03-08T10:00:00.000Z")},
    {"_id": 2, "time": dt("2021-03-08T11:00:00.000Z"), "price": 515},
    {"_id": 3, "time": dt("2021-03-08T12:00:00.000Z")},
    {"_id": 4, "time": dt("2021-03-08T13:00:00.000Z")},
    {"_id": 5, "time": dt("2021-03-08T14:00:00.000Z"), "price": 485},
]
_LF = {0: 500, 1: 507.5, 2: 515, 3: 505.0, 4: 495.0, 5: 485}
_LOCF = {0: 500, 1: 500, 2: 515, 3: 515, 4: 515, 5: 485}
window("$linearFill/manual", LINEAR, {"sortBy": {"time": 1}, "output": {"price": {"$linearFill": "$price"}}}, manual="linearFill",
       expect=with_field(LINEAR, "price", _LF))
window("$locf/manual", LINEAR, {"sortBy": {"time": 1}, "output": {"price": {"$locf": "$price"}}}, manual="locf")
window("$linearFill/manual-with-locf", LINEAR, {"sortBy": {"time": 1}, "output": {"linearFillPrice": {"$linearFill": "$price"}, "locfPrice": {"$locf": "$price"}}}, manual="linearFill",
       expect=[dict(d, linearFillPrice=_LF[d["_id"]], locfPrice=_LOCF[d["_id"]]) for d in LINEAR])
window("$linearFill/manual-null-values", [{"_id": i, "index": i, "value": v} for i, v in enumerate([0, None, None, None, 10])], {"sortBy": {"index": 1}, "output": {"value": {"$linearFill": "$value"}}}, manual="linearFill",
       expect=[{"_id": i, "index": i, "value": v} for i, v in enumerate([0, 2.5, 5.0, 7.5, 10])])
window("$linearFill/ends-stay-null", [{"_id": i, "x": i, "v": v} for i, v in enumerate([None, 2, None, 6, None])], {"sortBy": {"x": 1}, "output": {"v": {"$linearFill": "$v"}}}, manual="linearFill",
       expect=[{"_id": i, "x": i, "v": v} for i, v in enumerate([None, 2, 4.0, 6, None])])
window("$locf/leading-nulls-stay", [{"_id": 1, "v": None}, {"_id": 2, "v": 3}, {"_id": 3}, {"_id": 4, "v": None}], {"sortBy": {"_id": 1}, "output": {"v": {"$locf": "$v"}}})
case("$setWindowFields/rank-without-sort-error", CAKES, [{"$setWindowFields": {"output": {"r": {"$rank": {}}}}}], error=5371602)

# ================================================================ stages
section("stages")

SUPPLIES = [
    {"_id": 1, "supplier": "Aardvark and Sons", "state": "Texas"},
    {"_id": 2, "supplier": "Bears Run Amok.", "state": "Colorado"},
    {"_id": 3, "supplier": "Squid Mark Inc. ", "state": "Rhode Island"},
]
WAREHOUSES_U = [
    {"_id": 1, "warehouse": "A", "region": "West", "state": "California"},
    {"_id": 2, "warehouse": "B", "region": "Central", "state": "Colorado"},
    {"_id": 3, "warehouse": "C", "region": "East", "state": "Florida"},
]
case("$unionWith/manual", SUPPLIES, [
    {"$project": {"state": 1, "_id": 0}},
    {"$unionWith": {"coll": "warehouses", "pipeline": [{"$project": {"state": 1, "_id": 0}}]}},
    {"$group": {"_id": "$state"}},
    {"$sort": {"_id": 1}},
], colls={"warehouses": WAREHOUSES_U}, manual="unionWith")
case("$unionWith/coll-only", SUPPLIES, [{"$unionWith": "warehouses"}, {"$sort": {"state": 1}}, {"$project": {"_id": 0, "state": 1}}], colls={"warehouses": WAREHOUSES_U})
case("$unionWith/documents-pipeline", [{"_id": 1, "a": 1}], [{"$unionWith": {"pipeline": [{"$documents": [{"a": 2}, {"a": 3}]}]}}, {"$project": {"_id": 0, "a": 1}}, {"$sort": {"a": 1}}],
     manual="unionWith", expect=[{"a": 1}, {"a": 2}, {"a": 3}])

EMPLOYEES = [
    {"_id": 1, "name": "Dev"},
    {"_id": 2, "name": "Eliot", "reportsTo": "Dev"},
    {"_id": 3, "name": "Ron", "reportsTo": "Eliot"},
    {"_id": 4, "name": "Andrew", "reportsTo": "Eliot"},
    {"_id": 5, "name": "Asya", "reportsTo": "Ron"},
    {"_id": 6, "name": "Dan", "reportsTo": "Andrew"},
]


def graph(name, docs, gl, sort_field, **kw):
    """$graphLookup leaves the order of `as` unspecified: it is sorted by _id."""
    as_ = gl["as"]
    case(name, docs, [
        {"$graphLookup": gl},
        {"$addFields": {as_: {"$sortArray": {"input": f"${as_}", "sortBy": {sort_field: 1}}}}},
        {"$sort": {"_id": 1}},
    ], **kw)


graph("$graphLookup/manual-single-collection", EMPLOYEES, {"from": "c", "startWith": "$reportsTo", "connectFromField": "reportsTo", "connectToField": "name", "as": "reportingHierarchy"}, "_id", manual="graphLookup")
graph("$graphLookup/maxDepth-depthField", EMPLOYEES, {"from": "c", "startWith": "$reportsTo", "connectFromField": "reportsTo", "connectToField": "name", "as": "chain", "maxDepth": 1, "depthField": "depth"}, "_id")
AIRPORTS = [
    {"_id": 0, "airport": "JFK", "connects": ["BOS", "ORD"]},
    {"_id": 1, "airport": "BOS", "connects": ["JFK", "PWM"]},
    {"_id": 2, "airport": "ORD", "connects": ["JFK"]},
    {"_id": 3, "airport": "PWM", "connects": ["BOS", "LHR"]},
    {"_id": 4, "airport": "LHR", "connects": ["PWM"]},
]
TRAVELERS = [
    {"_id": 1, "name": "Dev", "nearestAirport": "JFK"},
    {"_id": 2, "name": "Eliot", "nearestAirport": "JFK"},
    {"_id": 3, "name": "Jeff", "nearestAirport": "BOS"},
]
graph("$graphLookup/manual-multiple-collections", TRAVELERS, {"from": "airports", "startWith": "$nearestAirport", "connectFromField": "connects", "connectToField": "airport", "maxDepth": 2, "depthField": "numConnections", "as": "destinations"}, "_id", colls={"airports": AIRPORTS}, manual="graphLookup")
PEOPLE = [
    {"_id": 1, "name": "Tanya Jordan", "friends": ["Shirley Soto", "Terry Hawkins", "Carole Hale"], "hobbies": ["tennis", "unicycling", "golf"]},
    {"_id": 2, "name": "Carole Hale", "friends": ["Joseph Dennis", "Tanya Jordan", "Terry Hawkins"], "hobbies": ["archery", "golf", "woodworking"]},
    {"_id": 3, "name": "Terry Hawkins", "friends": ["Tanya Jordan", "Carole Hale", "Angelo Ward"], "hobbies": ["knitting", "frisbee"]},
    {"_id": 4, "name": "Joseph Dennis", "friends": ["Angelo Ward", "Carole Hale"], "hobbies": ["tennis", "golf", "topiary"]},
    {"_id": 5, "name": "Angelo Ward", "friends": ["Terry Hawkins", "Shirley Soto", "Joseph Dennis"], "hobbies": ["travel", "ceramics", "golf"]},
    {"_id": 6, "name": "Shirley Soto", "friends": ["Angelo Ward", "Tanya Jordan", "Carole Hale"], "hobbies": ["frisbee", "set theory"]},
]
case("$graphLookup/manual-restrictSearchWithMatch", PEOPLE, [
    {"$match": {"name": "Tanya Jordan"}},
    {"$graphLookup": {"from": "c", "startWith": "$friends", "connectFromField": "friends", "connectToField": "name", "as": "golfers", "restrictSearchWithMatch": {"hobbies": "golf"}}},
    {"$project": {"name": 1, "friends": 1, "connections who play golf": {"$sortArray": {"input": {"$map": {"input": "$golfers", "in": "$$this.name"}}, "sortBy": 1}}}},
], manual="graphLookup")

WEATHER = [
    {"_id": 1, "metadata": {"sensorId": 5578, "type": "temperature"}, "timestamp": dt("2021-05-18T00:00:00.000Z"), "temp": 12},
    {"_id": 2, "metadata": {"sensorId": 5578, "type": "temperature"}, "timestamp": dt("2021-05-18T04:00:00.000Z"), "temp": 11},
    {"_id": 3, "metadata": {"sensorId": 5578, "type": "temperature"}, "timestamp": dt("2021-05-18T08:00:00.000Z"), "temp": 11},
    {"_id": 4, "metadata": {"sensorId": 5578, "type": "temperature"}, "timestamp": dt("2021-05-18T12:00:00.000Z"), "temp": 12},
]
case("$densify/manual-time", WEATHER, [
    {"$densify": {"field": "timestamp", "range": {"step": 1, "unit": "hour", "bounds": [dt("2021-05-18T00:00:00.000Z"), dt("2021-05-18T08:00:00.000Z")]}}},
    {"$project": {"_id": 0, "timestamp": 1, "temp": 1}},
], manual="densify")
COFFEE = [
    {"_id": 1, "altitude": 600, "variety": "Arabica Typica", "score": 68.3},
    {"_id": 2, "altitude": 750, "variety": "Arabica Typica", "score": 69.5},
    {"_id": 3, "altitude": 950, "variety": "Arabica Typica", "score": 70.5},
    {"_id": 4, "altitude": 1250, "variety": "Gesha", "score": 88.15},
    {"_id": 5, "altitude": 1700, "variety": "Gesha", "score": 95.5, "price": 1029},
]
case("$densify/manual-partitions", COFFEE, [
    {"$densify": {"field": "altitude", "partitionByFields": ["variety"], "range": {"bounds": "full", "step": 200}}},
    {"$project": {"_id": 0, "altitude": 1, "variety": 1}},
    {"$sort": {"variety": 1, "altitude": 1}},
], manual="densify", expect=[
    {"altitude": 600, "variety": "Arabica Typica"}, {"altitude": 750, "variety": "Arabica Typica"}, {"variety": "Arabica Typica", "altitude": 800},
    {"altitude": 950, "variety": "Arabica Typica"}, {"variety": "Arabica Typica", "altitude": 1000}, {"variety": "Arabica Typica", "altitude": 1200},
    {"variety": "Arabica Typica", "altitude": 1400}, {"variety": "Arabica Typica", "altitude": 1600},
    {"variety": "Gesha", "altitude": 600}, {"variety": "Gesha", "altitude": 800}, {"variety": "Gesha", "altitude": 1000}, {"variety": "Gesha", "altitude": 1200},
    {"altitude": 1250, "variety": "Gesha"}, {"variety": "Gesha", "altitude": 1400}, {"variety": "Gesha", "altitude": 1600}, {"altitude": 1700, "variety": "Gesha"},
])
case("$densify/manual-partition-bounds", COFFEE, [
    {"$densify": {"field": "altitude", "partitionByFields": ["variety"], "range": {"bounds": "partition", "step": 200}}},
    {"$project": {"_id": 0, "altitude": 1, "variety": 1}},
    {"$sort": {"variety": 1, "altitude": 1}},
], manual="densify")
case("$densify/numeric-explicit-bounds", [{"_id": 1, "x": 2}, {"_id": 2, "x": 7}], [
    {"$densify": {"field": "x", "range": {"step": 2, "bounds": [0, 10]}}}, {"$project": {"_id": 0, "x": 1}}, {"$sort": {"x": 1}},
])

DAILYSALES = [
    {"_id": 1, "date": dt("2022-02-02"), "bootsSold": 10, "sandalsSold": 20, "sneakersSold": 12},
    {"_id": 2, "date": dt("2022-02-03"), "bootsSold": 7, "sneakersSold": 18},
    {"_id": 3, "date": dt("2022-02-04"), "sneakersSold": 5},
]
case("$fill/manual-value", DAILYSALES, [{"$fill": {"output": {"bootsSold": {"value": 0}, "sandalsSold": {"value": 0}, "sneakersSold": {"value": 0}}}}, {"$sort": {"_id": 1}}], manual="fill")
STOCK_FILL = [
    {"_id": 1, "time": dt("2021-03-08T09:00:00.000Z"), "price": 500},
    {"_id": 2, "time": dt("2021-03-08T10:00:00.000Z")},
    {"_id": 3, "time": dt("2021-03-08T11:00:00.000Z"), "price": 515},
    {"_id": 4, "time": dt("2021-03-08T12:00:00.000Z")},
    {"_id": 5, "time": dt("2021-03-08T13:00:00.000Z")},
    {"_id": 6, "time": dt("2021-03-08T14:00:00.000Z"), "price": 485},
]
case("$fill/manual-linear", STOCK_FILL, [{"$fill": {"sortBy": {"time": 1}, "output": {"price": {"method": "linear"}}}}, {"$sort": {"_id": 1}}], manual="fill")
RESTAURANT = [
    {"_id": 1, "date": dt("2021-03-08"), "restaurant": "Joe's Pizza", "score": 90},
    {"_id": 2, "date": dt("2021-03-08"), "restaurant": "Sally's Deli", "score": 75},
    {"_id": 3, "date": dt("2021-03-09"), "restaurant": "Joe's Pizza", "score": 92},
    {"_id": 4, "date": dt("2021-03-09"), "restaurant": "Sally's Deli"},
    {"_id": 5, "date": dt("2021-03-10"), "restaurant": "Joe's Pizza"},
    {"_id": 6, "date": dt("2021-03-10"), "restaurant": "Sally's Deli", "score": 68},
    {"_id": 7, "date": dt("2021-03-11"), "restaurant": "Joe's Pizza", "score": 93},
    {"_id": 8, "date": dt("2021-03-11"), "restaurant": "Sally's Deli"},
]
case("$fill/manual-locf-partition", RESTAURANT, [{"$fill": {"sortBy": {"date": 1}, "partitionBy": {"restaurant": "$restaurant"}, "output": {"score": {"method": "locf"}}}}, {"$sort": {"_id": 1}}], manual="fill")

FORECASTS = [{"_id": 1, "title": "123 Department Report", "tags": ["G", "STLW"], "year": 2014, "subsections": [
    {"subtitle": "Section 1: Overview", "tags": ["SI", "G"], "content": "Section 1: This is the content of section 1."},
    {"subtitle": "Section 2: Analysis", "tags": ["STLW"], "content": "Section 2: This is the content of section 2."},
    {"subtitle": "Section 3: Budgeting", "tags": ["TK"], "content": {"text": "Section 3: This is the content of section 3.", "tags": ["HCS"]}},
]}]
case("$redact/manual-tags", FORECASTS, [
    {"$match": {"year": 2014}},
    {"$redact": {"$cond": {"if": {"$gt": [{"$size": {"$setIntersection": ["$tags", ["STLW", "G"]]}}, 0]}, "then": "$$DESCEND", "else": "$$PRUNE"}}},
], manual="redact")
ACCOUNTS_R = [{"_id": 1, "level": 1, "acct_id": "xyz123", "cc": {"level": 5, "type": "yy", "num": "000000000000", "exp_date": dt("2015-11-01"), "billing_addr": {"level": 5, "addr1": "123 ABC Street", "city": "Some City"}, "shipping_addr": [{"level": 3, "addr1": "987 XYZ Ave", "city": "Some City"}, {"level": 3, "addr1": "PO Box 0123", "city": "Some City"}]}, "status": "A"}]
case("$redact/manual-keep-prune", ACCOUNTS_R, [
    {"$match": {"status": "A"}},
    {"$redact": {"$cond": {"if": {"$eq": ["$level", 5]}, "then": "$$PRUNE", "else": "$$DESCEND"}}},
], manual="redact")
case("$redact/keep", [{"_id": 1, "a": {"b": 1}}, {"_id": 2, "a": 2}], [{"$redact": {"$cond": [{"$eq": ["$_id", 1]}, "$$KEEP", "$$PRUNE"]}}])

ARTWORK = [
    {"_id": 1, "title": "The Pillars of Society", "artist": "Grosz", "year": 1926, "price": dec("199.99"), "dimensions": {"height": 39, "width": 21, "units": "in"}},
    {"_id": 2, "title": "Melancholy III", "artist": "Munch", "year": 1902, "price": dec("280.00"), "dimensions": {"height": 49, "width": 32, "units": "in"}},
    {"_id": 3, "title": "Dancer", "artist": "Miro", "year": 1925, "price": dec("76.04"), "dimensions": {"height": 25, "width": 20, "units": "in"}},
    {"_id": 4, "title": "The Great Wave off Kanagawa", "artist": "Hokusai", "price": dec("167.30"), "dimensions": {"height": 24, "width": 36, "units": "in"}},
    {"_id": 5, "title": "The Persistence of Memory", "artist": "Dali", "year": 1931, "price": dec("483.00"), "dimensions": {"height": 20, "width": 24, "units": "in"}},
    {"_id": 6, "title": "Composition VII", "artist": "Kandinsky", "year": 1913, "price": dec("385.00"), "dimensions": {"height": 30, "width": 46, "units": "in"}},
    {"_id": 7, "title": "The Scream", "artist": "Munch", "price": dec("159.00"), "dimensions": {"height": 24, "width": 18, "units": "in"}},
    {"_id": 8, "title": "Blue Flower", "artist": "O'Keefe", "year": 1918, "price": dec("118.42"), "dimensions": {"height": 24, "width": 20, "units": "in"}},
]
case("$bucketAuto/manual", ARTWORK, [{"$bucketAuto": {"groupBy": "$price", "buckets": 4}}], manual="bucketAuto")
case("$bucketAuto/manual-output", ARTWORK, [{"$bucketAuto": {"groupBy": "$year", "buckets": 3, "output": {"count": {"$sum": 1}, "years": {"$push": "$year"}}}}], manual="bucketAuto")
case("$bucketAuto/granularity-R5", [{"_id": i, "v": i} for i in range(1, 21)], [{"$bucketAuto": {"groupBy": "$v", "buckets": 3, "granularity": "R5"}}], manual="bucketAuto")
case("$bucketAuto/granularity-powersof2", [{"_id": i, "v": i * 3} for i in range(1, 11)], [{"$bucketAuto": {"groupBy": "$v", "buckets": 4, "granularity": "POWERSOF2"}}])
case("$bucketAuto/more-buckets-than-values", [{"_id": i, "v": i % 2} for i in range(6)], [{"$bucketAuto": {"groupBy": "$v", "buckets": 5}}])
case("$bucket/manual", ARTWORK, [
    {"$bucket": {"groupBy": "$price", "boundaries": [0, 200, 400], "default": "Other", "output": {"count": {"$sum": 1}, "artwork": {"$push": {"title": "$title", "price": "$price"}}, "averagePrice": {"$avg": "$price"}}}},
], manual="bucket")
case("$bucket/missing-goes-default", ARTWORK, [{"$bucket": {"groupBy": "$year", "boundaries": [1890, 1910, 1920, 1940], "default": "Unknown", "output": {"count": {"$sum": 1}, "artists": {"$push": "$artist"}}}}], manual="bucket")
case("$bucket/no-default-error", ARTWORK, [{"$bucket": {"groupBy": "$year", "boundaries": [1890, 1910]}}], error=40066)

case("$documents/manual", [], [{"$documents": [{"x": 10}, {"x": 2}, {"x": 5}]}, {"$bucketAuto": {"groupBy": "$x", "buckets": 4}}], db_level=True, manual="documents")
case("$documents/manual-lookup", [
    {"_id": 1, "zip": 94301, "name": "Palo Alto"}, {"_id": 2, "zip": 10019, "name": "New York"},
], [
    {"$match": {}},
    {"$lookup": {"localField": "zip", "foreignField": "zip_id", "as": "city_state", "pipeline": [{"$documents": [
        {"zip_id": 94301, "name": "Palo Alto, CA"}, {"zip_id": 10019, "name": "New York, NY"},
    ]}]}},
    {"$sort": {"_id": 1}},
], manual="documents", expect=[
    {"_id": 1, "zip": 94301, "name": "Palo Alto", "city_state": [{"zip_id": 94301, "name": "Palo Alto, CA"}]},
    {"_id": 2, "zip": 10019, "name": "New York", "city_state": [{"zip_id": 10019, "name": "New York, NY"}]},
])
case("$documents/expressions", [], [{"$documents": {"$let": {"vars": {"ns": {"$range": [0, 3]}}, "in": {"$map": {"input": "$$ns", "in": {"n": "$$this", "sq": {"$multiply": ["$$this", "$$this"]}}}}}}}], db_level=True,
     manual="documents", expect=[{"n": 0, "sq": 0}, {"n": 1, "sq": 1}, {"n": 2, "sq": 4}])

EXHIBITS = [
    {"_id": 1, "artist": "Dali", "tags": ["painting", "satire", "Expressionism", "caricature"]},
    {"_id": 2, "artist": "Grosz", "tags": ["painting", "Expressionism"]},
    {"_id": 3, "artist": "Munch", "tags": ["woodcut", "Expressionism"]},
    {"_id": 4, "artist": "Hokusai", "tags": ["woodblock", "ukiyo-e"]},
]
case("$sortByCount/manual", EXHIBITS, [{"$unwind": "$tags"}, {"$sortByCount": "$tags"}, {"$match": {"count": {"$gt": 1}}}], manual="sortByCount")
case("$sortByCount/expression-key", NUMS, [{"$sortByCount": {"$type": "$a"}}, {"$sort": {"count": -1, "_id": 1}}])

case("$facet/manual", ARTWORK, [{"$facet": {
    "categorizedByPrice": [{"$match": {"price": {"$exists": 1}}}, {"$bucket": {"groupBy": "$price", "boundaries": [0, 150, 200, 300, 400], "default": "Other", "output": {"count": {"$sum": 1}, "titles": {"$push": "$title"}}}}],
    "categorizedByYears(Auto)": [{"$bucketAuto": {"groupBy": "$year", "buckets": 4}}],
    "count": [{"$count": "n"}],
}}], manual="facet")

ORDERS_L = [
    {"_id": 1, "item": "almonds", "price": 12, "ordered": 2},
    {"_id": 2, "item": "pecans", "price": 20, "ordered": 1},
    {"_id": 3, "item": "cookies", "price": 10, "ordered": 60},
]
WAREHOUSES_L = [
    {"_id": 1, "stock_item": "almonds", "warehouse": "A", "instock": 120},
    {"_id": 2, "stock_item": "pecans", "warehouse": "A", "instock": 80},
    {"_id": 3, "stock_item": "almonds", "warehouse": "B", "instock": 60},
    {"_id": 4, "stock_item": "cookies", "warehouse": "B", "instock": 40},
    {"_id": 5, "stock_item": "cookies", "warehouse": "A", "instock": 80},
]
case("$lookup/manual-let-pipeline", ORDERS_L, [
    {"$lookup": {"from": "warehouses", "let": {"order_item": "$item", "order_qty": "$ordered"}, "pipeline": [
        {"$match": {"$expr": {"$and": [{"$eq": ["$stock_item", "$$order_item"]}, {"$gte": ["$instock", "$$order_qty"]}]}}},
        {"$project": {"stock_item": 0, "_id": 0}},
        {"$sort": {"warehouse": 1}},
    ], "as": "stockdata"}},
    {"$sort": {"_id": 1}},
], colls={"warehouses": WAREHOUSES_L}, manual="lookup")
case("$lookup/concise-localfield-pipeline", ORDERS_L, [
    {"$lookup": {"from": "warehouses", "localField": "item", "foreignField": "stock_item", "let": {"q": "$ordered"}, "pipeline": [
        {"$project": {"_id": 0, "warehouse": 1, "enough": {"$gte": ["$instock", "$$q"]}}}, {"$sort": {"warehouse": 1}},
    ], "as": "w"}},
    {"$sort": {"_id": 1}},
], colls={"warehouses": WAREHOUSES_L})

case("$replaceRoot/manual-mergeObjects", [
    {"_id": 1, "name": {"first": "John", "last": "Backus"}},
    {"_id": 2, "name": {"first": "John", "last": "McCarthy"}},
    {"_id": 3, "name": {"first": "Grace", "last": "Hopper"}},
    {"_id": 4, "firstname": "Ole-Johan", "lastname": "Dahl"},
], [{"$sort": {"_id": 1}}, {"$replaceRoot": {"newRoot": {"$mergeObjects": [{"_id": "$_id", "first": "", "last": ""}, "$name"]}}}], manual="replaceRoot")
case("$replaceRoot/non-document-error", [{"_id": 1, "a": 5}], [{"$replaceRoot": {"newRoot": "$a"}}], error=40228)
case("$replaceWith/computed", [{"_id": 1, "a": {"b": 1}}], [{"$replaceWith": {"x": {"$add": ["$a.b", 1]}, "orig": "$$ROOT._id"}}])

UNWIND_INV = [
    {"_id": 1, "item": "Shirt", "sizes": ["S", "M", "L"]},
    {"_id": 2, "item": "Shorts", "sizes": []},
    {"_id": 3, "item": "Hat", "sizes": "M"},
    {"_id": 4, "item": "Gloves"},
    {"_id": 5, "item": "Scarf", "sizes": None},
]
case("$unwind/manual-default", UNWIND_INV, [{"$sort": {"_id": 1}}, {"$unwind": "$sizes"}], manual="unwind")
case("$unwind/manual-preserve", UNWIND_INV, [{"$sort": {"_id": 1}}, {"$unwind": {"path": "$sizes", "preserveNullAndEmptyArrays": True}}], manual="unwind")
# The manual shows the index as NumberLong (includeArrayIndex example).
case("$unwind/manual-index", UNWIND_INV, [{"$sort": {"_id": 1}}, {"$unwind": {"path": "$sizes", "includeArrayIndex": "arrayIndex"}}], manual="unwind", expect=[
    {"_id": 1, "item": "Shirt", "sizes": "S", "arrayIndex": L(0)}, {"_id": 1, "item": "Shirt", "sizes": "M", "arrayIndex": L(1)},
    {"_id": 1, "item": "Shirt", "sizes": "L", "arrayIndex": L(2)}, {"_id": 3, "item": "Hat", "sizes": "M", "arrayIndex": None},
])
case("$unwind/preserve-and-index", UNWIND_INV, [{"$sort": {"_id": 1}}, {"$unwind": {"path": "$sizes", "includeArrayIndex": "i", "preserveNullAndEmptyArrays": True}}], manual="unwind", expect=[
    {"_id": 1, "item": "Shirt", "sizes": "S", "i": L(0)}, {"_id": 1, "item": "Shirt", "sizes": "M", "i": L(1)},
    {"_id": 1, "item": "Shirt", "sizes": "L", "i": L(2)}, {"_id": 2, "item": "Shorts", "i": None},
    {"_id": 3, "item": "Hat", "sizes": "M", "i": None}, {"_id": 4, "item": "Gloves", "i": None},
    {"_id": 5, "item": "Scarf", "sizes": None, "i": None},
])

case("$count/manual", [
    {"_id": 1, "subject": "History", "score": 88}, {"_id": 2, "subject": "History", "score": 92},
    {"_id": 3, "subject": "History", "score": 97}, {"_id": 4, "subject": "History", "score": 71},
    {"_id": 5, "subject": "History", "score": 79}, {"_id": 6, "subject": "History", "score": 83},
], [{"$match": {"score": {"$gt": 80}}}, {"$count": "passing_scores"}], manual="count")
# The manual ($count, "Behavior"): "If the input dataset is empty, $count
# doesn't return a result."
case("$count/empty-result", [{"_id": 1}], [{"$match": {"_id": 2}}, {"$count": "n"}], manual="count", expect=[])

case("$group/expression-id-and-mixed-accumulators", SALES_G, [
    {"$group": {"_id": {"y": {"$year": "$date"}, "big": {"$gte": ["$quantity", 10]}}, "n": {"$sum": 1}, "q": {"$avg": "$quantity"}, "items": {"$addToSet": "$item"}}},
    {"$project": {"n": 1, "q": 1, "items": {"$sortArray": {"input": "$items", "sortBy": 1}}}},
    {"$sort": {"_id.y": 1, "_id.big": 1}},
])
case("$addFields/nested-and-expressions", [{"_id": 1, "a": {"b": 1}, "arr": [1, 2]}], [{"$addFields": {"a.c": {"$add": ["$a.b", 1]}, "total": {"$sum": "$arr"}, "s": {"$toString": {"$size": "$arr"}}}}])
case("$project/expression-on-array-paths", [{"_id": 1, "items": [{"p": 1, "q": 2}, {"p": 3, "q": 4}, {"q": 5}]}], [{"$project": {"ps": "$items.p", "sum": {"$sum": "$items.q"}, "max": {"$max": "$items.p"}, "n": {"$size": "$items"}}}],
     manual="sum", expect=[{"_id": 1, "ps": [1, 3], "sum": 11, "max": 3, "n": 3}])
case("$match/expr-mixed", NUMS, [{"$match": {"$expr": {"$gt": [{"$add": ["$a", "$b"]}, 6]}}}, {"$sort": {"_id": 1}}, {"$project": {"_id": 1}}])

# ---------------------------------------------------------------- $bucketAuto, $redact, $graphLookup, $densify, $fill: every option
# (cases beyond the manual's own examples above; the manual pages are
# reference/operator/aggregation/{bucketAuto,redact,graphLookup,densify,fill})

THINGS = [{"_id": i} for i in range(100)]
for g in ["R5", "R10", "R20", "R40", "R80", "1-2-5", "E6", "E12", "E24", "E48", "E96", "E192", "POWERSOF2"]:
    case(f"$bucketAuto/things-{g}", THINGS, [{"$bucketAuto": {"groupBy": "$_id", "buckets": 5, "granularity": g}}])
case("$bucketAuto/things-no-granularity", THINGS, [{"$bucketAuto": {"groupBy": "$_id", "buckets": 5}}], manual="bucketAuto")
case("$bucketAuto/manual-area", ARTWORK, [{"$bucketAuto": {"groupBy": {"$multiply": ["$dimensions.height", "$dimensions.width"]}, "buckets": 4,
                                           "output": {"count": {"$sum": 1}, "titles": {"$push": "$title"}}}}], manual="bucketAuto")
BA_DOUBLES = [{"_id": i, "v": v} for i, v in enumerate([0.15, 0.3, 0.7, 1.2, 2.5, 8.0, 13.0, 0.08])]
case("$bucketAuto/doubles-E6", BA_DOUBLES, [{"$bucketAuto": {"groupBy": "$v", "buckets": 3, "granularity": "E6"}}])
case("$bucketAuto/doubles-R10", BA_DOUBLES, [{"$bucketAuto": {"groupBy": "$v", "buckets": 4, "granularity": "R10"}}])
case("$bucketAuto/doubles-powersof2", BA_DOUBLES, [{"$bucketAuto": {"groupBy": "$v", "buckets": 3, "granularity": "POWERSOF2"}}])
case("$bucketAuto/decimals-R5", [{"_id": i, "v": dec(s)} for i, s in enumerate(["0.5", "1.7", "3", "12.25", "40"])], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "R5"}}])
case("$bucketAuto/zeros-first-bucket", [{"_id": i, "v": v} for i, v in enumerate([0, 0, 0, 5, 7, 9])], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "R5"}}])
case("$bucketAuto/mixed-numeric-types", [{"_id": 1, "v": 1}, {"_id": 2, "v": L(2)}, {"_id": 3, "v": 2.5}, {"_id": 4, "v": dec("3")}, {"_id": 5, "v": 4}, {"_id": 6, "v": 2.0}],
     [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "output": {"n": {"$sum": 1}, "vs": {"$push": "$v"}}}}])
case("$bucketAuto/missing-and-null-keys", [{"_id": 1, "v": 3}, {"_id": 2}, {"_id": 3, "v": None}, {"_id": 4, "v": 1}, {"_id": 5, "v": 2}],
     [{"$bucketAuto": {"groupBy": "$v", "buckets": 2}}])
case("$bucketAuto/mixed-types-order", [{"_id": 1, "v": "b"}, {"_id": 2, "v": 5}, {"_id": 3, "v": "a"}, {"_id": 4, "v": 1}],
     [{"$bucketAuto": {"groupBy": "$v", "buckets": 2}}])
case("$bucketAuto/equal-values-absorbed", [{"_id": i, "v": v} for i, v in enumerate([1, 1, 1, 1, 2, 3])], [{"$bucketAuto": {"groupBy": "$v", "buckets": 3}}])
case("$bucketAuto/dates", [{"_id": i, "d": dt(f"2021-0{i + 1}-01")} for i in range(6)], [{"$bucketAuto": {"groupBy": "$d", "buckets": 3}}])
case("$bucketAuto/accumulators", [{"_id": i, "v": i, "g": i % 3} for i in range(1, 10)],
     [{"$bucketAuto": {"groupBy": "$v", "buckets": 3, "output": {"avg": {"$avg": "$v"}, "max": {"$max": "$g"}, "min": {"$min": "$g"}, "set": {"$addToSet": "$g"}, "sum": {"$sum": "$v"}}}},
      {"$set": {"set": {"$sortArray": {"input": "$set", "sortBy": 1}}}}])
case("$bucketAuto/empty-output-is-count", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 1, "output": {}}}])
case("$bucketAuto/one-bucket", [{"_id": i, "v": 10 - i} for i in range(5)], [{"$bucketAuto": {"groupBy": "$v", "buckets": 1}}])
case("$bucketAuto/buckets-long-and-double", [{"_id": i, "v": i} for i in range(6)], [{"$facet": {
    "l": [{"$bucketAuto": {"groupBy": "$v", "buckets": L(2)}}], "d": [{"$bucketAuto": {"groupBy": "$v", "buckets": 3.0}}]}}])
case("$bucketAuto/empty-input", [], [{"$bucketAuto": {"groupBy": "$v", "buckets": 3}}])
case("$bucketAuto/granularity-string-value-error", [{"_id": 1, "v": "a"}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "R5"}}], error=40258)
case("$bucketAuto/granularity-negative-error", [{"_id": 1, "v": -3}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "R5"}}], error=40260)
case("$bucketAuto/granularity-missing-error", [{"_id": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "E12"}}], error=40258)
case("$bucketAuto/granularity-unknown-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "R7"}}], error=40257)
case("$bucketAuto/granularity-not-string-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": 5}}], error=40261)
case("$bucketAuto/buckets-zero-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 0}}], error=40243)
case("$bucketAuto/buckets-fraction-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 1.5}}], error=40242)
case("$bucketAuto/buckets-string-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": "2"}}], error=40241)
case("$bucketAuto/groupBy-not-expression-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "v", "buckets": 2}}], error=40239)
case("$bucketAuto/unknown-option-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "boundaries": [1]}}], error=40245)
case("$bucketAuto/missing-buckets-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v"}}], error=40246)
case("$bucketAuto/output-not-object-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": {"groupBy": "$v", "buckets": 1, "output": []}}], error=40244)
case("$bucketAuto/not-object-error", [{"_id": 1, "v": 1}], [{"$bucketAuto": 1}], error=40240)

case("$redact/prune-everything", [{"_id": 1, "a": 1}, {"_id": 2}], [{"$redact": "$$PRUNE"}])
case("$redact/descend-keeps-scalars-and-arrays", [{"_id": 1, "a": [1, [2, {"x": 1, "s": "no"}], {"s": "no"}, {"s": "yes", "b": {"s": "no"}}], "s": "yes"}],
     [{"$redact": {"$cond": [{"$eq": ["$s", "no"]}, "$$PRUNE", "$$DESCEND"]}}])
case("$redact/missing-field-descend", [{"_id": 1, "sub": {"lvl": None, "x": 1}, "o": {"x": 2}}, {"_id": 2, "lvl": 1}],
     [{"$redact": {"$cond": [{"$eq": ["$lvl", 1]}, "$$PRUNE", "$$DESCEND"]}}])
case("$redact/keep-stops-descent", [{"_id": 1, "k": 1, "sub": {"k": 0, "drop": True}}],
     [{"$redact": {"$switch": {"branches": [{"case": {"$eq": ["$k", 1]}, "then": "$$KEEP"}], "default": "$$PRUNE"}}}])
case("$redact/root-variable", [{"_id": 1, "keep": True, "a": {"b": 1}}, {"_id": 2, "keep": False}],
     [{"$redact": {"$cond": ["$$ROOT.keep", "$$DESCEND", "$$PRUNE"]}}])
# mongod compares the result with the strings "descend", "prune" and "keep"
# (the values of $$DESCEND, $$PRUNE, $$KEEP); SecantusDB accepts only the variables.
case("$redact/string-results", [{"_id": 1, "a": {"b": 1}}], [{"$redact": {"$literal": "descend"}}],
     source="mongod 8.0 src/mongo/db/pipeline/redact_processor.cpp (descendVal = Value(\"descend\"))", expect=[{"_id": 1, "a": {"b": 1}}])
case("$redact/bad-result-error", [{"_id": 1}], [{"$redact": "$_id"}], error=17053)
case("$redact/missing-result-error", [{"_id": 1}], [{"$redact": "$nope"}], error=17053)

GL = {"from": "c", "startWith": "$reportsTo", "connectFromField": "reportsTo", "connectToField": "name", "as": "chain"}
graph("$graphLookup/startWith-array-literal", [{"_id": 0, "x": 1}], {"from": "employees", "startWith": ["Ron", "Andrew"], "connectFromField": "reportsTo", "connectToField": "name", "as": "up"}, "_id",
      colls={"employees": EMPLOYEES})
graph("$graphLookup/startWith-expression", [{"_id": 0, "who": "ron"}], {"from": "employees", "startWith": {"$concat": [{"$toUpper": {"$substrCP": ["$who", 0, 1]}}, {"$substrCP": ["$who", 1, 10]}]},
      "connectFromField": "reportsTo", "connectToField": "name", "as": "up", "depthField": "d"}, "_id", colls={"employees": EMPLOYEES})
graph("$graphLookup/startWith-missing-and-null", [{"_id": 1}, {"_id": 2, "s": None}], {"from": "employees", "startWith": "$s", "connectFromField": "reportsTo", "connectToField": "reportsTo", "as": "r"}, "_id",
      colls={"employees": EMPLOYEES})
graph("$graphLookup/maxDepth-zero", AIRPORTS, {"from": "c", "startWith": "$connects", "connectFromField": "connects", "connectToField": "airport", "as": "r", "maxDepth": 0}, "_id")
graph("$graphLookup/cycle-visits-once", [{"_id": 1, "n": "a", "to": "b"}, {"_id": 2, "n": "b", "to": "a"}], {**GL, "startWith": "$to", "connectFromField": "to", "connectToField": "n", "depthField": "d"}, "_id")
graph("$graphLookup/mixed-numeric-keys", [{"_id": 1, "k": 1, "next": L(2)}, {"_id": 2, "k": 2.0, "next": dec("3")}, {"_id": 3, "k": 3, "next": None}, {"_id": 4, "k": None}],
      {"from": "c", "startWith": 1.0, "connectFromField": "next", "connectToField": "k", "as": "r", "depthField": "d"}, "_id")
graph("$graphLookup/connectTo-array-field", [{"_id": 1, "tags": ["x", "y"], "out": "z"}, {"_id": 2, "tags": ["z"], "out": ["w", "x"]}, {"_id": 3, "tags": "w"}],
      {"from": "c", "startWith": "y", "connectFromField": "out", "connectToField": "tags", "as": "r", "depthField": "d"}, "_id")
graph("$graphLookup/nested-paths", [{"_id": 1, "a": {"id": 1, "p": 2}}, {"_id": 2, "a": {"id": 2, "p": 3}}, {"_id": 3, "a": {"id": 3}}],
      {"from": "c", "startWith": "$a.p", "connectFromField": "a.p", "connectToField": "a.id", "as": "r", "depthField": "meta.depth"}, "_id")
graph("$graphLookup/restrict-operators", [{"_id": i, "n": i, "next": i + 1, "w": i * 10} for i in range(6)],
      {"from": "c", "startWith": "$next", "connectFromField": "next", "connectToField": "n", "as": "r", "restrictSearchWithMatch": {"w": {"$lt": 40}, "n": {"$ne": 2}}}, "_id")
graph("$graphLookup/missing-from-collection", [{"_id": 1, "a": 1}], {"from": "nothing_here", "startWith": "$a", "connectFromField": "a", "connectToField": "a", "as": "r"}, "_id")
case("$graphLookup/dotted-as", [{"_id": 1, "n": "a", "to": "a", "out": {"keep": 1}}], [{"$graphLookup": {**GL, "startWith": "$to", "connectFromField": "to", "connectToField": "n", "as": "out.r"}}])
case("$graphLookup/maxDepth-negative-error", EMPLOYEES, [{"$graphLookup": {**GL, "maxDepth": -1}}], error=40101)
case("$graphLookup/maxDepth-string-error", EMPLOYEES, [{"$graphLookup": {**GL, "maxDepth": "1"}}], error=40100)
case("$graphLookup/maxDepth-fraction-error", EMPLOYEES, [{"$graphLookup": {**GL, "maxDepth": 1.5}}], error=40102)
case("$graphLookup/as-not-string-error", EMPLOYEES, [{"$graphLookup": {**GL, "as": 1}}], error=40103)
case("$graphLookup/unknown-argument-error", EMPLOYEES, [{"$graphLookup": {**GL, "zz": 1}}], error=40104)
case("$graphLookup/missing-argument-error", EMPLOYEES, [{"$graphLookup": {k: v for k, v in GL.items() if k != "connectToField"}}], error=40105)
case("$graphLookup/restrict-not-object-error", EMPLOYEES, [{"$graphLookup": {**GL, "restrictSearchWithMatch": 1}}], error=40185)
case("$graphLookup/not-object-error", EMPLOYEES, [{"$graphLookup": 5}], error=9)

DENS = [{"_id": 1, "x": 1}, {"_id": 2, "x": 4}, {"_id": 3, "x": 9}]


def dens(name, docs, spec, sort=None, **kw):
    """$densify, then the result sorted (generated documents have no _id)."""
    case(name, docs, [{"$densify": spec}, {"$sort": sort or {spec["field"]: 1, "_id": 1}}], **kw)


dens("$densify/full-numeric", DENS, {"field": "x", "range": {"step": 2, "bounds": "full"}})
dens("$densify/full-step-double-on-ints", DENS, {"field": "x", "range": {"step": 1.5, "bounds": "full"}})
dens("$densify/full-longs", [{"_id": 1, "x": L(10)}, {"_id": 2, "x": L(13)}], {"field": "x", "range": {"step": 1, "bounds": "full"}})
dens("$densify/full-decimal-step", [{"_id": 1, "x": dec("0.5")}, {"_id": 2, "x": dec("1.5")}], {"field": "x", "range": {"step": dec("0.25"), "bounds": "full"}})
dens("$densify/full-doubles", [{"_id": 1, "x": 0.1}, {"_id": 2, "x": 0.9}], {"field": "x", "range": {"step": 0.2, "bounds": "full"}})
dens("$densify/missing-and-null-pass", [{"_id": 1, "x": 1}, {"_id": 2}, {"_id": 3, "x": None}, {"_id": 4, "x": 3}], {"field": "x", "range": {"step": 1, "bounds": "full"}})
dens("$densify/off-step-documents", [{"_id": 1, "x": 0}, {"_id": 2, "x": 3}, {"_id": 3, "x": 7}, {"_id": 4, "x": 8}], {"field": "x", "range": {"step": 2, "bounds": "full"}})
dens("$densify/explicit-below-and-above", [{"_id": 1, "x": -5}, {"_id": 2, "x": 3}, {"_id": 3, "x": 20}], {"field": "x", "range": {"step": 2, "bounds": [0, 8]}})
dens("$densify/explicit-empty-collection", [], {"field": "x", "range": {"step": 3, "bounds": [1, 10]}})
dens("$densify/explicit-doubles", [{"_id": 1, "x": 1.0}], {"field": "x", "range": {"step": 0.5, "bounds": [0.0, 2.0]}})
dens("$densify/explicit-partitions", [{"_id": 1, "p": "a", "x": 2}, {"_id": 2, "p": "b", "x": 5}, {"_id": 3, "p": "a", "x": 7}],
     {"field": "x", "partitionByFields": ["p"], "range": {"step": 2, "bounds": [0, 8]}}, sort={"p": 1, "x": 1})
dens("$densify/partition-two-fields", [{"_id": 1, "p": "a", "q": 1, "x": 0}, {"_id": 2, "p": "a", "q": 1, "x": 3}, {"_id": 3, "p": "a", "q": 2, "x": 1}, {"_id": 4, "p": "a", "q": 2, "x": 4}],
     {"field": "x", "partitionByFields": ["p", "q"], "range": {"step": 1, "bounds": "partition"}}, sort={"q": 1, "x": 1})
dens("$densify/partition-missing-partition-field", [{"_id": 1, "x": 0}, {"_id": 2, "x": 2}, {"_id": 3, "p": "a", "x": 1}, {"_id": 4, "p": "a", "x": 3}],
     {"field": "x", "partitionByFields": ["p"], "range": {"step": 1, "bounds": "partition"}}, sort={"p": 1, "x": 1})
dens("$densify/full-partitions-max-on-step", [{"_id": 1, "p": "a", "x": 0}, {"_id": 2, "p": "b", "x": 4}, {"_id": 3, "p": "a", "x": 2}],
     {"field": "x", "partitionByFields": ["p"], "range": {"step": 2, "bounds": "full"}}, sort={"p": 1, "x": 1})
dens("$densify/nested-field", [{"_id": 1, "m": {"t": 1}}, {"_id": 2, "m": {"t": 4}}], {"field": "m.t", "range": {"step": 1, "bounds": "full"}}, sort={"m.t": 1})
dens("$densify/array-on-path-passes", [{"_id": 1, "m": [{"t": 1}]}, {"_id": 2, "m": {"t": 2}}, {"_id": 3, "m": {"t": 5}}], {"field": "m.t", "range": {"step": 1, "bounds": "full"}}, sort={"_id": 1})
for unit, step, a, b in [
    ("millisecond", 250, "2021-01-01T00:00:00", "2021-01-01T00:00:01"),
    ("second", 20, "2021-01-01T00:00:00", "2021-01-01T00:01:00"),
    ("minute", 15, "2021-01-01T00:00:00", "2021-01-01T01:00:00"),
    ("day", 1, "2021-02-26T00:00:00", "2021-03-02T00:00:00"),
    ("week", 1, "2021-01-01T00:00:00", "2021-01-29T00:00:00"),
    ("month", 1, "2021-01-31T00:00:00", "2021-05-31T00:00:00"),
    ("quarter", 1, "2020-11-30T00:00:00", "2021-11-30T00:00:00"),
    ("year", 1, "2020-02-29T00:00:00", "2024-02-29T00:00:00"),
]:
    dens(f"$densify/date-unit-{unit}", [{"_id": 1, "t": dt(a)}, {"_id": 2, "t": dt(b)}], {"field": "t", "range": {"step": step, "unit": unit, "bounds": "full"}})
dens("$densify/date-explicit-partitions", [{"_id": 1, "s": 1, "t": dt("2021-05-18T01:00:00")}, {"_id": 2, "s": 2, "t": dt("2021-05-18T03:00:00")}],
     {"field": "t", "partitionByFields": ["s"], "range": {"step": 1, "unit": "hour", "bounds": [dt("2021-05-18T00:00:00"), dt("2021-05-18T04:00:00")]}}, sort={"s": 1, "t": 1})
case("$densify/string-value-error", [{"_id": 1, "x": "a"}], [{"$densify": {"field": "x", "range": {"step": 1, "bounds": "full"}}}], error=5733201)
case("$densify/number-with-unit-error", [{"_id": 1, "x": 1}], [{"$densify": {"field": "x", "range": {"step": 1, "unit": "day", "bounds": "full"}}}], error=6053600)
case("$densify/step-zero-error", DENS, [{"$densify": {"field": "x", "range": {"step": 0, "bounds": "full"}}}], error=5733401)
case("$densify/step-string-error", DENS, [{"$densify": {"field": "x", "range": {"step": "1", "bounds": "full"}}}], error=5733401)
case("$densify/bounds-descending-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": [5, 1]}}}], error=5733402)
case("$densify/bounds-one-element-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": [5]}}}], error=5733403)
case("$densify/bounds-bad-string-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": "all"}}}], error=5946802)
case("$densify/bounds-number-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": 3}}}], error=5733404)
case("$densify/bounds-mixed-types-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": [0, 5.0]}}}], error=5876900)
case("$densify/numeric-bounds-with-unit-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "unit": "day", "bounds": [0, 5]}}}], error=5733409)
case("$densify/date-bounds-without-unit-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": [dt("2021-01-01"), dt("2021-01-02")]}}}], error=5733410)
case("$densify/date-fractional-step-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1.5, "unit": "day", "bounds": "full"}}}], error=6586400)
case("$densify/partition-without-fields-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": "partition"}}}], error=5733408)
case("$densify/missing-range-error", DENS, [{"$densify": {"field": "x"}}], error=40414)
case("$densify/unknown-field-error", DENS, [{"$densify": {"field": "x", "range": {"step": 1, "bounds": "full"}, "extra": 1}}], error=40415)
case("$densify/not-object-error", DENS, [{"$densify": 1}], error=9)

FILLS = [{"_id": 1, "t": 1, "v": 10, "w": None}, {"_id": 2, "t": 2}, {"_id": 3, "t": 3, "v": None, "w": "x"}, {"_id": 4, "t": 4, "v": 40}, {"_id": 5, "t": 5}]
case("$fill/value-null-and-missing", FILLS, [{"$fill": {"output": {"v": {"value": -1}, "w": {"value": "filled"}}}}, {"$sort": {"_id": 1}}])
case("$fill/value-expression", FILLS, [{"$fill": {"output": {"v": {"value": {"$multiply": ["$t", 100]}}}}}, {"$sort": {"_id": 1}}])
case("$fill/locf-and-linear-together", FILLS, [{"$fill": {"sortBy": {"t": 1}, "output": {"v": {"method": "linear"}, "w": {"method": "locf"}}}}, {"$sort": {"_id": 1}}])
case("$fill/method-and-value-fields", FILLS, [{"$fill": {"sortBy": {"t": 1}, "output": {"v": {"method": "locf"}, "w": {"value": 0}}}}, {"$sort": {"_id": 1}}])
case("$fill/sort-descending", FILLS, [{"$fill": {"sortBy": {"t": -1}, "output": {"v": {"method": "locf"}}}}, {"$sort": {"_id": 1}}])
case("$fill/linear-mixed-numeric", [{"_id": 1, "t": 0, "v": 1}, {"_id": 2, "t": 1}, {"_id": 3, "t": 3, "v": L(7)}, {"_id": 4, "t": 4}, {"_id": 5, "t": 6, "v": 13.0}],
     [{"$fill": {"sortBy": {"t": 1}, "output": {"v": {"method": "linear"}}}}, {"$sort": {"_id": 1}}])
case("$fill/linear-by-date", [{"_id": 1, "d": dt("2021-01-01"), "v": 0}, {"_id": 2, "d": dt("2021-01-02")}, {"_id": 3, "d": dt("2021-01-05"), "v": 8}],
     [{"$fill": {"sortBy": {"d": 1}, "output": {"v": {"method": "linear"}}}}, {"$sort": {"_id": 1}}])
case("$fill/partitionByFields-linear", [{"_id": 1, "g": "a", "t": 1, "v": 1}, {"_id": 2, "g": "b", "t": 1, "v": 100}, {"_id": 3, "g": "a", "t": 2}, {"_id": 4, "g": "b", "t": 2},
                                       {"_id": 5, "g": "a", "t": 3, "v": 3}, {"_id": 6, "g": "b", "t": 3, "v": 300}],
     [{"$fill": {"sortBy": {"t": 1}, "partitionByFields": ["g"], "output": {"v": {"method": "linear"}}}}, {"$sort": {"_id": 1}}])
case("$fill/partitionBy-string", [{"_id": 1, "g": 1, "t": 1, "v": 5}, {"_id": 2, "g": 2, "t": 2}, {"_id": 3, "g": 1, "t": 3}],
     [{"$fill": {"sortBy": {"t": 1}, "partitionBy": "$g", "output": {"v": {"method": "locf"}}}}, {"$sort": {"_id": 1}}])
case("$fill/no-sort-keeps-order", [{"_id": 1, "k": 3}, {"_id": 2, "k": 1, "v": 2}, {"_id": 3, "k": 2, "v": None}], [{"$sort": {"k": 1}}, {"$fill": {"output": {"v": {"value": 0}}}}])
case("$fill/empty-output-error", FILLS, [{"$fill": {"output": {}}}], error=6050203)
case("$fill/output-not-object-error", FILLS, [{"$fill": {"output": {"v": 1}}}], error=6050200)
case("$fill/method-and-value-error", FILLS, [{"$fill": {"sortBy": {"t": 1}, "output": {"v": {"value": 1, "method": "locf"}}}}], error=6050201)
case("$fill/unknown-method-error", FILLS, [{"$fill": {"sortBy": {"t": 1}, "output": {"v": {"method": "mean"}}}}], error=6050202)
case("$fill/both-partitions-error", FILLS, [{"$fill": {"sortBy": {"t": 1}, "partitionBy": "$g", "partitionByFields": ["g"], "output": {"v": {"method": "locf"}}}}], error=6050204)
case("$fill/unknown-field-error", FILLS, [{"$fill": {"output": {"v": {"value": 1}}, "nope": 1}}], error=40415)
case("$fill/missing-output-error", FILLS, [{"$fill": {"sortBy": {"t": 1}}}], error=40414)


def pin(name, expect, **kw):
    """Judges an existing case against a documented result instead of SecantusDB."""
    c = next(c for c in CASES if c["name"] == name)
    if "manual" in kw and not kw["manual"].startswith("reference/"):
        kw["manual"] = M + kw["manual"]
    c.update(expect=expect, **kw)

# $bucketAuto: the first bucket's min is the int 0 the values start at (mongod's
# rounders return a zero unchanged); SecantusDB makes it 0.0.
pin('$bucketAuto/things-R5', [{'_id': {'min': 0, 'max': 25.0}, 'count': 25}, {'_id': {'min': 25.0, 'max': 63.0}, 'count': 38}, {'_id': {'min': 63.0, 'max': 100.0}, 'count': 37}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-R10', [{'_id': {'min': 0, 'max': 20.0}, 'count': 20}, {'_id': {'min': 20.0, 'max': 40.0}, 'count': 20}, {'_id': {'min': 40.0, 'max': 63.0}, 'count': 23}, {'_id': {'min': 63.0, 'max': 100.0}, 'count': 37}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-R20', [{'_id': {'min': 0, 'max': 20.0}, 'count': 20}, {'_id': {'min': 20.0, 'max': 40.0}, 'count': 20}, {'_id': {'min': 40.0, 'max': 63.0}, 'count': 23}, {'_id': {'min': 63.0, 'max': 90.0}, 'count': 27}, {'_id': {'min': 90.0, 'max': 100.0}, 'count': 10}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-R40', [{'_id': {'min': 0, 'max': 20.0}, 'count': 20}, {'_id': {'min': 20.0, 'max': 40.0}, 'count': 20}, {'_id': {'min': 40.0, 'max': 60.0}, 'count': 20}, {'_id': {'min': 60.0, 'max': 80.0}, 'count': 20}, {'_id': {'min': 80.0, 'max': 100.0}, 'count': 20}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-R80', [{'_id': {'min': 0, 'max': 19.5}, 'count': 20}, {'_id': {'min': 19.5, 'max': 41.2}, 'count': 22}, {'_id': {'min': 41.2, 'max': 61.5}, 'count': 20}, {'_id': {'min': 61.5, 'max': 82.5}, 'count': 21}, {'_id': {'min': 82.5, 'max': 103.0}, 'count': 17}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-1-2-5', [{'_id': {'min': 0, 'max': 20.0}, 'count': 20}, {'_id': {'min': 20.0, 'max': 50.0}, 'count': 30}, {'_id': {'min': 50.0, 'max': 100.0}, 'count': 50}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-E6', [{'_id': {'min': 0, 'max': 22.0}, 'count': 22}, {'_id': {'min': 22.0, 'max': 47.0}, 'count': 25}, {'_id': {'min': 47.0, 'max': 68.0}, 'count': 21}, {'_id': {'min': 68.0, 'max': 100.0}, 'count': 32}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-E12', [{'_id': {'min': 0, 'max': 22.0}, 'count': 22}, {'_id': {'min': 22.0, 'max': 47.0}, 'count': 25}, {'_id': {'min': 47.0, 'max': 68.0}, 'count': 21}, {'_id': {'min': 68.0, 'max': 100.0}, 'count': 32}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-E24', [{'_id': {'min': 0, 'max': 20.0}, 'count': 20}, {'_id': {'min': 20.0, 'max': 43.0}, 'count': 23}, {'_id': {'min': 43.0, 'max': 68.0}, 'count': 25}, {'_id': {'min': 68.0, 'max': 91.0}, 'count': 23}, {'_id': {'min': 91.0, 'max': 100.0}, 'count': 9}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-E48', [{'_id': {'min': 0, 'max': 19.6}, 'count': 20}, {'_id': {'min': 19.6, 'max': 40.2}, 'count': 21}, {'_id': {'min': 40.2, 'max': 61.900000000000006}, 'count': 21}, {'_id': {'min': 61.900000000000006, 'max': 82.5}, 'count': 21}, {'_id': {'min': 82.5, 'max': 100.0}, 'count': 17}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-E96', [{'_id': {'min': 0, 'max': 19.1}, 'count': 20}, {'_id': {'min': 19.1, 'max': 39.2}, 'count': 20}, {'_id': {'min': 39.2, 'max': 60.400000000000006}, 'count': 21}, {'_id': {'min': 60.400000000000006, 'max': 80.60000000000001}, 'count': 20}, {'_id': {'min': 80.60000000000001, 'max': 100.0}, 'count': 19}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/things-E192', [{'_id': {'min': 0, 'max': 19.1}, 'count': 20}, {'_id': {'min': 19.1, 'max': 39.2}, 'count': 20}, {'_id': {'min': 39.2, 'max': 59.7}, 'count': 20}, {'_id': {'min': 59.7, 'max': 79.60000000000001}, 'count': 20}, {'_id': {'min': 79.60000000000001, 'max': 100.0}, 'count': 20}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')
pin('$bucketAuto/zeros-first-bucket', [{'_id': {'min': 0, 'max': 4.0}, 'count': 3}, {'_id': {'min': 4.0, 'max': 10.0}, 'count': 3}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_preferred_numbers.cpp (roundDown(0) returns the 0 it is given)')

# POWERSOF2 boundaries of integer (and double) values are ints, as $pow makes
# them; SecantusDB gives doubles.
pin('$bucketAuto/things-POWERSOF2', [{'_id': {'min': 0, 'max': 32}, 'count': 32}, {'_id': {'min': 32, 'max': 64}, 'count': 32}, {'_id': {'min': 64, 'max': 128}, 'count': 36}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_powers_of_two.cpp ($pow of int 2 and an int exponent)')
pin('$bucketAuto/granularity-powersof2', [{'_id': {'min': 2, 'max': 16}, 'count': 5}, {'_id': {'min': 16, 'max': 32}, 'count': 5}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_powers_of_two.cpp ($pow of int 2 and an int exponent)')
pin('$bucketAuto/doubles-powersof2', [{'_id': {'min': 0.0625, 'max': 0.5}, 'count': 3}, {'_id': {'min': 0.5, 'max': 4}, 'count': 3}, {'_id': {'min': 4, 'max': 16}, 'count': 2}], source='mongod 8.0 src/mongo/db/pipeline/granularity_rounder_powers_of_two.cpp ($pow of int 2 and an int exponent)')

# Each bucket but the last takes round(n / buckets) documents (then any equal
# values): [1,1,1,1,2,3] in 3 buckets is {1..2: 4}, {2..3: 2}; SecantusDB makes a third.
pin('$bucketAuto/equal-values-absorbed', [{'_id': {'min': 1, 'max': 2}, 'count': 4}, {'_id': {'min': 2, 'max': 3}, 'count': 2}], source='mongod 8.0 src/mongo/db/pipeline/document_source_bucket_auto.cpp')

# depthField is a NumberLong (the manual: "numConnections" : NumberLong(2));
# SecantusDB writes an int.
pin('$graphLookup/maxDepth-depthField', [{'_id': 1, 'name': 'Dev', 'chain': []}, {'_id': 2, 'name': 'Eliot', 'reportsTo': 'Dev', 'chain': [{'_id': 1, 'name': 'Dev', 'depth': L(0)}]}, {'_id': 3, 'name': 'Ron', 'reportsTo': 'Eliot', 'chain': [{'_id': 1, 'name': 'Dev', 'depth': L(1)}, {'_id': 2, 'name': 'Eliot', 'reportsTo': 'Dev', 'depth': L(0)}]}, {'_id': 4, 'name': 'Andrew', 'reportsTo': 'Eliot', 'chain': [{'_id': 1, 'name': 'Dev', 'depth': L(1)}, {'_id': 2, 'name': 'Eliot', 'reportsTo': 'Dev', 'depth': L(0)}]}, {'_id': 5, 'name': 'Asya', 'reportsTo': 'Ron', 'chain': [{'_id': 2, 'name': 'Eliot', 'reportsTo': 'Dev', 'depth': L(1)}, {'_id': 3, 'name': 'Ron', 'reportsTo': 'Eliot', 'depth': L(0)}]}, {'_id': 6, 'name': 'Dan', 'reportsTo': 'Andrew', 'chain': [{'_id': 2, 'name': 'Eliot', 'reportsTo': 'Dev', 'depth': L(1)}, {'_id': 4, 'name': 'Andrew', 'reportsTo': 'Eliot', 'depth': L(0)}]}], manual="graphLookup")
pin('$graphLookup/manual-multiple-collections', [{'_id': 1, 'name': 'Dev', 'nearestAirport': 'JFK', 'destinations': [{'_id': 0, 'airport': 'JFK', 'connects': ['BOS', 'ORD'], 'numConnections': L(0)}, {'_id': 1, 'airport': 'BOS', 'connects': ['JFK', 'PWM'], 'numConnections': L(1)}, {'_id': 2, 'airport': 'ORD', 'connects': ['JFK'], 'numConnections': L(1)}, {'_id': 3, 'airport': 'PWM', 'connects': ['BOS', 'LHR'], 'numConnections': L(2)}]}, {'_id': 2, 'name': 'Eliot', 'nearestAirport': 'JFK', 'destinations': [{'_id': 0, 'airport': 'JFK', 'connects': ['BOS', 'ORD'], 'numConnections': L(0)}, {'_id': 1, 'airport': 'BOS', 'connects': ['JFK', 'PWM'], 'numConnections': L(1)}, {'_id': 2, 'airport': 'ORD', 'connects': ['JFK'], 'numConnections': L(1)}, {'_id': 3, 'airport': 'PWM', 'connects': ['BOS', 'LHR'], 'numConnections': L(2)}]}, {'_id': 3, 'name': 'Jeff', 'nearestAirport': 'BOS', 'destinations': [{'_id': 0, 'airport': 'JFK', 'connects': ['BOS', 'ORD'], 'numConnections': L(1)}, {'_id': 1, 'airport': 'BOS', 'connects': ['JFK', 'PWM'], 'numConnections': L(0)}, {'_id': 2, 'airport': 'ORD', 'connects': ['JFK'], 'numConnections': L(2)}, {'_id': 3, 'airport': 'PWM', 'connects': ['BOS', 'LHR'], 'numConnections': L(1)}, {'_id': 4, 'airport': 'LHR', 'connects': ['PWM'], 'numConnections': L(2)}]}], manual="graphLookup")
pin('$graphLookup/startWith-expression', [{'_id': 0, 'who': 'ron', 'up': [{'_id': 1, 'name': 'Dev', 'd': L(2)}, {'_id': 2, 'name': 'Eliot', 'reportsTo': 'Dev', 'd': L(1)}, {'_id': 3, 'name': 'Ron', 'reportsTo': 'Eliot', 'd': L(0)}]}], manual="graphLookup")
pin('$graphLookup/cycle-visits-once', [{'_id': 1, 'n': 'a', 'to': 'b', 'chain': [{'_id': 1, 'n': 'a', 'to': 'b', 'd': L(1)}, {'_id': 2, 'n': 'b', 'to': 'a', 'd': L(0)}]}, {'_id': 2, 'n': 'b', 'to': 'a', 'chain': [{'_id': 1, 'n': 'a', 'to': 'b', 'd': L(0)}, {'_id': 2, 'n': 'b', 'to': 'a', 'd': L(1)}]}], manual="graphLookup")
pin('$graphLookup/connectTo-array-field', [{'_id': 1, 'tags': ['x', 'y'], 'out': 'z', 'r': [{'_id': 1, 'tags': ['x', 'y'], 'out': 'z', 'd': L(0)}, {'_id': 2, 'tags': ['z'], 'out': ['w', 'x'], 'd': L(1)}, {'_id': 3, 'tags': 'w', 'd': L(2)}]}, {'_id': 2, 'tags': ['z'], 'out': ['w', 'x'], 'r': [{'_id': 1, 'tags': ['x', 'y'], 'out': 'z', 'd': L(0)}, {'_id': 2, 'tags': ['z'], 'out': ['w', 'x'], 'd': L(1)}, {'_id': 3, 'tags': 'w', 'd': L(2)}]}, {'_id': 3, 'tags': 'w', 'r': [{'_id': 1, 'tags': ['x', 'y'], 'out': 'z', 'd': L(0)}, {'_id': 2, 'tags': ['z'], 'out': ['w', 'x'], 'd': L(1)}, {'_id': 3, 'tags': 'w', 'd': L(2)}]}], manual="graphLookup")

# restrictSearchWithMatch filters every document of the search (the manual's golfers
# example; with operators too); SecantusDB ignores it.
pin('$graphLookup/restrict-operators', [{'_id': 0, 'n': 0, 'next': 1, 'w': 0, 'r': [{'_id': 1, 'n': 1, 'next': 2, 'w': 10}]}, {'_id': 1, 'n': 1, 'next': 2, 'w': 10, 'r': []}, {'_id': 2, 'n': 2, 'next': 3, 'w': 20, 'r': [{'_id': 3, 'n': 3, 'next': 4, 'w': 30}]}, {'_id': 3, 'n': 3, 'next': 4, 'w': 30, 'r': []}, {'_id': 4, 'n': 4, 'next': 5, 'w': 40, 'r': []}, {'_id': 5, 'n': 5, 'next': 6, 'w': 50, 'r': []}], manual="graphLookup")

# mongod searches {connectToField: {$in: frontier}}: a null start matches a missing
# field, numbers match across types, a null connectFromField value is followed, and a
# dotted depthField is a nested field.
pin('$graphLookup/startWith-missing-and-null', [{'_id': 1, 'r': []}, {'_id': 2, 's': None, 'r': [{'_id': 1, 'name': 'Dev'}]}], source='mongod 8.0 src/mongo/db/pipeline/document_source_graph_lookup.cpp')
pin('$graphLookup/mixed-numeric-keys', [{'_id': 1, 'k': 1, 'next': L(2), 'r': [{'_id': 1, 'k': 1, 'next': L(2), 'd': L(0)}, {'_id': 2, 'k': 2.0, 'next': dec("3"), 'd': L(1)}, {'_id': 3, 'k': 3, 'next': None, 'd': L(2)}, {'_id': 4, 'k': None, 'd': L(3)}]}, {'_id': 2, 'k': 2.0, 'next': dec("3"), 'r': [{'_id': 1, 'k': 1, 'next': L(2), 'd': L(0)}, {'_id': 2, 'k': 2.0, 'next': dec("3"), 'd': L(1)}, {'_id': 3, 'k': 3, 'next': None, 'd': L(2)}, {'_id': 4, 'k': None, 'd': L(3)}]}, {'_id': 3, 'k': 3, 'next': None, 'r': [{'_id': 1, 'k': 1, 'next': L(2), 'd': L(0)}, {'_id': 2, 'k': 2.0, 'next': dec("3"), 'd': L(1)}, {'_id': 3, 'k': 3, 'next': None, 'd': L(2)}, {'_id': 4, 'k': None, 'd': L(3)}]}, {'_id': 4, 'k': None, 'r': [{'_id': 1, 'k': 1, 'next': L(2), 'd': L(0)}, {'_id': 2, 'k': 2.0, 'next': dec("3"), 'd': L(1)}, {'_id': 3, 'k': 3, 'next': None, 'd': L(2)}, {'_id': 4, 'k': None, 'd': L(3)}]}], source='mongod 8.0 src/mongo/db/pipeline/document_source_graph_lookup.cpp')
pin('$graphLookup/nested-paths', [{'_id': 1, 'a': {'id': 1, 'p': 2}, 'r': [{'_id': 2, 'a': {'id': 2, 'p': 3}, 'meta': {'depth': L(0)}}, {'_id': 3, 'a': {'id': 3}, 'meta': {'depth': L(1)}}]}, {'_id': 2, 'a': {'id': 2, 'p': 3}, 'r': [{'_id': 3, 'a': {'id': 3}, 'meta': {'depth': L(0)}}]}, {'_id': 3, 'a': {'id': 3}, 'r': []}], source='mongod 8.0 src/mongo/db/pipeline/document_source_graph_lookup.cpp')

# $densify adds the step with $add (int + double is a double, long + int a long,
# decimals stay decimal), keeps the bounds' own values, builds generated documents from
# the partition expression (a missing partition field stays missing) and with
# setNestedField; "full" generates the maximum in other partitions when it is on the step.
pin('$densify/full-step-double-on-ints', [{'_id': 1, 'x': 1}, {'x': 2.5}, {'_id': 2, 'x': 4}, {'x': 5.5}, {'x': 7.0}, {'x': 8.5}, {'_id': 3, 'x': 9}], source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp')
pin('$densify/full-longs', [{'_id': 1, 'x': L(10)}, {'x': L(11)}, {'x': L(12)}, {'_id': 2, 'x': L(13)}], source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp')
pin('$densify/full-decimal-step', [{'_id': 1, 'x': dec("0.5")}, {'x': dec("0.75")}, {'x': dec("1.00")}, {'x': dec("1.25")}, {'_id': 2, 'x': dec("1.5")}], source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp')
pin('$densify/explicit-doubles', [{'x': 0.0}, {'x': 0.5}, {'_id': 1, 'x': 1.0}, {'x': 1.5}], source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp')
pin('$densify/partition-missing-partition-field', [{'_id': 1, 'x': 0}, {'x': 1}, {'_id': 2, 'x': 2}, {'_id': 3, 'p': 'a', 'x': 1}, {'p': 'a', 'x': 2}, {'_id': 4, 'p': 'a', 'x': 3}], source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp')
pin('$densify/full-partitions-max-on-step', [{'_id': 1, 'p': 'a', 'x': 0}, {'_id': 3, 'p': 'a', 'x': 2}, {'p': 'a', 'x': 4}, {'p': 'b', 'x': 0}, {'p': 'b', 'x': 2}, {'_id': 2, 'p': 'b', 'x': 4}], source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp')
pin('$densify/nested-field', [{'_id': 1, 'm': {'t': 1}}, {'m': {'t': 2}}, {'m': {'t': 3}}, {'_id': 2, 'm': {'t': 4}}], source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp')
pin('$densify/array-on-path-passes', [{'m': {'t': 3}}, {'m': {'t': 4}}, {'_id': 1, 'm': [{'t': 1}]}, {'_id': 2, 'm': {'t': 2}}, {'_id': 3, 'm': {'t': 5}}],
    source='mongod 8.0 src/mongo/db/pipeline/document_source_densify.cpp (getNestedField stops at arrays: the document passes)')

# $fill's methods set the field on every document: null and missing values before the
# first non-null value (or in a partition of only nulls) become null (reference/operator/
# aggregation/locf: "remain null"; linearFill: "remain null"); SecantusDB leaves them
# missing. Linear interpolation mixes int, long and double.
pin('$fill/locf-and-linear-together', [{'_id': 1, 't': 1, 'v': 10, 'w': None}, {'_id': 2, 't': 2, 'v': 20.0, 'w': None}, {'_id': 3, 't': 3, 'v': 30.0, 'w': 'x'}, {'_id': 4, 't': 4, 'v': 40, 'w': 'x'}, {'_id': 5, 't': 5, 'v': None, 'w': 'x'}], manual="locf")
pin('$fill/sort-descending', [{'_id': 1, 't': 1, 'v': 10, 'w': None}, {'_id': 2, 't': 2, 'v': 40}, {'_id': 3, 't': 3, 'v': 40, 'w': 'x'}, {'_id': 4, 't': 4, 'v': 40}, {'_id': 5, 't': 5, 'v': None}], manual="locf")
pin('$fill/partitionBy-string', [{'_id': 1, 'g': 1, 't': 1, 'v': 5}, {'_id': 2, 'g': 2, 't': 2, 'v': None}, {'_id': 3, 'g': 1, 't': 3, 'v': 5}], manual="locf")
pin('$fill/linear-mixed-numeric', [{'_id': 1, 't': 0, 'v': 1}, {'_id': 2, 't': 1, 'v': 3.0}, {'_id': 3, 't': 3, 'v': L(7)}, {'_id': 4, 't': 4, 'v': 9.0}, {'_id': 5, 't': 6, 'v': 13.0}], manual="linearFill")

# $$ROOT stays the top-level document while $redact descends (only $$CURRENT moves).
pin('$redact/root-variable', [{'_id': 1, 'keep': True, 'a': {'b': 1}}], source='mongod 8.0 src/mongo/db/pipeline/redact_processor.cpp')
pin("$graphLookup/manual-restrictSearchWithMatch", [{"_id": 1, "name": "Tanya Jordan", "friends": ["Shirley Soto", "Terry Hawkins", "Carole Hale"],
                                                    "connections who play golf": ["Angelo Ward", "Carole Hale", "Joseph Dennis", "Tanya Jordan"]}], manual="graphLookup")
