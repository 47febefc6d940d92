//! Who is on the other end of a request, for rate limits: the socket's
//! address, or — behind proxies the operator names with `TRUSTED_PROXY_HOPS` —
//! the address the outermost trusted proxy saw. The first hop of
//! `X-Forwarded-For` is whatever the client wrote, so it is never trusted.

use std::{
    collections::HashMap,
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};

/// The client's address as the limiters see it (a request extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        // Set by `tag_client`; a router built without it (a unit test) has none.
        Ok(parts
            .extensions
            .get::<ClientAddr>()
            .copied()
            .unwrap_or(ClientAddr(IpAddr::V4(Ipv4Addr::UNSPECIFIED))))
    }
}

/// The client address given the socket peer and `hops` trusted proxies, each
/// of which appends the address it saw to `X-Forwarded-For`: the client is
/// then the `hops`-th entry from the right. A header with fewer entries did
/// not come through them all, and the socket's address stands.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, hops: usize) -> IpAddr {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    entries
        .len()
        .checked_sub(hops)
        .and_then(|i| entries[i].parse().ok())
        .unwrap_or(peer)
}

/// Middleware: puts the `ClientAddr` in the request's extensions.
pub async fn tag_client(State(hops): State<usize>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let addr = client_addr(peer, req.headers(), hops);
    req.extensions_mut().insert(ClientAddr(addr));
    next.run(req).await
}

/// Failures counted per address in fixed windows: once an address has
/// failed `max` times in a window it is refused, right or wrong, until the
/// window ends — so guessing gets no answer, not even a correct one.
pub struct Strikes {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Strikes {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: Mutex::default(),
        }
    }

    /// Seconds until `addr` may try again, if it is refused now.
    pub fn refused(&self, addr: IpAddr) -> Option<u64> {
        let seen = self.seen.lock().expect("not poisoned");
        let (since, count) = seen.get(&addr)?;
        let left = self.window.checked_sub(since.elapsed())?;
        (*count >= self.max).then(|| left.as_secs().max(1))
    }

    pub fn strike(&self, addr: IpAddr) {
        let mut seen = self.seen.lock().expect("not poisoned");
        if seen.len() > 10_000 {
            // Forget finished windows rather than grow without bound.
            seen.retain(|_, (since, _)| since.elapsed() < self.window);
        }
        let entry = seen.entry(addr).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_counts_from_the_right() {
        let peer: IpAddr = "10.0.0.9".parse().unwrap();
        let forged = headers(&["6.6.6.6, 203.0.113.7, 104.22.17.40"]);
        assert_eq!(client_addr(peer, &forged, 0), peer);
        assert_eq!(client_addr(peer, &forged, 1).to_string(), "104.22.17.40");
        assert_eq!(client_addr(peer, &forged, 2).to_string(), "203.0.113.7");
        // Two header lines read as one list.
        let split = headers(&["6.6.6.6", "203.0.113.7, 104.22.17.40"]);
        assert_eq!(client_addr(peer, &split, 2).to_string(), "203.0.113.7");
        // Fewer entries than proxies, or junk: the socket.
        assert_eq!(client_addr(peer, &headers(&["1.2.3.4"]), 2), peer);
        assert_eq!(client_addr(peer, &headers(&["nonsense"]), 1), peer);
        assert_eq!(client_addr(peer, &HeaderMap::new(), 1), peer);
    }

    #[test]
    fn strikes_refuse_until_the_window_ends() {
        let strikes = Strikes::new(3, Duration::from_millis(200));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(strikes.refused(a), None);
            strikes.strike(a);
        }
        assert!(strikes.refused(a).is_some());
        assert_eq!(strikes.refused(b), None);
        std::thread::sleep(Duration::from_millis(220));
        assert_eq!(strikes.refused(a), None);
    }
}
