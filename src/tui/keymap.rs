//! Actions, their default keys, and overrides from a config file.
//!
//! Every key the UI reacts to is an [`Action`] in [`ACTIONS`]; the help bar
//! and the `?` overlay are generated from the same table, so they always
//! show the keys in force. A config file (`$ARGON_CONFIG`, else
//! `~/.config/argon/config.toml`; TOML, or JSON when it ends in `.json`)
//! rebinds actions by name in a `[keys]` section:
//!
//! ```toml
//! [keys]
//! take_ours = "O"
//! quit = ["q", "ctrl-q"]
//! ```

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Where an action applies. `Global` actions work in every view unless the
/// view binds the same key to something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Branches,
    Log,
    Diff,
    Document,
    Merge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Back,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Refresh,
    NewBranch,
    DeleteBranch,
    DiffParent,
    MergeInto,
    OpenLog,
    OpenMerge,
    Mark,
    DiffPoints,
    BranchFrom,
    SwitchPane,
    Filter,
    Search,
    ToggleLayout,
    NextChange,
    PrevChange,
    TakeOurs,
    TakeTheirs,
    TakeBase,
    EditInline,
    EditExternal,
    AllOurs,
    AllTheirs,
    AllBase,
    Commit,
    Abort,
}

pub struct ActionInfo {
    pub action: Action,
    /// The name used in the config file.
    pub name: &'static str,
    pub help: &'static str,
    pub scope: Scope,
    pub keys: &'static [&'static str],
    /// Shown in the help bar (the rest only in the `?` overlay).
    pub bar: bool,
}

macro_rules! a {
    ($action:ident, $name:literal, $scope:ident, [$($k:literal),*], $bar:literal, $help:literal) => {
        ActionInfo {
            action: Action::$action,
            name: $name,
            help: $help,
            scope: Scope::$scope,
            keys: &[$($k),*],
            bar: $bar,
        }
    };
}

#[rustfmt::skip]
pub const ACTIONS: &[ActionInfo] = &[
    a!(Quit, "quit", Global, ["q", "ctrl-c"], true, "quit (q goes back first)"),
    a!(Back, "back", Global, ["esc"], false, "back to the previous view"),
    a!(Help, "help", Global, ["?", "f1"], true, "show all keys"),
    a!(Up, "up", Global, ["up", "k"], false, "move up"),
    a!(Down, "down", Global, ["down", "j"], false, "move down"),
    a!(PageUp, "page_up", Global, ["pgup", "ctrl-b"], false, "page up"),
    a!(PageDown, "page_down", Global, ["pgdn", "ctrl-f", "space"], false, "page down"),
    a!(Top, "top", Global, ["home", "g"], false, "first row"),
    a!(Bottom, "bottom", Global, ["end", "G"], false, "last row"),
    a!(Refresh, "refresh", Global, ["r", "ctrl-r"], false, "reload"),
    a!(OpenLog, "open_log", Branches, ["enter", "l"], true, "open the log"),
    a!(NewBranch, "new_branch", Branches, ["n"], true, "create a branch from this one"),
    a!(DeleteBranch, "delete_branch", Branches, ["D"], true, "delete the branch"),
    a!(DiffParent, "diff_parent", Branches, ["d"], true, "diff against its parent"),
    a!(MergeInto, "merge_into", Branches, ["m"], true, "merge into another branch"),
    a!(OpenMerge, "open_merge", Branches, ["c"], true, "open the merge in progress"),
    a!(Mark, "mark", Log, ["space", "v"], true, "mark a point (two to diff)"),
    a!(DiffPoints, "diff_points", Log, ["d", "enter"], true, "diff the marked points (or this one)"),
    a!(BranchFrom, "branch_from", Log, ["b"], true, "create a branch at this point"),
    a!(SwitchPane, "switch_pane", Diff, ["tab", "left", "right"], true, "collections / documents"),
    a!(Open, "open", Diff, ["enter"], true, "open the document"),
    a!(Filter, "filter", Diff, ["f"], true, "filter: all / added / removed / modified"),
    a!(Search, "search", Diff, ["/"], true, "search _id and changed fields"),
    a!(ToggleLayout, "toggle_layout", Document, ["s"], true, "unified / side by side"),
    a!(NextChange, "next_change", Document, ["n"], true, "next change"),
    a!(PrevChange, "prev_change", Document, ["N"], true, "previous change"),
    a!(TakeOurs, "take_ours", Merge, ["o"], true, "take ours"),
    a!(TakeTheirs, "take_theirs", Merge, ["t"], true, "take theirs"),
    a!(TakeBase, "take_base", Merge, ["b"], true, "take base"),
    a!(EditInline, "edit_inline", Merge, ["e"], true, "edit the value (inline)"),
    a!(EditExternal, "edit_external", Merge, ["E"], false, "edit the value in $EDITOR"),
    a!(AllOurs, "all_ours", Merge, ["O"], false, "ours for all open conflicts of the collection"),
    a!(AllTheirs, "all_theirs", Merge, ["T"], false, "theirs for all open conflicts of the collection"),
    a!(AllBase, "all_base", Merge, ["B"], false, "base for all open conflicts of the collection"),
    a!(Commit, "commit", Merge, ["c"], true, "commit the merge"),
    a!(Abort, "abort", Merge, ["a"], true, "abort the merge"),
];

