package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Uploads: the files of a multipart request (payload_json and files[n]),
// checked as Discord checks them: at most maxFiles files, each in a part
// named files[0] to files[9] with a file name, together no larger than the
// upload limit, and every new attachment listed in payload_json's
// "attachments" matching an uploaded file.

// errBodyTooLarge is a request body larger than the emulator reads.
var errBodyTooLarge = errors.New("request body too large")

// filesField is the form field of an uploaded file.
var filesField = regexp.MustCompile(`^files\[(\d+)\]$`)

// bodyLimit is the largest request body the emulator reads: the upload
// limit, with room for payload_json and the multipart framing.
func (e *Emulator) bodyLimit() int64 {
	return max(maxBody, e.cfg.uploadLimit+1<<20)
}

// tooLargeReply is Discord's answer to an upload over the limit.
func tooLargeReply() reply {
	return errorReply(http.StatusRequestEntityTooLarge, 40005, "Request entity too large")
}

// uploadTooLarge reports whether the request's files together are over
// the upload limit, recording a limit violation if so: a bot should
// check the size of what it uploads before sending it.
func (e *Emulator) uploadTooLarge(req *apiRequest) bool {
	var total int64
	for _, f := range req.files {
		total += int64(len(f.Data))
	}
	if total <= e.cfg.uploadLimit {
		return false
	}
	req.violate(RuleLimit, fmt.Sprintf("%d bytes of files uploaded; the limit is %d bytes (WithUploadLimit)", total, e.cfg.uploadLimit))
	return true
}

// checkFilePart checks the form field and file name of an uploaded file.
func (req *apiRequest) checkFilePart(field, filename string) {
	m := filesField.FindStringSubmatch(field)
	if m == nil {
		req.violate(RuleLimit, fmt.Sprintf("multipart field %q: files go in fields named files[0] to files[9]", field))
		return
	}
	if n, err := strconv.Atoi(m[1]); err != nil || n >= maxFiles {
		req.violate(RuleLimit, fmt.Sprintf("multipart field %q: files go in fields named files[0] to files[9]", field))
	}
	for _, f := range req.files {
		if f.Field == field {
			req.violate(RuleLimit, fmt.Sprintf("multipart field %q appears twice", field))
		}
	}
	switch {
	case filename == "":
		req.violate(RuleLimit, fmt.Sprintf("multipart field %q has no filename", field))
	case strings.ContainsAny(filename, `/\`):
		req.violate(RuleLimit, fmt.Sprintf("filename %q: a file name, not a path", filename))
	case len(filename) > 1024:
		req.violate(RuleLimit, fmt.Sprintf("filename is %d bytes long", len(filename)))
	}
}

// checkAttachmentRefs checks that each new attachment payload_json lists
// (by a small id, the n of files[n]) has its file. Larger ids are
// existing attachments kept by an edit.
func (req *apiRequest) checkAttachmentRefs() {
	raw, ok := req.fields()["attachments"]
	if !ok {
		return
	}
	var refs []struct {
		ID json.Number `json:"id"`
	}
	if json.Unmarshal(raw, &refs) != nil {
		return // the schema check reports it
	}
	uploaded := map[string]bool{}
	for _, f := range req.files {
		if m := filesField.FindStringSubmatch(f.Field); m != nil {
			uploaded[m[1]] = true
		}
	}
	for i, r := range refs {
		n, err := strconv.Atoi(r.ID.String())
		if err != nil || n >= 1000 { // a snowflake: an attachment kept
			continue
		}
		if !uploaded[r.ID.String()] {
			req.violate(RuleLimit, fmt.Sprintf("at attachments/%d: id %s names files[%s], which was not uploaded", i, r.ID, r.ID))
		}
	}
}
