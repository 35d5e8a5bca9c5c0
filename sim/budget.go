package sim

import (
	"fmt"
	"math"
	"runtime"
	"strings"

	"gobragg/config"
	"gobragg/internal/sysmem"
)

// Resource limits checked before anything big is allocated or rendered, so
// that a runaway setting is refused within a second instead of hanging or
// dying out of memory. -force skips them.
const (
	// maxSubpixelSteps bounds the rendering work: ROI pixels times
	// oversample^2, sources, mosaic domains, phi steps and sensor layers.
	// It is a count, not a time, so that whether a run is refused does not
	// depend on the machine. C renders about 5e6 steps a second a thread
	// (the README's supervisor frame: 6.2e7 steps in 5.6 s on 2 threads), so
	// 1e11 is hours: a large real run (a 2463x2527 frame, oversample 2, 50
	// mosaic domains, 5 phi steps: 6e9) stays well below it.
	maxSubpixelSteps = 1e11
	// stepsPerCoreSecond is the rendering rate the refusal message uses
	// for its time estimate, measured with
	// "gobragg -detpixels 512 -oversample 2 -mosaic 1 -mosaic_dom 10" (1e7
	// steps in 2.3 s on the 2-core CI machine, shared).
	stepsPerCoreSecond = 2.3e6
	// maxAutoOversample caps C's recommended oversampling
	// ceil(3 * crystal size / reciprocal pixel). A micron-sized crystal at
	// 100 mm and 1 A asks for 30; values far above come from degenerate
	// settings (-distance 0.001 and -lambda 1e-6 ask for 1e5 and more; a
	// crystal above config.MaxCrystalM is refused) for which C never
	// finishes. At 32, a 1024x1024 detector takes
	// 1e9 steps a source, domain and phi step: minutes.
	maxAutoOversample = 32
	// bytesPerPixel is the memory a full-detector pixel costs whatever the
	// ROI: the float64 image, its float32 copy, the SMV and noise images and
	// the graph's buffers (measured: 3000x3000 pixels peak at 225 MB).
	bytesPerPixel = 26
	// bytesPerDomain, bytesPerSource and bytesPerPhiStep are what one more
	// mosaic domain, source or phi step costs (the graph's per-step
	// tensors and the log lines), measured on a 4x4 detector with 1e6 of
	// each: 740 MB, 590 MB and 1.0 GB peak.
	bytesPerDomain  = 750
	bytesPerSource  = 600
	bytesPerPhiStep = 1000
)

// workFactor is one factor of the rendering work and the option that sets
// it; typical is an ordinary value, so that the factor furthest above its
// typical value is the one blamed.
type workFactor struct {
	n       float64
	what    string
	option  string
	typical float64
}

// capOversample returns the auto-selected oversampling, capped at
// maxAutoOversample with an alert naming C's value.
func (p *Problem) capOversample(recommended float64) int {
	if recommended <= maxAutoOversample {
		return int(recommended)
	}
	p.alertf("-oversample: auto-selected oversampling capped at %d (nanoBragg would use %s, which cannot finish); give -oversample N to choose", maxAutoOversample, fg(recommended))
	return maxAutoOversample
}

// checkBudget refuses, unless -force, a run whose work (see
// maxSubpixelSteps) or memory estimate is above the limits: the error names
// the largest factor's option, the estimate and the limit or the machine's
// memory. nSources is the number of sources (an upper bound before they
// are built).
func (p *Problem) checkBudget(oversample int, nSources float64) error {
	s := p.Settings
	if s.Force {
		return nil
	}
	roi := float64(s.RoiXMax-s.RoiXMin+1) * float64(s.RoiYMax-s.RoiYMin+1)
	roi = math.Min(roi, float64(s.FPixels)*float64(s.SPixels))
	os2 := float64(oversample) * float64(oversample)
	pixelsOption := s.Origin("FPixels", "-detpixels")
	roiOption := "-roi"
	if roi == float64(s.FPixels)*float64(s.SPixels) {
		roiOption = pixelsOption
	}
	factors := []workFactor{
		{roi, "pixels", roiOption, 6.2e6}, // a Pilatus 6M frame
		{os2, fmt.Sprintf("oversample %d^2", oversample), "-oversample", 4},
		{nSources, "sources", "-dispsteps/-hdivsteps/-vdivsteps/-sourcefile", 10},
		{float64(s.MosaicDomains), "mosaic domains", "-mosaic_domains", 10},
		{float64(s.PhiSteps), "phi steps", "-phisteps/-phistep", 10},
		{float64(s.DetectorThickSteps), "sensor layers", "-detector_thicksteps", 10},
	}
	work := 1.0
	var parts []string
	worst := factors[0]
	for _, f := range factors {
		work *= f.n
		parts = append(parts, fmt.Sprintf("%s %s", fg(f.n), f.what))
		if f.n/f.typical > worst.n/worst.typical {
			worst = f
		}
	}
	if work > maxSubpixelSteps {
		hours := work / (stepsPerCoreSecond * float64(runtime.NumCPU())) / 3600
		return &config.UsageError{Option: worst.option, Msg: fmt.Sprintf(
			"the render needs %s sub-pixel steps (%s; about %s hours on %d cores), above the limit of %s; reduce it, or give -force to run anyway",
			fg(work), strings.Join(parts, " x "), fg(math.Round(hours*10)/10), runtime.NumCPU(), fg(maxSubpixelSteps))}
	}
	pixels := float64(s.FPixels) * float64(s.SPixels)
	memParts := []workFactor{
		{pixels * bytesPerPixel, fmt.Sprintf("%dx%d pixels (%d bytes each, whatever the -roi)", s.FPixels, s.SPixels, bytesPerPixel), pixelsOption, 1},
		{float64(s.MosaicDomains) * bytesPerDomain, fmt.Sprintf("%d mosaic domains", s.MosaicDomains), "-mosaic_domains", 1},
		{nSources * bytesPerSource, fmt.Sprintf("%s sources", fg(nSources)), "-dispsteps/-hdivsteps/-vdivsteps/-sourcefile", 1},
		{float64(s.PhiSteps) * bytesPerPhiStep, fmt.Sprintf("%d phi steps", s.PhiSteps), "-phisteps/-phistep", 1},
	}
	mem, big := 0.0, memParts[0]
	for _, m := range memParts {
		mem += m.n
		if m.n > big.n {
			big = m
		}
	}
	avail, total, ok := sysmem.Available()
	if ok && mem > sysmem.Share*avail {
		option, what := big.option, big.what+" and the rest"
		return &config.UsageError{Option: option, Msg: fmt.Sprintf(
			"%s need about %s of memory, more than %.0f %% of the %s this machine has available (of %s); give -force to try anyway",
			what, sysmem.Text(mem), 100*sysmem.Share, sysmem.Text(avail), sysmem.Text(total))}
	}
	return nil
}