/// A key with the modifiers that matter (ctrl, alt); shift is folded into
/// the character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Char(' ') => {
                mods = KeyModifiers::empty();
                KeyCode::Char(' ')
            }
            c => c,
        };
        Some(Key { code, mods })
    }

    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::empty();
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").or(lower.strip_prefix("c-")) {
                if r.is_empty() {
                    break;
                }
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-").or(lower.strip_prefix("m-")) {
                if r.is_empty() {
                    break;
                }
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let named = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "tab" => Some(KeyCode::Tab),
            "backtab" | "shift-tab" => Some(KeyCode::BackTab),
            "space" => Some(KeyCode::Char(' ')),
            "backspace" => Some(KeyCode::Backspace),
            "del" | "delete" => Some(KeyCode::Delete),
            "up" => Some(KeyCode::Up),
            "down" => Some(KeyCode::Down),
            "left" => Some(KeyCode::Left),
            "right" => Some(KeyCode::Right),
            "pgup" | "pageup" => Some(KeyCode::PageUp),
            "pgdn" | "pagedown" => Some(KeyCode::PageDown),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            f if f.len() >= 2 && f.starts_with('f') => f[1..].parse::<u8>().ok().map(KeyCode::F),
            _ => None,
        };
        let code = match named {
            Some(c) => c,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        if mods.contains(KeyModifiers::CONTROL) {
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => return Err(format!("unknown key '{s}'")),
                }
            }
        };
        Ok(Key { code, mods })
    }

    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("alt-");
        }
        match self.code {
            KeyCode::Char(' ') => s.push_str("space"),
            KeyCode::Char(c) => s.push(c),
            KeyCode::Enter => s.push_str("enter"),
            KeyCode::Esc => s.push_str("esc"),
            KeyCode::Tab => s.push_str("tab"),
            KeyCode::BackTab => s.push_str("backtab"),
            KeyCode::Backspace => s.push_str("backspace"),
            KeyCode::Delete => s.push_str("del"),
            KeyCode::Up => s.push('↑'),
            KeyCode::Down => s.push('↓'),
            KeyCode::Left => s.push('←'),
            KeyCode::Right => s.push('→'),
            KeyCode::PageUp => s.push_str("pgup"),
            KeyCode::PageDown => s.push_str("pgdn"),
            KeyCode::Home => s.push_str("home"),
            KeyCode::End => s.push_str("end"),
            KeyCode::F(n) => s.push_str(&format!("f{n}")),
            other => s.push_str(&format!("{other:?}").to_lowercase()),
        }
        s
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    map: HashMap<(Scope, Key), Action>,
    /// The keys of each (scope, action), in order, for help texts.
    keys: HashMap<(Scope, Action), Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::with_overrides(&BTreeMap::new())
            .map(|(k, _)| k)
            .unwrap_or_else(|_| Keymap {
                map: HashMap::new(),
                keys: HashMap::new(),
            })
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, serde::Deserialize)]
struct ConfigFile {
    #[serde(default)]
    keys: BTreeMap<String, KeySpec>,
}

