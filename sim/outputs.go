package sim

import (
	"fmt"
	"io"

	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/imageio"
)

// Header returns the SMV header nanoBragg writes for this problem.
func (p *Problem) Header() imageio.SMVHeader {
	s := p.Settings
	h := p.Geometry.Header(s.Twotheta)
	return smvHeader(h, s.Lambda0*1e10, s.Phi0*rtd, s.Osc*rtd)
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
	d := p.Dirs
	roi := [4]int{s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax}
	npix := s.FPixels * s.SPixels
	st := res.Stats

	fmt.Fprintf(out, "writing %s as %d 4-byte floats\n", s.FloatFile, npix)
	if err := batch.Add(d.out(s.FloatFile), func(w io.Writer) error {
		return imageio.WriteFloat32(w, res.Float32)
	}); err != nil {
		return fmt.Errorf("floatfile: %w", err)
	}
	fmt.Fprintf(out, "max_I = %s  at %s %s\n", fg(st.MaxI), fg(res.MaxFdetM), fg(res.MaxSdetM))
	fmt.Fprintf(out, "mean= %s rms= %s rmsd= %s\n", fg(st.Mean), fg(st.RMS), fg(st.RMSD))
	scale := s.IntScale
	if scale <= 0 {
		scale = imageio.AutoIntScale(st.MaxI)
	}
	fmt.Fprintf(out, "intfile_scale = %s\n", fg(scale))
	header := p.Header()
	ints := imageio.IntImage(res.Float32, s.FPixels, s.SPixels, roi, scale, s.ADC)
	fmt.Fprintf(out, "writing %s as 2-byte integers\n", s.IntFile)
	if err := batch.Add(d.out(s.IntFile), func(w io.Writer) error {
		return imageio.WriteSMV(w, header, ints)
	}); err != nil {
		return fmt.Errorf("intfile: %w", err)
	}
	if s.WritePGM {
		pgmScale := s.PGMScale
		if pgmScale <= 0 {
			pgmScale = imageio.AutoPGMScale(st.RMSD, scale)
		}
		fmt.Fprintf(out, "pgm_scale = %s\n", fg(pgmScale))
		pix := imageio.PGMBytes(res.Float32, s.FPixels, s.SPixels, roi, pgmScale)
		fmt.Fprintf(out, "writing %s as 1-byte integers\n", s.PGMFile)
		if err := batch.Add(d.out(s.PGMFile), func(w io.Writer) error {
			return imageio.WritePGM(w, s.FPixels, s.SPixels, pix, pgmScale)
		}); err != nil {
			return fmt.Errorf("pgmfile: %w", err)
		}
	}
	if s.PNGFile != "" {
		fmt.Fprintf(out, "writing %s as a PNG preview\n", s.PNGFile)
		if err := batch.Add(d.out(s.PNGFile), func(w io.Writer) error {
			return imageio.WritePNG(w, res.Float32, s.FPixels, s.SPixels, imageio.PNGOptions{Soft: s.PNGScale})
		}); err != nil {
			return fmt.Errorf("pngfile: %w", err)
		}
	}
	if s.WriteNoise {
		seed := s.Seed
		noise, photons, overloads := p.Gen.PoissonImage(res.Float32, s.FPixels, s.SPixels, roi, &seed, s.ADC)
		fmt.Fprintf(out, "%.0f photons on noise image (%d overloads)\n", photons, overloads)
		fmt.Fprintf(out, "writing %s as 2-byte integers\n", s.NoiseFile)
		if err := batch.Add(d.out(s.NoiseFile), func(w io.Writer) error {
			return imageio.WriteSMV(w, header, noise)
		}); err != nil {
			return fmt.Errorf("noisefile: %w", err)
		}
	}
	return nil
}
