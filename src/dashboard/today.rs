//! Today: the home page. What needs the owner now (low stock with the days
//! it will last, orders waiting, messages that did not go out, webhooks
//! failing), then how the shop is doing (stock value, movements, the
//! week's best sellers, sales per day). Every line links to where it is
//! acted on.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use maud::{Markup, html};

use super::{
    DashboardState, Owner, chart,
    page::{Nav, frame_at},
};
use crate::{
    domain::{money, order::OrderStatus},
    error::AppError,
    storage::{
        self, catalogue, held,
        reports::{self, DAY},
        subscriptions,
    },
};

/// The sales rate behind "days left" is over this many days.
const RATE_DAYS: i64 = 14;

pub async fn page(State(s): State<DashboardState>, owner: Owner) -> Result<Response, AppError> {
    let db = &s.shop.db;
    let prefs = s.shop.prefs.get();
    let now = storage::now_ms();
    let midnight = local_midnight(now, &prefs.time_zone);
    let mut low = catalogue::search(
        db,
        catalogue::Search {
            low_only: true,
            ..Default::default()
        },
        prefs.default_threshold,
        200,
        0,
    )
    .await?;
    low.truncate(200);
    // The low items' sales since the UTC day RATE_DAYS ago: RATE_DAYS to one
    // more day of sales over RATE_DAYS, so "days left" errs towards fewer.
    let low_ids: Vec<i64> = low.iter().map(|i| i.id).collect();
    let recent = reports::sold_of(db, &low_ids, now - RATE_DAYS * DAY).await?;
    // Seven UTC days, today's part included.
    let top = reports::top_sellers(db, now - 6 * DAY, 5).await?;
    let by_status = reports::orders_by_status(db).await?;
    let waiting = |st: OrderStatus| {
        by_status
            .iter()
            .find(|(k, _)| *k == st.as_str())
            .map_or(0, |(_, n)| *n)
    };
    let held = held::count(db).await?;
    let failed = reports::failed_messages(db, now - 7 * DAY).await?;
    let failing: Vec<_> = subscriptions::list(db)
        .await?
        .into_iter()
        .filter(|w| w.active == 0 || w.failing_since.is_some())
        .collect();
    let (value, unpriced) = reports::stock_value(db).await?;
    let today = reports::activity_since(db, midnight).await?;
    let week = reports::activity_since(db, now - 7 * DAY).await?;
    let sales = sales_per_day(
        &reports::sales_by_quarter(db, midnight - 13 * DAY).await?,
        midnight - 13 * DAY,
        &prefs.time_zone,
    );
    let todo = [
        (
            waiting(OrderStatus::Placed),
            "to confirm",
            OrderStatus::Placed,
        ),
        (
            waiting(OrderStatus::Confirmed),
            "to get ready",
            OrderStatus::Confirmed,
        ),
        (
            waiting(OrderStatus::Ready),
            "waiting to be collected",
            OrderStatus::Ready,
        ),
    ];
    let nothing =
        low.is_empty() && todo.iter().all(|t| t.0 == 0) && held + failed == 0 && failing.is_empty();
    let body = html! {
        h2 { "Needs you" }
        @if nothing { p.note data-figure="all-clear" { "✅ Nothing needs you right now." } }
        ul.todo {
            @for i in &low {
                @let rate = recent.iter().find(|(id, _)| *id == i.id).map_or(0, |(_, units)| *units);
                li.warn data-figure="low" {
                    "⚠️ " a href=(format!("/items/{}", i.id)) { (i.name) } ": "
                    strong { (i.quantity) } " left (alert at " (i.threshold.unwrap_or(prefs.default_threshold)) ")"
                    @if let Some(days) = days_left(i.quantity, rate, RATE_DAYS) { " — " (days) }
                }
            }
            @for (n, what, status) in todo {
                @if n > 0 {
                    li data-figure=(format!("orders-{status}")) {
                        "🧾 " a href=(format!("/orders?status={status}")) { (n) " " (if n == 1 { "order" } else { "orders" }) " " (what) }
                    }
                }
            }
            @if held > 0 {
                li.warn data-figure="held-messages" { "⏳ " a href="/conversations" { (held) " message(s) held" } " until the person writes again (WhatsApp's 24-hour window)" }
            }
            @if failed > 0 {
                li.bad data-figure="failed" { "❌ " a href="/conversations" { (failed) " message(s) failed" } " to send this week" }
            }
            @for w in &failing {
                li.bad data-figure="failing-webhook" {
                    "🔌 Webhook " a href=(format!("/developer/webhooks/{}", w.id)) { (w.name) }
                    @if w.active == 0 { " is switched off" @if let Some(r) = &w.disabled_reason { ": " (r) } } @else { " is failing" }
                }
            }
        }
        h2 { "How the shop is doing" }
        div.cards {
            (card("stock-value", &money::format(value, &prefs.currency), "stock value at your prices",
                (unpriced > 0).then(|| html! { a href="/inventory" { (unpriced) " in stock without a price" } })))
            (card("today-movements", &today.movements.to_string(), "stock changes today",
                Some(html! { "+" (today.units_in) " in · −" (today.units_out) " out" })))
            (card("week-movements", &week.movements.to_string(), "stock changes this week",
                Some(html! { "+" (week.units_in) " in · −" (week.units_out) " out" })))
            (card("week-sold", &week.units_sold.to_string(), "units sold this week", None))
        }
        h2 { "Top sellers this week" }
        @if top.is_empty() { p.note { "Nothing sold this week yet." } }
        @else {
            ol data-figure="top-sellers" {
                @for r in &top {
                    li { a href=(format!("/items/{}", r.item_id)) { (r.name) } " — " (r.units) " sold" }
                }
            }
        }
        h2 { "Sales per day" }
        figure.chart {
            (chart::bars(&sales, "Units sold per day over the last 14 days"))
            figcaption { "Units sold per day, last 14 days (" (prefs.time_zone) ")" }
        }
    };
    Ok(frame_at(Nav::Today, "Today", Some(&owner), body).into_response())
}

