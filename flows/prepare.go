package flows

// prepare works out, once when a flow is parsed, what the engine would
// otherwise rebuild at every step: each question's successors (progress
// walks them for every question asked) and its option ids as `when`
// values (a string put in an interface is an allocation each time).
// What it fills in is read only afterwards, so one *Flow can serve any
// number of sessions at once, as the catalog's flows do.
func (f *Flow) prepare() {
	for i, q := range f.Questions {
		q.succ = successors(f, i, q, true)
		if len(q.Options) > 0 {
			q.optValues = make([]any, len(q.Options))
			for j, o := range q.Options {
				q.optValues[j] = o.ID
			}
		}
	}
}

// optionValue returns option id as a `when` condition sees it, boxed by
// prepare when id is one of q's options.
func (q *Question) optionValue(id string) any {
	for j := range q.Options {
		if q.Options[j].ID == id && j < len(q.optValues) {
			return q.optValues[j]
		}
	}
	return id
}
