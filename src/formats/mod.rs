//! MongoDB data files: what `argonctl import` reads and `argonctl export` writes.
//!
//! Reading ([`read`]) accepts
//! - Extended JSON, canonical or relaxed (what `mongoexport` writes), as one
//!   document per line (NDJSON), as one JSON array of documents, or as
//!   pretty-printed documents one after another;
//! - mongodump `.bson` files (raw BSON documents back to back);
//! - a directory of such files, one collection per file named after the file
//!   stem (`users.json` and `users.bson` both hold collection `users`).
//!
//! Both formats are streamed one document at a time, so memory stays bounded
//! by the largest document, not by the file (JSON arrays included).
//!
//! Writing ([`write`]) produces NDJSON in canonical or relaxed Extended JSON,
//! or concatenated BSON that `mongorestore` and [`read`] accept.
//!
//! Extended JSON conversion is the `bson` crate's own (`Bson::try_from` for
//! parsing, `into_canonical_extjson`/`into_relaxed_extjson` for writing), with
//! a few additions documented where they are made: legacy `$regex`/`$binary`
//! forms on input, and exact canonical doubles and far-future relaxed dates
//! on output, where the crate's output would be lossy or not canonical.

pub mod read;
pub mod write;

pub use read::{Format, FormatError, SourceFile, discover, read_documents};
pub use write::{ExportFormat, document_to_json_line, write_documents};
