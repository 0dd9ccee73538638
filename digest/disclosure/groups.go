package disclosure

// Group is one subgroup's raw answers to one question: for each different
// answer (for a multiple choice question, each different set of options),
// how many people gave it.
type Group struct {
	Name    string
	Answers map[string]int
}

// People returns how many people in the group answered.
func (g Group) People() int {
	n := 0
	for _, c := range g.Answers {
		if c > 0 {
			n += c
		}
	}
	return n
}

// Partition decides which groups a subgroup comparison may show. A group
// is shown only where at least k people in it answered and they gave at
// least two different answers; every other group is merged into other
// (the "Other or not stated" group, which starts with the people who did
// not say), and other is shown, last, only where it passes the same test.
// A comparison needs two groups: with fewer, Partition shows none.
//
// hidden reports whether any group with people in it was merged or left
// out, so the digest can say so. Groups are returned in the order given.
func (p Policy) Partition(groups []Group, other Group) (shown []Group, hidden bool) {
	merged := Group{Name: other.Name, Answers: map[string]int{}}
	add := func(g Group) {
		for a, n := range g.Answers {
			if n > 0 {
				merged.Answers[a] += n
			}
		}
	}
	add(other)
	for _, g := range groups {
		if p.Publishable(g.Answers) {
			shown = append(shown, g)
			continue
		}
		if g.People() > 0 {
			hidden = true
		}
		add(g)
	}
	if merged.People() > 0 {
		if p.Publishable(merged.Answers) {
			shown = append(shown, merged)
		} else {
			hidden = true
		}
	}
	if len(shown) < 2 {
		return nil, hidden || len(shown) > 0
	}
	return shown, hidden
}
