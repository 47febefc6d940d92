//! The evidence reshaped by the message as a whole: its sentence form, its
//! items, signs and colons, and the sender's role as a mild prior. Then the
//! confidence of the winner.

use super::evidence::{Scores, Summary, Tally};
use super::form::Form;
use super::phrases::Hit;
use crate::parsing::{Intent, Sender};

/// Final scores from the tally.
pub fn finish(t: Tally, hits: &[Hit], form: &Form, sum: &Summary, sender: Sender) -> Scores {
    use Intent::*;
    let Tally {
        mut sc,
        mut set_qty,
        set_zero,
        aspect,
        move_cue,
        change_cue,
        stock_count,
    } = t;
    let question = form.any_question;
    // With a verb, "we have", "now" and "just" are aspect, not a count:
    // "ons het 25 bolts gekry", "on a vendu", "we've just had 15 delivered".
    if move_cue {
        set_qty -= aspect;
    } else if stock_count {
        set_qty += 2.0;
    }
    if !question {
        if sum.plus_sign {
            sc.add(Add, 2.5);
        }
        if sum.minus_sign {
            sc.add(Remove, 2.5);
        }
        if sum.colon_count && !change_cue {
            set_qty += 1.5;
        }
        if sum.equals_count {
            set_qty += 3.0;
        }
        if sum.not_number && !change_cue {
            set_qty += 2.0;
        }
    }
    sc.add(
        Set,
        if sum.explicit_qty {
            set_qty.max(0.0)
        } else {
            set_zero
        },
    );
    // A zero count only when no number was written ("3 out of 5 left" is not zero).
    if sc.get(Set) == 0.0 || sum.explicit_qty {
        sc.zero = false;
    }
    if sum.please && sum.explicit_qty && !change_cue {
        sc.add(Order, 1.5);
    }
    // A question naming items asks about them — when it carries evidence or is
    // a bare fragment; "who plays tonight, Chiefs or Pirates?" is neither.
    if question && sum.items > 0 && (!hits.is_empty() || sum.terse) {
        sc.add(Query, if hits.is_empty() { 2.5 } else { 1.5 });
    }
    if sum.greeting_only {
        sc.add(Help, 2.5);
    }
    if sc.get(Cancel) > 0.0 && sc.get(Undo) > 0.0 {
        sc.add(Undo, 3.0);
        sc.add(Cancel, -3.0);
    }
    // Named stock makes "help" and the whole-stock list unlikely.
    if sum.substantive {
        sc.scale(Help, 0.3);
        sc.scale(List, 0.3);
    }
    if sum.items == 0 {
        let q = sc.get(Query);
        sc.add(List, q * 0.8);
        for i in [Add, Remove, Set, Query, Order] {
            sc.scale(i, 0.0);
        }
    }
    if !sum.any_qty {
        sc.scale(Add, 0.0);
        sc.scale(Remove, 0.0);
    }
    if sum.explicit_qty {
        for i in [Add, Remove, Set, Order] {
            if sc.get(i) > 0.0 {
                sc.add(i, 0.5);
            }
        }
    }
    let (stock, order) = match sender {
        Sender::Unknown => (1.0, 1.0),
        Sender::Staff => (1.1, 0.85),
        Sender::Customer => (0.6, 1.15),
    };
    for i in [Add, Remove, Set] {
        sc.scale(i, stock);
    }
    sc.scale(Order, order);
    for s in &mut sc.s {
        *s = s.max(0.0);
    }
    sc
}

/// How sure the winning intent is: its strength, and its lead over the rest.
pub fn confidence(best: f32, second: f32) -> f32 {
    if best <= 0.0 {
        return 0.0;
    }
    let strength = 1.0 - (-best / 1.6).exp();
    let margin = ((best - second) / best).clamp(0.0, 1.0);
    strength * (0.55 + 0.45 * margin)
}
