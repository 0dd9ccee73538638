package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/scrub"
	"github.com/peervoice/peervoice/store"
)

// exportTables maps --table to the tables of an export.
var exportTables = map[string]string{
	"answers":   export.SheetAnswers,
	"framework": export.SheetFramework,
	"codebook":  export.SheetCodebook,
	"about":     export.SheetAbout,
}

func (a *app) exportCmd() *cobra.Command {
	var format, out, tableName string
	var unscrubbed, force bool
	cmd := &cobra.Command{
		Use:   "export --format csv|xlsx [--out FILE|DIR|-]",
		Short: "Export the research data for analysis (XLSX workbook or CSV files)",
		Long: `Exports every answer for framework analysis: participants as stable codes
(P-7K3QX-M2D9A, ...), one row per answer, a framework matrix (participants by
themes) and a codebook, plus notes on how to read them.

  --format xlsx  one workbook with the sheets Answers, Framework matrix,
                 Codebook and About. --out names the file (default
                 peervoice-export-DATE.xlsx); - writes it to standard output.
  --format csv   a directory (default peervoice-export-DATE) holding
                 answers.csv, framework-matrix.csv, codebook.csv and about.csv.
                 --out - writes one table to standard output: --table
                 answers (default), framework, codebook or about.

Free text is scrubbed of personal details. --unscrubbed keeps it as typed,
for the data controller only. Withdrawn participants are absent, and no
Discord id, pseudonym or time of day is exported. Files are created
readable by you alone; an existing file is not overwritten unless --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(); err != nil {
				return err
			}
			table, ok := exportTables[tableName]
			if !ok {
				return fmt.Errorf("--table %q: want answers, framework, codebook or about", tableName)
			}
			if format != "csv" && format != "xlsx" {
				return fmt.Errorf("--format %q: want csv or xlsx", format)
			}
			if cmd.Flags().Changed("table") && (format != "csv" || out != "-") {
				return errors.New("--table chooses the table to write to standard output: use it with --format csv --out -")
			}
			if out == "-" && format == "xlsx" && isTerminal(a.stdout) {
				return errors.New("refusing to write a workbook to the terminal: give --out FILE, or redirect standard output")
			}
			today := time.Now().UTC().Format(time.DateOnly)
			if out == "" {
				out = "peervoice-export-" + today
				if format == "xlsx" {
					out += ".xlsx"
				}
			}
			if out != "-" && !force {
				if err := refuseOverwrite(exportTargets(format, out)); err != nil {
					return err
				}
			}
			// Opening creates a missing database; an export of nothing
			// from a mistyped path would only mislead.
			if _, err := os.Stat(a.cfg.DB); errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("no database at %s: give --db the path of the PeerVoice database", a.cfg.DB)
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			// The same names as the digest's quotes (digest.scrub_names).
			settings := a.cfg.Digest
			opt := export.Options{Unscrubbed: unscrubbed, Scrubber: scrub.New(settings.ScrubNames)}
			clearBar := func() {}
			if isTerminal(a.stderr) {
				bar := export.NewBar(a.stderr)
				opt.Progress, clearBar = bar.Update, bar.Done
				defer bar.Done()
			}
			if unscrubbed {
				fmt.Fprintln(a.stderr, "warning: --unscrubbed: free text is exported as participants typed it, personal details included; keep the export as securely as the database")
			}
			var sum export.Summary
			switch {
			case out == "-" && format == "xlsx":
				sum, err = export.WriteXLSX(cmd.Context(), db, a.stdout, "", opt)
			case out == "-":
				name := export.CSVName(table)
				sum, err = export.WriteCSV(cmd.Context(), db, func(n string) (io.Writer, error) {
					if n == name {
						return a.stdout, nil
					}
					return io.Discard, nil
				}, opt)
			case format == "xlsx":
				sum, err = exportXLSXFile(cmd, db, out, force, opt)
			default:
				sum, err = exportCSVDir(cmd, db, out, force, opt)
			}
			clearBar() // before the summary, which may share the terminal's line
			a.recordRun(cmd.Context(), db, "export", out, fmt.Sprintf("format=%s scrubbed=%t", format, !unscrubbed), err)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			report, where := a.stdout, "to "+out
			if out == "-" {
				report, where = a.stderr, "to standard output" // standard output holds the data
			}
			text := "free text scrubbed"
			if !sum.Scrubbed {
				text = "free text NOT scrubbed"
			}
			fmt.Fprintf(report, "Exported %s from %s %s (%s).\n", plural(sum.Answers, "answer", "answers"), plural(sum.Participants, "participant", "participants"), where, text)
			if sum.LeftOut > 0 {
				fmt.Fprintf(report, "Left out %d participant(s) whose latest consent does not include taking part.\n", sum.LeftOut)
			}
			// Damaged rows (issue 11 §4): the export is written without
			// them, and exits 1 so that scripts notice.
			if sum.Unreadable > 0 {
				fmt.Fprintf(a.stderr, "peervoice: export: %d answer(s) could not be decrypted (damaged rows) and are left out; the About table says so. "+
					"Everything else is exported; restore the database from a backup to recover them.\n", sum.Unreadable)
				return exitError{code: 1}
			}
			return nil
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&format, "format", "", "csv or xlsx (required)")
	cmd.Flags().StringVar(&out, "out", "", "output file (xlsx) or directory (csv); - for standard output")
	cmd.Flags().StringVar(&tableName, "table", "answers", "with --format csv --out -: the table to write (answers, framework, codebook, about)")
	cmd.Flags().BoolVar(&unscrubbed, "unscrubbed", false, "keep personal details in free text (for the data controller only)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite export files that already exist")
	_ = cmd.MarkFlagRequired("format")
	return cmd
}

// exportXLSXFile writes the workbook to a temporary file beside out and
// renames it into place, so a failed export leaves no half-written file.
// The sheets are buffered in the same directory while they are written.
// An existing out is replaced only with force.
func exportXLSXFile(cmd *cobra.Command, db export.Store, out string, force bool, opt export.Options) (export.Summary, error) {
	f, err := newPrivateTemp(out)
	if err != nil {
		return export.Summary{}, err
	}
	defer os.Remove(f.Name()) // after the rename, there is nothing to remove
	sum, err := export.WriteXLSX(cmd.Context(), db, f, filepath.Dir(out), opt)
	if err == nil {
		err = commit(f, out, force)
	} else {
		f.Close()
	}
	return sum, err
}

// exportCSVDir writes the CSV files into dir, each to a temporary file
// renamed into place once all are written. Existing files are replaced
// only with force.
func exportCSVDir(cmd *cobra.Command, db export.Store, dir string, force bool, opt export.Options) (export.Summary, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return export.Summary{}, err
	}
	var files []*os.File
	var names []string
	defer func() {
		for _, f := range files {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	sum, err := export.WriteCSV(cmd.Context(), db, func(name string) (io.Writer, error) {
		target := filepath.Join(dir, name)
		f, err := newPrivateTemp(target)
		if err != nil {
			return nil, err
		}
		files, names = append(files, f), append(names, target)
		return f, nil
	}, opt)
	if err != nil {
		return sum, err
	}
	for i, f := range files {
		if err := commit(f, names[i], force); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// newPrivateTemp creates a temporary file beside target, readable by its
// owner alone: exports hold participants' words.
func newPrivateTemp(target string) (*os.File, error) {
	dir := filepath.Dir(target)
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("output directory %s is not a directory", dir)
	}
	if st, err := os.Stat(target); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory; give a file name such as %s", target, filepath.Join(target, "export.xlsx"))
	}
	f, err := os.CreateTemp(dir, "."+strings.TrimPrefix(filepath.Base(target), ".")+".*.tmp")
	if err != nil {
		return nil, err
	}
	return f, nil // CreateTemp makes the file with mode 0600
}

// commit syncs and closes f, then renames it to target. Without force it
// never replaces a file: the up-front check (refuseOverwrite) could be
// overtaken by another export writing the same name meanwhile.
func commit(f *os.File, target string, force bool) error {
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if force {
		return os.Rename(f.Name(), target)
	}
	// A hard link is made only if target does not exist, atomically.
	err := os.Link(f.Name(), target)
	switch {
	case err == nil:
		return os.Remove(f.Name())
	case errors.Is(err, fs.ErrExist):
		return overwriteError([]string{target})
	}
	// No hard links here (some network and FAT file systems): check, then
	// rename.
	if _, err := os.Lstat(target); err == nil {
		return overwriteError([]string{target})
	}
	return os.Rename(f.Name(), target)
}

// exportTargets lists the files an export to out writes.
func exportTargets(format, out string) []string {
	if format == "xlsx" {
		return []string{out}
	}
	var files []string
	for _, sheet := range []string{export.SheetAnswers, export.SheetFramework, export.SheetCodebook, export.SheetAbout} {
		files = append(files, filepath.Join(out, export.CSVName(sheet)))
	}
	return files
}

// refuseOverwrite fails if any of files exists, before anything is
// exported. A directory is left to the writer to explain.
func refuseOverwrite(files []string) error {
	var there []string
	for _, name := range files {
		if st, err := os.Lstat(name); err == nil && !st.IsDir() {
			there = append(there, name)
		}
	}
	if len(there) == 0 {
		return nil
	}
	return overwriteError(there)
}

// overwriteError names the export files that exist already, and the fix.
func overwriteError(files []string) error {
	if len(files) == 1 {
		return fmt.Errorf("%s already exists: give --force to overwrite it, or --out another name", files[0])
	}
	return fmt.Errorf("%s already exist: give --force to overwrite them, or --out another directory", strings.Join(files, ", "))
}

// exportSource gives the bot the research export for /export, built
// afresh from db by research, always scrubbed (with digest.scrub_names,
// as the CLI does): --unscrubbed is the data controller's, on the server
// alone.
func (a *app) exportSource(db *store.DB) bot.ExportSource {
	b := research.New(db, research.Config{ScrubNames: a.cfg.Digest.ScrubNames})
	return func(ctx context.Context, w io.Writer, format string) (bot.ExportSummary, error) {
		sum, err := b.Export(ctx, w, format)
		return bot.ExportSummary(sum), err
	}
}
