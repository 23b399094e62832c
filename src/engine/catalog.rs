//! Collection records (stored in the database tree under the collection
//! name) and secondary-index key extraction.
//!
//! Record BSON: `{primary: bin, indexes: [{name, key: {field: 1|-1}, unique:
//! bool, root: bin}], options: {...}}`. Index trees map
//! `encoded index key ++ encoded _id -> encoded _id` (the value lets a
//! reader split an entry without decoding keys).

use super::commit::{bin, hash_field};
use super::error::{Error, Result};
use super::hash::Hash;
use super::keys;
use bson::{Bson, Document, doc};

#[derive(Debug, Clone, PartialEq)]
pub struct IndexSpec {
    pub name: String,
    /// Field paths and directions (1 or -1), in order.
    pub key: Vec<(String, i32)>,
    pub unique: bool,
}

impl IndexSpec {
    pub fn key_document(&self) -> Document {
        let mut d = Document::new();
        for (f, dir) in &self.key {
            d.insert(f.clone(), *dir);
        }
        d
    }

    /// Parses `{a: 1, b: -1}` into a spec, naming it as MongoDB does
    /// (`a_1_b_-1`) unless a name is given.
    pub fn from_key_document(
        key: &Document,
        name: Option<&str>,
        unique: bool,
    ) -> Result<IndexSpec> {
        let mut fields = Vec::new();
        for (f, v) in key {
            let dir = match v {
                Bson::Int32(1) | Bson::Int64(1) => 1,
                Bson::Double(d) if *d == 1.0 => 1,
                Bson::Int32(-1) | Bson::Int64(-1) => -1,
                Bson::Double(d) if *d == -1.0 => -1,
                other => {
                    return Err(Error::Invalid(format!(
                        "index key '{f}' must be 1 or -1, got {other}"
                    )));
                }
            };
            if f.is_empty() || f.starts_with('$') {
                return Err(Error::Invalid(format!("invalid index field name '{f}'")));
            }
            fields.push((f.clone(), dir));
        }
        if fields.is_empty() {
            return Err(Error::Invalid("an index needs at least one field".into()));
        }
        let name = name.map(str::to_string).unwrap_or_else(|| {
            fields
                .iter()
                .map(|(f, d)| format!("{f}_{d}"))
                .collect::<Vec<_>>()
                .join("_")
        });
        Ok(IndexSpec {
            name,
            key: fields,
            unique,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub spec: IndexSpec,
    pub root: Hash,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CollectionRecord {
    pub primary: Hash,
    pub indexes: Vec<Index>,
    pub options: Document,
}

impl CollectionRecord {
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let indexes: Vec<Bson> = self
            .indexes
            .iter()
            .map(|i| {
                Bson::Document(doc! {
                    "name": &i.spec.name,
                    "key": i.spec.key_document(),
                    "unique": i.spec.unique,
                    "root": bin(&i.root),
                })
            })
            .collect();
        doc! { "primary": bin(&self.primary), "indexes": indexes, "options": self.options.clone() }
            .to_vec()
            .map_err(|e| Error::Corrupt(format!("cannot encode collection record: {e}")))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<CollectionRecord> {
        let d = Document::from_reader(bytes)?;
        let mut indexes = Vec::new();
        if let Ok(arr) = d.get_array("indexes") {
            for i in arr {
                let Bson::Document(i) = i else {
                    return Err(Error::Corrupt("index entry is not a document".into()));
                };
                let key = i
                    .get_document("key")
                    .map_err(|_| Error::Corrupt("index without key".into()))?;
                let spec = IndexSpec::from_key_document(
                    key,
                    i.get_str("name").ok(),
                    i.get_bool("unique").unwrap_or(false),
                )?;
                indexes.push(Index {
                    spec,
                    root: hash_field(i, "root")?,
                });
            }
        }
        Ok(CollectionRecord {
            primary: hash_field(&d, "primary")?,
            indexes,
            options: d.get_document("options").cloned().unwrap_or_default(),
        })
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.spec.name == name)
    }
}

/// Values at a dotted path, expanding arrays as MongoDB's multikey indexes
/// do (an empty or missing value indexes as null).
pub fn values_at_path(doc: &Document, path: &str) -> Vec<Bson> {
    fn walk(v: &Bson, parts: &[&str], out: &mut Vec<Bson>) {
        if parts.is_empty() {
            match v {
                Bson::Array(items) if items.is_empty() => out.push(Bson::Null),
                Bson::Array(items) => out.extend(items.iter().cloned()),
                other => out.push(other.clone()),
            }
            return;
        }
        match v {
            Bson::Document(d) => match d.get(parts[0]) {
                Some(next) => walk(next, &parts[1..], out),
                None => out.push(Bson::Null),
            },
            Bson::Array(items) => {
                if let Ok(i) = parts[0].parse::<usize>()
                    && let Some(next) = items.get(i)
                {
                    walk(next, &parts[1..], out);
                    return;
                }
                for item in items {
                    walk(item, parts, out);
                }
                if items.is_empty() {
                    out.push(Bson::Null);
                }
            }
            _ => out.push(Bson::Null),
        }
    }
    let parts: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    match doc.get(parts[0]) {
        Some(v) => walk(v, &parts[1..], &mut out),
        None => out.push(Bson::Null),
    }
    let mut dedup: Vec<Bson> = Vec::with_capacity(out.len());
    for v in out {
        if !dedup.iter().any(|d| keys::compare_bson(d, &v).is_eq()) {
            dedup.push(v);
        }
    }
    dedup
}

/// The encoded index-key prefixes (without `_id`) a document produces.
pub fn index_keys(spec: &IndexSpec, doc: &Document) -> Result<Vec<Vec<u8>>> {
    let mut combos: Vec<Vec<u8>> = vec![Vec::new()];
    let mut multikey_fields = 0;
    for (field, dir) in &spec.key {
        let values = values_at_path(doc, field);
        if values.len() > 1 {
            multikey_fields += 1;
            if multikey_fields > 1 {
                return Err(Error::Invalid(format!(
                    "cannot index parallel arrays in index '{}'",
                    spec.name
                )));
            }
        }
        let mut next = Vec::with_capacity(combos.len() * values.len());
        for prefix in &combos {
            for v in &values {
                let mut k = prefix.clone();
                if *dir < 0 {
                    keys::encode_value_desc(v, &mut k);
                } else {
                    keys::encode_value(v, &mut k);
                }
                next.push(k);
            }
        }
        combos = next;
    }
    Ok(combos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multikey_paths() {
        let d = doc! { "a": [ {"b": 1}, {"b": 2}, {"c": 3} ], "x": [], "y": {"z": 5} };
        assert_eq!(
            values_at_path(&d, "a.b"),
            vec![Bson::Int32(1), Bson::Int32(2), Bson::Null]
        );
        assert_eq!(values_at_path(&d, "x"), vec![Bson::Null]);
        assert_eq!(values_at_path(&d, "y.z"), vec![Bson::Int32(5)]);
        assert_eq!(values_at_path(&d, "nope"), vec![Bson::Null]);
        let spec = IndexSpec::from_key_document(&doc! {"a.b": 1}, None, false).unwrap();
        assert_eq!(spec.name, "a.b_1");
        assert_eq!(index_keys(&spec, &d).unwrap().len(), 3);
        let par = IndexSpec::from_key_document(&doc! {"a.b": 1, "a.c": 1}, None, false).unwrap();
        assert!(index_keys(&par, &d).is_err());
    }
}
