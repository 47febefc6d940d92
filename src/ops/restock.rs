//! "Back in stock": customers who asked for an item while it was out are
//! told once when a change takes it from zero to some, in the transaction
//! of that change.

use crate::{
    config::WhatsAppSettings,
    domain::lang::{Lang, t},
    storage::{WriteTx, outbound::NewOutbound, stock_requests},
    whatsapp::outbound::window::{self, Notice, Purpose},
};

/// How long a request to be told is remembered.
pub const ASKED_WITHIN_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The notes for `restocked` items (id, name), one per person who asked in
/// the last week and was not told since. Each request is used up here, sent
/// or not: outside the 24-hour window without a template the note is
/// dropped (see `window::compose_or_drop`), never held for later.
pub async fn notes(
    tx: &mut WriteTx,
    wa: &WhatsAppSettings,
    restocked: &[(i64, String)],
    now: i64,
) -> Result<Vec<NewOutbound>, sqlx::Error> {
    let ids: Vec<i64> = restocked.iter().map(|(id, _)| *id).collect();
    let waiting = stock_requests::take(tx, &ids, now - ASKED_WITHIN_MS, now).await?;
    Ok(waiting
        .iter()
        .filter_map(|w| {
            let name = &restocked.iter().find(|(id, _)| *id == w.item_id)?.1;
            let lang = Lang::from_code(w.lang.as_deref());
            let notice = Notice::new(Purpose::BackInStock, text(lang, name));
            let row = window::compose_or_drop(wa, &w.recipient(), &notice, now);
            if row.is_none() {
                tracing::info!(to = %w.wa_id, item = %name, "back-in-stock note dropped: window closed, no template");
            }
            row
        })
        .collect())
}

/// "🔔 Good news: saw is back in stock."
pub fn text(lang: Lang, name: &str) -> String {
    t(
        lang,
        format!("🔔 Good news: {name} is back in stock. Reply \"I'd like 1 {name}\" to order."),
        format!(
            "🔔 Bonne nouvelle : {name} est de nouveau en stock. Répondez « je voudrais 1 {name} » pour commander."
        ),
    )
}
