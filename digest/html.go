package digest

import (
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/peervoice/peervoice/digest/disclosure"
)

//go:embed templates/digest.html
var templates embed.FS

// htmlTemplate is the HTML digest: one self-contained page, readable in
// light and dark themes. html/template escapes every text it prints.
var htmlTemplate = template.Must(template.New("digest.html").Funcs(template.FuncMap{
	"points":      func(c disclosure.Change) string { return changeText(c, true) },
	"lower":       strings.ToLower,
	"other":       func() string { return OtherGroup },
	"multiNote":   func() string { return MultiNote },
	"attribution": attribution,
	"qkey":        QuestionKey,
	"ckey":        ComparisonKey,
	"tkey":        TrendKey,
	"trendRows":   func(t Trend) []TrendRow { rows, _ := t.Rows(); return rows },
	"trendPeople": func(t Trend) TrendRow { _, people := t.Rows(); return people },
}).ParseFS(templates, "templates/digest.html"))

// Figure is a chart of one of the digest's tables, for the HTML digest:
// a PNG (package digest/chart draws them) and a text alternative that
// says what it shows.
type Figure struct {
	// Key is the table's: QuestionKey, ComparisonKey or TrendKey.
	Key string
	Alt string
	PNG []byte
}

// QuestionKey names question q's table, for its Figure.
func QuestionKey(q Question) string { return "question/" + q.FlowID + "/" + q.QuestionID }

// ComparisonKey names comparison c's table, for its Figure.
func ComparisonKey(c Comparison) string {
	return "comparison/" + c.FlowID + "/" + c.QuestionID + "/" + c.Demographic
}

// htmlPage is what the template shows: the digest, and the figures by
// key, each embedded as a data: URI so the page stays self-contained.
type htmlPage struct {
	*Digest
	Figures map[string]*htmlFigure
}

type htmlFigure struct {
	Src template.URL
	Alt string
}

// WriteHTML writes the digest as an HTML page, without charts.
func (d *Digest) WriteHTML(w io.Writer) error { return d.WriteHTMLFigures(w, nil) }

// WriteHTMLFigures writes the digest as an HTML page with the figures
// embedded beside their tables, as data: URIs: the page makes no request
// of its own. A figure whose key names no table is left out.
func (d *Digest) WriteHTMLFigures(w io.Writer, figs []Figure) error {
	page := htmlPage{Digest: d, Figures: map[string]*htmlFigure{}}
	for _, f := range figs {
		page.Figures[f.Key] = &htmlFigure{
			// A PNG's base64 is letters, digits, + / and =: nothing to escape.
			Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(f.PNG)),
			Alt: f.Alt,
		}
	}
	if err := htmlTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	return nil
}
