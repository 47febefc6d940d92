//! The HTTP server loop: the router on hyper, with the limits a public
//! endpoint needs. A client has `header_timeout` to send a request's headers,
//! also between requests on a kept-alive connection, so slowly trickled or
//! idle connections are closed; at most `max_connections` connections are
//! open at once, and at most a quarter of them from one address (when
//! backroom is reached directly, not through proxies), so one host cannot
//! take every file descriptor. (axum's own `serve` sets neither.)

use std::{
    collections::HashMap,
    future::Future,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, body::Body, extract::ConnectInfo, http::Request};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto::Builder, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::ServiceExt;

/// What one client may hold of the server.
pub struct Limits {
    /// How long a client may take to send a request's headers, or to start
    /// the next request on a kept-alive connection.
    pub header_timeout: Duration,
    pub max_connections: usize,
    /// Connections from one address; `None` behind proxies, where every
    /// connection comes from a proxy.
    pub per_address: Option<usize>,
}

/// Open connections per client address, counted while they last.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

impl PerAddress {
    fn enter(&self, ip: IpAddr, max: usize) -> bool {
        let mut open = self.0.lock().expect("not poisoned");
        let n = open.entry(ip).or_default();
        if *n >= max {
            return false;
        }
        *n += 1;
        true
    }

    fn leave(&self, ip: IpAddr) {
        let mut open = self.0.lock().expect("not poisoned");
        if let Some(n) = open.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&ip);
            }
        }
    }
}

/// Serves `router` until `shutdown`, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let Limits {
        header_timeout,
        max_connections,
        per_address,
    } = limits;
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(header_timeout);
    let slots = Arc::new(Semaphore::new(max_connections));
    let open = Arc::new(PerAddress::default());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("never closed"),
            () = &mut shutdown => break,
        };
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was taken: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ip = addr.ip();
        if let Some(max) = per_address
            && !open.enter(ip, max)
        {
            tracing::warn!(%ip, "too many connections from one address; closing this one");
            continue;
        }
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(addr));
                req.map(Body::new)
            });
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let conn = graceful.watch(conn);
        let open = open.clone();
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::trace!(error = %e, "connection ended with an error");
            }
            if per_address.is_some() {
                open.leave(ip);
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_capped_while_their_connections_last() {
        let open = PerAddress::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(open.enter(a, 2) && open.enter(a, 2));
        assert!(!open.enter(a, 2));
        assert!(open.enter("192.0.2.2".parse().unwrap(), 2));
        open.leave(a);
        assert!(open.enter(a, 2));
    }
}
