-- Messages the shop started outside WhatsApp's 24-hour window, kept until the
-- person writes again: found by recipient when they do.
CREATE INDEX outbound_held ON outbound_messages (recipient) WHERE status = 'held';

-- The id of the HTTP request that brought a message in, carried to the
-- replies it caused, so one id finds its whole path in the logs.
ALTER TABLE inbox ADD COLUMN request_id TEXT;
ALTER TABLE outbound_messages ADD COLUMN request_id TEXT;
