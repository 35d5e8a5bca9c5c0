package compare

// Help is the text of "gobragg compare -help": the synopsis, every option
// with its units and default, and the exit status.
const Help = `usage: gobragg compare A B [options]

Compares two detector images inside a region of interest and prints the
correlation, RMSE, max |A-B| with its pixel and relative to max |B|, the sums
and their ratio, and the brightest peaks of each image with the distance
between matched peaks (pixels). A and B are raw 4-byte float images
(nanoBragg's -floatfile, photons per pixel), SMV or miniCBF frames, either
optionally gzip-compressed (.gz; a raw float image without -detpixels* is
decompressed up to 64 MiB). Options may come before, between or after A and B.

Options:
  -roi xmin xmax ymin ymax   region compared, in pixels, inclusive, 0-based
                             (nanoBragg's order: fast min, fast max, slow min,
                             slow max; default: the whole image)
  -detpixels N               size of a raw float image, N x N pixels
  -detpixels_x NF            its fast size in pixels  (default for raw images:
  -detpixels_y NS            its slow size in pixels   inferred when square)
  -corr C                    least correlation that passes (default 0.9995)
  -sum_ratio LO HI           range of sum(A)/sum(B) that passes
                             (default 0.99 1.01)
  -peaks N                   brightest peaks listed and matched per image
                             (default 10; 0 for none): local maxima, a peak
                             hiding fainter ones within 3 pixels in both slow
                             and fast; A's and B's are paired within 10 pixels
  -json FILE                 also write the figures as JSON
  -png FILE                  also draw A | B | A-B on one intensity scale with
                             colour bars
  -scale log|asinh|linear    intensity stretch of the -png drawing (default log)
  -help, -h                  print this help and exit

Exit status: 0 when the images agree (correlation >= -corr and sum ratio
within -sum_ratio), 1 when they do not, 2 on bad input (unknown option,
unreadable or wrongly sized image, mismatched sizes), after one line on stderr.
`
