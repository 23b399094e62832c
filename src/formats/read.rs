//! Finding data files and streaming documents out of them.
//!
//! JSON files are cut into top-level values by a small byte scanner (it only
//! tracks strings and bracket depth), and each value is parsed on its own
//! with `serde_json::from_slice`. That keeps memory bounded by one document,
//! lets an error in one document be reported at its real line and column and
//! reading go on with the next one, and handles NDJSON, concatenated
//! pretty-printed documents and JSON arrays with one code path.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use bson::error::ErrorKind;
use bson::raw::{RawBsonRef, RawDocument};
use bson::{Bson, Document, JavaScriptCodeWithScope};
use serde_json::{Map, Value};

/// Largest BSON document accepted from a `.bson` file: MongoDB's own limit
/// for documents it hands out (16 MiB plus 16 KiB of internal headroom).
/// A larger length prefix means a corrupt file or one that is not BSON, and
/// refusing it avoids allocating whatever a garbage length claims.
pub const MAX_BSON_DOCUMENT_SIZE: usize = 16 * 1024 * 1024 + 16 * 1024;

/// Largest single top-level JSON value. A 16 MiB BSON document can take
/// several times its size as Extended JSON, so this is generous; it exists so
/// that a missing closing brace or quote cannot make the reader pull a whole
/// multi-gigabyte file into memory looking for the end of one document.
pub const MAX_JSON_VALUE_SIZE: usize = 256 * 1024 * 1024;

/// Deepest nesting accepted in a `.bson` document (MongoDB's default
/// `maxBSONDepth`). Converting a raw document recurses once per level, so a
/// crafted file nesting millions of levels would otherwise overflow the
/// stack. JSON input is already bounded by serde_json's recursion limit.
pub const MAX_BSON_DEPTH: usize = 200;

/// Read buffer size; large enough that refills are rare next to parsing.
const BUFFER_SIZE: usize = 256 * 1024;

/// How a file's documents are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Extended JSON: NDJSON, a JSON array, or concatenated documents.
    Json,
    /// Raw BSON documents back to back, as mongodump writes them.
    Bson,
}

/// One file to import and the collection it fills.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The file stem: `users.json` -> `users`.
    pub collection: String,
    pub format: Format,
}

