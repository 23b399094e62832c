//! Object operators: `$mergeObjects` (the expression form),
//! `$objectToArray`, `$arrayToObject`, `$getField`, `$setField`,
//! `$unsetField`.
//!
//! `$getField`/`$setField`/`$unsetField` take any field name, also ones
//! with `.` or a leading `$` (given through `$literal`); `input` defaults
//! to `$$CURRENT` for the `$getField` shorthand.

use super::args::{Arity, named, pure, pure1};
use super::{Ctx, Node, Operator, ParseCtx, Value, parse as parse_expr, value_type_name};
use crate::query::error::{QueryError, fmt_value};
use bson::{Bson, Document};

fn merge_into(out: &mut Document, v: &Bson) -> Result<(), QueryError> {
    match v {
        Bson::Null | Bson::Undefined => Ok(()),
        Bson::Document(d) => {
            for (k, x) in d {
                out.insert(k.clone(), x.clone());
            }
            Ok(())
        }
        other => Err(QueryError::location(
            40400,
            format!(
                "$mergeObjects requires object inputs, but input {} is of type {}",
                fmt_value(other),
                crate::query::error::type_name(other)
            ),
        )),
    }
}

/// `$mergeObjects: [doc, ...]`: later fields win, in the position of their
/// first appearance; null and missing operands are skipped; an operand
/// that evaluates to an array merges its elements.
fn merge_objects(v: &[Value]) -> Result<Value, QueryError> {
    let mut out = Document::new();
    for x in v.iter().flatten() {
        match x {
            Bson::Array(items) => {
                for i in items {
                    merge_into(&mut out, i)?;
                }
            }
            other => merge_into(&mut out, other)?,
        }
    }
    Ok(Some(Bson::Document(out)))
}

fn object_to_array(v: &[Value]) -> Result<Value, QueryError> {
    match &v[0] {
        None | Some(Bson::Null) | Some(Bson::Undefined) => Ok(Some(Bson::Null)),
        Some(Bson::Document(d)) => Ok(Some(Bson::Array(
            d.iter()
                .map(|(k, x)| {
                    let mut kv = Document::new();
                    kv.insert("k", k.clone());
                    kv.insert("v", x.clone());
                    Bson::Document(kv)
                })
                .collect(),
        ))),
        other => Err(QueryError::location(
            40390,
            format!(
                "$objectToArray requires a document input, found: {}",
                value_type_name(other)
            ),
        )),
    }
}

fn check_key(k: &str) -> Result<(), QueryError> {
    if k.contains('\0') {
        return Err(QueryError::location(
            4940400,
            "Key field cannot contain an embedded null byte",
        ));
    }
    Ok(())
}

fn array_to_object(v: &[Value]) -> Result<Value, QueryError> {
    let items = match &v[0] {
        None | Some(Bson::Null) | Some(Bson::Undefined) => return Ok(Some(Bson::Null)),
        Some(Bson::Array(items)) => items,
        other => {
            return Err(QueryError::location(
                40386,
                format!(
                    "$arrayToObject requires an array input, found: {}",
                    value_type_name(other)
                ),
            ));
        }
    };
    let mut out = Document::new();
    let Some(first) = items.first() else {
        return Ok(Some(Bson::Document(out)));
    };
    let pairs = match first {
        Bson::Array(_) => true,
        Bson::Document(_) => false,
        other => {
            return Err(QueryError::location(
                40398,
                format!(
                    "Unrecognised input type format for $arrayToObject: {}",
                    crate::query::error::type_name(other)
                ),
            ));
        }
    };
    for e in items {
        let tn = crate::query::error::type_name(e);
        if pairs {
            let Bson::Array(kv) = e else {
                return Err(QueryError::location(
                    40396,
                    format!(
                        "$arrayToObject requires a consistent input format. Elements must all \
                         be arrays or all be objects. Array was detected, now found: {tn}"
                    ),
                ));
            };
            if kv.len() != 2 {
                return Err(QueryError::location(
                    40397,
                    format!(
                        "$arrayToObject requires an array of size 2 arrays,found array of size: {}",
                        kv.len()
                    ),
                ));
            }
            let Bson::String(k) = &kv[0] else {
                return Err(QueryError::location(
                    40395,
                    format!(
                        "$arrayToObject requires an array of key-value pairs, where the key must \
                         be of type string. Found key type: {}",
                        crate::query::error::type_name(&kv[0])
                    ),
                ));
            };
            check_key(k)?;
            out.insert(k.clone(), kv[1].clone());
        } else {
            let Bson::Document(d) = e else {
                return Err(QueryError::location(
                    40391,
                    format!(
                        "$arrayToObject requires a consistent input format. Elements must all \
                         be arrays or all be objects. Object was detected, now found: {tn}"
                    ),
                ));
            };
            if d.len() != 2 {
                return Err(QueryError::location(
                    40392,
                    format!(
                        "$arrayToObject requires an object keys of 'k' and 'v'. Found incorrect \
                         number of keys:{}",
                        d.len()
                    ),
                ));
            }
            let (Some(k), Some(x)) = (d.get("k"), d.get("v")) else {
                return Err(QueryError::location(
                    40393,
                    format!(
                        "$arrayToObject requires an object with keys 'k' and 'v'. Missing either \
                         or both keys from: {}",
                        fmt_value(e)
                    ),
                ));
            };
            let Bson::String(k) = k else {
                return Err(QueryError::location(
                    40394,
                    format!(
                        "$arrayToObject requires an object with keys 'k' and 'v', where the value \
                         of 'k' must be of type string. Found type: {}",
                        crate::query::error::type_name(k)
                    ),
                ));
            };
            check_key(k)?;
            out.insert(k.clone(), x.clone());
        }
    }
    Ok(Some(Bson::Document(out)))
}

