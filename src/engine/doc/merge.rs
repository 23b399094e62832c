//! Three-way merge of BSON documents, field by field.
//!
//! Values are compared with [`values_equal`](super::diff::values_equal) (type-exact, order-sensitive,
//! NaN == NaN). For every field, with `b`/`o`/`t` its value in base, ours
//! and theirs (absent counts as a value):
//!
//! * `o == t`: taken (no change, or the same change on both sides — also two
//!   identical additions, or a deletion on both sides);
//! * `o == b`: theirs' change is taken (including a deletion);
//! * `t == b`: ours' change is kept;
//! * otherwise both sides changed the field differently: three documents are
//!   merged recursively, three `_id`-keyed arrays are merged element by
//!   element, and anything else is a [`Conflict`]: [`ConflictKind::DeleteModify`]
//!   (ours deleted, theirs modified), [`ConflictKind::ModifyDelete`] (ours
//!   modified, theirs deleted), [`ConflictKind::BothAdded`] (absent from
//!   base), [`ConflictKind::TypeChange`] (ours and theirs have different BSON
//!   types, e.g. a sub-document replaced by a scalar on one side and edited on
//!   the other) or [`ConflictKind::BothModified`].
//!
//! A conflicted path holds ours' value in the merged document (absent if ours
//! deleted it), for the caller to resolve. No change from one side is ever
//! dropped without a conflict at its path or an enclosing one.
//!
//! # `_id`-keyed arrays
//!
//! When all three versions of an array consist only of documents with an
//! `_id`, unique within each array, elements are matched by `_id` and merged
//! with the rules above (an element added on one side is kept, one deleted on
//! one side and unchanged on the other is deleted, deleted vs modified is a
//! conflict at the element's path). Other arrays are merged as whole values.
//!
//! # Order
//!
//! The merged document follows ours' field order, with fields that only
//! theirs has appended in theirs' relative order. One exception keeps a
//! one-sided change from being lost: if ours kept base's relative field order
//! and theirs reordered the fields, theirs' order is followed instead (with
//! ours-only fields appended). If both reordered, ours' order wins.
//!
//! Keyed arrays follow the same skeleton rule, but elements that only the
//! other side has are inserted after the element that precedes them on that
//! side (after any of the skeleton side's own new elements at that spot),
//! rather than appended. If both sides reordered the shared elements
//! differently, the whole array is a [`ConflictKind::BothModified`] conflict.
//!
//! Paths into arrays use the element's index in the merged array; for an
//! element that ours deleted and theirs modified (absent from the merged
//! array), the index where it would be inserted.

use std::collections::HashMap;

use bson::{Bson, Document};

use super::diff::{Interner, MAX_DEPTH, PathSeg, docs_equal, id_tokens, opt_equal};

/// A path that both sides changed incompatibly. `base`, `ours` and `theirs`
/// are the values at `path` (`None` when absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub path: Vec<PathSeg>,
    pub kind: ConflictKind,
    pub base: Option<Bson>,
    pub ours: Option<Bson>,
    pub theirs: Option<Bson>,
}

/// Conflict kinds; in two-word kinds the first word is ours' action, the
/// second theirs' (`ModifyDelete`: ours modified, theirs deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ConflictKind {
    BothModified,
    ModifyDelete,
    DeleteModify,
    BothAdded,
    TypeChange,
}

/// The merged document (ours' value at conflicted paths) and the conflicts,
/// in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeResult {
    pub merged: Document,
    pub conflicts: Vec<Conflict>,
}

/// Outcome of merging three versions of one whole document (`None` = the
/// document does not exist in that version).
#[derive(Debug, Clone, PartialEq)]
pub enum DocMerge {
    /// The result is ours' version as it is: nothing to write.
    Unchanged,
    /// The result is exactly this version (`None`: the document is deleted).
    Take(Option<Document>),
    /// The result is a clean field-level merge of both sides.
    Merged(Document),
    /// Conflicts; `merged_ours` is the merge with ours' value at each
    /// conflicted path (`None` if ours deleted the document).
    Conflict {
        merged_ours: Option<Document>,
        conflicts: Vec<Conflict>,
    },
}

/// Merges `ours` and `theirs`, both derived from `base`; see the module docs.
/// Deterministic; `merge_docs(b, x, b)` and `merge_docs(b, b, x)` are `x`
/// with no conflicts.
pub fn merge_docs(base: &Document, ours: &Document, theirs: &Document) -> MergeResult {
    let mut m = Merger::default();
    let merged = m.doc(base, ours, theirs, 0);
    MergeResult {
        merged,
        conflicts: m.conflicts,
    }
}

