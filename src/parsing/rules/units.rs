//! The closed list of unit codes (rule 15) and the spellings that map onto them.

/// Unit code for a folded word, in English, French or Afrikaans, singular or plural.
pub fn unit_code(word: &str) -> Option<&'static str> {
    let code = match word {
        "box" | "boxes" | "bx" | "boite" | "boites" | "boks" | "bokse" | "doos" | "dose" => "box",
        "bag" | "bags" | "sac" | "sacs" | "sak" | "sakke" | "sack" | "sacks" | "bgs" => "bag",
        "kg" | "kgs" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogramme"
        | "kilogrammes" => "kg",
        "g" | "gr" | "gram" | "grams" | "gramme" | "grammes" => "g",
        "m" | "metre" | "metres" | "meter" | "meters" | "mtr" | "mtrs" => "m",
        "l" | "lt" | "ltr" | "ltrs" | "litre" | "litres" | "liter" | "liters" => "litre",
        "ml" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => "ml",
        "pack" | "packs" | "packet" | "packets" | "pkt" | "pkts" | "paquet" | "paquets" | "pak"
        | "pakke" => "pack",
        "roll" | "rolls" | "rouleau" | "rouleaux" | "rol" | "rolle" => "roll",
        "carton" | "cartons" | "karton" | "kartonne" => "carton",
        "tin" | "tins" | "can" | "cans" | "pot" | "pots" | "blik" | "blikke" => "tin",
        "bottle" | "bottles" | "bouteille" | "bouteilles" | "bottel" | "bottels" => "bottle",
        "crate" | "crates" | "caisse" | "caisses" | "krat" | "kratte" => "crate",
        "sheet" | "sheets" | "feuille" | "feuilles" => "sheet",
        "loaf" | "loaves" | "brood" => "loaf",
        "pair" | "pairs" | "paire" | "paires" | "paar" => "pair",
        "tube" | "tubes" => "tube",
        _ if super::typo::vowelless(word) => return skeleton(word),
        _ => return None,
    };
    Some(code)
}

/// A unit in text-speak, its vowels dropped: "bxs", "tns", "btls", "shts".
fn skeleton(word: &str) -> Option<&'static str> {
    const SPELLINGS: &[&str] = &[
        "boxes", "packets", "packs", "rolls", "cartons", "tins", "bottles", "crates", "sheets",
        "loaves", "pairs", "tubes", "litres", "metres", "bottle", "carton", "crate", "sheet",
        "packet", "litre", "metre", "liters", "meters",
    ];
    SPELLINGS
        .iter()
        .find(|s| super::typo::is_skeleton_of(word, s))
        .and_then(|s| unit_code(s))
}

/// Units that are also everyday words ("can I", "l'", "m"), so they count as a
/// unit only straight after a number.
pub fn needs_number(word: &str) -> bool {
    matches!(
        word,
        "can" | "cans" | "l" | "m" | "g" | "gr" | "lt" | "pot" | "pots" | "brood" | "paar" | "rol"
    )
}

/// A misspelt unit word ("boxs", "bottels", "cartns"), within one slip.
pub fn misspelt(word: &str) -> Option<&'static str> {
    const SPELLINGS: &[&str] = &[
        "boxes", "bags", "packs", "packets", "rolls", "cartons", "tins", "bottles", "crates",
        "sheets", "loaves", "pairs", "tubes", "litres", "metres",
    ];
    if word.len() < 4 {
        return None;
    }
    SPELLINGS
        .iter()
        .find(|s| super::typo::is_typo_of(word, s, 4).is_some())
        .and_then(|s| unit_code(s))
}

/// Counting words that are not units of the contract: "6 bars of soap",
/// "2 lengths of pipe", "a bunch of keys". The name is what follows "of".
pub fn is_measure_word(word: &str) -> bool {
    matches!(
        word.strip_suffix("es")
            .filter(|w| w.ends_with("ch"))
            .unwrap_or(word.strip_suffix('s').unwrap_or(word)),
        "bar"
            | "unit"
            | "item"
            | "pc"
            | "piece"
            | "length"
            | "bunch"
            | "set"
            | "lot"
            | "batch"
            | "load"
            | "handful"
            | "stick"
            | "strip"
            | "slab"
            | "block"
            | "drum"
            | "jar"
            | "sachet"
            | "spool"
            | "coil"
            | "reel"
            | "bundle"
            | "bale"
            | "pallet"
            | "case"
            | "punnet"
            | "tray"
            | "cube"
            | "gallon"
            | "trailer"
            | "stuk"
            | "stukke"
            | "morceau"
            | "paquetage"
    )
}
