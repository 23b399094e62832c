//! Database names are refs: `shop` is project `shop` on its default
//! branch, `shop@feature` is branch `feature`, and `shop@main@lsn:42` or
//! `shop@main@2026-11-25T10:00:00Z` is a read-only view of that point.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub project: String,
    /// `None`: the project's default branch.
    pub branch: Option<String>,
    /// A point in history (read-only) instead of a live branch.
    pub at: Option<String>,
}

impl Target {
    pub fn parse(db: &str) -> Target {
        let mut parts = db.splitn(3, '@');
        let project = parts.next().unwrap_or_default().to_string();
        let branch = parts.next().map(str::to_string);
        let at = match (&branch, parts.next()) {
            (Some(b), Some(point)) => Some(format!("{b}@{point}")),
            _ => None,
        };
        Target {
            project,
            branch,
            at,
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_refs() {
        assert_eq!(
            Target::parse("shop"),
            Target {
                project: "shop".into(),
                branch: None,
                at: None
            }
        );
        let t = Target::parse("shop@feature");
        assert_eq!(t.branch.as_deref(), Some("feature"));
        assert!(!t.is_read_only());
        let t = Target::parse("shop@main@lsn:42");
        assert_eq!(t.at.as_deref(), Some("main@lsn:42"));
        assert!(t.is_read_only());
    }
}
