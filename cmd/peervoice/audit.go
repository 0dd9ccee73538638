package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/store"
)

// cliActor is the person at the shell, as the audit log names them:
// cli:<os user>.
func cliActor() audit.Actor {
	u := osUser()
	if u == "" {
		u = "unknown"
	}
	return audit.Actor{Kind: audit.KindCLI, ID: u}
}

// record appends e to the audit log of rec, as the person at the shell
// unless e names another actor. A failure to record is logged: the
// action has been done and stands, and the operator is told it is not
// on the record.
func (a *app) record(ctx context.Context, rec audit.Recorder, e audit.Entry) {
	if e.Actor.Kind == "" {
		e.Actor = cliActor()
	}
	if e.Outcome == "" {
		e.Outcome = audit.OK
	}
	if err := rec.Record(context.WithoutCancel(ctx), e); err != nil {
		a.log.Error("audit: could not record the action in the audit log; the action itself stands", "action", e.Action, "target", e.Target, "err", err)
	}
}

// recordRun records a command's action by the person at the shell, with
// the outcome of err: failed, with the error cut short, or ok.
func (a *app) recordRun(ctx context.Context, rec audit.Recorder, action, target, details string, err error) {
	e := audit.Entry{Action: action, Target: target, Outcome: audit.OK, Details: details}
	if err != nil {
		msg := []rune(err.Error())
		if len(msg) > 300 {
			msg = append(msg[:300], '…')
		}
		e.Outcome = audit.Failed
		if e.Details != "" {
			e.Details += "; "
		}
		e.Details += string(msg)
	}
	a.record(ctx, rec, e)
}

func (a *app) auditCmd() *cobra.Command {
	var since, action string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "audit [--since DATE] [--action A] [--json]",
		Short: "List the audit log of privileged actions; audit verify checks it",
		Long: `Lists the audit log: every privileged action, from Discord or from this
command line, and every refused attempt, one line each: sequence number, time
(UTC), actor, action, target, outcome and details. --json writes one JSON
object a line instead, to keep a copy elsewhere.

--since keeps entries from a date (2026-12-01) or time (RFC 3339) on;
--action keeps one action (digest.post) or kind of action (digest).

peervoice audit verify checks the whole hash chain (docs/security.md).`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var f store.AuditFilter
			if since != "" {
				t, err := parseSince(since)
				if err != nil {
					return err
				}
				f.Since = t
			}
			f.Action = strings.TrimSpace(action)
			if err := a.load(); err != nil {
				return err
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			es, err := db.AuditEntries(cmd.Context(), f)
			if err != nil {
				return err
			}
			return writeAudit(a.stdout, es, asJSON)
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&since, "since", "", "only entries from this date (2026-12-01) or time (RFC 3339) on")
	cmd.Flags().StringVar(&action, "action", "", "only this action (digest.post) or kind of action (digest)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object a line")
	cmd.AddCommand(a.auditVerifyCmd())
	return cmd
}

// parseSince reads --since: a date, midnight UTC, or an RFC 3339 time.
func parseSince(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a date such as 2026-12-01 or a time such as 2026-12-01T09:00:00Z", s)
}

// writeAudit writes entries one a line, as text or JSON.
func writeAudit(w io.Writer, es []audit.Entry, asJSON bool) error {
	enc := json.NewEncoder(w)
	for _, e := range es {
		var err error
		if asJSON {
			err = enc.Encode(e)
		} else {
			_, err = fmt.Fprintln(w, auditLine(e))
		}
		if err != nil {
			return fmt.Errorf("write audit log: %w", err)
		}
	}
	return nil
}

// auditLine is one entry as text, its fields tab-separated.
func auditLine(e audit.Entry) string {
	flat := func(s string) string {
		if s == "" {
			return "-"
		}
		return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
	}
	return strings.Join([]string{fmt.Sprint(e.Seq), e.At.UTC().Format(time.RFC3339), flat(e.Actor.String()), flat(e.Action),
		flat(e.Target), flat(e.Outcome), flat(e.Details)}, "\t")
}

func (a *app) auditVerifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit log's hash chain from its first entry to its last",
		Long: `Checks every entry of the audit log: that the sequence has no gap (deleted
entries), that each entry's prev is the hash of the one before (inserted or
reordered entries), and that each hash covers its entry (edited entries).
Exits 1 naming the first bad entry; otherwise prints how many entries there
are and the last hash: kept somewhere else, it shows later whether the log
was cut short or rewritten (docs/security.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(); err != nil {
				return err
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			var v audit.Verifier
			err = db.EachAuditEntry(cmd.Context(), v.Add)
			var ce *audit.ChainError
			if errors.As(err, &ce) {
				fmt.Fprintf(a.stderr, "peervoice: %v\nThe first %d entries are intact; entry %d and those after it cannot be trusted.\n", err, v.Count(), ce.Seq)
				return exitError{code: 1}
			}
			if err != nil {
				return fmt.Errorf("audit verify: %w", err)
			}
			fmt.Fprintf(a.stdout, "%s, chain intact.\n", plural(int(v.Count()), "entry", "entries"))
			if v.Count() > 0 {
				fmt.Fprintf(a.stdout, "Last hash: %s\n", v.Last())
			}
			return nil
		},
	}
	a.dbFlags(cmd)
	return cmd
}
