-- 003_digest_posts.sql: research digests posted to the research channel.
--
-- A digest is claimed in posts (002) like a scheduled prompt, so each
-- period is posted once however many bot processes run or restart around
-- the scheduled time, and whether the schedule or a researcher posts it:
-- schedule_id is '@digest/' followed by the period ('@digest/2026-W47'),
-- occurrence is the period's start. A key starting with '@' is the bot's
-- own and never a schedule's (config ids start with a letter, stored ones
-- are numbers).
--
-- A digest takes several messages. post_messages records each one as it
-- is posted, so a digest that failed halfway resumes at the first message
-- not recorded, however long after, instead of posting the others again;
-- posts.message_id is the first message, the one a link points to.
-- Nothing here is about participants: no user ids, no answers.
CREATE TABLE post_messages (
    schedule_id TEXT    NOT NULL,
    occurrence  TEXT    NOT NULL,
    idx         INTEGER NOT NULL, -- the message's place in the post, from 0
    channel_id  TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    posted_at   TEXT    NOT NULL,
    PRIMARY KEY (schedule_id, occurrence, idx),
    FOREIGN KEY (schedule_id, occurrence) REFERENCES posts (schedule_id, occurrence) ON DELETE CASCADE
) STRICT;
