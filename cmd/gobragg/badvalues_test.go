package main

import (
	"encoding/binary"
	"math"
	"strings"
)

// smvWith is smvFile(4, 4, -1) with header text old replaced by new (the
// header stays 512 bytes).
func smvWith(old, new string) string {
	s := smvFile(4, 4, -1)
	h := strings.Replace(s[:512], old, new, 1)
	h = strings.TrimRight(h, " ")
	return h + strings.Repeat(" ", max(0, 512-len(h))) + s[512:]
}

// fdumpWith is a 1x1x1 Fdump.bin table whose one structure factor is F.
func fdumpWith(F float64) string {
	var b strings.Builder
	b.WriteString("0 0 0 0 0 0\n\f")
	var v [8]byte
	for i := 0; i < 8; i++ { // nanoBragg's (n+1)^3 slots
		x := 0.0
		if i == 0 {
			x = F
		}
		binary.LittleEndian.PutUint64(v[:], math.Float64bits(x))
		b.Write(v[:])
	}
	return b.String()
}

// validationBadInputs are the values issue 11 found accepted: physically
// meaningless values (class 2), partial -cell values (3), runaway work or
// memory (4, runaway: refused within a second), unchecked SMV headers and
// source files (7) and unclear messages (8). Each must be refused with one
// line naming the option, header key or file, as badInputs.
var validationBadInputs = []badInput{
	// class 2: meaningless values, named with their valid range
	{name: "zero distance", args: []string{"-distance", "0"}, want: "-distance: value 0 mm is outside the valid range (0,"},
	{name: "huge wavelength", args: []string{"-lambda", "1e308"}, want: "-lambda: value 1e+308 A is outside the valid range [0.0001, 10000] A"},
	{name: "tiny wavelength", args: []string{"-lambda", "1e-300"}, want: "-lambda: value 1e-300 A is outside the valid range"},
	{name: "tiny pixel", args: []string{"-pixel", "1e-300"}, want: "-pixel: value 1e-300 mm is outside the valid range [1e-06, 1000] mm"},
	{name: "negative distance", args: []string{"-distance", "-1"}, want: "-distance: value -1 mm"},
	{name: "huge distance", args: []string{"-distance", "1e300"}, want: "-distance: value 1e+300 mm"},
	{name: "zero close distance", args: []string{"-close_distance", "0"}, want: "-close_distance: value 0 mm"},
	{name: "zero fluence", args: []string{"-fluence", "0"}, want: "-fluence: value 0 photons/m^2 is outside the valid range (0, 1e+40]"},
	{name: "negative fluence", args: []string{"-fluence", "-1e20"}, want: "-fluence: value -1e+20"},
	{name: "huge fluence", args: []string{"-fluence", "1e300"}, want: "-fluence: value 1e+300"},
	{name: "negative flux", args: []string{"-flux", "-1"}, want: "-flux: value -1 photons/s is outside the valid range [0,"},
	{name: "huge flux", args: []string{"-flux", "1e300"}, want: "-flux: value 1e+300"},
	{name: "flux without exposure", args: []string{"-flux", "1e12", "-exposure", "0"}, want: "-flux: needs a positive -exposure"},
	{name: "negative exposure", args: []string{"-exposure", "-1"}, want: "-exposure: value -1 s"},
	{name: "flux giving a huge fluence", args: []string{"-flux", "1e30", "-beamsize", "1e-6"}, want: "-flux/-exposure/-beamsize: fluence flux*exposure/beamsize^2 = 1e+48"},
	{name: "negative water", args: []string{"-water", "-1"}, want: "-water: value -1 um is outside the valid range [0,"},
	{name: "huge water", args: []string{"-water", "1e300"}, want: "-water: value 1e+300 um"},
	{name: "twotheta 180", args: []string{"-twotheta", "180"}, want: "-twotheta: value 180 degrees is outside the valid range (-90, 90)"},
	{name: "twotheta 90", args: []string{"-twotheta", "90"}, want: "-twotheta: value 90 degrees"},
	{name: "osc 1e308", args: []string{"-osc", "1e308"}, want: "-osc: value 1e+308 degrees is outside the valid range [-360000, 360000] degrees"},
	{name: "phi 1e308", args: []string{"-phi", "1e308"}, want: "-phi: value 1e+308 degrees is outside the valid range"},
	{name: "phistep -1e300", args: []string{"-phistep", "-1e300"}, want: "-phistep: value -1e+300 degrees is outside the valid range"},
	{name: "zero pix0 vector", args: []string{"-pix0_vector", "0", "0", "0"}, want: "-pix0_vector: 0 0 0"},
	{name: "zero odet vector", specOnly: true, args: []string{"-odet_vector", "0", "0", "0"}, want: "-odet_vector: direction 0 0 0 has no length"},
	{name: "fdet parallel to sdet", args: []string{"-fdet_vector", "0", "1", "0", "-sdet_vector", "0", "2", "0"}, want: "-fdet_vector: 0 1 0 is parallel to -sdet_vector 0 2 0"},
	{name: "zero polar vector", args: []string{"-polar_vector", "0", "0", "0"}, want: "-polar_vector: direction 0 0 0"},
	{name: "zero spindle axis", args: []string{"-spindle_axis", "0", "0", "0"}, want: "-spindle_axis: direction 0 0 0"},
	{name: "zero twotheta axis", args: []string{"-twotheta_axis", "0", "0", "0", "-twotheta", "10"}, want: "-twotheta_axis: direction 0 0 0"},
	{name: "huge pixel", args: []string{"-pixel", "1e300"}, want: "-pixel: value 1e+300 mm is outside the valid range [1e-06, 1000] mm"},
	{name: "huge mosaic", args: []string{"-mosaic", "1e300"}, want: "-mosaic: value 1e+300 degrees is outside the valid range [0, 180]"},
	{name: "negative mosaic", args: []string{"-mosaic", "-1"}, want: "-mosaic: value -1 degrees"},
	{name: "huge default F", args: []string{"-default_F", "1e300"}, want: "-default_F: value 1e+300 is outside the valid range [0, 1e+10]"},
	{name: "negative default F", args: []string{"-default_F", "-5"}, want: "-default_F: value -5"},
	{name: "huge polar", args: []string{"-polar", "1e300"}, want: "-polar: value 1e+300 is outside the valid range [-1, 1]"},
	{name: "huge beam centre", args: []string{"-Xbeam", "1e300"}, want: "-Xbeam: value 1e+300 mm"},
	{name: "huge near point", args: []string{"-ORGY", "1e300"}, want: "-ORGY: value 1e+300 pixels"},
	{name: "zero fudge", args: []string{"-fudge", "0"}, want: "-fudge: value 0 is outside the valid range (0,"},
	{name: "dispersion 200 percent", args: []string{"-dispersion", "200"}, want: "-dispersion: value 200 % is outside the valid range [0, 200) %"},
	{name: "negative dispersion", args: []string{"-dispersion", "-5"}, want: "-dispersion: value -5 %"},
	{name: "oversample_thick without a sensor", args: []string{"-oversample_thick"}, want: "-oversample_thick: needs a sensor"},
	{name: "zero beam size with flux", args: []string{"-flux", "1e12", "-beamsize", "0"}, want: "-beamsize: value 0 mm is outside the valid range (0, 1000] mm"},
	{name: "huge crystal", args: []string{"-sample_thick", "1e300"}, want: "-sample_thick: value 1e+300 mm"},
	{name: "hkl with NaN F", args: []string{"-hkl", "nan.hkl"}, files: map[string]string{"nan.hkl": "1 2 3 10\n0 0 1 nan\n"}, want: "nan.hkl line 2: F = NaN is not finite"},
	{name: "hkl with inf F in c-parity mode", args: []string{"-mode", "c-parity", "-hkl", "inf.hkl"}, files: map[string]string{"inf.hkl": "1 2 3 10 0 0 1 inf\n"}, want: "inf.hkl line 1: F = +Inf is not finite"},
	{name: "hkl with huge F", args: []string{"-hkl", "big.hkl"}, files: map[string]string{"big.hkl": "1 2 3 1e300\n"}, want: "big.hkl line 1: F = 1e+300 is outside"},
	{name: "Fdump.bin holding NaN", files: map[string]string{"Fdump.bin": fdumpWith(math.NaN())}, want: "Fdump.bin: h=0 k=0 l=0: F = NaN is not finite"},
	{name: "Fdump.bin holding inf", files: map[string]string{"Fdump.bin": fdumpWith(math.Inf(-1))}, want: "Fdump.bin: h=0 k=0 l=0: F = -Inf is not finite"},

	// class 3: partial values are not completed silently in spec mode
	{name: "cell with two values", specOnly: true, args: []string{"-cell", "50", "50"}, want: "-cell: got 2 of the 6 values"},
	{name: "cell with five values", specOnly: true, args: []string{"-cell", "50", "50", "50", "90", "90"}, want: "-cell: got 5 of the 6 values"},
	{name: "cell with zero angles", specOnly: true, args: []string{"-cell", "100", "100", "100", "0", "0", "0"}, want: "-cell: alpha = 0 is read as 90 degrees"},
	{name: "cell with a zero edge", specOnly: true, args: []string{"-cell", "100", "0", "100", "90", "90", "90"}, want: "-cell: b = 0 is read as a"},
	{name: "cell angle of 180", args: []string{"-cell", "100", "100", "100", "90", "90", "180"}, want: "-cell: angle gamma = 180 degrees"},

	// class 4: runaway work or memory, refused up front
	{name: "ten million mosaic domains", runaway: true, args: []string{"-detpixels", "1024", "-mosaic", "1", "-mosaic_dom", "10000000"}, want: "-mosaic_domains: the render needs 1.04858e+13 sub-pixel steps (1.04858e+06 pixels x 1 oversample 1^2 x 1 sources x 1e+07 mosaic domains"},
	{name: "a million phi steps", runaway: true, args: []string{"-detpixels", "1024", "-phisteps", "1000000"}, want: "-phisteps/-phistep: the render needs"},
	{name: "phistep of 1e-9 degrees", runaway: true, args: []string{"-detpixels", "1024", "-osc", "1", "-phistep", "1e-9"}, want: "-phisteps/-phistep: the render needs"},
	{name: "a crystal of a billion cells", runaway: true, args: []string{"-N", "1000000000"}, want: "-N: the crystal is 10 x 10 x 10 m (1e+09 x 1e+09 x 1e+09 cells), above the 1 m limit"},
	{name: "phistep beyond an int", runaway: true, args: []string{"-osc", "1", "-phistep", "1e-12"}, want: "-phistep: step 1e-12 degrees gives 1e+12 steps"},
	{name: "a million wavelengths", runaway: true, args: []string{"-detpixels", "1024", "-dispersion", "10", "-dispsteps", "1000000"}, want: "-dispsteps/-hdivsteps/-vdivsteps/-sourcefile: the render needs"},
	{name: "oversample 1000", runaway: true, args: []string{"-detpixels", "1024", "-oversample", "1000"}, want: "-oversample: the render needs"},
	{name: "46340 pixels square with a tiny roi", runaway: true, memoryBytes: 55.8e9, args: []string{"-detpixels", "46340", "-roi", "0", "1", "0", "1"}, want: "-detpixels: 46340x46340 pixels (26 bytes each, whatever the -roi) and the rest need about 55.8 GB of memory, more than 80 % of the"},
	{name: "hkl from /dev/zero", runaway: true, args: []string{"-hkl", "/dev/zero"}, want: "hkl /dev/zero: not a text file: line 1 holds the byte 0x00"},
	{name: "hkl from /dev/urandom", runaway: true, args: []string{"-hkl", "/dev/urandom"}, want: "hkl /dev/urandom: not a text file"},
	{name: "c-parity hkl from /dev/urandom", runaway: true, args: []string{"-mode", "c-parity", "-hkl", "/dev/urandom"}, want: "hkl /dev/urandom: not a text file"},
	{name: "sourcefile from /dev/zero", runaway: true, args: []string{"-sourcefile", "/dev/zero"}, want: "sourcefile /dev/zero: not a text file"},
	{name: "mat from /dev/zero", runaway: true, args: []string{"-mat", "/dev/zero"}, want: "mat /dev/zero: not a text file"},
	{name: "stol file from /dev/zero", runaway: true, args: []string{"-stol", "/dev/zero"}, want: "stol file /dev/zero: not a text file"},
	{name: "dump file from /dev/zero", runaway: true, args: []string{"-dump", "/dev/zero"}, want: "Fdump /dev/zero: no header"},
	{name: "compare image from /dev/zero", runaway: true, noBase: true, args: []string{"compare", "/dev/zero", "b.bin", "-detpixels", "4"}, want: "image /dev/zero: more than 67108864 bytes"},
	{name: "mask from /dev/zero", runaway: true, args: []string{"-mask", "/dev/zero"}, want: "/dev/zero: not an SMV"},

	// class 7: SMV headers and source files are checked
	{name: "mask SIZE1 below the data", args: []string{"-mask", "m.img"}, files: map[string]string{"m.img": smvWith("SIZE1=4", "SIZE1=2")}, want: "m.img: header SIZE1 gives 2x4 pixels"},
	{name: "mask SIZE1=6x4", args: []string{"-mask", "m.img"}, files: map[string]string{"m.img": smvWith("SIZE1=4", "SIZE1=6x4")}, want: "m.img: header SIZE1=6x4 is not a positive size"},
	{name: "mask HEADER_BYTES below the header text", args: []string{"-mask", "m.img"}, files: map[string]string{"m.img": smvWith("HEADER_BYTES=512", "HEADER_BYTES=64")}, want: "m.img: the header text runs to byte"},
	{name: "img PIXEL_SIZE=nan", args: []string{"-img", "i.img"}, files: map[string]string{"i.img": smvWith("PIXEL_SIZE=0.1", "PIXEL_SIZE=nan")}, want: "-img: i.img: header PIXEL_SIZE=nan is not a finite number"},
	{name: "img BEAM_CENTER_X=abc", args: []string{"-img", "i.img"}, files: map[string]string{"i.img": smvWith("DIM=2", "BEAM_CENTER_X=abc")}, want: "-img: i.img: header BEAM_CENTER_X=abc is not a finite number"},
	{name: "img TYPE=float", args: []string{"-img", "i.img"}, files: map[string]string{"i.img": smvWith("TYPE=unsigned_short", "TYPE=float")}, want: "i.img: header TYPE=float: only unsigned_short"},
	{name: "sourcefile NaN wavelength", args: []string{"-sourcefile", "s.txt"}, files: map[string]string{"s.txt": "-10 0 0 1 1e-10\n-10 0 0 1 nan\n"}, want: "s.txt line 2: column 5 (wavelength) \"nan\" is not a number"},
	{name: "sourcefile zero direction", args: []string{"-sourcefile", "s.txt"}, files: map[string]string{"s.txt": "0 0 0 1 1e-10\n"}, want: "s.txt line 1: source position 0 0 0 gives no direction"},

	// class 8: the messages name the real problem
	{name: "default_F 0 without hkl", args: []string{"-default_F", "0"}, want: "-default_F: is 0 with no -hkl FILE"},
	{name: "beamsize 1e300", args: []string{"-beamsize", "1e300"}, want: "-beamsize: value 1e+300 mm"},
	{name: "empty floatfile name", args: []string{"-floatfile", ""}, want: "-floatfile: value is empty"},
	{name: "empty hkl name", args: []string{"-hkl", ""}, want: "-hkl: value is empty"},
	{name: "gradient -wrt followed by an option", noBase: true, args: []string{"gradient", "-wrt", "-cell", "100", "100", "100", "90", "90", "90", "-default_F", "1"}, want: "-wrt: missing value (the next argument, -cell, is an option)"},
	{name: "compare leaves no json when the png fails", noBase: true, args: []string{"compare", "a.bin", "a.bin", "-detpixels", "4", "-json", "x", "-png", "."},
		files: map[string]string{"a.bin": strings.Repeat("\x00\x00\x80\x3f", 16)}, want: "."},
}

// headerBadInputs are -img header values outside the physical ranges: the
// error names the file and the header key that set them.
var headerBadInputs = []badInput{
	{name: "img DISTANCE=0", noBase: true, args: []string{"-img", "i.img", "-cell", "100", "100", "100", "90", "90", "90", "-default_F", "1", "-noprogress"}, files: map[string]string{"i.img": smvWith("DIM=2", "DISTANCE=0")},
		want: "-img i.img header DISTANCE: value 0 mm is outside the valid range (0, 100000] mm"},
	{name: "img PIXEL_SIZE=1e300", noBase: true, args: []string{"-img", "i.img", "-cell", "100", "100", "100", "90", "90", "90", "-default_F", "1", "-noprogress"}, files: map[string]string{"i.img": smvWith("PIXEL_SIZE=0.1", "PIXEL_SIZE=1e300")},
		want: "-img i.img header PIXEL_SIZE: value 1e+300 mm"},
}
