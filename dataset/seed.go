package dataset

// FrameSeed returns the noise seed of frame i of a dataset made with
// -seed seed: 1 + splitmix64(seed*1000003 + i) mod (2^31 - 2), a positive
// 31-bit value (nanoBragg's ran1 needs |seed| below 2^31). The frame is
// rendered exactly as the single-frame command line with -seed FrameSeed(seed, i).
// Neighbouring seeds and frames give unrelated noise, and the value does
// not depend on which other frames are rendered or where.
func FrameSeed(seed int64, i int) int64 {
	x := uint64(seed)*1000003 + uint64(i)
	// splitmix64 (Steele, Lea and Flood 2014).
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	x ^= x >> 31
	return 1 + int64(x%(1<<31-2))
}
