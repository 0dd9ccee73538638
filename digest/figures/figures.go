// Package figures holds the raw figures of a digest: what the digest asks
// the store to count (Query) and what the store returns (Data). It is
// their one home: store fills these types and digest reads them, so cmd
// passes the store's answer to digest.Build as it is, with no copy into
// mirror types.
//
// The types live in a leaf of their own, importing nothing of PeerVoice,
// so that both sides can import it without bending the dependency rules
// (docs/architecture.md): digest stays pure, with no store or SQL among
// its dependencies, and store, the SQLite edge, takes on no part of the
// digest's rendering or disclosure control, as it would by importing
// digest itself.
//
// The figures are raw: counts of people and answers, never a
// participant's id, pseudonym or time, and not yet protected. digest.Build
// applies disclosure control to every figure before it is published; the
// quotes' text is scrubbed there too.
//
// figures must not import any PeerVoice package, nor discordgo,
// database/sql, the SQLite driver, viper or net/http.
package figures

import "time"

// Window names the span of time a figure covers.
type Window int

// The windows of a digest.
const (
	// WindowPeriod is the digest's period.
	WindowPeriod Window = iota
	// WindowPrevious is the period before it, for changes.
	WindowPrevious
	// WindowTotal is everything before the end of the period.
	WindowTotal
)

// Span is a span of time [From, To). A zero From means from the start.
type Span struct {
	From, To time.Time
}

// QuestionRef names a question of a flow.
type QuestionRef struct {
	FlowID, QuestionID string
}

// Set is a named set of questions: a framework theme's.
type Set struct {
	Name      string
	Questions []QuestionRef
}

// Query says what the digest needs counted.
type Query struct {
	// Period and Previous are the digest's period and the one before.
	// The total window is everything before Period.To.
	Period, Previous Span
	// Demographics are questions whose first chosen option puts a
	// participant in a group (a subgroup the digest compares): their
	// latest answer before Period.To.
	Demographics []QuestionRef
	// Sets, the themes, are counted (answers given, and people who gave
	// them) in the period and the previous one.
	Sets []Set
	// Quotable are questions whose text answers in the period are
	// returned, decrypted, from participants who agreed to be quoted.
	Quotable []QuestionRef
	// Trend, in a monthly digest, are the calendar months of the trend,
	// oldest first, each ending by Period.To; TrendQuestions are the
	// choice and scale questions of the repeating flows they count
	// (Data.Trend). Both are empty in a weekly digest.
	Trend          []Span
	TrendQuestions []QuestionRef
	// PeriodOnly asks for the figures a digest publishes and no more:
	// nothing of the total window (Data.Total, WindowTotal tallies),
	// Versions only for the questions with tallies in the period, the
	// previous one or the trend, and, instead of the total window's
	// tallies, the option ids they would list (Data.Answered). The store
	// then reads the windows' rows and the few it needs from before them,
	// not every answer ever given, so a digest costs the same whatever
	// the size of the study (docs/benchmarks.md). digest.NewQuery sets
	// it.
	PeriodOnly bool
}

// Data holds the raw figures read for a Query.
type Data struct {
	// Period, Previous and Total count activity in each window (Total
	// is left empty for a PeriodOnly query).
	Period, Previous, Total Activity
	// Tallies count people by their answer to each choice, multi and
	// scale question, and by their demographic groups (in the period and
	// the previous one only, for a PeriodOnly query).
	Tallies []Tally
	// GroupSizes count participants (as at the end of the period) by
	// their answers to the demographic questions.
	GroupSizes []GroupSize
	// SetCounts count the answers to each of the query's Sets.
	SetCounts []SetCount
	// Quotes are the quotable text answers of the period.
	Quotes []QuoteText
	// Versions name, for each choice, multi and scale question answered
	// before the end of the period, the flow versions the answers were
	// given on. A question is labelled with the wording of the version
	// its answers were given on, whatever the current flows say; a
	// question missing here is labelled from the newest flow that has it.
	Versions []QuestionVersions
	// Trend counts, for each month of Query.Trend, people by their answer
	// to each of Query.TrendQuestions, exactly as that month's own digest
	// counts its period: each participant taking part once per question,
	// with their latest answer given in the month.
	Trend []TrendTally
	// Answered lists, in a PeriodOnly query, for each question with
	// tallies in the period, the option ids of the answers the total
	// window would count (each participant's latest answer before the
	// end of the period), sorted: the options of versions since changed
	// that the digest lists, without counting everyone who ever answered.
	Answered []QuestionOptions
	// Unreadable counts the quotable text answers of the period left out
	// because they could not be decrypted (a damaged row, or a damaged
	// or missing data key): the digest says so rather than failing.
	Unreadable int
}

// QuestionVersions names the flow versions (by flows.Flow.Version, the
// hash of the source) that a question's answers up to the end of the
// period were given on, the most recently stored first.
type QuestionVersions struct {
	FlowID, QuestionID string
	Versions           []string
}

// QuestionOptions names the option ids answered to a question.
type QuestionOptions struct {
	FlowID, QuestionID string
	Options            []string
}

// Activity counts new participants and sessions in a window.
type Activity struct {
	// NewParticipants were first stored in the window.
	NewParticipants int
	// Flows counts sessions by flow, sorted by flow id.
	Flows []FlowActivity
	// RemindersSent counts the gentle reminders sent in the window to
	// participants who had paused a flow (reminders.*).
	RemindersSent int
}

// FlowActivity counts one flow's sessions in a window.
type FlowActivity struct {
	FlowID string
	// Started in the window; Completed in the window; StartedAndCompleted
	// started in the window and completed before its end.
	Started, Completed, StartedAndCompleted int
	// Partial counts the sessions closed as partial responses in the
	// window (left unfinished longer than sessions.expire_after): their
	// answers count, and they were started but never completed.
	Partial int
}

// Tally is how many people gave one answer to one question in a window,
// within one combination of demographic groups.
type Tally struct {
	Window             Window
	FlowID, QuestionID string
	// Choices is the answer: the option ids chosen, sorted.
	Choices []string
	// Groups holds the people's first chosen option for each of the
	// query's Demographics, in order; "" where they gave none.
	Groups []string
	People int
}

// GroupSize is how many participants have one combination of answers to
// the demographic questions.
type GroupSize struct {
	Groups []string
	People int
}

// SetCount is how many answers (not skipped) were given to a question set
// in a window, and by how many people.
type SetCount struct {
	Window          Window
	Set             string
	Answers, People int
}

// QuoteText is one quotable text answer, decrypted, as written: digest
// scrubs it before it goes into a Digest.
type QuoteText struct {
	// Ref identifies the answer without revealing its session or
	// participant: a keyed hash, stable while the key is.
	Ref                string
	FlowID, QuestionID string
	// FlowVersion is the hash (flows.Flow.Version) of the flow version
	// the answer was given on; the quote is attributed to the question as
	// worded there. Empty or unknown: the newest flow that has it.
	FlowVersion string
	Text        string
	// Groups are the participant's demographic groups, as for tallies.
	Groups []string
}

// TrendTally is how many people gave one answer to one question in one
// month of a trend.
type TrendTally struct {
	// Month indexes Query.Trend.
	Month              int
	FlowID, QuestionID string
	// Choices is the answer: the option ids chosen, sorted.
	Choices []string
	People  int
}
