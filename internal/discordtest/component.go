package discordtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Click presses the button with the given custom_id on the message, as it
// is now (not as it was when m was taken): the bot receives a component
// interaction. It fails, as Discord's client would not let the user click,
// if the button is gone, disabled or a link, or if the user cannot see the
// message.
func (u *User) Click(m Message, customID string) (*Interaction, error) {
	src, cur, err := u.reachMessage(m.ID)
	if err != nil {
		return nil, fmt.Errorf("click %q: %w", customID, err)
	}
	b := cur.Button(customID)
	switch {
	case b == nil:
		return nil, fmt.Errorf("click %q: message %s has no such button (custom_ids: %v)", customID, m.ID, cur.CustomIDs())
	case b.Disabled:
		return nil, fmt.Errorf("click %q: the button is disabled", customID)
	case b.Style == discordgo.LinkButton || b.Style == premiumButton:
		return nil, fmt.Errorf("click %q: the button is not an interactive one (style %d)", customID, b.Style)
	}
	data := map[string]any{"custom_id": customID, "component_type": discordgo.ButtonComponent}
	return u.e.startInteraction(u, interactionComponent, src.ch, "button "+customID, data, src)
}

// premiumButton is Discord's button style 6 (a purchase link), which
// discordgo v0.28.1 does not name.
const premiumButton discordgo.ButtonStyle = 6

// Choose picks values in the string select menu with the given custom_id
// on the message. It fails if the menu is gone or disabled, if a value is
// not one of its options, or if the number of values is outside the menu's
// min_values..max_values.
func (u *User) Choose(m Message, customID string, values ...string) (*Interaction, error) {
	src, cur, err := u.reachMessage(m.ID)
	if err != nil {
		return nil, fmt.Errorf("choose in %q: %w", customID, err)
	}
	s := cur.SelectMenu(customID)
	switch {
	case s == nil:
		return nil, fmt.Errorf("choose in %q: message %s has no such select menu (custom_ids: %v)", customID, m.ID, cur.CustomIDs())
	case s.Disabled:
		return nil, fmt.Errorf("choose in %q: the select menu is disabled", customID)
	case s.Type() != discordgo.SelectMenuComponent:
		return nil, fmt.Errorf("choose in %q: only string select menus are emulated", customID)
	}
	lo, hi := 1, 1
	if s.MinValues != nil {
		lo = *s.MinValues
	}
	if s.MaxValues > 0 {
		hi = s.MaxValues
	}
	if len(values) < lo || len(values) > hi {
		return nil, fmt.Errorf("choose in %q: %d value(s) chosen; the menu takes %d to %d", customID, len(values), lo, hi)
	}
	var offered []string
	for _, o := range s.Options {
		offered = append(offered, o.Value)
	}
	for _, v := range values {
		if !slices.Contains(offered, v) {
			return nil, fmt.Errorf("choose in %q: %q is not an option (options: %v)", customID, v, offered)
		}
	}
	data := map[string]any{"custom_id": customID, "component_type": discordgo.SelectMenuComponent, "values": values}
	return u.e.startInteraction(u, interactionComponent, src.ch, "select "+customID, data, src)
}

// reachMessage finds a message the user can see and interact with.
func (u *User) reachMessage(id string) (*message, Message, error) {
	e := u.e
	e.mu.Lock()
	defer e.mu.Unlock()
	src := e.messages[id]
	if src == nil || src.deleted {
		return nil, Message{}, fmt.Errorf("no message %s", id)
	}
	visible := u.inbox.has[src]
	if g := src.ch.guild; g != nil && src.viewer == nil && g.members[u.ID] != nil {
		visible = true
	}
	if !visible {
		return nil, Message{}, fmt.Errorf("user %s cannot see message %s", u.Name, id)
	}
	return src, e.snapshot(src), nil
}

// Modal is a modal the bot showed a user in answer to an interaction.
type Modal struct {
	InteractionID string // the interaction the modal answered
	CustomID      string
	Title         string
	Inputs        []TextInput

	source *interaction
}