impl Keymap {
    /// The defaults with some actions rebound (by config name). Returns the
    /// keymap and warnings for names or keys it did not understand.
    pub fn with_overrides(
        overrides: &BTreeMap<String, KeySpec>,
    ) -> Result<(Keymap, Vec<String>), String> {
        let mut warnings = Vec::new();
        let mut parsed: HashMap<&str, Vec<Key>> = HashMap::new();
        for (name, spec) in overrides {
            if !ACTIONS.iter().any(|a| a.name == name) {
                warnings.push(format!("config: unknown action '{name}' in [keys]"));
                continue;
            }
            let list = match spec {
                KeySpec::One(s) => vec![s.clone()],
                KeySpec::Many(v) => v.clone(),
            };
            let mut keys = Vec::new();
            for k in list {
                match Key::parse(&k) {
                    Ok(k) => keys.push(k),
                    Err(e) => warnings.push(format!("config: {e} for '{name}'")),
                }
            }
            parsed.insert(name.as_str(), keys);
        }
        let mut km = Keymap {
            map: HashMap::new(),
            keys: HashMap::new(),
        };
        // Defaults first, then overridden actions, so a rebinding wins over
        // a default that used the same key.
        for pass in [false, true] {
            for info in ACTIONS {
                let over = parsed.get(info.name);
                if over.is_some() != pass {
                    continue;
                }
                let keys: Vec<Key> = match over {
                    Some(k) => k.clone(),
                    None => info
                        .keys
                        .iter()
                        .map(|k| Key::parse(k))
                        .collect::<Result<_, _>>()?,
                };
                for k in &keys {
                    if let Some(old) = km.map.insert((info.scope, *k), info.action)
                        && old != info.action
                        && let Some(v) = km.keys.get_mut(&(info.scope, old))
                    {
                        v.retain(|x| x != k);
                    }
                }
                km.keys
                    .entry((info.scope, info.action))
                    .or_default()
                    .extend(keys);
            }
        }
        Ok((km, warnings))
    }

    /// Loads `$ARGON_CONFIG` or `~/.config/argon/config.toml` if present.
    pub fn load() -> (Keymap, Vec<String>) {
        let Some(path) = config_path() else {
            return (Keymap::default(), vec![]);
        };
        match Self::load_from(&path) {
            Ok(r) => r,
            Err(e) => (Keymap::default(), vec![e]),
        }
    }

