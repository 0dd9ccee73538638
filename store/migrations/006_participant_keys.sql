-- 006_participant_keys.sql: a data key for each participant (crypto-shredding).
--
-- Each participant's free text and session state are encrypted with a
-- random data key of their own (key_version 2 on their rows), stored here
-- wrapped: AES-256-GCM under a key derived from the master secret, bound
-- to the participant's id. It is never stored unwrapped. Withdrawal
-- deletes this row first, in the same transaction as the participant's
-- other rows, so that any copy of those rows left behind (in the
-- write-ahead log, a freed page, a copy made after the withdrawal) can no
-- longer be decrypted by anyone, the database's owner included.
--
-- Rows written before this migration (key_version 1, encrypted with the
-- database key itself) are re-encrypted under their participant's key
-- after it, in batches that each commit their progress in meta (key
-- 'reencrypt_v2_after': the last participant id done), so a run that is
-- interrupted resumes where it stopped (store/reencrypt.go).
CREATE TABLE participant_keys (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (id),
    wrapped        BLOB    NOT NULL,
    created_at     TEXT    NOT NULL
) STRICT;
