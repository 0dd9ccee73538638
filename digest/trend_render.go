package digest

import (
	"fmt"
	"strings"

	"github.com/peervoice/peervoice/digest/disclosure"
)

// TrendKey names trend t's table, for its Figure.
func TrendKey(t Trend) string { return "trend/" + t.FlowID + "/" + t.QuestionID }

// TrendText explains the trend section: what each month's figures are,
// and why they are never running totals.
func (d *Digest) TrendText() string {
	return fmt.Sprintf("The check-ins that repeat (a new round once the period has passed), month by month: each complete month "+
		"(at most %d) is shown as that month's own digest shows it, the answers given in that month, worked out afresh under the same rules, "+
		"so without anyone who has withdrawn since. No month adds to another, and a month still under way is not shown.", TrendMonths)
}

// TrendRow is one answer's line of a trend table: its figures in each
// month, in the order of the trend's months.
type TrendRow struct {
	ID, Label string
	Cells     []string
}

// Rows lays out t as a table: one row per answer (the options of its
// latest month first, then any others, in the order met), each cell the
// month's count and percentage ("*" for a month not shown), and the
// people who answered last. An answer none of whose cells shows a
// figure is left out: that is decided from the published figures, and
// tells no more than its row of "*" would.
func (t Trend) Rows() (rows []TrendRow, respondents TrendRow) {
	var ids []string
	labels := map[string]string{}
	for i := len(t.Months) - 1; i >= 0; i-- {
		for _, s := range t.Months[i].Distribution.Options {
			if _, ok := labels[s.ID]; !ok {
				ids = append(ids, s.ID)
				labels[s.ID] = s.Label
			}
		}
	}
	for _, id := range ids {
		r := TrendRow{ID: id, Label: labels[id]}
		shown := false
		for _, m := range t.Months {
			cell := disclosure.Count{}.String()
			for _, s := range m.Distribution.Options {
				if s.ID == id && m.Distribution.Shown {
					cell = s.Count.String()
					if s.Percent.Shown() {
						cell += " (" + s.Percent.String() + ")"
					}
					shown = shown || s.Count.Shown()
				}
			}
			r.Cells = append(r.Cells, cell)
		}
		if shown {
			rows = append(rows, r)
		}
	}
	respondents = TrendRow{Label: "people who answered"}
	for _, m := range t.Months {
		respondents.Cells = append(respondents.Cells, m.Distribution.Respondents.String())
	}
	return rows, respondents
}

// writeTrendsMarkdown writes the trend section, if there is one.
func (d *Digest) writeTrendsMarkdown(b *strings.Builder) {
	if len(d.Trends) == 0 {
		return
	}
	fmt.Fprintf(b, "## Trend by month\n\n_%s_\n\n", mdText(d.TrendText()))
	for _, t := range d.Trends {
		fmt.Fprintf(b, "### %s: %s\n\n_Asked %s._\n\n| answer |", mdText(t.FlowTitle), mdText(t.Prompt), mdText(t.Repeat))
		for _, m := range t.Months {
			fmt.Fprintf(b, " %s |", mdText(m.Label))
		}
		fmt.Fprintf(b, "\n| --- |%s\n", strings.Repeat(" ---: |", len(t.Months)))
		rows, people := t.Rows()
		for _, r := range append(rows, TrendRow{Label: "_" + people.Label + "_", Cells: people.Cells}) {
			label := mdText(r.Label)
			if strings.HasPrefix(r.Label, "_") {
				label = r.Label // the respondents' line, in italics
			}
			fmt.Fprintf(b, "| %s |", label)
			for _, c := range r.Cells {
				fmt.Fprintf(b, " %s |", c)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
}

// trendEmbeds adds the trend section to a chat rendering: a field a
// question, a line a month.
func (d *Digest) trendEmbeds(p *embedPacker) {
	if len(d.Trends) == 0 {
		return
	}
	p.section("Trend by month", d.TrendText())
	for _, t := range d.Trends {
		lines := []string{"_Asked " + chatText(t.Repeat) + "._"}
		for _, m := range t.Months {
			dist := m.Distribution
			if !dist.Shown {
				lines = append(lines, fmt.Sprintf("**%s** (%s people): not shown", m.Label, dist.Respondents))
				continue
			}
			var shares []string
			for _, s := range dist.Options {
				if s.Count.Shown() || s.Percent.Shown() {
					shares = append(shares, fmt.Sprintf("%s %s (%s)", chatLabel(s.Label), s.Count, s.Percent))
				}
			}
			lines = append(lines, fmt.Sprintf("**%s** (%s people): %s", m.Label, dist.Respondents, strings.Join(shares, " · ")))
		}
		p.field(t.FlowTitle+": "+t.Prompt, lines)
	}
}
