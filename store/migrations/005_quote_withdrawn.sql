-- 005_quote_withdrawn.sql: a quote withdrawn from review.
--
-- When a posted quote is no longer a candidate of the period it was first
-- seen in (its author withdrew, stopped allowing quotes or changed the
-- answer), the bot replaces the words in the moderator channel with a
-- neutral line. The review becomes 'withdrawn': no decision can be
-- recorded on it, and it is never posted again. redacted_at is when the
-- moderator channel message was edited (or found deleted); NULL while
-- that edit is still due.
--
-- A STRICT table's CHECK constraint cannot be altered in place, so the
-- table is recreated with the same rows.
CREATE TABLE quote_reviews_new (
    quote_id    TEXT    PRIMARY KEY,
    period      TEXT    NOT NULL, -- the digest period it was first seen in, e.g. 2026-W49
    nonce       TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    claimed_at  TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,  -- failed attempts to post the review request
    last_error  TEXT    NOT NULL DEFAULT '',
    channel_id  TEXT,                        -- the moderator channel, once posted
    message_id  TEXT,
    posted_at   TEXT,
    decided_at  TEXT,                        -- the latest decision (or undo)
    decisions   INTEGER NOT NULL DEFAULT 0,  -- how many decisions and undos were made
    redacted_at TEXT                         -- withdrawn, and the message edited to say so
) STRICT;
INSERT INTO quote_reviews_new (quote_id, period, nonce, status, claimed_at, attempts, last_error,
    channel_id, message_id, posted_at, decided_at, decisions)
SELECT quote_id, period, nonce, status, claimed_at, attempts, last_error,
    channel_id, message_id, posted_at, decided_at, decisions FROM quote_reviews;
DROP TABLE quote_reviews;
ALTER TABLE quote_reviews_new RENAME TO quote_reviews;
CREATE INDEX quote_reviews_unposted ON quote_reviews (quote_id) WHERE message_id IS NULL;
CREATE INDEX quote_reviews_approved ON quote_reviews (quote_id) WHERE status = 'approved';
CREATE INDEX quote_reviews_live ON quote_reviews (period) WHERE message_id IS NOT NULL AND redacted_at IS NULL;
