package flows

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// check runs the rules that need the whole flow: ids, types, limits,
// translations, conditions and the shape of the question graph. It also
// fills in defaults (scale options, themes, text limits) the engine uses.
func (p *parser) check(f *Flow) {
	fp := p.flowPos
	p.langs = f.Languages
	if f.ID != "" && !flowIDRe.MatchString(f.ID) {
		p.errorf(fp["id"], "flow id %q may use only lower-case letters, digits and hyphens (e.g. %q)", f.ID, strings.ReplaceAll(slug(f.ID), "_", "-"))
	}
	if base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p.file), ".yaml"), ".yml"); f.ID != "" && base != f.ID && p.file != "" && p.file != "-" {
		p.errorf(fp["id"], "flow id %q does not match the file name %s; rename the file to %s.yaml or change the id", f.ID, filepath.Base(p.file), f.ID)
	}
	if _, ok := fp["title"]; ok && strings.TrimSpace(f.Title.String()) == "" {
		p.errorf(fp["title"], "title is empty; participants see it in the list of flows")
	}
	p.checkLanguages(f)
	for _, q := range f.Questions {
		p.checkQuestion(f, q)
	}
	for _, q := range f.Questions {
		p.checkNext(f, q)
	}
	for i, q := range f.Questions {
		if q.When != "" {
			p.checkWhen(f, i, q)
		}
	}
	if len(p.probs) == 0 {
		p.checkGraph(f)
	}
}

func (p *parser) checkLanguages(f *Flow) {
	seen := map[string]bool{}
	for _, l := range f.Languages {
		if !langRe.MatchString(l) {
			p.errorf(p.flowPos["languages"], "language %q is not a language code such as en or cy", l)
		}
		if seen[l] {
			p.errorf(p.flowPos["languages"], "language %q is listed twice", l)
		}
		seen[l] = true
	}
	if at, ok := p.flowPos["default_language"]; ok {
		switch {
		case len(f.Languages) == 0:
			p.errorf(at, "default_language %q is set, but the flow declares no languages; add languages: [%s, ...] at the top, or remove default_language", f.DefaultLanguage, f.DefaultLanguage)
		case !seen[f.DefaultLanguage]:
			p.errorf(at, "default_language %q is not in languages: [%s]; use one of them", f.DefaultLanguage, strings.Join(f.Languages, ", "))
		}
	}
	for _, lt := range p.langTexts {
		if len(f.Languages) == 0 {
			p.errorf(lt.at, "%s is given per language, but the flow declares no languages; add languages: [%s] at the top", lt.where, strings.Join(sortedKeys(lt.text), ", "))
			continue
		}
		for _, l := range f.Languages {
			if _, ok := lt.text[l]; !ok {
				p.errorf(lt.at, "%s has no %s translation (languages: %s)", lt.where, l, strings.Join(f.Languages, ", "))
			}
		}
		for _, l := range sortedKeys(lt.text) {
			if !seen[l] {
				p.errorf(lt.at, "%s has text in %q, which is not in languages: [%s]", lt.where, l, strings.Join(f.Languages, ", "))
			}
		}
	}
}

func (p *parser) checkQuestion(f *Flow, q *Question) {
	qp := p.qPos[q]
	if q.ID != "" && !questionIDRe.MatchString(q.ID) {
		p.errorf(qp["id"], "question id %q may use only lower-case letters, digits and underscores (e.g. %q)", q.ID, slug(q.ID))
	}
	if len(q.ID) > MaxIDLen {
		p.errorf(qp["id"], "question id %q is %d characters; the limit is %d (ids travel inside Discord's button ids)", q.ID, len(q.ID), MaxIDLen)
	}
	if q.ID == End {
		p.errorf(qp["id"], "question id %q is reserved: next: end finishes a flow", End)
	}
	if _, ok := qp["type"]; ok && !validType(q.Type) {
		p.errorf(qp["type"], "unknown type %q; use one of %s", q.Type, typeList())
	}
	for lang, s := range q.Prompt {
		if n := utf8.RuneCountInString(s); n > MaxPromptLen {
			p.errorf(qp["prompt"], "prompt%s is %d characters; the limit is %d", inLang(lang), n, MaxPromptLen)
		}
		if strings.TrimSpace(s) == "" {
			p.errorf(qp["prompt"], "prompt%s is empty", inLang(lang))
		}
	}
	if q.Theme == "" {
		q.Theme = f.Theme
	}
	if q.Theme == "" && q.Type != TypeInfo && validType(q.Type) {
		p.errorf(pos{q.Line, q.Col}, "question %q has no theme; set theme: on the flow or the question, so answers can be analysed by theme", q.ID)
	}
	p.checkOptions(q)
	p.checkLimits(q)
}

