package discordtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Discord's documented limits (developer documentation: Message, Embed,
// Component and Interaction reference pages). The OpenAPI description
// encodes some of them loosely or not at all.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTotal       = 6000
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxActionRows       = 5
	maxRowButtons       = 5
	maxSelectOptions    = 25
	maxCustomID         = 100
	maxFiles            = 10
	maxModalTitle       = 45
	maxModalRows        = 5
	maxTextInputLength  = 4000
	maxTextInputLabel   = 45
)

// validate checks a request body against the OpenAPI description and the
// documented limits, recording violations. It reports whether the body
// passed. A problem both layers find is reported once, by the limit check,
// whose message is clearer.
func (e *Emulator) validate(req *apiRequest, kind bodyKind) bool {
	req.checkAttachmentRefs()
	if req.doc == nil {
		return len(req.violations) == 0
	}
	limits := checkLimits(kind, req.doc, req.files)
	for _, p := range limits {
		req.violate(RuleLimit, at(p))
	}
	if e.spec != nil && e.sampler.take(req.route, req.doc) {
	spec:
		for _, p := range e.spec.check(req.route, req.doc) {
			for _, l := range limits {
				if l.loc != "" && (p.loc == l.loc || strings.HasPrefix(p.loc, l.loc+"/")) {
					continue spec
				}
			}
			req.violate(RuleOpenAPI, at(p))
		}
	}
	return len(req.violations) == 0
}

// at formats a problem with its location.
func at(p problem) string {
	if p.loc == "" {
		return p.msg
	}
	return "at " + p.loc + ": " + p.msg
}

// checkLimits applies the documented limits to a body of the given kind.
func checkLimits(kind bodyKind, doc any, files []File) []problem {
	body, _ := doc.(map[string]any)
	if body == nil {
		return nil
	}
	var ps []problem
	if len(files) > maxFiles {
		ps = append(ps, problem{msg: fmt.Sprintf("%d files attached; Discord allows %d per message", len(files), maxFiles)})
	}
	// The files' total size is checked against the upload limit before
	// the body is (uploadTooLarge), as Discord answers 413 to it.
	switch kind {
	case bodyMessage:
		ps = append(ps, checkMessage("", body)...)
		ps = append(ps, checkAttachmentURLs("", body, files)...)
	case bodyCallback:
		data, _ := body["data"].(map[string]any)
		switch t, _ := body["type"].(json.Number); t.String() {
		case "4", "7":
			ps = append(ps, checkMessage("/data", data)...)
		case "9":
			ps = append(ps, checkModal("/data", data)...)
		}
	}
	return ps
}

