package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/store"
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
			db, svc, err := a.openService(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			prompts, err := a.prompts(db)
			if err != nil {
				return err
			}
			digests, err := a.digestSource(db)
			if err != nil {
				return err
			}
			posting, err := a.digestPosting(db)
			if err != nil {
				return err
			}
			quotes, err := a.quoteReview(db)
			if err != nil {
				return err
			}
			b, err := bot.New(bot.Config{
				Token: d.Token, GuildID: d.GuildID, APIURL: d.APIURL, GatewayURL: d.GatewayURL,
				ResearchChannelID: d.ResearchChannelID, ModeratorChannelID: d.ModeratorChannelID,
				ModeratorRoles: a.cfg.Roles.Moderator, ResearcherRoles: a.cfg.Roles.Researcher,
				Log: a.log, Prompts: prompts, Digests: digests, DigestPosting: posting, Exports: a.exportSource(db),
				Quotes: quotes,
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

// prompts passes the prompts.* settings to the bot, with the database
// that keeps the schedules made with /prompt schedule and every post.
func (a *app) prompts(db *store.DB) (bot.PromptsConfig, error) {
	p := a.cfg.Prompts
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return bot.PromptsConfig{}, fmt.Errorf("prompts.timezone: %w", err)
	}
	var scheduled []bot.ScheduledPrompt
	for _, s := range p.Schedule {
		when := "weekly " + s.Weekly
		if s.Once != "" {
			when = "once " + s.Once
		}
		scheduled = append(scheduled, bot.ScheduledPrompt{ID: s.ID, FlowID: s.Flow, ChannelID: s.Channel, When: when, Text: s.Text})
	}
	return bot.PromptsConfig{Store: db, Schedules: scheduled, Location: loc, Grace: p.Grace}, nil
}

// digestPosting passes the digest.schedule and digest.timezone settings
// to the bot, with the database that keeps the claim on each period's
// digest.
func (a *app) digestPosting(db *store.DB) (bot.DigestPosting, error) {
	d := a.cfg.Digest
	loc, err := time.LoadLocation(d.Timezone)
	if err != nil {
		return bot.DigestPosting{}, fmt.Errorf("digest.timezone: %w", err)
	}
	return bot.DigestPosting{Store: db, Schedule: d.Schedule, Location: loc}, nil
}