/// `$getField`.
#[derive(Debug)]
struct GetField {
    field: Node,
    input: Node,
}

impl Operator for GetField {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let field = self.field.eval(cx)?;
        let Some(Bson::String(name)) = field else {
            return Err(QueryError::location(
                3041704,
                format!(
                    "$getField requires 'field' to evaluate to type String, but got {}",
                    value_type_name(&field)
                ),
            ));
        };
        Ok(match self.input.eval(cx)? {
            None => None,
            Some(Bson::Document(d)) => d.get(&name).cloned(),
            Some(_) => Some(Bson::Null),
        })
    }
}

fn parse_get_field(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let current = || Node::Current(Vec::new());
    let (field, input) = match arg {
        // `{field, input}`, unless it is an expression (`{$literal: ...}`).
        Bson::Document(d) if !d.keys().next().is_some_and(|k| k.starts_with('$')) => {
            let mut field = None;
            let mut input = None;
            for (k, v) in d {
                match k.as_str() {
                    "field" => field = Some(parse_expr(v, pc)?),
                    "input" => input = Some(parse_expr(v, pc)?),
                    _ => {
                        return Err(QueryError::location(
                            3041701,
                            format!("$getField found an unknown argument: {k}"),
                        ));
                    }
                }
            }
            let field = field.ok_or_else(|| {
                QueryError::location(3041702, "$getField requires 'field' to be specified")
            })?;
            let input = input.ok_or_else(|| {
                QueryError::location(3041703, "$getField requires 'input' to be specified")
            })?;
            (field, input)
        }
        other => (parse_expr(other, pc)?, current()),
    };
    if let Node::Literal(v) = &field
        && !matches!(v, Bson::String(_))
    {
        return Err(QueryError::location(
            3041704,
            format!(
                "$getField requires 'field' to evaluate to type String, but got {}",
                crate::query::error::type_name(v)
            ),
        ));
    }
    let node = GetField { field, input };
    if let (Node::Literal(_), Node::Literal(_)) = (&node.field, &node.input) {
        let doc = Document::new();
        let env = super::Env::default();
        let mut cx = Ctx::new(&doc, &env);
        return Ok(match node.eval(&mut cx)? {
            Some(v) => Node::Literal(v),
            None => Node::Remove,
        });
    }
    Ok(Node::Op(Box::new(node)))
}

/// `$setField` (and `$unsetField`, whose value is `$$REMOVE`).
#[derive(Debug)]
struct SetField {
    name: &'static str,
    field: String,
    input: Node,
    value: Node,
}

