-- 001_init.sql: the first schema of the PeerVoice store.
--
-- Privacy by design: no raw platform user id is stored anywhere (participants
-- are keyed by an HMAC pseudonym), and free text and session state are
-- AES-256-GCM ciphertexts. Rows that hold key material-dependent values record
-- key_version so the keys can be rotated later. Foreign keys have no ON DELETE
-- CASCADE on purpose: Withdraw and DeleteSession delete each table explicitly,
-- and a forgotten table makes the delete fail instead of leaving orphans.

-- meta holds the key check value: an HMAC of a constant, never the secret.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- AUTOINCREMENT so that the id of a withdrawn participant is never reused.
CREATE TABLE participants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    pseudonym   TEXT    NOT NULL UNIQUE,
    key_version INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
) STRICT;

-- consents is append-only: the row with the highest id is the current consent.
CREATE TABLE consents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    version        TEXT    NOT NULL,
    take_part      INTEGER NOT NULL CHECK (take_part IN (0, 1)),
    quotes         INTEGER NOT NULL CHECK (quotes IN (0, 1)),
    given_at       TEXT    NOT NULL
) STRICT;
CREATE INDEX consents_participant ON consents (participant_id, id);

-- flow_versions is immutable: rows are inserted, never updated.
CREATE TABLE flow_versions (
    hash       TEXT PRIMARY KEY,
    flow_id    TEXT NOT NULL,
    source     BLOB NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (hash, flow_id)
) STRICT;

-- sessions.state is an AES-256-GCM ciphertext (random nonce first) bound to
-- "sessions.state" and the session id.
CREATE TABLE sessions (
    id             TEXT    PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    flow_id        TEXT    NOT NULL,
    flow_version   TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('active', 'paused', 'done')),
    state          BLOB    NOT NULL,
    key_version    INTEGER NOT NULL,
    started_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    FOREIGN KEY (flow_version, flow_id) REFERENCES flow_versions (hash, flow_id)
) STRICT;
CREATE INDEX sessions_participant ON sessions (participant_id);

-- answers.text is an AES-256-GCM ciphertext bound to "answers.text", the
-- session id and the question id; NULL when there is no free text. Choices
-- (a JSON array of option ids) and numbers stay plaintext so the digest can
-- aggregate them in SQL.
CREATE TABLE answers (
    session_id   TEXT    NOT NULL REFERENCES sessions (id),
    question_id  TEXT    NOT NULL,
    flow_id      TEXT    NOT NULL,
    flow_version TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    choices      TEXT,
    text         BLOB,
    number       REAL,
    skipped      INTEGER NOT NULL CHECK (skipped IN (0, 1)),
    key_version  INTEGER NOT NULL,
    answered_at  TEXT    NOT NULL,
    PRIMARY KEY (session_id, question_id),
    FOREIGN KEY (flow_version, flow_id) REFERENCES flow_versions (hash, flow_id)
) STRICT;
CREATE INDEX answers_flow_question ON answers (flow_id, question_id);
