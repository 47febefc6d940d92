//! Charts drawn on the server as SVG: the stock of one item over time and
//! sales per day. No scripts; each point carries a `<title>` that browsers
//! show on hover and screen readers read. The geometry is plain functions
//! so the tests can check it without a browser.

use maud::{Markup, html};

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 28.0;

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub from: (f64, f64),
    pub to: (f64, f64),
}

impl Scale {
    pub fn at(&self, v: f64) -> f64 {
        let span = self.from.1 - self.from.0;
        if span == 0.0 {
            return self.to.0;
        }
        self.to.0 + (v - self.from.0) / span * (self.to.1 - self.to.0)
    }
}

/// A round top for an axis holding `max`, and the step between its ticks
/// (1, 2 or 5 × a power of ten, about four ticks).
pub fn nice_axis(max: i64) -> (i64, i64) {
    let max = max.max(1);
    let raw = max as f64 / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
        .max(1.0) as i64;
    let top = (max + step - 1) / step * step;
    (top, step)
}

/// One stock movement on the chart.
pub struct Point {
    pub at: i64,
    pub balance: i64,
    /// Who, what and when, for the point's `<title>`.
    pub title: String,
}

/// The step line's points: flat at `start` from `from`, then each movement
/// steps to its new balance, and the last balance runs on to `to`.
pub fn steps(start: i64, points: &[Point], from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut out = vec![(from, start)];
    let mut level = start;
    for p in points {
        let t = p.at.clamp(from, to);
        out.push((t, level));
        out.push((t, p.balance));
        level = p.balance;
    }
    out.push((to, level));
    out
}

/// Tick times for the x axis: local midnights spaced so that at most
/// `most` fit, with their labels ("3 Dec").
pub fn day_ticks(from: i64, to: i64, tz: &str, most: usize) -> Vec<(i64, String)> {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(start) = jiff::Timestamp::from_millisecond(from) else {
        return Vec::new();
    };
    let days = ((to - from) / 86_400_000).max(1) as usize;
    let every = days.div_ceil(most.max(1)).max(1) as i64;
    let first = start.to_zoned(zone.clone()).date();
    let mut ticks = Vec::new();
    for n in 1..=days as i64 + 1 {
        if (n - 1) % every != 0 {
            continue;
        }
        let Ok(day) = first.checked_add(jiff::Span::new().days(n)) else {
            break;
        };
        let Ok(midnight) = day.to_zoned(zone.clone()) else {
            continue;
        };
        let ms = midnight.timestamp().as_millisecond();
        if ms > to {
            break;
        }
        ticks.push((ms, day.strftime("%-d %b").to_string()));
    }
    ticks
}

/// Stock over `from..to` as a step line with a dot per movement, the
/// alert level as a dashed line, dates along the bottom.
pub fn stock(
    start: i64,
    points: &[Point],
    (from, to): (i64, i64),
    alert: i64,
    tz: &str,
    label: &str,
) -> Markup {
    let top_value = points
        .iter()
        .map(|p| p.balance)
        .chain([start, alert])
        .max()
        .unwrap_or(0);
    let (top, step) = nice_axis(top_value);
    let x = Scale {
        from: (from as f64, to as f64),
        to: (LEFT, W - RIGHT),
    };
    let y = Scale {
        from: (0.0, top as f64),
        to: (H - BOTTOM, TOP),
    };
    // Dots shrink as they crowd, so hundreds of movements stay a line.
    let radius = if points.len() > 60 { 2.0 } else { 3.5 };
    let line: Vec<String> = steps(start, points, from, to)
        .iter()
        .map(|(t, q)| format!("{:.1},{:.1}", x.at(*t as f64), y.at(*q as f64)))
        .collect();
    html! {
        svg.chart viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(label) {
            (y_axis(&y, top, step))
            @for (t, day) in day_ticks(from, to, tz, 7) {
                line.grid x1=(fmt(x.at(t as f64))) y1=(fmt(TOP)) x2=(fmt(x.at(t as f64))) y2=(fmt(H - BOTTOM)) {}
                text.tick x=(fmt(x.at(t as f64))) y=(fmt(H - 8.0)) text-anchor="middle" { (day) }
            }
            @if alert > 0 {
                line.alert-line x1=(fmt(LEFT)) y1=(fmt(y.at(alert as f64))) x2=(fmt(W - RIGHT)) y2=(fmt(y.at(alert as f64))) {}
                text.alert-label x=(fmt(W - RIGHT - 2.0)) y=(fmt(y.at(alert as f64) - 4.0)) text-anchor="end" { "alert at " (alert) }
            }
            polyline.stock points=(line.join(" ")) {}
            @for p in points {
                circle.point cx=(fmt(x.at(p.at.clamp(from, to) as f64))) cy=(fmt(y.at(p.balance as f64))) r=(radius) {
                    title { (p.title) }
                }
            }
            line.axis x1=(fmt(LEFT)) y1=(fmt(H - BOTTOM)) x2=(fmt(W - RIGHT)) y2=(fmt(H - BOTTOM)) {}
        }
    }
}

