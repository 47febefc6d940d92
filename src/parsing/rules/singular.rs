//! Plural to singular for item names (rules 7 and 10).

/// Nouns that only exist in the plural, or whose final "s" is not a plural.
const KEEP: &[&str] = &[
    "pliers",
    "scissors",
    "tongs",
    "shears",
    "trousers",
    "jeans",
    "shorts",
    "pants",
    "goggles",
    "glasses",
    "clippers",
    "tweezers",
    "binoculars",
    "overalls",
    "news",
    "series",
    "species",
    "vis",
    "gas",
    "bus",
    "plus",
    "lens",
    "chassis",
    "bolus",
    "sinus",
    "atlas",
    "canvas",
    "chips",
    "sweets",
    "oats",
    "grits",
    "pyjamas",
    "headphones",
    "earphones",
    "suds",
    "cutters",
    "snips",
    "dregs",
    "thanks",
    "jis",
    "anis",
    "pois",
    "bois",
    "fois",
    "souris",
    "tapis",
    "radis",
    "prix",
    "noix",
    "croix",
    "voix",
    "choix",
    "riz",
    "gaz",
    "nez",
];

/// Irregular English plurals.
fn irregular(w: &str) -> Option<&'static str> {
    Some(match w {
        "knives" => "knife",
        "wives" => "wife",
        "lives" => "life",
        "loaves" => "loaf",
        "shelves" => "shelf",
        "halves" => "half",
        "leaves" => "leaf",
        "thieves" => "thief",
        "wolves" => "wolf",
        "scarves" => "scarf",
        "calves" => "calf",
        "hooves" => "hoof",
        "elves" => "elf",
        "selves" => "self",
        "sheaves" => "sheaf",
        "men" => "man",
        "women" => "woman",
        "children" => "child",
        "feet" => "foot",
        "teeth" => "tooth",
        "geese" => "goose",
        "mice" => "mouse",
        "people" => "person",
        "oxen" => "ox",
        "dice" => "die",
        "axes" => "axe",
        "buses" => "bus",
        "gases" => "gas",
        "quizzes" => "quiz",
        "cacti" => "cactus",
        "fungi" => "fungus",
        "yeux" => "oeil",
        _ => return None,
    })
}

/// "-ie" nouns whose plural is not "-y" + "ies".
const IE_NOUNS: &[&str] = &[
    "cookies",
    "movies",
    "calories",
    "brownies",
    "rookies",
    "smoothies",
    "selfies",
    "zombies",
    "hoodies",
    "beanies",
    "goalies",
    "aunties",
    "bookies",
    "oldies",
    "pixies",
    "hippies",
    "boogies",
    "cabbies",
    "walkies",
    "veggies",
    "genies",
    "prairies",
    "bootees",
    "lingeries",
];

/// English (and simple French) plural to singular, one word.
pub fn singular_word(w: &str) -> String {
    if let Some(s) = irregular(w) {
        return s.to_string();
    }
    static KEEP_SET: std::sync::LazyLock<super::fasthash::FastSet<&'static str>> =
        std::sync::LazyLock::new(|| KEEP.iter().copied().collect());
    if w.len() <= 2 || KEEP_SET.contains(w) || w.ends_with("ss") || w.ends_with("us") {
        return w.to_string();
    }
    // French: marteaux -> marteau, tuyaux -> tuyau, cailloux -> caillou
    if let Some(stem) = w.strip_suffix('x')
        && (stem.ends_with("eau")
            || stem.ends_with("au")
            || stem.ends_with("ou")
            || stem.ends_with("eu"))
    {
        return stem.to_string();
    }
    if let Some(stem) = w.strip_suffix("ies") {
        if IE_NOUNS.contains(&w) || stem.len() <= 1 {
            return format!("{stem}ie"); // ties -> tie, cookies -> cookie
        }
        return format!("{stem}y");
    }
    if let Some(stem) = w.strip_suffix("ves") {
        // knife-like plurals are listed above; gloves, valves, sleeves just drop "s"
        return format!("{stem}ve");
    }
    if let Some(stem) = w.strip_suffix("es") {
        if stem.ends_with("ch")
            || stem.ends_with("sh")
            || stem.ends_with('x')
            || stem.ends_with("ss")
            || stem.ends_with("zz")
        {
            return stem.to_string(); // boxes, brushes, matches, glasses
        }
        if stem.ends_with('o') && stem.len() > 3 {
            return stem.to_string(); // tomatoes, potatoes (but hoes, toes, shoes)
        }
    }
    if let Some(stem) = w.strip_suffix('s')
        && !stem.ends_with('\'')
    {
        return stem.to_string();
    }
    w.to_string()
}

/// Singular of an item name: the head noun is the last word in English ("paint
/// brushes"), the first in French compounds ("clés à molette").
pub fn singular(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() {
        return String::new();
    }
    let french_head = words.len() > 2 && matches!(words[1], "a" | "à" | "de" | "en" | "pour");
    let last = words.len() - 1;
    let mut out = String::with_capacity(name.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == last || (french_head && i == 0) {
            out.push_str(&singular_word(w));
        } else {
            out.push_str(w);
        }
    }
    out
}