/// Merges three versions of a whole document, as found by `_id` in a base
/// collection and two branches:
///
/// * same on both sides (including added identically): `Unchanged`, except
///   deleted on both sides: `Take(None)`;
/// * changed on one side only: `Take(theirs)` or `Unchanged` (ours);
/// * added on both sides with different contents: a `BothAdded` conflict at
///   the root path `[]` (even if the fields would merge cleanly: two
///   unrelated inserts with one `_id` are not the same document);
/// * deleted on one side and modified on the other: a `DeleteModify` or
///   `ModifyDelete` conflict at `[]`;
/// * modified on both sides: [`merge_docs`]; a clean result equal to ours is
///   `Unchanged`, equal to theirs `Take(theirs)`, otherwise `Merged`.
pub fn merge_versions(
    base: Option<&Document>,
    ours: Option<&Document>,
    theirs: Option<&Document>,
) -> DocMerge {
    let same = |x: Option<&Document>, y: Option<&Document>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => docs_equal(x, y),
        _ => false,
    };
    if same(ours, theirs) {
        return if base.is_some() && ours.is_none() {
            DocMerge::Take(None)
        } else {
            DocMerge::Unchanged
        };
    }
    if same(theirs, base) {
        return DocMerge::Unchanged;
    }
    if same(ours, base) {
        return DocMerge::Take(theirs.cloned());
    }
    let root_conflict = |kind| {
        let as_bson = |d: Option<&Document>| d.map(|d| Bson::Document(d.clone()));
        vec![Conflict {
            path: Vec::new(),
            kind,
            base: as_bson(base),
            ours: as_bson(ours),
            theirs: as_bson(theirs),
        }]
    };
    match (base, ours, theirs) {
        (_, None, _) => DocMerge::Conflict {
            merged_ours: None,
            conflicts: root_conflict(ConflictKind::DeleteModify),
        },
        (_, Some(o), None) => DocMerge::Conflict {
            merged_ours: Some(o.clone()),
            conflicts: root_conflict(ConflictKind::ModifyDelete),
        },
        (None, Some(o), Some(_)) => DocMerge::Conflict {
            merged_ours: Some(o.clone()),
            conflicts: root_conflict(ConflictKind::BothAdded),
        },
        (Some(b), Some(o), Some(t)) => {
            let r = merge_docs(b, o, t);
            if !r.conflicts.is_empty() {
                DocMerge::Conflict {
                    merged_ours: Some(r.merged),
                    conflicts: r.conflicts,
                }
            } else if docs_equal(&r.merged, o) {
                DocMerge::Unchanged
            } else if docs_equal(&r.merged, t) {
                DocMerge::Take(Some(t.clone()))
            } else {
                DocMerge::Merged(r.merged)
            }
        }
    }
}

const BASE: usize = 0;
const OURS: usize = 1;
const THEIRS: usize = 2;

/// Whether a key ends up in the merged container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    Absent,
    Present,
    /// Deleted by ours, modified by theirs: absent (ours' choice) but has a
    /// conflict path, and so a position.
    Phantom,
}

/// The presence that [`Merger::value`] will produce for a key.
fn classify(b: Option<&Bson>, o: Option<&Bson>, t: Option<&Bson>) -> Presence {
    let kept = |v: Option<&Bson>| {
        if v.is_some() {
            Presence::Present
        } else {
            Presence::Absent
        }
    };
    if opt_equal(o, t) || opt_equal(t, b) {
        kept(o)
    } else if opt_equal(o, b) {
        kept(t)
    } else if o.is_none() {
        Presence::Phantom
    } else {
        Presence::Present
    }
}

/// Three keyed sequences (fields of a document, or elements of a keyed array)
/// with keys interned as tokens `0..ntok`.
struct Keyed<'a> {
    ntok: usize,
    keys: [Vec<usize>; 3],
    vals: [Vec<&'a Bson>; 3],
    /// `pos[side][token]`: index of the token in that side's sequence.
    pos: [Vec<Option<usize>>; 3],
}

