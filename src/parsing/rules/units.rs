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
        _ => return None,
    };
    Some(code)
}

/// Units that are also everyday words ("can I", "l'", "m"), so they count as a
/// unit only straight after a number.
pub fn needs_number(word: &str) -> bool {
    matches!(
        word,
        "can" | "cans" | "l" | "m" | "g" | "gr" | "lt" | "pot" | "pots" | "brood" | "paar" | "rol"
    )
}
