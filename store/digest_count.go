package store

import (
	"context"
	"database/sql"
	"slices"

	"github.com/peervoice/peervoice/digest/figures"
)

// digestCounter counts the digest's raw figures in one pass over the answers.
// It keeps one small record per participant and session taking part,
// and one per answer to a choice question until the participants'
// groups are known; nothing of it leaves the store but the counts.
type digestCounter struct {
	q figures.Query
	// lo and hi bound each window as stored times; "" is the start.
	lo, hi [3]string

	people   map[int64]*digestPerson
	sessions map[string]digestSession

	// Questions are interned: qid[flow][question] is an index into refs.
	qid  map[string]map[string]int
	refs []figures.QuestionRef
	// sets[i] lists the question sets question i belongs to; demo[i] is
	// its position in q.Demographics, or -1.
	sets [][]int
	demo []int
	// answers are interned: choice maps a stored choices JSON, and the
	// sorted option ids joined after a NUL, to an index into answers.
	choice  map[string]int
	answers [][]string

	rows   []digestRow
	latest map[digestLatestKey]digestLatest // answers of participants with several sessions of a flow

	// versions[i] lists the flow versions question i's choice answers
	// were given on, as indexes into versionIDs.
	versions   [][]int
	versionOf  map[string]int
	versionIDs []string
	// lastVersion caches the last version seen: a session's answers,
	// streamed together, share one.
	lastVersion      []byte
	lastVersionIndex int

	setAnswers [2][]int                // by window (period, previous) and set
	setPeople  [2][]map[int64]struct{} // ditto

	activity [3]map[string]*figures.FlowActivity // by window and flow

	// The trend's months as stored times, the questions it counts
	// (trendQ[i] for question i), and each participant's latest answer
	// to each in each month (digest_trend.go).
	trendLo, trendHi []string
	trendQ           map[int]bool
	trendLatest      map[digestTrendKey]digestLatest

	// known is set when the participants come from the state migration
	// 015 keeps (digest_people.go); their groups are then known already.
	known *digestKnown
}

// digestPerson is a participant taking part.
type digestPerson struct {
	created string
	quotes  bool
	// groups[i] and groupAt[i] are the latest answer to Demographics[i]
	// and when it was given.
	groups, groupAt []string
	combo           int // index of groups among the combinations seen, after the stream
}

// digestSession is a session of a participant taking part.
type digestSession struct {
	pid  int64
	flow int32
	// several is set when the participant has more than one session of
	// the flow, so their answers to a question may need deduplicating.
	several bool
}

// digestRow is one answer to a choice question, from a participant with
// one session of its flow.
type digestRow struct {
	pid      int64
	question int32
	answer   int32
	windows  uint8 // bit w is set when the answer is in window w
}

type digestLatestKey struct {
	pid      int64
	question int
	window   figures.Window
}

type digestLatest struct {
	at     string
	answer int
}

func newDigestCounter(q figures.Query) *digestCounter {
	c := &digestCounter{
		q:         q,
		people:    map[int64]*digestPerson{},
		sessions:  map[string]digestSession{},
		qid:       map[string]map[string]int{},
		choice:    map[string]int{},
		latest:    map[digestLatestKey]digestLatest{},
		versionOf: map[string]int{},
	}
	for w, s := range [3]figures.Span{q.Period, q.Previous, {To: q.Period.To}} {
		c.lo[w], c.hi[w] = spanStart(s), ""
		if !s.To.IsZero() {
			c.hi[w] = formatTime(s.To)
		}
	}
	for i, d := range q.Demographics {
		c.demo[c.intern(d)] = i
	}
	c.trendSetup()
	for i, set := range q.Sets {
		for _, r := range set.Questions {
			n := c.intern(r)
			if !slices.Contains(c.sets[n], i) {
				c.sets[n] = append(c.sets[n], i)
			}
		}
	}
	for w := range c.setAnswers {
		c.setAnswers[w] = make([]int, len(q.Sets))
		c.setPeople[w] = make([]map[int64]struct{}, len(q.Sets))
		for i := range q.Sets {
			c.setPeople[w][i] = map[int64]struct{}{}
		}
	}
	return c
}

