package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// reply is a handler's answer, written by the middleware.
type reply struct {
	status  int
	body    any // encoded as JSON unless nil
	raw     []byte
	rawType string
	header  http.Header
}

// apiError is Discord's JSON error body.
type apiError struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
	Errors  any    `json:"errors,omitempty"`
}

func jsonReply(status int, body any) reply { return reply{status: status, body: body} }

func errorReply(status, code int, message string) reply {
	return reply{status: status, body: apiError{Message: message, Code: code}}
}

// invalidFormReply is Discord's 50035 "Invalid Form Body".
func invalidFormReply(details ...string) reply {
	var errs []map[string]string
	for _, d := range details {
		errs = append(errs, map[string]string{"code": "DISCORDTEST_INVALID", "message": d})
	}
	return reply{status: http.StatusBadRequest, body: apiError{
		Message: "Invalid Form Body", Code: 50035, Errors: map[string]any{"_errors": errs},
	}}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// Kinds of request body, for the documented-limit checks.
type bodyKind int

const (
	bodyNone bodyKind = iota
	bodyMessage
	bodyCallback
	bodyOther
)

// routes registers the REST API. Patterns use the OpenAPI description's
// paths, so the matched pattern names the operation to validate against.
func (e *Emulator) routes() {
	r := func(pattern string, kind bodyKind, auth bool, h func(*apiRequest) reply) {
		e.mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) { e.handle(w, req, kind, auth, h) })
	}
	r("GET /gateway", bodyNone, false, e.handleGateway)
	r("GET /gateway/bot", bodyNone, true, e.handleGatewayBot)
	r("GET /users/@me", bodyNone, true, func(*apiRequest) reply { return jsonReply(http.StatusOK, e.botJSON()) })
	r("POST /users/@me/channels", bodyOther, true, e.handleCreateDM)
	r("GET /channels/{channel_id}", bodyNone, true, e.handleGetChannel)
	r("POST /channels/{channel_id}/messages", bodyMessage, true, e.handleCreateMessage)
	r("GET /channels/{channel_id}/messages/{message_id}", bodyNone, true, e.handleGetMessage)
	r("PATCH /channels/{channel_id}/messages/{message_id}", bodyMessage, true, e.handleEditMessage)
	r("DELETE /channels/{channel_id}/messages/{message_id}", bodyNone, true, e.handleDeleteMessage)
	r("POST /interactions/{interaction_id}/{interaction_token}/callback", bodyCallback, false, e.handleCallback)
	r("POST /webhooks/{webhook_id}/{webhook_token}", bodyMessage, false, e.handleFollowup)
	for _, m := range []string{"/webhooks/{webhook_id}/{webhook_token}/messages/@original", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"} {
		r("GET "+m, bodyNone, false, e.handleWebhookGet)
		r("PATCH "+m, bodyMessage, false, e.handleWebhookEdit)
		r("DELETE "+m, bodyNone, false, e.handleWebhookDelete)
	}
	for _, c := range []string{"/applications/{application_id}/commands", "/applications/{application_id}/guilds/{guild_id}/commands"} {
		r("GET "+c, bodyNone, true, e.handleGetCommands)
		r("PUT "+c, bodyOther, true, e.handlePutCommands)
	}
	r("GET /guilds/{guild_id}", bodyNone, true, e.handleGuild)
	r("GET /guilds/{guild_id}/members/{user_id}", bodyNone, true, e.handleGuildMember)
	r("GET /guilds/{guild_id}/roles", bodyNone, true, e.handleGuildRoles)
	r("GET /guilds/{guild_id}/channels", bodyNone, true, e.handleGuildChannels)
	r("/", bodyNone, false, e.handleUnsupported)
}

// handle runs a request through the checks every request gets, then the
// handler: read the body, log it, check the token, validate the body, apply
// an installed fault.
func (e *Emulator) handle(w http.ResponseWriter, r *http.Request, kind bodyKind, auth bool, h func(*apiRequest) reply) {
	route := r.Pattern
	if route == "/" {
		route = r.Method + " " + r.URL.Path
	}
	req := &apiRequest{r: r, route: route}
	var rep reply
	switch err := readBody(r, req, e.bodyLimit()); {
	case err == errBodyTooLarge:
		rep = tooLargeReply()
		req.violate(RuleLimit, fmt.Sprintf("the request body is over %d bytes", e.bodyLimit()))
	case err != nil:
		rep = errorReply(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		req.violate(RuleOpenAPI, err.Error())
	case auth && r.Header.Get("Authorization") != "Bot "+e.Token():
		rep = errorReply(http.StatusUnauthorized, 0, "401: Unauthorized")
	case e.uploadTooLarge(req):
		rep = tooLargeReply()
	case !e.validate(req, kind):
		rep = invalidFormReply(violationDetails(req.violations)...)
	default:
		if f := e.takeFault(r.Method, route, r.URL.Path); f != nil {
			rep = f.reply(e.cfg.clock.Now())
		} else {
			rep = h(req)
		}
	}
	// Log before answering, so a test that saw the answer sees the log.
	e.mu.Lock()
	e.requests = append(e.requests, Request{
		Method: r.Method, Path: r.URL.Path, Route: route, APIVersion: r.Header.Get(apiVersionHeader),
		Query: r.URL.Query(), Header: r.Header, Body: req.body, Files: req.files,
		Status: rep.status, Time: e.cfg.clock.Now(),
	})
	e.mu.Unlock()
	e.logf("%s %s -> %d", r.Method, r.URL.Path, rep.status)
	for _, v := range req.violations {
		e.checks.add(v)
	}
	for k, vs := range rep.header {
		w.Header()[k] = vs
	}
	switch {
	case rep.raw != nil:
		w.Header().Set("Content-Type", rep.rawType)
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.raw)
	case rep.body != nil:
		writeJSON(w, rep.status, rep.body)
	default:
		w.WriteHeader(rep.status)
	}
}

// violationDetails lists the details of violations, for a 50035 body.
func violationDetails(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Detail)
	}
	return out
}

// handleGateway serves GET /gateway.
func (e *Emulator) handleGateway(*apiRequest) reply {
	return jsonReply(http.StatusOK, map[string]string{"url": e.GatewayURL()})
}

// handleGatewayBot serves GET /gateway/bot.
func (e *Emulator) handleGatewayBot(*apiRequest) reply {
	return jsonReply(http.StatusOK, map[string]any{
		"url": e.GatewayURL(), "shards": 1,
		"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
	})
}

// handleUnsupported answers routes the emulator does not implement, and
// flags them so that the emulator gets extended rather than silently
// diverging from Discord.
func (e *Emulator) handleUnsupported(req *apiRequest) reply {
	req.violate(RuleUnsupported, "the emulator does not implement this endpoint; add it to internal/discordtest")
	return errorReply(http.StatusNotFound, 0, "404: Not Found")
}

// attachmentURL is where the emulator serves an attachment.
func (e *Emulator) attachmentURL(channelID string, a *attachment) string {
	return fmt.Sprintf("%s/attachments/%s/%s/%s", e.srv.URL, channelID, a.id, a.filename)
}
