package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDigestPeopleKeptByTriggers checks the state migration 015's
// triggers keep (digest_people, digest_groups, digest_group_counts)
// against the rows it comes from, worked out in Go: after the random
// communities of TestDigestWindowsMatchFullScan (sessions handed to
// others, answers moved, emptied and given again, participants stored
// later, consents changed, sessions deleted, participants withdrawn),
// after more withdrawals, and after the migration's own fill is run
// again on the rows there.
func TestDigestPeopleKeptByTriggers(t *testing.T) {
	v1, v2 := dgVersions(t)
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for seed := range uint64(4) {
		db, _ := dgCommunity(t, seed, v1, v2, loc)
		where := fmt.Sprintf("seed %d", seed)
		dpCheck(t, db, where)

		// Withdrawals leave nothing of the participant in the state.
		var pids []int64
		rows, err := db.wr.QueryContext(ctx, `SELECT DISTINCT participant_id FROM digest_groups ORDER BY participant_id LIMIT 3`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var pid int64
			if err := rows.Scan(&pid); err != nil {
				t.Fatal(err)
			}
			pids = append(pids, pid)
		}
		rows.Close()
		for _, pid := range pids {
			if err := db.Withdraw(ctx, pid); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.wr.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM digest_people WHERE participant_id = ?1)
				+ (SELECT COUNT(*) FROM digest_groups WHERE participant_id = ?1)`, pid).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: participant %d withdrew; %d rows of theirs are left in the digest's state", where, pid, n)
			}
		}
		dpCheck(t, db, where+", after withdrawals")

		// The migration's fill, run again on the rows there, makes the same.
		src, err := migrationFS.ReadFile("migrations/015_digest_people.sql")
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		from, to := strings.Index(text, "-- The fill"), strings.Index(text, "-- The counts follow")
		if from < 0 || to < from {
			t.Fatal("015_digest_people.sql: no fill between '-- The fill' and '-- The counts follow'")
		}
		// As in the migration, with no trigger yet.
		var drops []string
		query := `SELECT 'DROP TRIGGER ' || name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'digest\_%' ESCAPE '\'`
		rows, err = db.wr.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var q string
			if err := rows.Scan(&q); err != nil {
				t.Fatal(err)
			}
			drops = append(drops, q)
		}
		rows.Close()
		if len(drops) < 10 {
			t.Fatalf("%s found %d triggers; want the migration's", query, len(drops))
		}
		for _, q := range append(drops, `DELETE FROM digest_group_counts`, `DELETE FROM digest_groups`, `DELETE FROM digest_people`, text[from:to]) {
			if _, err := db.wr.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		dpCheck(t, db, where+", filled again")
		db.Close()
	}
}