// windows is how many windows are counted: the period and the previous
// one, and the total window unless the query is PeriodOnly.
func (c *digestCounter) windows() figures.Window {
	if c.q.PeriodOnly {
		return figures.WindowTotal
	}
	return 3
}

// spanStart formats the start of a span; "" is before every stored time.
func spanStart(s figures.Span) string {
	if s.From.IsZero() {
		return ""
	}
	return formatTime(s.From)
}

// in reports whether the stored time at is in window w.
func (c *digestCounter) in(w figures.Window, at string) bool {
	return c.hi[w] != "" && at >= c.lo[w] && at < c.hi[w]
}

// intern returns the index of a question, adding it if new.
func (c *digestCounter) intern(r figures.QuestionRef) int {
	byQ := c.qid[r.FlowID]
	if byQ == nil {
		byQ = map[string]int{}
		c.qid[r.FlowID] = byQ
	}
	if n, ok := byQ[r.QuestionID]; ok {
		return n
	}
	n := len(c.refs)
	byQ[r.QuestionID] = n
	c.refs = append(c.refs, r)
	c.sets = append(c.sets, nil)
	c.demo = append(c.demo, -1)
	c.versions = append(c.versions, nil)
	return n
}

// loadParticipants reads the participants whose latest consent is to
// take part.
func (c *digestCounter) loadParticipants(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.created_at, c.quotes
		FROM participants p JOIN consents c ON c.participant_id = p.id
		WHERE c.id = (SELECT MAX(id) FROM consents WHERE participant_id = p.id) AND c.take_part = 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p := &digestPerson{groups: make([]string, len(c.q.Demographics)), groupAt: make([]string, len(c.q.Demographics))}
		var id int64
		if err := rows.Scan(&id, &p.created, &p.quotes); err != nil {
			return err
		}
		c.people[id] = p
	}
	return rows.Err()
}

