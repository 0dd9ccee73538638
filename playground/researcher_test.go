package playground_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/peervoice/peervoice/playground"
)

// fill presses "Fill with sample answers" and waits for the digest.
func (e *env) fill() {
	e.t.Helper()
	e.open("/researcher")
	e.run(chromedp.Click(chromedp.CSS(`form[action="researcher/fill"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.status`)))
}

// TestResearcherSeesDigestCharts: sample participants, made through the
// participant service, fill the digest, whose charts are embedded PNGs
// with text alternatives; some figures are held back by disclosure
// control; and the export downloads, without the participants' ids.
func TestResearcherSeesDigestCharts(t *testing.T) {
	e := newEnv(t, "")
	e.open("/researcher")
	if n := eval[int](e, `document.querySelectorAll(".digest img").length`); n != 0 {
		t.Errorf("an empty database's digest has %d charts; want none", n)
	}
	e.fill()
	type img struct{ Src, Alt string }
	imgs := eval[[]img](e, `[...document.querySelectorAll(".digest img")].map(i => ({Src: i.getAttribute("src").slice(0, 40), Alt: i.alt}))`)
	if len(imgs) < 3 {
		t.Fatalf("%d charts in the digest of %d participants; want several", len(imgs), playground.SampleParticipants)
	}
	held := false
	for _, im := range imgs {
		if !strings.HasPrefix(im.Src, "data:image/png;base64,") {
			t.Errorf("chart src %q; want an embedded PNG", im.Src)
		}
		if len(im.Alt) < 20 {
			t.Errorf("chart alt %q; want a text alternative saying what it shows", im.Alt)
		}
		held = held || strings.Contains(im.Alt, "not shown")
	}
	if !held {
		t.Errorf("no chart says an answer is held back by disclosure control; alts: %v", imgs)
	}
	if got := e.pageText(); !strings.Contains(got, fmt.Sprintf("Added %d sample participants", playground.SampleParticipants)) {
		t.Errorf("the page does not say the participants were added:\n%.500s", got)
	}
	e.screenshot("researcher", ".digest figure")

	res, err := http.Get(e.base + "/researcher/export.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %s, %q", res.Status, res.Header.Get("Content-Disposition"))
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("export is no zip: %v", err)
	}
	var answers [][]string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(b, []byte("sample-1-")) {
			t.Errorf("%s holds a participant's platform id (sample-1-…); want pseudonyms only", f.Name)
		}
		if f.Name == "answers.csv" {
			answers, err = csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatalf("answers.csv: %v", err)
			}
		}
	}
	if len(answers) < playground.SampleParticipants {
		t.Errorf("answers.csv has %d rows; want at least one a sample participant", len(answers))
	}
}

// TestAssetsAreTheirOwn: every view loads only the playground's own
// assets (relative addresses, or data: images), so it makes no request
// elsewhere and works offline.
func TestAssetsAreTheirOwn(t *testing.T) {
	e := newEnv(t, "")
	e.fill()
	for _, view := range []string{"/", "/moderator", "/researcher"} {
		e.open(view)
		refs := eval[[]string](e, `[...document.querySelectorAll("script[src]")].map(n => n.getAttribute("src"))
			.concat([...document.querySelectorAll("link[href]")].map(n => n.getAttribute("href")))
			.concat([...document.querySelectorAll("img[src]")].map(n => n.getAttribute("src").slice(0, 30)))`)
		if len(refs) < 3 {
			t.Errorf("%s: %d assets found (%q); want the stylesheet and scripts at least", view, len(refs), refs)
		}
		for _, r := range refs {
			if strings.HasPrefix(r, "data:image/png;base64,") {
				continue
			}
			if strings.Contains(r, ":") || strings.HasPrefix(r, "/") {
				t.Errorf("%s loads %q; want only relative addresses of its own", view, r)
			}
		}
	}
	// And those assets are served (embedded in the binary).
	for _, a := range []string{"/static/htmx.min.js", "/static/playground.js", "/static/playground.css"} {
		res, err := http.Get(e.base + a)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", a, res.Status)
		}
	}
}
