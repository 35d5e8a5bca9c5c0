package expt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDecodeBytes bounds the memory the decoded models of one list may
// take, as checkShape estimates it before anything is decoded: a list as
// gobragg stills writes it (indented) is estimated at 1.7 times its size,
// 12 000 experiments, while a few bytes of text can ask encoding/json for
// hundreds (a panel struct from "{}", a boxed number from "0,"). With the
// text itself (maxExptBytes) a list that is decoded and then refused (by
// Single: 12 000 experiments where one is simulated) peaks at 120 MB.
const maxDecodeBytes = 64 << 20

// What encoding/json allocates, in bytes, as checkShape estimates it: an
// interface value, a map entry beside its key and value, a map's or
// slice's header. Slice elements count twice (append doubles the backing
// array while it decodes).
const (
	ifaceBytes    = 16
	mapEntryBytes = 48
	headerBytes   = 48
	growthFactor  = 2
)

// maxNumberBytes bounds the text of one number: float64 needs at most 25
// characters (17 digits, sign, point, exponent), and a longer number is
// refused before it is parsed rather than copied.
const maxNumberBytes = 1 << 10

// maxKeyBytes bounds the key that is compared with a struct's field names:
// the longest name folds from at most 6 bytes a character (a \u escape).
const maxKeyBytes = 1 << 10

// shapeError is a refusal at a place in the list: rev holds the path,
// innermost component first ("key" or "[i]"), built as the error unwinds.
type shapeError struct {
	rev []string
	msg string
}

