package export

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"time"
)

// CSVZipName is the name of the one archive WriteCSVZip writes, for a day.
func CSVZipName(now time.Time) string {
	return "peervoice-export-" + now.Format(time.DateOnly) + "-csv.zip"
}

// WriteCSVZip writes the export to w as one zip archive holding the CSV
// files WriteCSV writes (answers.csv, framework-matrix.csv, codebook.csv,
// about.csv), deflated: for sending the CSV export as a single file, and a
// small one, as CSV compresses well. A failure leaves w holding a broken
// archive; the caller discards it.
func WriteCSVZip(ctx context.Context, st Store, w io.Writer, opt Options) (Summary, error) {
	opt = opt.withDefaults()
	zw := zip.NewWriter(w)
	stamp := opt.Now()
	// archive/zip allows one file open at a time, and the tables are
	// written side by side; so each goes to a buffer first. CSV of a
	// study is small next to the workbook built from the same rows.
	bufs := map[string]*zipBuffer{}
	var order []string
	sum, err := WriteCSV(ctx, st, func(name string) (io.Writer, error) {
		b := &zipBuffer{}
		bufs[name] = b
		order = append(order, name)
		return b, nil
	}, opt)
	if err != nil {
		return Summary{}, err
	}
	for _, name := range order {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return Summary{}, fmt.Errorf("zip: %s: %w", name, err)
		}
		if _, err := f.Write(bufs[name].data); err != nil {
			return Summary{}, fmt.Errorf("zip: %s: %w", name, err)
		}
		bufs[name].data = nil
	}
	if err := zw.Close(); err != nil {
		return Summary{}, fmt.Errorf("zip: %w", err)
	}
	return sum, nil
}

// zipBuffer holds one CSV file until the archive takes it.
type zipBuffer struct{ data []byte }

func (b *zipBuffer) Write(p []byte) (int, error) {
	b.data = append(b.data, p...)
	return len(p), nil
}
