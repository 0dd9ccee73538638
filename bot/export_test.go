package bot

import (
	"time"

	"github.com/bwmarrin/discordgo"
)

// SetAckAfter changes how long handlers work before deferring, so tests
// can drive the deferred path; it returns a function that restores it.
func SetAckAfter(d time.Duration) (restore func()) {
	old := ackAfter
	ackAfter = d
	return func() { ackAfter = old }
}

// SessionOf returns the bot's discordgo session, so a test can make it
// send gateway payloads the bot itself does not send.
func SessionOf(b *Bot) *discordgo.Session { return b.s }
