package store

import (
	"bytes"
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/peervoice/peervoice/digest/figures"
)

// The digest counter's results: the flow versions each question was
// answered on, and the tallies, group sizes and set counts of the
// stream (digest_count.go counts them).

// noteVersion records that question q was answered on flow version v.
func (c *digestCounter) noteVersion(q int, v []byte) {
	i := c.lastVersionIndex
	if c.lastVersion == nil || !bytes.Equal(v, c.lastVersion) {
		var ok bool
		if i, ok = c.versionOf[string(v)]; !ok {
			i = len(c.versionIDs)
			c.versionOf[string(v)] = i
			c.versionIDs = append(c.versionIDs, string(v))
		}
		c.lastVersion, c.lastVersionIndex = append(c.lastVersion[:0], v...), i
	}
	if !slices.Contains(c.versions[q], i) { // a question has few versions
		c.versions[q] = append(c.versions[q], i)
	}
}

// questionVersions lists the versions each question was answered on,
// the most recently stored first.
func (c *digestCounter) questionVersions(ctx context.Context, tx *sql.Tx) ([]figures.QuestionVersions, error) {
	if len(c.versionIDs) == 0 {
		return nil, nil
	}
	stored := map[string]string{}
	rows, err := tx.QueryContext(ctx, `SELECT hash, created_at FROM flow_versions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var hash, created string
		if err := rows.Scan(&hash, &created); err != nil {
			return nil, err
		}
		stored[hash] = created
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []figures.QuestionVersions
	for q, vs := range c.versions {
		if len(vs) == 0 {
			continue
		}
		qv := figures.QuestionVersions{FlowID: c.refs[q].FlowID, QuestionID: c.refs[q].QuestionID}
		for _, v := range vs {
			qv.Versions = append(qv.Versions, c.versionIDs[v])
		}
		slices.SortFunc(qv.Versions, func(a, b string) int {
			if n := strings.Compare(stored[b], stored[a]); n != 0 {
				return n // newest first
			}
			return strings.Compare(a, b)
		})
		out = append(out, qv)
	}
	slices.SortFunc(out, func(a, b figures.QuestionVersions) int {
		return strings.Compare(a.FlowID+"\x00"+a.QuestionID, b.FlowID+"\x00"+b.QuestionID)
	})
	return out, nil
}

// result turns the counts into DigestData.
func (c *digestCounter) result() figures.Data {
	var d figures.Data
	for w, a := range []*figures.Activity{&d.Period, &d.Previous, &d.Total}[:c.windows()] {
		if c.known != nil {
			a.NewParticipants = c.known.newPeople[w]
		}
		for _, p := range c.people {
			if c.known == nil && c.in(figures.Window(w), p.created) {
				a.NewParticipants++
			}
		}
		for _, f := range c.activity[w] {
			a.Flows = append(a.Flows, *f)
		}
		slices.SortFunc(a.Flows, func(x, y figures.FlowActivity) int { return strings.Compare(x.FlowID, y.FlowID) })
	}
	combos := map[string]int{}
	var comboGroups [][]string
	for _, p := range c.people {
		key := strings.Join(p.groups, "\x00")
		n, ok := combos[key]
		if !ok {
			n = len(comboGroups)
			combos[key] = n
			comboGroups = append(comboGroups, p.groups)
		}
		p.combo = n
	}
	type tallyKey struct {
		window                  figures.Window
		question, answer, combo int
	}
	tallies := map[tallyKey]int{}
	for _, r := range c.rows {
		combo := c.people[r.pid].combo
		for w := range c.windows() {
			if r.windows&(1<<w) != 0 {
				tallies[tallyKey{w, int(r.question), int(r.answer), combo}]++
			}
		}
	}
	for k, v := range c.latest {
		tallies[tallyKey{k.window, k.question, v.answer, c.people[k.pid].combo}]++
	}
	for k, n := range tallies {
		r := c.refs[k.question]
		d.Tallies = append(d.Tallies, figures.Tally{
			Window: k.window, FlowID: r.FlowID, QuestionID: r.QuestionID,
			Choices: c.answers[k.answer], Groups: comboGroups[k.combo], People: n,
		})
	}
	slices.SortFunc(d.Tallies, compareDigestTallies)
	d.Trend = c.trendResult()

	if c.known != nil {
		d.GroupSizes = c.known.sizes
	} else {
		d.GroupSizes = c.groupSizes(comboGroups)
	}

	for w := range c.setAnswers {
		for i, set := range c.q.Sets {
			if c.hi[w] == "" {
				continue
			}
			d.SetCounts = append(d.SetCounts, figures.SetCount{Window: figures.Window(w), Set: set.Name, Answers: c.setAnswers[w][i], People: len(c.setPeople[w][i])})
		}
	}
	return d
}

// groupSizes counts the participants created before the end of the
// period in each combination of groups.
func (c *digestCounter) groupSizes(comboGroups [][]string) []figures.GroupSize {
	var out []figures.GroupSize
	sizes := make([]int, len(comboGroups))
	for _, p := range c.people {
		if p.created < c.hi[figures.WindowTotal] {
			sizes[p.combo]++
		}
	}
	for i, n := range sizes {
		if n > 0 {
			out = append(out, figures.GroupSize{Groups: comboGroups[i], People: n})
		}
	}
	slices.SortFunc(out, func(a, b figures.GroupSize) int { return slices.Compare(a.Groups, b.Groups) })
	return out
}

// groupsOf returns a participant's demographic groups.
func (c *digestCounter) groupsOf(pid int64) []string {
	return slices.Clone(c.people[pid].groups)
}

func compareDigestTallies(a, b figures.Tally) int {
	if a.Window != b.Window {
		return int(a.Window - b.Window)
	}
	if n := strings.Compare(a.FlowID, b.FlowID); n != 0 {
		return n
	}
	if n := strings.Compare(a.QuestionID, b.QuestionID); n != 0 {
		return n
	}
	if n := slices.Compare(a.Choices, b.Choices); n != 0 {
		return n
	}
	return slices.Compare(a.Groups, b.Groups)
}
