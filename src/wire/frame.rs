//! Message framing for the MongoDB wire protocol.
//!
//! This layer turns bytes into requests and replies into bytes; it knows
//! nothing about commands. It understands:
//!
//! * `OP_MSG` (2013): flagBits, section kind 0 (the body, exactly one) and
//!   kind 1 (document sequences), and the optional CRC-32C checksum;
//! * `OP_QUERY` (2004): only as far as the legacy `hello`/`isMaster`
//!   handshake and old drivers' commands on `<db>.$cmd` need it;
//! * `OP_COMPRESSED` (2012) wrapping either of those, with the noop, snappy,
//!   zlib and zstd compressors;
//! * `OP_REPLY` (1), which it only ever writes (the reply to an `OP_QUERY`).
//!
//! Every length on the wire is checked against the bytes that are really
//! there and against [`MAX_MESSAGE_SIZE`] / [`MAX_INTERNAL_BSON_SIZE`] before
//! anything is allocated for it, and every BSON document is validated through
//! [`bson::RawDocument`] (including a nesting-depth limit, so that converting
//! it cannot overflow the stack) before it is turned into a
//! [`bson::Document`]. No input makes these functions panic.
//!
//! Errors come in two kinds, told apart by [`FrameError::is_fatal`]:
//!
//! * fatal: the byte stream can no longer be trusted (a bad or oversized
//!   `messageLength`, a truncated message, an unknown opCode or section
//!   kind, illegal required flag bits, or an I/O error). Close the
//!   connection.
//! * not fatal ([`FrameError::InvalidMessage`]): the message was framed
//!   correctly but its content is bad (bad BSON, checksum mismatch, unknown
//!   compressor, ...). The stream is still in sync; answer with
//!   [`FrameError::error_document`] to [`FrameError::reply_to`] (which is
//!   `None` when the request had `moreToCome` set: no reply may be sent) and
//!   keep reading.
//!
//! Layouts follow the MongoDB wire protocol reference and the
//! `OP_MSG` / `OP_COMPRESSED` specifications (mongodb/specifications).

use std::fmt;
use std::io::Read;

use bson::{Bson, Document, RawBsonRef, RawDocument, raw::RawIter};
use tokio::io::{AsyncRead, AsyncReadExt};

/// `maxMessageSizeBytes`: the largest message, header included, that is read
/// or written.
pub const MAX_MESSAGE_SIZE: usize = 48_000_000;
/// `maxBsonObjectSize`: the largest user document.
pub const MAX_BSON_SIZE: usize = 16 * 1024 * 1024;
/// The largest single BSON document accepted anywhere in a message: like
/// mongod (`BSONObjMaxInternalSize`), 16 KiB above [`MAX_BSON_SIZE`] so that a
/// command or reply wrapping a maximum-size user document still fits.
pub const MAX_INTERNAL_BSON_SIZE: usize = MAX_BSON_SIZE + 16 * 1024;
/// The deepest nesting of documents/arrays accepted (mongod's default
/// `maxBSONDepth`); the top-level document is depth 1.
pub const MAX_BSON_DEPTH: usize = 200;
/// Size of the standard message header.
pub const HEADER_LEN: usize = 16;

/// opCode of `OP_REPLY` (server to client, reply to `OP_QUERY`).
pub const OP_REPLY: i32 = 1;
/// opCode of the legacy `OP_QUERY`.
pub const OP_QUERY: i32 = 2004;
/// opCode of `OP_COMPRESSED`.
pub const OP_COMPRESSED: i32 = 2012;
/// opCode of `OP_MSG`.
pub const OP_MSG: i32 = 2013;

/// `OP_REPLY` responseFlags bit 1: the query failed and the single returned
/// document holds `$err`.
pub const REPLY_QUERY_FAILURE: i32 = 1 << 1;

/// A first allocation for data whose final size is only claimed by the peer;
/// the buffer grows from here as bytes really arrive.
const INITIAL_CAPACITY: usize = 1 << 20;
/// Snappy's densest element (a 3-byte copy of 64 bytes) expands about 21x; a
/// claim beyond this ratio cannot be honest, so it is refused before the
/// output buffer is allocated.
const SNAPPY_MAX_RATIO: usize = 32;
/// Size of the fixed part of `OP_COMPRESSED` after the header:
/// originalOpcode, uncompressedSize, compressorId.
const COMPRESSED_PREFIX_LEN: usize = 9;

// ---------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------

/// The standard 16-byte message header (`MsgHeader`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// `messageLength`: the whole message, header included.
    pub length: i32,
    /// `requestID`.
    pub request_id: i32,
    /// `responseTo`.
    pub response_to: i32,
    /// `opCode`.
    pub op_code: i32,
}

impl Header {
    /// Size of the header on the wire.
    pub const LEN: usize = HEADER_LEN;

    /// Reads a header from the first 16 bytes of `buf`.
    pub fn parse(buf: &[u8]) -> Result<Header, FrameError> {
        match buf.get(..HEADER_LEN) {
            Some(h) => Ok(Header {
                length: le_i32(h, 0),
                request_id: le_i32(h, 4),
                response_to: le_i32(h, 8),
                op_code: le_i32(h, 12),
            }),
            None => Err(FrameError::Truncated {
                needed: HEADER_LEN,
                available: buf.len(),
            }),
        }
    }

    /// The header's wire form.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0..4].copy_from_slice(&self.length.to_le_bytes());
        out[4..8].copy_from_slice(&self.request_id.to_le_bytes());
        out[8..12].copy_from_slice(&self.response_to.to_le_bytes());
        out[12..16].copy_from_slice(&self.op_code.to_le_bytes());
        out
    }

    /// `messageLength` as a size, once it is known to be at least a header
    /// and at most [`MAX_MESSAGE_SIZE`].
    pub fn message_len(&self) -> Result<usize, FrameError> {
        let len =
            usize::try_from(self.length).map_err(|_| FrameError::InvalidLength(self.length))?;
        if len < HEADER_LEN {
            return Err(FrameError::InvalidLength(self.length));
        }
        if len > MAX_MESSAGE_SIZE {
            return Err(FrameError::MessageTooLarge { length: len });
        }
        Ok(len)
    }
}

/// Little-endian i32 at `at`; callers guarantee 4 bytes are there.
fn le_i32(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn op_name(op_code: i32) -> &'static str {
    match op_code {
        OP_REPLY => "OP_REPLY",
        OP_QUERY => "OP_QUERY",
        OP_COMPRESSED => "OP_COMPRESSED",
        OP_MSG => "OP_MSG",
        _ => "unknown opCode",
    }
}

// ---------------------------------------------------------------------------
// Compressors
// ---------------------------------------------------------------------------

/// A wire compressor (`compressorId` in `OP_COMPRESSED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compressor {
    /// id 0: the message is stored uncompressed (testing only).
    Noop,
    /// id 1: raw (unframed) snappy.
    Snappy,
    /// id 2: zlib (RFC 1950, with the zlib header).
    Zlib,
    /// id 3: zstd.
    Zstd,
}

impl Compressor {
    /// The `compressorId` on the wire.
    pub fn id(self) -> u8 {
        match self {
            Compressor::Noop => 0,
            Compressor::Snappy => 1,
            Compressor::Zlib => 2,
            Compressor::Zstd => 3,
        }
    }

    /// The compressor for a `compressorId`; `None` for the reserved 4-255.
    pub fn from_id(id: u8) -> Option<Compressor> {
        match id {
            0 => Some(Compressor::Noop),
            1 => Some(Compressor::Snappy),
            2 => Some(Compressor::Zlib),
            3 => Some(Compressor::Zstd),
            _ => None,
        }
    }

    /// The name used in the handshake's `compression` array.
    pub fn name(self) -> &'static str {
        match self {
            Compressor::Noop => "noop",
            Compressor::Snappy => "snappy",
            Compressor::Zlib => "zlib",
            Compressor::Zstd => "zstd",
        }
    }

    /// The compressor for a handshake name (case-sensitive, as mongod).
    pub fn from_name(name: &str) -> Option<Compressor> {
        match name {
            "noop" => Some(Compressor::Noop),
            "snappy" => Some(Compressor::Snappy),
            "zlib" => Some(Compressor::Zlib),
            "zstd" => Some(Compressor::Zstd),
            _ => None,
        }
    }
}

impl fmt::Display for Compressor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// A decoded request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// `OP_MSG`.
    Msg(OpMsg),
    /// Legacy `OP_QUERY`, for `hello`/`isMaster` handshakes and old drivers'
    /// commands on `<db>.$cmd`.
    Query(OpQuery),
}

impl Request {
    /// True when the client set `moreToCome`: no reply may be sent.
    pub fn more_to_come(&self) -> bool {
        match self {
            Request::Msg(m) => m.more_to_come(),
            Request::Query(_) => false,
        }
    }
}

/// An `OP_MSG`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OpMsg {
    /// flagBits as received. If [`OpMsg::CHECKSUM_PRESENT`] is set, the
    /// checksum has already been verified by [`decode`]; when encoding, the
    /// bit makes the encoder append one.
    pub flags: u32,
    /// The kind-0 section.
    pub body: Document,
    /// The kind-1 sections, in wire order: (identifier, documents).
    pub sequences: Vec<(String, Vec<Document>)>,
}

impl OpMsg {
    /// Bit 0: a CRC-32C checksum follows the sections.
    pub const CHECKSUM_PRESENT: u32 = 1 << 0;
    /// Bit 1: the sender sends another message without waiting; no reply.
    pub const MORE_TO_COME: u32 = 1 << 1;
    /// Bit 16: the client accepts several replies (exhaust cursors).
    pub const EXHAUST_ALLOWED: u32 = 1 << 16;
    /// The low 16 bits are "required": an unknown one set is an error.
    pub const REQUIRED_BITS: u32 = 0xFFFF;
    /// The required bits this implementation knows.
    pub const KNOWN_REQUIRED_BITS: u32 = Self::CHECKSUM_PRESENT | Self::MORE_TO_COME;

    /// A message with flags 0, this body and no sequences.
    pub fn new(body: Document) -> OpMsg {
        OpMsg {
            flags: 0,
            body,
            sequences: Vec::new(),
        }
    }

    /// `checksumPresent` (the checksum itself was verified on decode).
    pub fn checksum_present(&self) -> bool {
        self.flags & Self::CHECKSUM_PRESENT != 0
    }

    /// `moreToCome`: the client expects no reply to this request.
    pub fn more_to_come(&self) -> bool {
        self.flags & Self::MORE_TO_COME != 0
    }

    /// `exhaustAllowed`: the client accepts a stream of `moreToCome` replies.
    pub fn exhaust_allowed(&self) -> bool {
        self.flags & Self::EXHAUST_ALLOWED != 0
    }
}

/// A legacy `OP_QUERY`.
#[derive(Debug, Clone, PartialEq)]
pub struct OpQuery {
    /// Query flags (tailable, secondaryOk, ...); not interpreted here.
    pub flags: i32,
    /// `<db>.<collection>`, `<db>.$cmd` for commands.
    pub full_collection_name: String,
    /// numberToSkip.
    pub number_to_skip: i32,
    /// numberToReturn (-1 for commands).
    pub number_to_return: i32,
    /// The query, or the command document for `$cmd`.
    pub query: Document,
    /// The optional returnFieldsSelector.
    pub return_fields: Option<Document>,
}

impl OpQuery {
    /// The database part of `full_collection_name` (before the first dot).
    pub fn database(&self) -> &str {
        match self.full_collection_name.split_once('.') {
            Some((db, _)) => db,
            None => &self.full_collection_name,
        }
    }

