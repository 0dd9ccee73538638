-- 015_digest_people.sql: each participant's state as the digest needs it,
-- kept by triggers in the transaction of every write (issue 15;
-- store/digest_people.go).
--
-- A digest counts only participants whose latest consent is to take
-- part, puts each in the demographic groups of their latest answer to
-- each question of the about-you flow (digest.DemographicsFlow) given
-- before the end of its period, and publishes how many people are in
-- each combination of groups. Read from the answers, that is every
-- participant's history, at every digest. These tables hold it already
-- worked out, as of now: the digest takes it as it is for everyone whose
-- state did not change after the end of its period, and works out again,
-- from the answers, the few whose did (valid_from and created_at say
-- who). The triggers follow every insert, update and delete of the rows
-- the state comes from, withdrawal's deletes included, so nothing of a
-- withdrawn participant stays here. Filled below from the rows already
-- stored.

-- digest_people: one row per participant. take_part and quotes are their
-- latest consent's (NULL before any); groups is a JSON object of their
-- latest demographic answers, question id to the first option chosen
-- (as stored), the question ids in order, so that it is one key per
-- combination.
CREATE TABLE digest_people (
    participant_id INTEGER PRIMARY KEY,
    created_at     TEXT    NOT NULL,
    take_part      INTEGER,
    quotes         INTEGER,
    groups         TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX digest_people_created ON digest_people (created_at);

-- digest_groups: each participant's latest answer (by answered_at, the
-- later stored winning a tie) to each about-you question, not skipped,
-- with an option chosen. valid_from is from when it is their group: the
-- later of the answer and its session's start (a digest counts only
-- sessions started before its period's end).
CREATE TABLE digest_groups (
    participant_id INTEGER NOT NULL,
    question_id    TEXT    NOT NULL,
    first_choice   TEXT,
    answered_at    TEXT    NOT NULL,
    valid_from     TEXT    NOT NULL,
    PRIMARY KEY (participant_id, question_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX digest_groups_valid ON digest_groups (valid_from);

-- digest_group_counts: how many participants taking part have each
-- combination of groups, kept by the triggers on digest_people.
CREATE TABLE digest_group_counts (
    groups TEXT    PRIMARY KEY,
    people INTEGER NOT NULL
) STRICT;

-- The fill, from the rows already stored.
INSERT INTO digest_people (participant_id, created_at, take_part, quotes)
SELECT p.id, p.created_at, c.take_part, c.quotes FROM participants p
    LEFT JOIN consents c ON c.id = (SELECT MAX(id) FROM consents WHERE participant_id = p.id);

INSERT INTO digest_groups (participant_id, question_id, first_choice, answered_at, valid_from)
SELECT participant_id, question_id, first_choice, answered_at, valid_from FROM (
    SELECT s.participant_id, a.question_id, CAST(json_extract(a.choices, '$[0]') AS TEXT) AS first_choice,
        a.answered_at, MAX(a.answered_at, s.started_at) AS valid_from,
        ROW_NUMBER() OVER (PARTITION BY s.participant_id, a.question_id ORDER BY a.answered_at DESC, a.rowid DESC) AS n
    FROM answers a JOIN sessions s ON s.id = a.session_id
    WHERE a.flow_id = 'about-you' AND a.skipped = 0 AND a.choices IS NOT NULL
        AND a.kind IN ('choice', 'multi', 'scale')
        AND CASE WHEN json_valid(a.choices) THEN json_array_length(a.choices) > 0 END)
WHERE n = 1;

UPDATE digest_people SET groups = (SELECT json_group_object(question_id, first_choice)
    FROM (SELECT question_id, first_choice FROM digest_groups g
        WHERE g.participant_id = digest_people.participant_id ORDER BY question_id));

INSERT INTO digest_group_counts (groups, people)
SELECT groups, COUNT(*) FROM digest_people WHERE take_part = 1 GROUP BY groups;

-- The counts follow digest_people.
CREATE TRIGGER digest_people_counted AFTER INSERT ON digest_people WHEN NEW.take_part = 1
BEGIN
    INSERT INTO digest_group_counts (groups, people) VALUES (NEW.groups, 1)
        ON CONFLICT (groups) DO UPDATE SET people = people + 1;
END;
CREATE TRIGGER digest_people_recounted AFTER UPDATE OF take_part, groups ON digest_people
BEGIN
    UPDATE digest_group_counts SET people = people - 1 WHERE OLD.take_part = 1 AND groups = OLD.groups;
    INSERT INTO digest_group_counts (groups, people) SELECT NEW.groups, 1 WHERE NEW.take_part = 1
        ON CONFLICT (groups) DO UPDATE SET people = people + 1;
    DELETE FROM digest_group_counts WHERE groups = OLD.groups AND people = 0;
END;
CREATE TRIGGER digest_people_uncounted AFTER DELETE ON digest_people WHEN OLD.take_part = 1
BEGIN
    UPDATE digest_group_counts SET people = people - 1 WHERE groups = OLD.groups;
    DELETE FROM digest_group_counts WHERE groups = OLD.groups AND people = 0;
END;

-- Participants: created, their time changed, withdrawn.
CREATE TRIGGER digest_participant_created AFTER INSERT ON participants
BEGIN
    INSERT INTO digest_people (participant_id, created_at, take_part, quotes)
    SELECT NEW.id, NEW.created_at, c.take_part, c.quotes
        FROM (SELECT 1) LEFT JOIN consents c ON c.id = (SELECT MAX(id) FROM consents WHERE participant_id = NEW.id);
END;
CREATE TRIGGER digest_participant_changed AFTER UPDATE OF created_at ON participants
BEGIN
    UPDATE digest_people SET created_at = NEW.created_at WHERE participant_id = NEW.id;
END;
CREATE TRIGGER digest_participant_deleted AFTER DELETE ON participants
BEGIN
    DELETE FROM digest_groups WHERE participant_id = OLD.id;
    DELETE FROM digest_people WHERE participant_id = OLD.id;
END;

-- Consents: the latest (highest id) is the current one.
CREATE TRIGGER digest_consent_given AFTER INSERT ON consents
BEGIN
    UPDATE digest_people SET (take_part, quotes) = (SELECT take_part, quotes FROM consents
        WHERE participant_id = NEW.participant_id ORDER BY id DESC LIMIT 1)
    WHERE participant_id = NEW.participant_id;
END;
CREATE TRIGGER digest_consent_changed AFTER UPDATE ON consents
BEGIN
    UPDATE digest_people SET (take_part, quotes) = (SELECT take_part, quotes FROM consents
        WHERE participant_id = digest_people.participant_id ORDER BY id DESC LIMIT 1)
    WHERE participant_id IN (OLD.participant_id, NEW.participant_id);
END;
CREATE TRIGGER digest_consent_deleted AFTER DELETE ON consents
BEGIN
    UPDATE digest_people SET (take_part, quotes) = (SELECT take_part, quotes FROM consents
        WHERE participant_id = OLD.participant_id ORDER BY id DESC LIMIT 1)
    WHERE participant_id = OLD.participant_id;
END;

-- A participant's groups are worked out again, from their about-you
-- answers, whenever one of those answers, or the session of one,
-- changes: digest_regroup holds whom, for the trigger on it to do it
-- once, in one place. CROSS JOIN keeps the participant's sessions the
-- outer loop, and the + on flow_id their answers read by session (the
-- primary key): left to itself, SQLite would read every about-you answer
-- (answers_groups) to find theirs.
CREATE TABLE digest_regroup (participant_id INTEGER PRIMARY KEY) STRICT;
CREATE TRIGGER digest_regroup_run AFTER INSERT ON digest_regroup
BEGIN
    DELETE FROM digest_groups WHERE participant_id = NEW.participant_id;
    INSERT INTO digest_groups (participant_id, question_id, first_choice, answered_at, valid_from)
    SELECT participant_id, question_id, first_choice, answered_at, valid_from FROM (
        SELECT s.participant_id, a.question_id, CAST(json_extract(a.choices, '$[0]') AS TEXT) AS first_choice,
            a.answered_at, MAX(a.answered_at, s.started_at) AS valid_from,
            ROW_NUMBER() OVER (PARTITION BY a.question_id ORDER BY a.answered_at DESC, a.rowid DESC) AS n
        FROM sessions s CROSS JOIN answers a ON a.session_id = s.id
        WHERE s.participant_id = NEW.participant_id AND +a.flow_id = 'about-you' AND a.skipped = 0
            AND a.choices IS NOT NULL AND a.kind IN ('choice', 'multi', 'scale')
            AND CASE WHEN json_valid(a.choices) THEN json_array_length(a.choices) > 0 END)
    WHERE n = 1;
    UPDATE digest_people SET groups = (SELECT json_group_object(question_id, first_choice)
        FROM (SELECT question_id, first_choice FROM digest_groups
            WHERE participant_id = NEW.participant_id ORDER BY question_id))
    WHERE participant_id = NEW.participant_id;
    DELETE FROM digest_regroup WHERE participant_id = NEW.participant_id;
END;

CREATE TRIGGER digest_answer_added AFTER INSERT ON answers WHEN NEW.flow_id = 'about-you'
BEGIN
    INSERT OR IGNORE INTO digest_regroup SELECT participant_id FROM sessions WHERE id = NEW.session_id;
END;
CREATE TRIGGER digest_answer_changed AFTER UPDATE OF session_id, flow_id, kind, choices, skipped, answered_at ON answers
    WHEN NEW.flow_id = 'about-you' OR OLD.flow_id = 'about-you'
BEGIN
    INSERT OR IGNORE INTO digest_regroup SELECT participant_id FROM sessions WHERE id = OLD.session_id;
    INSERT OR IGNORE INTO digest_regroup SELECT participant_id FROM sessions WHERE id = NEW.session_id;
END;
CREATE TRIGGER digest_answer_deleted AFTER DELETE ON answers WHEN OLD.flow_id = 'about-you'
BEGIN
    INSERT OR IGNORE INTO digest_regroup SELECT participant_id FROM sessions WHERE id = OLD.session_id;
END;
CREATE TRIGGER digest_session_moved AFTER UPDATE OF participant_id, started_at ON sessions
    WHEN OLD.participant_id IS NOT NEW.participant_id OR OLD.started_at IS NOT NEW.started_at
BEGIN
    INSERT OR IGNORE INTO digest_regroup VALUES (OLD.participant_id);
    INSERT OR IGNORE INTO digest_regroup VALUES (NEW.participant_id);
END;
CREATE TRIGGER digest_session_deleted AFTER DELETE ON sessions
BEGIN
    INSERT OR IGNORE INTO digest_regroup VALUES (OLD.participant_id);
END;

