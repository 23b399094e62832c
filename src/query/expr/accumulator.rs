//! Accumulators as expressions: `$sum` `$avg` `$min` `$max` `$stdDevPop`
//! `$stdDevSamp` over their operands (or the elements of their one array
//! operand), `$firstN` `$lastN` `$maxN` `$minN` `{input, n}` over an
//! array, `$median`/`$percentile` `{input, p, method}`, and the array
//! operators `$first`/`$last` (an array's first/last element). All of them
//! run on [`crate::query::accumulator`].

use super::args::{Arity, check_arity, nullish, parse_all};
use super::{Ctx, Node, Operator, ParseCtx, Value, value_type_name};
use crate::query::accumulator::{
    AccumulatorSpec, parse_n_args, parse_quantile, quantile_result, to_f64, validate_n,
};
use crate::query::error::QueryError;
use bson::Bson;

/// `{$sum: [a, b, ...]}` and friends.
#[derive(Debug)]
struct Fold {
    spec: AccumulatorSpec,
    args: Vec<Node>,
}

impl Operator for Fold {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let mut st = self.spec.state_with_n(1);
        if self.args.len() == 1 {
            match self.args[0].eval(cx)? {
                Some(Bson::Array(items)) => {
                    for i in items {
                        st.add(Some(i))?;
                    }
                }
                v => st.add(v)?,
            }
        } else {
            for a in &self.args {
                st.add(a.eval(cx)?)?;
            }
        }
        Ok(Some(st.finish()))
    }
}

/// `$first`/`$last` of an array.
#[derive(Debug)]
struct FirstLast {
    last: bool,
    arg: Node,
}

impl Operator for FirstLast {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let v = self.arg.eval(cx)?;
        if nullish(&v) {
            return Ok(Some(Bson::Null));
        }
        match v {
            Some(Bson::Array(items)) => Ok(if self.last {
                items.last().cloned()
            } else {
                items.first().cloned()
            }),
            other => Err(QueryError::location(
                if self.last { 28690 } else { 28689 },
                format!(
                    "{}'s argument must be an array, but is {}",
                    if self.last { "$last" } else { "$first" },
                    value_type_name(&other)
                ),
            )),
        }
    }
}

/// `$firstN` `$lastN` `$maxN` `$minN` over an array.
#[derive(Debug)]
struct NOverArray {
    spec: AccumulatorSpec,
    n: Node,
    input: Node,
}

impl Operator for NOverArray {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let n = validate_n(&self.n.eval(cx)?)?;
        let Some(Bson::Array(items)) = self.input.eval(cx)? else {
            return Err(QueryError::location(5788200, "Input must be an array"));
        };
        let mut st = self.spec.state_with_n(n);
        for i in items {
            st.add(Some(i))?;
        }
        Ok(Some(st.finish()))
    }
}

/// `$median`/`$percentile` of a number or an array.
#[derive(Debug)]
struct Quantile {
    median: bool,
    ps: Vec<f64>,
    input: Node,
}

impl Operator for Quantile {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let mut samples: Vec<f64> = match self.input.eval(cx)? {
            Some(Bson::Array(items)) => items.iter().filter_map(to_f64).collect(),
            Some(v) => to_f64(&v).into_iter().collect(),
            None => Vec::new(),
        };
        Ok(Some(quantile_result(&mut samples, &self.ps, self.median)))
    }
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$sum" | "$avg" | "$min" | "$max" | "$stdDevPop" | "$stdDevSamp" => (|| {
            let args = parse_all(arg, pc)?;
            let spec = AccumulatorSpec::parse(name, &Bson::Null, pc)?;
            Ok(Node::Op(Box::new(Fold { spec, args })))
        })(),
        "$first" | "$last" => (|| {
            let mut args = parse_all(arg, pc)?;
            check_arity(name, args.len(), Arity::Exact(1))?;
            let arg = args.remove(0);
            Ok(Node::Op(Box::new(FirstLast {
                last: name == "$last",
                arg,
            })))
        })(),
        "$firstN" | "$lastN" | "$maxN" | "$minN" => (|| {
            let code = if matches!(name, "$firstN" | "$lastN") {
                5787801
            } else {
                5787900
            };
            let (n, input) = parse_n_args(name, arg, code)?;
            let spec = AccumulatorSpec::parse(name, arg, pc)?;
            Ok(Node::Op(Box::new(NOverArray {
                spec,
                n: super::parse(n, pc)?,
                input: super::parse(input, pc)?,
            })))
        })(),
        "$median" | "$percentile" => (|| {
            let median = name == "$median";
            let (input, ps) = parse_quantile(name, arg, median, true)?;
            Ok(Node::Op(Box::new(Quantile {
                median,
                ps,
                input: super::parse(input, pc)?,
            })))
        })(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::query::expr::eval;
    use bson::{Bson, doc};

    fn ev(e: Bson) -> Result<Bson, i32> {
        eval(&e, &doc! {"arr": [1, 2, 3], "s": "x"}).map_err(|e| e.code)
    }

    #[test]
    fn folds_over_arrays_and_operands() {
        assert_eq!(
            ev(Bson::Document(doc! {"$sum": "$arr"})),
            Ok(Bson::Int32(6))
        );
        assert_eq!(
            ev(Bson::Document(doc! {"$sum": [1, 2.5, "$s"]})),
            Ok(Bson::Double(3.5))
        );
        assert_eq!(
            ev(Bson::Document(doc! {"$avg": "$arr"})),
            Ok(Bson::Double(2.0))
        );
        assert_eq!(
            ev(Bson::Document(doc! {"$max": "$arr"})),
            Ok(Bson::Int32(3))
        );
        assert_eq!(
            ev(Bson::Document(doc! {"$min": [5, "$missing"]})),
            Ok(Bson::Int32(5))
        );
        assert_eq!(ev(Bson::Document(doc! {"$avg": "$s"})), Ok(Bson::Null));
    }

    #[test]
    fn first_last_of_arrays() {
        assert_eq!(
            ev(Bson::Document(doc! {"$first": "$arr"})),
            Ok(Bson::Int32(1))
        );
        assert_eq!(
            ev(Bson::Document(doc! {"$last": "$arr"})),
            Ok(Bson::Int32(3))
        );
        assert_eq!(ev(Bson::Document(doc! {"$first": "$nope"})), Ok(Bson::Null));
        assert_eq!(ev(Bson::Document(doc! {"$first": "abc"})), Err(28689));
    }

    #[test]
    fn n_forms() {
        assert_eq!(
            ev(Bson::Document(doc! {"$maxN": {"n": 2, "input": "$arr"}})),
            Ok(Bson::Array(vec![3.into(), 2.into()]))
        );
        assert_eq!(
            ev(Bson::Document(doc! {"$lastN": {"n": 2, "input": "$arr"}})),
            Ok(Bson::Array(vec![2.into(), 3.into()]))
        );
        assert_eq!(
            ev(Bson::Document(doc! {"$firstN": {"n": 0, "input": [1]}})),
            Err(5787908)
        );
        assert_eq!(
            ev(Bson::Document(
                doc! {"$median": {"input": [80, 62, 81], "method": "approximate"}}
            )),
            Ok(Bson::Double(80.0))
        );
    }
}
