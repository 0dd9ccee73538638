package chart

import (
	"image/color"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The palette reads on Discord's dark and light themes alike: the chart
// sits on an opaque white card inside a mid-light grey frame, so it
// never depends on the theme behind it, and the frame keeps the card's
// edge visible on the light theme's white.
var (
	frameColor   = color.RGBA{0xD5, 0xD9, 0xE0, 0xFF} // light grey-blue
	cardColor    = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	textColor    = color.RGBA{0x1F, 0x23, 0x28, 0xFF} // near black
	mutedColor   = color.RGBA{0x57, 0x60, 0x6A, 0xFF} // dark grey, 6:1 on white
	barColor     = color.RGBA{0x4E, 0x6E, 0x9E, 0xFF} // mid grey-blue
	trackColor   = color.RGBA{0xEC, 0xEF, 0xF3, 0xFF} // the 100% extent
	ruleColor    = color.RGBA{0xD0, 0xD7, 0xDE, 0xFF}
	withheldText = mutedColor
)

// The canvas is Width × Height points, drawn at Scale pixels a point.
const (
	Width  vg.Length = 800
	Height vg.Length = 450

	margin  vg.Length = 10 // frame around the card
	radius  vg.Length = 16 // the card's corners
	padX    vg.Length = 30 // inside the card
	padTop  vg.Length = 26
	padBot  vg.Length = 20
	ellipse           = "…"
)

// Font sizes, in points. The image is shown at about 550 pixels wide in
// Discord, so the body text is large for an 800-point canvas.
const (
	titleSize    = 24
	subtitleSize = 16
	bodySize     = 17
	smallSize    = 14
)

// sans returns a text style in the Liberation Sans font embedded in
// gonum/plot, so no system font is needed.
func sans(size vg.Length, bold bool, c color.Color) draw.TextStyle {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

// lineHeight is the distance between the baselines of two lines.
func lineHeight(sty draw.TextStyle) vg.Length {
	e := sty.FontExtents()
	return e.Height
}

// canvas is a card to draw on, with y measured down from the top.
type canvas struct {
	img *vgimg.Canvas
	c   draw.Canvas
}

func newCanvas(scale int) *canvas {
	img := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(72*scale), vgimg.UseBackgroundColor(frameColor))
	cv := &canvas{img: img, c: draw.New(img)}
	cv.roundRect(margin, margin, Width-2*margin, Height-2*margin, radius, cardColor)
	return cv
}

// pt turns a position from the top left into the canvas's.
func pt(x, y vg.Length) vg.Point { return vg.Point{X: x, Y: Height - y} }

// rect fills a rectangle whose top left corner is at x, y.
func (cv *canvas) rect(x, y, w, h vg.Length, c color.Color) {
	if w <= 0 || h <= 0 {
		return
	}
	cv.c.FillPolygon(c, []vg.Point{pt(x, y), pt(x+w, y), pt(x+w, y+h), pt(x, y+h)})
}

// bar fills a bar with its right end rounded (a bar too short to round
// is a plain rectangle).
func (cv *canvas) bar(x, y, w, h vg.Length, c color.Color) {
	r := min(h/5, w/2)
	if r <= 0.5 {
		cv.rect(x, y, w, h, c)
		return
	}
	var p vg.Path
	p.Move(pt(x, y))
	p.Line(pt(x+w-r, y))
	p.Arc(pt(x+w-r, y+r), r, pi/2, -pi/2)
	p.Line(pt(x+w, y+h-r))
	p.Arc(pt(x+w-r, y+h-r), r, 0, -pi/2)
	p.Line(pt(x, y+h))
	p.Close()
	cv.c.SetColor(c)
	cv.c.Fill(p)
}

const pi = 3.141592653589793

// roundRect fills a rectangle with rounded corners.
func (cv *canvas) roundRect(x, y, w, h, r vg.Length, c color.Color) {
	var p vg.Path
	p.Move(pt(x+r, y))
	p.Line(pt(x+w-r, y))
	p.Arc(pt(x+w-r, y+r), r, pi/2, -pi/2)
	p.Line(pt(x+w, y+h-r))
	p.Arc(pt(x+w-r, y+h-r), r, 0, -pi/2)
	p.Line(pt(x+r, y+h))
	p.Arc(pt(x+r, y+h-r), r, -pi/2, -pi/2)
	p.Line(pt(x, y+r))
	p.Arc(pt(x+r, y+r), r, pi, -pi/2)
	p.Close()
	cv.c.SetColor(c)
	cv.c.Fill(p)
}

// hline draws a thin horizontal rule.
func (cv *canvas) hline(x, y, w vg.Length) {
	cv.rect(x, y, w, 1, ruleColor)
}

// text draws lines of text from the top left corner x, y and returns
// the height they took.
func (cv *canvas) text(sty draw.TextStyle, x, y vg.Length, lines []string) vg.Length {
	lh := lineHeight(sty)
	for i, l := range lines {
		cv.c.FillText(sty, pt(x, y+vg.Length(i)*lh), l)
	}
	return vg.Length(len(lines)) * lh
}

// wrap breaks s into at most max lines no wider than w, breaking at
// spaces (or inside a word too long for a line) and ending the last
// line with an ellipsis when s does not fit.
func wrap(sty draw.TextStyle, s string, w vg.Length, max int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for i := 0; i < len(words); i++ {
		word := words[i]
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if sty.Width(try) <= w {
			cur = try
			continue
		}
		if cur == "" { // a word wider than the line: break inside it
			head, tail := fit(sty, word, w)
			lines = append(lines, head)
			words[i] = tail
			i--
			continue
		}
		lines = append(lines, cur)
		cur = ""
		i--
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if max > 0 && len(lines) > max {
		last := strings.Join(lines[max-1:], " ")
		lines = append(lines[:max-1], truncate(sty, last, w))
	}
	return lines
}

// fit splits word into the longest head that fits in w (at least one
// character) and the rest.
func fit(sty draw.TextStyle, word string, w vg.Length) (head, tail string) {
	r := []rune(word)
	n := 1
	for n < len(r) && sty.Width(string(r[:n+1])) <= w {
		n++
	}
	return string(r[:n]), string(r[n:])
}

// truncate shortens s with an ellipsis until it fits in w.
func truncate(sty draw.TextStyle, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(strings.TrimSpace(s))
	for len(r) > 0 && sty.Width(strings.TrimSpace(string(r))+ellipse) > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + ellipse
}
