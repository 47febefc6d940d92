//! Evidence words in French and Afrikaans (folded); Zulu is in `cues_zu`.

use super::cues::Cue::{self, *};

/// French evidence, with imperatives carrying a pronoun ("réservez-moi",
/// "gardez-les", "envoyez-nous"): the verb speaks, and "-moi"/"-nous" asks
/// for the writer, so it is a request.
pub fn clitic(w: &str) -> Option<Cue> {
    let (stem, clitic) = w.rsplit_once('-')?;
    let cue = super::cues::word_cue(stem)
        .or_else(|| (stem.ends_with("ez") || stem.ends_with("er")).then_some(Cue::Want))?;
    Some(match cue {
        Cue::Help | Cue::Cancel => cue,
        _ if matches!(clitic, "moi" | "nous" | "m'") => Cue::Want,
        other => other,
    })
}

#[rustfmt::skip]
pub(super) const FRENCH: &[(Cue, &[&str])] = &[
    (Arrive, &[
        "arrivage", "arrivages", "reception",
        "recu", "recus", "recue", "recues", "recevoir", "recoit", "recevons", "receptionne",
        "receptionnes", "arrivee", "arrivees", "arrives", "livre", "livres", "livree", "livrees",
        "livraison", "livraisons", "rentre", "rentres", "rentree", "rentrees", "reappro",
        "reapprovisionne", "decharge",
    ]),
    (Added, &[
        "ajoute", "ajoutes", "ajoutee", "ajoutees", "ajouter", "ajoutez", "rajoute", "rajoutes",
    ]),
    (Return, &[
        "rapporte", "rapportes", "rapportee", "retourne", "retournes", "rendu", "rendus", "ramene",
        "ramenes", "retrouve", "retrouves",
    ]),
    (Sale, &[
        "vendu", "vendus", "vendue", "vendues", "vend", "vendre", "vendons", "vendez", "sorti",
        "sortis", "sortie", "sorties", "ecoule", "ecoules",
    ]),
    (Used, &[
        "utilise", "utilises", "utilisee", "utilisees", "utiliser", "servi", "consomme",
        "consommes",
    ]),
    (Loss, &[
        "casse", "casses", "cassee", "cassees", "brise", "brises", "vole", "voles", "volee",
        "volees", "perdu", "perdus", "perdue", "perdues", "abime", "abimes", "abimee", "endommage",
        "endommages", "jete", "jetes", "perime", "perimes", "perimee", "perimees", "donne",
        "donnes", "offert", "offerts", "fichu", "foutu", "manquant", "manquants",
    ]),
    (Took, &[
        "retire", "retires", "enleve", "enleves", "pris",
    ]),
    (Count, &[
        "compte", "comptes", "recompte", "recomptes", "inventorie",
    ]),
    (SetTo, &[
        "mets", "mettez", "mettre", "corrige", "corriger", "modifie", "modifier", "changer",
        "ajuste", "ajuster",
    ]),
    (Level, &[
        "reste", "restent", "restant", "restants", "restante", "restantes",
    ]),
    (Now, &[
        "maintenant", "actuellement",
    ]),
    (Only, &[
        "seulement", "uniquement",
    ]),
    (Zero, &[
        "epuise", "epuises", "epuisee", "epuisees",
    ]),
    (HowMany, &[
        "combien",
    ]),
    (Stocked, &[
        "disponible", "disponibles", "dispo", "dispos",
    ]),
    (Stock, &[
        "inventaire", "liste", "bilan", "etat",
    ]),
    (Low, &[
        "manque", "bas", "manquer", "manquent", "manquera", "manqueront", "manquait",
        "manquaient",
    ]),
    (Want, &[
        "cherche", "cherchons", "recherche",
        "voudrais", "voudrait", "voudrions", "veux", "voulons", "aimerais", "aimerions", "besoin",
        "faut", "souhaite", "souhaiterais", "mettez-moi", "donnez-moi",
    ]),
    (Ask, &[
        "prends", "prendrai", "prendrais", "prenons",
        "puis-je", "pourrais", "pourrions",
    ]),
    (Reserve, &[
        "reserver", "reservez", "reserve", "garder", "gardez", "gardez-moi", "garde-moi",
    ]),
    (Send, &[
        "envoyer", "envoyez", "envoie", "envoyez-moi", "livrer", "livrez", "apporter", "apportez",
        "pouvez-vous", "pourriez-vous",
    ]),
    (OrderWord, &[
        "commande", "commandes", "commander", "commandez",
    ]),
    (Cancel, &[
        "annule", "annuler", "annulez", "annulation", "efface", "effacer", "effacez",
        "supprime", "supprimer", "supprimez",
    ]),
    (Help, &[
        "aide", "aidez", "aider", "aidez-moi",
    ]),
];

