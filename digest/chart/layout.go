package chart

import (
	"strings"
	"time"
	"unicode"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
)

// row is one bar: a label and its published percentage.
type row struct {
	label string
	pct   disclosure.Percent
}

// inner is the width inside the card's padding.
const inner = Width - 2*margin - 2*padX

// left is the x of the card's content.
const left = margin + padX

// header draws the title (wrapped, shrunk and at most maxLines lines)
// and the subtitle, and returns the y below them.
func (cv *canvas) header(title, subtitle string, maxLines int) vg.Length {
	y := margin + padTop
	// The prompt is the title: shrink a long one before cutting it.
	var ts draw.TextStyle
	var lines []string
	for _, size := range []vg.Length{titleSize, titleSize - 3, titleSize - 6} {
		ts = sans(size, true, textColor)
		if lines = wrap(ts, title, inner, 0); len(lines) <= maxLines {
			break
		}
	}
	if len(lines) > maxLines {
		lines = wrap(ts, title, inner, maxLines)
	}
	y += cv.text(ts, left, y, lines)
	y += 6
	ss := sans(subtitleSize, false, mutedColor)
	y += cv.text(ss, left, y, []string{truncate(ss, subtitle, inner)})
	y += 10
	cv.hline(left, y, inner)
	return y + 12
}

// footer draws the notes at the bottom of the card and returns the y
// above them.
func (cv *canvas) footer(notes []string) vg.Length {
	fs := sans(smallSize, false, mutedColor)
	var lines []string
	for _, n := range notes {
		lines = append(lines, wrap(fs, n, inner, 2)...)
	}
	bottom := Height - margin - padBot
	if len(lines) == 0 {
		return bottom
	}
	top := bottom - vg.Length(len(lines))*lineHeight(fs)
	cv.text(fs, left, top, lines)
	return top - 8
}

// pctWidth is room for "100%" after a bar.
func pctWidth(sty draw.TextStyle) vg.Length { return sty.Width("100%") + 8 }

// bars draws one horizontal bar a row between top and bottom: labels on
// the left, bars on a light track of the full 100%, the percentage after
// each bar, and for a withheld figure no bar and a "*".
func (cv *canvas) bars(rows []row, top, bottom vg.Length) {
	if len(rows) == 0 {
		return
	}
	rowH := min((bottom-top)/vg.Length(len(rows)), 56)
	// Many options make rows too low for the body text: shrink it.
	size := fitSize(bodySize, rowH, 1)
	ls := sans(size, false, textColor)
	ps := sans(size, true, textColor)
	ws := sans(size, true, withheldText)
	labelW := inner * 0.36
	barX := left + labelW + 14
	barW := inner - labelW - 14 - pctWidth(ps)
	lh := lineHeight(ls)
	maxLines := max(1, int(rowH/lh))
	barH := min(rowH*0.62, 30)
	for i, r := range rows {
		y := top + vg.Length(i)*rowH
		mid := y + rowH/2
		lines := wrap(ls, r.label, labelW, min(maxLines, 2))
		cv.text(ls, left, mid-vg.Length(len(lines))*lh/2, lines)
		v, ok := r.pct.Value()
		if !ok {
			cv.text(ws, barX, mid-lineHeight(ws)/2, []string{disclosure.Suppressed})
			continue
		}
		cv.rect(barX, mid-barH/2, barW, barH, trackColor)
		w := barW * vg.Length(v) / 100
		cv.bar(barX, mid-barH/2, w, barH, barColor)
		cv.text(ps, barX+w+6, mid-lineHeight(ps)/2, []string{r.pct.String()})
	}
}

