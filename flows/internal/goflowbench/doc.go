// Package goflowbench compares PeerVoice's flow engine with nyaruka/goflow,
// the engine behind RapidPro that ours is modelled on (docs: STYLE.md), on
// the same questionnaire in the same process.
//
// It is a module of its own so that the main module does not depend on
// goflow and `go test ./...` at the repository's root does not build it.
// Run it from this directory:
//
//	go test -run '^$' -bench . -benchmem -cpu 1 -count 3
//
// The questionnaire has n choice questions of three options each, asked
// in order and answered by typing the first option's number. Ours reads
// it from YAML (Questionnaire); goflow's is the equivalent definition of
// one node per question, each sending the question, waiting for a message
// and routing it by its words to a category, an unrecognised answer asking
// again (GoflowAssets).
package goflowbench
