package bot

import (
	"strings"
	"testing"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/release"
)

// TestLiveNoticePingsNoOne: a moderator's nickname or a summary holding
// @everyone, @here or a mention reaches the moderator channel as text.
func TestLiveNoticePingsNoOne(t *testing.T) {
	for _, v := range []release.Version{
		{FlowID: "risk", N: 2, Actor: audit.Actor{Kind: audit.KindDiscord, ID: "42", Name: "@everyone"}},
		{FlowID: "risk", N: 3, Actor: audit.Actor{Kind: audit.KindDiscord, ID: "42"}, Summary: `"q1" reworded: "ask @here" → "<@42>"`},
	} {
		got := liveNotice(v)
		for _, ping := range []string{"@everyone", "@here", "<@42>"} {
			if strings.Contains(got, ping) {
				t.Errorf("liveNotice(%+v) = %q; holds %s, which would ping", v, got, ping)
			}
		}
	}
}

// TestProblemLine: the upload reply lists problems without the file name
// it already gives once.
func TestProblemLine(t *testing.T) {
	tests := []struct {
		p    flows.Problem
		want string
	}{
		{flows.Problem{File: "risk.yaml", Line: 5, Col: 11, Msg: "unknown type"}, "5:11: unknown type"},
		{flows.Problem{File: "risk.yaml", Line: 5, Msg: "bad"}, "5: bad"},
		{flows.Problem{File: "risk.yaml", Msg: "cannot read"}, "cannot read"},
		{flows.Problem{Line: 2, Col: 1, Msg: "no file"}, "2:1: no file"},
	}
	for _, tt := range tests {
		if got := problemLine(tt.p); got != tt.want {
			t.Errorf("problemLine(%+v) = %q; want %q", tt.p, got, tt.want)
		}
	}
}
