//! Scores per intent, in the contract's intent order.

use crate::parsing::Intent;

pub const INTENTS: [Intent; 10] = [
    Intent::Add,
    Intent::Remove,
    Intent::Set,
    Intent::Query,
    Intent::List,
    Intent::Order,
    Intent::Cancel,
    Intent::Undo,
    Intent::Help,
    Intent::Unknown,
];

fn ix(i: Intent) -> usize {
    INTENTS.iter().position(|&x| x == i).expect("listed")
}

#[derive(Debug, Clone, Copy)]
pub struct Scores {
    pub s: [f32; 10],
    /// The message names an absolute zero ("we're out of", "sold out").
    pub zero: bool,
}

impl Scores {
    pub(super) fn add(&mut self, i: Intent, w: f32) {
        self.s[ix(i)] += w;
    }
    pub(super) fn get(&self, i: Intent) -> f32 {
        self.s[ix(i)]
    }
    pub(super) fn scale(&mut self, i: Intent, f: f32) {
        self.s[ix(i)] *= f;
    }

    /// Best intent, its score, and the runner-up.
    pub fn ranked(&self) -> (Intent, f32, Option<(Intent, f32)>) {
        let mut order: Vec<usize> = (0..9).collect();
        order.sort_by(|&a, &b| self.s[b].total_cmp(&self.s[a]));
        let best = (INTENTS[order[0]], self.s[order[0]]);
        let second = (self.s[order[1]] > 0.0).then(|| (INTENTS[order[1]], self.s[order[1]]));
        (best.0, best.1, second)
    }
}
