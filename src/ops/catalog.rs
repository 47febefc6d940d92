//! The WhatsApp catalogue as use cases: recording that items changed (in the
//! changing transaction), queueing every item again ("push"), and importing
//! the catalogue's products as items ("pull"). The CLI and the dashboard
//! share these.

use crate::{
    config::Settings,
    domain::catalog,
    storage::{
        self, Db, WriteTx,
        catalog_sync::{self},
        catalogue::{self, ItemFields},
        items::{self, ItemRow},
    },
    whatsapp::outbound::{catalog::CatalogProduct, graph::GraphClient},
};

/// Records, in the caller's transaction, that these items changed: those
/// with a SKU get a catalogue update due after the coalescing window. Does
/// nothing when no catalogue is configured. Wake the sender after commit.
pub fn note(tx: &mut WriteTx, settings: &Settings, item_ids: &[i64], now: i64) {
    if settings.catalog.id.is_some() {
        let due = now + settings.catalog.delay.as_millis() as i64;
        catalog_sync::touch(tx, item_ids, due, now);
    }
}

/// Queues every item with a SKU, due now. Returns how many.
pub async fn push_all(db: &Db, settings: &Settings) -> anyhow::Result<u64> {
    anyhow::ensure!(
        settings.catalog.id.is_some(),
        "WHATSAPP_CATALOG_ID is not set: there is no catalogue to push to"
    );
    let now = storage::now_ms();
    Ok(catalog_sync::touch_all(db, now, now).await?)
}

/// What a pull did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pulled {
    pub created: usize,
    pub updated: usize,
    /// Products left alone, and why.
    pub skipped: Vec<String>,
}

/// Imports the catalogue's products as items: the retailer_id becomes the
/// SKU, the name (lower-cased) the item's name, the price its price. Items
/// are created or updated, never deleted; stock counts are left alone (the
/// shop's count is the truth the catalogue is told).
pub async fn pull(db: &Db, settings: &Settings, currency: &str) -> anyhow::Result<Pulled> {
    let (graph, catalog_id) = client(settings)?;
    let mut pulled = Pulled::default();
    let mut after: Option<String> = None;
    loop {
        let (products, next) = graph
            .products_page(&catalog_id, after.as_deref())
            .await
            .map_err(|e| anyhow::anyhow!("reading the catalogue failed: {e}"))?;
        import(db, &products, currency, &mut pulled).await?;
        match next {
            Some(cursor) if Some(&cursor) != after.as_ref() => after = Some(cursor),
            _ => return Ok(pulled),
        }
    }
}

/// The Graph client and catalogue id, or why there are none.
fn client(settings: &Settings) -> anyhow::Result<(GraphClient, String)> {
    let id = settings
        .catalog
        .id
        .clone()
        .ok_or_else(|| anyhow::anyhow!("WHATSAPP_CATALOG_ID is not set"))?;
    let token = settings.whatsapp.access_token.as_ref().ok_or_else(|| {
        anyhow::anyhow!("WHATSAPP_ACCESS_TOKEN is not set (sandbox mode): Graph cannot be asked")
    })?;
    let graph = GraphClient::new(
        &settings.whatsapp.graph_api_base,
        token,
        settings.sender.request_timeout,
    )?;
    Ok((graph, id))
}

/// One page of products, in one transaction.
async fn import(
    db: &Db,
    products: &[CatalogProduct],
    currency: &str,
    pulled: &mut Pulled,
) -> anyhow::Result<()> {
    let now = storage::now_ms();
    let mut tx = db.begin().await?;
    for p in products {
        let sku = p.retailer_id.as_deref().map(str::trim).unwrap_or("");
        let name = p
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_lowercase();
        if sku.is_empty() || name.is_empty() || sku.len() > 100 || name.chars().count() > 100 {
            pulled
                .skipped
                .push(format!("{sku:?}: no usable retailer_id or name"));
            continue;
        }
        // A price in another currency would be read wrongly: keep ours.
        let price = match p.currency.as_deref() {
            Some(c) if !c.eq_ignore_ascii_case(currency) => None,
            _ => p
                .price
                .as_deref()
                .and_then(|s| catalog::parse_price(s, currency)),
        };
        let by_sku = items::lock_skus(&mut tx, &[sku]).await?.into_iter().next();
        let by_name = items::lock(&mut tx, &[name.as_str()])
            .await?
            .into_iter()
            .next();
        let existing = match (by_sku, by_name) {
            (Some(row), Some(other)) if other.id != row.id => {
                pulled.skipped.push(format!(
                    "{sku}: another item is already called {name:?}; kept its name"
                ));
                Some(ItemRow {
                    name: row.name.clone(),
                    ..row
                })
            }
            (Some(row), _) => Some(ItemRow {
                name: name.clone(),
                ..row
            }),
            (None, Some(row)) if row.sku.is_some() => {
                pulled.skipped.push(format!(
                    "{sku}: {name:?} already has SKU {}",
                    row.sku.as_deref().unwrap_or("")
                ));
                continue;
            }
            (None, Some(row)) => Some(row),
            (None, None) => None,
        };
        let fields = |row: Option<&ItemRow>| ItemFields {
            name: row.map_or(name.clone(), |r| r.name.clone()),
            unit: row.and_then(|r| r.unit.clone()),
            sku: Some(sku.to_string()),
            threshold: row.and_then(|r| r.threshold),
            price_minor: price.or(row.and_then(|r| r.price_minor)),
            pack_unit: row.and_then(|r| r.pack_unit.clone()),
            pack_size: row.and_then(|r| r.pack_size),
            category: row.and_then(|r| r.category.clone()),
        };
        match existing {
            Some(row) => {
                catalogue::update(&mut tx, row.id, &fields(Some(&row)), now).await?;
                pulled.updated += 1;
            }
            None => {
                catalogue::create(&mut tx, &fields(None), now).await?;
                pulled.created += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
