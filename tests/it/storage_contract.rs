//! One storage story, run on both databases, so SQLite and PostgreSQL cannot drift.

use backroom::{
    domain::message::{InboxStatus, OutboundKind, OutboundStatus},
    storage::{
        Db, Stmt,
        inbox::{self, Completion},
        items::{self, NewMovement},
        now_ms,
        outbound::{self, NewOutbound, OutboundJob, SendOutcome},
    },
    whatsapp::inbound::envelope::{InboundMessage, StatusUpdate},
};

use crate::{both_databases, helpers::TestDb};

both_databases!(storage_story, contacts_story, held_story);

fn message(wamid: &str) -> InboundMessage {
    InboundMessage {
        phone_number_id: "106000000000001".into(),
        wamid: wamid.into(),
        sender: Some("27825550101".into()),
        profile_name: Some("Thandi Nkosi".into()),
        msg_type: "text".into(),
        body: Some("Added 50 screws — café".into()),
        payload: r#"{"id":"x","text":{"body":"caf\u00e9"}}"#.into(),
        sent_at: 1_781_000_000,
        request_id: Some("req-1".into()),
        refusal: None,
    }
}

fn status(wamid: &str, status: &str) -> StatusUpdate {
    StatusUpdate {
        phone_number_id: "106000000000001".into(),
        outbound_id: None,
        wamid: wamid.into(),
        status: status.into(),
        recipient: Some("27825550101".into()),
        status_at: 1_781_000_100,
        error_code: (status == "failed").then_some(131047),
        error_title: None,
        payload: "{}".into(),
    }
}

fn done(id: i64) -> Completion {
    Completion {
        id,
        status: InboxStatus::Done,
        parser: Some("rules".into()),
        parse_micros: Some(12),
        intent: Some("add".into()),
        items: Some("3 × screw".into()),
        error: None,
    }
}

fn reply(to: &str) -> NewOutbound {
    NewOutbound {
        phone_number_id: "106000000000001".into(),
        recipient: to.into(),
        kind: OutboundKind::Text,
        preview: "✅".into(),
        content: None,
        in_reply_to: Some("wamid.A".into()),
        status: OutboundStatus::Queued,
        error_message: None,
        request_id: None,
        sealed: None,
    }
}

async fn claim_outbound(db: &Db, limit: usize, now: i64) -> Vec<OutboundJob> {
    let tx = db.begin().await.unwrap();
    let claim = outbound::claim(&tx, limit, now, 30_000, 60_000);
    let mut jobs: Vec<OutboundJob> = tx.commit_with(claim).await.unwrap();
    jobs.sort_by_key(|j| j.id);
    jobs
}

