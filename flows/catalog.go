package flows

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

//go:embed pack/*.yaml
var pack embed.FS

// Catalog is a set of flows by id, in the order participants see them.
type Catalog struct {
	flows []*Flow
	byID  map[string]*Flow
}

// Pack returns the embedded default flows.
func Pack() fs.FS {
	sub, err := fs.Sub(pack, "pack")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// Default loads the embedded default pack. Its flows are linted by the
// tests, so a problem here is a bug in the build.
func Default() (*Catalog, error) {
	c, probs := Load(Pack(), "pack")
	if err := probs.Err(); err != nil {
		return nil, fmt.Errorf("default flow pack: %w", err)
	}
	return c, nil
}

// LoadDir loads every .yaml and .yml file in dir.
func LoadDir(dir string) (*Catalog, Problems) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, Problems{{File: dir, Msg: fmt.Sprintf("cannot read the flows directory: %v", err)}}
	}
	if !info.IsDir() {
		c, probs := loadFiles(os.DirFS(path.Dir(dir)), []string{path.Base(dir)}, path.Dir(dir))
		return c, probs
	}
	return Load(os.DirFS(dir), dir)
}

// Load loads every .yaml and .yml file at the top of fsys, naming files
// in problems as prefix/name.
func Load(fsys fs.FS, prefix string) (*Catalog, Problems) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, Problems{{File: prefix, Msg: fmt.Sprintf("cannot list flows: %v", err)}}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, Problems{{File: prefix, Msg: "no flow files (*.yaml) here"}}
	}
	return loadFiles(fsys, names, prefix)
}

func loadFiles(fsys fs.FS, names []string, prefix string) (*Catalog, Problems) {
	c := &Catalog{byID: map[string]*Flow{}}
	var probs Problems
	for _, name := range names {
		file := path.Join(prefix, name)
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			probs = append(probs, Problem{File: file, Msg: fmt.Sprintf("cannot read: %v", err)})
			continue
		}
		f, ps := Parse(file, src)
		probs = append(probs, ps...)
		if f == nil || len(ps) > 0 {
			continue
		}
		if prev, dup := c.byID[f.ID]; dup {
			probs = append(probs, Problem{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("flow id %q is also used by %s; each flow needs its own id", f.ID, prev.File)})
			continue
		}
		c.byID[f.ID] = f
		c.flows = append(c.flows, f)
	}
	sort.SliceStable(c.flows, func(i, j int) bool { return order(c.flows[i]) < order(c.flows[j]) })
	return c, probs
}

// order puts the study's areas first, in the study's order, and the
// optional questions about the participant last; other flows by id.
func order(f *Flow) string {
	known := []string{"recovery", "what-matters", "diagnosis-medication", "risk", "compulsory-powers", "discrimination", "recovery-tools", "recommendations", "about-you"}
	for i, id := range known {
		if f.ID == id {
			return fmt.Sprintf("0%02d", i)
		}
	}
	return "1" + f.ID
}

// NewCatalog makes a catalog of fs, in the order participants see them
// (as Load orders them). Two flows with one id are an error: a host that
// builds a catalog from stored versions has one live version a flow.
func NewCatalog(fs []*Flow) (*Catalog, error) {
	c := &Catalog{byID: map[string]*Flow{}}
	for _, f := range fs {
		if _, dup := c.byID[f.ID]; dup {
			return nil, fmt.Errorf("new catalog: flow id %q given twice", f.ID)
		}
		c.byID[f.ID] = f
		c.flows = append(c.flows, f)
	}
	sort.SliceStable(c.flows, func(i, j int) bool { return order(c.flows[i]) < order(c.flows[j]) })
	return c, nil
}

// Flows returns the flows in order.
func (c *Catalog) Flows() []*Flow { return append([]*Flow(nil), c.flows...) }

// ErrUnknownFlow is the error of Get for an id no flow has.
var ErrUnknownFlow = errors.New("unknown flow")

// Get returns the flow with the given id; an unknown id is an error that
// lists the flows there are, and matches ErrUnknownFlow.
func (c *Catalog) Get(id string) (*Flow, error) {
	if f, ok := c.byID[id]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("%w %q; available flows: %s", ErrUnknownFlow, id, strings.Join(c.IDs(), ", "))
}

// IDs returns the flow ids in order.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.flows))
	for i, f := range c.flows {
		ids[i] = f.ID
	}
	return ids
}
