package store

import (
	"context"
	"crypto/cipher"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/peervoice/peervoice/flows"
)

// GenSpec describes a generated community, for the digest's tests and
// benchmarks.
type GenSpec struct {
	Participants int
	// Answers is roughly how many answers to store in all.
	Answers int
	Seed    uint64
	// End is the end of the last week of activity; activity is spread
	// over the Weeks before it.
	End   time.Time
	Weeks int
}

// GenStats says what GenerateDigestData stored.
type GenStats struct {
	Participants, Sessions, Answers, Texts int
}

// genTexts are what generated participants write. Some carry personal
// details for the scrubber to remove.
var genTexts = []string{
	"Getting my life back on my own terms, not theirs.",
	"Recovery means having a reason to get up in the morning and people who listen.",
	"They only ever talk about medication and risk, never about what I want from my life.",
	"My care coordinator actually asked what mattered to me and it changed everything.",
	"Being treated as a whole genPerson, with a past and a future, not a diagnosis.",
	"I would like more time with the same worker instead of someone new every month.",
	"Email me at sam.jones@example.com if you want to hear more about my experience.",
	"Call me on 07700 900123, I have a lot to say about being sectioned.",
	"Peer support groups helped me more than anything the team offered.",
	"Nobody explained my rights when I was detained and I still feel angry about it.",
}

// GenerateDigestData fills db with a community answering the flows of
// cat, quickly: direct SQL in large transactions, with text encrypted as
// the store does. The same spec always gives the same data.
func GenerateDigestData(ctx context.Context, db *DB, cat *flows.Catalog, spec GenSpec) (GenStats, error) {
	g := &digestGenerator{db: db, cat: cat, spec: spec, rng: rand.New(rand.NewPCG(spec.Seed, 0x9e3779b97f4a7c15))}
	if err := g.run(ctx); err != nil {
		return GenStats{}, fmt.Errorf("generate: %w", err)
	}
	return g.stats, nil
}

type digestGenerator struct {
	db    *DB
	cat   *flows.Catalog
	spec  GenSpec
	rng   *rand.Rand
	stats GenStats
	tx    *sql.Tx
	// ktx writes the keys to the keyring; it commits before tx, as the
	// store's own writes do.
	ktx   *sql.Tx
	stmts map[string]*sql.Stmt
	rows  int
}

func (g *digestGenerator) run(ctx context.Context) error {
	if err := g.begin(ctx); err != nil {
		return err
	}
	defer func() {
		if g.tx != nil {
			g.ktx.Rollback()
			g.tx.Rollback()
		}
	}()
	start := g.spec.End.Add(-time.Duration(g.spec.Weeks) * 7 * 24 * time.Hour)
	for _, f := range g.cat.Flows() {
		if _, err := g.tx.ExecContext(ctx, `INSERT OR IGNORE INTO flow_versions (hash, flow_id, source, created_at) VALUES (?, ?, ?, ?)`,
			f.Version, f.ID, f.Source, formatTime(start)); err != nil {
			return err
		}
	}
	perPerson := float64(g.spec.Answers) / float64(max(g.spec.Participants, 1))
	for i := range g.spec.Participants {
		if err := g.participant(ctx, i, start, perPerson); err != nil {
			return err
		}
		if g.rows > 50000 {
			if err := g.commit(); err != nil {
				return err
			}
			if err := g.begin(ctx); err != nil {
				return err
			}
		}
	}
	return g.commit()
}

