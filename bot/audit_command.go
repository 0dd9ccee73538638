package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/store"
)

// AuditReader reads the audit log for /audit; *store.DB satisfies it.
// /audit works when Config.Audit is one.
type AuditReader interface {
	AuditEntries(ctx context.Context, f store.AuditFilter) ([]audit.Entry, error)
}

var _ AuditReader = (*store.DB)(nil)

// Bounds of /audit's limit option.
const (
	defaultAuditLimit = 20
	maxAuditLimit     = 200
)

// auditCommand is /audit, for moderators and researchers alike: the
// latest entries of the audit log, shown to the one who asked alone.
func (b *Bot) auditCommand() command {
	perms := int64(discordgo.PermissionManageServer)
	dm := false
	minLimit := float64(1)
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "audit",
			Description:              "The latest privileged actions in PeerVoice's audit log (moderators and researchers)",
			DefaultMemberPermissions: &perms,
			DMPermission:             &dm,
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionInteger, Name: "limit",
				Description: fmt.Sprintf("How many of the latest entries (default %d, at most %d)", defaultAuditLimit, maxAuditLimit),
				MinValue:    &minLimit, MaxValue: maxAuditLimit,
			}, {
				Type: discordgo.ApplicationCommandOptionString, Name: "action",
				Description: "Only this action, or kind of action: e.g. export, digest, digest.post, prompt", MaxLength: 60,
			}},
		},
		routes: one(route{role: staff, handle: b.showAudit}),
	}
}

// showAudit lists the latest entries, oldest first: inline when they
// fit in a message, else as an attached text file.
func (b *Bot) showAudit(ctx context.Context, rq request) (reply, error) {
	rd, ok := b.cfg.Audit.(AuditReader)
	if !ok {
		return reply{}, userError{"The audit log is not available from this bot. Run `peervoice audit` on the server instead."}
	}
	limit := defaultAuditLimit
	if o, ok := rq.opts["limit"]; ok && o.Type == discordgo.ApplicationCommandOptionInteger {
		limit = min(max(int(o.IntValue()), 1), maxAuditLimit)
	}
	action := strings.TrimSpace(rq.str("action"))
	es, err := rd.AuditEntries(ctx, store.AuditFilter{Action: action, Limit: limit})
	if err != nil {
		return reply{}, fmt.Errorf("read the audit log: %w", err)
	}
	what := "the audit log"
	if action != "" {
		what = fmt.Sprintf("the audit log for %q", action)
	}
	if len(es) == 0 {
		return shown(message{Content: "No entries in " + what + "."}), nil
	}
	var sb strings.Builder
	for _, e := range es {
		sb.WriteString(b.auditLine(e))
		sb.WriteByte('\n')
	}
	head := fmt.Sprintf("The latest %d entries of %s, oldest first (times in %s). `peervoice audit verify` checks the chain.\n", len(es), what, b.cfg.Location)
	if text := head + "```\n" + sb.String() + "```"; len([]rune(text)) <= maxContent {
		return shown(message{Content: text}), nil
	}
	return shown(message{
		Content: head + "They are too many for a message, so they are in the attached file.",
		Files:   []*discordgo.File{{Name: "peervoice-audit.txt", ContentType: "text/plain; charset=utf-8", Reader: strings.NewReader(sb.String())}},
	}), nil
}

// auditLine is one entry as /audit shows it, as `peervoice audit` does.
func (b *Bot) auditLine(e audit.Entry) string {
	// A name cannot close the code block the lines are shown in.
	clean := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "`", "'"), "\n", " ") }
	line := fmt.Sprintf("#%d %s %s %s", e.Seq, e.At.In(b.cfg.Location).Format("2006-01-02 15:04"), clean(e.Actor.String()), e.Action)
	if e.Target != "" {
		line += " " + clean(e.Target)
	}
	line += " " + e.Outcome
	if e.Details != "" {
		line += ": " + clean(e.Details)
	}
	return line
}
