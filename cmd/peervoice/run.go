package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/bot"
)

func (a *app) runCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the Discord bot",
		Long: `Connects to Discord with the bot token (PEERVOICE_DISCORD_TOKEN or
discord.token), registers the slash commands and serves the community until
stopped with Ctrl-C or SIGTERM, which finishes the steps in flight first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.checkedLoad(); err != nil {
				return err
			}
			d := a.cfg.Discord
			if d.Token == "" {
				return bot.ErrNoToken
			}
			a.createDB = true // the bot's first run makes its database
			a.live = true
			a.reminding = a.cfg.Reminders.Enabled
			db, svc, err := a.openService(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			// Session expiry hourly and retention daily, stopped and
			// waited for before the database closes.
			hctx, hcancel := context.WithCancel(cmd.Context())
			wait := a.housekeeping(hctx, db)
			defer func() { hcancel(); wait() }()
			prompts, err := a.prompts()
			if err != nil {
				return err
			}
			digests, err := a.digestSource(db)
			if err != nil {
				return err
			}
			loc, err := a.digestZone()
			if err != nil {
				return err
			}
			quotes, err := a.quoteReview(db)
			if err != nil {
				return err
			}
			preview, err := a.participantConfig()
			if err != nil {
				return err
			}
			reminders, err := a.reminders()
			if err != nil {
				return err
			}
			b, err := bot.New(bot.Config{
				Token: d.Token, GuildID: d.GuildID, APIURL: d.APIURL, GatewayURL: d.GatewayURL,
				ResearchChannelID: d.ResearchChannelID, ModeratorChannelID: d.ModeratorChannelID,
				ModeratorRoles: a.cfg.Roles.Moderator, ResearcherRoles: a.cfg.Roles.Researcher,
				Log: a.log, Store: db, Location: loc, Prompts: prompts, Digests: digests,
				DigestPosting: bot.DigestPosting{Schedule: a.cfg.Digest.Schedule}, Exports: a.exportSource(db),
				Quotes: quotes, UploadLimit: d.UploadLimit, Audit: db, Reminders: reminders,
				FlowAdmin: a.releases(db), Preview: preview,
			}, svc)
			if err != nil {
				return err
			}
			a.record(cmd.Context(), db, audit.Entry{Action: "config.start", Outcome: audit.OK, Details: a.startConfig()})
			// Every version that goes live, from Discord, the command
			// line or the folder, and every flow file that cannot be
			// imported, is told in the moderator channel.
			a.liveSrc.Announce(b.FlowLive, b.FlowsChanged, b.FlowFileProblems)
			watch, stopWatch := context.WithCancel(cmd.Context())
			defer stopWatch()
			go a.liveSrc.Watch(watch, 2*time.Second)
			if err := b.Run(cmd.Context()); err != nil {
				if errors.Is(err, bot.ErrNoToken) || errors.Is(err, bot.ErrTokenRefused) {
					return err
				}
				return fmt.Errorf("run: %w", err)
			}
			return nil
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().String("flows", "", "directory of flow YAML files (default: the built-in pack)")
	a.bind(cmd.Flags(), "flows", "flows_dir")
	return cmd
}

// prompts passes the prompts.* settings to the bot. The schedules made
// with /prompt schedule and every post are kept in the bot's Store.
func (a *app) prompts() (bot.PromptsConfig, error) {
	p := a.cfg.Prompts
	loc, err := p.Location()
	if err != nil {
		return bot.PromptsConfig{}, err
	}
	var scheduled []bot.ScheduledPrompt
	for _, s := range p.Schedule {
		scheduled = append(scheduled, bot.ScheduledPrompt{ID: s.ID, FlowID: s.Flow, ChannelID: s.Channel, When: s.When(), Text: s.Text})
	}
	return bot.PromptsConfig{Schedules: scheduled, Location: loc, Grace: p.Grace}, nil
}

// startConfig is the configuration the audit log keeps at each start:
// where PeerVoice serves and posts, and who holds its roles, so that a
// change between two starts is on the record.
func (a *app) startConfig() string {
	d, r := a.cfg.Discord, a.cfg.Roles
	none := func(s string) string {
		if s == "" {
			return "(none)"
		}
		return s
	}
	return fmt.Sprintf("guild_id=%s research_channel_id=%s moderator_channel_id=%s roles.moderator=%s roles.researcher=%s",
		none(d.GuildID), none(d.ResearchChannelID), none(d.ModeratorChannelID), none(strings.Join(r.Moderator, ",")), none(strings.Join(r.Researcher, ",")))
}

// digestZone is digest.timezone, the bot's Config.Location: where digest
// periods and digest.schedule are read.
func (a *app) digestZone() (*time.Location, error) {
	return a.cfg.Digest.Location()
}

// reminders passes the reminders.* settings to the bot.
func (a *app) reminders() (bot.RemindersConfig, error) {
	r := a.cfg.Reminders
	if !r.Enabled {
		return bot.RemindersConfig{}, nil
	}
	quiet, err := r.Quiet()
	if err != nil {
		return bot.RemindersConfig{}, err
	}
	loc, err := r.Location(a.cfg.Prompts)
	if err != nil {
		return bot.RemindersConfig{}, err
	}
	return bot.RemindersConfig{Enabled: true, Delay: r.Delay, Quiet: quiet, Location: loc, Text: r.Text}, nil
}
