package discordtest

import (
	"net/http"
	"strconv"
	"strings"
)

// Upload is a file a simulated user attaches to a slash command's
// attachment option (Opt(name, upload)). As in Discord, the interaction
// carries only its description in data.resolved.attachments (id, file
// name, size, content type and a CDN URL); the bot downloads the bytes
// from that URL, which the emulator serves like Discord's CDN serves
// ephemeral attachments, and counts each download.
type Upload struct {
	ID          string
	Filename    string
	ContentType string
	// Size is the size the interaction reports; NewUpload sets it to
	// len(data), as Discord does. A test may change it before running the
	// command, to see that the bot does not trust it alone.
	Size int
	URL  string

	e *Emulator
	a *attachment
}

// NewUpload makes a file a user can attach to a command.
func (e *Emulator) NewUpload(filename, contentType string, data []byte) *Upload {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := &attachment{id: e.ids.next(), filename: filename, contentType: contentType, data: append([]byte(nil), data...)}
	e.attachments[a.id] = a
	url := e.srv.URL + "/ephemeral-attachments/" + e.appID + "/" + a.id + "/" + filename
	return &Upload{ID: a.id, Filename: filename, ContentType: contentType, Size: len(data), URL: url, e: e, a: a}
}

// Downloads is how many times the upload's URL was fetched.
func (u *Upload) Downloads() int {
	u.e.mu.Lock()
	defer u.e.mu.Unlock()
	return u.a.downloads
}

// json is the upload as data.resolved.attachments carries it.
func (u *Upload) json() map[string]any {
	return map[string]any{
		"id": u.ID, "filename": u.Filename, "size": u.Size, "url": u.URL, "proxy_url": u.URL,
		"content_type": u.ContentType, "ephemeral": true,
	}
}

// serveCDN serves /attachments/{channel_id}/{attachment_id}/{filename}
// (files the bot uploaded) and /ephemeral-attachments/{application_id}/
// {attachment_id}/{filename} (files users attached to commands), as
// Discord's CDN does: the file's bytes, with its content type and
// length. Only GET and HEAD are served.
func (e *Emulator) serveCDN(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/attachments/"), "/ephemeral-attachments/")
	parts := strings.Split(path, "/")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	e.mu.Lock()
	var a *attachment
	if len(parts) == 3 {
		a = e.attachments[parts[1]]
	}
	if a != nil && a.filename != parts[2] {
		a = nil
	}
	var data []byte
	if a != nil {
		a.downloads++
		data = a.data
	}
	e.mu.Unlock()
	if a == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(data)
}