impl Operator for SetField {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = match self.input.eval(cx)? {
            None | Some(Bson::Null) | Some(Bson::Undefined) => return Ok(Some(Bson::Null)),
            Some(Bson::Document(d)) => d,
            Some(_) => {
                return Err(QueryError::location(
                    4161105,
                    format!("{} requires 'input' to evaluate to type Object", self.name),
                ));
            }
        };
        let mut out = input;
        match self.value.eval(cx)? {
            Some(v) => {
                out.insert(self.field.clone(), v);
            }
            None => {
                out.remove(&self.field);
            }
        }
        Ok(Some(Bson::Document(out)))
    }
}

fn parse_set_field(
    name: &'static str,
    arg: &Bson,
    pc: &mut ParseCtx,
    unset: bool,
) -> Result<Node, QueryError> {
    let [field, input, value] = if unset {
        let [f, i] = named(name, arg, ["field", "input"], 4161100, 4161101)?;
        [f, i, None]
    } else {
        named(name, arg, ["field", "input", "value"], 4161100, 4161101)?
    };
    let field = field.ok_or_else(|| {
        QueryError::location(4161102, format!("{name} requires 'field' to be specified"))
    })?;
    let value = match (unset, value) {
        (true, _) => Node::Remove,
        (false, Some(v)) => parse_expr(v, pc)?,
        (false, None) => {
            return Err(QueryError::location(
                4161103,
                format!("{name} requires 'value' to be specified"),
            ));
        }
    };
    let input = input.ok_or_else(|| {
        QueryError::location(4161104, format!("{name} requires 'input' to be specified"))
    })?;
    let field = match parse_expr(field, pc)? {
        Node::Literal(Bson::String(s)) => s,
        Node::Literal(other) => {
            return Err(QueryError::location(
                4161107,
                format!(
                    "{name} requires 'field' to evaluate to type String, but got {}",
                    crate::query::error::type_name(&other)
                ),
            ));
        }
        _ => {
            return Err(QueryError::location(
                4161106,
                format!(
                    "{name} requires 'field' to evaluate to a constant, but got a non-constant \
                     argument"
                ),
            ));
        }
    };
    if field.contains('\0') {
        return Err(QueryError::location(
            4161108,
            format!("{name}: 'field' cannot contain an embedded null byte"),
        ));
    }
    Ok(Node::Op(Box::new(SetField {
        name,
        field,
        input: parse_expr(input, pc)?,
        value,
    })))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$mergeObjects" => pure("$mergeObjects", arg, pc, Arity::Any, merge_objects),
        "$objectToArray" => pure1("$objectToArray", arg, pc, object_to_array),
        "$arrayToObject" => pure1("$arrayToObject", arg, pc, array_to_object),
        "$getField" => parse_get_field(arg, pc),
        "$setField" => parse_set_field("$setField", arg, pc, false),
        "$unsetField" => parse_set_field("$unsetField", arg, pc, true),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{code, ev, ok};
    use bson::{Bson, bson, doc};

    #[test]
    fn merge_objects() {
        // Manual ($mergeObjects): an order joined with its item; later wins.
        let d = doc! {"o": {"_id": 1, "item": "abc", "price": 12, "ordered": 2},
        "i": {"_id": 1, "item": "abc", "description": "product 1", "instock": 120}};
        assert_eq!(
            ok(bson!({"$mergeObjects": ["$i", "$o"]}), d),
            bson!({"_id": 1, "item": "abc", "description": "product 1", "instock": 120,
                   "price": 12, "ordered": 2})
        );
        assert_eq!(
            ok(
                bson!({"$mergeObjects": [{"a": 1, "b": 2}, Bson::Null, {"b": 3, "c": {"d": 1}}, "$nope", {"c": {"e": 2}}]}),
                doc! {}
            ),
            bson!({"a": 1, "b": 3, "c": {"e": 2}})
        );
        assert_eq!(ok(bson!({"$mergeObjects": []}), doc! {}), bson!({}));
        assert_eq!(
            code(bson!({"$mergeObjects": [{"a": 1}, 5]}), doc! {}),
            40400
        );
    }

    #[test]
    fn object_to_array_and_back() {
        // Manual ($objectToArray, $arrayToObject).
        let d = doc! {"dimensions": {"l": 25, "w": 10, "uom": "cm"}};
        assert_eq!(
            ok(bson!({"$objectToArray": "$dimensions"}), d.clone()),
            bson!([{"k": "l", "v": 25}, {"k": "w", "v": 10}, {"k": "uom", "v": "cm"}])
        );
        assert_eq!(
            ok(
                bson!({"$arrayToObject": {"$literal": [["item", "abc123"], ["qty", 25]]}}),
                d.clone()
            ),
            bson!({"item": "abc123", "qty": 25})
        );
        assert_eq!(
            ok(
                bson!({"$arrayToObject": {"$literal": [{"k": "item", "v": "abc123"}, {"k": "qty", "v": 25}]}}),
                d.clone()
            ),
            bson!({"item": "abc123", "qty": 25})
        );
        // Manual: a repeated key keeps the last value.
        assert_eq!(
            ok(
                bson!({"$arrayToObject": {"$literal": [["l", 50], ["l", 60]]}}),
                d.clone()
            ),
            bson!({"l": 60})
        );
        assert_eq!(
            ok(bson!({"$objectToArray": "$nope"}), d.clone()),
            Bson::Null
        );
        assert_eq!(code(bson!({"$objectToArray": 1}), d.clone()), 40390);
        assert_eq!(code(bson!({"$arrayToObject": [[1]]}), d.clone()), 40398);
        assert_eq!(
            code(bson!({"$arrayToObject": {"$literal": [["a"]]}}), d),
            40397
        );
    }

    #[test]
    fn get_set_unset_field() {
        // Manual ($getField): a field with a dot and one with a `$`.
        let d = doc! {"price.usd": 45.99, "$price": 3, "qty": 300};
        assert_eq!(
            ok(bson!({"$getField": "price.usd"}), d.clone()),
            bson!(45.99)
        );
        assert_eq!(
            ok(bson!({"$getField": {"$literal": "$price"}}), d.clone()),
            bson!(3)
        );
        assert_eq!(
            ok(
                bson!({"$getField": {"field": "qty", "input": "$$CURRENT"}}),
                d.clone()
            ),
            bson!(300)
        );
        assert_eq!(ev(bson!({"$getField": "zz"}), d.clone()).unwrap(), None);
        assert_eq!(
            code(bson!({"$getField": {"field": "a"}}), d.clone()),
            3041703
        );
        assert_eq!(
            code(bson!({"$getField": {"field": 1, "input": {}}}), d.clone()),
            3041704
        );
        assert_eq!(
            code(
                bson!({"$getField": {"field": "a", "input": {}, "x": 1}}),
                d.clone()
            ),
            3041701
        );
        // Manual ($setField): add `price.usd`, remove `price`.
        let inv = doc! {"_id": 1, "item": "sweatshirt", "price": 45.99};
        assert_eq!(
            ok(
                bson!({"$setField": {"field": "price.usd", "input": "$$ROOT", "value": "$price"}}),
                inv.clone()
            ),
            bson!({"_id": 1, "item": "sweatshirt", "price": 45.99, "price.usd": 45.99})
        );
        assert_eq!(
            ok(
                bson!({"$setField": {"field": "price", "input": "$$ROOT", "value": "$$REMOVE"}}),
                inv.clone()
            ),
            bson!({"_id": 1, "item": "sweatshirt"})
        );
        assert_eq!(
            ok(
                bson!({"$setField": {"field": "a", "input": {"a": 1, "b": 2}, "value": 9}}),
                inv.clone()
            ),
            bson!({"a": 9, "b": 2})
        );
        assert_eq!(
            ok(
                bson!({"$setField": {"field": "a", "input": Bson::Null, "value": 1}}),
                inv.clone()
            ),
            Bson::Null
        );
        assert_eq!(
            code(
                bson!({"$setField": {"field": "a", "input": 5, "value": 1}}),
                inv.clone()
            ),
            4161105
        );
        assert_eq!(
            code(
                bson!({"$setField": {"field": "$item", "input": "$$ROOT", "value": 1}}),
                inv.clone()
            ),
            4161106
        );
        // Manual ($unsetField).
        assert_eq!(
            ok(
                bson!({"$unsetField": {"field": {"$literal": "$x"}, "input": {"$literal": {"$x": 1, "y": 2}}}}),
                inv.clone()
            ),
            bson!({"y": 2})
        );
        assert_eq!(
            ok(
                bson!({"$unsetField": {"field": "zz", "input": {"a": 1}}}),
                inv.clone()
            ),
            bson!({"a": 1})
        );
        assert_eq!(
            ok(
                bson!({"$unsetField": {"field": "a", "input": Bson::Null}}),
                inv
            ),
            Bson::Null
        );
    }
}
