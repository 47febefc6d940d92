//! Rule parser throughput: `cargo bench --bench parse`.
//!
//! Parses every message of the labelled corpus (`fixtures/parser/dev.jsonl`)
//! with the shop's known items, over and over for a few seconds, on one
//! thread, and prints messages per second and the mean time per message.
//! Accuracy is measured separately, with `backroom score` (README, "Measuring it").

#[path = "support.rs"]
mod support;

use std::time::{Duration, Instant};

use backroom::parsing::{KnownItems, rules};

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let corpus =
        std::fs::read_to_string(format!("{root}/fixtures/parser/dev.jsonl")).expect("corpus");
    let texts: Vec<String> = corpus
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line");
            v["text"].as_str().expect("text").to_string()
        })
        .collect();
    let names = std::fs::read_to_string(format!("{root}/fixtures/parser/known-items.txt"))
        .expect("known items");
    let known = backroom::parsing::batch::known_items_from(&names);
    let known: &KnownItems = &known;

    // Warm up, then measure for a fixed wall time.
    for t in &texts {
        std::hint::black_box(rules::parse(t, known));
    }
    let budget = Duration::from_secs(3);
    let started = Instant::now();
    let mut parsed = 0u64;
    while started.elapsed() < budget {
        for t in &texts {
            std::hint::black_box(rules::parse(std::hint::black_box(t), known));
        }
        parsed += texts.len() as u64;
    }
    let secs = started.elapsed().as_secs_f64();
    println!();
    println!(
        "rule parser: {} corpus messages, {} known items, one thread",
        texts.len(),
        known.names().len()
    );
    println!("| messages parsed | seconds | messages/s | µs/message |");
    println!("|---:|---:|---:|---:|");
    println!(
        "| {parsed} | {secs:.2} | {:.0} | {:.2} |",
        parsed as f64 / secs,
        secs * 1e6 / parsed as f64
    );
    support::record(
        "rule parser (one thread)",
        "-",
        "messages/s",
        parsed as f64 / secs,
    );
}
