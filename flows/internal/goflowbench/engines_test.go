package goflowbench

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/nyaruka/gocommon/jsonx"
	"github.com/nyaruka/gocommon/urns"
	"github.com/nyaruka/goflow/assets"
	"github.com/nyaruka/goflow/assets/static"
	"github.com/nyaruka/goflow/envs"
	gf "github.com/nyaruka/goflow/flows"
	"github.com/nyaruka/goflow/flows/engine"
	"github.com/nyaruka/goflow/flows/resumes"
	"github.com/nyaruka/goflow/flows/triggers"

	"github.com/peervoice/peervoice/flows"
)

// questions is the length of the questionnaire both engines walk.
const questions = 10

var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// ours walks our flow in memory, or with the session through JSON between
// steps, answering "1" to every question, and returns the final session.
func ours(tb testing.TB, f *flows.Flow, viaJSON bool) flows.Session {
	s, _ := flows.Start(f, "0123456789abcdef01234567", "", t0)
	in := flows.Typed("1")
	for s.Status != flows.Done {
		if viaJSON {
			data, err := json.Marshal(s)
			if err != nil {
				tb.Fatal(err)
			}
			s = flows.Session{}
			if err := json.Unmarshal(data, &s); err != nil {
				tb.Fatal(err)
			}
		}
		var err error
		if s, _, err = flows.Resume(f, s, in, t0); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// goflow is what goflow needs to run the questionnaire.
type goflow struct {
	eng     gf.Engine
	sa      gf.SessionAssets
	env     envs.Environment
	flow    gf.Flow
	contact *gf.Contact
}

func newGoflow(tb testing.TB) *goflow {
	source, err := static.NewSource(GoflowAssets(questions))
	if err != nil {
		tb.Fatal(err)
	}
	env := envs.NewBuilder().Build()
	sa, err := engine.NewSessionAssets(env, source, nil)
	if err != nil {
		tb.Fatal(err)
	}
	flow, err := sa.Flows().Get(FlowUUID)
	if err != nil {
		tb.Fatal(err)
	}
	contact, err := gf.ReadContact(sa, json.RawMessage(`{
		"uuid": "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", "id": 1, "name": "P",
		"created_on": "2026-12-07T12:00:00Z", "fields": {}, "urns": ["tel:+12065551212"]}`), assets.PanicOnMissing)
	if err != nil {
		tb.Fatal(err)
	}
	return &goflow{eng: engine.NewBuilder().Build(), sa: sa, env: env, flow: flow, contact: contact}
}

// walk runs goflow's questionnaire to its end, answering "1" to every
// question, in memory or with the session through JSON between steps.
func (g *goflow) walk(tb testing.TB, viaJSON bool) gf.Session {
	trigger := triggers.NewBuilder(g.env, g.flow.Reference(false), g.contact).Manual().Build()
	session, _, err := g.eng.NewSession(g.sa, trigger)
	if err != nil {
		tb.Fatal(err)
	}
	urn := urns.URN("tel:+12065551212")
	for session.Status() == gf.SessionStatusWaiting {
		if viaJSON {
			data, err := jsonx.Marshal(session)
			if err != nil {
				tb.Fatal(err)
			}
			if session, err = g.eng.ReadSession(g.sa, data, assets.PanicOnMissing); err != nil {
				tb.Fatal(err)
			}
		}
		msg := gf.NewMsgIn(gf.MsgUUID("00000000-0000-4000-8000-00000000ffff"), urn, nil, "1", nil)
		if _, err := session.Resume(resumes.NewMsg(nil, nil, msg)); err != nil {
			tb.Fatal(err)
		}
	}
	return session
}

// TestSameWork checks that the comparison is fair: both engines take the
// same ten answers, each recognised as the first option, and finish.
func TestSameWork(t *testing.T) {
	f, probs := flows.Parse("compare.yaml", []byte(Questionnaire(questions)))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	g := newGoflow(t)
	for _, viaJSON := range []bool{false, true} {
		s := ours(t, f, viaJSON)
		if s.Status != flows.Done || len(s.Answers) != questions {
			t.Fatalf("ours (json %v): status %s, %d answers; want done, %d", viaJSON, s.Status, len(s.Answers), questions)
		}
		for id, a := range s.Answers {
			if a.Choices0() != "yes" {
				t.Errorf("ours (json %v): %s = %v; want yes", viaJSON, id, a.Choices)
			}
		}
		gs := g.walk(t, viaJSON)
		if gs.Status() != gf.SessionStatusCompleted {
			t.Fatalf("goflow (json %v): status %s; want completed", viaJSON, gs.Status())
		}
		results := gs.Runs()[0].Results()
		if len(results) != questions {
			t.Fatalf("goflow (json %v): %d results; want %d", viaJSON, len(results), questions)
		}
		for i := 1; i <= questions; i++ {
			r := results.Get(fmt.Sprintf("q%d", i))
			if r == nil || r.Category != "Yes" {
				t.Errorf("goflow (json %v): q%d = %+v; want category Yes", viaJSON, i, r)
			}
		}
	}
}
