//! The db layer's error: a MongoDB error (code, code name, message and,
//! for a failed validation, mongod's `errInfo`) or a storage failure.

use crate::engine::Error as EngineError;
use crate::query::error::QueryError;
use crate::query::filter::FilterError;
use bson::Document;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Query(QueryError),
    /// A write refused by a collection's validator (121
    /// DocumentValidationFailure); `info` is mongod's `errInfo`.
    #[error("Document failed validation")]
    Validation { info: Box<Document> },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl DbError {
    /// mongod's numeric code of a MongoDB error; `None` for storage errors.
    pub fn code(&self) -> Option<i32> {
        match self {
            DbError::Query(q) => Some(q.code),
            DbError::Validation { .. } => Some(121),
            DbError::Engine(_) => None,
        }
    }
}

impl From<QueryError> for DbError {
    fn from(e: QueryError) -> DbError {
        DbError::Query(e)
    }
}

impl From<FilterError> for DbError {
    fn from(e: FilterError) -> DbError {
        DbError::Query(e.into())
    }
}

impl From<bson::error::Error> for DbError {
    fn from(e: bson::error::Error) -> DbError {
        DbError::Engine(e.into())
    }
}

impl From<DbError> for EngineError {
    /// For entry points whose errors are the engine's (the CLI's backend).
    fn from(e: DbError) -> EngineError {
        match e {
            DbError::Query(q) => EngineError::Mongo {
                code: q.code,
                code_name: q.code_name.to_string(),
                message: q.message,
                info: None,
            },
            DbError::Validation { info } => EngineError::Mongo {
                code: 121,
                code_name: "DocumentValidationFailure".into(),
                message: "Document failed validation".into(),
                info: Some(info),
            },
            DbError::Engine(e) => e,
        }
    }
}
