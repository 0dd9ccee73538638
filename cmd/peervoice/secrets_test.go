package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil"
)

// TestRunRedactsEchoedToken: a proxy that echoes the request's headers
// into an error body puts the token in what discordgo returns; neither
// the log nor the error peervoice exits with may show it.
func TestRunRedactsEchoedToken(t *testing.T) {
	e := newEmulator(t)
	body := `{"message": "bad request", "echo": {"Authorization": "Bot ` + e.Token() + `", "X-Token": "` + e.Token() + `"}}`
	e.FailNext("PUT /applications/{application_id}/commands", 10, discordtest.Fault{Status: 400, RawBody: body, RawType: "application/json"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, format := range []string{"text", "json"} {
		cmd := exec.CommandContext(ctx, bin, "run")
		cmd.Dir = t.TempDir()
		cmd.Env = append(cleanEnv(), "PEERVOICE_DISCORD_TOKEN="+e.Token(), "PEERVOICE_DISCORD_API_URL="+e.URL(), "PEERVOICE_LOG_FORMAT="+format, "PEERVOICE_LOG_LEVEL=debug")
		out, err := cmd.CombinedOutput()
		if err == nil || ctx.Err() != nil {
			t.Fatalf("run with commands refused: %v\n%s", err, out)
		}
		if strings.Contains(string(out), e.Token()) || !strings.Contains(string(out), "[redacted]") || !strings.Contains(string(out), "bad request") {
			t.Errorf("run (log format %s) output:\n%s\nwant the error with the token [redacted]", format, out)
		}
	}
}

// TestRunRedactsLoggedErrors: the same echo in a reply to an interaction
// reaches the log through the bot's responder; the line is logged with
// the token [redacted].
func TestRunRedactsLoggedErrors(t *testing.T) {
	e := newEmulator(t)
	cmd := exec.Command(bin, "run")
	cmd.Dir = t.TempDir()
	cmd.Env = append(cleanEnv(), "PEERVOICE_DISCORD_TOKEN="+e.Token(), "PEERVOICE_DISCORD_API_URL="+e.URL())
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	waitFor(t, &out, "PeerVoice bot ready")
	body := `{"message": "proxy error", "echo": "Authorization: Bot ` + e.Token() + `"}`
	e.FailNext("", 100, discordtest.Fault{Status: 400, RawBody: body, RawType: "application/json"})
	if _, err := e.User("alice").RunCommand("survey", discordtest.Opt("flow", "recovery")); err != nil {
		t.Logf("survey: %v", err)
	}
	waitFor(t, &out, "proxy error")
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if got := out.String(); strings.Contains(got, e.Token()) || !strings.Contains(got, "Bot [redacted]") {
		t.Errorf("log:\n%s\nwant the echoed token [redacted]", got)
	}
}

// TestConfigFileModeWarning: a config file holding the token that its
// group or others can read is warned about by config check and by run;
// one only its owner can read, or one without the token, is not.
func TestConfigFileModeWarning(t *testing.T) {
	const token = "MTE4NDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz01"
	const warning = "holds discord.token and can be read by its group or by others (mode -rw-r--r--): run chmod 600 peervoice.yaml"
	tests := []struct {
		yaml string
		mode os.FileMode
		warn bool
	}{
		{"discord:\n  token: " + token + "\n", 0o644, true},
		{"discord:\n  token: " + token + "\n", 0o600, false},
		{"log:\n  level: info\n", 0o644, false},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		file := filepath.Join(dir, "peervoice.yaml")
		if err := os.WriteFile(file, []byte(tt.yaml), tt.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(file, tt.mode); err != nil { // past the umask
			t.Fatal(err)
		}
		r := peervoice(t, dir, "", nil, "config", "check")
		if got := strings.Contains(r.stderr, warning); got != tt.warn || strings.Contains(r.stderr, token) {
			t.Errorf("config check of %q at %v: stderr %q; want the warning: %v, and never the token", tt.yaml, tt.mode, r.stderr, tt.warn)
		}
		if !tt.warn || !strings.Contains(tt.yaml, "token") {
			continue
		}
		r = peervoice(t, dir, "", []string{"PEERVOICE_DISCORD_API_URL=http://" + testutil.ClosedAddr(t)}, "run")
		if r.code == 0 || !strings.Contains(r.stderr, warning) || strings.Contains(r.stderr, token) {
			t.Errorf("run with a readable config file: exit %d, stderr %q; want the warning, never the token", r.code, r.stderr)
		}
	}
}
