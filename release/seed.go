package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// SeedReport is what one Seed did.
type SeedReport struct {
	// Imported are the versions that went live from a file.
	Imported []Version
	// Unchanged are the files whose content was imported before (or is
	// the live version already): nothing was done for them.
	Unchanged []string
	// Problems are the invalid files' problems, file:line:col: message;
	// nothing changed for those files. The caller logs them (and the bot
	// posts them to the moderator channel).
	Problems flows.Problems
}

// Seed imports the seed files (the built-in pack's or the flows
// folder's, by name): a file whose content differs from what was last
// imported from that same file becomes a new live version of its flow,
// with the actor audit.KindFile; an unchanged file does nothing, so a
// version published since from Discord or the command line is not
// overwritten by a restart; a file with problems changes nothing and its
// problems are reported. Files are taken in name order; two files with
// one flow id are a problem for the second.
func (s *Service) Seed(ctx context.Context, files []Source) (SeedReport, error) {
	var rep SeedReport
	actor := audit.Actor{Kind: audit.KindFile}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	owner := map[string]string{} // flow id → the file that gave it
	for _, file := range files {
		sum := sha256.Sum256(file.Src)
		digest := hex.EncodeToString(sum[:])
		var v Version
		fresh, unchanged := false, false
		var probs flows.Problems
		err := s.opt.Store.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
			last, err := tx.Imported(file.key())
			if err != nil {
				return err
			}
			f, ps := lint(file.Name, file.Src)
			if len(ps) == 0 {
				if prev, dup := owner[f.ID]; dup {
					ps = flows.Problems{{File: file.Name, Line: 1, Col: 1, Msg: fmt.Sprintf("flow id %q is also used by %s; each flow needs its own id", f.ID, prev)}}
				} else {
					owner[f.ID] = file.Name
				}
			}
			if last == digest {
				unchanged = true
				return nil
			}
			if len(ps) > 0 {
				probs = ps
				return nil
			}
			live, old, err := s.liveFlow(tx, f.ID)
			if err != nil {
				return err
			}
			if live.N == 0 || live.Hash != f.Version {
				cs, _, err := changes(tx, f.ID, old, f)
				if err != nil {
					return err
				}
				if v, err = s.add(tx, f.ID, f.Version, f.Source, summaryOf(live, cs), actor); err != nil {
					return err
				}
				fresh = true
			} else {
				unchanged = true // the live version already: only remember the file
			}
			return tx.SetImported(file.key(), digest)
		})
		if err != nil {
			return rep, fmt.Errorf("seed flows from %s: %w", file.Name, err)
		}
		switch {
		case len(probs) > 0:
			rep.Problems = append(rep.Problems, probs...)
			if err := s.record(ctx, actor, "flows.import", file.Name, audit.Failed, fmt.Sprintf("%d problem(s); nothing changed", len(probs))); err != nil {
				return rep, err
			}
		case unchanged:
			rep.Unchanged = append(rep.Unchanged, file.Name)
		case fresh:
			rep.Imported = append(rep.Imported, v)
			s.live(v)
			if err := s.record(ctx, actor, "flows.import", target(v), audit.OK, file.Name+": "+v.Summary); err != nil {
				return rep, err
			}
		}
	}
	rep.Problems.Sort()
	return rep, nil
}
