package export_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/store"
)

// TestDamagedRows: answers whose text cannot be decrypted (one cut
// short, and all of one participant's, whose wrapped key was replaced by
// another's) are left out of the export and counted, in the Summary and
// the About table; the rest is exported as before.
func TestDamagedRows(t *testing.T) {
	e := scenario(t)
	_, _, clean := e.csvExport(export.Options{})
	alice, err := e.db.FindParticipant(ctx, e.db.Pseudonym("discord", aliceID))
	if err != nil {
		t.Fatal(err)
	}
	bob, err := e.db.FindParticipant(ctx, e.db.Pseudonym("discord", bobID))
	if err != nil {
		t.Fatal(err)
	}
	e.db.Close()

	raw, err := sql.Open("sqlite3", e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var bobTexts int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM answers a JOIN sessions s ON s.id = a.session_id
		WHERE s.participant_id = ? AND a.text IS NOT NULL`, bob.ID).Scan(&bobTexts); err != nil || bobTexts == 0 {
		t.Fatalf("bob's text answers: %d, %v; want some", bobTexts, err)
	}
	for _, q := range []string{
		// alice's first text answer, cut short
		`UPDATE answers SET text = substr(text, 1, length(text) - 4) WHERE rowid = (SELECT a.rowid FROM answers a
			JOIN sessions s ON s.id = a.session_id WHERE s.participant_id = ? AND a.text IS NOT NULL ORDER BY a.rowid LIMIT 1)`,
		// bob's key replaced by alice's: wrapped for another participant
		`UPDATE participant_keys SET wrapped = (SELECT wrapped FROM participant_keys WHERE participant_id = ?) WHERE participant_id = ?`,
	} {
		args, file := []any{alice.ID}, raw
		if strings.Contains(q, "participant_keys SET") {
			// The keys are in the keyring file beside the database.
			if file, err = sql.Open("sqlite3", e.path+".keyring"); err != nil {
				t.Fatal(err)
			}
			defer file.Close()
			args = append(args, bob.ID)
		}
		if _, err := file.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	if e.db, err = store.Open(ctx, e.path, store.Options{Now: e.clock}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })

	records, raws, sum := e.csvExport(export.Options{})
	want := 1 + bobTexts
	if sum.Unreadable != want || sum.Answers != clean.Answers-want {
		t.Errorf("Summary = %+v; want %d unreadable and %d answers (of %d)", sum, want, clean.Answers-want, clean.Answers)
	}
	if got := len(records["answers.csv"]) - 1; got != sum.Answers {
		t.Errorf("answers.csv has %d rows; want %d", got, sum.Answers)
	}
	about := raws["about.csv"]
	if !strings.Contains(about, "Unreadable,") || !strings.Contains(about, "could not be decrypted") {
		t.Errorf("about.csv does not say answers were left out:\n%s", about)
	}
	if strings.Contains(raws["answers.csv"], "Being listened to") {
		t.Errorf("answers.csv holds bob's words, encrypted under a key that is no longer his")
	}

	// The workbook says so too.
	b, xsum := e.xlsxExport(export.Options{})
	_, sheets := sheets(t, b)
	found := false
	for _, row := range sheets[export.SheetAbout] {
		if len(row) > 1 && row[0] == "Unreadable" && strings.HasPrefix(row[1], strconv.Itoa(want)+" answer(s)") {
			found = true
		}
	}
	if !found || xsum.Unreadable != want {
		t.Errorf("workbook: About = %q, %d unreadable; want a row saying %d answer(s) could not be decrypted", sheets[export.SheetAbout], xsum.Unreadable, want)
	}
}
