package playground

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// column is one simulated participant's DM with the bot: the messages
// shown so far, as the bot rendered them.
type column struct {
	id   string
	user participant.User

	mu    sync.Mutex
	items []item
	ask   int // index of the latest question message in items, or -1
	menu  int // index of the latest flow menu in items
	form  *discordgo.InteractionResponseData
}

// item is one message of the conversation: the bot's, or what the
// participant typed.
type item struct {
	Mine bool
	Text string
	Msg  bot.Message
}

// lang is the playground's locale, as Discord's would be.
const lang = "en"

// start shows the flow menu, as the bot does when someone says hello.
func (s *Server) start(ctx context.Context, c *column) error {
	list, err := s.svc.Overview(ctx, c.user)
	if err != nil {
		return fmt.Errorf("list the flows: %w", err)
	}
	c.items = []item{{Msg: bot.RenderFlowMenu(list, lang)}}
	c.ask, c.form, c.menu = -1, nil, 0
	return nil
}

// showMenu is /survey: the flow menu again, with the progress made.
func (s *Server) showMenu(w http.ResponseWriter, r *http.Request) {
	c, ok := s.column(r.PathValue("col"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	list, err := s.svc.Overview(r.Context(), c.user)
	if err != nil {
		s.fail(w, "list the flows", err)
		return
	}
	c.mu.Lock()
	c.items = append(c.items, item{Mine: true, Text: "/survey"}, item{Msg: bot.RenderFlowMenu(list, lang)})
	c.menu, c.form = len(c.items)-1, nil
	c.mu.Unlock()
	s.respondColumn(w, r, c)
}

// show appends a reply's messages, first marking the question it left
// answered (buttons disabled), as the bot edits the clicked message.
func (c *column) show(r participant.Reply, act bot.Action) {
	if c.ask >= 0 && c.ask < len(c.items) {
		c.items[c.ask].Msg = bot.RenderAnswered(c.items[c.ask].Msg, bot.AnswerNote(r, act))
	}
	c.ask = -1
	for _, m := range bot.RenderReply(r, lang) {
		c.items = append(c.items, item{Msg: m})
		if isQuestion(m) {
			c.ask = len(c.items) - 1
		}
	}
}

// isQuestion reports a message with components still to use.
func isQuestion(m bot.Message) bool { return len(m.Components) > 0 }

// note appends a short message of the bot's own, such as "that question
// was already answered".
func (c *column) note(text string) { c.items = append(c.items, item{Msg: bot.Message{Content: text}}) }

// click applies one click (or a menu's choice, or the answer form's
// submission), decoded as the bot decodes it, through the same service
// calls the bot's interaction handler makes.
func (s *Server) click(w http.ResponseWriter, r *http.Request) {
	c, ok := s.column(r.PathValue("col"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
		return
	}
	id, err := bot.ParseID(r.PostForm.Get("custom_id"))
	if err != nil {
		http.Error(w, uitext.T(lang, uitext.BotOutOfDate), http.StatusBadRequest)
		return
	}
	values := r.PostForm["values"]
	ctx := r.Context()
	c.mu.Lock()
	err = s.apply(ctx, c, id, values, r.PostForm.Get("answer"))
	c.mu.Unlock()
	if err != nil {
		s.fail(w, "apply that", err)
		return
	}
	s.respondColumn(w, r, c)
}

func (s *Server) apply(ctx context.Context, c *column, id bot.ID, values []string, text string) error {
	c.form = nil
	var reply participant.Reply
	var err error
	switch id.Action {
	case bot.ActMenu:
		if len(values) != 1 {
			c.note(uitext.T(lang, uitext.MenuOneSet))
			return nil
		}
		reply, err = s.svc.Begin(ctx, c.user, values[0], lang)
		if errors.Is(err, flows.ErrUnknownFlow) {
			c.note(uitext.T(lang, uitext.BotUnknownFlow, values[0], strings.Join(s.svc.Flows().IDs(), ", ")))
			return nil
		}
		if err == nil {
			title := values[0]
			if f, err := s.svc.Flows().Get(values[0]); err == nil {
				title = f.Title.In(f.Lang(lang))
			}
			c.items[c.menu].Msg = bot.RenderAnswered(c.items[c.menu].Msg, uitext.T(lang, uitext.NoteChosenFlow, title))
			c.show(reply, id.Action)
		}
		return err
	case bot.ActWrite:
		return s.openForm(ctx, c, id)
	case bot.ActModal:
		// A typed answer is text, even if it reads "skip", as in the bot.
		return s.step(ctx, c, id, func() (participant.Reply, error) {
			return s.svc.Input(ctx, c.user, participant.Step{SessionID: id.Session, QuestionID: id.Question, Input: flows.Input{Kind: flows.Enter, Text: text}, Lang: lang})
		})
	case bot.ActLang:
		l := id.Value
		if len(values) == 1 {
			l = values[0]
		}
		return s.step(ctx, c, id, func() (participant.Reply, error) { return s.svc.SetLanguage(ctx, c.user, id.Session, l) })
	}
	in, ok := bot.ComponentInput(id, values)
	if !ok {
		return fmt.Errorf("%w: %s is no participant's button", bot.ErrBadID, id)
	}
	return s.step(ctx, c, id, func() (participant.Reply, error) {
		return s.svc.Input(ctx, c.user, participant.Step{SessionID: id.Session, QuestionID: id.Question, Input: in, Lang: lang})
	})
}

// step runs do and shows its reply as the bot's stepWith does: no
// session, and a stale click, get the bot's words for them.
func (s *Server) step(ctx context.Context, c *column, id bot.ID, do func() (participant.Reply, error)) error {
	reply, err := do()
	if errors.Is(err, participant.ErrNoSession) {
		c.note(uitext.T(lang, uitext.BotNoSession))
		return nil
	}
	if err != nil {
		return err
	}
	if reply.Stale {
		c.note(uitext.T(pick(reply.Session.Lang), uitext.BotStale))
		return nil
	}
	c.show(reply, id.Action)
	return nil
}

// openForm opens the answer form, the bot's modal, where the question is.
func (s *Server) openForm(ctx context.Context, c *column, id bot.ID) error {
	reply, err := s.svc.Continue(ctx, c.user)
	if errors.Is(err, participant.ErrNoSession) {
		c.note(uitext.T(lang, uitext.BotNoSession))
		return nil
	}
	if err != nil {
		return err
	}
	if reply.Session.ID != id.Session || reply.Session.Current != id.Question {
		c.note(uitext.T(pick(reply.Session.Lang), uitext.BotStaleForm))
		return nil
	}
	q := reply.Flow.Question(id.Question)
	var def *flows.Answer
	if a, ok := reply.Session.Answers[q.ID]; ok && !a.Skipped {
		def = &a
	}
	c.form = bot.AnswerForm(reply.Flow, id.Session, q, reply.Session.Lang, def)
	return nil
}

// say is a message typed in the DM: an answer, skip, back, stop or help,
// as the bot's onMessage reads it (crisis words get the signpost first).
func (s *Server) say(w http.ResponseWriter, r *http.Request) {
	c, ok := s.column(r.PathValue("col"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" {
		s.respondColumn(w, r, c)
		return
	}
	c.mu.Lock()
	err := s.typed(r.Context(), c, text)
	c.mu.Unlock()
	if err != nil {
		s.fail(w, "read that", err)
		return
	}
	s.respondColumn(w, r, c)
}

func (s *Server) typed(ctx context.Context, c *column, text string) error {
	c.items = append(c.items, item{Mine: true, Text: text})
	c.form = nil
	reply, err := s.svc.Input(ctx, c.user, participant.Step{Input: flows.Typed(text)})
	if errors.Is(err, participant.ErrNoSession) {
		if reply.Signpost != "" {
			c.items = append(c.items, item{Msg: bot.RenderSupport(reply.Signpost, "")})
		}
		c.note(uitext.T("", uitext.BotHello))
		return nil
	}
	if err != nil {
		return err
	}
	if len(reply.Outputs) == 0 {
		// Help, or a stale input: the question stays open.
		for _, m := range bot.RenderReply(reply, lang) {
			c.items = append(c.items, item{Msg: m})
		}
		return nil
	}
	c.show(reply, 0)
	return nil
}

// pick is the session's language, or the playground's.
func pick(l string) string {
	if l != "" {
		return l
	}
	return lang
}

// respondColumn sends the column's new HTML to htmx, or, for a plain
// form post (no script), goes back to the page it came from.
func (s *Server) respondColumn(w http.ResponseWriter, r *http.Request, c *column) {
	if r.Header.Get("HX-Request") == "" {
		back := "/"
		if c.id != "you" {
			back = "/moderator"
		}
		http.Redirect(w, r, back+"#col-"+c.id, http.StatusSeeOther)
		return
	}
	c.mu.Lock()
	v := c.view()
	c.mu.Unlock()
	s.render(w, "column", v)
}

// reset starts the participant view again as a new participant (the
// old one's answers stay in the database, as a withdrawal would not).
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.resets++
	c := &column{id: "you", user: participant.User{Platform: "playground", ID: fmt.Sprintf("you-%d", s.resets)}}
	s.cols["you"] = c
	s.mu.Unlock()
	c.mu.Lock()
	err := s.start(r.Context(), c)
	c.mu.Unlock()
	if err != nil {
		s.fail(w, "start again", err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
