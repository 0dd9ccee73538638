package flows

import "strings"

// checkGraph finds questions no participant can reach and loops that
// never reach the end. Skipping is always possible, so a question with
// per-option jumps can also go on to the next question.
func (p *parser) checkGraph(f *Flow) {
	n := len(f.Questions)
	succ := make([][]int, n)
	for i, q := range f.Questions {
		succ[i] = successors(f, i, q, true)
	}
	reach := make([]bool, n+1)
	var walk func(int)
	walk = func(i int) {
		if reach[i] {
			return
		}
		reach[i] = true
		if i < n {
			for _, j := range succ[i] {
				walk(j)
			}
		}
	}
	if n > 0 {
		walk(0)
	}
	// Which questions can get to the end?
	ends := make([]bool, n+1)
	ends[n] = true
	for changed := true; changed; {
		changed = false
		for i := n - 1; i >= 0; i-- {
			if ends[i] {
				continue
			}
			for _, j := range succ[i] {
				if ends[j] {
					ends[i], changed = true, true
					break
				}
			}
		}
	}
	var stuck []string
	for i, q := range f.Questions {
		if !reach[i] {
			p.errorf(pos{q.Line, q.Col}, "question %q can never be reached: no question leads to it (check the next: jumps before it)", q.ID)
		} else if !ends[i] && onCycle(succ, i) {
			stuck = append(stuck, q.ID)
		}
	}
	if len(stuck) > 0 {
		q := f.Question(stuck[0])
		p.errorf(pos{q.Line, q.Col}, "questions %s loop with no way out: add a next: that leads on or to end", strings.Join(stuck, ", "))
	}
}

// onCycle reports whether question i can come back to itself.
func onCycle(succ [][]int, i int) bool {
	seen := make([]bool, len(succ)+1)
	stack := append([]int(nil), succ[i]...)
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if j == i {
			return true
		}
		if j >= len(succ) || seen[j] {
			continue
		}
		seen[j] = true
		stack = append(stack, succ[j]...)
	}
	return false
}

// successors returns the indexes (len(f.Questions) for the end) that can
// follow question i.
func successors(f *Flow, i int, q *Question, withOptions bool) []int {
	idx := func(id string) int {
		if id == End {
			return len(f.Questions)
		}
		return f.position(id)
	}
	if q.NextAll != "" {
		return []int{idx(q.NextAll)}
	}
	out := []int{i + 1}
	if withOptions {
		for _, opt := range sortedKeys(q.Next) {
			if j := idx(q.Next[opt]); j >= 0 {
				out = append(out, j)
			}
		}
	}
	return out
}
