package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/peervoice/peervoice/digest/figures"
)

// A PeriodOnly digest takes the participants' state from the tables
// migration 015's triggers keep (digest_people, digest_groups,
// digest_group_counts): who takes part and may be quoted, their groups,
// how many are in each combination. That state is as of now; the
// digest's groups are as of the end of its period, so whoever's state
// changed after it (a demographic answer given, or its session started,
// from then on: digest_groups.valid_from; or created from then on) is
// worked out again from their answers, as the full scan would (regroup).
// A digest soon after its period has few of them, so it reads only the
// windows' participants and the few changed since, whatever the size
// of the study.

// digestKnown is what the maintained state gave a digest.
type digestKnown struct {
	newPeople [2]int // participants taking part created in the period, the previous one
	sizes     []figures.GroupSize
	// part caches whether participants outside the windows take part.
	part map[int64]bool
	// everyone is set when every participant taking part was loaded.
	everyone bool
	// projected interns groups, by their values joined.
	projected map[string][]string
}

// maintainable reports whether the query's groups are in digest_groups:
// the about-you flow's questions, which are the digest's subgroups, with
// ids plain enough to name in a JSON path (flow ids and question ids
// are).
func (c *digestCounter) maintainable() bool {
	for _, d := range c.q.Demographics {
		if d.FlowID != demographicsFlow || d.QuestionID == "" || strings.ContainsFunc(d.QuestionID, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		}) {
			return false
		}
	}
	return true
}

// groupColumns are the query's groups of a digest_people.groups value
// (question id to first option chosen, null for none), as SQL columns,
// each NULL for none: SQLite picks them out of the JSON, so that
// nothing of the other questions crosses to Go.
func (c *digestCounter) groupColumns(from string) string {
	var b strings.Builder
	for _, d := range c.q.Demographics {
		fmt.Fprintf(&b, "%s ->> '%s', ", from, d.QuestionID)
	}
	return b.String()
}

// scanGroups scans the group columns of rows and then dest, returning
// the groups, interned: the participants with the same share one slice.
func (c *digestCounter) scanGroups(rows *sql.Rows, dest ...any) ([]string, error) {
	n := len(c.q.Demographics)
	raw := make([]sql.RawBytes, n)
	args := make([]any, 0, n+len(dest))
	for i := range raw {
		args = append(args, &raw[i])
	}
	if err := rows.Scan(append(args, dest...)...); err != nil {
		return nil, err
	}
	var b []byte
	for _, r := range raw {
		b = append(append(b, r...), 0)
	}
	key := string(b)
	if g, ok := c.known.projected[key]; ok {
		return g, nil
	}
	g := make([]string, n)
	for i, r := range raw {
		g[i] = string(r)
	}
	c.known.projected[key] = g
	return g, nil
}

// loadKnown reads the participants taking part among pids (every one,
// when everyone is set) with their groups as of the end of the period.
func (c *digestCounter) loadKnown(ctx context.Context, tx *sql.Tx, pids []int64, everyone bool) error {
	end := c.hi[figures.WindowTotal]
	query := `SELECT ` + c.groupColumns("groups") + `participant_id, quotes,
			EXISTS (SELECT 1 FROM digest_groups g WHERE g.participant_id = p.participant_id AND g.valid_from >= ?1)
		FROM digest_people p WHERE take_part = 1`
	args := []any{end}
	if !everyone {
		query += ` AND participant_id IN (SELECT value FROM json_each(?2))`
		args = append(args, pidList(pids))
	}
	c.known.everyone = everyone
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var stale []int64
	var batch []digestPerson
	var id int64
	var quotes sql.NullBool
	var changed bool
	for rows.Next() {
		g, err := c.scanGroups(rows, &id, &quotes, &changed)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			batch = make([]digestPerson, 1024)
		}
		p := &batch[0]
		batch = batch[1:]
		p.quotes, p.groups, p.created = quotes.Bool, g, earlier
		c.people[id] = p
		if changed {
			stale = append(stale, id)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	regrouped, err := c.regroup(ctx, tx, stale)
	if err != nil {
		return err
	}
	for pid, g := range regrouped {
		c.people[pid].groups = g
	}
	return nil
}

// takesPart reports whether participant pid's latest consent is to take
// part, asking the database about those not loaded.
func (c *digestCounter) takesPart(ctx context.Context, tx *sql.Tx, pid int64) (bool, error) {
	if c.people[pid] != nil {
		return true, nil
	}
	if c.known == nil || c.known.everyone {
		return false, nil
	}
	if ok, seen := c.known.part[pid]; seen {
		return ok, nil
	}
	var ok bool
	err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT take_part = 1 FROM digest_people WHERE participant_id = ?), 0)`, pid).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("participant taking part: %w", err)
	}
	c.known.part[pid] = ok
	return ok, nil
}

// regroup works out the groups of participants pids as of the end of the
// period from their answers, as groupsBefore and groupAdd do: the latest
// about-you answer to each question, not skipped and with an option
// chosen, given before the end in a session started before it, the
// later stored winning a tie; its first option as stored. Their
// sessions, then the answers of each by primary key (the + keeps SQLite
// from reading every about-you answer through answers_groups instead).
func (c *digestCounter) regroup(ctx context.Context, tx *sql.Tx, pids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(pids) == 0 {
		return out, nil
	}
	for _, pid := range pids {
		out[pid] = make([]string, len(c.q.Demographics))
	}
	at := map[int64][]string{}
	best := map[int64][]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT s.participant_id, a.question_id, a.answered_at, a.rowid, json_extract(a.choices, '$[0]')
		FROM sessions s INDEXED BY sessions_participant CROSS JOIN answers a ON a.session_id = s.id
		WHERE s.participant_id IN (SELECT value FROM json_each(?1)) AND +a.flow_id = '`+demographicsFlow+`'
			AND a.answered_at < ?2 AND s.started_at < ?2
			AND a.skipped = 0 AND a.choices IS NOT NULL AND a.kind IN ('choice', 'multi', 'scale')
			AND json_array_length(a.choices) > 0`, pidList(pids), c.hi[figures.WindowTotal])
	if err != nil {
		return nil, fmt.Errorf("regroup: %w", err)
	}
	defer rows.Close()
	var qid, when, first sql.RawBytes
	var pid, rowid int64
	for rows.Next() {
		if err := rows.Scan(&pid, &qid, &when, &rowid, &first); err != nil {
			return nil, fmt.Errorf("regroup: %w", err)
		}
		i := slices.IndexFunc(c.q.Demographics, func(r figures.QuestionRef) bool { return r.QuestionID == string(qid) })
		if i < 0 {
			continue
		}
		if at[pid] == nil {
			at[pid], best[pid] = make([]string, len(c.q.Demographics)), make([]int64, len(c.q.Demographics))
		}
		if n := strings.Compare(string(when), at[pid][i]); n > 0 || n == 0 && rowid > best[pid][i] {
			at[pid][i], best[pid][i], out[pid][i] = string(when), rowid, string(first)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("regroup: %w", err)
	}
	return out, nil
}

