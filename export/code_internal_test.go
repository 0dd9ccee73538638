package export

import (
	"bytes"
	"strings"
	"testing"
)

// TestAssignCodesCollision checks that two participants whose codes
// collide both get one, the same in every export however the participants
// are listed: the first to join keeps the short code.
func TestAssignCodesCollision(t *testing.T) {
	same := bytes.Repeat([]byte{0xa5}, 32)
	other := bytes.Clone(same)
	other[31] ^= 1 // the same first 50 bits
	tags := map[int64][]byte{7: other, 3: same, 5: fakeTag(5)}
	for _, ids := range [][]int64{{3, 5, 7}, {7, 5, 3}} {
		codes, err := assignCodes(ids, tags)
		if err != nil {
			t.Fatal(err)
		}
		short := Code(same)
		if codes[3] != short || codes[5] != Code(fakeTag(5)) {
			t.Errorf("assignCodes(%v) = %v; want participant 3 to keep %s", ids, codes, short)
		}
		if c := codes[7]; !strings.HasPrefix(c, short+"-") || len(c) != len(short)+6 {
			t.Errorf("assignCodes(%v): participant 7 has %q; want %s and one more group", ids, c, short)
		}
	}
}

// TestAssignCodesBadTags checks that a store handing over no tag, or the
// same tag twice, gets an error naming the participant.
func TestAssignCodesBadTags(t *testing.T) {
	for _, c := range []struct {
		tags map[int64][]byte
		want string
	}{
		{map[int64][]byte{1: fakeTag(1)}, "no export tag for participant 2"},
		{map[int64][]byte{1: fakeTag(1), 2: fakeTag(1)}, "not distinct (participant 2)"},
	} {
		if _, err := assignCodes([]int64{1, 2}, c.tags); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("assignCodes() = %v; want an error with %q", err, c.want)
		}
	}
}
