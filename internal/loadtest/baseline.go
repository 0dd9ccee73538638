package loadtest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// Baseline is the floor PeerVoice is measured against: a trivial bot
// built directly on discordgo that makes the same Discord calls per
// answer as PeerVoice (PATCH and POST for a typed answer, the question's
// message kept from when it was sent rather than fetched back;
// UPDATE_MESSAGE and POST for a click) with canned messages of the same
// shape, and no service, storage or rendering. It runs in the same
// process, so ratios are taken within one run. The benchmark logs both
// bots' REST requests per answer.
var Baseline = Bot{name: "baseline", start: startBaseline}

func startBaseline(b testing.TB, e *discordtest.Emulator, _ Config) *running {
	s, err := discordgo.New("Bot " + e.Token())
	if err != nil {
		b.Fatal(err)
	}
	s.Client = e.HTTPClient()
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	s.LogLevel = discordgo.LogError
	bb := &baseline{s: s, at: map[string]*baselineUser{}}
	s.AddHandler(bb.onInteraction)
	s.AddHandler(bb.onMessage)
	if err := s.Open(); err != nil {
		b.Fatal(err)
	}
	cmd := &discordgo.ApplicationCommand{Name: "survey", Description: "Answer a set of questions", Options: []*discordgo.ApplicationCommandOption{{
		Type: discordgo.ApplicationCommandOptionString, Name: "flow", Description: "Which set of questions",
		Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Baseline", Value: "baseline"}},
	}}}
	if _, err := s.ApplicationCommandBulkOverwrite(s.State.User.ID, "", []*discordgo.ApplicationCommand{cmd}); err != nil {
		b.Fatal(err)
	}
	wait, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.WaitCommands(wait, "", "survey"); err != nil {
		b.Fatal(err)
	}
	return &running{
		flows: []string{"baseline"},
		check: func() {
			if n := bb.errs.Load(); n > 0 {
				b.Errorf("baseline bot: %d failed requests", n)
			}
			if n := bb.late.Load(); n > 0 {
				b.Logf("baseline bot: %d initial responses refused as late", n)
			}
		},
		stop: func() {
			if err := s.Close(); err != nil {
				b.Error(err)
			}
		},
	}
}

// baseline is the baseline bot: PeerVoice's Discord calls with canned
// messages, and nothing else. Like PeerVoice it remembers each
// participant's latest question message, to mark it answered when they
// type without fetching it (until 2026-12-07 it fetched it, a GET per
// typed answer that PeerVoice does not make).
type baseline struct {
	s    *discordgo.Session
	mu   sync.Mutex
	at   map[string]*baselineUser // by user id
	errs atomic.Int64
	// late counts initial responses refused because they came after the
	// interaction's deadline; the emulator counts them too (late-acks).
	late atomic.Int64
}

type baselineUser struct {
	q   int                // the question asked last
	ch  string             // its channel
	msg *discordgo.Message // its message as sent, until a typed answer takes it
}

// baselineQuestions is the length of the baseline's flow: about the
// number of questions a PeerVoice participant answers per default flow.
const baselineQuestions = 7

func (bb *baseline) user(id string) *baselineUser {
	st := bb.at[id]
	if st == nil {
		st = &baselineUser{}
		bb.at[id] = st
	}
	return st
}

func (bb *baseline) fail(err error) {
	if err != nil {
		bb.errs.Add(1)
	}
}

// ack counts a failed initial response: late ones apart, as Discord
// refuses them with 10062 Unknown interaction.
func (bb *baseline) ack(err error) {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownInteraction {
		bb.late.Add(1)
		return
	}
	bb.fail(err)
}

func (bb *baseline) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	if i.User == nil {
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		bb.ack(s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "Here are the questions: **Baseline**",
				Embeds: []*discordgo.MessageEmbed{}, Components: []discordgo.MessageComponent{}}}))
		bb.ask(i.User.ID, i.ChannelID, 0)
	case discordgo.InteractionMessageComponent:
		id, err := bot.ParseID(i.MessageComponentData().CustomID)
		if err != nil || i.Message == nil {
			bb.fail(errors.New("bad click"))
			return
		}
		embeds, comps := markAnswered(i.Message, "Your answer: "+id.Value)
		bb.ack(s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: i.Message.Content, Embeds: embeds, Components: comps}}))
		bb.advance(i.User.ID, i.ChannelID)
	}
}

