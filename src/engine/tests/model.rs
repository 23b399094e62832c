//! Random operations on branches against a BTreeMap model, checked after
//! every step (including reads of past points by LSN).

use super::scenarios::mem_project;
use crate::engine::WriteOp;
use bson::{Bson, doc};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
enum Step {
    Put { branch: usize, id: i32, v: i32 },
    Del { branch: usize, id: i32 },
    Checkpoint { branch: usize },
    Branch { from: usize },
    TimeTravel { branch: usize, back: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..3, 0i32..40, any::<i32>()).prop_map(|(branch, id, v)| Step::Put { branch, id, v }),
        2 => (0usize..3, 0i32..40).prop_map(|(branch, id)| Step::Del { branch, id }),
        1 => (0usize..3).prop_map(|branch| Step::Checkpoint { branch }),
        1 => (0usize..3).prop_map(|from| Step::Branch { from }),
        1 => (0usize..3, 0usize..6).prop_map(|(branch, back)| Step::TimeTravel { branch, back }),
    ]
}

type Model = BTreeMap<i32, i32>;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn engine_matches_model(steps in proptest::collection::vec(step(), 1..60)) {
        let p = mem_project();
        let ns = p.nodes();
        // branch names and, per branch, the model after each LSN
        let mut names = vec!["main".to_string()];
        let mut models: Vec<Model> = vec![Model::new()];
        let mut history: Vec<Vec<(u64, Model)>> = vec![vec![]];
        for s in steps {
            match s {
                Step::Put { branch, id, v } => {
                    let b = branch % names.len();
                    let r = p.write(&names[b], vec![WriteOp::Upsert { collection: "c".into(), doc: doc! {"_id": id, "v": v} }]).unwrap();
                    models[b].insert(id, v);
                    history[b].push((r.lsn, models[b].clone()));
                }
                Step::Del { branch, id } => {
                    let b = branch % names.len();
                    let r = p.write(&names[b], vec![WriteOp::Delete { collection: "c".into(), id: Bson::Int32(id) }]).unwrap();
                    if models[b].remove(&id).is_some() {
                        history[b].push((r.lsn, models[b].clone()));
                    }
                }
                Step::Checkpoint { branch } => {
                    let b = branch % names.len();
                    p.checkpoint(&names[b], "test").unwrap();
                }
                Step::Branch { from } => {
                    let f = from % names.len();
                    let name = format!("b{}", names.len());
                    p.create_branch(&name, &names[f]).unwrap();
                    names.push(name);
                    models.push(models[f].clone());
                    history.push(vec![]);
                }
                Step::TimeTravel { branch, back } => {
                    let b = branch % names.len();
                    if let Some((lsn, m)) = history[b].iter().rev().nth(back) {
                        let v = p.view(&format!("{}@lsn:{lsn}", names[b])).unwrap();
                        let got: Model = v.scan(ns, "c").unwrap().map(|r| {
                            let (_, raw) = r.unwrap();
                            let d = bson::Document::from_reader(&*raw).unwrap();
                            (d.get_i32("_id").unwrap(), d.get_i32("v").unwrap())
                        }).collect();
                        prop_assert_eq!(&got, m);
                    }
                }
            }
            for (b, name) in names.iter().enumerate() {
                let v = p.branch_view(name).unwrap();
                let got: Model = v.scan(ns, "c").unwrap().map(|r| {
                    let (_, raw) = r.unwrap();
                    let d = bson::Document::from_reader(&*raw).unwrap();
                    (d.get_i32("_id").unwrap(), d.get_i32("v").unwrap())
                }).collect();
                prop_assert_eq!(&got, &models[b]);
                prop_assert_eq!(v.count(ns, "c").unwrap(), models[b].len() as u64);
            }
        }
    }
}
