//! Field-level diff of two BSON documents, and application of such a diff.
//!
//! # Equality
//!
//! Values are compared with [`values_equal`]: BSON's own `PartialEq` with two
//! refinements. Documents compare *order-sensitively* (`bson::Document`'s own
//! `PartialEq` ignores field order, but field order is part of a MongoDB
//! document), and two NaN doubles are equal. Types are exact: `Int32(1)`,
//! `Int64(1)` and `Double(1.0)` are three different values. As in BSON,
//! `0.0` and `-0.0` are equal.
//!
//! # The change list and how it is applied
//!
//! [`diff_docs`] returns a list of [`FieldChange`]s that [`apply_changes`]
//! applies **in order**, each one to the result of the previous ones (the same
//! model as RFC 6902 JSON Patch, see [`super::patch`]). Paths are relative to
//! the document root; an empty path denotes the root document itself.
//!
//! * A `Field` segment names a key of a document, an `Index` segment a
//!   position in an array, counted in the array *as it is when that change is
//!   applied*.
//! * `Add` of a document field appends the field at the end of its document
//!   (as MongoDB's `$set` does). `Add` at an array index inserts before the
//!   element currently at that index (index == length appends).
//! * `Remove` deletes a field (keeping the others' order) or removes an array
//!   element, shifting the following ones down.
//! * `Replace` overwrites a value in place (field order is kept).
//!
//! # How the diff is shaped so that applying it reproduces `b` exactly
//!
//! * Documents: fields only in `a` are removed, fields in both are diffed
//!   recursively, fields only in `b` are added (appended, in `b`'s order).
//!   This reproduces `b`'s field order only when the shared fields keep their
//!   relative order and every new field comes after all shared ones in `b`;
//!   otherwise (a reorder, or an insertion in the middle) the whole containing
//!   document is emitted as one `Replace` (at the root, a `Replace` with the
//!   empty path).
//! * Arrays whose elements are all documents with an `_id`, unique within each
//!   array, are matched by `_id`: elements whose `_id` disappeared are
//!   removed, new ones are inserted, matched elements are diffed recursively.
//!   If the matched `_id`s changed their relative order, the whole array is
//!   replaced.
//! * Other arrays: the common prefix and suffix are trimmed, then the middle
//!   is aligned with a longest-common-subsequence (LCS) table. Within each gap
//!   between kept elements, removed and inserted elements are first paired
//!   (diffed recursively, so an edited sub-document shows field-level
//!   changes), the rest are removes or inserts. If the LCS table would exceed
//!   [`LCS_MAX_CELLS`] cells the whole array is replaced instead, so that the
//!   diff of any array is at most ~4M comparisons and linear beyond that.
//!
//! Array changes are emitted left to right with a cursor that counts the
//! elements of `b` already produced, so every index in the output is both the
//! position in the array at application time and, for adds and edits, the
//! element's final index in `b`.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};

use bson::{Bson, Document};

/// The kind of one change.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Add,
    Remove,
    Replace,
}

/// One change at one path. `from` is the old value (`None` for `Add`), `to`
/// the new value (`None` for `Remove`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub op: Op,
    pub path: Vec<PathSeg>,
    pub from: Option<Bson>,
    pub to: Option<Bson>,
}

/// One step of a path: a document key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSeg {
    Field(String),
    Index(usize),
}

/// Largest LCS table (len(a) × len(b) after trimming the common prefix and
/// suffix) that the array diff builds. 4M cells of `u32` is 16 MiB and a few
/// tens of milliseconds; past that an array is replaced as a whole, which
/// keeps the cost of diffing huge arrays linear.
pub const LCS_MAX_CELLS: usize = 4_000_000;

/// Nesting depth past which the diff stops recursing and replaces the value
/// as a whole. MongoDB itself refuses documents nested deeper than 100
/// levels, so real data never reaches it; it only bounds stack use on
/// hand-built pathological values.
pub(super) const MAX_DEPTH: usize = 128;

/// Renders a path MongoDB-style: `a.b.3.c`. The empty path renders as `""`.
pub fn path_to_string(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        match seg {
            PathSeg::Field(f) => s.push_str(f),
            PathSeg::Index(n) => s.push_str(&n.to_string()),
        }
    }
    s
}

/// Order-sensitive, type-exact, NaN-aware equality of two BSON values (see
/// the module docs).
pub fn values_equal(a: &Bson, b: &Bson) -> bool {
    match (a, b) {
        (Bson::Double(x), Bson::Double(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Bson::Document(x), Bson::Document(y)) => docs_equal(x, y),
        (Bson::Array(x), Bson::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (Bson::JavaScriptCodeWithScope(x), Bson::JavaScriptCodeWithScope(y)) => {
            x.code == y.code && docs_equal(&x.scope, &y.scope)
        }
        _ => a == b,
    }
}

/// [`values_equal`] for documents: same keys in the same order, equal values.
pub fn docs_equal(a: &Document, b: &Document) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b.iter())
            .all(|((ka, va), (kb, vb))| ka == kb && values_equal(va, vb))
}

/// [`values_equal`] lifted to optional values (absent == absent).
pub(super) fn opt_equal(a: Option<&Bson>, b: Option<&Bson>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => values_equal(x, y),
        _ => false,
    }
}

