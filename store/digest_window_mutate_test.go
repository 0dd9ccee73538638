package store

import (
	"context"
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
	// Consents changed: some stop taking part, some come back, quotes
	// allowed or not.
	for _, pid := range pids {
		if rng.IntN(100) < 25 {
			exec(`INSERT INTO consents (participant_id, version, take_part, quotes, given_at) VALUES (?, '2', ?, ?, ?)`,
				pid, rng.IntN(100) < 70, rng.IntN(2), at())
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
