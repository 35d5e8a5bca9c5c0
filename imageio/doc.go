// Package imageio reads and writes nanoBragg's image files byte for byte as
// the C program does: raw little-endian float32 images, SMV (ADSC) frames
// with their 512-byte text header and unsigned-short pixels, and binary PGM
// previews. It also holds the C conversions behind those files (the rounded
// and clamped integer image, the PGM byte image, the printf "%g" number
// format used in headers and logs and the image statistics that choose the
// default scales), a colour PNG preview that the C program does not have,
// and WriteFileAtomic so that an interrupted run never leaves half a file.
// ReadFrame and DecodeFrame read a detector image of any of these formats
// (gzip, SMV, miniCBF or raw float32, found from its first bytes) with a
// bound on what they read; compare and refine both read images with them.
//
// Pixel order everywhere is nanoBragg's: index = slow*fastPixels + fast,
// fast varying fastest. Images with their size and region of interest are
// raster.Image values; a region of interest is a raster.ROI (fast min,
// fast max, slow min, slow max, inclusive and 0-based, as the -roi option
// takes it).
package imageio
