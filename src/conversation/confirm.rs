//! Asking instead of guessing: a stock change the parser is not sure of, a
//! customer's uncertain request, and a new item close to a known one are
//! put to the person with reply buttons; nothing changes until they tap, and
//! a tap applies once (the question is used up, and expires).

use super::{
    Conversation, replies,
    turn::{Question, Say, Turn},
};
use crate::{
    parsing::{ASK_BELOW, Intent, Parse, Parsed},
    storage::{WriteTx, pending},
};

/// How long a question can be answered.
pub(super) const QUESTION_TTL_MS: i64 = 30 * 60 * 1000;

impl Conversation {
    /// Stores the choices and says the question with a button for each.
    pub(super) async fn ask(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        text: String,
        choices: Vec<(String, Parse)>,
        no: String,
    ) -> Result<Say, sqlx::Error> {
        self.question(tx, t, text, choices, Some(no)).await
    }

    /// Like `ask`, with no "no" button: the choices are all there is (order
    /// 1, 2 or 3), and ignoring them is the way to decline.
    pub(super) async fn offer(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        text: String,
        choices: Vec<(String, Parse)>,
    ) -> Result<Say, sqlx::Error> {
        self.question(tx, t, text, choices, None).await
    }

    async fn question(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        text: String,
        choices: Vec<(String, Parse)>,
        no: Option<String>,
    ) -> Result<Say, sqlx::Error> {
        let (titles, parses): (Vec<String>, Vec<Parse>) = choices.into_iter().unzip();
        let action = serde_json::to_value(Question::new(parses)).expect("parses serialise");
        let id = pending::create(tx, t.wa_id, &action, t.now, t.now + QUESTION_TTL_MS).await?;
        Ok(Say::Ask {
            text,
            action: id,
            choices: titles,
            no,
        })
    }

    /// Staff wrote a quantity and an item but the intent is uncertain: the
    /// likely readings ("➕ Add 30 plugs", "➖ Remove 30 plugs"), and "Neither".
    pub(super) async fn confirm_change(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        parsed: &Parsed,
    ) -> Result<Say, sqlx::Error> {
        let best = &parsed.parse;
        // The runner-up reading if it changes stock too, else the opposite
        // change of the same items ("added" and "removed" are the usual mix-up).
        let second = match &parsed.alternative {
            Some(alt) if alt != best && alt.intent.changes_stock() && !alt.items.is_empty() => {
                Some(alt.clone())
            }
            _ => match best.intent {
                Intent::Add => Some(reading(best, Intent::Remove)),
                Intent::Remove => Some(reading(best, Intent::Add)),
                _ => None,
            },
        };
        let items = &best.items;
        let by_item = second.as_ref().is_some_and(|s| s.intent == best.intent);
        let choices = [Some(best.clone()), second]
            .into_iter()
            .flatten()
            .map(|parse| {
                let title = if by_item {
                    replies::item_button(parse.intent, &parse.items)
                } else {
                    replies::change_button(t.lang, parse.intent, &parse.items)
                };
                (title, parse)
            })
            .collect();
        let text = replies::which_change(t.lang, items);
        self.ask(tx, t, text, choices, replies::neither(t.lang))
            .await
    }

    /// A customer's request the parser is not sure of: "Would you like to
    /// order 4 paint rollers?" Yes / No.
    pub(super) async fn confirm_order(
        &self,
        tx: &mut WriteTx,
        t: &Turn<'_>,
        parse: &Parse,
    ) -> Result<Say, sqlx::Error> {
        let order = reading(parse, Intent::Order);
        let (yes, no) = replies::yes_no(t.lang);
        let text = replies::order_question(t.lang, &order.items);
        self.ask(tx, t, text, vec![(yes, order)], no).await
    }
}

/// Whether a customer's message may be a request to buy that the parser did
/// not read with confidence (a purchase read as a removal, or an unsure order).
pub(super) fn unsure_request(parsed: &Parsed) -> bool {
    let p = &parsed.parse;
    !p.items.is_empty()
        && matches!(p.intent, Intent::Order | Intent::Remove)
        && parsed.confidence < ASK_BELOW
}

/// The same items read with another intent (an order of no count is one).
fn reading(parse: &Parse, intent: Intent) -> Parse {
    let items = parse
        .items
        .iter()
        .cloned()
        .map(|mut i| {
            if intent == Intent::Order {
                i.quantity = Some(i.quantity.unwrap_or(1));
            }
            i
        })
        .collect();
    Parse { intent, items }
}
