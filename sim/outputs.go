package sim

import (
	"fmt"
	"io"

	"gobragg/config"
	"gobragg/crand"
	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/imageio"
)

// Header returns the SMV header of this problem's images: nanoBragg's in
// c-parity mode; in spec mode nanoBragg's with BEAM_CENTER_X/Y that dxtbx
// reads truly (DXTBXBeamCentre), nanoBragg's own beam centre under
// NANOBRAGG_XBEAM/YBEAM (what -img reads), ADC_OFFSET and an honest
// HEADER_BYTES.
func (p *Problem) Header() imageio.SMVHeader {
	s := p.Settings
	h := p.Geometry.Header(s.Twotheta)
	sh := smvHeader(h, s.Lambda0*1e10, s.Phi0*rtd, s.Osc*rtd)
	if s.Mode == config.ModeSpec {
		if x, y, ok := DXTBXBeamCentre(p.Geometry); ok {
			sh.NanoBraggBeam = true
			sh.NanoBraggXbeamMM, sh.NanoBraggYbeamMM = sh.BeamCenterXMM, sh.BeamCenterYMM
			sh.BeamCenterXMM, sh.BeamCenterYMM = x, y
		}
		sh.HasADCOffset, sh.ADCOffset = true, s.ADC
		sh.FitHeader = true
	}
	return sh
}

// pilatusCountCutoff is a Pilatus's count rate limit, written as
// Count_cutoff; counts above it are written as they are and dxtbx treats
// them as overloads, as it would for a real frame.
const pilatusCountCutoff = 1048575

// CBFHeader returns the Pilatus header lines of this problem's miniCBF
// frame: Beam_xy is where the beam meets the detector, the distance is the
// sample-to-plane distance, so dxtbx reads an untilted detector truly.
func (p *Problem) CBFHeader() imageio.CBFHeader {
	s, g := p.Settings, p.Geometry
	f, sl, _ := g.BeamSpot()
	return imageio.CBFHeader{
		SizeFast: s.FPixels, SizeSlow: s.SPixels,
		PixelSizeM: s.PixelSize, DistanceM: g.CloseDistanceM.V,
		BeamXPixels: f / s.PixelSize, BeamYPixels: sl / s.PixelSize,
		WavelengthA: s.Lambda0 * 1e10, StartAngleDeg: s.Phi0 * rtd, AngleIncrementDeg: s.Osc * rtd,
		ExposureTimeS: s.Exposure, ThicknessM: s.DetectorThick, CountCutoff: pilatusCountCutoff,
	}
}

// DXTBXBeamCentre returns the BEAM_CENTER_X/Y (mm) from which dxtbx's
// reader of these images (FormatSMVJHSim) recovers where the beam really
// meets the detector. That reader takes the beam to lie at fast
// BEAM_CENTER_X + pixel and slow height - BEAM_CENTER_Y + pixel (mm from
// the first pixel's corner), on an untilted detector whose fast axis is
// the spindle; nanoBragg writes its Xbeam/Ybeam, which that reading puts
// elsewhere for every convention. ok is false when the beam misses the
// detector plane.
func DXTBXBeamCentre(g detector.Geometry) (xMM, yMM float64, ok bool) {
	f, sl, ok := g.BeamSpot()
	if !ok {
		return 0, 0, false
	}
	heightMM := g.PixelSizeM * float64(g.SPixels) * 1000
	pixelMM := g.PixelSizeM * 1000
	return f*1000 - pixelMM, heightMM - sl*1000 + pixelMM, true
}

func smvHeader(h detector.HeaderValues, lambdaA, phiDeg, oscDeg float64) imageio.SMVHeader {
	return imageio.SMVHeader{
		SizeFast: h.Size1, SizeSlow: h.Size2,
		PixelSizeMM: h.PixelSizeMM, DistanceMM: h.DistanceMM, WavelengthA: lambdaA,
		BeamCenterXMM: h.BeamCenterXMM, BeamCenterYMM: h.BeamCenterYMM,
		ADXVCenterXMM: h.ADXVCenterXMM, ADXVCenterYMM: h.ADXVCenterYMM,
		MOSFLMCenterXMM: h.MOSFLMCenterXMM, MOSFLMCenterYMM: h.MOSFLMCenterYMM,
		DenzoXBeamMM: h.DenzoXBeamMM, DenzoYBeamMM: h.DenzoYBeamMM,
		DialsOriginMM: h.DialsOriginMM,
		XDSOrgX:       h.XDSOrgX, XDSOrgY: h.XDSOrgY,
		CloseDistanceMM: h.CloseDistanceMM,
		PhiDeg:          phiDeg, OscStartDeg: phiDeg, OscRangeDeg: oscDeg,
		TwoThetaDeg: h.TwoThetaDeg,
	}
}

// Outputs names the files WriteOutputs would write for s (Fdump.bin after
// -hkl included) with the options that name them, so that a command can
// check them (imageio.CheckWritable) before any work.
func Outputs(s *config.Settings, d Dirs) []imageio.NamedPath {
	var out []imageio.NamedPath
	add := func(option, name string, written bool) {
		if written && name != "" {
			out = append(out, imageio.NamedPath{Option: option, Path: d.out(name)})
		}
	}
	add("-dump", s.DumpFile, s.HKLFile != "" && !s.NoDump && !d.NoDump)
	add("-floatfile", s.FloatFile, true)
	add("-intfile", s.IntFile, true)
	add("-pgmfile", s.PGMFile, s.WritePGM)
	add("-expt", s.ExptFile, true)
	add("-pngfile", s.PNGFile, true)
	add("-noisefile", s.NoiseFile, s.WriteNoise)
	add("-cbffile", s.CBFFile, true)
	return out
}

