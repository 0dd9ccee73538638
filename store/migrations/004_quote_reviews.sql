-- 004_quote_reviews.sql: moderators' review of quote candidates.
--
-- A quote candidate (a scrubbed, capped free-text answer from a
-- participant who allowed quotes) is published in the digest only once a
-- moderator approves it, when digest.quote_approval is on. Each candidate
-- is posted once to the moderator channel with Approve and Reject buttons:
-- the row is claimed before posting, and every attempt sends the same
-- nonce with enforce_nonce, so it is posted once across restarts and
-- however many bot processes.
--
-- Nothing here is about participants: no participant id, pseudonym, user
-- id or answer text. quote_id is a short hash of the answer's opaque
-- reference and the published text; the text itself is built afresh from
-- the answers each time, so a withdrawn answer leaves nothing to publish.
-- Who decided is not kept either: only how many decisions were made.
CREATE TABLE quote_reviews (
    quote_id    TEXT    PRIMARY KEY,
    period      TEXT    NOT NULL, -- the digest period it was first seen in, e.g. 2026-W49
    nonce       TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    claimed_at  TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,  -- failed attempts to post the review request
    last_error  TEXT    NOT NULL DEFAULT '',
    channel_id  TEXT,                        -- the moderator channel, once posted
    message_id  TEXT,
    posted_at   TEXT,
    decided_at  TEXT,                        -- the latest decision (or undo)
    decisions   INTEGER NOT NULL DEFAULT 0   -- how many decisions and undos were made
) STRICT;
CREATE INDEX quote_reviews_unposted ON quote_reviews (quote_id) WHERE message_id IS NULL;
CREATE INDEX quote_reviews_approved ON quote_reviews (quote_id) WHERE status = 'approved';
