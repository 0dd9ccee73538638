package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// answerOf interns the answer of a stored choices JSON.
func (c *digestCounter) answerOf(q int, choices []byte) (int, error) {
	if a, ok := c.choice[string(choices)]; ok {
		return a, nil
	}
	var ids []string
	if err := json.Unmarshal(choices, &ids); err != nil {
		return 0, fmt.Errorf("choices of an answer to %s/%s: %w", c.refs[q].FlowID, c.refs[q].QuestionID, err)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// The same options chosen in another order are the same answer.
	canonical := "\x00" + strings.Join(ids, "\x00")
	a, ok := c.choice[canonical]
	if !ok {
		a = len(c.answers)
		c.choice[canonical] = a
		c.answers = append(c.answers, ids)
	}
	c.choice[string(choices)] = a
	return a, nil
}

// groupAdd puts participant pid in the group of their answer a (stored
// as choices) to question q, given at at, if q is a demographic question
// and the answer is their latest so far.
func (c *digestCounter) groupAdd(pid int64, q int, at string, a int, choices []byte) {
	if i := c.demo[q]; i >= 0 && len(c.answers[a]) > 0 && c.known == nil {
		p := c.people[pid]
		if at >= p.groupAt[i] {
			p.groupAt[i] = at
			// The first option chosen, as stored, not as sorted.
			var ids []string
			_ = json.Unmarshal(choices, &ids)
			p.groups[i] = ids[0]
		}
	}
}
