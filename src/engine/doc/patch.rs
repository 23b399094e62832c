//! Rendering a change list as an RFC 6902 JSON Patch.
//!
//! [`to_relaxed_extjson`] is a port of bson's `Bson::into_relaxed_extjson`,
//! which only exists when bson's `serde` feature is enabled (this crate
//! enables only `serde_json-1`); its output is the same.
//!
//! The change list model (changes applied in order, array indices counted at
//! application time, `add` at an array index inserts) is RFC 6902's own, so
//! each [`FieldChange`] maps to one operation. Values are rendered as relaxed
//! Extended JSON, so BSON types that JSON lacks survive as `{"$oid": ...}`,
//! `{"$date": ...}`, `{"$numberLong": ...}` (for values outside the
//! double-safe range) and so on. Relaxed form renders `Int32(1)`,
//! `Int64(1)` as the same JSON number: a type-only change shows as a
//! `replace` whose value looks unchanged.
//!
//! JSON objects are unordered, so a field `add` in the patch says nothing
//! about position; [`super::diff`] appends added fields, as a JSON Patch
//! applier that keeps insertion order will.

use bson::{Binary, Bson, Document, JavaScriptCodeWithScope, Regex, Timestamp};
use serde_json::{Map, Value, json};

use super::diff::{FieldChange, Op, PathSeg};

/// Renders `path` as a JSON Pointer (RFC 6901): `""` for the root, else
/// `/seg/seg`, with `~` escaped as `~0` and `/` as `~1`.
pub fn json_pointer(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        s.push('/');
        match seg {
            PathSeg::Field(f) => s.push_str(&f.replace('~', "~0").replace('/', "~1")),
            PathSeg::Index(n) => s.push_str(&n.to_string()),
        }
    }
    s
}

/// Converts a change list into a JSON Patch document (an array of
/// operations), in the same order.
pub fn to_json_patch(changes: &[FieldChange]) -> Value {
    changes
        .iter()
        .map(|c| {
            let mut op = Map::new();
            let name = match c.op {
                Op::Add => "add",
                Op::Remove => "remove",
                Op::Replace => "replace",
            };
            op.insert("op".into(), json!(name));
            op.insert("path".into(), json!(json_pointer(&c.path)));
            if c.op != Op::Remove {
                // An add or replace always carries `to`; render a missing one
                // as null rather than emitting an invalid operation.
                let value = c.to.as_ref().map_or(Value::Null, to_relaxed_extjson);
                op.insert("value".into(), value);
            }
            Value::Object(op)
        })
        .collect()
}

/// Renders a value as relaxed Extended JSON v2, exactly as bson's
/// `Bson::into_relaxed_extjson` does.
pub fn to_relaxed_extjson(v: &Bson) -> Value {
    match v {
        Bson::Double(f) if f.is_nan() => {
            json!({ "$numberDouble": if f.is_sign_negative() { "-NaN" } else { "NaN" } })
        }
        Bson::Double(f) if f.is_infinite() => {
            json!({ "$numberDouble": if f.is_sign_negative() { "-Infinity" } else { "Infinity" } })
        }
        Bson::Double(f) => json!(f),
        Bson::String(s) => json!(s),
        Bson::Array(items) => Value::Array(items.iter().map(to_relaxed_extjson).collect()),
        Bson::Document(d) => doc_to_relaxed_extjson(d),
        Bson::Boolean(b) => json!(b),
        Bson::Null => Value::Null,
        Bson::RegularExpression(Regex { pattern, options }) => {
            let mut chars: Vec<char> = options.as_str().chars().collect();
            chars.sort_unstable();
            let options: String = chars.into_iter().collect();
            json!({ "$regularExpression": { "pattern": pattern.as_str(), "options": options } })
        }
        Bson::JavaScriptCode(code) => json!({ "$code": code }),
        Bson::JavaScriptCodeWithScope(JavaScriptCodeWithScope { code, scope }) => {
            json!({ "$code": code, "$scope": doc_to_relaxed_extjson(scope) })
        }
        Bson::Int32(i) => json!(i),
        Bson::Int64(i) => json!(i),
        Bson::Timestamp(Timestamp { time, increment }) => {
            json!({ "$timestamp": { "t": time, "i": increment } })
        }
        Bson::Binary(Binary { subtype, bytes }) => {
            let tag: u8 = (*subtype).into();
            json!({ "$binary": { "base64": base64(bytes), "subType": format!("{tag:02x}") } })
        }
        Bson::ObjectId(oid) => json!({ "$oid": oid.to_hex() }),
        Bson::DateTime(dt) => {
            // Years 1970..=9999 render as an RFC 3339 string, others as
            // milliseconds (253402300799999 is 9999-12-31T23:59:59.999Z).
            let ms = dt.timestamp_millis();
            match dt.try_to_rfc3339_string() {
                Ok(s) if (0..=253_402_300_799_999).contains(&ms) => json!({ "$date": s }),
                _ => json!({ "$date": { "$numberLong": ms.to_string() } }),
            }
        }
        Bson::Symbol(s) => json!({ "$symbol": s }),
        Bson::Decimal128(d) => json!({ "$numberDecimal": d.to_string() }),
        Bson::Undefined => json!({ "$undefined": true }),
        Bson::MinKey => json!({ "$minKey": 1 }),
        Bson::MaxKey => json!({ "$maxKey": 1 }),
        Bson::DbPointer(p) => match db_pointer_parts(p) {
            Some((namespace, oid)) => {
                json!({ "$dbPointer": { "$ref": namespace, "$id": { "$oid": oid } } })
            }
            // Not reachable with a well-formed bson crate; stay total anyway.
            None => json!({ "$dbPointer": format!("{p:?}") }),
        },
    }
}

