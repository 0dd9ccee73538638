package export

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// pieces are the makings of awkward cells: what XML escapes, what it does
// not allow, what excelize escapes as _xHHHH_, white space at either end,
// invalid UTF-8, and characters beyond the Basic Multilingual Plane.
var pieces = []string{
	"", " ", "\t", "\n", "\r", "\r\n", "&", "<", ">", `"`, "'", "&#xA;", "&amp;", "]]>",
	"_x0041_", "_x005F_", "_x005F_x0041_", "_x005f_x00e9_", "_xD800_", "_xZZZZ_", "_x12", "x0041_", "_x",
	"\x00", "\x01", "\x1f", "\x7f", "\xff", "\xc3", "\uFFFD", "\uFFFE", "\U0001F600", "é", "Ж",
	"=1+1", "-3", "plain words", "P-7K3QX-M2D9A", "yes", "no",
}

func randomText(r *rand.Rand) string {
	var b strings.Builder
	for n := r.IntN(6); n >= 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

var numbers = []float64{0, 1, -1, 1.5, 0.1 + 0.2, 1e20, 1e21, 1e-7, 123456789012345678, 1234567890.123456789,
	-0.000123456789012345678, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1), 46023}

// TestRowEncoderMatchesExcelize writes the same rows with excelize's
// stream writer and with rowEncoder, and checks the sheet XML is the same
// byte for byte: the rows spliced into a workbook are what SetRow would
// have written.
func TestRowEncoderMatchesExcelize(t *testing.T) {
	cols := []column{{"a", 10, false}, {"b", 10, false}, {"day", 10, true}, {"c", 10, false}}
	for i := 0; i < 30; i++ { // past Z, to AD
		cols = append(cols, column{"more", 10, false})
	}
	r := rand.New(rand.NewPCG(1, 2))
	var rows [][]any
	for n := 0; n < 3000; n++ {
		row := make([]any, 1+r.IntN(len(cols)))
		for i := range row {
			switch r.IntN(7) {
			case 0:
				row[i] = nil
			case 1:
				row[i] = numbers[r.IntN(len(numbers))]
			case 2:
				row[i] = r.IntN(2000) - 1000
			case 3:
				row[i] = day(r.IntN(30000))
			default:
				row[i] = randomText(r)
			}
		}
		rows = append(rows, row)
	}
	long := strings.Repeat("é😀", 20000) // beyond a cell: excelize cuts it
	rows = append(rows, []any{long, " " + long, nil, strings.Repeat("a", 40000)})
	rows = append(rows, []any{"repeated", "repeated", "repeated", "repeated"}) // a short string in a date column too

	f := excelize.NewFile()
	defer f.Close()
	format := "yyyy-mm-dd"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetColStyle(3, 3, date); err != nil {
		t.Fatal(err)
	}
	enc := newRowEncoder(cols, date)
	var mine []byte
	for n, row := range rows {
		// What xlsxTable.row handed SetRow before rowEncoder.
		theirs := make([]any, len(row))
		for i, v := range row {
			if d, ok := v.(day); ok {
				if cols[i].date {
					theirs[i] = d.excelSerial()
				} else {
					theirs[i] = excelize.Cell{StyleID: date, Value: d.excelSerial()}
				}
				continue
			}
			theirs[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		if err := sw.SetRow(cell, theirs); err != nil {
			t.Fatal(err)
		}
		if mine, err = enc.appendRow(mine, n+1, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	got := string(mine)
	want := sheetData(t, f, "xl/worksheets/sheet1.xml")
	if got == want {
		return
	}
	gotRows, wantRows := strings.SplitAfter(got, "</row>"), strings.SplitAfter(want, "</row>")
	for i := range min(len(gotRows), len(wantRows)) {
		if gotRows[i] != wantRows[i] {
			t.Fatalf("row %d of %d:\nrowEncoder %q\nexcelize   %q\nvalues %q", i+1, len(rows), gotRows[i], wantRows[i], rows[i])
		}
	}
	t.Fatalf("rowEncoder wrote %d rows; excelize %d", len(gotRows), len(wantRows))
}

// sheetData returns what is inside a sheet's <sheetData> element in f.
func sheetData(t *testing.T, f *excelize.File, path string) string {
	t.Helper()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name != path {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i, j := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
		if i < 0 || j < i {
			t.Fatalf("%s has no sheetData: %.300s", path, s)
		}
		return s[i+len("<sheetData>") : j]
	}
	t.Fatalf("no %s in the workbook", path)
	return ""
}
