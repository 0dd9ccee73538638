// Package playground serves PeerVoice in a local web page: a participant
// goes through a flow as it looks in Discord, a moderator sees a flow
// file's lint problems or its new version as they save it, and a
// researcher sees the digest of the answers given there.
//
// It is a front end like the terminal and the bot, and no second
// implementation of either: the conversation is the participant
// service's, each message is rendered by the bot's own renderer
// (bot.RenderReply) and only then turned into HTML, and a click carries
// the bot's custom id back, decoded with bot.ParseID. Everything the
// page loads is embedded (htmx, vendored in static/, and its own CSS
// and script): it makes no request of anywhere else.
package playground

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config configures a Server.
type Config struct {
	// DB is the database the answers go to; the caller opens and closes
	// it. DBPath is its path, and Scratch says it is a throwaway one:
	// the page says which.
	DB      *store.DB
	DBPath  string
	Scratch bool
	// FlowsDir is the directory (or file) of flow YAML to serve and
	// watch; "" serves the built-in pack, unwatched.
	FlowsDir string
	// Token, when set, is required of every request (as ?token= once,
	// then a cookie): for a playground served beyond loopback.
	Token string
	Log   *slog.Logger
}

// Server is the playground's HTTP handler and the state behind it: the
// simulated participants' conversations and the watched flows.
type Server struct {
	cfg   Config
	flows *watcher
	svc   *participant.Service
	det   *safety.Detector
	tmpl  *template.Template
	mux   *http.ServeMux

	mu      sync.Mutex
	cols    map[string]*column
	gen     int    // the watched files' generation the moderator columns started on
	modFlow string // the flow the moderator view previews
	runs    int    // moderator previews started, for fresh participant ids
	resets  int    // "start again" in the participant view
	fills   int    // sample batches added
}

// New returns a Server over cfg.DB, with the flows loaded (the first
// load's problems are shown on the page, as a later save's are; only
// a directory with no flow at all that loads is an error).
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("playground: no database")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	w, err := newWatcher(cfg.FlowsDir)
	if err != nil {
		return nil, err
	}
	det, err := safety.New(safety.Options{})
	if err != nil {
		return nil, fmt.Errorf("playground: safety check: %w", err)
	}
	svc, err := participant.New(cfg.DB, participant.Config{Flows: w.Catalog, Detector: det, Log: cfg.Log})
	if err != nil {
		return nil, fmt.Errorf("playground: %w", err)
	}
	tmpl, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("playground: templates: %w", err)
	}
	s := &Server{
		cfg: cfg, flows: w, svc: svc, tmpl: tmpl, cols: map[string]*column{},
		det: det,
	}
	s.routes()
	return s, nil
}

// Run watches the flow files until ctx ends (polling their times every
// 500 ms: an editor's save replaces a file, which a poll sees as surely
// as an event).
func (s *Server) Run(ctx context.Context) { s.flows.run(ctx) }

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", s.participantPage)
	m.HandleFunc("POST /reset", s.reset)
	m.HandleFunc("GET /moderator", s.moderatorPage)
	m.HandleFunc("GET /moderator/panel", s.moderatorPanel)
	m.HandleFunc("GET /researcher", s.researcherPage)
	m.HandleFunc("POST /researcher/fill", s.fill)
	m.HandleFunc("GET /researcher/export.zip", s.exportZip)
	m.HandleFunc("POST /c/{col}/click", s.click)
	m.HandleFunc("POST /c/{col}/say", s.say)
	m.HandleFunc("POST /c/{col}/menu", s.showMenu)
	s.mux = m
}

// ServeHTTP checks the token, if there is one, and serves the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if s.cfg.Token == "" && !IsLoopback(hostPort(r.Host)) {
		// A page elsewhere that rebinds its name to 127.0.0.1 could
		// otherwise read and drive a playground with no token.
		http.Error(w, "This playground answers only to a loopback address such as 127.0.0.1 or localhost", http.StatusForbidden)
		return
	}
	if s.cfg.Token != "" && !s.authorised(w, r) {
		http.Error(w, "This playground needs its access token: open the address it printed at start, with ?token=…", http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodPost && r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		// Another site's page must not drive the playground.
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	s.mux.ServeHTTP(w, r)
}

const tokenCookie = "peervoice_playground"

// authorised accepts the token from the query (setting a cookie, so the
// page's own links need not carry it) or from the cookie.
func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	same := func(got string) bool { return subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.Token)) == 1 }
	if t := r.URL.Query().Get("token"); t != "" && same(t) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return true
	}
	c, err := r.Cookie(tokenCookie)
	return err == nil && same(c.Value)
}

// IsLoopback reports whether addr (host:port) listens on loopback only:
// an IP address of the loopback network, or localhost.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostPort is a Host header with a port, which it may lack.
func hostPort(h string) string {
	if _, _, err := net.SplitHostPort(h); err == nil {
		return h
	}
	return net.JoinHostPort(strings.Trim(h, "[]"), "80")
}

var colID = regexp.MustCompile(`^(you|m[1-3])$`)

// column returns the simulated participant named id, made on first use.
func (s *Server) column(id string) (*column, bool) {
	if !colID.MatchString(id) {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cols[id]
	if !ok {
		c = &column{id: id, user: participant.User{Platform: "playground", ID: id}}
		if id != "you" {
			c.user.ID = fmt.Sprintf("%s-%d", id, s.gen)
		}
		s.cols[id] = c
	}
	return c, true
}

// page is what every page's template gets.
type page struct {
	View    string
	DBPath  string
	Scratch bool
	Token   string
	Cols    []colView
	Flows   []*flows.Flow
	Mod     *modView
	Res     *resView
}

func (s *Server) newPage(view string) page {
	return page{View: view, DBPath: s.cfg.DBPath, Scratch: s.cfg.Scratch}
}

func (s *Server) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		s.cfg.Log.Error("playground: render", "template", name, "err", err)
	}
}

// fail tells the person what went wrong; the detail goes to the log.
func (s *Server) fail(w http.ResponseWriter, what string, err error) {
	s.cfg.Log.Error("playground: "+what, "err", err)
	http.Error(w, "Sorry, the playground could not "+what+": "+err.Error(), http.StatusInternalServerError)
}
