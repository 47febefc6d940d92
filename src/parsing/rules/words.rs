//! Closed word classes in English, French, Afrikaans and Zulu (folded: lower
//! case, no accents). Grouped by what they do to an item name; intent words
//! live in `cues`.

use super::fasthash::FastMap as HashMap;
use std::sync::LazyLock;

/// Greetings: a message of nothing else is a `help`.
pub fn is_greeting(w: &str) -> bool {
    classes(w) & GREETING != 0
}

/// People who buy, bring or take stock: never an item.
pub fn is_person(w: &str) -> bool {
    classes(w) & PERSON != 0
}

/// Who or what brings stock in: never an item.
pub fn is_carrier(w: &str) -> bool {
    classes(w) & CARRIER != 0
}

/// Nouns that end in "-ing" and can name stock.
#[rustfmt::skip]
pub fn is_ing_noun(w: &str) -> bool {
    matches!(
        w.strip_suffix('s').unwrap_or(w),
        "fitting" | "tubing" | "piping" | "decking" | "skirting" | "flooring" | "railing"
            | "coupling" | "lining" | "bedding" | "bearing" | "shelving" | "fencing"
            | "roofing" | "wiring" | "sheeting" | "ceiling" | "string" | "spring" | "ring"
            | "sling" | "icing" | "coating" | "edging" | "lighting" | "stuffing" | "pudding"
            | "clothing" | "netting" | "plumbing" | "casing" | "housing" | "mounting"
            | "bushing" | "cladding" | "paving" | "topping" | "filling" | "seasoning"
    )
}

/// Days and times of day: "today", "vandag", "demain", "kusasa".
#[rustfmt::skip]
pub fn is_time(w: &str) -> bool {
    matches!(
        w,
        "today" | "tonight" | "tomorrow" | "now" | "vandag" | "vanaand" | "more" | "nou"
            | "aujourd'hui" | "demain" | "maintenant" | "ce" | "soir" | "namhlanje" | "kusasa"
            | "manje" | "this" | "morning" | "afternoon" | "week" | "weekend"
    )
}

/// Wh-words and their French and Afrikaans counterparts.
pub fn is_question_word(w: &str) -> bool {
    classes(w) & QUESTION_WORD != 0
}

/// Prepositions and subordinating words: what follows describes circumstances.
pub fn is_preposition(w: &str) -> bool {
    classes(w) & PREPOSITION != 0
}

// Word classes as bits, looked up in one table built on first use (a long
// `match` on strings compares one candidate after another).
pub const SEP: u16 = 1 << 0;
pub const BOUNDARY: u16 = 1 << 1;
pub const FILLER: u16 = 1 << 2;
pub const GREETING: u16 = 1 << 3;
pub const PERSON: u16 = 1 << 4;
pub const CARRIER: u16 = 1 << 5;
pub const STOP: u16 = 1 << 6;
pub const QUESTION_WORD: u16 = 1 << 7;
pub const PREPOSITION: u16 = 1 << 8;
pub const CURRENCY: u16 = 1 << 9;

static CLASSES: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    let lists: [(u16, &[&str]); 10] = [
        (SEP, SEP_WORDS),
        (BOUNDARY, BOUNDARY_WORDS),
        (FILLER, FILLER_WORDS),
        (GREETING, GREETING_WORDS),
        (PERSON, PERSON_WORDS),
        (CARRIER, CARRIER_WORDS),
        (STOP, STOP_WORDS),
        (QUESTION_WORD, QUESTION_WORD_WORDS),
        (PREPOSITION, PREPOSITION_WORDS),
        (CURRENCY, CURRENCY_WORDS),
    ];
    let mut m = HashMap::default();
    for (bit, words) in lists {
        for w in words {
            *m.entry(*w).or_insert(0) |= bit;
        }
    }
    m
});

/// All classes of a folded word, as bits.
pub fn classes(w: &str) -> u16 {
    CLASSES.get(w).copied().unwrap_or(0)
}

