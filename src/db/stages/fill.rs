//! `$fill`: null and missing fields filled with a constant or computed
//! `value`, or by `method` "locf" (last observation carried forward) or
//! "linear" (interpolated on the `sortBy` field).
//!
//! mongod desugars `$fill` into a `$setWindowFields` (`$locf` /
//! `$linearFill` of each method field, with the `sortBy` and partition)
//! followed by an `$addFields` of `{$ifNull: ["$field", value]}` for each
//! value field; this does the same with the existing stages, so the two
//! cannot drift apart.

use super::shape::AddFields;
use super::window::WindowStage;
use crate::db::pipeline::{ParseCtx, RunCtx, Stage};
use crate::query::error::{QueryError, type_name};
use bson::{Bson, Document, doc};

#[derive(Debug)]
pub struct Fill {
    window: Option<WindowStage>,
    add_fields: Option<AddFields>,
}

fn failed(code: i32, msg: impl Into<String>) -> QueryError {
    QueryError::location(code, msg)
}

fn wrong_type(field: &str, v: &Bson, want: &str) -> QueryError {
    QueryError::type_mismatch(format!(
        "BSON field '{field}' is the wrong type '{}', expected type '{want}'",
        type_name(v)
    ))
}

impl Fill {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Fill, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::failed_to_parse(format!(
                "The $fill stage specification must be an object, found {}",
                type_name(arg)
            )));
        };
        let (mut sort_by, mut partition_by, mut partition_fields, mut output) =
            (None, None, None, None);
        for (k, v) in spec {
            match k.as_str() {
                "sortBy" => match v {
                    Bson::Document(s) => sort_by = Some(s.clone()),
                    other => return Err(wrong_type("$fill.sortBy", other, "object")),
                },
                "partitionBy" => match v {
                    Bson::Document(_) | Bson::String(_) => partition_by = Some(v.clone()),
                    other => {
                        return Err(wrong_type("$fill.partitionBy", other, "[string, object]"));
                    }
                },
                "partitionByFields" => {
                    let Bson::Array(items) = v else {
                        return Err(wrong_type("$fill.partitionByFields", v, "array"));
                    };
                    let mut fields = Vec::with_capacity(items.len());
                    for item in items {
                        let Bson::String(s) = item else {
                            return Err(wrong_type("$fill.partitionByFields", item, "string"));
                        };
                        fields.push(s.clone());
                    }
                    partition_fields = Some(fields);
                }
                "output" => match v {
                    Bson::Document(o) => output = Some(o),
                    other => return Err(wrong_type("$fill.output", other, "object")),
                },
                other => {
                    return Err(failed(
                        40415,
                        format!("BSON field '$fill.{other}' is an unknown field."),
                    ));
                }
            }
        }
        let output = output.ok_or_else(|| {
            failed(
                40414,
                "BSON field '$fill.output' is missing but a required field",
            )
        })?;
        if output.is_empty() {
            return Err(failed(
                6050203,
                "The output field in '$fill' must contain an object with at least one element",
            ));
        }
        let mut window_output = Document::new();
        let mut add_fields = Document::new();
        for (field, fs) in output {
            let Bson::Document(fs) = fs else {
                return Err(failed(
                    6050200,
                    "Each fill output specification must be an object with exactly one field",
                ));
            };
            let (mut method, mut value) = (None, None);
            for (k, v) in fs {
                match k.as_str() {
                    "method" => match v {
                        Bson::String(m) => method = Some(m.clone()),
                        other => return Err(wrong_type("$fill.method", other, "string")),
                    },
                    "value" => value = Some(v.clone()),
                    other => {
                        return Err(failed(
                            40415,
                            format!("BSON field '$fill.{other}' is an unknown field."),
                        ));
                    }
                }
            }
            if let Some(m) = method {
                if value.is_some() {
                    return Err(failed(
                        6050201,
                        "Each fill output specification must have exactly one of 'method' or \
                         'value' fields, not both",
                    ));
                }
                let op = match m.as_str() {
                    "locf" => "$locf",
                    "linear" => "$linearFill",
                    _ => {
                        return Err(failed(6050202, "Method must be either locf or linear"));
                    }
                };
                window_output.insert(field.clone(), doc! {op: format!("${field}")});
            }
            if let Some(v) = value {
                add_fields.insert(field.clone(), doc! {"$ifNull": [format!("${field}"), v]});
            }
        }
        let mut swf = doc! {"output": window_output.clone()};
        if let Some(s) = sort_by {
            swf.insert("sortBy", s);
        }
        if let Some(p) = partition_by {
            if partition_fields.is_some() {
                return Err(failed(
                    6050204,
                    "Maximum one of 'partitionBy' and 'partitionByFields can be specified in \
                     '$fill'",
                ));
            }
            swf.insert("partitionBy", p);
        }
        if let Some(fields) = partition_fields {
            let mut p = Document::new();
            for f in fields {
                p.insert(f.clone(), format!("${f}"));
            }
            swf.insert("partitionBy", p);
        }
        let window = if window_output.is_empty() {
            None
        } else {
            Some(WindowStage::parse(&Bson::Document(swf), pc)?)
        };
        let add_fields = if add_fields.is_empty() {
            None
        } else {
            Some(AddFields::parse(
                "$addFields",
                &Bson::Document(add_fields),
                pc,
            )?)
        };
        Ok(Fill { window, add_fields })
    }
}