// runes counts the characters of a string value, 0 if it is not a string.
func runes(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

// checkMessage applies the message limits to a message body at loc.
func checkMessage(loc string, m map[string]any) []problem {
	if m == nil {
		return nil
	}
	var ps []problem
	add := func(l, format string, args ...any) {
		ps = append(ps, problem{loc: l, msg: fmt.Sprintf(format, args...)})
	}
	if n := runes(m["content"]); n > maxContent {
		add(loc+"/content", "content is %d characters; Discord allows %d", n, maxContent)
	}
	embeds, _ := m["embeds"].([]any)
	if len(embeds) > maxEmbeds {
		add(loc+"/embeds", "%d embeds; Discord allows %d", len(embeds), maxEmbeds)
	}
	total := 0
	for i, raw := range embeds {
		em, _ := raw.(map[string]any)
		el := fmt.Sprintf("%s/embeds/%d", loc, i)
		check := func(l string, v any, max int, what string) {
			n := runes(v)
			total += n
			if n > max {
				add(l, "embed %s is %d characters; Discord allows %d", what, n, max)
			}
		}
		check(el+"/title", em["title"], maxEmbedTitle, "title")
		check(el+"/description", em["description"], maxEmbedDescription, "description")
		if f, ok := em["footer"].(map[string]any); ok {
			check(el+"/footer/text", f["text"], maxFooterText, "footer text")
		}
		if a, ok := em["author"].(map[string]any); ok {
			check(el+"/author/name", a["name"], maxAuthorName, "author name")
		}
		fields, _ := em["fields"].([]any)
		if len(fields) > maxEmbedFields {
			add(el+"/fields", "embed has %d fields; Discord allows %d", len(fields), maxEmbedFields)
		}
		for j, rf := range fields {
			f, _ := rf.(map[string]any)
			check(fmt.Sprintf("%s/fields/%d/name", el, j), f["name"], maxFieldName, "field name")
			check(fmt.Sprintf("%s/fields/%d/value", el, j), f["value"], maxFieldValue, "field value")
		}
	}
	if total > maxEmbedTotal {
		add(loc+"/embeds", "embeds total %d characters; Discord allows %d across all embeds of a message", total, maxEmbedTotal)
	}
	flags, _ := m["flags"].(json.Number)
	f, _ := flags.Int64()
	rows, _ := m["components"].([]any)
	if f&flagComponentsV2 == 0 && len(rows) > maxActionRows {
		add(loc+"/components", "%d action rows; Discord allows %d", len(rows), maxActionRows)
	}
	for i, raw := range rows {
		row, _ := raw.(map[string]any)
		if typeOf(row) != 1 {
			continue
		}
		rl := fmt.Sprintf("%s/components/%d/components", loc, i)
		children, _ := row["components"].([]any)
		buttons, selects := 0, 0
		for _, c := range children {
			switch t := typeOf(c); {
			case t == 2:
				buttons++
			case isSelect(t):
				selects++
			}
		}
		if buttons > maxRowButtons {
			add(rl, "action row %d has %d buttons; Discord allows %d", i, buttons, maxRowButtons)
		}
		if selects > 0 && len(children) > 1 {
			add(rl, "action row %d holds a select menu and %d other component(s); a select menu must be alone in its row", i, len(children)-1)
		}
	}
	seen := map[string]string{}
	walkJSON(loc+"/components", m["components"], func(l string, c map[string]any) {
		if id, ok := c["custom_id"].(string); ok {
			if n := utf8.RuneCountInString(id); n > maxCustomID {
				add(l+"/custom_id", "custom_id is %d characters; Discord allows %d", n, maxCustomID)
			}
			if prev, dup := seen[id]; dup {
				add(l+"/custom_id", "custom_id %q is used twice in one message (also at %s); Discord requires them to be unique", id, prev)
			}
			seen[id] = l
		}
		if isSelect(typeOf(c)) {
			if opts, _ := c["options"].([]any); len(opts) > maxSelectOptions {
				add(l+"/options", "select menu has %d options; Discord allows %d", len(opts), maxSelectOptions)
			}
		}
	})
	return ps
}

// checkModal applies the modal limits to a MODAL callback's data at loc.
func checkModal(loc string, m map[string]any) []problem {
	if m == nil {
		return nil
	}
	var ps []problem
	add := func(l, format string, args ...any) {
		ps = append(ps, problem{loc: l, msg: fmt.Sprintf(format, args...)})
	}
	if n := runes(m["title"]); n > maxModalTitle {
		add(loc+"/title", "modal title is %d characters; Discord allows %d", n, maxModalTitle)
	}
	if n := runes(m["custom_id"]); n > maxCustomID {
		add(loc+"/custom_id", "custom_id is %d characters; Discord allows %d", n, maxCustomID)
	}
	rows, _ := m["components"].([]any)
	if len(rows) == 0 || len(rows) > maxModalRows {
		add(loc+"/components", "modal has %d rows; Discord allows 1 to %d", len(rows), maxModalRows)
	}
	walkJSON(loc+"/components", m["components"], func(l string, c map[string]any) {
		if typeOf(c) != 4 {
			return
		}
		for _, k := range []string{"max_length", "min_length"} {
			if n, ok := c[k].(json.Number); ok {
				if v, _ := n.Int64(); v > maxTextInputLength {
					add(l+"/"+k, "text input %s is %d; Discord allows at most %d", k, v, maxTextInputLength)
				}
			}
		}
		if n := runes(c["value"]); n > maxTextInputLength {
			add(l+"/value", "text input value is %d characters; Discord allows %d", n, maxTextInputLength)
		}
		if n := runes(c["label"]); n > maxTextInputLabel {
			add(l+"/label", "text input label is %d characters; Discord allows %d", n, maxTextInputLabel)
		}
		if n := runes(c["custom_id"]); n > maxCustomID {
			add(l+"/custom_id", "custom_id is %d characters; Discord allows %d", n, maxCustomID)
		}
	})
	return ps
}

// walkJSON calls fn for every object in a components tree, with its
// location.
func walkJSON(loc string, v any, fn func(loc string, c map[string]any)) {
	switch v := v.(type) {
	case []any:
		for i, c := range v {
			walkJSON(fmt.Sprintf("%s/%d", loc, i), c, fn)
		}
	case map[string]any:
		fn(loc, v)
		for _, k := range []string{"components", "accessory", "component"} {
			if c, ok := v[k]; ok {
				walkJSON(loc+"/"+k, c, fn)
			}
		}
	}
}

// typeOf returns the "type" of a component, 0 if absent.
func typeOf(v any) int64 {
	m, _ := v.(map[string]any)
	n, _ := m["type"].(json.Number)
	t, _ := n.Int64()
	return t
}

// isSelect reports whether a component type is a select menu.
func isSelect(t int64) bool { return t == 3 || t >= 5 && t <= 8 }

// checkAttachmentURLs checks that every embed image or thumbnail
// "attachment://name" names a file uploaded with the message: Discord
// shows nothing for a name it does not have.
func checkAttachmentURLs(loc string, m map[string]any, files []File) []problem {
	names := map[string]bool{}
	for _, f := range files {
		names[f.Name] = true
	}
	if atts, ok := m["attachments"].([]any); ok {
		for _, a := range atts {
			if a, ok := a.(map[string]any); ok {
				if n, ok := a["filename"].(string); ok {
					names[n] = true
				}
			}
		}
	}
	var ps []problem
	embeds, _ := m["embeds"].([]any)
	for i, e := range embeds {
		e, _ := e.(map[string]any)
		for _, part := range []string{"image", "thumbnail"} {
			img, _ := e[part].(map[string]any)
			url, _ := img["url"].(string)
			name, ok := strings.CutPrefix(url, "attachment://")
			if ok && !names[name] {
				ps = append(ps, problem{loc: fmt.Sprintf("%s/embeds/%d/%s/url", loc, i, part),
					msg: fmt.Sprintf("%q names no file attached to the message", url)})
			}
		}
	}
	return ps
}
