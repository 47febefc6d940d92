//! What a person starting the server reads: where to open it, and for the
//! mistakes met on a first run, one line that says what to do instead of an
//! error chain.

use std::{
    fmt, io,
    net::{IpAddr, SocketAddr},
};

use tokio::net::TcpListener;

use crate::storage::reach;

/// A start-up failure the operator can fix, as the one line that says how.
/// `main` prints it alone, without the chain or a log line around it.
#[derive(Debug)]
pub struct StartupError(String);

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartupError {}

/// The database could not be opened: one line when the cause is one the
/// operator can act on (see `storage::reach`), the full chain otherwise.
pub(super) fn database_error(url: &str, err: sqlx::Error) -> anyhow::Error {
    match reach::explain(url, &err) {
        Some(line) => StartupError(line).into(),
        None => anyhow::Error::new(err).context("could not open the database (DATABASE_URL)"),
    }
}

/// Binds `host:port`, naming the fix when another process holds the port.
pub(super) async fn bind(host: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    TcpListener::bind((host, port)).await.map_err(|e| {
        if e.kind() == io::ErrorKind::AddrInUse {
            StartupError(format!(
                "port {port} is in use on {host}: set PORT to another port, \
                 or stop the program that is listening there"
            ))
            .into()
        } else {
            anyhow::Error::new(e).context(format!("could not listen on {host}:{port}"))
        }
    })
}

/// The address to open in a browser. A wildcard bind (`0.0.0.0`, `::`) is not
/// an address a browser can open, so it becomes `localhost`.
pub fn open_url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}/", addr.port())
    } else {
        format!("http://{addr}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_one_a_browser_can_open() {
        let at = |s: &str| open_url(s.parse().unwrap());
        assert_eq!(at("0.0.0.0:8080"), "http://localhost:8080/");
        assert_eq!(at("[::]:8080"), "http://localhost:8080/");
        assert_eq!(at("127.0.0.1:18080"), "http://127.0.0.1:18080/");
        assert_eq!(at("[::1]:8080"), "http://[::1]:8080/");
    }
}