// knownFigures fills c.known's new participants and group sizes: the
// counts kept per combination, less those whose state changed after the
// end of the period (or who were created since), plus those of them
// created before it, regrouped as of then.
func (c *digestCounter) knownFigures(ctx context.Context, tx *sql.Tx, since, until string) error {
	end := c.hi[figures.WindowTotal]
	rows, err := tx.QueryContext(ctx, `SELECT created_at FROM digest_people INDEXED BY digest_people_created
		WHERE created_at >= ? AND created_at < ? AND take_part = 1`, since, until)
	if err != nil {
		return fmt.Errorf("new participants: %w", err)
	}
	defer rows.Close()
	var created string
	for rows.Next() {
		if err := rows.Scan(&created); err != nil {
			return fmt.Errorf("new participants: %w", err)
		}
		for w := range c.known.newPeople {
			if c.in(figures.Window(w), created) {
				c.known.newPeople[w]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("new participants: %w", err)
	}
	rows.Close()

	sizes := map[string]int{}
	combos := map[string][]string{}
	add := func(g []string, n int) {
		k := strings.Join(g, "\x00")
		sizes[k] += n
		combos[k] = g
	}
	cols := c.groupColumns("groups")
	var groupBy []string
	for i := range c.q.Demographics {
		groupBy = append(groupBy, strconv.Itoa(i+1))
	}
	if len(groupBy) == 0 {
		groupBy = []string{"NULL"}
	}
	if err := c.eachGroups(ctx, tx, `SELECT `+cols+`SUM(people) FROM digest_group_counts GROUP BY `+strings.Join(groupBy, ", "),
		nil, func(g []string, n int64) { add(g, int(n)) }); err != nil {
		return fmt.Errorf("group sizes: %w", err)
	}
	// Those created since the end are in the counts, not in the figures.
	if err := c.eachGroups(ctx, tx, `SELECT `+cols+`participant_id FROM digest_people INDEXED BY digest_people_created
			WHERE created_at >= ?1 AND take_part = 1`, []any{end}, func(g []string, _ int64) { add(g, -1) }); err != nil {
		return fmt.Errorf("group sizes: %w", err)
	}
	// Those whose groups changed since are counted as they were then.
	var changed []int64
	if err := c.eachGroups(ctx, tx, `SELECT `+c.groupColumns("p.groups")+`p.participant_id FROM digest_people p
			WHERE p.participant_id IN (SELECT participant_id FROM digest_groups INDEXED BY digest_groups_valid WHERE valid_from >= ?1)
				AND p.take_part = 1 AND p.created_at < ?1`, []any{end}, func(g []string, pid int64) {
		add(g, -1)
		changed = append(changed, pid)
	}); err != nil {
		return fmt.Errorf("group sizes: %w", err)
	}
	regrouped, err := c.regroup(ctx, tx, changed)
	if err != nil {
		return err
	}
	for _, g := range regrouped {
		add(g, 1)
	}
	for k, n := range sizes {
		if n > 0 {
			c.known.sizes = append(c.known.sizes, figures.GroupSize{Groups: combos[k], People: n})
		}
	}
	slices.SortFunc(c.known.sizes, func(a, b figures.GroupSize) int { return slices.Compare(a.Groups, b.Groups) })
	return nil
}

// eachGroups calls f with each row's groups and last column.
func (c *digestCounter) eachGroups(ctx context.Context, tx *sql.Tx, query string, args []any, f func([]string, int64)) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		g, err := c.scanGroups(rows, &n)
		if err != nil {
			return err
		}
		f(g, n)
	}
	return rows.Err()
}

// pidList is participant ids as a JSON array, for json_each.
func pidList(pids []int64) string {
	b := make([]byte, 0, 8*len(pids)+2)
	b = append(b, '[')
	for i, pid := range pids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, pid, 10)
	}
	return string(append(b, ']'))
}
