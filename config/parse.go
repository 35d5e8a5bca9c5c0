package config

import (
	"fmt"
	"strings"
)

// item is one option found on the command line with its values.
type item struct {
	opt  *option
	name string
	vals []string
	idx  int
}

// Parse reads gobragg's command line (without the program name) into
// Settings. Options are applied in argument order, so later ones win,
// including their side effects on the pivot and the convention; -img and
// -mask headers are read first, as nanoBragg does, so options override them.
//
// Every error is a *UsageError naming the option, except ErrHelp for
// -help/-h/--help. Parse does not fill in derived quantities: call Resolve.
func Parse(args []string) (*Settings, error) {
	for _, a := range args {
		if o := byName[a]; o != nil && o.names[0] == "-help" {
			return nil, ErrHelp
		}
	}
	s := defaults()
	mode, err := scanMode(args)
	if err != nil {
		return nil, err
	}
	s.Mode = mode
	items, err := tokenize(args, mode)
	if err != nil {
		return nil, err
	}
	// -mask then -img (the last of each), before everything else, as C does.
	var img, mask, exptIn, exptIndex *item
	for i := range items {
		switch items[i].opt.names[0] {
		case "-img":
			img = &items[i]
		case "-mask":
			mask = &items[i]
		case "-expt_in":
			exptIn = &items[i]
		case "-expt_index":
			exptIndex = &items[i]
		}
	}
	if mask != nil {
		if err := s.readHeader(mask.vals[0], true); err != nil {
			return nil, err
		}
	}
	if img != nil {
		if err := s.readHeader(img.vals[0], false); err != nil {
			return nil, err
		}
	}
	// -expt_in (the last one) after the headers: it sets the whole model,
	// from the experiment -expt_index chooses.
	if exptIndex != nil {
		if exptIn == nil {
			return nil, &UsageError{Option: "-expt_index", Msg: "chooses an experiment of an -expt_in list; give -expt_in FILE"}
		}
		if err := exptIndex.opt.apply(&ctx{s: s, args: args}, exptIndex.name, exptIndex.vals); err != nil {
			return nil, err
		}
	}
	if exptIn != nil {
		if err := s.readExpt(exptIn.vals[0]); err != nil {
			return nil, err
		}
	}
	c := &ctx{s: s, args: args}
	for _, it := range items {
		c.idx = it.idx
		if err := it.opt.apply(c, it.name, it.vals); err != nil {
			return nil, err
		}
	}
	if err := s.checkExptCrystal(); err != nil {
		return nil, err
	}
	return s, nil
}

// scanMode finds the last "-mode" value before anything else is parsed, since
// the mode changes how other options are read.
func scanMode(args []string) (Mode, error) {
	mode := ModeSpec
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "-mode" && byName[args[i+1]] == nil {
			m, err := ParseMode(args[i+1])
			if err != nil {
				return mode, &UsageError{Option: "-mode", Msg: err.Error()}
			}
			mode = m
			i++
		}
	}
	return mode, nil
}

// tokenize splits args into options and their values, checking that every
// option is known and has its values.
func tokenize(args []string, mode Mode) ([]item, error) {
	var items []item
	for i := 0; i < len(args); i++ {
		a := args[i]
		o := byName[a]
		if o == nil {
			return nil, unknownArgument(a, items)
		}
		n := o.nargs
		switch o.nargs {
		case argsCell:
			n = 0
			for n < 6 && i+1+n < len(args) && !strings.HasPrefix(args[i+1+n], "-") {
				n++
			}
			if n == 0 {
				return nil, missingValues(a, 1, args, i)
			}
		case argsMisset:
			n = 3
			if i+1 < len(args) && isRandomWord(args[i+1], mode) {
				n = 1
			}
		}
		if err := checkValues(a, n, args, i); err != nil {
			return nil, err
		}
		items = append(items, item{opt: o, name: a, vals: args[i+1 : i+1+n], idx: i})
		i += n
	}
	return items, nil
}

// checkValues makes sure n values follow args[i] and none of them is an option.
func checkValues(name string, n int, args []string, i int) error {
	for k := 1; k <= n; k++ {
		if i+k >= len(args) {
			return missingValues(name, n, args, i)
		}
		v := args[i+k]
		if byName[v] != nil && !isNumber(v) {
			return missingValues(name, n, args, i)
		}
	}
	return nil
}

func missingValues(name string, n int, args []string, i int) error {
	what := "missing value"
	if n > 1 {
		what = fmt.Sprintf("needs %d values", n)
	}
	got := 0
	for got < n && i+1+got < len(args) && !(byName[args[i+1+got]] != nil && !isNumber(args[i+1+got])) {
		got++
	}
	switch {
	case i+1+got >= len(args) && got == 0:
		return usagef(name, "%s at the end of the command line", what)
	case i+1+got >= len(args):
		return usagef(name, "%s, got %d at the end of the command line", what, got)
	case n > 1:
		return usagef(name, "%s, got %d before option %s", what, got, args[i+1+got])
	}
	return usagef(name, "%s (the next argument, %s, is an option)", what, args[i+1])
}

// unknownArgument explains an argument that is not a known option.
func unknownArgument(a string, before []item) error {
	if !strings.HasPrefix(a, "-") || isNumber(a) {
		msg := fmt.Sprintf("unexpected argument %q", a)
		if len(before) > 0 {
			last := before[len(before)-1]
			msg += fmt.Sprintf(" (%s takes %s)", last.name, valueCount(last))
		}
		return &UsageError{Option: a, Msg: msg}
	}
	return usagef(a, "unknown option; did you mean %s?", nearestOption(a))
}

func valueCount(it item) string {
	switch len(it.vals) {
	case 0:
		return "no value"
	case 1:
		return "one value"
	}
	return fmt.Sprintf("%d values", len(it.vals))
}