    /// True for a command (`<db>.$cmd`).
    pub fn is_command(&self) -> bool {
        self.full_collection_name
            .split_once('.')
            .is_some_and(|(_, coll)| coll == "$cmd")
    }
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The header as it came on the wire (for a compressed message, the
    /// `OP_COMPRESSED` header: opCode 2012 and the compressed length).
    /// Reply with `response_to = header.request_id`.
    pub header: Header,
    /// The request.
    pub request: Request,
    /// Set when the request came in `OP_COMPRESSED`, so the reply can use the
    /// same compressor.
    pub compressor: Option<Compressor>,
}

impl Decoded {
    /// False when the request had `moreToCome` set: send nothing back.
    pub fn expects_reply(&self) -> bool {
        !self.request.more_to_come()
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why a message could not be read, decoded or encoded.
///
/// See [`FrameError::is_fatal`] for which ones must close the connection.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// Reading from the connection failed. Fatal.
    #[error("I/O error while reading a message: {0}")]
    Io(#[from] std::io::Error),
    /// The stream or buffer ended inside a message. Fatal.
    #[error("truncated message: {needed} bytes needed but only {available} available")]
    Truncated {
        /// Bytes the header or messageLength calls for.
        needed: usize,
        /// Bytes that were there.
        available: usize,
    },
    /// messageLength is negative or shorter than the header. Fatal.
    #[error("invalid messageLength {0}: must be at least {HEADER_LEN} (the header size)")]
    InvalidLength(i32),
    /// messageLength exceeds [`MAX_MESSAGE_SIZE`]. Fatal.
    #[error("messageLength {length} exceeds maxMessageSizeBytes ({MAX_MESSAGE_SIZE})")]
    MessageTooLarge {
        /// The declared length.
        length: usize,
    },
    /// [`decode`] was given more bytes than messageLength says. Fatal.
    #[error("messageLength is {declared} but the buffer holds {actual} bytes")]
    TrailingBytes {
        /// messageLength.
        declared: usize,
        /// The buffer's length.
        actual: usize,
    },
    /// An opCode this server does not speak (including the legacy
    /// OP_INSERT/OP_UPDATE/OP_DELETE/OP_GET_MORE/OP_KILL_CURSORS and a
    /// client-sent OP_REPLY), on the wire or as an originalOpcode. Fatal.
    #[error("unsupported opCode {0}")]
    UnknownOpcode(i32),
    /// An `OP_MSG` section payload type other than 0 or 1; the spec says the
    /// socket MUST be closed. Fatal.
    #[error("unknown OP_MSG section payload type {0}")]
    UnknownSectionKind(u8),
    /// Unknown required flagBits (bits 2-15) are set. Fatal, as in mongod
    /// (IllegalOpMsgFlag is a ConnectionFatalMessageParseError there).
    #[error(
        "OP_MSG flagBits {flags:#010x} set unknown required bits {:#06x}",
        .flags & OpMsg::REQUIRED_BITS & !OpMsg::KNOWN_REQUIRED_BITS
    )]
    IllegalFlags {
        /// The flagBits received.
        flags: u32,
    },
    /// The message was framed correctly but its content is invalid. Not
    /// fatal: the stream is in sync; reply with an error document unless
    /// `more_to_come`.
    #[error("invalid {} (requestID {}): {error}", op_name(.header.op_code), .header.request_id)]
    InvalidMessage {
        /// The header of the offending message (for a compressed message,
        /// once decompressed: the original opCode and length).
        header: Header,
        /// The request had `moreToCome` set: no reply may be sent.
        more_to_come: bool,
        /// What was wrong.
        error: MessageError,
    },
    /// A message or document to be encoded is over its size limit. Not
    /// fatal: send a smaller (error) reply instead.
    #[error("cannot encode {what}: {size} bytes exceeds the limit of {max}")]
    EncodeTooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A message could not be encoded (BSON serialization, a NUL in a
    /// sequence identifier, a compressor failure). Not fatal.
    #[error("cannot encode message: {0}")]
    Encode(String),
}

/// What is wrong with a correctly framed message (see
/// [`FrameError::InvalidMessage`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// A field or section does not fit the message, a cstring is not
    /// NUL-terminated or not UTF-8, bytes are left over, ...
    #[error("malformed message: {0}")]
    Malformed(String),
    /// A document is not valid BSON (or nests too deeply).
    #[error("invalid BSON in {context}: {reason}")]
    InvalidBson {
        /// Which document.
        context: String,
        /// The validation error.
        reason: String,
    },
    /// A document exceeds [`MAX_INTERNAL_BSON_SIZE`].
    #[error("{context} is {size} bytes, over the limit of {MAX_INTERNAL_BSON_SIZE}")]
    DocumentTooLarge {
        /// Which document.
        context: String,
        /// Its declared size.
        size: usize,
    },
    /// No kind-0 section.
    #[error("OP_MSG has no body section (payload type 0)")]
    MissingBody,
    /// More than one kind-0 section.
    #[error("OP_MSG has more than one body section (payload type 0)")]
    MultipleBodies,
    /// Two kind-1 sections with the same identifier.
    #[error("OP_MSG has two document sequences named {0:?}")]
    DuplicateSequence(String),
    /// A kind-1 identifier that is also a field of the body.
    #[error("OP_MSG document sequence {0:?} duplicates a field of the command body")]
    SequenceConflictsWithBody(String),
    /// The CRC-32C in the message does not match its content.
    #[error(
        "OP_MSG checksum mismatch: message carries {expected:#010x}, content hashes to {computed:#010x}"
    )]
    ChecksumMismatch {
        /// The checksum in the message.
        expected: u32,
        /// The checksum computed over the message.
        computed: u32,
    },
    /// A reserved compressorId (4-255).
    #[error("unknown compressorId {0}")]
    UnknownCompressor(u8),
    /// `OP_COMPRESSED` wrapping `OP_COMPRESSED`.
    #[error("OP_COMPRESSED cannot wrap another OP_COMPRESSED")]
    NestedCompression,
    /// uncompressedSize is negative or would make a message larger than
    /// [`MAX_MESSAGE_SIZE`].
    #[error(
        "invalid uncompressedSize {0}: must be between 0 and {max}",
        max = MAX_MESSAGE_SIZE - HEADER_LEN
    )]
    InvalidUncompressedSize(i32),
    /// The compressed data is corrupt.
    #[error("{compressor} decompression failed: {reason}")]
    Decompression {
        /// The compressor named by the message.
        compressor: Compressor,
        /// The decompressor's error.
        reason: String,
    },
    /// The data decompressed to fewer (or, where the format says so up
    /// front, other) bytes than uncompressedSize.
    #[error("uncompressedSize says {declared} bytes but the data decompresses to {actual}")]
    UncompressedSizeMismatch {
        /// uncompressedSize.
        declared: usize,
        /// What the data holds.
        actual: usize,
    },
    /// The data decompresses to more bytes than uncompressedSize.
    #[error("the data decompresses to more than uncompressedSize ({declared} bytes)")]
    UncompressedSizeExceeded {
        /// uncompressedSize.
        declared: usize,
    },
}

impl MessageError {
    fn malformed(msg: impl Into<String>) -> MessageError {
        MessageError::Malformed(msg.into())
    }

    /// The MongoDB error (code, codeName) that best describes this error.
    pub fn code(&self) -> (i32, &'static str) {
        match self {
            MessageError::InvalidBson { .. } => (22, "InvalidBSON"),
            MessageError::DocumentTooLarge { .. } => (10334, "BSONObjectTooLarge"),
            MessageError::ChecksumMismatch { .. } => (288, "ChecksumMismatch"),
            _ => (17, "ProtocolError"),
        }
    }
}

impl FrameError {
    /// True when the connection must be closed: the stream cannot be trusted
    /// (bad or oversized length, truncation, unknown opCode or section kind,
    /// illegal required flags, I/O). False when the message was framed
    /// correctly and an error reply can be sent ([`FrameError::reply_to`]),
    /// and for encoding errors.
    pub fn is_fatal(&self) -> bool {
        match self {
            FrameError::Io(_)
            | FrameError::Truncated { .. }
            | FrameError::InvalidLength(_)
            | FrameError::MessageTooLarge { .. }
            | FrameError::TrailingBytes { .. }
            | FrameError::UnknownOpcode(_)
            | FrameError::UnknownSectionKind(_)
            | FrameError::IllegalFlags { .. } => true,
            FrameError::InvalidMessage { .. }
            | FrameError::EncodeTooLarge { .. }
            | FrameError::Encode(_) => false,
        }
    }

    /// The header of the message this error is about, when it is known.
    pub fn header(&self) -> Option<&Header> {
        match self {
            FrameError::InvalidMessage { header, .. } => Some(header),
            _ => None,
        }
    }

    /// The `responseTo` for an error reply: `Some(requestID)` for a
    /// non-fatal decode error of a request that wants a reply; `None` when
    /// the connection must be closed, when the request had `moreToCome`
    /// set, or for encoding errors.
    pub fn reply_to(&self) -> Option<i32> {
        match self {
            FrameError::InvalidMessage {
                header,
                more_to_come: false,
                ..
            } => Some(header.request_id),
            _ => None,
        }
    }

    /// The MongoDB error (code, codeName) that best describes this error.
    pub fn code(&self) -> (i32, &'static str) {
        match self {
            FrameError::InvalidMessage { error, .. } => error.code(),
            FrameError::IllegalFlags { .. } => (223, "IllegalOpMsgFlag"),
            FrameError::EncodeTooLarge { .. } => (10334, "BSONObjectTooLarge"),
            FrameError::Io(_) => (9001, "SocketException"),
            FrameError::Encode(_) => (1, "InternalError"),
            _ => (17, "ProtocolError"),
        }
    }

    /// An error reply body: `{ ok: 0.0, errmsg, code, codeName }`.
    pub fn error_document(&self) -> Document {
        let (code, code_name) = self.code();
        bson::doc! {
            "ok": 0.0,
            "errmsg": self.to_string(),
            "code": code,
            "codeName": code_name,
        }
    }
}

/// Inside a message parser: a fatal error, or a content error that gets the
/// message's header attached by the caller.
enum ParseError {
    Fatal(FrameError),
    Invalid(MessageError),
}

impl From<MessageError> for ParseError {
    fn from(e: MessageError) -> Self {
        ParseError::Invalid(e)
    }
}

impl ParseError {
    fn into_frame_error(self, header: Header, more_to_come: bool) -> FrameError {
        match self {
            ParseError::Fatal(e) => e,
            ParseError::Invalid(error) => FrameError::InvalidMessage {
                header,
                more_to_come,
                error,
            },
        }
    }
}

// ---------------------------------------------------------------------------
// CRC-32C
// ---------------------------------------------------------------------------

/// Reflected CRC-32C (Castagnoli) polynomial.
const CRC32C_POLY: u32 = 0x82F6_3B78;

/// Slicing-by-8 tables for CRC-32C.
static CRC32C_TABLES: [[u32; 256]; 8] = crc32c_tables();

const fn crc32c_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ CRC32C_POLY
            } else {
                c >> 1
            };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut i = 0;
    while i < 256 {
        let mut j = 1;
        while j < 8 {
            let prev = t[j - 1][i];
            t[j][i] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            j += 1;
        }
        i += 1;
    }
    t
}

