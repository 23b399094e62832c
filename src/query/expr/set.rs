//! Set operators: `$setEquals`, `$setIntersection`, `$setUnion`,
//! `$setDifference`, `$setIsSubset`, `$anyElementTrue`, `$allElementsTrue`.
//!
//! Arrays are read as sets: duplicates are ignored and values compare as
//! mongod compares them (`1`, `1.0` and `NumberDecimal("1")` are one
//! element). Set results come back sorted and deduplicated, as mongod's
//! ordered value sets give them; `$setDifference` keeps its first
//! operand's order.

use super::args::{Arity, nullish, pure, pure1};
use super::{Node, ParseCtx, Value, truthy, value_type_name};
use crate::engine::keys::compare_bson;
use crate::query::error::QueryError;
use bson::Bson;
use std::cmp::Ordering;

/// Sorted, deduplicated (the first of equal values kept).
fn to_set(items: impl IntoIterator<Item = Bson>) -> Vec<Bson> {
    let mut v: Vec<Bson> = items.into_iter().collect();
    v.sort_by(compare_bson);
    v.dedup_by(|later, earlier| compare_bson(later, earlier) == Ordering::Equal);
    v
}

fn contains(set: &[Bson], x: &Bson) -> bool {
    set.binary_search_by(|probe| compare_bson(probe, x)).is_ok()
}

fn array(v: &Value) -> Option<&Vec<Bson>> {
    match v {
        Some(Bson::Array(a)) => Some(a),
        _ => None,
    }
}

fn set_equals(v: &[Value]) -> Result<Value, QueryError> {
    let mut first: Option<Vec<Bson>> = None;
    let mut equal = true;
    for (i, x) in v.iter().enumerate() {
        let Some(items) = array(x) else {
            return Err(QueryError::location(
                5887502,
                format!(
                    "All operands of $setEquals must be arrays. {}-th argument is of type: {}",
                    i + 1,
                    value_type_name(x)
                ),
            ));
        };
        let set = to_set(items.iter().cloned());
        match &first {
            None => first = Some(set),
            Some(f) => {
                if f.len() != set.len()
                    || f.iter()
                        .zip(&set)
                        .any(|(a, b)| compare_bson(a, b) != Ordering::Equal)
                {
                    equal = false;
                }
            }
        }
    }
    Ok(Some(Bson::Boolean(equal)))
}

fn set_intersection(v: &[Value]) -> Result<Value, QueryError> {
    let mut acc: Option<Vec<Bson>> = None;
    for x in v {
        if nullish(x) {
            return Ok(Some(Bson::Null));
        }
        let Some(items) = array(x) else {
            return Err(QueryError::location(
                17047,
                format!(
                    "All operands of $setIntersection must be arrays. One argument is of type: {}",
                    value_type_name(x)
                ),
            ));
        };
        let set = to_set(items.iter().cloned());
        acc = Some(match acc {
            None => set,
            Some(a) => a.into_iter().filter(|e| contains(&set, e)).collect(),
        });
    }
    Ok(Some(Bson::Array(acc.unwrap_or_default())))
}

fn set_union(v: &[Value]) -> Result<Value, QueryError> {
    let mut all = Vec::new();
    for x in v {
        if nullish(x) {
            return Ok(Some(Bson::Null));
        }
        let Some(items) = array(x) else {
            return Err(QueryError::location(
                17043,
                format!(
                    "All operands of $setUnion must be arrays. One argument is of type: {}",
                    value_type_name(x)
                ),
            ));
        };
        all.extend(items.iter().cloned());
    }
    Ok(Some(Bson::Array(to_set(all))))
}

