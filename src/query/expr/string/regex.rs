//! `$regexMatch $regexFind $regexFindAll`: `{input, regex, options}`.
//!
//! Options are mongod's `i m s x` (and `u`, a no-op). A constant `regex`
//! (and `options`) is compiled once, when the expression is parsed.
//! Match positions (`idx`) are code-point indexes. The `regex` crate has no
//! look-around or back-references: such patterns are reported as invalid
//! (51111).

use super::{all_literal, as_str, fold};
use crate::query::error::{QueryError, type_name};
use crate::query::expr::args::{named_doc, nullish};
use crate::query::expr::{Ctx, Node, Operator, ParseCtx, Value, parse as parse_expr};
use bson::{Bson, Document, doc};
use regex::{Regex, RegexBuilder};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Match,
    Find,
    FindAll,
}

#[derive(Debug)]
struct RegexOp {
    name: &'static str,
    kind: Kind,
    input: Node,
    regex: Node,
    options: Option<Node>,
    /// The compiled constant regex (`None` inside: a null pattern).
    pre: Option<Option<Regex>>,
}

/// mongod's `extractRegexAndOptions` then `compile`: `None` for a nullish
/// pattern.
fn compile(name: &str, regex: &Value, options: &Value) -> Result<Option<Regex>, QueryError> {
    let pattern_ok = nullish(regex)
        || matches!(
            regex,
            Some(Bson::String(_)) | Some(Bson::RegularExpression(_))
        );
    if !pattern_ok {
        return Err(QueryError::location(
            51105,
            format!("{name} needs 'regex' to be of type string or regex"),
        ));
    }
    if !nullish(options) && as_str(options).is_none() {
        return Err(QueryError::location(
            51106,
            format!("{name} needs 'options' to be of type string"),
        ));
    }
    let mut flags = String::new();
    let pattern = match regex {
        Some(Bson::RegularExpression(r)) => {
            if !nullish(options) && !r.options.is_empty() {
                return Err(QueryError::location(
                    51107,
                    format!(
                        "{name}: found regex option(s) specified in both 'regex' and 'option' \
                         fields"
                    ),
                ));
            }
            flags.push_str(r.options.as_str());
            Some(r.pattern.as_str().to_string())
        }
        Some(Bson::String(s)) => Some(s.clone()),
        _ => None,
    };
    if let Some(o) = as_str(options) {
        flags = o.to_string();
    }
    if pattern.as_ref().is_some_and(|p| p.contains('\0')) {
        return Err(QueryError::location(
            51109,
            format!("{name}: regular expression cannot contain an embedded null byte"),
        ));
    }
    if flags.contains('\0') {
        return Err(QueryError::location(
            51110,
            format!("{name}: regular expression options cannot contain an embedded null byte"),
        ));
    }
    let Some(pattern) = pattern else {
        return Ok(None);
    };
    let mut b = RegexBuilder::new(&pcre_to_rust(&pattern));
    for c in flags.chars() {
        match c {
            'i' => b.case_insensitive(true),
            'm' => b.multi_line(true),
            's' => b.dot_matches_new_line(true),
            'x' => b.ignore_whitespace(true),
            'u' => &mut b,
            other => {
                return Err(QueryError::location(
                    51108,
                    format!("{name} invalid flag in regex options: {other}"),
                ));
            }
        };
    }
    b.build().map(Some).map_err(|e| {
        let msg = match e {
            regex::Error::Syntax(s) => s.lines().last().unwrap_or_default().to_string(),
            other => other.to_string(),
        };
        QueryError::location(51111, format!("Invalid Regex in {name}: {msg}"))
    })
}

