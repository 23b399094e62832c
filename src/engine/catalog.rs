//! Collection records (stored in the database tree under the collection
//! name) and secondary-index key extraction.
//!
//! Record BSON: `{primary: bin, indexes: [{name, key: {field: 1|-1}, unique:
//! bool, sparse?: true, keyFormat?: 2, options?: {expireAfterSeconds?,
//! hidden?}, root: bin}], options: {...}}`. The
//! optional fields are written only when set, so records of indexes that do
//! not use them keep their bytes (and hashes). Index trees map
//! `encoded index key ++ encoded _id -> encoded _id` (the value lets a
//! reader split an entry without decoding keys).

use super::commit::{bin, hash_field};
use super::error::{Error, Result};
use super::hash::Hash;
use super::keys;
use bson::{Bson, Document, doc};

/// How an index keys a field that is an empty array. Indexes created before
/// format 2 keyed it as null, like a missing field; their trees hold such
/// keys, so they keep that keying (a document's old keys must be found again
/// to remove them on an update or delete).
pub const KEY_FORMAT_EMPTY_ARRAY_AS_NULL: i32 = 1;
/// An empty array (or an undefined value) is keyed apart from null, as
/// mongod keys it as undefined: under a unique index `{tags: []}` and a
/// document without `tags` do not collide. New indexes use this.
pub const KEY_FORMAT_EMPTY_ARRAY_APART: i32 = 2;

#[derive(Debug, Clone, PartialEq)]
pub struct IndexSpec {
    pub name: String,
    /// Field paths and directions (1 or -1), in order.
    pub key: Vec<(String, i32)>,
    pub unique: bool,
    /// Documents with none of the key's fields are left out of the index
    /// (so a unique sparse index allows any number of them).
    pub sparse: bool,
    /// One of the `KEY_FORMAT_*` constants.
    pub key_format: i32,
    /// Options a client gave that the index keeps and lists but that do
    /// not change its keys (`expireAfterSeconds`, `hidden`), in the order
    /// given; see [`KEPT_INDEX_OPTIONS`].
    pub options: Document,
}

/// The index options kept in [`IndexSpec::options`].
pub const KEPT_INDEX_OPTIONS: &[&str] = &["expireAfterSeconds", "hidden"];

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
            sparse: false,
            key_format: KEY_FORMAT_EMPTY_ARRAY_APART,
            options: Document::new(),
        })
    }

    /// This spec with the [`KEPT_INDEX_OPTIONS`] found in `spec` (an index
    /// specification as `createIndexes` takes it).
    pub fn with_options_of(mut self, spec: &Document) -> IndexSpec {
        for k in KEPT_INDEX_OPTIONS {
            if let Some(v) = spec.get(*k) {
                self.options.insert(*k, v.clone());
            }
        }
        self
    }

    /// `expireAfterSeconds` of a TTL index.
    pub fn expire_after_seconds(&self) -> Option<f64> {
        match self.options.get("expireAfterSeconds")? {
            Bson::Int32(n) => Some(f64::from(*n)),
            Bson::Int64(n) => Some(*n as f64),
            Bson::Double(n) => Some(*n),
            _ => None,
        }
    }

    pub fn with_sparse(mut self, sparse: bool) -> IndexSpec {
        self.sparse = sparse;
        self
    }

    /// Whether `other` asks for this index: the same name, key and options.
    /// The key format is not an option a client chooses, so an index built
    /// with an older one is still the same index.
    pub fn same_definition(&self, other: &IndexSpec) -> bool {
        self.name == other.name
            && self.key == other.key
            && self.unique == other.unique
            && self.sparse == other.sparse
            && self.options == other.options
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
                let mut d = doc! {
                    "name": &i.spec.name,
                    "key": i.spec.key_document(),
                    "unique": i.spec.unique,
                };
                if i.spec.sparse {
                    d.insert("sparse", true);
                }
                if i.spec.key_format != KEY_FORMAT_EMPTY_ARRAY_AS_NULL {
                    d.insert("keyFormat", i.spec.key_format);
                }
                if !i.spec.options.is_empty() {
                    d.insert("options", i.spec.options.clone());
                }
                d.insert("root", bin(&i.root));
                Bson::Document(d)
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
                let mut spec = IndexSpec::from_key_document(
                    key,
                    i.get_str("name").ok(),
                    i.get_bool("unique").unwrap_or(false),
                )?
                .with_sparse(i.get_bool("sparse").unwrap_or(false));
                // Records without the field predate key formats.
                spec.key_format = i
                    .get_i32("keyFormat")
                    .unwrap_or(KEY_FORMAT_EMPTY_ARRAY_AS_NULL);
                spec.options = i.get_document("options").cloned().unwrap_or_default();
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
    let mut dedup: Vec<Bson> = Vec::new();
    for v in raw_values_at_path(doc, path, &Bson::Null) {
        if !dedup.iter().any(|d| keys::compare_bson(d, &v).is_eq()) {
            dedup.push(v);
        }
    }
    dedup
}

