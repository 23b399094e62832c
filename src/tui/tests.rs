//! Snapshot tests of every view at 80x24: a real `LocalBackend` on a temp
//! data dir, key events fed in, the screen rendered with ratatui's
//! `TestBackend` and compared with insta (times and commit hashes, which
//! depend on the wall clock, are filtered).

use super::app::{App, AppEvent};
use super::keymap::Keymap;
use super::theme::Theme;
use super::{Start, local_opener, open};
use crate::backend::Backend;
use crate::backend::local::LocalBackend;
use crate::engine::WriteOp;
use crate::engine::merge::{MergeStatus, Policy, Strategy};
use bson::{Bson, Document, doc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

const P: &str = "shop";

struct Fx {
    dir: tempfile::TempDir,
    b: LocalBackend,
}

fn upsert(b: &LocalBackend, branch: &str, coll: &str, docs: Vec<Document>) {
    let ops = docs
        .into_iter()
        .map(|doc| WriteOp::Upsert {
            collection: coll.into(),
            doc,
        })
        .collect();
    b.write(P, branch, ops).unwrap();
}

fn checkpoint(b: &LocalBackend) {
    b.project(P).unwrap().checkpoint_all().unwrap();
}

/// main with users 1-5 and orders 1-2; `feature` from main edits users
/// 1-3 (name, city, age), adds 6, removes 5, edits order 1; main edits
/// the same fields of users 1-3 differently; `hotfix` from feature.
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::open(dir.path()).unwrap();
    b.create_project(P, "test shop").unwrap();
    let users: Vec<Document> = (1..=5)
        .map(|i| {
            doc! {"_id": i, "name": format!("user{i}"), "city": "London", "age": 30 + i,
            "tags": ["a", "b"]}
        })
        .collect();
    upsert(&b, "main", "users", users);
    upsert(
        &b,
        "main",
        "orders",
        vec![
            doc! {"_id": 1, "total": 10.5, "items": [{"_id": 1, "sku": "x"}]},
            doc! {"_id": 2, "total": 3.0},
        ],
    );
    checkpoint(&b);
    b.create_branch(P, "feature", "main").unwrap();
    upsert(
        &b,
        "feature",
        "users",
        vec![
            doc! {"_id": 1, "name": "Ada", "city": "London", "age": 31, "tags": ["a", "b"]},
            doc! {"_id": 2, "name": "user2", "city": "Paris", "age": 32, "tags": ["a", "b"]},
            doc! {"_id": 3, "name": "user3", "city": "London", "age": 40, "tags": ["a", "b", "c"]},
            doc! {"_id": 6, "name": "user6", "city": "Oslo", "age": 36},
        ],
    );
    checkpoint(&b);
    b.write(
        P,
        "feature",
        vec![
            WriteOp::Delete {
                collection: "users".into(),
                id: Bson::Int32(5),
            },
            WriteOp::Upsert {
                collection: "orders".into(),
                doc: doc! {"_id": 1, "total": 12.0, "items": [{"_id": 1, "sku": "x"}]},
            },
        ],
    )
    .unwrap();
    upsert(
        &b,
        "main",
        "users",
        vec![
            doc! {"_id": 1, "name": "Grace", "city": "London", "age": 31, "tags": ["a", "b"]},
            doc! {"_id": 2, "name": "user2", "city": "Rome", "age": 32, "tags": ["a", "b"]},
            doc! {"_id": 3, "name": "user3", "city": "London", "age": 50, "tags": ["a", "b"]},
        ],
    );
    checkpoint(&b);
    b.create_branch(P, "hotfix", "feature").unwrap();
    Fx { dir, b }
}

fn app(fx: &Fx) -> App<'_> {
    App::new(
        &fx.b,
        local_opener(fx.dir.path().to_path_buf()),
        Keymap::default(),
        Theme::new(false),
    )
}

fn start(fx: &Fx, s: Start) -> App<'_> {
    let mut a = app(fx);
    open(&mut a, &s);
    a.wait_idle(Duration::from_secs(20));
    a
}

fn home(fx: &Fx) -> App<'_> {
    start(
        fx,
        Start::Home {
            project: None,
            reference: None,
        },
    )
}

fn key(a: &mut App, k: KeyCode) {
    a.key(KeyEvent::new(k, KeyModifiers::NONE));
    a.wait_idle(Duration::from_secs(20));
}

/// Types each char of `s` as a key.
fn keys(a: &mut App, s: &str) {
    for c in s.chars() {
        key(a, KeyCode::Char(c));
    }
}

