//! CSV export of the inventory, and import with a preview that lists every
//! rejected row and why, before anything changes.

use axum::{
    Form,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use maud::html;
use serde::Deserialize;

use super::{DashboardState, Owner, page::frame};
use crate::{
    domain::{ledger::Reason, location::FIRST},
    error::AppError,
    inventory::{Change, Origin},
    parsing::MAX_QUANTITY,
    storage::{self, catalogue, items::ItemRow},
};

const HEADER: [&str; 7] = [
    "name",
    "quantity",
    "unit",
    "sku",
    "threshold",
    "price_minor",
    "category",
];

pub async fn export(State(s): State<DashboardState>, _owner: Owner) -> Result<Response, AppError> {
    let default = s.shop.prefs.threshold();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER)
        .map_err(|e| AppError::Internal(e.into()))?;
    // Every item, a page at a time after the last name written: bounded
    // reads for a catalogue of any size, and nothing skipped or repeated
    // when an item is added or removed meanwhile.
    let mut after: Option<String> = None;
    loop {
        let query = catalogue::Search {
            after: after.as_deref(),
            ..Default::default()
        };
        let mut rows = catalogue::search(&s.shop.db, query, default, EXPORT_PAGE, 0).await?;
        let more = rows.len() as i64 > EXPORT_PAGE;
        rows.truncate(EXPORT_PAGE as usize);
        after = rows.last().map(|r| r.name.clone());
        write_rows(&mut out, rows)?;
        if !more {
            break;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"inventory.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Items read per query while exporting.
const EXPORT_PAGE: i64 = 10_000;

fn write_rows(out: &mut csv::Writer<Vec<u8>>, rows: Vec<ItemRow>) -> Result<(), AppError> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in rows {
        out.write_record([
            defused(r.name),
            r.quantity.to_string(),
            defused(r.unit.unwrap_or_default()),
            defused(r.sku.unwrap_or_default()),
            opt(r.threshold),
            opt(r.price_minor),
            defused(r.category.unwrap_or_default()),
        ])
        .map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(())
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as exported: one that a spreadsheet would run as a formula
/// (an item named "=HYPERLINK(…)") gets a leading `'`, OWASP's rule for CSV
/// injection. Import takes it off again (`restored`).
fn defused(cell: String) -> String {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A text cell as imported, without the `'` that `defused` added.
fn restored(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest.to_string(),
        _ => cell,
    }
}

/// One accepted row.
struct Row {
    name: String,
    quantity: Option<i64>,
    unit: Option<String>,
    sku: Option<String>,
    threshold: Option<i64>,
    price_minor: Option<i64>,
    category: Option<String>,
}

/// Reads the CSV: accepted rows, and (line, reason) for each rejected one.
fn read(text: &str) -> (Vec<Row>, Vec<(usize, String)>) {
    let mut ok = Vec::new();
    let mut rejected = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(e) => return (ok, vec![(1, format!("unreadable header: {e}"))]),
    };
    if !headers.iter().any(|h| h == "name") {
        return (
            ok,
            vec![(
                1,
                "the first line must name the columns, including \"name\"".into(),
            )],
        );
    }
    let col = |rec: &csv::StringRecord, name: &str| -> Option<String> {
        let i = headers.iter().position(|h| h == name)?;
        rec.get(i)
            .map(|v| restored(v.to_string()))
            .filter(|v| !v.is_empty())
    };
    for (i, rec) in reader.records().enumerate().take(10_000) {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                rejected.push((line, format!("unreadable: {e}")));
                continue;
            }
        };
        let number = |name: &str, max: i64| -> Result<Option<i64>, String> {
            match col(&rec, name) {
                None => Ok(None),
                Some(v) => v
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (0..=max).contains(n))
                    .map(Some)
                    .ok_or(format!(
                        "{name} {v:?} is not a whole number from 0 to {max}"
                    )),
            }
        };
        let name = col(&rec, "name")
            .map(|n| n.to_lowercase())
            .unwrap_or_default();
        let row = (|| {
            if name.is_empty()
                || name.chars().count() > 100
                || name.contains([';', '=', '"', '`', '<', '>', '{', '}'])
            {
                return Err(
                    "name is missing, too long, or has characters a product name cannot have"
                        .to_string(),
                );
            }
            Ok(Row {
                quantity: number("quantity", MAX_QUANTITY)?,
                threshold: number("threshold", 1_000_000)?,
                price_minor: number("price_minor", 1_000_000_000_000)?,
                unit: col(&rec, "unit").map(|u| u.chars().take(20).collect()),
                sku: col(&rec, "sku").filter(|s| {
                    s.len() <= 64
                        && s.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                }),
                // As the API allows: 40 characters, no control characters.
                category: col(&rec, "category")
                    .filter(|c| !c.chars().any(char::is_control))
                    .map(|c| c.chars().take(40).collect()),
                name: name.clone(),
            })
        })();
        match row {
            Ok(r) => ok.push(r),
            Err(why) => rejected.push((line, why)),
        }
    }
    (ok, rejected)
}

