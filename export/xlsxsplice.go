package export

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// splicer puts each sheet's rows, written apart by a rowEncoder, into the
// sheet's XML as excelize writes the workbook. Each sheet with rows gets a
// placeholder row 2 from excelize's stream writer holding a token of this
// export (random, so no one's text can forge it); as the sheet goes into
// the zip, the placeholder row is replaced by the rows, numbered from 2.
// close checks that every placeholder was found once, so a change in how
// excelize writes a sheet fails the export instead of losing rows.
type splicer struct {
	prefix   []byte // the start of every placeholder row, up to its number
	sections []*section
}

// section is one sheet's rows: n bytes at off in file.
type section struct {
	file    *os.File
	off, n  int64
	spliced int
}

func newSplicer() (*splicer, error) {
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	return &splicer{prefix: []byte(`<row r="2"><c r="A2" t="inlineStr"><is><t>peervoice-rows-` + hex.EncodeToString(id[:]) + `-`)}, nil
}

// placeholder writes the placeholder row 2 of a sheet whose rows start at
// off in file.
func (s *splicer) placeholder(sw *excelize.StreamWriter, file *os.File, off int64) (*section, error) {
	sec := &section{file: file, off: off}
	s.sections = append(s.sections, sec)
	token := string(s.prefix[len(`<row r="2"><c r="A2" t="inlineStr"><is><t>`):]) + strconv.Itoa(len(s.sections)-1)
	if err := sw.SetRow("A2", []any{token}); err != nil {
		return nil, err
	}
	return sec, nil
}

// placeholderEnd ends a placeholder row after its number.
const placeholderEnd = `</t></is></c></row>`

// scanLimit is how far into a zip entry a placeholder is looked for: it is
// row 2, after the sheet's column widths and frozen panes, a few kilobytes
// in.
const scanLimit = 1 << 20

// zipWriter wraps the workbook's zip writer, splicing rows into sheets.
type zipWriter struct {
	*zip.Writer
	s   *splicer
	cur *spliceEntry
}

func (z *zipWriter) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.Writer.Create(name)
	if err != nil {
		return nil, err
	}
	z.cur = &spliceEntry{w: w, s: z.s}
	return z.cur, nil
}

func (z *zipWriter) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.Writer.Close()
}

func (z *zipWriter) finish() error {
	if z.cur == nil {
		return nil
	}
	err := z.cur.end()
	z.cur = nil
	return err
}

// check reports a sheet's rows that did not go into the workbook.
func (s *splicer) check() error {
	for i, sec := range s.sections {
		if sec.spliced != 1 {
			return fmt.Errorf("xlsx: the rows of sheet part %d went into the workbook %d times, not once; this version of excelize needs a change in export/xlsxsplice.go", i, sec.spliced)
		}
	}
	return nil
}

// spliceEntry is one zip entry being written: its first scanLimit bytes are
// held and searched for a placeholder, the rest pass through.
type spliceEntry struct {
	w       io.Writer
	s       *splicer
	buf     []byte
	passing bool
	err     error
}

func (e *spliceEntry) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.passing {
		return e.w.Write(p)
	}
	e.buf = append(e.buf, p...)
	if e.splice() || len(e.buf) >= scanLimit {
		e.err = e.flush()
	}
	if e.err != nil {
		return 0, e.err
	}
	return len(p), nil
}

// splice replaces a whole placeholder row in buf by its sheet's rows and
// reports whether it did.
func (e *spliceEntry) splice() bool {
	i := bytes.Index(e.buf, e.s.prefix)
	if i < 0 {
		return false
	}
	rest := e.buf[i+len(e.s.prefix):]
	j := bytes.IndexByte(rest, '<')
	if j < 0 || !bytes.HasPrefix(rest[j:], []byte(placeholderEnd)) {
		return false // not all here yet
	}
	n, err := strconv.Atoi(string(rest[:j]))
	if err != nil || n < 0 || n >= len(e.s.sections) {
		e.err = fmt.Errorf("xlsx: a damaged placeholder row %q", rest[:j])
		return true
	}
	sec := e.s.sections[n]
	sec.spliced++
	if _, err := e.w.Write(e.buf[:i]); err != nil {
		e.err = err
		return true
	}
	buf := make([]byte, 1<<20)
	if _, err := io.CopyBuffer(e.w, io.NewSectionReader(sec.file, sec.off, sec.n), buf); err != nil {
		e.err = fmt.Errorf("xlsx: rows of a sheet: %w", err)
		return true
	}
	e.buf = rest[j+len(placeholderEnd):]
	return true
}

// flush writes what is held and passes the rest through.
func (e *spliceEntry) flush() error {
	if e.err != nil {
		return e.err
	}
	e.passing = true
	_, err := e.w.Write(e.buf)
	e.buf = nil
	return err
}

// end finishes the entry, splicing a placeholder held to the end.
func (e *spliceEntry) end() error {
	if !e.passing {
		e.splice()
		return e.flush()
	}
	return e.err
}
