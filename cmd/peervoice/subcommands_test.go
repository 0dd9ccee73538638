package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// listsOnItsOwn are the commands with subcommands that do something on
// their own instead of showing their help: `peervoice audit` lists the log
// (issue 12), `peervoice audit verify` checks it.
var listsOnItsOwn = map[string]bool{"audit": true}

// TestUnknownSubcommand: every command that holds subcommands refuses an
// unknown one with a non-zero exit and cobra's suggestions, and on its
// own shows its help (but those of listsOnItsOwn).
func TestUnknownSubcommand(t *testing.T) {
	var parents [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.HasSubCommands() {
			parents = append(parents, path)
		}
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	walk(newApp(nil, nil, nil).rootCmd(), nil)
	if len(parents) < 3 {
		t.Fatalf("found %d commands with subcommands (%v); want the root, flows and config at least", len(parents), parents)
	}
	for _, p := range parents {
		args := append(append([]string(nil), p...), "nosuchcommand")
		code, _, stderr := runArgs(args...)
		want := `unknown command "nosuchcommand" for "` + strings.Join(append([]string{"peervoice"}, p...), " ") + `"`
		if code == 0 || !strings.Contains(stderr, want) {
			t.Errorf("run(%q) = exit %d, stderr %q; want non-zero and %q", args, code, stderr, want)
		}
		if len(p) == 0 || listsOnItsOwn[strings.Join(p, " ")] {
			continue
		}
		if code, stdout, stderr := runArgs(p...); code != 0 || !strings.Contains(stdout, "Available Commands:") {
			t.Errorf("run(%q) = exit %d, stdout %q, stderr %q; want its help and exit 0", p, code, stdout, stderr)
		}
	}

	code, _, stderr := runArgs("flows", "lnt")
	if code != 1 || !strings.Contains(stderr, "Did you mean this?\n\tlint\n") {
		t.Errorf("run(flows lnt) = exit %d, stderr %q; want 1 and a suggestion of lint", code, stderr)
	}
}

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}
