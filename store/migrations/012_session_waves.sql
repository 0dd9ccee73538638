-- 012_session_waves.sql: each session is a wave of its flow.
--
-- A flow with repeat: (weekly, monthly, every Nd) may be taken again once
-- its period has passed since the participant finished the previous
-- round; each round is a wave, numbered 1, 2, … per participant per flow
-- in the order the sessions started. A flow taken once can still be
-- answered again when the participant asks (a second set beside the
-- first): those sessions are numbered the same way, so the sessions
-- already stored are numbered here by when they started (the session id
-- breaking a tie), and every new session takes the next number
-- (store/session.go). The numbers are unique per participant and flow.
ALTER TABLE sessions ADD COLUMN wave INTEGER NOT NULL DEFAULT 1 CHECK (wave >= 1);

UPDATE sessions SET wave = (
    SELECT COUNT(*) FROM sessions AS earlier
    WHERE earlier.participant_id = sessions.participant_id
        AND earlier.flow_id = sessions.flow_id
        AND (earlier.started_at < sessions.started_at
            OR (earlier.started_at = sessions.started_at AND earlier.id <= sessions.id)));

CREATE UNIQUE INDEX sessions_wave ON sessions (participant_id, flow_id, wave);