/// CRC-32C (Castagnoli, as used by the `OP_MSG` checksum) of `data`.
pub fn crc32c(data: &[u8]) -> u32 {
    let t = &CRC32C_TABLES;
    let mut crc = !0u32;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let lo = u32::from_le_bytes([c[0], c[1], c[2], c[3]]) ^ crc;
        let hi = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
        crc = t[7][(lo & 0xFF) as usize]
            ^ t[6][((lo >> 8) & 0xFF) as usize]
            ^ t[5][((lo >> 16) & 0xFF) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][(hi & 0xFF) as usize]
            ^ t[2][((hi >> 8) & 0xFF) as usize]
            ^ t[1][((hi >> 16) & 0xFF) as usize]
            ^ t[0][(hi >> 24) as usize];
    }
    for &b in chunks.remainder() {
        crc = t[0][((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// Reads one complete message from `r` and decodes it.
///
/// Returns `Ok(None)` on a clean EOF before the first byte of a header. A
/// header is validated before any of the body is read, and the body buffer
/// grows as bytes arrive rather than being sized by the peer's claim. After a
/// non-fatal error the whole message has been consumed, so the caller can
/// reply and read on.
pub async fn read_message<R: AsyncRead + Unpin>(r: &mut R) -> Result<Option<Decoded>, FrameError> {
    let mut head = [0u8; HEADER_LEN];
    let mut filled = 0;
    while filled < HEADER_LEN {
        let n = match r.read(&mut head[filled..]).await {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(FrameError::Io(e)),
        };
        if n == 0 {
            if filled == 0 {
                return Ok(None);
            }
            return Err(FrameError::Truncated {
                needed: HEADER_LEN,
                available: filled,
            });
        }
        filled += n;
    }
    let header = Header::parse(&head)?;
    let len = header.message_len()?;
    let mut buf = Vec::with_capacity(len.min(INITIAL_CAPACITY));
    buf.extend_from_slice(&head);
    let want = len - HEADER_LEN;
    let got = (&mut *r).take(want as u64).read_to_end(&mut buf).await?;
    if got < want {
        return Err(FrameError::Truncated {
            needed: len,
            available: HEADER_LEN + got,
        });
    }
    decode(&buf).map(Some)
}

/// Decodes one complete message: `buf` must hold exactly `messageLength`
/// bytes.
pub fn decode(buf: &[u8]) -> Result<Decoded, FrameError> {
    let header = Header::parse(buf)?;
    let len = header.message_len()?;
    if buf.len() < len {
        return Err(FrameError::Truncated {
            needed: len,
            available: buf.len(),
        });
    }
    if buf.len() > len {
        return Err(FrameError::TrailingBytes {
            declared: len,
            actual: buf.len(),
        });
    }
    match header.op_code {
        OP_MSG => Ok(Decoded {
            header,
            request: Request::Msg(decode_op_msg(header, buf)?),
            compressor: None,
        }),
        OP_QUERY => Ok(Decoded {
            header,
            request: Request::Query(decode_op_query(header, buf)?),
            compressor: None,
        }),
        OP_COMPRESSED => decode_compressed(header, buf),
        other => Err(FrameError::UnknownOpcode(other)),
    }
}

/// A bounds-checked cursor over part of a message.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Names the message kind in error messages.
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8], what: &'static str) -> Self {
        Reader { buf, pos: 0, what }
    }

    fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    fn remaining(&self) -> usize {
        self.rest().len()
    }

    fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8], MessageError> {
        let rest = self.rest();
        match rest.get(..n) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(MessageError::malformed(format!(
                "{}: {field} needs {n} bytes but only {} remain",
                self.what,
                rest.len()
            ))),
        }
    }

    fn u8(&mut self, field: &str) -> Result<u8, MessageError> {
        Ok(self.take(1, field)?[0])
    }

    fn i32(&mut self, field: &str) -> Result<i32, MessageError> {
        Ok(le_i32(self.take(4, field)?, 0))
    }

    fn cstring(&mut self, field: &str) -> Result<&'a str, MessageError> {
        let rest = self.rest();
        let Some(nul) = rest.iter().position(|&b| b == 0) else {
            return Err(MessageError::malformed(format!(
                "{}: {field} is not NUL-terminated",
                self.what
            )));
        };
        let s = std::str::from_utf8(&rest[..nul]).map_err(|e| {
            MessageError::malformed(format!("{}: {field} is not valid UTF-8: {e}", self.what))
        })?;
        self.pos += nul + 1;
        Ok(s)
    }

    /// Reads a BSON document whose size comes from its own leading int32.
    fn document(&mut self, context: &str) -> Result<Document, MessageError> {
        let rest = self.rest();
        let Some(len_bytes) = rest.get(..4) else {
            return Err(MessageError::malformed(format!(
                "{}: {context} needs 4 bytes for its length but only {} remain",
                self.what,
                rest.len()
            )));
        };
        let declared = le_i32(len_bytes, 0);
        let len = match usize::try_from(declared) {
            Ok(n) if n >= 5 => n,
            _ => {
                return Err(MessageError::InvalidBson {
                    context: context.to_owned(),
                    reason: format!("document length {declared} is less than the minimum of 5"),
                });
            }
        };
        if len > MAX_INTERNAL_BSON_SIZE {
            return Err(MessageError::DocumentTooLarge {
                context: context.to_owned(),
                size: len,
            });
        }
        if len > rest.len() {
            return Err(MessageError::malformed(format!(
                "{}: {context} length {len} overruns its section ({} bytes left)",
                self.what,
                rest.len()
            )));
        }
        let bytes = self.take(len, context)?;
        parse_document(bytes, context)
    }
}

/// Validates `bytes` (exactly one document) and converts it.
fn parse_document(bytes: &[u8], context: &str) -> Result<Document, MessageError> {
    let bad = |reason: String| MessageError::InvalidBson {
        context: context.to_owned(),
        reason,
    };
    let raw = RawDocument::from_bytes(bytes).map_err(|e| bad(e.to_string()))?;
    validate_raw(raw).map_err(bad)?;
    Document::try_from(raw).map_err(|e| bad(e.to_string()))
}

/// Walks every element of `doc` without recursion, so that every value is
/// checked and the nesting depth is bounded before the (recursive)
/// conversion to [`Document`].
fn validate_raw(doc: &RawDocument) -> Result<(), String> {
    let mut stack: Vec<RawIter<'_>> = vec![doc.iter_elements()];
    while let Some(top) = stack.last_mut() {
        let elem = match top.next() {
            None => {
                stack.pop();
                continue;
            }
            Some(elem) => elem.map_err(|e| e.to_string())?,
        };
        let child = match elem.value().map_err(|e| e.to_string())? {
            RawBsonRef::Document(d) => d.iter_elements(),
            RawBsonRef::Array(a) => a.iter_elements(),
            RawBsonRef::JavaScriptCodeWithScope(c) => c.scope.iter_elements(),
            _ => continue,
        };
        if stack.len() >= MAX_BSON_DEPTH {
            return Err(format!(
                "documents nest deeper than the maximum of {MAX_BSON_DEPTH} levels"
            ));
        }
        stack.push(child);
    }
    Ok(())
}

fn decode_op_msg(header: Header, msg: &[u8]) -> Result<OpMsg, FrameError> {
    let body = msg.get(HEADER_LEN..).unwrap_or_default();
    let Some(flag_bytes) = body.get(..4) else {
        return Err(FrameError::InvalidMessage {
            header,
            more_to_come: false,
            error: MessageError::malformed(format!(
                "OP_MSG: flagBits needs 4 bytes but only {} remain",
                body.len()
            )),
        });
    };
    let flags = u32::from_le_bytes([flag_bytes[0], flag_bytes[1], flag_bytes[2], flag_bytes[3]]);
    if flags & OpMsg::REQUIRED_BITS & !OpMsg::KNOWN_REQUIRED_BITS != 0 {
        return Err(FrameError::IllegalFlags { flags });
    }
    let more_to_come = flags & OpMsg::MORE_TO_COME != 0;
    parse_op_msg(flags, msg).map_err(|e| e.into_frame_error(header, more_to_come))
}

/// Parses an `OP_MSG` whose flags are already known; `msg` is the whole
/// message, header included (the checksum covers it).
fn parse_op_msg(flags: u32, msg: &[u8]) -> Result<OpMsg, ParseError> {
    let start = HEADER_LEN + 4;
    let mut end = msg.len();
    if flags & OpMsg::CHECKSUM_PRESENT != 0 {
        if end < start + 4 {
            return Err(MessageError::malformed(
                "OP_MSG: checksumPresent is set but the message has no room for a checksum",
            )
            .into());
        }
        end -= 4;
        let expected = u32::from_le_bytes([msg[end], msg[end + 1], msg[end + 2], msg[end + 3]]);
        let computed = crc32c(&msg[..end]);
        if expected != computed {
            return Err(MessageError::ChecksumMismatch { expected, computed }.into());
        }
    }
    let sections = msg.get(start..end).unwrap_or_default();
    if sections.is_empty() {
        return Err(MessageError::MissingBody.into());
    }
    let mut r = Reader::new(sections, "OP_MSG");
    let mut body: Option<Document> = None;
    let mut sequences: Vec<(String, Vec<Document>)> = Vec::new();
    while !r.is_empty() {
        match r.u8("section payload type")? {
            0 => {
                let doc = r.document("OP_MSG body")?;
                if body.is_some() {
                    return Err(MessageError::MultipleBodies.into());
                }
                body = Some(doc);
            }
            1 => {
                let declared = r.i32("document sequence size")?;
                let size = match usize::try_from(declared) {
                    Ok(n) if n >= 5 => n,
                    _ => {
                        return Err(MessageError::malformed(format!(
                            "OP_MSG: document sequence size {declared} is less than the minimum of 5"
                        ))
                        .into());
                    }
                };
                let payload_len = size - 4;
                if payload_len > r.remaining() {
                    return Err(MessageError::malformed(format!(
                        "OP_MSG: document sequence size {size} overruns the message ({} bytes left)",
                        r.remaining() + 4
                    ))
                    .into());
                }
                let payload = r.take(payload_len, "document sequence")?;
                let mut seq = Reader::new(payload, "OP_MSG document sequence");
                let identifier = seq.cstring("identifier")?.to_owned();
                if sequences.iter().any(|(id, _)| *id == identifier) {
                    return Err(MessageError::DuplicateSequence(identifier).into());
                }
                let mut docs = Vec::new();
                while !seq.is_empty() {
                    let context = format!(
                        "OP_MSG document sequence {identifier:?} item {}",
                        docs.len()
                    );
                    docs.push(seq.document(&context)?);
                }
                sequences.push((identifier, docs));
            }
            kind => return Err(ParseError::Fatal(FrameError::UnknownSectionKind(kind))),
        }
    }
    let Some(body) = body else {
        return Err(MessageError::MissingBody.into());
    };
    if let Some((id, _)) = sequences.iter().find(|(id, _)| body.contains_key(id)) {
        return Err(MessageError::SequenceConflictsWithBody(id.clone()).into());
    }
    Ok(OpMsg {
        flags,
        body,
        sequences,
    })
}

fn decode_op_query(header: Header, msg: &[u8]) -> Result<OpQuery, FrameError> {
    parse_op_query(msg.get(HEADER_LEN..).unwrap_or_default()).map_err(|error| {
        FrameError::InvalidMessage {
            header,
            more_to_come: false,
            error,
        }
    })
}

fn parse_op_query(body: &[u8]) -> Result<OpQuery, MessageError> {
    let mut r = Reader::new(body, "OP_QUERY");
    let flags = r.i32("flags")?;
    let full_collection_name = r.cstring("fullCollectionName")?.to_owned();
    let number_to_skip = r.i32("numberToSkip")?;
    let number_to_return = r.i32("numberToReturn")?;
    let query = r.document("OP_QUERY query")?;
    let return_fields = if r.is_empty() {
        None
    } else {
        Some(r.document("OP_QUERY returnFieldsSelector")?)
    };
    if !r.is_empty() {
        return Err(MessageError::malformed(format!(
            "OP_QUERY: {} unexpected bytes after the returnFieldsSelector",
            r.remaining()
        )));
    }
    Ok(OpQuery {
        flags,
        full_collection_name,
        number_to_skip,
        number_to_return,
        query,
        return_fields,
    })
}