/// PCRE's character types without `(*UCP)` are ASCII (`\\w` does not
/// match `é`), where the `regex` crate's are Unicode; a `[` inside a class
/// is a literal in PCRE. Rewrites a PCRE pattern to match as PCRE does.
fn pcre_to_rust(pattern: &str) -> String {
    let mut rest = pattern;
    let mut ucp = false;
    loop {
        if let Some(r) = rest.strip_prefix("(*UCP)") {
            ucp = true;
            rest = r;
        } else if let Some(r) = rest
            .strip_prefix("(*UTF8)")
            .or_else(|| rest.strip_prefix("(*UTF)"))
        {
            rest = r;
        } else {
            break;
        }
    }
    const SPACE: &str = "\\t\\n\\x0B\\x0C\\r\\x20";
    const WORD: &str = "0-9A-Za-z_";
    let mut out = String::with_capacity(rest.len() + 16);
    let mut chars = rest.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let ascii = !ucp;
                match (e, in_class) {
                    ('d', false) if ascii => out.push_str("[0-9]"),
                    ('D', _) if ascii => out.push_str("[^0-9]"),
                    ('w', false) if ascii => out.push_str(&format!("[{WORD}]")),
                    ('W', _) if ascii => out.push_str(&format!("[^{WORD}]")),
                    ('s', false) if ascii => out.push_str(&format!("[{SPACE}]")),
                    ('S', _) if ascii => out.push_str(&format!("[^{SPACE}]")),
                    ('d', true) if ascii => out.push_str("0-9"),
                    ('w', true) if ascii => out.push_str(WORD),
                    ('s', true) if ascii => out.push_str(SPACE),
                    ('b', false) if ascii => out.push_str("(?-u:\\b)"),
                    ('B', false) if ascii => out.push_str("(?-u:\\B)"),
                    // Without look-ahead, "end or before a final newline"
                    // is approximated by the end.
                    ('Z', false) => out.push_str("\\z"),
                    (e, _) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                // A `]` first in a class is a literal.
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            '[' if chars.peek() == Some(&':') => {
                // A POSIX class, `[:alpha:]`.
                out.push('[');
                for p in chars.by_ref() {
                    out.push(p);
                    if p == ']' {
                        break;
                    }
                }
            }
            // Literals in a PCRE class that the `regex` crate reads as set
            // operators, nested classes or (with `x`) comments and
            // ignorable space.
            '[' | '&' | '~' | '#' if in_class => {
                out.push('\\');
                out.push(c);
            }
            c if in_class && c.is_whitespace() => {
                out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// One match at or after byte `start` (`cp_start` code points): the match
/// document and the match's byte range.
fn next_match(
    re: &Regex,
    input: &str,
    start: usize,
    cp_start: usize,
) -> Option<(Document, usize, usize)> {
    let caps = re.captures_at(input, start)?;
    let m = caps.get(0)?;
    let idx = cp_start + input.get(start..m.start()).map_or(0, |s| s.chars().count());
    let captures: Vec<Bson> = (1..caps.len())
        .map(|i| {
            caps.get(i)
                .map_or(Bson::Null, |c| Bson::String(c.as_str().to_string()))
        })
        .collect();
    Some((
        doc! {
            "match": m.as_str(),
            "idx": i32::try_from(idx).unwrap_or(i32::MAX),
            "captures": captures,
        },
        m.start(),
        m.end(),
    ))
}

impl Operator for RegexOp {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = self.input.eval(cx)?;
        let regex = self.regex.eval(cx)?;
        let options = match &self.options {
            Some(o) => o.eval(cx)?,
            None => None,
        };
        let compiled;
        let re = match &self.pre {
            Some(re) => re.as_ref(),
            None => {
                compiled = compile(self.name, &regex, &options)?;
                compiled.as_ref()
            }
        };
        if !nullish(&input) && as_str(&input).is_none() {
            return Err(QueryError::location(
                51104,
                format!("{} needs 'input' to be of type string", self.name),
            ));
        }
        let (Some(re), Some(s)) = (re, as_str(&input)) else {
            return Ok(Some(match self.kind {
                Kind::Match => Bson::Boolean(false),
                Kind::Find => Bson::Null,
                Kind::FindAll => Bson::Array(Vec::new()),
            }));
        };
        Ok(Some(match self.kind {
            Kind::Match => Bson::Boolean(re.is_match(s)),
            Kind::Find => next_match(re, s, 0, 0).map_or(Bson::Null, |(d, _, _)| d.into()),
            Kind::FindAll => {
                let mut out = Vec::new();
                let (mut pos, mut cp) = (0usize, 0usize);
                loop {
                    let Some((d, start, end)) = next_match(re, s, pos, cp) else {
                        break;
                    };
                    cp += s.get(pos..start).map_or(0, |x| x.chars().count());
                    out.push(Bson::Document(d));
                    if start == end {
                        // An empty match: move on one character.
                        match s.get(start..).and_then(|r| r.chars().next()) {
                            Some(c) => {
                                pos = start + c.len_utf8();
                                cp += 1;
                            }
                            None => break,
                        }
                    } else {
                        cp += s.get(start..end).map_or(0, |x| x.chars().count());
                        pos = end;
                    }
                    if pos >= s.len() {
                        break;
                    }
                }
                Bson::Array(out)
            }
        }))
    }
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let (name, kind) = match name {
        "$regexMatch" => ("$regexMatch", Kind::Match),
        "$regexFind" => ("$regexFind", Kind::Find),
        _ => ("$regexFindAll", Kind::FindAll),
    };
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            51103,
            format!(
                "{name} expects an object of named arguments but found: {}",
                type_name(arg)
            ),
        ));
    };
    let [input, regex, options] = named_doc(name, d, ["input", "regex", "options"], 31024)?;
    let input = input
        .ok_or_else(|| QueryError::location(31022, format!("{name} requires 'input' parameter")))?;
    let regex = regex
        .ok_or_else(|| QueryError::location(31023, format!("{name} requires 'regex' parameter")))?;
    let input = parse_expr(input, pc)?;
    let regex = parse_expr(regex, pc)?;
    let options = options.map(|o| parse_expr(o, pc)).transpose()?;
    let pre = match (&regex, &options) {
        (Node::Literal(r), None) => Some(compile(name, &Some(r.clone()), &None)?),
        (Node::Literal(r), Some(Node::Literal(o))) => {
            Some(compile(name, &Some(r.clone()), &Some(o.clone()))?)
        }
        _ => None,
    };
    let constant = all_literal([Some(&input), Some(&regex), options.as_ref()]);
    fold(
        RegexOp {
            name,
            kind,
            input,
            regex,
            options,
            pre,
        },
        constant,
    )
}