// grid draws a comparison: group names down the left, a panel an option
// across, and in each panel one bar a group.
func (cv *canvas) grid(c digest.Comparison, top, bottom vg.Length) {
	// Rows hold a group's name and its n; many groups shrink the text.
	rows := vg.Length(max(1, len(c.Groups)))
	size := fitSize(bodySize, (bottom-top-3*lineHeight(sans(smallSize+1, true, textColor)))/rows, 2)
	gs := sans(size, true, textColor)
	ns := sans(size*smallSize/bodySize, false, mutedColor)
	hs := sans(smallSize+1, true, textColor)
	ps := sans(smallSize+1, true, textColor)
	ws := sans(smallSize+1, true, withheldText)
	groupW := min(inner*0.24, 190)
	gap := vg.Length(12)
	panelW := (inner - groupW - gap*vg.Length(len(c.Options))) / vg.Length(len(c.Options))

	// Option labels head the panels, wrapped to their width.
	hh := vg.Length(0)
	heads := make([][]string, len(c.Options))
	for i, o := range c.Options {
		heads[i] = wrap(hs, o.Label, panelW, 3)
		hh = max(hh, vg.Length(len(heads[i]))*lineHeight(hs))
	}
	for i := range c.Options {
		x := left + groupW + gap + vg.Length(i)*(panelW+gap)
		// Bottom-align the headings so the bars start level.
		cv.text(hs, x, top+hh-vg.Length(len(heads[i]))*lineHeight(hs), heads[i])
	}
	top += hh + 8

	rowH := min((bottom-top)/rows, 80)
	barH := min(rowH*0.5, 30)
	// Every panel shares one scale, up to the largest published share
	// (rounded up to a multiple of 10), so short bars stay readable and
	// bars in different panels can be compared.
	full := 10
	for _, g := range c.Groups {
		for _, s := range g.Shares {
			if v, ok := s.Percent.Value(); ok {
				full = max(full, (v+9)/10*10)
			}
		}
	}
	barW := panelW - pctWidth(ps)
	for i := range c.Options {
		x := left + groupW + gap + vg.Length(i)*(panelW+gap)
		cv.rect(x-1, top, 1, rowH*vg.Length(len(c.Groups)), ruleColor)
	}
	for gi, g := range c.Groups {
		y := top + vg.Length(gi)*rowH
		mid := y + rowH/2
		if gi > 0 {
			cv.hline(left, y, inner)
		}
		name := wrap(gs, g.Name, groupW-6, 1)
		n := "n ≈ " + g.Respondents.String()
		block := lineHeight(gs) + lineHeight(ns)
		cv.text(gs, left, mid-block/2, name)
		cv.text(ns, left, mid-block/2+lineHeight(gs), []string{n})
		for i, o := range c.Options {
			x := left + groupW + gap + vg.Length(i)*(panelW+gap)
			s, ok := share(g.Shares, o.ID)
			v, shown := s.Percent.Value()
			if !ok || !shown {
				cv.text(ws, x+4, mid-lineHeight(ws)/2, []string{disclosure.Suppressed})
				continue
			}
			w := barW * vg.Length(v) / vg.Length(full)
			cv.bar(x, mid-barH/2, w, barH, barColor)
			cv.text(ps, x+w+4, mid-lineHeight(ps)/2, []string{s.Percent.String()})
		}
	}
}

// share finds the share of the option with this id.
func share(ss []digest.Share, id string) (digest.Share, bool) {
	for _, s := range ss {
		if s.ID == id {
			return s, true
		}
	}
	return digest.Share{}, false
}

// lower lowercases the first letter of a demographic's name for
// "By gender"; a name in capitals such as "NHS trust" stays as it is.
func lower(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// slug makes a name safe in a file name.
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return '-'
	}, s)
}

// day writes an ISO date as "22 November 2026".
func day(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("2 January 2006")
}

// fitSize returns the largest font size, from size down to 9 points,
// whose lines fit in a row rowH high.
func fitSize(size, rowH vg.Length, lines int) vg.Length {
	for size > 9 && vg.Length(lines)*lineHeight(sans(size, false, textColor)) > rowH*0.95 {
		size--
	}
	return size
}
