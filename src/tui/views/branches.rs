//! Projects and their branches as a tree (parent/child), with head time,
//! commits ahead/behind the parent (computed by the worker), pending merge
//! conflicts; create, delete, diff against parent, merge into, open log.

use super::diff::DiffView;
use super::log::LogView;
use super::merge::MergeView;
use crate::engine::merge::{MergeStatus, Policy, Strategy};
use crate::engine::project::BranchInfo;
use crate::tui::app::{Ctx, DrawCtx, Outcome, View};
use crate::tui::keymap::{Action, Scope};
use crate::tui::widgets::popup::{Modal, ModalResult};
use crate::tui::widgets::put;
use crate::tui::widgets::vlist::{self, ListState};
use crate::tui::worker::{AheadBehind, Job, Msg};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::collections::{BTreeMap, HashMap};

const NEW: u32 = 1;
const DELETE: u32 = 2;
const MERGE: u32 = 3;

enum Row {
    Project {
        name: String,
        branches: usize,
        error: Option<String>,
    },
    Branch {
        project: String,
        prefix: String,
        info: Box<BranchInfo>,
        ab: Option<AheadBehind>,
        /// (resolved, total) of a merge in progress into this branch.
        merge: Option<(usize, usize)>,
    },
}

pub struct BranchesView {
    only: Option<String>,
    rows: Vec<Row>,
    list: ListState,
    /// Ahead/behind jobs in flight, by project.
    pending: HashMap<String, u64>,
    merge_targets: Vec<String>,
    merge_source: Option<(String, String)>,
}

fn short_time(t: &str) -> String {
    t.replace('T', " ").chars().take(19).collect()
}

impl BranchesView {
    /// All projects, or only `only`; selects `select` (project, branch).
    pub fn new(
        cx: &mut Ctx,
        only: Option<String>,
        select: Option<(String, String)>,
    ) -> BranchesView {
        let mut v = BranchesView {
            only,
            rows: Vec::new(),
            list: ListState::default(),
            pending: HashMap::new(),
            merge_targets: Vec::new(),
            merge_source: None,
        };
        v.load(cx, select);
        v
    }

    fn selected(&self) -> Option<(&str, Option<&BranchInfo>)> {
        match self.rows.get(self.list.selected)? {
            Row::Project { name, .. } => Some((name, None)),
            Row::Branch { project, info, .. } => Some((project, Some(info))),
        }
    }

    fn selected_key(&self) -> Option<(String, String)> {
        match self.rows.get(self.list.selected)? {
            Row::Project { name, .. } => Some((name.clone(), String::new())),
            Row::Branch { project, info, .. } => Some((project.clone(), info.name.clone())),
        }
    }

