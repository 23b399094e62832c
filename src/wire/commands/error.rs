//! Command errors: mongod's code, code name and message, and the
//! conversions from the db layer's, the query language's and the engine's
//! errors.

use super::*;

/// A command failure with mongod's code.
#[derive(Debug)]
pub struct CmdError {
    pub code: i32,
    pub code_name: &'static str,
    pub message: String,
    /// More fields of the error reply (`keyPattern`/`keyValue` of a
    /// duplicate key, `errInfo` of a failed validation).
    /// Boxed: errors travel in every `Result` of the command path.
    pub extra: Option<Box<Document>>,
}

pub(crate) type CmdResult = Result<Document, CmdError>;

pub(crate) fn err(code: i32, code_name: &'static str, message: impl Into<String>) -> CmdError {
    CmdError {
        code,
        code_name,
        message: message.into(),
        extra: None,
    }
}

pub fn error_doc(code: i32, code_name: &str, message: &str) -> Document {
    doc! { "ok": 0.0, "errmsg": message, "code": code, "codeName": code_name }
}

impl From<QueryError> for CmdError {
    fn from(e: QueryError) -> Self {
        err(e.code, e.code_name, e.message)
    }
}

impl From<crate::query::filter::FilterError> for CmdError {
    fn from(e: crate::query::filter::FilterError) -> Self {
        err(2, "BadValue", e.0)
    }
}

impl From<DbError> for CmdError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(q) => q.into(),
            DbError::Validation { info } => {
                let mut e = err(
                    121,
                    "DocumentValidationFailure",
                    "Document failed validation",
                );
                e.extra = Some(Box::new(doc! { "errInfo": *info }));
                e
            }
            DbError::Engine(e) => e.into(),
        }
    }
}

impl From<EngineError> for CmdError {
    fn from(e: EngineError) -> Self {
        let msg = e.to_string();
        match e {
            EngineError::DuplicateKey { pattern, value, .. } => {
                let mut e = err(11000, "DuplicateKey", msg);
                e.extra = Some(Box::new(
                    doc! { "keyPattern": *pattern, "keyValue": *value },
                ));
                e
            }
            EngineError::CollectionNotFound(_) => err(26, "NamespaceNotFound", msg),
            EngineError::BranchNotFound(_)
            | EngineError::ProjectNotFound(_)
            | EngineError::BadRef(..) => err(26, "NamespaceNotFound", msg),
            EngineError::ReadOnly(_) => err(20, "IllegalOperation", msg),
            EngineError::InvalidName { .. } => err(73, "InvalidNamespace", msg),
            EngineError::InvalidDocument(_)
            | EngineError::Invalid(_)
            | EngineError::BadInput(_) => err(2, "BadValue", msg),
            EngineError::MergeInProgress(_) => err(20, "IllegalOperation", msg),
            EngineError::WriteConflict(_) => err(112, "WriteConflict", msg),
            EngineError::Mongo {
                code,
                message,
                info,
                ..
            } => match info {
                Some(info) => DbError::Validation { info }.into(),
                None => QueryError::location(code, message).into(),
            },
            _ => err(1, "InternalError", msg),
        }
    }
}
