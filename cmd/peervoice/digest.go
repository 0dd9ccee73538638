package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/chart"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/store"
)

func (a *app) digestCmd() *cobra.Command {
	var period, format, out, charts string
	var post, again, force bool
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Write the anonymised research digest for a week or a month",
		Long: `Builds the research digest for a period: participation, the answers to
choice and scale questions with the change from the period before, groups
compared, themes, and quotes. Every figure goes through disclosure control
first (disclosure.min_count, disclosure.round_to): small counts show as *,
the others are rounded. Quotes are published once a moderator approves them,
unless digest.quote_approval is false.

--period is an ISO week (2026-W47) or a month (2026-11) in digest.timezone;
the default is the last complete week. --format is md (default), json or
html. --out writes to a file instead of standard output.

--post posts the digest, with its charts as PNG attachments, to the research
channel (discord.research_channel_id) through the bot's token, as /digest
post does, over Discord's REST API alone: the bot may be running at the same
time. A complete period is posted once, whoever posts it (the bot's schedule,
/digest post or --post): if it was posted already, --post says where and
posts nothing, unless --again.

--charts DIR writes the digest's PNG charts, the ones posted to Discord,
to DIR (created if needed, readable by you alone), named 01-FLOW-QUESTION.png
and so on, besides the digest itself; it refuses to overwrite a chart
already there unless --force. The HTML digest embeds the same charts.

When the default period has no answers, the digest says so and names the
latest week that has.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(digest.Formats, format) {
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(digest.Formats, ", "))
			}
			if err := a.load(); err != nil {
				return err
			}
			rc, err := a.researchConfig(func(p string) string { return "peervoice digest --period " + p })
			if err != nil {
				return err
			}
			// The period is checked before the store is opened, so a
			// mistyped --period is named whatever the --db.
			if _, err := rc.Period(period, time.Now()); err != nil {
				return fmt.Errorf("--period: %w", err)
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			d, err := research.New(db, rc).Digest(cmd.Context(), period)
			if err != nil {
				return err
			}
			if charts != "" {
				if err := a.writeCharts(d, charts, force); err != nil {
					return err
				}
			}
			if post {
				if out != "" {
					if err := writeDigest(d, format, out, a.stdout); err != nil {
						return err
					}
				}
				err := a.postDigest(cmd.Context(), db, d, again)
				a.recordRun(cmd.Context(), db, "digest.post", d.Period.Name, fmt.Sprintf("--post again=%t", again), err)
				if err != nil {
					return err
				}
				return damagedDigest(a.stderr, d)
			}
			err = writeDigest(d, format, out, a.stdout)
			a.recordRun(cmd.Context(), db, "digest.preview", d.Period.Name, "format="+format, err)
			if err != nil {
				return err
			}
			return damagedDigest(a.stderr, d)
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&period, "period", "", "ISO week such as 2026-W47, or month such as 2026-11 (default: the last complete week)")
	cmd.Flags().StringVar(&format, "format", "md", "md, json or html")
	cmd.Flags().StringVar(&out, "out", "", "write the digest to this file (default: standard output)")
	cmd.Flags().BoolVar(&post, "post", false, "post the digest to the research channel through the bot's token (with --out, write the file too)")
	cmd.Flags().BoolVar(&again, "again", false, "with --post: post the digest even if this period's was posted already")
	cmd.Flags().StringVar(&charts, "charts", "", "also write the digest's PNG charts to this directory")
	cmd.Flags().BoolVar(&force, "force", false, "with --charts: overwrite charts already in the directory")
	cmd.Flags().String("flows", "", "directory of flow YAML files (default: the built-in pack)")
	a.bind(cmd.Flags(), "flows", "flows_dir")
	return cmd
}

// postDigest posts d to the research channel over REST, once a period
// unless again.
func (a *app) postDigest(ctx context.Context, db *store.DB, d *digest.Digest, again bool) error {
	dc := a.cfg.Discord
	if dc.Token == "" {
		return bot.ErrNoToken
	}
	loc, err := a.digestZone()
	if err != nil {
		return err
	}
	got, err := bot.PostDigest(ctx, bot.Config{Token: dc.Token, APIURL: dc.APIURL, GatewayURL: dc.GatewayURL, ResearchChannelID: dc.ResearchChannelID, Log: a.log, Store: db, Location: loc}, d, again)
	if err != nil {
		return fmt.Errorf("--post: %w", err)
	}
	if got.Already {
		fmt.Fprintf(a.stdout, "The digest for %s was already posted in channel %s on %s: %s\nNot posted again; add --again to post it once more.\n",
			d.Period.Name, got.ChannelID, got.PostedAt.In(loc).Format("2 January 2006"), got.Link)
		return nil
	}
	fmt.Fprintf(a.stdout, "Posted the digest for %s in channel %s (%d messages): %s\n", d.Period.Name, got.ChannelID, got.Messages, got.Link)
	return nil
}

// digestSource gives the bot the digest of a period ("" for the last
// complete week), built afresh from db with the configured rules.
func (a *app) digestSource(db *store.DB) (bot.DigestSource, error) {
	rc, err := a.researchConfig(func(p string) string { return "/digest preview period:" + p })
	if err != nil {
		return nil, err
	}
	return research.New(db, rc).Digest, nil
}

// writeCharts writes d's charts (those posted to Discord) to dir as
// 01-FLOW-QUESTION.png and so on, and says where. A chart already there
// is not overwritten unless force; nothing is written then.
func (a *app) writeCharts(d *digest.Digest, dir string, force bool) error {
	files, err := chart.All(d, chart.Options{})
	if err != nil {
		return fmt.Errorf("--charts: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("--charts: %w", err)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Join(dir, fmt.Sprintf("%02d-%s", i+1, f.Name))
		if _, err := os.Lstat(names[i]); err == nil && !force {
			return fmt.Errorf("--charts: %s already exists; choose an empty directory, or add --force to overwrite the charts in %s", names[i], dir)
		}
	}
	for i, f := range files {
		if err := writePrivate(names[i], f.PNG); err != nil {
			return fmt.Errorf("--charts: %w", err)
		}
	}
	if len(files) == 0 {
		fmt.Fprintf(a.stderr, "No charts for %s: no distribution or comparison in it has a figure to show.\n", d.Period.Name)
		return nil
	}
	fmt.Fprintf(a.stderr, "Wrote %s for %s to %s (%s to %s).\n", plural(len(files), "chart", "charts"), d.Period.Name, dir,
		filepath.Base(names[0]), filepath.Base(names[len(names)-1]))
	return nil
}

// writePrivate writes b to path, readable by the user alone, beside its
// final name first, so a failure leaves no half-written chart.
func writePrivate(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename, there is nothing to remove
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// researchConfig gives research the configured rules: the digest.* and
// disclosure.* settings, the flows served and the crisis check. ask says
// how a reader asks for a period's digest, in the notice of a default
// week without answers.
func (a *app) researchConfig(ask func(period string) string) (research.Config, error) {
	settings, rules := a.cfg.Digest, a.cfg.Disclosure // checked by load
	policy, err := disclosure.New(rules.MinCount, rules.RoundTo)
	if err != nil {
		return research.Config{}, fmt.Errorf("config: %w", err)
	}
	loc, err := settings.Location()
	if err != nil {
		return research.Config{}, fmt.Errorf("config: %w", err)
	}
	cat, err := a.flows()
	if err != nil {
		return research.Config{}, err
	}
	det, err := a.detector()
	if err != nil {
		return research.Config{}, err
	}
	return research.Config{
		Location: loc, Policy: policy, Subgroups: settings.Subgroups,
		QuoteApproval: settings.QuoteApproval, MaxQuotes: settings.MaxQuotes, ScrubNames: settings.ScrubNames,
		Flows: cat, Crisis: det, Ask: ask,
	}, nil
}

// writeDigest renders d to the file out, or to stdout when out is "".
// A file is written beside its final name and renamed into place, so a
// failure never leaves half a digest.
func writeDigest(d *digest.Digest, format, out string, stdout io.Writer) error {
	if out == "" {
		return renderDigest(stdout, d, format)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer os.Remove(f.Name()) // after a successful rename, there is nothing to remove
	if err := renderDigest(f, d, format); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("--out: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := os.Rename(f.Name(), out); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}

// renderDigest writes d in format; the HTML digest embeds its charts.
func renderDigest(w io.Writer, d *digest.Digest, format string) error {
	if format != "html" {
		return d.Render(w, format)
	}
	figs, err := chart.Figures(d, chart.Options{})
	if err != nil {
		return fmt.Errorf("digest charts: %w", err)
	}
	return d.WriteHTMLFigures(w, figs)
}
