package flows

import "sort"

// scales are the built-in scales, by name. Each has five points, most
// positive first, with a neutral middle that keeps "neither" honest.
var scales = map[string][]Option{
	"agree5": {
		{ID: "strongly_agree", Label: Plain("Strongly agree")},
		{ID: "agree", Label: Plain("Agree")},
		{ID: "neither", Label: Plain("Neither agree nor disagree")},
		{ID: "disagree", Label: Plain("Disagree")},
		{ID: "strongly_disagree", Label: Plain("Strongly disagree")},
	},
	"satisfied5": {
		{ID: "very_satisfied", Label: Plain("Very satisfied")},
		{ID: "satisfied", Label: Plain("Satisfied")},
		{ID: "neither", Label: Plain("Neither satisfied nor dissatisfied")},
		{ID: "dissatisfied", Label: Plain("Dissatisfied")},
		{ID: "very_dissatisfied", Label: Plain("Very dissatisfied")},
	},
	"helpful5": {
		{ID: "very_helpful", Label: Plain("Very helpful")},
		{ID: "helpful", Label: Plain("Helpful")},
		{ID: "neither", Label: Plain("Neither helpful nor unhelpful")},
		{ID: "unhelpful", Label: Plain("Unhelpful")},
		{ID: "very_unhelpful", Label: Plain("Very unhelpful")},
	},
	"frequency5": {
		{ID: "always", Label: Plain("Always")},
		{ID: "often", Label: Plain("Often")},
		{ID: "sometimes", Label: Plain("Sometimes")},
		{ID: "rarely", Label: Plain("Rarely")},
		{ID: "never", Label: Plain("Never")},
	},
}

// Scales returns the names of the built-in scales, sorted.
func Scales() []string {
	names := make([]string, 0, len(scales))
	for n := range scales {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ScaleOptions returns a copy of the options of the built-in scale name,
// or nil if there is no such scale.
func ScaleOptions(name string) []Option {
	opts, ok := scales[name]
	if !ok {
		return nil
	}
	return append([]Option(nil), opts...)
}
