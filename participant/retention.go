package participant

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/peervoice/peervoice/uitext"
)

// Retention is the study's retention period (retention.*), stated to
// participants with the study information before they consent.
type Retention struct {
	FreeText time.Duration // the words of written answers are deleted this long after; 0: kept
	Answers  time.Duration // whole answers are deleted this long after; 0: kept
}

// Set reports whether any retention period is set.
func (r Retention) Set() bool { return r.FreeText > 0 || r.Answers > 0 }

// Statement is what participants are told of the retention period, in
// lang ("" when none is set).
func (r Retention) Statement(lang string) string {
	var parts []string
	if r.FreeText > 0 && (r.Answers <= 0 || r.FreeText < r.Answers) {
		parts = append(parts, fmt.Sprintf(uitext.T(lang, uitext.RetentionFreeText), period(lang, r.FreeText)))
	}
	if r.Answers > 0 {
		parts = append(parts, fmt.Sprintf(uitext.T(lang, uitext.RetentionAnswers), period(lang, r.Answers)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "- " + strings.Join(parts, " ")
}

// period says a duration in whole years where it is some, else in days
// (rounded up: a period is never stated shorter than it is).
func period(lang string, d time.Duration) string {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	switch {
	case d%year == 0 && d == year:
		return uitext.T(lang, uitext.RetentionOneYear)
	case d%year == 0:
		return fmt.Sprintf(uitext.T(lang, uitext.RetentionYears), d/year)
	}
	days := (d + day - 1) / day
	if days == 1 {
		return uitext.T(lang, uitext.RetentionOneDay)
	}
	return fmt.Sprintf(uitext.T(lang, uitext.RetentionDays), days)
}

// withRetention adds the retention statement to the study information
// in each language of the consent flow, and returns the consent version
// to record: the configured one while no period is set (so consents
// given before stay valid), else that one with a hash of the statement,
// so that setting or changing the period asks everyone to consent again.
func withRetention(info, version string, r Retention) (map[string]string, string) {
	en, cy := info, info
	if info == DefaultStudyInfo {
		cy = DefaultStudyInfoCy
	}
	if !r.Set() {
		return map[string]string{"en": en, "cy": cy}, version
	}
	sen, scy := r.Statement(uitext.English), r.Statement("cy")
	sum := sha256.Sum256([]byte(sen + "\x00" + scy))
	return map[string]string{"en": en + "\n" + sen, "cy": cy + "\n" + scy},
		version + "+retention-" + hex.EncodeToString(sum[:4])
}