/// Currency names and codes: the number beside them is a price (rule 14).
#[rustfmt::skip]
const CURRENCY_WORDS: &[&str] = &[
    "rand", "rands", "randt", "zar", "dollar", "dollars", "usd", "euro", "euros", "eur", "franc",
    "francs", "fc", "cents", "bucks", "pula", "naira", "kwacha", "shillings", "cfa",
];

#[rustfmt::skip]
const SEP_WORDS: &[&str] = &[
    "and", "et", "en", "plus", "&", "n", "asw", "also", "or", "ou", "noma", "of'",
];

#[rustfmt::skip]
const BOUNDARY_WORDS: &[&str] = &[
    "for", "to", "from", "on", "at", "by", "in", "into", "onto", "with", "without", "after",
    "before", "until", "till", "off", "near", "behind", "under", "over", "via", "inside",
    "outside", "during", "between", "against", "pour", "avec", "chez", "vers", "dans", "sur",
    "sous", "depuis", "apres", "avant", "derriere", "vir", "van", "na", "op", "met", "agter",
    "langs", "pendant", "tydens", "today", "tonight", "tomorrow", "yesterday", "morning",
    "afternoon", "evening", "night", "week", "weekend", "month", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "later", "soon", "sat", "fri", "thurs", "tues",
    "wknd", "tmrw", "asap", "aujourd'hui", "demain", "hier", "matin", "soir", "midi", "semaine",
    "samedi", "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "vandag", "gister",
    "vanoggend", "vanmiddag", "vanaand", "saterdag", "sondag", "maandag", "dinsdag", "woensdag",
    "donderdag", "vrydag", "namhlanje", "izolo", "kusasa", "ngomgqibelo", "ebusuku", "ekuseni",
    "this", "because", "since", "but", "if", "when", "while", "as", "they", "it",
    "which", "who", "that's", "will", "i'll", "we'll", "cuz", "car", "parce", "mais", "he", "she",
    "where", "whether", "maar", "omdat", "uma", "ngoba",
];

#[rustfmt::skip]
const FILLER_WORDS: &[&str] = &[
    "em", "'em", "dem", "note", "record", "log", "register", "advise", "inform", "confirm",
    "noted", "fyi", "kindly",
    "eu", "ete", "fait",
    "graag", "tog", "mos", "darem", "nogal", "vinnig",
    "last", "next", "first", "same",
    "the", "a", "an", "some", "any", "those", "these", "that", "my", "our", "your", "his", "her",
    "their", "its", "le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'", "ma", "mon",
    "mes", "ta", "ton", "tes", "sa", "son", "ses", "notre", "nos", "votre", "vos", "die", "'n",
    "of", "i", "i'm", "i'd", "i've", "me", "we", "we're", "were", "us", "you", "y'all", "yall",
    "them", "him", "it's", "'s", "je", "j'", "tu", "il", "elle", "nous", "vous", "ils", "elles", "on",
    "moi", "ek", "ons", "julle", "jy", "hy", "sy", "hulle", "hul", "jou", "haar", "dis", "daai",
    "is", "are", "was", "be", "been", "am", "do",
    "does", "did", "don't", "didn't", "have", "has", "had", "can", "could", "would", "should",
    "shall", "may", "might", "must", "let", "let's", "gonna", "gotta", "lemme", "um", "umm", "uh",
    "uhm", "erm", "er", "hmm", "euh", "yeah", "yes", "ok", "okay", "oh", "oops", "well", "just",
    "too", "again", "still", "then", "please", "asseblief", "thanks", "thank", "cheers", "lol",
    "haha", "eish", "lekker", "yoh", "mate", "bru", "bra", "bro", "boet", "china", "dude", "guys",
    "all", "sir", "maam", "madam", "boss", "chief", "buddy", "pal", "ngiyabonga", "siyabonga",
    "dankie", "baie", "merci", "svp", "stp", "s'il", "s'", "plait", "more", "what", "what's",
    "why", "whose", "quoi", "quel", "quelle", "qu'", "est-ce", "het", "there", "here", "anymore",
    "else", "about", "around", "approx", "roughly", "total", "each", "per", "every", "items",
    "item", "stuff", "things", "thing", "full", "whole", "not", "no", "pas", "nie", "ne", "n'",
    "y", "a-t-il", "avez", "avez-vous", "a-t-on", "est", "sont", "ai", "as", "avons", "x", "ngi",
    "si", "up", "down", "qui", "anything", "something", "nothing", "ayi", "ezi", "angu", "ezingu",
    "engu", "abangu", "que", "ce", "c'est", "c'", "bot", "back", "wena", "mina", "nawe", "ke",
    "kan", "nog", "ook", "like", "kinda", "sorta", "pcs", "pieces", "piece", "stuks", "stuk",
    "nuwe", "new", "extra", "another", "other", "few", "several", "many", "much", "lot", "lots",
    "loads", "heaps", "tons", "plenty", "masses", "stacks",
    "bunch", "yonke", "zonke", "konke", "wonke", "lokhu", "lezi", "leli", "yebo",
    "cha", "hhayi", "ja", "nee", "non", "oui", "si'", "bon", "alors", "voila", "enfin", "hein",
    "hey", "hoor", "jong", "man", "sorry", "pardon", "wait", "hang", "sure", "hierdie", "daardie",
    "dit", "ceci", "cela",
];

