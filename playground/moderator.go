package playground

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

// modView is the moderator view: the watched files' state, the flow
// previewed, and its simulated participants side by side.
type modView struct {
	state
	Flow     string
	Probs    []probView
	Changes  []string
	Files    []fileView
	Previews []colView
}

type probView struct {
	Text, Anchor string
}

type fileView struct {
	Name, Anchor string
	Lines        []lineView
}

type lineView struct {
	N    int
	Text string
	Bad  bool
}

// modColumns are the simulated participants of the moderator view.
var modColumns = []string{"m1", "m2", "m3"}

// participantPage is the participant view: one conversation, from the
// flow menu.
func (s *Server) participantPage(w http.ResponseWriter, r *http.Request) {
	c, _ := s.column("you")
	c.mu.Lock()
	var err error
	if len(c.items) == 0 {
		err = s.start(r.Context(), c)
	}
	v := c.view()
	c.mu.Unlock()
	if err != nil {
		s.fail(w, "start the conversation", err)
		return
	}
	p := s.newPage("participant")
	p.Cols = []colView{v}
	s.render(w, "participant.html", p)
}

func (s *Server) moderatorPage(w http.ResponseWriter, r *http.Request) {
	mv, err := s.modState(r.Context(), r.URL.Query().Get("flow"))
	if err != nil {
		s.fail(w, "preview the flow", err)
		return
	}
	p := s.newPage("moderator")
	p.Mod = mv
	p.Flows = s.svc.Flows().Flows()
	s.render(w, "moderator.html", p)
}

// moderatorPanel is polled by the page: nothing (204) while the files
// are as the page shows them (gen), else the panel afresh.
func (s *Server) moderatorPanel(w http.ResponseWriter, r *http.Request) {
	gen, _ := strconv.Atoi(r.URL.Query().Get("gen"))
	if s.flows.state().Gen == gen {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	mv, err := s.modState(r.Context(), "")
	if err != nil {
		s.fail(w, "preview the flow", err)
		return
	}
	s.render(w, "modpanel", mv)
}

// modState reads the watched files' state, and restarts the simulated
// participants on the flow previewed when the files changed or another
// flow was picked.
func (s *Server) modState(ctx context.Context, pick string) (*modView, error) {
	st := s.flows.state()
	cat := s.svc.Flows()
	s.mu.Lock()
	flow := s.modFlow
	if pick != "" {
		if _, err := cat.Get(pick); err == nil {
			flow = pick
		}
	}
	if st.Changed != "" && st.Gen != s.gen {
		flow = st.Changed // show what was just saved
	}
	if _, err := cat.Get(flow); err != nil && len(cat.Flows()) > 0 {
		flow = cat.Flows()[0].ID
	}
	restart := st.Gen != s.gen || flow != s.modFlow || s.cols["m1"] == nil
	if restart {
		s.gen, s.modFlow = st.Gen, flow
		s.runs++
		for _, id := range modColumns {
			s.cols[id] = &column{id: id, user: participant.User{Platform: "playground", ID: fmt.Sprintf("%s-%d", id, s.runs)}}
		}
	}
	cols := make([]*column, len(modColumns))
	for i, id := range modColumns {
		cols[i] = s.cols[id]
	}
	s.mu.Unlock()
	mv := &modView{state: st, Flow: flow}
	for _, c := range cols {
		c.mu.Lock()
		var err error
		if restart || len(c.items) == 0 {
			err = s.preview(ctx, c, flow)
		}
		mv.Previews = append(mv.Previews, c.view())
		c.mu.Unlock()
		if err != nil {
			return nil, err
		}
	}
	for _, ch := range st.Changes {
		mv.Changes = append(mv.Changes, ch.Detail())
	}
	mv.Probs, mv.Files = problemsView(st.Problems, st.Sources)
	return mv, nil
}

// preview starts c on flow with consent already given (yes, and yes to
// quotes): the moderator is previewing the flow, not the consent.
func (s *Server) preview(ctx context.Context, c *column, flow string) error {
	c.items, c.ask, c.form = nil, -1, nil
	reply, err := s.svc.Begin(ctx, c.user, flow, lang)
	for i := 0; err == nil && i < 3 && reply.Flow != nil && reply.Flow.ID == participant.ConsentFlowID; i++ {
		a, ok := lastAsk(reply)
		if !ok {
			break
		}
		reply, err = s.svc.Input(ctx, c.user, participant.Step{SessionID: reply.Session.ID, QuestionID: a.Question.ID,
			Input: flows.Input{Kind: flows.Choose, Choices: []string{"yes"}}})
	}
	if err != nil {
		return fmt.Errorf("preview %s: %w", flow, err)
	}
	c.note("Preview of " + flow + " as participant " + c.id[1:] + " (consent given).")
	c.show(reply, 0)
	return nil
}

// lastAsk is the question a reply asks, if any.
func lastAsk(r participant.Reply) (flows.Ask, bool) {
	for i := len(r.Outputs) - 1; i >= 0; i-- {
		if a, ok := r.Outputs[i].(flows.Ask); ok {
			return a, true
		}
	}
	return flows.Ask{}, false
}

// problemsView lists the problems, each linking to its line in the
// file's listing, shown beside them.
func problemsView(probs flows.Problems, sources map[string][]byte) ([]probView, []fileView) {
	if len(probs) == 0 {
		return nil, nil
	}
	files := map[string]int{}
	var fv []fileView
	bad := map[string]map[int]bool{}
	for _, p := range probs {
		if bad[p.File] == nil {
			bad[p.File] = map[int]bool{}
		}
		bad[p.File][p.Line] = true
	}
	var pv []probView
	for _, p := range probs {
		i, ok := files[p.File]
		if !ok {
			if src, has := sources[p.File]; has {
				i = len(fv)
				files[p.File] = i
				f := fileView{Name: p.File, Anchor: fmt.Sprintf("file-%d", i)}
				for n, line := range bytes.Split(src, []byte("\n")) {
					f.Lines = append(f.Lines, lineView{N: n + 1, Text: string(line), Bad: bad[p.File][n+1]})
				}
				fv = append(fv, f)
				ok = true
			}
		}
		v := probView{Text: p.Error()}
		if ok && p.Line > 0 {
			v.Anchor = fmt.Sprintf("file-%d-L%d", i, p.Line)
		}
		pv = append(pv, v)
	}
	return pv, fv
}
