package export

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"strconv"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// splicer puts each sheet's rows, written apart by a rowEncoder and
// compressed as they came, into the sheet as excelize writes the workbook.
// Each sheet with rows gets a placeholder row 2 from excelize's stream
// writer holding a token of this export (random, so no one's text can
// forge it). The zip entry of a sheet holding one is written raw: the
// compressed XML before the placeholder, the rows' compressed blocks as
// they are, then the compressed rest, with the CRC-32 of the whole worked
// out from the parts' (crc32Combine). The rows are never decompressed or
// copied as XML. check reports a placeholder not found once, so a change
// in how excelize writes a sheet fails the export instead of losing rows.
type splicer struct {
	prefix   []byte // the start of every placeholder row, up to its number
	sections []*section
}

// section is one sheet's rows: clen bytes of deflate blocks at off in
// file (ending in a sync flush, not a final block), which decompress to
// ulen bytes of XML with the CRC-32 crc.
type section struct {
	file      *os.File
	off, clen int64
	ulen      int64
	crc       uint32
	spliced   int
}

// add counts XML going into the section.
func (s *section) add(xml []byte) {
	s.crc = crc32.Update(s.crc, crc32.IEEETable, xml)
	s.ulen += int64(len(xml))
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
// in. Entries are held up to there, and whole when they hold one (the
// rest of a sheet after its rows is short).
const scanLimit = 1 << 20

// check reports a sheet's rows that did not go into the workbook once.
func (s *splicer) check() error {
	for i, sec := range s.sections {
		if sec.spliced != 1 {
			return fmt.Errorf("xlsx: the rows of sheet part %d went into the workbook %d times, not once; this version of excelize needs a change in export/xlsxsplice.go", i, sec.spliced)
		}
	}
	return nil
}

// zipWriter is the workbook's zip writer, splicing rows into sheets.
type zipWriter struct {
	zw  *zip.Writer
	s   *splicer
	cur *spliceEntry
}

func (z *zipWriter) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	z.cur = &spliceEntry{z: z, name: name}
	return z.cur, nil
}

// AddFS is not used by excelize's Write; it adds fsys as it is.
func (z *zipWriter) AddFS(fsys fs.FS) error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

func (z *zipWriter) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.Close()
}

func (z *zipWriter) finish() error {
	if z.cur == nil {
		return nil
	}
	err := z.cur.end()
	z.cur = nil
	return err
}

// spliceEntry is one zip entry being written. It is held until it is
// known to hold a placeholder (then whole, to be written raw by end) or
// not to (then it goes on as an ordinary entry).
type spliceEntry struct {
	z    *zipWriter
	name string
	buf  []byte
	w    io.Writer // the ordinary entry, once it is one
	err  error
}

func (e *spliceEntry) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.w != nil {
		return e.w.Write(p)
	}
	e.buf = append(e.buf, p...)
	if len(e.buf) >= scanLimit && bytes.Index(e.buf[:scanLimit], e.z.s.prefix) < 0 {
		e.err = e.ordinary()
	}
	if e.err != nil {
		return 0, e.err
	}
	return len(p), nil
}

// ordinary writes what is held as an ordinary entry, and what follows.
func (e *spliceEntry) ordinary() error {
	w, err := e.z.zw.Create(e.name)
	if err != nil {
		return err
	}
	e.w = w
	_, err = w.Write(e.buf)
	e.buf = nil
	return err
}

// end finishes the entry.
func (e *spliceEntry) end() error {
	if e.err != nil || e.w != nil {
		return e.err
	}
	i := bytes.Index(e.buf, e.z.s.prefix)
	if i < 0 {
		return e.ordinary()
	}
	rest := e.buf[i+len(e.z.s.prefix):]
	j := bytes.IndexByte(rest, '<')
	n, err := strconv.Atoi(string(rest[:max(j, 0)]))
	if j < 0 || !bytes.HasPrefix(rest[j:], []byte(placeholderEnd)) || err != nil || n < 0 || n >= len(e.z.s.sections) {
		return fmt.Errorf("xlsx: %s: a damaged placeholder row", e.name)
	}
	sec := e.z.s.sections[n]
	sec.spliced++
	before, after := e.buf[:i], rest[j+len(placeholderEnd):]
	head, err := deflateBytes(before, false)
	if err != nil {
		return err
	}
	tail, err := deflateBytes(after, true)
	if err != nil {
		return err
	}
	crc := crc32Combine(crc32.ChecksumIEEE(before), sec.crc, sec.ulen)
	crc = crc32Combine(crc, crc32.ChecksumIEEE(after), int64(len(after)))
	w, err := e.z.zw.CreateRaw(&zip.FileHeader{
		Name: e.name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64:   uint64(int64(len(head)) + sec.clen + int64(len(tail))),
		UncompressedSize64: uint64(int64(len(before)) + sec.ulen + int64(len(after))),
	})
	if err != nil {
		return err
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	if _, err := io.CopyBuffer(w, io.NewSectionReader(sec.file, sec.off, sec.clen), make([]byte, 1<<20)); err != nil {
		return fmt.Errorf("xlsx: the rows of %s: %w", e.name, err)
	}
	_, err = w.Write(tail)
	return err
}

// deflateBytes compresses b on its own, ending in a sync flush so that
// other blocks can follow, or with the final block.
func deflateBytes(b []byte, final bool) ([]byte, error) {
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(b); err != nil {
		return nil, err
	}
	if final {
		err = fw.Close()
	} else {
		err = fw.Flush()
	}
	return out.Bytes(), err
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from crc1 of
// A, crc2 of B and the length of B, as zlib's crc32_combine does: it
// multiplies crc1 by x^(8·len2) modulo the polynomial, by squaring the
// operator that appends one zero bit.
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1 ^ crc2
	}
	var even, odd [32]uint32
	odd[0] = crc32.IEEE // the operator for one zero bit
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {                  // then eight, sixteen, ... as len2's bits say
		gf2Square(&even, &odd)
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range mat {
		square[n] = gf2Times(mat, mat[n])
	}
}
