package export_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil"
	"github.com/peervoice/peervoice/participant"
)

// Raw Discord ids of the people in the scenario.
const (
	aliceID = "123456789012345678"
	bobID   = "223456789012345678"
	carolID = "323456789012345678"
	daveID  = "423456789012345678"
)

const aliceWords = "My email is alice@example.com, ring 07700 900123, or @alice_r. Recovery is living my own life."

// scenario stores four participants: alice and bob take part, carol
// withdraws, and dave declines when the consent changes.
func scenario(t *testing.T) *env {
	e := newEnv(t)
	e.answers(user(aliceID), "yes",
		flows.Typed(aliceWords), choose("a"), flows.Typed("ok"), choose("peer_support", "walking"), choose("agree"),
		flows.Typed(`=WEBSERVICE(A1)&"x"`), flows.Typed("12"))
	e.answers(user(bobID), "no",
		flows.Typed("Being listened to"), flows.Input{Kind: flows.Skip}, flows.Typed("ok"), choose("medication"),
		flows.Input{Kind: flows.Skip}, flows.Typed("3"))
	e.answers(user(carolID), "yes", flows.Typed("carol's own words, to be withdrawn"))
	if found, err := e.svc.Withdraw(ctx, user(carolID)); err != nil || !found {
		t.Fatalf("Withdraw(carol) = %v, %v", found, err)
	}
	e.answers(user(daveID), "yes", flows.Typed("dave's words, consent later declined"))
	e.service("2")
	e.now = e.now.Add(time.Second)
	if _, err := e.svc.Begin(ctx, user(daveID), "study", ""); err != nil {
		t.Fatal(err)
	}
	if r, err := e.svc.Input(ctx, user(daveID), participant.Step{Input: choose("no")}); err != nil || !r.Declined {
		t.Fatalf("dave declining: %+v, %v", r, err)
	}
	return e
}

func TestCSV(t *testing.T) {
	e := scenario(t)
	files, _, sum := e.csvExport(export.Options{})
	if want := (export.Summary{Participants: 2, Answers: 11, LeftOut: 1, Scrubbed: true}); sum != want {
		t.Errorf("Summary = %+v; want %+v", sum, want)
	}
	answers := files["answers.csv"]
	wantHeader := "participant,flow,flow_version,question,theme,type,answer,answer_ids,skipped,may_quote,date,response,wave"
	if got := strings.Join(answers[0], ","); got != wantHeader {
		t.Fatalf("answers.csv header = %s; want %s", got, wantHeader)
	}
	version := e.cat.Flows()[0].Version
	alice, bob := codeWith(t, answers, "Recovery is living"), codeWith(t, answers, "Being listened to")
	want := [][]string{
		{alice, "study", version, "words", "Recovery", "text", "My email is [email], ring [phone], or [handle]. Recovery is living my own life.", "", "", "yes", "2026-03-02", "complete", "1"},
		{alice, "study", version, "pick", "Recovery", "choice", "Option A", "a", "", "", "2026-03-02", "complete", "1"},
		{alice, "study", version, "many", "Support", "multi", "Peer support; Walking", "peer_support; walking", "", "", "2026-03-02", "complete", "1"},
		{alice, "study", version, "agree", "Support", "scale", "Agree", "agree", "", "", "2026-03-02", "complete", "1"},
		{alice, "study", version, "private", "Support", "text", `'=WEBSERVICE(A1)&"x"`, "", "", "no", "2026-03-02", "complete", "1"},
		{alice, "study", version, "years", "Recovery", "number", "12", "", "", "", "2026-03-02", "complete", "1"},
		{bob, "study", version, "words", "Recovery", "text", "Being listened to", "", "", "no", "2026-03-02", "complete", "1"},
		{bob, "study", version, "pick", "Recovery", "choice", "", "", "yes", "", "2026-03-02", "complete", "1"},
		{bob, "study", version, "many", "Support", "multi", "Medication", "medication", "", "", "2026-03-02", "complete", "1"},
		{bob, "study", version, "agree", "Support", "scale", "", "", "yes", "", "2026-03-02", "complete", "1"},
		{bob, "study", version, "years", "Recovery", "number", "3", "", "", "", "2026-03-02", "complete", "1"},
	}
	byCode(want)
	if len(answers)-1 != len(want) {
		t.Fatalf("answers.csv has %d rows; want %d:\n%q", len(answers)-1, len(want), answers)
	}
	for i, w := range want {
		if got := answers[i+1]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("answers.csv row %d =\n%q; want\n%q", i+1, got, w)
		}
	}

	fw := files["framework-matrix.csv"]
	if got := strings.Join(fw[0], ","); got != "participant,may_quote,Recovery,Support,wave" {
		t.Errorf("framework-matrix.csv header = %s", got)
	}
	wantFW := [][]string{
		{alice, "yes",
			"study/words: My email is [email], ring [phone], or [handle]. Recovery is living my own life.\nstudy/pick: Option A\nstudy/years: 12",
			"study/many: Peer support; Walking\nstudy/agree: Agree\nstudy/private: =WEBSERVICE(A1)&\"x\"", "1"},
		{bob, "no", "study/words: Being listened to\nstudy/years: 3", "study/many: Medication", "1"},
	}
	byCode(wantFW)
	if len(fw) != 3 {
		t.Fatalf("framework-matrix.csv has %d rows; want 2 participants:\n%q", len(fw)-1, fw)
	}
	for i, w := range wantFW {
		if got := fw[i+1]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("framework-matrix.csv row %d =\n%q; want\n%q", i+1, got, w)
		}
	}

	cb := files["codebook.csv"]
	wantCB := "flow,flow_title,flow_version,version_date,position,question,type,prompt,options,scale,theme,quotable,asked_when,answers"
	if got := strings.Join(cb[0], ","); got != wantCB {
		t.Errorf("codebook.csv header = %s; want %s", got, wantCB)
	}
	var questions []string
	for _, r := range cb[1:] {
		questions = append(questions, r[4]+":"+r[5]+":"+r[13])
	}
	if got, want := strings.Join(questions, " "), "1:words:2 2:pick:2 4:many:2 5:agree:2 6:private:1 7:years:2"; got != want {
		t.Errorf("codebook position:question:answers = %s; want %s (no info step, no consent flow)", got, want)
	}
	many := cb[3]
	if many[8] != "peer_support = Peer support; walking = Walking; medication = Medication" || many[10] != "Support" || many[6] != "multi" {
		t.Errorf("codebook row for many = %q", many)
	}
	agree := cb[4]
	if agree[9] != "agree5" || !strings.Contains(agree[8], "strongly_agree = Strongly agree") || agree[3] != "2026-03-02" {
		t.Errorf("codebook row for agree = %q", agree)
	}
	if private := cb[5]; private[12] != "agree != nil" || private[11] != "no" {
		t.Errorf("codebook row for private = %q", private)
	}

	about := map[string]string{}
	for _, r := range files["about.csv"][1:] {
		about[r[0]] = r[1]
	}
	if about["Participants"] != "2" || about["Answers"] != "11" || about["Exported"] == "" ||
		!strings.HasPrefix(about["Free text"], "Scrubbed") || !strings.Contains(about["Left out"], "1 participant") {
		t.Errorf("about.csv = %q", about)
	}
}

