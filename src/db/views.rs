//! Views: a catalog entry whose options hold `viewOn` and `pipeline` is
//! read as that pipeline over its source collection.

use crate::engine::View;
use crate::query::error::QueryError;
use bson::Bson;

/// A view's source collection and pipeline, following views defined on
/// views (`None` for a collection). A view is a catalog entry whose
/// options hold `viewOn` and `pipeline`; it has no documents of its own.
pub fn resolve_view(view: &View, coll: &str) -> Result<Option<(String, Vec<Bson>)>, QueryError> {
    let mut name = coll.to_string();
    let mut stages: Vec<Bson> = Vec::new();
    for _ in 0..20 {
        let Some(options) = view.catalog().get(&name).map(|r| &r.options) else {
            break;
        };
        let Ok(source) = options.get_str("viewOn") else {
            break;
        };
        let mut inner: Vec<Bson> = options.get_array("pipeline").cloned().unwrap_or_default();
        inner.extend(stages);
        stages = inner;
        name = source.to_string();
    }
    if name == coll {
        return Ok(None);
    }
    if view
        .catalog()
        .get(&name)
        .is_some_and(|r| r.options.contains_key("viewOn"))
    {
        return Err(QueryError::new(
            149,
            "ViewDepthLimitExceeded",
            format!("view '{coll}' is defined on views more than 20 deep"),
        ));
    }
    Ok(Some((name, stages)))
}

/// Whether `coll` of `view` is a view (it has no documents of its own).
pub fn is_view(view: &View, coll: &str) -> bool {
    view.catalog()
        .get(coll)
        .is_some_and(|r| r.options.contains_key("viewOn"))
}
