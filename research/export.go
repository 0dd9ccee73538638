package research

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/peervoice/peervoice/export"
)

// The formats of Export.
const (
	// ExportXLSX is one workbook with the sheets Answers, Framework
	// matrix, Codebook and About.
	ExportXLSX = "xlsx"
	// ExportCSV is a zip archive of answers.csv, framework-matrix.csv,
	// codebook.csv and about.csv.
	ExportCSV = "csv"
)

// ExportSummary says what an export holds.
type ExportSummary struct {
	Participants, Answers int
}

// Export writes the research export to w, in format ExportXLSX or
// ExportCSV, built afresh from the store. Free text is always scrubbed,
// with Config.ScrubNames as the digest's quotes are: unscrubbed text is
// the data controller's, on the server alone (peervoice export
// --unscrubbed), and nothing here can ask for it. Its signature is the
// bot's ExportSource, but for the summary's type.
func (b *Builder) Export(ctx context.Context, w io.Writer, format string) (ExportSummary, error) {
	return b.export(ctx, w, format, export.Options{Scrubber: b.scrubber})
}

// export writes the export with opt, and refuses to return one whose
// free text was not scrubbed: a guard against an option that slipped in.
func (b *Builder) export(ctx context.Context, w io.Writer, format string, opt export.Options) (ExportSummary, error) {
	var sum export.Summary
	var err error
	switch format {
	case ExportXLSX:
		sum, err = export.WriteXLSX(ctx, b.st, w, "", opt)
	case ExportCSV:
		sum, err = export.WriteCSVZip(ctx, b.st, w, opt)
	default:
		return ExportSummary{}, fmt.Errorf("export format %q: want %s or %s", format, ExportXLSX, ExportCSV)
	}
	if err != nil {
		return ExportSummary{}, err
	}
	if !sum.Scrubbed {
		return ExportSummary{}, errors.New("export: free text was not scrubbed; refusing to hand it on")
	}
	return ExportSummary{Participants: sum.Participants, Answers: sum.Answers}, nil
}
