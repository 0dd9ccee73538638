package participant_test

import (
	"database/sql"
	"testing"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

// TestMyDataDamagedRow: one answer whose stored text is damaged, and a
// session whose state is, do not stop a participant seeing their data:
// the damaged answer says it could not be read, the other is shown.
func TestMyDataDamagedRow(t *testing.T) {
	e := newEnv(t)
	e.consent(alice, "recovery", "yes", "yes")
	e.say(alice, "Getting my life back on my own terms")
	if _, err := e.svc.Input(ctx, alice, participant.Step{Input: flows.Input{Kind: flows.Choose, Choices: []string{"fits_partly"}}}); err != nil {
		t.Fatal(err)
	}
	e.db.Close()

	raw, err := sql.Open("sqlite3", e.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE answers SET text = substr(text, 1, length(text) - 1) WHERE rowid = (SELECT MIN(rowid) FROM answers WHERE text IS NOT NULL)`,
		`UPDATE sessions SET state = zeroblob(length(state))`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	e.open(participant.Config{})

	d, err := e.svc.MyData(ctx, alice)
	if err != nil {
		t.Fatalf("MyData with a damaged row = %v; want the readable rest", err)
	}
	var got []string
	for _, a := range d.Answers {
		got = append(got, a.Answer)
	}
	if d.Unreadable != 1 || len(got) != 2 || got[0] != participant.UnreadableAnswer || got[1] != "It fits in some ways" {
		t.Errorf("MyData answers = %q, %d unreadable; want the first unreadable, then %q", got, d.Unreadable, "It fits in some ways")
	}
	if len(d.Flows) == 0 {
		t.Errorf("MyData lists no flows")
	}
}
