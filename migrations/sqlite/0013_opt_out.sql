-- When a person asked not to get messages the shop starts ("STOP",
-- "unsubscribe"); NULL while they accept them. Replies to their own
-- messages still go.
ALTER TABLE contacts ADD COLUMN opted_out_at BIGINT;
