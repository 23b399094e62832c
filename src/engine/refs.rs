//! The refs blob: branches, tags and in-progress merges of one project,
//! stored as JSON and replaced only by compare-and-swap.

use super::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Refs {
    pub project: ProjectMeta,
    #[serde(default)]
    pub branches: BTreeMap<String, BranchRef>,
    #[serde(default)]
    pub tags: BTreeMap<String, TagRef>,
    /// In-progress merges keyed by destination branch.
    #[serde(default)]
    pub merges: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub next_log_id: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ProjectMeta {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub created_at: i64,
    pub default_branch: String,
    /// How far back any point can be read, in milliseconds.
    pub retention_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BranchRef {
    /// Name of this branch's write log; stable across renames.
    pub log: String,
    /// Hex hash of the head commit.
    pub head: String,
    /// LSN of the head commit.
    pub lsn: u64,
    /// Where records after the head begin in the write log.
    pub wal_from: u64,
    pub created_at: i64,
    #[serde(default)]
    pub parent: Option<String>,
    /// The commit this branch started from.
    #[serde(default)]
    pub base: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TagRef {
    pub commit: String,
    pub created_at: i64,
    #[serde(default)]
    pub message: String,
}

impl Refs {
    pub fn decode(bytes: &[u8]) -> Result<Refs> {
        serde_json::from_slice(bytes).map_err(|e| Error::Corrupt(format!("refs: {e}")))
    }

    pub fn encode(&self) -> Vec<u8> {
        // Compact: with thousands of branches the blob is rewritten and
        // parsed on every change, and indentation doubled its size.
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn branch(&self, name: &str) -> Result<&BranchRef> {
        self.branches
            .get(name)
            .ok_or_else(|| Error::BranchNotFound(name.to_string()))
    }
}

pub const NAME_RULE: &str = "names are 1-100 characters of letters, digits, '-', '_', '.' and '/', start with a letter or digit, and contain no '..' or '@'";

/// Validates a project, branch or tag name (git-like, and safe in a
/// MongoDB connection string's database part, where '@' separates refs).
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !name.contains("..")
        && !name.ends_with('/')
        && !name.ends_with(".lock");
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidName {
            name: name.to_string(),
            rule: NAME_RULE,
        })
    }
}

/// Names for projects are also directory names: no '/'.
pub fn validate_project_name(name: &str) -> Result<()> {
    validate_name(name)?;
    if name.contains('/') || name.contains('.') {
        return Err(Error::InvalidName {
            name: name.to_string(),
            rule: "project names are 1-100 letters, digits, '-' and '_', starting with a letter or digit",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["main", "feature-branch", "user/fix_1", "v1.2"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-x", "a..b", "a@b", "a b", "x/", "x.lock", "ü"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert!(validate_project_name("shop").is_ok());
        assert!(validate_project_name("a/b").is_err());
    }
}
