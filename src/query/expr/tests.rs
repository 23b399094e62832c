//! Tests of the expression core: parsing, variables, truthiness,
//! conditionals and comparisons. Each operator group has its own tests.

use super::*;
use bson::{bson, doc};

pub(super) fn ev(expr: Bson, d: Document) -> Result<Value, QueryError> {
    let env = Env::default();
    Expr::parse(&expr, &mut env.parse_ctx())?.eval_doc(&d, &env)
}

pub(super) fn ok(expr: Bson, d: Document) -> Bson {
    ev(expr, d).unwrap().unwrap_or(Bson::Null)
}

pub(super) fn code(expr: Bson, d: Document) -> i32 {
    ev(expr, d).unwrap_err().code
}

#[test]
fn paths_and_variables() {
    let d = doc! {"a": {"b": 5}, "arr": [{"x": 1}, {"x": 2}]};
    assert_eq!(ok(bson!("$a.b"), d.clone()), bson!(5));
    assert_eq!(ok(bson!("$arr.x"), d.clone()), bson!([1, 2]));
    assert_eq!(ok(bson!("$$ROOT.a"), d.clone()), bson!({"b": 5}));
    assert_eq!(ev(bson!("$nope"), d.clone()).unwrap(), None);
    assert_eq!(ev(bson!("$$REMOVE"), d.clone()).unwrap(), None);
    assert_eq!(code(bson!("$$undefinedVar"), d.clone()), 17276);
    assert_eq!(
        ok(
            bson!({"$let": {"vars": {"x": "$a.b"}, "in": {"$add": ["$$x", 1]}}}),
            d.clone()
        ),
        bson!(6)
    );
    assert_eq!(
        code(bson!({"$let": {"vars": {"Bad": 1}, "in": 1}}), d.clone()),
        16867
    );
}

#[test]
fn object_and_array_expressions() {
    let d = doc! {"a": 1};
    // Missing fields are dropped from objects and are null in arrays.
    assert_eq!(
        ok(bson!({"x": "$a", "y": "$nope"}), d.clone()),
        bson!({"x": 1})
    );
    assert_eq!(ok(bson!(["$a", "$nope"]), d.clone()), bson!([1, null]));
    assert_eq!(code(bson!({"$foo": 1}), d.clone()), 168);
    assert_eq!(code(bson!({"$add": [1], "$x": 2}), d), 15983);
}

#[test]
fn truthiness_is_one_rule() {
    for falsy in [
        bson!(false),
        Bson::Null,
        bson!(0),
        bson!(0_i64),
        bson!(0.0),
        bson!(-0.0),
    ] {
        assert!(!truthy(&falsy), "{falsy:?}");
    }
    let dec0: bson::Decimal128 = "0".parse().unwrap();
    assert!(!truthy(&Bson::Decimal128(dec0)));
    let dec_neg0: bson::Decimal128 = "-0.00".parse().unwrap();
    assert!(!truthy(&Bson::Decimal128(dec_neg0)));
    for t in [bson!(""), bson!([]), bson!({}), bson!(f64::NAN), bson!(1)] {
        assert!(truthy(&t), "{t:?}");
    }
}

#[test]
fn conditionals() {
    let d = doc! {"qty": 250, "n": null};
    // Manual, $cond: {if: {$gte: ["$qty", 250]}, then: 30, else: 20}.
    assert_eq!(
        ok(
            bson!({"$cond": {"if": {"$gte": ["$qty", 250]}, "then": 30, "else": 20}}),
            d.clone()
        ),
        bson!(30)
    );
    assert_eq!(
        code(bson!({"$cond": {"if": true, "then": 1}}), d.clone()),
        17082
    );
    // Manual, $ifNull: the first non-null, or the replacement.
    assert_eq!(
        ok(
            bson!({"$ifNull": ["$n", "$nope", "Unspecified"]}),
            d.clone()
        ),
        bson!("Unspecified")
    );
    assert_eq!(
        ev(bson!({"$ifNull": ["$n", "$nope"]}), d.clone()).unwrap(),
        None
    );
    assert_eq!(
        ok(
            bson!({"$switch": {"branches": [{"case": {"$lt": ["$qty", 100]}, "then": "low"}, {"case": {"$gte": ["$qty", 200]}, "then": "high"}], "default": "mid"}}),
            d.clone()
        ),
        bson!("high")
    );
    assert_eq!(
        code(
            bson!({"$switch": {"branches": [{"case": false, "then": 1}]}}),
            d
        ),
        40066
    );
}

#[test]
fn comparisons_order_missing_below_null() {
    let d = doc! {"n": null, "i": 1, "l": 1_i64, "f": 1.0};
    assert_eq!(ok(bson!({"$eq": ["$nope", null]}), d.clone()), bson!(false));
    assert_eq!(ok(bson!({"$lt": ["$nope", null]}), d.clone()), bson!(true));
    assert_eq!(ok(bson!({"$eq": ["$i", "$l"]}), d.clone()), bson!(true));
    assert_eq!(ok(bson!({"$eq": ["$f", "$l"]}), d.clone()), bson!(true));
    assert_eq!(ok(bson!({"$cmp": ["a", 1]}), d.clone()), bson!(1));
    assert_eq!(ok(bson!({"$gt": [[1, 2], [1]]}), d.clone()), bson!(true));
    assert_eq!(code(bson!({"$eq": [1]}), d), 16020);
}

#[test]
fn and_or_short_circuit() {
    let d = doc! {};
    // The failing $divide is never evaluated.
    assert_eq!(
        ok(bson!({"$and": [false, {"$size": "$nope"}]}), d.clone()),
        bson!(false)
    );
    assert_eq!(
        ok(bson!({"$or": [1, {"$size": "$nope"}]}), d.clone()),
        bson!(true)
    );
    assert_eq!(ok(bson!({"$and": []}), d.clone()), bson!(true));
    assert_eq!(ok(bson!({"$not": [0]}), d), bson!(true));
}
