//! Applying a prepared batch: one transaction marks the messages done, changes
//! the stock, appends the ledger and writes the replies.

use std::collections::HashSet;

use super::{Conversation, prepare::Prepared, replies};
use crate::{
    inventory::{Change, Origin, StockBook},
    parsing::Intent,
    storage::{
        self, WriteTx,
        inbox::{self, Completion, InboxRecord},
        items,
        outbound::{self, NewOutbound},
    },
};

impl Conversation {
    /// Applies a batch in one transaction.
    pub(super) async fn apply(&self, batch: &[Prepared]) -> Result<(), sqlx::Error> {
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

        let mut book = self.load_book(&mut tx, &work, now).await?;
        let mut replies = Vec::new();
        for p in &work {
            let text = self.decide(&mut tx, p, &mut book).await?;
            // A username user without a business-scoped id cannot be answered.
            if let (Some(text), Some(_)) = (text, &p.record.sender) {
                replies.push(self.reply(&p.record, text));
            }
        }
        let (balances, movements) = book.into_writes();
        items::set_quantities(&mut tx, &balances, now);
        items::insert_movements(&mut tx, &movements, now);
        match &self.handoff {
            Some(handoff) if !replies.is_empty() && !self.settings.whatsapp.sandbox() => {
                let lease = self.settings.sender.lease().as_millis() as i64;
                let insert = outbound::insert_leased(&tx, &replies, now, lease);
                let jobs = tx.commit_with(insert).await?;
                // A closed channel means the sender stopped; the leases hand the jobs on.
                let _ = handoff.send(jobs);
            }
            _ => {
                outbound::insert(&mut tx, &replies, now);
                tx.commit().await?;
                if !replies.is_empty() {
                    self.sender_wake.notify_one();
                }
            }
        }
        Ok(())
    }

    /// Locks every item the batch names; items staff add are created first.
    async fn load_book(
        &self,
        tx: &mut WriteTx,
        work: &[&Prepared],
        now: i64,
    ) -> Result<StockBook, sqlx::Error> {
        let mut created = Vec::new();
        let mut named = Vec::new();
        for p in work {
            let Some(parsed) = &p.parsed else { continue };
            let staff = self.is_staff(&p.record);
            for item in &parsed.parse.items {
                if parsed.parse.intent == Intent::Add && staff {
                    created.push(item.name.as_str());
                }
                named.push(item.name.as_str());
            }
        }
        items::ensure(tx, &created, now);
        named.sort_unstable();
        named.dedup();
        Ok(StockBook::new(items::lock(tx, &named).await?))
    }

    fn is_staff(&self, record: &InboxRecord) -> bool {
        record
            .sender
            .as_deref()
            .is_some_and(|s| self.settings.is_staff(s))
    }

    /// Works out the reply to one message, applying its stock changes to `book`.
    async fn decide(
        &self,
        tx: &mut WriteTx,
        p: &Prepared,
        book: &mut StockBook,
    ) -> Result<Option<String>, sqlx::Error> {
        if let Some(problem) = &p.problem {
            return Ok(Some(problem.clone()));
        }
        let Some(parsed) = &p.parsed else {
            return Ok(None);
        };
        let parse = &parsed.parse;
        let text = match parse.intent {
            // Authority comes from the sender's role, never from what a parser says.
            Intent::Add | Intent::Remove | Intent::Set if !self.is_staff(&p.record) => {
                replies::STAFF_ONLY.to_string()
            }
            Intent::Add | Intent::Remove | Intent::Set => {
                let changes: Vec<(String, Change)> = parse
                    .items
                    .iter()
                    .map(|i| {
                        let q = i.quantity.unwrap_or(0);
                        let change = match parse.intent {
                            Intent::Add => Change::Add(q),
                            Intent::Remove => Change::Remove(q),
                            _ => Change::Set(q),
                        };
                        (i.name.clone(), change)
                    })
                    .collect();
                let origin = Origin {
                    reason: parse.intent.as_str(),
                    actor: p.record.sender.clone(),
                    source_message_id: Some(p.record.wamid.clone()),
                };
                match book.apply(&changes, &origin) {
                    Ok(applied) => replies::applied(&applied),
                    Err(refusal) => replies::refusal(&refusal),
                }
            }
            Intent::Query => parse
                .items
                .iter()
                .map(|i| replies::quantity(&i.name, book.get(&i.name)))
                .collect::<Vec<_>>()
                .join("\n"),
            Intent::List => {
                let mut all = items::all_in(tx).await?;
                for row in &mut all {
                    if let Some(current) = book.get(&row.name) {
                        row.quantity = current.quantity;
                    }
                }
                replies::stock_list(&all)
            }
            _ => replies::NOT_UNDERSTOOD.to_string(),
        };
        Ok(Some(match &p.heard {
            Some(heard) => replies::heard(heard, &text),
            None => text,
        }))
    }

    fn reply(&self, to: &InboxRecord, text: String) -> NewOutbound {
        let recipient = to.sender.clone().unwrap_or_default();
        let phone_number_id = if to.phone_number_id.is_empty() {
            self.settings
                .whatsapp
                .phone_number_id
                .clone()
                .unwrap_or_default()
        } else {
            to.phone_number_id.clone()
        };
        let sandbox = self.settings.whatsapp.sandbox();
        if sandbox {
            tracing::info!(to = %recipient, reply = %text, "sandbox mode: reply stored, not sent");
        }
        NewOutbound {
            phone_number_id,
            recipient,
            kind: "text",
            preview: text,
            content: None,
            in_reply_to: Some(to.wamid.clone()),
            status: if sandbox { "sandbox" } else { "queued" },
        }
    }
}

fn completion(p: &Prepared) -> Completion {
    Completion {
        id: p.record.id,
        status: "done",
        parser: p.parsed.as_ref().map(|x| x.by.to_string()),
        parse_micros: p.parsed.as_ref().map(|x| x.micros),
        intent: p
            .parsed
            .as_ref()
            .map(|x| x.parse.intent.as_str().to_string()),
        error: p.problem.clone(),
    }
}
