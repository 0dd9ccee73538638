package export

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
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
//
// The archive is streamed, so its size is not bounded by memory:
// answers.csv, the largest table by far, is deflated into w as its rows
// are written. A zip takes one file at a time, and the tables are written
// side by side, so the other three wait in temporary files, in a
// directory of their own under Options.TempDir readable by the owner
// alone, and are copied into the archive after it; the directory is
// removed before WriteCSVZip returns.
func WriteCSVZip(ctx context.Context, st Store, w io.Writer, opt Options) (Summary, error) {
	opt = opt.withDefaults()
	dir, err := os.MkdirTemp(opt.TempDir, "peervoice-export-*") // mode 0700
	if err != nil {
		return Summary{}, fmt.Errorf("zip: make a temporary directory for the tables: %w; set TMPDIR to a writable directory", err)
	}
	defer os.RemoveAll(dir)
	zw := zip.NewWriter(w)
	stamp := opt.Now()
	type table struct {
		name string
		f    *os.File
	}
	var waiting []table // the tables after the first, in order
	defer func() {
		for _, t := range waiting {
			t.f.Close()
		}
	}()
	sum, err := WriteCSV(ctx, st, func(name string) (io.Writer, error) {
		if name == CSVName(SheetAnswers) {
			f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
			if err != nil {
				return nil, fmt.Errorf("zip: %w", err)
			}
			return f, nil
		}
		f, err := os.CreateTemp(dir, "table-*.csv") // mode 0600
		if err != nil {
			return nil, fmt.Errorf("zip: %w", err)
		}
		waiting = append(waiting, table{name, f})
		return f, nil
	}, opt)
	if err != nil {
		return Summary{}, err
	}
	for _, t := range waiting {
		name, f := t.name, t.f
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return Summary{}, fmt.Errorf("zip: %s: %w", name, err)
		}
		zf, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return Summary{}, fmt.Errorf("zip: %s: %w", name, err)
		}
		if _, err := io.Copy(zf, bufio.NewReaderSize(f, 64<<10)); err != nil {
			return Summary{}, fmt.Errorf("zip: %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return Summary{}, fmt.Errorf("zip: %w", err)
	}
	return sum, nil
}