fn decode_compressed(header: Header, buf: &[u8]) -> Result<Decoded, FrameError> {
    let invalid = |error: MessageError| FrameError::InvalidMessage {
        header,
        more_to_come: false,
        error,
    };
    let body = buf.get(HEADER_LEN..).unwrap_or_default();
    if body.len() < COMPRESSED_PREFIX_LEN {
        return Err(invalid(MessageError::malformed(format!(
            "OP_COMPRESSED: originalOpcode, uncompressedSize and compressorId need \
             {COMPRESSED_PREFIX_LEN} bytes but only {} remain",
            body.len()
        ))));
    }
    let original = le_i32(body, 0);
    let declared = le_i32(body, 4);
    let compressor_id = body[8];
    let data = &body[COMPRESSED_PREFIX_LEN..];
    match original {
        OP_MSG | OP_QUERY => {}
        OP_COMPRESSED => return Err(invalid(MessageError::NestedCompression)),
        other => return Err(FrameError::UnknownOpcode(other)),
    }
    let size = match usize::try_from(declared) {
        Ok(n) if n <= MAX_MESSAGE_SIZE - HEADER_LEN => n,
        _ => return Err(invalid(MessageError::InvalidUncompressedSize(declared))),
    };
    let compressor = Compressor::from_id(compressor_id)
        .ok_or_else(|| invalid(MessageError::UnknownCompressor(compressor_id)))?;
    let mut msg = decompress(compressor, data, size).map_err(invalid)?;
    // Rebuild the original message: its header is the compressed one with
    // the original opCode and the uncompressed length.
    let inner = Header {
        length: i32::try_from(HEADER_LEN + size)
            .map_err(|_| invalid(MessageError::InvalidUncompressedSize(declared)))?,
        request_id: header.request_id,
        response_to: header.response_to,
        op_code: original,
    };
    msg[..HEADER_LEN].copy_from_slice(&inner.to_bytes());
    let request = if original == OP_MSG {
        Request::Msg(decode_op_msg(inner, &msg)?)
    } else {
        Request::Query(decode_op_query(inner, &msg)?)
    };
    Ok(Decoded {
        header,
        request,
        compressor: Some(compressor),
    })
}

