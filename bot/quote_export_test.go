package bot

import "context"

// CheckQuotes runs one quote review check now, as a tick would, and
// returns when it is done.
func CheckQuotes(b *Bot) {
	b.quotes.check(context.Background(), nil)
}

// QuotesStarted is closed once the running bot's quote reviewer has made
// its first check, the one on start (at once when there is no moderator
// channel).
func QuotesStarted(b *Bot) <-chan struct{} { return b.quotes.first }

// LockQuote takes the lock a click and a withdrawal of the quote share.
func LockQuote(b *Bot, quoteID string) (unlock func()) { return b.lockQuote(quoteID) }
