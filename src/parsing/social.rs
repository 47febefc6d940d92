//! Messages that are about the conversation rather than the stock: opting
//! out of or back into messages the shop starts, a greeting, and "where's my
//! order?". Matched on the whole message (after tidying), so "stop" in "sold
//! 3 stop signs" or "hi, do you have hammers?" is left to the parser.

use std::sync::LazyLock;

use regex::Regex;

/// What such a message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Social {
    /// "STOP", "unsubscribe", "stop promotions" (EN/FR/AF), or a template's
    /// button saying so.
    OptOut,
    /// "START", "subscribe".
    OptIn,
    /// "Hi", "bonjour", or the greeting a click-to-WhatsApp ad fills in.
    Greeting,
    /// "Where's my order?"
    OrderStatus,
}

const OPT_OUT: &[&str] = &[
    "stop",
    "unsubscribe",
    "unsubscribe me",
    "stop promotions",
    "stop promotion",
    "stop promos",
    "stop messages",
    "stop messaging me",
    "stop sending messages",
    "stop all",
    "opt out",
    "optout",
    "opt-out",
    "no more messages",
    // French
    "arrêt",
    "arrêter",
    "arreter",
    "désabonner",
    "desabonner",
    "me désabonner",
    "se désabonner",
    "désabonnement",
    "désinscrire",
    "me désinscrire",
    "stop pub",
    "stop publicité",
    "stop promotions svp",
    // Afrikaans
    "uitteken",
    "teken uit",
    "teken my uit",
    "staak",
    "stop boodskappe",
    "stop promosies",
];

const OPT_IN: &[&str] = &[
    "start",
    "subscribe",
    "resubscribe",
    "opt in",
    "optin",
    "opt-in",
    "unstop",
    "start messages",
    "s'abonner",
    "m'abonner",
    "me réabonner",
    "reprendre",
    "inteken",
    "teken in",
    "teken my in",
    "begin weer",
];

const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "howzit",
    "good morning",
    "good afternoon",
    "good evening",
    "good day",
    "greetings",
    "morning",
    "bonjour",
    "salut",
    "bonsoir",
    "coucou",
    "hallo",
    "goeie môre",
    "goeie more",
    "goeiemiddag",
    "goeienaand",
    "môre",
    "sawubona",
    "molo",
    "dumela",
    "hola",
    // What WhatsApp pre-fills for a click-to-WhatsApp ad, and its cousins.
    "can i get more info on this",
    "can i get more information on this",
    "i want to know more",
    "tell me more",
    "more info",
    "more information",
    "i'm interested",
    "i am interested",
    "info",
    "interested",
];

/// Words that may follow a greeting without making it a question.
const FILLERS: &[&str] = &[
    "there", "all", "team", "everyone", "guys", "friend", "sir", "madam",
];

/// Sentences asking to stop or restart messages, beyond the fixed words.
static OPT_OUT_SAID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:please )?(?:stop|don't|do not|no more) (?:send(?:ing)? (?:me )?)?(?:any )?(?:more )?(?:messages|msgs|promos|promotions|marketing|adverts|ads)(?: to me)?(?: please)?$|^(?:je veux |je voudrais )?(?:me )?désabonner$|^(?:svp )?arrêtez de m'envoyer des (?:messages|promotions|pubs)(?: svp)?$|^(?:hou op|stop) asseblief\b.*$|^ek wil nie meer (?:boodskappe|promosies) (?:kry|ontvang) nie$",
    )
    .expect("the pattern compiles")
});

static OPT_IN_SAID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:please )?(?:resubscribe|subscribe) me(?: again)?(?: please)?$|^(?:i want to |i'd like to |please )?(?:receive|get) (?:your )?(?:messages|promos|promotions|updates) again(?: please)?$|^je (?:veux|voudrais) recevoir (?:vos|les) (?:messages|promotions) (?:à nouveau|de nouveau)$|^begin (?:asseblief )?weer (?:vir my )?(?:boodskappe )?stuur$",
    )
    .expect("the pattern compiles")
});

