-- Values backroom generates for itself and must keep across restarts: the
-- sandbox's own app secret, and (sandbox mode on PostgreSQL only) the key that
-- seals secrets at rest.
CREATE TABLE app_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- A secret the sender fills into the message at send time (a sign-in code),
-- sealed with SECRETS_KEY; cleared once the message is no longer waiting.
ALTER TABLE outbound_messages ADD COLUMN sealed TEXT;

-- Which outbox row a status callback is about, from the biz_opaque_callback_data
-- we send with each message: it names a send whose answer a crash cut off.
ALTER TABLE message_statuses ADD COLUMN outbound_id INTEGER;

-- Who asked for a sign-in code (the client address), so one address cannot
-- use up a number's codes and lock its owner out.
ALTER TABLE login_codes ADD COLUMN client TEXT;
