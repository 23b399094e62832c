//! Field paths of the aggregation language (`"$a.b.c"`): parsing, and
//! reading them as mongod's `ExpressionFieldPath` does. Arrays along the
//! way map over their elements: documents are followed, nested arrays
//! recurse, other values are skipped, so `"$a.b"` on `{a: [{b: 1}, {b: 2},
//! 3]}` is `[1, 2]`.

use crate::query::error::QueryError;
use bson::{Bson, Document};

/// Splits and validates a field path (the part after `$` in `"$a.b"`, or
/// an `$addFields`/`$project` key).
pub fn parse(path: &str) -> Result<Vec<String>, QueryError> {
    if path.is_empty() {
        return Err(QueryError::location(
            40352,
            "FieldPath cannot be constructed with empty string",
        ));
    }
    path.split('.')
        .map(|c| {
            if c.is_empty() {
                Err(QueryError::location(
                    15998,
                    "FieldPath field names may not be empty strings.",
                ))
            } else if c.starts_with('$') {
                Err(QueryError::location(
                    16410,
                    format!(
                        "FieldPath field names may not start with '$'. Consider using \
                         $getField or $setField. Got: '{c}'"
                    ),
                ))
            } else {
                Ok(c.to_string())
            }
        })
        .collect()
}

/// The value at `path` below a document; an empty path is the document.
pub fn get_doc(doc: &Document, path: &[String]) -> Option<Bson> {
    match path.split_first() {
        None => Some(Bson::Document(doc.clone())),
        Some((first, rest)) => get(doc.get(first)?, rest),
    }
}

/// The value at `path` below a value; an empty path is the value.
pub fn get(v: &Bson, path: &[String]) -> Option<Bson> {
    let Some((first, tail)) = path.split_first() else {
        return Some(v.clone());
    };
    match v {
        Bson::Document(d) => get(d.get(first)?, tail),
        Bson::Array(items) => Some(Bson::Array(
            items
                .iter()
                .filter_map(|e| match e {
                    Bson::Document(d) => d.get(first).and_then(|x| get(x, tail)),
                    Bson::Array(_) => get(e, path),
                    _ => None,
                })
                .collect(),
        )),
        _ => None,
    }
}

/// Sets `path` in `doc` to `v` (`None` removes it), creating (or
/// replacing non-document values with) sub-documents on the way, as
/// `$addFields` does. Arrays on the way get the value set in each of their
/// document elements.
pub fn set(doc: &mut Document, path: &[String], v: Option<Bson>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match v {
            Some(v) => {
                doc.insert(first.clone(), v);
            }
            None => {
                doc.remove(first);
            }
        }
        return;
    }
    match doc.get_mut(first) {
        Some(Bson::Document(sub)) => set(sub, rest, v),
        Some(Bson::Array(items)) => set_in_array(items, rest, v),
        Some(_) | None => {
            if v.is_none() {
                return;
            }
            let mut sub = Document::new();
            set(&mut sub, rest, v);
            doc.insert(first.clone(), sub);
        }
    }
}

fn set_in_array(items: &mut [Bson], path: &[String], v: Option<Bson>) {
    for item in items {
        match item {
            Bson::Document(d) => set(d, path, v.clone()),
            Bson::Array(inner) => set_in_array(inner, path, v.clone()),
            other => {
                if let Some(v) = &v {
                    let mut sub = Document::new();
                    set(&mut sub, path, Some(v.clone()));
                    *other = Bson::Document(sub);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{bson, doc};

    fn p(s: &str) -> Vec<String> {
        parse(s).unwrap()
    }

    #[test]
    fn reads_through_arrays() {
        let d = doc! {"a": [{"b": 1}, {"b": 2}, 3, [{"b": 4}], {"c": 5}]};
        assert_eq!(get_doc(&d, &p("a.b")), Some(bson!([1, 2, [4]])));
        assert_eq!(get_doc(&d, &p("x.y")), None);
        assert_eq!(get_doc(&doc! {"a": 1}, &p("a.b")), None);
    }

    #[test]
    fn rejects_bad_paths() {
        assert_eq!(parse("").unwrap_err().code, 40352);
        assert_eq!(parse("a..b").unwrap_err().code, 15998);
        assert_eq!(parse("a.$b").unwrap_err().code, 16410);
    }

    #[test]
    fn sets_paths() {
        let mut d = doc! {"a": [{"b": 1}, 2], "c": 1};
        set(&mut d, &p("a.x"), Some(Bson::Int32(9)));
        set(&mut d, &p("c.d"), Some(Bson::Int32(3)));
        assert_eq!(d, doc! {"a": [{"b": 1, "x": 9}, {"x": 9}], "c": {"d": 3}});
    }
}