#[rustfmt::skip]
const GREETING_WORDS: &[&str] = &[
    "hi", "hello", "hey", "hiya", "howzit", "heita", "sawubona", "molo", "dumela", "hallo",
    "bonjour", "salut", "bonsoir", "yo", "aweh", "greetings", "hie", "good", "goeie", "more",
    "middag", "sup", "hola", "howdy", "sharp", "sanibonani", "yebo", "hellow", "helo", "hii",
    "heyy", "coucou", "goeiemore", "goeiemiddag", "goeienaand", "molweni", "avuxeni", "lumela",
    "unjani", "ninjani", "kunjani", "evening", "morning", "afternoon", "gday",
];

#[rustfmt::skip]
const PERSON_WORDS: &[&str] = &[
    "anyone", "anybody", "everyone", "everybody", "nobody", "no-one",
    "customer", "customers", "client", "clients", "klant", "klante", "guy", "oke", "okes", "ou",
    "man", "lady", "woman", "someone", "somebody", "person", "chap", "bloke", "gent", "builder",
    "builders", "plumber", "electrician", "contractor", "contractors", "painter", "neighbour",
    "neighbor", "tannie", "oom", "auntie", "uncle", "gogo", "bhuti", "sisi", "mama", "baba",
    "umuntu", "ikhasimende", "mec", "monsieur", "madame", "dame", "type", "vrou", "meneer",
    "mevrou", "kid", "boy", "girl", "staff", "owner", "manager", "cashier", "worker", "workers",
    "team",
];

#[rustfmt::skip]
const CARRIER_WORDS: &[&str] = &[
    "truck", "lorry", "bakkie", "van", "courier", "supplier", "suppliers", "wholesaler", "rep",
    "driver", "baker", "vendor", "distributor", "camion", "fournisseur", "livreur", "verskaffer",
    "vragmotor", "trok", "iloli", "imoto", "factory", "makro", "builders",
];

