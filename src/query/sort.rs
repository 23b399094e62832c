//! Sort specifications (`{a: 1, "b.c": -1}`) with MongoDB's semantics:
//!
//! * values compare in BSON order ([`compare_bson`]), across types;
//! * a missing field sorts as `null`;
//! * an array sorts by its smallest element in an ascending sort and by its
//!   largest in a descending one; an empty array sorts below `null`;
//! * dotted paths reach through arrays of sub-documents (each element
//!   contributes its value, or `null` when it lacks the field).
//!
//! [`SortSpec::compare`] is a total order (ties compare `Equal`; sort
//! stably to keep insertion order among them). For many documents, compute
//! each [`SortKey`] once with [`SortSpec::key`] (or call [`SortSpec::sort`]).

use super::error::{QueryError, fmt_elem};
use super::projection::agg_field_path;
use crate::engine::keys::compare_bson;
use bson::{Bson, Document};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub struct SortSpec {
    fields: Vec<Field>,
    natural: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
struct Field {
    path: Vec<String>,
    ascending: bool,
}

/// The sort key of one document: one value per sort field, already reduced
/// to the array minimum / maximum the direction asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey(Vec<KeyValue>);

#[derive(Debug, Clone, PartialEq)]
enum KeyValue {
    /// An empty array: below null (mongod gives it `undefined`'s rank).
    EmptyArray,
    Value(Bson),
}

fn key_cmp(a: &KeyValue, b: &KeyValue) -> Ordering {
    match (a, b) {
        (KeyValue::EmptyArray, KeyValue::EmptyArray) => Ordering::Equal,
        (KeyValue::EmptyArray, KeyValue::Value(v)) => {
            if matches!(v, Bson::MinKey) {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (KeyValue::Value(_), KeyValue::EmptyArray) => key_cmp(b, a).reverse(),
        (KeyValue::Value(x), KeyValue::Value(y)) => compare_bson(x, y),
    }
}

/// A sort direction: a number that truncates to 1 or -1, as mongod reads it.
fn direction(v: &Bson) -> Option<Option<bool>> {
    let n = match v {
        Bson::Int32(i) => i64::from(*i),
        Bson::Int64(i) => *i,
        // Truncation toward zero, as mongod's numberInt(); saturating `as`.
        Bson::Double(f) => *f as i64,
        Bson::Decimal128(d) => super::update::decimal_to_i64_trunc(d),
        _ => return None,
    };
    Some(match n {
        1 => Some(true),
        -1 => Some(false),
        _ => None,
    })
}

impl SortSpec {
    /// Parses `{field: 1 | -1, ...}`. `{$natural: 1 | -1}` is accepted and
    /// only reported by [`SortSpec::natural`]; `{$meta: ...}` keys are
    /// unsupported (argonctl has no text search).
    pub fn parse(spec: &Document) -> Result<SortSpec, QueryError> {
        let mut fields = Vec::with_capacity(spec.len());
        let mut natural = None;
        for (k, v) in spec {
            if let Bson::Document(d) = v
                && d.contains_key("$meta")
            {
                return Err(QueryError::unsupported(format!(
                    "sorting by {} is not supported by argonctl (no text search or \
                     search metadata)",
                    fmt_elem(k, v)
                )));
            }
            let Some(dir) = direction(v) else {
                return Err(QueryError::location(
                    15974,
                    format!("Illegal key in $sort specification: {}", fmt_elem(k, v)),
                ));
            };
            let Some(ascending) = dir else {
                return Err(QueryError::location(
                    15975,
                    "$sort key ordering must be 1 (for ascending) or -1 (for descending)",
                ));
            };
            if k == "$natural" {
                natural = Some(ascending);
                continue;
            }
            fields.push(Field {
                path: agg_field_path(k)?,
                ascending,
            });
        }
        Ok(SortSpec { fields, natural })
    }

    /// Whether no field is sorted on (every document compares equal).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// `Some(ascending)` when the spec asked for `$natural` order: the
    /// caller scans in storage order (reversed for `-1`); [`compare`]
    /// ignores it.
    ///
    /// [`compare`]: SortSpec::compare
    pub fn natural(&self) -> Option<bool> {
        self.natural
    }

    /// The sort key of `doc`.
    pub fn key(&self, doc: &Document) -> SortKey {
        SortKey(
            self.fields
                .iter()
                .map(|f| {
                    let mut candidates = Vec::new();
                    walk_doc(doc, &f.path, &mut candidates);
                    let pick = if f.ascending {
                        candidates.into_iter().min_by(key_cmp)
                    } else {
                        candidates.into_iter().max_by(key_cmp)
                    };
                    // `walk_doc` always yields at least one candidate.
                    pick.unwrap_or(KeyValue::Value(Bson::Null))
                })
                .collect(),
        )
    }

    /// Compares two keys made by [`SortSpec::key`] of this spec.
    pub fn compare_keys(&self, a: &SortKey, b: &SortKey) -> Ordering {
        for ((f, x), y) in self.fields.iter().zip(&a.0).zip(&b.0) {
            let c = key_cmp(x, y);
            let c = if f.ascending { c } else { c.reverse() };
            if c != Ordering::Equal {
                return c;
            }
        }
        Ordering::Equal
    }

    /// Compares two documents in sort order.
    pub fn compare(&self, a: &Document, b: &Document) -> Ordering {
        if self.fields.is_empty() {
            return Ordering::Equal;
        }
        self.compare_keys(&self.key(a), &self.key(b))
    }

    /// Sorts documents stably, computing each key once.
    pub fn sort(&self, docs: &mut Vec<Document>) {
        if self.fields.is_empty() {
            return;
        }
        let mut keyed: Vec<(SortKey, Document)> =
            docs.drain(..).map(|d| (self.key(&d), d)).collect();
        keyed.sort_by(|(a, _), (b, _)| self.compare_keys(a, b));
        docs.extend(keyed.into_iter().map(|(_, d)| d));
    }
}

fn norm(v: &Bson) -> KeyValue {
    match v {
        // Undefined sorts as null (keys.rs ranks them together).
        Bson::Undefined => KeyValue::Value(Bson::Null),
        v => KeyValue::Value(v.clone()),
    }
}

/// The value(s) at the end of the path: an array contributes its elements
/// (one level), an empty array the special empty-array key.
fn leaf(v: &Bson, out: &mut Vec<KeyValue>) {
    match v {
        Bson::Array(items) if items.is_empty() => out.push(KeyValue::EmptyArray),
        Bson::Array(items) => out.extend(items.iter().map(norm)),
        v => out.push(norm(v)),
    }
}

fn walk_doc(d: &Document, path: &[String], out: &mut Vec<KeyValue>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match d.get(first) {
        Some(v) => walk(v, rest, out),
        None => out.push(KeyValue::Value(Bson::Null)),
    }
}

fn walk(v: &Bson, rest: &[String], out: &mut Vec<KeyValue>) {
    if rest.is_empty() {
        leaf(v, out);
        return;
    }
    match v {
        Bson::Document(d) => walk_doc(d, rest, out),
        Bson::Array(items) => {
            let before = out.len();
            if let Some(item) = rest[0]
                .parse::<usize>()
                .ok()
                .filter(|_| rest[0].bytes().all(|b| b.is_ascii_digit()))
                .and_then(|i| items.get(i))
            {
                walk(item, &rest[1..], out);
            } else {
                for item in items {
                    if let Bson::Document(d) = item {
                        walk_doc(d, rest, out);
                    }
                }
            }
            if out.len() == before {
                out.push(KeyValue::Value(Bson::Null));
            }
        }
        // A path through a scalar reaches nothing: null.
        _ => out.push(KeyValue::Value(Bson::Null)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{Decimal128, doc};
    use proptest::prelude::*;
    use std::str::FromStr;

    fn spec(d: Document) -> SortSpec {
        SortSpec::parse(&d).expect("valid sort")
    }

    fn sorted(s: Document, docs: Vec<Document>) -> Vec<Bson> {
        let mut docs = docs;
        spec(s).sort(&mut docs);
        docs.iter()
            .map(|d| d.get("_id").cloned().unwrap_or(Bson::Null))
            .collect()
    }

    fn ids(v: &[i32]) -> Vec<Bson> {
        v.iter().map(|&i| Bson::Int32(i)).collect()
    }

    #[test]
    fn parse_errors() {
        let e = SortSpec::parse(&doc! {"a": 2}).unwrap_err();
        assert_eq!((e.code, e.code_name), (15975, "Location15975"));
        assert_eq!(
            e.message,
            "$sort key ordering must be 1 (for ascending) or -1 (for descending)"
        );
        let e = SortSpec::parse(&doc! {"asc": "123"}).unwrap_err();
        assert_eq!(e.code, 15974);
        assert_eq!(
            e.message,
            r#"Illegal key in $sort specification: asc: "123""#
        );
        assert_eq!(SortSpec::parse(&doc! {"a": 0}).unwrap_err().code, 15975);
        assert_eq!(
            SortSpec::parse(&doc! {"a": Bson::Int64(i64::MAX)})
                .unwrap_err()
                .code,
            15975
        );
        let e = SortSpec::parse(&doc! {"score": {"$meta": "textScore"}}).unwrap_err();
        assert_eq!(e.code, 238);
        assert!(e.message.contains("$meta"));
        assert_eq!(SortSpec::parse(&doc! {"": 1}).unwrap_err().code, 40352);
        assert_eq!(SortSpec::parse(&doc! {"a..b": 1}).unwrap_err().code, 15998);
        // Numbers of every type, truncated as mongod does.
        assert!(SortSpec::parse(&doc! {"a": 1.0, "b": Bson::Int64(-1), "c": -1.5}).is_ok());
        let one = Decimal128::from_str("1").unwrap();
        assert!(SortSpec::parse(&doc! {"a": one}).is_ok());
        let s = spec(doc! {"$natural": -1});
        assert_eq!(s.natural(), Some(false));
        assert!(s.is_empty());
    }

    #[test]
    fn scalars_and_cross_type_order() {
        let docs = vec![
            doc! {"_id": 1, "a": "x"},
            doc! {"_id": 2, "a": 5},
            doc! {"_id": 3},
            doc! {"_id": 4, "a": null},
            doc! {"_id": 5, "a": 2.5},
            doc! {"_id": 6, "a": {"k": 1}},
            doc! {"_id": 7, "a": true},
        ];
        // null/missing < numbers < strings < objects < booleans
        assert_eq!(
            sorted(doc! {"a": 1}, docs.clone()),
            ids(&[3, 4, 5, 2, 1, 6, 7])
        );
        assert_eq!(sorted(doc! {"a": -1}, docs), ids(&[7, 6, 1, 2, 5, 3, 4]));
    }

    #[test]
    fn arrays_use_min_ascending_max_descending() {
        // docs: "Sort by an array field"
        let docs = vec![
            doc! {"_id": 1, "a": [1, 9]},
            doc! {"_id": 2, "a": [3, 4]},
            doc! {"_id": 3, "a": 2},
            doc! {"_id": 4, "a": []},
            doc! {"_id": 5},
        ];
        // Empty array below null/missing.
        assert_eq!(sorted(doc! {"a": 1}, docs.clone()), ids(&[4, 5, 1, 3, 2]));
        assert_eq!(sorted(doc! {"a": -1}, docs), ids(&[1, 2, 3, 5, 4]));
    }

    #[test]
    fn dotted_paths_through_arrays() {
        let docs = vec![
            doc! {"_id": 1, "a": [{"b": 5}, {"b": 1}]},
            doc! {"_id": 2, "a": {"b": 3}},
            doc! {"_id": 3, "a": [{"b": 2}, {"c": 0}]},
            doc! {"_id": 4, "a": [{"b": [0, 10]}]},
        ];
        // _id 3 has an element without b: null is its minimum.
        assert_eq!(sorted(doc! {"a.b": 1}, docs.clone()), ids(&[3, 4, 1, 2]));
        assert_eq!(sorted(doc! {"a.b": -1}, docs.clone()), ids(&[4, 1, 2, 3]));
        // Numeric component indexes the array.
        assert_eq!(sorted(doc! {"a.0.b": 1}, docs), ids(&[2, 4, 3, 1]));
    }

    #[test]
    fn compound_and_stable() {
        let docs = vec![
            doc! {"_id": 1, "a": 1, "b": 1},
            doc! {"_id": 2, "a": 0, "b": 1},
            doc! {"_id": 3, "a": 1, "b": 2},
            doc! {"_id": 4, "a": 0, "b": 1},
        ];
        assert_eq!(
            sorted(doc! {"a": 1, "b": -1}, docs.clone()),
            ids(&[2, 4, 3, 1])
        );
        assert_eq!(sorted(doc! {}, docs.clone()), ids(&[1, 2, 3, 4]));
        let s = spec(doc! {"a": 1});
        assert_eq!(s.compare(&docs[1], &docs[3]), Ordering::Equal);
    }

    #[test]
    fn numbers_compare_by_value_across_types() {
        let docs = vec![
            doc! {"_id": 1, "a": Bson::Int64(3)},
            doc! {"_id": 2, "a": 2.5},
            doc! {"_id": 3, "a": Decimal128::from_str("2.75").unwrap()},
            doc! {"_id": 4, "a": 1},
        ];
        assert_eq!(sorted(doc! {"a": 1}, docs), ids(&[4, 2, 3, 1]));
    }

    fn scalar() -> impl Strategy<Value = Bson> {
        prop_oneof![
            any::<i32>().prop_map(Bson::Int32),
            any::<i64>().prop_map(Bson::Int64),
            any::<f64>().prop_map(Bson::Double),
            "[a-c]{0,3}".prop_map(Bson::String),
            Just(Bson::Null),
            Just(Bson::Undefined),
            Just(Bson::MinKey),
            Just(Bson::MaxKey),
            any::<bool>().prop_map(Bson::Boolean),
            (-3i64..3).prop_map(|ms| Bson::DateTime(bson::DateTime::from_millis(ms))),
        ]
    }

    fn value() -> impl Strategy<Value = Bson> {
        scalar().prop_recursive(2, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Bson::Array),
                prop::collection::vec(("[ab]", inner), 0..3)
                    .prop_map(|f| Bson::Document(f.into_iter().collect())),
            ]
        })
    }

    fn document() -> impl Strategy<Value = Document> {
        (proptest::option::of(value()), proptest::option::of(value())).prop_map(|(a, b)| {
            let mut d = Document::new();
            if let Some(a) = a {
                d.insert("a", a);
            }
            if let Some(b) = b {
                d.insert("b", b);
            }
            d
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// A single-field sort over non-array values is compare_bson.
        #[test]
        fn prop_single_field_is_compare_bson(x in scalar(), y in scalar()) {
            let (a, b) = (doc! {"a": x.clone()}, doc! {"a": y.clone()});
            prop_assert_eq!(spec(doc! {"a": 1}).compare(&a, &b), compare_bson(&x, &y));
            prop_assert_eq!(spec(doc! {"a": -1}).compare(&a, &b), compare_bson(&x, &y).reverse());
        }

        /// Missing sorts exactly as null.
        #[test]
        fn prop_missing_is_null(x in scalar()) {
            let s = spec(doc! {"a": 1});
            prop_assert_eq!(
                s.compare(&doc! {}, &doc! {"a": x.clone()}),
                s.compare(&doc! {"a": null}, &doc! {"a": x})
            );
        }

        /// compare is a total preorder: reflexive, antisymmetric, transitive.
        #[test]
        fn prop_total_order(a in document(), b in document(), c in document(), dir in prop_oneof![Just(1), Just(-1)]) {
            for s in [spec(doc! {"a": dir}), spec(doc! {"a.a": dir, "b": -dir}), spec(doc! {"b.0": dir})] {
                prop_assert_eq!(s.compare(&a, &a), Ordering::Equal);
                prop_assert_eq!(s.compare(&a, &b), s.compare(&b, &a).reverse());
                let (ab, bc, ac) = (s.compare(&a, &b), s.compare(&b, &c), s.compare(&a, &c));
                if ab != Ordering::Greater && bc != Ordering::Greater {
                    prop_assert_ne!(ac, Ordering::Greater);
                }
                if ab == Ordering::Equal && bc == Ordering::Equal {
                    prop_assert_eq!(ac, Ordering::Equal);
                }
            }
        }

        /// An array sorts like its minimum (ascending) / maximum (descending).
        #[test]
        fn prop_array_min_max(items in prop::collection::vec(scalar(), 1..5), y in scalar()) {
            let min = items.iter().min_by(|p, q| compare_bson(p, q)).cloned().unwrap_or(Bson::Null);
            let max = items.iter().max_by(|p, q| compare_bson(p, q)).cloned().unwrap_or(Bson::Null);
            let arr = doc! {"a": items};
            let other = doc! {"a": y.clone()};
            prop_assert_eq!(spec(doc! {"a": 1}).compare(&arr, &other), compare_bson(&min, &y));
            prop_assert_eq!(spec(doc! {"a": -1}).compare(&arr, &other), compare_bson(&max, &y).reverse());
        }
    }
}
