-- 008_flow_releases.sql: the published versions of each flow.
--
-- The database is the source of truth for which flows participants are
-- offered. A flow id has numbered versions v1, v2, … (flow_releases),
-- each naming an immutable row of flow_versions (whose source sessions
-- and answers already refer to); at most one is live, and a flow can be
-- closed (flow_states). Rows of flow_releases are never updated or
-- deleted: a rollback is a new version. A flow has at most one draft
-- awaiting publication (flow_drafts). flow_imports holds, for each seed
-- file (the built-in pack's and the flows folder's), the SHA-256 of the
-- content last imported from it, so that an unchanged file never
-- imports again and a version published from Discord or the command line
-- survives a restart. Actors are staff or the operator, never
-- participants.
CREATE TABLE flow_releases (
    flow_id    TEXT    NOT NULL,
    n          INTEGER NOT NULL CHECK (n >= 1),
    hash       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    actor_kind TEXT    NOT NULL,
    actor_id   TEXT    NOT NULL,
    actor_name TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    PRIMARY KEY (flow_id, n),
    FOREIGN KEY (hash, flow_id) REFERENCES flow_versions (hash, flow_id)
) STRICT;

-- live is the number of the live version; closed flows take no new
-- sessions, though sessions under way may finish.
CREATE TABLE flow_states (
    flow_id TEXT    PRIMARY KEY,
    live    INTEGER NOT NULL,
    closed  INTEGER NOT NULL CHECK (closed IN (0, 1)),
    FOREIGN KEY (flow_id, live) REFERENCES flow_releases (flow_id, n)
) STRICT;

CREATE TABLE flow_drafts (
    flow_id    TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,
    source     BLOB NOT NULL,
    created_at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_name TEXT NOT NULL
) STRICT;

CREATE TABLE flow_imports (
    file        TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;
