//! Applying a prepared batch: one transaction marks the messages done, reads
//! who sent them, changes the stock, appends the ledger, records the events
//! and writes the replies.

use crate::domain::{lang::Lang, message::OutboundKind};
use std::collections::{HashMap, HashSet};

use super::{
    Conversation,
    prepare::{Prepared, Understood},
    replies, special,
    turn::{Say, Turn, Work},
};
use crate::{
    inventory::{Effects, StockBook},
    parsing::{Intent, KnownItems},
    storage::{
        self, WriteTx,
        contacts::{self, ContactRow, Role, Seen},
        events, held,
        inbox::{self, Completion, InboxRecord},
        items,
        outbound::{self, NewOutbound},
    },
    whatsapp::outbound::window,
};

impl Conversation {
    /// Applies a batch in one transaction.
    pub(super) async fn apply(
        &self,
        batch: &[Prepared],
        known: &KnownItems,
    ) -> Result<(), sqlx::Error> {
        let now = storage::now_ms();
        let mut tx = self.db.begin().await?;
        let completions: Vec<Completion> = batch.iter().map(completion).collect();
        let owned: HashSet<i64> = inbox::complete(&mut tx, &completions, now)
            .await?
            .into_iter()
            .collect();
        let work: Vec<&Prepared> = batch
            .iter()
            .filter(|p| owned.contains(&p.record.id))
            .collect();

        let mut senders: Vec<&str> = work
            .iter()
            .filter_map(|p| p.record.sender.as_deref())
            .collect();
        senders.sort_unstable();
        senders.dedup();
        let people: HashMap<String, ContactRow> = contacts::load(&mut tx, &senders)
            .await?
            .into_iter()
            .map(|c| (c.wa_id.clone(), c))
            .collect();

        // Queued first, so a new contact's row exists for later updates.
        let seen: Vec<Seen> = work
            .iter()
            .filter_map(|p| {
                Some(Seen {
                    wa_id: p.record.sender.clone()?,
                    profile_name: p.record.profile_name.clone(),
                    lang: p.lang.map(Lang::code),
                    seen_at: now,
                })
            })
            .collect();
        contacts::seen(&mut tx, &seen, now);
        // Writing opens their window: what was held for them goes out now.
        held::release(&mut tx, &senders, now);

        let mut book = self.load_book(&mut tx, &work, &people, known, now).await?;
        let mut fx = Effects::new(self.prefs.threshold(), &self.places);
        let mut replies = Vec::new();
        let mut noticed = HashSet::new();
        let mut sends = Vec::new();
        for p in &work {
            let intent = p.parsed().map(|x| x.parse.intent.as_str());
            super::turn::message_received(&mut fx, p, intent);
            // A username user without a business-scoped id cannot be answered.
            let Some(wa_id) = p.record.sender.as_deref() else {
                continue;
            };
            let person = people.get(wa_id);
            let lang = p
                .lang
                .unwrap_or_else(|| Lang::from_code(person.and_then(|c| c.lang.as_deref())));
            let turn = Turn {
                p,
                wa_id,
                role: person.map_or(Role::Customer, ContactRow::role),
                lang,
                now,
                location: self.places.for_number(&p.record.phone_number_id),
            };
            let says = if matches!(p.understood, Understood::NonText) {
                let last = person.and_then(|c| c.nontext_notice_at).unwrap_or(0);
                if crate::domain::whatsapp::wrote_within_window(last, now) || !noticed.insert(wa_id)
                {
                    Vec::new()
                } else {
                    contacts::noticed_nontext(&mut tx, wa_id, now);
                    vec![Say::Text(replies::nontext(lang))]
                }
            } else {
                self.decide(
                    &mut Work {
                        tx: &mut tx,
                        book: &mut book,
                        fx: &mut fx,
                        known,
                        sends: &mut sends,
                    },
                    &turn,
                )
                .await?
            };
            tracing::debug!(request_id = p.record.request_id.as_deref().unwrap_or("-"),
                wamid = %p.record.wamid, intent = ?intent, replies = says.len(), "message applied");
            for say in says {
                replies.push(self.reply(&turn, say));
            }
            if self.settings.shop.mark_as_read {
                replies.push(self.read_receipt(&p.record, wa_id));
            }
        }
        replies.append(&mut sends);
        let wa = &self.settings.whatsapp;
        replies.extend(crate::ops::reorder::low_stock_alerts(&mut tx, wa, &fx.low, now).await?);
        let restocked = &fx.restocked;
        replies.extend(crate::ops::restock::notes(&mut tx, wa, restocked, now).await?);
        let w = book.into_writes();
        crate::metrics::METRICS
            .stock_changes
            .inc_by(w.movements.len() as u64);
        items::set_quantities(&mut tx, &w.balances, now);
        items::set_location_quantities(&mut tx, &w.by_location);
        let changed: Vec<i64> = w.balances.iter().map(|&(id, _)| id).collect();
        crate::ops::catalog::note(&mut tx, &self.settings, &changed, now);
        items::insert_movements(&mut tx, &w.movements, now);
        events::record(&mut tx, &fx.events, now).await?;
        self.commit(tx, replies, now).await
    }