    fn load(&mut self, cx: &mut Ctx, select: Option<(String, String)>) {
        let keep = select.or_else(|| self.selected_key());
        let old_ab: HashMap<(String, String), AheadBehind> = self
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Branch {
                    project, info, ab, ..
                } => ab.map(|a| ((project.clone(), info.name.clone()), a)),
                _ => None,
            })
            .collect();
        self.rows.clear();
        let projects = match &self.only {
            Some(p) => vec![p.clone()],
            None => match cx.backend.project_names() {
                Ok(p) => p,
                Err(e) => {
                    cx.error(format!("cannot list projects: {e}"));
                    vec![]
                }
            },
        };
        for project in projects {
            let branches = match cx.backend.list_branches(&project) {
                Ok(b) => b,
                Err(e) => {
                    self.rows.push(Row::Project {
                        name: project,
                        branches: 0,
                        error: Some(e.to_string()),
                    });
                    continue;
                }
            };
            let mut merges: HashMap<String, (usize, usize)> = HashMap::new();
            for b in cx.backend.merges_in_progress(&project).unwrap_or_default() {
                if let Ok(Some(s)) = cx.backend.merge_state(&project, &b) {
                    let done = s
                        .conflicts
                        .iter()
                        .filter(|c| c.resolution.is_some())
                        .count();
                    merges.insert(b, (done, s.conflicts.len()));
                }
            }
            self.rows.push(Row::Project {
                name: project.clone(),
                branches: branches.len(),
                error: None,
            });
            let names: Vec<String> = branches.iter().map(|b| b.name.clone()).collect();
            let mut children: BTreeMap<Option<String>, Vec<BranchInfo>> = BTreeMap::new();
            for b in branches {
                let parent = b.parent.clone().filter(|p| names.contains(p));
                children.entry(parent).or_default().push(b);
            }
            for list in children.values_mut() {
                list.sort_by(|a, b| b.is_default.cmp(&a.is_default).then(a.name.cmp(&b.name)));
            }
            let mut pairs = Vec::new();
            let mut stack: Vec<(BranchInfo, String, bool)> = Vec::new();
            let roots = children.remove(&None).unwrap_or_default();
            let n = roots.len();
            for (i, b) in roots.into_iter().enumerate().rev() {
                stack.push((b, String::new(), i + 1 == n));
            }
            while let Some((b, indent, last)) = stack.pop() {
                let prefix = format!("{indent}{}", if last { "└─ " } else { "├─ " });
                let child_indent = format!("{indent}{}", if last { "   " } else { "│  " });
                let kids = children.remove(&Some(b.name.clone())).unwrap_or_default();
                let k = kids.len();
                for (i, c) in kids.into_iter().enumerate().rev() {
                    stack.push((c, child_indent.clone(), i + 1 == k));
                }
                if let Some(p) = b.parent.clone().filter(|p| names.contains(p)) {
                    pairs.push((b.name.clone(), p));
                }
                let key = (project.clone(), b.name.clone());
                self.rows.push(Row::Branch {
                    project: project.clone(),
                    prefix,
                    merge: merges.get(&b.name).copied(),
                    ab: old_ab.get(&key).copied(),
                    info: Box::new(b),
                });
            }
            if !pairs.is_empty() {
                let seq = cx.worker.next_seq();
                cx.worker.send(Job::AheadBehind {
                    seq,
                    project: project.clone(),
                    pairs,
                });
                self.pending.insert(project, seq);
            }
        }
        let idx = keep.and_then(|(p, b)| {
            self.rows.iter().position(|r| match r {
                Row::Project { name, .. } => b.is_empty() && *name == p,
                Row::Branch { project, info, .. } => *project == p && info.name == b,
            })
        });
        let first_branch = self
            .rows
            .iter()
            .position(|r| matches!(r, Row::Branch { .. }));
        self.list
            .select(idx.or(first_branch).unwrap_or(0), self.rows.len());
    }

    fn open_merge(&self, cx: &mut Ctx) -> Outcome {
        match self.rows.get(self.list.selected) {
            Some(Row::Branch {
                project,
                info,
                merge: Some(_),
                ..
            }) => Outcome::Push(Box::new(MergeView::new(cx, project, &info.name))),
            Some(Row::Branch { info, .. }) => {
                cx.error(format!("no merge is in progress into '{}'", info.name));
                Outcome::None
            }
            _ => Outcome::None,
        }
    }
}

