// Package chart draws a digest's distributions, subgroup comparisons and
// trends as PNG bar charts, for Discord attachments.
//
// It charts only figures a digest publishes: every number it draws comes
// from a disclosure.Percent or disclosure.Count that is shown. A withheld
// figure is drawn as no bar and a "*", with a footnote; nothing is
// computed from the figures around it.
//
// Charts are drawn with gonum/plot's vector canvas (vg, vgimg) and its
// embedded Liberation Sans font, on an opaque white card that reads on
// Discord's dark and light themes. The same input gives the same bytes.
//
// Of PeerVoice it imports only digest and digest/disclosure; it does not
// upload anything (the bot does) and imports no discordgo, SQL or viper.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gonum.org/v1/plot/vg/vgimg"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
)

// ErrNothingShown is returned for a distribution or comparison none of
// whose figures is published: there is nothing to chart.
var ErrNothingShown = errors.New("chart: no figure is published")

// DefaultScale is the pixels a point by default: Width × Height points
// make a 1600 × 900 PNG, sharp on high-density screens.
const DefaultScale = 2

// Options configure a chart. The zero value charts the period at
// DefaultScale.
type Options struct {
	// Scale is the pixels a point, 1 to 4; 0 means DefaultScale.
	Scale int
}

func (o Options) scale() (int, error) {
	switch {
	case o.Scale == 0:
		return DefaultScale, nil
	case o.Scale < 1 || o.Scale > 4:
		return 0, fmt.Errorf("chart: scale %d: want 1 to 4 pixels a point", o.Scale)
	}
	return o.Scale, nil
}

// Question charts question q of digest d: one horizontal bar an option,
// labelled with its published percentage of the people who answered.
// It returns ErrNothingShown when the distribution is withheld.
func Question(d *digest.Digest, q digest.Question, opt Options) ([]byte, error) {
	scale, err := opt.scale()
	if err != nil {
		return nil, err
	}
	dist, when := q.Period, d.Period.Label
	if d.Period.ToDate != "" {
		when += " (so far)"
	}
	if !dist.Shown || !anyPercent(dist.Options) {
		return nil, fmt.Errorf("chart %s/%s: %w", q.FlowID, q.QuestionID, ErrNothingShown)
	}
	rows := make([]row, len(dist.Options))
	for i, s := range dist.Options {
		rows[i] = row{label: s.Label, pct: s.Percent}
	}
	notes := questionNotes(d, q, opt)
	cv := newCanvas(scale)
	top := cv.header(q.Prompt, when+" · n ≈ "+dist.Respondents.String(), titleLines(len(rows)))
	bottom := cv.footer(notes)
	cv.bars(rows, top, bottom)
	return encode(cv.img)
}

// Comparison charts comparison c of digest d: a panel an option, each
// with one bar a group, so a group's share of each answer can be read
// across. It returns ErrNothingShown when no share is published.
func Comparison(d *digest.Digest, c digest.Comparison, opt Options) ([]byte, error) {
	scale, err := opt.scale()
	if err != nil {
		return nil, err
	}
	shown := false
	for _, g := range c.Groups {
		shown = shown || anyPercent(g.Shares)
	}
	if !shown || len(c.Options) == 0 {
		return nil, fmt.Errorf("chart %s/%s by %s: %w", c.FlowID, c.QuestionID, c.Demographic, ErrNothingShown)
	}
	notes := comparisonNotes(d, c)
	cv := newCanvas(scale)
	top := cv.header(c.Prompt, "By "+lower(c.Demographic)+" · all answers to "+day(d.Period.Last), titleLines(2*len(c.Groups)))
	bottom := cv.footer(notes)
	cv.grid(c, top, bottom)
	return encode(cv.img)
}

// titleLines is how many lines the title may take above rows bars:
// fewer when the bars need the room. The embed beside the chart carries
// the whole prompt.
func titleLines(rows int) int {
	switch {
	case rows > 14:
		return 2
	case rows > 8:
		return 3
	}
	return 4
}

// File is a chart to attach, with a file name.
type File struct {
	Name string
	PNG  []byte
}

// All charts every question of d with a published distribution in the
// period, then every comparison, then every trend (stacked bars a
// month), in the digest's order, skipping those with nothing published.
func All(d *digest.Digest, opt Options) ([]File, error) {
	var out []File
	err := each(d, opt, func(name string, _ digest.Figure, png []byte) {
		out = append(out, File{Name: name, PNG: png})
	})
	return out, err
}

// Figures draws the charts of All for the HTML digest, each keyed to its
// table and with a text alternative that reads out the figures it draws,
// as published.
func Figures(d *digest.Digest, opt Options) ([]digest.Figure, error) {
	var out []digest.Figure
	err := each(d, opt, func(_ string, f digest.Figure, png []byte) {
		f.PNG = png
		out = append(out, f)
	})
	return out, err
}

