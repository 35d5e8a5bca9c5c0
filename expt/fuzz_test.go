package expt

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzReadExpt: Read and Single never panic on any input; text that
// checkShape passes decodes without error (it judges kinds and fields as
// encoding/json does); and a list they accept reads back to the same
// experiment after Write.
func FuzzReadExpt(f *testing.F) {
	f.Add([]byte(strings.Replace(listJSON, "PANEL", panelJSON, 1)))
	f.Add([]byte(strings.Replace(listJSON, "PANEL", panelJSON+","+panelJSON, 1)))
	f.Add([]byte(`{"__id__": "ExperimentList", "experiment": [{}]}`))
	if cspad, err := os.ReadFile(cspadFile); err == nil {
		f.Add(cspad) // 64 panels in a hierarchy of 37 groups
	}
	// The hostile lists of the strict tests: wrong lengths, nulls, kinds,
	// folded keys, trailing text, panels that do not face the sample.
	for _, c := range hostileEdits {
		f.Add([]byte(strings.Replace(goodList, c.old, c.new, 1)))
	}
	f.Add([]byte(`{"__id__": "ExperimentList", "profile": [` + strings.Repeat("1,", 1000) + `1]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkSyntax(data) == nil && checkShape(data, listType) == nil {
			var l List
			if err := json.Unmarshal(data, &l); err != nil {
				t.Fatalf("checkShape passed text that encoding/json refuses: %v", err)
			}
		}
		l, err := Read(bytes.NewReader(data), "fuzz.expt")
		if err != nil {
			return
		}
		e, err := l.Single("fuzz.expt")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := l.Write(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&buf, "again.expt")
		if err != nil {
			t.Fatalf("rewritten list unreadable: %v", err)
		}
		e2, err := back.Single("again.expt")
		if err != nil {
			t.Fatalf("rewritten list refused: %v", err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("experiment changed on rewriting:\n%+v\n%+v", e, e2)
		}
	})
}
