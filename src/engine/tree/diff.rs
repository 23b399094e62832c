//! Two-tree diff that skips subtrees with equal hashes, so its cost grows
//! with the number of changes rather than the size of the trees.

use super::NodeStore;
use crate::engine::error::Result;
use crate::engine::hash::Hash;
use std::collections::VecDeque;

/// One key whose value differs: `left` absent = added, `right` absent =
/// removed, both present = modified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffEntry {
    pub key: Vec<u8>,
    pub left: Option<Vec<u8>>,
    pub right: Option<Vec<u8>>,
}

enum Item {
    Subtree { hash: Hash, level: u8 },
    Pair { key: Vec<u8>, value: Vec<u8> },
}

/// A streaming diff: memory is bounded by tree height times node fan-out.
pub struct TreeDiff<'a> {
    ns: &'a NodeStore,
    left: VecDeque<Item>,
    right: VecDeque<Item>,
    failed: bool,
}

impl<'a> TreeDiff<'a> {
    pub fn new(ns: &'a NodeStore, left: &Hash, right: &Hash) -> Result<TreeDiff<'a>> {
        let mut d = TreeDiff {
            ns,
            left: VecDeque::new(),
            right: VecDeque::new(),
            failed: false,
        };
        if left != right {
            let l = ns.load(left)?.level();
            let r = ns.load(right)?.level();
            d.left.push_back(Item::Subtree {
                hash: *left,
                level: l,
            });
            d.right.push_back(Item::Subtree {
                hash: *right,
                level: r,
            });
        }
        Ok(d)
    }

    /// Replaces the subtree at the front of `side` with its entries.
    fn expand(ns: &NodeStore, side: &mut VecDeque<Item>) -> Result<()> {
        let Some(Item::Subtree { hash, .. }) = side.pop_front() else {
            return Ok(());
        };
        let node = ns.load(&hash)?;
        for i in (0..node.len()).rev() {
            let item = if node.is_leaf() {
                Item::Pair {
                    key: node.key(i).to_vec(),
                    value: node.value(i).to_vec(),
                }
            } else {
                Item::Subtree {
                    hash: node.child(i),
                    level: node.level() - 1,
                }
            };
            side.push_front(item);
        }
        Ok(())
    }

    fn step(&mut self) -> Result<Option<DiffEntry>> {
        loop {
            match (self.left.front(), self.right.front()) {
                (None, None) => return Ok(None),
                (Some(Item::Subtree { hash: a, .. }), Some(Item::Subtree { hash: b, .. }))
                    if a == b =>
                {
                    self.left.pop_front();
                    self.right.pop_front();
                }
                (Some(Item::Subtree { level: la, .. }), r) => {
                    let expand_left = match r {
                        Some(Item::Subtree { level: lb, .. }) => la >= lb,
                        _ => true,
                    };
                    if expand_left {
                        Self::expand(self.ns, &mut self.left)?;
                    } else {
                        Self::expand(self.ns, &mut self.right)?;
                    }
                }
                (_, Some(Item::Subtree { .. })) => Self::expand(self.ns, &mut self.right)?,
                (Some(Item::Pair { key: ka, .. }), Some(Item::Pair { key: kb, .. })) => {
                    use std::cmp::Ordering::*;
                    match ka.cmp(kb) {
                        Less => return Ok(self.take_left()),
                        Greater => return Ok(self.take_right()),
                        Equal => {
                            let (
                                Some(Item::Pair { key, value: va }),
                                Some(Item::Pair { value: vb, .. }),
                            ) = (self.left.pop_front(), self.right.pop_front())
                            else {
                                continue;
                            };
                            if va != vb {
                                return Ok(Some(DiffEntry {
                                    key,
                                    left: Some(va),
                                    right: Some(vb),
                                }));
                            }
                        }
                    }
                }
                (Some(Item::Pair { .. }), None) => return Ok(self.take_left()),
                (None, Some(Item::Pair { .. })) => return Ok(self.take_right()),
            }
        }
    }

    fn take_left(&mut self) -> Option<DiffEntry> {
        match self.left.pop_front() {
            Some(Item::Pair { key, value }) => Some(DiffEntry {
                key,
                left: Some(value),
                right: None,
            }),
            _ => None,
        }
    }

    fn take_right(&mut self) -> Option<DiffEntry> {
        match self.right.pop_front() {
            Some(Item::Pair { key, value }) => Some(DiffEntry {
                key,
                left: None,
                right: Some(value),
            }),
            _ => None,
        }
    }
}

impl Iterator for TreeDiff<'_> {
    type Item = Result<DiffEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.step() {
            Ok(Some(e)) => Some(Ok(e)),
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}
