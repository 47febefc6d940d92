//! Transfers in the chat: "sent 10 screws to Warehouse" from one location's
//! number, "received 10 screws from Main Street" (or "received T-3", or a tap
//! on "✅ It arrived") from the other's. Staff only; a staff member limited to
//! some locations works only at those.

pub(super) use super::transfer_words::{Transfer, read};
use super::{
    Conversation, replies,
    turn::{Say, Turn, Work},
};
use crate::{
    domain::lang::Lang,
    ops::{
        ShopError,
        transfers::{self, Arrival, Mover},
    },
    storage::{contacts::Role, items, locations},
};

impl Conversation {
    /// Does a transfer message from staff.
    pub(super) async fn transfer(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        tr: &Transfer,
    ) -> Result<Vec<Say>, sqlx::Error> {
        if !t.role.keeps_stock() {
            return Ok(vec![Say::Text(replies::staff_only(t.lang))]);
        }
        let named: Vec<&(i64, String)> = match tr {
            Transfer::Send { lines, .. } | Transfer::Receive { lines, .. } => {
                lines.iter().collect()
            }
            Transfer::Unclear { said, meant } => {
                return Ok(vec![Say::Text(format!(
                    "🤔 \"{said}\" is not one of the shop's locations — did you mean {}? Nothing changed. \
                     Write it again with the location's name, or \"sold …\" if it left the shop.",
                    self.places.name(*meant)
                ))]);
            }
        };
        let mut missing: Vec<&str> = named
            .iter()
            .map(|(_, n)| n.as_str())
            .filter(|n| w.book.get(n).is_none())
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            w.book.extend(items::lock(w.tx, &missing).await?);
        }
        if let Some((_, name)) = named.iter().find(|(_, n)| w.book.get(n).is_none()) {
            return Ok(vec![Say::Text(format!(
                "I don't know \"{name}\" — nothing was sent or received."
            ))]);
        }
        let m = self.mover(t);
        let places = self.places.as_ref();
        match tr {
            Transfer::Send { to, lines } => {
                let lines: Vec<(String, i64)> =
                    lines.iter().map(|(q, n)| (n.clone(), *q)).collect();
                let ctx = (&self.settings.whatsapp, places);
                match transfers::send(w.tx, w.book, w.fx, ctx, &m, *to, &lines).await {
                    Ok((sent, notes)) => {
                        w.sends.extend(notes);
                        Ok(vec![Say::Text(replies::transfer::sent(
                            places, t.location, *to, &sent,
                        ))])
                    }
                    Err(e) => refused(t.lang, e),
                }
            }
            Transfer::Unclear { .. } => Ok(Vec::new()),
            Transfer::Receive {
                reference: Some(id),
                ..
            } => self.arrived(w, t, &[*id]).await,
            Transfer::Receive { from, lines, .. } => {
                let from = from.unwrap_or_default();
                let arrival = Arrival::Lines { from, lines };
                let got = transfers::receive(w.tx, w.book, w.fx, places, &m, arrival).await;
                match got {
                    Ok(lines) => Ok(vec![Say::Text(replies::transfer::received(
                        places, t.location, &lines,
                    ))]),
                    Err(e) => refused(t.lang, e),
                }
            }
        }
    }

    /// Receives whole transfers (a tap on "✅ It arrived", "received T-3").
    pub(super) async fn arrived(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        ids: &[i64],
    ) -> Result<Vec<Say>, sqlx::Error> {
        if !t.role.keeps_stock() {
            return Ok(vec![Say::Text(replies::staff_only(t.lang))]);
        }
        // A transfer is received where it was sent to, whichever of the
        // shop's numbers the tap or "received T-3" came through, as long as
        // the person works there.
        let mut m = self.mover(t);
        if let Some(first) = ids.first()
            && let Some(tr) = locations::peek_transfer(w.tx, *first).await?
        {
            m.location = tr.to_location;
        }
        if t.role == Role::Staff && m.location != t.location {
            let allowed = locations::of_contact_in(w.tx, t.wa_id).await?;
            if !allowed.is_empty() && !allowed.contains(&m.location) {
                return Ok(vec![Say::Text(format!(
                    "⚠️ That transfer goes to {}, and you are set up for other locations. Nothing changed.",
                    self.places.name(m.location)
                ))]);
            }
        }
        let places = self.places.as_ref();
        match transfers::receive(w.tx, w.book, w.fx, places, &m, Arrival::Ids(ids)).await {
            Ok(lines) => Ok(vec![Say::Text(replies::transfer::received(
                places, m.location, &lines,
            ))]),
            Err(e) => refused(t.lang, e),
        }
    }

    fn mover<'a>(&self, t: &'a Turn<'_>) -> Mover<'a> {
        Mover {
            by: t.wa_id,
            location: t.location,
            source_message_id: Some(t.p.record.wamid.clone()),
            now: t.now,
        }
    }
}

/// A refusal is said back; a database error fails the batch.
fn refused(lang: Lang, e: ShopError) -> Result<Vec<Say>, sqlx::Error> {
    match e {
        ShopError::Refused(r) => Ok(vec![Say::Text(replies::refusal(lang, &r))]),
        ShopError::Conflict(why) => Ok(vec![Say::Text(format!("⚠️ {why}. Nothing changed."))]),
        ShopError::NotFound(what) => Ok(vec![Say::Text(format!(
            "⚠️ No such {what}. Nothing changed."
        ))]),
        ShopError::Db(e) => Err(e),
    }
}