fn doc_to_relaxed_extjson(d: &Document) -> Value {
    Value::Object(
        d.iter()
            .map(|(k, v)| (k.clone(), to_relaxed_extjson(v)))
            .collect(),
    )
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The namespace and hex oid of a DBPointer. bson keeps both fields private,
/// so read them back from the BSON encoding of `{"": pointer}`:
/// `i32 size | 0x0C | "" 0x00 | i32 strlen | namespace 0x00 | oid(12) | 0x00`.
fn db_pointer_parts(p: &bson::DbPointer) -> Option<(String, String)> {
    let mut d = Document::new();
    d.insert("", Bson::DbPointer(p.clone()));
    let bytes = d.to_vec().ok()?;
    if bytes.get(4..6)? != [0x0C, 0x00] {
        return None;
    }
    let strlen = usize::try_from(i32::from_le_bytes(bytes.get(6..10)?.try_into().ok()?)).ok()?;
    let ns = bytes.get(10..10 + strlen.checked_sub(1)?)?;
    let oid: [u8; 12] = bytes.get(10 + strlen..10 + strlen + 12)?.try_into().ok()?;
    Some((
        String::from_utf8_lossy(ns).into_owned(),
        bson::oid::ObjectId::from_bytes(oid).to_hex(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::diff::diff_docs;
    use super::super::diff::tests::doc_pair;
    use super::*;
    use bson::doc;
    use proptest::prelude::*;

    /// A minimal RFC 6902 applier (add/remove/replace) for the round-trip
    /// property below.
    fn apply_patch(mut doc: Value, patch: &Value) -> Result<Value, String> {
        for op in patch.as_array().ok_or("not an array")? {
            let path = op["path"].as_str().ok_or("no path")?;
            let kind = op["op"].as_str().ok_or("no op")?;
            if path.is_empty() {
                if kind != "replace" {
                    return Err("root op".into());
                }
                doc = op["value"].clone();
                continue;
            }
            let segs: Vec<String> = path[1..]
                .split('/')
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            let (last, init) = segs.split_last().ok_or("empty")?;
            let mut cur = &mut doc;
            for s in init {
                cur = match cur {
                    Value::Object(m) => m.get_mut(s).ok_or("missing")?,
                    Value::Array(a) => a
                        .get_mut(s.parse::<usize>().map_err(|e| e.to_string())?)
                        .ok_or("oob")?,
                    _ => return Err("not a container".into()),
                };
            }
            match (cur, kind) {
                (Value::Object(m), "add" | "replace") => {
                    m.insert(last.clone(), op["value"].clone());
                }
                (Value::Object(m), "remove") => {
                    m.shift_remove(last).ok_or("missing")?;
                }
                (Value::Array(a), k) => {
                    let i: usize = last.parse().map_err(|_| "bad index")?;
                    match k {
                        "add" if i <= a.len() => a.insert(i, op["value"].clone()),
                        "remove" if i < a.len() => drop(a.remove(i)),
                        "replace" if i < a.len() => a[i] = op["value"].clone(),
                        _ => return Err("bad array op".into()),
                    }
                }
                _ => return Err("bad op".into()),
            }
        }
        Ok(doc)
    }

    #[test]
    fn renders_ops_and_escapes_pointers() {
        let a = doc! {"a/b": 1, "t~": {"x": 1}, "arr": [1, 2, 3], "gone": 1};
        let b = doc! {"a/b": 2i64, "t~": {"x": 1, "y": {"$k": 1}}, "arr": [1, 3]};
        let patch = to_json_patch(&diff_docs(&a, &b));
        assert_eq!(
            patch,
            json!([
                {"op": "replace", "path": "/a~1b", "value": 2},
                {"op": "add", "path": "/t~0/y", "value": {"$k": 1}},
                {"op": "remove", "path": "/arr/1"},
                {"op": "remove", "path": "/gone"},
            ])
        );
        let oid = bson::oid::ObjectId::new();
        let patch = to_json_patch(&diff_docs(&doc! {}, &doc! {"o": oid}));
        assert_eq!(patch[0]["value"], json!({"$oid": oid.to_hex()}));
        assert_eq!(json_pointer(&[]), "");
    }

    #[test]
    fn relaxed_extjson_matches_the_spec() {
        let oid = bson::oid::ObjectId::parse_str("5f0c3c1b9d1e4a2b3c4d5e6f").unwrap();
        let mut cases = vec![
            (Bson::Int32(5), json!(5)),
            (Bson::Int64(5), json!(5)),
            (Bson::Double(1.5), json!(1.5)),
            (Bson::Double(f64::NAN), json!({"$numberDouble": "NaN"})),
            (
                Bson::Double(f64::NEG_INFINITY),
                json!({"$numberDouble": "-Infinity"}),
            ),
            (
                Bson::DateTime(bson::DateTime::from_millis(0)),
                json!({"$date": "1970-01-01T00:00:00Z"}),
            ),
            (
                Bson::DateTime(bson::DateTime::from_millis(-1)),
                json!({"$date": {"$numberLong": "-1"}}),
            ),
            (
                Bson::Binary(Binary {
                    subtype: bson::spec::BinarySubtype::Generic,
                    bytes: b"hello".to_vec(),
                }),
                json!({"$binary": {"base64": "aGVsbG8=", "subType": "00"}}),
            ),
            (
                Bson::Binary(Binary {
                    subtype: bson::spec::BinarySubtype::Uuid,
                    bytes: b"hi!".to_vec(),
                }),
                json!({"$binary": {"base64": "aGkh", "subType": "04"}}),
            ),
            (
                Bson::RegularExpression(Regex {
                    pattern: "a.c".try_into().unwrap(),
                    options: "mi".try_into().unwrap(),
                }),
                json!({"$regularExpression": {"pattern": "a.c", "options": "im"}}),
            ),
            (
                Bson::Timestamp(Timestamp {
                    time: 7,
                    increment: 2,
                }),
                json!({"$timestamp": {"t": 7, "i": 2}}),
            ),
            (
                Bson::ObjectId(oid),
                json!({"$oid": "5f0c3c1b9d1e4a2b3c4d5e6f"}),
            ),
            (Bson::MinKey, json!({"$minKey": 1})),
            (
                Bson::Decimal128("1.5".parse().unwrap()),
                json!({"$numberDecimal": "1.5"}),
            ),
        ];
        // A DBPointer can only be made by decoding BSON.
        let mut raw = vec![0u8; 4];
        raw.extend_from_slice(b"\x0Cp\x00");
        raw.extend_from_slice(&5i32.to_le_bytes());
        raw.extend_from_slice(b"db.c\x00");
        raw.extend_from_slice(&oid.bytes());
        raw.push(0);
        let len = raw.len() as i32;
        raw[..4].copy_from_slice(&len.to_le_bytes());
        let ptr = Document::from_reader(&raw[..])
            .unwrap()
            .get("p")
            .unwrap()
            .clone();
        cases.push((
            ptr,
            json!({"$dbPointer": {"$ref": "db.c", "$id": {"$oid": "5f0c3c1b9d1e4a2b3c4d5e6f"}}}),
        ));
        for (v, want) in cases {
            assert_eq!(to_relaxed_extjson(&v), want, "{v:?}");
        }
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn patch_applies_like_apply_changes((a, b) in doc_pair()) {
            let patch = to_json_patch(&diff_docs(&a, &b));
            let ja = doc_to_relaxed_extjson(&a);
            let jb = doc_to_relaxed_extjson(&b);
            let got = apply_patch(ja, &patch);
            prop_assert_eq!(got, Ok(jb), "patch {}", patch);
        }
    }
}