static ORDER_STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:hi |hello |hey )?(?:where(?: is|'s|s)? my order|(?:what(?:'s| is) the )?status of my order|my order status|order status|is my order ready|has my order (?:been )?(?:shipped|sent|confirmed)|any (?:update|news) on my order|is my order ready(?: for collection| to collect)?|(?:quel est )?le statut de ma commande|wat is die status van my bestelling|when (?:will|can) i (?:get|collect) my order|track my order|any news on my order|où (?:est|en est) ma commande|ma commande est(?:-elle)? prête|waar is my bestelling|is my bestelling gereed)(?: yet| please)?$",
    )
    .expect("the pattern compiles")
});

/// Lower case, curly quotes straightened, punctuation at the ends and
/// repeated spaces gone.
fn tidy(text: &str) -> String {
    let lower = text.trim().to_lowercase().replace(['’', '‘'], "'");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-'))
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

/// What the message is, if it is one of these.
pub fn classify(text: &str) -> Option<Social> {
    if text.chars().count() > 80 {
        return None;
    }
    let t = tidy(text);
    let t = t
        .strip_prefix("please ")
        .or_else(|| t.strip_suffix(" please"))
        .unwrap_or(&t);
    if OPT_OUT.contains(&t) || OPT_OUT_SAID.is_match(t) {
        return Some(Social::OptOut);
    }
    if OPT_IN.contains(&t) || OPT_IN_SAID.is_match(t) {
        return Some(Social::OptIn);
    }
    if ORDER_STATUS.is_match(t) {
        return Some(Social::OrderStatus);
    }
    let is_greeting = |t: &str| {
        GREETINGS.iter().any(|g| {
            t.strip_prefix(g).is_some_and(|rest| {
                rest.is_empty()
                    || rest.starts_with(' ')
                        && rest.split(' ').skip(1).all(|w| FILLERS.contains(&w))
            })
        })
    };
    // "Hi! Can I get more info on this?": a greeting before a greeting.
    let greeting = is_greeting(t)
        || GREETINGS
            .iter()
            .filter_map(|g| t.strip_prefix(g)?.strip_prefix(' '))
            .any(is_greeting);
    greeting.then_some(Social::Greeting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opting_out_and_in_in_three_languages() {
        for t in [
            "STOP",
            "Stop.",
            "unsubscribe",
            "Stop promotions",
            "please stop",
            "Désabonner",
            "teken uit",
            "Opt-out",
        ] {
            assert_eq!(classify(t), Some(Social::OptOut), "{t}");
        }
        for t in [
            "Stop sending me promotions",
            "no more messages please",
            "Je voudrais me désabonner",
            "Hou op asseblief, dankie",
        ] {
            assert_eq!(classify(t), Some(Social::OptOut), "{t}");
        }
        for t in ["Any news on my order?", "le statut de ma commande"] {
            assert_eq!(classify(t), Some(Social::OrderStatus), "{t}");
        }
        assert_eq!(
            classify("Hello, can I get more info on this"),
            Some(Social::Greeting)
        );
        for t in [
            "START",
            "Subscribe",
            "s’abonner",
            "teken in",
            "subscribe me again",
            "I'd like to get your updates again",
        ] {
            assert_eq!(classify(t), Some(Social::OptIn), "{t}");
        }
    }

    #[test]
    fn greetings_and_order_questions() {
        for t in [
            "Hi",
            "hello there!",
            "Good morning",
            "Bonjour",
            "Can I get more info on this?",
            "howzit",
        ] {
            assert_eq!(classify(t), Some(Social::Greeting), "{t}");
        }
        for t in [
            "Where's my order?",
            "where is my order",
            "Is my order ready yet?",
            "Order status",
            "Où en est ma commande ?",
        ] {
            assert_eq!(classify(t), Some(Social::OrderStatus), "{t}");
        }
    }

    #[test]
    fn stock_messages_are_left_to_the_parser() {
        for t in [
            "sold 3 stop signs",
            "stop sending the drills, we have enough",
            "no more screws left",
            "hi, hello 3 screws",
            "stop valve x2",
            "hi, do you have hammers?",
            "hello 5 screws",
            "start with 10 bolts",
            "I'd like to order 2 hammers",
            "info on hammers",
            "cancel my order",
        ] {
            assert_eq!(classify(t), None, "{t}");
        }
    }
}
