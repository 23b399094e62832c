//! Errors of the query language (projection, sort, update), carrying
//! mongod's numeric error code and code name so that the wire server can
//! answer exactly as mongod would (`{ok: 0, code, codeName, errmsg}`).
//!
//! Messages follow mongod's wording where it is known. mongod's command
//! layer wraps errors raised while *executing* an update or a projection
//! (everything returned by an `apply` method) as
//! `Plan executor error during <command> :: caused by :: <message>`; parse
//! errors stay bare. That wrapping is the caller's job: the messages here
//! are the bare ones.
//!
//! Also here: helpers that print BSON values the way mongod's
//! `BSONElement::toString()` does (`{ a: 1, b: "x" }`, `[ 1, 2 ]`), because
//! mongod embeds values in many of its messages.

use super::filter::FilterError;
use bson::{Bson, Document};
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    pub code: i32,
    pub code_name: &'static str,
    pub message: String,
}

impl QueryError {
    pub fn new(code: i32, code_name: &'static str, message: impl Into<String>) -> QueryError {
        QueryError {
            code,
            code_name,
            message: message.into(),
        }
    }

    /// An error identified only by a numeric "location" code, as mongod
    /// raises with `uassert(31254, ...)`; the code name is `Location<code>`.
    pub fn location(code: i32, message: impl Into<String>) -> QueryError {
        QueryError::new(code, location_name(code), message)
    }

    /// 2 BadValue.
    pub fn bad_value(message: impl Into<String>) -> QueryError {
        QueryError::new(2, "BadValue", message)
    }

    /// 9 FailedToParse.
    pub fn failed_to_parse(message: impl Into<String>) -> QueryError {
        QueryError::new(9, "FailedToParse", message)
    }

    /// 14 TypeMismatch.
    pub fn type_mismatch(message: impl Into<String>) -> QueryError {
        QueryError::new(14, "TypeMismatch", message)
    }

    /// 28 PathNotViable.
    pub fn path_not_viable(message: impl Into<String>) -> QueryError {
        QueryError::new(28, "PathNotViable", message)
    }

    /// 34 CannotBackfillArray.
    pub fn cannot_backfill_array(message: impl Into<String>) -> QueryError {
        QueryError::new(34, "CannotBackfillArray", message)
    }

    /// 40 ConflictingUpdateOperators, with mongod's parse-time wording.
    pub fn conflict(path: &str, at: &str) -> QueryError {
        QueryError::conflicting_update_operators(format!(
            "Updating the path '{path}' would create a conflict at '{at}'"
        ))
    }

    /// 40 ConflictingUpdateOperators.
    pub fn conflicting_update_operators(message: impl Into<String>) -> QueryError {
        QueryError::new(40, "ConflictingUpdateOperators", message)
    }

    /// 52 DollarPrefixedFieldName.
    pub fn dollar_prefixed_field_name(message: impl Into<String>) -> QueryError {
        QueryError::new(52, "DollarPrefixedFieldName", message)
    }

    /// 53 InvalidIdField.
    pub fn invalid_id_field(message: impl Into<String>) -> QueryError {
        QueryError::new(53, "InvalidIdField", message)
    }

    /// 54 NotSingleValueField.
    pub fn not_single_value_field(message: impl Into<String>) -> QueryError {
        QueryError::new(54, "NotSingleValueField", message)
    }

    /// 56 EmptyFieldName.
    pub fn empty_field_name(message: impl Into<String>) -> QueryError {
        QueryError::new(56, "EmptyFieldName", message)
    }

    /// 66 ImmutableField.
    pub fn immutable_field(message: impl Into<String>) -> QueryError {
        QueryError::new(66, "ImmutableField", message)
    }

    /// 72 InvalidOptions.
    pub fn invalid_options(message: impl Into<String>) -> QueryError {
        QueryError::new(72, "InvalidOptions", message)
    }

