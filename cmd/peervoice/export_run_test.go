package main_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestRunExport runs the real binary against the emulator: a researcher's
// /export csv posts the zip of CSV files, scrubbed with digest.scrub_names
// as well as the usual details, in the research channel.
func TestRunExport(t *testing.T) {
	dir := exportFixture(t)
	e := newEmulator(t)
	g := e.AddGuild("Peer support")
	research := g.AddChannel("research")
	general := g.AddChannel("general")
	researcher := e.User("researcher")
	g.AddMember(researcher, g.AddRole("researchers", discordtest.PermissionManageGuild))
	cmd := exec.Command(bin, "run")
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "PEERVOICE_DISCORD_TOKEN="+e.Token(), "PEERVOICE_DISCORD_API_URL="+e.URL(),
		"PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID="+research.ID, "PEERVOICE_DIGEST_SCRUB_NAMES=Recovery", "PEERVOICE_DISCORD_GUILD_ID="+g.ID)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.WaitCommands(ctx, g.ID, "export"); err != nil {
		t.Fatalf("/export not registered: %v\n%s", err, out.String())
	}
	if _, err := researcher.RunCommandIn(general, "export", discordtest.Opt("format", "csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := researcher.WaitMessage(ctx, func(m discordtest.Message) bool {
		return m.Ephemeral && strings.Contains(m.Content, "Posted the export")
	}); err != nil {
		t.Fatalf("no confirmation: %v\n%s", err, out.String())
	}
	posted := e.ChannelMessages(research.ID)
	if len(posted) != 1 || len(posted[0].Attachments) != 1 {
		t.Fatalf("research channel holds %+v; want one message with the zip", posted)
	}
	data := posted[0].Attachments[0].Data
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var answers string
	for _, f := range zr.File {
		if f.Name == "answers.csv" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			answers = string(b)
		}
	}
	if !strings.Contains(answers, "[name] is my life back. Email me at [email] or ring [phone].") {
		t.Errorf("answers.csv is not scrubbed as configured:\n%s", answers)
	}
	for _, f := range forbidden(t, dir) {
		if strings.Contains(answers, f) {
			t.Errorf("answers.csv contains %q", f)
		}
	}
}
