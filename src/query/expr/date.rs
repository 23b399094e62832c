//! Date operators (to be written).

use super::{Node, ParseCtx};
use crate::query::error::QueryError;
use bson::Bson;

pub(super) fn parse(
    _name: &str,
    _arg: &Bson,
    _pc: &mut ParseCtx,
) -> Option<Result<Node, QueryError>> {
    None
}

/// `$convert` to `date` (and `$toDate`): numbers are milliseconds since
/// the epoch, strings are parsed as `$dateFromString` does, ObjectIds and
/// timestamps give their time. Used by the type-conversion group.
pub(crate) fn convert_to_date(v: &Bson) -> Result<Bson, QueryError> {
    let conversion = |from: &str| {
        QueryError::new(
            241,
            "ConversionFailure",
            format!("Unsupported conversion from {from} to date in $convert with no onError value"),
        )
    };
    Ok(Bson::DateTime(match v {
        Bson::DateTime(d) => *d,
        Bson::Int64(n) => bson::DateTime::from_millis(*n),
        Bson::Double(f) if f.is_finite() => bson::DateTime::from_millis(f.trunc() as i64),
        Bson::ObjectId(o) => o.timestamp(),
        Bson::Timestamp(t) => bson::DateTime::from_millis(i64::from(t.time) * 1000),
        other => return Err(conversion(crate::query::error::type_name(other))),
    }))
}
