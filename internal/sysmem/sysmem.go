// Package sysmem says how much memory the machine has, for the checks that
// refuse a run or an input file before allocating more than that.
package sysmem

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// Share is the part of the available memory one run may plan to use: the
// estimates are rough and the machine is shared.
const Share = 0.8

// Available returns MemAvailable and MemTotal from /proc/meminfo in bytes;
// ok is false where there is no such file.
func Available() (avail, total float64, ok bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "MemAvailable:":
			avail = kb * 1024
		case "MemTotal:":
			total = kb * 1024
		}
	}
	return avail, total, avail > 0 && total > 0
}

// Text prints a byte count in GB or MB.
func Text(b float64) string {
	if b >= 1e9 {
		return strconv.FormatFloat(b/1e9, 'f', 1, 64) + " GB"
	}
	return strconv.FormatFloat(b/1e6, 'f', 0, 64) + " MB"
}

// Peak returns this process's peak resident memory (VmHWM of
// /proc/self/status) in bytes; ok is false where there is no such file.
func Peak() (bytes float64, ok bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, found := strings.CutPrefix(sc.Text(), "VmHWM:"); found {
			fields := strings.Fields(v)
			if len(fields) == 2 && fields[1] == "kB" {
				kb, err := strconv.ParseFloat(fields[0], 64)
				return kb * 1024, err == nil
			}
		}
	}
	return 0, false
}