pub async fn form(owner: Owner) -> Response {
    frame("Import CSV", Some(&owner), html! {
        p { "Columns: " code { (HEADER.join(",")) } ". Only " code { "name" } " is required. Existing items (by name) are updated; a quantity sets the count and is recorded in the ledger (as opening stock for new items)." }
        form method="post" action="/import" {
            input type="hidden" name="csrf" value=(owner.csrf);
            label { "CSV " textarea name="csv" rows="10" cols="60" required {} }
            button type="submit" { "Preview" }
        }
        p { a href="/inventory.csv" { "Download the current inventory as CSV" } }
    })
    .into_response()
}

#[derive(Deserialize)]
pub struct ImportForm {
    csrf: String,
    csv: String,
    apply: Option<String>,
}

pub async fn import(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<ImportForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    if f.csv.len() > 1 << 20 {
        return Err(AppError::TooLarge("the CSV is over 1 MB".into()));
    }
    let (rows, rejected) = read(&f.csv);
    if f.apply.is_none() {
        let body = html! {
            p id="import-summary" { (rows.len()) " rows to import, " (rejected.len()) " rejected." }
            @if !rejected.is_empty() {
                h2 { "Rejected" }
                ul { @for (line, why) in &rejected { li { "Line " (line) ": " (why) } } }
            }
            @if !rows.is_empty() {
                table {
                    thead { tr { th { "Item" } th { "Quantity" } th { "SKU" } th { "Alert at" } } }
                    tbody { @for r in &rows { tr {
                        td { (r.name) } td { (r.quantity.map(|q| q.to_string()).unwrap_or("—".into())) }
                        td { (r.sku.as_deref().unwrap_or("")) } td { (r.threshold.map(|q| q.to_string()).unwrap_or("—".into())) }
                    } } }
                }
                form method="post" action="/import" {
                    input type="hidden" name="csrf" value=(owner.csrf);
                    input type="hidden" name="csv" value=(f.csv);
                    input type="hidden" name="apply" value="1";
                    button type="submit" { "Import " (rows.len()) " rows" }
                }
            }
        };
        return Ok(frame("Import preview", Some(&owner), body).into_response());
    }
    let actor = format!("owner:{}", owner.phone);
    for r in &rows {
        let now = storage::now_ms();
        let mut tx = s.shop.db.begin().await?;
        let existing = crate::storage::items::lock(&mut tx, &[r.name.as_str()])
            .await?
            .pop();
        let mut fields = catalogue::ItemFields {
            name: r.name.clone(),
            ..Default::default()
        };
        if let Some(e) = &existing {
            fields = catalogue::ItemFields {
                name: e.name.clone(),
                unit: e.unit.clone(),
                sku: e.sku.clone(),
                threshold: e.threshold,
                price_minor: e.price_minor,
                pack_unit: e.pack_unit.clone(),
                pack_size: e.pack_size,
                category: e.category.clone(),
            };
        }
        fields.unit = r.unit.clone().or(fields.unit);
        fields.sku = r.sku.clone().or(fields.sku);
        fields.threshold = r.threshold.or(fields.threshold);
        fields.price_minor = r.price_minor.or(fields.price_minor);
        fields.category = r.category.clone().or(fields.category);
        if catalogue::clash(
            &mut tx,
            None,
            fields.sku.as_deref(),
            existing.as_ref().map_or(0, |e| e.id),
        )
        .await?
        .is_some()
        {
            fields.sku = existing.as_ref().and_then(|e| e.sku.clone());
        }
        let Some(e) = &existing else {
            // A new row: its quantity is its opening stock, in the create's transaction.
            // Imported counts are the first location's.
            s.shop
                .create_item(tx, &fields, r.quantity, FIRST, &actor)
                .await?;
            s.shop.signals.wake_catalog();
            continue;
        };
        let row = catalogue::update(&mut tx, e.id, &fields, now).await?;
        crate::ops::catalog::note(&mut tx, &s.shop.settings, &[row.id], now);
        tx.commit().await?;
        s.shop.signals.wake_catalog();
        if let Some(q) = r.quantity {
            let origin = Origin {
                reason: Reason::Import.as_str(),
                actor: Some(actor.clone()),
                source_message_id: None,
                location: FIRST,
            };
            s.shop
                .adjust(row.id, Change::Set(q), origin, |_, _| {})
                .await?;
        }
    }
    let body = html! {
        p id="import-summary" { "Imported " (rows.len()) " rows; " (rejected.len()) " rejected." }
        p { a href="/inventory" { "Back to the inventory" } }
    };
    Ok(frame("Import done", Some(&owner), body).into_response())
}