/// One bar per (label, value), with the value in its title.
pub fn bars(values: &[(String, i64)], label: &str) -> Markup {
    let (top, step) = nice_axis(values.iter().map(|v| v.1).max().unwrap_or(0));
    let y = Scale {
        from: (0.0, top as f64),
        to: (H - BOTTOM, TOP),
    };
    let slot = (W - LEFT - RIGHT) / values.len().max(1) as f64;
    let every = values.len().div_ceil(10).max(1);
    html! {
        svg.chart viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(label) {
            (y_axis(&y, top, step))
            @for (i, (name, v)) in values.iter().enumerate() {
                @let left = LEFT + slot * i as f64 + slot * 0.15;
                rect.bar x=(fmt(left)) y=(fmt(y.at(*v as f64))) width=(fmt(slot * 0.7)) height=(fmt(y.at(0.0) - y.at(*v as f64))) {
                    title { (name) ": " (v) }
                }
                @if i % every == 0 {
                    text.tick x=(fmt(left + slot * 0.35)) y=(fmt(H - 8.0)) text-anchor="middle" { (name) }
                }
            }
            line.axis x1=(fmt(LEFT)) y1=(fmt(H - BOTTOM)) x2=(fmt(W - RIGHT)) y2=(fmt(H - BOTTOM)) {}
        }
    }
}

fn y_axis(y: &Scale, top: i64, step: i64) -> Markup {
    html! {
        @for v in (0..=top).step_by(step.max(1) as usize) {
            line.grid x1=(fmt(LEFT)) y1=(fmt(y.at(v as f64))) x2=(fmt(W - RIGHT)) y2=(fmt(y.at(v as f64))) {}
            text.tick x=(fmt(LEFT - 6.0)) y=(fmt(y.at(v as f64) + 4.0)) text-anchor="end" { (v) }
        }
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn axes_end_on_round_numbers_with_about_four_ticks() {
        assert_eq!(nice_axis(0), (1, 1));
        assert_eq!(nice_axis(7), (8, 2));
        assert_eq!(nice_axis(50), (60, 20));
        assert_eq!(nice_axis(120), (150, 50));
        assert_eq!(nice_axis(1000), (1000, 500));
    }

    #[test]
    fn the_step_line_holds_each_level_until_the_next_movement() {
        let p = |at, balance| Point {
            at,
            balance,
            title: String::new(),
        };
        let line = steps(10, &[p(5, 60), p(8, 57)], 0, 20);
        assert_eq!(
            line,
            vec![(0, 10), (5, 10), (5, 60), (8, 60), (8, 57), (20, 57)]
        );
        // No movements in the range: a flat line at the starting stock.
        assert_eq!(steps(4, &[], 0, 20), vec![(0, 4), (20, 4)]);
    }

    #[test]
    fn scales_map_ends_to_ends_and_survive_an_empty_range() {
        let s = Scale {
            from: (0.0, 100.0),
            to: (200.0, 10.0),
        };
        assert_eq!(s.at(0.0), 200.0);
        assert_eq!(s.at(100.0), 10.0);
        assert_eq!(s.at(50.0), 105.0);
        let flat = Scale {
            from: (3.0, 3.0),
            to: (0.0, 10.0),
        };
        assert_eq!(flat.at(3.0), 0.0);
    }

    #[test]
    fn day_ticks_are_local_midnights_and_thin_out_over_long_ranges() {
        let from = 1_764_547_200_000; // 2025-12-01 00:00 UTC
        let week = day_ticks(from + 1, from + 7 * DAY, "UTC", 7);
        assert_eq!(week.len(), 7);
        assert_eq!(week[0].1, "2 Dec");
        assert!(week.iter().all(|(t, _)| t % DAY == 0));
        let quarter = day_ticks(from, from + 90 * DAY, "UTC", 7);
        assert!(quarter.len() <= 8 && quarter.len() >= 5, "{quarter:?}");
        // Johannesburg is two hours ahead: its midnight is 22:00 UTC.
        let joburg = day_ticks(from, from + 2 * DAY, "Africa/Johannesburg", 7);
        assert_eq!(joburg[0].0 % DAY, 22 * 3_600_000);
    }

    #[test]
    fn the_stock_chart_has_a_dot_and_title_per_movement_and_the_alert_line() {
        let points = vec![Point {
            at: 5 * DAY,
            balance: 3,
            title: "sold 2 — 2026-01-06 by 2782…".into(),
        }];
        let svg = stock(5, &points, (0, 7 * DAY), 4, "UTC", "Stock").into_string();
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.contains("<title>sold 2"));
        assert!(svg.contains("alert at 4"));
        assert!(svg.contains(">2 Jan<"), "{svg}");
        // Every coordinate is inside the drawing.
        for n in svg
            .split(['"', ',', ' '])
            .filter_map(|v| v.parse::<f64>().ok())
        {
            assert!((0.0..=W).contains(&n), "{n} outside the chart");
        }
    }

    #[test]
    fn bars_are_as_tall_as_their_values() {
        let svg = bars(&[("Mon".into(), 0), ("Tue".into(), 8)], "Sales").into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        // 8 is the axis top: its bar reaches the top margin.
        assert!(svg.contains(&format!("y=\"{TOP:.1}\"")), "{svg}");
        assert!(svg.contains("<title>Tue: 8</title>"));
    }
}
