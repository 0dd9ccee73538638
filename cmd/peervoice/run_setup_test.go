package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/testutil"
)

// wrongToken looks like a bot token, but is not the emulator's.
const wrongToken = "MTk4NjIyNDgzNDcxOTI1MjQ4.Gwrong.notTheEmulatorsTokenAtAll_123"

// closedPort returns a loopback address nothing listens on.
var closedPort = testutil.ClosedAddr

// TestRefusedToken runs the binary with a token Discord refuses: the
// gateway's close 4004 for run, a REST 401 for digest --post. Each stops
// with where to get a token and where it is read from, and never shows
// the token.
func TestRefusedToken(t *testing.T) {
	e := newEmulator(t)
	ch := e.AddGuild("Peer support").AddChannel("research")
	dir := t.TempDir()
	if r := peervoice(t, dir, "", nil, "chat", "--user", "sam"); r.code != 0 {
		t.Fatalf("chat: exit %d\n%s", r.code, r.stderr) // a database for digest
	}
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + wrongToken, "PEERVOICE_DISCORD_API_URL=" + e.URL(), "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID=" + ch.ID}
	tests := []struct {
		name string
		args []string
		how  string
	}{
		{"run", []string{"run"}, "4004 Authentication failed"},
		{"digest --post", []string{"digest", "--period", "2026-W01", "--post"}, "HTTP 401 Unauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := peervoice(t, dir, "", env, tt.args...)
			if r.code == 0 {
				t.Fatalf("%s with a refused token: exit 0\n%s", tt.name, r.stderr)
			}
			for _, want := range []string{"Discord refused the bot token (", tt.how, "Developer Portal", "Bot → Reset Token", "PEERVOICE_DISCORD_TOKEN", "discord.token"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr+r.stdout, wrongToken) || strings.Contains(r.stderr, "notTheEmulators") {
				t.Errorf("the token was printed:\n%s", r.stderr)
			}
		})
	}
}

// TestBotPrefixSentOnce runs the bot with a token pasted with "Bot ":
// the emulator sees "Bot TOKEN", on the gateway and on every REST call,
// and so accepts it.
func TestBotPrefixSentOnce(t *testing.T) {
	e := newEmulator(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "peervoice.yaml")
	yaml := "discord:\n  token: \"Bot " + e.Token() + "\"\n  api_url: " + e.URL() + "\n"
	if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run")
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "PeerVoice bot ready") {
		if time.Now().After(deadline) || strings.Contains(out.String(), "peervoice:") {
			t.Fatalf("the bot never became ready:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got, want := e.GatewayStats().Token, "Bot "+e.Token(); got != want {
		t.Errorf("IDENTIFY token = %q; want %q", got, want)
	}
	reqs := e.Requests()
	if len(reqs) == 0 {
		t.Fatal("no REST requests")
	}
	for _, r := range reqs {
		if got, want := r.Header.Get("Authorization"), "Bot "+e.Token(); got != want {
			t.Errorf("%s %s: Authorization = %q; want %q", r.Method, r.Path, got, want)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("bot exit after SIGTERM: %v\n%s", err, out.String())
	}
}

// TestUnreachableNamesTheHost points discord.api_url, then
// discord.gateway_url, at a closed loopback port: the error names that
// host and port and the setting, never discord.com, which was not dialled.
func TestUnreachableNamesTheHost(t *testing.T) {
	e := newEmulator(t)
	addr := closedPort(t)
	dir := t.TempDir()
	token := "PEERVOICE_DISCORD_TOKEN=" + e.Token()
	if r := peervoice(t, dir, "", nil, "chat", "--user", "sam"); r.code != 0 {
		t.Fatalf("chat: exit %d\n%s", r.code, r.stderr) // a database for digest
	}
	tests := []struct {
		name string
		env  []string
		want []string
		args []string // nil: run
	}{
		{"api_url", []string{token, "PEERVOICE_DISCORD_API_URL=http://" + addr},
			[]string{"cannot reach the Discord API at " + addr, "connection refused", `discord.api_url is "http://` + addr + `"`}, nil},
		{"gateway_url", []string{token, "PEERVOICE_DISCORD_API_URL=" + e.URL(), "PEERVOICE_DISCORD_GATEWAY_URL=ws://" + addr},
			[]string{"cannot reach the Discord gateway at " + addr, "connection refused", `discord.gateway_url is "ws://` + addr + `"`}, nil},
		{"api_url without TLS", []string{token, "PEERVOICE_DISCORD_API_URL=https://" + strings.TrimPrefix(e.URL(), "http://")},
			[]string{"cannot reach the Discord API at " + strings.TrimPrefix(e.URL(), "http://"), "does not speak TLS: use http://", "discord.api_url"}, nil},
		{"digest --post", []string{token, "PEERVOICE_DISCORD_API_URL=http://" + addr, "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID=123"},
			[]string{"--post: post the digest: cannot reach the Discord API at " + addr, `discord.api_url is "http://` + addr + `"`}, []string{"digest", "--period", "2026-W01", "--post"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if args == nil {
				args = []string{"run"}
			}
			r := peervoice(t, dir, "", tt.env, args...)
			if r.code == 0 {
				t.Fatalf("%s: exit 0\n%s", args[0], r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "discord.com") {
				t.Errorf("stderr names discord.com, which was never dialled:\n%s", r.stderr)
			}
		})
	}
}

// TestRunUploadLimit: discord.upload_limit reaches the bot that run
// starts, which says at start-up how many bytes it uploads in one
// message; without the key it is Discord's limit for servers without
// boosts.
func TestRunUploadLimit(t *testing.T) {
	for _, tt := range []struct {
		name, value, want string
	}{
		{"default", "", "upload_limit=10485760"},
		{"boosted", "25MiB", "upload_limit=26214400"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEmulator(t)
			cmd := exec.Command(bin, "run")
			cmd.Dir = t.TempDir()
			cmd.Env = append(cleanEnv(), "PEERVOICE_DISCORD_TOKEN="+e.Token(), "PEERVOICE_DISCORD_API_URL="+e.URL())
			if tt.value != "" {
				cmd.Env = append(cmd.Env, "PEERVOICE_DISCORD_UPLOAD_LIMIT="+tt.value)
			}
			var out syncBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			waitFor(t, &out, "PeerVoice bot ready", tt.want)
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		})
	}
}
