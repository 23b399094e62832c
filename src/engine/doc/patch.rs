//! Rendering a change list as an RFC 6902 JSON Patch.
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
                let value = c.to.clone().map_or(Value::Null, |v| v.into_relaxed_extjson());
                op.insert("value".into(), value);
            }
            Value::Object(op)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::diff::diff_docs;
    use super::super::diff::tests::doc_pair;
    use super::*;
    use bson::{Bson, doc};
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn patch_applies_like_apply_changes((a, b) in doc_pair()) {
            let patch = to_json_patch(&diff_docs(&a, &b));
            let ja = Bson::Document(a.clone()).into_relaxed_extjson();
            let jb = Bson::Document(b.clone()).into_relaxed_extjson();
            let got = apply_patch(ja, &patch);
            prop_assert_eq!(got, Ok(jb), "patch {}", patch);
        }
    }
}