/// Feeds `v` into `h` consistently with [`values_equal`]: equal values hash
/// equally (NaNs and signed zeros are normalised, documents hash in order).
fn hash_value<H: Hasher>(v: &Bson, h: &mut H) {
    std::mem::discriminant(v).hash(h);
    match v {
        Bson::Double(x) => {
            let bits = if x.is_nan() {
                f64::NAN.to_bits()
            } else if *x == 0.0 {
                0
            } else {
                x.to_bits()
            };
            bits.hash(h);
        }
        Bson::Document(d) => hash_doc(d, h),
        Bson::Array(items) => {
            items.len().hash(h);
            for item in items {
                hash_value(item, h);
            }
        }
        Bson::JavaScriptCodeWithScope(c) => {
            c.code.hash(h);
            hash_doc(&c.scope, h);
        }
        other => other.hash(h),
    }
}

fn hash_doc<H: Hasher>(d: &Document, h: &mut H) {
    d.len().hash(h);
    for (k, v) in d {
        k.hash(h);
        hash_value(v, h);
    }
}

/// A 64-bit fingerprint of a value: equal values have equal fingerprints.
pub(super) fn fingerprint(v: &Bson) -> u64 {
    let mut h = DefaultHasher::new();
    hash_value(v, &mut h);
    h.finish()
}

/// Assigns a small integer (token) to each distinct value under
/// [`values_equal`], in linear expected time. Used to match `_id`s.
#[derive(Default)]
pub(super) struct Interner<'a> {
    buckets: HashMap<u64, Vec<usize>>,
    values: Vec<&'a Bson>,
}

impl<'a> Interner<'a> {
    pub(super) fn intern(&mut self, v: &'a Bson) -> usize {
        let bucket = self.buckets.entry(fingerprint(v)).or_default();
        for &tok in bucket.iter() {
            if values_equal(self.values[tok], v) {
                return tok;
            }
        }
        let tok = self.values.len();
        self.values.push(v);
        bucket.push(tok);
        tok
    }

    /// Number of distinct values interned so far (tokens are `0..len()`).
    pub(super) fn len(&self) -> usize {
        self.values.len()
    }
}

/// If every element of `items` is a document with an `_id` and the `_id`s are
/// distinct, the `_id` tokens in array order; otherwise `None`.
pub(super) fn id_tokens<'a>(items: &'a [Bson], interner: &mut Interner<'a>) -> Option<Vec<usize>> {
    let mut seen = HashSet::with_capacity(items.len());
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Bson::Document(d) = item else { return None };
        let tok = interner.intern(d.get("_id")?);
        if !seen.insert(tok) {
            return None;
        }
        out.push(tok);
    }
    Some(out)
}

/// Computes the changes that turn `a` into `b`; see the module docs for the
/// shape of the output. `apply_changes(a, &diff_docs(a, b))` equals `b`
/// (under [`docs_equal`], i.e. including field order).
pub fn diff_docs(a: &Document, b: &Document) -> Vec<FieldChange> {
    let mut d = Differ::default();
    d.doc(a, b, 0);
    d.out
}

/// One step of an array alignment (indices into the compared slices).
#[derive(Debug, Clone, Copy)]
enum Step {
    Keep(usize, usize),
    Del(usize),
    Ins(usize),
}

#[derive(Default)]
struct Differ {
    path: Vec<PathSeg>,
    out: Vec<FieldChange>,
}

impl Differ {
    fn push(&mut self, op: Op, from: Option<&Bson>, to: Option<&Bson>) {
        self.out.push(FieldChange {
            op,
            path: self.path.clone(),
            from: from.cloned(),
            to: to.cloned(),
        });
    }

    fn replace(&mut self, from: &Bson, to: &Bson) {
        self.push(Op::Replace, Some(from), Some(to));
    }

    fn value(&mut self, a: &Bson, b: &Bson, depth: usize) {
        if depth >= MAX_DEPTH {
            if !values_equal(a, b) {
                self.replace(a, b);
            }
            return;
        }
        match (a, b) {
            (Bson::Document(x), Bson::Document(y)) => self.doc(x, y, depth + 1),
            (Bson::Array(x), Bson::Array(y)) => self.array(x, y, depth + 1),
            _ => {
                if !values_equal(a, b) {
                    self.replace(a, b);
                }
            }
        }
    }

    fn doc(&mut self, a: &Document, b: &Document, depth: usize) {
        let b_pos: HashMap<&str, usize> =
            b.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        // Appending adds reproduces b's order iff the shared keys, in a's
        // order, are exactly b's first keys.
        let mut shared = 0;
        for k in a.keys() {
            if let Some(&p) = b_pos.get(k.as_str()) {
                if p != shared {
                    self.replace(&Bson::Document(a.clone()), &Bson::Document(b.clone()));
                    return;
                }
                shared += 1;
            }
        }
        for (k, va) in a {
            self.path.push(PathSeg::Field(k.clone()));
            match b.get(k) {
                Some(vb) => self.value(va, vb, depth),
                None => self.push(Op::Remove, Some(va), None),
            }
            self.path.pop();
        }
        for (k, vb) in b.iter().skip(shared) {
            self.path.push(PathSeg::Field(k.clone()));
            self.push(Op::Add, None, Some(vb));
            self.path.pop();
        }
    }

    fn replace_array(&mut self, a: &[Bson], b: &[Bson]) {
        self.replace(&Bson::Array(a.to_vec()), &Bson::Array(b.to_vec()));
    }