#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "faulty", "defective", "spare", "cheap", "expensive", "old", "nice", "bad", "leftover",
    "dodgy", "busted", "open", "closed", "close",
    "somewhere", "anywhere", "everywhere", "nowhere", "elsewhere", "instead", "meanwhile",
    "besides", "afterwards", "nearby", "upstairs", "downstairs", "online", "altogether",
    "altesaam", "totaal", "finally", "already", "also", "even", "yet", "ever", "never", "always",
    "right", "exactly", "nearly", "almost", "maybe", "probably", "definitely", "quickly",
    "apparently", "luckily", "unfortunately", "fortunately", "basically", "literally", "seriously",
    "totally", "earlier", "recently", "lately", "ago", "away", "together", "anyway", "anyhow",
    "either", "otherwise", "though", "really", "very", "quite", "pretty", "honestly", "hopefully",
    "kindly", "btw", "fine", "busy", "late", "early", "quick", "question", "idea", "moment", "sec",
    "minute", "time", "storeroom", "warehouse", "stoor",
    "winkel", "yard", "shop", "store", "vandag", "gister", "netnou", "nou-nou", "al", "weer",
    "seker", "toe", "dan", "hier", "daar", "eers", "so", "sommer", "regtig", "encore", "seulement",
    "deja", "aussi", "bien", "tres", "vite", "ici", "juste", "environ", "cet", "cette", "ca",
    "manje", "futhi", "kakhulu", "nje", "lapha", "khona", "kahle", "impela", "kodwa", "kuphela",
    "wet", "dry", "fast", "slow", "ready", "collection", "pickup", "wrong", "correct",
    "promo", "special", "price", "prices", "cost", "money", "cash", "storm", "rain", "load", "job",
    "work", "weather", "rugby", "soccer", "game",
    "perhaps", "sometimes", "nowadays", "indoors", "outdoors", "overseas", "regardless",
    "nevertheless", "anyways", "towards", "afterwards", "besides", "downwards", "upwards",
    "nat", "droog", "sleg", "laat", "vroeg", "gou", "gisteraand", "vanaand", "eergister",
    "oormore", "nou-net", "netnou", "onlangs", "vinnig",
    "commence", "commencent", "commencer", "continue", "continuent", "devient", "deviennent",
    "va", "vont", "start", "starting", "started", "starts", "begin", "beginning", "began",
    "fell", "fallen", "fall", "falls", "sat", "stood", "lay", "laid", "hung", "kept", "held",
    "made", "said", "told", "seen", "knew", "thought", "felt", "became", "drove",
    "rode", "wore", "froze", "shook", "hid", "arrives", "happened", "happen", "happens",
];

#[rustfmt::skip]
const QUESTION_WORD_WORDS: &[&str] = &[
    "who", "what", "what's", "when", "where", "why", "whose", "which", "how", "whos", "who's",
    "where's", "when's", "how's", "why's", "which's", "quoi", "pourquoi", "quand", "ou", "qui",
    "qu'est-ce", "comment", "wie", "waar", "hoekom", "wanneer", "hoe", "watter", "ngubani",
    "kuphi", "nini", "kanjani", "yini",
];

#[rustfmt::skip]
const PREPOSITION_WORDS: &[&str] = &[
    "about", "regarding", "concerning",
    "for", "to", "from", "on", "at", "by", "in", "into", "onto", "with", "without", "after",
    "before", "until", "till", "off", "near", "behind", "under", "over", "via", "during", "inside",
    "outside", "between", "against", "pour", "avec", "chez", "vers", "dans", "sur", "sous",
    "depuis", "apres", "avant", "pendant", "derriere", "vir", "van", "na", "op", "met", "agter",
    "tydens", "because", "since", "if", "when", "while", "whether", "cuz", "parce", "omdat",
    "ngoba", "uma", "lorsque", "quand", "toe", "wanneer",
];

/// Where stock is fetched from or sent back to.
pub fn is_source(w: &str) -> bool {
    matches!(
        w,
        "depot"
            | "warehouse"
            | "wholesaler"
            | "wholesalers"
            | "supplier"
            | "suppliers"
            | "factory"
            | "distributor"
            | "makro"
            | "mill"
            | "farm"
            | "bakery"
            | "manufacturer"
            | "vendor"
            | "fournisseur"
            | "entrepot"
            | "verskaffer"
            | "pakhuis"
    )
}