fn card(key: &str, figure: &str, label: &str, more: Option<Markup>) -> Markup {
    html! {
        div.card {
            span.figure data-figure=(key) { (figure) }
            span.label { (label) }
            @if let Some(more) = more { br; small.note { (more) } }
        }
    }
}

/// "about 3 days left" at the sales rate over `over_days`; none without sales.
pub fn days_left(quantity: i64, sold: i64, over_days: i64) -> Option<String> {
    if sold <= 0 {
        return None;
    }
    if quantity <= 0 {
        return Some("sold out".into());
    }
    let days = quantity as f64 * over_days as f64 / sold as f64;
    Some(if days < 1.0 {
        "less than a day left".into()
    } else {
        let d = days.floor() as i64;
        format!("about {d} {} left", if d == 1 { "day" } else { "days" })
    })
}

/// The start of the shop's local day holding `now`.
fn local_midnight(now: i64, tz: &str) -> i64 {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(now)
        .ok()
        .and_then(|t| t.to_zoned(zone).start_of_day().ok())
        .map_or(now - now.rem_euclid(DAY), |z| {
            z.timestamp().as_millisecond()
        })
}

/// Units sold per local day from `from` (a local midnight) for 14 days,
/// labelled like "3 Dec".
fn sales_per_day(sales: &[(i64, i64)], from: i64, tz: &str) -> Vec<(String, i64)> {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let day_of = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.to_zoned(zone.clone()).date())
            .ok()
    };
    let Some(first) = day_of(from) else {
        return Vec::new();
    };
    let mut days: Vec<(jiff::civil::Date, i64)> = (0..14)
        .filter_map(|n| first.checked_add(jiff::Span::new().days(n)).ok())
        .map(|d| (d, 0))
        .collect();
    for (at, units) in sales {
        if let Some(d) = day_of(*at)
            && let Some(slot) = days.iter_mut().find(|(day, _)| *day == d)
        {
            slot.1 += units;
        }
    }
    days.into_iter()
        .map(|(d, n)| (d.strftime("%-d %b").to_string(), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_left_follow_the_recent_rate() {
        assert_eq!(days_left(10, 0, 14), None);
        assert_eq!(days_left(0, 5, 14).as_deref(), Some("sold out"));
        assert_eq!(days_left(10, 14, 14).as_deref(), Some("about 10 days left"));
        assert_eq!(days_left(1, 14, 14).as_deref(), Some("about 1 day left"));
        assert_eq!(
            days_left(1, 70, 14).as_deref(),
            Some("less than a day left")
        );
    }

    #[test]
    fn sales_fall_on_the_shops_own_days() {
        // 2025-12-01 00:00 in Johannesburg is 2025-11-30 22:00 UTC.
        let from = local_midnight(1_764_540_000_000 + 3_600_000, "Africa/Johannesburg");
        let days = sales_per_day(
            &[(from + 1, 2), (from + DAY - 1, 3), (from + DAY, 4)],
            from,
            "Africa/Johannesburg",
        );
        assert_eq!(days.len(), 14);
        assert_eq!(days[0].1, 5);
        assert_eq!(days[1].1, 4);
    }
}