fn set_difference(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    let Some(lhs) = array(&v[0]) else {
        return Err(QueryError::location(
            17048,
            format!(
                "both operands of $setDifference must be arrays. First argument is of type: {}",
                value_type_name(&v[0])
            ),
        ));
    };
    let Some(rhs) = array(&v[1]) else {
        return Err(QueryError::location(
            17049,
            format!(
                "both operands of $setDifference must be arrays. Second argument is of type: {}",
                value_type_name(&v[1])
            ),
        ));
    };
    // The right side filters the left one and the left one's duplicates.
    let mut seen = to_set(rhs.iter().cloned());
    let mut out = Vec::new();
    for x in lhs {
        if let Err(at) = seen.binary_search_by(|probe| compare_bson(probe, x)) {
            seen.insert(at, x.clone());
            out.push(x.clone());
        }
    }
    Ok(Some(Bson::Array(out)))
}

fn set_is_subset(v: &[Value]) -> Result<Value, QueryError> {
    let Some(lhs) = array(&v[0]) else {
        return Err(QueryError::location(
            17046,
            format!(
                "both operands of $setIsSubset must be arrays. First argument is of type: {}",
                value_type_name(&v[0])
            ),
        ));
    };
    let Some(rhs) = array(&v[1]) else {
        return Err(QueryError::location(
            17042,
            format!(
                "both operands of $setIsSubset must be arrays. Second argument is of type: {}",
                value_type_name(&v[1])
            ),
        ));
    };
    let rhs = to_set(rhs.iter().cloned());
    Ok(Some(Bson::Boolean(lhs.iter().all(|x| contains(&rhs, x)))))
}