// loadSessions reads the sessions of participants taking part, started
// before the end of the period, and counts them.
func (c *digestCounter) loadSessions(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, participant_id, flow_id, status = 'done', started_at, updated_at,
			COALESCE(expired_at, '')
		FROM sessions WHERE started_at < ?`, c.hi[figures.WindowTotal])
	if err != nil {
		return err
	}
	defer rows.Close()
	type pidFlow struct {
		pid  int64
		flow int
	}
	count := map[pidFlow]int{}
	flowOf := map[string]int{} // interned flow ids
	var flowIDs []string
	var id, flow, started, updated, expired sql.RawBytes
	var pid int64
	var done bool
	for rows.Next() {
		if err := rows.Scan(&id, &pid, &flow, &done, &started, &updated, &expired); err != nil {
			return err
		}
		if c.people[pid] == nil {
			continue
		}
		f, ok := flowOf[string(flow)]
		if !ok {
			f = len(flowIDs)
			flowOf[string(flow)] = f
			flowIDs = append(flowIDs, string(flow))
		}
		c.sessions[string(id)] = digestSession{pid: pid, flow: int32(f)}
		count[pidFlow{pid, f}]++
		c.countSession(flowIDs[f], done, string(started), string(updated), string(expired))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for id, s := range c.sessions {
		if count[pidFlow{s.pid, int(s.flow)}] > 1 {
			s.several = true
			c.sessions[id] = s
		}
	}
	return nil
}

// countSession counts a session in the activity of each window. An
// expired session (expired is when it was closed, "" for others) is a
// partial response: started, never completed.
func (c *digestCounter) countSession(flow string, done bool, started, updated, expired string) {
	for w := range c.windows() {
		if c.hi[w] == "" {
			continue
		}
		if c.activity[w] == nil {
			c.activity[w] = map[string]*figures.FlowActivity{}
		}
		a := c.activity[w][flow]
		if a == nil {
			a = &figures.FlowActivity{FlowID: flow}
			c.activity[w][flow] = a
		}
		if started >= c.lo[w] && started < c.hi[w] {
			a.Started++
			if done && updated < c.hi[w] {
				a.StartedAndCompleted++
			}
		}
		if done && updated >= c.lo[w] && updated < c.hi[w] {
			a.Completed++
		}
		if expired != "" && expired >= c.lo[w] && expired < c.hi[w] {
			a.Partial++
		}
	}
}

// streamAnswers reads every answer before the end of the period once,
// in the order stored (the table's, never an index's: a later answer
// given at the same time wins):
// answers to choice questions for the tallies and the groups, and, in
// the period and the one before, every answer for the question sets.
func (c *digestCounter) streamAnswers(ctx context.Context, tx *sql.Tx) error {
	since := min(c.lo[figures.WindowPeriod], c.lo[figures.WindowPrevious])
	if c.hi[figures.WindowPrevious] == "" {
		since = c.lo[figures.WindowPeriod]
	}
	rows, err := tx.QueryContext(ctx, `SELECT session_id, flow_id, question_id, answered_at,
			CASE WHEN choices IS NOT NULL AND kind IN ('choice', 'multi', 'scale') THEN choices END, flow_version
		FROM answers NOT INDEXED
		WHERE answered_at < ? AND skipped = 0
			AND ((choices IS NOT NULL AND kind IN ('choice', 'multi', 'scale')) OR answered_at >= ?)`,
		c.hi[figures.WindowTotal], since)
	if err != nil {
		return err
	}
	defer rows.Close()
	return c.stream(rows)
}

// stream counts the answers of rows (session id, flow id, question id,
// time, choices of a choice answer or NULL, flow version or NULL, not to
// note it), in the order
// they come: a later answer given at the same time wins.
func (c *digestCounter) stream(rows *sql.Rows) error {
	var sid, flow, qid, at, choices, version sql.RawBytes
	// A session's answers tend to be stored together: remember the last.
	var lastID string
	var last digestSession
	var lastOK bool
	for rows.Next() {
		if err := rows.Scan(&sid, &flow, &qid, &at, &choices, &version); err != nil {
			return err
		}
		if string(sid) != lastID {
			lastID = string(sid)
			last, lastOK = c.sessions[lastID]
		}
		s, ok := last, lastOK
		if !ok {
			continue
		}
		q, ok := c.qid[string(flow)][string(qid)]
		if !ok {
			q = c.intern(figures.QuestionRef{FlowID: string(flow), QuestionID: string(qid)})
		}
		if choices != nil && version != nil {
			c.noteVersion(q, version)
		}
		if err := c.add(s, q, string(at), choices); err != nil {
			return err
		}
	}
	return rows.Err()
}

// add counts one answer. choices is nil unless it answers a choice
// question.
func (c *digestCounter) add(s digestSession, q int, at string, choices []byte) error {
	var windows uint8
	for w := range c.windows() {
		if c.in(w, at) {
			windows |= 1 << w
		}
	}
	for w := range c.setAnswers {
		if windows&(1<<w) == 0 {
			continue
		}
		for _, set := range c.sets[q] {
			c.setAnswers[w][set]++
			c.setPeople[w][set][s.pid] = struct{}{}
		}
	}
	if choices == nil {
		return nil
	}
	a, err := c.answerOf(q, choices)
	if err != nil {
		return err
	}
	c.trendAdd(s, q, at, a)
	c.groupAdd(s.pid, q, at, a, choices)
	if !s.several {
		c.rows = append(c.rows, digestRow{pid: s.pid, question: int32(q), answer: int32(a), windows: windows})
		return nil
	}
	for w := range c.windows() {
		if windows&(1<<w) == 0 {
			continue
		}
		k := digestLatestKey{s.pid, q, w}
		if old, ok := c.latest[k]; !ok || at >= old.at {
			c.latest[k] = digestLatest{at: at, answer: a}
		}
	}
	return nil
}
