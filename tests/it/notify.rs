//! Replicas on PostgreSQL hear of each other's events at once: a
//! transaction that records events announces them at commit, and a
//! listener (as every replica runs) is woken — nothing before the commit,
//! nothing for a rolled-back transaction.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};
use std::time::Duration;

use backroom::{
    domain::{event::EventType, sample::sample},
    storage::{events::NewEvent, notify, now_ms},
};
use tokio_util::sync::CancellationToken;

use crate::helpers::{TestDb, eventually};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_recorded_on_one_connection_wake_another() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    let db = test_db.connect().await;
    let heard = Arc::new(AtomicUsize::new(0));
    let stop = CancellationToken::new();
    let count = heard.clone();
    let url = db_url(&test_db);
    tokio::spawn(notify::listen(
        url,
        move || {
            count.fetch_add(1, Ordering::SeqCst);
        },
        stop.clone(),
    ));
    // The listener is up once a committed announcement reaches it.
    let record = |rollback: bool| {
        let db = db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            let event = NewEvent::new(sample(EventType::OrderCreated));
            backroom::storage::events::insert(&mut tx, &[event], now_ms());
            if rollback {
                // Dropped without commit: rolled back, nothing announced.
                tx.fetch_all::<(i64,)>(backroom::storage::Stmt::new("SELECT 1"))
                    .await
                    .unwrap();
                drop(tx);
            } else {
                tx.commit().await.unwrap();
            }
        }
    };
    eventually(
        "the first announcement",
        Duration::from_secs(20),
        || async {
            record(false).await;
            (heard.load(Ordering::SeqCst) > 0).then_some(())
        },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = heard.load(Ordering::SeqCst);
    record(true).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        heard.load(Ordering::SeqCst),
        before,
        "a rollback announces nothing"
    );
    record(false).await;
    eventually("the next announcement", Duration::from_secs(20), || async {
        (heard.load(Ordering::SeqCst) > before).then_some(())
    })
    .await;
    stop.cancel();
}

fn db_url(db: &TestDb) -> String {
    db.url().to_string()
}
