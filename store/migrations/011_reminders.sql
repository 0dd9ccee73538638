-- 011_reminders.sql: gentle reminders to participants who paused a flow.
--
-- reminder_prefs holds, per participant, how the bot can reach them for
-- a reminder and whether they asked for no more. The address (the
-- platform's user id, which the bot needs to open a DM) is never stored
-- in the clear: it is an AES-256-GCM ciphertext under the participant's
-- own data key (key_version 2), bound to "reminder_prefs.address" and the
-- participant's id, so a withdrawal, which deletes that key first, shreds
-- it with their answers; the row itself is deleted with the participant.
-- It is written only while reminders are on, when the participant starts
-- or resumes a flow with /survey, which also clears opted_out_at: using
-- /survey again allows reminders again.
CREATE TABLE reminder_prefs (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (id),
    platform       TEXT    NOT NULL,
    address        BLOB,             -- sealed user id; NULL: none known
    key_version    INTEGER NOT NULL,
    opted_out_at   TEXT,             -- No more reminders pressed; NULL: reminders allowed
    updated_at     TEXT    NOT NULL
) STRICT;

-- reminders has one row per session reminded, so a session gets at most
-- one reminder, ever. The row is the claim: whoever inserts it first
-- sends, with the nonce, which Discord uses (enforce_nonce) to hand back
-- the message an earlier attempt created instead of sending it twice.
-- 'pending' until sent, given up as 'undeliverable' (the participant's
-- DMs are closed: never retried) or 'cancelled' (the flow was finished or
-- closed, the participant withdrew, declined or opted out before it went).
-- Nothing here names a person outside the store: no user id, no channel
-- id; sent_at is what the digest counts.
CREATE TABLE reminders (
    session_id      TEXT    PRIMARY KEY REFERENCES sessions (id),
    participant_id  INTEGER NOT NULL REFERENCES participants (id),
    nonce           TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'undeliverable', 'cancelled')),
    due_at          TEXT    NOT NULL, -- the session's last activity plus reminders.delay
    claimed_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    last_attempt_at TEXT,
    sent_at         TEXT
) STRICT;
CREATE INDEX reminders_pending ON reminders (status) WHERE status = 'pending';
CREATE INDEX reminders_sent ON reminders (sent_at) WHERE status = 'sent';
CREATE INDEX reminders_participant ON reminders (participant_id);
