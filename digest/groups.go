package digest

import (
	"strings"

	"github.com/peervoice/peervoice/flows"
)

// demographic is one subgroup question and how its answers map to groups.
type demographic struct {
	id, name string
	// groups are the group names in order; an answer's group is
	// groupOf[option id], and an answer not there (none, prefer not to
	// say) is not stated.
	groups  []string
	groupOf map[string]string
}

// onsGroups are the 2021 Census's high-level ethnic groups, by the
// prefix of the about-you flow's option ids (asian_indian → Asian).
var onsGroups = []struct{ prefix, name string }{
	{"asian_", "Asian"},
	{"black_", "Black"},
	{"mixed_", "Mixed"},
	{"white_", "White"},
	{"other_", "Other ethnic group"},
}

// notStated are option ids that say nothing about the group.
var notStated = map[string]bool{"prefer_not": true, "not_sure": true, "": true}

// names of the default demographics, for headings.
var demographicNames = map[string]string{"gender": "Gender", "ethnicity": "Ethnic group", "age": "Age", "trans": "Trans status"}

func newDemographic(q *flows.Question) demographic {
	d := demographic{id: q.ID, name: demographicNames[q.ID], groupOf: map[string]string{}}
	if d.name == "" {
		d.name = strings.ToUpper(q.ID[:1]) + strings.ReplaceAll(q.ID[1:], "_", " ")
	}
	ons := isONS(q)
	for _, o := range q.Options {
		if notStated[o.ID] {
			continue
		}
		name := o.Label.String()
		if ons {
			for _, g := range onsGroups {
				if strings.HasPrefix(o.ID, g.prefix) {
					name = g.name
				}
			}
		}
		d.groupOf[o.ID] = name
		if !contains(d.groups, name) {
			d.groups = append(d.groups, name)
		}
	}
	return d
}

// isONS reports whether every stated option of q is a census ethnic
// group, so answers are grouped into the five high-level groups.
func isONS(q *flows.Question) bool {
	n := 0
	for _, o := range q.Options {
		if notStated[o.ID] {
			continue
		}
		found := false
		for _, g := range onsGroups {
			found = found || strings.HasPrefix(o.ID, g.prefix)
		}
		if !found {
			return false
		}
		n++
	}
	return n > 0
}

// group returns the group of an answer, and false when it is not stated.
func (d demographic) group(optionID string) (string, bool) {
	g, ok := d.groupOf[optionID]
	return g, ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
