//! Running a parser over corpus files: what `backroom score` does.

use std::path::{Path, PathBuf};

use super::{Report, corpus};
use crate::parsing::{KnownItems, Parser, Sender};

/// Scores each corpus file, prints its report, and writes all of them as
/// JSON when asked. The answers are what the bot acts on at once
/// (`Parsed::acted_on`), the same as `backroom parse` prints.
pub async fn run_files(
    parser: &dyn Parser,
    known: &KnownItems,
    files: &[PathBuf],
    show: usize,
    json: Option<&Path>,
) -> anyhow::Result<Vec<(String, Report)>> {
    let mut reports = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let cases = corpus(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let mut report = Report::default();
        for case in &cases {
            let parsed = parser.parse(&case.text, known, Sender::Unknown).await;
            report.record(case, &parsed.acted_on(known));
            report.timing(&parsed, known);
        }
        let name = path.display().to_string();
        print!("{}", report.render(&name, show));
        reports.push((name, report));
    }
    if let Some(out) = json {
        let all: serde_json::Map<String, serde_json::Value> = reports
            .iter()
            .map(|(name, r)| (name.clone(), serde_json::to_value(r).unwrap_or_default()))
            .collect();
        std::fs::write(out, serde_json::to_string_pretty(&all)?)?;
    }
    Ok(reports)
}

/// Fails when a corpus is below `min` % or has more than `max_harmful`.
pub fn check(
    reports: &[(String, Report)],
    min: Option<f64>,
    max_harmful: Option<usize>,
) -> anyhow::Result<()> {
    for (name, r) in reports {
        if let Some(min) = min {
            anyhow::ensure!(
                r.full_pct() >= min,
                "{name}: full-message accuracy {:.1}% is below {min}%",
                r.full_pct()
            );
        }
        if let Some(max) = max_harmful {
            anyhow::ensure!(
                r.all.harmful <= max,
                "{name}: {} harmful answers, more than {max}",
                r.all.harmful
            );
        }
    }
    Ok(())
}
