// Package compare measures how closely two detector images agree: typically
// nanoBragg's floatimage.bin against gobragg's, or two SMV frames.
//
// Images are raw little-endian float32 files in nanoBragg's pixel order
// (index = slow*fastPixels + fast) or SMV (ADSC) frames, recognised by their
// "{\nHEADER_BYTES=" header. Either may be gzip-compressed. Inside an
// optional region of interest (nanoBragg's -roi: fast min, fast max, slow
// min, slow max, inclusive and 0-based) Compute reports the Pearson
// correlation, the RMS difference, the largest absolute difference and where
// it is, both sums and their ratio, and the brightest peaks of each image
// with the distance between peaks matched across the images. Render draws A,
// B and A-B side by side on one intensity scale as a PNG.
//
// Main implements the "gobragg compare" command: it prints the figures,
// optionally writes them as JSON and the picture as PNG, and exits 0 when
// the correlation and the sum ratio pass their thresholds, 1 when they do
// not and 2 on bad input.
//
// All figures are float64. Conventions for degenerate input: when either
// image is constant inside the ROI the Pearson correlation is undefined and
// is reported as 1 if the two images are identical there and 0 otherwise;
// when sum(B) is 0 the sum ratio is 1 if sum(A) is also 0 and ±Inf
// otherwise. Non-finite pixels are counted and make
// the figures they enter NaN or Inf, which fails the thresholds; in JSON such
// figures are written as null.
package compare