// WriteOutputs writes the float, int, PGM, noise and PNG images nanoBragg
// (and gobragg) write, and Fdump.bin after reading -hkl, and prints
// nanoBragg's lines about them. Every file goes to a temporary name first;
// they are renamed into place together once all have been written, so a
// failure leaves no output behind.
func (p *Problem) WriteOutputs(out io.Writer, res *Result) error {
	out = lineFlusher{out} // each "writing" line shows before its file is written
	var batch imageio.Batch
	if err := p.writeOutputs(out, res, &batch); err != nil {
		batch.Abort()
		return err
	}
	return batch.Commit()
}

func (p *Problem) writeOutputs(out io.Writer, res *Result, batch *imageio.Batch) error {
	s := p.Settings
	if p.dumpPath != "" {
		if err := batch.Add(p.dumpPath, func(w io.Writer) error { return crystal.WriteFdump(w, p.Grid) }); err != nil {
			return fmt.Errorf("dump file: %w", err)
		}
	}
	if p.Exp.Setup.Panels != nil {
		return p.writePanelOutputs(out, res, batch)
	}
	d := p.Dirs
	img := p.floatImage(res.Float32)
	npix := s.FPixels * s.SPixels
	st := res.Stats

	// FloatFile and IntFile are always set from the command line; a dataset
	// frame (package dataset) clears them to write only its own files.
	if s.FloatFile != "" {
		fmt.Fprintf(out, "writing %s as %d 4-byte floats\n", s.FloatFile, npix)
		if err := batch.Add(d.out(s.FloatFile), func(w io.Writer) error {
			return imageio.WriteFloat32(w, res.Float32)
		}); err != nil {
			return fmt.Errorf("floatfile: %w", err)
		}
	}
	fmt.Fprintf(out, "max_I = %s  at %s %s\n", fg(st.MaxI), fg(res.MaxFdetM), fg(res.MaxSdetM))
	fmt.Fprintf(out, "mean= %s rms= %s rmsd= %s\n", fg(st.Mean), fg(st.RMS), fg(st.RMSD))
	scale := s.IntScale
	if scale <= 0 {
		scale = imageio.AutoIntScale(st.MaxI)
	}
	fmt.Fprintf(out, "intfile_scale = %s\n", fg(scale))
	header := p.Header()
	ints := imageio.IntImage(img, scale, s.ADC)
	if s.IntFile != "" {
		fmt.Fprintf(out, "writing %s as 2-byte integers\n", s.IntFile)
		if err := batch.Add(d.out(s.IntFile), func(w io.Writer) error {
			return imageio.WriteSMV(w, header, ints)
		}); err != nil {
			return fmt.Errorf("intfile: %w", err)
		}
	}
	if s.WritePGM {
		pgmScale := s.PGMScale
		if pgmScale <= 0 {
			pgmScale = imageio.AutoPGMScale(st.RMSD, scale)
		}
		fmt.Fprintf(out, "pgm_scale = %s\n", fg(pgmScale))
		pix := imageio.PGMBytes(img, pgmScale)
		fmt.Fprintf(out, "writing %s as 1-byte integers\n", s.PGMFile)
		if err := batch.Add(d.out(s.PGMFile), func(w io.Writer) error {
			return imageio.WritePGM(w, pix, pgmScale)
		}); err != nil {
			return fmt.Errorf("pgmfile: %w", err)
		}
	}
	if s.ExptFile != "" {
		l, err := p.SingleImageList()
		if err != nil {
			return fmt.Errorf("expt: %w", err)
		}
		fmt.Fprintf(out, "writing %s as a DIALS experiment list\n", s.ExptFile)
		if w := p.ExptImageWarning(); w != "" {
			fmt.Fprintln(out, w)
		}
		if err := batch.Add(d.out(s.ExptFile), l.Write); err != nil {
			return fmt.Errorf("expt: %w", err)
		}
	}
	if s.PNGFile != "" {
		fmt.Fprintf(out, "writing %s as a PNG preview\n", s.PNGFile)
		if err := batch.Add(d.out(s.PNGFile), func(w io.Writer) error {
			return imageio.WritePNG(w, img, imageio.PNGOptions{Soft: s.PNGScale})
		}); err != nil {
			return fmt.Errorf("pngfile: %w", err)
		}
	}
	if s.WriteNoise || s.CBFFile != "" {
		// One set of Poisson draws feeds both noise frames.
		seed := s.Seed
		counts, photons := p.Gen.PoissonCounts(img, &seed)
		if s.WriteNoise {
			noise, overloads := crand.CountsToSMV(counts, s.ADC)
			fmt.Fprintf(out, "%.0f photons on noise image (%d overloads)\n", photons, overloads)
			fmt.Fprintf(out, "writing %s as 2-byte integers\n", s.NoiseFile)
			if err := batch.Add(d.out(s.NoiseFile), func(w io.Writer) error {
				return imageio.WriteSMV(w, header, noise)
			}); err != nil {
				return fmt.Errorf("noisefile: %w", err)
			}
		}
		if s.CBFFile != "" {
			if !s.WriteNoise {
				fmt.Fprintf(out, "%.0f photons on noise image\n", photons)
			}
			fmt.Fprintf(out, "writing %s as a miniCBF of 4-byte integers\n", s.CBFFile)
			h := p.CBFHeader()
			if err := batch.Add(d.out(s.CBFFile), func(w io.Writer) error {
				return imageio.WriteCBF(w, h, counts.Pix)
			}); err != nil {
				return fmt.Errorf("cbffile: %w", err)
			}
		}
	}
	return nil
}
