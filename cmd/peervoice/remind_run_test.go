package main_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// TestRemindersRunBinaryKilled runs the real binary, reminders on,
// against the emulator: a participant stops for now; the database is
// moved on four days (the session's last activity rewritten, as the
// binary's clock cannot be); the next run sends the reminder and is
// killed (SIGKILL) the moment it is in the participant's DMs, wherever
// it was between sending and recording; the run after that leaves
// exactly one reminder in the DMs, recorded as sent, every attempt with
// the same nonce.
func TestRemindersRunBinaryKilled(t *testing.T) {
	e := newEmulator(t)
	dir := t.TempDir()
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL(),
		"PEERVOICE_REMINDERS_ENABLED=true", "PEERVOICE_REMINDERS_QUIET_HOURS=off", "PEERVOICE_REMINDERS_DELAY=3d"}
	start := func() (*exec.Cmd, *syncBuffer) {
		return runBinary(t, dir, env)
	}
	kill := func(cmd *exec.Cmd) {
		cmd.Process.Kill()
		cmd.Wait()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	isReminder := func(m discordtest.Message) bool {
		for _, cid := range m.CustomIDs() {
			if id, err := bot.ParseID(cid); err == nil && id.Action == bot.ActCarryOn {
				return true
			}
		}
		return false
	}

	cmd, _ := start()
	alice := e.User("alice")
	if _, err := alice.RunCommand("survey", discordtest.Opt("flow", "recovery")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"take_part", "quotes"} {
		m, err := alice.WaitMessage(ctx, isQuestion(q))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := alice.Click(m, bot.ID{Action: bot.ActAnswer, Session: sessionOf(m), Question: q, Value: "yes"}.String()); err != nil {
			t.Fatal(err)
		}
	}
	m, err := alice.WaitMessage(ctx, isQuestion("own_words"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Click(m, bot.ID{Action: bot.ActStop, Session: sessionOf(m), Question: "own_words"}.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(ctx, func(m discordtest.Message) bool { return strings.HasPrefix(m.Content, "Paused.") }); err != nil {
		t.Fatal(err)
	}
	kill(cmd)

	path := filepath.Join(dir, "peervoice.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	fourDaysAgo := time.Now().Add(-96 * time.Hour).UTC().Format("2006-01-02T15:04:05.000000000Z")
	if res, err := raw.Exec(`UPDATE sessions SET updated_at = ? WHERE status = 'paused'`, fourDaysAgo); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d paused sessions; want alice's one", n)
	}
	raw.Close()

	cmd, out := start()
	if _, err := alice.WaitMessage(ctx, isReminder); err != nil {
		t.Fatalf("no reminder after the delay: %v\n%s", err, out.String())
	}
	kill(cmd) // somewhere between sending and recording, or after

	cmd, out = start()
	cmd.Process.Signal(syscall.SIGTERM) // its first check runs before it stops
	if err := cmd.Wait(); err != nil {
		t.Errorf("bot exit after SIGTERM: %v\n%s", err, out.String())
	}

	n := 0
	for _, m := range alice.Messages() {
		if isReminder(m) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("alice has %d reminders in her DMs; want exactly 1", n)
	}
	nonces := map[string]bool{}
	for _, req := range e.RequestsTo("POST /channels/{channel_id}/messages") {
		var body struct {
			Nonce        string `json:"nonce"`
			EnforceNonce bool   `json:"enforce_nonce"`
		}
		if json.Unmarshal(req.Body, &body) == nil && body.EnforceNonce {
			nonces[body.Nonce] = true
		}
	}
	if len(nonces) != 1 {
		t.Errorf("reminder sends carried nonces %v; want one nonce for every attempt", nonces)
	}
	db := storetest.Open(t, path, store.Options{})
	defer db.Close()
	rs, err := db.Reminders(ctx)
	if err != nil || len(rs) != 1 || rs[0].Status != store.ReminderSent {
		t.Errorf("stored reminders = %+v, %v; want one, sent", rs, err)
	}
}
