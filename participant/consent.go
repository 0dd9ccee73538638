package participant

import (
	"context"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
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

// DefaultStudyInfoCy is DefaultStudyInfo in Welsh, shown to Welsh
// speakers while the config names no study information of its own.
const DefaultStudyInfoCy = `**Ynglŷn â'r astudiaeth hon**

Mae'r gymuned hon yn cynnal ei hymchwil ei hun i beth mae adferiad yn ei olygu i'r bobl sy'n defnyddio gwasanaethau iechyd meddwl, yn ysbryd ymchwil dan arweiniad defnyddwyr: pobl sydd â phrofiad bywyd yn gofyn y cwestiynau, ac yn gwrando ar yr atebion.

- Mae cymryd rhan yn golygu ateb setiau byr o gwestiynau yn breifat. Does neb arall yn y gweinydd yn gweld eich atebion.
- Gallwch hepgor unrhyw gwestiwn, stopio pryd bynnag y mynnwch chi, a pharhau yn nes ymlaen.
- Dydy eich enw a'ch id Discord byth yn cael eu cadw gyda'ch atebion. Dim ond crynodebau dienw y mae ymchwilwyr yn eu gweld, ac mae niferoedd bach yn cael eu cuddio fel nad oes modd adnabod neb.
- Os ydych chi'n cytuno, gall dyfyniadau byr o'ch atebion ysgrifenedig ymddangos yn y crynodebau hynny, heb fanylion personol, a dim ond ar ôl i gymedrolwr eu gwirio.
- Gallwch weld popeth sy'n cael ei gadw amdanoch chi, a'i dynnu'n ôl, unrhyw bryd.
- Ymchwil yw hyn, nid gwasanaeth cymorth. Teipiwch help unrhyw bryd i weld ble i gael cymorth.`

// consentFlow builds the consent flow: two choice questions, the study
// information shown with the first. It goes through the same parser as
// every flow, so front ends render it like any other, and its version
// (a hash of its text) changes whenever the information does. It is in
// English and Welsh; study information from the config (info != the
// default) is shown as written, in every language. intros is the
// information in each language as withRetention made it: with the
// retention period stated in that language when one is set.
func consentFlow(info string, intros map[string]string) (*flows.Flow, error) {
	type text = map[string]string
	type option struct {
		ID    string `yaml:"id"`
		Label text   `yaml:"label"`
	}
	type question struct {
		ID      string            `yaml:"id"`
		Type    string            `yaml:"type"`
		Prompt  text              `yaml:"prompt"`
		Options []option          `yaml:"options"`
		Next    map[string]string `yaml:"next,omitempty"`
	}
	var intro any = info
	if info == DefaultStudyInfo || intros["en"] != info {
		// In each language (the default's Welsh, the retention period
		// stated in each).
		intro = text(intros)
	}
	doc := struct {
		ID        string     `yaml:"id"`
		Title     text       `yaml:"title"`
		Intro     any        `yaml:"intro"`
		Theme     string     `yaml:"theme"`
		Languages []string   `yaml:"languages"`
		Default   string     `yaml:"default_language"`
		Questions []question `yaml:"questions"`
	}{
		ID:        ConsentFlowID,
		Title:     text{"en": "Taking part", "cy": "Cymryd rhan"},
		Intro:     intro,
		Theme:     "Consent",
		Languages: []string{"en", "cy"},
		Default:   "en",
		Questions: []question{{
			ID:     consentTakePart,
			Type:   "choice",
			Prompt: text{"en": "Would you like to take part?", "cy": "Hoffech chi gymryd rhan?"},
			Options: []option{
				{ID: "yes", Label: text{"en": "Yes, I'd like to take part", "cy": "Hoffwn, hoffwn gymryd rhan"}},
				{ID: "no", Label: text{"en": "No, not now", "cy": "Dim diolch, ddim nawr"}},
			},
			Next: map[string]string{"no": flows.End},
		}, {
			ID:   consentQuotes,
			Type: "choice",
			Prompt: text{
				"en": "May we quote your written answers, anonymously, in research summaries? This is separate: you can take part either way.",
				"cy": "Gawn ni ddyfynnu eich atebion ysgrifenedig, yn ddienw, mewn crynodebau ymchwil? Mae hyn ar wahân: gallwch gymryd rhan y naill ffordd neu'r llall.",
			},
			Options: []option{
				{ID: "yes", Label: text{"en": "Yes, you may quote me anonymously", "cy": "Cewch, cewch fy nyfynnu'n ddienw"}},
				{ID: "no", Label: text{"en": "No, please don't quote me", "cy": "Na chewch, peidiwch â'm dyfynnu i"}},
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

// beginConsent asks p for consent before flow then: the consent session
// under way if it is on the current consent flow, else a new one.
func (s *Service) beginConsent(ctx context.Context, p store.Participant, then, lang, chose string, now bool) (Reply, error) {
	rec, err := s.current(ctx, p.ID)
	if err == nil && rec.FlowID == ConsentFlowID {
		r, err := decode(rec)
		if err != nil {
			return Reply{}, err
		}
		if r.Session.Version == s.consent.Version {
			ns, outs, err := s.reopen(s.consent, r, chose, now)
			if err != nil {
				return Reply{}, fmt.Errorf("reopen consent: %w", err)
			}
			return s.save(ctx, p, s.consent, record{Session: ns, Then: then, Chose: chose}, outs)
		}
	}
	ns, outs := flows.Start(s.consent, s.cfg.NewID(), pick(lang, chose), s.cfg.Now())
	return s.save(ctx, p, s.consent, record{Session: ns, Then: then, Chose: chose}, outs)
}

// decide records the outcome of the consent flow and, on yes, starts the
// flow the participant asked for.
func (s *Service) decide(ctx context.Context, p store.Participant, r record, outs []flows.Output, reply Reply) (Reply, error) {
	ans := r.Session.Answers
	c := store.Consent{
		Version:  s.cfg.ConsentVersion,
		TakePart: ans[consentTakePart].Choices0() == "yes",
		Quotes:   ans[consentQuotes].Choices0() == "yes",
		GivenAt:  s.cfg.Now(),
	}
	if !c.TakePart {
		c.Quotes = false
	}
	reply.Flow, reply.Session, reply.Consent = s.consent, r.Session, &c
	if !c.TakePart && p.Consent == nil {
		// They never took part: keep nothing at all, not even the pseudonym.
		if err := s.st.Withdraw(ctx, p.ID); err != nil {
			return reply, fmt.Errorf("record consent: %w", err)
		}
		reply.Declined = true
		reply.Outputs = outs
		return reply, nil
	}
	if err := s.st.SaveConsent(ctx, p.ID, c); err != nil {
		return reply, fmt.Errorf("record consent: %w", err)
	}
	if err := s.st.DeleteSession(ctx, r.Session.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return reply, fmt.Errorf("record consent: %w", err)
	}
	if !c.TakePart {
		reply.Declined = true
		reply.Outputs = outs
		return reply, nil
	}
	p.Consent = &c
	if r.Then == "" {
		reply.Outputs = outs
		return reply, nil
	}
	f, err := s.cfg.Flows().Get(r.Then)
	if err != nil {
		reply.Outputs = outs
		return reply, nil // the flow was removed meanwhile; the front end offers the list
	}
	next, err := s.beginFlow(ctx, p, f, r.Session.Lang, r.Chose, false)
	next.Signpost, next.Consent = reply.Signpost, &c
	return next, err
}
