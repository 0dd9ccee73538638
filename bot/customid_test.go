package bot_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/bot"
)

func TestIDRoundTrip(t *testing.T) {
	long := strings.Repeat("q", 32)
	tests := []bot.ID{
		{Action: bot.ActAnswer, Session: "0123456789abcdef01234567", Question: "team_agrees", Value: "strongly_disagree"},
		{Action: bot.ActSelect, Session: "s", Question: "matters"},
		{Action: bot.ActSkip, Session: "s", Question: "q"},
		{Action: bot.ActModal, Session: "0123456789abcdef01234567", Question: long, Value: ""},
		{Action: bot.ActPrompt, Value: "what-matters"},
		{Action: bot.ActWithdraw, Value: "yes"},
		{Action: bot.ActLang, Session: "s", Question: "q", Value: "cy"},
		{Action: bot.ActLang, Session: "s", Question: "q", Value: "pt-BR"},
		{Action: bot.ActLang, Session: "s", Question: "q"}, // the language menu: the value comes with the interaction
		{Action: bot.ActApproveQuote, Value: "0123456789ab"},
		{Action: bot.ActRejectQuote, Value: "0123456789ab"},
		{Action: bot.ActUndoQuote, Value: "0123456789ab"},
		{Action: bot.ActPreviewDraft, Session: "0123456789abcdef", Value: "what-matters"},
		{Action: bot.ActPublishDraft, Session: "0123456789abcdef", Value: "what-matters"},
		{Action: bot.ActPublishAnyway, Value: "what-matters"},
		// A preview's session (flows_preview.go) is as long as the study's.
		{Action: bot.ActAnswer, Session: "preview-0123456789abcdef", Question: long, Value: strings.Repeat("o", 32)},
		{Action: bot.ActCarryOn, Session: "0123456789abcdef01234567", Value: "recovery"},
		{Action: bot.ActNoReminders, Session: "0123456789abcdef01234567"},
		// The longest an id can be: ids are at most 32 characters (the linter's limit).
		{Action: bot.ActAnswer, Session: "0123456789abcdef01234567", Question: long, Value: strings.Repeat("o", 32)},
	}
	for _, want := range tests {
		s := want.String()
		if len(s) > 100 {
			t.Errorf("%+v encodes to %d characters; Discord allows 100", want, len(s))
		}
		got, err := bot.ParseID(s)
		if err != nil || got != want {
			t.Errorf("ParseID(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
}

func TestParseIDRejects(t *testing.T) {
	for _, s := range []string{"", "pv1", "pv2:a:s:q:v", "pv1:a:s:q", "pv1:a:s:q:v:extra", "pv1:z:s:q:v", "pv1:a::q:v", "pv1:a:s:q:v w", "pv1:ab:s:q:v", "pv1:s:s::", "pv1:A:::", "pv1:R:s:q:", "pv1:U:::", "pv1:l::q:cy", "pv1:r:s::", "pv1:V:abc::", "pv1:P:::", "pv1:Y:::"} {
		if _, err := bot.ParseID(s); !errors.Is(err, bot.ErrBadID) {
			t.Errorf("ParseID(%q) = %v; want ErrBadID", s, err)
		}
	}
}