// Error returns "path: msg", the path written as in jq (detector[0].panels[0].origin).
func (e *shapeError) Error() string {
	var b strings.Builder
	for i := len(e.rev) - 1; i >= 0; i-- {
		c := e.rev[i]
		if b.Len() > 0 && c[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(c)
	}
	if b.Len() == 0 {
		return e.msg
	}
	return b.String() + ": " + e.msg
}

// at adds the path component c to err.
func at(err error, c string) error {
	if se, ok := err.(*shapeError); ok {
		se.rev = append(se.rev, c)
	}
	return err
}

func shapef(format string, args ...any) error {
	return &shapeError{msg: fmt.Sprintf(format, args...)}
}

// shapeChecker walks a valid JSON text against the Go type encoding/json
// will decode it into, matching keys to fields as encoding/json does,
// without decoding anything:
//   - every fixed-length Go array (a direction, a size, a matrix) must get a
//     JSON array of exactly its length (encoding/json zero-fills a short
//     one and drops the rest of a long one);
//   - a number must fit its Go type, a value must have the JSON kind of
//     its Go type, and null stands only for what may be absent (pointers,
//     slices, maps, strings and interfaces);
//   - the estimated memory of the decoded value must stay within
//     maxDecodeBytes.
type shapeChecker struct {
	data   []byte
	i      int
	cost   int64
	fields map[reflect.Type]fieldTable
}

// checkShape checks data, one valid JSON value, against type t.
func checkShape(data []byte, t reflect.Type) error {
	c := &shapeChecker{data: data, fields: map[reflect.Type]fieldTable{}}
	c.space()
	return c.value(t)
}

func (c *shapeChecker) space() {
	for c.i < len(c.data) {
		switch c.data[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// spend adds n bytes to the estimate, refusing the list once it passes
// maxDecodeBytes.
func (c *shapeChecker) spend(n int64) error {
	c.cost += n
	if c.cost > maxDecodeBytes {
		return shapef("decoding the list would take more than %d MiB of memory; split it (dials.split_experiments)", maxDecodeBytes>>20)
	}
	return nil
}

// kindOf names the JSON value at the current byte.
func (c *shapeChecker) kindOf() string {
	switch c.data[c.i] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// want names what JSON a Go type takes.
func want(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Array:
		return fmt.Sprintf("an array of %d %s", t.Len(), plural(t.Elem()))
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	}
	return "a number"
}

// plural names the elements of an array of t.
func plural(t reflect.Type) string {
	switch want(t) {
	case "a number":
		return "numbers"
	case "an integer":
		return "integers"
	}
	return "elements"
}

// value checks the value at the current byte against t (nil: a value
// encoding/json skips) and moves past it.
func (c *shapeChecker) value(t reflect.Type) error {
	if t == nil {
		c.skip()
		return nil
	}
	b := c.data[c.i]
	if b == 'n' {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.String, reflect.Interface:
			c.i += 4
			return nil
		}
		return shapef("null where %s belongs", want(t))
	}
	for t.Kind() == reflect.Pointer {
		if err := c.spend(int64(t.Elem().Size())); err != nil {
			return err
		}
		t = t.Elem()
	}
	mismatch := func() error { return shapef("%s where %s belongs", c.kindOf(), want(t)) }
	switch t.Kind() {
	case reflect.Interface:
		return c.anyValue()
	case reflect.Struct:
		if b != '{' {
			return mismatch()
		}
		ft := c.table(t)
		return c.object(func(key []byte) reflect.Type { return ft.lookup(key) }, 0)
	case reflect.Map:
		if b != '{' {
			return mismatch()
		}
		if err := c.spend(headerBytes); err != nil {
			return err
		}
		return c.object(func([]byte) reflect.Type { return t.Elem() }, mapEntryBytes+int64(t.Elem().Size()))
	case reflect.Slice:
		if b != '[' {
			return mismatch()
		}
		if err := c.spend(headerBytes); err != nil {
			return err
		}
		_, err := c.array(t.Elem(), growthFactor*int64(t.Elem().Size()))
		return err
	case reflect.Array:
		if b != '[' {
			return mismatch()
		}
		n, err := c.array(t.Elem(), 0)
		if err != nil {
			return err
		}
		if n != t.Len() {
			what := plural(t.Elem())
			if n == 1 {
				what = strings.TrimSuffix(what, "s")
			}
			return shapef("%d %s where %s belongs", n, what, want(t))
		}
		return nil
	case reflect.String:
		if b != '"' {
			return mismatch()
		}
		start := c.i
		c.str()
		return c.spend(int64(c.i - start))
	case reflect.Bool:
		if b != 't' && b != 'f' {
			return mismatch()
		}
		c.skip()
		return nil
	case reflect.Float32, reflect.Float64:
		if b != '-' && (b < '0' || b > '9') {
			return mismatch()
		}
		return c.float(t.Bits())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if b != '-' && (b < '0' || b > '9') {
			return mismatch()
		}
		raw, err := c.number()
		if err != nil {
			return err
		}
		if plainInt(raw) && len(raw) <= 18 { // at most 18 digits fit an int64
			return nil
		}
		if _, err := strconv.ParseInt(string(raw), 10, t.Bits()); err != nil {
			return shapef("%s where an integer belongs", raw)
		}
		return nil
	}
	return mismatch()
}

// object checks an object's members: field gives the Go type of a key's
// value (nil: one encoding/json skips). A member costs entry bytes and, when
// entry is not 0 (a map's member), its key.
func (c *shapeChecker) object(field func(key []byte) reflect.Type, entry int64) error {
	c.i++ // '{'
	for {
		c.space()
		if c.data[c.i] == '}' {
			c.i++
			return nil
		}
		start := c.i
		c.str()
		raw := c.data[start:c.i]
		c.space()
		c.i++ // ':'
		c.space()
		if entry > 0 {
			if err := c.spend(entry + int64(len(raw))); err != nil {
				return at(err, keyText(raw))
			}
		}
		if err := c.value(field(raw)); err != nil {
			return at(err, keyText(raw))
		}
		c.space()
		if c.data[c.i] == ',' {
			c.i++
		}
	}
}

// array checks an array's elements against elem, each costing each bytes,
// and returns how many there are.
func (c *shapeChecker) array(elem reflect.Type, each int64) (int, error) {
	c.i++ // '['
	n := 0
	for {
		c.space()
		if c.data[c.i] == ']' {
			c.i++
			return n, nil
		}
		if err := c.spend(each); err != nil {
			return n, at(err, "["+strconv.Itoa(n)+"]")
		}
		if err := c.value(elem); err != nil {
			return n, at(err, "["+strconv.Itoa(n)+"]")
		}
		n++
		c.space()
		if c.data[c.i] == ',' {
			c.i++
		}
	}
}

// anyValue checks a value decoded into an interface: objects become maps
// of interfaces, arrays slices of interfaces, numbers boxed float64s.
func (c *shapeChecker) anyValue() error {
	switch c.data[c.i] {
	case '{':
		if err := c.spend(headerBytes); err != nil {
			return err
		}
		return c.object(func([]byte) reflect.Type { return anyType }, mapEntryBytes+ifaceBytes)
	case '[':
		if err := c.spend(headerBytes); err != nil {
			return err
		}
		_, err := c.array(anyType, growthFactor*ifaceBytes)
		return err
	case '"':
		start := c.i
		c.str()
		return c.spend(int64(c.i - start))
	case 't', 'f', 'n':
		c.skip()
		return nil
	}
	if err := c.float(64); err != nil {
		return err
	}
	return c.spend(8)
}

var anyType = reflect.TypeFor[any]()

// float checks a number that is to become a float of bits bits.
func (c *shapeChecker) float(bits int) error {
	raw, err := c.number()
	if err != nil {
		return err
	}
	if bits == 64 && bytes.IndexAny(raw, "eE") < 0 && len(raw) <= 300 { // below 1e300 without an exponent
		return nil
	}
	if _, err := strconv.ParseFloat(string(raw), bits); err != nil {
		return shapef("%s is beyond the range of a float%d", raw, bits)
	}
	return nil
}

// skip moves past one value.
func (c *shapeChecker) skip() {
	switch c.data[c.i] {
	case '{', '[':
		depth := 0
		for {
			switch c.data[c.i] {
			case '{', '[':
				depth++
				c.i++
			case '}', ']':
				depth--
				c.i++
				if depth == 0 {
					return
				}
			case '"':
				c.str()
			default:
				c.i++
			}
		}
	case '"':
		c.str()
	case 't', 'n':
		c.i += 4
	case 'f':
		c.i += 5
	default:
		for c.i < len(c.data) && isNumberByte(c.data[c.i]) {
			c.i++
		}
	}
}

// str moves past a string.
func (c *shapeChecker) str() {
	c.i++
	for c.data[c.i] != '"' {
		if c.data[c.i] == '\\' {
			c.i++
		}
		c.i++
	}
	c.i++
}

func isNumberByte(b byte) bool {
	return b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E' || ('0' <= b && b <= '9')
}

// number moves past a number and returns its text, refusing one longer
// than maxNumberBytes.
func (c *shapeChecker) number() ([]byte, error) {
	start := c.i
	for c.i < len(c.data) && isNumberByte(c.data[c.i]) {
		c.i++
	}
	if n := c.i - start; n > maxNumberBytes {
		return nil, shapef("a number written with %d characters (at most %d)", n, maxNumberBytes)
	}
	return c.data[start:c.i], nil
}

// plainInt reports whether a JSON number is written as an integer (no
// fraction, no exponent).
func plainInt(raw []byte) bool {
	return bytes.IndexAny(raw, ".eE") < 0
}

// keyText is a key (raw, with its quotes) as a path component.
func keyText(raw []byte) string {
	if len(raw) > maxKeyBytes {
		return string(raw[:64]) + "...\""
	}
	return unquote(raw)
}

// unquote returns a JSON string's value (raw with its quotes), as
// encoding/json decodes it.
func unquote(raw []byte) string {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return string(raw)
	}
	return s
}

// fieldTable holds a struct's fields by JSON name, exact and folded.
type fieldTable struct {
	exact, folded map[string]reflect.Type
}

// table returns t's fields as encoding/json sees them: exported, named by
// the json tag or else the Go name, "-" left out.
func (c *shapeChecker) table(t reflect.Type) fieldTable {
	if ft, ok := c.fields[t]; ok {
		return ft
	}
	ft := fieldTable{exact: map[string]reflect.Type{}, folded: map[string]reflect.Type{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		ft.exact[name] = f.Type
		ft.folded[foldName(name)] = f.Type
	}
	c.fields[t] = ft
	return ft
}

// lookup finds the field of the key raw (with its quotes) as encoding/json
// does: by exact name, else by folded name; nil for none.
func (ft fieldTable) lookup(raw []byte) reflect.Type {
	if len(raw) > maxKeyBytes {
		return nil
	}
	key := unquote(raw)
	if t, ok := ft.exact[key]; ok {
		return t
	}
	return ft.folded[foldName(key)]
}

// foldName is encoding/json's folding of names (fold.go): ASCII letters
// to upper case, any other rune to the smallest of its simple-fold orbit.
func foldName(in string) string {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(in[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += n
	}
	return string(out)
}

// foldRune returns the smallest rune of r's simple-fold orbit.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
