package export_test

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// The benchmarks export a generated database of benchParticipants
// participants and benchAnswers answers (20 each by default), made once
// and kept in $PEERVOICE_BENCH_DIR, or under the system's temporary
// directory, for the next run and for timing the CLI on the same data:
//
//	go test -run '^$' -bench Export -benchtime 3x ./export/
//	peervoice export --db $TMPDIR/peervoice-bench-50000x1000000/peervoice.db --format xlsx --out x.xlsx
var (
	benchParticipants = envInt("PEERVOICE_BENCH_PARTICIPANTS", 50000)
	benchAnswers      = envInt("PEERVOICE_BENCH_ANSWERS", 1000000)
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func BenchmarkExportXLSX(b *testing.B) {
	benchmarkExport(b, "xlsx")
}

func BenchmarkExportCSV(b *testing.B) {
	benchmarkExport(b, "csv")
}

// BenchmarkExportXLSXSpool exports through ReadExport alone, as a store
// that cannot read in a given order would: every row waits in the spool
// until the last is read.
func BenchmarkExportXLSXSpool(b *testing.B) {
	benchmarkExport(b, "xlsx-spool")
}

// plainStore hides every method of a store but ReadExport.
type plainStore struct{ export.Store }

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchmarkExport exports the generated database to a file, as the CLI
// does, and reports the peak of the Go heap while it runs.
func benchmarkExport(b *testing.B, format string) {
	path := benchDB(b, benchParticipants, benchAnswers)
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	out := b.TempDir()
	peak := watchHeap()
	var sum export.Summary
	var size int64
	var st export.Store = db
	if format == "xlsx-spool" {
		st, format = plainStore{db}, "xlsx"
	}
	b.ResetTimer()
	cpu := cpuTime(b)
	for b.Loop() {
		peak.reset()
		switch format {
		case "xlsx":
			f, err := os.Create(filepath.Join(out, "export.xlsx"))
			if err != nil {
				b.Fatal(err)
			}
			if sum, err = export.WriteXLSX(ctx, st, f, out, export.Options{}); err != nil {
				b.Fatal(err)
			}
			st, _ := f.Stat()
			size = st.Size()
			f.Close()
		case "csv":
			var files []*os.File
			sum, err = export.WriteCSV(ctx, st, func(name string) (io.Writer, error) {
				f, err := os.Create(filepath.Join(out, name))
				files = append(files, f)
				return f, err
			}, export.Options{})
			if err != nil {
				b.Fatal(err)
			}
			size = 0
			for _, f := range files {
				st, _ := f.Stat()
				size += st.Size()
				f.Close()
			}
		}
	}
	b.StopTimer()
	cpu = cpuTime(b) - cpu
	peak.stop()
	if sum.Answers == 0 {
		b.Fatal("nothing exported")
	}
	b.ReportMetric(float64(sum.Participants), "participants")
	b.ReportMetric(float64(sum.Answers), "answers")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
	b.ReportMetric(float64(peak.max.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// heapWatch samples the memory the Go runtime holds for the heap.
type heapWatch struct {
	max  atomic.Uint64
	done chan struct{}
}

func watchHeap() *heapWatch {
	w := &heapWatch{done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				metrics.Read(sample)
				v := sample[0].Value.Uint64() + sample[1].Value.Uint64()
				for {
					old := w.max.Load()
					if v <= old || w.max.CompareAndSwap(old, v) {
						break
					}
				}
			}
		}
	}()
	return w
}

func (w *heapWatch) reset() { w.max.Store(0) }
func (w *heapWatch) stop()  { close(w.done) }

// benchDB returns a generated database, making it if it is not there yet.
func benchDB(b testing.TB, participants, answers int) string {
	b.Helper()
	dir := os.Getenv("PEERVOICE_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("peervoice-bench-%dx%d", participants, answers))
	}
	path := filepath.Join(dir, "peervoice.db")
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return path
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := generate(path, participants, answers); err != nil {
		b.Fatalf("generate %s: %v", path, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %s (%d participants, %d answers) in %v", path, participants, answers, time.Since(start).Round(time.Second))
	return path
}

// generate writes a database of participants who took part, each with
// answers/participants answers to the default flows, in order: choices
// drawn at random, about one in twenty skipped, and free text from a
// stock of sentences, some holding personal details to scrub. Rows go in
// with SQL in big transactions, for speed, and texts are encrypted in the
// store's own format (see store/keys.go), which the store then reads: the
// generator checks a sample.
func generate(path string, participants, answers int) error {
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := flows.Default()
	if err != nil {
		return err
	}
	created := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for _, f := range cat.Flows() {
		if err := db.SaveFlowVersion(ctx, store.FlowVersion{Hash: f.Version, FlowID: f.ID, Source: f.Source, CreatedAt: created}); err != nil {
			return err
		}
	}
	key, err := os.ReadFile(path + ".key")
	if err != nil {
		return err
	}
	secret, err := store.ParseSecret(string(key))
	if err != nil {
		return err
	}
	aead, err := answerCipher(secret)
	if err != nil {
		return err
	}

	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=OFF&_foreign_keys=on")
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	g := &generator{rnd: rand.New(rand.NewPCG(1, 2)), aead: aead, flows: cat.Flows(), db: db, raw: raw}
	perParticipant := answers / participants
	for p := 1; p <= participants; p++ {
		if g.tx == nil {
			if err := g.begin(); err != nil {
				return err
			}
		}
		n := perParticipant
		if p == participants {
			n = answers - perParticipant*(participants-1)
		}
		if err := g.participant(p, n, created.Add(time.Duration(p)*time.Minute)); err != nil {
			return err
		}
		if g.rows >= 50000 {
			if err := g.commit(); err != nil {
				return err
			}
		}
	}
	if err := g.commit(); err != nil {
		return err
	}
	// The store must read what was written.
	for _, id := range []int64{1, int64(participants)} {
		if _, err := db.Answers(ctx, id); err != nil {
			return fmt.Errorf("read back participant %d: %w", id, err)
		}
	}
	return nil
}

// answerCipher derives the store's answer key from the master secret, as
// store/keys.go does.
func answerCipher(secret []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, "peervoice answers v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

type generator struct {
	rnd   *rand.Rand
	aead  cipher.AEAD
	flows []*flows.Flow
	db    *store.DB
	raw   *sql.DB
	tx    *sql.Tx
	rows  int
	stmts struct{ participant, consent, session, answer *sql.Stmt }
}

func (g *generator) begin() error {
	var err error
	if g.tx, err = g.raw.BeginTx(ctx, nil); err != nil {
		return err
	}
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = g.tx.PrepareContext(ctx, q)
		return s
	}
	g.stmts.participant = prep(`INSERT INTO participants (id, pseudonym, key_version, created_at) VALUES (?, ?, 1, ?)`)
	g.stmts.consent = prep(`INSERT INTO consents (participant_id, version, take_part, quotes, given_at) VALUES (?, '1', 1, ?, ?)`)
	g.stmts.session = prep(`INSERT INTO sessions (id, participant_id, flow_id, flow_version, status, state, key_version, started_at, updated_at, wave)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, (SELECT COALESCE(MAX(wave), 0) + 1 FROM sessions WHERE participant_id = ?2 AND flow_id = ?3))`)
	g.stmts.answer = prep(`INSERT INTO answers (session_id, question_id, flow_id, flow_version, kind, choices, text, number, skipped, key_version, answered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`)
	return err
}

func (g *generator) commit() error {
	if g.tx == nil {
		return nil
	}
	err := g.tx.Commit()
	g.tx, g.rows = nil, 0
	return err
}

const storeTime = "2006-01-02T15:04:05.000000000Z"

// participant writes participant p with n answers, flow after flow.
func (g *generator) participant(p, n int, at time.Time) error {
	userID := strconv.FormatInt(100000000000000000+int64(p)*7919, 10)
	if _, err := g.stmts.participant.Exec(p, g.db.Pseudonym("discord", userID), at.Format(storeTime)); err != nil {
		return err
	}
	if _, err := g.stmts.consent.Exec(p, g.rnd.IntN(3) > 0, at.Format(storeTime)); err != nil {
		return err
	}
	for _, fi := range g.rnd.Perm(len(g.flows)) {
		if n == 0 {
			break
		}
		f := g.flows[fi]
		sid := fmt.Sprintf("%024x", g.rnd.Uint64())
		at = at.Add(time.Duration(g.rnd.IntN(72)) * time.Hour)
		state := g.aead.Seal(nil, nil, []byte(`{"session":{}}`), []byte("sessions.state\x00"+sid))
		status := "done"
		if n < len(f.Questions) {
			status = "paused"
		}
		if _, err := g.stmts.session.Exec(sid, p, f.ID, f.Version, status, state, at.Format(storeTime), at.Format(storeTime)); err != nil {
			return err
		}
		for _, q := range f.Questions {
			if n == 0 {
				break
			}
			if q.Type == flows.TypeInfo {
				continue
			}
			if err := g.answer(sid, f, q, at); err != nil {
				return err
			}
			n--
			g.rows++
		}
	}
	if n > 0 {
		return fmt.Errorf("participant %d: the flows have too few questions for %d more answers", p, n)
	}
	return nil
}

// answer writes one answer to q.
func (g *generator) answer(sid string, f *flows.Flow, q *flows.Question, at time.Time) error {
	var choices, text, number any
	skipped := g.rnd.IntN(20) == 0
	if !skipped {
		switch q.Type {
		case flows.TypeChoice, flows.TypeScale:
			b, _ := json.Marshal([]string{q.Options[g.rnd.IntN(len(q.Options))].ID})
			choices = string(b)
		case flows.TypeMulti:
			var ids []string
			for _, i := range g.rnd.Perm(len(q.Options))[:1+g.rnd.IntN(min(3, len(q.Options)))] {
				ids = append(ids, q.Options[i].ID)
			}
			b, _ := json.Marshal(ids)
			choices = string(b)
		case flows.TypeNumber:
			number = float64(g.rnd.IntN(40))
		default:
			text = g.aead.Seal(nil, nil, []byte(g.text()), []byte("answers.text\x00"+sid+"\x00"+q.ID))
		}
	}
	_, err := g.stmts.answer.Exec(sid, q.ID, f.ID, f.Version, string(q.Type), choices, text, number, skipped, at.Format(storeTime))
	return err
}

// sentences make up free-text answers; a few hold personal details.
var sentences = []string{
	"Getting my life back on my own terms, with people who listen to me rather than ticking boxes.",
	"I've been ill for 10 years and seen 2 or 3 different psychiatrists.",
	"Nobody asked me what I wanted from my care plan.",
	"My care coordinator changes every few months so I tell my story again and again.",
	"Peer support groups, walking, my cat, and the crisis team when they actually pick up.",
	"Being treated as a person and not as a risk to be managed.",
	"Medication helped a bit but the side effects were never discussed with me.",
	"Having a job again, and friends who know what I've been through.",
	"The word recovery makes it sound like there is an end point, and there isn't one for me.",
	"I want to be involved in decisions, not told about them afterwards.",
}

var details = []string{
	"You can reach me on 07700 900123 if that helps.",
	"My email is sam.jones@example.com.",
	"I wrote about it at www.example.org/my-story.",
	"Ask @sam_j on the server, or my NHS number is 943 476 5919.",
}

// text returns one to four sentences, one time in twenty with a personal
// detail.
func (g *generator) text() string {
	var parts []string
	for i := 0; i <= g.rnd.IntN(4); i++ {
		parts = append(parts, sentences[g.rnd.IntN(len(sentences))])
	}
	if g.rnd.IntN(20) == 0 {
		parts = append(parts, details[g.rnd.IntN(len(details))])
	}
	return strings.Join(parts, " ")
}