// TestPrivacy checks that neither format carries raw ids, pseudonyms,
// session ids, times, the personal details in free text, or anything of
// the participants who withdrew or declined.
func TestPrivacy(t *testing.T) {
	e := scenario(t)
	_, raw, _ := e.csvExport(export.Options{})
	var csvText strings.Builder
	for _, s := range raw {
		csvText.WriteString(s)
	}
	book, _ := e.xlsxExport(export.Options{})
	forbidden := []string{
		"alice@example.com", "07700 900123", "@alice_r", "carol", "dave", "10:00:",
	}
	for _, id := range []string{aliceID, bobID, carolID, daveID} {
		forbidden = append(forbidden, id, e.db.Pseudonym("discord", id))
	}
	rows, err := e.db.Stats(ctx)
	if err != nil || rows.Sessions == 0 {
		t.Fatalf("Stats() = %+v, %v", rows, err)
	}
	forbidden = append(forbidden, sessionIDs(t, e)...)
	for name, text := range map[string]string{"CSV": csvText.String(), "XLSX": testutil.UnzipText(t, book)} {
		for _, f := range forbidden {
			if strings.Contains(text, f) {
				t.Errorf("the %s export contains %q", name, f)
			}
		}
		// The About table's example code aside.
		if codes := codeRE.FindAllString(strings.ReplaceAll(text, "P-7K3QX-M2D9A", ""), -1); len(distinct(codes)) != 2 {
			t.Errorf("the %s export has codes %v; want alice's and bob's alone (carol withdrew, dave declined)", name, distinct(codes))
		}
		if hmac := regexp.MustCompile(`[0-9a-f]{64}`).FindString(text); hmac != "" {
			t.Errorf("the %s export contains a 64-hex value %s", name, hmac)
		}
	}
	if times := regexp.MustCompile(`\d\d:\d\d`).FindAllString(csvText.String(), -1); len(times) > 0 {
		t.Errorf("the CSV export contains times %q", times)
	}
}

