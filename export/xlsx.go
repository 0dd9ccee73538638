package export

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the export to w as a workbook with one sheet per table:
// Answers, Framework matrix, Codebook and About. Rows are streamed: the
// sheets are buffered in temporary files under tempDir ("" for the
// system's), which are removed before WriteXLSX returns, and the workbook
// is compressed in memory before it is written to w.
func WriteXLSX(ctx context.Context, st Store, w io.Writer, tempDir string, opt Options) (Summary, error) {
	opt = opt.withDefaults()
	if opt.TempDir == "" {
		opt.TempDir = tempDir
	}
	b, err := newXLSXBook(w, tempDir, opt)
	if err != nil {
		return Summary{}, err
	}
	defer b.f.Close() // removes the temporary files
	return run(ctx, st, b, opt)
}

// xlsxBook writes tables as sheets with excelize's stream writer.
type xlsxBook struct {
	w       io.Writer
	f       *excelize.File
	opt     Options
	tables  []*xlsxTable
	bold    int // style of the header rows
	date    int // style of days
	maxRows int // rows a sheet holds; more continue on a new sheet
	serials map[day]any
}

func newXLSXBook(w io.Writer, tempDir string, opt Options) (*xlsxBook, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: tempDir})
	b := &xlsxBook{w: w, f: f, opt: opt, maxRows: excelize.TotalRows, serials: map[day]any{}}
	var err error
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
	cells []any
}

func (b *xlsxBook) table(name string, cols []column) (table, error) {
	if len(b.tables) == 0 {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	t := &xlsxTable{b: b, name: name, cols: cols, sheet: name, part: 1, cells: make([]any, len(cols))}
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
	return nil
}

func (t *xlsxTable) row(values []any) error {
	if t.rows >= t.b.maxRows {
		if err := t.next(); err != nil {
			return err
		}
	}
	for i, v := range values {
		switch v := v.(type) {
		case string:
			if g := fit(guard(v)); g != v {
				t.cells[i] = g
				continue
			}
		case day:
			s, ok := t.b.serials[v]
			if !ok {
				s = v.excelSerial()
				t.b.serials[v] = s
			}
			if !t.cols[i].date {
				s = excelize.Cell{StyleID: t.b.date, Value: s}
			}
			t.cells[i] = s
			continue
		}
		t.cells[i] = v
	}
	t.rows++
	if err := t.sw.SetRow("A"+strconv.Itoa(t.rows), t.cells[:len(values)]); err != nil {
		return fmt.Errorf("xlsx: sheet %q row %d: %w", t.sheet, t.rows, err)
	}
	return nil
}

// next continues the table on a new sheet, "Answers (2)", placed after
// the table's sheets so far.
func (t *xlsxTable) next() error {
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
		if err := t.sw.Flush(); err != nil {
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
	if err := writeWorkbook(b.f, b.w); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}
