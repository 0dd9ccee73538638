package participant_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

// intro is the study information a consent question shows.
func intro(t *testing.T, r participant.Reply) string {
	t.Helper()
	for _, o := range r.Outputs {
		if a, ok := o.(flows.Ask); ok && a.Intro != "" {
			return a.Intro
		}
	}
	t.Fatalf("no study information in %+v", r.Outputs)
	return ""
}

// TestRetentionStatedBeforeConsent: with a retention period set, the
// study information states it, in English and Welsh, and the consent
// version recorded changes with the period, so a participant who
// consented before is asked again; without one, nothing changes.
func TestRetentionStatedBeforeConsent(t *testing.T) {
	e := newEnv(t)
	r := e.consent(alice, "recovery", "yes", "yes")
	if r.Consent == nil || r.Consent.Version != "1" {
		t.Fatalf("consent without retention = %+v; want version 1 as configured", r.Consent)
	}

	year := 365 * 24 * time.Hour
	e.open(participant.Config{ConsentVersion: "1", Retention: participant.Retention{FreeText: 90 * 24 * time.Hour, Answers: 3 * year}})
	r, err := e.svc.Begin(ctx, alice, "recovery", "")
	if err != nil {
		t.Fatal(err)
	}
	if asked(r) != "take_part" {
		t.Fatalf("Begin with a new retention period asked %q; want consent again", asked(r))
	}
	for _, want := range []string{"The words of your written answers are deleted 90 days after you give them.", "All your answers are deleted 3 years after you give them."} {
		if got := intro(t, r); !strings.Contains(got, want) {
			t.Errorf("study information:\n%s\nwant it to say %q", got, want)
		}
	}
	cy, err := e.svc.BeginIn(ctx, participant.User{Platform: "terminal", ID: "cymro"}, "recovery", "cy")
	if err != nil {
		t.Fatal(err)
	}
	if got := intro(t, cy); !strings.Contains(got, "Mae eich holl atebion yn cael eu dileu 3 o flynyddoedd ar ôl i chi eu rhoi.") {
		t.Errorf("Welsh study information:\n%s\nwant the period stated in Welsh", got)
	}
	r = e.say(alice, "yes")
	r = e.say(alice, "yes")
	first := r.Consent
	if first == nil || !strings.HasPrefix(first.Version, "1+retention-") {
		t.Fatalf("consent with retention = %+v; want version 1+retention-HASH", first)
	}

	// The same period: consent stands. Another: asked again.
	e.open(participant.Config{ConsentVersion: "1", Retention: participant.Retention{FreeText: 90 * 24 * time.Hour, Answers: 3 * year}})
	if r, err := e.svc.Begin(ctx, alice, "recovery", ""); err != nil || asked(r) == "take_part" {
		t.Errorf("Begin with the same period asked %q, %v; want no new consent", asked(r), err)
	}
	e.open(participant.Config{ConsentVersion: "1", Retention: participant.Retention{Answers: year}})
	r, err = e.svc.Begin(ctx, alice, "recovery", "")
	if err != nil || asked(r) != "take_part" {
		t.Fatalf("Begin with another period asked %q, %v; want consent again", asked(r), err)
	}
	if got := intro(t, r); !strings.Contains(got, "All your answers are deleted one year after you give them.") || strings.Contains(got, "words of your written") {
		t.Errorf("study information with answers kept a year:\n%s", got)
	}
	e.say(alice, "yes")
	if r := e.say(alice, "yes"); r.Consent == nil || r.Consent.Version == first.Version {
		t.Errorf("consent version with another period = %+v; want it different from %s", r.Consent, first.Version)
	}
}
