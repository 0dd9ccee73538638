package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// genStore makes up n participants with each answers text answers, of
// about size bytes that compress about as text does, as it hands them
// over: the store itself holds none of them.
type genStore struct{ n, each, size int }

func (s genStore) ReadExport(ctx context.Context, begin func(store.ExportHeader) error, each func(store.ExportAnswer) error) error {
	h := store.ExportHeader{Versions: []store.FlowVersion{{Hash: "h1", FlowID: "f", Source: []byte(flowSource)}}, Answers: s.n * s.each, Tags: map[int64][]byte{}}
	for i := 1; i <= s.n; i++ {
		h.Participants = append(h.Participants, store.ExportParticipant{ID: int64(i), Consented: true, TakePart: true})
		h.Tags[int64(i)] = fakeTag(int64(i))
	}
	if err := begin(h); err != nil {
		return err
	}
	at := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	// A few hundred texts, made once: the export's work is what is
	// measured, not making up its input.
	words := []string{"recovery", "support", "listened", "walking", "medication", "peer", "time", "better", "worse", "group"}
	x := uint32(1)
	texts := make([]string, 509)
	for i := range texts {
		var text []byte
		for len(text) < s.size {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			text = append(text, words[x%uint32(len(words))]...)
			text = fmt.Appendf(text, " %d ", x%1000)
		}
		texts[i] = string(text)
	}
	for i := 1; i <= s.n*s.each; i++ {
		p := int64((i-1)/s.each + 1)
		if err := each(store.ExportAnswer{ParticipantID: p, SessionStarted: at, Answer: store.Answer{
			SessionID: fmt.Sprint("s", p), FlowID: "f", FlowVersion: "h1", QuestionID: "words", Kind: "text", Text: texts[i%len(texts)], AnsweredAt: at,
		}}); err != nil {
			return err
		}
	}
	return nil
}

// heapMeter records the most live heap seen, measured after a collection
// at each sample, above the live heap when it was made.
type heapMeter struct {
	base, peak uint64
}

func newHeapMeter() *heapMeter {
	m := &heapMeter{}
	m.base = live()
	return m
}

func live() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func (m *heapMeter) sample() {
	if l := live(); l > m.base && l-m.base > m.peak {
		m.peak = l - m.base
	}
}

// meteredWriter counts what is written and samples the heap every 2 MB.
type meteredWriter struct {
	m       *heapMeter
	n, next int64
}

func (w *meteredWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.n >= w.next {
		w.m.sample()
		w.next = w.n + 2<<20
	}
	return len(p), nil
}

// TestCSVZipBoundedMemory checks that WriteCSVZip streams: exporting
// tens of megabytes of CSV, the live heap never grows by more than half
// of it (the pipeline's batches in flight take a few megabytes whatever
// the size; holding the tables in memory, as it once did, grows it by more
// than all of them). Memory is measured, not time.
func TestCSVZipBoundedMemory(t *testing.T) {
	st := genStore{n: 5000, each: 30, size: 200}
	if raceEnabled {
		st.n = 3000 // still several times the pipeline's own memory
	}
	m := newHeapMeter()
	progress := 0
	out := &meteredWriter{m: m}
	dir := t.TempDir()
	sum, err := WriteCSVZip(context.Background(), st, out, Options{Unscrubbed: true, TempDir: dir, Progress: func(Progress) {
		if progress++; progress%16 == 0 {
			m.sample()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	m.sample()
	if sum.Answers != st.n*st.each {
		t.Fatalf("exported %d answers; want %d", sum.Answers, st.n*st.each)
	}
	// Each answer appears twice, in answers.csv and in the framework matrix.
	csvSize := int64(2 * st.n * st.each * st.size)
	t.Logf("about %d MB of CSV, %d MB zipped; live heap grew by at most %.1f MB", csvSize>>20, out.n>>20, float64(m.peak)/(1<<20))
	if limit := uint64(csvSize / 2); m.peak > limit {
		t.Errorf("the live heap grew by %d MB exporting about %d MB of CSV; want under %d MB: the export is held in memory", m.peak>>20, csvSize>>20, limit>>20)
	}
	if out.n < csvSize/8 {
		t.Errorf("the archive has %d bytes; want the CSV's %d bytes, deflated", out.n, csvSize)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestCSVZipLeavesNothing checks that the temporary files of the tables
// and of the sort are removed, whether the export succeeds or fails.
func TestCSVZipLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, failAt := range []int{0, 3} {
		s := newFake(10, "words")
		s.failAt = failAt
		_, err := WriteCSVZip(context.Background(), s, io.Discard, Options{TempDir: dir})
		if (err != nil) != (failAt > 0) {
			t.Errorf("failAt %d: WriteCSVZip() = %v", failAt, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("failAt %d: temporary files left: %v", failAt, entries)
		}
	}
}
