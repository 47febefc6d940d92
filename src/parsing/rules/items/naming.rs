//! Names in the item scan: a known item extended into a longer product or
//! dropped as a mere modifier, and a bare "a"/"an" read as one.

use super::super::anchor::Anchor;
use super::super::lexicon::Role;
use super::super::{numbers, units};
use super::{NameText, Piece, Scan};

/// French adjectives that follow their noun and belong to the product name.
fn french_adjective(w: &str) -> bool {
    let stem = w.trim_end_matches('s');
    matches!(
        stem,
        "blanc"
            | "blanche"
            | "noir"
            | "noire"
            | "rouge"
            | "bleu"
            | "bleue"
            | "vert"
            | "verte"
            | "jaune"
            | "gri"
            | "grise"
            | "grand"
            | "grande"
            | "petit"
            | "petite"
            | "long"
            | "longue"
            | "court"
            | "courte"
            | "fin"
            | "fine"
            | "gro"
            | "grosse"
            | "epai"
            | "epaisse"
            | "galvanise"
            | "galvanisee"
            | "plastique"
            | "metallique"
            | "brun"
            | "brune"
            | "mat"
            | "brillant"
            | "brillante"
    )
}

/// Nouns that head a longer product after a catalogue word: "tile cutter",
/// "paint tray", "drill bit set", "glue gun". Only these lengthen a known
/// name; a status word ("varnish status"), a verb ("varnish fell") or a word
/// of another language ("bucket esinazo") after an item is not part of it.
#[rustfmt::skip]
pub(super) fn product_head(w: &str) -> bool {
    let one = super::super::singular::singular_word(w);
    let one = if one == w {
        w.strip_suffix('s').unwrap_or(w)
    } else {
        one.as_str()
    };
    matches!(
        one,
        "cutter" | "holder" | "brush" | "roller" | "bit" | "kit" | "tray" | "stand" | "cover"
            | "clip" | "spacer" | "remover" | "stripper" | "thinner" | "primer" | "sealer"
            | "sealant" | "filler" | "gun" | "rack" | "hook" | "hanger" | "bracket" | "mount"
            | "cap" | "lid" | "plug" | "socket" | "adapter" | "adaptor" | "refill" | "cartridge"
            | "blade" | "disc" | "disk" | "pad" | "strip" | "trap" | "mat" | "liner" | "mixer"
            | "sprayer" | "spray" | "nozzle" | "head" | "handle" | "shaft" | "tip" | "wrench"
            | "key" | "chain" | "grinder" | "sander" | "scraper" | "float" | "spreader"
            | "applicator" | "dispenser" | "organiser" | "organizer" | "cabinet" | "shelf"
            | "board" | "panel" | "frame" | "fitting" | "connector" | "coupling" | "elbow"
            | "joint" | "valve" | "seal" | "gasket" | "ring" | "belt" | "wheel" | "tyre" | "tire"
            | "bulb" | "lamp" | "light" | "switch" | "cord" | "cable" | "lead" | "charger"
            | "case" | "pouch" | "sleeve" | "pole" | "rod" | "bar" | "post" | "peg"
            | "pin" | "nail" | "screw" | "bolt" | "hinge" | "lock" | "latch" | "bin"
            | "container" | "jug" | "mug" | "cup" | "bowl" | "dish" | "pan" | "brick"
            | "block" | "tile" | "trowel" | "spade" | "fork" | "rake" | "hose" | "nut" | "washer"
            | "press" | "vice" | "clamp" | "square" | "gauge" | "meter" | "tester"
            | "detector" | "alarm" | "sensor" | "timer" | "net" | "guard"
            | "glove" | "mask" | "goggles" | "boot" | "apron" | "suit" | "helmet"
            | "paper" | "cloth" | "film" | "foam" | "wool" | "stain" | "wax" | "polish"
            | "oil" | "powder" | "paste" | "gel" | "liquid" | "cleaner" | "wipe" | "sponge"
            | "scrubber" | "duster" | "mop" | "broom" | "bucket" | "shovel" | "saw" | "drill"
            | "hammer" | "driver" | "opener" | "sharpener" | "extender" | "extension"
            | "protector" | "stopper" | "plate" | "pipe" | "tap" | "tie"
            | "wire" | "rope" | "string" | "twine" | "tape" | "grip" | "stick" | "shade"
            | "fan" | "heater" | "stove" | "burner" | "kettle" | "torch" | "candle" | "ladder"
            | "knife" | "shears" | "snips" | "cutters" | "jack" | "pump" | "spanner" | "chisel"
            | "crowbar" | "trolley" | "barrow" | "hoe" | "sieve" | "funnel" | "scoop"
    )
}