fn render(a: &mut App) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| a.draw(f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if skip == 0 {
                line.push_str(c.symbol());
            }
            skip = std::cmp::max(skip, unicode_width(c.symbol())).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unicode_width(s: &str) -> usize {
    use ratatui::text::Span;
    Span::raw(s).width()
}

macro_rules! snap {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({
            filters => vec![
                (r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?Z?", "[time]"),
                (r"\b[0-9a-f]{12}\b", "[commit]"),
            ],
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

fn select_branch(a: &mut App, name: &str) {
    key(a, KeyCode::Home);
    for _ in 0..20 {
        if render(a).lines().any(|l| {
            l.contains(&format!("─ {name}")) && l.trim_start().starts_with(['├', '└', '│'])
        }) && selected_line(a).is_some_and(|l| l.contains(&format!("─ {name}")))
        {
            return;
        }
        key(a, KeyCode::Down);
    }
    panic!("branch {name} not found:\n{}", render(a));
}

/// The selected row, found through the reversed style.
fn selected_line(a: &mut App) -> Option<String> {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| a.draw(f)).unwrap();
    let buf = t.backend().buffer();
    (1..buf.area.height - 2).find_map(|y| {
        let c = &buf[(2, y)];
        c.modifier
            .contains(ratatui::style::Modifier::REVERSED)
            .then(|| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
    })
}

#[test]
fn branches_view_tree_counts_and_help() {
    let fx = fixture();
    let mut a = home(&fx);
    snap!("branches", render(&mut a));
    key(&mut a, KeyCode::Char('?'));
    snap!("branches_help", render(&mut a));
    key(&mut a, KeyCode::Esc);
    assert!(!render(&mut a).contains("Keys:"));
}

#[test]
fn branches_create_and_delete() {
    let fx = fixture();
    let mut a = home(&fx);
    select_branch(&mut a, "feature");
    key(&mut a, KeyCode::Char('n'));
    keys(&mut a, "exp");
    snap!("branches_new_prompt", render(&mut a));
    key(&mut a, KeyCode::Enter);
    let names: Vec<String> =
        fx.b.list_branches(P)
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
    assert!(names.contains(&"exp".to_string()), "{names:?}");
    snap!("branches_created", render(&mut a));
    key(&mut a, KeyCode::Char('D'));
    snap!("branches_delete_confirm", render(&mut a));
    key(&mut a, KeyCode::Char('y'));
    let names: Vec<String> =
        fx.b.list_branches(P)
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
    assert!(!names.contains(&"exp".to_string()), "{names:?}");
}

#[test]
fn log_view_marks_diffs_and_branches() {
    let fx = fixture();
    let mut a = home(&fx);
    select_branch(&mut a, "feature");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.top_title(), "log feature");
    snap!("log", render(&mut a));
    // Mark the live writes and the first checkpoint of feature: diff them.
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char(' '));
    snap!("log_marked", render(&mut a));
    key(&mut a, KeyCode::Char('d'));
    assert_eq!(a.top_title(), "diff shop");
    snap!("log_diff_of_marks", render(&mut a));
    key(&mut a, KeyCode::Char('q'));
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char('b'));
    keys(&mut a, "old");
    key(&mut a, KeyCode::Enter);
    let old = fx.b.show_branch(P, "old").unwrap();
    let log = fx.b.log(P, "feature", 10).unwrap();
    assert_eq!(Some(&old.head), log[2].commit.as_ref());
}

#[test]
fn diff_view_filter_search_and_document() {
    let fx = fixture();
    let mut a = home(&fx);
    select_branch(&mut a, "feature");
    key(&mut a, KeyCode::Char('d'));
    snap!("diff", render(&mut a));
    key(&mut a, KeyCode::Char('f'));
    snap!("diff_filter_added", render(&mut a));
    key(&mut a, KeyCode::Char('f'));
    key(&mut a, KeyCode::Char('f'));
    key(&mut a, KeyCode::Char('f'));
    key(&mut a, KeyCode::Char('/'));
    keys(&mut a, "city");
    key(&mut a, KeyCode::Enter);
    snap!("diff_search", render(&mut a));
    key(&mut a, KeyCode::Esc);
    // Collections pane: pick users.
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Tab);
    snap!("diff_users", render(&mut a));
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Enter);
    snap!("document_unified", render(&mut a));
    key(&mut a, KeyCode::Char('n'));
    key(&mut a, KeyCode::Char('n'));
    snap!("document_next_change", render(&mut a));
    key(&mut a, KeyCode::Char('s'));
    snap!("document_side_by_side", render(&mut a));
    key(&mut a, KeyCode::Char('N'));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.top_title(), "diff shop");
}