    fn array(&mut self, a: &[Bson], b: &[Bson], depth: usize) {
        let mut interner = Interner::default();
        if let Some(ka) = id_tokens(a, &mut interner)
            && let Some(kb) = id_tokens(b, &mut interner)
        {
            match align_by_id(&ka, &kb, interner.len()) {
                Some(steps) => self.emit(&steps, a, b, 0, true, depth),
                None => self.replace_array(a, b),
            }
            return;
        }

        let prefix = a
            .iter()
            .zip(b)
            .take_while(|(x, y)| values_equal(x, y))
            .count();
        let suffix = a[prefix..]
            .iter()
            .rev()
            .zip(b[prefix..].iter().rev())
            .take_while(|(x, y)| values_equal(x, y))
            .count();
        let am = &a[prefix..a.len() - suffix];
        let bm = &b[prefix..b.len() - suffix];
        if am.is_empty() && bm.is_empty() {
            return;
        }
        if am.len().saturating_mul(bm.len()) > LCS_MAX_CELLS {
            self.replace_array(a, b);
            return;
        }
        let steps = lcs_steps(am, bm);
        self.emit(&steps, am, bm, prefix, false, depth);
    }

    /// Emits an alignment as changes. `start` is the array index of `a[0]`
    /// (and `b[0]`); `diff_kept` says whether kept pairs may differ (id
    /// matching) and must be diffed, or are known equal (LCS).
    fn emit(
        &mut self,
        steps: &[Step],
        a: &[Bson],
        b: &[Bson],
        start: usize,
        diff_kept: bool,
        depth: usize,
    ) {
        let mut pos = start;
        let mut i = 0;
        let mut dels = Vec::new();
        let mut ins = Vec::new();
        while i < steps.len() {
            if let Step::Keep(x, y) = steps[i] {
                if diff_kept {
                    self.path.push(PathSeg::Index(pos));
                    self.value(&a[x], &b[y], depth);
                    self.path.pop();
                }
                pos += 1;
                i += 1;
                continue;
            }
            dels.clear();
            ins.clear();
            while i < steps.len() {
                match steps[i] {
                    Step::Del(x) => dels.push(x),
                    Step::Ins(y) => ins.push(y),
                    Step::Keep(..) => break,
                }
                i += 1;
            }
            // With id matching, an unmatched pair is two different entities:
            // never pair them. With LCS, pairing shows an edited element as
            // an edit rather than a remove plus an add.
            let paired = if diff_kept {
                0
            } else {
                dels.len().min(ins.len())
            };
            for t in 0..paired {
                self.path.push(PathSeg::Index(pos));
                self.value(&a[dels[t]], &b[ins[t]], depth);
                self.path.pop();
                pos += 1;
            }
            self.path.push(PathSeg::Index(pos));
            for &x in &dels[paired..] {
                self.push(Op::Remove, Some(&a[x]), None);
            }
            self.path.pop();
            for &y in &ins[paired..] {
                self.path.push(PathSeg::Index(pos));
                self.push(Op::Add, None, Some(&b[y]));
                self.path.pop();
                pos += 1;
            }
        }
    }
}

/// Aligns two `_id` token sequences: unmatched `a` ids are deleted, unmatched
/// `b` ids inserted, matched ones kept. `None` if the matched ids are not in
/// the same relative order in both.
fn align_by_id(ka: &[usize], kb: &[usize], ntok: usize) -> Option<Vec<Step>> {
    let mut in_a = vec![false; ntok];
    let mut in_b = vec![false; ntok];
    for &t in ka {
        in_a[t] = true;
    }
    for &t in kb {
        in_b[t] = true;
    }
    let mut steps = Vec::with_capacity(ka.len().max(kb.len()));
    let (mut i, mut j) = (0, 0);
    loop {
        while i < ka.len() && !in_b[ka[i]] {
            steps.push(Step::Del(i));
            i += 1;
        }
        while j < kb.len() && !in_a[kb[j]] {
            steps.push(Step::Ins(j));
            j += 1;
        }
        match (ka.get(i), kb.get(j)) {
            (None, None) => return Some(steps),
            (Some(x), Some(y)) if x == y => {
                steps.push(Step::Keep(i, j));
                i += 1;
                j += 1;
            }
            _ => return None,
        }
    }
}

/// LCS alignment of two slices whose product of lengths is at most
/// [`LCS_MAX_CELLS`]. Fingerprints make mismatching comparisons cheap.
fn lcs_steps(a: &[Bson], b: &[Bson]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return (0..n).map(Step::Del).chain((0..m).map(Step::Ins)).collect();
    }
    let fa: Vec<u64> = a.iter().map(fingerprint).collect();
    let fb: Vec<u64> = b.iter().map(fingerprint).collect();
    let eq = |i: usize, j: usize| fa[i] == fb[j] && values_equal(&a[i], &b[j]);
    // dp[i * w + j] = LCS length of a[i..] and b[j..].
    let w = m + 1;
    let mut dp = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            dp[i * w + j] = if eq(i, j) {
                dp[(i + 1) * w + j + 1] + 1
            } else {
                dp[(i + 1) * w + j].max(dp[i * w + j + 1])
            };
        }
    }
    let mut steps = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if eq(i, j) {
            steps.push(Step::Keep(i, j));
            i += 1;
            j += 1;
        } else if dp[(i + 1) * w + j] >= dp[i * w + j + 1] {
            steps.push(Step::Del(i));
            i += 1;
        } else {
            steps.push(Step::Ins(j));
            j += 1;
        }
    }
    steps.extend((i..n).map(Step::Del));
    steps.extend((j..m).map(Step::Ins));
    steps
}

