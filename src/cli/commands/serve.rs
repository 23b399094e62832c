use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;
use crate::engine::Engine;
use crate::wire::commands::Server;
use std::sync::Arc;

/// Serve every branch to unmodified MongoDB drivers
///
/// Database `shop` is project `shop` on its default branch, `shop@feature`
/// is branch `feature`, and `shop@main@lsn:42` is a read-only point in
/// history. Prints the connection string on stdout. Stops on Ctrl-C or
/// SIGTERM; every acknowledged write is already durable.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 27017)]
    pub port: u16,
    /// Memory for cached tree nodes, per open project, in MiB (a scan of a
    /// large collection fills it; it never grows past this)
    #[arg(long, value_name = "MIB", default_value_t = 256, env = "ARGON_CACHE_MB", value_parser = clap::value_parser!(u32).range(1..))]
    pub cache_mb: u32,
    /// Seconds between passes of the TTL monitor, which deletes expired
    /// documents of TTL indexes on default branches (mongod: 60)
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub ttl_interval: u64,
}

pub fn cmd_serve(ctx: &Context, ui: &Ui, args: ServeArgs) -> CmdResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::user(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(|e| {
                CommandError::user(format!("cannot listen on {}:{}: {e}", args.host, args.port))
                    .hint("pick another port with --port (0 chooses a free one)")
            })?;
        let addr = listener.local_addr()?;
        let engine = Engine::open(&ctx.data_dir)?.with_cache_bytes((args.cache_mb as usize) << 20);
        let server = Arc::new(Server::new(engine, addr.to_string()));
        // Signal handlers are installed before the connection string is
        // printed: whoever reads it may stop the server at once.
        #[cfg(unix)]
        let mut term = {
            use tokio::signal::unix::{SignalKind, signal};
            let term = signal(SignalKind::terminate()).ok();
            let int = signal(SignalKind::interrupt()).ok();
            (term, int)
        };
        ui.line(&format!("mongodb://{addr}/?directConnection=true"))?;
        ui.status(&format!(
            "Serving {} on {addr}: database NAME is project NAME, NAME@BRANCH a branch, NAME@BRANCH@lsn:N a point in history. Ctrl-C stops.",
            ctx.data_dir.display()
        ));
        let shutdown = async move {
            #[cfg(unix)]
            {
                let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                    match s {
                        Some(mut s) => {
                            s.recv().await;
                        }
                        None => std::future::pending::<()>().await,
                    }
                };
                let (t, i) = (term.0.take(), term.1.take());
                tokio::select! {
                    _ = wait(t) => {}
                    _ = wait(i) => {}
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        };
        let ttl = std::time::Duration::from_secs(args.ttl_interval);
        crate::wire::server::serve(listener, server, ttl, shutdown).await?;
        ui.status("Stopped; pending writes are checkpointed.");
        Ok(())
    })
}
