package flows_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// answerer picks an input for a question, deterministically.
type answerer func(q *flows.Question) string

var strategies = []struct {
	name string
	pick answerer
}{
	{"first", func(q *flows.Question) string {
		switch q.Type {
		case flows.TypeMulti:
			return "1, 2"
		case flows.TypeText:
			return "My answer to " + q.ID
		case flows.TypeNumber:
			if q.Min != nil {
				return strconv.FormatFloat(*q.Min+1, 'f', -1, 64)
			}
			return "1"
		case flows.TypeInfo:
			return ""
		}
		return "1"
	}},
	{"last", func(q *flows.Question) string {
		switch q.Type {
		case flows.TypeMulti:
			return strconv.Itoa(len(q.Options))
		case flows.TypeText:
			return "Another answer to " + q.ID
		case flows.TypeNumber:
			if q.Max != nil {
				return strconv.FormatFloat(*q.Max, 'f', -1, 64)
			}
			return "10"
		case flows.TypeInfo:
			return ""
		}
		return strconv.Itoa(len(q.Options))
	}},
	{"skip", func(q *flows.Question) string { return "skip" }},
}

// TestTranscripts walks every default flow three ways (first options,
// last options, skipping everything), storing the session as JSON
// between steps as a host must, and compares the conversation with
// testdata/transcripts/FLOW-WAY.txt.
func TestTranscripts(t *testing.T) {
	c, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Flows() {
		for _, st := range strategies {
			t.Run(f.ID+"-"+st.name, func(t *testing.T) {
				var b strings.Builder
				s, outs := flows.Start(f, "s", "", t0)
				fmt.Fprintf(&b, "# %s (%s), answering: %s\n", f.Title, f.ID, st.name)
				for step := 0; ; step++ {
					ask := transcribe(&b, outs)
					if ask == nil {
						break
					}
					if step > 3*f.Len() {
						t.Fatalf("no end after %d steps", step)
					}
					line := st.pick(ask.Question)
					fmt.Fprintf(&b, "> %s\n", line)
					s, outs, err = flows.Resume(f, roundTrip(t, s), flows.Typed(line), t0)
					if err != nil {
						t.Fatal(err)
					}
				}
				if s.Status != flows.Done {
					t.Errorf("status = %s; want done", s.Status)
				}
				golden(t, filepath.Join("testdata", "transcripts", f.ID+"-"+st.name+".txt"), b.String())
			})
		}
	}
}

// transcribe writes outputs as a reader would see them and returns the
// question asked, or nil at the end.
func transcribe(b *strings.Builder, outs []flows.Output) *flows.Ask {
	var ask *flows.Ask
	for _, o := range outs {
		switch o := o.(type) {
		case flows.Ask:
			if o.Intro != "" {
				fmt.Fprintf(b, "%s\n", o.Intro)
			}
			fmt.Fprintf(b, "\n[%s] %s (%s, theme: %s)\n%s\n", o.Progress, o.Question.ID, o.Question.Type, o.Question.Theme, o.Question.Prompt)
			for i, opt := range o.Question.Options {
				fmt.Fprintf(b, "  %d. %s\n", i+1, opt.Label)
			}
			ask = &o
		case flows.Invalid:
			fmt.Fprintf(b, "! %s\n", o.Reason)
		case flows.Answered:
			fmt.Fprintf(b, "= %s\n", o.Question.Format(o.Answer, ""))
		case flows.Cleared:
			fmt.Fprintf(b, "(cleared %s)\n", strings.Join(o.QuestionIDs, ", "))
		case flows.Finished:
			fmt.Fprintf(b, "\nFinished. %s\n", o.Outro)
		}
	}
	return ask
}
