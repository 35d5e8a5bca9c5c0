package config

import (
	"strings"
)

// Usage returns the text of `gobragg -help`: every option of the table that
// Parse uses, grouped (crystal, structure factors, beam, detector geometry,
// sampling, noise and output, gobragg extras), with its aliases, its values
// and their units, and its default taken from the same defaults Parse starts
// from.
func Usage() string {
	var b strings.Builder
	b.WriteString("usage: gobragg (-cell a b c alpha beta gamma | -mat FILE) (-hkl FILE | -default_F F) [options]\n")
	b.WriteString("Lengths in mm unless marked, angles in degrees; options are applied in order and later ones win.\n")
	def := defaults()
	for gr := gCrystal; gr <= gExtras; gr++ {
		b.WriteString("\n" + groupTitles[gr] + ":\n")
		for i := range table {
			o := &table[i]
			if o.group != gr {
				continue
			}
			b.WriteString("  " + strings.Join(o.names, ", "))
			if o.args != "" {
				b.WriteString(" " + o.args)
			}
			b.WriteString("\n        " + o.help)
			if o.def != nil {
				b.WriteString(" (default: " + o.def(def) + ")")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