// TextInput is a text field of a Modal.
type TextInput struct {
	CustomID    string
	Label       string
	Style       int // 1 short, 2 paragraph
	Required    bool
	MinLength   int
	MaxLength   int // 0 if unset (Discord's limit is 4,000)
	Value       string
	Placeholder string
}

// parseModal reads the data of a MODAL callback.
func parseModal(data map[string]json.RawMessage) (*Modal, error) {
	var body struct {
		CustomID   string            `json:"custom_id"`
		Title      string            `json:"title"`
		Components []json.RawMessage `json:"components"`
	}
	raw, _ := json.Marshal(data)
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, fmt.Errorf("modal: %w", err)
	}
	md := &Modal{CustomID: body.CustomID, Title: body.Title}
	var walk func(raw json.RawMessage) error
	walk = func(raw json.RawMessage) error {
		var c struct {
			Type        int               `json:"type"`
			CustomID    string            `json:"custom_id"`
			Label       string            `json:"label"`
			Style       int               `json:"style"`
			Required    *bool             `json:"required"`
			MinLength   int               `json:"min_length"`
			MaxLength   int               `json:"max_length"`
			Value       string            `json:"value"`
			Placeholder string            `json:"placeholder"`
			Components  []json.RawMessage `json:"components"`
			Component   json.RawMessage   `json:"component"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return fmt.Errorf("modal component: %w", err)
		}
		if c.Type == int(discordgo.TextInputComponent) {
			md.Inputs = append(md.Inputs, TextInput{
				CustomID: c.CustomID, Label: c.Label, Style: c.Style, Required: c.Required == nil || *c.Required,
				MinLength: c.MinLength, MaxLength: c.MaxLength, Value: c.Value, Placeholder: c.Placeholder,
			})
		}
		for _, child := range c.Components {
			if err := walk(child); err != nil {
				return err
			}
		}
		if len(c.Component) > 0 {
			return walk(c.Component)
		}
		return nil
	}
	for _, c := range body.Components {
		if err := walk(c); err != nil {
			return nil, err
		}
	}
	return md, nil
}

// SubmitModal fills in the modal with values (by text input custom_id) and
// submits it: the bot receives a MODAL_SUBMIT interaction. Fields left out
// are submitted empty. It fails, as Discord's client would not let the user
// submit, if a required field is empty, a value's length is outside the
// field's min_length..max_length, or a custom_id is not in the modal.
func (u *User) SubmitModal(md Modal, values map[string]string) (*Interaction, error) {
	if md.source == nil {
		return nil, fmt.Errorf("submit modal %q: not a modal from WaitModal", md.CustomID)
	}
	known := map[string]TextInput{}
	var rows []any
	for _, in := range md.Inputs {
		known[in.CustomID] = in
		v := values[in.CustomID]
		n := utf8.RuneCountInString(v)
		switch {
		case in.Required && strings.TrimSpace(v) == "":
			return nil, fmt.Errorf("submit modal %q: %q is required", md.CustomID, in.CustomID)
		case v != "" && n < in.MinLength:
			return nil, fmt.Errorf("submit modal %q: %q is %d characters; min_length is %d", md.CustomID, in.CustomID, n, in.MinLength)
		case in.MaxLength > 0 && n > in.MaxLength:
			return nil, fmt.Errorf("submit modal %q: %q is %d characters; max_length is %d", md.CustomID, in.CustomID, n, in.MaxLength)
		}
		rows = append(rows, map[string]any{"type": discordgo.ActionsRowComponent, "components": []any{
			map[string]any{"type": discordgo.TextInputComponent, "custom_id": in.CustomID, "value": v},
		}})
	}
	for id := range values {
		if _, ok := known[id]; !ok {
			return nil, fmt.Errorf("submit modal %q: it has no text input %q", md.CustomID, id)
		}
	}
	u.e.mu.Lock()
	src := md.source
	ch, msg := src.ch, src.source
	u.e.mu.Unlock()
	data := map[string]any{"custom_id": md.CustomID, "components": rows}
	return u.e.startInteraction(u, interactionModalSubmit, ch, "modal "+md.CustomID, data, msg)
}
