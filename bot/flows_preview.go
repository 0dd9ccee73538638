package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/release"
)

// A preview (/flows preview, or a draft's Preview button) walks a
// moderator through a draft or a version exactly as a participant sees
// it, in ephemeral messages. It runs on the same participant service
// type as the study, so the questions, buttons, Skip and Back, typed
// answers, languages and the crisis check behave as they will for
// participants; but each preview has a service of its own over a
// scratch store in memory (previewStore), with the previewed flow as
// its only flow. That is what keeps a preview out of the research data
// by construction: nothing of it is handed to the study's store, so it
// cannot reach answers, the sessions digests and exports read, or
// /mydata, whatever the preview does. (The other sound design, the
// flows engine driven from here, would have to copy the service's
// consent-free path, its safety check and its stale-click handling.)
//
// Its sessions' ids start with previewPrefix, which the study's never
// do (participant's ids are hex), so a click finds its way back to the
// preview's service (participantsFor), and needs the moderator role.

// previewPrefix starts every preview session's id.
const previewPrefix = "preview-"

// previewLifetime is how long a preview's scratch store is kept after
// it starts, and maxPreviews how many at most: a preview is a few
// minutes' walk, and its store is memory.
const (
	previewLifetime = 6 * time.Hour
	maxPreviews     = 100
)

// previewRun is one preview under way.
type previewRun struct {
	svc     *participant.Service
	flowID  string
	what    string // "draft", "v3"
	started time.Time
}

// previews are the previews under way, by session id.
type previews struct {
	mu   sync.Mutex
	runs map[string]*previewRun
}

func (p *previews) get(session string) *previewRun {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.runs[session]
}

// add keeps run, first dropping the runs older than previewLifetime and,
// beyond maxPreviews, the oldest.
func (p *previews) add(session string, run *previewRun) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.runs == nil {
		p.runs = map[string]*previewRun{}
	}
	for id, r := range p.runs {
		if run.started.Sub(r.started) > previewLifetime {
			delete(p.runs, id)
		}
	}
	for len(p.runs) >= maxPreviews {
		oldest := ""
		for id, r := range p.runs {
			if oldest == "" || r.started.Before(p.runs[oldest].started) {
				oldest = id
			}
		}
		delete(p.runs, oldest)
	}
	p.runs[session] = run
}

// isPreview reports whether a session id is a preview's.
func isPreview(session string) bool { return strings.HasPrefix(session, previewPrefix) }

// errPreviewOver is a click on a preview the bot no longer keeps.
var errPreviewOver = userError{"This preview is over (the bot restarted, or it was started hours ago). Start it again with `/flows preview`; nothing from it was stored."}

// participantsFor is the participant service a session's step goes to:
// the study's, or for a preview session that preview's (with its run,
// so replies carry the banner).
func (b *Bot) participantsFor(session string) (Participants, *previewRun, error) {
	if !isPreview(session) {
		return b.svc, nil, nil
	}
	run := b.previews.get(session)
	if run == nil {
		return nil, nil, errPreviewOver
	}
	return run.svc, run, nil
}

// privilegeOf is who may use a component: the role its action needs, or
// the moderator role for anything on a preview.
func privilegeOf(id ID) privilege {
	if p, ok := privilegedActions[id.Action]; ok {
		return p
	}
	if isPreview(id.Session) {
		return privilege{moderator, "flows preview"}
	}
	return privilege{anyone, "button " + string(id.Action)} // still refused from a server not served
}

// banner marks each of a preview's messages.
func (r *previewRun) banner(msgs []message) []message {
	text := fmt.Sprintf("🔍 **Preview of `%s` (%s)**: nothing you answer here is stored as research data.", r.flowID, r.what)
	for i := range msgs {
		if msgs[i].Content == "" {
			msgs[i].Content = text
		} else {
			msgs[i].Content = clip(text+"\n\n"+msgs[i].Content, maxContent)
		}
	}
	return msgs
}

func (b *Bot) flowsPreview(ctx context.Context, rq request) (reply, error) {
	return b.startPreview(ctx, rq.ic, rq.str("id"), rq.num("version"))
}

// startPreview starts a preview of version n of a flow, or with n 0 of
// its draft (of the live version when there is no draft), and shows its
// first question.
func (b *Bot) startPreview(ctx context.Context, ic *discordgo.InteractionCreate, flowID string, n int) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	src, what, err := previewSource(ctx, fa, flowID, n)
	if err != nil {
		return reply{}, flowError(flowID, err)
	}
	// The catalog of the preview's one flow, loaded as the study's are
	// (an fs.FS of one file; testing/fstest's MapFS is the standard
	// library's in-memory file system, and imports no testing).
	cat, probs := flows.Load(fstest.MapFS{flowID + ".yaml": {Data: src}}, "preview")
	if err := probs.Err(); err != nil {
		return reply{}, fmt.Errorf("preview %s: %w", flowID, err)
	}
	f := cat.Flows()[0]
	cfg := b.cfg.Preview
	cfg.Flows = func() *flows.Catalog { return cat }
	cfg.ConsentVersion = previewConsent
	// As long as the study's session ids (24 characters), so a preview's
	// custom ids fit Discord's 100 characters wherever the study's do.
	cfg.NewID = func() string { return previewPrefix + randomHex(8) }
	cfg.Log = b.log
	cfg.Reminders = false // a preview reminds no one
	svc, err := participant.New(newPreviewStore(), cfg)
	if err != nil {
		return reply{}, fmt.Errorf("preview %s: %w", flowID, err)
	}
	u := userOf(ic)
	unlock := b.lockUser(u.ID)
	pr, err := svc.Begin(ctx, person(u), f.ID, string(ic.Locale))
	if err != nil {
		unlock()
		return reply{}, fmt.Errorf("preview %s: %w", flowID, err)
	}
	run := &previewRun{svc: svc, flowID: f.ID, what: what, started: b.cfg.Now()}
	b.previews.add(pr.Session.ID, run)
	msgs := run.banner(renderReply(pr, false, pick(pr.Session.Lang, string(ic.Locale))))
	if len(msgs) == 0 {
		unlock()
		return reply{}, fmt.Errorf("preview %s: the flow showed nothing to start with", flowID)
	}
	r := shown(msgs[0])
	i := ic.Interaction
	r.after = holdUntilDone(func() {
		for _, m := range msgs[1:] {
			if _, err := b.followup(i, m, true); err != nil {
				return
			}
		}
	}, unlock)
	return r, nil
}

// previewSource is the source a preview walks through and what it is.
func previewSource(ctx context.Context, fa FlowAdmin, flowID string, n int) ([]byte, string, error) {
	if n > 0 {
		v, err := fa.Show(ctx, flowID, n)
		return v.Source, fmt.Sprintf("v%d", v.N), err
	}
	d, ok, err := fa.Draft(ctx, flowID)
	if err != nil {
		return nil, "", err
	}
	if ok {
		return d.Source, "draft", nil
	}
	v, err := fa.Show(ctx, flowID, 0)
	if errors.Is(err, release.ErrNoVersion) {
		return nil, "", userError{fmt.Sprintf("`%s` has no draft and no live version to preview.", flowID)}
	}
	return v.Source, fmt.Sprintf("v%d, live: there is no draft", v.N), err
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}
