package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// dgMutate roughens a generated community the ways a real one is rough,
// for TestDigestWindowsMatchFullScan. bounds are stored times on the
// compared periods' edges.
func dgMutate(t *testing.T, db *DB, rng *rand.Rand, end time.Time, weeks int, bounds []string) {
	t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.wr.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ids := func(q string, args ...any) []int64 {
		t.Helper()
		rows, err := db.wr.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	pids := ids(`SELECT id FROM participants ORDER BY id`)
	pick := func() int64 { return pids[rng.IntN(len(pids))] }
	span := time.Duration(weeks) * 7 * 24 * time.Hour
	at := func() string { return formatTime(end.Add(-time.Duration(rng.Int64N(int64(span))))) }

	// Sessions handed to other participants: several sessions of a flow,
	// waves numbered on, demographic answers that change over time (and
	// text sealed with another's key: unreadable quotes).
	for _, rowid := range ids(`SELECT rowid FROM sessions ORDER BY rowid`) {
		if rng.IntN(100) >= 18 {
			continue
		}
		to := pick()
		exec(`UPDATE sessions SET participant_id = ?1,
			wave = (SELECT COALESCE(MAX(o.wave), 0) + 1 FROM sessions o WHERE o.participant_id = ?1 AND o.flow_id = sessions.flow_id)
			WHERE rowid = ?2`, to, rowid)
	}
	// Answers given at the same time as another of the same participant
	// to the same question, and on the periods' bounds.
	for _, rowid := range ids(`SELECT a.rowid FROM answers a JOIN sessions s ON s.id = a.session_id
		WHERE EXISTS (SELECT 1 FROM answers b JOIN sessions o ON o.id = b.session_id
			WHERE o.participant_id = s.participant_id AND b.flow_id = a.flow_id AND b.question_id = a.question_id AND b.rowid < a.rowid)`) {
		if rng.IntN(100) < 30 {
			exec(`UPDATE answers SET answered_at = (SELECT b.answered_at FROM answers b JOIN sessions o ON o.id = b.session_id
				JOIN sessions s ON s.id = answers.session_id
				WHERE o.participant_id = s.participant_id AND b.flow_id = answers.flow_id AND b.question_id = answers.question_id
					AND b.rowid < answers.rowid ORDER BY b.rowid LIMIT 1) WHERE rowid = ?`, rowid)
		}
	}
	for _, rowid := range ids(`SELECT rowid FROM answers`) {
		switch r := rng.IntN(1000); {
		case r < 40:
			exec(`UPDATE answers SET answered_at = ? WHERE rowid = ?`, bounds[rng.IntN(len(bounds))], rowid)
		case r < 50:
			exec(`UPDATE answers SET choices = '[]' WHERE rowid = ? AND choices IS NOT NULL`, rowid)
		case r < 60:
			exec(`UPDATE answers SET choices = json_insert(choices, '$[#]', json_extract(choices, '$[0]')) WHERE rowid = ? AND choices LIKE '["%'`, rowid)
		}
	}
	for _, rowid := range ids(`SELECT rowid FROM sessions`) {
		if rng.IntN(100) < 6 {
			exec(`UPDATE sessions SET started_at = ? WHERE rowid = ?`, bounds[rng.IntN(len(bounds))], rowid)
		}
		if rng.IntN(100) < 6 {
			exec(`UPDATE sessions SET updated_at = ? WHERE rowid = ?`, bounds[rng.IntN(len(bounds))], rowid)
		}
	}
	// Partial responses, closed at two times, one on a bound.
	if _, err := db.ExpireSessions(ctx, end.Add(-span/2), end.Add(-span/3)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExpireSessions(ctx, end.Add(-span/8), end.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE sessions SET expired_at = ? WHERE rowid IN (SELECT rowid FROM sessions WHERE status = 'expired' LIMIT 3)`, bounds[0])
	// Reminders sent, some on a bound.
	for i, sid := range ids(`SELECT rowid FROM sessions WHERE status != 'done'`) {
		if rng.IntN(100) < 40 {
			sent := at()
			if i%5 == 0 {
				sent = bounds[rng.IntN(len(bounds))]
			}
			exec(`INSERT OR IGNORE INTO reminders (session_id, participant_id, nonce, status, due_at, claimed_at, sent_at)
				SELECT id, participant_id, 'n', 'sent', ?1, ?1, ?1 FROM sessions WHERE rowid = ?2`, sent, sid)
		}
	}
	dgMutateLater(t, db, rng, end, bounds, exec, ids)
	// Consents changed: some stop taking part, some come back, quotes
	// allowed or not.
	for _, pid := range pids {
		if rng.IntN(100) < 25 {
			given := at()
			if rng.IntN(4) == 0 {
				given = formatTime(end.Add(time.Duration(rng.IntN(240)) * time.Hour)) // after every period's end
			}
			exec(`INSERT INTO consents (participant_id, version, take_part, quotes, given_at) VALUES (?, '2', ?, ?, ?)`,
				pid, rng.IntN(100) < 70, rng.IntN(2), given)
		}
	}
	// Some withdraw: every row of theirs goes.
	for _, pid := range pids {
		if rng.IntN(100) < 6 {
			if err := db.Withdraw(ctx, pid); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// dgMutateLater changes what migration 015's state keeps the ways a
// digest must undo for a period that ended before: about-you answered
// again in a second session (after the end of the data, on a period's
// bound, or at the same time as the first answers, with other options
// chosen), participants stored later than their answers, sessions
// deleted.
func dgMutateLater(t *testing.T, db *DB, rng *rand.Rand, end time.Time, bounds []string,
	exec func(string, ...any), ids func(string, ...any) []int64) {
	t.Helper()
	later := func() string { return formatTime(end.Add(time.Duration(rng.IntN(240)) * time.Hour)) }
	for _, rowid := range ids(`SELECT rowid FROM sessions WHERE flow_id = 'about-you' ORDER BY rowid`) {
		if rng.IntN(100) >= 35 {
			continue
		}
		started, same := later(), 0
		switch rng.IntN(4) {
		case 0:
			started = bounds[rng.IntN(len(bounds))]
		case 1:
			same = 1 // each answer at the time of the first
		}
		id := fmt.Sprintf("again-%d", rowid)
		exec(`INSERT INTO sessions (id, participant_id, flow_id, flow_version, status, state, key_version, started_at, updated_at, wave)
			SELECT ?1, participant_id, flow_id, flow_version, 'done', state, key_version, ?2, ?2,
				(SELECT MAX(o.wave) + 1 FROM sessions o WHERE o.participant_id = s.participant_id AND o.flow_id = s.flow_id)
			FROM sessions s WHERE rowid = ?3`, id, started, rowid)
		exec(`INSERT INTO answers (session_id, question_id, flow_id, flow_version, kind, choices, text, number, skipped, key_version, answered_at)
			SELECT ?1, question_id, flow_id, flow_version, kind,
				COALESCE((SELECT b.choices FROM answers b WHERE b.flow_id = a.flow_id AND b.question_id = a.question_id
					ORDER BY (b.rowid * ?4) % 1009 LIMIT 1), choices),
				NULL, number, skipped, key_version, CASE WHEN ?3 THEN answered_at ELSE ?2 END
			FROM answers a WHERE session_id = (SELECT id FROM sessions WHERE rowid = ?5)`, id, started, same, 1+rng.IntN(1000), rowid)
	}
	for _, pid := range ids(`SELECT id FROM participants`) {
		switch r := rng.IntN(100); {
		case r < 4:
			exec(`UPDATE participants SET created_at = ? WHERE id = ?`, later(), pid)
		case r < 8:
			exec(`UPDATE participants SET created_at = ? WHERE id = ?`, bounds[rng.IntN(len(bounds))], pid)
		}
	}
	for _, rowid := range ids(`SELECT rowid FROM sessions`) {
		if rng.IntN(100) < 3 {
			var id string
			if err := db.wr.QueryRow(`SELECT id FROM sessions WHERE rowid = ?`, rowid).Scan(&id); err != nil {
				t.Fatal(err)
			}
			if err := db.DeleteSession(context.Background(), id); err != nil {
				t.Fatal(err)
			}
		}
	}
}
