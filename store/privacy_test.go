package store_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/store"
)

// secretWords are free-text answers that must never reach the disk in clear.
var secretWords = []string{
	"my secret words about the ward",
	"my secret words: I stopped taking the tablets",
	"my secret words, said only here",
}

// dbFiles returns the database file and its -wal and -shm files, if present.
func dbFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		buf, err := os.ReadFile(path + suffix)
		if err == nil {
			out[path+suffix] = buf
		} else if !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return out
}

// assertAbsent fails if any needle appears in any file.
func assertAbsent(t *testing.T, when string, files map[string][]byte, needles map[string][]byte) {
	t.Helper()
	for name, buf := range files {
		for what, needle := range needles {
			if bytes.Contains(buf, needle) {
				t.Errorf("%s: %s holds %s in clear", when, name, what)
			}
		}
	}
}

func TestPrivacyOnDisk(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	var answers []store.Answer
	for i, w := range secretWords {
		answers = append(answers, textAnswer(string(rune('a'+i)), w))
	}
	s := f.session("s1", store.StatusActive)
	s.State = []byte(`{"user":"` + rawUserID + `","answers":{"a":"` + secretWords[0] + `"}}`)
	if err := f.db.SaveStep(ctx, s, answers, nil); err != nil {
		t.Fatal(err)
	}
	// A withdrawn participant's plaintext choices and pseudonym must go too.
	gone, _ := f.db.EnsureParticipant(ctx, f.db.Pseudonym("discord", "876543210987654321"))
	s2 := f.session("s2", store.StatusDone)
	s2.ParticipantID = gone.ID
	if err := f.db.SaveStep(ctx, s2, []store.Answer{choiceAnswer("q", "withdrawn_choice_xyz")}, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Withdraw(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}

	secret, err := store.ParseSecret(readFile(t, path+".key"))
	if err != nil {
		t.Fatal(err)
	}
	needles := map[string][]byte{
		"the raw user id":           []byte(rawUserID),
		"the withdrawn raw user id": []byte("876543210987654321"),
		"the secret (raw)":          secret,
		"the secret (hex)":          []byte(hex.EncodeToString(secret)),
		"the secret (HEX)":          []byte(strings.ToUpper(hex.EncodeToString(secret))),
	}
	for i, w := range secretWords {
		needles["free text "+string(rune('a'+i))] = []byte(w)
	}
	needles["the common words of the free text"] = []byte("my secret words")

	// While open, with the write-ahead log in use...
	open := dbFiles(t, path)
	if _, ok := open[path+"-wal"]; !ok {
		t.Errorf("no -wal file while open; is WAL mode on?")
	}
	assertAbsent(t, "while open", open, needles)

	// ...and after Close.
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	closed := dbFiles(t, path)
	assertAbsent(t, "after close", closed, needles)
	withdrawn := map[string][]byte{
		"the withdrawn pseudonym":        []byte(gone.Pseudonym),
		"the withdrawn plaintext choice": []byte("withdrawn_choice_xyz"),
	}
	assertAbsent(t, "after withdrawal and close", closed, withdrawn)

	// The pseudonym of a current participant is there: the scan does see
	// the file's text.
	if !bytes.Contains(closed[path], []byte(f.p.Pseudonym)) {
		t.Errorf("the participant's pseudonym is not in the database file; is the scan reading the right file?")
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	buf, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(buf)
}

// TestCiphertextBoundToRow: a ciphertext moved to another row, or
// altered, does not decrypt. Reading one session fails; a participant's
// answers and sessions are read with that one row marked Unreadable and
// the others intact, so one damaged row costs only itself.
func TestCiphertextBoundToRow(t *testing.T) {
	ctx := context.Background()
	unreadableAnswers := func(db *store.DB, f *fixture) (string, error) {
		as, err := db.Answers(ctx, f.p.ID)
		var bad []string
		for _, a := range as {
			if a.Unreadable {
				bad = append(bad, a.SessionID+"/"+a.QuestionID)
			} else if a.Text == "" {
				t.Errorf("answer %s/%s has lost its text", a.SessionID, a.QuestionID)
			}
		}
		return strings.Join(bad, ","), err
	}
	unreadableSessions := func(db *store.DB, f *fixture) (string, error) {
		ss, err := db.Sessions(ctx, f.p.ID)
		var bad []string
		for _, s := range ss {
			if s.Unreadable {
				bad = append(bad, s.ID)
			}
		}
		return strings.Join(bad, ","), err
	}
	tests := []struct {
		name, swap string
		read       func(db *store.DB, f *fixture) (string, error)
		want       string // the unreadable rows, or the error
	}{
		{
			name: "answer text swapped between questions",
			swap: `UPDATE answers SET text = (SELECT text FROM answers WHERE question_id = 'q2')
				WHERE session_id = 's1' AND question_id = 'q1'`,
			read: unreadableAnswers,
			want: "s1/q1",
		},
		{
			name: "answer text copied to another session",
			swap: `UPDATE answers SET text = (SELECT text FROM answers WHERE session_id = 's1' AND question_id = 'q1')
				WHERE session_id = 's2' AND question_id = 'q1'`,
			read: unreadableAnswers,
			want: "s2/q1",
		},
		{
			name: "answer text cut short",
			swap: `UPDATE answers SET text = substr(text, 1, 20) WHERE session_id = 's2' AND question_id = 'q1'`,
			read: unreadableAnswers,
			want: "s2/q1",
		},
		{
			name: "session state swapped",
			swap: `UPDATE sessions SET state = (SELECT state FROM sessions WHERE id = 's1') WHERE id = 's2'`,
			read: func(db *store.DB, f *fixture) (string, error) { _, err := db.Session(ctx, "s2"); return "", err },
			want: `state of session "s2"`,
		},
		{
			name: "session state altered",
			swap: `UPDATE sessions SET state = zeroblob(length(state)) WHERE id = 's1'`,
			read: unreadableSessions,
			want: "s1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := newPath(t)
			f := newFixture(t, path)
			f.step(t, "s1", store.StatusActive, textAnswer("q1", "one"), textAnswer("q2", "two"))
			f.step(t, "s2", store.StatusActive, textAnswer("q1", "three"))
			f.db.Close()

			raw := rawDB(t, path)
			if _, err := raw.ExecContext(ctx, tt.swap); err != nil {
				t.Fatal(err)
			}
			raw.Close()

			db := open(t, path, store.Options{})
			bad, err := tt.read(db, f)
			if strings.HasPrefix(tt.want, "state of") {
				if !errors.Is(err, store.ErrDecrypt) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("read after %s = %v; want ErrDecrypt naming %s", tt.name, err, tt.want)
				}
				return
			}
			if err != nil || bad != tt.want {
				t.Errorf("read after %s: unreadable %q, %v; want %q and no error", tt.name, bad, err, tt.want)
			}
		})
	}
}