impl<'a> Keyed<'a> {
    fn new(ntok: usize, keys: [Vec<usize>; 3], vals: [Vec<&'a Bson>; 3]) -> Self {
        let pos = std::array::from_fn(|side| {
            let mut p = vec![None; ntok];
            for (i, &t) in keys[side].iter().enumerate() {
                p[t] = Some(i);
            }
            p
        });
        Keyed {
            ntok,
            keys,
            vals,
            pos,
        }
    }

    fn get(&self, side: usize, tok: usize) -> Option<&'a Bson> {
        self.pos[side][tok].map(|i| self.vals[side][i])
    }

    fn has(&self, side: usize, tok: usize) -> bool {
        self.pos[side][tok].is_some()
    }

    /// The tokens of `side` that `other` also has, in `side`'s order.
    fn shared_order(&self, side: usize, other: &[usize]) -> Vec<usize> {
        self.keys[side]
            .iter()
            .copied()
            .filter(|&t| other.iter().all(|&s| self.has(s, t)))
            .collect()
    }

    /// Did `side` change the relative order of the keys it shares with base?
    fn reordered(&self, side: usize) -> bool {
        self.shared_order(BASE, &[side]) != self.shared_order(side, &[BASE])
    }
}

/// How keys become path segments and where the non-skeleton side's keys go.
enum Layout<'n> {
    /// Document fields (token -> name); other-side fields are appended.
    Fields(&'n [&'n str]),
    /// Keyed array elements; other-side elements are inserted after their
    /// predecessor.
    Elements,
}

#[derive(Default)]
struct Merger {
    path: Vec<PathSeg>,
    conflicts: Vec<Conflict>,
}

impl Merger {
    fn conflict(
        &mut self,
        kind: ConflictKind,
        b: Option<&Bson>,
        o: Option<&Bson>,
        t: Option<&Bson>,
    ) {
        self.conflicts.push(Conflict {
            path: self.path.clone(),
            kind,
            base: b.cloned(),
            ours: o.cloned(),
            theirs: t.cloned(),
        });
    }

    /// Merges one value at `self.path` (see the module docs for the rules).
    /// `depth` is the nesting depth of the container holding it.
    fn value(
        &mut self,
        b: Option<&Bson>,
        o: Option<&Bson>,
        t: Option<&Bson>,
        depth: usize,
    ) -> Option<Bson> {
        if opt_equal(o, t) || opt_equal(t, b) {
            return o.cloned();
        }
        if opt_equal(o, b) {
            return t.cloned();
        }
        // Both sides changed the value, differently.
        match (b, o, t) {
            (_, None, _) => {
                self.conflict(ConflictKind::DeleteModify, b, o, t);
                None
            }
            (_, _, None) => {
                self.conflict(ConflictKind::ModifyDelete, b, o, t);
                o.cloned()
            }
            (None, _, _) => {
                self.conflict(ConflictKind::BothAdded, b, o, t);
                o.cloned()
            }
            (Some(bv), Some(ov), Some(tv)) => Some(self.both_modified(bv, ov, tv, depth)),
        }
    }

    fn both_modified(&mut self, bv: &Bson, ov: &Bson, tv: &Bson, depth: usize) -> Bson {
        if depth < MAX_DEPTH {
            match (bv, ov, tv) {
                (Bson::Document(b), Bson::Document(o), Bson::Document(t)) => {
                    return Bson::Document(self.doc(b, o, t, depth + 1));
                }
                (Bson::Array(b), Bson::Array(o), Bson::Array(t)) => {
                    if let Some(merged) = self.keyed_array(b, o, t, depth + 1) {
                        return Bson::Array(merged);
                    }
                }
                _ => {}
            }
        }
        let kind = if ov.element_type() != tv.element_type() {
            ConflictKind::TypeChange
        } else {
            ConflictKind::BothModified
        };
        self.conflict(kind, Some(bv), Some(ov), Some(tv));
        ov.clone()
    }

    fn doc(&mut self, b: &Document, o: &Document, t: &Document, depth: usize) -> Document {
        if docs_equal(o, t) || docs_equal(t, b) {
            return o.clone();
        }
        if docs_equal(o, b) {
            return t.clone();
        }
        let mut tokens: HashMap<&str, usize> = HashMap::new();
        let mut names: Vec<&str> = Vec::new();
        let mut keys: [Vec<usize>; 3] = Default::default();
        let mut vals: [Vec<&Bson>; 3] = Default::default();
        for (side, d) in [b, o, t].into_iter().enumerate() {
            for (k, v) in d {
                let tok = *tokens.entry(k.as_str()).or_insert_with(|| {
                    names.push(k.as_str());
                    names.len() - 1
                });
                keys[side].push(tok);
                vals[side].push(v);
            }
        }
        let keyed = Keyed::new(names.len(), keys, vals);
        self.merge_keyed(&keyed, Layout::Fields(&names), depth)
            .into_iter()
            .map(|(tok, v)| (names[tok].to_string(), v))
            .collect()
    }

