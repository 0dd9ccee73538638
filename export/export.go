// Package export writes PeerVoice's research data for analysis, as a
// workbook (XLSX) or CSV files, in the shape framework analysis needs:
//
//   - Answers: one row per answer (long format), participants known only by
//     stable codes that say nothing of them (P-7K3QX-M2D9A, Code),
//     in the order of the codes, option labels beside their ids, the day
//     of each answer and never its time;
//   - Framework matrix: one row per participant and one column per theme,
//     each cell holding the participant's answers for that theme;
//   - Codebook: every question of every flow version, with its type,
//     options, theme and conditions;
//   - About: when the export was made and how to read it.
//
// Free text is scrubbed of personal details (package scrub) unless the
// caller, the data controller, asks otherwise. Withdrawn participants are
// deleted from the store, so they are absent; participants whose latest
// consent declines taking part are left out. No Discord id, pseudonym or
// session id is written.
//
// Of PeerVoice it imports flows, participant, scrub and store; it imports
// no discordgo and no viper (posting an export is the bot's job).
package export

import (
	"context"
	"time"

	"github.com/peervoice/peervoice/scrub"
	"github.com/peervoice/peervoice/store"
)

// Store is what an export reads; *store.DB satisfies it.
type Store interface {
	ReadExport(ctx context.Context, begin func(store.ExportHeader) error, each func(store.ExportAnswer) error) error
}

var _ Store = (*store.DB)(nil)

// orderedStore is a Store that can hand the answers participant by
// participant in an order it is given; *store.DB is one. With it, rows go
// out as they are read, in the order of the codes, instead of waiting in
// a spool until the last is read (sortRows), so that reading, preparing,
// writing and compressing share the cores from start to end.
type orderedStore interface {
	ReadExportInOrder(ctx context.Context, begin func(store.ExportHeader) ([]int64, error), each func(store.ExportAnswer) error) error
}

var _ orderedStore = (*store.DB)(nil)

// begun is the header of an export, with the model made from it.
type begun struct {
	h store.ExportHeader
	m *model
}

// Options tunes an export. The zero value scrubs free text and reports no
// progress.
type Options struct {
	// Unscrubbed writes free text as participants typed it, personal
	// details and all: for the data controller only.
	Unscrubbed bool
	// Scrubber scrubs free text; nil means scrub.New(nil).
	Scrubber *scrub.Scrubber
	// Now gives the export's date, for the About table; nil means
	// time.Now.
	Now func() time.Time
	// Progress, when set, is called from time to time as answers are
	// read, and when the file is being finished.
	Progress func(Progress)
	// TempDir is where rows wait to be put in the order of their
	// participants' codes, in a directory of their own removed before the
	// export returns; "" means the system's (os.TempDir).
	TempDir string
}

// Progress says how far an export is.
type Progress struct {
	// Done answers of Total have been read (written, or left out with
	// their participant).
	Done, Total int
	// Finishing is set once every answer is read, while the rows are
	// written in the order of their codes and the file is completed
	// (compressing a workbook takes a few seconds).
	Finishing bool
}

// Summary says what an export holds.
type Summary struct {
	// Participants and Answers count what was written.
	Participants, Answers int
	// LeftOut counts participants whose latest consent declines taking
	// part, with their answers left out.
	LeftOut int
	// Scrubbed is false when free text was written as typed.
	Scrubbed bool
	// Unreadable counts answers left out because their text could not
	// be decrypted (a damaged row, or a participant's data key damaged
	// or missing); the About table says how many. Everything else is
	// exported.
	Unreadable int
}

// The tables of an export, in order.
const (
	SheetAnswers   = "Answers"
	SheetFramework = "Framework matrix"
	SheetCodebook  = "Codebook"
	SheetAbout     = "About"
)

// column is one column of a table: its heading, its width in a
// spreadsheet (in characters), and whether it holds days.
type column struct {
	name  string
	width float64
	date  bool
}

var (
	answerColumns = []column{
		{"participant", 14, false}, {"flow", 20, false}, {"flow_version", 17, false}, {"question", 22, false},
		{"theme", 30, false}, {"type", 8, false}, {"answer", 60, false}, {"answer_ids", 22, false},
		{"skipped", 8, false}, {"may_quote", 10, false}, {"date", 11, true},
		// Added after the others, so that scripts reading columns by
		// position keep working.
		{"response", 12, false},
		// Appended last, so tools reading the columns by position still work.
		{"wave", 6, false},
	}
	codebookColumns = []column{
		{"flow", 20, false}, {"flow_title", 30, false}, {"flow_version", 17, false}, {"version_date", 12, true},
		{"position", 8, false}, {"question", 22, false}, {"type", 8, false}, {"prompt", 60, false},
		{"options", 50, false}, {"scale", 11, false}, {"theme", 30, false}, {"quotable", 9, false},
		{"asked_when", 30, false}, {"answers", 9, false},
	}
	aboutColumns = []column{{"item", 22, false}, {"value", 100, false}}
)

// frameworkColumns heads the matrix: the participant, whether they allow
// quotes, one column per theme, then the wave (a row per participant per
// wave).
func frameworkColumns(themes []string) []column {
	cols := []column{{"participant", 14, false}, {"may_quote", 10, false}}
	for _, t := range themes {
		cols = append(cols, column{t, 50, false})
	}
	return append(cols, column{"wave", 6, false})
}

// book is where an export's tables go: a workbook, or CSV files.
type book interface {
	// table starts a table; tables are started in order, before any row.
	table(name string, cols []column) (table, error)
	// close finishes every table and the book.
	close() error
}

