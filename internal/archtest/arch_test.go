package archtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is PeerVoice's module path; the table names packages under it.
const module = "github.com/peervoice/peervoice"

// Packages that only the edges may depend on.
const (
	discordgo = "github.com/bwmarrin/discordgo"
	viper     = "github.com/spf13/viper"
	sqlPkg    = "database/sql"
	sqlite    = "github.com/mattn/go-sqlite3"
	nethttp   = "net/http"
)

// noIO is what no pure package may depend on, directly or not: Discord,
// SQL, the configuration library, and the store and config packages that
// wrap the last two.
var noIO = []string{discordgo, sqlPkg, sqlite, viper, nethttp, module + "/store", module + "/config"}

// rule says what one package may import.
type rule struct {
	// may lists the PeerVoice packages (paths inside the module) that the
	// package may import directly.
	may []string
	// anything lets the package import every PeerVoice package: only
	// cmd, which wires them together.
	anything bool
	// exceptions are direct imports that break the rule today, each with
	// the step of issue 10 that removes it. The list is the to-do list:
	// the test fails once an exception is no longer needed, so that it
	// is deleted and cannot come back unnoticed.
	exceptions map[string]string
	// never lists packages, PeerVoice's or not, that must not be among
	// the package's dependencies, direct or indirect.
	never []string
}

// rules is PeerVoice's architecture, package by package (STYLE.md, "The
// shape of the program"): cmd wires everything; flows is a pure engine;
// store and digest sit beside it; bot is an adapter that defines the
// interfaces it needs. Every package of the module must have a row, so a
// new package says where it stands. Rows for packages that do not exist
// yet (being made for issue 10) are allowed and checked once they do.
var rules = map[string]rule{
	"cmd/peervoice": {anything: true},

	// bot: a Discord adapter over participant and flows; research builds
	// the digests, quote candidates and exports it is handed. It may also
	// import digest and digest/chart, both pure, to render a digest for
	// Discord: its embeds, and its charts as PNG attachments; and store
	// for the record types (Post, Schedule, QuoteReview) and sentinels of
	// the interfaces it defines for the database (bot.Store), which
	// *store.DB satisfies: bot never opens the database itself. It
	// imports release for the types of FlowAdmin, the interface /flows
	// needs of the flows' versions (*release.Service satisfies it), and
	// audit for the actor it hands FlowAdmin and to record privileged
	// actions through the audit.Recorder it is handed.
	"bot": {
		may: []string{"flows", "participant", "uitext", "schedule", "research", "internal/keylock", "internal/discordfix",
			"digest", "digest/chart", "store", "release", "audit"},
		never: []string{viper, module + "/config"},
	},

	// config reads settings with viper; the packages it configures get
	// plain values from cmd, never a Config.
	"config": {
		may:   []string{"internal/suggest", "schedule"},
		never: []string{discordgo, sqlPkg, sqlite, module + "/store", module + "/bot"},
	},

	// The digest is pure: the store's figures come in as figures.Data,
	// the type store returns, with no copy in cmd.
	"digest":            {may: []string{"flows", "digest/disclosure", "digest/figures"}, never: noIO},
	"digest/disclosure": {never: noIO},
	"digest/chart":      {may: []string{"digest", "digest/disclosure"}, never: noIO},
	// digest/figures (issue 10 step 3): the raw figures' one home, a leaf
	// that store fills and digest reads; it imports no PeerVoice package.
	"digest/figures": {never: noIO},

	"export": {
		may:   []string{"flows", "participant", "scrub", "store"},
		never: []string{discordgo, viper, module + "/config"},
	},

	// research (issue 10 step 4): the digest of a period, the quote
	// candidates and the scrubbed export, built from a store with plain
	// values for cmd, the bot and the tests alike; it is configured, never
	// a front end.
	"research": {
		may:   []string{"digest", "digest/disclosure", "digest/figures", "export", "flows", "participant", "scrub", "store"},
		never: []string{discordgo, viper, module + "/config", module + "/bot"},
	},

	// flows is the pure engine: no I/O for its hosts, no clock.
	"flows": {may: []string{"internal/suggest", "uitext"}, never: noIO},

	"participant": {
		may:   []string{"flows", "internal/keylock", "safety", "store", "uitext"},
		never: []string{discordgo, viper, module + "/config"},
	},
	"terminal": {
		may:   []string{"flows", "participant", "uitext"},
		never: []string{discordgo, viper, module + "/config"},
	},

	// store is the SQLite edge; a session's state is opaque JSON to it,
	// so it needs no other PeerVoice package (STYLE.md would allow flows)
	// but the leaf that types the digest's figures it returns, and audit,
	// whose entries and hash chain the audit log keeps (store/audit.go).
	"store": {may: []string{"digest/figures", "audit"}, never: []string{discordgo, viper, nethttp, module + "/digest", module + "/digest/disclosure", module + "/digest/chart"}},

	// schedule (issue 10 step 2): one grammar for prompt and digest
	// schedules, imported by config and bot.
	"schedule": {may: []string{"internal/suggest"}, never: noIO},
	// audit is the privileged actions' record type and hash chain; the
	// store keeps it.
	"audit": {never: noIO},
	// release keeps flows' versions (live, drafts, closed) through a
	// narrow store interface and records each change in the audit log.
	"release": {
		may:   []string{"audit", "flows", "store"},
		never: []string{discordgo, viper, module + "/config", module + "/bot"},
	},

	// playground (issue 14) is a front end, like bot and terminal, served
	// over net/http: it shows the participant service's replies through
	// the bot's own renderer (bot.RenderReply, one source of what a
	// question looks like) and decodes clicks with bot.ParseID; it reads
	// the flow files as `flows lint` does, and the digest and export
	// through research (digest/chart for the HTML digest's charts). It
	// never reads the configuration: cmd hands it plain values.
	"playground": {
		may: []string{"bot", "participant", "flows", "release", "store", "research", "digest", "digest/chart",
			"export", "uitext", "safety"},
		never: []string{viper, module + "/config"},
	},

	"safety": {never: noIO},
	"scrub":  {never: noIO},
	"uitext": {never: noIO},

	// internal/discordfix (issue 10 step 1): discordgo's workarounds, the
	// one package that may import reflect and unsafe.
	"internal/discordfix":  {never: []string{sqlPkg, sqlite, viper, module + "/store", module + "/config"}},
	"internal/discordtest": {never: []string{sqlPkg, sqlite, viper}},
	"internal/archtest":    {never: noIO},
	"internal/keylock":     {never: noIO},
	"internal/redact":      {never: noIO}, // secrets out of every log line
	"internal/suggest":     {never: noIO},
	"internal/testutil":    {never: []string{discordgo, viper}},
	// internal/testutil/storetest: a test store and its participant
	// service, apart from testutil so that tests wanting only a golden
	// file neither link SQLite nor import the packages they test.
	"internal/testutil/storetest": {may: []string{"flows", "participant", "store"}, never: []string{discordgo, viper}},
	// internal/loadtest: the load benchmark's runner, which drives the
	// bot from outside as Discord does, over the emulator.
	"internal/loadtest": {
		may:   []string{"bot", "flows", "participant", "store", "internal/discordtest"},
		never: []string{viper, module + "/config"},
	},
}