// dpCheck compares the digest's kept state with the rows'.
func dpCheck(t *testing.T, db *DB, where string) {
	t.Helper()
	ctx := context.Background()
	query := func(q string, f func(*sql.Rows) error) {
		t.Helper()
		rows, err := db.wr.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := f(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	type person struct {
		created          string
		takePart, quotes sql.NullInt64
		groups           map[string]*string
	}
	type group struct {
		first         *string
		at, validFrom string
		rowid         int64
	}
	// What the rows say: the latest consent by id, the latest about-you
	// answer by time and then rowid.
	want := map[int64]*person{}
	query(`SELECT id, created_at FROM participants`, func(r *sql.Rows) error {
		p := &person{groups: map[string]*string{}}
		var id int64
		err := r.Scan(&id, &p.created)
		want[id] = p
		return err
	})
	query(`SELECT participant_id, take_part, quotes FROM consents ORDER BY id`, func(r *sql.Rows) error {
		var id int64
		var tp, q int64
		if err := r.Scan(&id, &tp, &q); err != nil {
			return err
		}
		want[id].takePart, want[id].quotes = sql.NullInt64{Int64: tp, Valid: true}, sql.NullInt64{Int64: q, Valid: true}
		return nil
	})
	latest := map[[2]string]group{}
	query(`SELECT s.participant_id, a.question_id, a.choices, a.answered_at, s.started_at, a.rowid
		FROM answers a JOIN sessions s ON s.id = a.session_id
		WHERE a.flow_id = 'about-you' AND a.skipped = 0 AND a.choices IS NOT NULL AND a.kind IN ('choice', 'multi', 'scale')`, func(r *sql.Rows) error {
		var pid int64
		var qid, choices, at, started string
		var rowid int64
		if err := r.Scan(&pid, &qid, &choices, &at, &started, &rowid); err != nil {
			return err
		}
		var ids []string
		if err := json.Unmarshal([]byte(choices), &ids); err != nil || len(ids) == 0 {
			return nil
		}
		k := [2]string{fmt.Sprint(pid), qid}
		if old, ok := latest[k]; ok && (at < old.at || at == old.at && rowid < old.rowid) {
			return nil
		}
		latest[k] = group{first: &ids[0], at: at, validFrom: max(at, started), rowid: rowid}
		return nil
	})
	wantGroups := map[string]string{}
	for k, g := range latest {
		var pid int64
		fmt.Sscan(k[0], &pid)
		want[pid].groups[k[1]] = g.first
		wantGroups[k[0]+"/"+k[1]] = fmt.Sprintf("%s %s %s", *g.first, g.at, g.validFrom)
	}
	wantCounts := map[string]int64{}
	for _, p := range want {
		if p.takePart.Valid && p.takePart.Int64 == 1 {
			b, _ := json.Marshal(p.groups)
			wantCounts[string(b)]++
		}
	}

	// What the triggers kept.
	got := map[int64]*person{}
	query(`SELECT participant_id, created_at, take_part, quotes, groups FROM digest_people`, func(r *sql.Rows) error {
		p := &person{}
		var id int64
		var groups string
		if err := r.Scan(&id, &p.created, &p.takePart, &p.quotes, &groups); err != nil {
			return err
		}
		got[id] = p
		return json.Unmarshal([]byte(groups), &p.groups)
	})
	gotGroups := map[string]string{}
	query(`SELECT participant_id, question_id, first_choice, answered_at, valid_from FROM digest_groups`, func(r *sql.Rows) error {
		var pid, qid, at, valid string
		var first sql.NullString
		if err := r.Scan(&pid, &qid, &first, &at, &valid); err != nil {
			return err
		}
		gotGroups[pid+"/"+qid] = fmt.Sprintf("%s %s %s", first.String, at, valid)
		return nil
	})
	gotCounts := map[string]int64{}
	query(`SELECT groups, people FROM digest_group_counts`, func(r *sql.Rows) error {
		var groups string
		var n int64
		if err := r.Scan(&groups, &n); err != nil {
			return err
		}
		var m map[string]*string
		if err := json.Unmarshal([]byte(groups), &m); err != nil {
			return err
		}
		b, _ := json.Marshal(m)
		gotCounts[string(b)] += n
		return nil
	})

	if len(got) != len(want) {
		t.Errorf("%s: digest_people has %d participants; the participants table %d", where, len(got), len(want))
	}
	for id, w := range want {
		g := got[id]
		if g == nil {
			t.Errorf("%s: participant %d is not in digest_people", where, id)
			continue
		}
		if g.created != w.created || g.takePart != w.takePart || g.quotes != w.quotes || !maps.EqualFunc(g.groups, w.groups, func(a, b *string) bool {
			return a != nil && b != nil && *a == *b
		}) {
			t.Errorf("%s: participant %d: digest_people has %s %v %v %v; want %s %v %v %v", where, id,
				g.created, g.takePart, g.quotes, dpGroups(g.groups), w.created, w.takePart, w.quotes, dpGroups(w.groups))
		}
	}
	if !maps.Equal(gotGroups, wantGroups) {
		t.Errorf("%s: digest_groups differs from the latest answers:\n got %v\nwant %v", where, gotGroups, wantGroups)
	}
	for k, n := range gotCounts {
		if n == 0 {
			delete(gotCounts, k)
		}
	}
	if !maps.Equal(gotCounts, wantCounts) {
		t.Errorf("%s: digest_group_counts differs from the participants taking part:\n got %v\nwant %v", where, gotCounts, wantCounts)
	}
	if len(wantGroups) == 0 || len(wantCounts) < 2 {
		t.Errorf("%s: %d groups and %d combinations: too few to check the triggers", where, len(wantGroups), len(wantCounts))
	}
	var left int
	if err := db.wr.QueryRowContext(ctx, `SELECT COUNT(*) FROM digest_regroup`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%s: digest_regroup holds %d rows (%v); want none once a write is done", where, left, err)
	}
}

func dpGroups(m map[string]*string) string {
	var parts []string
	for k, v := range m {
		s := "<nil>"
		if v != nil {
			s = *v
		}
		parts = append(parts, k+"="+s)
	}
	return strings.Join(parts, ",")
}

// TestDigestPeopleThroughTheStore checks the kept state after the
// store's own writes, the answer path's among them (SaveStep, SaveConsent,
// DeleteSession, Withdraw), so that a change in how they write shows
// here: about-you answered, changed, answered again in a second session,
// consents changed, a session deleted, a participant withdrawn.
func TestDigestPeopleThroughTheStore(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "people.db"), Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fv := FlowVersion{Hash: "aboutyou1", FlowID: "about-you", Source: []byte("id: about-you\nquestions: []\n")}
	if err := db.SaveFlowVersion(ctx, fv); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var pids []int64
	for i := range 6 {
		p, err := db.EnsureParticipant(ctx, db.Pseudonym("discord", fmt.Sprint(900+i)))
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, p.ID)
		if err := db.SaveConsent(ctx, p.ID, Consent{Version: "1", TakePart: true, Quotes: i%2 == 0, GivenAt: at}); err != nil {
			t.Fatal(err)
		}
		for n, sid := range []string{fmt.Sprintf("ay%d", i), fmt.Sprintf("ay%d-again", i)} {
			// The session's start is kept as the bot keeps it, so that only
			// the answers' triggers work the groups out again.
			start := at.Add(time.Duration(n*24) * time.Hour)
			s := Session{ID: sid, ParticipantID: p.ID, FlowID: fv.FlowID, FlowVersion: fv.Hash, Status: StatusActive, State: []byte(`{}`), StartedAt: start}
			for k, q := range []string{"gender", "ethnicity", "gender"} { // gender answered twice, the later kept
				a := Answer{QuestionID: q, Kind: "choice", Choices: []string{[]string{"woman", "man", "white_british", "non_binary"}[(i+k+n)%4]},
					AnsweredAt: at.Add(time.Duration(n*24+k) * time.Hour)}
				if i == 3 && k == 1 {
					a.Skipped, a.Choices = true, nil
				}
				s.UpdatedAt = a.AnsweredAt
				if err := db.SaveStep(ctx, s, []Answer{a}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if i == 1 && n == 0 {
				break // one session only
			}
		}
	}
	dpCheck(t, db, "after the answers")
	if err := db.SaveConsent(ctx, pids[2], Consent{Version: "2", TakePart: false}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveConsent(ctx, pids[4], Consent{Version: "2", TakePart: true, Quotes: true}); err != nil {
		t.Fatal(err)
	}
	dpCheck(t, db, "after the consents")
	if err := db.DeleteSession(ctx, "ay0-again"); err != nil {
		t.Fatal(err)
	}
	dpCheck(t, db, "after a session deleted")
	if err := db.Withdraw(ctx, pids[5]); err != nil {
		t.Fatal(err)
	}
	dpCheck(t, db, "after a withdrawal")
}
