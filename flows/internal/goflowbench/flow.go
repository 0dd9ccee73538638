package goflowbench

import (
	"encoding/json"
	"fmt"
	"strings"
)

// options are every question's answers: id, label, and the words goflow's
// router recognises for each (its number first, as ours does).
var options = []struct{ id, label, words string }{
	{"yes", "Yes", "1 yes"},
	{"no", "No", "2 no"},
	{"not_sure", "Not sure", "3 sure"},
}

// Questionnaire returns n choice questions as a PeerVoice flow file.
func Questionnaire(n int) string {
	var b strings.Builder
	b.WriteString("id: compare\ntitle: Compare\ntheme: Benchmark\nquestions:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - id: q%d\n    type: choice\n    prompt: Question %d?\n    options:\n", i, i)
		for _, o := range options {
			fmt.Fprintf(&b, "      - {id: %s, label: %q}\n", o.id, o.label)
		}
	}
	return b.String()
}

// FlowUUID is the goflow flow's UUID.
const FlowUUID = "00000000-0000-4000-8000-000000000001"

// GoflowAssets returns the same n questions as goflow assets (a flow
// definition in spec 13), as JSON.
func GoflowAssets(n int) []byte {
	ids := 1
	uuid := func() string {
		ids++
		return fmt.Sprintf("00000000-0000-4000-8000-%012x", ids)
	}
	nodeUUIDs := make([]string, n+1) // nodeUUIDs[n] is "" (the end)
	for i := 0; i < n; i++ {
		nodeUUIDs[i] = uuid()
	}
	type obj = map[string]any
	nodes := make([]obj, n)
	for i := 0; i < n; i++ {
		var cats, cases, exits []obj
		prompt := []string{fmt.Sprintf("Question %d?", i+1)}
		for j, o := range options {
			cat, exit := uuid(), uuid()
			cats = append(cats, obj{"uuid": cat, "name": o.label, "exit_uuid": exit})
			cases = append(cases, obj{"uuid": uuid(), "type": "has_any_word", "arguments": []string{o.words}, "category_uuid": cat})
			e := obj{"uuid": exit}
			if nodeUUIDs[i+1] != "" {
				e["destination_uuid"] = nodeUUIDs[i+1]
			}
			exits = append(exits, e)
			prompt = append(prompt, fmt.Sprintf("%d. %s", j+1, o.label))
		}
		// An answer the router does not recognise asks the question again,
		// as ours does.
		other, otherExit := uuid(), uuid()
		cats = append(cats, obj{"uuid": other, "name": "Other", "exit_uuid": otherExit})
		exits = append(exits, obj{"uuid": otherExit, "destination_uuid": nodeUUIDs[i]})
		nodes[i] = obj{
			"uuid": nodeUUIDs[i],
			"actions": []obj{{
				"uuid": uuid(), "type": "send_msg", "text": strings.Join(prompt, "\n"),
				"quick_replies": []string{"1", "2", "3"},
			}},
			"router": obj{
				"type": "switch", "wait": obj{"type": "msg"},
				"result_name": fmt.Sprintf("q%d", i+1), "operand": "@input.text",
				"categories": cats, "cases": cases, "default_category_uuid": other,
			},
			"exits": exits,
		}
	}
	assets := obj{"flows": []obj{{
		"uuid": FlowUUID, "name": "Compare", "spec_version": "13.2.0", "language": "eng",
		"type": "messaging", "localization": obj{}, "nodes": nodes,
	}}}
	b, err := json.Marshal(assets)
	if err != nil {
		panic(err) // only maps, slices and strings: cannot fail
	}
	return b
}
