//! The multi-word evidence table. Each part lists interchangeable words
//! (verb forms, SMS spellings, languages); `gap` words may stand between parts
//! ("keep 2 tins of blue paint aside", "do you guys still have"). Earlier
//! entries win their words. `cue: None` claims words that only look like
//! evidence ("last night", "in the back").

use super::cues::Cue::{self, *};

pub struct Phrase {
    pub parts: &'static [&'static [&'static str]],
    pub gap: u8,
    pub cue: Option<Cue>,
}

const fn p(parts: &'static [&'static [&'static str]], gap: u8, cue: Cue) -> Phrase {
    Phrase {
        parts,
        gap,
        cue: Some(cue),
    }
}

const fn claim(parts: &'static [&'static [&'static str]]) -> Phrase {
    Phrase {
        parts,
        gap: 0,
        cue: None,
    }
}

const YOU_U: &[&str] = &["you", "u", "ya", "y'all", "julle", "jy"];
const I_WE: &[&str] = &["i", "we", "ek", "ons"];
const CAN: &[&str] = &["can", "could", "may", "kan", "mag", "might"];
const GET: &[&str] = &[
    "get", "have", "grab", "buy", "order", "take", "pick", "collect", "kry", "koop", "bestel",
    "purchase", "reserve", "book",
];
const SEND: &[&str] = &[
    "send", "deliver", "bring", "drop", "get", "keep", "hold", "reserve", "put", "set", "order",
    "organise", "organize", "save", "pack", "stuur", "lewer", "sort",
];
const HAVE: &[&str] = &[
    "have", "got", "stock", "sell", "carry", "keep", "sel", "hold", "verkoop",
];
const LAST: &[&str] = &[
    "last", "previous", "derniere", "dernier", "laaste", "vorige",
];
const ENTRY: &[&str] = &[
    "entry",
    "one",
    "change",
    "update",
    "operation",
    "op",
    "transaction",
    "record",
    "message",
    "modification",
    "entree",
    "input",
    "thing",
    "sale",
    "number",
    "action",
    "step",
    "inskrywing",
    "saisie",
    "ajout",
    "envoi",
    "enregistrement",
    "ligne",
];
/// What one does when entering stock: "ce que je viens d'entrer", "ce que
/// j'ai saisi" (what I just entered) point at the last entry.
const INPUT: &[&str] = &[
    "entrer",
    "saisir",
    "ajouter",
    "mettre",
    "taper",
    "noter",
    "enregistrer",
    "rentrer",
    "inscrire",
    "ecrire",
    "envoyer",
    "marquer",
];
const INPUT_DONE: &[&str] = &[
    "entre",
    "saisi",
    "ajoute",
    "mis",
    "tape",
    "note",
    "enregistre",
    "rentre",
    "inscrit",
    "ecrit",
    "envoye",
    "marque",
];

#[rustfmt::skip]
pub static PHRASES: &[Phrase] = &[
    // time and place phrases that hold cue-like words
    claim(&[&["last"], &["night", "week", "time", "month", "year", "weekend", "friday", "saturday"]]),
    claim(&[&["in"], &["the", "die"], &["back", "front", "store", "storeroom", "shop", "yard", "rain", "storm", "morning", "afternoon"]]),
    claim(&[&["at"], &["the"], &["moment"]]),
    // help
    p(&[&["what"], &["can", "could"], &["you", "this", "it", "the", "ya", "u"], &["do"]], 1, Help),
    p(&[&["how"], &["does", "do", "did"], &["this", "it", "the", "you"], &["work", "works"]], 2, Help),
    p(&[&["how"], &["this", "it", "the", "your"], &["works", "work", "operates"]], 2, Help),
    p(&[&["how"], &["do", "can"], &["i"], &["use"]], 0, Help),
    p(&[&["what"], &["can", "should", "do", "must"], &["i", "we"], &["ask", "do", "say", "type", "send", "write"]], 0, Help),
    p(&[&["tu", "vous"], &["sais", "savez", "peux", "pouvez"], &["faire"]], 0, Help),
    p(&[&["comment"], &["ca"], &["marche", "fonctionne"]], 0, Help),
    p(&[&["hoe"], &["werk"]], 0, Help),
    p(&[&["wat", "what"], &["kan"], &["jy", "julle", "jou"], &["doen"]], 0, Help),
    // cancel and undo
    p(&[&["don't", "dont", "do"], &["not"], &["want", "need"]], 0, Cancel),
    p(&[&["don't", "dont", "no", "nie"], &["want", "need", "longer"]], 0, Cancel),
    p(&[&["call"], &["off"]], 0, Cancel),
    p(&[&["scratch", "drop", "kill", "forget", "scrap"], &["my", "the", "that", "our"], &["order", "orders", "booking"]], 0, Cancel),
    p(&[&["changed", "change"], &["my", "of"], &["mind"]], 0, Cancel),
    p(&[&["never"], &["mind"]], 0, Cancel),
    p(&[LAST, ENTRY], 1, UndoMark),
    p(&[&["that", "this", "it"], &["was", "is"], &["wrong", "incorrect", "mistake", "a"]], 1, UndoMark),
    p(&[&["wrong"], &["entry", "one", "number", "amount", "item", "count"]], 0, UndoMark),
    p(&[&["my"], &["bad", "mistake"]], 0, UndoMark),
    p(&[&["scrap", "reverse", "revert", "delete", "remove", "erase"], &["that", "this", "it", "last"]], 0, Undo),
    p(&[&["take"], &["that", "it"], &["back"]], 0, Undo),
    p(&[&["undo", "annule", "annuler", "annulez", "cancel"], LAST], 1, Undo),
    p(&[&["viens", "vient", "venons", "venez", "viennent"], &["de", "d'"], INPUT], 0, UndoMark),
    p(&[&["que", "qu'"], &["j'", "je", "on", "nous"], &["ai", "a", "avons"], INPUT_DONE], 0, UndoMark),
    // stock in
    p(&[&["took", "take", "taken", "taking", "takes"], &["delivery"]], 0, Arrive),
    p(&[&["new", "fresh"], &["stock", "arrivals", "delivery", "batch", "shipment"]], 0, Arrive),
    p(&[&["into", "onto", "to"], &["stock", "inventory", "the"], &["system", "stock"]], 0, Added),
    p(&[&["into", "onto"], &["stock", "inventory"]], 0, Added),
    p(&[&["goods", "stock"], &["in", "received", "arrived"]], 0, Arrive),
    // a buyer (before "came in", "got" and "have")
    p(&[CAN, I_WE, GET], 2, Ask),
    p(&[&["kan", "mag"], &["ek", "ons"]], 0, Ask),
    p(&[I_WE, CAN, GET], 1, Ask),
    p(&[&["est-ce"], &["que", "qu'"], &["je"], &["peux", "pourrais"]], 0, Ask),
    p(&[&["je", "j'"], &["peux", "pourrais", "pourrai"], &["avoir", "prendre", "acheter", "commander"]], 0, Ask),
    p(&[&["i'll", "we'll", "i'd", "we'd"], &["take", "have", "grab", "get", "buy", "want"]], 0, Ask),
    p(&[&["let", "lemme"], &["me", "us"], &["get", "have", "take", "grab", "buy", "order"]], 0, Ask),
    p(&[&["i", "we"], &["will", "would", "shall"], &["take", "have", "grab", "get"]], 0, Ask),
    p(&[&["i'd", "we'd", "would", "i", "we"], &["like", "love"]], 0, Want),
    p(&[&["give", "get", "gimme", "bring", "send", "sell"], &["me", "us"]], 0, Want),
    p(&[&["can", "could", "would", "will", "please"], YOU_U, SEND], 2, Send),
    p(&[&["pouvez-vous", "pourriez-vous", "peux-tu", "pourrais-tu"], &["me", "m'", "nous"]], 0, Send),
    p(&[&["kan", "sal"], &["julle", "jy", "u"]], 0, Send),
    p(&[&["set", "put", "keep", "leave", "hold", "putting", "keeping", "sit", "hou", "beka"], &["aside", "apart", "eenkant", "eceleni"]], 6, Reserve),
    p(&[&["put", "mark", "pencil"], &["me", "us"], &["down"]], 0, Reserve),
    p(&[&["save", "keep", "hold", "reserve", "book"], &["me", "us"]], 0, Reserve),
    p(&[&["on"], &["hold"]], 0, Reserve),
    p(&[&["come", "coming", "i'll", "will"], &["fetch", "collect", "pick", "get", "grab"]], 1, Ask),
    p(&[&["keep", "hold", "save", "reserve", "hou", "sit"], &["for", "vir", "4"], &["me", "us", "my", "ons"]], 6, Reserve),
    p(&[&["de"], &["cote"]], 0, Reserve),
    p(&[&["il"], &["me", "nous"], &["faut"]], 0, Want),
    p(&[&["for"], &["me", "us", "myself"]], 0, Want),
    p(&[&["looking", "searching", "shopping", "hunting", "after"], &["for"]], 0, Want),
    p(&[&["i'm", "we're"], &["after"]], 0, Want),
    p(&[&["j'ai", "j'", "ai"], &["besoin"]], 1, Want),
    p(&[&["place", "placing", "make"], &["an", "a"], &["order"]], 0, OrderWord),
    // the whole stock (before the stock questions, which share words)
    p(&[&["what", "wat", "what's", "whats"], &["do", "have", "het", "is", "are"], &["we", "you", "ons", "julle", "u"], &["have", "got", "in", "left", "sell", "stock"]], 2, Stock),
    p(&[&["wat", "what"], &["het"], &["ons", "julle", "jy"]], 0, Stock),
    p(&[&["what", "what's", "whats"], &["we", "you"], &["got", "have"]], 0, Stock),
    p(&[&["qu'est-ce", "que"], &["qu'", "que"], &["on", "vous"], &["a", "avez"]], 0, Stock),
    p(&[&["what's", "whats", "what"], &["in"], &["stock", "store"]], 1, Stock),
    p(&[&["show"], &["me", "us"]], 0, Stock),
    p(&[&["in", "en"], &["stock", "stoor", "store", "voorraad"]], 0, Stocked),
    // questions about stock (before "got", "have", "still")
    p(&[&["stock", "inventory", "inventaire"], &["count", "take", "check", "count:"]], 0, Count),
    p(&[&["how"], &["many", "much"]], 0, HowMany),
    p(&[&["how're", "how's", "hows", "how"], &["we", "things", "you"], &["doing", "looking", "on", "for"]], 1, HowMany),
    p(&[&["how's", "hows"], &["our", "the", "stock", "we"]], 0, HowMany),
    p(&[&["anything", "any"], &["on", "for", "in"]], 0, Stocked),
    p(&[&["how"], &["are", "is"], &["we", "things", "stock", "you"], &["on", "for", "doing", "looking", "with"]], 1, HowMany),
    p(&[&["stock", "inventory"], &["level", "levels", "status"]], 0, HowMany),
    p(&[&["what's", "what", "whats"], &["the", "our"], &["count", "level", "total", "number", "stock"]], 0, HowMany),
    p(&[&["count", "level", "levels", "quantity", "status", "availability", "numbers", "figures", "update"], &["on", "of", "for"]], 0, HowMany),
    p(&[&["do", "does", "did"], &["you", "we", "ya", "u", "y'all"], HAVE], 2, Stocked),
    p(&[&["have", "has", "got"], &["you", "we", "u"], &["got", "any"]], 0, Stocked),
    p(&[&["have", "has", "got", "still"], &["any", "got", "have", "stock"]], 0, Stocked),
    p(&[&["you", "u"], &["still"], &["have", "got"]], 0, Stocked),
    p(&[&["you", "u"], &["have", "got"]], 0, Stocked),
    p(&[&["is", "are"], &["there", "daar"]], 0, Stocked),
    p(&[&["y"], &["a-t-il", "a"], &["encore", "des", "du", "de"]], 0, Stocked),
    p(&[&["vous", "tu"], &["avez", "as", "reste", "vendez", "auriez"]], 0, Stocked),
    p(&[&["avez-vous", "as-tu", "reste-t-il", "auriez-vous", "a-t-on"]], 0, Stocked),
    p(&[&["est-ce"], &["que", "qu'"], &["vous", "on", "tu", "il"], &["a", "avez", "as", "reste"]], 0, Stocked),
    p(&[&["het"], &["julle", "jy", "ons"]], 0, Stocked),
    // running low
    p(&[&["running", "getting", "going", "run", "runs", "get", "raak", "word"], &["low", "short", "min", "minder", "laag"]], 0, Low),
    p(&[&["running"], &["out"]], 0, Low),
    p(&[&["low"], &["on"]], 0, Low),
    p(&[&["need", "needs", "needing"], &["restocking", "reordering", "restock", "reorder", "ordering", "topping", "replenishing"]], 2, Low),
    p(&[&["almost", "nearly", "presque", "bientot", "amper", "byna"], &["out", "gone", "finished", "epuise", "epuises", "epuisee", "klaar", "op", "empty", "done", "fini", "finis", "finie", "finies", "vide", "vides", "plus"]], 0, Low),
    p(&[&["bientot", "presque", "quasi"], &["en"], &["rupture"]], 0, Low),
    // stock out (before the zero counts, which share "out")
    p(&[&["went", "gone", "go", "goes", "going", "sent", "flew", "flying", "walked", "walking", "flown"], &["out", "off"]], 0, Sale),
    p(&[&["out"], &["the"], &["door"]], 0, Sale),
    p(&[&["ring", "rang", "rung", "ringing"], &["up"]], 0, Sale),
    p(&[&["booked", "signed", "checked", "book", "sign"], &["out"]], 0, Took),
    p(&[&["used", "use"], &["up"]], 0, Used),
    p(&[&["write", "wrote", "written", "writing", "writes", "wrte"], &["off", "of"]], 0, Loss),
    p(&[&["write", "wrote", "writing", "writes", "wrte"], &["them", "it", "those", "these", "em", "'em", "all", "both"], &["off"]], 0, Loss),
    p(&[&["gave", "give", "given", "giving", "threw", "throw", "thrown", "chucked", "chuck", "tossed", "toss"], &["away", "out"]], 3, Loss),
    p(&[&["take", "took", "taken", "taking", "knock", "knocked"], &["off", "out"]], 4, Took),
    // zero counts
    p(&[&["sold", "sell", "selling", "sells", "uitverkoop"], &["out"]], 0, Zero),
    p(&[&["out"], &["of"]], 0, Zero),
    p(&[&["ran", "run"], &["out", "dry"]], 0, Zero),
    p(&[&["no", "geen", "niks"], &["more", "meer", "left", "stock"]], 2, Zero),
    p(&[&["is", "ons", "sy", "hulle"], &["uit"]], 1, Zero),
    p(&[&["none", "nothing", "niks"], &["left", "oor"]], 0, Zero),
    p(&[&["all"], &["gone", "out", "sold", "finished"]], 0, Zero),
    p(&[&["plus"], &["de", "d'", "du"]], 0, Zero),
    p(&[&["n'y", "n'"], &["a", "avons", "ai"], &["plus"]], 1, Zero),
    p(&[&["is", "al"], &["op", "klaar"]], 0, Zero),
    p(&[&["we're", "were", "they're"], &["out"]], 0, Zero),
    p(&[&["we", "they"], &["are"], &["out"]], 0, Zero),
    // stock in, continued
    p(&[&["came", "come", "comes", "coming", "got", "getting", "just", "rolled", "checked", "booked", "brought", "walked", "arrived", "took", "taken", "signed", "logged"], &["in"]], 0, Arrive),
    p(&[&["turned", "rocked", "showed", "pitched"], &["up"]], 0, Arrive),
    p(&[&["signed", "sign"], &["for"]], 0, Arrive),
    p(&[&["scanned", "scan", "keyed", "entered"], &["in"]], 0, Arrive),
    p(&[&["topped", "top", "stocked", "filled"], &["up"]], 4, Arrive),
    p(&[&["handed", "hand", "given", "gave"], &["out", "over"]], 0, Loss),
    p(&[&["picked", "picks", "collected"], &["up"]], 0, Took),
    p(&[&["stocked", "stock", "topped", "top", "restocked", "filled", "fill", "loaded"], &["up"]], 0, Arrive),
    p(&[&["dropped", "drop", "drops", "dropping"], &["off"]], 0, Arrive),
    p(&[&["brought", "bring", "bringing", "brings", "came", "come", "comes", "coming", "gave", "given", "sent", "send"], &["back"]], 0, Return),
    p(&[&["add", "added", "put", "adding", "putting"], &["back"]], 3, Return),
    // counts
    p(&[&["after", "post", "per"], &["count", "recount", "stocktake", "counting", "recounting"]], 2, Count),
    p(&[&["stock"], &["count", "take"]], 0, Count),
    p(&[&["sitting", "sit", "standing", "stand"], &["at", "on"]], 0, Level),
    p(&[&["i", "we", "ek", "ons"], &["see", "count", "spot", "sien", "tel", "counted"]], 2, Count),
    p(&[&["down"], &["to"]], 0, Level),
    p(&[&["on", "in"], &["hand"]], 0, Level),
    p(&[&["should", "must"], &["be", "have", "read", "say"]], 0, Correction),
    p(&[&["en"], &["fait"]], 0, Correction),
    p(&[&["il"], &["reste", "restent"]], 0, Level),
    p(&[&["il"], &["y"], &["a"]], 0, HaveQty),
    p(&[&["on", "nous"], &["a", "avons"]], 0, HaveQty),
    p(&[&["we", "i", "ons", "ek", "they"], &["have", "has", "het", "still"]], 1, HaveQty),
    p(&[&["we've", "i've", "weve", "ive", "we'v", "have", "has"], &["got", "gotten"]], 0, HaveQty),
    p(&[&["we've", "i've", "weve", "ive", "we'v"]], 0, HaveQty),
    p(&[&["there"], &["are", "is", "were", "'re"]], 0, HaveQty),
    p(&[&["there's", "theres", "there're"]], 0, HaveQty),
    p(&[&["we're", "were", "we"], &["at", "on"]], 0, Level),
];
