package uitext_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"testing"
)

// renderers are the files that show participants PeerVoice's own words,
// and in each the functions to check ("" for all). Every such word must
// come from the catalog, so it can be translated.
var renderers = map[string][]string{
	"../bot/render.go":        {""},
	"../bot/interaction.go":   {""},
	"../bot/dm.go":            {""},
	"../bot/prompt.go":        {"invitation"},
	"../terminal/render.go":   {"show", "ask"},
	"../terminal/chat.go":     {""},
	"../terminal/finished.go": {""},
}

// prose is a literal that reads as words to a person: two words in a row.
var prose = regexp.MustCompile(`\p{L}{2,}[\s,.;:!?'’]+\p{L}{2,}`)

// notShown are calls whose string arguments participants never read.
var notShown = map[string]bool{
	"Errorf": true, "New": true, // errors, wrapped or logged
	"Error": true, "Warn": true, "Info": true, "Debug": true, // logs
}

// TestRenderersUseTheCatalog fails when a renderer holds an English
// sentence of its own instead of a catalog key: it would not be
// translated.
func TestRenderersUseTheCatalog(t *testing.T) {
	for file, funcs := range renderers {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", file, err)
		}
		want := map[string]bool{}
		for _, fn := range funcs {
			want[fn] = true
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !want[""] && !want[fd.Name.Name] {
				continue
			}
			ast.Inspect(fd, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && notShown[sel.Sel.Name] {
						return false
					}
				}
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && prose.MatchString(s) {
					t.Errorf("%s: %s shows %q: put it in the uitext catalog (with its translations) and use uitext.T", fset.Position(lit.Pos()), fd.Name.Name, s)
				}
				return true
			})
		}
	}
}
