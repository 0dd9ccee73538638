-- 016_post_attempted.sql: when a pending post last failed.
--
-- A digest that keeps failing (a missing channel, a permission) is
-- retried with a growing back-off, from 30 seconds to an hour, counted
-- from its last failed attempt: kept here, with attempts, so that the
-- back-off survives a restart. NULL: never failed, or failed before this
-- migration (then retried at once).
ALTER TABLE posts ADD COLUMN last_attempt_at TEXT;