async fn storage_story(test_db: TestDb) {
    let db = test_db.connect().await;
    let now = now_ms();

    // Inbox: duplicates are ignored, across statements and within one.
    let (a, b) = (message("wamid.A"), message("wamid.B"));
    let mut tx = db.begin().await.unwrap();
    inbox::insert(&mut tx, &[&a, &a], now);
    inbox::insert(&mut tx, &[&a, &b], now);
    tx.commit().await.unwrap();
    assert_eq!(inbox::pending_count(&db).await.unwrap(), 2);

    // Claims return pending rows oldest first. On PostgreSQL they are leased:
    // a leased row is not claimed again until its lease ends.
    let claimed = inbox::claim(&db, 10, now, 60_000).await.unwrap();
    let wamids: Vec<&str> = claimed.iter().map(|r| r.wamid.as_str()).collect();
    assert_eq!(wamids, ["wamid.A", "wamid.B"]);
    assert_eq!(claimed[0].body.as_deref(), Some("Added 50 screws — café"));
    if test_db.is_postgres() {
        assert_eq!(claimed[0].attempts, 1);
        assert!(inbox::claim(&db, 10, now, 60_000).await.unwrap().is_empty());
        let reclaimed = inbox::claim(&db, 1, now + 61_000, 60_000).await.unwrap();
        assert_eq!((reclaimed.len(), reclaimed[0].attempts), (1, 2));
    }

    // Completion is owned once: a second completion of the same row gets nothing.
    let (id_a, id_b) = (claimed[0].id, claimed[1].id);
    let mut tx = db.begin().await.unwrap();
    assert_eq!(
        inbox::complete(&mut tx, &[done(id_a)], now).await.unwrap(),
        [id_a]
    );
    assert!(
        inbox::complete(&mut tx, &[done(id_a)], now)
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
    assert_eq!(inbox::pending_count(&db).await.unwrap(), 1);
    inbox::record_error(&db, id_b, "boom", now).await.unwrap();

    // Items and the ledger.
    let mut tx = db.begin().await.unwrap();
    items::ensure(&mut tx, &["screw", "bolt", "screw"], now);
    items::ensure(&mut tx, &["screw"], now);
    let locked = items::lock(&mut tx, &["screw", "bolt", "nail"])
        .await
        .unwrap();
    assert_eq!(locked.len(), 2);
    let screw = locked.iter().find(|i| i.name == "screw").unwrap().id;
    items::set_quantities(&mut tx, &[(screw, 50)], now);
    items::set_location_quantities(&mut tx, &[(screw, 1, 50)]);
    let line = |delta, balance_after| NewMovement {
        item_id: screw,
        delta,
        balance_after,
        reason: "add".into(),
        actor: Some("27825550101".into()),
        source_message_id: Some("wamid.A".into()),
        location_id: 1,
    };
    items::insert_movements(&mut tx, &[line(20, 20), line(30, 50)], now);
    tx.commit().await.unwrap();
    assert_eq!(
        items::get(&db, "screw").await.unwrap().unwrap().quantity,
        50
    );
    assert_eq!(items::names(&db).await.unwrap(), ["bolt", "screw"]);
    assert!(items::ledger_mismatches(&db).await.unwrap().is_empty());
    assert_eq!(items::movements(&db, screw).await.unwrap().len(), 2);

    // Outbox, and status callbacks that arrive before we know the wamid.
    let mut tx = db.begin().await.unwrap();
    outbound::insert(&mut tx, &[reply("1"), reply("2"), reply("3")], now);
    let early = [
        status("wamid.out1", "delivered"),
        status("wamid.out1", "sent"),
    ];
    let refs: Vec<&StatusUpdate> = early.iter().collect();
    inbox::insert_statuses(&mut tx, &refs, now);
    inbox::insert_statuses(&mut tx, &refs, now);
    outbound::apply_statuses(&mut tx, &["wamid.out1"], now);
    tx.commit().await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM message_statuses")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 2);

    let jobs = claim_outbound(&db, 10, now).await;
    assert_eq!(jobs.len(), 3);
    assert!(claim_outbound(&db, 10, now).await.is_empty());
    let outcomes = [
        (
            jobs[0].id,
            SendOutcome::Accepted {
                wamid: "wamid.out1".into(),
                wa_id: Some("1".into()),
            },
        ),
        (
            jobs[1].id,
            SendOutcome::Retry {
                at: now + 5_000,
                code: Some(130429),
                message: "slow".into(),
            },
        ),
        (
            jobs[2].id,
            SendOutcome::Failed {
                code: Some(131026),
                message: "undeliverable".into(),
            },
        ),
    ];
    let mut tx = db.begin().await.unwrap();
    outbound::record(&mut tx, &outcomes, now);
    tx.commit().await.unwrap();
    let rows = outbound::list(&db).await.unwrap();
    let statuses: Vec<&str> = rows.iter().map(|r| r.status.as_str()).collect();
    // The early "delivered" callback applies as soon as the wamid is known.
    assert_eq!(statuses, ["delivered", "queued", "failed"]);
    assert_eq!(rows[2].error_code, Some(131026));
    assert_eq!(
        outbound::next_due(&db, 60_000).await.unwrap(),
        Some(now + 5_000)
    );
    assert!(claim_outbound(&db, 10, now + 1_000).await.is_empty());
    assert_eq!(claim_outbound(&db, 10, now + 5_000).await.len(), 1);

    // Later statuses move forward only.
    let late = [status("wamid.out1", "sent"), status("wamid.out1", "read")];
    let refs: Vec<&StatusUpdate> = late.iter().collect();
    let mut tx = db.begin().await.unwrap();
    inbox::insert_statuses(&mut tx, &refs, now);
    outbound::apply_statuses(&mut tx, &["wamid.out1"], now);
    tx.commit().await.unwrap();
    assert_eq!(outbound::list(&db).await.unwrap()[0].status, "read");

    // A failed statement rolls the whole transaction back, on both backends…
    let mut tx = db.begin().await.unwrap();
    items::ensure(&mut tx, &["rolled back"], now);
    tx.queue(Stmt::new("INSERT INTO no_such_table VALUES (1)"));
    assert!(tx.commit().await.is_err());
    assert!(items::get(&db, "rolled back").await.unwrap().is_none());
    // …and the next transaction works.
    let mut tx = db.begin().await.unwrap();
    items::ensure(&mut tx, &["kept"], now);
    tx.commit().await.unwrap();
    assert!(items::get(&db, "kept").await.unwrap().is_some());

    // A transaction dropped half-way leaves nothing behind either.
    let mut tx = db.begin().await.unwrap();
    items::ensure(&mut tx, &["dropped"], now);
    items::lock(&mut tx, &["dropped"]).await.unwrap();
    drop(tx);
    assert!(items::get(&db, "dropped").await.unwrap().is_none());
}

/// People seen twice in one batch, roles, and owners: the same on both databases.
async fn contacts_story(test_db: TestDb) {
    use backroom::storage::contacts::{self, Role, Seen};
    let db: Db = test_db.connect().await;
    let seen = |lang: Option<&'static str>, at: i64| Seen {
        wa_id: "27825550142".into(),
        profile_name: Some("Pieter".into()),
        lang,
        seen_at: at,
    };
    let mut tx = db.begin().await.unwrap();
    // PostgreSQL refuses an upsert that touches a row twice; the batch must still commit.
    contacts::seen(
        &mut tx,
        &[seen(None, 1), seen(Some("fr"), 2), seen(None, 3)],
        now_ms(),
    );
    tx.commit().await.unwrap();
    let c = contacts::get(&db, "27825550142").await.unwrap().unwrap();
    assert_eq!((c.role(), c.lang.as_deref()), (Role::Customer, Some("fr")));
    contacts::seed(
        &db,
        &["15555550199".into()],
        &["27825550101".into(), "15555550199".into()],
    )
    .await
    .unwrap();
    let mut tx = db.begin().await.unwrap();
    let owners = contacts::owners_in(&mut tx).await.unwrap();
    assert_eq!(owners.len(), 1);
    assert_eq!(owners[0].wa_id, "15555550199");
    tx.commit().await.unwrap();
    let staff = contacts::list(&db, Some(Role::Staff)).await.unwrap();
    assert_eq!(staff.len(), 1);
}