func (g *digestGenerator) begin(ctx context.Context) error {
	tx, err := g.db.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	g.tx, g.rows = tx, 0
	if g.ktx, err = g.db.ring.wr.BeginTx(ctx, nil); err != nil {
		return err
	}
	g.stmts = map[string]*sql.Stmt{}
	key, err := g.ktx.PrepareContext(ctx, `INSERT INTO participant_keys (participant_id, wrapped, created_at) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	g.stmts["key"] = key
	for name, q := range map[string]string{
		"participant": `INSERT INTO participants (pseudonym, key_version, created_at) VALUES (?, 1, ?)`,
		"consent":     `INSERT INTO consents (participant_id, version, take_part, quotes, given_at) VALUES (?, '1', ?, ?, ?)`,
		"session": `INSERT INTO sessions (id, participant_id, flow_id, flow_version, status, state, key_version, started_at, updated_at, wave) VALUES (?, ?, ?, ?, ?, ?, 2, ?, ?,
			(SELECT COALESCE(MAX(wave), 0) + 1 FROM sessions WHERE participant_id = ?2 AND flow_id = ?3))`,
		"answer": `INSERT INTO answers (session_id, question_id, flow_id, flow_version, kind, choices, text, number, skipped, key_version, answered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, 2, ?)`,
	} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		g.stmts[name] = st
	}
	return nil
}

func (g *digestGenerator) commit() error {
	for _, st := range g.stmts {
		st.Close()
	}
	if err := g.ktx.Commit(); err != nil {
		return err
	}
	err := g.tx.Commit()
	g.tx = nil
	return err
}

// genPerson is what the digestGenerator knows of a participant while answering.
type genPerson struct {
	gender, ethnicity string
}

func (g *digestGenerator) participant(ctx context.Context, i int, start time.Time, perPerson float64) error {
	span := g.spec.End.Sub(start)
	created := start.Add(time.Duration(g.rng.Float64() * float64(span)))
	sum := sha256.Sum256(fmt.Appendf(nil, "participant %d %d", g.spec.Seed, i))
	res, err := g.stmts["participant"].ExecContext(ctx, hex.EncodeToString(sum[:]), formatTime(created))
	if err != nil {
		return err
	}
	pid, _ := res.LastInsertId()
	dk, wrapped, err := g.db.keys.newDataKey(pid)
	if err != nil {
		return err
	}
	if _, err := g.stmts["key"].ExecContext(ctx, pid, wrapped, formatTime(created)); err != nil {
		return err
	}
	g.stats.Participants++
	takePart := g.rng.IntN(100) < 97
	quotes := takePart && g.rng.IntN(100) < 60
	if _, err := g.stmts["consent"].ExecContext(ctx, pid, takePart, quotes, formatTime(created)); err != nil {
		return err
	}
	g.rows += 2
	p := genPerson{gender: genPick(g.rng, []string{"woman", "man", "non_binary", "other", "prefer_not"}, []int{50, 38, 5, 2, 5})}
	p.ethnicity = genPick(g.rng, []string{"white_british", "white_other", "black_caribbean", "black_african", "asian_indian", "asian_pakistani", "mixed_white_black_caribbean", "other_arab", "prefer_not"},
		[]int{50, 8, 10, 8, 7, 5, 5, 2, 5})
	// Participants who join late run out of time before their budget;
	// later ones make up a share of the shortfall, so the total is close
	// to spec.Answers.
	behind := int(float64(i)*perPerson) - g.stats.Answers
	budget := int(perPerson*(0.5+g.rng.Float64())) + max(0, behind/8)
	at := created
	all := g.cat.Flows()
	order := g.rng.Perm(len(all))
	if g.rng.IntN(100) < 80 { // most answer about-you first
		for j, k := range order {
			if all[k].ID == "about-you" {
				order[0], order[j] = order[j], order[0]
			}
		}
	}
	for n := 0; budget > 0; n++ {
		f := all[order[n%len(order)]]
		// Sessions follow each other at random gaps, within the span.
		at = at.Add(time.Duration(g.rng.ExpFloat64() * float64(span) / 60))
		if !at.Before(g.spec.End) {
			break
		}
		used, err := g.session(ctx, pid, dk, f, p, at, budget)
		if err != nil {
			return err
		}
		budget -= used
	}
	return nil
}

// session stores one session of f with up to budget answers.
func (g *digestGenerator) session(ctx context.Context, pid int64, dk cipher.AEAD, f *flows.Flow, p genPerson, at time.Time, budget int) (int, error) {
	id := fmt.Sprintf("%016x%08x", g.rng.Uint64(), g.rng.Uint32())
	n := len(f.Questions)
	status := StatusDone
	if g.rng.IntN(100) < 15 || budget < n {
		status = StatusPaused
		n = min(budget, 1+g.rng.IntN(n))
	}
	last := at.Add(time.Duration(n) * 40 * time.Second)
	if !last.Before(g.spec.End) {
		last = g.spec.End.Add(-time.Second)
	}
	state := seal(dk, stateAD(id), []byte(`{"session":{"generated":true}}`))
	if _, err := g.stmts["session"].ExecContext(ctx, id, pid, f.ID, f.Version, status, state, formatTime(at), formatTime(last)); err != nil {
		return 0, err
	}
	g.stats.Sessions++
	for i, q := range f.Questions[:n] {
		if q.Type == flows.TypeInfo {
			continue
		}
		answered := at.Add(time.Duration(i) * 40 * time.Second)
		if answered.After(last) {
			answered = last
		}
		var choices, text any
		skipped := g.rng.IntN(100) < 5
		if !skipped {
			switch q.Type {
			case flows.TypeChoice, flows.TypeScale:
				choices = g.choose(q, p, 1)
			case flows.TypeMulti:
				choices = g.choose(q, p, 1+g.rng.IntN(3))
			case flows.TypeText:
				t := genTexts[g.rng.IntN(len(genTexts))]
				text = seal(dk, textAD(id, q.ID), []byte(t))
				g.stats.Texts++
			}
		}
		if f.ID == "about-you" && !skipped {
			switch q.ID {
			case "gender":
				choices = `["` + p.gender + `"]`
			case "ethnicity":
				choices = `["` + p.ethnicity + `"]`
			}
		}
		if _, err := g.stmts["answer"].ExecContext(ctx, id, q.ID, f.ID, f.Version, string(q.Type), choices, text, skipped, formatTime(answered)); err != nil {
			return 0, err
		}
		g.stats.Answers++
		g.rows++
	}
	g.rows++
	return n, nil
}

// choose picks n options of q as a JSON array. On scales, women and
// people from minority ethnic groups lean towards the negative end, as
// the study found.
func (g *digestGenerator) choose(q *flows.Question, p genPerson, n int) string {
	n = min(n, len(q.Options))
	var ids []string
	if q.Type == flows.TypeScale {
		shift := 0.0
		if p.gender == "woman" {
			shift += 0.5
		}
		if p.ethnicity != "white_british" && p.ethnicity != "white_other" && p.ethnicity != "prefer_not" {
			shift += 0.7
		}
		i := int(g.rng.NormFloat64()*1.1 + 1.6 + shift)
		ids = []string{q.Options[max(0, min(len(q.Options)-1, i))].ID}
	} else {
		for _, k := range g.rng.Perm(len(q.Options))[:n] {
			ids = append(ids, q.Options[k].ID)
		}
	}
	buf, _ := json.Marshal(ids)
	return string(buf)
}

// genPick chooses one of items with the given weights.
func genPick(rng *rand.Rand, items []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return items[i]
		}
		r -= w
	}
	return items[len(items)-1]
}
