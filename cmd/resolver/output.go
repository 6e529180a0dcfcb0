package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/multienv/multienv/internal/text"
)

// maxProblems is how many problems one command lists; the rest are
// counted on one more line.
const maxProblems = 50

// lines is the one way text reaches stdout and stderr: whole lines, each
// cut to text.MaxLine bytes, any control character, invalid UTF-8 or
// bidirectional control left in one escaped, so that no line can drive the
// terminal or grow without bound. Fields are escaped where they are
// formatted, where a newline is told from data; this is the net below. The
// command's own colour codes (ESC [ digits m) pass when colour is on.
type lines struct {
	w     io.Writer
	color bool
	buf   []byte
}

func newLines(w io.Writer, color bool) *lines { return &lines{w: w, color: color} }

// Write buffers p and writes every complete line in it.
func (l *lines) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for i := bytes.IndexByte(l.buf, '\n'); i >= 0; i = bytes.IndexByte(l.buf, '\n') {
		if err := l.writeLine(l.buf[:i], "\n"); err != nil {
			return len(p), err
		}
		l.buf = l.buf[i+1:]
	}
	return len(p), nil
}

// Flush writes what is left of an unfinished line.
func (l *lines) Flush() {
	if len(l.buf) > 0 {
		l.writeLine(l.buf, "")
		l.buf = nil
	}
}

func (l *lines) writeLine(line []byte, end string) error {
	_, err := io.WriteString(l.w, cutLine(text.Inert(safeLine(string(line), l.color)), text.MaxLine)+end)
	return err
}

// safeLine escapes what text.Escape escapes, except, when color is true,
// the colour codes ESC [ digits m.
func safeLine(s string, color bool) string {
	if text.IsSafe(s) {
		return s
	}
	var b []byte
	for {
		n := strings.IndexByte(s, 0x1b)
		if n < 0 {
			return string(append(b, text.Escape(s)...))
		}
		b = append(b, text.Escape(s[:n])...)
		k := sgrLen(s[n:])
		if color && k > 0 {
			b = append(b, s[n:n+k]...)
		} else {
			b, k = append(b, `\x1b`...), 1
		}
		s = s[n+k:]
	}
}

// sgrLen is the length of the colour code s starts with (ESC [ digits and
// semicolons m, at most 16 bytes), or 0.
func sgrLen(s string) int {
	end := strings.IndexByte(s[:min(len(s), 16)], 'm') // a bounded look: a line of ESCs stays linear
	if !strings.HasPrefix(s, "\x1b[") || end < 0 || strings.Trim(s[2:end], "0123456789;") != "" {
		return 0
	}
	return end + 1
}

// cutLine cuts an escaped line to at most limit bytes (text.Cut), never
// inside a colour code; a cut line that holds one ends by resetting it.
func cutLine(s string, limit int) string {
	if len(s) <= limit || strings.IndexByte(s, 0x1b) < 0 {
		return text.Cut(s, limit)
	}
	const reset = "\x1b[0m"
	cut := text.Cut(s, limit-len(reset))
	kept := cut[:len(cut)-len(text.Ellipsis)]
	// Drop a colour code the cut went through.
	if i := strings.LastIndexByte(kept, 0x1b); i >= 0 && sgrLen(kept[i:]) == 0 {
		kept = kept[:i]
	}
	return kept + text.Ellipsis + reset
}

// jsonData checks and makes safe encoded JSON, output that is data, never
// cut: it fails, saying where, on a string longer than text.MaxData or
// that held invalid UTF-8; it writes DEL, C1 and bidirectional controls and
// line separators, which encoding/json leaves raw, as \uXXXX.
func jsonData(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := checkJSON(dec, data, nil); err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r >= 0x7f && text.Unsafe(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out, nil
}

// checkJSON reads the next value of data from dec and says which string
// in it, if any, is too long to print or was invalid UTF-8, by its path
// (values.db.host, [2].file), put into words only then.
func checkJSON(dec *json.Decoder, data []byte, path []jsonStep) error {
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim: // { or [: the closing one comes after the members
		for i := 0; dec.More(); i++ {
			step := jsonStep{index: i}
			if t == '{' {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				name, _ := key.(string)
				step = jsonStep{key: name, index: -1}
			}
			if err := checkJSON(dec, data, append(path, step)); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	case string:
		if replaced(data[start:dec.InputOffset()]) {
			return fmt.Errorf("%s is not valid UTF-8, which JSON cannot carry exactly", jsonName(path))
		}
		if len(t) > text.MaxData {
			return fmt.Errorf("%s is %d bytes, more than the %d printed whole", jsonName(path), len(t), text.MaxData)
		}
	}
	return nil
}

// jsonStep is a key of an object, or (index >= 0) an index of an array.
type jsonStep struct {
	key   string
	index int
}

// jsonName names the value at path, quoted (values.db.host, [2].file), or
// says "the output" for the whole.
func jsonName(path []jsonStep) string {
	var b strings.Builder
	for _, s := range path {
		switch {
		case s.index >= 0:
			fmt.Fprintf(&b, "[%d]", s.index)
		case b.Len() > 0:
			b.WriteString("." + s.key)
		default:
			b.WriteString(s.key)
		}
	}
	if b.Len() == 0 {
		return "the output"
	}
	return text.Quote(b.String())
}

// replaced reports whether encoded JSON holds the escape \ufffd, which
// encoding/json writes for invalid UTF-8 (U+FFFD itself it writes raw).
func replaced(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' {
			if bytes.HasPrefix(raw[i+1:], []byte("ufffd")) {
				return true
			}
			i++ // the escaped character
		}
	}
	return false
}

// marshal encodes v, indented or on one line, without escaping HTML or
// the newline encoding/json ends with.
func marshal(v any, indent bool) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	if indent {
		enc.SetIndent("", "  ")
	}
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// encodeJSON encodes v as a line, and applies jsonData.
func encodeJSON(v any, indent bool) ([]byte, error) {
	data, err := marshal(v, indent)
	if err != nil {
		return nil, err
	}
	return jsonData(append(data, '\n'))
}

// joined is one JSON object of the members of each of its parts, in
// order: a command's own keys around the library's Result or Trace.
type joined []any

func (j joined) MarshalJSON() ([]byte, error) {
	out := []byte{'{'}
	for _, part := range j {
		data, err := marshal(part, false)
		if err != nil {
			return nil, err
		}
		if len(data) < 2 || data[0] != '{' {
			return nil, fmt.Errorf("%T is no JSON object", part)
		}
		if members := data[1 : len(data)-1]; len(members) > 0 {
			if len(out) > 1 {
				out = append(out, ',')
			}
			out = append(out, members...)
		}
	}
	return append(out, '}'), nil
}

// jsonValue is a value (string, int64, float64, bool, []any, map[string]any)
// to encode as every output prints it: a float as text.Float writes it
// (1.0 keeps its point), not as encoding/json would (1).
func jsonValue(v any) any {
	switch v := v.(type) {
	case float64:
		return json.Number(text.Float(v))
	case []any:
		return each(v, jsonValue)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonValue(e)
		}
		return out
	}
	return v
}

// data writes b, output that is data (get, export, check --format github),
// to stdout exactly; to a terminal, which would act on a control character
// (a rune text.Unsafe rejects, tab and newline aside), only data with none.
func (e *invocation) data(b []byte) int {
	if e.terminal && !text.IsSafe(strings.NewReplacer("\t", " ", "\n", " ").Replace(string(b))) {
		return e.fail(exitConfig, "the output holds control characters, which a terminal would act on; redirect it to a file or a pipe to read it exactly")
	}
	e.raw.Write(b)
	return exitOK
}
