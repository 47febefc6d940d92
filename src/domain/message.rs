//! WhatsApp messages in both directions and the states they move through.
//! The states are stored as their lower-case names; `as_str` is the only
//! place those names are written.

/// One inbound message as the inbox stores it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InboundMessage {
    pub phone_number_id: String,
    pub wamid: String,
    /// `from`, or the business-scoped user id when a username user has no number.
    pub sender: Option<String>,
    pub profile_name: Option<String>,
    pub msg_type: String,
    /// The readable text: a text body, a caption, or a tapped button's title.
    pub body: Option<String>,
    pub payload: String,
    /// Meta's timestamp, in seconds.
    pub sent_at: i64,
    /// The HTTP request that brought it (`x-request-id`), for the logs.
    pub request_id: Option<String>,
    /// Why it is stored but never acted on (a sender id that is not a
    /// WhatsApp number or user id); `None` for a message to process.
    pub refusal: Option<String>,
}

/// One delivery status callback for a message we sent.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatusUpdate {
    /// The business number the message was sent from.
    pub phone_number_id: String,
    pub wamid: String,
    /// Meta's word for it (`sent`, `delivered`, `read`, `played`, `failed`);
    /// see [`OutboundStatus::from_callback`].
    pub status: String,
    pub recipient: Option<String>,
    pub status_at: i64,
    pub error_code: Option<i64>,
    pub error_title: Option<String>,
    pub payload: String,
    /// Our outbox row, named by the `biz_opaque_callback_data` sent with it.
    pub outbound_id: Option<i64>,
}

/// Where an inbound message is in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InboxStatus {
    /// Stored, waiting for the conversation worker.
    Pending,
    /// Read and acted on.
    Done,
    /// Stored but never acted on (a sender id that is not a WhatsApp number).
    Refused,
    /// Gave up after repeated errors.
    Failed,
}

impl InboxStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }
}

/// What kind of message the shop sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutboundKind {
    Text,
    /// Reply buttons or a list.
    Interactive,
    /// An approved template, for outside the 24-hour window.
    Template,
    /// A read receipt for a message received (nothing the person sees).
    Read,
}

impl OutboundKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Interactive => "interactive",
            Self::Template => "template",
            Self::Read => "read",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Text, Self::Interactive, Self::Template, Self::Read]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a message the shop sends is: in the outbox, then as Meta reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutboundStatus {
    /// Stored, not sent: there is no access token (sandbox mode).
    Sandbox,
    /// Waiting for the sender.
    Queued,
    /// Kept until the person writes again (their 24-hour window is closed).
    Held,
    /// Graph took it and gave it a wamid.
    Accepted,
    Sent,
    Delivered,
    Read,
    /// A voice note was played.
    Played,
    Failed,
    /// Held too long to be worth sending.
    Expired,
    /// Sent with nothing to track (a read receipt).
    Done,
}

impl OutboundStatus {
    const ALL: [Self; 11] = [
        Self::Sandbox,
        Self::Queued,
        Self::Held,
        Self::Accepted,
        Self::Sent,
        Self::Delivered,
        Self::Read,
        Self::Played,
        Self::Failed,
        Self::Expired,
        Self::Done,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Queued => "queued",
            Self::Held => "held",
            Self::Accepted => "accepted",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Played => "played",
            Self::Failed => "failed",
            Self::Expired => "expired",
            Self::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A status callback's word, if it is one backroom tracks.
    pub fn from_callback(status: &str) -> Option<Self> {
        Self::parse(status).filter(|s| s.rank() > Self::Accepted.rank() || *s == Self::Failed)
    }

    /// Order of delivery states; a status only ever moves a message forward.
    /// `failed` outranks the rest so a late `delivered` cannot hide an error.
    pub const fn rank(self) -> i64 {
        match self {
            Self::Queued | Self::Held => 0,
            Self::Accepted => 5,
            Self::Sent => 10,
            Self::Delivered => 20,
            Self::Read => 30,
            Self::Played => 40,
            Self::Failed | Self::Expired => 100,
            Self::Sandbox | Self::Done => -1,
        }
    }
}

/// The rank of a status by name; -1 for one backroom does not track.
pub fn status_rank(status: &str) -> i64 {
    OutboundStatus::parse(status).map_or(-1, OutboundStatus::rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_ranks_only_move_forward() {
        for s in OutboundStatus::ALL {
            assert_eq!(OutboundStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert!(status_rank("delivered") > status_rank("sent"));
        assert!(status_rank("failed") > status_rank("played"));
        assert_eq!(status_rank("deleted"), -1);
        assert_eq!(
            OutboundStatus::from_callback("read"),
            Some(OutboundStatus::Read)
        );
        assert_eq!(OutboundStatus::from_callback("queued"), None);
        for k in [
            OutboundKind::Text,
            OutboundKind::Interactive,
            OutboundKind::Template,
            OutboundKind::Read,
        ] {
            assert_eq!(OutboundKind::parse(k.as_str()), Some(k));
        }
    }
}

named!(display: InboxStatus, OutboundKind, OutboundStatus);
