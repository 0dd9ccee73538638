package flows

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	exprparser "github.com/expr-lang/expr/parser"
)

// checkWhen compiles q's condition and checks that it names only earlier
// questions and, where it compares with text, only their real option ids:
// a typo there would silently never show the question.
func (p *parser) checkWhen(f *Flow, i int, q *Question) {
	where := p.qPos[q]["when"]
	tree, err := exprparser.Parse(q.When)
	if err != nil {
		p.errorf(where, "when %q does not compile: %s", q.When, firstLine(err.Error()))
		return
	}
	v := &whenVisitor{f: f, before: i}
	ast.Walk(&tree.Node, v)
	for _, msg := range v.problems {
		p.errorf(where, "when %q: %s", q.When, msg)
	}
	if len(v.problems) > 0 {
		return
	}
	prog, err := expr.Compile(q.When, expr.Env(map[string]any{}), expr.AllowUndefinedVariables(), expr.AsBool())
	if err != nil {
		p.errorf(where, "when %q does not compile: %s", q.When, firstLine(err.Error()))
		return
	}
	q.when = prog
	q.whenRefs = v.refs
	p.lintWhen(f, q, where)
}

type whenVisitor struct {
	f        *Flow
	before   int
	refs     []string
	problems []string
}

func (v *whenVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		v.ident(n.Value)
	case *ast.BinaryNode:
		v.compare(n)
	}
}

func (v *whenVisitor) ident(name string) {
	j := v.f.position(name)
	switch {
	case j < 0:
		v.problems = append(v.problems, fmt.Sprintf("%q is not a question in this flow (questions: %s)", name, strings.Join(questionIDs(v.f), ", ")))
		return
	case j >= v.before:
		v.problems = append(v.problems, fmt.Sprintf("%q is not asked before this question, so it has no answer yet; conditions may use only earlier answers", name))
		return
	case v.f.Questions[j].Type == TypeInfo:
		v.problems = append(v.problems, fmt.Sprintf("%q is an info question and has no answer", name))
		return
	}
	if !contains(v.refs, name) {
		v.refs = append(v.refs, name)
	}
}

// compare checks the strings a question's answer is compared with:
// team_agrees == "agree", team_agrees in ["agree", ...], "other" in matters.
func (v *whenVisitor) compare(n *ast.BinaryNode) {
	switch n.Operator {
	case "==", "!=", "in":
	default:
		return
	}
	check := func(id *ast.IdentifierNode, lits []ast.Node) {
		q := v.f.Question(id.Value)
		if q == nil || !q.HasOptions() || len(q.Options) == 0 {
			return
		}
		for _, lit := range lits {
			s, ok := lit.(*ast.StringNode)
			if ok && q.Option(s.Value) == nil {
				v.problems = append(v.problems, fmt.Sprintf("%q is not an option of %q (options: %s)", s.Value, q.ID, strings.Join(optionIDs(q), ", ")))
			}
		}
	}
	if id, ok := n.Left.(*ast.IdentifierNode); ok {
		switch r := n.Right.(type) {
		case *ast.StringNode:
			check(id, []ast.Node{r})
		case *ast.ArrayNode:
			check(id, r.Nodes)
		}
	}
	if id, ok := n.Right.(*ast.IdentifierNode); ok {
		if s, ok := n.Left.(*ast.StringNode); ok {
			check(id, []ast.Node{s})
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