    /// 168 InvalidPipelineOperator.
    pub fn invalid_pipeline_operator(message: impl Into<String>) -> QueryError {
        QueryError::new(168, "InvalidPipelineOperator", message)
    }

    /// 238 NotImplemented: valid MongoDB syntax that argonctl does not
    /// implement (yet). The message must say what is unsupported.
    pub fn unsupported(message: impl Into<String>) -> QueryError {
        QueryError::new(238, "NotImplemented", message)
    }
}

impl From<FilterError> for QueryError {
    /// The filter module reports every parse problem as a plain message;
    /// mongod answers nearly all of them with BadValue.
    fn from(e: FilterError) -> QueryError {
        QueryError::bad_value(e.0)
    }
}

/// The code name mongod gives a location code: `Location<code>`. The names
/// must be `'static`, so the codes this module raises are listed.
fn location_name(code: i32) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    // Each code's name is made once and kept: the codes are the fixed set
    // this crate raises, so the cache is bounded.
    static NAMES: OnceLock<Mutex<HashMap<i32, &'static str>>> = OnceLock::new();
    let names = NAMES.get_or_init(|| Mutex::new(HashMap::new()));
    let Ok(mut names) = names.lock() else {
        return "Location";
    };
    names
        .entry(code)
        .or_insert_with(|| Box::leak(format!("Location{code}").into_boxed_str()))
}

/// mongod's name for a value's BSON type, as `typeName()` prints it.
pub fn type_name(v: &Bson) -> &'static str {
    match v {
        Bson::Double(_) => "double",
        Bson::String(_) => "string",
        Bson::Document(_) => "object",
        Bson::Array(_) => "array",
        Bson::Binary(_) => "binData",
        Bson::Undefined => "undefined",
        Bson::ObjectId(_) => "objectId",
        Bson::Boolean(_) => "bool",
        Bson::DateTime(_) => "date",
        Bson::Null => "null",
        Bson::RegularExpression(_) => "regex",
        Bson::DbPointer(_) => "dbPointer",
        Bson::JavaScriptCode(_) => "javascript",
        Bson::Symbol(_) => "symbol",
        Bson::JavaScriptCodeWithScope(_) => "javascriptWithScope",
        Bson::Int32(_) => "int",
        Bson::Timestamp(_) => "timestamp",
        Bson::Int64(_) => "long",
        Bson::Decimal128(_) => "decimal",
        Bson::MinKey => "minKey",
        Bson::MaxKey => "maxKey",
    }
}

/// A value as mongod's `BSONElement::toString()` prints it: `{ a: 1 }`,
/// `[ 1, "x" ]`, `{}`, `[]`.
pub fn fmt_value(v: &Bson) -> String {
    let mut out = String::new();
    write_value(v, &mut out);
    out
}

/// An element as mongod prints it in messages: `name: value`.
pub fn fmt_elem(name: &str, v: &Bson) -> String {
    format!("{name}: {}", fmt_value(v))
}

/// A document as mongod prints it: `{ a: 1, b: 2 }`.
pub fn fmt_doc(d: &Document) -> String {
    let mut out = String::new();
    write_doc(d, &mut out);
    out
}

fn write_doc(d: &Document, out: &mut String) {
    if d.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{ ");
    for (i, (k, v)) in d.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k);
        out.push_str(": ");
        write_value(v, out);
    }
    out.push_str(" }");
}