impl Scan<'_, '_> {
    /// A known item at `a`: extends it into a longer product name when a
    /// plain noun follows a singular head, or drops it when it only describes
    /// a person or delivery ("the bread guy"). Returns the next token.
    pub(super) fn known(&mut self, a: Anchor) -> usize {
        // Words right before a known item are not part of it.
        if !self.run.is_empty() {
            self.flags.stray_words = self.flags.stray_words.saturating_add(self.run.len() as u8);
            self.run.clear();
        }
        // "3 tile spacers": after a count above one, a plural noun after the
        // singular catalogue word is the head (the catalogue word a modifier).
        let counted = matches!(self.pieces.last(), Some(Piece::Num { value, .. }) if *value > 1);
        let plural_head =
            |w: &str| counted && w.ends_with('s') && super::super::singular::singular_word(w) != w;
        let mut end = a.end;
        while end < a.end + 2 && self.content(end) {
            let w = self.toks[end].text;
            let head = (product_head(w) || (end == a.end && plural_head(w)))
                && w.chars().all(char::is_alphabetic)
                && units::unit_code(w).is_none()
                && !numbers::is_number_word(w);
            if !(french_adjective(w) || (head && !a.plural)) {
                break;
            }
            end += 1;
        }
        // "tap washers", "hammer drill": a singular catalogue word before a
        // catalogue head noun is one longer product.
        if end == a.end
            && !a.plural
            && let Some(next) = self.anchor_at(end).copied()
            && self.toks[next.start].spaced
            && (product_head(self.toks[next.end - 1].text) || (counted && next.plural))
        {
            end = next.end;
        }
        let modifier = self.word(end).is_some_and(|w| {
            self.roles[end] == Role::Agent
                || matches!(
                    w,
                    "delivery" | "deliveries" | "rep" | "section" | "aisle" | "department"
                )
        });
        if modifier {
            // "the bread guy came, 20 loaves": kept aside for a count that
            // names only its unit.
            self.pieces.push(Piece::Name {
                text: NameText::Known {
                    entry: a.entry,
                    typo: a.typo,
                },
                at: a.start,
                ctx: true,
                modifier: true,
            });
            self.pieces.push(Piece::Verb);
            return end;
        }
        let text = if end > a.end {
            NameText::Words {
                words: self.toks[a.start..end].iter().map(|t| t.text).collect(),
                compound: true,
            }
        } else {
            NameText::Known {
                entry: a.entry,
                typo: a.typo,
            }
        };
        self.pieces.push(Piece::Name {
            text,
            at: a.start,
            ctx: self.ctx,
            modifier: false,
        });
        end
    }

    /// "sold a wheelbarrow", "and a saw", "une boîte de": "a" means one when a
    /// name or unit follows and nothing else claimed the slot. Returns the
    /// tokens read.
    pub(super) fn article_one(&mut self, i: usize) -> Option<usize> {
        let w = self.toks[i].text;
        if !matches!(w, "a" | "an" | "un" | "une" | "'n") || self.ctx {
            return None;
        }
        // French "il y a", "on a", "qui a": "a" is the verb "has", not "one"
        let after = |p: usize| self.word(p);
        let verb_a = w == "a"
            && i.checked_sub(1).and_then(after).is_some_and(|p| {
                matches!(
                    p,
                    "y" | "il" | "elle" | "on" | "qui" | "ca" | "ce" | "cela" | "client" | "klant"
                )
            });
        if verb_a {
            return None;
        }
        // "'n paar", "a few", "a lot of": an amount, not one.
        if self.word(i + 1).is_some_and(|n| {
            matches!(
                n,
                "paar"
                    | "few"
                    | "bietjie"
                    | "klomp"
                    | "lot"
                    | "bunch"
                    | "number"
                    | "little"
                    | "bit"
                    | "handful"
                    | "heap"
                    | "load"
            )
        }) {
            return None;
        }
        // "a faulty kettle", "a spare padlock": look past describing words.
        let mut next = i + 1;
        while next < i + 3 && self.word(next).is_some() && self.roles[next] == Role::Stop {
            next += 1;
        }
        let names_next = self.anchor_at(next).is_some()
            || self.content(next)
            || self
                .word(next)
                .is_some_and(|n| units::unit_code(n).is_some() && !units::needs_number(n));
        let slot = matches!(
            self.pieces.last(),
            None | Some(Piece::Verb | Piece::Join | Piece::Break)
        );
        if !names_next || !slot || !self.run.is_empty() {
            return None;
        }
        self.pieces.push(Piece::Num {
            value: 1,
            implicit: true,
            unit: None,
        });
        // The describing words are skipped: they are not part of the name.
        Some(next - i)
    }
}