func (p *parser) checkOptions(q *Question) {
	qp := p.qPos[q]
	switch q.Type {
	case TypeChoice, TypeMulti:
		if q.Scale != "" {
			p.errorf(qp["scale"], "scale is for scale questions; %s questions list options", q.Type)
		}
		if _, ok := qp["options"]; !ok {
			p.errorf(pos{q.Line, q.Col}, "%s question %q needs options", q.Type, q.ID)
		} else if len(q.Options) < 2 {
			p.errorf(qp["options"], "%s question %q needs at least two options", q.Type, q.ID)
		}
	case TypeScale:
		_, hasOpts := qp["options"]
		switch {
		case q.Scale != "" && hasOpts:
			p.errorf(qp["scale"], "give either scale or options, not both")
		case q.Scale != "":
			if opts := ScaleOptions(q.Scale); opts != nil {
				q.Options = opts
			} else {
				p.errorf(qp["scale"], "unknown scale %q; built-in scales are %s, or list your own options", q.Scale, strings.Join(Scales(), ", "))
			}
		case !hasOpts:
			p.errorf(pos{q.Line, q.Col}, "scale question %q needs scale: (one of %s) or options", q.ID, strings.Join(Scales(), ", "))
		case len(q.Options) < 2:
			p.errorf(qp["options"], "scale question %q needs at least two options", q.ID)
		}
	default:
		if _, ok := qp["options"]; ok {
			p.errorf(qp["options"], "%s questions have no options; use type: choice or multi", q.Type)
		}
		if _, ok := qp["scale"]; ok {
			p.errorf(qp["scale"], "%s questions have no scale; use type: scale", q.Type)
		}
	}
	if len(q.Options) > MaxOptions {
		p.errorf(qp["options"], "%d options; the limit is %d (Discord's menus hold no more): merge some, or add \"Something else\" with a text question after it", len(q.Options), MaxOptions)
	}
	seen := map[string]bool{}
	opos := p.optPos[q]
	for i, o := range q.Options {
		where := qp["scale"]
		if i < len(opos) {
			where = opos[i]
		}
		if o.ID != "" && !questionIDRe.MatchString(o.ID) {
			p.errorf(where, "option id %q may use only lower-case letters, digits and underscores (e.g. %q)", o.ID, slug(o.ID))
		}
		if len(o.ID) > MaxIDLen {
			p.errorf(where, "option id %q is %d characters; the limit is %d (ids travel inside Discord's button ids)", o.ID, len(o.ID), MaxIDLen)
		}
		if seen[o.ID] && o.ID != "" {
			p.errorf(where, "duplicate option id %q in question %q", o.ID, q.ID)
		}
		seen[o.ID] = true
		for lang, s := range o.Label {
			if n := utf8.RuneCountInString(s); n > MaxLabelLen {
				p.errorf(where, "label%s is %d characters; the limit is %d (buttons cut longer labels): shorten it and put detail in the prompt", inLang(lang), n, MaxLabelLen)
			}
		}
		if q.Scale != "" {
			if extra := missingLangs(o.Label, p.flowLanguages()); len(extra) > 0 {
				p.errorf(qp["scale"], "built-in scale %q is in English only, so it has no %s labels; list options with labels in each language instead", q.Scale, strings.Join(extra, ", "))
				break
			}
		}
	}
}