/// Why a file or one of its documents could not be read.
///
/// Lines and columns are 1-based; columns count bytes, as serde_json does.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The text is not JSON.
    #[error("{}:{line}:{column}: {reason}", .path.display())]
    Syntax {
        path: PathBuf,
        line: u64,
        column: u64,
        reason: String,
    },
    /// A top-level value that is not a document (an array, a string, ...).
    #[error("{}:{line}:{column}: expected a JSON object, found {found}", .path.display())]
    NotADocument {
        path: PathBuf,
        line: u64,
        column: u64,
        found: &'static str,
    },
    /// Valid JSON that is not valid Extended JSON; `line` is where the
    /// document starts.
    #[error("{}:{line}: {reason}", .path.display())]
    ExtendedJson {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    /// A bad document in a `.bson` file; `index` is 1-based and `offset` is
    /// the byte where the document starts.
    #[error("{}: document {index} at byte {offset}: {reason}", .path.display())]
    Bson {
        path: PathBuf,
        index: u64,
        offset: u64,
        reason: String,
    },
    /// A file or directory that cannot be imported as it is.
    #[error("{}: {reason}", .path.display())]
    Unsupported { path: PathBuf, reason: String },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> FormatError + '_ {
    move |source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn unsupported(path: &Path, reason: impl Into<String>) -> FormatError {
    FormatError::Unsupported {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

// ---------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------

/// Lists the files to import from `path`: the file itself, or the data files
/// of a directory sorted by name.
///
/// In a directory, files ending in `.json`, `.jsonl`, `.ndjson` or `.bson`
/// are taken; mongodump's `*.metadata.json`, hidden files, subdirectories and
/// other files are skipped. Compressed dumps (`.bson.gz`, `.json.gz`) and two
/// files naming the same collection are errors rather than silently skipped
/// or merged. An empty directory gives an empty list.
///
/// A single file's format comes from its extension (`.bson` is BSON,
/// `.json`/`.jsonl`/`.ndjson` are JSON) or, for any other name, from its
/// content.
pub fn discover(path: &Path) -> Result<Vec<SourceFile>, FormatError> {
    let meta = fs::metadata(path).map_err(io_error(path))?;
    if !meta.is_dir() {
        if is_metadata_file(path) {
            return Err(unsupported(
                path,
                "this is mongodump's collection metadata (indexes and options), not documents; \
                 import the .bson file next to it",
            ));
        }
        return Ok(vec![source_file(path)?]);
    }

    let mut files = Vec::new();
    for entry in fs::read_dir(path).map_err(io_error(path))? {
        let entry = entry.map_err(io_error(path))?;
        let file_path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let lower = name.to_ascii_lowercase();
        if name.starts_with('.') || is_metadata_file(&file_path) {
            continue;
        }
        if lower.ends_with(".bson.gz") || lower.ends_with(".json.gz") {
            return Err(unsupported(
                &file_path,
                "gzip-compressed files are not supported; decompress them first \
                 (for example with `gunzip`)",
            ));
        }
        let Some(format) = format_from_extension(&file_path) else {
            continue;
        };
        // fs::metadata follows symlinks, so a link to a data file counts.
        if !fs::metadata(&file_path)
            .map_err(io_error(&file_path))?
            .is_file()
        {
            continue;
        }
        files.push(SourceFile {
            collection: collection_name(&file_path)?,
            path: file_path,
            format,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let mut seen: Vec<(&str, &Path)> = Vec::with_capacity(files.len());
    for file in &files {
        if let Some((_, other)) = seen.iter().find(|(name, _)| *name == file.collection) {
            return Err(unsupported(
                path,
                format!(
                    "{} and {} would both import into collection \"{}\"; keep only one",
                    other.display(),
                    file.path.display(),
                    file.collection
                ),
            ));
        }
        seen.push((&file.collection, &file.path));
    }
    Ok(files)
}

fn is_metadata_file(path: &Path) -> bool {
    path.file_name()
        .map(|n| {
            n.to_string_lossy()
                .to_ascii_lowercase()
                .ends_with(".metadata.json")
        })
        .unwrap_or(false)
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

fn format_from_extension(path: &Path) -> Option<Format> {
    match extension(path)?.as_str() {
        "bson" => Some(Format::Bson),
        "json" | "jsonl" | "ndjson" => Some(Format::Json),
        _ => None,
    }
}

fn source_file(path: &Path) -> Result<SourceFile, FormatError> {
    let format = match format_from_extension(path) {
        Some(format) => format,
        None => sniff_format(path)?,
    };
    Ok(SourceFile {
        path: path.to_path_buf(),
        collection: collection_name(path)?,
        format,
    })
}

fn collection_name(path: &Path) -> Result<String, FormatError> {
    let stem = path
        .file_stem()
        .ok_or_else(|| unsupported(path, "no file name to take a collection name from"))?;
    stem.to_str()
        .map(str::to_owned)
        .ok_or_else(|| unsupported(path, "the file name is not valid UTF-8"))
}

/// Tells BSON from JSON by content, for files whose extension says neither.
///
/// A file is BSON when its first four bytes are a plausible document length
/// whose last byte, where the length says the document ends, is the NUL that
/// terminates every BSON document. JSON text never contains a NUL byte, so
/// this cannot mistake JSON for BSON, while a first-byte check could (a
/// 123-byte BSON document starts with 0x7B, which is `{`).
fn sniff_format(path: &Path) -> Result<Format, FormatError> {
    let mut file = File::open(path).map_err(io_error(path))?;
    let mut head = [0u8; 5];
    if read_full(&mut file, &mut head).map_err(io_error(path))? < head.len() {
        return Ok(Format::Json);
    }
    let len = i32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let Ok(len) = usize::try_from(len) else {
        return Ok(Format::Json);
    };
    let type_ok = match len {
        5 => head[4] == 0,
        _ => matches!(head[4], 0x01..=0x13 | 0x7F | 0xFF),
    };
    if !(5..=MAX_BSON_DOCUMENT_SIZE).contains(&len) || !type_ok {
        return Ok(Format::Json);
    }
    file.seek(SeekFrom::Start(len as u64 - 1))
        .map_err(io_error(path))?;
    let mut last = [0xFFu8; 1];
    let got = read_full(&mut file, &mut last).map_err(io_error(path))?;
    Ok(if got == 1 && last[0] == 0 {
        Format::Bson
    } else {
        Format::Json
    })
}

/// Reads until `buf` is full or the input ends; returns how much was read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// Streams the documents of `file`.
///
/// Opening the file (and refusing a gzip-compressed one) is the only error
/// returned directly; every later problem is an `Err` item. After an error confined to one document (bad syntax in a
/// balanced value, invalid Extended JSON, a malformed BSON document with an
/// intact length) the iterator goes on with the next document; after an
/// error that loses the document boundaries (a truncated `.bson` file, broken
/// array punctuation, an I/O error) it ends.
pub fn read_documents(
    file: &SourceFile,
) -> Result<Box<dyn Iterator<Item = Result<Document, FormatError>> + Send>, FormatError> {
    let path = file.path.clone();
    let handle = File::open(&path).map_err(io_error(&path))?;
    let mut reader = BufReader::with_capacity(BUFFER_SIZE, handle);
    let head = fill_buf(&mut reader).map_err(io_error(&path))?;
    if head.starts_with(&[0x1F, 0x8B]) {
        return Err(unsupported(
            &path,
            "the file is gzip-compressed; decompress it first (for example with `gunzip`)",
        ));
    }
    Ok(match file.format {
        Format::Json => {
            // The extension promises one document per line, so the reader
            // need not wait for the first document to tell.
            let ndjson = matches!(extension(&path).as_deref(), Some("jsonl" | "ndjson"));
            Box::new(JsonDocuments::new(
                path,
                reader,
                ndjson,
                MAX_JSON_VALUE_SIZE,
            ))
        }
        Format::Bson => Box::new(BsonDocuments::new(path, reader)),
    })
}

/// `BufRead::fill_buf`, retrying when interrupted by a signal.
fn fill_buf<R: BufRead>(reader: &mut R) -> io::Result<&[u8]> {
    // The buffer is fetched again after the loop because returning it from
    // inside the loop would keep `reader` borrowed across iterations (a
    // borrow checker limitation); the second call only returns what the
    // first one buffered.
    loop {
        match reader.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            Ok(_) => break,
        }
    }
    reader.fill_buf()
}

// --- JSON ------------------------------------------------------------------

/// Line and column of the next unread byte, both 1-based.
#[derive(Debug, Clone, Copy)]
struct Pos {
    line: u64,
    column: u64,
}

impl Pos {
    fn advance(&mut self, bytes: &[u8]) {
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += bytes[..=last].iter().filter(|&&b| b == b'\n').count() as u64;
                self.column = (bytes.len() - last) as u64;
            }
            None => self.column += bytes.len() as u64,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing read yet: the first byte decides between a JSON array and a
    /// sequence of documents.
    Start,
    Sequence,
    ArrayFirst,
    ArrayAfterElement,
    ArrayAfterComma,
    ArrayClosed,
    Done,
}

/// Why the scanner stopped collecting a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The value is complete (for a scalar: a delimiter follows it).
    Complete,
    /// The file ended first.
    Eof,
    /// A raw line break inside a string. JSON forbids it, so the value is
    /// broken here; stopping keeps a missing quote from swallowing the lines
    /// after it.
    NewlineInString,
    /// A line starting with `{` while the value was still open: a closing
    /// bracket is missing before it, and this line is the next document.
    /// In NDJSON that holds at any depth. In pretty-printed files only at
    /// depth 1 (inside the top-level object, where a `{` in column 1 cannot
    /// start a field's value in any common layout), because layouts without
    /// indentation, such as Python's `json.dumps(indent=0)`, put the objects
    /// of an array in column 1.
    NextDocument,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Object, array or string: ends when brackets balance.
    Nested,
    /// Number, literal or garbage: ends at whitespace or punctuation.
    Scalar,
    /// A stray `}`, `]`, `,` or `:`: a one-byte value serde_json rejects.
    Single,
}

/// Finds where one top-level JSON value ends without parsing it.
struct Scanner {
    kind: Kind,
    depth: usize,
    in_string: bool,
    escape: bool,
    /// The previous byte was a line break outside any string.
    line_start: bool,
    /// Non-whitespace bytes seen on the value's first line, used to tell
    /// NDJSON from pretty-printed documents.
    first_line_content: usize,
    seen_newline: bool,
}

impl Scanner {
    fn new(first: u8) -> Self {
        let kind = match first {
            b'{' | b'[' | b'"' => Kind::Nested,
            b'}' | b']' | b',' | b':' => Kind::Single,
            _ => Kind::Scalar,
        };
        Scanner {
            kind,
            depth: 0,
            in_string: false,
            escape: false,
            line_start: false,
            first_line_content: 0,
            seen_newline: false,
        }
    }

    /// Scans `buf`, the next bytes of the value. Returns how many bytes
    /// belong to the value and, if it ends within `buf`, why.
    ///
    /// `ndjson` is the file's mode (see [`End::NextDocument`]); `None`
    /// (undecided, first value only) is decided here at the first line
    /// break: a first line holding more than the opening bracket is NDJSON,
    /// a bare `{` is pretty-printed JSON. Inside a JSON array, values are
    /// never cut this way.
    fn feed(
        &mut self,
        buf: &[u8],
        ndjson: &mut Option<bool>,
        in_array: bool,
    ) -> (usize, Option<End>) {
        for (i, &b) in buf.iter().enumerate() {
            let at_line_start = self.line_start;
            self.line_start = false;
            if self.in_string {
                if self.escape {
                    self.escape = false;
                } else if b == b'\\' {
                    self.escape = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        return (i + 1, Some(End::Complete));
                    }
                } else if b == b'\n' {
                    return (i, Some(End::NewlineInString));
                }
                if !self.seen_newline {
                    self.first_line_content += 1;
                }
                continue;
            }
            match self.kind {
                Kind::Single => return (1, Some(End::Complete)),
                Kind::Scalar => {
                    if b.is_ascii_whitespace() || b"{}[],:\"".contains(&b) {
                        return (i, Some(End::Complete));
                    }
                }
                Kind::Nested => {
                    if b == b'\n' {
                        self.line_start = true;
                        if !self.seen_newline {
                            self.seen_newline = true;
                            if ndjson.is_none() && !in_array {
                                *ndjson = Some(self.first_line_content > 1);
                            }
                        }
                        continue;
                    }
                    if at_line_start
                        && b == b'{'
                        && !in_array
                        && (*ndjson == Some(true) || self.depth == 1)
                    {
                        return (i, Some(End::NextDocument));
                    }
                    if !self.seen_newline && !b.is_ascii_whitespace() {
                        self.first_line_content += 1;
                    }
                    match b {
                        b'"' => self.in_string = true,
                        b'{' | b'[' => self.depth += 1,
                        b'}' | b']' => {
                            self.depth = self.depth.saturating_sub(1);
                            if self.depth == 0 {
                                return (i + 1, Some(End::Complete));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        (buf.len(), None)
    }
}

/// Iterator over the documents of a JSON file.
struct JsonDocuments<R> {
    path: PathBuf,
    reader: R,
    pos: Pos,
    state: State,
    /// `None` until the first document tells; see [`Scanner::feed`].
    ndjson: Option<bool>,
    max_value_size: usize,
    /// The current value's bytes, reused between documents.
    chunk: Vec<u8>,
}

/// Where a collected value started and why collecting stopped.
struct Chunk {
    start: Pos,
    end: End,
}

impl<R: BufRead> JsonDocuments<R> {
    fn new(path: PathBuf, reader: R, ndjson: bool, max_value_size: usize) -> Self {
        JsonDocuments {
            path,
            reader,
            pos: Pos { line: 1, column: 1 },
            state: State::Start,
            ndjson: ndjson.then_some(true),
            max_value_size,
            chunk: Vec::new(),
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, FormatError> {
        let buf = fill_buf(&mut self.reader).map_err(io_error(&self.path))?;
        Ok(buf.first().copied())
    }

    fn bump(&mut self) {
        self.reader.consume(1);
        self.pos.column += 1;
    }

    fn skip_whitespace(&mut self) -> Result<(), FormatError> {
        loop {
            let buf = fill_buf(&mut self.reader).map_err(io_error(&self.path))?;
            let n = buf
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(buf.len());
            if n == 0 {
                return Ok(());
            }
            self.pos.advance(&buf[..n]);
            self.reader.consume(n);
        }
    }

    fn skip_bom(&mut self) -> Result<(), FormatError> {
        let buf = fill_buf(&mut self.reader).map_err(io_error(&self.path))?;
        // Some Windows tools start UTF-8 files with a byte order mark, which
        // serde_json rejects. Editors do not count it as a column.
        if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.reader.consume(3);
        }
        Ok(())
    }

    fn syntax(&self, pos: Pos, reason: impl Into<String>) -> FormatError {
        FormatError::Syntax {
            path: self.path.clone(),
            line: pos.line,
            column: pos.column,
            reason: reason.into(),
        }
    }

    /// Reads one top-level value into `self.chunk`. The caller has skipped
    /// whitespace and seen that a byte follows.
    fn collect_value(&mut self, in_array: bool) -> Result<Chunk, FormatError> {
        self.chunk.clear();
        let start = self.pos;
        let mut scanner: Option<Scanner> = None;
        loop {
            let buf = fill_buf(&mut self.reader).map_err(io_error(&self.path))?;
            let Some(&first) = buf.first() else {
                return Ok(Chunk {
                    start,
                    end: End::Eof,
                });
            };
            let scanner = scanner.get_or_insert_with(|| Scanner::new(first));
            let (take, end) = scanner.feed(buf, &mut self.ndjson, in_array);
            if self.chunk.len() + take > self.max_value_size {
                // Built from fields, not `self.syntax`: `buf` still borrows
                // the reader.
                return Err(FormatError::Syntax {
                    path: self.path.clone(),
                    line: start.line,
                    column: start.column,
                    reason: format!(
                        "a value starting here runs past {} bytes without ending; \
                         is a closing bracket or quote missing?",
                        self.max_value_size
                    ),
                });
            }
            self.chunk.extend_from_slice(&buf[..take]);
            self.pos.advance(&buf[..take]);
            self.reader.consume(take);
            if let Some(end) = end {
                if end == End::NextDocument {
                    // Blank lines before the next document are not part of
                    // the broken one; trimming them puts the "EOF while
                    // parsing" error on the broken line itself.
                    let trimmed = self.chunk.trim_ascii_end().len();
                    self.chunk.truncate(trimmed);
                }
                return Ok(Chunk { start, end });
            }
        }
    }

    /// Parses the collected value into a document.
    fn parse_chunk(&self, chunk: &Chunk) -> Result<Document, FormatError> {
        let value: Value = match serde_json::from_slice(&self.chunk) {
            Ok(value) => value,
            Err(e) => return Err(self.json_error(chunk, &e)),
        };
        match value {
            Value::Object(map) => {
                document_from_map(map).map_err(|reason| FormatError::ExtendedJson {
                    path: self.path.clone(),
                    line: chunk.start.line,
                    reason,
                })
            }
            other => Err(FormatError::NotADocument {
                path: self.path.clone(),
                line: chunk.start.line,
                column: chunk.start.column,
                found: describe(&other),
            }),
        }
    }

    /// Moves a serde_json error's position, relative to the value, to the
    /// file.
    fn json_error(&self, chunk: &Chunk, e: &serde_json::Error) -> FormatError {
        let (err_line, err_column) = (e.line() as u64, e.column() as u64);
        let pos = if err_line <= 1 {
            Pos {
                line: chunk.start.line,
                column: chunk.start.column + err_column.saturating_sub(1),
            }
        } else {
            Pos {
                line: chunk.start.line + err_line - 1,
                column: err_column,
            }
        };
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let mut reason = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        if chunk.end == End::NewlineInString && e.classify() == serde_json::error::Category::Eof {
            reason =
                "unterminated string (a line break inside a string must be written \\n)".into();
        }
        self.syntax(pos, reason)
    }

    /// The next document or recoverable error; `Err` is fatal.
    fn step(&mut self) -> Result<Option<Result<Document, FormatError>>, FormatError> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Start => {
                    self.skip_bom()?;
                    self.skip_whitespace()?;
                    self.state = match self.peek()? {
                        Some(b'[') => {
                            self.bump();
                            State::ArrayFirst
                        }
                        _ => State::Sequence,
                    };
                }
                State::Sequence => {
                    self.skip_whitespace()?;
                    if self.peek()?.is_none() {
                        self.state = State::Done;
                        return Ok(None);
                    }
                    let chunk = self.collect_value(false)?;
                    // A first value that ends on its first line is NDJSON.
                    self.ndjson.get_or_insert(true);
                    return Ok(Some(self.parse_chunk(&chunk)));
                }
                State::ArrayFirst | State::ArrayAfterComma => {
                    self.skip_whitespace()?;
                    match self.peek()? {
                        None => return Err(self.syntax(self.pos, "EOF while parsing a list")),
                        Some(b']') if self.state == State::ArrayFirst => {
                            self.bump();
                            self.state = State::ArrayClosed;
                        }
                        Some(b']') => return Err(self.syntax(self.pos, "trailing comma")),
                        Some(_) => {
                            let chunk = self.collect_value(true)?;
                            self.state = State::ArrayAfterElement;
                            return Ok(Some(self.parse_chunk(&chunk)));
                        }
                    }
                }
                State::ArrayAfterElement => {
                    self.skip_whitespace()?;
                    match self.peek()? {
                        None => return Err(self.syntax(self.pos, "EOF while parsing a list")),
                        Some(b',') => {
                            self.bump();
                            self.state = State::ArrayAfterComma;
                        }
                        Some(b']') => {
                            self.bump();
                            self.state = State::ArrayClosed;
                        }
                        Some(_) => return Err(self.syntax(self.pos, "expected `,` or `]`")),
                    }
                }
                State::ArrayClosed => {
                    self.skip_whitespace()?;
                    if self.peek()?.is_some() {
                        return Err(self.syntax(
                            self.pos,
                            "trailing characters after the closing `]` of the array",
                        ));
                    }
                    self.state = State::Done;
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonDocuments<R> {
    type Item = Result<Document, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(item) => item,
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// --- Extended JSON -----------------------------------------------------------

/// The keys that make an object an Extended JSON value rather than a
/// document, exactly those `bson` 3.1's `TryFrom<Map> for Bson` checks.
const EXTJSON_KEYS: &[&str] = &[
    "$oid",
    "$symbol",
    "$regularExpression",
    "$numberInt",
    "$numberLong",
    "$numberDouble",
    "$numberDecimal",
    "$binary",
    "$uuid",
    "$code",
    "$timestamp",
    "$date",
    "$minKey",
    "$maxKey",
    "$dbPointer",
    "$undefined",
];

/// A conversion error and the field path to it, innermost segment first
/// (built on the way out of the recursion, so success costs nothing).
struct ConvError {
    path: Vec<String>,
    reason: String,
}

impl ConvError {
    fn new(reason: impl Into<String>) -> Self {
        ConvError {
            path: Vec::new(),
            reason: reason.into(),
        }
    }

    fn within(mut self, segment: impl Into<String>) -> Self {
        self.path.push(segment.into());
        self
    }

    fn render(mut self) -> String {
        if self.path.is_empty() {
            return self.reason;
        }
        self.path.reverse();
        // Escaped so that a control character in a field name stays visible.
        format!(
            "field \"{}\": {}",
            self.path.join(".").escape_debug(),
            self.reason
        )
    }
}

/// Converts a parsed JSON object into a document, reading Extended JSON
/// (canonical, relaxed and the legacy forms `mongoimport` accepts). The
/// error names the field.
pub(crate) fn document_from_map(map: Map<String, Value>) -> Result<Document, String> {
    convert_map(map).map_err(ConvError::render)
}

/// Parses one JSON text holding a single document, with the Extended JSON
/// rules `import` uses (canonical, relaxed and legacy forms). The CLI's
/// `data` arguments are parsed here too, so both accept the same forms.
pub fn document_from_json(text: &[u8]) -> Result<Document, String> {
    match serde_json::from_slice(text).map_err(|e| e.to_string())? {
        Value::Object(map) => document_from_map(map),
        other => Err(format!(
            "expected a JSON object, found {}",
            describe(&other)
        )),
    }
}

fn convert_map(map: Map<String, Value>) -> Result<Document, ConvError> {
    let mut doc = Document::new();
    for (key, value) in map {
        // BSON field names are NUL-terminated; the crate would accept this
        // here and only fail when the document is encoded, far from the file.
        if key.contains('\0') {
            return Err(ConvError::new(
                "field name contains a NUL character, which BSON cannot store",
            )
            .within(key));
        }
        let value = convert_value(value).map_err(|e| e.within(key.as_str()))?;
        doc.insert(key, value);
    }
    Ok(doc)
}

/// One JSON value as BSON, by the same rules as [`document_from_json`].
pub fn value_from_json(value: Value) -> Result<Bson, String> {
    convert_value(value).map_err(ConvError::render)
}

fn convert_value(value: Value) -> Result<Bson, ConvError> {
    match value {
        Value::Object(map) => {
            let map = normalize_legacy(map);
            match EXTJSON_KEYS.iter().find(|k| map.contains_key(**k)) {
                Some(key) => convert_wrapper(map, key),
                None => convert_map(map).map(Bson::Document),
            }
        }
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| convert_value(v).map_err(|e| e.within(i.to_string())))
            .collect::<Result<Vec<_>, _>>()
            .map(Bson::Array),
        // Numbers: an integer literal that fits i32 is Int32, else Int64 if it
        // fits, else (and any literal with a fraction or exponent) Double,
        // as mongoimport does; this is the crate's rule.
        scalar => Bson::try_from(scalar).map_err(|e| ConvError::new(bson_reason(&e))),
    }
}

/// Converts an Extended JSON wrapper object such as `{"$oid": "..."}`.
fn convert_wrapper(mut map: Map<String, Value>, key: &str) -> Result<Bson, ConvError> {
    // Code with scope is converted here rather than by the crate so that the
    // scope document gets the same checks and error paths as any document.
    if key == "$code"
        && map.len() == 2
        && matches!(map.get("$code"), Some(Value::String(_)))
        && matches!(map.get("$scope"), Some(Value::Object(_)))
        && let (Some(Value::String(code)), Some(Value::Object(scope))) =
            (map.remove("$code"), map.remove("$scope"))
    {
        let scope = convert_map(scope).map_err(|e| e.within("$scope"))?;
        return Ok(Bson::JavaScriptCodeWithScope(JavaScriptCodeWithScope {
            code,
            scope,
        }));
    }
    Bson::try_from(Value::Object(map))
        .map_err(|e| ConvError::new(format!("invalid {key}: {}", bson_reason(&e))))
}

/// Rewrites the legacy Extended JSON forms that `mongoimport` still reads
/// (written by old `mongoexport` versions) into the current ones the crate
/// parses: `{"$regex": s, "$options": s}`, `{"$binary": s, "$type": s}` and
/// `$date` strings with a `+hhmm` offset. Anything else is returned as is.
fn normalize_legacy(mut map: Map<String, Value>) -> Map<String, Value> {
    let both_strings = |map: &Map<String, Value>, a: &str, b: &str| {
        map.len() == 2
            && matches!(
                (map.get(a), map.get(b)),
                (Some(Value::String(_)), Some(Value::String(_)))
            )
    };
    // `$regex` with a non-string value is the query operator, a document.
    if both_strings(&map, "$regex", "$options")
        && let (Some(pattern), Some(options)) = (map.remove("$regex"), map.remove("$options"))
    {
        let mut body = Map::new();
        body.insert("pattern".into(), pattern);
        body.insert("options".into(), options);
        map.insert("$regularExpression".into(), Value::Object(body));
    } else if both_strings(&map, "$binary", "$type")
        && let (Some(base64), Some(Value::String(mut subtype))) =
            (map.remove("$binary"), map.remove("$type"))
    {
        // Legacy subtypes may be one hex digit ("0"); the crate wants two.
        if subtype.len() == 1 {
            subtype.insert(0, '0');
        }
        let mut body = Map::new();
        body.insert("base64".into(), base64);
        body.insert("subType".into(), Value::String(subtype));
        map.insert("$binary".into(), Value::Object(body));
    } else if map.len() == 1
        && let Some(Value::String(date)) = map.get_mut("$date")
        && let Some(fixed) = colon_in_offset(date)
    {
        *date = fixed;
    }
    map
}

/// `2020-01-01T00:00:00.000+0000` -> `2020-01-01T00:00:00.000+00:00`: old
/// tools wrote offsets without the colon RFC 3339 requires.
fn colon_in_offset(date: &str) -> Option<String> {
    let bytes = date.as_bytes();
    let n = bytes.len();
    if n < 5 || !date.contains('T') {
        return None;
    }
    let (sign, digits) = (bytes[n - 5], &bytes[n - 4..]);
    if (sign == b'+' || sign == b'-') && digits.iter().all(u8::is_ascii_digit) {
        Some(format!("{}:{}", &date[..n - 2], &date[n - 2..]))
    } else {
        None
    }
}

/// A `bson` error as a short reason, without the crate's "BSON error. Kind:"
/// framing.
pub(crate) fn bson_reason(e: &bson::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(key) = &e.key {
        parts.push(format!("field \"{key}\""));
    } else if let Some(index) = e.index {
        parts.push(format!("array index {index}"));
    }
    match &e.kind {
        ErrorKind::ObjectId { kind, .. } => parts.push(kind.to_string()),
        ErrorKind::Decimal128 { kind, .. } => parts.push(kind.to_string()),
        // For these the message says everything and the kind adds nothing.
        ErrorKind::Deserialization { .. } | ErrorKind::Serialization { .. }
            if e.message.is_some() => {}
        kind => parts.push(kind.to_string()),
    }
    if let Some(message) = &e.message {
        parts.push(message.clone());
    }
    parts.join(": ")
}

// --- BSON --------------------------------------------------------------------

/// Iterator over the documents of a `.bson` file.
struct BsonDocuments<R> {
    path: PathBuf,
    reader: R,
    /// 1-based number of the next document.
    index: u64,
    /// Byte offset of the next document.
    offset: u64,
    done: bool,
}

impl<R: Read> BsonDocuments<R> {
    fn new(path: PathBuf, reader: R) -> Self {
        BsonDocuments {
            path,
            reader,
            index: 1,
            offset: 0,
            done: false,
        }
    }

    fn error(&self, reason: impl Into<String>) -> FormatError {
        FormatError::Bson {
            path: self.path.clone(),
            index: self.index,
            offset: self.offset,
            reason: reason.into(),
        }
    }

    /// Reads the next document's bytes; `Ok(None)` at a clean end of file,
    /// `Err` when the framing is broken (nothing after it can be trusted).
    fn read_raw(&mut self) -> Result<Option<Vec<u8>>, FormatError> {
        let mut header = [0u8; 4];
        let got = read_full(&mut self.reader, &mut header).map_err(io_error(&self.path))?;
        if got == 0 {
            return Ok(None);
        }
        if got < header.len() {
            return Err(self.error(format!(
                "truncated: the file ends {got} byte(s) into the 4-byte document length"
            )));
        }
        let declared = i32::from_le_bytes(header);
        let len = match usize::try_from(declared) {
            Ok(len) if len >= 5 => len,
            _ => {
                return Err(self.error(format!(
                    "invalid document length {declared} (a document takes at least 5 bytes); \
                     is this a mongodump .bson file?"
                )));
            }
        };
        if len > MAX_BSON_DOCUMENT_SIZE {
            return Err(self.error(format!(
                "document length {len} exceeds the {MAX_BSON_DOCUMENT_SIZE}-byte BSON limit; \
                 the file is corrupt or not BSON"
            )));
        }
        let mut bytes = vec![0u8; len];
        bytes[..4].copy_from_slice(&header);
        let got = read_full(&mut self.reader, &mut bytes[4..]).map_err(io_error(&self.path))?;
        if got < len - 4 {
            return Err(self.error(format!(
                "truncated: the document length is {len} bytes but the file ends after {}",
                got + 4
            )));
        }
        Ok(Some(bytes))
    }
}

impl<R: Read> Iterator for BsonDocuments<R> {
    type Item = Result<Document, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let bytes = match self.read_raw() {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        // The length prefix was intact, so even if this document is bad the
        // next one starts right after it.
        let result = decode_bson(&bytes).map_err(|reason| self.error(reason));
        self.index += 1;
        self.offset += bytes.len() as u64;
        Some(result)
    }
}

fn decode_bson(bytes: &[u8]) -> Result<Document, String> {
    let raw = RawDocument::from_bytes(bytes).map_err(|e| bson_reason(&e))?;
    check_depth(raw, 1)?;
    Document::try_from(raw).map_err(|e| bson_reason(&e))
}

/// Fails on nesting deeper than [`MAX_BSON_DEPTH`], before the crate's
/// recursive conversion could overflow the stack. Recurses at most
/// `MAX_BSON_DEPTH` levels itself.
fn check_depth(doc: &RawDocument, depth: usize) -> Result<(), String> {
    if depth > MAX_BSON_DEPTH {
        return Err(format!(
            "documents nest deeper than {MAX_BSON_DEPTH} levels"
        ));
    }
    for element in doc {
        let (_, value) = element.map_err(|e| bson_reason(&e))?;
        check_value_depth(value, depth)?;
    }
    Ok(())
}

fn check_value_depth(value: RawBsonRef<'_>, depth: usize) -> Result<(), String> {
    match value {
        RawBsonRef::Document(doc) => check_depth(doc, depth + 1),
        RawBsonRef::JavaScriptCodeWithScope(code) => check_depth(code.scope, depth + 1),
        RawBsonRef::Array(array) => {
            if depth + 1 > MAX_BSON_DEPTH {
                return Err(format!(
                    "documents nest deeper than {MAX_BSON_DEPTH} levels"
                ));
            }
            for item in array {
                check_value_depth(item.map_err(|e| bson_reason(&e))?, depth + 1)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{doc, oid::ObjectId};
    use std::io::Cursor;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, bytes).expect("write test file");
        path
    }

    fn read_all(path: &Path) -> Vec<Result<Document, FormatError>> {
        let files = discover(path).expect("discover");
        assert_eq!(files.len(), 1);
        read_documents(&files[0]).expect("open").collect()
    }

    fn docs(path: &Path) -> Vec<Document> {
        read_all(path)
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("unexpected error: {e}")))
            .collect()
    }

    fn messages(path: &Path) -> Vec<String> {
        read_all(path)
            .into_iter()
            .map(|r| match r {
                Ok(d) => format!("ok {d}"),
                Err(e) => e.to_string(),
            })
            .collect()
    }

    /// Reads JSON from memory with a given value size cap.
    fn json_from_bytes(bytes: &[u8], max: usize) -> Vec<Result<Document, FormatError>> {
        JsonDocuments::new(
            PathBuf::from("mem.json"),
            Cursor::new(bytes.to_vec()),
            false,
            max,
        )
        .collect()
    }

    #[test]
    fn results_do_not_depend_on_buffer_boundaries() {
        let inputs: [&[u8]; 7] = [
            b"{\"a\":1}\n\n{\"b\":\"x\\\"}{\"}\r\n{\"a\" 3}\n{\"c\":[1,{\"d\":2}]}\n",
            b"{\n  \"a\": {\n    \"b\": 1\n}\n{\n  \"c\": \"\\\\\"\n}\n",
            b"[\n {\"a\": 1},\n 2,\n {\"b\": [\"]\"]}\n]\n",
            b"{\"a\":1}\n{\"a\": {\"b\": 3}\n{\"a\":\"x}\n{\"a\":4}\n",
            b"{\"a\":[1\n{\"a\":2}\ntrue 12x {\"e\":{\"$oid\":\"1\"}}",
            b"[{\"a\":1} {\"b\":1}]",
            b"{\n\"a\": [\n{\n\"b\": 1\n}\n]\n}\n",
        ];
        let render = |cap: usize, input: &[u8]| -> Vec<String> {
            let reader = BufReader::with_capacity(cap, Cursor::new(input.to_vec()));
            JsonDocuments::new(PathBuf::from("m"), reader, false, MAX_JSON_VALUE_SIZE)
                .map(|r| match r {
                    Ok(d) => format!("ok {d}"),
                    Err(e) => e.to_string(),
                })
                .collect()
        };
        for input in inputs {
            let expected = render(1 << 16, input);
            assert!(!expected.is_empty());
            for cap in [1, 2, 3, 7] {
                assert_eq!(render(cap, input), expected, "capacity {cap}");
            }
        }
    }

    #[test]
    fn ndjson_with_blank_lines_and_crlf() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "a.json",
            b"\n{\"a\":1}\n\n   \n{\"b\":{\"$numberLong\":\"2\"}}\r\n{\"c\":\"x\"}{\"d\":null}\n\n",
        );
        assert_eq!(
            docs(&p),
            vec![
                doc! {"a": 1},
                doc! {"b": 2i64},
                doc! {"c": "x"},
                doc! {"d": null}
            ]
        );
    }

    #[test]
    fn relaxed_numbers_follow_mongoimport() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "n.json",
            br#"{"i":1,"neg":-2147483648,"l":2147483648,"nl":-2147483649,"d":1.0,"e":1e2,"big":18446744073709551615,"z":-0.0}"#,
        );
        let d = &docs(&p)[0];
        assert_eq!(d.get("i"), Some(&Bson::Int32(1)));
        assert_eq!(d.get("neg"), Some(&Bson::Int32(i32::MIN)));
        assert_eq!(d.get("l"), Some(&Bson::Int64(2147483648)));
        assert_eq!(d.get("nl"), Some(&Bson::Int64(-2147483649)));
        assert_eq!(d.get("d"), Some(&Bson::Double(1.0)));
        assert_eq!(d.get("e"), Some(&Bson::Double(100.0)));
        assert_eq!(d.get("big"), Some(&Bson::Double(18446744073709551615.0)));
        assert!(matches!(d.get("z"), Some(Bson::Double(z)) if *z == 0.0 && z.is_sign_negative()));
    }

    #[test]
    fn relaxed_and_canonical_extended_json() {
        let text = br#"{"_id":{"$oid":"5ca4bbc7a2dd94ee5816238c"},"d1":{"$date":"2020-01-01T00:00:00Z"},"d2":{"$date":{"$numberLong":"-1000"}},"d3":{"$date":1577836800000},"n":{"$numberDouble":"-Infinity"},"u":{"$uuid":"00112233-4455-6677-8899-aabbccddeeff"}}"#;
        let d = document_from_json(text).expect("parse");
        assert_eq!(
            d.get_object_id("_id").ok(),
            ObjectId::parse_str("5ca4bbc7a2dd94ee5816238c").ok()
        );
        assert_eq!(
            d.get_datetime("d1").map(|d| d.timestamp_millis()).ok(),
            Some(1577836800000)
        );
        assert_eq!(
            d.get_datetime("d2").map(|d| d.timestamp_millis()).ok(),
            Some(-1000)
        );
        assert_eq!(
            d.get_datetime("d3").map(|d| d.timestamp_millis()).ok(),
            Some(1577836800000)
        );
        assert_eq!(d.get_f64("n").ok(), Some(f64::NEG_INFINITY));
        assert!(
            matches!(d.get("u"), Some(Bson::Binary(b)) if b.subtype == bson::spec::BinarySubtype::Uuid)
        );
        // Field order is kept.
        let keys: Vec<&str> = d.keys().map(String::as_str).collect();
        assert_eq!(keys, ["_id", "d1", "d2", "d3", "n", "u"]);
    }

    #[test]
    fn legacy_forms() {
        let text = br#"{"r":{"$regex":"^a","$options":"mi"},"q":{"$regex":{"$regularExpression":{"pattern":"x","options":""}}},"b":{"$binary":"AQI=","$type":"0"},"t":{"$date":"2020-01-01T01:00:00.000+0100"}}"#;
        let d = document_from_json(text).expect("parse");
        assert!(
            matches!(d.get("r"), Some(Bson::RegularExpression(r)) if r.pattern.as_str() == "^a" && r.options.as_str() == "im")
        );
        // `$regex` with a non-string value is a query operator: a document.
        assert!(matches!(d.get("q"), Some(Bson::Document(_))));
        assert!(
            matches!(d.get("b"), Some(Bson::Binary(b)) if b.bytes == [1, 2] && b.subtype == bson::spec::BinarySubtype::Generic)
        );
        assert_eq!(
            d.get_datetime("t").map(|d| d.timestamp_millis()).ok(),
            Some(1577836800000)
        );
    }

    #[test]
    fn json_array_streams_elements() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "arr.json",
            b"  [\n  {\"a\": 1},\n  {\"b\": [1, {\"c\": \"]\"}]}\n,{\"d\":\"x\"}]\n  ",
        );
        assert_eq!(
            docs(&p),
            vec![doc! {"a": 1}, doc! {"b": [1, {"c": "]"}]}, doc! {"d": "x"}]
        );
        let p = write(dir.path(), "empty.json", b"[ ]");
        assert!(docs(&p).is_empty());
    }

    #[test]
    fn json_array_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "a.json",
            b"[{\"a\":1},\n 5,\n {\"b\" 2}, {\"c\":3}]",
        );
        let m = messages(&p);
        assert_eq!(m.len(), 4, "{m:?}");
        assert_eq!(m[0], "ok { \"a\": 1 }");
        assert!(
            m[1].ends_with("a.json:2:2: expected a JSON object, found a number"),
            "{m:?}"
        );
        assert!(m[2].ends_with("a.json:3:7: expected `:`"), "{m:?}");
        assert_eq!(m[3], "ok { \"c\": 3 }");

        let p = write(dir.path(), "b.json", b"[{\"a\":1},\n]");
        let m = messages(&p);
        assert!(m[1].ends_with("b.json:2:1: trailing comma"), "{m:?}");
        let p = write(dir.path(), "c.json", b"[{\"a\":1} {\"b\":1}]");
        let m = messages(&p);
        assert!(m[1].ends_with("c.json:1:10: expected `,` or `]`"), "{m:?}");
        assert_eq!(m.len(), 2, "a broken array ends the stream");
        let p = write(dir.path(), "d.json", b"[{\"a\":1}");
        assert!(messages(&p)[1].contains("EOF while parsing a list"));
        let p = write(dir.path(), "e.json", b"[{\"a\":1}] x");
        assert!(
            messages(&p)[1]
                .ends_with("e.json:1:11: trailing characters after the closing `]` of the array")
        );
    }

    #[test]
    fn pretty_concatenated_documents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "{\n  \"_id\": {\n    \"$oid\": \"5ca4bbc7a2dd94ee5816238c\"\n  },\n  \"list\": [\n    {\n      \"x\": 1\n    }\n  ],\n  \"s\": \"{ not a brace }\"\n}\n{\n  \"b\": 2\n}\n{\"c\": 3}\n";
        let p = write(dir.path(), "pretty.json", text.as_bytes());
        let d = docs(&p);
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[0].get_array("list").ok(),
            Some(&vec![Bson::Document(doc! {"x": 1})])
        );
        assert_eq!(d[1], doc! {"b": 2});
        assert_eq!(d[2], doc! {"c": 3});

        // A missing closing brace in a pretty-printed document is reported
        // there, and the next document is still read.
        let p = write(
            dir.path(),
            "broken.json",
            b"{\n  \"a\": {\n    \"b\": 1\n}\n{\n  \"c\": 2\n}\n",
        );
        let m = messages(&p);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(
            m[0].ends_with("broken.json:4:1: EOF while parsing an object"),
            "{m:?}"
        );
        assert_eq!(m[1], "ok { \"c\": 2 }");

        // Python's json.dumps(indent=0) puts nested objects at column 1.
        let p = write(
            dir.path(),
            "flat.json",
            b"{\n\"a\": [\n{\n\"b\": 1\n}\n]\n}\n{\n\"c\": 2\n}\n",
        );
        assert_eq!(docs(&p), vec![doc! {"a": [{"b": 1}]}, doc! {"c": 2}]);
    }

    #[test]
    fn ndjson_error_positions_and_recovery() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "e.json",
            b"{\"a\":1}\n{\"a\":2}\n{\"a\" 3}\n{\"a\":4}\n",
        );
        let m = messages(&p);
        assert_eq!(m.len(), 4, "{m:?}");
        let e = &m[2];
        assert!(e.ends_with("e.json:3:6: expected `:`"), "{e}");
        assert_eq!(m[3], "ok { \"a\": 4 }");

        // A missing closing brace is reported on its own line, and the next
        // line is still read.
        let p = write(
            dir.path(),
            "f.json",
            b"{\"a\":1}\n{\"a\":2}\n{\"a\": {\"b\": 3}\n\n{\"a\":4}\n",
        );
        let m = messages(&p);
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(
            m[2].ends_with("f.json:3:14: EOF while parsing an object"),
            "{m:?}"
        );
        assert_eq!(m[3], "ok { \"a\": 4 }");

        // A missing quote stops at the end of its line.
        let p = write(dir.path(), "g.json", b"{\"a\":1}\n{\"a\":\"x}\n{\"a\":4}\n");
        let m = messages(&p);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(
            m[1].contains("g.json:2:") && m[1].contains("unterminated string"),
            "{m:?}"
        );
        assert_eq!(m[2], "ok { \"a\": 4 }");

        // Even when the very first line is the broken one.
        let p = write(dir.path(), "h.json", b"{\"a\":[1\n{\"a\":2}\n");
        let m = messages(&p);
        assert!(m[0].contains("h.json:1:"), "{m:?}");
        assert_eq!(m[1], "ok { \"a\": 2 }");

        // serde_json's own column: garbage in the middle of a line.
        let p = write(dir.path(), "i.json", b"\n\n  {\"a\": tru}\n");
        assert!(messages(&p)[0].ends_with("i.json:3:12: expected ident"));
    }

    #[test]
    fn escapes_inside_strings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "s.json",
            br#"{"a":"x\\"}{"b":"\"}{"}
{"c":"\u00e9\n{"}
"#,
        );
        assert_eq!(
            docs(&p),
            vec![
                doc! {"a": "x\\"},
                doc! {"b": "\"}{"},
                doc! {"c": "\u{e9}\n{"}
            ]
        );
    }

    #[test]
    fn non_object_top_level() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "t.json",
            b"{\"a\":1}\n42\n\"s\"\nnull\ntrue\n[1]\n",
        );
        let m = messages(&p);
        // `[1]` on a later line is a top-level array value in a sequence.
        assert_eq!(
            m[1..],
            [
                format!(
                    "{}:2:1: expected a JSON object, found a number",
                    p.display()
                ),
                format!(
                    "{}:3:1: expected a JSON object, found a string",
                    p.display()
                ),
                format!("{}:4:1: expected a JSON object, found null", p.display()),
                format!(
                    "{}:5:1: expected a JSON object, found a boolean",
                    p.display()
                ),
                format!(
                    "{}:6:1: expected a JSON object, found an array",
                    p.display()
                ),
            ]
        );
        let p = write(dir.path(), "u.json", b"[[1]]");
        assert!(messages(&p)[0].ends_with("u.json:1:2: expected a JSON object, found an array"));
        let p = write(dir.path(), "v.json", b"{\"a\":1}}\n");
        assert!(messages(&p)[1].ends_with("v.json:1:8: expected value"));
    }

    #[test]
    fn invalid_extended_json_reports_line_and_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "x.json",
            b"{\"ok\":1}\n{\"_id\":{\"$oid\":\"abc\"}}\n{\"n\":{\"$numberLong\":5}}\n{\"a\":[0,{\"b\":{\"$oid\":\"zzzzzzzzzzzzzzzzzzzzzzzz\"}}]}\n{\"a\\u0000b\":1}\n{\"d\":{\"$date\":\"yesterday\"}}\n",
        );
        let m = messages(&p);
        let f = p.display();
        assert_eq!(
            m[1],
            format!("{f}:2: field \"_id\": invalid $oid: invalid hex string length 3")
        );
        assert_eq!(
            m[2],
            format!(
                "{f}:3: field \"n\": invalid $numberLong: invalid type: integer `5`, expected a string"
            )
        );
        assert_eq!(
            m[3],
            format!(
                "{f}:4: field \"a.1.b\": invalid $oid: invalid character 'z' encountered at index 0"
            )
        );
        assert!(
            m[4].starts_with(&format!(
                "{f}:5: field \"a\\0b\": field name contains a NUL"
            )),
            "{m:?}"
        );
        assert!(
            m[5].starts_with(&format!("{f}:6: field \"d\": invalid $date")),
            "{m:?}"
        );
    }

    #[test]
    fn code_with_scope_checks_the_scope() {
        let d = document_from_json(br#"{"c":{"$code":"x","$scope":{"y":{"$numberLong":"1"}}}}"#)
            .expect("parse");
        assert!(
            matches!(d.get("c"), Some(Bson::JavaScriptCodeWithScope(c)) if c.scope == doc! {"y": 1i64})
        );
        let e = document_from_json(br#"{"c":{"$code":"x","$scope":{"y":{"$oid":"1"}}}}"#)
            .expect_err("bad scope");
        assert!(e.starts_with("field \"c.$scope.y\": invalid $oid"), "{e}");
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(dir.path(), "bom.json", b"\xEF\xBB\xBF{\"a\" 1}\n");
        assert!(messages(&p)[0].ends_with("bom.json:1:6: expected `:`"));
    }

    #[test]
    fn oversized_value_stops_reading() {
        let mut text = b"{\"a\":1}\n{\"b\": \"".to_vec();
        text.extend(std::iter::repeat_n(b'x', 100));
        let r = json_from_bytes(&text, 64);
        assert_eq!(r.len(), 2);
        let e = r[1].as_ref().expect_err("too large").to_string();
        assert!(
            e.starts_with("mem.json:2:1: a value starting here runs past"),
            "{e}"
        );
    }

    #[test]
    fn bson_file_roundtrip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let originals = vec![
            doc! {"_id": 1, "a": "x"},
            doc! {},
            doc! {"nested": {"b": [1, 2.5, null]}},
        ];
        let mut bytes = Vec::new();
        for d in &originals {
            bytes.extend(d.to_vec().expect("encode"));
        }
        let p = write(dir.path(), "c.bson", &bytes);
        assert_eq!(docs(&p), originals);
        // Detected by content too.
        let p = write(dir.path(), "nodot", &bytes);
        assert_eq!(discover(&p).expect("discover")[0].format, Format::Bson);
        assert_eq!(docs(&p), originals);
        let p = write(dir.path(), "empty.bson", b"");
        assert!(docs(&p).is_empty());
    }

    #[test]
    fn truncated_bson_reports_document_and_offset() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = doc! {"a": 1}.to_vec().expect("encode");
        let b = doc! {"b": "hello"}.to_vec().expect("encode");
        let mut bytes = [a.clone(), b.clone()].concat();
        bytes.extend(&b[..b.len() - 3]);
        let p = write(dir.path(), "t.bson", &bytes);
        let m = messages(&p);
        assert_eq!(m.len(), 3);
        let offset = a.len() + b.len();
        assert_eq!(
            m[2],
            format!(
                "{}: document 3 at byte {offset}: truncated: the document length is {} bytes but the file ends after {}",
                p.display(),
                b.len(),
                b.len() - 3
            )
        );

        let p = write(dir.path(), "u.bson", &[a.as_slice(), &[1, 0]].concat());
        assert!(messages(&p)[1].ends_with(&format!(
            "document 2 at byte {}: truncated: the file ends 2 byte(s) into the 4-byte document length",
            a.len()
        )));

        let p = write(dir.path(), "v.bson", &[0xFF, 0xFF, 0xFF, 0x7F, 0]);
        assert!(
            messages(&p)[0].contains("document 1 at byte 0: document length 2147483647 exceeds")
        );
        let p = write(dir.path(), "w.bson", &[3, 0, 0, 0, 0]);
        assert!(messages(&p)[0].contains("document 1 at byte 0: invalid document length 3"));
    }

    #[test]
    fn malformed_bson_document_is_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let good = doc! {"a": 1}.to_vec().expect("encode");
        let mut bad = doc! {"s": "xy"}.to_vec().expect("encode");
        // Corrupt the string's length prefix (after the type byte and "s\0").
        bad[7] = 0x40;
        let p = write(
            dir.path(),
            "m.bson",
            &[good.clone(), bad, good.clone()].concat(),
        );
        let m = messages(&p);
        assert_eq!(m.len(), 3);
        assert!(
            m[1].contains(&format!("document 2 at byte {}:", good.len())),
            "{m:?}"
        );
        assert_eq!(m[2], "ok { \"a\": 1 }");
    }

    #[test]
    fn deeply_nested_bson_is_refused_without_overflow() {
        // {"":{"":{...}}} nested 100_000 levels: each level adds a length,
        // a type byte, an empty key's NUL and a closing NUL (7 bytes).
        let depth: usize = 100_000;
        let mut bytes = Vec::with_capacity(5 + 7 * depth);
        for level in (1..=depth).rev() {
            bytes.extend(((5 + 7 * level) as i32).to_le_bytes());
            bytes.extend([0x03, 0x00]);
        }
        bytes.extend([5, 0, 0, 0, 0]);
        bytes.extend(std::iter::repeat_n(0u8, depth));
        let e = decode_bson(&bytes).expect_err("too deep");
        assert!(e.contains("deeper than 200"), "{e}");
        // The limit itself is accepted.
        let ok = (0..MAX_BSON_DEPTH - 1).fold(doc! {}, |d, _| doc! {"": d});
        assert!(decode_bson(&ok.to_vec().expect("encode")).is_ok());
        let too_deep = doc! {"": ok};
        assert!(decode_bson(&too_deep.to_vec().expect("encode")).is_err());
        let arrays = (0..MAX_BSON_DEPTH).fold(Bson::Int32(1), |b, _| Bson::Array(vec![b]));
        assert!(decode_bson(&doc! {"a": arrays}.to_vec().expect("encode")).is_err());
    }

    #[test]
    fn gzip_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(dir.path(), "z.bson", &[0x1F, 0x8B, 8, 0, 0, 0]);
        let files = discover(&p).expect("discover");
        let e = read_documents(&files[0])
            .err()
            .expect("gzip refused")
            .to_string();
        assert!(e.contains("gzip"), "{e}");
    }

    #[test]
    fn directory_discovery() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let bson_bytes = doc! {"x": 1}.to_vec().expect("encode");
        write(d, "users.json", b"{\"a\":1}\n");
        write(d, "orders.bson", &bson_bytes);
        write(d, "orders.metadata.json", b"{\"indexes\":[]}");
        write(d, "events.jsonl", b"{\"e\":1}\n");
        write(d, "notes.txt", b"hello");
        write(d, ".hidden.json", b"{}");
        fs::create_dir(d.join("sub.json")).expect("mkdir");
        let files = discover(d).expect("discover");
        let got: Vec<(&str, Format)> = files
            .iter()
            .map(|f| (f.collection.as_str(), f.format))
            .collect();
        assert_eq!(
            got,
            [
                ("events", Format::Json),
                ("orders", Format::Bson),
                ("users", Format::Json)
            ]
        );
        assert_eq!(files[1].path, d.join("orders.bson"));

        write(d, "users.bson", &bson_bytes);
        let e = discover(d).expect_err("duplicate").to_string();
        assert!(e.contains("collection \"users\""), "{e}");

        let empty = tempfile::tempdir().expect("tempdir");
        assert!(discover(empty.path()).expect("discover").is_empty());
        write(empty.path(), "a.bson.gz", b"x");
        assert!(
            discover(empty.path())
                .expect_err("gz")
                .to_string()
                .contains("gzip")
        );

        let e = discover(&d.join("missing.json"))
            .expect_err("missing")
            .to_string();
        assert!(
            e.starts_with(&d.join("missing.json").display().to_string()),
            "{e}"
        );
        let e = discover(&d.join("orders.metadata.json"))
            .expect_err("metadata")
            .to_string();
        assert!(e.contains("metadata"), "{e}");
    }

    #[test]
    fn single_file_names_and_sniffing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(dir.path(), "people.export", b"{\"a\":1}");
        let f = discover(&p).expect("discover");
        assert_eq!(f[0].collection, "people");
        assert_eq!(f[0].format, Format::Json);
        // A JSON file whose first bytes happen to look like a BSON length.
        let p = write(dir.path(), "odd", b"{ \0\0\0 }");
        assert_eq!(discover(&p).expect("discover")[0].format, Format::Json);
        // A 123-byte BSON document starts with `{` (0x7B).
        let d = doc! {"s": "x".repeat(123 - 13)};
        let bytes = d.to_vec().expect("encode");
        assert_eq!(bytes[0], b'{');
        let p = write(dir.path(), "brace", &bytes);
        assert_eq!(discover(&p).expect("discover")[0].format, Format::Bson);
        assert_eq!(docs(&p), vec![d]);
    }
}
