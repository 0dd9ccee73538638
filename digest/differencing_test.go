package digest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
)

// The three cases of issue 11 §1, each as a study, published through
// digest.Build with the default rules and read by the attacker.

const (
	woman, man, nonBinary = 0, 1, 2
	whiteBritish          = 0
	yes, no, notSure      = 0, 1, 2
)

// joinedIn returns n members who joined on day of week (2026-Wnn, 0 is
// Monday), with the same gender and answer.
func joinedIn(t *testing.T, week string, day, n, gender, answer int) []member {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/London")
	p, err := digest.ParsePeriod(week, loc)
	if err != nil {
		t.Fatal(err)
	}
	var out []member
	for i := range n {
		out = append(out, member{joined: p.Start.AddDate(0, 0, day).Add(time.Duration(9+i) * time.Hour), gender: gender, ethnicity: whiteBritish, answer: answer})
	}
	return out
}

// publishedZero returns the first figure of d published as an exact 0,
// or "".
func publishedZero(d *digest.Digest) string {
	var b strings.Builder
	if err := d.WriteJSON(&b); err != nil {
		return err.Error()
	}
	for _, line := range strings.Split(b.String(), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasSuffix(strings.TrimSuffix(line, ","), ": 0") && !strings.Contains(line, "hidden") && !strings.Contains(line, "quotes_pending") {
			return line
		}
	}
	return ""
}

// TestZerosBesideASuppressedCell: 8 women and 8 men each answer 4 yes
// and 4 no; one non-binary participant, merged away as too small,
// answers "not sure". No group may show an exact 0 for "not sure" beside
// the overall "*", and nothing may pin the hidden person's answer.
func TestZerosBesideASuppressedCell(t *testing.T) {
	var people []member
	for _, g := range []int{woman, man} {
		people = append(people, joinedIn(t, "2026-W47", 1, 4, g, yes)...)
		people = append(people, joinedIn(t, "2026-W47", 2, 4, g, no)...)
	}
	people = append(people, joinedIn(t, "2026-W47", 3, 1, nonBinary, notSure)...)
	s := newStudy(disclosure.Policy{}, people, []string{"2026-W47"}, nil)
	ds := s.publish(t)
	if z := publishedZero(ds[0]); z != "" {
		t.Errorf("the digest publishes an exact 0: %s", z)
	}
	if pinned := attack(t, s, ds, nil, true); len(pinned) > 0 {
		t.Errorf("the attacker pins\n%s", strings.Join(pinned, "\n"))
	}
	// What the rules before issue 11 published: each group's 0 for "not
	// sure" beside the overall "*". The attacker finds the one person.
	a := newAttacker(s.pol, len(s.boundaries)-1)
	to := s.piece(s.periods[0].End)
	everyone := a.at(allOpts, 0, to, allGroups, to)
	a.learn(everyone, 13, 17, "overall respondents 15")
	a.learn(a.at(1<<notSure, 0, to, allGroups, to), 1, 7, "overall not sure *")
	for _, g := range []int{woman, man} {
		a.learn(a.at(allOpts, 0, to, genderMask(g), to), 8, 12, "group respondents 10")
		a.learn(a.at(1<<notSure, 0, to, genderMask(g), to), 0, 0, "group not sure 0")
	}
	hidden := a.at(1<<notSure, 0, to, allGroups&^genderMask(woman, man), to)
	a.learn(hidden, 0, inf, "what the attacker is after")
	a.tie()
	r := a.ranges()
	if !a.solve(r) {
		t.Fatal("the old figures contradict one another")
	}
	if got := r[a.ids[hidden.key()]]; got != [2]int{1, 1} {
		t.Errorf("from the old figures, the attacker puts the hidden people's not sure at %v; want it pinned at 1 (the attacker is too weak)", got)
	}
}

// TestWeekToWeek: the overall column showed 0 for "not sure" one week
// and "*" the next, giving away the one newcomer's answer.
func TestWeekToWeek(t *testing.T) {
	people := append(joinedIn(t, "2026-W46", 1, 6, woman, yes), joinedIn(t, "2026-W46", 2, 6, man, no)...)
	people = append(people, joinedIn(t, "2026-W47", 4, 1, woman, notSure)...)
	s := newStudy(disclosure.Policy{}, people, []string{"2026-W46", "2026-W47"}, nil)
	ds := s.publish(t)
	for _, d := range ds {
		if z := publishedZero(d); z != "" {
			t.Errorf("%s publishes an exact 0: %s", d.Period.Name, z)
		}
	}
	if pinned := attack(t, s, ds, nil, true); len(pinned) > 0 {
		t.Errorf("the attacker, holding both weeks, pins\n%s", strings.Join(pinned, "\n"))
	}
}

// TestNearUnanimity: 9 people, 8 alike and 1 not. The 8 round to 10 of
// 10, but do not read as 100%.
func TestNearUnanimity(t *testing.T) {
	people := append(joinedIn(t, "2026-W47", 1, 8, woman, yes), joinedIn(t, "2026-W47", 2, 1, woman, no)...)
	s := newStudy(disclosure.Policy{}, people, []string{"2026-W47"}, nil)
	ds := s.publish(t)
	var q *digest.Question
	for i := range ds[0].Questions {
		if ds[0].Questions[i].QuestionID == "asked" {
			q = &ds[0].Questions[i]
		}
	}
	if q == nil {
		t.Fatal("the question is not in the digest")
	}
	for _, d := range []digest.Distribution{q.Period} {
		for _, o := range d.Options {
			if v, ok := o.Percent.Value(); ok && v == 100 {
				t.Errorf("%s shows %s (100%%) though 1 of 9 answered otherwise", o.ID, o.Count)
			}
		}
	}
	if pinned := attack(t, s, ds, nil, true); len(pinned) > 0 {
		t.Errorf("the attacker pins\n%s", strings.Join(pinned, "\n"))
	}
}

// TestAttackerSeesWithdrawals checks the attacker is strong enough to
// matter across withdrawals: a week counted at 10 when its digest was
// posted and at 9 when the next digest worked it out afresh gives away
// the answer of the one person who withdrew between.
func TestAttackerSeesWithdrawals(t *testing.T) {
	a := newAttacker(disclosure.Policy{}, 4)
	// Week one is pieces 0 to 1, week two 1 to 2; digests posted at
	// boundaries 1 and 2.
	a.learn(a.at(1<<yes, 0, 1, allGroups, 1), 10, 10, "week one's yes, posted at its end")
	a.learn(a.at(1<<yes, 0, 1, allGroups, 2), 9, 9, "week one's yes, in week two's change")
	gone := box{1 << yes, 0, 1, allGroups, 1, 2} // withdrew in week two
	a.learn(gone, 0, inf, "what the attacker is after")
	a.tie()
	r := a.ranges()
	if !a.solve(r) {
		t.Fatal("the figures contradict one another")
	}
	if got := r[a.ids[gone.key()]]; got != [2]int{1, 1} {
		t.Errorf("the attacker puts the withdrawn people's yes at %v; want it pinned at 1 (the attacker is too weak)", got)
	}
}