    /// Merges three arrays element-wise by `_id`, or returns `None` (without
    /// recording anything) when they are not all `_id`-keyed or both sides
    /// reordered the shared elements differently.
    fn keyed_array(
        &mut self,
        b: &[Bson],
        o: &[Bson],
        t: &[Bson],
        depth: usize,
    ) -> Option<Vec<Bson>> {
        let mut interner = Interner::default();
        let keys = [
            id_tokens(b, &mut interner)?,
            id_tokens(o, &mut interner)?,
            id_tokens(t, &mut interner)?,
        ];
        let vals = [b.iter().collect(), o.iter().collect(), t.iter().collect()];
        let keyed = Keyed::new(interner.len(), keys, vals);
        if keyed.reordered(OURS)
            && keyed.reordered(THEIRS)
            && keyed.shared_order(OURS, &[BASE, THEIRS])
                != keyed.shared_order(THEIRS, &[BASE, OURS])
        {
            return None;
        }
        let merged = self.merge_keyed(&keyed, Layout::Elements, depth);
        Some(merged.into_iter().map(|(_, v)| v).collect())
    }

    /// Orders the merged keys, then merges each key's values at its path.
    fn merge_keyed(
        &mut self,
        k: &Keyed<'_>,
        layout: Layout<'_>,
        depth: usize,
    ) -> Vec<(usize, Bson)> {
        let presence: Vec<Presence> = (0..k.ntok)
            .map(|t| classify(k.get(BASE, t), k.get(OURS, t), k.get(THEIRS, t)))
            .collect();
        let included = |t: usize| presence[t] != Presence::Absent;
        let (skel, other) = if k.reordered(THEIRS) && !k.reordered(OURS) {
            (THEIRS, OURS)
        } else {
            (OURS, THEIRS)
        };
        let skeleton = k.keys[skel].iter().copied().filter(|&t| included(t));
        let extra = |t: &usize| included(*t) && !k.has(skel, *t);
        let seq: Vec<usize> = match layout {
            Layout::Fields(_) => skeleton
                .chain(k.keys[other].iter().copied().filter(extra))
                .collect(),
            Layout::Elements => {
                // after[0]: before everything; after[t + 1]: after token t.
                let mut after: Vec<Vec<usize>> = vec![Vec::new(); k.ntok + 1];
                let mut anchor = 0;
                for &t in &k.keys[other] {
                    if !included(t) {
                        continue;
                    }
                    if k.has(skel, t) {
                        anchor = t + 1;
                    } else {
                        after[anchor].push(t);
                    }
                }
                let mut seq = Vec::with_capacity(k.keys[skel].len());
                let mut pending = std::mem::take(&mut after[0]);
                for s in skeleton {
                    // The skeleton side's own new elements stay right after
                    // their predecessor; the other side's go after them.
                    let shared = k.has(other, s);
                    if shared {
                        seq.append(&mut pending);
                    }
                    seq.push(s);
                    if shared {
                        pending = std::mem::take(&mut after[s + 1]);
                    }
                }
                seq.append(&mut pending);
                seq
            }
        };
        let mut out = Vec::with_capacity(seq.len());
        for t in seq {
            self.path.push(match layout {
                Layout::Fields(names) => PathSeg::Field(names[t].to_string()),
                Layout::Elements => PathSeg::Index(out.len()),
            });
            let v = self.value(k.get(BASE, t), k.get(OURS, t), k.get(THEIRS, t), depth);
            self.path.pop();
            if let Some(v) = v {
                out.push((t, v));
            }
        }
        out
    }
}

/// The value at a path of `Field` segments only, if any.
#[cfg(test)]
fn get_path<'a>(d: &'a Document, path: &[PathSeg]) -> Option<&'a Bson> {
    let (last, init) = path.split_last()?;
    let mut cur = d;
    for seg in init {
        let PathSeg::Field(f) = seg else { return None };
        cur = cur.get_document(f).ok()?;
    }
    let PathSeg::Field(f) = last else { return None };
    cur.get(f)
}