// unsafeOK names the packages whose code (not tests, which may use
// reflect.DeepEqual) may import reflect or unsafe directly. The standard
// library uses reflect inside, so only direct imports are checked.
var unsafeOK = []string{"internal/discordfix"}

// pkg is what the test needs of `go list -json`.
type pkg struct {
	ImportPath string
	Imports    []string // direct imports of the package's own files, not its tests
	Deps       []string // every dependency, direct or not
	Error      *struct{ Err string }
}

// TestImports checks every package of the module against rules.
func TestImports(t *testing.T) {
	pkgs := goList(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; want the whole module", len(pkgs))
	}
	for _, p := range check(pkgs, rules) {
		t.Error(p)
	}
}

// TestCheckFindsViolations makes sure check reports each kind of breach,
// so TestImports cannot pass by checking nothing.
func TestCheckFindsViolations(t *testing.T) {
	m := func(rel string) string { return module + "/" + rel }
	tests := []struct {
		name string
		pkgs []pkg
		want string // a piece of the one problem reported
	}{
		{"project import not allowed", []pkg{{ImportPath: m("flows"), Imports: []string{m("store")}}}, "flows imports store"},
		{"forbidden dependency", []pkg{{ImportPath: m("flows"), Deps: []string{"fmt", discordgo}}}, "flows depends on " + discordgo},
		{"reflect outside discordfix", []pkg{{ImportPath: m("participant"), Imports: []string{"reflect"}}}, "participant imports reflect"},
		{"unsafe outside discordfix", []pkg{{ImportPath: m("store"), Imports: []string{"unsafe"}}}, "store imports unsafe"},
		{"package without a rule", []pkg{{ImportPath: m("unlisted")}}, "unlisted has no row"},
		{"research importing config", []pkg{{ImportPath: m("research"), Imports: []string{m("store"), m("config")}}}, "research imports config"},
		{"bot importing config", []pkg{{ImportPath: m("bot"), Imports: []string{m("store"), m("config")}}}, "bot imports config"},
		{"store importing the digest", []pkg{{ImportPath: m("store"), Imports: []string{m("digest/figures"), m("digest")}}}, "store imports digest;"},
		{"figures importing PeerVoice", []pkg{{ImportPath: m("digest/figures"), Imports: []string{m("flows")}}}, "digest/figures imports flows"},
		{"package that does not load", []pkg{{ImportPath: m("flows"), Error: &struct{ Err string }{"syntax error"}}}, "syntax error"},
	}
	for _, tt := range tests {
		got := check(tt.pkgs, rules)
		if len(got) != 1 || !strings.Contains(got[0], tt.want) {
			t.Errorf("%s: check = %q; want one problem containing %q", tt.name, got, tt.want)
		}
	}
	// An exception a package no longer needs is reported, so that it is
	// deleted (the table has none left; the mechanism stays for the
	// next).
	withException := map[string]rule{"bot": {may: []string{"flows"}, exceptions: map[string]string{"store": "a step to come"}}}
	if got := check([]pkg{{ImportPath: m("bot"), Imports: []string{m("flows")}}}, withException); len(got) != 1 || !strings.Contains(got[0], "bot no longer imports store") {
		t.Errorf("exception no longer needed: check = %q; want one problem containing %q", got, "bot no longer imports store")
	}
	// And what is allowed passes: discordfix with unsafe, cmd with
	// anything, bot rendering digests over the store's record types,
	// store and digest with the figures they share.
	ok := []pkg{
		{ImportPath: m("internal/discordfix"), Imports: []string{"reflect", "unsafe", discordgo}},
		{ImportPath: m("cmd/peervoice"), Imports: []string{m("config"), m("bot"), m("store"), viper}},
		{ImportPath: m("bot"), Imports: []string{m("flows"), m("store"), m("digest"), m("digest/chart")}},
		{ImportPath: m("store"), Imports: []string{m("digest/figures"), "database/sql"}},
		{ImportPath: m("digest"), Imports: []string{m("flows"), m("digest/disclosure"), m("digest/figures")}},
	}
	if got := check(ok, rules); len(got) != 0 {
		t.Errorf("check(allowed imports) = %q; want no problems", got)
	}
}