impl Stage for Fill {
    fn run(&self, mut docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        if let Some(w) = &self.window {
            docs = w.run(docs, cx)?;
        }
        if let Some(a) = &self.add_fields {
            docs = a.run(docs, cx)?;
        }
        Ok(docs)
    }
}

#[cfg(test)]
mod tests {
    use crate::db::pipeline::tests::run;
    use bson::{Bson, DateTime, Document, bson, doc};

    fn day(d: i64) -> Bson {
        Bson::DateTime(DateTime::from_millis(1_646_179_200_000 + d * 86_400_000))
    }

    #[test]
    fn manual_constant_value() {
        let docs = vec![
            doc! {"_id": 1, "date": day(0), "bootsSold": 10, "sandalsSold": 20, "sneakersSold": 12},
            doc! {"_id": 2, "date": day(1), "bootsSold": 7, "sneakersSold": 18},
            doc! {"_id": 3, "date": day(2), "sneakersSold": 5},
        ];
        let out = run(
            docs,
            bson!([{"$fill": {"output": {"bootsSold": {"value": 0}, "sandalsSold": {"value": 0}, "sneakersSold": {"value": 0}}}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": 1, "date": day(0), "bootsSold": 10, "sandalsSold": 20, "sneakersSold": 12},
                doc! {"_id": 2, "date": day(1), "bootsSold": 7, "sneakersSold": 18, "sandalsSold": 0},
                doc! {"_id": 3, "date": day(2), "sneakersSold": 5, "bootsSold": 0, "sandalsSold": 0},
            ])
        );
    }

    #[test]
    fn manual_linear() {
        let docs: Vec<Document> = [Some(500), None, Some(515), None, None, Some(485)]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut d = doc! {"_id": i as i32 + 1, "time": day(i as i64)};
                if let Some(p) = p {
                    d.insert("price", *p);
                }
                d
            })
            .collect();
        let out = run(
            docs,
            bson!([{"$fill": {"sortBy": {"time": 1}, "output": {"price": {"method": "linear"}}}}]),
        )
        .unwrap();
        let prices: Vec<Bson> = out
            .iter()
            .map(|d| d.get("price").cloned().unwrap())
            .collect();
        assert_eq!(
            prices,
            vec![
                Bson::Int32(500),
                Bson::Double(507.5),
                Bson::Int32(515),
                Bson::Double(505.0),
                Bson::Double(495.0),
                Bson::Int32(485),
            ]
        );
    }

    #[test]
    fn manual_locf_partitions() {
        let docs = vec![
            doc! {"_id": 1, "date": day(0), "restaurant": "Joe's Pizza", "score": 90},
            doc! {"_id": 2, "date": day(0), "restaurant": "Sally's Deli", "score": 75},
            doc! {"_id": 3, "date": day(1), "restaurant": "Joe's Pizza", "score": 92},
            doc! {"_id": 4, "date": day(1), "restaurant": "Sally's Deli"},
            doc! {"_id": 5, "date": day(2), "restaurant": "Joe's Pizza"},
            doc! {"_id": 6, "date": day(2), "restaurant": "Sally's Deli", "score": 68},
            doc! {"_id": 7, "date": day(3), "restaurant": "Joe's Pizza", "score": 93},
            doc! {"_id": 8, "date": day(3), "restaurant": "Sally's Deli"},
        ];
        for spec in [
            bson!({"sortBy": {"date": 1}, "partitionBy": {"restaurant": "$restaurant"}, "output": {"score": {"method": "locf"}}}),
            bson!({"sortBy": {"date": 1}, "partitionByFields": ["restaurant"], "output": {"score": {"method": "locf"}}}),
        ] {
            let out = run(
                docs.clone(),
                bson!([{"$fill": spec}, {"$sort": {"_id": 1}}]),
            )
            .unwrap();
            let scores: Vec<i32> = out.iter().map(|d| d.get_i32("score").unwrap()).collect();
            assert_eq!(scores, vec![90, 75, 92, 75, 92, 68, 93, 68]);
        }
    }

    #[test]
    fn errors() {
        let e = |spec: Bson| run(vec![doc! {"a": 1}], bson!([{"$fill": spec}]));
        assert_eq!(e(bson!(1)), Err(9));
        assert_eq!(e(bson!({})), Err(40414));
        assert_eq!(e(bson!({"output": {}})), Err(6050203));
        assert_eq!(e(bson!({"output": {"a": 1}})), Err(6050200));
        assert_eq!(
            e(bson!({"output": {"a": {"value": 1, "method": "locf"}}})),
            Err(6050201)
        );
        assert_eq!(
            e(bson!({"output": {"a": {"method": "mean"}}})),
            Err(6050202)
        );
        assert_eq!(
            e(
                bson!({"sortBy": {"a": 1}, "partitionBy": "$a", "partitionByFields": ["a"], "output": {"a": {"method": "locf"}}})
            ),
            Err(6050204)
        );
        assert_eq!(
            e(bson!({"output": {"a": {"value": 1}}, "x": 1})),
            Err(40415)
        );
        // A computed value sees the document.
        assert_eq!(
            run(
                vec![doc! {"_id": 1, "b": 2}],
                bson!([{"$fill": {"output": {"a": {"value": {"$multiply": ["$b", 10]}}}}}])
            ),
            Ok(vec![doc! {"_id": 1, "b": 2, "a": 20}])
        );
    }
}