#[cfg(test)]
mod tests {
    use super::super::diff::tests::{Rng, mutate_doc, random_doc};
    use super::*;
    use bson::doc;
    use proptest::prelude::*;

    fn f(name: &str) -> PathSeg {
        PathSeg::Field(name.to_string())
    }

    /// base, ours, theirs: ours and theirs are independent mutations of base.
    fn triple() -> impl Strategy<Value = (Document, Document, Document)> {
        any::<u64>().prop_map(|seed| {
            let mut rng = Rng(seed);
            let base = random_doc(&mut rng, 0);
            let ours = mutate_doc(&base, &mut rng, 0);
            let theirs = mutate_doc(&base, &mut rng, 0);
            (base, ours, theirs)
        })
    }

    /// All paths of Field segments reachable through sub-documents.
    fn field_paths(d: &Document, prefix: &mut Vec<PathSeg>, out: &mut Vec<Vec<PathSeg>>) {
        for (k, v) in d {
            prefix.push(f(k));
            out.push(prefix.clone());
            if let Bson::Document(sub) = v {
                field_paths(sub, prefix, out);
            }
            prefix.pop();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn one_sided_changes_are_taken((base, x, _y) in triple()) {
            let r = merge_docs(&base, &x, &base);
            prop_assert!(r.conflicts.is_empty());
            prop_assert!(docs_equal(&r.merged, &x));
            let r = merge_docs(&base, &base, &x);
            prop_assert!(r.conflicts.is_empty());
            prop_assert!(docs_equal(&r.merged, &x));
            let r = merge_docs(&base, &x, &x);
            prop_assert!(r.conflicts.is_empty());
            prop_assert!(docs_equal(&r.merged, &x));
        }

        #[test]
        fn merge_is_deterministic((base, ours, theirs) in triple()) {
            let r1 = merge_docs(&base, &ours, &theirs);
            let r2 = merge_docs(&base.clone(), &ours.clone(), &theirs.clone());
            prop_assert!(docs_equal(&r1.merged, &r2.merged));
            prop_assert_eq!(
                format!("{:?}", r1.conflicts),
                format!("{:?}", r2.conflicts)
            );
        }

        #[test]
        fn no_one_sided_change_is_lost((base, ours, theirs) in triple()) {
            let r = merge_docs(&base, &ours, &theirs);
            let mut paths = Vec::new();
            for d in [&base, &ours, &theirs] {
                field_paths(d, &mut Vec::new(), &mut paths);
            }
            for p in &paths {
                let (b, o, t) = (get_path(&base, p), get_path(&ours, p), get_path(&theirs, p));
                let covered = || r.conflicts.iter().any(|c| p.starts_with(&c.path));
                let m = get_path(&r.merged, p);
                if opt_equal(o, b) && !opt_equal(t, b) {
                    prop_assert!(opt_equal(m, t) || covered(),
                        "theirs' change at {p:?} lost: {base:?} {ours:?} {theirs:?} -> {:?}", r.merged);
                }
                if opt_equal(t, b) && !opt_equal(o, b) {
                    prop_assert!(opt_equal(m, o) || covered(),
                        "ours' change at {p:?} lost: {base:?} {ours:?} {theirs:?} -> {:?}", r.merged);
                }
            }
            // Top-level fields have no enclosing path to hide behind.
            for (k, _) in base.iter().chain(&ours).chain(&theirs) {
                let (b, o, t) = (base.get(k), ours.get(k), theirs.get(k));
                if opt_equal(o, b) {
                    prop_assert!(opt_equal(r.merged.get(k), t));
                } else if opt_equal(t, b) {
                    prop_assert!(opt_equal(r.merged.get(k), o));
                }
            }
        }

        #[test]
        fn conflicts_hold_ours_value((base, ours, theirs) in triple()) {
            let r = merge_docs(&base, &ours, &theirs);
            for c in &r.conflicts {
                if c.path.iter().all(|s| matches!(s, PathSeg::Field(_))) {
                    prop_assert!(opt_equal(get_path(&r.merged, &c.path), c.ours.as_ref()));
                    prop_assert!(opt_equal(get_path(&ours, &c.path), c.ours.as_ref()));
                }
            }
        }
    }

    /// The random triples above must reach the interesting cases, or the
    /// properties prove little.
    #[test]
    fn generators_cover_interesting_cases() {
        let mut kinds = std::collections::HashSet::new();
        let (mut clean_both, mut in_keyed_elements, mut array_conflicts) = (0, 0, 0);
        for seed in 0..3000 {
            let mut rng = Rng(seed);
            let base = random_doc(&mut rng, 0);
            let ours = mutate_doc(&base, &mut rng, 0);
            let theirs = mutate_doc(&base, &mut rng, 0);
            let r = merge_docs(&base, &ours, &theirs);
            for c in &r.conflicts {
                kinds.insert(format!("{:?}", c.kind));
                let last_index = c.path.iter().rposition(|s| matches!(s, PathSeg::Index(_)));
                match last_index {
                    Some(i) if i + 1 < c.path.len() => in_keyed_elements += 1,
                    _ => {}
                }
                if matches!(c.ours, Some(Bson::Array(_))) {
                    array_conflicts += 1;
                }
            }
            if r.conflicts.is_empty() && !docs_equal(&ours, &base) && !docs_equal(&theirs, &base) {
                clean_both += 1;
            }
        }
        assert_eq!(kinds.len(), 5, "{kinds:?}");
        assert!(clean_both > 100, "{clean_both}");
        assert!(in_keyed_elements > 20, "{in_keyed_elements}");
        assert!(array_conflicts > 20, "{array_conflicts}");
    }

    #[test]
    fn disjoint_subfield_edits_merge_cleanly() {
        let base = doc! {"_id": 1, "addr": {"city": "Oslo", "zip": "0150", "street": "A"}};
        let ours = doc! {"_id": 1, "addr": {"city": "Bergen", "zip": "0150", "street": "A"}};
        let theirs =
            doc! {"_id": 1, "addr": {"city": "Oslo", "zip": "5003", "street": "A"}, "tag": 1};
        let r = merge_docs(&base, &ours, &theirs);
        assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
        assert!(docs_equal(
            &r.merged,
            &doc! {"_id": 1, "addr": {"city": "Bergen", "zip": "5003", "street": "A"}, "tag": 1}
        ));
        assert!(matches!(
            merge_versions(Some(&base), Some(&ours), Some(&theirs)),
            DocMerge::Merged(_)
        ));
    }

    #[test]
    fn delete_vs_modify_is_conflict() {
        let base = doc! {"a": 1, "b": {"x": 1}};
        let ours = doc! {"a": 1};
        let theirs = doc! {"a": 1, "b": {"x": 2}};
        let r = merge_docs(&base, &ours, &theirs);
        assert_eq!(r.conflicts.len(), 1);
        let c = &r.conflicts[0];
        assert_eq!(c.kind, ConflictKind::DeleteModify);
        assert_eq!(c.path, vec![f("b")]);
        assert_eq!(c.ours, None);
        assert_eq!(c.theirs, Some(Bson::Document(doc! {"x": 2})));
        // Ours' value (absent) is in the merge until the user picks.
        assert!(docs_equal(&r.merged, &doc! {"a": 1}));

        match merge_versions(Some(&base), None, Some(&theirs)) {
            DocMerge::Conflict {
                merged_ours: None,
                conflicts,
            } => {
                assert_eq!(conflicts[0].kind, ConflictKind::DeleteModify);
                assert!(conflicts[0].path.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn modify_vs_delete_is_conflict() {
        let base = doc! {"a": 1, "b": 2};
        let ours = doc! {"a": 1, "b": 3};
        let theirs = doc! {"a": 1};
        let r = merge_docs(&base, &ours, &theirs);
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].kind, ConflictKind::ModifyDelete);
        assert_eq!(r.conflicts[0].path, vec![f("b")]);
        assert!(docs_equal(&r.merged, &ours));

        match merge_versions(Some(&base), Some(&ours), None) {
            DocMerge::Conflict {
                merged_ours: Some(m),
                conflicts,
            } => {
                assert!(docs_equal(&m, &ours));
                assert_eq!(conflicts[0].kind, ConflictKind::ModifyDelete);
                assert!(conflicts[0].path.is_empty());
            }
            other => panic!("{other:?}"),
        }
        // Unchanged on one side, deleted on the other: a clean delete.
        assert_eq!(
            merge_versions(Some(&base), Some(&base), None),
            DocMerge::Take(None)
        );
        assert_eq!(
            merge_versions(Some(&base), None, None),
            DocMerge::Take(None)
        );
    }

    #[test]
    fn id_keyed_array_element_edits_on_both_sides_merge() {
        let base = doc! {"items": [
            {"_id": 1, "qty": 1, "note": "a"},
            {"_id": 2, "qty": 1},
            {"_id": 3, "qty": 1},
            {"_id": 4, "qty": 1},
        ]};
        // Ours: edits 1.qty, deletes 3 (unchanged by theirs), adds 5 at the end.
        let ours = doc! {"items": [
            {"_id": 1, "qty": 2, "note": "a"},
            {"_id": 2, "qty": 1},
            {"_id": 4, "qty": 1},
            {"_id": 5, "qty": 9},
        ]};
        // Theirs: edits 1.note and 2.qty, inserts 6 after 1, deletes 4 ...
        let theirs = doc! {"items": [
            {"_id": 1, "qty": 1, "note": "b"},
            {"_id": 6, "qty": 7},
            {"_id": 2, "qty": 3},
            {"_id": 3, "qty": 1},
        ]};
        let r = merge_docs(&base, &ours, &theirs);
        assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
        let want = doc! {"items": [
            {"_id": 1, "qty": 2, "note": "b"},
            {"_id": 6, "qty": 7},
            {"_id": 2, "qty": 3},
            {"_id": 5, "qty": 9},
        ]};
        assert!(docs_equal(&r.merged, &want), "{:?}", r.merged);

        // ... and an element deleted on one side, modified on the other.
        let theirs2 = doc! {"items": [
            {"_id": 1, "qty": 1, "note": "a"},
            {"_id": 2, "qty": 1},
            {"_id": 3, "qty": 5},
            {"_id": 4, "qty": 1},
        ]};
        let r = merge_docs(&base, &ours, &theirs2);
        assert_eq!(r.conflicts.len(), 1);
        let c = &r.conflicts[0];
        assert_eq!(c.kind, ConflictKind::DeleteModify);
        assert_eq!(c.path, vec![f("items"), PathSeg::Index(2)]);
        assert_eq!(c.theirs, Some(Bson::Document(doc! {"_id": 3, "qty": 5})));
        assert!(docs_equal(&r.merged, &ours));

        // Both edit the same field of one element differently.
        let theirs3 = doc! {"items": [
            {"_id": 1, "qty": 5, "note": "a"},
            {"_id": 2, "qty": 1},
            {"_id": 3, "qty": 1},
            {"_id": 4, "qty": 1},
        ]};
        let r = merge_docs(&base, &ours, &theirs3);
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(
            r.conflicts[0].path,
            vec![f("items"), PathSeg::Index(0), f("qty")]
        );
        assert_eq!(r.conflicts[0].kind, ConflictKind::BothModified);
    }

    #[test]
    fn plain_arrays_merge_as_values() {
        let base = doc! {"tags": ["a", "b"]};
        let ours = doc! {"tags": ["a", "b", "c"]};
        let theirs = doc! {"tags": ["a"]};
        let r = merge_docs(&base, &ours, &theirs);
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].path, vec![f("tags")]);
        assert_eq!(r.conflicts[0].kind, ConflictKind::BothModified);
        let r = merge_docs(&base, &ours, &ours);
        assert!(r.conflicts.is_empty());
    }

    #[test]
    fn add_add_identical_is_not_conflict() {
        let base = doc! {"a": 1};
        let both = doc! {"a": 1, "n": {"x": 1}};
        let r = merge_docs(&base, &both, &both.clone());
        assert!(r.conflicts.is_empty());
        assert!(docs_equal(&r.merged, &both));
        // Different other fields, same added field: still clean.
        let ours = doc! {"a": 2, "n": {"x": 1}};
        let r = merge_docs(&base, &ours, &both);
        assert!(r.conflicts.is_empty());
        assert!(docs_equal(&r.merged, &ours));
        assert_eq!(
            merge_versions(None, Some(&both), Some(&both)),
            DocMerge::Unchanged
        );
    }

    #[test]
    fn add_add_different_is_conflict() {
        let base = doc! {"a": 1};
        let ours = doc! {"a": 1, "n": 1};
        let theirs = doc! {"a": 1, "n": 1i64};
        let r = merge_docs(&base, &ours, &theirs);
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].kind, ConflictKind::BothAdded);
        assert_eq!(r.conflicts[0].path, vec![f("n")]);
        assert!(docs_equal(&r.merged, &ours));

