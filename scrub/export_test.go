package scrub

// Passes returns how many passes Text takes over text, the last one
// finding nothing to change.
func Passes(s *Scrubber, text string) int {
	_, n := s.text(text)
	return n
}
