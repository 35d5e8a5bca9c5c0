// Package mtz writes and reads merged structure-factor tables in CCP4's
// MTZ format: columns H K L F SIGF with the cell, the space group's name,
// number and symmetry operators (SYMINF and SYMM records), as gemmi and
// the CCP4 programs read them.
//
// The layout follows CCP4's MTZ format description (mtzformat.html): an
// 80-byte first record ("MTZ ", the word at which the headers start, the
// machine stamp), the reflections as rows of 32-bit floats, then
// 80-character header records from VERS to END and MTZENDOFHEADERS.
// Files are written little-endian with IEEE floats (machine stamp
// 0x44 0x41); Read reads such files, as Write writes them or as gemmi and
// CCP4 write them on today's machines, and takes H K L F SIGF by label.
package mtz