impl View for BranchesView {
    fn scopes(&self) -> &'static [Scope] {
        &[Scope::Branches]
    }

    fn title(&self) -> String {
        "branches".into()
    }

    fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    fn resumed(&mut self, cx: &mut Ctx) {
        self.load(cx, None);
    }

    fn on_msg(&mut self, msg: &mut Msg) -> bool {
        let Msg::AheadBehind {
            seq,
            project,
            results,
        } = msg
        else {
            return false;
        };
        if self.pending.get(project.as_str()) != Some(seq) {
            return false;
        }
        self.pending.remove(project.as_str());
        let by_name: HashMap<&str, Option<AheadBehind>> =
            results.iter().map(|(b, r)| (b.as_str(), *r)).collect();
        for row in &mut self.rows {
            if let Row::Branch {
                project: p,
                info,
                ab,
                ..
            } = row
                && p == project
                && let Some(r) = by_name.get(info.name.as_str())
            {
                *ab = *r;
            }
        }
        true
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, d: &DrawCtx) {
        let t = d.theme;
        if area.height < 2 {
            return;
        }
        let name_w = self
            .rows
            .iter()
            .map(|r| match r {
                Row::Branch { prefix, info, .. } => {
                    prefix.chars().count() + info.name.chars().count() + 2
                }
                Row::Project { .. } => 0,
            })
            .max()
            .unwrap_or(10)
            .clamp(12, 30);
        let head = format!(
            "  {:<name_w$}  {:<19}  {:<11} {:>6}  {}",
            "BRANCH", "HEAD TIME", "AHEAD/BEHIND", "LSN", "CONFLICTS"
        );
        put(
            f.buffer_mut(),
            area.x,
            area.y,
            &Line::styled(head, t.dim()),
            area.width,
        );
        let list_area = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
        if self.rows.is_empty() {
            put(
                f.buffer_mut(),
                list_area.x,
                list_area.y,
                &Line::styled(
                    "  No projects yet: `argonctl projects create --name NAME` (or `argonctl demo`)",
                    t.dim(),
                ),
                list_area.width,
            );
            return;
        }
        let rows = &self.rows;
        vlist::render(
            f.buffer_mut(),
            list_area,
            &mut self.list,
            rows.len(),
            true,
            t,
            |i| match &rows[i] {
                Row::Project {
                    name,
                    branches,
                    error,
                } => {
                    let mut spans = vec![Span::styled(format!("▾ {name}"), t.title())];
                    match error {
                        Some(e) => spans.push(Span::styled(format!("  {e}"), t.error())),
                        None => spans.push(Span::styled(
                            format!(
                                "  ({branches} branch{})",
                                if *branches == 1 { "" } else { "es" }
                            ),
                            t.dim(),
                        )),
                    }
                    Line::from(spans)
                }
                Row::Branch {
                    prefix,
                    info,
                    ab,
                    merge,
                    ..
                } => {
                    let mut name = format!("{prefix}{}", info.name);
                    if info.is_default {
                        name.push_str(" *");
                    }
                    let name: String = name.chars().take(name_w).collect();
                    let ab_text = match (info.parent.is_some(), ab) {
                        (false, _) => String::new(),
                        (true, None) => "…".into(),
                        (true, Some(a)) => format!(
                            "↑{}{} ↓{}",
                            a.ahead,
                            if a.more { "+" } else { "" },
                            a.behind
                        ),
                    };
                    let mut spans = vec![
                        Span::raw(format!("  {name:<name_w$}  ")),
                        Span::styled(format!("{:<19}", short_time(&info.head_time)), t.dim()),
                        Span::raw(format!("  {ab_text:<11} {:>6}  ", info.lsn)),
                    ];
                    if let Some((done, total)) = merge {
                        spans.push(Span::styled(
                            format!("merging {done}/{total}"),
                            t.modified(),
                        ));
                    }
                    Line::from(spans)
                }
            },
        );
    }

    fn action(&mut self, action: Action, cx: &mut Ctx) -> Outcome {
        if self.list.navigate(action, self.rows.len()) {
            return Outcome::None;
        }
        match action {
            Action::Refresh => {
                self.load(cx, None);
                Outcome::None
            }
            Action::NewBranch => match self.selected() {
                Some((project, b)) => {
                    let from = match b {
                        Some(b) => b.name.clone(),
                        None => cx.backend.default_branch(project).unwrap_or_default(),
                    };
                    Outcome::Modal(Modal::prompt(
                        NEW,
                        format!("New branch of {project} from {from}"),
                        "the new branch's name",
                        "",
                    ))
                }
                None => Outcome::None,
            },
            Action::DeleteBranch => match self.selected() {
                Some((project, Some(b))) => Outcome::Modal(Modal::confirm(
                    DELETE,
                    format!("Delete branch '{}' of project '{project}'?", b.name),
                )),
                _ => Outcome::None,
            },
            Action::DiffParent => match self.selected() {
                Some((project, Some(b))) => {
                    let (project, name) = (project.to_string(), b.name.clone());
                    match cx.backend.diff_base(&project, &name) {
                        Ok(base) => {
                            let label = match &b.parent {
                                Some(p) => format!("{p} (fork) → {name}"),
                                None => format!("previous → {name}"),
                            };
                            Outcome::Push(Box::new(DiffView::new(
                                cx, &project, &base, &name, label,
                            )))
                        }
                        Err(e) => {
                            cx.error(e);
                            Outcome::None
                        }
                    }
                }
                _ => Outcome::None,
            },
            Action::MergeInto => match self.selected() {
                Some((project, Some(b))) => {
                    let project = project.to_string();
                    let source = b.name.clone();
                    let parent = b.parent.clone();
                    let mut targets: Vec<String> = self
                        .rows
                        .iter()
                        .filter_map(|r| match r {
                            Row::Branch {
                                project: p, info, ..
                            } if *p == project && info.name != source => Some(info.name.clone()),
                            _ => None,
                        })
                        .collect();
                    if let Some(p) = parent
                        && let Some(i) = targets.iter().position(|t| *t == p)
                    {
                        let t = targets.remove(i);
                        targets.insert(0, t);
                    }
                    if targets.is_empty() {
                        cx.error("no other branch to merge into");
                        return Outcome::None;
                    }
                    self.merge_targets = targets.clone();
                    self.merge_source = Some((project, source.clone()));
                    Outcome::Modal(Modal::pick(MERGE, format!("Merge {source} into…"), targets))
                }
                _ => Outcome::None,
            },
            Action::OpenLog => match self.selected() {
                Some((project, Some(b))) => {
                    Outcome::Push(Box::new(LogView::new(cx, project, &b.name)))
                }
                _ => Outcome::None,
            },
            Action::OpenMerge => self.open_merge(cx),
            _ => Outcome::Unhandled,
        }
    }

    fn answer(&mut self, tag: u32, r: ModalResult, cx: &mut Ctx) -> Outcome {
        match (tag, r) {
            (NEW, ModalResult::Text(name)) => {
                let name = name.trim().to_string();
                if name.is_empty() {
                    return Outcome::KeepModal("give the branch a name".into());
                }
                let Some((project, b)) = self.selected() else {
                    return Outcome::None;
                };
                let project = project.to_string();
                let from = match b {
                    Some(b) => b.name.clone(),
                    None => cx.backend.default_branch(&project).unwrap_or_default(),
                };
                match cx.backend.create_branch(&project, &name, &from) {
                    Ok(_) => {
                        cx.info(format!("Created branch {name} from {from}"));
                        self.load(cx, Some((project, name)));
                        Outcome::None
                    }
                    Err(e) => Outcome::KeepModal(e.to_string()),
                }
            }
            (DELETE, ModalResult::Yes) => {
                if let Some((project, Some(b))) = self.selected() {
                    let (project, name) = (project.to_string(), b.name.clone());
                    match cx.backend.delete_branch(&project, &name) {
                        Ok(()) => {
                            cx.info(format!("Deleted branch {name}"));
                            self.load(cx, Some((project, String::new())));
                        }
                        Err(e) => cx.error(e),
                    }
                }
                Outcome::None
            }
            (MERGE, ModalResult::Picked(i)) => {
                let (Some((project, source)), Some(into)) =
                    (self.merge_source.take(), self.merge_targets.get(i).cloned())
                else {
                    return Outcome::None;
                };
                match cx.backend.merge(
                    &project,
                    &source,
                    &into,
                    &Policy::new(Strategy::Fail),
                    false,
                ) {
                    Ok(r) if r.status == MergeStatus::Conflicts => {
                        self.load(cx, None);
                        Outcome::Push(Box::new(MergeView::new(cx, &project, &into)))
                    }
                    Ok(r) => {
                        let what = match r.status {
                            MergeStatus::UpToDate => format!("{into} is up to date with {source}"),
                            MergeStatus::FastForward => {
                                format!("Fast-forwarded {into} to {source}")
                            }
                            _ => format!(
                                "Merged {source} into {into} ({} document changes)",
                                r.changes.len()
                            ),
                        };
                        cx.info(what);
                        self.load(cx, None);
                        Outcome::None
                    }
                    Err(e) => {
                        cx.error(e);
                        Outcome::None
                    }
                }
            }
            _ => Outcome::None,
        }
    }
}
