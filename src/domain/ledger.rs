//! Why stock changed: the reasons the ledger records, and how a person
//! reads them.

/// A ledger reason, as stored in `movements.reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Staff on WhatsApp: "Added 50 screws", "sold 3", "set bolts to 120".
    Add,
    Remove,
    Set,
    Undo,
    /// A customer's order took the stock; its cancellation put it back.
    Order,
    OrderCancelled,
    /// Through the API.
    Restock,
    Sale,
    Return,
    Damage,
    Count,
    Correction,
    Other,
    /// The dashboard's CSV import.
    Import,
    /// The quantity a new item starts with (API create, CSV import).
    Opening,
    /// Goods of a purchase order arrived (the ledger's actor names the order).
    Received,
    /// Sent to another location (out of this one, into transit).
    TransferOut,
    /// Arrived from another location.
    TransferIn,
}

impl Reason {
    pub const ALL: [Reason; 18] = [
        Reason::Add,
        Reason::Remove,
        Reason::Set,
        Reason::Undo,
        Reason::Order,
        Reason::OrderCancelled,
        Reason::Restock,
        Reason::Sale,
        Reason::Return,
        Reason::Damage,
        Reason::Count,
        Reason::Correction,
        Reason::Other,
        Reason::Import,
        Reason::Opening,
        Reason::Received,
        Reason::TransferOut,
        Reason::TransferIn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Add => "add",
            Reason::Remove => "remove",
            Reason::Set => "set",
            Reason::Undo => "undo",
            Reason::Order => "order",
            Reason::OrderCancelled => "order_cancelled",
            Reason::Restock => "restock",
            Reason::Sale => "sale",
            Reason::Return => "return",
            Reason::Damage => "damage",
            Reason::Count => "count",
            Reason::Correction => "correction",
            Reason::Other => "other",
            Reason::Import => "import",
            Reason::Opening => "opening",
            Reason::Received => "received",
            Reason::TransferOut => "transfer_out",
            Reason::TransferIn => "transfer_in",
        }
    }

    /// For people: what happened, in a few words.
    pub fn words(self) -> &'static str {
        match self {
            Reason::Add => "added",
            Reason::Remove => "sold or used",
            Reason::Set => "counted",
            Reason::Undo => "undone",
            Reason::Order => "ordered by a customer",
            Reason::OrderCancelled => "order cancelled — restocked",
            Reason::Restock => "delivery received",
            Reason::Sale => "sold",
            Reason::Return => "returned",
            Reason::Damage => "damaged or lost",
            Reason::Count => "stock take",
            Reason::Correction => "corrected",
            Reason::Other => "other",
            Reason::Import => "imported from a spreadsheet",
            Reason::Opening => "opening stock",
            Reason::Received => "received from a supplier",
            Reason::TransferOut => "sent to another location",
            Reason::TransferIn => "arrived from another location",
        }
    }

    /// Stock leaving to a customer: what sales charts count.
    pub fn is_sale(self) -> bool {
        matches!(self, Reason::Remove | Reason::Order | Reason::Sale)
    }

    /// Words for a stored reason, or the stored word if it is not one we know.
    pub fn describe(stored: &str) -> String {
        match stored.parse::<Reason>() {
            Ok(r) => r.words().to_string(),
            Err(_) => stored.replace('_', " "),
        }
    }
}

named!(display: Reason);
named!(parse: Reason);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_and_has_words() {
        for r in Reason::ALL {
            assert_eq!(r.as_str().parse::<Reason>(), Ok(r));
            assert!(!r.words().contains('_'));
        }
        assert_eq!(
            Reason::describe("order_cancelled"),
            "order cancelled — restocked"
        );
        assert_eq!(Reason::describe("import_batch"), "import batch");
    }
}