/// Decompresses `data`, which must expand to exactly `declared` bytes, into
/// a new buffer after [`HEADER_LEN`] zero bytes (room for the rebuilt
/// header). `declared` is already bounded by [`MAX_MESSAGE_SIZE`].
fn decompress(
    compressor: Compressor,
    data: &[u8],
    declared: usize,
) -> Result<Vec<u8>, MessageError> {
    let failed = |reason: String| MessageError::Decompression { compressor, reason };
    match compressor {
        Compressor::Noop => {
            if data.len() != declared {
                return Err(MessageError::UncompressedSizeMismatch {
                    declared,
                    actual: data.len(),
                });
            }
            let mut out = Vec::with_capacity(HEADER_LEN + declared);
            out.extend_from_slice(&[0u8; HEADER_LEN]);
            out.extend_from_slice(data);
            Ok(out)
        }
        Compressor::Snappy => {
            // Raw snappy starts with its own varint length: check it against
            // uncompressedSize, and against what the input could possibly
            // expand to, before allocating.
            let claimed = snap::raw::decompress_len(data).map_err(|e| failed(e.to_string()))?;
            if claimed != declared {
                return Err(MessageError::UncompressedSizeMismatch {
                    declared,
                    actual: claimed,
                });
            }
            if declared > data.len().saturating_mul(SNAPPY_MAX_RATIO) {
                return Err(failed(format!(
                    "{} compressed bytes cannot expand to {declared}",
                    data.len()
                )));
            }
            let mut out = vec![0u8; HEADER_LEN + declared];
            let n = snap::raw::Decoder::new()
                .decompress(data, &mut out[HEADER_LEN..])
                .map_err(|e| failed(e.to_string()))?;
            if n != declared {
                return Err(MessageError::UncompressedSizeMismatch {
                    declared,
                    actual: n,
                });
            }
            Ok(out)
        }
        Compressor::Zlib => {
            let mut out = Vec::with_capacity(HEADER_LEN + declared.min(INITIAL_CAPACITY));
            out.extend_from_slice(&[0u8; HEADER_LEN]);
            // One byte more than declared, to notice data that is longer.
            flate2::read::ZlibDecoder::new(data)
                .take(declared as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| failed(e.to_string()))?;
            let actual = out.len() - HEADER_LEN;
            if actual > declared {
                return Err(MessageError::UncompressedSizeExceeded { declared });
            }
            if actual < declared {
                return Err(MessageError::UncompressedSizeMismatch { declared, actual });
            }
            Ok(out)
        }
        Compressor::Zstd => {
            // A frame that records its content size can be checked before
            // allocating; the one-shot decoder writes straight into `out` and
            // fails rather than write past it.
            if let Ok(Some(content)) = zstd::zstd_safe::get_frame_content_size(data)
                && content > declared as u64
            {
                return Err(MessageError::UncompressedSizeExceeded { declared });
            }
            let mut out = vec![0u8; HEADER_LEN + declared];
            let n = zstd::bulk::decompress_to_buffer(data, &mut out[HEADER_LEN..])
                .map_err(|e| failed(e.to_string()))?;
            if n != declared {
                return Err(MessageError::UncompressedSizeMismatch {
                    declared,
                    actual: n,
                });
            }
            Ok(out)
        }
    }
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// Starts a message: a header with a placeholder length.
fn start_message(request_id: i32, response_to: i32, op_code: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(
        &Header {
            length: 0,
            request_id,
            response_to,
            op_code,
        }
        .to_bytes(),
    );
    out
}

/// Writes the final messageLength, after checking [`MAX_MESSAGE_SIZE`].
fn finish_message(out: &mut [u8]) -> Result<(), FrameError> {
    let len = out.len();
    if len > MAX_MESSAGE_SIZE {
        return Err(FrameError::EncodeTooLarge {
            what: "message",
            size: len,
            max: MAX_MESSAGE_SIZE,
        });
    }
    let len = i32::try_from(len).map_err(|_| FrameError::EncodeTooLarge {
        what: "message",
        size: len,
        max: MAX_MESSAGE_SIZE,
    })?;
    out[..4].copy_from_slice(&len.to_le_bytes());
    Ok(())
}

fn put_document(out: &mut Vec<u8>, doc: &Document) -> Result<(), FrameError> {
    let bytes = doc
        .to_vec()
        .map_err(|e| FrameError::Encode(format!("BSON serialization failed: {e}")))?;
    if bytes.len() > MAX_INTERNAL_BSON_SIZE {
        return Err(FrameError::EncodeTooLarge {
            what: "document",
            size: bytes.len(),
            max: MAX_INTERNAL_BSON_SIZE,
        });
    }
    out.extend_from_slice(&bytes);
    Ok(())
}

fn encode_msg_parts(
    request_id: i32,
    response_to: i32,
    flags: u32,
    body: &Document,
    sequences: &[(String, Vec<Document>)],
    compressor: Option<Compressor>,
) -> Result<Vec<u8>, FrameError> {
    // mongod strips the checksum from messages it compresses; so do we.
    let flags = if compressor.is_some() {
        flags & !OpMsg::CHECKSUM_PRESENT
    } else {
        flags
    };
    let mut out = start_message(request_id, response_to, OP_MSG);
    out.extend_from_slice(&flags.to_le_bytes());
    out.push(0);
    put_document(&mut out, body)?;
    for (identifier, docs) in sequences {
        if identifier.as_bytes().contains(&0) {
            return Err(FrameError::Encode(format!(
                "document sequence identifier {identifier:?} contains a NUL byte"
            )));
        }
        out.push(1);
        let size_at = out.len();
        out.extend_from_slice(&[0u8; 4]);
        out.extend_from_slice(identifier.as_bytes());
        out.push(0);
        for doc in docs {
            put_document(&mut out, doc)?;
            if out.len() > MAX_MESSAGE_SIZE {
                return Err(FrameError::EncodeTooLarge {
                    what: "message",
                    size: out.len(),
                    max: MAX_MESSAGE_SIZE,
                });
            }
        }
        let size = out.len() - size_at;
        let size = i32::try_from(size).map_err(|_| FrameError::EncodeTooLarge {
            what: "document sequence",
            size,
            max: MAX_MESSAGE_SIZE,
        })?;
        out[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
    }
    if flags & OpMsg::CHECKSUM_PRESENT != 0 {
        out.extend_from_slice(&[0u8; 4]);
        finish_message(&mut out)?;
        let end = out.len() - 4;
        let crc = crc32c(&out[..end]);
        out[end..].copy_from_slice(&crc.to_le_bytes());
    } else {
        finish_message(&mut out)?;
    }
    match compressor {
        Some(c) => compress(&out, c),
        None => Ok(out),
    }
}

/// Encodes an `OP_MSG` with `msg`'s flags, body and sequences (appending a
/// CRC-32C when `msg.flags` has [`OpMsg::CHECKSUM_PRESENT`] and no
/// compressor is used), optionally wrapped in `OP_COMPRESSED`.
pub fn encode_msg(
    request_id: i32,
    response_to: i32,
    msg: &OpMsg,
    compressor: Option<Compressor>,
) -> Result<Vec<u8>, FrameError> {
    encode_msg_parts(
        request_id,
        response_to,
        msg.flags,
        &msg.body,
        &msg.sequences,
        compressor,
    )
}

/// Encodes an `OP_MSG` reply (flags 0, one body section) to `response_to`,
/// optionally wrapped in `OP_COMPRESSED`.
pub fn encode_msg_reply(
    request_id: i32,
    response_to: i32,
    body: &Document,
    compressor: Option<Compressor>,
) -> Result<Vec<u8>, FrameError> {
    encode_msg_parts(request_id, response_to, 0, body, &[], compressor)
}

/// Encodes an `OP_REPLY` (the answer to an `OP_QUERY`): responseFlags 0, or
/// QueryFailure (2) when `failure`; cursorID 0; startingFrom 0; one
/// document.
pub fn encode_op_reply(
    request_id: i32,
    response_to: i32,
    doc: &Document,
    failure: bool,
) -> Result<Vec<u8>, FrameError> {
    let mut out = start_message(request_id, response_to, OP_REPLY);
    let flags = if failure { REPLY_QUERY_FAILURE } else { 0 };
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&0i64.to_le_bytes()); // cursorID
    out.extend_from_slice(&0i32.to_le_bytes()); // startingFrom
    out.extend_from_slice(&1i32.to_le_bytes()); // numberReturned
    put_document(&mut out, doc)?;
    finish_message(&mut out)?;
    Ok(out)
}

/// Encodes an `OP_QUERY` (what a legacy client sends; for tests and tools).
pub fn encode_op_query(request_id: i32, query: &OpQuery) -> Result<Vec<u8>, FrameError> {
    if query.full_collection_name.as_bytes().contains(&0) {
        return Err(FrameError::Encode(format!(
            "fullCollectionName {:?} contains a NUL byte",
            query.full_collection_name
        )));
    }
    let mut out = start_message(request_id, 0, OP_QUERY);
    out.extend_from_slice(&query.flags.to_le_bytes());
    out.extend_from_slice(query.full_collection_name.as_bytes());
    out.push(0);
    out.extend_from_slice(&query.number_to_skip.to_le_bytes());
    out.extend_from_slice(&query.number_to_return.to_le_bytes());
    put_document(&mut out, &query.query)?;
    if let Some(fields) = &query.return_fields {
        put_document(&mut out, fields)?;
    }
    finish_message(&mut out)?;
    Ok(out)
}

/// Wraps a complete encoded message (header included) in `OP_COMPRESSED`,
/// keeping its requestID and responseTo.
pub fn compress(message: &[u8], compressor: Compressor) -> Result<Vec<u8>, FrameError> {
    let header = Header::parse(message)?;
    let payload = &message[HEADER_LEN..];
    let uncompressed_size =
        i32::try_from(payload.len()).map_err(|_| FrameError::EncodeTooLarge {
            what: "message",
            size: message.len(),
            max: MAX_MESSAGE_SIZE,
        })?;
    let failed =
        |reason: String| FrameError::Encode(format!("{compressor} compression failed: {reason}"));
    let compressed = match compressor {
        Compressor::Noop => payload.to_vec(),
        Compressor::Snappy => snap::raw::Encoder::new()
            .compress_vec(payload)
            .map_err(|e| failed(e.to_string()))?,
        Compressor::Zlib => {
            use std::io::Write;
            let mut enc =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(payload).map_err(|e| failed(e.to_string()))?;
            enc.finish().map_err(|e| failed(e.to_string()))?
        }
        Compressor::Zstd => zstd::bulk::compress(payload, 0).map_err(|e| failed(e.to_string()))?,
    };
    let mut out = Vec::with_capacity(HEADER_LEN + COMPRESSED_PREFIX_LEN + compressed.len());
    out.extend_from_slice(
        &Header {
            length: 0,
            request_id: header.request_id,
            response_to: header.response_to,
            op_code: OP_COMPRESSED,
        }
        .to_bytes(),
    );
    out.extend_from_slice(&header.op_code.to_le_bytes());
    out.extend_from_slice(&uncompressed_size.to_le_bytes());
    out.push(compressor.id());
    out.extend_from_slice(&compressed);
    finish_message(&mut out)?;
    Ok(out)
}

/// The command as a server processes it: the body with each document
/// sequence added as an array field named by its identifier (e.g.
/// `documents` for insert, `updates`, `deletes`). [`decode`] rejects a
/// sequence whose identifier is already a body field; for a hand-built
/// [`OpMsg`] the sequence wins.
pub fn command_document(msg: &OpMsg) -> Document {
    let mut doc = msg.body.clone();
    for (identifier, docs) in &msg.sequences {
        let array = docs.iter().cloned().map(Bson::Document).collect();
        doc.insert(identifier.clone(), Bson::Array(array));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;
    use proptest::prelude::*;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll, Waker};

    // -- helpers -----------------------------------------------------------

    /// Runs a future whose I/O never really blocks (in-memory readers).
    fn block_on<F: Future>(fut: F) -> F::Output {
        let mut fut = std::pin::pin!(fut);
        let mut cx = Context::from_waker(Waker::noop());
        for _ in 0..10_000_000 {
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                return v;
            }
        }
        panic!("future did not complete");
    }

    /// An AsyncRead that hands out one byte per read and returns Pending in
    /// between, to exercise partial reads.
    struct Trickle {
        data: Vec<u8>,
        pos: usize,
        pending: bool,
    }

    impl Trickle {
        fn new(data: Vec<u8>) -> Self {
            Trickle {
                data,
                pos: 0,
                pending: true,
            }
        }
    }

    impl AsyncRead for Trickle {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut tokio::io::ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            if self.pending {
                self.pending = false;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            self.pending = true;
            if self.pos < self.data.len() && buf.remaining() > 0 {
                let b = self.data[self.pos];
                buf.put_slice(&[b]);
                self.pos += 1;
            }
            Poll::Ready(Ok(()))
        }
    }

    fn ping() -> Document {
        doc! { "ping": 1, "$db": "admin" }
    }

    fn insert_msg() -> OpMsg {
        OpMsg {
            flags: 0,
            body: doc! { "insert": "coll", "$db": "db", "ordered": true },
            sequences: vec![(
                "documents".to_owned(),
                vec![
                    doc! { "_id": 1, "a": "x" },
                    doc! { "_id": 2, "b": [1, 2, { "c": null }] },
                ],
            )],
        }
    }

    fn legacy_hello() -> OpQuery {
        OpQuery {
            flags: 0,
            full_collection_name: "admin.$cmd".to_owned(),
            number_to_skip: 0,
            number_to_return: -1,
            query: doc! { "isMaster": 1, "helloOk": true, "client": { "driver": { "name": "x" } } },
            return_fields: None,
        }
    }

    fn msg_of(decoded: &Decoded) -> &OpMsg {
        match &decoded.request {
            Request::Msg(m) => m,
            other => panic!("expected OP_MSG, got {other:?}"),
        }
    }

    /// Builds a raw message: header (with the right length) + body bytes.
    fn raw_message(request_id: i32, op_code: i32, body: &[u8]) -> Vec<u8> {
        let mut out = Header {
            length: (HEADER_LEN + body.len()) as i32,
            request_id,
            response_to: 0,
            op_code,
        }
        .to_bytes()
        .to_vec();
        out.extend_from_slice(body);
        out
    }

    /// Builds OP_MSG bytes from flags and raw section bytes.
    fn raw_op_msg(flags: u32, sections: &[u8]) -> Vec<u8> {
        let mut body = flags.to_le_bytes().to_vec();
        body.extend_from_slice(sections);
        raw_message(7, OP_MSG, &body)
    }

    fn kind0(doc: &Document) -> Vec<u8> {
        let mut s = vec![0u8];
        s.extend(doc.to_vec().unwrap());
        s
    }

    fn set_len(msg: &mut [u8]) {
        let len = msg.len() as i32;
        msg[..4].copy_from_slice(&len.to_le_bytes());
    }

    fn invalid_error(r: Result<Decoded, FrameError>) -> (MessageError, FrameError) {
        match r {
            Err(e @ FrameError::InvalidMessage { .. }) => {
                assert!(!e.is_fatal());
                let FrameError::InvalidMessage { error, .. } = &e else {
                    unreachable!()
                };
                (error.clone(), e)
            }
            other => panic!("expected InvalidMessage, got {other:?}"),
        }
    }

    /// A document nested `depth` levels deep ({a:{a:...}}), built as bytes.
    fn nested_bytes(depth: usize) -> Vec<u8> {
        let mut doc = vec![5u8, 0, 0, 0, 0];
        for _ in 1..depth {
            let mut outer = Vec::with_capacity(doc.len() + 8);
            outer.extend_from_slice(&[0u8; 4]);
            outer.push(0x03);
            outer.extend_from_slice(b"a\0");
            outer.extend_from_slice(&doc);
            outer.push(0);
            let len = outer.len() as i32;
            outer[..4].copy_from_slice(&len.to_le_bytes());
            doc = outer;
        }
        doc
    }

    // -- CRC-32C -----------------------------------------------------------

    #[test]
    fn crc32c_known_vectors() {
        assert_eq!(crc32c(b""), 0);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        // RFC 3720 (iSCSI) appendix B.4.
        assert_eq!(crc32c(&[0u8; 32]), 0x8A91_36AA);
        assert_eq!(crc32c(&[0xFFu8; 32]), 0x62A8_AB43);
        let ascending: Vec<u8> = (0u8..32).collect();
        assert_eq!(crc32c(&ascending), 0x46DD_794E);
        let descending: Vec<u8> = (0u8..32).rev().collect();
        assert_eq!(crc32c(&descending), 0x113F_DB5C);
        // Not CRC-32 (IEEE).
        assert_ne!(crc32c(b"123456789"), crc32fast::hash(b"123456789"));
    }

    #[test]
    fn crc32c_slicing_matches_bytewise() {
        fn bytewise(data: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in data {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 != 0 {
                        (crc >> 1) ^ CRC32C_POLY
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let data: Vec<u8> = (0..1000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for len in 0..data.len() {
            assert_eq!(crc32c(&data[..len]), bytewise(&data[..len]), "len {len}");
        }
    }

    // -- OP_MSG ------------------------------------------------------------

    #[test]
    fn op_msg_exact_bytes() {
        let bytes = encode_msg_reply(5, 9, &doc! { "ok": 1 }, None).unwrap();
        let mut expected = vec![
            0, 0, 0, 0, // length, patched below
            5, 0, 0, 0, // requestID
            9, 0, 0, 0, // responseTo
            0xDD, 0x07, 0, 0, // opCode 2013
            0, 0, 0, 0, // flagBits
            0, // kind 0
        ];
        expected.extend_from_slice(&[13, 0, 0, 0, 0x10, b'o', b'k', 0, 1, 0, 0, 0, 0]);
        set_len(&mut expected);
        assert_eq!(bytes, expected);
        assert_eq!(bytes.len(), 34);
    }

    #[test]
    fn op_msg_round_trip_plain() {
        let bytes = encode_msg_reply(42, 17, &ping(), None).unwrap();
        let d = decode(&bytes).unwrap();
        assert_eq!(
            d.header,
            Header {
                length: bytes.len() as i32,
                request_id: 42,
                response_to: 17,
                op_code: OP_MSG
            }
        );
        assert_eq!(d.compressor, None);
        assert!(d.expects_reply());
        let m = msg_of(&d);
        assert_eq!(m.flags, 0);
        assert_eq!(m.body, ping());
        assert!(m.sequences.is_empty());
    }

    #[test]
    fn op_msg_round_trip_with_sequences() {
        let mut msg = insert_msg();
        msg.sequences.push(("updates".to_owned(), vec![]));
        let bytes = encode_msg(1, 0, &msg, None).unwrap();
        let d = decode(&bytes).unwrap();
        assert_eq!(msg_of(&d), &msg);
        let cmd = command_document(msg_of(&d));
        assert_eq!(
            cmd,
            doc! {
                "insert": "coll", "$db": "db", "ordered": true,
                "documents": [{ "_id": 1, "a": "x" }, { "_id": 2, "b": [1, 2, { "c": null }] }],
                "updates": [],
            }
        );
        assert_eq!(cmd.keys().next().map(String::as_str), Some("insert"));
    }

    #[test]
    fn op_msg_sequence_before_body() {
        // Sections may come in any order.
        let mut seq = vec![1u8];
        let d1 = doc! { "q": {}, "limit": 1 }.to_vec().unwrap();
        let size = 4 + "deletes\0".len() + d1.len();
        seq.extend_from_slice(&(size as i32).to_le_bytes());
        seq.extend_from_slice(b"deletes\0");
        seq.extend_from_slice(&d1);
        seq.extend(kind0(&doc! { "delete": "c", "$db": "d" }));
        let d = decode(&raw_op_msg(0, &seq)).unwrap();
        let m = msg_of(&d);
        assert_eq!(
            m.sequences,
            vec![("deletes".to_owned(), vec![doc! { "q": {}, "limit": 1 }])]
        );
        assert_eq!(command_document(m).get_array("deletes").unwrap().len(), 1);
    }

    #[test]
    fn op_msg_round_trip_with_checksum() {
        let mut msg = insert_msg();
        msg.flags = OpMsg::CHECKSUM_PRESENT;
        let bytes = encode_msg(3, 0, &msg, None).unwrap();
        let n = bytes.len();
        let stored = u32::from_le_bytes(bytes[n - 4..].try_into().unwrap());
        assert_eq!(stored, crc32c(&bytes[..n - 4]));
        let d = decode(&bytes).unwrap();
        let m = msg_of(&d);
        assert!(m.checksum_present());
        assert_eq!(m, &msg);
        // Re-encoding the decoded message reproduces the bytes.
        assert_eq!(encode_msg(3, 0, m, None).unwrap(), bytes);
    }

    #[test]
    fn op_msg_flags_exposed() {
        let msg = OpMsg {
            flags: OpMsg::MORE_TO_COME | OpMsg::EXHAUST_ALLOWED,
            ..OpMsg::new(doc! { "insert": "c", "$db": "d", "writeConcern": { "w": 0 } })
        };
        let d = decode(&encode_msg(1, 0, &msg, None).unwrap()).unwrap();
        assert!(d.request.more_to_come());
        assert!(!d.expects_reply());
        assert!(msg_of(&d).exhaust_allowed());
        assert!(!msg_of(&d).checksum_present());
        // Unknown optional (high) bits are ignored.
        let bytes = raw_op_msg(1 << 20 | OpMsg::EXHAUST_ALLOWED, &kind0(&ping()));
        assert_eq!(
            msg_of(&decode(&bytes).unwrap()).flags,
            1 << 20 | OpMsg::EXHAUST_ALLOWED
        );
    }

    #[test]
    fn op_msg_more_to_come_error_has_no_reply() {
        let mut sections = kind0(&ping());
        sections.extend(kind0(&ping()));
        let err = decode(&raw_op_msg(OpMsg::MORE_TO_COME, &sections)).unwrap_err();
        assert!(!err.is_fatal());
        assert_eq!(err.reply_to(), None);
        let err = decode(&raw_op_msg(0, &sections)).unwrap_err();
        assert_eq!(err.reply_to(), Some(7));
        let reply = err.error_document();
        assert_eq!(reply.get_f64("ok").unwrap(), 0.0);
        assert_eq!(reply.get_i32("code").unwrap(), 17);
        assert!(
            reply
                .get_str("errmsg")
                .unwrap()
                .contains("more than one body")
        );
    }

    // -- OP_QUERY / OP_REPLY ----------------------------------------------

    #[test]
    fn op_query_parse() {
        let q = legacy_hello();
        let bytes = encode_op_query(11, &q).unwrap();
        let d = decode(&bytes).unwrap();
        assert_eq!(d.header.op_code, OP_QUERY);
        assert_eq!(d.header.request_id, 11);
        let Request::Query(got) = &d.request else {
            panic!("not a query")
        };
        assert_eq!(got, &q);
        assert!(got.is_command());
        assert_eq!(got.database(), "admin");
        assert!(d.expects_reply());

        let with_fields = OpQuery {
            flags: 4,
            full_collection_name: "db.coll".to_owned(),
            number_to_skip: 3,
            number_to_return: 10,
            query: doc! { "x": 1 },
            return_fields: Some(doc! { "x": 1, "_id": 0 }),
        };
        let Request::Query(got) = decode(&encode_op_query(12, &with_fields).unwrap())
            .unwrap()
            .request
        else {
            panic!("not a query")
        };
        assert_eq!(got, with_fields);
        assert!(!got.is_command());
    }

    #[test]
    fn op_query_hand_built() {
        // Byte layout independent of our encoder.
        let mut body = Vec::new();
        body.extend_from_slice(&0i32.to_le_bytes());
        body.extend_from_slice(b"admin.$cmd\0");
        body.extend_from_slice(&0i32.to_le_bytes());
        body.extend_from_slice(&(-1i32).to_le_bytes());
        body.extend(doc! { "hello": 1 }.to_vec().unwrap());
        let Request::Query(q) = decode(&raw_message(3, OP_QUERY, &body)).unwrap().request else {
            panic!("not a query")
        };
        assert_eq!(q.full_collection_name, "admin.$cmd");
        assert_eq!(q.number_to_return, -1);
        assert_eq!(q.query, doc! { "hello": 1 });
        assert_eq!(q.return_fields, None);
    }

    #[test]
    fn op_reply_encode() {
        let doc = doc! { "ismaster": true, "maxWireVersion": 21, "ok": 1.0 };
        for failure in [false, true] {
            let bytes = encode_op_reply(100, 11, &doc, failure).unwrap();
            let h = Header::parse(&bytes).unwrap();
            assert_eq!(h.length as usize, bytes.len());
            assert_eq!(
                (h.request_id, h.response_to, h.op_code),
                (100, 11, OP_REPLY)
            );
            let flags = i32::from_le_bytes(bytes[16..20].try_into().unwrap());
            assert_eq!(flags, if failure { 2 } else { 0 });
            assert_eq!(i64::from_le_bytes(bytes[20..28].try_into().unwrap()), 0); // cursorID
            assert_eq!(i32::from_le_bytes(bytes[28..32].try_into().unwrap()), 0); // startingFrom
            assert_eq!(i32::from_le_bytes(bytes[32..36].try_into().unwrap()), 1); // numberReturned
            let got = Document::try_from(RawDocument::from_bytes(&bytes[36..]).unwrap()).unwrap();
            assert_eq!(got, doc);
        }
        // A server never accepts OP_REPLY from a client.
        let bytes = encode_op_reply(1, 0, &doc, false).unwrap();
        assert!(matches!(
            decode(&bytes),
            Err(FrameError::UnknownOpcode(OP_REPLY))
        ));
    }

    // -- OP_COMPRESSED -----------------------------------------------------

    const ALL: [Compressor; 4] = [
        Compressor::Noop,
        Compressor::Snappy,
        Compressor::Zlib,
        Compressor::Zstd,
    ];

    #[test]
    fn compressor_ids_and_names() {
        for c in ALL {
            assert_eq!(Compressor::from_id(c.id()), Some(c));
            assert_eq!(Compressor::from_name(c.name()), Some(c));
        }
        assert_eq!(Compressor::Zstd.id(), 3);
        assert_eq!(Compressor::from_id(4), None);
        assert_eq!(Compressor::from_name("lz4"), None);
    }

    #[test]
    fn compressed_round_trips() {
        let big = "x".repeat(100_000);
        let msg = OpMsg {
            flags: 0,
            body: doc! { "insert": "c", "$db": "d", "pad": big.clone() },
            sequences: vec![(
                "documents".to_owned(),
                (0..50)
                    .map(|i| doc! { "_id": i, "s": &big[..1000] })
                    .collect(),
            )],
        };
        for c in ALL {
            let bytes = encode_msg(8, 4, &msg, Some(c)).unwrap();
            let h = Header::parse(&bytes).unwrap();
            assert_eq!(h.op_code, OP_COMPRESSED);
            assert_eq!(bytes[16..20], OP_MSG.to_le_bytes());
            assert_eq!(bytes[24], c.id());
            if c != Compressor::Noop {
                assert!(
                    bytes.len() < 20_000,
                    "{c} did not compress: {}",
                    bytes.len()
                );
            }
            let d = decode(&bytes).unwrap();
            assert_eq!(d.compressor, Some(c));
            assert_eq!(d.header, h);
            assert_eq!(msg_of(&d), &msg, "{c}");

            let reply = encode_msg_reply(9, 8, &doc! { "ok": 1.0 }, Some(c)).unwrap();
            let d = decode(&reply).unwrap();
            assert_eq!((d.header.request_id, d.header.response_to), (9, 8));
            assert_eq!(msg_of(&d).body, doc! { "ok": 1.0 });

            let q = compress(&encode_op_query(5, &legacy_hello()).unwrap(), c).unwrap();
            let d = decode(&q).unwrap();
            assert_eq!(d.request, Request::Query(legacy_hello()));
            assert_eq!(d.compressor, Some(c));
        }
    }

    #[test]
    fn compressed_strips_checksum() {
        let mut msg = insert_msg();
        msg.flags = OpMsg::CHECKSUM_PRESENT;
        let d = decode(&encode_msg(1, 0, &msg, Some(Compressor::Zlib)).unwrap()).unwrap();
        assert!(!msg_of(&d).checksum_present());
    }

    #[test]
    fn compressed_checksum_is_verified_over_rebuilt_message() {
        // A client that compresses a checksummed OP_MSG: the checksum covers
        // the original (uncompressed) message.
        let mut msg = insert_msg();
        msg.flags = OpMsg::CHECKSUM_PRESENT;
        let plain = encode_msg(6, 0, &msg, None).unwrap();
        for c in ALL {
            let d = decode(&compress(&plain, c).unwrap()).unwrap();
            assert_eq!(msg_of(&d), &msg);
            let mut bad = plain.clone();
            let n = bad.len();
            bad[n - 1] ^= 0xFF;
            let (e, _) = invalid_error(decode(&compress(&bad, c).unwrap()));
            assert!(matches!(e, MessageError::ChecksumMismatch { .. }), "{e:?}");
        }
    }

    #[test]
    fn highly_compressible_snappy_fits_ratio_bound() {
        let msg = OpMsg::new(doc! { "pad": "a".repeat(4_000_000) });
        let bytes = encode_msg(1, 0, &msg, Some(Compressor::Snappy)).unwrap();
        assert_eq!(msg_of(&decode(&bytes).unwrap()), &msg);
    }

    /// An OP_COMPRESSED message from parts.
    fn raw_compressed(original: i32, uncompressed_size: i32, id: u8, data: &[u8]) -> Vec<u8> {
        let mut body = original.to_le_bytes().to_vec();
        body.extend_from_slice(&uncompressed_size.to_le_bytes());
        body.push(id);
        body.extend_from_slice(data);
        raw_message(2, OP_COMPRESSED, &body)
    }

    #[test]
    fn compressed_size_lies() {
        let plain = encode_msg_reply(1, 0, &ping(), None).unwrap();
        let payload = &plain[HEADER_LEN..];
        let n = payload.len() as i32;
        let snappy = snap::raw::Encoder::new().compress_vec(payload).unwrap();
        let zlib = {
            use std::io::Write;
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(payload).unwrap();
            e.finish().unwrap()
        };
        let zstd_data = zstd::bulk::compress(payload, 0).unwrap();
        let cases: Vec<(Compressor, &[u8])> = vec![
            (Compressor::Noop, payload),
            (Compressor::Snappy, &snappy),
            (Compressor::Zlib, &zlib),
            (Compressor::Zstd, &zstd_data),
        ];
        for (c, data) in cases {
            assert!(
                decode(&raw_compressed(OP_MSG, n, c.id(), data)).is_ok(),
                "{c} honest"
            );
            for lie in [n - 1, n + 1, 0, 1_000_000] {
                let (e, err) = invalid_error(decode(&raw_compressed(OP_MSG, lie, c.id(), data)));
                assert!(
                    matches!(
                        e,
                        MessageError::UncompressedSizeMismatch { .. }
                            | MessageError::UncompressedSizeExceeded { .. }
                            | MessageError::Decompression { .. }
                    ),
                    "{c} lie {lie}: {e:?}"
                );
                assert_eq!(err.reply_to(), Some(2));
            }
            for lie in [
                -1,
                i32::MIN,
                (MAX_MESSAGE_SIZE - HEADER_LEN + 1) as i32,
                i32::MAX,
            ] {
                let (e, _) = invalid_error(decode(&raw_compressed(OP_MSG, lie, c.id(), data)));
                assert_eq!(e, MessageError::InvalidUncompressedSize(lie));
            }
        }
        // Snappy claiming a size its input cannot produce.
        let mut claim = Vec::new();
        let mut v = 40_000_000u32;
        while v >= 0x80 {
            claim.push((v as u8) | 0x80);
            v >>= 7;
        }
        claim.push(v as u8);
        claim.extend_from_slice(&[0, 0, 0]);
        let (e, _) = invalid_error(decode(&raw_compressed(OP_MSG, 40_000_000, 1, &claim)));
        assert!(matches!(e, MessageError::Decompression { .. }), "{e:?}");
    }

    #[test]
    fn compressed_bad_fields() {
        let payload = encode_msg_reply(1, 0, &ping(), None).unwrap()[HEADER_LEN..].to_vec();
        let n = payload.len() as i32;
        let (e, _) = invalid_error(decode(&raw_compressed(OP_MSG, n, 9, &payload)));
        assert_eq!(e, MessageError::UnknownCompressor(9));
        let (e, _) = invalid_error(decode(&raw_compressed(OP_COMPRESSED, n, 0, &payload)));
        assert_eq!(e, MessageError::NestedCompression);
        assert!(matches!(
            decode(&raw_compressed(2002, n, 0, &payload)),
            Err(FrameError::UnknownOpcode(2002))
        ));
        let (e, _) = invalid_error(decode(&raw_message(2, OP_COMPRESSED, &[1, 2, 3])));
        assert!(matches!(e, MessageError::Malformed(_)));
        for c in [Compressor::Snappy, Compressor::Zlib, Compressor::Zstd] {
            let (e, _) = invalid_error(decode(&raw_compressed(OP_MSG, n, c.id(), &payload)));
            assert!(
                matches!(
                    e,
                    MessageError::Decompression { .. }
                        | MessageError::UncompressedSizeMismatch { .. }
                        | MessageError::UncompressedSizeExceeded { .. }
                ),
                "{c}: {e:?}"
            );
        }
    }

    // -- malformed input table ---------------------------------------------

    #[test]
    fn malformed_inputs() {
        let good = encode_msg_reply(7, 0, &ping(), None).unwrap();
        let body = doc! { "insert": "c", "$db": "d" };

        // (name, bytes, expected check)
        type Check = fn(&Result<Decoded, FrameError>) -> bool;
        let mut cases: Vec<(&str, Vec<u8>, Check)> = Vec::new();

        cases.push(("empty", vec![], |r| {
            matches!(
                r,
                Err(FrameError::Truncated {
                    needed: 16,
                    available: 0
                })
            )
        }));
        cases.push(("truncated header", good[..10].to_vec(), |r| {
            matches!(
                r,
                Err(FrameError::Truncated {
                    needed: 16,
                    available: 10
                })
            )
        }));
        cases.push(("truncated body", good[..good.len() - 1].to_vec(), |r| {
            matches!(r, Err(FrameError::Truncated { .. }))
        }));
        cases.push(("trailing bytes", [good.clone(), vec![0]].concat(), |r| {
            matches!(r, Err(FrameError::TrailingBytes { .. }))
        }));
        let mut neg = good.clone();
        neg[..4].copy_from_slice(&(-5i32).to_le_bytes());
        cases.push(("negative length", neg, |r| {
            matches!(r, Err(FrameError::InvalidLength(-5)))
        }));
        let mut small = good.clone();
        small[..4].copy_from_slice(&15i32.to_le_bytes());
        cases.push(("length below header", small, |r| {
            matches!(r, Err(FrameError::InvalidLength(15)))
        }));
        let mut huge = good.clone();
        huge[..4].copy_from_slice(&(MAX_MESSAGE_SIZE as i32 + 1).to_le_bytes());
        cases.push(("oversize length", huge, |r| {
            matches!(r, Err(FrameError::MessageTooLarge { .. }))
        }));
        let mut max = good.clone();
        max[..4].copy_from_slice(&i32::MAX.to_le_bytes());
        cases.push(("i32::MAX length", max, |r| {
            matches!(r, Err(FrameError::MessageTooLarge { .. }))
        }));
        let mut op = good.clone();
        op[12..16].copy_from_slice(&2002i32.to_le_bytes());
        cases.push(("unknown opcode", op, |r| {
            matches!(r, Err(FrameError::UnknownOpcode(2002)))
        }));

        cases.push(("header only OP_MSG", raw_message(7, OP_MSG, &[]), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::Malformed(_),
                    ..
                })
            )
        }));
        cases.push(("no sections", raw_op_msg(0, &[]), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::MissingBody,
                    ..
                })
            )
        }));
        cases.push((
            "illegal required flag",
            raw_op_msg(1 << 2, &kind0(&ping())),
            |r| matches!(r, Err(FrameError::IllegalFlags { flags: 4 })),
        ));
        cases.push((
            "illegal flag bit 15",
            raw_op_msg(1 << 15, &kind0(&ping())),
            |r| matches!(r, Err(FrameError::IllegalFlags { .. })),
        ));
        cases.push((
            "bad section kind",
            raw_op_msg(0, &[kind0(&ping()), vec![2, 5, 0, 0, 0, 0]].concat()),
            |r| matches!(r, Err(FrameError::UnknownSectionKind(2))),
        ));
        cases.push((
            "two body sections",
            raw_op_msg(0, &[kind0(&ping()), kind0(&ping())].concat()),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::MultipleBodies,
                        ..
                    })
                )
            },
        ));

        // Sequences.
        let d1 = doc! { "_id": 1 }.to_vec().unwrap();
        let seq = |size: i32, ident: &[u8], docs: &[u8]| {
            let mut s = vec![1u8];
            s.extend_from_slice(&size.to_le_bytes());
            s.extend_from_slice(ident);
            s.extend_from_slice(docs);
            s
        };
        let honest = (4 + 10 + d1.len()) as i32;
        cases.push((
            "sequence ok",
            raw_op_msg(
                0,
                &[kind0(&body), seq(honest, b"documents\0", &d1)].concat(),
            ),
            |r| r.is_ok(),
        ));
        cases.push((
            "sequence size overrun",
            raw_op_msg(0, &[kind0(&body), seq(honest + 1, b"documents\0", &d1)].concat()),
            |r| matches!(r, Err(FrameError::InvalidMessage { error: MessageError::Malformed(m), .. }) if m.contains("overruns")),
        ));
        cases.push((
            "sequence size too small",
            raw_op_msg(0, &[kind0(&body), seq(3, b"documents\0", &d1)].concat()),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::Malformed(_),
                        ..
                    })
                )
            },
        ));
        cases.push((
            "sequence size negative",
            raw_op_msg(0, &[kind0(&body), seq(-1, b"documents\0", &d1)].concat()),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::Malformed(_),
                        ..
                    })
                )
            },
        ));
        cases.push((
            "sequence size cuts a document",
            raw_op_msg(
                0,
                &[kind0(&body), seq(honest - 1, b"documents\0", &d1), vec![0]].concat(),
            ),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::Malformed(_),
                        ..
                    })
                )
            },
        ));
        cases.push((
            "sequence header cut",
            raw_op_msg(0, &[kind0(&body), vec![1, 9, 0]].concat()),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::Malformed(_),
                        ..
                    })
                )
            },
        ));
        cases.push((
            "bad cstring: no NUL",
            raw_op_msg(0, &[kind0(&body), seq(4 + 9, b"documents", &[])].concat()),
            |r| matches!(r, Err(FrameError::InvalidMessage { error: MessageError::Malformed(m), .. }) if m.contains("NUL")),
        ));
        cases.push((
            "bad cstring: not UTF-8",
            raw_op_msg(0, &[kind0(&body), seq(4 + 3, b"\xff\xfe\0", &[])].concat()),
            |r| matches!(r, Err(FrameError::InvalidMessage { error: MessageError::Malformed(m), .. }) if m.contains("UTF-8")),
        ));
        cases.push((
            "duplicate sequence",
            raw_op_msg(
                0,
                &[
                    kind0(&body),
                    seq(honest, b"documents\0", &d1),
                    seq(honest, b"documents\0", &d1),
                ]
                .concat(),
            ),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::DuplicateSequence(_),
                        ..
                    })
                )
            },
        ));
        cases.push((
            "sequence conflicts with body",
            raw_op_msg(
                0,
                &[
                    kind0(&doc! { "insert": "c", "documents": [] }),
                    seq(honest, b"documents\0", &d1),
                ]
                .concat(),
            ),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::SequenceConflictsWithBody(_),
                        ..
                    })
                )
            },
        ));
        cases.push((
            "sequence without body",
            raw_op_msg(0, &seq(honest, b"documents\0", &d1)),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::MissingBody,
                        ..
                    })
                )
            },
        ));

        // Bad BSON.
        let mut bad_type = kind0(&doc! { "a": 1 });
        bad_type[5] = 0x55; // not a BSON element type
        cases.push(("bad BSON element type", raw_op_msg(0, &bad_type), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::InvalidBson { .. },
                    ..
                })
            )
        }));
        let mut no_nul = kind0(&doc! { "a": 1 });
        let last = no_nul.len() - 1;
        no_nul[last] = 1;
        cases.push(("BSON not NUL-terminated", raw_op_msg(0, &no_nul), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::InvalidBson { .. },
                    ..
                })
            )
        }));
        let mut bad_str = kind0(&doc! { "s": "abc" });
        let at = bad_str.len() - 3;
        bad_str[at] = 0xFF; // invalid UTF-8 in the string value
        cases.push(("BSON invalid UTF-8", raw_op_msg(0, &bad_str), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::InvalidBson { .. },
                    ..
                })
            )
        }));
        let mut str_len = kind0(&doc! { "s": "abc" });
        str_len[8..12].copy_from_slice(&1000i32.to_le_bytes()); // string length overruns
        cases.push(
            ("BSON string length overrun", raw_op_msg(0, &str_len), |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::InvalidBson { .. },
                        ..
                    })
                )
            }),
        );
        cases.push((
            "BSON length below 5",
            raw_op_msg(0, &[0, 4, 0, 0, 0]),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::InvalidBson { .. },
                        ..
                    })
                )
            },
        ));
        cases.push((
            "BSON length overruns message",
            raw_op_msg(0, &[0, 100, 0, 0, 0, 0]),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::Malformed(_),
                        ..
                    })
                )
            },
        ));
        let mut too_big = vec![0u8];
        too_big.extend_from_slice(&((MAX_INTERNAL_BSON_SIZE + 1) as i32).to_le_bytes());
        cases.push(("BSON too large", raw_op_msg(0, &too_big), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::DocumentTooLarge { .. },
                    ..
                })
            )
        }));
        let mut deep = vec![0u8];
        deep.extend(nested_bytes(MAX_BSON_DEPTH + 1));
        cases.push(("BSON too deep", raw_op_msg(0, &deep), |r| {
            matches!(r, Err(FrameError::InvalidMessage { error: MessageError::InvalidBson { reason, .. }, .. }) if reason.contains("deeper"))
        }));
        let mut very_deep = vec![0u8];
        very_deep.extend(nested_bytes(200_000));
        cases.push(("BSON absurdly deep", raw_op_msg(0, &very_deep), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::InvalidBson { .. },
                    ..
                })
            )
        }));
        let mut ok_deep = vec![0u8];
        ok_deep.extend(nested_bytes(MAX_BSON_DEPTH));
        cases.push(("BSON at max depth", raw_op_msg(0, &ok_deep), |r| r.is_ok()));

        // Checksums.
        let mut with_sum = encode_msg(
            7,
            0,
            &OpMsg {
                flags: OpMsg::CHECKSUM_PRESENT,
                ..OpMsg::new(ping())
            },
            None,
        )
        .unwrap();
        let n = with_sum.len();
        with_sum[n - 2] ^= 1;
        cases.push(("bad checksum", with_sum, |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::ChecksumMismatch { .. },
                    ..
                })
            )
        }));
        let mut body_flip = encode_msg(
            7,
            0,
            &OpMsg {
                flags: OpMsg::CHECKSUM_PRESENT,
                ..OpMsg::new(ping())
            },
            None,
        )
        .unwrap();
        body_flip[HEADER_LEN + 8] ^= 0x20; // inside the body document
        cases.push(("corrupt body under checksum", body_flip, |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::ChecksumMismatch { .. },
                    ..
                })
            )
        }));
        cases.push((
            "checksum flag without room",
            raw_op_msg(OpMsg::CHECKSUM_PRESENT, &[0, 0]),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::Malformed(_),
                        ..
                    })
                )
            },
        ));
        cases.push((
            "checksum flag but no checksum",
            raw_op_msg(OpMsg::CHECKSUM_PRESENT, &kind0(&ping())),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::ChecksumMismatch { .. },
                        ..
                    })
                )
            },
        ));

        // OP_QUERY.
        cases.push(("OP_QUERY empty", raw_message(7, OP_QUERY, &[]), |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::Malformed(_),
                    ..
                })
            )
        }));
        cases.push((
            "OP_QUERY name without NUL",
            raw_message(7, OP_QUERY, b"\0\0\0\0admin.$cmd"),
            |r| {
                matches!(
                    r,
                    Err(FrameError::InvalidMessage {
                        error: MessageError::Malformed(_),
                        ..
                    })
                )
            },
        ));
        let mut q = encode_op_query(7, &legacy_hello()).unwrap();
        q.extend_from_slice(&[1, 2, 3]);
        set_len(&mut q);
        cases.push(("OP_QUERY trailing garbage", q, |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::Malformed(_) | MessageError::InvalidBson { .. },
                    ..
                })
            )
        }));
        let mut q = encode_op_query(7, &legacy_hello()).unwrap();
        q.extend(doc! { "a": 1 }.to_vec().unwrap());
        q.push(9);
        set_len(&mut q);
        cases.push(("OP_QUERY bytes after returnFields", q, |r| {
            matches!(
                r,
                Err(FrameError::InvalidMessage {
                    error: MessageError::Malformed(_),
                    ..
                })
            )
        }));

        for (name, bytes, check) in cases {
            let result = std::panic::catch_unwind(|| decode(&bytes));
            let Ok(result) = result else {
                panic!("{name}: decode panicked")
            };
            assert!(check(&result), "{name}: unexpected {result:?}");
            if let Err(e) = &result {
                assert!(!e.to_string().is_empty());
                let fatal = matches!(
                    e,
                    FrameError::Truncated { .. }
                        | FrameError::InvalidLength(_)
                        | FrameError::MessageTooLarge { .. }
                        | FrameError::TrailingBytes { .. }
                        | FrameError::UnknownOpcode(_)
                        | FrameError::UnknownSectionKind(_)
                        | FrameError::IllegalFlags { .. }
                );
                assert_eq!(e.is_fatal(), fatal, "{name}");
                assert_eq!(e.reply_to().is_some(), !fatal, "{name}");
            }
        }
    }

    #[test]
    fn error_messages_are_clear() {
        let e = decode(&raw_op_msg(1 << 3, &kind0(&ping()))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "OP_MSG flagBits 0x00000008 set unknown required bits 0x0008"
        );
        assert_eq!(e.code(), (223, "IllegalOpMsgFlag"));
        let mut with_sum = encode_msg(
            7,
            0,
            &OpMsg {
                flags: 1,
                ..OpMsg::new(ping())
            },
            None,
        )
        .unwrap();
        let n = with_sum.len();
        with_sum[n - 1] ^= 1;
        let e = decode(&with_sum).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid OP_MSG (requestID 7): OP_MSG checksum mismatch"),
            "{e}"
        );
        assert_eq!(e.code(), (288, "ChecksumMismatch"));
        assert_eq!(
            FrameError::MessageTooLarge { length: 50_000_000 }.to_string(),
            "messageLength 50000000 exceeds maxMessageSizeBytes (48000000)"
        );
    }

    // -- encoding limits -----------------------------------------------------

    #[test]
    fn encode_limits() {
        let big = doc! { "s": "x".repeat(MAX_INTERNAL_BSON_SIZE) };
        assert!(matches!(
            encode_msg_reply(1, 0, &big, None),
            Err(FrameError::EncodeTooLarge {
                what: "document",
                ..
            })
        ));
        assert!(matches!(
            encode_op_reply(1, 0, &big, false),
            Err(FrameError::EncodeTooLarge { .. })
        ));
        let chunk = doc! { "s": "x".repeat(MAX_BSON_SIZE - 100) };
        let msg = OpMsg {
            flags: 0,
            body: doc! { "insert": "c" },
            sequences: vec![("documents".to_owned(), vec![chunk; 3])],
        };
        let e = encode_msg(1, 0, &msg, None).unwrap_err();
        assert!(
            matches!(
                e,
                FrameError::EncodeTooLarge {
                    what: "message",
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(!e.is_fatal());
        let msg = OpMsg {
            flags: 0,
            body: doc! {},
            sequences: vec![("a\0b".to_owned(), vec![])],
        };
        assert!(matches!(
            encode_msg(1, 0, &msg, None),
            Err(FrameError::Encode(_))
        ));
    }

    // -- read_message ------------------------------------------------------

    #[test]
    fn read_message_stream() {
        let a = encode_msg_reply(1, 0, &ping(), None).unwrap();
        let b = encode_op_query(2, &legacy_hello()).unwrap();
        let c = encode_msg(3, 0, &insert_msg(), Some(Compressor::Zstd)).unwrap();
        let stream = [a, b, c].concat();
        for trickle in [false, true] {
            let mut slice: &[u8] = &stream;
            let mut trickler = Trickle::new(stream.clone());
            let mut ids = Vec::new();
            loop {
                let next = if trickle {
                    block_on(read_message(&mut trickler))
                } else {
                    block_on(read_message(&mut slice))
                };
                match next.unwrap() {
                    Some(d) => ids.push(d.header.request_id),
                    None => break,
                }
            }
            assert_eq!(ids, vec![1, 2, 3]);
        }
    }

    #[test]
    fn read_message_errors() {
        let good = encode_msg_reply(1, 0, &ping(), None).unwrap();
        let mut r: &[u8] = &good[..7];
        assert!(matches!(
            block_on(read_message(&mut r)),
            Err(FrameError::Truncated {
                needed: 16,
                available: 7
            })
        ));
        let mut r: &[u8] = &good[..good.len() - 3];
        let e = block_on(read_message(&mut r)).unwrap_err();
        assert!(
            matches!(e, FrameError::Truncated { .. }) && e.is_fatal(),
            "{e:?}"
        );
        // An oversized header is refused before reading (or allocating) the body.
        let mut huge = good.clone();
        huge[..4].copy_from_slice(&i32::MAX.to_le_bytes());
        let mut r: &[u8] = &huge;
        assert!(matches!(
            block_on(read_message(&mut r)),
            Err(FrameError::MessageTooLarge { .. })
        ));
        assert_eq!(r.len(), huge.len() - 16);
        // A non-fatal error consumes exactly its message; the next one reads.
        let mut sections = kind0(&ping());
        sections.extend(kind0(&ping()));
        let stream = [raw_op_msg(0, &sections), good.clone()].concat();
        let mut r: &[u8] = &stream;
        let e = block_on(read_message(&mut r)).unwrap_err();
        assert_eq!(e.reply_to(), Some(7));
        let d = block_on(read_message(&mut r)).unwrap().unwrap();
        assert_eq!(msg_of(&d).body, ping());
        assert!(block_on(read_message(&mut r)).unwrap().is_none());
    }

    #[test]
    fn read_message_io_error() {
        struct Broken;
        impl AsyncRead for Broken {
            fn poll_read(
                self: Pin<&mut Self>,
                _: &mut Context<'_>,
                _: &mut tokio::io::ReadBuf<'_>,
            ) -> Poll<std::io::Result<()>> {
                Poll::Ready(Err(std::io::Error::other("boom")))
            }
        }
        let e = block_on(read_message(&mut Broken)).unwrap_err();
        assert!(matches!(e, FrameError::Io(_)) && e.is_fatal());
    }

    // -- property tests ------------------------------------------------------

    fn seeds() -> Vec<Vec<u8>> {
        let mut checksummed = insert_msg();
        checksummed.flags = OpMsg::CHECKSUM_PRESENT;
        let mut out = vec![
            encode_msg_reply(1, 0, &ping(), None).unwrap(),
            encode_msg(2, 0, &insert_msg(), None).unwrap(),
            encode_msg(3, 0, &checksummed, None).unwrap(),
            encode_op_query(4, &legacy_hello()).unwrap(),
            encode_op_query(
                5,
                &OpQuery {
                    return_fields: Some(doc! { "a": 1 }),
                    ..legacy_hello()
                },
            )
            .unwrap(),
        ];
        for c in ALL {
            out.push(encode_msg(6, 0, &insert_msg(), Some(c)).unwrap());
            out.push(compress(&encode_op_query(7, &legacy_hello()).unwrap(), c).unwrap());
        }
        out
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Set(usize, u8),
        Xor(usize, u8),
        Insert(usize, Vec<u8>),
        Remove(usize, usize),
        Truncate(usize),
        SetI32(usize, i32),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
            (any::<usize>(), 1u8..).prop_map(|(i, b)| Mutation::Xor(i, b)),
            (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
                .prop_map(|(i, v)| Mutation::Insert(i, v)),
            (any::<usize>(), 1usize..8).prop_map(|(i, n)| Mutation::Remove(i, n)),
            any::<usize>().prop_map(Mutation::Truncate),
            (
                any::<usize>(),
                prop_oneof![
                    Just(-1i32),
                    Just(0),
                    Just(4),
                    Just(5),
                    Just(i32::MAX),
                    Just(i32::MIN),
                    any::<i32>()
                ]
            )
                .prop_map(|(i, v)| Mutation::SetI32(i, v)),
        ]
    }

    fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Set(i, b) => {
                if let Some(x) = bytes.get_mut(i % len) {
                    *x = b;
                }
            }
            Mutation::Xor(i, b) => {
                if let Some(x) = bytes.get_mut(i % len) {
                    *x ^= b;
                }
            }
            Mutation::Insert(i, ref v) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            Mutation::Remove(i, n) => {
                let at = i % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
            Mutation::SetI32(i, v) => {
                let at = i % len;
                if at + 4 <= bytes.len() {
                    bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
        }
    }

    fn check_no_panic(bytes: &[u8]) {
        match decode(bytes) {
            Ok(d) => {
                // Whatever decodes must encode again.
                if let Request::Msg(m) = &d.request {
                    let _ = command_document(m);
                    let _ = encode_msg(1, 0, m, None);
                }
            }
            Err(e) => {
                let _ = e.to_string();
                let _ = e.error_document();
                if !e.is_fatal() {
                    assert!(e.header().is_some());
                }
            }
        }
    }

    proptest! {
        // 512 cases unless PROPTEST_CASES says otherwise.
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
            ..ProptestConfig::default()
        })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            check_no_panic(&bytes);
        }

        #[test]
        fn random_bodies_with_valid_header_never_panic(
            op in prop_oneof![Just(OP_MSG), Just(OP_QUERY), Just(OP_COMPRESSED)],
            flags in prop_oneof![Just(0u32), Just(1), Just(2), Just(0x10000), any::<u32>()],
            body in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let mut payload = if op == OP_MSG { flags.to_le_bytes().to_vec() } else { Vec::new() };
            payload.extend_from_slice(&body);
            check_no_panic(&raw_message(1, op, &payload));
        }

        #[test]
        fn mutated_messages_never_panic(
            seed in 0usize..1000,
            mutations in proptest::collection::vec(mutation(), 1..6),
            fix_length in any::<bool>(),
            fix_checksum in any::<bool>(),
        ) {
            let seeds = seeds();
            let mut bytes = seeds[seed % seeds.len()].clone();
            for m in &mutations {
                apply(&mut bytes, m);
            }
            if fix_length && bytes.len() >= 4 {
                set_len(&mut bytes);
            }
            if fix_checksum && bytes.len() >= 24 && bytes[12..16] == OP_MSG.to_le_bytes() && bytes[16] & 1 == 1 {
                let n = bytes.len();
                let crc = crc32c(&bytes[..n - 4]);
                bytes[n - 4..].copy_from_slice(&crc.to_le_bytes());
            }
            check_no_panic(&bytes);
        }

        #[test]
        fn mutated_compressed_payloads_never_panic(
            c in 0usize..4,
            mutations in proptest::collection::vec(mutation(), 1..4),
        ) {
            // Mutate the uncompressed payload, then compress it validly, so the
            // inner parsers see the damage.
            let plain = encode_msg(6, 0, &insert_msg(), None).unwrap();
            let mut payload = plain[HEADER_LEN..].to_vec();
            for m in &mutations {
                apply(&mut payload, m);
            }
            let mut msg = plain[..HEADER_LEN].to_vec();
            msg.extend_from_slice(&payload);
            set_len(&mut msg);
            if let Ok(bytes) = compress(&msg, ALL[c]) {
                check_no_panic(&bytes);
            }
        }

        #[test]
        fn op_msg_round_trips(
            flags in prop_oneof![Just(0u32), Just(1), Just(2), Just(3), Just(0x10000), Just(0x10003)],
            values in proptest::collection::vec((any::<i64>(), ".{0,12}"), 0..6),
            seq_lens in proptest::collection::vec(0usize..4, 0..3),
            compressor in proptest::option::of(0usize..4),
        ) {
            let mut body = doc! { "cmd": 1 };
            for (i, (n, s)) in values.iter().enumerate() {
                body.insert(format!("k{i}"), doc! { "n": *n, "s": s.as_str() });
            }
            let sequences: Vec<(String, Vec<Document>)> = seq_lens
                .iter()
                .enumerate()
                .map(|(i, &n)| (format!("seq{i}"), (0..n).map(|j| doc! { "j": j as i32 }).collect()))
                .collect();
            let msg = OpMsg { flags, body, sequences };
            let compressor = compressor.map(|i| ALL[i]);
            let bytes = encode_msg(1, 2, &msg, compressor).unwrap();
            let d = decode(&bytes).unwrap();
            let mut expected = msg.clone();
            if compressor.is_some() {
                expected.flags &= !OpMsg::CHECKSUM_PRESENT;
            }
            prop_assert_eq!(msg_of(&d), &expected);
            prop_assert_eq!(d.compressor, compressor);
        }
    }
}
