// Package refl reads DIALS reflection tables (.refl files): the msgpack
// form dials writes since 2020, a list of the name
// "dials::af::reflection_table", a format version and a map of
// identifiers, row count and columns, each column its element type and
// its raw little-endian bytes.
//
// Only the columns gobragg uses are decoded (Miller index, observed and
// calculated centroids, bounding box, panel, experiment id, summed
// intensity and flags); the others are checked for size and skipped.
package refl
