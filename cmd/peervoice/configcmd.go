package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/config"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/suggest"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/store"
)

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Work with PeerVoice's configuration",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Check the configuration and print the effective settings, secrets masked",
		Long: `Checks every setting, and what the settings name: that study.info_file
can be read, that safety.phrases, safety.patterns and safety.ignore can be
used, that the flows load, that digest.subgroups are choice questions of
the about-you flow and that prompts.schedule names flows there are. Prints
every problem and exits 1 if there are any; otherwise prints the effective
settings, secrets masked. peervoice run makes the same checks on start.
Warns when discord.guild_id is empty: the moderator and researcher commands
are then off.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.configCheck() },
	})
	return cmd
}

// configCheck lists every problem of the configuration, or prints the
// effective settings.
func (a *app) configCheck() error {
	problems, err := a.loadChecked()
	if err != nil {
		return err
	}
	if w := serverWarning(a.cfg); w != "" { // configwarn.go
		fmt.Fprintln(a.stderr, w)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(a.stderr, p)
		}
		fmt.Fprintf(a.stderr, "%d problem(s) in the configuration\n", len(problems))
		return exitError{1}
	}
	if a.configFile != "" {
		fmt.Fprintf(a.stdout, "# from %s, the environment and flags\n", a.configFile)
	}
	return config.Print(a.stdout, a.v)
}

// checkedLoad is load for a command that needs every setting to be
// right, and what they name (run): it fails with every problem at once.
func (a *app) checkedLoad() error {
	problems, err := a.loadChecked()
	if err != nil {
		return err
	}
	return errors.Join(problems...)
}

// loadChecked loads the configuration as load does, and makes the checks
// of setupProblems too. It returns every problem; err only when the
// config file itself cannot be read, and nothing more can be checked.
func (a *app) loadChecked() (problems []error, err error) {
	err = a.load()
	if err == nil {
		return a.setupProblems(nil), nil
	}
	var ce *config.Error
	if !errors.As(err, &ce) {
		return nil, err
	}
	// Load leaves a bad setting zero: check the rest, skipping what
	// depends on the bad ones.
	cfg, warnings, _ := config.Load(a.v)
	for _, w := range warnings {
		a.log.Warn(w)
	}
	a.cfg = cfg
	problems = unjoin(err)
	return append(problems, a.setupProblems(badKeys(problems))...), nil
}

// setupProblems checks what a.cfg names beyond the values themselves,
// which config.Load has checked: the study information file, the crisis
// phrases and patterns, the flows, and the flows and questions that
// digest.subgroups and prompts.schedule name. Keys in skip (and their
// items) were bad already and are not checked again.
func (a *app) setupProblems(skip map[string]bool) []error {
	var problems []error
	if !skip["study.info_file"] {
		if err := checkInfoFile(a.cfg.Study.InfoFile); err != nil {
			problems = append(problems, err)
		}
	}
	problems = append(problems, safetyProblems(a.cfg.Safety, skip)...)
	if !skip["db"] && a.cfg.DB != scratchDB {
		// A database whose keyring is missing would refuse to open: say
		// so here too, rather than at the first command that needs it.
		if err := store.CheckKeyring(context.Background(), a.cfg.DB, store.Options{}); err != nil {
			problems = append(problems, err)
		}
	}
	if skip["flows_dir"] {
		return problems
	}
	src, err := a.flows()
	if err != nil {
		return append(problems, err)
	}
	cat := src()
	if !skip["digest.subgroups"] {
		problems = append(problems, subgroupProblems(a.cfg.Digest.Subgroups, cat)...)
	}
	if !skip["prompts.schedule"] {
		for i, p := range a.cfg.Prompts.Schedule {
			if _, err := cat.Get(p.Flow); err != nil {
				problems = append(problems, &config.Error{Key: fmt.Sprintf("prompts.schedule[%d].flow", i), Value: p.Flow,
					Expected: "the id of one of the flows (" + strings.Join(cat.IDs(), ", ") + ")" + didYouMean(p.Flow, cat.IDs())})
			}
		}
	}
	return problems
}

// checkInfoFile checks that study.info_file, if set, can be shown with
// the consent question.
func checkInfoFile(path string) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	var why string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why = "there is no such file"
	case errors.Is(err, fs.ErrPermission):
		why = "PeerVoice may not read it (permission denied)"
	case err != nil:
		why = err.Error()
	case strings.TrimSpace(string(b)) == "":
		why = "it is empty, and participants would consent without being told about the study"
	default:
		return nil
	}
	if !filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			why += "; a relative path is read from the working directory, " + wd
		}
	}
	return &config.Error{Key: "study.info_file", Value: path,
		Expected: "a Markdown file with the study information (" + why + "), or no value for the built-in text"}
}

// safetyProblems checks each of the extra crisis phrases, patterns and
// idioms on its own, so that every bad one is named.
func safetyProblems(s config.Safety, skip map[string]bool) []error {
	var problems []error
	for _, list := range []struct {
		key   string
		items []string
		opt   func(string) safety.Options
		want  string
	}{
		{"safety.phrases", s.Phrases, func(p string) safety.Options { return safety.Options{Phrases: []string{p}} }, "a phrase with words in it"},
		{"safety.patterns", s.Patterns, func(p string) safety.Options { return safety.Options{Patterns: []string{p}} },
			"a Go regular expression (RE2 syntax: https://golang.org/s/re2syntax) that does not match empty text"},
		{"safety.ignore", s.Ignore, func(p string) safety.Options { return safety.Options{Ignore: []string{p}} }, "a phrase with words in it"},
	} {
		if skip[list.key] {
			continue
		}
		for i, p := range list.items {
			opt := list.opt(p)
			opt.NoDefaults = true
			if _, err := safety.New(opt); err != nil {
				why := err.Error()
				if pe := (*safety.PatternError)(nil); errors.As(err, &pe) {
					// PatternError's text names the entry; the rest is why.
					why = strings.TrimPrefix(why, fmt.Sprintf("safety.%s[0] %q: ", pe.Field, pe.Value))
				}
				problems = append(problems, &config.Error{Key: fmt.Sprintf("%s[%d]", list.key, i), Value: p,
					Expected: list.want + "; this one fails: " + why})
			}
		}
	}
	return problems
}

// subgroupProblems checks that each of digest.subgroups is a choice
// question of the about-you flow, as the digest needs.
func subgroupProblems(subgroups []string, cat *flows.Catalog) []error {
	if len(subgroups) == 0 {
		return nil
	}
	var choices []string
	if f, err := cat.Get(digest.DemographicsFlow); err == nil {
		for _, q := range f.Questions {
			if q.Type == flows.TypeChoice {
				choices = append(choices, q.ID)
			}
		}
	}
	var problems []error
	for i, id := range subgroups {
		if slices.Contains(choices, id) {
			continue
		}
		want := fmt.Sprintf("a choice question of the %s flow (choice questions: %s)%s", digest.DemographicsFlow, strings.Join(choices, ", "), didYouMean(id, choices))
		if len(choices) == 0 {
			want = fmt.Sprintf("a choice question of the %s flow, but the flows have no %s flow with choice questions: add one, or set digest.subgroups to []", digest.DemographicsFlow, digest.DemographicsFlow)
		}
		problems = append(problems, &config.Error{Key: fmt.Sprintf("digest.subgroups[%d]", i), Value: id, Expected: want})
	}
	return problems
}

// didYouMean is `; did you mean "x"?` for the known word nearest to s,
// or "" when none is near.
func didYouMean(s string, known []string) string {
	if best := suggest.Closest(s, known, 4); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// unjoin returns the errors errors.Join joined, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// badKeys are the keys (without an item's index) of the config errors.
func badKeys(errs []error) map[string]bool {
	bad := map[string]bool{}
	for _, err := range errs {
		var ce *config.Error
		if errors.As(err, &ce) {
			key, _, _ := strings.Cut(ce.Key, "[")
			bad[key] = true
		}
	}
	return bad
}
