-- 009_audit.sql: the audit log of privileged actions (docs/security.md).
--
-- One row per action: who (a staff member's Discord user id and display
-- name, cli:<os user>, file or system), what, to what, with what outcome.
-- Never a participant's id, pseudonym, export code or answers.
--
-- Rows are hash-chained (package audit): hash is the SHA-256 over prev,
-- the previous row's hash, and this row's fields, so `peervoice audit
-- verify` finds an edited, inserted or deleted row. at is stored in
-- audit.TimeFormat, the text that is hashed. The triggers make the table
-- append-only for anyone using SQL casually: an UPDATE or DELETE fails.
-- They do not stop someone who drops them or edits the file; the chain
-- is what shows that.
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL DEFAULT '',
    actor_name  TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL DEFAULT '',
    outcome     TEXT    NOT NULL,
    details     TEXT    NOT NULL DEFAULT '',
    prev        TEXT    NOT NULL,
    hash        TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_action ON audit (action, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be deleted');
END;
