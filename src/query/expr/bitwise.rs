//! Bitwise operators: `$bitAnd`, `$bitOr`, `$bitXor`, `$bitNot`, on ints
//! and longs only (a long operand makes the result a long).

use super::args::{Arity, pure, pure1};
use super::{Node, ParseCtx, Value};
use crate::query::error::QueryError;
use bson::Bson;

fn not_integer(name: &str) -> QueryError {
    QueryError::type_mismatch(format!("{name} only supports int and long operands."))
}

fn fold(
    name: &str,
    v: &[Value],
    identity: i64,
    op: fn(i64, i64) -> i64,
) -> Result<Value, QueryError> {
    let mut acc = identity;
    let mut long = false;
    for x in v {
        match x {
            None | Some(Bson::Null) | Some(Bson::Undefined) => return Ok(Some(Bson::Null)),
            Some(Bson::Int32(i)) => acc = op(acc, i64::from(*i)),
            Some(Bson::Int64(i)) => {
                long = true;
                acc = op(acc, *i);
            }
            Some(_) => return Err(not_integer(name)),
        }
    }
    Ok(Some(if long {
        Bson::Int64(acc)
    } else {
        Bson::Int32(acc as i32)
    }))
}

fn bit_not(v: &[Value]) -> Result<Value, QueryError> {
    Ok(Some(match &v[0] {
        None | Some(Bson::Null) | Some(Bson::Undefined) => Bson::Null,
        Some(Bson::Int32(i)) => Bson::Int32(!i),
        Some(Bson::Int64(i)) => Bson::Int64(!i),
        Some(_) => return Err(not_integer("$bitNot")),
    }))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$bitAnd" => pure("$bitAnd", arg, pc, Arity::Any, |v| {
            fold("$bitAnd", v, -1, |a, b| a & b)
        }),
        "$bitOr" => pure("$bitOr", arg, pc, Arity::Any, |v| {
            fold("$bitOr", v, 0, |a, b| a | b)
        }),
        "$bitXor" => pure("$bitXor", arg, pc, Arity::Any, |v| {
            fold("$bitXor", v, 0, |a, b| a ^ b)
        }),
        "$bitNot" => pure1("$bitNot", arg, pc, bit_not),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{code, ok};
    use bson::{Bson, bson, doc};

    #[test]
    fn manual_switches() {
        // Manual ($bitAnd, $bitOr, $bitXor, $bitNot): {a: 2, b: 3}, {a: 3, b: 5}.
        let d = doc! {"a": 3, "b": 5};
        assert_eq!(ok(bson!({"$bitAnd": ["$a", "$b"]}), d.clone()), bson!(1));
        assert_eq!(ok(bson!({"$bitOr": ["$a", "$b"]}), d.clone()), bson!(7));
        assert_eq!(ok(bson!({"$bitXor": ["$a", "$b"]}), d.clone()), bson!(6));
        assert_eq!(ok(bson!({"$bitNot": "$a"}), d.clone()), bson!(-4));
        let d = doc! {"a": 0, "b": 127};
        assert_eq!(ok(bson!({"$bitAnd": ["$a", "$b"]}), d.clone()), bson!(0));
        assert_eq!(ok(bson!({"$bitNot": "$a"}), d), bson!(-1));
    }

    #[test]
    fn types() {
        let d = doc! {};
        assert_eq!(
            ok(bson!({"$bitAnd": [0xFF_FFFF_FFFF_i64, 0xFF]}), d.clone()),
            bson!(0xFF_i64)
        );
        assert_eq!(ok(bson!({"$bitOr": [1, 2_i64]}), d.clone()), bson!(3_i64));
        assert_eq!(ok(bson!({"$bitXor": []}), d.clone()), bson!(0));
        assert_eq!(ok(bson!({"$bitAnd": []}), d.clone()), bson!(-1));
        assert_eq!(ok(bson!({"$bitNot": 0_i64}), d.clone()), bson!(-1_i64));
        assert_eq!(
            ok(bson!({"$bitAnd": [1, Bson::Null]}), d.clone()),
            Bson::Null
        );
        assert_eq!(code(bson!({"$bitAnd": [1, 1.0]}), d.clone()), 14);
        assert_eq!(code(bson!({"$bitNot": 1.5}), d), 14);
    }
}
