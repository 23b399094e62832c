//! The engine's error type. Each variant says what failed in words a user can
//! act on; the CLI maps variants to exit codes and hints in one place.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the data store is corrupt: {0}")]
    Corrupt(String),
    #[error("chunk {0} is missing from the store")]
    MissingChunk(String),
    #[error("project '{0}' does not exist")]
    ProjectNotFound(String),
    #[error("project '{0}' already exists")]
    ProjectExists(String),
    #[error("branch '{0}' does not exist")]
    BranchNotFound(String),
    #[error("branch '{0}' already exists")]
    BranchExists(String),
    #[error("tag '{0}' does not exist")]
    TagNotFound(String),
    #[error("tag '{0}' already exists")]
    TagExists(String),
    #[error("cannot resolve '{0}': {1}")]
    BadRef(String, String),
    #[error("invalid name '{name}': {rule}")]
    InvalidName { name: String, rule: &'static str },
    #[error("collection '{0}' does not exist")]
    CollectionNotFound(String),
    #[error("E11000 duplicate key error collection: {collection} index: {index} dup key: {key}")]
    DuplicateKey {
        collection: String,
        index: String,
        /// The duplicate key as mongod prints it (`{ x: "a" }`).
        key: String,
        /// The index's key pattern (`{x: 1}`) and the duplicate values
        /// (`{x: "a"}`): mongod's `keyPattern` and `keyValue`.
        pattern: Box<bson::Document>,
        value: Box<bson::Document>,
    },
    #[error("invalid document: {0}")]
    InvalidDocument(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{open} of {total} conflicts are unresolved")]
    UnresolvedConflicts { open: usize, total: usize },
    #[error("'{0}' is a read-only point in history; write to a branch instead")]
    ReadOnly(String),
    #[error("a merge into '{0}' is in progress")]
    MergeInProgress(String),
    #[error("no merge is in progress on '{0}'")]
    NoMergeInProgress(String),
    #[error("{0} is outside the retention window; the history needed to read it was collected")]
    OutsideRetention(String),
    /// A tree insert found its key present (mapped to a duplicate-key
    /// error by the caller, who knows what the key means).
    #[error("key already exists")]
    KeyExists(Vec<u8>),
    #[error("{0}")]
    BadInput(String),
    /// A MongoDB error from the db layer (a bad query or pipeline, a
    /// failed validation), with mongod's code so that every entry point
    /// reports the same thing.
    #[error("{message} ({code_name}, code {code})")]
    Mongo {
        code: i32,
        code_name: String,
        message: String,
        /// mongod's `errInfo` (why a validation failed).
        info: Option<Box<bson::Document>>,
    },
    #[error("another writer changed the project at the same time; retry")]
    Contention,
    #[error(
        "write conflict: {0} was changed by another writer since the transaction started; retry the transaction"
    )]
    WriteConflict(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<bson::error::Error> for Error {
    fn from(e: bson::error::Error) -> Self {
        Error::Corrupt(format!("bad BSON: {e}"))
    }
}
