package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gobragg/internal/golden"
)

// The README's examples are checked by running them. A fenced code block
// right after the line
//
//	<!-- readme-check -->
//
// (blank lines may come between) is a shell session: each line starting
// with "$ " is a command (a line ending in "\" continues on the next), the
// lines up to the next command are what it prints, stdout and stderr
// together as a terminal shows them. TestREADMEExamples runs the commands
// of each block in order in one bash shell (so "echo $?" sees the previous
// command's status), in a temporary directory where "gobragg" is this
// build, "golden" is the golden folder (blocks that use it are skipped
// when it is absent) and "go" runs in the repository (go run ./examples/X).
// In the shown output:
//   - a number matches a printed number within readmeRelTol;
//   - "~" before a number ("~0.7 s") matches any number (timings);
//   - "..." inside a line matches any text, and a line of only "..."
//     any number of lines (0 or more);
//   - other text matches up to the amount of white space.
//
// To check a new example, put the marker before its block.
const readmeMarker = "<!-- readme-check -->"

// readmeRelTol is the relative tolerance of a shown number: the README
// shows full float64 digits, which move in the last places when the
// kernel's arithmetic is reordered; any change of physics or of a count
// is far larger.
const readmeRelTol = 1e-6

// readmeCommand is one "$ " command of a block with the lines shown after it.
type readmeCommand struct {
	line int    // README line of the "$ "
	cmd  string // continuation lines joined
	want []string
}

// readmeBlock is one marked block.
type readmeBlock struct {
	line     int // README line of the opening fence
	commands []readmeCommand
}

// parseREADME returns the marked blocks of a README.
func parseREADME(text string) ([]readmeBlock, error) {
	var blocks []readmeBlock
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != readmeMarker {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j == len(lines) || !strings.HasPrefix(lines[j], "```") {
			return nil, fmt.Errorf("README line %d: %s is not followed by a fenced code block", i+1, readmeMarker)
		}
		b := readmeBlock{line: j + 1}
		k := j + 1
		for ; k < len(lines) && !strings.HasPrefix(lines[k], "```"); k++ {
			l := strings.TrimRight(lines[k], " \t")
			if cmd, ok := strings.CutPrefix(l, "$ "); ok {
				c := readmeCommand{line: k + 1}
				for strings.HasSuffix(cmd, "\\") && k+1 < len(lines) {
					k++
					cmd = strings.TrimSuffix(cmd, "\\") + " " + strings.TrimSpace(lines[k])
				}
				c.cmd = cmd
				b.commands = append(b.commands, c)
				continue
			}
			if len(b.commands) == 0 {
				return nil, fmt.Errorf("README line %d: output before the block's first \"$ \" command", k+1)
			}
			last := &b.commands[len(b.commands)-1]
			last.want = append(last.want, l)
		}
		if k == len(lines) {
			return nil, fmt.Errorf("README line %d: code block not closed", j+1)
		}
		if len(b.commands) == 0 {
			return nil, fmt.Errorf("README line %d: marked block has no \"$ \" command", j+1)
		}
		blocks = append(blocks, b)
		i = k
	}
	return blocks, nil
}

// numberRE matches a number as programs print it.
const numberRE = `[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`

var shownToken = regexp.MustCompile(`~?` + numberRE + `|\.\.\.|\s+`)

// linePattern turns a shown line into a regular expression and the numbers
// its capture groups must match (NaN for "~" numbers).
func linePattern(shown string) (*regexp.Regexp, []float64) {
	var re strings.Builder
	var nums []float64
	re.WriteString(`^\s*`)
	rest := strings.TrimSpace(shown)
	for rest != "" {
		loc := shownToken.FindStringIndex(rest)
		if loc == nil {
			re.WriteString(regexp.QuoteMeta(rest))
			break
		}
		re.WriteString(regexp.QuoteMeta(rest[:loc[0]]))
		tok := rest[loc[0]:loc[1]]
		switch {
		case strings.TrimSpace(tok) == "":
			re.WriteString(`\s+`)
		case tok == "...":
			re.WriteString(`.*?`)
		default:
			re.WriteString("(" + numberRE + ")")
			if strings.HasPrefix(tok, "~") {
				nums = append(nums, math.NaN())
			} else {
				x, _ := strconv.ParseFloat(tok, 64)
				nums = append(nums, x)
			}
		}
		rest = rest[loc[1]:]
	}
	re.WriteString(`\s*$`)
	return regexp.MustCompile(re.String()), nums
}

// lineMatches reports whether a printed line matches a shown one.
func lineMatches(shown, printed string) bool {
	re, nums := linePattern(shown)
	m := re.FindStringSubmatch(printed)
	if m == nil {
		return false
	}
	for i, want := range nums {
		if math.IsNaN(want) {
			continue
		}
		got, err := strconv.ParseFloat(m[i+1], 64)
		if err != nil || math.Abs(got-want) > readmeRelTol*math.Max(math.Abs(got), math.Abs(want)) {
			return false
		}
	}
	return true
}

