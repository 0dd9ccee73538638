package safety

// automaton finds every occurrence of a set of literals in one pass over the
// text (Aho-Corasick). Bytes that occur in no literal share one class, which
// keeps the transition table small.
type automaton struct {
	class [256]uint16
	width int
	// next[v>>1+class] is the next v, where v>>1 is a state times width
	// and v&1 says whether any literal ends in that state. Keeping both in
	// one word makes the inner loop a single load.
	next []int32
	out  [][]int32 // literals ending at each state
	lens []int     // length of each literal
}

// hit is an occurrence of literal id at s[start:end].
type hit struct {
	start, end int
	id         int32
}

// newAutomaton builds an automaton that finds lits; hits name them by index.
func newAutomaton(lits []string) *automaton {
	a := &automaton{width: 1, lens: make([]int, len(lits))}
	for _, l := range lits {
		for i := 0; i < len(l); i++ {
			if a.class[l[i]] == 0 {
				a.class[l[i]] = uint16(a.width)
				a.width++
			}
		}
	}
	// Build the trie, with -1 for missing edges.
	var next []int32
	newState := func() int32 {
		for range a.width {
			next = append(next, -1)
		}
		a.out = append(a.out, nil)
		return int32(len(a.out) - 1)
	}
	newState()
	for id, l := range lits {
		a.lens[id] = len(l)
		s := int32(0)
		for i := 0; i < len(l); i++ {
			e := int(s)*a.width + int(a.class[l[i]])
			if next[e] < 0 {
				t := newState()
				next[e] = t
			}
			s = next[e]
		}
		a.out[s] = append(a.out[s], int32(id))
	}
	// Breadth-first, fill missing edges from each state's failure state, and
	// inherit the literals that end there.
	fail := make([]int32, len(a.out))
	queue := []int32{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for c := range a.width {
			e := int(s)*a.width + c
			t := next[e]
			switch {
			case t < 0 && s == 0:
				next[e] = 0
			case t < 0:
				next[e] = next[int(fail[s])*a.width+c]
			default:
				if s != 0 {
					fail[t] = next[int(fail[s])*a.width+c]
					a.out[t] = append(a.out[t], a.out[fail[t]]...)
				}
				queue = append(queue, t)
			}
		}
	}
	a.next = make([]int32, len(next))
	for e, t := range next {
		a.next[e] = int32(int(t)*a.width) << 1
		if len(a.out[t]) > 0 {
			a.next[e] |= 1
		}
	}
	return a
}

// find appends every occurrence of a literal in s to dst, in order of where
// they end.
func (a *automaton) find(s string, dst []hit) []hit {
	v := int32(0)
	for i := 0; i < len(s); i++ {
		v = a.next[int(v>>1)+int(a.class[s[i]])]
		if v&1 != 0 {
			for _, id := range a.out[int(v>>1)/a.width] {
				dst = append(dst, hit{start: i + 1 - a.lens[id], end: i + 1, id: id})
			}
		}
	}
	return dst
}
