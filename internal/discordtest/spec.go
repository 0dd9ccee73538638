package discordtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	textmessage "golang.org/x/text/message"
)

// SpecEnv is the environment variable that can point at Discord's OpenAPI
// description. Without it the emulator looks for
// ../shared/discord-api-spec/openapi.json beside the module root.
const SpecEnv = "PEERVOICE_DISCORD_SPEC"

// specURL is the made-up URL the description is registered under.
const specURL = "https://discord.invalid/openapi.json"

// spec validates request bodies against Discord's OpenAPI description. The
// description is parsed once per process; each operation's schema is
// compiled the first time a request needs it.
type spec struct {
	paths map[string]any

	mu       sync.Mutex // guards compiler and schemas
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema // by route; nil when no JSON body schema
}

// specs caches loaded descriptions by path for the whole process.
var specs struct {
	sync.Mutex
	byPath map[string]*specLoad
}

type specLoad struct {
	once sync.Once
	s    *spec
	err  error
}

// loadSpec finds and loads the description, or logs why validation against
// it is skipped.
func (e *Emulator) loadSpec() {
	if e.cfg.noSpec {
		e.t.Log("discordtest: OpenAPI validation turned off (WithoutSpec); documented limits are still checked")
		return
	}
	path, err := findSpec(e.cfg.specPath)
	if err == nil {
		e.spec, err = loadSpecFile(path)
	}
	if err != nil {
		e.t.Logf("discordtest: skipping OpenAPI validation (documented limits are still checked): %v", err)
	}
}

// ValidatesOpenAPI reports whether requests are validated against Discord's
// OpenAPI description: false when it was turned off with WithoutSpec or its
// file was not found. A test of that layer skips itself when it is false,
// before it calls ExpectViolation.
func (e *Emulator) ValidatesOpenAPI() bool { return e.spec != nil }

// findSpec returns the description's path: explicit, else $PEERVOICE_DISCORD_SPEC,
// else ../shared/discord-api-spec/openapi.json relative to the directory of
// the nearest go.mod above the working directory.
func findSpec(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	if p := os.Getenv(SpecEnv); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find OpenAPI description: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "discord-api-spec", "openapi.json"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find OpenAPI description: no go.mod above the working directory")
		}
		dir = parent
	}
}

// loadSpecFile parses the description at path, once per process.
func loadSpecFile(path string) (*spec, error) {
	specs.Lock()
	if specs.byPath == nil {
		specs.byPath = make(map[string]*specLoad)
	}
	l := specs.byPath[path]
	if l == nil {
		l = &specLoad{}
		specs.byPath[path] = l
	}
	specs.Unlock()
	l.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			l.err = fmt.Errorf("open OpenAPI description: %w", err)
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			l.err = fmt.Errorf("parse OpenAPI description %s: %w", path, err)
			return
		}
		root, _ := doc.(map[string]any)
		paths, _ := root["paths"].(map[string]any)
		if paths == nil {
			l.err = fmt.Errorf("parse OpenAPI description %s: no paths", path)
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource(specURL, doc); err != nil {
			l.err = fmt.Errorf("load OpenAPI description %s: %w", path, err)
			return
		}
		l.s = &spec{paths: paths, compiler: c, schemas: make(map[string]*jsonschema.Schema)}
	})
	return l.s, l.err
}

// schema returns the compiled JSON request body schema of a route such as
// "POST /channels/{channel_id}/messages", or nil if it has none.
func (s *spec) schema(route string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.schemas[route]; ok {
		return sch, nil
	}
	method, path, _ := strings.Cut(route, " ")
	method = strings.ToLower(method)
	var sch *jsonschema.Schema
	op, _ := s.paths[path].(map[string]any)
	op, _ = op[method].(map[string]any)
	body, _ := op["requestBody"].(map[string]any)
	content, _ := body["content"].(map[string]any)
	if _, ok := content["application/json"]; ok {
		esc := strings.NewReplacer("~", "~0", "/", "~1")
		loc := specURL + "#/paths/" + esc.Replace(path) + "/" + method + "/requestBody/content/application~1json/schema"
		var err error
		if sch, err = s.compiler.Compile(loc); err != nil {
			return nil, fmt.Errorf("compile schema of %s: %w", route, err)
		}
	}
	s.schemas[route] = sch
	return sch, nil
}

// problem is something wrong at a place in a request body.
type problem struct {
	loc string // JSON pointer into the body, such as "/components/0"
	msg string
}

// check validates a decoded body against the route's schema.
func (s *spec) check(route string, doc any) []problem {
	sch, err := s.schema(route)
	if err != nil {
		return []problem{{msg: err.Error()}}
	}
	if sch == nil {
		return nil
	}
	err = sch.Validate(doc)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []problem
	for _, p := range summarize(ve) {
		if !exempt(p, doc) {
			out = append(out, p)
		}
	}
	return out
}

// exempt reports whether a problem is one where the OpenAPI description is
// stricter than Discord itself. Each case is documented behaviour that
// discordgo relies on.
func exempt(p problem, doc any) bool {
	// Discord documents default_member_permissions as a permission string
	// ("32") and discordgo sends it so; the description says integer.
	if strings.HasSuffix(p.loc, "/default_member_permissions") {
		s, ok := lookup(doc, p.loc).(string)
		_, err := strconv.ParseUint(s, 10, 64)
		return ok && err == nil
	}
	return false
}

// lookup returns the value at a JSON pointer (without escapes) in doc.
func lookup(doc any, ptr string) any {
	v := doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

var printer = textmessage.NewPrinter(language.English)

// summarize reduces a validation error tree to its leaves. Where a oneOf or
// anyOf failed, it follows only the alternatives whose "type" matched, so
// a malformed button reports what is wrong with it as a button rather than
// why it is not each of the other component types.
func summarize(ve *jsonschema.ValidationError) []problem {
	if len(ve.Causes) == 0 {
		return []problem{{loc: pointer(ve.InstanceLocation), msg: ve.ErrorKind.LocalizedString(printer)}}
	}
	causes := ve.Causes
	switch ve.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		var kept []*jsonschema.ValidationError
		for _, c := range causes {
			if !wrongType(c, pointer(c.InstanceLocation)+"/type") {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			return []problem{{loc: pointer(ve.InstanceLocation), msg: "matches none of the allowed shapes (check its \"type\")"}}
		}
		causes = kept
	}
	var out []problem
	for _, c := range causes {
		out = append(out, summarize(c)...)
	}
	return out
}

// wrongType reports whether ve failed because the value at typeLoc is not
// the alternative's type discriminator.
func wrongType(ve *jsonschema.ValidationError, typeLoc string) bool {
	if len(ve.Causes) == 0 {
		if pointer(ve.InstanceLocation) != typeLoc {
			return false
		}
		switch ve.ErrorKind.(type) {
		case *kind.Const, *kind.Enum:
			return true
		}
		return false
	}
	for _, c := range ve.Causes {
		if wrongType(c, typeLoc) {
			return true
		}
	}
	return false
}

// pointer joins a location into a JSON pointer.
func pointer(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	return "/" + strings.Join(loc, "/")
}
