package bot

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestExportSize(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0 bytes"}, {1023, "1023 bytes"}, {1024, "1.0 KB"}, {46285, "45.2 KB"}, {10 << 20, "10.0 MB"}, {12_900_000, "12.3 MB"}} {
		if got := size(tt.n); got != tt.want {
			t.Errorf("size(%d) = %q; want %q", tt.n, got, tt.want)
		}
	}
}

func TestExportName(t *testing.T) {
	now := time.Date(2026, 12, 3, 23, 30, 0, 0, time.FixedZone("UTC-2", -2*3600)) // 4 December in UTC
	for _, tt := range []struct{ format, want string }{
		{ExportXLSX, "peervoice-export-2026-12-04.xlsx"},
		{ExportCSV, "peervoice-export-2026-12-04-csv.zip"},
	} {
		if got := exportName(tt.format, now); got != tt.want {
			t.Errorf("exportName(%q) = %q; want %q", tt.format, got, tt.want)
		}
	}
}

func restError(status, code int) error {
	return &discordgo.RESTError{Response: &http.Response{StatusCode: status}, Message: &discordgo.APIErrorMessage{Code: code}}
}

func TestExportTooLargeAndFix(t *testing.T) {
	for _, tt := range []struct {
		err      error
		tooLarge bool
		fix      string
	}{
		{restError(http.StatusRequestEntityTooLarge, discordgo.ErrCodeRequestEntityTooLarge), true, ""},
		{&discordgo.RESTError{Response: &http.Response{StatusCode: http.StatusRequestEntityTooLarge}}, true, ""}, // a proxy's 413, not JSON
		{restError(http.StatusNotFound, discordgo.ErrCodeUnknownChannel), false, "check discord.research_channel_id"},
		{restError(http.StatusForbidden, discordgo.ErrCodeMissingAccess), false, "View Channel, Send Messages and Attach Files in #research"},
		{restError(http.StatusForbidden, discordgo.ErrCodeMissingPermissions), false, "Send Messages and Attach Files in #research"},
		{errors.New("connection reset"), false, ""},
	} {
		if got := isTooLarge(tt.err); got != tt.tooLarge {
			t.Errorf("isTooLarge(%v) = %v; want %v", tt.err, got, tt.tooLarge)
		}
		_, fix := postProblem(tt.err, "#research")
		if fix != "" {
			fix = exportFix(tt.err, "#research", fix)
		}
		if tt.fix == "" && fix != "" || !strings.Contains(fix, tt.fix) {
			t.Errorf("fix for %v = %q; want %q in it", tt.err, fix, tt.fix)
		}
	}
}
