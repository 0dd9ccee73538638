package digest_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/figures"
)

// TestRemindersSent: the reminders sent in the period are a
// participation figure under disclosure control, in every format.
func TestRemindersSent(t *testing.T) {
	for _, tc := range []struct {
		period, previous int
		want, change     string
	}{
		{12, 23, "10", "-15"},
		{3, 23, "*", "*"},
		{0, 0, "*", "*"},
		{41, 0, "40", "*"},
	} {
		d := tiny(t, figures.Data{Period: figures.Activity{RemindersSent: tc.period}, Previous: figures.Activity{RemindersSent: tc.previous}}, digest.Options{})
		p := d.Participation
		if got := p.Period.RemindersSent.String(); got != tc.want {
			t.Errorf("%d reminders sent: shown as %s; want %s", tc.period, got, tc.want)
		}
		if got := p.Change.RemindersSent.String(); got != tc.change {
			t.Errorf("%d reminders sent, %d before: change %s; want %s", tc.period, tc.previous, got, tc.change)
		}
		for format, want := range map[string]string{
			"md":   "| Reminders sent | " + tc.want + " |",
			"html": "<tr><td>Reminders sent</td><td>" + tc.want + "</td>",
			"json": `"reminders_sent": `,
		} {
			var buf bytes.Buffer
			if err := d.Render(&buf, format); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), want) {
				t.Errorf("%s digest with %d reminders sent has no %q", format, tc.period, want)
			}
		}
	}
}
