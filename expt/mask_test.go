package expt

import (
	"strings"
	"testing"
)

// TestMaskRects: a panel's mask as dxtbx writes it, and entries refused.
func TestMaskRects(t *testing.T) {
	p := Panel{ImageSize: [2]int{100, 80}}
	rect := func(v ...any) any { return v }
	cases := []struct {
		name string
		mask []any
		want string // "" = accepted
	}{
		{"none", nil, ""},
		{"gaps", []any{rect(10.0, 0.0, 17.0, 80.0), rect(0.0, 20.0, 100.0, 37.0)}, ""},
		{"three numbers", []any{rect(1.0, 2.0, 3.0)}, "mask[0] is not four numbers"},
		{"fraction", []any{rect(1.5, 2.0, 3.0, 4.0)}, "mask[0][0] is 1.5"},
		{"negative", []any{rect(1.0, -2.0, 3.0, 4.0)}, "mask[0][1] is -2"},
		{"text", []any{rect(1.0, 2.0, "3", 4.0)}, "mask[0][2] is 3"},
		{"reversed", []any{rect(5.0, 2.0, 3.0, 4.0)}, "does not lie within"},
		{"past the panel", []any{rect(0.0, 0.0, 101.0, 4.0)}, "does not lie within the 100x80 panel"},
	}
	for _, c := range cases {
		p.Mask = c.mask
		got, err := p.MaskRects()
		switch {
		case c.want == "" && (err != nil || len(got) != len(c.mask)):
			t.Errorf("%s: %v, %v", c.name, got, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	p.Mask = []any{rect(10.0, 0.0, 17.0, 80.0)}
	if got, _ := p.MaskRects(); got[0] != [4]int{10, 0, 17, 80} {
		t.Errorf("read %v", got)
	}
}
