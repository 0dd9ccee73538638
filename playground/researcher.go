package playground

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/peervoice/peervoice/digest/chart"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/research"
)

// resView is the researcher view: the digest of this week's answers,
// the same HTML digest `peervoice digest --format html` writes.
type resView struct {
	Period string
	Digest template.HTML
	Filled int // participants just added by the sample button
}

// SampleParticipants is how many synthetic participants the "Fill with
// sample answers" button adds: enough for some figures to pass the
// disclosure control and others, split into groups, to be held back.
const SampleParticipants = 36

// currentWeek names this ISO week: the playground's answers are all
// recent, and the digest's default (the last complete week) would show
// none of them.
func currentWeek(now time.Time) string {
	y, w := now.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

func (s *Server) researcherPage(w http.ResponseWriter, r *http.Request) {
	period := currentWeek(time.Now())
	d, err := s.builder().Digest(r.Context(), period)
	if err != nil {
		s.fail(w, "build the digest", err)
		return
	}
	figs, err := chart.Figures(d, chart.Options{})
	if err != nil {
		s.fail(w, "draw the digest's charts", err)
		return
	}
	var b bytes.Buffer
	if err := d.WriteHTMLFigures(&b, figs); err != nil {
		s.fail(w, "write the digest", err)
		return
	}
	p := s.newPage("researcher")
	p.Res = &resView{Period: period, Digest: template.HTML(body(b.String()))}
	p.Res.Filled, _ = strconv.Atoi(r.URL.Query().Get("filled"))
	s.render(w, "researcher.html", p)
}

// builder builds the digest and export with the defaults of `peervoice
// digest`, but for the groups compared: the default ones (digest.
// DefaultSubgroups) are questions of the built-in about-you flow, and a
// flows directory without it compares none rather than fail.
func (s *Server) builder() *research.Builder {
	cfg := research.Config{Flows: s.flows.Catalog, Crisis: s.det}
	if _, err := s.flows.Catalog().Get("about-you"); err != nil {
		cfg.Subgroups = []string{}
	}
	return research.New(s.cfg.DB, cfg)
}

// body is what is inside an HTML page's <body>: the digest's own page
// goes inside the playground's, which styles it.
func body(page string) string {
	_, after, ok := strings.Cut(page, "<body>")
	if !ok {
		return page
	}
	before, _, _ := strings.Cut(after, "</body>")
	// The digest's headings start at h1; the playground's page has its own.
	r := strings.NewReplacer("<h1>", "<h2>", "</h1>", "</h2>", "<h2>", "<h3>", "</h2>", "</h3>", "<h3>", "<h4>", "</h3>", "</h4>")
	return r.Replace(before)
}

// exportZip downloads the research export as the zip of CSV files that
// `peervoice export --format csv` writes, scrubbed as it is.
func (s *Server) exportZip(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	if _, err := s.builder().Export(r.Context(), &b, research.ExportCSV); err != nil {
		s.fail(w, "export the answers", err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="peervoice-playground-export.zip"`)
	w.Write(b.Bytes())
}

// fill adds SampleParticipants synthetic participants, each through the
// participant service as a person would go: consent, then a few flows
// answered to the end.
func (s *Server) fill(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.fills++
	batch := s.fills
	s.mu.Unlock()
	rng := rand.New(rand.NewPCG(uint64(batch), 14))
	for i := range SampleParticipants {
		u := participant.User{Platform: "playground-sample", ID: fmt.Sprintf("sample-%d-%d", batch, i)}
		if err := s.sample(r.Context(), u, rng); err != nil {
			s.fail(w, "add sample answers", err)
			return
		}
	}
	http.Redirect(w, r, "/researcher?filled="+strconv.Itoa(SampleParticipants), http.StatusSeeOther)
}

// sampleFlows are the flows a sample participant answers: recovery,
// what-matters and about-you (so groups can be compared) where they are
// served, else the first three served.
func (s *Server) sampleFlows() []string {
	cat := s.svc.Flows()
	var ids []string
	for _, id := range []string{"recovery", "what-matters", "about-you"} {
		if _, err := cat.Get(id); err == nil {
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 {
		return ids
	}
	for i, f := range cat.Flows() {
		if i < 3 {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

var sampleWords = []string{
	"Having a life that feels like mine again, with people who listen.",
	"Getting back to work and seeing my friends.",
	"Being believed about what helps me.",
	"Feeling safe at home and in control of my treatment.",
	"Peer support groups helped more than anything else.",
}

func (s *Server) sample(ctx context.Context, u participant.User, rng *rand.Rand) error {
	started := false
	for _, id := range s.sampleFlows() {
		reply, err := s.svc.Begin(ctx, u, id, lang)
		for n := 0; err == nil && n < 200; n++ {
			a, ok := lastAsk(reply)
			if !ok {
				break
			}
			reply, err = s.svc.Input(ctx, u, participant.Step{SessionID: reply.Session.ID, QuestionID: a.Question.ID, Input: sampleInput(a.Question, reply.Flow, rng)})
		}
		if err != nil {
			return fmt.Errorf("sample participant: %w", err)
		}
		started = true
	}
	if !started {
		return fmt.Errorf("sample participant: no flow is served")
	}
	return nil
}

// sampleInput answers q at random; consent is yes (and quotes yes, so
// the digest has quote candidates to hold for approval).
func sampleInput(q *flows.Question, f *flows.Flow, rng *rand.Rand) flows.Input {
	if f.ID == participant.ConsentFlowID {
		return flows.Input{Kind: flows.Choose, Choices: []string{"yes"}}
	}
	if rng.IntN(10) == 0 && q.Type != flows.TypeInfo {
		return flows.Input{Kind: flows.Skip}
	}
	switch q.Type {
	case flows.TypeChoice, flows.TypeScale:
		if len(q.Options) > 0 {
			return flows.Input{Kind: flows.Choose, Choices: []string{q.Options[rng.IntN(len(q.Options))].ID}}
		}
	case flows.TypeMulti:
		if len(q.Options) > 0 {
			return flows.Input{Kind: flows.Choose, Choices: []string{q.Options[rng.IntN(len(q.Options))].ID}}
		}
	case flows.TypeNumber:
		lo, hi := 18.0, 70.0
		if q.Min != nil {
			lo = *q.Min
		}
		if q.Max != nil {
			hi = *q.Max
		}
		return flows.Input{Kind: flows.Enter, Text: strconv.Itoa(int(lo) + rng.IntN(int(hi-lo)+1))}
	case flows.TypeText:
		return flows.Input{Kind: flows.Enter, Text: sampleWords[rng.IntN(len(sampleWords))]}
	}
	return flows.Input{Kind: flows.Enter}
}
