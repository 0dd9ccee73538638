package export

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
)

// part is one participant's rows: their answers and their row of the
// framework matrix.
type part struct {
	code    string
	answers [][]any
	// frames are the participant's rows of the framework matrix, one
	// per wave, in wave order.
	frames [][]any
}

// sortRows passes the preparer's batches on to the writer with the
// participants in the order of their codes rather than of their row ids
// (the order they joined, which the export must not show). The store
// hands answers by row id, so every participant's rows wait on disk, in
// a spool, until the last is read; then they are read back by code. That
// keeps a million answers out of memory. Batches of progress go on as
// they come; the rows follow, then the last batch.
//
// Without spool, the participants come in the order of their codes
// already (an orderedStore), and their rows go straight on.
func sortRows(ctx context.Context, dir string, spool bool, in <-chan *rowBatch, out chan<- *rowBatch) error {
	send := func(rb *rowBatch) error {
		select {
		case out <- rb:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	if !spool {
		for rb := range in {
			for i := range rb.parts {
				rb.answers = append(rb.answers, rb.parts[i].answers...)
				rb.framework = append(rb.framework, rb.parts[i].frames...)
			}
			rb.parts = nil
			if err := send(rb); err != nil {
				return err
			}
		}
		return context.Cause(ctx)
	}
	sp, err := newSpool(dir)
	if err != nil {
		return err
	}
	defer sp.remove()
	var last *rowBatch
	for rb := range in {
		for i := range rb.parts {
			if err := sp.put(&rb.parts[i]); err != nil {
				return err
			}
		}
		rb.parts = nil
		if rb.last {
			last = rb
			continue
		}
		if err := send(rb); err != nil {
			return err
		}
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if last == nil {
		return errors.New("export: the rows ended early")
	}
	if err := sp.w.Flush(); err != nil {
		return fmt.Errorf("export: spool: %w", err)
	}
	sort.Slice(sp.index, func(i, j int) bool { return sp.index[i].code < sp.index[j].code })
	// The rows are read back while the file is finished: say so at once.
	rb := &rowBatch{done: last.done, total: last.total, finishing: true}
	for _, e := range sp.index {
		pt, err := sp.get(e)
		if err != nil {
			return err
		}
		rb.answers = append(rb.answers, pt.answers...)
		rb.framework = append(rb.framework, pt.frames...)
		if len(rb.answers) >= batchSize {
			if err := send(rb); err != nil {
				return err
			}
			rb = &rowBatch{quiet: true}
		}
	}
	if err := send(rb); err != nil {
		return err
	}
	return send(last)
}

// spool is a temporary file of participants' rows, in a directory of its
// own readable by its owner alone (the rows hold participants' words),
// removed when the export ends.
type spool struct {
	dir   string
	f     *os.File
	w     *bufio.Writer
	off   int64
	index []spooled
	buf   []byte
	names map[string]any // boxed short strings read back, shared by rows
	days  map[day]any    // boxed days read back
}

// spooled is where one participant's rows are in the spool.
type spooled struct {
	code string
	off  int64
	n    int
}

func newSpool(dir string) (*spool, error) {
	d, err := os.MkdirTemp(dir, "peervoice-export-*") // mode 0700
	if err != nil {
		return nil, fmt.Errorf("export: make a temporary directory to sort the rows in: %w; set TMPDIR to a writable directory", err)
	}
	f, err := os.CreateTemp(d, "rows-*") // mode 0600
	if err != nil {
		os.RemoveAll(d)
		return nil, fmt.Errorf("export: spool: %w", err)
	}
	return &spool{dir: d, f: f, w: bufio.NewWriterSize(f, 256<<10), names: map[string]any{}, days: map[day]any{}}, nil
}

// remove deletes the spool.
func (s *spool) remove() {
	s.f.Close()
	os.RemoveAll(s.dir)
}

// The kinds of value in the spool, one byte before each.
const (
	spoolNil byte = iota
	spoolString
	spoolInt
	spoolFloat
	spoolDay
)

// put appends a participant's rows to the spool.
func (s *spool) put(pt *part) error {
	b := binary.AppendUvarint(s.buf[:0], uint64(len(pt.answers)))
	var err error
	for _, row := range pt.answers {
		if b, err = appendRow(b, row); err != nil {
			return err
		}
	}
	b = binary.AppendUvarint(b, uint64(len(pt.frames)))
	for _, row := range pt.frames {
		if b, err = appendRow(b, row); err != nil {
			return err
		}
	}
	s.buf = b
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("export: spool: %w", err)
	}
	s.index = append(s.index, spooled{code: pt.code, off: s.off, n: len(b)})
	s.off += int64(len(b))
	return nil
}

// appendRow appends a row's values, each as its kind and its bytes.
func appendRow(b []byte, row []any) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(len(row)))
	for _, v := range row {
		switch v := v.(type) {
		case nil:
			b = append(b, spoolNil)
		case string:
			b = append(b, spoolString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case int:
			b = append(b, spoolInt)
			b = binary.AppendVarint(b, int64(v))
		case float64:
			b = append(b, spoolFloat)
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		case day:
			b = append(b, spoolDay)
			b = binary.AppendVarint(b, int64(v))
		default:
			return nil, fmt.Errorf("export: spool: a value of type %T", v)
		}
	}
	return b, nil
}

// get reads a participant's rows back.
func (s *spool) get(e spooled) (part, error) {
	if cap(s.buf) < e.n {
		s.buf = make([]byte, e.n)
	}
	b := s.buf[:e.n]
	if _, err := s.f.ReadAt(b, e.off); err != nil {
		return part{}, fmt.Errorf("export: spool: %w", err)
	}
	r := spoolReader{b: b, names: s.names, days: s.days}
	pt := part{code: e.code, answers: make([][]any, r.uvarint())}
	for i := range pt.answers {
		pt.answers[i] = r.row()
	}
	pt.frames = make([][]any, r.uvarint())
	for i := range pt.frames {
		pt.frames[i] = r.row()
	}
	if r.bad {
		return part{}, errors.New("export: spool: a damaged record (the temporary file was changed while the export ran)")
	}
	return pt, nil
}

// spoolReader reads values appended by appendRow.
type spoolReader struct {
	b     []byte
	bad   bool
	names map[string]any
	days  map[day]any
}

func (r *spoolReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *spoolReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// row reads a row; short strings, which repeat (ids, themes, labels,
// codes), are boxed once and shared.
func (r *spoolReader) row() []any {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	row := make([]any, n)
	for i := range row {
		if len(r.b) == 0 {
			r.bad = true
			return row
		}
		kind := r.b[0]
		r.b = r.b[1:]
		switch kind {
		case spoolNil:
		case spoolString:
			l := r.uvarint()
			if l > uint64(len(r.b)) {
				r.bad = true
				return row
			}
			raw := r.b[:l]
			r.b = r.b[l:]
			if v, ok := r.names[string(raw)]; ok {
				row[i] = v
			} else if l <= 64 && len(r.names) < 100000 {
				v := any(string(raw))
				r.names[string(raw)] = v
				row[i] = v
			} else {
				row[i] = string(raw)
			}
		case spoolInt:
			row[i] = int(r.varint())
		case spoolFloat:
			if len(r.b) < 8 {
				r.bad = true
				return row
			}
			row[i] = math.Float64frombits(binary.LittleEndian.Uint64(r.b))
			r.b = r.b[8:]
		case spoolDay:
			d := day(r.varint())
			v, ok := r.days[d]
			if !ok {
				v = d
				r.days[d] = v
			}
			row[i] = v
		default:
			r.bad = true
			return row
		}
	}
	return row
}
