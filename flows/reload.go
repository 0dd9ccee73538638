package flows

import "sort"

// KeepLastGood returns the catalog to serve after the flow files were read
// again: the flows of next, which holds the files that load cleanly now,
// and, for each file with problems, the flow that file gave in prev (its
// last good version), unless next has a flow with that id already. A
// typo in one file then keeps that questionnaire as it was while the
// other files' changes apply. It also returns the flows kept from prev,
// so the caller can say which are out of date. A nil next (the directory
// could not be read) keeps prev as it is.
func KeepLastGood(prev, next *Catalog, probs Problems) (*Catalog, []*Flow) {
	if next == nil {
		return prev, nil
	}
	if prev == nil {
		return next, nil
	}
	bad := map[string]bool{}
	for _, p := range probs {
		bad[p.File] = true
	}
	c := &Catalog{flows: append([]*Flow(nil), next.flows...), byID: make(map[string]*Flow, len(next.byID))}
	for id, f := range next.byID {
		c.byID[id] = f
	}
	var kept []*Flow
	for _, f := range prev.flows {
		if _, taken := c.byID[f.ID]; taken || !bad[f.File] {
			continue
		}
		c.byID[f.ID] = f
		c.flows = append(c.flows, f)
		kept = append(kept, f)
	}
	sort.SliceStable(c.flows, func(i, j int) bool { return order(c.flows[i]) < order(c.flows[j]) })
	return c, kept
}
