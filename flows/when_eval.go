package flows

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// WhenFailed says a question's `when` could not be worked out for a
// reason other than a skipped answer (a run-time error in the condition,
// or expr's memory budget), so the question was asked rather than hidden:
// a broken condition must not silently take a question away from every
// participant. The host logs it for the moderators who own the flow.
type WhenFailed struct {
	Question *Question
	Reason   string // expr's error, on one line
}

func (WhenFailed) isOutput() {}

// shown evaluates q's condition over answers. A condition that cannot be
// evaluated because an answer it uses is missing (comparing a skipped
// answer with a number, say) counts as false, as docs/flows.md promises:
// the question is not asked rather than asked by mistake. Any other
// failure is a defect in the condition: the question is shown, and the
// failure is returned for the host to report.
func (q *Question) shown(answers map[string]Answer, flow *Flow) (bool, error) {
	if q.when == nil {
		return true, nil
	}
	w := whenPool.Get().(*whenScratch)
	defer w.release()
	for _, id := range q.whenRefs {
		w.env[id] = answers[id].value(flow.Question(id))
	}
	return q.run(&w.vm, w.env)
}

// whenScratch is what one evaluation of a condition needs: the variables
// and expr's machine (its stack). Pooling them saves an allocation of each
// at every condition the engine or progress evaluates. A scratch holds
// nothing between uses (release empties it), so no answer outlives the
// evaluation it was given to and no session sees another's.
type whenScratch struct {
	env map[string]any
	vm  vm.VM
}

var whenPool = sync.Pool{New: func() any { return &whenScratch{env: map[string]any{}} }}

func (w *whenScratch) release() {
	clear(w.env)
	clear(w.vm.Stack[:cap(w.vm.Stack)])
	clear(w.vm.Variables)
	whenPool.Put(w)
}

// evalWhen runs q's compiled condition over env under expr's default
// limits, the same for the engine and the linter.
func (q *Question) evalWhen(env map[string]any) (bool, error) {
	var machine vm.VM
	return q.run(&machine, env)
}

// run is evalWhen on a given machine; (*vm.VM).Run resets the machine's
// state, including its memory budget, at the start of each run.
func (q *Question) run(machine *vm.VM, env map[string]any) (bool, error) {
	out, err := machine.Run(q.when, env)
	if err == nil {
		b, _ := out.(bool)
		return b, nil
	}
	if hasNil(env) && !strings.Contains(err.Error(), "memory budget exceeded") {
		return false, nil
	}
	return true, err
}

func hasNil(env map[string]any) bool {
	for _, v := range env {
		if v == nil {
			return true
		}
	}
	return false
}

// lintWhen runs q's condition over sample answers to the questions it
// uses, so a condition that compiles but fails at run time (a text answer
// compared with a number, a range too large for expr's memory budget) is
// reported at its line and column instead of being met by participants.
// It starts from every question answered with its first sample and varies
// one question at a time through its samples and a skip, which keeps the
// number of runs linear in the size of the condition.
func (p *parser) lintWhen(f *Flow, q *Question, where pos) {
	samples := make(map[string][]any, len(q.whenRefs))
	base := make(map[string]any, len(q.whenRefs))
	for _, id := range q.whenRefs {
		samples[id] = sampleAnswers(f.Question(id))
		base[id] = samples[id][0]
	}
	try := func(env map[string]any) bool {
		if _, err := q.evalWhen(env); err != nil {
			p.errorf(where, "when %q fails at run time when %s: %s; participants would be asked this question whatever they answered, so fix or simplify the condition", q.When, describeEnv(q.whenRefs, env), firstLine(err.Error()))
			return false
		}
		return true
	}
	if !try(base) {
		return
	}
	for _, id := range q.whenRefs {
		for _, v := range append(samples[id][1:], nil) {
			env := make(map[string]any, len(base))
			for k, x := range base {
				env[k] = x
			}
			env[id] = v
			if !try(env) {
				return
			}
		}
	}
}

// sampleAnswers returns values an answer to q can have, as a condition
// sees them (see Answer.value): each option, or a list of options, some
// text, or numbers within q's limits.
func sampleAnswers(q *Question) []any {
	switch q.Type {
	case TypeChoice, TypeScale:
		var out []any
		for _, o := range q.Options {
			out = append(out, o.ID)
		}
		if len(out) > 0 {
			return out
		}
	case TypeMulti:
		all := make([]any, 0, len(q.Options))
		out := []any{all}
		for _, o := range q.Options {
			out = append(out, []any{o.ID})
			all = append(all, o.ID)
		}
		return append(out, all)
	case TypeText:
		return []any{"some words", "x"}
	case TypeNumber:
		var out []any
		for _, x := range []float64{1, 0, -1, 2.5, 1e6} {
			if (q.Min == nil || x >= *q.Min) && (q.Max == nil || x <= *q.Max) {
				out = append(out, x)
			}
		}
		if q.Min != nil {
			out = append(out, *q.Min)
		}
		if q.Max != nil {
			out = append(out, *q.Max)
		}
		if len(out) > 0 {
			return out
		}
	}
	return []any{"x"}
}

// describeEnv shows sample answers as a moderator reads them:
// `years is 0 and team_agrees is skipped`.
func describeEnv(refs []string, env map[string]any) string {
	if len(refs) == 0 {
		return "evaluated"
	}
	parts := make([]string, len(refs))
	for i, id := range refs {
		parts[i] = id + " is " + describeValue(env[id])
	}
	return strings.Join(parts, " and ")
}

func describeValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "skipped"
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = describeValue(x)
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	return fmt.Sprint(v)
}
