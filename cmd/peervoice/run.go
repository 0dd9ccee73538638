package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

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
				Quotes: quotes, UploadLimit: d.UploadLimit, Reminders: reminders,
			}, svc)
			if err != nil {
				return err
			}
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
