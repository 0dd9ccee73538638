// Package digest builds PeerVoice's anonymised research digest: what
// participants said in a period, in figures that cannot expose any one of
// them, and renders it as Markdown, JSON or HTML.
//
// The package is pure: NewQuery says what to count, and Build takes the
// raw figures the store counted (figures.Query and figures.Data, the
// types store.DigestData takes and returns, passed through as they are)
// and returns a Digest. Every number in a Digest has gone through the
// disclosure layer (package digest/disclosure): its fields are
// disclosure.Count, disclosure.Percent and disclosure.Change values,
// which cannot hold a raw count, so no renderer can publish one.
//
// Of PeerVoice it imports only flows, digest/disclosure and
// digest/figures: never store, config, SQL, discordgo or viper
// (internal/archtest checks it).
package digest

import (
	"github.com/peervoice/peervoice/digest/disclosure"
)

// OtherGroup is the group small subgroups are merged into.
const OtherGroup = "Other or not stated"

// MaxQuoteLen is the longest quote published, in characters.
const MaxQuoteLen = 280

// Digest is a period's digest. Everything exported in it may be
// published: it marshals to the JSON format as it is.
type Digest struct {
	Period        PeriodInfo    `json:"period"`
	Rules         Rules         `json:"rules"`
	Participation Participation `json:"participation"`
	Themes        []Theme       `json:"themes"`
	Questions     []Question    `json:"questions"`
	Comparisons   []Comparison  `json:"comparisons"`
	// Trends, in a monthly digest, are the repeating flows' choice and
	// scale questions month by month (see Trend).
	Trends []Trend `json:"trends,omitempty"`
	// Quotes are the quotes published: approved by a moderator, or all
	// candidates when approval is off, at most Options.MaxQuotes.
	Quotes []Quote `json:"quotes"`
	// QuotesPending counts the candidates waiting for approval: neither
	// approved nor rejected.
	QuotesPending disclosure.Count `json:"quotes_pending"`
	// HiddenThemes counts the themes left out because none of their
	// figures is published (see hideEmptyRows).
	HiddenThemes int `json:"hidden_themes"`
	// NoAnswers is set when nobody taking part answered anything in the
	// period.
	NoAnswers bool `json:"no_answers"`
	// Notice, when set by the caller, says what to do about an empty
	// period: which period has answers (see EmptyNotice).
	Notice string `json:"notice,omitempty"`
	// Notes explain what was merged, left out or withheld.
	Notes []string `json:"notes"`
	// Unreadable counts the period's quotable answers that could not be
	// decrypted (figures.Data.Unreadable) and are left out; a note says
	// so.
	Unreadable int `json:"unreadable,omitempty"`

	candidates []Quote
}

// Candidates returns every quote candidate of the period, approved or
// not, in a stable order: what the moderators' approval step shows.
func (d *Digest) Candidates() []Quote { return append([]Quote(nil), d.candidates...) }

// PeriodInfo describes the period, to the day.
type PeriodInfo struct {
	Name  string `json:"name"`  // 2026-W47 or 2026-11
	Unit  string `json:"unit"`  // week or month
	Label string `json:"label"` // 16 to 22 November 2026
	First string `json:"first"` // first day, 2026-11-16
	Last  string `json:"last"`  // last day, 2026-11-22
	// ToDate is set, to the last day with data, when the period has not
	// ended: its figures will change.
	ToDate string `json:"to_date,omitempty"`
}

// Rules are the disclosure rules the digest was made with.
type Rules struct {
	MinCount int `json:"min_count"`
	RoundTo  int `json:"round_to"`
	// Legend explains the rules and the marks, in the JSON digest.
	Legend string `json:"legend,omitempty"`
}

// Participation is who took part and how much. A digest has no
// overall (cumulative) figures: one about everyone up to the period's
// end, beside last week's, gives this week's small counts away (see
// docs/security.md, "Across digests"); researchers who need totals have
// the export.
type Participation struct {
	Period   Activity       `json:"period"`
	Previous Activity       `json:"previous"`
	Change   ActivityChange `json:"change"`
}

// Activity is participation in one window.
type Activity struct {
	NewParticipants disclosure.Count `json:"new_participants"`
	FlowsStarted    disclosure.Count `json:"flows_started"`
	FlowsCompleted  disclosure.Count `json:"flows_completed"`
	// FlowsPartial counts the flows closed in the window as partial
	// responses: left unfinished longer than sessions.expire_after, their
	// answers kept and counted. A partial is started, never completed, so
	// it lowers the completion rate of the window it was started in.
	FlowsPartial disclosure.Count `json:"flows_partial"`
	// CompletionRate is the share of flows started in the window that
	// were completed by its end.
	CompletionRate disclosure.Percent `json:"completion_rate"`
	// RemindersSent counts the gentle reminders sent in the window to
	// participants who had paused a flow (counts only: whom is never
	// known to the digest).
	RemindersSent disclosure.Count `json:"reminders_sent"`
}

