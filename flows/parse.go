package flows

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	goyaml "github.com/goccy/go-yaml"
	goparser "github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"

	"github.com/peervoice/peervoice/internal/suggest"
)

// pos is a place in a flow file.
type pos struct{ line, col int }

// flowKeys and questionKeys are the keys a moderator may write, so a typo
// ("promt:") is an error with a suggestion rather than silently ignored.
var (
	flowKeys     = []string{"id", "title", "intro", "outro", "theme", "languages", "default_language", "repeat", "questions"}
	questionKeys = []string{"id", "type", "prompt", "theme", "quotable", "when", "next", "options", "scale", "min", "max", "max_length"}
	optionKeys   = []string{"id", "label"}
)

var (
	flowIDRe     = regexp.MustCompile(`^[a-z0-9-]+$`)
	questionIDRe = regexp.MustCompile(`^[a-z0-9_]+$`)
	langRe       = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]+)?$`)
	yamlLineRe   = regexp.MustCompile(`line (\d+)`)
)

// parser turns one file's YAML nodes into a Flow, noting problems with
// their line and column as it goes.
type parser struct {
	file  string
	probs Problems
	// where keys and values sit, for the checks that run after parsing
	flowPos map[string]pos
	qPos    map[*Question]map[string]pos
	optPos  map[*Question][]pos
	// texts that are per-language maps, with where they are
	langTexts []langText
	langs     []string
}

type langText struct {
	where string
	text  Text
	at    pos
}

// Parse reads one flow from YAML source and checks it. It returns the flow
// (as complete as the source allows) and every problem found, each with
// file:line:col. A flow with problems must not be used.
func Parse(file string, src []byte) (*Flow, Problems) {
	p := &parser{file: file, flowPos: map[string]pos{}, qPos: map[*Question]map[string]pos{}, optPos: map[*Question][]pos{}}
	f := p.parse(src)
	if f == nil {
		return nil, p.probs
	}
	sum := sha256.Sum256(src)
	f.Version = hex.EncodeToString(sum[:8])
	f.Source = append([]byte(nil), src...)
	f.File = file
	p.check(f)
	f.prepare()
	p.probs.Sort()
	return f, p.probs
}

// syntax reports a YAML syntax error. yaml.v3 gives the line where the
// enclosing block starts, which can be far from the mistake, so ask
// goccy/go-yaml's parser, which points at the offending token.
func (p *parser) syntax(src []byte, err error) {
	var se *goyaml.SyntaxError
	if _, perr := goparser.ParseBytes(src, 0); errors.As(perr, &se) && se.Token != nil {
		p.errorf(pos{se.Token.Position.Line, se.Token.Position.Column}, "YAML syntax: %s (check the indentation, and put text that holds a colon, # or ? in quotes)", se.Message)
		return
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(msg[strings.Index(msg, m[0])+len(m[0]):])
		msg = strings.TrimSpace(strings.TrimPrefix(msg, ":"))
	}
	p.errorf(pos{line, 0}, "YAML syntax: %s (check the indentation, and put text that holds a colon, # or ? in quotes)", msg)
}

func (p *parser) errorf(at pos, format string, args ...any) {
	p.probs = append(p.probs, Problem{File: p.file, Line: at.line, Col: at.col, Msg: fmt.Sprintf(format, args...)})
}

func at(n *yaml.Node) pos { return pos{n.Line, n.Column} }

func (p *parser) parse(src []byte) *Flow {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		p.syntax(src, err)
		return nil
	}
	if len(doc.Content) == 0 {
		p.errorf(pos{1, 1}, "the file is empty; a flow needs id, title and questions")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.errorf(at(root), "a flow must be a mapping of keys (id:, title:, questions:), not a %s", kindName(root))
		return nil
	}
	f := &Flow{index: map[string]int{}}
	var questions *yaml.Node
	p.eachKey(root, flowKeys, "flow", func(key string, k, v *yaml.Node) {
		p.flowPos[key] = at(v)
		switch key {
		case "id":
			f.ID = p.scalar(v, "id")
		case "title":
			f.Title = p.text(v, "title")
		case "intro":
			f.Intro = p.text(v, "intro")
		case "outro":
			f.Outro = p.text(v, "outro")
		case "theme":
			f.Theme = p.scalar(v, "theme")
		case "languages":
			f.Languages = p.stringList(v, "languages")
		case "default_language":
			f.DefaultLanguage = p.scalar(v, "default_language")
		case "repeat":
			f.Repeat = p.repeat(v)
		case "questions":
			questions = v
		}
	})
	for _, key := range []string{"id", "title", "questions"} {
		if _, ok := p.flowPos[key]; !ok {
			p.errorf(at(root), "missing %s: every flow needs id, title and questions", key)
		}
	}
	if questions != nil {
		p.questions(f, questions)
	}
	return f
}

func (p *parser) questions(f *Flow, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(at(n), "questions must be a list (each item starting with \"- id: ...\"), not a %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		p.errorf(at(n), "questions is empty: a flow needs at least one question")
	}
	for _, qn := range n.Content {
		if qn.Kind != yaml.MappingNode {
			p.errorf(at(qn), "each question must be a mapping (id:, type:, prompt:), not a %s", kindName(qn))
			continue
		}
		q := p.question(qn)
		q.Line, q.Col = qn.Line, qn.Column
		if q.ID != "" {
			if j, dup := f.index[q.ID]; dup {
				prev := f.Questions[j]
				p.errorf(p.qPos[q]["id"], "duplicate question id %q (first used at line %d); give each question its own id", q.ID, prev.Line)
			} else {
				f.index[q.ID] = len(f.Questions)
			}
		}
		f.Questions = append(f.Questions, q)
	}
}

func (p *parser) question(n *yaml.Node) *Question {
	q := &Question{}
	qp := map[string]pos{}
	p.qPos[q] = qp
	p.eachKey(n, questionKeys, "question", func(key string, k, v *yaml.Node) {
		qp[key] = at(v)
		switch key {
		case "id":
			q.ID = p.scalar(v, "id")
		case "type":
			q.Type = Type(p.scalar(v, "type"))
		case "prompt":
			q.Prompt = p.text(v, "prompt")
		case "theme":
			q.Theme = p.scalar(v, "theme")
		case "quotable":
			q.Quotable = p.boolean(v, "quotable")
		case "when":
			q.When = p.scalar(v, "when")
		case "next":
			p.next(q, v)
		case "options":
			p.options(q, v)
		case "scale":
			q.Scale = p.scalar(v, "scale")
		case "min":
			q.Min = p.number(v, "min")
		case "max":
			q.Max = p.number(v, "max")
		case "max_length":
			if x := p.number(v, "max_length"); x != nil {
				q.MaxLength = int(*x)
			}
		}
	})
	for _, key := range []string{"id", "type", "prompt"} {
		if _, ok := qp[key]; !ok {
			name := "this question"
			if q.ID != "" {
				name = fmt.Sprintf("question %q", q.ID)
			}
			p.errorf(at(n), "%s has no %s", name, key)
		}
	}
	return q
}

func (p *parser) next(q *Question, v *yaml.Node) {
	switch v.Kind {
	case yaml.ScalarNode:
		q.NextAll = v.Value
	case yaml.MappingNode:
		q.Next = map[string]string{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, t := v.Content[i], v.Content[i+1]
			if t.Kind != yaml.ScalarNode {
				p.errorf(at(t), "next: the target of %q must be a question id or end", k.Value)
				continue
			}
			if _, dup := q.Next[k.Value]; dup {
				p.errorf(at(k), "next: option %q is listed twice", k.Value)
			}
			q.Next[k.Value] = t.Value
			p.qPos[q]["next."+k.Value] = at(k)
		}
	default:
		p.errorf(at(v), "next must be a question id, end, or a mapping of option to question id")
	}
}

func (p *parser) options(q *Question, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		p.errorf(at(v), "options must be a list, e.g. [yes, no] or - {id: yes, label: Yes}")
		return
	}
	for _, on := range v.Content {
		var o Option
		switch on.Kind {
		case yaml.ScalarNode:
			o = Option{ID: slug(on.Value), Label: Plain(labelFor(on.Value))}
			if o.ID == "" {
				p.errorf(at(on), "option %q has no letters or digits to make an id from", on.Value)
			}
		case yaml.MappingNode:
			p.eachKey(on, optionKeys, "option", func(key string, k, v *yaml.Node) {
				switch key {
				case "id":
					o.ID = p.scalar(v, "option id")
				case "label":
					o.Label = p.text(v, "label")
				}
			})
			if o.ID == "" {
				p.errorf(at(on), "option has no id; write {id: some_id, label: Some label}")
			}
			if o.Label == nil {
				o.Label = Plain(labelFor(o.ID))
			}
		default:
			p.errorf(at(on), "an option must be a word or {id: ..., label: ...}, not a %s", kindName(on))
			continue
		}
		q.Options = append(q.Options, o)
		p.optPos[q] = append(p.optPos[q], at(on))
	}
}

// eachKey calls fn for each key of mapping n, reporting unknown and
// repeated keys with a suggestion.
func (p *parser) eachKey(n *yaml.Node, known []string, what string, fn func(key string, k, v *yaml.Node)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		if seen[key] {
			p.errorf(at(k), "%s key %q appears twice; keep one", what, key)
			continue
		}
		seen[key] = true
		if !contains(known, key) {
			msg := fmt.Sprintf("unknown %s key %q", what, key)
			if s := suggest.Closest(key, known, 3); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += fmt.Sprintf(" (known keys: %s)", strings.Join(known, ", "))
			}
			p.errorf(at(k), "%s", msg)
			continue
		}
		fn(key, k, v)
	}
}

func (p *parser) scalar(v *yaml.Node, what string) string {
	if v.Kind != yaml.ScalarNode {
		p.errorf(at(v), "%s must be a single value, not a %s", what, kindName(v))
		return ""
	}
	return v.Value
}

func (p *parser) boolean(v *yaml.Node, what string) bool {
	s := p.scalar(v, what)
	switch strings.ToLower(s) {
	case "true", "yes":
		return true
	case "false", "no", "":
		return false
	}
	p.errorf(at(v), "%s must be true or false, not %q", what, s)
	return false
}

func (p *parser) number(v *yaml.Node, what string) *float64 {
	s := p.scalar(v, what)
	if s == "" {
		return nil
	}
	x, ok := parseNumber(s)
	if !ok {
		p.errorf(at(v), "%s must be a number, not %q", what, s)
		return nil
	}
	return &x
}

func (p *parser) stringList(v *yaml.Node, what string) []string {
	if v.Kind != yaml.SequenceNode {
		p.errorf(at(v), "%s must be a list, e.g. [en, cy]", what)
		return nil
	}
	var out []string
	for _, n := range v.Content {
		out = append(out, p.scalar(n, what))
	}
	return out
}

// text reads wording: a plain string, or a mapping of language to string.
func (p *parser) text(v *yaml.Node, what string) Text {
	switch v.Kind {
	case yaml.ScalarNode:
		return Plain(v.Value)
	case yaml.MappingNode:
		t := Text{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, s := v.Content[i], v.Content[i+1]
			if s.Kind != yaml.ScalarNode {
				p.errorf(at(s), "%s in %q must be text", what, k.Value)
				continue
			}
			t[k.Value] = s.Value
		}
		p.langTexts = append(p.langTexts, langText{where: what, text: t, at: at(v)})
		return t
	}
	p.errorf(at(v), "%s must be text, or a mapping of language to text ({en: ..., cy: ...})", what)
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return fmt.Sprintf("value (%q)", n.Value)
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
