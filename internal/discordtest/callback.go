package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Interaction callback types.
const (
	callbackPong            = 1
	callbackMessage         = 4
	callbackDeferredMessage = 5
	callbackDeferredUpdate  = 6
	callbackUpdateMessage   = 7
	callbackAutocomplete    = 8
	callbackModal           = 9
	messageTypeChatInput    = 20
	messageTypeReply        = 19
)

// handleCallback serves POST /interactions/{interaction_id}/{interaction_token}/callback.
func (e *Emulator) handleCallback(req *apiRequest) reply {
	var body struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(req.body, &body); err != nil {
		return invalidFormReply("body: " + err.Error())
	}
	var data map[string]json.RawMessage
	_ = json.Unmarshal(body.Data, &data)
	if data == nil {
		data = map[string]json.RawMessage{}
	}
	var event string
	var payload any
	e.mu.Lock()
	rep := e.answer(req, body.Type, data, &event, &payload)
	e.mu.Unlock()
	if event != "" && payload != nil {
		e.mu.Lock()
		in := e.interactions[req.r.PathValue("interaction_id")]
		e.mu.Unlock()
		e.dispatchMessage(event, in.ch, payload)
	}
	return rep
}

// answer applies an initial response; call with e.mu held. It sets event
// and payload to a message event to dispatch afterwards.
func (e *Emulator) answer(req *apiRequest, kind int, data map[string]json.RawMessage, event *string, payload *any) reply {
	in := e.interactions[req.r.PathValue("interaction_id")]
	if in == nil || in.token != req.r.PathValue("interaction_token") {
		return errorReply(http.StatusNotFound, 10062, "Unknown interaction")
	}
	// One violation per interaction is enough: a refused response does not
	// also count as "never answered" when the test ends.
	before := len(req.violations)
	defer func() {
		if len(req.violations) > before {
			in.failed = true
		}
	}()
	now := e.cfg.clock.Now()
	if in.acked {
		req.violate(RuleInteraction, fmt.Sprintf("second initial response (type %d) to interaction %s (%s), already acknowledged with type %d: use a follow-up or edit the original response", kind, in.id, in.what, in.ackType))
		return errorReply(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
	}
	if age := now.Sub(in.created); age > e.cfg.deadline {
		if !in.failed {
			req.violate(RuleInteraction, fmt.Sprintf("initial response to interaction %s (%s) came %v after it was created; Discord requires it within %v (defer with type 5 or 6 for slow work)", in.id, in.what, age.Round(1e6), e.cfg.deadline))
		}
		return errorReply(http.StatusNotFound, 10062, "Unknown interaction")
	}
	needSource := func() *reply {
		if in.source == nil {
			req.violate(RuleInteraction, fmt.Sprintf("callback type %d is only valid for component interactions, not %s", kind, in.what))
			r := invalidFormReply("type: Interaction response type invalid for this interaction")
			return &r
		}
		return nil
	}
	var ephemeral *User
	if flagsOf(data)&flagEphemeral != 0 {
		ephemeral = in.user
	}
	switch kind {
	case callbackMessage, callbackDeferredMessage:
		m := e.newMessage(in.ch, in, ephemeral)
		if kind == callbackMessage {
			if err := e.applyFields(m, data, req.files, false); err != nil {
				return invalidFormReply(err.Error())
			}
			if m.empty() {
				return errorReply(http.StatusBadRequest, 50006, "Cannot send an empty message")
			}
		} else {
			m.flags |= flagLoading
		}
		m.msgType = messageTypeReply
		if in.kind == interactionCommand {
			m.msgType = messageTypeChatInput
		}
		in.original = m
		*event, *payload = "MESSAGE_CREATE", e.publish(m)
	case callbackDeferredUpdate:
		if bad := needSource(); bad != nil {
			return *bad
		}
		in.original = in.source
	case callbackUpdateMessage:
		if bad := needSource(); bad != nil {
			return *bad
		}
		if r, ok := e.editMessage(in.source, data, req.files); !ok {
			return r
		}
		in.original = in.source
		in.user.inbox.add(in.source)
		if in.source.flags&flagEphemeral == 0 {
			*event, *payload = "MESSAGE_UPDATE", e.messageJSON(in.source)
		}
	case callbackModal:
		if in.kind == interactionModalSubmit {
			req.violate(RuleInteraction, fmt.Sprintf("a modal cannot answer a modal submit (%s)", in.what))
			return invalidFormReply("type: Interaction response type invalid for this interaction")
		}
		md, err := parseModal(data)
		if err != nil {
			return invalidFormReply(err.Error())
		}
		md.InteractionID, md.source = in.id, in
		in.user.modals = append(in.user.modals, md)
	case callbackAutocomplete:
		if in.kind != interactionAutocomplete {
			req.violate(RuleInteraction, fmt.Sprintf("autocomplete result (type 8) for %s, which is not an autocomplete interaction", in.what))
			return invalidFormReply("type: Interaction response type invalid for this interaction")
		}
	case callbackPong:
		req.violate(RuleInteraction, fmt.Sprintf("PONG (type 1) answers only PING interactions, not %s", in.what))
		return invalidFormReply("type: Interaction response type invalid for this interaction")
	default:
		req.violate(RuleInteraction, fmt.Sprintf("callback type %d is not one a bot can use for %s", kind, in.what))
		return invalidFormReply(fmt.Sprintf("type: Value %d is not a valid interaction response type", kind))
	}
	in.acked, in.ackType, in.ackedAt = true, kind, now
	in.user.inbox.sig.broadcast()
	if req.r.URL.Query().Get("with_response") != "true" {
		return reply{status: http.StatusNoContent}
	}
	res := map[string]any{"type": kind}
	if in.original != nil {
		res["message"] = e.messageJSON(in.original)
	}
	return jsonReply(http.StatusOK, map[string]any{
		"interaction": map[string]any{"id": in.id, "type": in.kind, "activity_instance_id": nil},
		"resource":    res,
	})
}

// flagsOf reads the flags field of a message body.
func flagsOf(data map[string]json.RawMessage) int64 {
	var f int64
	if raw, ok := data["flags"]; ok {
		_ = json.Unmarshal(raw, &f)
	}
	return f
}

// webhookInteraction finds the interaction behind a webhook URL of the
// application; call with e.mu held.
func (e *Emulator) webhookInteraction(req *apiRequest) (*interaction, *reply) {
	in := e.tokens[req.r.PathValue("webhook_token")]
	if in == nil || req.r.PathValue("webhook_id") != e.appID {
		r := errorReply(http.StatusNotFound, 10015, "Unknown Webhook")
		return nil, &r
	}
	if e.cfg.clock.Now().Sub(in.created) > e.cfg.tokenLifetime {
		r := errorReply(http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		return nil, &r
	}
	return in, nil
}

// webhookMessage finds the original response or a follow-up named by the
// message_id of a webhook URL; call with e.mu held.
func (e *Emulator) webhookMessage(req *apiRequest) (*interaction, *message, *reply) {
	in, bad := e.webhookInteraction(req)
	if bad != nil {
		return nil, nil, bad
	}
	id := req.r.PathValue("message_id")
	var m *message
	if id == "" || id == "@original" {
		m = in.original
	} else if in.original != nil && in.original.id == id {
		m = in.original
	} else {
		for _, f := range in.followups {
			if f.id == id {
				m = f
			}
		}
	}
	if m == nil || m.deleted {
		r := errorReply(http.StatusNotFound, 10008, "Unknown Message")
		return nil, nil, &r
	}
	return in, m, nil
}

// webhookMessageOnly is webhookMessage without the interaction, for
// getMessage and deleteMessage; call with e.mu held.
func (e *Emulator) webhookMessageOnly(req *apiRequest) (*message, *reply) {
	_, m, bad := e.webhookMessage(req)
	return m, bad
}

// handleWebhookGet serves GET /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}
// and .../@original.
func (e *Emulator) handleWebhookGet(req *apiRequest) reply {
	return e.getMessage(req, e.webhookMessageOnly)
}

// handleWebhookEdit serves PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}
// and .../@original.
func (e *Emulator) handleWebhookEdit(req *apiRequest) reply {
	fields := req.fields()
	e.mu.Lock()
	in, m, bad := e.webhookMessage(req)
	if bad != nil {
		e.mu.Unlock()
		return *bad
	}
	if r, ok := e.editMessage(m, fields, req.files); !ok {
		e.mu.Unlock()
		return r
	}
	in.user.inbox.add(m)
	body := e.messageJSON(m)
	e.mu.Unlock()
	if m.flags&flagEphemeral == 0 {
		e.dispatchMessage("MESSAGE_UPDATE", m.ch, body)
	}
	return jsonReply(http.StatusOK, body)
}

// handleWebhookDelete serves DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}
// and .../@original.
func (e *Emulator) handleWebhookDelete(req *apiRequest) reply {
	return e.deleteMessage(req, e.webhookMessageOnly)
}

// handleFollowup serves POST /webhooks/{webhook_id}/{webhook_token}: a
// follow-up message. After a deferred response (type 5) the first
// follow-up fills in the deferred message, keeping its ephemeral flag, as
// Discord does.
func (e *Emulator) handleFollowup(req *apiRequest) reply {
	fields := req.fields()
	e.mu.Lock()
	in, bad := e.webhookInteraction(req)
	if bad != nil {
		e.mu.Unlock()
		return *bad
	}
	if !in.acked {
		e.mu.Unlock()
		return errorReply(http.StatusNotFound, 10015, "Unknown Webhook")
	}
	var m *message
	event := "MESSAGE_CREATE"
	if o := in.original; o != nil && o.loading() && in.ackType == callbackDeferredMessage {
		if r, ok := e.editMessage(o, fields, req.files); !ok {
			e.mu.Unlock()
			return r
		}
		m, event = o, "MESSAGE_UPDATE"
	} else {
		var ephemeral *User
		if flagsOf(fields)&flagEphemeral != 0 {
			ephemeral = in.user
		}
		m = e.newMessage(in.ch, in, ephemeral)
		if err := e.applyFields(m, fields, req.files, false); err != nil {
			e.mu.Unlock()
			return invalidFormReply(err.Error())
		}
		if m.empty() {
			e.mu.Unlock()
			return errorReply(http.StatusBadRequest, 50006, "Cannot send an empty message")
		}
		m.followup = true
		m.msgType = messageTypeReply
		in.followups = append(in.followups, m)
	}
	var payload any
	if event == "MESSAGE_CREATE" {
		payload = e.publish(m)
	} else if m.flags&flagEphemeral == 0 {
		payload = e.messageJSON(m)
	}
	body := e.messageJSON(m)
	e.mu.Unlock()
	e.dispatchMessage(event, m.ch, payload)
	if req.r.URL.Query().Get("wait") != "true" {
		return reply{status: http.StatusNoContent}
	}
	return jsonReply(http.StatusOK, body)
}