fn write_value(v: &Bson, out: &mut String) {
    // `write!` into a String cannot fail; the results are ignored for that reason.
    match v {
        Bson::Double(f) => {
            if f.is_nan() {
                out.push_str("nan.0");
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "inf.0" } else { "-inf.0" });
            } else {
                let _ = write!(out, "{f:?}");
            }
        }
        Bson::String(s) => {
            let _ = write!(out, "\"{s}\"");
        }
        Bson::Document(d) => write_doc(d, out),
        Bson::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[ ");
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(e, out);
            }
            out.push_str(" ]");
        }
        Bson::Binary(b) => {
            let _ = write!(
                out,
                "BinData({}, {})",
                u8::from(b.subtype),
                b.bytes.iter().fold(String::new(), |mut s, x| {
                    let _ = write!(s, "{x:02X}");
                    s
                })
            );
        }
        Bson::Undefined => out.push_str("undefined"),
        Bson::ObjectId(o) => {
            let _ = write!(out, "ObjectId('{o}')");
        }
        Bson::Boolean(b) => {
            let _ = write!(out, "{b}");
        }
        Bson::DateTime(d) => {
            let _ = write!(out, "new Date({})", d.timestamp_millis());
        }
        Bson::Null => out.push_str("null"),
        Bson::RegularExpression(r) => {
            let _ = write!(out, "/{}/{}", r.pattern.as_str(), r.options.as_str());
        }
        Bson::DbPointer(_) => out.push_str("DBRef(...)"),
        Bson::JavaScriptCode(c) => out.push_str(c),
        Bson::Symbol(s) => {
            let _ = write!(out, "\"{s}\"");
        }
        Bson::JavaScriptCodeWithScope(c) => out.push_str(&c.code),
        Bson::Int32(i) => {
            let _ = write!(out, "{i}");
        }
        Bson::Timestamp(t) => {
            let _ = write!(out, "Timestamp({}, {})", t.time, t.increment);
        }
        Bson::Int64(i) => {
            let _ = write!(out, "{i}");
        }
        Bson::Decimal128(d) => {
            let _ = write!(out, "NumberDecimal(\"{d}\")");
        }
        Bson::MinKey => out.push_str("MinKey"),
        Bson::MaxKey => out.push_str("MaxKey"),
    }
}

/// The `_id` element of a document as mongod puts it in update messages
/// (`_id: 1`), or `no id`.
pub fn fmt_id(doc: &Document) -> String {
    match doc.get("_id") {
        Some(id) => fmt_elem("_id", id),
        None => "no id".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    #[test]
    fn constructors_carry_codes() {
        let e = QueryError::conflict("a.b", "a");
        assert_eq!(e.code, 40);
        assert_eq!(e.code_name, "ConflictingUpdateOperators");
        assert_eq!(
            e.to_string(),
            "Updating the path 'a.b' would create a conflict at 'a'"
        );
        assert_eq!(QueryError::bad_value("x").code, 2);
        assert_eq!(QueryError::failed_to_parse("x").code, 9);
        assert_eq!(QueryError::type_mismatch("x").code, 14);
        assert_eq!(QueryError::path_not_viable("x").code, 28);
        assert_eq!(QueryError::immutable_field("x").code_name, "ImmutableField");
        assert_eq!(QueryError::dollar_prefixed_field_name("x").code, 52);
        assert_eq!(QueryError::empty_field_name("x").code, 56);
        assert_eq!(QueryError::unsupported("x").code, 238);
        let l = QueryError::location(31254, "m");
        assert_eq!((l.code, l.code_name), (31254, "Location31254"));
        assert_eq!(QueryError::location(40602, "m").code_name, "Location40602");
        let f: QueryError = FilterError("unknown operator: $x".into()).into();
        assert_eq!((f.code, f.message.as_str()), (2, "unknown operator: $x"));
    }

    #[test]
    fn values_print_like_mongod() {
        let d = doc! {"a": 1, "b": "x", "c": [1, 2.5], "d": {}, "e": [], "f": {"g": null}};
        assert_eq!(
            fmt_doc(&d),
            r#"{ a: 1, b: "x", c: [ 1, 2.5 ], d: {}, e: [], f: { g: null } }"#
        );
        assert_eq!(fmt_elem("a", &Bson::Double(1.0)), "a: 1.0");
        assert_eq!(fmt_id(&doc! {"_id": 1}), "_id: 1");
        assert_eq!(fmt_id(&doc! {}), "no id");
        assert_eq!(type_name(&Bson::Int64(1)), "long");
        assert_eq!(type_name(&Bson::Document(doc! {})), "object");
    }
}
