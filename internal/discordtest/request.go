package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody is the largest request body the emulator reads, besides the
// files WithUploadLimit allows.
const maxBody = 32 << 20

// Request is one REST request the bot made, as the emulator saw it.
type Request struct {
	Method     string
	Path       string     // the path below /api/vN, such as "/channels/12/messages"
	Route      string     // the matched route, such as "POST /channels/{channel_id}/messages"
	APIVersion string     // "9" or "10"
	Query      url.Values // the query string
	Header     http.Header
	Body       []byte // the JSON body, or the payload_json part of a multipart body
	Files      []File // the files of a multipart body
	Status     int    // the status the emulator answered with
	Time       time.Time
}

// File is a file uploaded with a multipart request.
type File struct {
	Field       string // the form field, such as "files[0]"
	Name        string
	ContentType string
	Data        []byte
}

// Requests returns every REST request so far, oldest first.
func (e *Emulator) Requests() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Request(nil), e.requests...)
}

// RequestsTo returns the requests whose Route is route (such as
// "POST /channels/{channel_id}/messages") or whose method and path are
// route (such as "POST /channels/12/messages").
func (e *Emulator) RequestsTo(route string) []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Request
	for _, r := range e.requests {
		if r.Route == route || r.Method+" "+r.Path == route {
			out = append(out, r)
		}
	}
	return out
}

// apiRequest is a request being handled: its parsed body and what the
// checks found.
type apiRequest struct {
	r          *http.Request
	route      string
	body       []byte // JSON (or payload_json)
	files      []File
	doc        any // body decoded with json.Number, nil if no body
	violations []Violation
}

// violate records a violation to report when the handler is done, so that
// handlers can call it while holding the emulator's lock.
func (req *apiRequest) violate(rule, detail string) {
	req.violations = append(req.violations, Violation{Rule: rule, Route: req.route, Detail: detail})
}

// readBody reads the JSON or multipart body of r into req, at most
// limit bytes of it.
func readBody(r *http.Request, req *apiRequest, limit int64) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if int64(len(data)) > limit {
		return errBodyTooLarge
	}
	if len(data) == 0 {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("parse Content-Type %q: %w", ct, err)
	}
	switch {
	case mt == "application/json":
		req.body = data
	case mt == "multipart/form-data":
		if err := readMultipart(data, params["boundary"], req); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unsupported Content-Type %q (want application/json or multipart/form-data)", ct)
	}
	if len(req.body) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(req.body))
	dec.UseNumber()
	if err := dec.Decode(&req.doc); err != nil {
		return fmt.Errorf("decode JSON body: %w", err)
	}
	return nil
}

// readMultipart splits a multipart body into payload_json and files.
func readMultipart(data []byte, boundary string, req *apiRequest) error {
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read multipart body: %w", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return fmt.Errorf("read part %q: %w", p.FormName(), err)
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			req.body = b
		case strings.HasPrefix(name, "files[") || strings.HasPrefix(name, "file"):
			// Part.FileName strips any directories; check what was sent.
			_, disp, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
			req.checkFilePart(name, disp["filename"])
			req.files = append(req.files, File{
				Field:       name,
				Name:        p.FileName(),
				ContentType: p.Header.Get("Content-Type"),
				Data:        b,
			})
		default:
			return fmt.Errorf("unexpected multipart field %q", name)
		}
	}
}

// fields returns the top-level members of the JSON object body, raw.
func (req *apiRequest) fields() map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if len(req.body) > 0 {
		_ = json.Unmarshal(req.body, &m)
	}
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	return m
}