        // Whole documents: a conflict at the root even when the fields are
        // disjoint.
        let o = doc! {"_id": 7, "x": 1};
        let t = doc! {"_id": 7, "y": 1};
        match merge_versions(None, Some(&o), Some(&t)) {
            DocMerge::Conflict {
                merged_ours: Some(m),
                conflicts,
            } => {
                assert!(docs_equal(&m, &o));
                assert_eq!(conflicts.len(), 1);
                assert_eq!(conflicts[0].kind, ConflictKind::BothAdded);
                assert!(conflicts[0].path.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn type_change_vs_nested_edit_is_conflict() {
        let base = doc! {"a": {"x": 1, "y": 1}, "z": 0};
        let ours = doc! {"a": "flattened", "z": 0};
        let theirs = doc! {"a": {"x": 2, "y": 1}, "z": 1};
        let r = merge_docs(&base, &ours, &theirs);
        assert_eq!(r.conflicts.len(), 1, "{:?}", r.conflicts);
        assert_eq!(r.conflicts[0].kind, ConflictKind::TypeChange);
        assert_eq!(r.conflicts[0].path, vec![f("a")]);
        assert!(docs_equal(&r.merged, &doc! {"a": "flattened", "z": 1}));
        // Mirror image.
        let r = merge_docs(&base, &theirs, &ours);
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].kind, ConflictKind::TypeChange);
    }

    #[test]
    fn merge_versions_one_sided_and_convergent() {
        let base = doc! {"_id": 1, "v": 1};
        let changed = doc! {"_id": 1, "v": 2};
        assert_eq!(
            merge_versions(Some(&base), Some(&base), Some(&changed)),
            DocMerge::Take(Some(changed.clone()))
        );
        assert_eq!(
            merge_versions(Some(&base), Some(&changed), Some(&base)),
            DocMerge::Unchanged
        );
        assert_eq!(
            merge_versions(Some(&base), Some(&changed), Some(&changed)),
            DocMerge::Unchanged
        );
        assert_eq!(
            merge_versions(None, None, Some(&changed)),
            DocMerge::Take(Some(changed.clone()))
        );
        assert_eq!(
            merge_versions(None, Some(&changed), None),
            DocMerge::Unchanged
        );
        assert_eq!(merge_versions(None, None, None), DocMerge::Unchanged);
        // Both changed, theirs' change includes ours': the merge is theirs.
        let more = doc! {"_id": 1, "v": 2, "w": 1};
        assert_eq!(
            merge_versions(Some(&base), Some(&changed), Some(&more)),
            DocMerge::Take(Some(more.clone()))
        );
    }

    #[test]
    fn field_order_follows_ours_then_theirs_additions() {
        let base = doc! {"a": 1, "b": 1};
        let ours = doc! {"a": 2, "b": 1, "o": 1};
        let theirs = doc! {"t2": 1, "a": 1, "b": 2, "t1": 1};
        let r = merge_docs(&base, &ours, &theirs);
        let keys: Vec<&str> = r.merged.keys().map(String::as_str).collect();
        assert_eq!(keys, ["a", "b", "o", "t2", "t1"]);

        // Theirs reordered, ours only edited: theirs' order is kept.
        let ours = doc! {"a": 2, "b": 1};
        let theirs = doc! {"b": 1, "a": 1};
        let r = merge_docs(&base, &ours, &theirs);
        assert!(r.conflicts.is_empty());
        assert!(docs_equal(&r.merged, &doc! {"b": 1, "a": 2}));
    }

    #[test]
    fn keyed_arrays_reordered_both_ways_conflict() {
        let base = doc! {"v": [{"_id": 1}, {"_id": 2}, {"_id": 3}]};
        let ours = doc! {"v": [{"_id": 2}, {"_id": 1}, {"_id": 3}]};
        let theirs = doc! {"v": [{"_id": 1}, {"_id": 3}, {"_id": 2}]};
        let r = merge_docs(&base, &ours, &theirs);
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].path, vec![f("v")]);
        // One-sided reorder plus an edit on the other side merges.
        let theirs = doc! {"v": [{"_id": 1}, {"_id": 2, "e": 1}, {"_id": 3}]};
        let r = merge_docs(&base, &ours, &theirs);
        assert!(r.conflicts.is_empty());
        assert!(docs_equal(
            &r.merged,
            &doc! {"v": [{"_id": 2, "e": 1}, {"_id": 1}, {"_id": 3}]}
        ));
    }
}