// table takes rows of values: string, float64, int, day, or nil for an
// empty cell.
type table interface {
	row(values []any) error
}

// withDefaults fills in the options left zero.
func (opt Options) withDefaults() Options {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Scrubber == nil {
		opt.Scrubber = scrub.New(nil)
	}
	return opt
}

// batchSize is how many answers travel together between the stages.
const batchSize = 1024

// run exports st into b in a pipeline of four stages, so that they share
// the cores: a goroutine reads the store, another prepares rows (sorting,
// labelling, scrubbing), a third puts the participants in the order of
// their codes (sortRows; an orderedStore reads them in that order), and
// the calling goroutine, the only one to touch b, writes them. A failure
// anywhere cancels the others, and run returns the first failure.
func run(ctx context.Context, st Store, b book, opt Options) (Summary, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	ordered, inOrder := st.(orderedStore)
	read := make(chan any, 4) // begun, then []store.ExportAnswer
	// Batches of answers go back to the reader once the preparer has
	// copied them: a million answers are 200 MB of garbage otherwise.
	free := make(chan []store.ExportAnswer, 8)
	go func() {
		defer close(read)
		batch := make([]store.ExportAnswer, 0, batchSize)
		send := func(v any) error {
			select {
			case read <- v:
				return nil
			case <-ctx.Done():
				return context.Cause(ctx)
			}
		}
		begin := func(h store.ExportHeader) (*model, error) {
			m, err := newModel(h)
			if err != nil {
				return nil, err
			}
			return m, send(begun{h, m})
		}
		each := func(a store.ExportAnswer) error {
			batch = append(batch, a)
			if len(batch) < batchSize {
				return nil
			}
			err := send(batch)
			select {
			case batch = <-free:
			default:
				batch = make([]store.ExportAnswer, 0, batchSize)
			}
			return err
		}
		var err error
		if inOrder {
			err = ordered.ReadExportInOrder(ctx, func(h store.ExportHeader) ([]int64, error) {
				m, err := begin(h)
				if err != nil {
					return nil, err
				}
				return m.order(), nil
			}, each)
		} else {
			err = st.ReadExport(ctx, func(h store.ExportHeader) error { _, err := begin(h); return err }, each)
		}
		if err == nil && len(batch) > 0 {
			err = send(batch)
		}
		if err != nil {
			cancel(err)
		}
	}()

	slabs := make(chan []any, 256) // from the writer back to the preparer
	p := &preparer{opt: opt, free: free, slabs: slabs}
	rows := make(chan *rowBatch, 4)
	go func() {
		defer close(rows)
		if err := p.run(ctx, read, rows); err != nil {
			cancel(err)
		}
	}()

	sorted := make(chan *rowBatch, 4)
	go func() {
		defer close(sorted)
		if err := sortRows(ctx, opt.TempDir, !inOrder, rows, sorted); err != nil {
			cancel(err)
		}
		for range rows { // let the preparer finish
		}
	}()

	w := &writer{b: b, opt: opt, slabs: slabs}
	err := w.run(sorted)
	if err != nil {
		cancel(err)
	}
	for range sorted { // let the others finish
	}
	if cause := context.Cause(ctx); cause != nil {
		err = cause
	}
	if err == nil {
		err = b.close()
	}
	if err != nil {
		return Summary{}, err
	}
	return p.summary, nil
}

// rowBatch is rows ready for the writer. The first batch carries the
// tables to start; the last the codebook and About rows. From the
// preparer, participants' rows come in parts; sortRows turns them into
// answers and framework rows in the order of the codes.
type rowBatch struct {
	frameworkCols      []column
	parts              []part
	answers, framework [][]any
	codebook, about    [][]any
	// slabs are the cells of the answers' rows, to be used again once
	// written (preparer.slab).
	slabs       [][]any
	done, total int
	last        bool
	// finishing reports Finishing before the last batch; quiet reports
	// no progress.
	finishing, quiet bool
}

// writer writes batches of rows into the book.
type writer struct {
	b                                   book
	opt                                 Options
	answers, framework, codebook, about table
	slabs                               chan<- []any
}

func (w *writer) run(rows <-chan *rowBatch) error {
	for rb := range rows {
		if rb.frameworkCols != nil {
			var err error
			if w.answers, err = w.b.table(SheetAnswers, answerColumns); err != nil {
				return err
			}
			if w.framework, err = w.b.table(SheetFramework, rb.frameworkCols); err != nil {
				return err
			}
			if w.codebook, err = w.b.table(SheetCodebook, codebookColumns); err != nil {
				return err
			}
			if w.about, err = w.b.table(SheetAbout, aboutColumns); err != nil {
				return err
			}
		}
		for _, set := range []struct {
			t    table
			rows [][]any
		}{{w.answers, rb.answers}, {w.framework, rb.framework}, {w.codebook, rb.codebook}, {w.about, rb.about}} {
			for _, r := range set.rows {
				if err := set.t.row(r); err != nil {
					return err
				}
			}
		}
		// The rows are written (a table keeps no value of a row): their
		// slabs can hold a later participant's.
		for _, s := range rb.slabs {
			select {
			case w.slabs <- s:
			default:
			}
		}
		if w.opt.Progress != nil && !rb.quiet {
			w.opt.Progress(Progress{Done: rb.done, Total: rb.total, Finishing: rb.last || rb.finishing})
		}
	}
	return nil
}