/// The 24-hour window: held messages wait for the person to write, a 131047
/// callback holds a sent text, pacing does not use up attempts.
async fn held_story(test_db: TestDb) {
    use backroom::storage::held;
    let db: Db = test_db.connect().await;
    let now = now_ms();
    let day = 24 * 3600 * 1000;
    let held_for = |to: &str| NewOutbound {
        status: OutboundStatus::Held,
        error_message: Some("held: outside the window".into()),
        in_reply_to: None,
        ..reply(to)
    };
    let mut tx = db.begin().await.unwrap();
    outbound::insert(&mut tx, &[held_for("27825550101")], now - 4 * day);
    outbound::insert(
        &mut tx,
        &[held_for("27825550101"), held_for("27825550199")],
        now,
    );
    outbound::insert(&mut tx, &[reply("27825550142"), reply("27825550143")], now);
    tx.commit().await.unwrap();
    assert_eq!(held::count(&db).await.unwrap(), 3);

    // Held rows are never claimed; the two queued ones are.
    let jobs = claim_outbound(&db, 10, now).await;
    assert_eq!(jobs.len(), 2);
    let outcomes = [
        (
            jobs[0].id,
            SendOutcome::Accepted {
                wamid: "wamid.late".into(),
                wa_id: None,
            },
        ),
        (jobs[1].id, SendOutcome::Deferred { at: now + 6_000 }),
    ];
    let mut tx = db.begin().await.unwrap();
    outbound::record(&mut tx, &outcomes, now);
    tx.commit().await.unwrap();

    // WhatsApp accepted the text, then refused it: 131047 in a callback.
    let mut tx = db.begin().await.unwrap();
    let refused = status("wamid.late", "failed");
    inbox::insert_statuses(&mut tx, &[&refused], now);
    outbound::apply_statuses(&mut tx, &["wamid.late"], now);
    held::hold_refused(&mut tx, &["wamid.late"], now);
    tx.commit().await.unwrap();
    let rows = outbound::list(&db).await.unwrap();
    let view: Vec<(&str, &str, i64)> = rows
        .iter()
        .map(|r| (r.recipient.as_str(), r.status.as_str(), r.attempts))
        .collect();
    assert_eq!(
        view,
        [
            ("27825550101", "held", 0),
            ("27825550101", "held", 0),
            ("27825550199", "held", 0),
            ("27825550142", "held", 1),
            ("27825550143", "queued", 0),
        ]
    );
    assert_eq!(rows[3].wamid, None);
    assert_eq!(rows[3].error_code, Some(131047));
    assert_eq!(
        outbound::next_due(&db, 60_000).await.unwrap(),
        Some(now + 6_000)
    );

    // They write: the recent message goes out, the 4-day-old one expires.
    let mut tx = db.begin().await.unwrap();
    held::release(&mut tx, &["27825550101", "27825550142"], now + 1);
    tx.commit().await.unwrap();
    let rows = outbound::list(&db).await.unwrap();
    let statuses: Vec<&str> = rows.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["expired", "queued", "held", "queued", "queued"]);
    let jobs = claim_outbound(&db, 10, now + 1).await;
    let to: Vec<&str> = jobs.iter().map(|j| j.recipient.as_str()).collect();
    assert_eq!(to, ["27825550101", "27825550142"]);
    assert_eq!(held::count(&db).await.unwrap(), 1);
}
