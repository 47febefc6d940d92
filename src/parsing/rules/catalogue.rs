//! The catalogue index: the shop's item names split into folded words, with
//! lookups by first word and by first letter, built once per item list.

use super::fasthash::FastMap as HashMap;
use super::singular::singular_word;
use super::text::fold;
use super::typo::is_typo_of;

/// Catalogue names split into folded words, with lookups by first word and by
/// first letter (typos rarely hit the first letter, and that keeps search cheap).
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub(super) entries: Vec<Entry>,
    pub(super) by_first: HashMap<String, Vec<u32>>,
    pub(super) by_letter: HashMap<char, Vec<u32>>,
    /// Multi-word names with the spaces removed: "lightbulb" -> "light bulb".
    pub(super) joined: HashMap<String, u32>,
    /// Every distinct catalogue word, by first letter.
    pub(super) all_words: HashMap<char, Vec<String>>,
}

#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) words: Vec<String>,
    pub(super) joined: String,
}

impl Index {
    pub fn build(names: &[String]) -> Self {
        let mut ix = Index::default();
        for name in names {
            let folded = fold(name);
            let words: Vec<String> = folded.split_whitespace().map(String::from).collect();
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let id = ix.entries.len() as u32;
            let joined: String = words.concat();
            if words.len() > 1 {
                ix.joined.insert(joined.clone(), id);
            }
            for w in &words {
                if let Some(c) = w.chars().next() {
                    let list = ix.all_words.entry(c).or_default();
                    if !list.contains(w) {
                        list.push(w.clone());
                    }
                }
            }
            if let Some(c) = first.chars().next() {
                ix.by_letter.entry(c).or_default().push(id);
            }
            ix.by_first.entry(first).or_default().push(id);
            ix.entries.push(Entry {
                name: name.clone(),
                words,
                joined,
            });
        }
        ix
    }

    /// The catalogue spelling of an anchored entry.
    pub fn name(&self, entry: u32) -> &str {
        &self.entries[entry as usize].name
    }

    /// Whether `w` is, or may be a misspelling of, any word of a catalogue
    /// name: such a word is never "corrected" into an intent word.
    pub fn near_item_word(&self, w: &str) -> bool {
        let Some(first) = w.chars().next() else {
            return false;
        };
        let one = singular_word(w);
        self.all_words.get(&first).into_iter().flatten().any(|k| {
            k == w || *k == one || is_typo_of(w, k, 3).is_some() || is_typo_of(&one, k, 3).is_some()
        })
    }

    pub(super) fn words(&self, entry: u32) -> &[String] {
        &self.entries[entry as usize].words
    }
}
