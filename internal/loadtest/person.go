package loadtest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// person is one simulated participant and where they are.
type person struct {
	i        int
	stranded bool // left without a reply; acts no more
	u        *discordtest.User
	lat      *latency
	think    time.Duration       // mean pause before each timed answer (Config.Think)
	k        int                 // answers given, to vary what is chosen
	q        discordtest.Message // the question on screen
	id       bot.ID              // its id
}

// texts are typed answers to text questions: ordinary words, nothing the
// safety check would signpost.
var texts = []string{
	"Having a life that feels like my own again",
	"Being listened to and having a say in my care",
	"Good days with friends, a routine and a reason to get up",
	"Not having to explain myself every time I meet someone new",
}

// begin starts the participant's flow number it with /survey, consenting
// first if the bot asks, and waits for its first question.
func (p *person) begin(c context.Context, r *running, it int) error {
	flow := r.flows[(p.i+it)%len(r.flows)]
	if _, err := p.u.RunCommand("survey", discordtest.Opt("flow", flow)); err != nil {
		return err
	}
	if err := p.next(c, bot.ID{}); err != nil {
		return err
	}
	for p.id.Question == "take_part" || p.id.Question == "quotes" {
		old := p.id
		cid := old
		cid.Action, cid.Value = bot.ActAnswer, "yes"
		if _, err := p.u.Click(p.q, cid.String()); err != nil {
			return err
		}
		if err := p.next(c, old); err != nil {
			return err
		}
	}
	if p.q.ID == "" {
		return fmt.Errorf("/survey flow:%s ended at once", flow)
	}
	return nil
}

// finish answers questions until the flow ends; see step.
func (p *person) finish(c context.Context, timed bool) error {
	for p.q.ID != "" {
		if err := p.step(c, timed); err != nil {
			return err
		}
	}
	return nil
}

// step answers the question on screen and waits for what follows (the
// next question, or the end of the flow). Timed, it first pauses for
// p.think, and records how long the bot took.
func (p *person) step(c context.Context, timed bool) error {
	var opts []string
	var write, cont string
	var menu *discordgo.SelectMenu
	for _, cid := range p.q.CustomIDs() {
		id, err := bot.ParseID(cid)
		if err != nil {
			continue
		}
		switch id.Action {
		case bot.ActAnswer:
			opts = append(opts, cid)
		case bot.ActWrite:
			write = cid
		case bot.ActContinue:
			cont = cid
		case bot.ActSelect:
			menu = p.q.SelectMenu(cid)
		}
	}
	p.k++
	pick := (p.i + p.k) % max(len(opts), 1)
	if think := p.think; timed && think > 0 {
		// Spread over [think/2, 3·think/2), the same for every run.
		time.Sleep(think/2 + time.Duration(uint64(p.i*7919+p.k*104729)%1000)*think/1000)
	}
	t0 := time.Now()
	var err error
	click := false
	switch {
	case cont != "":
		click = true
		_, err = p.u.Click(p.q, cont)
	case len(opts) > 0 && (p.i+p.k)%2 == 0:
		click = true
		_, err = p.u.Click(p.q, opts[pick])
	case len(opts) > 0:
		p.u.SendDM(strconv.Itoa(pick + 1))
	case menu != nil:
		want := 1
		if menu.MinValues != nil && *menu.MinValues > 1 {
			want = *menu.MinValues
		}
		var nums []string
		for j := 1; j <= want; j++ {
			nums = append(nums, strconv.Itoa(j))
		}
		p.u.SendDM(strings.Join(nums, ", "))
	case write != "":
		p.u.SendDM(texts[(p.i+p.k)%len(texts)])
	default:
		return fmt.Errorf("no way to answer message %s (custom ids %v)", p.q.ID, p.q.CustomIDs())
	}
	if err != nil {
		return err
	}
	if err := p.next(c, p.id); err != nil {
		return err
	}
	if timed {
		p.lat.record(time.Since(t0), click)
	}
	return nil
}

// next waits for the next question after the one with id answered, or
// for the end of the flow, skipping what the bot shows on the way: the
// answered question, edited and disabled, and the response to /survey.
// At the end p.q is the zero Message.
func (p *person) next(c context.Context, answered bot.ID) error {
	wc, cancel := context.WithTimeout(c, replyWait)
	defer cancel()
	for {
		m, err := p.u.WaitMessage(wc, nil)
		if err != nil && c.Err() == nil {
			return fmt.Errorf("%w: %v", errStranded, err)
		}
		if err != nil {
			return err
		}
		ids := m.CustomIDs()
		switch {
		case m.InteractionID != "" && !m.Followup:
			continue // "Here are the questions: ..."
		case len(ids) > 0 && !m.Interactive():
			continue // an answered question
		case m.Interactive():
			for _, cid := range ids {
				if id, err := bot.ParseID(cid); err == nil && id.Question != "" {
					p.q, p.id = m, id
					return nil
				}
			}
			return fmt.Errorf("after %s: a message with no question: %v", answered.Question, ids)
		case len(m.Embeds) > 0 && m.Embeds[0].Title != "Support" && m.Content == "":
			p.q, p.id = discordtest.Message{}, bot.ID{}
			return nil // the end of the flow
		default:
			return fmt.Errorf("after %s: unexpected reply %q", answered.Question, text(m))
		}
	}
}

// text is what a message says, for errors.
func text(m discordtest.Message) string {
	parts := []string{m.Content}
	for _, e := range m.Embeds {
		parts = append(parts, e.Title, e.Description)
	}
	return strings.Join(parts, " / ")
}
