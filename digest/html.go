package digest

import (
	"embed"
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
}).ParseFS(templates, "templates/digest.html"))

// WriteHTML writes the digest as an HTML page.
func (d *Digest) WriteHTML(w io.Writer) error {
	if err := htmlTemplate.Execute(w, d); err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	return nil
}
