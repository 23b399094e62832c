//! Accepts connections and answers each message.

use super::commands::Server;
use super::frame::{self, Decoded, Request};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// Serves until `shutdown` resolves; then stops accepting, lets running
/// commands finish and folds pending writes into checkpoints.
pub async fn serve(
    listener: TcpListener,
    server: Arc<Server>,
    ttl_interval: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    tokio::pin!(shutdown);
    // The TTL monitor runs beside the accept loop, one pass at a time.
    let monitor = {
        let server = server.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(ttl_interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let s = server.clone();
                let _ = tokio::task::spawn_blocking(move || s.sweep_ttl()).await;
            }
        })
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    // Transient (e.g. too many open files): keep serving.
                    Err(_) => continue,
                };
                let server = server.clone();
                tokio::spawn(async move {
                    let _ = connection(stream, peer, server).await;
                });
            }
        }
    }
    monitor.abort();
    let s = server.clone();
    let _ = tokio::task::spawn_blocking(move || s.checkpoint_all()).await;
    Ok(())
}

/// Runs a command; a panic becomes an error reply.
///
/// Commands that may block (writes wait for an fsync, change streams for
/// events) run under `block_in_place` (tokio hands this worker's other
/// tasks to another thread meanwhile). Everything else runs inline: a read is microseconds
/// of CPU, and handing the worker off and back would cost more than the
/// read itself.
fn run_command(may_wait_on_disk: bool, f: impl FnOnce() -> bson::Document) -> bson::Document {
    let guarded = || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
            super::commands::error_doc(
                1,
                "InternalError",
                "the command failed unexpectedly; the server keeps running",
            )
        })
    };
    if may_wait_on_disk {
        tokio::task::block_in_place(guarded)
    } else {
        guarded()
    }
}

async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    server: Arc<Server>,
) -> std::io::Result<()> {
    let _ = stream.set_nodelay(true);
    let conn_id = server.next_connection_id();
    loop {
        let decoded = match frame::read_message(&mut stream).await {
            Ok(Some(d)) => d,
            Ok(None) => return Ok(()),
            Err(e) if e.is_fatal() => return Ok(()),
            Err(e) => {
                if let (Some(to), Some(h)) = (e.reply_to(), e.header()) {
                    let reply = frame::encode_msg_reply(
                        h.request_id.wrapping_add(1),
                        to,
                        &e.error_document(),
                        None,
                    );
                    if let Ok(bytes) = reply {
                        stream.write_all(&bytes).await?;
                    }
                }
                continue;
            }
        };
        let Decoded {
            header,
            request,
            compressor,
        } = decoded;
        let expects_reply = !request.more_to_come();
        match request {
            Request::Msg(msg) => {
                let body = frame::command_document(&msg);
                if let Some(wait) = server.hello_wait(&body) {
                    tokio::time::sleep(wait).await;
                }
                let db = body.get_str("$db").unwrap_or("admin").to_string();
                let s = server.clone();
                let reply = run_command(server.may_block(&body), move || {
                    s.run(&db, body, conn_id, peer)
                });
                if expects_reply {
                    let bytes = frame::encode_msg_reply(
                        server.next_request_id(),
                        header.request_id,
                        &reply,
                        compressor,
                    )
                    .or_else(|e| {
                        let err =
                            super::commands::error_doc(10334, "BSONObjectTooLarge", &e.to_string());
                        frame::encode_msg_reply(
                            server.next_request_id(),
                            header.request_id,
                            &err,
                            None,
                        )
                    });
                    if let Ok(bytes) = bytes {
                        stream.write_all(&bytes).await?;
                    }
                }
            }
            Request::Query(q) => {
                // Legacy handshakes (`isMaster` over OP_QUERY on `admin.$cmd`).
                let mut cmd = q.query.clone();
                if let Ok(inner) = cmd.get_document("$query") {
                    cmd = inner.clone();
                }
                let db = q.database().to_string();
                let s = server.clone();
                let reply = run_command(server.may_block(&cmd), move || {
                    s.run(&db, cmd, conn_id, peer)
                });
                let failed = reply.get_f64("ok").unwrap_or(0.0) != 1.0;
                if let Ok(bytes) = frame::encode_op_reply(
                    server.next_request_id(),
                    header.request_id,
                    &reply,
                    failed,
                ) {
                    stream.write_all(&bytes).await?;
                }
            }
        }
    }
}
