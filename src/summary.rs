//! The daily stock summary sent to owners at `SUMMARY_AT` in the shop's time
//! zone. The day is claimed in the database in the same transaction that
//! queues the messages, so several replicas or a restart send it once.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::{
    ops::Shop,
    storage::{self, Stmt, contacts, items, outbound},
    whatsapp::outbound::window::{Notice, Purpose},
};

/// Checks once a minute whether today's summary is due, and sends it.
pub async fn run(shop: Shop, at: jiff::civil::Time, shutdown: CancellationToken) {
    loop {
        if let Err(e) = send_if_due(&shop, at).await {
            tracing::warn!(error = %e, "daily summary failed; trying again in a minute");
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
    }
}

/// Sends today's summary if its time has come and nobody sent it yet; true when sent.
pub async fn send_if_due(shop: &Shop, at: jiff::civil::Time) -> Result<bool, sqlx::Error> {
    let tz =
        jiff::tz::TimeZone::get(&shop.prefs.get().time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let now = jiff::Timestamp::now().to_zoned(tz);
    if now.time() < at {
        return Ok(false);
    }
    let day = now.date().to_string();
    let now_ms = storage::now_ms();
    let mut tx = shop.db.begin().await?;
    let claimed: Vec<(String,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO daily_summaries (day, sent_at) VALUES ($1, $2) \
                 ON CONFLICT (day) DO NOTHING RETURNING day",
            )
            .bind(day.as_str())
            .bind(now_ms),
        )
        .await?;
    if claimed.is_empty() {
        return Ok(false);
    }
    let all = items::all_in(&mut tx).await?;
    let default = shop.prefs.threshold();
    let low: Vec<String> = all
        .iter()
        .filter(|i| {
            let t = i.threshold.unwrap_or(default);
            t > 0 && i.quantity <= t
        })
        .map(|i| format!("• {}: {}", i.name, i.quantity))
        .collect();
    let mut text = format!(
        "📊 Stock summary for {day}: {} items, {} units in stock.",
        all.len(),
        all.iter().map(|i| i.quantity).sum::<i64>()
    );
    if low.is_empty() {
        text.push_str("\nNothing is running low.");
    } else {
        text.push_str(&format!("\n⚠️ Running low:\n{}", low.join("\n")));
    }
    let text: String = text.chars().take(4000).collect();
    let messages: Vec<_> = contacts::owners_in(&mut tx)
        .await?
        .iter()
        .map(|o| shop.notice(o, &Notice::new(Purpose::Alert, text.clone()), now_ms))
        .collect();
    outbound::insert(&mut tx, &messages, now_ms);
    tx.commit().await?;
    shop.sender_wake.notify_one();
    tracing::info!(%day, owners = messages.len(), "daily summary queued");
    Ok(true)
}
