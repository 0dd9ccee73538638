package participant

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/peervoice/peervoice/flows"
)

// ConsentFlowID is the id of the built-in consent flow.
const ConsentFlowID = "consent"

// Question ids of the consent flow. Their answers go to the consent
// record, never to the research answers.
const (
	consentTakePart = "take_part"
	consentQuotes   = "quotes"
)

// DefaultStudyInfo is shown with the first consent question unless the
// config names a Markdown file of the study's own. It names no platform:
// every front end (Discord, the terminal) shows the same text.
const DefaultStudyInfo = `**About this study**

This community is running its own research into what recovery means to the people who use mental health services, in the spirit of user-led research: people with lived experience asking the questions, and listening to the answers.

- Taking part means answering short sets of questions in private. Nobody else in the community sees your answers.
- You can skip any question, stop whenever you like and carry on later.
- Your answers are stored under a code, never with your name or account id. Researchers see only anonymised summaries, and small numbers are hidden so no one can be picked out.
- If you agree, short quotes from your written answers may appear in those summaries, with personal details removed and only after a moderator checks them.
- You can see everything stored about you, and withdraw it, at any time.
- This is research, not a support service. Type help at any time to see where to get support.`

// consentFlow builds the consent flow: two choice questions, the study
// information shown with the first. It goes through the same parser as
// every flow, so front ends render it like any other, and its version
// (a hash of its text) changes whenever the information does.
func consentFlow(info string) (*flows.Flow, error) {
	type option struct {
		ID    string `yaml:"id"`
		Label string `yaml:"label"`
	}
	type question struct {
		ID      string            `yaml:"id"`
		Type    string            `yaml:"type"`
		Prompt  string            `yaml:"prompt"`
		Options []option          `yaml:"options"`
		Next    map[string]string `yaml:"next,omitempty"`
	}
	doc := struct {
		ID        string     `yaml:"id"`
		Title     string     `yaml:"title"`
		Intro     string     `yaml:"intro"`
		Theme     string     `yaml:"theme"`
		Questions []question `yaml:"questions"`
	}{
		ID:    ConsentFlowID,
		Title: "Taking part",
		Intro: info,
		Theme: "Consent",
		Questions: []question{{
			ID:     consentTakePart,
			Type:   "choice",
			Prompt: "Would you like to take part?",
			Options: []option{
				{ID: "yes", Label: "Yes, I'd like to take part"},
				{ID: "no", Label: "No, not now"},
			},
			Next: map[string]string{"no": flows.End},
		}, {
			ID:     consentQuotes,
			Type:   "choice",
			Prompt: "May we quote your written answers, anonymously, in research summaries? This is separate: you can take part either way.",
			Options: []option{
				{ID: "yes", Label: "Yes, you may quote me anonymously"},
				{ID: "no", Label: "No, please don't quote me"},
			},
		}},
	}
	src, err := yaml.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("consent flow: %w", err)
	}
	f, probs := flows.Parse(ConsentFlowID+".yaml", src)
	if err := probs.Err(); err != nil {
		return nil, fmt.Errorf("consent flow: %w", err)
	}
	return f, nil
}
