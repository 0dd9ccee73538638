package chart

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
)

// trendColors tell a trend's answers apart in its stacked bars: distinct
// in hue and lightness, so they read in greyscale too.
var trendColors = []color.RGBA{
	{0x2E, 0x4A, 0x7A, 0xFF}, {0x6C, 0x9B, 0xD2, 0xFF}, {0xC9, 0x7B, 0x2B, 0xFF}, {0xE9, 0xC4, 0x6A, 0xFF},
	{0x5A, 0x8F, 0x5A, 0xFF}, {0xA6, 0xD0, 0x9A, 0xFF}, {0x8E, 0x5B, 0x8E, 0xFF}, {0x9A, 0x9A, 0x9A, 0xFF},
}

// Trend charts trend t of digest d as stacked bars: one column a month,
// each answer's published percentage of the people who answered that
// month stacked from the bottom. A month whose figures are withheld is
// an empty column marked "*", and so is a withheld answer's share: no
// height is worked out from the figures around it. It returns
// ErrNothingShown when no month shows a percentage.
func Trend(d *digest.Digest, t digest.Trend, opt Options) ([]byte, error) {
	scale, err := opt.scale()
	if err != nil {
		return nil, err
	}
	shown := false
	for _, m := range t.Months {
		shown = shown || m.Distribution.Shown && anyPercent(m.Distribution.Options)
	}
	if !shown {
		return nil, fmt.Errorf("chart trend %s/%s: %w", t.FlowID, t.QuestionID, ErrNothingShown)
	}
	rows, _ := t.Rows()
	var notes []string
	if trendWithheld(t) {
		notes = append(notes, withheldNote(d.Rules))
	}
	cv := newCanvas(scale)
	top := cv.header(t.Prompt, "Month by month · each month's own answers · asked "+t.Repeat, 2)
	bottom := cv.footer(notes)
	cv.stacks(t, rows, top, bottom)
	return encode(cv.img)
}

// stacks draws the legend on the left and a stacked column a month.
func (cv *canvas) stacks(t digest.Trend, rows []digest.TrendRow, top, bottom vg.Length) {
	ls := sans(smallSize, false, textColor)
	ws := sans(bodySize, true, withheldText)
	legendW := inner * 0.30
	lh := lineHeight(ls)
	for i, r := range rows {
		y := top + vg.Length(i)*(lh+6)
		if y+lh > bottom {
			break
		}
		cv.rect(left, y+2, 12, 12, trendColors[i%len(trendColors)])
		cv.text(ls, left+18, y, []string{truncate(ls, r.Label, legendW-18)})
	}
	x0 := left + legendW + 10
	colsW := inner - legendW - 10
	n := vg.Length(len(t.Months))
	slot := colsW / n
	colW := min(slot*0.7, 60)
	labelH := lh + 6
	chartH := bottom - top - labelH
	for i, m := range t.Months {
		x := x0 + vg.Length(i)*slot + (slot-colW)/2
		cv.rect(x, top, colW, chartH, trackColor)
		label := m.Name
		cv.text(ls, x+colW/2-ls.Width(label)/2, bottom-labelH+4, []string{label})
		if !m.Distribution.Shown {
			cv.text(ws, x+colW/2-ws.Width(disclosure.Suppressed)/2, top+chartH/2, []string{disclosure.Suppressed})
			continue
		}
		y := top + chartH // stack upwards from the bottom
		for j, r := range rows {
			for _, s := range m.Distribution.Options {
				if s.ID != r.ID {
					continue
				}
				if v, ok := s.Percent.Value(); ok {
					h := chartH * vg.Length(v) / 100
					y -= h
					cv.rect(x, y, colW, h, trendColors[j%len(trendColors)])
				}
			}
		}
	}
}

// trendWithheld reports whether any figure of t is withheld.
func trendWithheld(t digest.Trend) bool {
	for _, m := range t.Months {
		if !m.Distribution.Shown || withheld(m.Distribution.Options) {
			return true
		}
	}
	return false
}

// trendAlt says in words what trend t's chart shows: each month's
// published percentages, "*" where withheld.
func trendAlt(d *digest.Digest, t digest.Trend) string {
	var months []string
	for _, m := range t.Months {
		if !m.Distribution.Shown {
			months = append(months, fmt.Sprintf("%s (about %s people): not shown", m.Label, m.Distribution.Respondents))
			continue
		}
		var shares []string
		for _, s := range m.Distribution.Options {
			shares = append(shares, s.Label+" "+s.Percent.String())
		}
		months = append(months, fmt.Sprintf("%s (about %s people): %s", m.Label, m.Distribution.Respondents, strings.Join(shares, ", ")))
	}
	alt := fmt.Sprintf("Stacked bar chart of the answers to “%s”, month by month: %s.", t.Prompt, strings.Join(months, "; "))
	if trendWithheld(t) {
		alt += " " + withheldNote(d.Rules)
	}
	return alt
}
