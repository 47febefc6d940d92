//! The delivery worker: claim due deliveries, send them concurrently, and
//! record every attempt, in as few transactions as the load allows.

use std::{collections::HashMap, time::Duration};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::domain::delivery::Outcome;

use super::{
    attempt::{Job, body_of},
    guard,
};
use crate::{
    ops::Shop,
    storage::{
        self, contacts,
        deliveries::{self, AttemptRecord, Claimed, EventBody},
        outbound, subscriptions,
    },
    whatsapp::outbound::window::{Notice, Purpose},
};

#[derive(Clone)]
pub struct Deliverer {
    pub(super) shop: Shop,
    pub(super) client: reqwest::Client,
}

impl Deliverer {
    pub fn new(shop: Shop) -> anyhow::Result<Self> {
        let w = &shop.settings.webhooks;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(w.timeout)
            .connect_timeout(w.timeout.min(Duration::from_secs(10)))
            .dns_resolver(guard::resolver(w.allow_private))
            // A proxy from the environment (HTTPS_PROXY…) would resolve and
            // connect for us, around the guard: deliveries never use one.
            .no_proxy()
            .user_agent(concat!("backroom-webhooks/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(w.per_subscription)
            .build()?;
        Ok(Self { shop, client })
    }

    fn lease_ms(&self) -> i64 {
        (self.shop.settings.webhooks.timeout + Duration::from_secs(10)).as_millis() as i64
    }

    /// One transaction: records finished attempts, disables subscriptions
    /// failing too long (telling owners), and claims up to `want` deliveries.
    async fn cycle(
        &self,
        done: &[AttemptRecord],
        want: usize,
        (busy, released): (&[i64], &[(i64, i64)]),
    ) -> Result<Vec<Claimed>, sqlx::Error> {
        let now = storage::now_ms();
        let settings = &self.shop.settings.webhooks;
        let mut tx = self.shop.db.begin().await?;
        deliveries::record(&mut tx, done, now);
        deliveries::release(&mut tx, released);
        let mut alerts = Vec::new();
        if done.iter().any(|a| a.outcome != Outcome::Delivered) {
            let cutoff = now - settings.disable_after.as_millis() as i64;
            let disabled: Vec<(String, String)> = tx
                .fetch_all(deliveries::disable_failing(cutoff, now))
                .await?;
            if !disabled.is_empty() {
                let owners = contacts::owners_in(&mut tx).await?;
                for (name, url) in &disabled {
                    tracing::warn!(%name, %url, "webhook subscription disabled after failing too long");
                    let text = format!(
                        "⚠️ Webhook \"{name}\" ({url}) was turned off: it has been failing for {} days. \
                         Fix the endpoint, then turn it back on (PATCH /api/v1/webhooks/{{id}} with \"active\": true).",
                        settings.disable_after.as_secs() / 86_400
                    );
                    let notice = Notice::new(Purpose::Alert, text);
                    alerts.extend(owners.iter().map(|o| self.shop.notice(o, &notice, now)));
                }
                outbound::insert(&mut tx, &alerts, now);
            }
        }
        let claimed = if want == 0 {
            tx.commit().await?;
            Vec::new()
        } else {
            let claim = deliveries::claim(
                &tx,
                now,
                self.lease_ms(),
                want,
                settings.per_subscription,
                busy,
            );
            tx.commit_with(claim).await?
        };
        if !alerts.is_empty() {
            self.shop.sender_wake.notify_one();
        }
        Ok(claimed)
    }

    /// What the claimed deliveries need: their events, URLs and secrets.
    async fn jobs(&self, claimed: Vec<Claimed>) -> Result<Vec<Job>, sqlx::Error> {
        let db = &self.shop.db;
        let ids: Vec<&str> = claimed.iter().map(|c| c.event_id.as_str()).collect();
        let events: HashMap<String, EventBody> = deliveries::events(db, &ids)
            .await?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        let subs: HashMap<i64, subscriptions::SubscriptionRow> = subscriptions::list(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut sub_ids: Vec<i64> = claimed.iter().map(|c| c.subscription_id).collect();
        sub_ids.sort_unstable();
        sub_ids.dedup();
        let mut secrets: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, secret) in
            subscriptions::signing_secrets(db, &self.shop.keys, &sub_ids, storage::now_ms()).await?
        {
            secrets.entry(id).or_default().push(secret);
        }
        Ok(claimed
            .into_iter()
            .filter_map(|c| {
                let e = events.get(&c.event_id)?;
                let sub = subs.get(&c.subscription_id)?;
                Some(Job {
                    delivery_id: c.id,
                    subscription_id: c.subscription_id,
                    url: sub.url.clone(),
                    secrets: secrets.get(&c.subscription_id).cloned().unwrap_or_default(),
                    event_id: e.id.clone(),
                    event_type: e.kind.clone(),
                    body: body_of(e),
                    attempt: c.attempts,
                })
            })
            .collect())
    }

    /// Claims what is due, sends it all, records the outcomes; returns how many.
    pub async fn drain_once(&self) -> Result<usize, sqlx::Error> {
        let claimed = self
            .cycle(&[], self.shop.settings.webhooks.concurrency, (&[], &[]))
            .await?;
        let jobs = self.jobs(claimed).await?;
        let done = futures::future::join_all(jobs.into_iter().map(|j| self.attempt(j))).await;
        self.cycle(&done, 0, (&[], &[])).await?;
        Ok(done.len())
    }

    /// Delivers until `shutdown`; requests in flight then finish and are
    /// recorded. `handoff` brings deliveries leased by the transaction that
    /// recorded them, sent at once without a claim.
    pub async fn run(
        self,
        mut handoff: Option<tokio::sync::mpsc::UnboundedReceiver<Vec<Claimed>>>,
        shutdown: CancellationToken,
    ) {
        let settings = self.shop.settings.webhooks.clone();
        let mut flying: JoinSet<AttemptRecord> = JoinSet::new();
        let mut per_sub: HashMap<i64, usize> = HashMap::new();
        let mut done: Vec<AttemptRecord> = Vec::new();
        // Handed-over leases there was no room for, given back next cycle.
        let mut released: Vec<(i64, i64)> = Vec::new();
        let mut look = true;
        let mut stopping = false;
        loop {
            let room = if stopping {
                0
            } else {
                settings.concurrency - flying.len()
            };
            if look && room > 0 && done.is_empty() && flying.is_empty() {
                look = deliveries::any_due(&self.shop.db, storage::now_ms())
                    .await
                    .unwrap_or(true);
            }
            if !done.is_empty() || !released.is_empty() || (look && room > 0) {
                let busy: Vec<i64> = per_sub
                    .iter()
                    .filter(|(_, n)| **n >= settings.per_subscription)
                    .map(|(id, _)| *id)
                    .collect();
                let want = if look { room } else { 0 };
                match self.cycle(&done, want, (&busy, &released)).await {
                    Ok(claimed) => {
                        done.clear();
                        released.clear();
                        look = claimed.len() == want && want > 0;
                        match self.jobs(claimed).await {
                            Ok(jobs) => {
                                for job in jobs {
                                    *per_sub.entry(job.subscription_id).or_default() += 1;
                                    let me = self.clone();
                                    flying.spawn(async move { me.attempt(job).await });
                                }
                            }
                            // Leases hand the claimed deliveries on.
                            Err(e) => {
                                tracing::error!(error = %e, "webhook jobs could not be loaded")
                            }
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "webhook delivery cycle failed");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
            if stopping && flying.is_empty() && done.is_empty() {
                break;
            }
            // Only an idle worker asks the database when the next retry is due.
            let idle = if look && room > 0 {
                Duration::ZERO
            } else if flying.is_empty() && done.is_empty() {
                self.idle_wait().await
            } else {
                Duration::from_secs(1)
            };
            tokio::select! {
                Some(Ok(record)) = flying.join_next(), if !flying.is_empty() => {
                    finish(&mut per_sub, &record);
                    done.push(record);
                    while let Some(Ok(record)) = flying.try_join_next() {
                        finish(&mut per_sub, &record);
                        done.push(record);
                    }
                    look = true;
                }
                Some(mut fresh) = next_handoff(&mut handoff), if !stopping => {
                    // Whatever else has been handed over joins this batch:
                    // one load of events, subscriptions and secrets for all.
                    if let Some(rx) = handoff.as_mut() {
                        while let Ok(more) = rx.try_recv() {
                            fresh.extend(more);
                        }
                    }
                    // The same limits as the claim: all at once, and per endpoint.
                    let mut room = settings.concurrency.saturating_sub(flying.len());
                    let mut taken: HashMap<i64, usize> = HashMap::new();
                    // A lease too short for one attempt is left to expire
                    // into the claim rather than risk a second sender.
                    let enough = storage::now_ms() + settings.timeout.as_millis() as i64;
                    fresh.retain(|c| c.locked_until > enough);
                    let (go, back): (Vec<Claimed>, Vec<Claimed>) = fresh.into_iter().partition(|c| {
                        let n = taken.entry(c.subscription_id).or_default();
                        let before = per_sub.get(&c.subscription_id).copied().unwrap_or(0);
                        let fits = room > 0 && before + *n < settings.per_subscription;
                        if fits {
                            room -= 1;
                            *n += 1;
                        }
                        fits
                    });
                    released.extend(back.iter().map(|c| (c.id, c.locked_until)));
                    match self.jobs(go).await {
                        Ok(jobs) => {
                            for job in jobs {
                                *per_sub.entry(job.subscription_id).or_default() += 1;
                                let me = self.clone();
                                flying.spawn(async move { me.attempt(job).await });
                            }
                        }
                        // Their leases hand them on to the claim.
                        Err(e) => tracing::error!(error = %e, "handed-over webhook jobs could not be loaded"),
                    }
                }
                _ = self.shop.signals.events_woken(), if !stopping => look = true,
                _ = tokio::time::sleep(idle), if !stopping && done.is_empty() => look = true,
                _ = shutdown.cancelled(), if !stopping => stopping = true,
            }
        }
    }

    /// How long to sleep when nothing is due: until the next retry, at most 1 s.
    async fn idle_wait(&self) -> Duration {
        let cap = Duration::from_secs(1);
        match deliveries::next_due(&self.shop.db).await {
            Ok(Some(at)) => Duration::from_millis((at - storage::now_ms()).clamp(0, 1000) as u64),
            _ => cap,
        }
    }

    /// Deletes old finished deliveries and attempts, hourly.
    pub async fn prune(self, shutdown: CancellationToken) {
        let keep = self.shop.settings.webhooks.retention.as_millis() as i64;
        loop {
            if let Err(e) = storage::attempts::prune(&self.shop.db, storage::now_ms() - keep).await
            {
                tracing::warn!(error = %e, "webhook log pruning failed");
            }
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
            }
        }
    }
}

/// The next batch handed over, or never without a channel.
async fn next_handoff(
    rx: &mut Option<tokio::sync::mpsc::UnboundedReceiver<Vec<Claimed>>>,
) -> Option<Vec<Claimed>> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

fn finish(per_sub: &mut HashMap<i64, usize>, record: &AttemptRecord) {
    if let Some(n) = per_sub.get_mut(&record.subscription_id) {
        *n = n.saturating_sub(1);
    }
}
