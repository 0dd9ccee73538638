package export

import (
	"encoding/base32"
	"fmt"
	"sort"
	"strings"
)

// crockford is Douglas Crockford's base 32: digits and capital letters
// without I, L, O and U, which are easily misread or mistyped. Its
// alphabet is in ASCII order, so codes sort as their tags do.
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// codeGroup is the length of each group of characters in a code, and
// codeGroups the number of groups in a code that collides with no other.
const (
	codeGroup  = 5
	codeGroups = 2
)

// Code returns the code of the participant whose export tag (a keyed hash
// of their pseudonym, store.ExportHeader.Tags) is tag: P and ten
// characters of Crockford base 32 in two groups, P-7K3QX-M2D9A. The code
// is the first 50 bits of the tag, so it is the same in every export of
// the database and says nothing about the participant: not when they
// joined, nor who they are. Among 100,000 participants two share a code
// with a chance of about 1 in 200,000; assignCodes settles that case.
func Code(tag []byte) string { return codeOf(crockford.EncodeToString(tag), codeGroups) }

// codeOf is P and the first groups groups of the encoded tag.
func codeOf(enc string, groups int) string {
	var b strings.Builder
	b.WriteString("P")
	for g := 0; g < groups; g++ {
		b.WriteString("-")
		b.WriteString(enc[g*codeGroup : (g+1)*codeGroup])
	}
	return b.String()
}

// assignCodes gives every participant of ids their code, from tags. When
// two participants' codes collide, the one with the lower row id (who
// joined first) keeps it and the other's code is lengthened by a group,
// and another, until it is unique: deterministic, so every export agrees,
// and it gives away the order of two participants only in that rare case.
func assignCodes(ids []int64, tags map[int64][]byte) (map[int64]string, error) {
	ids = append([]int64(nil), ids...)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	codes := make(map[int64]string, len(ids))
	taken := make(map[string]bool, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		tag := tags[id]
		if len(tag) < 16 {
			return nil, fmt.Errorf("export: the store handed no export tag for participant %d (%d bytes; want at least 16)", id, len(tag))
		}
		if seen[string(tag)] {
			return nil, fmt.Errorf("export: participants' export tags are not distinct (participant %d); the store's tags must be a keyed hash of each pseudonym", id)
		}
		seen[string(tag)] = true
		enc := crockford.EncodeToString(tag)
		code := ""
		for g := codeGroups; g*codeGroup <= len(enc); g++ {
			if c := codeOf(enc, g); !taken[c] {
				code = c
				break
			}
		}
		if code == "" {
			return nil, fmt.Errorf("export: participant %d's export tag is the start of another's; the store's tags must all be as long", id)
		}
		taken[code] = true
		codes[id] = code
	}
	return codes, nil
}