// ActivityChange is the change in participation from the previous
// period, from the published figures.
type ActivityChange struct {
	NewParticipants disclosure.Change `json:"new_participants"`
	FlowsStarted    disclosure.Change `json:"flows_started"`
	FlowsCompleted  disclosure.Change `json:"flows_completed"`
	FlowsPartial    disclosure.Change `json:"flows_partial"`
	CompletionRate  disclosure.Change `json:"completion_rate_points"`
	RemindersSent   disclosure.Change `json:"reminders_sent"`
}

// Theme is one framework theme's line: answers touching it.
type Theme struct {
	Name    string            `json:"name"`
	Answers disclosure.Count  `json:"answers"`
	Change  disclosure.Change `json:"change"`
}

// Question summarises the answers to one choice, multi or scale question
// answered in the period.
type Question struct {
	FlowID     string `json:"flow"`
	FlowTitle  string `json:"flow_title"`
	QuestionID string `json:"question"`
	// Prompt is the wording of the most recently stored flow version the
	// answers were given on; OtherWordings are the other wordings they
	// were given to, if the question was reworded.
	Prompt        string   `json:"prompt"`
	OtherWordings []string `json:"other_wordings,omitempty"`
	Type          string   `json:"type"`
	Theme         string   `json:"theme"`
	// Period is the distribution in the period; Change is from the
	// previous period's.
	Period Distribution       `json:"period"`
	Change DistributionChange `json:"change"`
	// Hidden counts the options left out because none of their figures
	// is published; the options of Period and Change are the same
	// others, in the same order.
	Hidden int `json:"hidden_options"`
}

// Distribution is how many people chose each option. Percentages are of
// the people who answered (for multi questions they add up to more than
// 100%). Shown is false where fewer than k answered, all gave the same
// answer, or (for a question with one answer each) the respondents and
// the shown counts, added up, would pin a withheld count: then every
// option's figures are "*".
type Distribution struct {
	Respondents disclosure.Count `json:"respondents"`
	Shown       bool             `json:"shown"`
	Options     []Share          `json:"options"`
}

// Share is an option's count and percentage.
type Share struct {
	ID      string             `json:"id"`
	Label   string             `json:"label"`
	Count   disclosure.Count   `json:"count"`
	Percent disclosure.Percent `json:"percent"`
}

// DistributionChange is the change from the previous period.
type DistributionChange struct {
	Respondents disclosure.Change `json:"respondents"`
	Options     []ShareChange     `json:"options"`
}

// ShareChange is an option's change in count and in percentage points.
type ShareChange struct {
	ID     string            `json:"id"`
	Count  disclosure.Change `json:"count"`
	Points disclosure.Change `json:"points"`
}

// Comparison compares subgroups' answers to one question in the period.
type Comparison struct {
	// Demographic names what the groups are by, e.g. "Gender".
	Demographic string `json:"demographic"`
	FlowID      string `json:"flow"`
	FlowTitle   string `json:"flow_title"`
	QuestionID  string `json:"question"`
	Prompt      string `json:"prompt"`
	// Options are the question's options, in order, for the columns.
	Options []Option   `json:"options"`
	Groups  []GroupRow `json:"groups"`
	// Merged is set when groups were merged into OtherGroup or left out.
	Merged bool `json:"merged"`
	// HiddenGroups name the groups left out because none of their shares
	// is published.
	HiddenGroups []string `json:"hidden_groups,omitempty"`
}

// Option is an option's id and label.
type Option struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// GroupRow is one group's answers.
type GroupRow struct {
	Name        string           `json:"name"`
	Respondents disclosure.Count `json:"respondents"`
	Shares      []Share          `json:"shares"`
}

// Quote is a candidate quote: scrubbed, at most MaxQuoteLen characters.
type Quote struct {
	// ID is stable for the same answer and text; a changed answer, or a
	// change in scrubbing, gives a new id that needs a new approval.
	ID        string `json:"id"`
	Text      string `json:"text"`
	FlowTitle string `json:"flow_title"`
	Prompt    string `json:"prompt"`
	// Label names the speaker's groups, only those with at least k
	// participants (together); "" when none can be named.
	Label    string `json:"label,omitempty"`
	Approved bool   `json:"approved"`
}