fn conflicted(fx: &Fx) {
    let r =
        fx.b.merge(P, "feature", "main", &Policy::new(Strategy::Fail), false)
            .unwrap();
    assert_eq!(r.status, MergeStatus::Conflicts);
    assert_eq!(r.conflicts.len(), 3);
}

fn user(b: &LocalBackend, branch: &str, id: i32) -> Document {
    let mut out = None;
    let q = crate::db::find::FindOptions {
        filter: doc! {"_id": id},
        ..Default::default()
    };
    b.find(P, branch, "users", &q, &mut |d| {
        out = Some(d);
        Ok(())
    })
    .unwrap();
    out.unwrap()
}

#[test]
fn merge_view_resolves_edits_and_commits() {
    let fx = fixture();
    conflicted(&fx);
    let mut a = start(
        &fx,
        Start::Merge {
            project: P.into(),
            branch: "main".into(),
        },
    );
    snap!("merge", render(&mut a));
    key(&mut a, KeyCode::Char('o'));
    key(&mut a, KeyCode::Char('t'));
    snap!("merge_two_resolved", render(&mut a));
    key(&mut a, KeyCode::Char('c'));
    snap!("merge_commit_refused", render(&mut a));
    key(&mut a, KeyCode::Char('e'));
    // Replace the seed with a bad value first: the error shows, the prompt stays.
    a.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    keys(&mut a, "{bad");
    key(&mut a, KeyCode::Enter);
    snap!("merge_edit_error", render(&mut a));
    a.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    keys(&mut a, "{\"$numberLong\": \"45\"}");
    key(&mut a, KeyCode::Enter);
    snap!("merge_all_resolved", render(&mut a));
    key(&mut a, KeyCode::Char('c'));
    snap!("merge_committed", render(&mut a));
    assert!(matches!(
        a.events.last(),
        Some(AppEvent::MergeCommitted { branch, .. }) if branch == "main"
    ));
    assert_eq!(user(&fx.b, "main", 1).get_str("name").unwrap(), "Grace");
    assert_eq!(user(&fx.b, "main", 2).get_str("city").unwrap(), "Paris");
    assert_eq!(user(&fx.b, "main", 3).get("age"), Some(&Bson::Int64(45)));
    // Non-conflicting changes of feature came along.
    assert_eq!(user(&fx.b, "main", 6).get_str("city").unwrap(), "Oslo");
    key(&mut a, KeyCode::Char('q'));
    assert!(a.should_quit());
}

#[test]
fn merge_view_apply_to_collection_and_abort() {
    let fx = fixture();
    conflicted(&fx);
    // `tui` lands on the merge in progress, over the branches view.
    let mut a = home(&fx);
    assert_eq!(a.top_title(), "merge into main");
    assert_eq!(a.depth(), 2);
    key(&mut a, KeyCode::Char('T'));
    let s = fx.b.merge_state(P, "main").unwrap().unwrap();
    assert!(s.conflicts.iter().all(|c| c.resolution.is_some()));
    snap!("merge_all_theirs", render(&mut a));
    key(&mut a, KeyCode::Char('a'));
    snap!("merge_abort_confirm", render(&mut a));
    key(&mut a, KeyCode::Char('y'));
    assert!(fx.b.merge_state(P, "main").unwrap().is_none());
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(a.top_title(), "branches");
}

#[test]
fn merge_from_branches_picks_target() {
    let fx = fixture();
    let mut a = home(&fx);
    select_branch(&mut a, "feature");
    key(&mut a, KeyCode::Char('m'));
    snap!("branches_merge_pick", render(&mut a));
    // main is first (the parent).
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.top_title(), "merge into main");
    // hotfix (child of feature, nothing new) merges as up to date.
    key(&mut a, KeyCode::Char('q'));
    select_branch(&mut a, "hotfix");
    key(&mut a, KeyCode::Char('m'));
    key(&mut a, KeyCode::Enter);
    assert!(
        render(&mut a).contains("is up to date with hotfix"),
        "{}",
        render(&mut a)
    );
}

#[test]
fn no_color_means_no_colors() {
    let fx = fixture();
    conflicted(&fx);
    let mut a = home(&fx);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| a.draw(f)).unwrap();
    let buf = t.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
    a.theme = Theme::new(true);
    t.draw(|f| a.draw(f)).unwrap();
    let buf = t.backend().buffer();
    assert!(
        buf.content
            .iter()
            .any(|c| c.fg != ratatui::style::Color::Reset)
    );
}

#[test]
fn tiny_and_large_terminals_do_not_panic() {
    let fx = fixture();
    conflicted(&fx);
    let mut a = home(&fx);
    for (w, h) in [(10, 3), (20, 5), (40, 10), (80, 24), (200, 60)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| a.draw(f)).unwrap();
    }
}