// outputMatches matches printed lines against shown ones ("..." lines
// skip any number of printed lines).
func outputMatches(shown, printed []string) bool {
	if len(shown) == 0 {
		return len(printed) == 0
	}
	if strings.TrimSpace(shown[0]) == "..." {
		for k := 0; k <= len(printed); k++ {
			if outputMatches(shown[1:], printed[k:]) {
				return true
			}
		}
		return false
	}
	return len(printed) > 0 && lineMatches(shown[0], printed[0]) && outputMatches(shown[1:], printed[1:])
}

// trimLines splits output into lines without trailing blank ones.
func trimLines(s string) []string {
	lines := strings.Split(strings.TrimRight(s, "\n \t"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " \t")
	}
	return lines
}

// TestREADMEExamples runs every marked README block (see readmeMarker).
func TestREADMEExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("README examples skipped with -short")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := parseREADME(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) == 0 {
		t.Fatalf("README.md has no block marked %s", readmeMarker)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found: skipping the README examples")
	}
	goldenDir, goldenErr := golden.Dir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "gobragg")); err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		t.Run(fmt.Sprintf("line_%d", b.line), func(t *testing.T) {
			dir := t.TempDir()
			var script strings.Builder
			fmt.Fprintf(&script, "go() { command go -C %q \"$@\"; }\n", repo)
			usesGolden := false
			for i, c := range b.commands {
				usesGolden = usesGolden || strings.Contains(c.cmd, "golden/")
				// A separator line before each command's output; $? is
				// carried over it for "echo $?".
				fmt.Fprintf(&script, "__rc=$?; printf '\\n@@readme-check %d@@\\n'; (exit $__rc)\n%s\n", i, c.cmd)
			}
			if usesGolden {
				if goldenErr != nil {
					t.Skipf("%v: skipping the README block at line %d, which reads it", goldenErr, b.line)
				}
				if err := os.Symlink(goldenDir, filepath.Join(dir, "golden")); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command("bash", "-c", script.String())
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), asMainEnv+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			out, _ := cmd.CombinedOutput()
			parts := strings.Split(string(out), "\n@@readme-check ")
			if len(parts) != len(b.commands)+1 {
				t.Fatalf("the block's script did not run every command:\n%s", out)
			}
			for i, c := range b.commands {
				_, printed, _ := strings.Cut(parts[i+1], "@@\n")
				got := trimLines(printed)
				if !outputMatches(c.want, got) {
					t.Errorf("README line %d: $ %s\nprints:\n%s\nthe README shows:\n%s", c.line, c.cmd,
						strings.Join(got, "\n"), strings.Join(c.want, "\n"))
				}
			}
		})
	}
}

// TestREADMECheckMatching pins the matching rules on small cases.
func TestREADMECheckMatching(t *testing.T) {
	for _, c := range []struct {
		shown, printed []string
		ok             bool
	}{
		{[]string{`"loss": 305.25997719903324,`}, []string{`  "loss": 305.2599771990,`}, true},
		{[]string{`"loss": 305.25997719903324,`}, []string{`  "loss": 305.3,`}, false},
		{[]string{"took ~0.7 s"}, []string{"took 12.5 s"}, true},
		{[]string{"took ~0.7 s"}, []string{"took long"}, false},
		{[]string{"names: a b ... z"}, []string{"names: a b c d e z"}, true},
		{[]string{"iter 0", "...", "iter 43"}, []string{"iter 0", "iter 1", "iter 42"}, false},
		{[]string{"iter 0", "...", "iter 42"}, []string{"iter 0", "iter 1", "iter 42"}, true},
		{[]string{"iter 0", "...", "done"}, []string{"iter 0", "done"}, true},
		{[]string{"a  b"}, []string{"a b"}, true},
		{[]string{"a"}, []string{"a", "b"}, false},
		{nil, nil, true},
		{[]string{"mat_11 1e-6"}, []string{"mat_11 1.0000001e-6"}, true},
	} {
		if got := outputMatches(c.shown, c.printed); got != c.ok {
			t.Errorf("shown %q, printed %q: match %v, want %v", c.shown, c.printed, got, c.ok)
		}
	}
	blocks, err := parseREADME("x\n" + readmeMarker + "\n\n```sh\n$ echo a \\\n   b\na b\n$ true\n```\n")
	if err != nil || len(blocks) != 1 || len(blocks[0].commands) != 2 || blocks[0].commands[0].cmd != "echo a  b" ||
		len(blocks[0].commands[0].want) != 1 {
		t.Errorf("parseREADME: %+v, %v", blocks, err)
	}
	for _, bad := range []string{readmeMarker + "\ntext\n", readmeMarker + "\n```\nout\n```\n", readmeMarker + "\n```\n$ x\n"} {
		if _, err := parseREADME(bad); err == nil {
			t.Errorf("parseREADME accepted %q", bad)
		}
	}
}