func (bb *baseline) onMessage(s *discordgo.Session, m *discordgo.MessageCreate) {
	if m.Author == nil || m.Author.Bot || m.GuildID != "" {
		return
	}
	bb.mu.Lock()
	st := bb.user(m.Author.ID)
	ch, old := st.ch, st.msg
	st.ch, st.msg = "", nil
	bb.mu.Unlock()
	if old != nil {
		embeds, comps := markAnswered(old, "Your answer: "+m.Content)
		_, err := s.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: old.ID, Channel: ch, Embeds: &embeds, Components: &comps})
		bb.fail(err)
	}
	bb.advance(m.Author.ID, m.ChannelID)
}

func (bb *baseline) advance(userID, ch string) {
	bb.mu.Lock()
	st := bb.user(userID)
	st.q++
	q := st.q
	bb.mu.Unlock()
	bb.ask(userID, ch, q)
}

// ask sends question q, or the end of the flow after the last.
func (bb *baseline) ask(userID, ch string, q int) {
	if q == 0 {
		bb.mu.Lock()
		bb.user(userID).q = 0
		bb.mu.Unlock()
	}
	msg, err := bb.s.ChannelMessageSendComplex(ch, baselineMessage(userID, q))
	if err != nil {
		bb.fail(err)
		return
	}
	if q < baselineQuestions {
		bb.mu.Lock()
		st := bb.user(userID)
		st.ch, st.msg = ch, msg
		bb.mu.Unlock()
	}
}

// baselineMessage is question q of the baseline's flow, shaped like
// PeerVoice's: text, choice and scale questions in turn, an intro embed
// on the first, Skip, Back and Stop on every one.
func baselineMessage(userID string, q int) *discordgo.MessageSend {
	const colour = 0x5865F2
	if q >= baselineQuestions {
		return &discordgo.MessageSend{Components: []discordgo.MessageComponent{}, Embeds: []*discordgo.MessageEmbed{{
			Description: "That's the end of this set of questions. Thank you for your answers.\n\nUse `/survey` to answer another set.",
			Color:       0x99AAB5,
		}}}
	}
	id := func(act bot.Action, value string) string {
		return bot.ID{Action: act, Session: "b" + userID, Question: "q" + strconv.Itoa(q), Value: value}.String()
	}
	var embeds []*discordgo.MessageEmbed
	title := "Baseline questions"
	if q == 0 {
		embeds = append(embeds, &discordgo.MessageEmbed{Title: title, Color: colour,
			Description: "A few questions about what recovery means to you, and whether the people who support you see it the same way. There are no right or wrong answers. You can skip any question, go back, or stop at any time."})
		title = ""
	}
	e := &discordgo.MessageEmbed{Title: title, Color: colour,
		Description: "Think of the mental health workers you see most. How much do you agree with this: \"Their idea of recovery is the same as mine.\"",
		Footer:      &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Question %d of %d", q+1, baselineQuestions)}}
	embeds = append(embeds, e)
	var rows []discordgo.MessageComponent
	var controls []discordgo.MessageComponent
	if options := []int{0, 4, 5}[q%3]; options == 0 {
		e.Footer.Text += " · type your answer as a message, or use the button"
		controls = append(controls, discordgo.Button{Label: "Write my answer", Style: discordgo.PrimaryButton, CustomID: id(bot.ActWrite, "")})
	} else {
		var row []discordgo.MessageComponent
		for k := range options {
			row = append(row, discordgo.Button{Label: fmt.Sprintf("Option number %d", k+1), Style: discordgo.PrimaryButton, CustomID: id(bot.ActAnswer, "o"+strconv.Itoa(k))})
		}
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	controls = append(controls, discordgo.Button{Label: "Skip", Style: discordgo.SecondaryButton, CustomID: id(bot.ActSkip, "")})
	if q > 0 {
		controls = append(controls, discordgo.Button{Label: "Back", Style: discordgo.SecondaryButton, CustomID: id(bot.ActBack, "")})
	}
	controls = append(controls, discordgo.Button{Label: "Stop for now", Style: discordgo.SecondaryButton, CustomID: id(bot.ActStop, "")})
	return &discordgo.MessageSend{Embeds: embeds, Components: append(rows, discordgo.ActionsRow{Components: controls})}
}

// markAnswered is a question message marked answered, its buttons
// disabled.
func markAnswered(m *discordgo.Message, note string) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	var embeds []*discordgo.MessageEmbed
	for _, e := range m.Embeds {
		c := *e
		c.Fields = nil
		embeds = append(embeds, &c)
	}
	if n := len(embeds); n > 0 {
		embeds[n-1].Fields = []*discordgo.MessageEmbedField{{Name: "✓", Value: note}}
	}
	var rows []discordgo.MessageComponent
	for _, c := range m.Components {
		r, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		var row []discordgo.MessageComponent
		for _, x := range r.Components {
			if b, ok := x.(*discordgo.Button); ok {
				d := *b
				d.Disabled = true
				row = append(row, d)
			}
		}
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return embeds, rows
}
