//! TUI benchmark: time from opening the diff view of 100k changed
//! documents to the first rendered frame (80x24, `TestBackend`) that
//! shows document rows. Prints JSON.
//!
//! `cargo bench --bench tui -- [--docs N] [--runs N]`

use argonctl::backend::local::LocalBackend;
use argonctl::backend::{Backend, ImportMode};
use argonctl::synth::customer;
use argonctl::tui::app::App;
use argonctl::tui::keymap::{Action, Keymap};
use argonctl::tui::local_opener;
use argonctl::tui::theme::Theme;
use argonctl::tui::views::diff::DiffView;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use std::time::{Duration, Instant};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    buf.content.iter().map(|c| c.symbol()).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let docs = arg("--docs", 100_000);
    let runs = arg("--runs", 7) as usize;
    let dir = tempfile::tempdir().expect("temp dir");
    let b = LocalBackend::open(dir.path()).expect("open");
    let p = "bench";
    let t0 = Instant::now();
    b.create_project(p, "tui bench").expect("project");
    let stream = |changed: bool| -> argonctl::backend::DocStream<'static> {
        Box::new((0..docs).map(move |i| {
            let mut d = customer(7, i);
            if changed {
                d.insert("tier", "changed");
                d.insert("visits", i as i64 * 3);
            }
            Ok(d)
        }))
    };
    b.import(
        p,
        "main",
        "customers",
        ImportMode::Insert,
        stream(false),
        &|_| {},
    )
    .expect("import");
    b.create_branch(p, "feature", "main").expect("branch");
    b.import(
        p,
        "feature",
        "customers",
        ImportMode::Upsert,
        stream(true),
        &|_| {},
    )
    .expect("changes");
    b.project(p)
        .expect("project")
        .checkpoint_all()
        .expect("checkpoint");
    let setup_s = t0.elapsed().as_secs_f64();
    let base = b.diff_base(p, "feature").expect("base");

    let mut app = App::new(
        &b,
        local_opener(dir.path().to_path_buf()),
        Keymap::default(),
        Theme::new(true),
    );
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut first_frame_ms = Vec::new();
    let mut frames_until_rows = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let view = app.with_ctx(|cx| DiffView::new(cx, p, &base, "feature", "bench".into()));
        app.push(Box::new(view));
        let mut frames = 0;
        loop {
            app.pump();
            term.draw(|f| app.draw(f)).expect("draw");
            frames += 1;
            if screen(&term).contains("│ ~ ") {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "no rows");
            app.wait_msg(Duration::from_millis(5));
        }
        first_frame_ms.push(start.elapsed().as_secs_f64() * 1e3);
        frames_until_rows.push(frames);
        // Back out (cancels the stream) and let the worker go idle.
        app.act(Action::Back);
        app.wait_idle(Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(50));
        while app.pump() {}
    }

    // One full load: all changes streamed in, then a frame at the bottom of
    // the 100k-row list (only visible rows are built).
    let start = Instant::now();
    let view = app.with_ctx(|cx| DiffView::new(cx, p, &base, "feature", "bench".into()));
    app.push(Box::new(view));
    app.wait_idle(Duration::from_secs(600));
    let full_load_s = start.elapsed().as_secs_f64();
    app.act(Action::Bottom);
    let mut draw_ms = Vec::new();
    for _ in 0..20 {
        let s = Instant::now();
        term.draw(|f| app.draw(f)).expect("draw");
        draw_ms.push(s.elapsed().as_secs_f64() * 1e3);
        app.act(Action::Up);
    }
    let bottom = screen(&term).contains(&format!("{docs}/{docs}"))
        || screen(&term).contains(&format!("{}/{docs}", docs - 19));
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "documents_changed": docs,
            "setup_s": (setup_s * 100.0).round() / 100.0,
            "first_frame_with_rows_ms": {
                "median": (median(first_frame_ms.clone()) * 10.0).round() / 10.0,
                "runs": first_frame_ms.iter().map(|x| (x * 10.0).round() / 10.0).collect::<Vec<_>>(),
                "first_run_includes_worker_backend_open": true,
            },
            "frames_until_rows": frames_until_rows,
            "full_stream_load_s": (full_load_s * 100.0).round() / 100.0,
            "frame_at_bottom_of_full_list_ms_median": (median(draw_ms) * 1000.0).round() / 1000.0,
            "list_scrolled_to_bottom": bottom,
            "target_ms": 300,
        }))
        .unwrap_or_default()
    );
}
