//! The first PostgreSQL connection, made once by hand so a failure can be named.
//!
//! The pool retries a refused connection until its acquire timeout and then
//! reports only `PoolTimedOut`, which says nothing about the cause. One direct
//! attempt before the pool returns the real error at once, and `explain` turns
//! the two an operator meets first — nothing listening there, no such
//! database — into one line saying what to do.

use std::{io, str::FromStr, time::Duration};

use sqlx::{AnyConnection, Connection, postgres::PgConnectOptions};

/// How long the first attempt may take before the server counts as unreachable
/// (a host that drops packets would otherwise hold start-up for minutes).
const FIRST_CONNECT: Duration = Duration::from_secs(10);

/// PostgreSQL's SQLSTATE for "database does not exist" (invalid_catalog_name).
const NO_SUCH_DATABASE: &str = "3D000";

/// Opens and closes one connection, returning the driver's own error.
pub(super) async fn probe(url: &str) -> Result<(), sqlx::Error> {
    let conn = tokio::time::timeout(FIRST_CONNECT, AnyConnection::connect(url))
        .await
        .map_err(|_| {
            sqlx::Error::Io(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no answer within {} s", FIRST_CONNECT.as_secs()),
            ))
        })??;
    conn.close().await
}

/// One line for an error from opening a PostgreSQL `url`, when it is one the
/// operator can fix from the outside; `None` for everything else. Names the
/// host, port, user and database, never the password.
pub fn explain(url: &str, err: &sqlx::Error) -> Option<String> {
    // The options parser reads any URL; only PostgreSQL's errors are explained.
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return None;
    }
    let opts = PgConnectOptions::from_str(url).ok()?;
    let at = format!("{}:{}", opts.get_host(), opts.get_port());
    match err {
        sqlx::Error::Database(e) if e.code().as_deref() == Some(NO_SUCH_DATABASE) => {
            let name = opts.get_database().unwrap_or(opts.get_username());
            Some(format!(
                "the database \"{name}\" does not exist on {at}: create it \
                 (`createdb -h {host} -p {port} -U {user} {name}`, or CREATE DATABASE in psql) \
                 or point DATABASE_URL at one that exists",
                host = opts.get_host(),
                port = opts.get_port(),
                user = opts.get_username(),
            ))
        }
        sqlx::Error::Io(e) => Some(format!(
            "cannot reach the database at {at} ({}): check DATABASE_URL and that PostgreSQL \
             is running there and accepts connections",
            io_reason(e)
        )),
        _ => None,
    }
}

/// The io error's text without the "(os error 111)" suffix.
fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_connection_names_the_place_but_not_the_password() {
        let err = sqlx::Error::Io(io::Error::from(io::ErrorKind::ConnectionRefused));
        let line = explain("postgres://shop:s3cret@db.internal:5999/stock", &err).unwrap();
        assert!(line.starts_with("cannot reach the database at db.internal:5999"));
        assert!(!line.contains("s3cret"), "{line}");
    }

    #[test]
    fn other_errors_are_left_to_the_caller() {
        assert_eq!(
            explain("postgres://u@h/d", &sqlx::Error::PoolTimedOut),
            None
        );
        let io = sqlx::Error::Io(io::Error::from(io::ErrorKind::ConnectionRefused));
        assert_eq!(explain("sqlite://x.db", &io), None);
    }
}