func (p *parser) checkLimits(q *Question) {
	qp := p.qPos[q]
	_, hasMin := qp["min"]
	_, hasMax := qp["max"]
	switch q.Type {
	case TypeMulti:
		if q.Min != nil && (*q.Min < 0 || *q.Min != float64(int(*q.Min))) {
			p.errorf(qp["min"], "min must be a whole number of choices, 0 or more")
		}
		if q.Max != nil && (*q.Max < 1 || *q.Max != float64(int(*q.Max))) {
			p.errorf(qp["max"], "max must be a whole number of choices, 1 or more")
		}
		if q.Max != nil && len(q.Options) > 0 && int(*q.Max) > len(q.Options) {
			p.errorf(qp["max"], "max is %v but there are only %d options", *q.Max, len(q.Options))
		}
	case TypeNumber:
	default:
		if hasMin {
			p.errorf(qp["min"], "min is for multi and number questions")
		}
		if hasMax {
			p.errorf(qp["max"], "max is for multi and number questions")
		}
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		p.errorf(qp["min"], "min (%v) is more than max (%v)", *q.Min, *q.Max)
	}
	if _, ok := qp["quotable"]; ok && q.Quotable && q.Type != TypeText {
		p.errorf(qp["quotable"], "only text answers can be quotable")
	}
	if _, ok := qp["max_length"]; ok {
		if q.Type != TypeText {
			p.errorf(qp["max_length"], "max_length is for text questions")
		} else if q.MaxLength < 1 || q.MaxLength > MaxMaxLength {
			p.errorf(qp["max_length"], "max_length must be from 1 to %d", MaxMaxLength)
		}
	}
	if q.Type == TypeText && q.MaxLength == 0 {
		q.MaxLength = DefaultMaxLength
	}
}

func (p *parser) checkNext(f *Flow, q *Question) {
	qp := p.qPos[q]
	target := func(where pos, t string) {
		switch {
		case t == End:
		case t == q.ID:
			p.errorf(where, "next jumps from %q to itself", q.ID)
		case f.Question(t) == nil:
			p.errorf(where, "next %q is not a question in this flow (questions: %s, or end)", t, strings.Join(questionIDs(f), ", "))
		}
	}
	if q.NextAll != "" {
		target(qp["next"], q.NextAll)
	}
	if q.Next == nil {
		return
	}
	if q.Type != TypeChoice && q.Type != TypeScale {
		p.errorf(qp["next"], "next by option works on choice and scale questions; for %s questions use when: on the questions that follow", q.Type)
		return
	}
	for _, opt := range sortedKeys(q.Next) {
		where := qp["next."+opt]
		if q.Option(opt) == nil && len(q.Options) > 0 {
			p.errorf(where, "next names option %q, which question %q does not have (options: %s)", opt, q.ID, strings.Join(optionIDs(q), ", "))
		}
		target(where, q.Next[opt])
	}
}

func (p *parser) flowLanguages() []string { return p.langs }

func validType(t Type) bool {
	for _, x := range Types {
		if x == t {
			return true
		}
	}
	return false
}

func typeList() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func inLang(lang string) string {
	if lang == "" {
		return ""
	}
	return fmt.Sprintf(" (%s)", lang)
}

func missingLangs(t Text, langs []string) []string {
	var out []string
	for _, l := range langs {
		if l == "en" {
			continue
		}
		if _, ok := t[l]; !ok {
			out = append(out, l)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func questionIDs(f *Flow) []string {
	ids := make([]string, 0, len(f.Questions))
	for _, q := range f.Questions {
		ids = append(ids, q.ID)
	}
	return ids
}

func optionIDs(q *Question) []string {
	ids := make([]string, 0, len(q.Options))
	for _, o := range q.Options {
		ids = append(ids, o.ID)
	}
	return ids
}
