//! How many operations are holding a project's live state for long right
//! now: checkpoints, DDL, index builds, merges. A server that runs short
//! reads inline on its async workers checks this first: a read that would
//! wait on such an operation is better handed off, so the worker keeps
//! serving its other connections.

use std::sync::atomic::{AtomicUsize, Ordering};

static LONG_HOLDS: AtomicUsize = AtomicUsize::new(0);

/// Operations now holding a project's live state for long (any project).
pub fn long_holds() -> usize {
    LONG_HOLDS.load(Ordering::Relaxed)
}

/// Counts one long hold while alive.
pub(crate) struct LongHold(());

impl LongHold {
    pub(crate) fn start() -> LongHold {
        LONG_HOLDS.fetch_add(1, Ordering::Relaxed);
        LongHold(())
    }
}

impl Drop for LongHold {
    fn drop(&mut self) {
        LONG_HOLDS.fetch_sub(1, Ordering::Relaxed);
    }
}
