package refine_test

import (
	"errors"
	"math"
	"testing"

	"gobragg/refine"
)

// TestScaleFromData: on noise-free frames of scale S over a known
// background, the scale from the data starts at S whatever S is (from a
// start of 1, far off), and the fit keeps it there; a frame with nothing
// above its background is refused as having no signal.
func TestScaleFromData(t *testing.T) {
	img, err := prepare(t, simArgs...).Image()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		scale float64 // counts per photon of the data; the frame holds 2595 photons, so 0.05 gives 130 counts above the background, enough to measure
	}{
		{"small", 0.05},
		{"half", 0.5},
		{"large", 300},
		{"no signal", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts := make([]float64, len(img))
			for i, v := range img {
				counts[i] = tt.scale*v + backgroundCounts
			}
			q := prepare(t, simArgs...)
			setOption(t, q.Exp, "background", backgroundCounts)
			res, err := refine.Refine(&refine.Problem{
				Frames: []refine.Frame{{Name: "simulated", Exp: q.Exp, Counts: counts}},
				Names:  []string{"scale", "background"}, ScaleFromData: true}, refine.Settings{}, nil)
			if tt.scale == 0 {
				if !errors.Is(err, refine.ErrNoSignal) {
					t.Fatalf("a frame of background only: err %v, want ErrNoSignal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := res.Parameters[0]
			// The sums over 25600 pixels round at about 1e-13 relative.
			if got.Name != "scale" || math.Abs(got.Start/tt.scale-1) > 1e-10 {
				t.Errorf("%s starts at %g, want %g", got.Name, got.Start, tt.scale)
			}
			if !res.Converged || math.Abs(got.Value/tt.scale-1) > 1e-6 {
				t.Errorf("refined to %g (converged %v: %s), want %g", got.Value, res.Converged, res.Reason, tt.scale)
			}
		})
	}
}
