package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// writeWorkbook writes f to w as a zip archive compressed on every core,
// with the sheets' rows spliced in (splicer).
//
// excelize builds the whole archive in a bytes.Buffer before copying it
// out, which for a million answers means another 100 MB or more of memory;
// and it compresses on one core after the rows are written, when the
// other cores are idle. So the zip writer given to excelize writes to w
// instead of excelize's buffer, and deflates in parallel, with
// klauspost/compress's flate, which at its fastest level compresses sheet
// XML twice as fast as the standard library's, to the same size. excelize is
// pointed at io.Discard, and its buffer is checked to be empty, so a
// future excelize that wrote outside the zip writer fails loudly instead
// of producing a broken file.
func writeWorkbook(f *excelize.File, w io.Writer, rows *splicer) error {
	var theirs *bytes.Buffer
	f.SetZipWriter(func(buf io.Writer) excelize.ZipWriter {
		theirs, _ = buf.(*bytes.Buffer)
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return newParallelDeflate(out), nil
		})
		return &zipWriter{zw: zw, s: rows}
	})
	if err := f.Write(io.Discard); err != nil {
		return err
	}
	if theirs == nil || theirs.Len() > 0 {
		return errors.New("xlsx: excelize wrote the workbook outside its zip writer; this version of excelize needs a change in export/zip.go")
	}
	return rows.check()
}

// chunkSize is how much data each parallel compression takes.
const chunkSize = 1 << 20

// parallelDeflate is a deflate stream compressed in chunks on all cores,
// as pigz does: each chunk is compressed on its own and ends with a sync
// flush, the last with the final block, so that the chunks joined in order
// are one valid stream. Losing the 32 KB window at each 1 MB boundary
// costs a fraction of a percent of size.
type parallelDeflate struct {
	out     io.Writer
	buf     []byte
	pending []chan deflated // in stream order
	err     error
}

type deflated struct {
	data *bytes.Buffer
	err  error
}

var (
	chunkPool   = sync.Pool{New: func() any { return make([]byte, 0, chunkSize) }}
	bufferPool  = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	deflatePool = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		return w
	}}
)

func newParallelDeflate(out io.Writer) *parallelDeflate {
	return &parallelDeflate{out: out, buf: chunkPool.Get().([]byte)[:0]}
}

func (p *parallelDeflate) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 && p.err == nil {
		k := min(len(b), chunkSize-len(p.buf))
		p.buf = append(p.buf, b[:k]...)
		b = b[k:]
		if len(p.buf) == chunkSize {
			p.dispatch(false)
		}
	}
	if p.err != nil {
		return 0, p.err
	}
	return n, nil
}

// Flush compresses what is held, without a final block, and writes every
// chunk out: the stream so far can be followed by another deflate stream's
// blocks (the rows spliced into a sheet, see splicer).
func (p *parallelDeflate) Flush() error {
	if p.err == nil && len(p.buf) > 0 {
		p.dispatch(false)
	}
	for len(p.pending) > 0 {
		p.writeHead()
	}
	return p.err
}

// Close compresses what is left, with the final block, and writes every
// chunk out.
func (p *parallelDeflate) Close() error {
	if p.err == nil {
		p.dispatch(true)
	}
	for len(p.pending) > 0 {
		p.writeHead()
	}
	return p.err
}

// dispatch compresses the current chunk in the background, writing out
// finished chunks once as many are in flight as there are cores.
func (p *parallelDeflate) dispatch(final bool) {
	data := p.buf
	p.buf = chunkPool.Get().([]byte)[:0]
	done := make(chan deflated, 1)
	p.pending = append(p.pending, done)
	go func() {
		out := bufferPool.Get().(*bytes.Buffer)
		out.Reset()
		fw := deflatePool.Get().(*flate.Writer)
		fw.Reset(out)
		_, err := fw.Write(data)
		if err == nil && final {
			err = fw.Close()
		} else if err == nil {
			err = fw.Flush()
		}
		deflatePool.Put(fw)
		chunkPool.Put(data[:0])
		done <- deflated{out, err}
	}()
	for len(p.pending) > runtime.GOMAXPROCS(0) {
		p.writeHead()
	}
}

// writeHead waits for the oldest chunk and writes it out.
func (p *parallelDeflate) writeHead() {
	d := <-p.pending[0]
	p.pending = p.pending[1:]
	if p.err == nil {
		p.err = d.err
	}
	if p.err == nil {
		_, p.err = p.out.Write(d.data.Bytes())
	}
	bufferPool.Put(d.data)
}
