// Package schedule is PeerVoice's one grammar for schedule times, read
// the same way by the config file (prompts.schedule, digest.schedule)
// and by the bot (/prompt schedule): weekly as "weekly mon 18:00" or
// "every Monday at 18:00", once as "2026-12-01 18:00" or
// "once 2026-12-01 18:00", in a time zone (DefaultTimezone unless the
// config says otherwise). It also computes the latest and next
// occurrence of a time, correct across clock changes, from a clock the
// caller passes in.
//
// It owns only the grammar and the arithmetic: it imports nothing of
// the project, and neither discordgo, nor SQL, nor viper.
package schedule
