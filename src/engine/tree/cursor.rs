//! Ordered scans over a tree's entries.

use super::NodeStore;
use super::node::Node;
use crate::engine::error::Result;
use crate::engine::hash::Hash;
use std::sync::Arc;

/// An iterator over `(key, value)` in key order, starting at the first key
/// >= a lower bound. Holds one node per level.
pub struct Scan<'a> {
    ns: &'a NodeStore,
    /// (node, index of the next entry to visit) from root to leaf.
    stack: Vec<(Arc<Node>, usize)>,
    failed: bool,
}

impl<'a> Scan<'a> {
    pub fn new(ns: &'a NodeStore, root: &Hash, from: Option<&[u8]>) -> Result<Scan<'a>> {
        let mut stack = Vec::new();
        let mut node = ns.load(root)?;
        loop {
            let i = from.map_or(0, |k| node.search(k));
            if node.is_leaf() || i >= node.len() {
                stack.push((node, i));
                break;
            }
            let child = node.child(i);
            stack.push((node, i));
            node = ns.load(&child)?;
        }
        Ok(Scan {
            ns,
            stack,
            failed: false,
        })
    }

    fn advance(&mut self) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        loop {
            let Some((node, i)) = self.stack.last_mut() else {
                return Ok(None);
            };
            if *i >= node.len() {
                self.stack.pop();
                if let Some((_, pi)) = self.stack.last_mut() {
                    *pi += 1;
                }
                continue;
            }
            if node.is_leaf() {
                let item = (node.key(*i).to_vec(), node.value(*i).to_vec());
                *i += 1;
                return Ok(Some(item));
            }
            let child = node.child(*i);
            let child = self.ns.load(&child)?;
            self.stack.push((child, 0));
        }
    }
}

impl Iterator for Scan<'_> {
    type Item = Result<(Vec<u8>, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.advance() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}
