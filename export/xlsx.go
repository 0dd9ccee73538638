package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the export to w as a workbook with one sheet per table:
// Answers, Framework matrix, Codebook and About. Rows are streamed: each
// table's rows are compressed as they are written, into a temporary file
// under tempDir ("" for the system's), removed before WriteXLSX returns,
// and the workbook is written to w as it is put together.
func WriteXLSX(ctx context.Context, st Store, w io.Writer, tempDir string, opt Options) (Summary, error) {
	opt = opt.withDefaults()
	if opt.TempDir == "" {
		opt.TempDir = tempDir
	}
	b, err := newXLSXBook(w, tempDir, opt)
	if err != nil {
		return Summary{}, err
	}
	defer b.f.Close() // removes excelize's temporary files
	defer b.remove()
	return run(ctx, st, b, opt)
}

// xlsxBook writes tables as sheets. excelize's stream writer writes each
// sheet's frame (column widths, the frozen header row, the rest of the
// sheet) and the workbook around them; the rows themselves are written by
// a rowEncoder, byte for byte as the stream writer would, compressed as
// they come into a temporary file per table, and put in the place of a
// placeholder row as the workbook is written (splicer).
type xlsxBook struct {
	w       io.Writer
	f       *excelize.File
	opt     Options
	tempDir string
	tables  []*xlsxTable
	bold    int // style of the header rows
	date    int // style of days
	maxRows int // rows a sheet holds; more continue on a new sheet
	rows    *splicer
}

func newXLSXBook(w io.Writer, tempDir string, opt Options) (*xlsxBook, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: tempDir})
	rows, err := newSplicer()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	b := &xlsxBook{w: w, f: f, opt: opt, tempDir: tempDir, maxRows: excelize.TotalRows, rows: rows}
	if b.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	format := "yyyy-mm-dd"
	if b.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return b, nil
}

// xlsxTable is one table: a sheet, and its continuations when it has more
// rows than a sheet holds.
type xlsxTable struct {
	b     *xlsxBook
	name  string
	cols  []column
	sheet string // the sheet being written
	part  int    // 1 for the first sheet, 2 for "Answers (2)", ...
	sw    *excelize.StreamWriter
	rows  int // rows written to the current sheet, header included
	enc   *rowEncoder
	xml   []byte // a row's XML
	// The table's rows, as sheet XML compressed on the other cores as
	// they come, wait in file: a million answers are 600 MB of XML but
	// 80 MB compressed.
	file *os.File
	out  *bufio.Writer
	cw   countWriter
	pd   *parallelDeflate
	sect *section // the current sheet's rows
}

// countWriter counts what it writes.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (b *xlsxBook) table(name string, cols []column) (table, error) {
	if len(b.tables) == 0 {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	file, err := os.CreateTemp(b.tempDir, "peervoice-sheet-*") // mode 0600: it holds participants' words
	if err != nil {
		return nil, fmt.Errorf("xlsx: a temporary file for sheet %q: %w; set TMPDIR to a writable directory", name, err)
	}
	t := &xlsxTable{b: b, name: name, cols: cols, sheet: name, part: 1,
		enc: newRowEncoder(cols, b.date), file: file, out: bufio.NewWriterSize(file, 256<<10)}
	t.enc.guarded = true
	t.cw.w = t.out
	t.pd = newParallelDeflate(&t.cw)
	b.tables = append(b.tables, t)
	if err := t.start(); err != nil {
		return nil, err
	}
	return t, nil
}

// start opens the stream writer of the current sheet and writes the
// header: bold, frozen, with the columns' widths and date formats.
func (t *xlsxTable) start() error {
	sw, err := t.b.f.NewStreamWriter(t.sheet)
	if err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
	}
	header := make([]any, len(t.cols))
	for i, c := range t.cols {
		header[i] = c.name
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
		}
		if c.date {
			if err := sw.SetColStyle(i+1, i+1, t.b.date); err != nil {
				return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: t.b.bold}); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
	}
	t.sw, t.rows = sw, 1
	t.sect = nil // a placeholder comes with the first row
	return nil
}

func (t *xlsxTable) row(values []any) error {
	if t.rows >= t.b.maxRows {
		if err := t.next(); err != nil {
			return err
		}
	}
	if t.sect == nil {
		// Row 2 holds a placeholder that this sheet's rows replace.
		var err error
		if t.sect, err = t.b.rows.placeholder(t.sw, t.file, t.cw.n); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
		}
	}
	t.rows++
	var err error
	if t.xml, err = t.enc.appendRow(t.xml[:0], t.rows, values); err != nil {
		return fmt.Errorf("xlsx: sheet %q row %d: %w", t.sheet, t.rows, err)
	}
	t.sect.add(t.xml)
	if _, err := t.pd.Write(t.xml); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
	}
	return nil
}

// endSheet compresses the rest of the current sheet's rows.
func (t *xlsxTable) endSheet() error {
	if t.sect == nil {
		return nil
	}
	if err := t.pd.Flush(); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
	}
	t.sect.clen = t.cw.n - t.sect.off
	return nil
}

// next continues the table on a new sheet, "Answers (2)", placed after
// the table's sheets so far.
func (t *xlsxTable) next() error {
	if err := t.endSheet(); err != nil {
		return err
	}
	if err := t.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
	}
	t.part++
	t.sheet = fmt.Sprintf("%s (%d)", t.name, t.part)
	if _, err := t.b.f.NewSheet(t.sheet); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
	}
	for i, other := range t.b.tables {
		if other == t && i+1 < len(t.b.tables) {
			if err := t.b.f.MoveSheet(t.sheet, t.b.tables[i+1].name); err != nil {
				return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
			}
		}
	}
	return t.start()
}

// close finishes the sheets and writes the workbook (see writeWorkbook).
func (b *xlsxBook) close() error {
	for _, t := range b.tables {
		if err := t.endSheet(); err != nil {
			return err
		}
		if err := t.sw.Flush(); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
		}
		if err := t.out.Flush(); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", t.sheet, err)
		}
	}
	// The first sheet is the active one already. (SetActiveSheet would
	// read every streamed sheet back into memory.)
	date := dayOf(b.opt.Now()).String() + "T00:00:00Z" // the day only, like every date in the export
	if err := b.f.SetDocProps(&excelize.DocProperties{
		Creator: "PeerVoice", LastModifiedBy: "PeerVoice", Title: "PeerVoice research export", Created: date, Modified: date,
	}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := writeWorkbook(b.f, b.w, b.rows); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

// remove deletes the tables' temporary files.
func (b *xlsxBook) remove() {
	for _, t := range b.tables {
		t.file.Close()
		os.Remove(t.file.Name())
	}
}