    /// Commits, handing fresh replies straight to this process's sender.
    async fn commit(
        &self,
        mut tx: WriteTx,
        replies: Vec<NewOutbound>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        match &self.handoff {
            Some(handoff) if !replies.is_empty() && !self.settings.whatsapp.sandbox() => {
                let lease = self.settings.sender.lease().as_millis() as i64;
                let insert = outbound::insert_leased(&tx, &replies, now, lease);
                let jobs = tx.commit_with(insert).await?;
                // A closed channel means the sender stopped; the leases hand the jobs on.
                let _ = handoff.send(jobs);
                self.signals.wake_events();
                self.signals.wake_catalog();
            }
            _ => {
                outbound::insert(&mut tx, &replies, now);
                tx.commit().await?;
                self.signals.wake_events();
                self.signals.wake_catalog();
                if !replies.is_empty() {
                    self.sender_wake.notify_one();
                }
            }
        }
        Ok(())
    }

    /// Locks every item the batch names; items staff add are created first —
    /// unless the add is to be confirmed, or the new name is close to a
    /// known one (then the staff member is asked first). Items found later
    /// (undo, cancel, button taps) are locked on demand.
    async fn load_book(
        &self,
        tx: &mut WriteTx,
        work: &[&Prepared],
        people: &HashMap<String, ContactRow>,
        known: &KnownItems,
        now: i64,
    ) -> Result<StockBook, sqlx::Error> {
        let mut created = Vec::new();
        let mut named = Vec::new();
        for p in work {
            let Some(parsed) = p.parsed() else { continue };
            let keeps_stock = p
                .record
                .sender
                .as_deref()
                .and_then(|s| people.get(s))
                .is_some_and(|c| c.role().keeps_stock());
            let adds = parsed.parse.intent == Intent::Add
                && keeps_stock
                && !parsed.needs_confirmation(known);
            for item in &parsed.parse.items {
                let name = item.name.as_str();
                if adds
                    && (known.contains(name) || super::suggest::suggestion(name, known).is_none())
                {
                    created.push(name);
                }
                named.push(name);
            }
        }
        items::ensure(tx, &created, now);
        named.sort_unstable();
        named.dedup();
        Ok(StockBook::new(items::lock(tx, &named).await?))
    }

    /// Turns something to say into an outbox row, storing a question's buttons.
    fn reply(&self, turn: &Turn<'_>, say: Say) -> NewOutbound {
        let (to, wa_id) = (&turn.p.record, turn.wa_id);
        let quote = |text: String| match turn.p.heard.as_deref() {
            Some(h) => replies::heard(h, &text),
            None => text,
        };
        match say {
            Say::Text(text) => {
                self.outbound(wa_id, OutboundKind::Text, quote(text), None, Some(to))
            }
            Say::Ask {
                text,
                action,
                choices,
                no,
            } => {
                let answers = (0..choices.len()).map(special::Answer::Pick);
                let buttons: Vec<serde_json::Value> = choices
                    .into_iter()
                    .zip(answers)
                    .chain(no.map(|no| (no, special::Answer::No)))
                    .map(|(title, answer)| {
                        serde_json::json!({ "type": "reply", "reply": {
                            "id": special::button_id(action, answer), "title": title } })
                    })
                    .collect();
                let content = serde_json::json!({
                    "type": "button",
                    "body": { "text": quote(text.clone()) },
                    "action": { "buttons": buttons },
                });
                self.outbound(
                    wa_id,
                    OutboundKind::Interactive,
                    text,
                    Some(content.to_string()),
                    Some(to),
                )
            }
            Say::List {
                text,
                button,
                sections,
            } => {
                let content = super::shelf::list_json(&quote(text.clone()), &button, &sections);
                self.outbound(
                    wa_id,
                    OutboundKind::Interactive,
                    text,
                    Some(content.to_string()),
                    Some(to),
                )
            }
        }
    }

    fn read_receipt(&self, to: &InboxRecord, wa_id: &str) -> NewOutbound {
        self.outbound(
            wa_id,
            OutboundKind::Read,
            "(read receipt)".into(),
            None,
            Some(to),
        )
    }

    pub(super) fn outbound(
        &self,
        recipient: &str,
        kind: OutboundKind,
        preview: String,
        content: Option<String>,
        in_reply_to: Option<&InboxRecord>,
    ) -> NewOutbound {
        let mut row = window::from_shop(&self.settings.whatsapp, recipient, kind, preview);
        row.content = content;
        if let Some(r) = in_reply_to {
            row.in_reply_to = Some(r.wamid.clone());
            row.request_id = r.request_id.clone();
            // Answer from the number the message was sent to.
            if !r.phone_number_id.is_empty() {
                row.phone_number_id = r.phone_number_id.clone();
            }
        }
        row
    }
}

fn completion(p: &Prepared) -> Completion {
    Completion {
        id: p.record.id,
        status: crate::domain::message::InboxStatus::Done,
        parser: p.parsed().map(|x| x.by.to_string()),
        parse_micros: p.parsed().map(|x| x.micros),
        intent: p.parsed().map(|x| x.parse.intent.as_str().to_string()),
        items: p
            .parsed()
            .map(|x| x.parse.describe_items())
            .filter(|s| !s.is_empty()),
        error: match &p.understood {
            Understood::Problem(problem) => Some(problem.clone()),
            _ => None,
        },
    }
}