/// Afrikaans past participles, which close an "het" sentence ("ek het 2
/// spirit levels vir die werk gebruik"): the ge- forms, also after a
/// separable prefix ("bygesit", "afgelaai", "weggegooi"), and the verbs
/// whose prefix takes no ge- ("verkoop", "ontvang", "beskadig").
pub fn af_participle(w: &str) -> bool {
    if w.len() < 5 || !(w.contains("ge") || w.starts_with(['v', 'b', 'o', 'h'])) {
        return false;
    }
    const SEPARABLE: &[&str] = &[
        "", "by", "af", "weg", "in", "aan", "op", "uit", "terug", "oor", "toe", "na", "mee",
        "rond", "vas", "saam",
    ];
    let ge = SEPARABLE.iter().any(|p| {
        w.strip_prefix(p)
            .is_some_and(|r| r.len() >= 4 && r.starts_with("ge"))
    });
    let unprefixed = ["ver", "be", "ont", "her"].iter().any(|p| w.starts_with(p));
    (ge || unprefixed) && (af_verb(w) || matches!(w, "gestuur" | "gestel" | "gedoen"))
}

/// Whether `w` is one of the Afrikaans verbs in the table below.
fn af_verb(w: &str) -> bool {
    AFRIKAANS.iter().any(|(_, words)| words.contains(&w))
}

#[rustfmt::skip]
pub(super) const AFRIKAANS: &[(Cue, &[&str])] = &[
    (Arrive, &[
        "gekry", "ontvang", "ingekom", "aangekom", "ingekry", "afgelaai", "gebring", "gelewer",
        "afgelewer", "aflewering", "aflewerings", "ingebring",
    ]),
    (Added, &[
        "bygesit", "bygevoeg", "ingesit",
    ]),
    (Return, &[
        "teruggebring", "teruggegee", "teruggestuur", "teruggekom", "gekry?",
    ]),
    (Sale, &[
        "verkoop", "verkope",
    ]),
    (Took, &[
        "geneem", "gevat", "uitgeneem", "uitgehaal",
    ]),
    (Used, &[
        "gebruik", "opgebruik",
    ]),
    (Loss, &[
        "gebreek", "stukkend", "gesteel", "weg", "verloor", "verlore", "afgeskryf", "gebars",
        "beskadig", "vrot", "uitgegooi", "weggegooi", "weggegee", "gegee", "gebuig", "geskeur",
    ]),
    (Count, &[
        "getel", "tel", "oorgetel",
    ]),
    (SetTo, &[
        "stel", "verander", "opdateer",
    ]),
    (Level, &[
        "oor", "oorbly", "oorgebly",
    ]),
    (Now, &[
        "nou",
    ]),
    (Only, &[
        "net", "slegs",
    ]),
    (Zero, &[
        "klaar", "uitverkoop", "uitverkocht",
    ]),
    (HowMany, &[
        "hoeveel",
    ]),
    (Stocked, &[
        "beskikbaar",
    ]),
    (Stock, &[
        "voorraad", "lys",
    ]),
    (Low, &[
        "min", "laag",
    ]),
    (Want, &[
        "soek", "wil", "nodig", "benodig",
    ]),
    (Reserve, &[
        "eenkant", "bespreek", "hou",
    ]),
    (Send, &[
        "stuur", "aflewer", "lewer",
    ]),
    (OrderWord, &[
        "bestel", "bestelling", "bestellings",
    ]),
    (Cancel, &[
        "kanselleer",
    ]),
    (Undo, &[
        "ongedaan", "terugdraai",
    ]),
    (Help, &[
        "hulp",
    ]),
];
