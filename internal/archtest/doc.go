// Package archtest holds PeerVoice's architecture test: one table of what
// each package may import, checked against `go list`, so that the
// dependencies keep pointing one way (docs/architecture.md draws them).
// It has no code of its own and imports no PeerVoice package.
package archtest
