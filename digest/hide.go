package digest

// Rows with nothing to show are left out of the digest, and each table
// says how many (a small community's digest was otherwise mostly rows of
// "*").
//
// Why this reveals nothing that "*" did not: whether a row is left out is
// decided from its published figures alone (Shown on each disclosure
// value), never from the raw counts behind them. A digest with rows left
// out is therefore a function of the digest with every row in it: a
// reader learns from the gap exactly what the row of "*" told
// them, and no more. A row with a published figure is always kept:
// deciding from the raw data instead ("leave out the options nobody
// chose") would be a new disclosure. In a distribution withheld because
// everyone gave the same answer, the options nobody chose would vanish
// and the one everyone chose would remain, naming it. (Nobody is a count
// of 0, withheld like any small count, so an option nobody chose is a
// "*" among the others.)
//
// A hidden row loses nothing a reader could use: every figure in it was
// "*". That is less published, never more.

// hideEmptyRows leaves out of d the question options, themes and
// subgroups none of whose figures is published, and counts them.
func hideEmptyRows(d *Digest) {
	for i := range d.Questions {
		hideOptions(&d.Questions[i])
	}
	var themes []Theme
	for _, t := range d.Themes {
		if t.Answers.Shown() || t.Change.Shown() {
			themes = append(themes, t)
		} else {
			d.HiddenThemes++
		}
	}
	d.Themes = append([]Theme{}, themes...)
	for i := range d.Comparisons {
		hideGroups(&d.Comparisons[i])
	}
}

// hideOptions leaves out the options of q with no published figure: not
// in the period or the change.
func hideOptions(q *Question) {
	var period []Share
	var change []ShareChange
	for i, s := range q.Period.Options {
		c := q.Change.Options[i]
		if !shown(s.Count, s.Percent) && !c.Count.Shown() && !c.Points.Shown() {
			q.Hidden++
			continue
		}
		period, change = append(period, s), append(change, c)
	}
	q.Period.Options = append([]Share{}, period...)
	q.Change.Options = append([]ShareChange{}, change...)
}

// hideGroups leaves out the groups of c none of whose shares is
// published. The group's number of people is not a figure about its
// answers: a row of it and "*" alone has nothing to compare.
func hideGroups(c *Comparison) {
	var groups []GroupRow
	for _, g := range c.Groups {
		any := false
		for _, s := range g.Shares {
			any = any || shown(s.Count, s.Percent)
		}
		if any {
			groups = append(groups, g)
		} else {
			c.HiddenGroups = append(c.HiddenGroups, g.Name)
		}
	}
	c.Groups = append([]GroupRow{}, groups...)
}

// shown reports whether any of the figures is published.
func shown(figures ...interface{ Shown() bool }) bool {
	for _, f := range figures {
		if f.Shown() {
			return true
		}
	}
	return false
}
