//! The printed report of a scoring run.

use std::fmt::Write;

use super::{Report, Tally};

fn line(out: &mut String, label: &str, t: &Tally) {
    let _ = writeln!(
        out,
        "  {label:<14} {:>4}  intent {:>5.1}%  full {:>5.1}%  harmful {}",
        t.messages,
        Tally::pct(t.intent, t.messages),
        Tally::pct(t.full, t.messages),
        t.harmful
    );
}

impl Report {
    /// The figures, then up to `show` misses, then `parser full-message accuracy: N%`.
    pub fn render(&self, corpus: &str, show: usize) -> String {
        let mut out = String::new();
        let a = &self.all;
        let _ = writeln!(out, "corpus: {corpus} ({} messages)", a.messages);
        let _ = writeln!(
            out,
            "intent {:.1}%  items {:.1}%  full {:.1}%  harmful {} (a stock change the message did not mean)",
            Tally::pct(a.intent, a.messages),
            Tally::pct(self.items, a.messages),
            self.full_pct(),
            a.harmful
        );
        let by: Vec<String> = self
            .by_parser
            .iter()
            .map(|(p, n)| format!("{p} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "answered by: {}; confirmed first: {}; latency p50 {:.2} ms, p95 {:.2} ms",
            by.join(", "),
            self.asked,
            self.latency_ms(0.5),
            self.latency_ms(0.95)
        );
        for (title, groups) in [
            ("by intent", &self.by_intent),
            ("by language", &self.by_lang),
            ("by tag", &self.by_tag),
        ] {
            let _ = writeln!(out, "{title}:");
            for (label, t) in groups {
                line(&mut out, label, t);
            }
        }
        for (case, got, v) in self.misses.iter().take(show) {
            let harm = if v.harmful { " HARMFUL" } else { "" };
            let _ = writeln!(
                out,
                "miss {}{harm}: {:?}\n  want {} {}\n  got  {} {}",
                case.id,
                case.text,
                case.expected.intent,
                serde_json::to_string(&case.expected.items).unwrap_or_default(),
                got.intent.as_str(),
                serde_json::to_string(&got.items).unwrap_or_default(),
            );
        }
        let _ = writeln!(out, "parser full-message accuracy: {:.1}%", self.full_pct());
        out
    }
}
