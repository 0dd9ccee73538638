-- 010_session_expiry.sql: an unfinished session left longer than
-- sessions.expire_after is closed as a partial response: status
-- 'expired', with the time it was closed in expired_at. Its answers stay.
--
-- SQLite cannot change a CHECK constraint, so the sessions table is
-- rebuilt, in this migration's one transaction (all or nothing: a crash
-- leaves the old table and 010 unrecorded, and the next Open runs it
-- again). The rows are copied aside, the table dropped and made again
-- under its own name, and the rows copied back. answers references
-- sessions: dropping the table counts its answers as deferred foreign key
-- violations, and copying the sessions back under the same name clears
-- them, so the commit checks that every answer has its session again
-- (defer_foreign_keys lasts until this transaction ends). Renaming a
-- copy into place instead would have rewritten answers' reference to
-- follow the old table.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE sessions_before_010 AS SELECT
    id, participant_id, flow_id, flow_version, status, state, key_version, started_at, updated_at
    FROM sessions;

DROP TABLE sessions;

-- sessions.state is an AES-256-GCM ciphertext (random nonce first) bound to
-- "sessions.state" and the session id. expired_at is set exactly when the
-- status is 'expired'; updated_at keeps the last activity.
CREATE TABLE sessions (
    id             TEXT    PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    flow_id        TEXT    NOT NULL,
    flow_version   TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('active', 'paused', 'done', 'expired')),
    state          BLOB    NOT NULL,
    key_version    INTEGER NOT NULL,
    started_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    expired_at     TEXT    CHECK ((status = 'expired') = (expired_at IS NOT NULL)),
    FOREIGN KEY (flow_version, flow_id) REFERENCES flow_versions (hash, flow_id)
) STRICT;

INSERT INTO sessions
    (id, participant_id, flow_id, flow_version, status, state, key_version, started_at, updated_at)
    SELECT id, participant_id, flow_id, flow_version, status, state, key_version, started_at, updated_at
    FROM sessions_before_010;

DROP TABLE sessions_before_010;

CREATE INDEX sessions_participant ON sessions (participant_id);
-- The expiry job finds the unfinished sessions idle longest.
CREATE INDEX sessions_unfinished ON sessions (updated_at) WHERE status IN ('active', 'paused');
