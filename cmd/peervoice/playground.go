package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/playground"
)

func (a *app) playgroundCmd() *cobra.Command {
	var addr string
	var open, public bool
	cmd := &cobra.Command{
		Use:   "playground",
		Short: "Try PeerVoice in a web page: a participant's flow, a flow file's live preview, the digest",
		Long: `Serves a page at --addr (default http://127.0.0.1:8377/) with three views:
the participant's conversation as it looks in Discord (the same texts,
buttons and menus, from the bot's own renderer); a moderator's preview of
the flow files in --flows DIR, updated on every save with their lint
problems or the new version and what changed, with three simulated
participants side by side; and the researcher's digest of the answers
given there, with a button that fills in sample participants, and the
export to download.

The answers go to a scratch database in a temporary directory, removed
when the playground stops, unless --db names one (created if missing).

The page has no login, so it is served on loopback only: a non-loopback
--addr is refused unless --public is also given, and then every request
needs the random access token printed at start. --open opens the page in
your browser. Ctrl-C stops the playground.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !playground.IsLoopback(addr) && !public {
				return fmt.Errorf("--addr %s is not a loopback address, and the playground has no login: use 127.0.0.1 or localhost, or add --public to serve it to the network behind a random access token", addr)
			}
			if err := a.load(); err != nil {
				return err
			}
			a.createDB = true
			a.scratch = !cmd.Flags().Changed("db")
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			cfg := playground.Config{DB: db, DBPath: db.Path(), Scratch: a.scratch, FlowsDir: a.cfg.FlowsDir, Log: a.log}
			if public {
				cfg.Token = newToken()
			}
			srv, err := playground.New(cfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("--addr: %w", err)
			}
			url := "http://" + ln.Addr().String() + "/"
			if cfg.Token != "" {
				url += "?token=" + cfg.Token
			}
			fmt.Fprintf(a.stdout, "PeerVoice playground at %s\n", url)
			if cfg.Token != "" {
				fmt.Fprintln(a.stdout, "Served to the network (--public): every request needs the access token in that address.")
			}
			if a.scratch {
				fmt.Fprintf(a.stdout, "Answers go to a scratch database at %s, removed when the playground stops.\n", db.Path())
			} else {
				fmt.Fprintf(a.stdout, "Answers go to the database at %s.\n", db.Path())
			}
			fmt.Fprintln(a.stdout, "Press Ctrl-C to stop.")
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			go srv.Run(ctx)
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
			go func() {
				<-ctx.Done()
				sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer scancel()
				hs.Shutdown(sctx)
			}()
			if open {
				openBrowser(url, a)
			}
			if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("playground: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8377", "address to serve the page on (loopback unless --public)")
	cmd.Flags().BoolVar(&open, "open", false, "open the page in your browser")
	cmd.Flags().BoolVar(&public, "public", false, "allow a non-loopback --addr; every request then needs the access token printed at start")
	cmd.Flags().String("db", "", "SQLite database for the answers (default: a scratch database, removed at exit)")
	a.bind(cmd.Flags(), "db", "db")
	cmd.Flags().String("flows", "", "directory of flow YAML files to serve and watch (default: the built-in pack)")
	a.bind(cmd.Flags(), "flows", "flows_dir")
	return cmd
}

// newToken is the access token of a --public playground: 128 random bits.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// openBrowser opens url in the desktop's browser, best effort: the
// address is printed either way.
func openBrowser(url string, a *app) {
	name, args := "xdg-open", []string{url}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	if err := exec.Command(name, args...).Start(); err != nil {
		a.log.Warn("cannot open a browser; open the address yourself", "err", err)
	}
}
