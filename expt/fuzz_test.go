package expt

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// FuzzReadExpt: Read and Single never panic on any input, and a list they
// accept reads back to the same experiment after Write.
func FuzzReadExpt(f *testing.F) {
	f.Add([]byte(strings.Replace(listJSON, "PANEL", panelJSON, 1)))
	f.Add([]byte(strings.Replace(listJSON, "PANEL", panelJSON+","+panelJSON, 1)))
	f.Add([]byte(`{"__id__": "ExperimentList", "experiment": [{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
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
