-- 014_digest_indexes.sql: indexes for a digest that reads its period,
-- not the whole study (issue 15; store/digest_window.go).
--
-- A digest publishes the figures of its period (and of the one before,
-- for changes): the answers given in them, the sessions started,
-- completed or closed in them. These indexes let it find those rows by
-- time, so it costs the same in a study of a million answers as in one
-- of a hundred thousand. CREATE INDEX fills each from the rows already
-- stored.

-- The answers given in a window.
CREATE INDEX answers_answered ON answers (answered_at);

-- The distinct answers (flow version and options chosen, as one key: the
-- version is hexadecimal, so the space parts them) given to each choice,
-- multi and scale question, one index seek from each to the next, and
-- each newest first: the versions a question's wording is taken from,
-- and the options of versions since changed, without reading every
-- answer ever given.
CREATE INDEX answers_choice ON answers (flow_id, question_id, (flow_version || ' ' || choices), answered_at)
    WHERE skipped = 0 AND choices IS NOT NULL AND kind IN ('choice', 'multi', 'scale');

-- The sessions started, completed or closed as partial responses in a
-- window. Only finished and expired sessions are in the last two, so an
-- answer's save, which moves updated_at, touches them only when it
-- finishes a session.
CREATE INDEX sessions_started ON sessions (started_at);
CREATE INDEX sessions_completed ON sessions (updated_at) WHERE status = 'done';
CREATE INDEX sessions_expired ON sessions (expired_at) WHERE expired_at IS NOT NULL;

-- Every participant's latest answer to each demographic question (their
-- group) is read for every digest: these two make that read touch
-- only index pages, the answers to the demographics flow, about-you
-- (digest.DemographicsFlow: its questions define the subgroups), and
-- each session's owner and start. The answers come in session order, so
-- the sessions are looked up in key order, each page of their index
-- read once. Neither changes after a row is stored, so an answer's save
-- touches the first only for about-you.
CREATE INDEX answers_groups ON answers (flow_id, question_id, session_id, answered_at, choices, skipped, kind)
    WHERE flow_id = 'about-you' AND choices IS NOT NULL;
CREATE INDEX sessions_owner ON sessions (id, participant_id, started_at, flow_id);

-- Whether a participant has several sessions of a flow started before
-- the end of the period (their answers are then deduplicated), from the
-- index alone.
CREATE INDEX sessions_flow_started ON sessions (participant_id, flow_id, started_at);

-- Each participant's current consent, from the index alone.
CREATE INDEX consents_latest ON consents (participant_id, id, take_part, quotes);
