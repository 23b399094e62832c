//! (to be written)

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
