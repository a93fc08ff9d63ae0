//! The accept loop: hyper's HTTP/1.1 server under the bounds of `[server]`, which
//! `axum::serve` does not offer.
//!
//! - A client has `header_read_timeout_seconds` to send a request's head, and a kept-alive
//!   connection may wait that long for the next one (hyper's header-read timer starts when
//!   the connection begins waiting), so slow or silent connections do not pile up.
//! - At most `max_connections` are served at once; one more is answered `503` with a short
//!   Chinese text and closed, instead of waiting unseen in the kernel's queue.
//! - Shutdown stops accepting, lets the connections in flight finish their requests (at most
//!   30 seconds), then returns.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::AppState;

/// What a connection over the limit reads before it is closed.
const OVER_LIMIT: &[u8] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; \
charset=utf-8\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: 34\r\n\r\n\
系统繁忙，请稍后再试。\n"
    .as_bytes();

/// How long shutdown waits for connections in flight.
const DRAIN: Duration = Duration::from_secs(30);

pub(crate) async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = &state.config.server;
    let header_timeout = Duration::from_secs(limits.header_read_timeout_seconds.max(1));
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let router = crate::router::build(state.clone());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            state.metrics.connection_refused();
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request.map(axum::body::Body::new))
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), service);
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = slot;
            if let Err(err) = watched.await {
                tracing::debug!(peer = %peer_ip(peer), error = %err, "connection ended");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after shutdown wait; closing them");
    }
    Ok(())
}

/// Answers a connection over the limit and closes it, without reading its request.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _ = stream.write_all(OVER_LIMIT).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

fn peer_ip(peer: SocketAddr) -> std::net::IpAddr {
    peer.ip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_over_limit_answer_declares_its_length() {
        let text = std::str::from_utf8(OVER_LIMIT).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("Content-Length: {}", body.len())),
            "{head}"
        );
    }
}