/// Why a change list could not be applied. Paths are rendered with
/// [`path_to_string`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApplyError {
    #[error("path '{path}' does not exist")]
    PathNotFound { path: String },
    #[error("'{path}' is not {expected}")]
    NotAContainer {
        path: String,
        expected: &'static str,
    },
    #[error("index {index} is out of bounds at '{path}' (array length {len})")]
    IndexOutOfBounds {
        path: String,
        index: usize,
        len: usize,
    },
    #[error("cannot add '{path}': the field already exists")]
    AlreadyExists { path: String },
    #[error("the value at '{path}' is not the one the change expects")]
    StaleValue { path: String },
    #[error("the {op:?} change at '{path}' carries no new value")]
    MissingValue { path: String, op: Op },
    #[error("invalid change at the document root: {reason}")]
    InvalidRoot { reason: &'static str },
}

/// Applies `changes` to a copy of `a`, in order (see the module docs for the
/// semantics). A change's `from`, when present, must equal the current value
/// (for `Remove` and `Replace`), so a diff applied to the wrong document fails
/// with [`ApplyError::StaleValue`] instead of silently producing garbage.
///
/// Runs of changes into the same array are applied through a gap buffer, so a
/// diff's left-to-right changes to one array cost linear time overall.
pub fn apply_changes(a: &Document, changes: &[FieldChange]) -> Result<Document, ApplyError> {
    let mut root = Bson::Document(a.clone());
    apply_run(&mut root, changes, 0)?;
    match root {
        Bson::Document(d) => Ok(d),
        // Unreachable: a root Replace with a non-document is rejected below.
        _ => Err(ApplyError::InvalidRoot {
            reason: "the root is not a document",
        }),
    }
}

fn new_value(c: &FieldChange) -> Result<Bson, ApplyError> {
    c.to.clone().ok_or_else(|| ApplyError::MissingValue {
        path: path_to_string(&c.path),
        op: c.op.clone(),
    })
}

fn check_from(c: &FieldChange, current: &Bson) -> Result<(), ApplyError> {
    match &c.from {
        Some(expected) if !values_equal(expected, current) => Err(ApplyError::StaleValue {
            path: path_to_string(&c.path),
        }),
        _ => Ok(()),
    }
}

/// Applies `run` to `target`. Every change in `run` has a path at least
/// `depth` long whose first `depth` segments lead to `target`.
fn apply_run(target: &mut Bson, run: &[FieldChange], depth: usize) -> Result<(), ApplyError> {
    let mut i = 0;
    while i < run.len() {
        let c = &run[i];
        // Changes with a path of exactly `depth` only reach here at the root:
        // parents apply changes to their direct children themselves.
        let Some(seg) = c.path.get(depth) else {
            match c.op {
                Op::Replace => {
                    check_from(c, target)?;
                    let v = new_value(c)?;
                    if !matches!(v, Bson::Document(_)) {
                        return Err(ApplyError::InvalidRoot {
                            reason: "the root can only be replaced by a document",
                        });
                    }
                    *target = v;
                }
                Op::Add | Op::Remove => {
                    return Err(ApplyError::InvalidRoot {
                        reason: "the root can only be replaced",
                    });
                }
            }
            i += 1;
            continue;
        };
        let is_field = matches!(seg, PathSeg::Field(_));
        let end = i + run[i..]
            .iter()
            .take_while(|c| {
                c.path
                    .get(depth)
                    .is_some_and(|s| matches!(s, PathSeg::Field(_)) == is_field)
            })
            .count();
        let container_path = || path_to_string(&c.path[..depth]);
        match target {
            Bson::Document(doc) if is_field => apply_doc_run(doc, &run[i..end], depth)?,
            Bson::Array(items) if !is_field => apply_array_run(items, &run[i..end], depth)?,
            _ => {
                return Err(ApplyError::NotAContainer {
                    path: container_path(),
                    expected: if is_field { "a document" } else { "an array" },
                });
            }
        }
        i = end;
    }
    Ok(())
}

/// Number of consecutive changes from the start of `run` that descend below
/// the child `seg` of the container at `depth`.
fn child_run_len(run: &[FieldChange], depth: usize, seg: &PathSeg) -> usize {
    run.iter()
        .take_while(|c| c.path.len() > depth + 1 && &c.path[depth] == seg)
        .count()
}

/// Removing many fields one by one from a wide document would be quadratic
/// (each removal shifts the following fields); past this many consecutive
/// removals the document is rebuilt once instead.
const BATCH_REMOVE_MIN: usize = 16;