// check returns a sentence for each way pkgs break rules.
func check(pkgs []pkg, rules map[string]rule) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, p := range pkgs {
		rel, ok := strings.CutPrefix(p.ImportPath, module+"/")
		if !ok {
			continue // a package outside the module
		}
		if p.Error != nil {
			add("go list %s: %s", rel, p.Error.Err)
			continue
		}
		r, ok := rules[rel]
		if !ok {
			add("%s has no row in internal/archtest's rules: add one saying which PeerVoice packages it may import and what it must never depend on", rel)
			continue
		}
		used := map[string]bool{}
		for _, imp := range p.Imports {
			if (imp == "reflect" || imp == "unsafe") && !slices.Contains(unsafeOK, rel) {
				add("%s imports %s: only %s may; move the code that needs it there", rel, imp, strings.Join(unsafeOK, ", "))
			}
			dep, ok := strings.CutPrefix(imp, module+"/")
			if !ok || r.anything {
				continue
			}
			used[dep] = true
			if slices.Contains(r.may, dep) {
				continue
			}
			if _, ok := r.exceptions[dep]; ok {
				continue
			}
			add("%s imports %s; it may import only %s of PeerVoice (docs/architecture.md)", rel, dep, list(r.may))
		}
		for dep, why := range r.exceptions {
			if !used[dep] {
				add("%s no longer imports %s (%s): delete the exception from internal/archtest's rules", rel, dep, why)
			}
		}
		for _, dep := range p.Deps {
			if slices.Contains(r.never, dep) {
				add("%s depends on %s, which it must never do; find the import that brings it with: go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./%s", rel, dep, rel)
			}
		}
	}
	slices.Sort(problems)
	return problems
}

// list names the allowed packages for a message.
func list(may []string) string {
	if len(may) == 0 {
		return "none"
	}
	return strings.Join(may, ", ")
}

// goList returns every package of the module, from one run of go list.
func goList(t *testing.T) []pkg {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go command to list the packages: %v", err)
	}
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Deps,Error", "./...")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./... in %s: %v\n%s", cmd.Dir, err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}
