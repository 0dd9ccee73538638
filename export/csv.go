package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// CSVName returns the file name of a table in a CSV export: answers.csv,
// framework-matrix.csv, codebook.csv or about.csv.
func CSVName(sheet string) string {
	switch sheet {
	case SheetAnswers:
		return "answers.csv"
	case SheetFramework:
		return "framework-matrix.csv"
	case SheetCodebook:
		return "codebook.csv"
	case SheetAbout:
		return "about.csv"
	}
	return ""
}

// WriteCSV writes the export as one CSV file per table, each to the writer
// create returns for its name (CSVName). The files are UTF-8 without a
// byte order mark, comma-separated, quoted as RFC 4180 says, with a header
// row; days are YYYY-MM-DD. The caller owns the writers: WriteCSV flushes
// what it buffered and closes nothing.
func WriteCSV(ctx context.Context, st Store, create func(name string) (io.Writer, error), opt Options) (Summary, error) {
	return run(ctx, st, &csvBook{create: create}, opt.withDefaults())
}

// csvBook writes each table to its own CSV file.
type csvBook struct {
	create func(name string) (io.Writer, error)
	tables []*csvTable
}

type csvTable struct {
	name   string
	buf    *bufio.Writer
	w      *csv.Writer
	fields []string
	days   map[day]string // formatted days, as most rows share a few
}

func (b *csvBook) table(name string, cols []column) (table, error) {
	file := CSVName(name)
	out, err := b.create(file)
	if err != nil {
		return nil, fmt.Errorf("csv: %s: %w", file, err)
	}
	t := &csvTable{name: file, buf: bufio.NewWriterSize(out, 64<<10), fields: make([]string, len(cols)), days: map[day]string{}}
	t.w = csv.NewWriter(t.buf)
	b.tables = append(b.tables, t)
	for i, c := range cols {
		t.fields[i] = c.name
	}
	if err := t.w.Write(t.fields); err != nil {
		return nil, fmt.Errorf("csv: %s: %w", file, err)
	}
	return t, nil
}

func (t *csvTable) row(values []any) error {
	for i, v := range values {
		switch v := v.(type) {
		case nil:
			t.fields[i] = ""
		case string:
			t.fields[i] = guard(v)
		case int:
			t.fields[i] = strconv.Itoa(v)
		case float64:
			t.fields[i] = strconv.FormatFloat(v, 'f', -1, 64)
		case day:
			s, ok := t.days[v]
			if !ok {
				s = v.String()
				t.days[v] = s
			}
			t.fields[i] = s
		default:
			return fmt.Errorf("csv: %s: a value of type %T", t.name, v)
		}
	}
	if err := t.w.Write(t.fields[:len(values)]); err != nil {
		return fmt.Errorf("csv: %s: %w", t.name, err)
	}
	return nil
}

func (b *csvBook) close() error {
	for _, t := range b.tables {
		t.w.Flush()
		if err := t.w.Error(); err != nil {
			return fmt.Errorf("csv: %s: %w", t.name, err)
		}
		if err := t.buf.Flush(); err != nil {
			return fmt.Errorf("csv: %s: %w", t.name, err)
		}
	}
	return nil
}