fn apply_doc_run(doc: &mut Document, run: &[FieldChange], depth: usize) -> Result<(), ApplyError> {
    let mut i = 0;
    while i < run.len() {
        let c = &run[i];
        let key = match &c.path[depth] {
            PathSeg::Field(k) => k,
            // apply_run only hands over runs of Field segments.
            PathSeg::Index(_) => {
                return Err(ApplyError::NotAContainer {
                    path: path_to_string(&c.path[..depth]),
                    expected: "an array",
                });
            }
        };
        if c.path.len() > depth + 1 {
            let n = child_run_len(&run[i..], depth, &c.path[depth]);
            let child = doc.get_mut(key).ok_or_else(|| ApplyError::PathNotFound {
                path: path_to_string(&c.path[..=depth]),
            })?;
            apply_run(child, &run[i..i + n], depth + 1)?;
            i += n;
            continue;
        }
        match c.op {
            Op::Add => {
                if doc.contains_key(key) {
                    return Err(ApplyError::AlreadyExists {
                        path: path_to_string(&c.path),
                    });
                }
                doc.insert(key.clone(), new_value(c)?);
            }
            Op::Replace => {
                let v = new_value(c)?;
                let slot = doc.get_mut(key).ok_or_else(|| ApplyError::PathNotFound {
                    path: path_to_string(&c.path),
                })?;
                check_from(c, slot)?;
                *slot = v;
            }
            Op::Remove => {
                let n = run[i..]
                    .iter()
                    .take_while(|c| c.op == Op::Remove && c.path.len() == depth + 1)
                    .count();
                if n >= BATCH_REMOVE_MIN {
                    remove_batch(doc, &run[i..i + n], depth)?;
                    i += n;
                    continue;
                }
                let current = doc.get(key).ok_or_else(|| ApplyError::PathNotFound {
                    path: path_to_string(&c.path),
                })?;
                check_from(c, current)?;
                doc.remove(key);
            }
        }
        i += 1;
    }
    Ok(())
}

/// Applies a run of direct-child `Remove`s with one rebuild of `doc`.
fn remove_batch(doc: &mut Document, run: &[FieldChange], depth: usize) -> Result<(), ApplyError> {
    let mut gone: HashSet<&str> = HashSet::with_capacity(run.len());
    for c in run {
        let PathSeg::Field(key) = &c.path[depth] else {
            return Err(ApplyError::NotAContainer {
                path: path_to_string(&c.path[..depth]),
                expected: "an array",
            });
        };
        // A key removed twice is missing the second time, as it would be
        // when applying one by one.
        let current = doc
            .get(key)
            .filter(|_| !gone.contains(key.as_str()))
            .ok_or_else(|| ApplyError::PathNotFound {
                path: path_to_string(&c.path),
            })?;
        check_from(c, current)?;
        gone.insert(key);
    }
    *doc = std::mem::take(doc)
        .into_iter()
        .filter(|(k, _)| !gone.contains(k.as_str()))
        .collect();
    Ok(())
}

