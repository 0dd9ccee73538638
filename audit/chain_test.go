package audit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/audit"
)

// TestHashKnownValues pins the encoding to hashes computed outside Go,
// by the Python script in chain.go's comment: a change to the encoding
// fails here, and the documented script keeps verifying real logs.
func TestHashKnownValues(t *testing.T) {
	first := audit.Entry{Seq: 1, At: time.Date(2026, 12, 6, 21, 0, 0, 0, time.UTC),
		Actor: audit.Actor{Kind: audit.KindDiscord, ID: "123", Name: "Ana Ñ"}, Action: "export", Outcome: audit.OK, Details: "format=csv scrubbed=true"}
	second := audit.Entry{Seq: 2, At: time.Date(2026, 12, 6, 22, 0, 1, 5e8, time.FixedZone("CET", 3600)).UTC(),
		Actor: audit.Actor{Kind: audit.KindCLI, ID: "alice"}, Action: "withdraw", Outcome: audit.OK}
	const h1 = "37c5ce9c470b28c07e514ea9cad8991415417c162f3df755cd4afb1e2243452b"
	const h2 = "79f1e6234ae37ab9fc0cec4cf2d4acd48421fa24b5dfba38cf6239d0c7faf2fa"
	if got := audit.Hash("", first); got != h1 {
		t.Errorf("Hash(first) = %s; want %s", got, h1)
	}
	if got := audit.Hash(h1, second); got != h2 {
		t.Errorf("Hash(second) = %s; want %s", got, h2)
	}
	// The time's zone does not matter, only the instant.
	second.At = second.At.In(time.FixedZone("CET", 3600))
	if got := audit.Hash(h1, second); got != h2 {
		t.Errorf("Hash(second in CET) = %s; want %s", got, h2)
	}
}

// TestHashUnambiguous: moving bytes from one field to the next changes
// the hash, which a plain concatenation would not.
func TestHashUnambiguous(t *testing.T) {
	a := audit.Entry{Seq: 1, Action: "digest.post", Target: "2026-W49"}
	b := audit.Entry{Seq: 1, Action: "digest.post2026-W49"}
	c := audit.Entry{Seq: 1, Action: "digest.post", Target: "2026-W4", Outcome: "9"}
	if audit.Hash("", a) == audit.Hash("", b) || audit.Hash("", a) == audit.Hash("", c) {
		t.Error("entries whose fields concatenate alike hash alike")
	}
	if audit.Hash("", a) == audit.Hash("x", a) {
		t.Error("the previous hash is not covered")
	}
}

// chain builds a valid log of n entries.
func chain(n int) []audit.Entry {
	var out []audit.Entry
	last := audit.Entry{}
	for i := range n {
		e := audit.Chain(last, audit.Entry{At: time.Date(2026, 12, 1, 9, i, 0, 0, time.UTC), Actor: audit.Actor{Kind: audit.KindSystem},
			Action: "digest.post", Target: "2026-W4" + string(rune('0'+i)), Outcome: audit.OK})
		out = append(out, e)
		last = e
	}
	return out
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func([]audit.Entry) []audit.Entry
		wantSeq int64  // 0: intact
		want    string // a piece of the reason
	}{
		{"intact", func(es []audit.Entry) []audit.Entry { return es }, 0, ""},
		{"empty", func([]audit.Entry) []audit.Entry { return nil }, 0, ""},
		{"edited field", func(es []audit.Entry) []audit.Entry { es[2].Outcome = audit.Failed; return es }, 3, "edited"},
		{"edited actor", func(es []audit.Entry) []audit.Entry { es[0].Actor.ID = "999"; return es }, 1, "edited"},
		{"edited time", func(es []audit.Entry) []audit.Entry { es[4].At = es[4].At.Add(time.Nanosecond); return es }, 5, "edited"},
		{"edited and rehashed", func(es []audit.Entry) []audit.Entry {
			es[1].Details = "changed"
			es[1].Hash = audit.Hash(es[1].Prev, es[1])
			return es
		}, 3, "inserted"},
		{"deleted in the middle", func(es []audit.Entry) []audit.Entry { return append(es[:2:2], es[3:]...) }, 4, "entries 3 to 3 are missing"},
		{"deleted first", func(es []audit.Entry) []audit.Entry { return es[1:] }, 2, "entries 1 to 1 are missing"},
		{"deleted and renumbered", func(es []audit.Entry) []audit.Entry {
			es = append(es[:2:2], es[3:]...)
			for i := 2; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 3, "deleted"},
		{"inserted copy", func(es []audit.Entry) []audit.Entry {
			ins := es[1]
			out := append(es[:2:2], ins)
			for _, e := range es[2:] {
				e.Seq++
				out = append(out, e)
			}
			out[2].Seq = 3
			return out
		}, 3, "inserted"},
		{"reordered", func(es []audit.Entry) []audit.Entry { es[1], es[2] = es[2], es[1]; return es }, 3, "missing"},
		{"duplicated", func(es []audit.Entry) []audit.Entry { return append(es[:3:3], es[2:]...) }, 3, "goes back"},
		{"first with a prev", func(es []audit.Entry) []audit.Entry {
			es[0].Prev = strings.Repeat("0", 64)
			es[0].Hash = audit.Hash(es[0].Prev, es[0])
			return es[:1]
		}, 1, "first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := audit.Verify(tt.tamper(chain(6)))
			if tt.wantSeq == 0 {
				if err != nil {
					t.Fatalf("Verify = %v; want nil", err)
				}
				return
			}
			var ce *audit.ChainError
			if !errors.As(err, &ce) {
				t.Fatalf("Verify = %v; want a *ChainError", err)
			}
			if ce.Seq != tt.wantSeq || !strings.Contains(ce.Reason, tt.want) {
				t.Errorf("Verify = %v; want entry %d, reason containing %q", err, tt.wantSeq, tt.want)
			}
		})
	}
}

// TestVerifierCounts: Count and Last say how far the chain is intact,
// and the first error sticks.
func TestVerifierCounts(t *testing.T) {
	es := chain(3)
	var v audit.Verifier
	for _, e := range es {
		if err := v.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if v.Count() != 3 || v.Last() != es[2].Hash {
		t.Errorf("Count, Last = %d, %s; want 3, %s", v.Count(), v.Last(), es[2].Hash)
	}
	bad := es[0]
	if err := v.Add(bad); err == nil {
		t.Fatal("Add(entry 1 again) = nil; want an error")
	}
	if err := v.Add(audit.Chain(es[2], audit.Entry{Action: "x"})); err == nil {
		t.Error("Add after an error = nil; want the first error again")
	}
}
