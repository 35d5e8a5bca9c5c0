package spots

// Shoeboxes returns the pixels (increasing indices slow*fast + fast) within
// halfWidth pixels of a spot's box, clipped to the fast x slow image: the
// spot and, around it, the background next to it.
func Shoeboxes(found []Spot, fast, slow, halfWidth int) []int {
	in := make([]bool, fast*slow)
	for _, s := range found {
		b := s.Box
		for ps := max(b.Slow0-halfWidth, 0); ps < min(b.Slow1+halfWidth, slow); ps++ {
			row := in[ps*fast : (ps+1)*fast]
			for pf := max(b.Fast0-halfWidth, 0); pf < min(b.Fast1+halfWidth, fast); pf++ {
				row[pf] = true
			}
		}
	}
	var out []int
	for i, on := range in {
		if on {
			out = append(out, i)
		}
	}
	return out
}