/// Applies a run of changes to one array through a gap buffer: `done` holds
/// the elements before the cursor, `rest` those from the cursor on. Moving
/// the cursor costs the distance moved, so left-to-right edits are linear.
fn apply_array_run(
    items: &mut Vec<Bson>,
    run: &[FieldChange],
    depth: usize,
) -> Result<(), ApplyError> {
    let mut rest: VecDeque<Bson> = std::mem::take(items).into();
    let mut done: Vec<Bson> = Vec::with_capacity(rest.len());
    let mut i = 0;
    while i < run.len() {
        let c = &run[i];
        let idx = match &c.path[depth] {
            PathSeg::Index(n) => *n,
            // apply_run only hands over runs of Index segments.
            PathSeg::Field(_) => {
                return Err(ApplyError::NotAContainer {
                    path: path_to_string(&c.path[..depth]),
                    expected: "a document",
                });
            }
        };
        let len = done.len() + rest.len();
        let inserting = c.op == Op::Add && c.path.len() == depth + 1;
        if idx > len || (idx == len && !inserting) {
            return Err(ApplyError::IndexOutOfBounds {
                path: path_to_string(&c.path[..=depth]),
                index: idx,
                len,
            });
        }
        // Move the cursor to idx; the bounds check above guarantees the pops
        // succeed, so the loops end.
        while done.len() > idx {
            match done.pop() {
                Some(v) => rest.push_front(v),
                None => break,
            }
        }
        while done.len() < idx {
            match rest.pop_front() {
                Some(v) => done.push(v),
                None => break,
            }
        }
        if inserting {
            done.push(new_value(c)?);
            i += 1;
            continue;
        }
        let oob = || ApplyError::IndexOutOfBounds {
            path: path_to_string(&c.path[..=depth]),
            index: idx,
            len,
        };
        if c.path.len() > depth + 1 {
            let n = child_run_len(&run[i..], depth, &c.path[depth]);
            let elem = rest.front_mut().ok_or_else(oob)?;
            apply_run(elem, &run[i..i + n], depth + 1)?;
            i += n;
            continue;
        }
        match c.op {
            Op::Remove => {
                check_from(c, rest.front().ok_or_else(oob)?)?;
                rest.pop_front();
            }
            Op::Replace => {
                let v = new_value(c)?;
                let slot = rest.front_mut().ok_or_else(oob)?;
                check_from(c, slot)?;
                *slot = v;
            }
            // Handled above as `inserting`.
            Op::Add => {}
        }
        i += 1;
    }
    done.extend(rest);
    *items = done;
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use bson::doc;
    use proptest::prelude::*;

    /// A tiny deterministic PRNG (splitmix64) driving random mutations, so a
    /// proptest case is (document, seed) and fully reproducible.
    pub struct Rng(pub u64);

    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
        pub fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    const KEYS: &[&str] = &["a", "b", "c", "d", "e", "x.y", "~/"];

    /// A random scalar with deliberately colliding numeric values of
    /// different types (1 as int32, int64 and double).
    pub fn random_scalar(rng: &mut Rng) -> Bson {
        match rng.below(9) {
            0 => Bson::Int32(rng.below(3) as i32),
            1 => Bson::Int64(rng.below(3) as i64),
            2 => Bson::Double([0.0, 1.0, 2.5, f64::NAN][rng.below(4) as usize]),
            3 => Bson::String(["", "s", "t"][rng.below(3) as usize].to_string()),
            4 => Bson::Boolean(rng.chance(50)),
            5 => Bson::Null,
            6 => Bson::Int32(1),
            7 => Bson::Int64(1),
            _ => Bson::Double(1.0),
        }
    }

    pub fn random_value(rng: &mut Rng, depth: usize) -> Bson {
        if depth >= 3 {
            return random_scalar(rng);
        }
        match rng.below(10) {
            0 | 1 => Bson::Document(random_doc(rng, depth + 1)),
            2 => Bson::Array(
                (0..rng.below(5))
                    .map(|_| random_value(rng, depth + 1))
                    .collect(),
            ),
            3 => Bson::Array(random_keyed_array(rng, depth + 1)),
            _ => random_scalar(rng),
        }
    }

    pub fn random_doc(rng: &mut Rng, depth: usize) -> Document {
        let mut d = Document::new();
        if depth == 0 && rng.chance(50) {
            // Bias towards the MongoDB-typical shape: a top-level array of
            // `_id`-keyed sub-documents.
            d.insert("items", random_keyed_array(rng, 1));
        }
        for _ in 0..rng.below(6) {
            let k = KEYS[rng.below(KEYS.len() as u64) as usize];
            if !d.contains_key(k) {
                d.insert(k, random_value(rng, depth));
            }
        }
        d
    }

    pub fn random_keyed_array(rng: &mut Rng, depth: usize) -> Vec<Bson> {
        let mut ids: Vec<i32> = (0..6).collect();
        let mut out = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let id = ids.remove(rng.below(ids.len() as u64) as usize);
            let mut e = doc! { "_id": id, "q": random_scalar(rng) };
            for (k, v) in random_doc(rng, depth + 1) {
                e.insert(k, v);
            }
            out.push(Bson::Document(e));
        }
        out
    }

    fn is_keyed(items: &[Bson]) -> bool {
        items
            .iter()
            .all(|e| matches!(e, Bson::Document(d) if d.contains_key("_id")))
    }

    /// Returns a mutated copy of `d`: fields removed, replaced (often by a
    /// value of another type), added, reordered, and nested values mutated.
    /// `_id` fields are mostly left alone so that keyed arrays stay keyed.
    pub fn mutate_doc(d: &Document, rng: &mut Rng, depth: usize) -> Document {
        let mut out = Document::new();
        for (k, v) in d {
            if k == "_id" && !rng.chance(3) {
                out.insert(k.clone(), v.clone());
                continue;
            }
            match rng.below(10) {
                0 => {} // removed
                1 => {
                    out.insert(k.clone(), random_value(rng, depth));
                }
                2..=4 => {
                    out.insert(k.clone(), mutate_value(v, rng, depth));
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        if rng.chance(25) {
            let k = KEYS[rng.below(KEYS.len() as u64) as usize];
            if !out.contains_key(k) {
                out.insert(k, random_value(rng, depth));
            }
        }
        if rng.chance(5) && out.len() >= 2 {
            // Reorder: move the first field to the end.
            let mut it = out.into_iter();
            let first = it.next();
            let mut re: Document = it.collect();
            if let Some((k, v)) = first {
                re.insert(k, v);
            }
            out = re;
        }
        if rng.chance(5) && !out.is_empty() && !out.contains_key("new") {
            // Insert a new field at the front.
            let mut re = doc! { "new": random_scalar(rng) };
            for (k, v) in out {
                re.insert(k, v);
            }
            out = re;
        }
        out
    }

    pub fn mutate_value(v: &Bson, rng: &mut Rng, depth: usize) -> Bson {
        match v {
            Bson::Document(d) => Bson::Document(mutate_doc(d, rng, depth + 1)),
            Bson::Array(items) => {
                let keyed = is_keyed(items);
                let mut next_id = 100;
                let mut fresh = |rng: &mut Rng| {
                    if keyed {
                        next_id += 1;
                        Bson::Document(doc! { "_id": next_id, "v": random_scalar(rng) })
                    } else {
                        random_value(rng, 3)
                    }
                };
                let mut out = Vec::new();
                for item in items {
                    match rng.below(10) {
                        0 => {}
                        1..=3 => out.push(mutate_value(item, rng, depth + 1)),
                        4 => {
                            out.push(item.clone());
                            out.push(fresh(rng));
                        }
                        _ => out.push(item.clone()),
                    }
                }
                if rng.chance(20) {
                    let at = rng.below(out.len() as u64 + 1) as usize;
                    out.insert(at, fresh(rng));
                }
                if rng.chance(5) && out.len() >= 2 {
                    out.swap(0, 1);
                }
                Bson::Array(out)
            }
            _ => random_value(rng, depth),
        }
    }

    /// `(a, b)` pairs: either unrelated random documents or `b` a mutation
    /// of `a`.
    pub fn doc_pair() -> impl Strategy<Value = (Document, Document)> {
        (any::<u64>(), any::<bool>()).prop_map(|(seed, related)| {
            let mut rng = Rng(seed);
            let a = random_doc(&mut rng, 0);
            let b = if related {
                mutate_doc(&a, &mut rng, 0)
            } else {
                random_doc(&mut rng, 0)
            };
            (a, b)
        })
    }

    fn roundtrip(a: &Document, b: &Document) -> Vec<FieldChange> {
        let changes = diff_docs(a, b);
        let got = apply_changes(a, &changes)
            .unwrap_or_else(|e| panic!("apply failed: {e}\na={a:?}\nb={b:?}\n{changes:#?}"));
        assert!(
            docs_equal(&got, b),
            "apply(a, diff(a, b)) != b\na={a:?}\nb={b:?}\ngot={got:?}\n{changes:#?}"
        );
        changes
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn apply_diff_reproduces_b((a, b) in doc_pair()) {
            let changes = roundtrip(&a, &b);
            prop_assert_eq!(changes.is_empty(), docs_equal(&a, &b));
        }

        #[test]
        fn diff_of_equal_docs_is_empty((a, _b) in doc_pair()) {
            prop_assert!(diff_docs(&a, &a.clone()).is_empty());
        }
    }

    /// The random pairs must reach keyed-array element edits, LCS edits and
    /// container replacements, or the round-trip property proves little.
    #[test]
    fn generators_cover_interesting_cases() {
        let (mut in_elements, mut array_adds, mut container_replaces) = (0, 0, 0);
        for seed in 0..3000u64 {
            let mut rng = Rng(seed);
            let a = random_doc(&mut rng, 0);
            let b = mutate_doc(&a, &mut rng, 0);
            for c in diff_docs(&a, &b) {
                let n = c.path.len();
                match (c.path.get(n.wrapping_sub(2)), c.path.last()) {
                    (Some(PathSeg::Index(_)), Some(PathSeg::Field(_))) => in_elements += 1,
                    (_, Some(PathSeg::Index(_))) if c.op == Op::Add => array_adds += 1,
                    _ => {}
                }
                if c.op == Op::Replace
                    && matches!(c.to, Some(Bson::Document(_) | Bson::Array(_)))
                    && matches!(c.from, Some(Bson::Document(_) | Bson::Array(_)))
                {
                    container_replaces += 1;
                }
            }
        }
        assert!(in_elements > 50, "{in_elements}");
        assert!(array_adds > 50, "{array_adds}");
        assert!(container_replaces > 50, "{container_replaces}");
    }

    #[test]
    fn path_rendering() {
        let p = vec![
            PathSeg::Field("a".into()),
            PathSeg::Field("b".into()),
            PathSeg::Index(3),
            PathSeg::Field("c".into()),
        ];
        assert_eq!(path_to_string(&p), "a.b.3.c");
        assert_eq!(path_to_string(&[]), "");
    }

    #[test]
    fn types_are_exact_and_nan_equals_nan() {
        assert!(!values_equal(&Bson::Int32(1), &Bson::Int64(1)));
        assert!(!values_equal(&Bson::Int32(1), &Bson::Double(1.0)));
        assert!(values_equal(
            &Bson::Double(f64::NAN),
            &Bson::Double(f64::NAN)
        ));
        assert!(!docs_equal(&doc! {"a": 1, "b": 2}, &doc! {"b": 2, "a": 1}));
        let changes = diff_docs(&doc! {"n": 1}, &doc! {"n": 1i64});
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].op, Op::Replace);
        assert!(diff_docs(&doc! {"n": f64::NAN}, &doc! {"n": f64::NAN}).is_empty());
    }

    #[test]
    fn nested_field_changes() {
        let a = doc! {"_id": 1, "a": {"b": 1, "c": 2}, "gone": true};
        let b = doc! {"_id": 1, "a": {"b": 5, "c": 2, "d": 3}};
        let changes = roundtrip(&a, &b);
        let summary: Vec<(Op, String)> = changes
            .iter()
            .map(|c| (c.op.clone(), path_to_string(&c.path)))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Op::Replace, "a.b".to_string()),
                (Op::Add, "a.d".to_string()),
                (Op::Remove, "gone".to_string()),
            ]
        );
    }

    #[test]
    fn reorder_and_middle_insert_replace_the_container() {
        let a = doc! {"x": {"p": 1, "q": 2}};
        let b = doc! {"x": {"q": 2, "p": 1}};
        let changes = roundtrip(&a, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, vec![PathSeg::Field("x".into())]);
        assert_eq!(changes[0].op, Op::Replace);

        let a = doc! {"p": 1, "q": 2};
        let b = doc! {"p": 1, "n": 0, "q": 2};
        let changes = roundtrip(&a, &b);
        assert_eq!(changes.len(), 1);
        assert!(changes[0].path.is_empty());
    }

    #[test]
    fn lcs_array_indices_apply_in_order() {
        let a = doc! {"v": [1, 2, 3, 4, 5, 6]};
        let b = doc! {"v": [0, 2, 3, 9, 9, 5, 6, 7]};
        roundtrip(&a, &b);
        let a = doc! {"v": [{"k": 1, "w": 1}, 2]};
        let b = doc! {"v": [{"k": 1, "w": 2}, 2]};
        let changes = roundtrip(&a, &b);
        assert_eq!(path_to_string(&changes[0].path), "v.0.w");
    }

    #[test]
    fn id_keyed_array_changes_use_ids() {
        let a = doc! {"items": [{"_id": 1, "q": 1}, {"_id": 2, "q": 1}, {"_id": 3, "q": 1}]};
        let b = doc! {"items": [{"_id": 2, "q": 5}, {"_id": 4, "q": 1}, {"_id": 3, "q": 1}]};
        let changes = roundtrip(&a, &b);
        let summary: Vec<(Op, String)> = changes
            .iter()
            .map(|c| (c.op.clone(), path_to_string(&c.path)))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Op::Remove, "items.0".to_string()),
                (Op::Replace, "items.0.q".to_string()),
                (Op::Add, "items.1".to_string()),
            ]
        );
        // Matched ids in another order: whole array.
        let c = doc! {"items": [{"_id": 3, "q": 1}, {"_id": 1, "q": 1}]};
        let changes = roundtrip(&a, &c);
        assert_eq!(changes.len(), 1);
        assert_eq!(path_to_string(&changes[0].path), "items");
    }

    #[test]
    fn apply_rejects_stale_or_bad_changes() {
        let a = doc! {"a": 1, "arr": [1, 2]};
        let changes = diff_docs(&doc! {"a": 2, "arr": [1, 2]}, &doc! {"a": 3, "arr": [1, 2]});
        assert!(matches!(
            apply_changes(&a, &changes),
            Err(ApplyError::StaleValue { .. })
        ));
        let bad = FieldChange {
            op: Op::Remove,
            path: vec![PathSeg::Field("arr".into()), PathSeg::Index(2)],
            from: None,
            to: None,
        };
        assert!(matches!(
            apply_changes(&a, &[bad]),
            Err(ApplyError::IndexOutOfBounds {
                index: 2,
                len: 2,
                ..
            })
        ));
        let bad = FieldChange {
            op: Op::Add,
            path: vec![PathSeg::Field("a".into())],
            from: None,
            to: Some(Bson::Int32(0)),
        };
        assert!(matches!(
            apply_changes(&a, &[bad]),
            Err(ApplyError::AlreadyExists { .. })
        ));
        let bad = FieldChange {
            op: Op::Replace,
            path: vec![PathSeg::Field("a".into()), PathSeg::Field("b".into())],
            from: None,
            to: Some(Bson::Int32(0)),
        };
        assert!(matches!(
            apply_changes(&a, &[bad]),
            Err(ApplyError::NotAContainer { .. })
        ));
        let bad = FieldChange {
            op: Op::Remove,
            path: vec![],
            from: None,
            to: None,
        };
        assert!(matches!(
            apply_changes(&a, &[bad]),
            Err(ApplyError::InvalidRoot { .. })
        ));
    }

    #[test]
    fn many_field_removals_apply_in_one_pass() {
        let a: Document = (0..5000)
            .map(|i| (format!("f{i}"), Bson::Int32(i)))
            .collect();
        let b: Document = (0..5000)
            .filter(|i| i % 3 == 0)
            .map(|i| (format!("f{i}"), Bson::Int32(i)))
            .collect();
        roundtrip(&a, &b);
    }

    #[test]
    fn large_array_diff_is_bounded() {
        const N: i64 = 100_000;
        let a = doc! {"v": (0..N).map(Bson::Int64).collect::<Vec<_>>()};

        // Both ends changed: nothing to trim, far over the LCS bound, so the
        // whole array is replaced.
        let mut v: Vec<Bson> = (0..N).map(Bson::Int64).collect();
        v[0] = Bson::Int32(-1);
        v[(N - 1) as usize] = Bson::Int32(-1);
        let b = doc! {"v": v};
        let changes = roundtrip(&a, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(path_to_string(&changes[0].path), "v");

        // One element changed in the middle: trimming leaves a 1x1 problem.
        let mut v: Vec<Bson> = (0..N).map(Bson::Int64).collect();
        v[50_000] = Bson::String("x".into());
        let b = doc! {"v": v};
        let changes = roundtrip(&a, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(path_to_string(&changes[0].path), "v.50000");

        // A long run removed in the middle: 0 x k problem, k removes applied
        // through the gap buffer in linear time.
        let b = doc! {"v": (0..N).filter(|i| !(10_000..60_000).contains(i)).map(Bson::Int64).collect::<Vec<_>>()};
        let changes = roundtrip(&a, &b);
        assert_eq!(changes.len(), 50_000);

        // _id-keyed: every other element deleted, every third edited.
        let keyed = |n: i64, keep: &dyn Fn(i64) -> bool, edit: &dyn Fn(i64) -> bool| {
            doc! {"v": (0..n).filter(|i| keep(*i)).map(|i| Bson::Document(doc! {"_id": i, "q": if edit(i) { 1 } else { 0 }})).collect::<Vec<_>>()}
        };
        let a = keyed(N, &|_| true, &|_| false);
        let b = keyed(N, &|i| i % 2 == 0, &|i| i % 3 == 0);
        let changes = roundtrip(&a, &b);
        assert_eq!(changes.len() as i64, N / 2 + (N / 2 + 2) / 3);
    }

    #[test]
    fn lcs_just_under_the_bound_is_fine() {
        let a = doc! {"v": (0..2000).map(|i| Bson::Int32(i * 2)).collect::<Vec<_>>()};
        let b = doc! {"v": (0..2000).map(|i| Bson::Int32(i * 3)).collect::<Vec<_>>()};
        roundtrip(&a, &b);
    }
}
