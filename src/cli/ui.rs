//! Where output goes: data to stdout (as a table, JSON or YAML), status,
//! progress and hints to stderr; color only on terminals without NO_COLOR.

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum OutputFormat {
    /// Human-readable tables and text
    #[default]
    Table,
    /// Stable machine-readable JSON
    Json,
    /// The same data as YAML
    Yaml,
}

pub struct Ui {
    pub format: OutputFormat,
    pub color: bool,
    pub quiet: bool,
    pub progress: bool,
}

impl Ui {
    pub fn new(format: OutputFormat, no_color: bool, quiet: bool) -> Ui {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        Ui {
            format,
            color: stdout_tty && !no_color && !no_color_env,
            quiet,
            progress: stderr_tty && !quiet,
        }
    }

    pub fn is_machine(&self) -> bool {
        self.format != OutputFormat::Table
    }

    /// Prints structured data: `table` renders the human form.
    pub fn data<T: Serialize>(
        &self,
        value: &T,
        table: impl FnOnce() -> String,
    ) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        match self.format {
            OutputFormat::Table => {
                let text = table();
                out.write_all(text.as_bytes())?;
                if !text.is_empty() && !text.ends_with('\n') {
                    out.write_all(b"\n")?;
                }
            }
            OutputFormat::Json => {
                let v = serde_json::to_value(value).map_err(std::io::Error::other)?;
                serde_json::to_writer_pretty(&mut out, &v).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
            OutputFormat::Yaml => {
                let v = serde_json::to_value(value).map_err(std::io::Error::other)?;
                let mut s = String::new();
                yaml(&v, 0, &mut s, false);
                out.write_all(s.as_bytes())?;
            }
        }
        out.flush()
    }

    /// A line of raw data on stdout (documents, diffs).
    pub fn line(&self, s: &str) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(s.as_bytes())?;
        out.write_all(b"\n")
    }

    pub fn status(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    pub fn hint(&self, msg: &str) {
        if !self.quiet {
            eprintln!(
                "{}",
                self.paint(
                    &format!("Hint: {msg}"),
                    Style::new().fg_color(Some(AnsiColor::Cyan.into()))
                )
            );
        }
    }

    pub fn paint(&self, s: &str, style: Style) -> String {
        if self.color {
            format!("{style}{s}{style:#}")
        } else {
            s.to_string()
        }
    }

    pub fn green(&self, s: &str) -> String {
        self.paint(s, Style::new().fg_color(Some(AnsiColor::Green.into())))
    }

    pub fn red(&self, s: &str) -> String {
        self.paint(s, Style::new().fg_color(Some(AnsiColor::Red.into())))
    }

    pub fn yellow(&self, s: &str) -> String {
        self.paint(s, Style::new().fg_color(Some(AnsiColor::Yellow.into())))
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint(s, Style::new().bold())
    }

    pub fn dim(&self, s: &str) -> String {
        self.paint(s, Style::new().dimmed())
    }

    /// A progress bar on stderr when it is a terminal; hidden otherwise.
    pub fn progress_bar(&self, len: Option<u64>, what: &str) -> indicatif::ProgressBar {
        if !self.progress {
            return indicatif::ProgressBar::hidden();
        }
        let bar = match len {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let template = if len.is_some() {
            "{msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta})"
        } else {
            "{spinner} {msg} {pos} ({per_sec})"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        bar
    }
}

/// Renders rows as aligned columns with a header.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
    }
    let mut out = String::new();
    let fmt_row = |cells: Vec<&str>, out: &mut String| {
        let n = cells.len();
        for (i, c) in cells.into_iter().enumerate() {
            out.push_str(c);
            if i + 1 < n {
                out.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        out.push('\n');
    };
    fmt_row(headers.to_vec(), &mut out);
    for r in rows {
        fmt_row(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

fn yaml_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => {
            let plain = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./@ ".contains(c))
                && !s.starts_with(' ')
                && !s.ends_with(' ')
                && !matches!(s.as_str(), "true" | "false" | "null" | "yes" | "no" | "~")
                && s.parse::<f64>().is_err();
            if plain {
                s.clone()
            } else {
                serde_json::to_string(s).unwrap_or_default()
            }
        }
        _ => String::new(),
    }
}

/// A small YAML emitter for JSON values (block style, JSON-quoted strings
/// where needed), enough for stable machine output.
fn yaml(v: &serde_json::Value, indent: usize, out: &mut String, in_list: bool) {
    let pad = " ".repeat(indent);
    match v {
        serde_json::Value::Object(m) if !m.is_empty() => {
            for (i, (k, val)) in m.iter().enumerate() {
                let prefix = if in_list && i == 0 {
                    String::new()
                } else {
                    pad.clone()
                };
                let key = yaml_scalar(&serde_json::Value::String(k.clone()));
                match val {
                    serde_json::Value::Object(c) if !c.is_empty() => {
                        out.push_str(&format!("{prefix}{key}:\n"));
                        yaml(val, indent + 2, out, false);
                    }
                    serde_json::Value::Array(c) if !c.is_empty() => {
                        out.push_str(&format!("{prefix}{key}:\n"));
                        yaml(val, indent, out, false);
                    }
                    _ => {
                        out.push_str(&format!("{prefix}{key}: "));
                        yaml(val, indent + 2, out, false);
                    }
                }
            }
        }
        serde_json::Value::Array(a) if !a.is_empty() => {
            for item in a {
                out.push_str(&format!("{pad}- "));
                match item {
                    serde_json::Value::Object(m) if !m.is_empty() => {
                        yaml(item, indent + 2, out, true)
                    }
                    serde_json::Value::Array(x) if !x.is_empty() => {
                        out.push('\n');
                        yaml(item, indent + 2, out, false)
                    }
                    _ => yaml(item, indent + 2, out, false),
                }
            }
        }
        serde_json::Value::Object(_) => out.push_str("{}\n"),
        serde_json::Value::Array(_) => out.push_str("[]\n"),
        scalar => {
            out.push_str(&yaml_scalar(scalar));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_shapes() {
        let v =
            serde_json::json!({"a": 1, "b": [{"x": "y", "z": [1, 2]}, "s"], "c": {}, "d": "true"});
        let mut s = String::new();
        yaml(&v, 0, &mut s, false);
        assert_eq!(
            s,
            "a: 1\nb:\n- x: y\n  z:\n  - 1\n  - 2\n- s\nc: {}\nd: \"true\"\n"
        );
    }

    #[test]
    fn table_aligns() {
        let t = table(
            &["NAME", "X"],
            &[
                vec!["main".into(), "1".into()],
                vec!["feature".into(), "22".into()],
            ],
        );
        assert_eq!(t, "NAME     X\nmain     1\nfeature  22\n");
    }
}
