package graph

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// modeNames are the Setup's mode switches and quirks, and the pass
// pointers, that rules.go decides once: the loop stages must not test them.
var modeNames = map[string]bool{
	"OversampleOmega": true, "OversamplePolar": true, "OversampleThick": true,
	"DminM": true, "DetectorThickM": true, "NoPolar": true, "Interpolate": true,
	"Quirks": true, "RunningSum": true, "LastLayerCapture": true, "InterpolationSwitchOff": true,
	"PolarUnitizesDiffracted": true, "SincgFromIndex": true, "CarryOver": true,
	"weighted": true, "runningSum": true, "layerCapture": true, "general": true, "vectorSums": true,
}

// passNames are the names of a pass's state that a loop stage must not
// compare with nil (a test of which pass it is in).
var passNames = map[string]bool{"gp": true, "tr": true, "o": true}

// onceFuncs run once per pixel (or per run), not per subpixel, source or
// term: they may test the modes.
var onceFuncs = map[string]bool{
	"init": true, "finish": true, "sumStage": true, "latticeStage": true, "rules": true, "interpUntil": true,
	"fastSum": true, "runningSum": true, "passOf": true,
	// pixelSources runs a pixel, or with weighted sources one pass per source.
	"pixelSources": true,
}

// loopFunc reports whether fn runs inside the per-subpixel loops: a method
// of pixelState, a stage or hook taking the pixel's state, a lattice stage,
// or one of the per-subpath sums.
func loopFunc(fn *ast.FuncDecl) bool {
	if onceFuncs[fn.Name.Name] {
		return false
	}
	switch fn.Name.Name {
	case "termGrad", "gradSquare", "sumSquare", "sumSquareVec", "addSquareTerm", "cellFactor", "cellLookup":
		return true
	}
	var fields []*ast.Field
	if fn.Recv != nil {
		fields = append(fields, fn.Recv.List...)
	}
	fields = append(fields, fn.Type.Params.List...)
	for _, f := range fields {
		switch typeString(f.Type) {
		case "*pixelState", "*latticeValue", "*squareGrad", "forwardPass":
			return true
		}
	}
	return false
}

func typeString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return "*" + typeString(t.X)
	}
	return ""
}

// modeTests returns the positions of the if and switch statements under n
// whose condition, tag or case reads a mode switch or compares a pass with
// nil.
func modeTests(n ast.Node) []ast.Node {
	var found []ast.Node
	check := func(stmt ast.Node, exprs ...ast.Expr) {
		for _, e := range exprs {
			if e != nil && readsMode(e) {
				found = append(found, stmt)
				return
			}
		}
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.IfStmt:
			check(s, s.Cond)
		case *ast.SwitchStmt:
			check(s, s.Tag)
			for _, c := range s.Body.List {
				check(s, c.(*ast.CaseClause).List...)
			}
		}
		return true
	})
	return found
}

func readsMode(e ast.Expr) bool {
	hit := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			hit = hit || modeNames[x.Sel.Name]
		case *ast.Ident:
			hit = hit || modeNames[x.Name]
		case *ast.BinaryExpr:
			if x.Op == token.EQL || x.Op == token.NEQ {
				hit = hit || (isNil(x.Y) && passName(x.X)) || (isNil(x.X) && passName(x.Y))
			}
		}
		return !hit
	})
	return hit
}

func isNil(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == "nil" }

func passName(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return passNames[x.Name]
	case *ast.SelectorExpr:
		return passNames[x.Sel.Name]
	}
	return false
}

// TestLoopStagesTestNoModeFlag checks the kernel's structure: no function
// that runs inside the per-subpixel, per-source or per-term loops tests a
// mode switch of the Setup, a quirk, or which pass (forward, backward,
// trace) it serves; rules.go decides those once per pixel. The loops of
// Setup.pixel itself are checked too.
func TestLoopStagesTestNoModeFlag(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			var roots []ast.Node
			switch {
			case fn.Name.Name == "pixel" && fn.Recv != nil && typeString(fn.Recv.List[0].Type) == "*Setup":
				for _, s := range fn.Body.List {
					if loop, ok := s.(*ast.ForStmt); ok {
						roots = append(roots, loop.Body)
					}
				}
			case loopFunc(fn):
				roots = append(roots, fn.Body)
			}
			if roots != nil {
				checked++
			}
			for _, r := range roots {
				for _, n := range modeTests(r) {
					t.Errorf("%s: %s tests a mode flag or the pass inside the loop nest", fset.Position(n.Pos()), fn.Name.Name)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d loop functions found: the checker no longer sees the kernel", checked)
	}
}
