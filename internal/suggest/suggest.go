// Package suggest finds the likely intended word for a typo, so error
// messages can say "did you mean prompt?" instead of only "unknown key".
// It imports no other PeerVoice package, so any package may use it.
package suggest

// Closest returns the word in known nearest to s by edit distance, if
// it is fewer than limit edits away; otherwise "".
func Closest(s string, known []string, limit int) string {
	best, bestD := "", limit
	for _, k := range known {
		if d := Distance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// Distance is the Levenshtein edit distance between a and b.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
