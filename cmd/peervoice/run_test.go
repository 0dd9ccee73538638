package main_test

import (
	"context"
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

func TestRunWithoutToken(t *testing.T) {
	r := peervoice(t, t.TempDir(), "", nil, "run")
	if r.code == 0 || !strings.Contains(r.stderr, "PEERVOICE_DISCORD_TOKEN") || !strings.Contains(r.stderr, "peervoice chat") {
		t.Errorf("run without a token: exit %d, %q", r.code, r.stderr)
	}
}

// TestRunBinary runs the real binary against the emulator: a participant
// answers, the bot is killed (SIGKILL, no chance to tidy up) mid-flow, a
// second run carries on at the same question with the earlier answer
// intact, and SIGTERM then stops it cleanly.
func TestRunBinary(t *testing.T) {
	e := newEmulator(t)
	dir := t.TempDir()
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL()}
	start := func() (*exec.Cmd, *syncBuffer) {
		return runBinary(t, dir, env)
	}
	stop := func(cmd *exec.Cmd, out *syncBuffer) {
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("bot exit after SIGTERM: %v\n%s", err, out.String())
		}
		if !strings.Contains(out.String(), "PeerVoice bot stopped") {
			t.Errorf("no clean stop:\n%s", out.String())
		}
		if strings.Contains(out.String(), e.Token()) {
			t.Errorf("the token was logged")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd, out := start()
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
	if _, err := alice.WaitMessage(ctx, isQuestion("own_words")); err != nil {
		t.Fatal(err)
	}
	alice.SendDM("Answer given before a restart")
	if _, err := alice.WaitMessage(ctx, isQuestion("word_fits")); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Kill()
	cmd.Wait()

	cmd, out = start()
	alice.SendDM("1")
	if _, err := alice.WaitMessage(ctx, isQuestion("team_agrees")); err != nil {
		t.Fatalf("after a restart: %v", err)
	}
	stop(cmd, out)
	// The answers from both sides of the kill are on disk.
	db := storetest.Open(t, filepath.Join(dir, "peervoice.db"), store.Options{})
	defer db.Close()
	p, err := db.FindParticipant(ctx, db.Pseudonym("discord", alice.ID))
	if err != nil {
		t.Fatal(err)
	}
	answers, err := db.Answers(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 2 || answers[0].Text != "Answer given before a restart" || answers[1].Choices[0] != "fits_well" {
		t.Errorf("answers on disk = %+v", answers)
	}
}

func isQuestion(id string) func(discordtest.Message) bool {
	return func(m discordtest.Message) bool {
		for _, cid := range m.CustomIDs() {
			if p, err := bot.ParseID(cid); err == nil && p.Question == id && m.Interactive() {
				return true
			}
		}
		return false
	}
}

func sessionOf(m discordtest.Message) string {
	for _, cid := range m.CustomIDs() {
		if p, err := bot.ParseID(cid); err == nil && p.Session != "" {
			return p.Session
		}
	}
	return ""
}
