use crate::backend::ImportMode;
use crate::cli::commands::merge::report;
use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;
use crate::engine::WriteOp;
use crate::engine::merge::{MergeStatus, Resolution, Strategy};
use bson::Bson;

/// Build a demo project and walk through branch, diff and merge in seconds
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Name of the demo project
    #[arg(long, default_value = "demo")]
    pub name: String,
    /// Number of generated customer documents
    #[arg(long, default_value_t = 1000)]
    pub documents: u64,
    /// Replace an existing project of that name even if the demo did not make it
    #[arg(long)]
    pub force: bool,
}

const DEMO_DESCRIPTION: &str = "argonctl demo: generated customers";

fn step(ui: &Ui, text: &str) {
    ui.status(&format!("\n{} {text}", ui.bold("==>")));
}

pub fn cmd_demo(ctx: &Context, ui: &Ui, args: DemoArgs) -> CmdResult {
    let b = ctx.backend();
    let p = args.name.as_str();
    if b.project_names()?.iter().any(|n| n == p) {
        // A project an earlier demo made is recreated; anything else is
        // someone's data and needs --force.
        if !args.force && b.show_project(p)?.description != DEMO_DESCRIPTION {
            return Err(CommandError::user(format!(
                "project '{p}' already exists and was not made by the demo"
            ))
            .hint("run `argonctl demo --force` to replace it, or `argonctl demo --name OTHER`"));
        }
        b.delete_project(p)?;
    }
    step(ui, &format!("argonctl projects create --name {p}"));
    b.create_project(p, DEMO_DESCRIPTION)?;
    step(
        ui,
        &format!(
            "argonctl import customers.json --collection customers   ({} documents)",
            args.documents
        ),
    );
    let docs = (0..args.documents).map(|i| Ok(crate::synth::customer(1, i)));
    let s = b.import(
        p,
        "main",
        "customers",
        ImportMode::Insert,
        Box::new(docs),
        &|_| {},
    )?;
    ui.status(&format!(
        "imported {} documents as commit {}",
        s.documents,
        &s.commit[..12]
    ));

    step(
        ui,
        "argonctl branches create feature --from main   (instant: nothing is copied)",
    );
    b.create_branch(p, "feature", "main")?;

    let id_of = |i: u64| {
        crate::synth::customer(1, i)
            .get("_id")
            .cloned()
            .unwrap_or(Bson::Null)
    };
    step(ui, "on feature: change two customers, add one, delete one");
    let mut c0 = crate::synth::customer(1, 0);
    c0.insert("tier", "enterprise");
    let mut c1 = crate::synth::customer(1, 1);
    if let Ok(addr) = c1.get_document_mut("address") {
        addr.insert("city", "Tokyo");
    }
    let mut c2 = crate::synth::customer(1, 2);
    c2.insert("visits", 1_i32);
    b.write(
        p,
        "feature",
        vec![
            WriteOp::Upsert {
                collection: "customers".into(),
                doc: c0,
            },
            WriteOp::Upsert {
                collection: "customers".into(),
                doc: c1,
            },
            WriteOp::Upsert {
                collection: "customers".into(),
                doc: c2.clone(),
            },
            WriteOp::Insert {
                collection: "customers".into(),
                doc: bson::doc! {"_id": "new-customer", "name": "Radia Perlman", "tier": "pro"},
            },
            WriteOp::Delete {
                collection: "customers".into(),
                id: id_of(3),
            },
        ],
    )?;
    step(
        ui,
        "on main meanwhile: edit another field of customer 1, and the same field of customer 2",
    );
    let mut m1 = crate::synth::customer(1, 1);
    m1.insert("active", false);
    let mut m2 = crate::synth::customer(1, 2);
    m2.insert("visits", 9_999_i32);
    b.write(
        p,
        "main",
        vec![
            WriteOp::Upsert {
                collection: "customers".into(),
                doc: m1,
            },
            WriteOp::Upsert {
                collection: "customers".into(),
                doc: m2,
            },
        ],
    )?;

    step(ui, "argonctl diff feature");
    let mut counts = (0u64, 0u64, 0u64);
    let base = b.diff_base(p, "feature")?;
    b.diff(p, &base, "feature", None, &mut |ev| {
        if let crate::backend::DiffEvent::Document {
            before, after, id, ..
        } = ev
        {
            match (&before, &after) {
                (None, Some(_)) => counts.0 += 1,
                (Some(_), None) => counts.1 += 1,
                _ => counts.2 += 1,
            }
            if let (Some(bf), Some(af)) = (&before, &after) {
                for c in crate::engine::doc::diff_docs(bf, af) {
                    ui.status(&format!(
                        "  ~ {{_id: {}}} {}: {} -> {}",
                        id.clone().into_relaxed_extjson(),
                        crate::engine::doc::path_to_string(&c.path),
                        c.from
                            .map(|v| v.into_relaxed_extjson().to_string())
                            .unwrap_or_default(),
                        c.to.map(|v| v.into_relaxed_extjson().to_string())
                            .unwrap_or_default()
                    ));
                }
            }
        }
        Ok(())
    })?;
    ui.status(&format!(
        "  customers: +{} -{} ~{}",
        counts.0, counts.1, counts.2
    ));

    step(ui, "argonctl branches merge feature --into main");
    let r = b.merge(
        p,
        "feature",
        "main",
        &crate::engine::merge::Policy::new(Strategy::Fail),
        false,
    )?;
    report(ui, &r)?;
    if r.status == MergeStatus::Conflicts {
        step(
            ui,
            "argonctl conflicts resolve ID --theirs   (for each conflict)",
        );
        for c in &r.conflicts {
            b.resolve_conflict(p, "main", &c.id, Resolution::Theirs)?;
        }
        step(ui, "argonctl merge --continue");
        let r = b.continue_merge(p, "main")?;
        report(ui, &r)?;
    }
    step(ui, "done. Try next:");
    ui.status(&format!(
        "  argonctl -p {p} log main\n  argonctl -p {p} diff main~1 main\n  argonctl -p {p} data find customers --filter '{{\"tier\": \"enterprise\"}}' --limit 3\n  argonctl -p {p} branches create experiment --from 'main@lsn:1'"
    ));
    Ok(())
}
