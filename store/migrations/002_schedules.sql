-- 002_schedules.sql: scheduled community prompts.
--
-- A schedule posts an invitation to answer a flow in a channel, weekly or
-- once. Schedules come from the config file (their ids start with a
-- letter) or from /prompt schedule (stored here, with numeric ids). Each
-- occurrence is claimed in posts before it is posted, so it is posted once
-- however many bot processes run or restart around its time. Nothing here
-- is about participants: no user ids, no answers.

-- schedules made with /prompt schedule. AUTOINCREMENT so that a removed
-- schedule's id, which its posts rows keep, is never reused.
CREATE TABLE schedules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_id    TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    when_text  TEXT NOT NULL, -- "weekly mon 18:00" or "2026-12-01 18:00", in prompts.timezone
    text       TEXT NOT NULL, -- the moderator's words of invitation; '' for the flow's intro
    created_at TEXT NOT NULL
) STRICT;

-- schedules_seen records when the bot first saw a schedule from the config
-- file: occurrences before that are not caught up, so adding a schedule
-- never posts at once for a time that has just passed.
CREATE TABLE schedules_seen (
    schedule_id TEXT PRIMARY KEY,
    first_seen  TEXT NOT NULL
) STRICT;

-- posts has one row per claimed occurrence. 'pending' until the message is
-- posted (message_id set) or given up as 'missed'; a pending post is
-- retried with the same nonce, which Discord uses to return the message
-- already created instead of posting twice.
CREATE TABLE posts (
    schedule_id TEXT    NOT NULL, -- a config id, or schedules.id as text
    occurrence  TEXT    NOT NULL, -- the scheduled time, UTC
    nonce       TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'posted', 'missed')),
    claimed_at  TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    channel_id  TEXT,
    message_id  TEXT,
    posted_at   TEXT,
    PRIMARY KEY (schedule_id, occurrence)
) STRICT;
CREATE INDEX posts_pending ON posts (status) WHERE status = 'pending';
