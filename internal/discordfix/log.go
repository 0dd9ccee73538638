package discordfix

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// errHandler rewrites the errors logged through it. A REST call's error
// from discordgo is a *url.Error showing the URL discordgo asked for:
// always https://discord.com/..., even with discord.api_url set (the
// transport sends it elsewhere), and with ids and interaction or webhook
// tokens in its path. The log gets the route instead (ids and tokens
// removed) and the error underneath, which names the host actually
// dialled.
type errHandler struct{ slog.Handler }

// CleanErrors returns log with its errors cleaned: an attribute holding
// an error with a *url.Error in its chain is logged as the error's text
// with the URL replaced by its route, ids and tokens removed
// ("Post /api/v9/webhooks/:id/:id: ..."). Applied twice, it cleans once.
func CleanErrors(log *slog.Logger) *slog.Logger {
	if _, ok := log.Handler().(errHandler); ok {
		return log
	}
	return slog.New(errHandler{log.Handler()})
}

// Handle implements slog.Handler.
func (h errHandler) Handle(ctx context.Context, r slog.Record) error {
	changed := false
	var attrs []slog.Attr
	r.Attrs(func(a slog.Attr) bool {
		if c, ok := cleanAttr(a); ok {
			a, changed = c, true
		}
		attrs = append(attrs, a)
		return true
	})
	if !changed {
		return h.Handler.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	out.AddAttrs(attrs...)
	return h.Handler.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h errHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = a
		if c, ok := cleanAttr(a); ok {
			clean[i] = c
		}
	}
	return errHandler{h.Handler.WithAttrs(clean)}
}

// WithGroup implements slog.Handler.
func (h errHandler) WithGroup(name string) slog.Handler {
	return errHandler{h.Handler.WithGroup(name)}
}

// cleanAttr rewrites an attribute holding an error with a *url.Error in
// its chain; ok is false for any other.
func cleanAttr(a slog.Attr) (slog.Attr, bool) {
	err, isErr := a.Value.Resolve().Any().(error)
	if !isErr {
		return a, false
	}
	s, ok := cleanError(err)
	if !ok {
		return a, false
	}
	return slog.String(a.Key, s), true
}

// cleanError is err's text with each *url.Error's "Op URL: " replaced by
// "Op route: ".
func cleanError(err error) (string, bool) {
	var ue *url.Error
	if err == nil || !errors.As(err, &ue) {
		return "", false
	}
	path := ue.URL
	if u, perr := url.Parse(ue.URL); perr == nil {
		path = u.Path
	}
	return strings.Replace(err.Error(), ue.Error(), fmt.Sprintf("%s %s: %v", ue.Op, route(path), ue.Err), 1), true
}

// dgLog is where discordgo's own log lines go: the logger RouteLog was
// given last (a process runs one bot; tests make them one after another).
// discordgo has one package-level Logger for every session, so RouteLog
// sets it once and swaps the logger behind it.
var (
	dgLog     atomic.Pointer[slog.Logger]
	dgLogOnce sync.Once
)

// RouteLog sends discordgo's own log lines (its package-level Logger,
// shared by every session) to log, in log's format (text or JSON) rather
// than the standard library's, at the matching level, with "from"
// "discordgo", and with errors cleaned as CleanErrors cleans them:
// discordgo's reconnect loop logs REST errors showing
// https://discord.com/... (with ids and tokens in the path) even when
// discord.api_url sends the request elsewhere. The last call wins; nil
// drops the lines.
func RouteLog(log *slog.Logger) {
	dgLog.Store(log)
	dgLogOnce.Do(func() { discordgo.Logger = discordgoLog })
}

// discordgoLog implements discordgo.Logger.
func discordgoLog(msgL, _ int, format string, a ...any) {
	log := dgLog.Load()
	if log == nil {
		return
	}
	args := make([]any, len(a))
	for i, v := range a {
		args[i] = v
		if err, ok := v.(error); ok {
			if s, ok := cleanError(err); ok {
				args[i] = s
			}
		}
	}
	level := slog.LevelError
	switch msgL {
	case discordgo.LogWarning:
		level = slog.LevelWarn
	case discordgo.LogInformational:
		level = slog.LevelInfo
	case discordgo.LogDebug:
		level = slog.LevelDebug
	}
	log.Log(context.Background(), level, fmt.Sprintf(format, args...), "from", "discordgo")
}