/// The values at a dotted path with `final_empty` for an empty array the
/// path ends at, not deduplicated.
fn raw_values_at_path(doc: &Document, path: &str, final_empty: &Bson) -> Vec<Bson> {
    fn walk(v: &Bson, parts: &[&str], final_empty: &Bson, out: &mut Vec<Bson>) {
        if parts.is_empty() {
            match v {
                Bson::Array(items) if items.is_empty() => out.push(final_empty.clone()),
                Bson::Array(items) => out.extend(items.iter().cloned()),
                other => out.push(other.clone()),
            }
            return;
        }
        match v {
            Bson::Document(d) => match d.get(parts[0]) {
                Some(next) => walk(next, &parts[1..], final_empty, out),
                None => out.push(Bson::Null),
            },
            Bson::Array(items) => {
                if let Ok(i) = parts[0].parse::<usize>()
                    && let Some(next) = items.get(i)
                {
                    walk(next, &parts[1..], final_empty, out);
                    return;
                }
                for item in items {
                    walk(item, parts, final_empty, out);
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
        Some(v) => walk(v, &parts[1..], final_empty, &mut out),
        None => out.push(Bson::Null),
    }
    out
}

/// Whether a dotted path reaches anything in a document (through arrays of
/// documents too), for sparse indexes.
fn has_path(doc: &Document, path: &str) -> bool {
    fn walk(v: &Bson, parts: &[&str]) -> bool {
        let Some((first, rest)) = parts.split_first() else {
            return true;
        };
        match v {
            Bson::Document(d) => d.get(*first).is_some_and(|n| walk(n, rest)),
            Bson::Array(items) => {
                if let Ok(i) = first.parse::<usize>()
                    && let Some(next) = items.get(i)
                    && walk(next, rest)
                {
                    return true;
                }
                items.iter().any(|item| walk(item, parts))
            }
            _ => false,
        }
    }
    let parts: Vec<&str> = path.split('.').collect();
    doc.get(parts[0]).is_some_and(|v| walk(v, &parts[1..]))
}

/// The values an index keys a document by at one of its fields, deduplicated
/// by key. With [`KEY_FORMAT_EMPTY_ARRAY_APART`], `Undefined` stands for an
/// empty array (and for an undefined value), which keys apart from null.
pub(crate) fn index_values(spec: &IndexSpec, doc: &Document, path: &str) -> Vec<Bson> {
    if spec.key_format == KEY_FORMAT_EMPTY_ARRAY_AS_NULL {
        return values_at_path(doc, path);
    }
    let is_undefined = |v: &Bson| matches!(v, Bson::Undefined);
    let mut dedup: Vec<Bson> = Vec::new();
    for v in raw_values_at_path(doc, path, &Bson::Undefined) {
        // compare_bson ranks Undefined with Null: tell them apart here.
        if !dedup
            .iter()
            .any(|d| is_undefined(d) == is_undefined(&v) && keys::compare_bson(d, &v).is_eq())
        {
            dedup.push(v);
        }
    }
    dedup
}

/// The encoded index-key prefixes (without `_id`) a document produces; none
/// for a document a sparse index leaves out.
pub fn index_keys(spec: &IndexSpec, doc: &Document) -> Result<Vec<Vec<u8>>> {
    if spec.sparse && !spec.key.iter().any(|(f, _)| has_path(doc, f)) {
        return Ok(Vec::new());
    }
    let apart = spec.key_format != KEY_FORMAT_EMPTY_ARRAY_AS_NULL;
    let mut combos: Vec<Vec<u8>> = vec![Vec::new()];
    let mut multikey_fields = 0;
    for (field, dir) in &spec.key {
        let values = index_values(spec, doc, field);
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
                if apart && matches!(v, Bson::Undefined) {
                    keys::encode_undefined_index_value(*dir < 0, &mut k);
                } else if *dir < 0 {
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

    #[test]
    fn empty_array_keys_apart_from_null() {
        let key = |spec: &IndexSpec, d: Document| index_keys(spec, &d).unwrap();
        let mut spec = IndexSpec::from_key_document(&doc! {"t": 1}, None, true).unwrap();
        assert_eq!(spec.key_format, KEY_FORMAT_EMPTY_ARRAY_APART);
        let empty = key(&spec, doc! {"t": []});
        assert_ne!(empty, key(&spec, doc! {}));
        assert_eq!(key(&spec, doc! {}), key(&spec, doc! {"t": null}));
        assert_ne!(
            empty,
            key(&spec, doc! {"t": [[]]}),
            "an element [] is the value []"
        );
        // a missing b next to an empty one: both keys
        let ab = IndexSpec::from_key_document(&doc! {"a.b": -1}, None, false).unwrap();
        assert_eq!(key(&ab, doc! {"a": [{"b": []}, {}]}).len(), 2);
        // indexes from before key formats keep keying [] as null
        spec.key_format = KEY_FORMAT_EMPTY_ARRAY_AS_NULL;
        assert_eq!(key(&spec, doc! {"t": []}), key(&spec, doc! {}));
    }

    #[test]
    fn sparse_skips_documents_without_the_fields() {
        let spec = IndexSpec::from_key_document(&doc! {"s": 1, "t": 1}, None, true)
            .unwrap()
            .with_sparse(true);
        assert!(index_keys(&spec, &doc! {"x": 1}).unwrap().is_empty());
        assert_eq!(index_keys(&spec, &doc! {"t": null}).unwrap().len(), 1);
        assert_eq!(index_keys(&spec, &doc! {"s": [{"a": 1}]}).unwrap().len(), 1);
    }

    #[test]
    fn record_bytes_unchanged_for_plain_indexes() {
        // A record without the optional fields reads back as format 1, and
        // only sparse or newer-format indexes write them.
        let mut spec = IndexSpec::from_key_document(&doc! {"a": 1}, None, false).unwrap();
        spec.key_format = KEY_FORMAT_EMPTY_ARRAY_AS_NULL;
        let root = Hash::of(b"x");
        let rec = CollectionRecord {
            primary: root,
            indexes: vec![Index { spec, root }],
            options: Document::new(),
        };
        let bytes = rec.to_bytes().unwrap();
        let d = Document::from_reader(bytes.as_slice()).unwrap();
        let idx = d.get_array("indexes").unwrap()[0]
            .as_document()
            .unwrap()
            .clone();
        assert_eq!(
            idx.keys().collect::<Vec<_>>(),
            ["name", "key", "unique", "root"]
        );
        assert_eq!(CollectionRecord::from_bytes(&bytes).unwrap(), rec);
        let mut new = rec.clone();
        new.indexes[0].spec = new.indexes[0].spec.clone().with_sparse(true);
        new.indexes[0].spec.key_format = KEY_FORMAT_EMPTY_ARRAY_APART;
        assert_eq!(
            CollectionRecord::from_bytes(&new.to_bytes().unwrap()).unwrap(),
            new
        );
    }
}