    pub fn load_from(path: &Path) -> Result<(Keymap, Vec<String>), String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Keymap::default(), vec![]));
            }
            Err(e) => return Err(format!("config {}: {e}", path.display())),
        };
        let cfg: ConfigFile = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| format!("config {}: {e}", path.display()))?
        } else {
            toml::from_str(&text).map_err(|e| format!("config {}: {e}", path.display()))?
        };
        Self::with_overrides(&cfg.keys)
    }

    /// The action for a key in a view: its own scopes first, then global.
    pub fn action(&self, scopes: &[Scope], key: Key) -> Option<Action> {
        scopes
            .iter()
            .chain(std::iter::once(&Scope::Global))
            .find_map(|s| self.map.get(&(*s, key)).copied())
    }

    pub fn keys(&self, scope: Scope, action: Action) -> &[Key] {
        self.keys
            .get(&(scope, action))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// "k1/k2" for an action in the first scope that binds it.
    pub fn label(&self, scopes: &[Scope], action: Action) -> Option<String> {
        scopes
            .iter()
            .chain(std::iter::once(&Scope::Global))
            .map(|s| self.keys(*s, action))
            .find(|k| !k.is_empty())
            .map(|k| {
                k.iter()
                    .take(2)
                    .map(Key::label)
                    .collect::<Vec<_>>()
                    .join("/")
            })
    }

    /// (keys, help) for the help bar of a view.
    pub fn bar(&self, scopes: &[Scope]) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for scope in scopes.iter().chain(std::iter::once(&Scope::Global)) {
            for info in ACTIONS.iter().filter(|a| a.scope == *scope && a.bar) {
                if let Some(k) = self.keys(*scope, info.action).first() {
                    let short = match info.action {
                        Action::Help => "help",
                        Action::Quit => "quit",
                        Action::Filter => "filter",
                        Action::Search => "search",
                        Action::Open => "open",
                        Action::Mark => "mark",
                        Action::Commit => "commit",
                        Action::Abort => "abort",
                        Action::NewBranch => "new",
                        Action::DeleteBranch => "delete",
                        Action::DiffParent => "diff",
                        Action::MergeInto => "merge",
                        Action::OpenLog => "log",
                        Action::OpenMerge => "conflicts",
                        Action::DiffPoints => "diff",
                        Action::BranchFrom => "branch",
                        Action::SwitchPane => "pane",
                        Action::ToggleLayout => "layout",
                        Action::NextChange => "next",
                        Action::PrevChange => "prev",
                        Action::TakeOurs => "ours",
                        Action::TakeTheirs => "theirs",
                        Action::TakeBase => "base",
                        Action::EditInline => "edit",
                        _ => info.name,
                    };
                    out.push((k.label(), short));
                }
            }
        }
        out
    }

    /// Every (keys, help) line of a view, for the `?` overlay.
    pub fn help(&self, scopes: &[Scope]) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for scope in scopes.iter().chain(std::iter::once(&Scope::Global)) {
            for info in ACTIONS.iter().filter(|a| a.scope == *scope) {
                let keys = self.keys(*scope, info.action);
                if keys.is_empty() {
                    continue;
                }
                let label = keys.iter().map(Key::label).collect::<Vec<_>>().join(" ");
                out.push((label, info.help));
            }
        }
        out
    }
}

pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ARGON_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("argon").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn parses_and_labels_keys() {
        assert_eq!(key("ctrl-c").label(), "ctrl-c");
        assert_eq!(key("C-X").label(), "ctrl-x");
        assert_eq!(key("G").label(), "G");
        assert_eq!(key("pgdn").code, KeyCode::PageDown);
        assert_eq!(key("f1").code, KeyCode::F(1));
        assert!(Key::parse("nope").is_err());
    }

    #[test]
    fn defaults_resolve_by_scope() {
        let km = Keymap::default();
        let scopes = [Scope::Merge];
        assert_eq!(km.action(&scopes, key("o")), Some(Action::TakeOurs));
        assert_eq!(km.action(&scopes, key("q")), Some(Action::Quit));
        assert_eq!(
            km.action(&[Scope::Branches], key("d")),
            Some(Action::DiffParent)
        );
        assert_eq!(
            km.action(&[Scope::Document], key("n")),
            Some(Action::NextChange)
        );
    }

    #[test]
    fn config_rebinds_actions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(
            &p,
            "[keys]\ntake_ours = \"1\"\nquit = [\"x\", \"ctrl-q\"]\nbogus = \"z\"\n",
        )
        .unwrap();
        let (km, warnings) = Keymap::load_from(&p).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(km.action(&[Scope::Merge], key("1")), Some(Action::TakeOurs));
        assert_eq!(km.action(&[Scope::Merge], key("o")), None);
        assert_eq!(
            km.action(&[Scope::Merge], key("ctrl-q")),
            Some(Action::Quit)
        );
        assert_eq!(km.label(&[Scope::Merge], Action::TakeOurs).unwrap(), "1");
        let j = dir.path().join("c.json");
        std::fs::write(&j, r#"{"keys": {"commit": "C"}}"#).unwrap();
        let (km, w) = Keymap::load_from(&j).unwrap();
        assert!(w.is_empty());
        assert_eq!(km.action(&[Scope::Merge], key("C")), Some(Action::Commit));
    }
}
