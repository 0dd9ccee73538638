package discordtest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// BenchmarkThousandUsers measures one DM round trip (user to bot, bot's
// REST reply back to the user) for each of 1,000 users acting at once.
func BenchmarkThousandUsers(b *testing.B) {
	e := discordtest.New(b)
	bot := newErrs()
	open(b, e, echoDMs(bot.report))
	users := make([]*discordtest.User, 1000)
	for i := range users {
		users[i] = e.User(fmt.Sprintf("user%04d", i))
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		var wg sync.WaitGroup
		errc := make(chan error, len(users))
		for _, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, cancel := context.WithTimeout(context.Background(), waitTime)
				defer cancel()
				u.SendDM("hi")
				if _, err := u.WaitMessage(c, nil); err != nil {
					errc <- err
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	bot.none(b)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(users)), "µs/roundtrip")
}