fn elements_true(name: &str, code: i32, v: &[Value], any: bool) -> Result<Value, QueryError> {
    let Some(items) = array(&v[0]) else {
        return Err(QueryError::location(
            code,
            format!(
                "{name}'s argument must be an array, but is {}",
                value_type_name(&v[0])
            ),
        ));
    };
    Ok(Some(Bson::Boolean(if any {
        items.iter().any(truthy)
    } else {
        items.iter().all(truthy)
    })))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$setEquals" => {
            let n = super::args::operands(arg).len();
            if n < 2 {
                return Some(Err(QueryError::location(
                    17045,
                    format!("$setEquals needs at least two arguments had: {n}"),
                )));
            }
            pure("$setEquals", arg, pc, Arity::Any, set_equals)
        }
        "$setIntersection" => pure("$setIntersection", arg, pc, Arity::Any, set_intersection),
        "$setUnion" => pure("$setUnion", arg, pc, Arity::Any, set_union),
        "$setDifference" => pure("$setDifference", arg, pc, Arity::Exact(2), set_difference),
        "$setIsSubset" => pure("$setIsSubset", arg, pc, Arity::Exact(2), set_is_subset),
        "$anyElementTrue" => pure1("$anyElementTrue", arg, pc, |v| {
            elements_true("$anyElementTrue", 17041, v, true)
        }),
        "$allElementsTrue" => pure1("$allElementsTrue", arg, pc, |v| {
            elements_true("$allElementsTrue", 17040, v, false)
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{code, ok};
    use bson::{Bson, Document, bson, doc};

    fn experiments() -> Vec<(Document, [Bson; 4])> {
        // Manual ($setDifference, $setEquals, $setIsSubset,
        // $setIntersection): A, B -> inBOnly, sameElements, AisSubset,
        // commonToBoth.
        vec![
            (
                doc! {"A": ["red", "blue"], "B": ["red", "blue"]},
                [bson!([]), bson!(true), bson!(true), bson!(["blue", "red"])],
            ),
            (
                doc! {"A": ["red", "blue"], "B": ["blue", "red", "blue"]},
                [bson!([]), bson!(true), bson!(true), bson!(["blue", "red"])],
            ),
            (
                doc! {"A": ["red", "blue"], "B": ["red", "blue", "green"]},
                [
                    bson!(["green"]),
                    bson!(false),
                    bson!(true),
                    bson!(["blue", "red"]),
                ],
            ),
            (
                doc! {"A": ["red", "blue"], "B": ["green", "red"]},
                [bson!(["green"]), bson!(false), bson!(false), bson!(["red"])],
            ),
            (
                doc! {"A": ["red", "blue"], "B": []},
                [bson!([]), bson!(false), bson!(false), bson!([])],
            ),
            (
                doc! {"A": ["red", "blue"], "B": [["red"], ["blue"]]},
                [
                    bson!([["red"], ["blue"]]),
                    bson!(false),
                    bson!(false),
                    bson!([]),
                ],
            ),
            (
                doc! {"A": ["red", "blue"], "B": [["red", "blue"]]},
                [
                    bson!([["red", "blue"]]),
                    bson!(false),
                    bson!(false),
                    bson!([]),
                ],
            ),
            (
                doc! {"A": [], "B": []},
                [bson!([]), bson!(true), bson!(true), bson!([])],
            ),
            (
                doc! {"A": [], "B": ["red"]},
                [bson!(["red"]), bson!(false), bson!(true), bson!([])],
            ),
        ]
    }

    #[test]
    fn manual_experiments() {
        for (d, [diff, eq, sub, inter]) in experiments() {
            assert_eq!(ok(bson!({"$setDifference": ["$B", "$A"]}), d.clone()), diff);
            assert_eq!(ok(bson!({"$setEquals": ["$A", "$B"]}), d.clone()), eq);
            assert_eq!(ok(bson!({"$setIsSubset": ["$A", "$B"]}), d.clone()), sub);
            assert_eq!(ok(bson!({"$setIntersection": ["$A", "$B"]}), d), inter);
        }
    }

    #[test]
    fn manual_flowers() {
        // Manual ($setUnion): flowerFieldA ∪ flowerFieldB.
        let d = doc! {"a": ["rose", "orchid"], "b": ["rose", "orchid", "jasmine"]};
        assert_eq!(
            ok(bson!({"$setUnion": ["$a", "$b"]}), d),
            bson!(["jasmine", "orchid", "rose"])
        );
    }

    #[test]
    fn elements_true() {
        // Manual ($allElementsTrue, $anyElementTrue).
        let cases: [(Bson, bool, bool); 6] = [
            (bson!([true]), true, true),
            (bson!([true, false]), false, true),
            (bson!([]), true, false),
            (bson!([1, true, "seven"]), true, true),
            (bson!([0]), false, false),
            (bson!([[false]]), true, true),
        ];
        for (r, all, any) in cases {
            let d = doc! {"r": r};
            assert_eq!(
                ok(bson!({"$allElementsTrue": ["$r"]}), d.clone()),
                bson!(all)
            );
            assert_eq!(ok(bson!({"$anyElementTrue": ["$r"]}), d), bson!(any));
        }
        assert_eq!(code(bson!({"$allElementsTrue": ["$nope"]}), doc! {}), 17040);
        assert_eq!(code(bson!({"$anyElementTrue": [5]}), doc! {}), 17041);
    }

    #[test]
    fn nulls_types_errors() {
        let d = doc! {};
        assert_eq!(ok(bson!({"$setIntersection": []}), d.clone()), bson!([]));
        assert_eq!(
            ok(bson!({"$setUnion": [[1], Bson::Null]}), d.clone()),
            Bson::Null
        );
        assert_eq!(
            ok(bson!({"$setIntersection": [[1], "$nope"]}), d.clone()),
            Bson::Null
        );
        assert_eq!(
            ok(bson!({"$setDifference": [Bson::Null, [1]]}), d.clone()),
            Bson::Null
        );
        assert_eq!(
            ok(
                bson!({"$setEquals": [[1, 2.0], [2_i64, Bson::Decimal128("1".parse().unwrap()), 1]]}),
                d.clone()
            ),
            bson!(true)
        );
        assert_eq!(
            ok(bson!({"$setUnion": [[3, 1, 1], [2]]}), d.clone()),
            bson!([1, 2, 3])
        );
        assert_eq!(code(bson!({"$setUnion": [[1], 5]}), d.clone()), 17043);
        assert_eq!(code(bson!({"$setDifference": [[1], 5]}), d.clone()), 17049);
        assert_eq!(code(bson!({"$setIsSubset": [5, [1]]}), d.clone()), 17046);
        assert_eq!(code(bson!({"$setEquals": [[1], 5]}), d.clone()), 5887502);
        assert_eq!(code(bson!({"$setEquals": [[1]]}), d), 17045);
    }
}
