package digest_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
)

// studyOf decodes fuzz input as a study: the first byte picks the rules
// (k from 8 to 12, rounding to 5 or 10), then every two bytes are a
// person: the day they joined, in four weeks from 2026-W46 (and, with
// the top bit set, that they withdrew one to four weeks later), and
// their gender, ethnic group and answer.
func studyOf(in []byte) *study {
	k, r := 8, 5
	if len(in) > 0 {
		k, r = 8+int(in[0]%5), []int{5, 10}[in[0]/5%2]
		in = in[1:]
	}
	pol, err := disclosure.New(k, r)
	if err != nil {
		panic(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	start := time.Date(2026, time.November, 9, 0, 0, 0, 0, loc)
	var people []member
	for i := 0; i+1 < len(in) && len(people) < 30; i += 2 {
		a := int(in[i+1])
		m := member{
			joined: start.AddDate(0, 0, int(in[i]&0x7f)%28).Add(time.Duration(i) * time.Minute),
			gender: a % 5, ethnicity: a / 5 % 5, answer: a / 25 % 3,
		}
		if in[i]&0x80 != 0 {
			m.left = m.joined.AddDate(0, 0, 7*(1+int(in[i]>>5&3))-3)
		}
		people = append(people, m)
	}
	return newStudy(pol, people, []string{"2026-W46", "2026-W47", "2026-W48", "2026-W49"}, []string{"2026-11"})
}

// publishedCounts returns every count d publishes as a number.
func publishedCounts(d *digest.Digest) []int {
	var out []int
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		if c, ok := v.Interface().(disclosure.Count); ok {
			if n, shown := c.Value(); shown {
				out = append(out, n)
			}
			return
		}
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(*d))
	return out
}

// FuzzDisclosure publishes the digests of any study and checks that no
// count from 1 to 7 is published, and that the attacker, reading any one
// digest or all of them at once, pins none. go test ./digest/ -run '^$' -fuzz FuzzDisclosure
// -fuzztime 10m fuzzes it.
func FuzzDisclosure(f *testing.F) {
	// The three cases of issue 11, and a few studies.
	case1 := []byte{0}
	for i := range 8 {
		case1 = append(case1, 9, byte(0+25*(i%2)), 9, byte(1+25*(i%2))) // women and men, yes and no
	}
	case1 = append(case1, 9, 2+50) // one non-binary person, not sure
	f.Add(case1)
	f.Add([]byte{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 25, 1, 25, 1, 25, 1, 25, 1, 25, 1, 25, 8, 50}) // week to week: one newcomer
	f.Add([]byte{0, 3, 0, 3, 0, 3, 0, 3, 0, 3, 0, 3, 0, 3, 0, 3, 0, 3, 25})                         // 8 alike and 1 not
	f.Add([]byte{7, 21, 0, 21, 26, 21, 51, 22, 1, 22, 27, 22, 52, 6, 3, 6, 8, 13, 60, 20, 70, 27, 74})
	f.Add([]byte{3})
	f.Add([]byte{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 25, 1, 25, 1, 25, 1, 25, 1, 25, 1, 25, 1, 50, 0x81, 50}) // one withdraws

	f.Fuzz(func(t *testing.T, in []byte) {
		s := studyOf(in)
		ds := s.publish(t)
		for i, d := range ds {
			for _, n := range publishedCounts(d) {
				if n >= 1 && n <= 7 {
					t.Fatalf("%s publishes a count of %d", d.Period.Name, n)
				}
			}
			if pinned := attack(t, s, ds, []int{i}, false); len(pinned) > 0 {
				t.Fatalf("%s alone: the attacker pins\n%s", d.Period.Name, strings.Join(pinned, "\n"))
			}
		}
		if pinned := attack(t, s, ds, nil, false); len(pinned) > 0 {
			t.Fatalf("every digest at once: the attacker pins\n%s", strings.Join(pinned, "\n"))
		}
	})
}
