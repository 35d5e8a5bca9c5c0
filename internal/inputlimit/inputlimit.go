// Package inputlimit reads users' input files with bounds, so that a
// device such as /dev/zero or a file of the wrong kind gives an error
// after a bounded amount of reading instead of exhausting memory.
package inputlimit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxTextBytes bounds a text input (-hkl, -mat, -sourcefile, -stol): a
// structure-factor list of every point of the largest allowed table
// (crystal.MaxGridPoints) at about 16 bytes a line fits.
const MaxTextBytes = 2 << 30

// MaxLineBytes bounds one line of a text input; real lines are below 100
// bytes, so a longer one means the file is not text (such as /dev/zero).
const MaxLineBytes = 1 << 20

// ErrTooLarge is wrapped by the errors for inputs above their bound.
var ErrTooLarge = errors.New("input too large")

// ErrNotText is wrapped by the error for a text input holding a control
// byte that no text file has (such as NUL): binary data, /dev/zero or
// /dev/urandom, refused at the first such byte.
var ErrNotText = errors.New("not a text file")

// isBinary reports whether c cannot occur in a text input: control bytes
// other than tab, line feed, vertical tab, form feed and carriage return.
func isBinary(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r') || c == 0x7f
}

// Text reads all of r, refusing a control byte no text has (see
// isBinary), more than MaxTextBytes in total or a line longer than
// MaxLineBytes. The error says which line (1-based).
func Text(r io.Reader) ([]byte, error) {
	var out []byte
	buf := make([]byte, 64<<10)
	line, lineLen := 1, 0
	for {
		n, err := r.Read(buf)
		for i, c := range buf[:n] {
			if isBinary(c) {
				line += bytes.Count(buf[:i], []byte("\n"))
				return nil, fmt.Errorf("%w: line %d holds the byte 0x%02x", ErrNotText, line, c)
			}
		}
		chunk := buf[:n]
		for len(chunk) > 0 {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				lineLen += len(chunk)
				if lineLen > MaxLineBytes {
					return nil, fmt.Errorf("%w: line %d is longer than %d bytes (not a text file?)", ErrTooLarge, line, MaxLineBytes)
				}
				break
			}
			if lineLen+i > MaxLineBytes {
				return nil, fmt.Errorf("%w: line %d is longer than %d bytes (not a text file?)", ErrTooLarge, line, MaxLineBytes)
			}
			line, lineLen, chunk = line+1, 0, chunk[i+1:]
		}
		if len(out)+n > MaxTextBytes {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxTextBytes)
		}
		out = append(out, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Exactly reads exactly n bytes from r and makes sure nothing follows,
// reading at most n+1 bytes: for binary inputs whose header gives their
// size (Fdump.bin, SMV). extra reports bytes past n; a short read
// returns fewer than n bytes and no error.
func Exactly(r io.Reader, n int64) (data []byte, extra bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, n+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > n {
		return data[:n], true, nil
	}
	return data, false, nil
}
