//! Messages about the conversation rather than the stock (`parsing::social`):
//! opting out of messages the shop starts and back in, the welcome for a
//! greeting or a click-to-WhatsApp ad, and "where's my order?".

use super::{
    Conversation, replies,
    turn::{Say, Turn, Work},
};
use crate::{
    domain::event::{ContactConsent, Event},
    parsing::{Intent, Parse, social::Social},
    storage::{contacts, events::NewEvent, orders},
};

impl Conversation {
    pub(super) async fn social(
        &self,
        w: &mut Work<'_>,
        t: &Turn<'_>,
        social: Social,
    ) -> Result<Vec<Say>, sqlx::Error> {
        let shop = self.prefs.get().name;
        match social {
            Social::OptOut | Social::OptIn => {
                let out = social == Social::OptOut;
                let at = out.then_some(t.now);
                // The change and its event share the reply's transaction; a
                // repeated STOP changes nothing and records nothing.
                if contacts::set_opted_out(w.tx, t.wa_id, at, t.now).await? {
                    w.fx.events
                        .push(NewEvent::new(Event::Consent(ContactConsent {
                            contact: t.wa_id.to_string(),
                            opted_out: out,
                            changed_by: "contact".into(),
                            keyword: t.p.record.body.clone(),
                            at: t.now,
                        })));
                }
                let text = match out {
                    true => replies::opted_out(t.lang, &shop),
                    false => replies::opted_in(t.lang, &shop),
                };
                Ok(vec![Say::Text(text)])
            }
            Social::OrderStatus => {
                let Some(order) = orders::latest_in(w.tx, t.wa_id).await? else {
                    return Ok(vec![Say::Text(replies::no_orders(t.lang))]);
                };
                let lines: Vec<(String, i64)> = orders::lines_in(w.tx, order.id)
                    .await?
                    .into_iter()
                    .map(|l| (l.name, l.quantity))
                    .collect();
                let text = replies::order_status(t.lang, &order.number, order.status, &lines);
                Ok(vec![Say::Text(text)])
            }
            Social::Greeting => {
                // One message: separate ones may overtake each other.
                let welcome = replies::welcome(t.lang, &shop);
                let mut says = self.act(w, t, &Parse::bare(Intent::List)).await?;
                match says.first_mut() {
                    Some(Say::Text(list)) => *list = format!("{welcome}\n\n{list}"),
                    Some(Say::Ask { text, .. } | Say::List { text, .. }) => {
                        *text = format!("{welcome}\n\n{text}")
                    }
                    None => says.push(Say::Text(welcome)),
                }
                Ok(says)
            }
        }
    }
}