// each draws the charts of All, in order, and passes each to fn with its
// file name and its figure's key and text alternative.
func each(d *digest.Digest, opt Options, fn func(name string, f digest.Figure, png []byte)) error {
	for _, q := range d.Questions {
		png, err := Question(d, q, opt)
		if errors.Is(err, ErrNothingShown) {
			continue
		} else if err != nil {
			return err
		}
		fn(fmt.Sprintf("%s-%s.png", q.FlowID, q.QuestionID), digest.Figure{Key: digest.QuestionKey(q), Alt: questionAlt(d, q, opt)}, png)
	}
	for _, c := range d.Comparisons {
		png, err := Comparison(d, c, opt)
		if errors.Is(err, ErrNothingShown) {
			continue
		} else if err != nil {
			return err
		}
		fn(fmt.Sprintf("%s-%s-by-%s.png", c.FlowID, c.QuestionID, slug(c.Demographic)), digest.Figure{Key: digest.ComparisonKey(c), Alt: comparisonAlt(d, c)}, png)
	}
	for _, t := range d.Trends {
		png, err := Trend(d, t, opt)
		if errors.Is(err, ErrNothingShown) {
			continue
		} else if err != nil {
			return err
		}
		fn(fmt.Sprintf("%s-%s-trend.png", t.FlowID, t.QuestionID), digest.Figure{Key: digest.TrendKey(t), Alt: trendAlt(d, t)}, png)
	}
	return nil
}

// questionAlt says in words what question q's chart shows: the
// published percentages, "*" where withheld.
func questionAlt(d *digest.Digest, q digest.Question, opt Options) string {
	dist, when := q.Period, d.Period.Label
	var bars []string
	for _, s := range dist.Options {
		bars = append(bars, s.Label+" "+s.Percent.String())
	}
	alt := fmt.Sprintf("Bar chart of the answers to “%s”, %s, about %s people: %s.", q.Prompt, when, dist.Respondents, strings.Join(bars, "; "))
	return strings.TrimSpace(alt + " " + strings.Join(questionNotes(d, q, opt), " "))
}

// comparisonAlt says in words what comparison c's chart shows.
func comparisonAlt(d *digest.Digest, c digest.Comparison) string {
	var groups []string
	for _, g := range c.Groups {
		var shares []string
		for i, s := range g.Shares {
			label := s.Label
			if label == "" && i < len(c.Options) {
				label = c.Options[i].Label
			}
			shares = append(shares, label+" "+s.Percent.String())
		}
		groups = append(groups, fmt.Sprintf("%s (about %s people): %s", g.Name, g.Respondents, strings.Join(shares, ", ")))
	}
	alt := fmt.Sprintf("Bar chart by %s of the answers to “%s”, %s: %s.", lower(c.Demographic), c.Prompt, d.Period.Label, strings.Join(groups, "; "))
	return strings.TrimSpace(alt + " " + strings.Join(comparisonNotes(d, c), " "))
}

// questionNotes are the footnotes of question q's chart.
func questionNotes(d *digest.Digest, q digest.Question, opt Options) []string {
	dist := q.Period
	var notes []string
	if q.Type == "multi" {
		notes = append(notes, "People could choose more than one answer, so the shares add up to more than 100%.")
	}
	if withheld(dist.Options) {
		notes = append(notes, withheldNote(d.Rules))
	}
	if t := d.HiddenText(q); t != "" {
		notes = append(notes, t)
	}
	return notes
}

// comparisonNotes are the footnotes of comparison c's chart.
func comparisonNotes(d *digest.Digest, c digest.Comparison) []string {
	var notes []string
	for _, g := range c.Groups {
		if withheld(g.Shares) {
			notes = append(notes, withheldNote(d.Rules))
			break
		}
	}
	if t := d.HiddenGroupsText(c); t != "" {
		notes = append(notes, t)
	}
	if c.Merged {
		notes = append(notes, fmt.Sprintf("Smaller groups are merged into %q or left out.", digest.OtherGroup))
	}
	return notes
}

func withheld(ss []digest.Share) bool {
	for _, s := range ss {
		if !s.Percent.Shown() {
			return true
		}
	}
	return false
}

func withheldNote(r digest.Rules) string {
	k := r.MinCount
	if k == 0 {
		k = disclosure.DefaultMinCount
	}
	return fmt.Sprintf("* fewer than %d people: not shown", k)
}

func anyPercent(ss []digest.Share) bool {
	for _, s := range ss {
		if s.Percent.Shown() {
			return true
		}
	}
	return false
}

func encode(img *vgimg.Canvas) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}
