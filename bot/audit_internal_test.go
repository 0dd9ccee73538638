package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/audit"
)

// TestStaffActorName: a staff member is named as the server showed them:
// their nickname there, else their global display name, else their user
// name.
func TestStaffActorName(t *testing.T) {
	tests := []struct {
		nick, global, user, want string
	}{
		{"Mo (mod)", "Morgan", "morgan_k", "Mo (mod)"},
		{"", "Morgan", "morgan_k", "Morgan"},
		{"", "", "morgan_k", "morgan_k"},
	}
	for _, tt := range tests {
		ic := &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{Member: &discordgo.Member{
			Nick: tt.nick, User: &discordgo.User{ID: "42", Username: tt.user, GlobalName: tt.global},
		}}}
		if got := staffActor(ic); got != (audit.Actor{Kind: audit.KindDiscord, ID: "42", Name: tt.want}) {
			t.Errorf("staffActor(nick %q, global %q, user %q) = %+v; want name %q", tt.nick, tt.global, tt.user, got, tt.want)
		}
	}
}

type failingRecorder struct{ calls int }

func (f *failingRecorder) Record(ctx context.Context, e audit.Entry) error {
	f.calls++
	if ctx.Err() != nil {
		return errors.New("called with a context already done")
	}
	return errors.New("disk I/O error")
}

// TestAuditFailureIsLogged: an entry that cannot be recorded is logged,
// with what it was, and never names the actor in the log; a context
// already done does not keep it from being tried.
func TestAuditFailureIsLogged(t *testing.T) {
	var buf bytes.Buffer
	rec := &failingRecorder{}
	l := auditLog{rec: rec, log: slog.New(slog.NewTextHandler(&buf, nil)), now: time.Now}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	l.record(done, audit.Entry{Actor: audit.Actor{Kind: audit.KindDiscord, ID: "9876543210", Name: "Mo"}, Action: "export", Outcome: audit.OK, Details: "format=csv scrubbed=true"})
	out := buf.String()
	if rec.calls != 1 || !strings.Contains(out, "could not record") || !strings.Contains(out, "action=export") || !strings.Contains(out, "disk I/O error") {
		t.Errorf("after a failed record (%d calls) the log reads %q; want the failure, the action and the error", rec.calls, out)
	}
	if strings.Contains(out, "9876543210") {
		t.Errorf("the log names the actor: %q", out)
	}
}