// sessionIDs returns the ids of every stored session.
func sessionIDs(t *testing.T, e *env) []string {
	t.Helper()
	var ids []string
	for _, id := range []string{aliceID, bobID, daveID} {
		p, err := e.db.FindParticipant(ctx, e.db.Pseudonym("discord", id))
		if err != nil {
			t.Fatal(err)
		}
		ss, err := e.db.Sessions(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func TestUnscrubbed(t *testing.T) {
	e := scenario(t)
	files, _, sum := e.csvExport(export.Options{Unscrubbed: true})
	if sum.Scrubbed {
		t.Errorf("Summary.Scrubbed = true with Unscrubbed")
	}
	if got := answerOf(t, files["answers.csv"], "Recovery is living"); got != aliceWords {
		t.Errorf("unscrubbed answer = %q; want %q", got, aliceWords)
	}
	about := files["about.csv"]
	for _, r := range about {
		if r[0] == "Free text" && !strings.HasPrefix(r[1], "NOT SCRUBBED") {
			t.Errorf("about.csv says %q about free text; want a warning", r[1])
		}
	}
	// Names from the configuration are scrubbed too.
	files, _, _ = e.csvExport(export.Options{Scrubber: scrubWithNames("Being")})
	if got := answerOf(t, files["answers.csv"], "listened to"); got != "[name] listened to" {
		t.Errorf("answer with a configured name = %q", got)
	}
}

// TestXLSX checks the workbook opens, has the four sheets in order, and
// holds what the CSV files hold.
func TestXLSX(t *testing.T) {
	e := scenario(t)
	dir := t.TempDir()
	files, _, _ := e.csvExport(export.Options{})
	var progress []export.Progress
	book, sum := e.xlsxExport(export.Options{Progress: func(p export.Progress) { progress = append(progress, p) }})
	if sum.Participants != 2 || sum.Answers != 11 {
		t.Errorf("Summary = %+v", sum)
	}
	names, sheets := sheets(t, book)
	if got := strings.Join(names, ","); got != "Answers,Framework matrix,Codebook,About" {
		t.Errorf("sheets = %s", got)
	}
	for sheet, file := range map[string]string{"Answers": "answers.csv", "Framework matrix": "framework-matrix.csv", "Codebook": "codebook.csv"} {
		got, want := sheets[sheet], files[file]
		if len(got) != len(want) {
			t.Errorf("sheet %s has %d rows; %s has %d", sheet, len(got), file, len(want))
			continue
		}
		for i := range want {
			g := append(got[i], make([]string, len(want[i])-len(got[i]))...) // GetRows drops empty cells at the end
			if strings.Join(g, "|") != strings.Join(want[i], "|") {
				t.Errorf("sheet %s row %d =\n%q; %s has\n%q", sheet, i+1, g, file, want[i])
			}
		}
	}
	if len(progress) == 0 || !progress[len(progress)-1].Finishing || progress[len(progress)-1].Done != progress[len(progress)-1].Total {
		t.Errorf("progress = %+v; want it to end finishing, with every answer done", progress)
	}
	if leftover := tempFiles(t, dir); len(leftover) > 0 {
		t.Errorf("temporary files left: %v", leftover)
	}
}

// TestCodesStable checks that a participant keeps their code when one
// before them withdraws and when others join, from one export to the next.
func TestCodesStable(t *testing.T) {
	e := scenario(t)
	before, _, _ := e.csvExport(export.Options{})
	bob := codeWith(t, before["answers.csv"], "Being listened to")
	if _, err := e.svc.Withdraw(ctx, user(aliceID)); err != nil {
		t.Fatal(err)
	}
	e.answers(user("523456789012345678"), "yes", flows.Typed("a newcomer's words"))
	after, _, sum := e.csvExport(export.Options{})
	if sum.Participants != 2 {
		t.Fatalf("after alice withdrew and erin joined: %d participants; want 2", sum.Participants)
	}
	var bobBefore []string
	for _, r := range before["answers.csv"] {
		if r[0] == bob {
			bobBefore = append(bobBefore, strings.Join(r, "|"))
		}
	}
	var bobAfter []string
	for _, r := range after["answers.csv"][1:] {
		if r[0] == bob {
			bobAfter = append(bobAfter, strings.Join(r, "|"))
		}
	}
	if len(bobBefore) == 0 || strings.Join(bobBefore, "\n") != strings.Join(bobAfter, "\n") {
		t.Errorf("bob's rows changed when alice withdrew and erin joined:\nbefore\n%s\nafter\n%s", strings.Join(bobBefore, "\n"), strings.Join(bobAfter, "\n"))
	}
	again, _, _ := e.csvExport(export.Options{})
	if got, want := again["framework-matrix.csv"], after["framework-matrix.csv"]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("two exports of one database differ:\n%q\n%q", got, want)
	}
}

// TestCode checks the documented form of a code: P and two groups of five
// characters of Crockford base 32, the first 50 bits of the tag.
func TestCode(t *testing.T) {
	for _, c := range []struct {
		tag  []byte
		want string
	}{
		{make([]byte, 32), "P-00000-00000"},
		{bytes.Repeat([]byte{0xff}, 32), "P-ZZZZZ-ZZZZZ"},
		// 0x08 0x42 0x10 0x84 0x21 0x08: 00001 00001 00001 ... in groups of five bits
		{append([]byte{0x08, 0x42, 0x10, 0x84, 0x21, 0x08, 0x42}, make([]byte, 25)...), "P-11111-11111"},
		// values 18-22 and 27-31: no I, L, O or U in the alphabet
		{append([]byte{0x94, 0xe9, 0x5b, 0x6f, 0x9d, 0xf7, 0xc0}, make([]byte, 25)...), "P-JKMNP-VWXYZ"},
	} {
		if got := export.Code(c.tag); got != c.want || !codeRE.MatchString(got) {
			t.Errorf("Code(%x) = %q; want %q", c.tag, got, c.want)
		}
	}
}
